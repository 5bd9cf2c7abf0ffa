//! Olm sessions: crafted `SessionPickle` bodies in consistent pairs (Alice
//! and Bob holding each other's chains), then messages one encrypts and the
//! other decrypts.
//!
//! vodozemac draws fresh randomness when a session without an active
//! sending chain encrypts, and when such a session meets a message on a
//! ratchet key it has no chain for. Neither happens here: `encrypt` insists
//! on an active chain and `decrypt` on a known chain or an active one.

use serde_json::{Value, json};
use vodozemac::olm::{DecryptionError, OlmMessage, Session};

use crate::{
    json::Json,
    obj,
    rng::Drbg,
    util::{Curve, Object, Vector, arr, b64, flipped, hex, olm_ratchet_kdf, state},
};

/// vodozemac's diagnostic ratchet count.
#[derive(Clone, Copy)]
pub enum Count {
    Known(u64),
    Unknown,
}

impl Count {
    fn body(self) -> Value {
        match self {
            Count::Known(n) => json!({ "Known": n }),
            Count::Unknown => json!({ "Unknown": null }),
        }
    }
}

/// A receiving chain.
pub struct Chain {
    /// The sender's ratchet public key.
    pub ratchet_key: [u8; 32],
    pub key: [u8; 32],
    pub index: u64,
    /// (message key, index)
    pub skipped: Vec<([u8; 32], u64)>,
    pub count: Count,
}

impl Chain {
    pub fn new(ratchet_key: [u8; 32], key: [u8; 32], index: u64, count: Count) -> Self {
        Self {
            ratchet_key,
            key,
            index,
            skipped: Vec::new(),
            count,
        }
    }

    fn body(&self) -> Value {
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|(key, index)| json!({ "key": arr(key), "index": index }))
            .collect();
        json!({
            "ratchet_key": arr(&self.ratchet_key),
            "hkdf_ratchet": { "key": arr(&self.key), "index": self.index },
            "skipped_message_keys": { "inner": skipped },
            "ratchet_count": self.count.body(),
        })
    }
}

/// The sending side of the double ratchet.
pub enum Sending {
    Active {
        parent: Option<[u8; 32]>,
        count: Count,
        root: [u8; 32],
        ratchet: Curve,
        chain: [u8; 32],
        index: u64,
    },
    /// Waiting to reply to `their_ratchet_key` (activating draws randomness).
    Inactive {
        root: [u8; 32],
        their_ratchet_key: [u8; 32],
        count: Count,
    },
}

/// The state of a session, to be written as vodozemac's pickle body.
pub struct State {
    /// identity key, base key, one-time key (Alice's, Alice's, Bob's).
    pub keys: [[u8; 32]; 3],
    pub sending: Sending,
    pub receiving: Vec<Chain>,
}

impl State {
    pub fn body(&self) -> Value {
        let sending = match &self.sending {
            Sending::Active {
                parent,
                count,
                root,
                ratchet,
                chain,
                index,
            } => json!({
                "type": "active",
                "parent_ratchet_key": parent.as_ref().map_or(Value::Null, |k| arr(k)),
                "ratchet_count": count.body(),
                "active_ratchet": { "root_key": arr(root), "ratchet_key": arr(&ratchet.secret) },
                "symmetric_key_ratchet": { "key": arr(chain), "index": index },
            }),
            Sending::Inactive {
                root,
                their_ratchet_key,
                count,
            } => json!({
                "type": "inactive",
                "root_key": { "key": arr(root) },
                "ratchet_key": arr(their_ratchet_key),
                "ratchet_count": count.body(),
            }),
        };
        let chains: Vec<Value> = self.receiving.iter().map(Chain::body).collect();
        json!({
            "session_keys": {
                "identity_key": arr(&self.keys[0]),
                "base_key": arr(&self.keys[1]),
                "one_time_key": arr(&self.keys[2]),
            },
            "sending_ratchet": sending,
            "receiving_chains": { "inner": chains },
            "config": { "version": "V1" },
        })
    }
}

/// Random session keys (as public keys of random secrets).
pub fn session_keys(rng: &mut Drbg) -> [[u8; 32]; 3] {
    [Curve::new(rng).public, Curve::new(rng).public, Curve::new(rng).public]
}

/// The active chain a party starts after receiving `their_ratchet_key` on
/// root key `root`, with its new ratchet key `ours`: what vodozemac would
/// compute with `ours` as its fresh key. Checked when the other side's
/// vodozemac takes the same ratchet step and decrypts.
pub fn next_chain(root: &[u8; 32], ours: &Curve, their_ratchet_key: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
    olm_ratchet_kdf(root, &ours.shared(their_ratchet_key))
}

/// A message and its plaintext.
#[derive(Clone)]
pub struct Sent {
    pub message: OlmMessage,
    pub plaintext: Vec<u8>,
}

fn ratchet_key(message: &OlmMessage) -> [u8; 32] {
    match message {
        OlmMessage::Normal(m) => m.ratchet_key().to_bytes(),
        OlmMessage::PreKey(m) => m.message().ratchet_key().to_bytes(),
    }
}

fn is_active(session: &Session) -> bool {
    state(session)["sending_ratchet"]["type"] == "active"
}

fn knows_chain(session: &Session, ratchet_key: &[u8; 32]) -> bool {
    let st = state(session);
    let chains = st["receiving_chains"]["inner"].as_array().expect("chains").clone();
    chains.iter().any(|c| c["ratchet_key"] == arr(ratchet_key))
}

/// Encrypts with a session that has an active chain (deterministic: a twin
/// restored from the same state gives the same message).
pub fn encrypt(session: &mut Session, plaintext: &[u8]) -> OlmMessage {
    assert!(
        is_active(session),
        "encrypting without an active chain draws randomness"
    );
    let mut twin = Session::from_body(&state(session));
    let message = session.encrypt(plaintext).expect("encrypts");
    assert_eq!(
        twin.encrypt(plaintext).expect("encrypts"),
        message,
        "encryption is deterministic"
    );
    message
}

/// Decrypts, making sure vodozemac draws no randomness on the way.
pub fn decrypt(session: &mut Session, message: &OlmMessage) -> Result<Vec<u8>, DecryptionError> {
    assert!(
        knows_chain(session, &ratchet_key(message)) || is_active(session),
        "a message on a new ratchet key makes an inactive session draw randomness"
    );
    session.decrypt(message)
}

fn class(error: &DecryptionError) -> &'static str {
    match error {
        DecryptionError::InvalidMAC(_) => "mac",
        DecryptionError::MissingMessageKey(_) => "missing_message_key",
        DecryptionError::TooBigMessageGap(..) => "message_gap",
        // A message of the other variant than the session's config.
        DecryptionError::InvalidMACLength(..) => "config",
        other => panic!("unexpected vodozemac error {other:?}"),
    }
}

/// `message` with one bit of its (truncated, last 8 bytes) MAC flipped.
pub fn mac_flipped(message: &OlmMessage, rng: &mut Drbg) -> OlmMessage {
    let (message_type, bytes) = message.to_parts();
    let bit = (bytes.len() - 8) * 8 + rng.below(64);
    OlmMessage::from_parts(message_type, &flipped(&bytes, bit)).expect("still decodes")
}

/// One session's vector: the events run on vodozemac's restored session.
pub struct Party {
    v: Vector<Session>,
    expect: Json,
}

impl Party {
    pub fn new(name: &str, state: &State, rng: &mut Drbg) -> Self {
        Self::start(Vector::new(name, &state.body(), rng.array()))
    }

    /// From a crafted pickle body (a state of another config).
    pub fn from_body(name: &str, body: &Value, rng: &mut Drbg) -> Self {
        Self::start(Vector::new(name, body, rng.array()))
    }

    /// Adds the session's config version to `expect`.
    pub fn expect_config(&mut self) {
        self.expect
            .push("config", u64::from(self.v.object.session_config().version()));
    }

    /// From a session vodozemac reached by set-up operations of its own.
    pub fn from_session(name: &str, session: Session, rng: &mut Drbg) -> Self {
        Self::start(Vector::from_object(name, session, rng.array(), None))
    }

    fn start(v: Vector<Session>) -> Self {
        let expect = obj! {
            "session_id" => v.object.session_id(),
            "has_received_message" => v.object.has_received_message(),
        };
        Self { v, expect }
    }

    pub fn encrypt(&mut self, rng: &mut Drbg) -> Sent {
        let plaintext = rng.plaintext(300);
        let message = encrypt(&mut self.v.object, &plaintext);
        let (message_type, bytes) = message.to_parts();
        assert_eq!(message_type == 0, !self.v.object.has_received_message());
        self.v.events.push(obj! {
            "op" => "encrypt",
            "plaintext" => hex(&plaintext),
            "message_type" => message_type,
            "ciphertext" => b64(&bytes),
        });
        Sent { message, plaintext }
    }

    pub fn decrypt(&mut self, sent: &Sent) {
        let plaintext = decrypt(&mut self.v.object, &sent.message)
            .unwrap_or_else(|e| panic!("{}: vodozemac cannot decrypt: {e}", self.v.name));
        assert_eq!(plaintext, sent.plaintext);
        let (message_type, bytes) = sent.message.to_parts();
        self.v.events.push(obj! {
            "op" => "decrypt",
            "message_type" => message_type,
            "ciphertext" => b64(&bytes),
            "plaintext" => hex(&plaintext),
        });
    }

    pub fn reject(&mut self, message: &OlmMessage, expected: &str) {
        let before = self.v.object.json();
        let error = decrypt(&mut self.v.object, message).expect_err("vodozemac must refuse this message");
        assert_eq!(class(&error), expected, "{}: vodozemac says {error}", self.v.name);
        assert_eq!(
            self.v.object.json(),
            before,
            "{}: a failed decryption changed the session",
            self.v.name
        );
        let (message_type, bytes) = message.to_parts();
        self.v.events.push(obj! {
            "op" => "decrypt",
            "message_type" => message_type,
            "ciphertext" => b64(&bytes),
            "error" => expected,
        });
    }

    pub fn session(&self) -> &Session {
        &self.v.object
    }

    pub fn finish(self) -> Json {
        self.v.finish(self.expect)
    }
}

/// A stand-in sender on a chain: just an active sending chain, to make
/// genuine messages for a receiving chain of the vector's session.
fn sender(keys: [[u8; 32]; 3], ratchet: Curve, chain: [u8; 32], index: u64, rng: &mut Drbg) -> Session {
    Session::from_body(
        &State {
            keys,
            sending: Sending::Active {
                parent: None,
                count: Count::Unknown,
                root: rng.array(),
                ratchet,
                chain,
                index,
            },
            // Normal messages, not pre-key ones.
            receiving: vec![Chain::new(Curve::new(rng).public, rng.array(), 0, Count::Unknown)],
        }
        .body(),
    )
}

fn send(session: &mut Session, rng: &mut Drbg) -> Sent {
    let plaintext = rng.plaintext(200);
    Sent {
        message: encrypt(session, &plaintext),
        plaintext,
    }
}

pub fn generate(seed: &str) -> Vec<Json> {
    let stream = |name: &str| Drbg::new(seed, &format!("{}/{name}", crate::KIND));
    let mut out = Vec::new();

    // A new outbound session (the first chain has no parent ratchet key)
    // and Bob's session made from Alice's first pre-key message, before he
    // decrypted it. Alice only sends pre-key messages; Bob cannot encrypt
    // (no sending chain yet), so he only decrypts: out of order, a replay,
    // a flipped MAC.
    let name = "session-pre-key";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let root: [u8; 32] = rng.array();
    let a = Curve::new(&mut rng);
    let chain: [u8; 32] = rng.array();
    let mut alice = Party::new(
        &format!("{name}-alice"),
        &State {
            keys,
            sending: Sending::Active {
                parent: None,
                count: Count::Known(0),
                root,
                ratchet: a,
                chain,
                index: 0,
            },
            receiving: vec![],
        },
        &mut rng,
    );
    let mut bob = Party::new(
        &format!("{name}-bob"),
        &State {
            keys,
            sending: Sending::Inactive {
                root,
                their_ratchet_key: a.public,
                count: Count::Known(0),
            },
            receiving: vec![Chain::new(a.public, chain, 0, Count::Known(0))],
        },
        &mut rng,
    );
    let m: Vec<Sent> = (0..4).map(|_| alice.encrypt(&mut rng)).collect();
    bob.decrypt(&m[1]);
    bob.decrypt(&m[0]);
    bob.reject(&m[0].message, "missing_message_key");
    bob.reject(&mac_flipped(&m[3].message, &mut rng), "mac");
    bob.decrypt(&m[3]);
    bob.decrypt(&m[2]);
    bob.reject(&m[1].message, "missing_message_key");
    out.push(alice.finish());
    out.push(bob.finish());

    // Several ratchet steps in: Alice's chain is active (ratchet count 6,
    // Bob has it) and she holds two receiving chains of Bob's; Bob has since
    // started a new chain (count 7) she has not seen. She has three skipped
    // keys on his last chain (from decrypting ahead during the set-up).
    // Alice takes the ratchet step when his new chain's messages arrive.
    let name = "session-established-both-sending";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let a = Curve::new(&mut rng);
    let (a_root, a_chain, a_index) = (rng.array(), rng.array(), rng.range(1, 30) as u64);
    let b_older = Curve::new(&mut rng);
    let b_old = Curve::new(&mut rng);
    let (b_old_chain, b_old_index) = (rng.array(), rng.range(0, 10) as u64);
    let a_old = Curve::new(&mut rng);
    let mut alice_state = State {
        keys,
        sending: Sending::Active {
            parent: Some(b_old.public),
            count: Count::Known(6),
            root: a_root,
            ratchet: a,
            chain: a_chain,
            index: a_index,
        },
        receiving: vec![
            Chain::new(b_older.public, rng.array(), rng.range(1, 5) as u64, Count::Known(3)),
            Chain::new(b_old.public, b_old_chain, b_old_index, Count::Known(5)),
        ],
    };
    alice_state.receiving[0].skipped = vec![(rng.array(), 0)];
    let mut old_bob = sender(keys, b_old, b_old_chain, b_old_index, &mut rng);
    let old: Vec<Sent> = (0..4).map(|_| send(&mut old_bob, &mut rng)).collect();
    let mut alice_session = Session::from_body(&alice_state.body());
    assert_eq!(
        decrypt(&mut alice_session, &old[3].message).expect("decrypts"),
        old[3].plaintext
    );
    let mut alice = Party::from_session(&format!("{name}-alice"), alice_session, &mut rng);

    let b_new = Curve::new(&mut rng);
    let (b_root, b_chain) = next_chain(&a_root, &b_new, &a.public);
    let mut bob_old_chain_for_a = Chain::new(a_old.public, rng.array(), rng.range(2, 9) as u64, Count::Known(4));
    bob_old_chain_for_a.skipped = vec![(rng.array(), 0), (rng.array(), 1)];
    let mut bob = Party::new(
        &format!("{name}-bob"),
        &State {
            keys,
            sending: Sending::Active {
                parent: Some(a.public),
                count: Count::Known(7),
                root: b_root,
                ratchet: b_new,
                chain: b_chain,
                index: 0,
            },
            receiving: vec![
                bob_old_chain_for_a,
                Chain::new(a.public, a_chain, a_index, Count::Known(6)),
            ],
        },
        &mut rng,
    );
    let x: Vec<Sent> = (0..3).map(|_| alice.encrypt(&mut rng)).collect();
    let y: Vec<Sent> = (0..3).map(|_| bob.encrypt(&mut rng)).collect();
    alice.decrypt(&old[1]);
    alice.decrypt(&y[1]);
    alice.decrypt(&y[0]);
    alice.reject(&y[0].message, "missing_message_key");
    alice.decrypt(&old[0]);
    alice.reject(&mac_flipped(&y[2].message, &mut rng), "mac");
    alice.decrypt(&y[2]);
    bob.decrypt(&x[2]);
    bob.reject(&mac_flipped(&x[0].message, &mut rng), "mac");
    bob.decrypt(&x[0]);
    bob.reject(&x[2].message, "missing_message_key");
    bob.decrypt(&x[1]);
    bob.encrypt(&mut rng);
    out.push(alice.finish());
    out.push(bob.finish());

    // A session as vodozemac imports it from libolm: no parent ratchet key
    // and every ratchet count unknown. Alice can send; a message that claims
    // a new chain of Bob's but is not his fails her MAC check and leaves her
    // session as it was.
    let name = "session-unknown-ratchet-counts";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let a = Curve::new(&mut rng);
    let b_old = Curve::new(&mut rng);
    let (root, chain, index) = (rng.array(), rng.array(), rng.range(0, 100) as u64);
    let mut alice = Party::new(
        &format!("{name}-alice"),
        &State {
            keys,
            sending: Sending::Active {
                parent: None,
                count: Count::Unknown,
                root,
                ratchet: a,
                chain,
                index,
            },
            receiving: vec![Chain::new(
                b_old.public,
                rng.array(),
                rng.range(0, 50) as u64,
                Count::Unknown,
            )],
        },
        &mut rng,
    );
    let mut bob = Party::new(
        &format!("{name}-bob"),
        &State {
            keys,
            sending: Sending::Inactive {
                root: rng.array(),
                their_ratchet_key: a.public,
                count: Count::Unknown,
            },
            receiving: vec![Chain::new(a.public, chain, index, Count::Unknown)],
        },
        &mut rng,
    );
    let z: Vec<Sent> = (0..3).map(|_| alice.encrypt(&mut rng)).collect();
    let mut forger = sender(keys, Curve::new(&mut rng), rng.array(), 0, &mut rng);
    let forged = send(&mut forger, &mut rng);
    alice.reject(&forged.message, "mac");
    alice.encrypt(&mut rng);
    bob.decrypt(&z[2]);
    bob.decrypt(&z[0]);
    bob.reject(&z[0].message, "missing_message_key");
    bob.decrypt(&z[1]);
    out.push(alice.finish());
    out.push(bob.finish());

    // The message-gap limit: Alice's chain is 2000 messages ahead of Bob's
    // (she sent them, during the set-up, and they were lost). vodozemac
    // refuses a message 2001 ahead, takes one exactly 2000 ahead, and then
    // holds the 40 newest skipped keys only.
    let name = "session-message-gap";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let a = Curve::new(&mut rng);
    let (root, chain, index) = (rng.array(), rng.array(), rng.range(0, 10) as u64);
    let b = Curve::new(&mut rng);
    let mut alice_session = Session::from_body(
        &State {
            keys,
            sending: Sending::Active {
                parent: Some(b.public),
                count: Count::Known(2),
                root,
                ratchet: a,
                chain,
                index,
            },
            receiving: vec![Chain::new(b.public, rng.array(), 1, Count::Known(1))],
        }
        .body(),
    );
    let lost: Vec<Sent> = (0..2000).map(|_| send(&mut alice_session, &mut rng)).collect();
    let mut alice = Party::from_session(&format!("{name}-alice"), alice_session, &mut rng);
    let mut bob = Party::new(
        &format!("{name}-bob"),
        &State {
            keys,
            sending: Sending::Inactive {
                root: rng.array(),
                their_ratchet_key: a.public,
                count: Count::Known(2),
            },
            receiving: vec![Chain::new(a.public, chain, index, Count::Known(2))],
        },
        &mut rng,
    );
    let g: Vec<Sent> = (0..2).map(|_| alice.encrypt(&mut rng)).collect();
    bob.reject(&g[1].message, "message_gap");
    bob.decrypt(&g[0]);
    bob.reject(&lost[1959].message, "missing_message_key");
    bob.decrypt(&lost[1960]);
    bob.decrypt(&lost[1999]);
    bob.decrypt(&g[1]);
    bob.reject(&lost[1960].message, "missing_message_key");
    out.push(alice.finish());
    out.push(bob.finish());

    // Five receiving chains, vodozemac's maximum, two with skipped keys:
    // a delayed message on the oldest chain still decrypts; then Bob's new
    // chain arrives, Alice takes the ratchet step and drops the oldest chain.
    let name = "session-five-receiving-chains";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let a = Curve::new(&mut rng);
    let (a_root, a_chain, a_index) = (rng.array(), rng.array(), rng.range(0, 20) as u64);
    let b_keys: Vec<Curve> = (0..5).map(|_| Curve::new(&mut rng)).collect();
    let mut chains: Vec<Chain> = b_keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            Chain::new(
                k.public,
                rng.array(),
                rng.range(3, 12) as u64,
                Count::Known(2 * i as u64 + 1),
            )
        })
        .collect();
    chains[1].skipped = vec![(rng.array(), 0), (rng.array(), 2)];
    chains[3].skipped = vec![(rng.array(), 1)];
    let (oldest_chain, oldest_index) = (chains[0].key, chains[0].index);
    let mut alice = Party::new(
        &format!("{name}-alice"),
        &State {
            keys,
            sending: Sending::Active {
                parent: Some(b_keys[4].public),
                count: Count::Known(10),
                root: a_root,
                ratchet: a,
                chain: a_chain,
                index: a_index,
            },
            receiving: chains,
        },
        &mut rng,
    );
    let mut oldest = sender(keys, b_keys[0], oldest_chain, oldest_index, &mut rng);
    let delayed = send(&mut oldest, &mut rng);
    let b_new = Curve::new(&mut rng);
    let (b_root, b_chain) = next_chain(&a_root, &b_new, &a.public);
    let mut bob = Session::from_body(
        &State {
            keys,
            sending: Sending::Active {
                parent: Some(a.public),
                count: Count::Known(11),
                root: b_root,
                ratchet: b_new,
                chain: b_chain,
                index: 0,
            },
            receiving: vec![Chain::new(a.public, a_chain, a_index, Count::Known(10))],
        }
        .body(),
    );
    let w: Vec<Sent> = (0..2).map(|_| send(&mut bob, &mut rng)).collect();
    alice.encrypt(&mut rng);
    alice.decrypt(&delayed);
    alice.decrypt(&w[0]);
    alice.decrypt(&w[1]);
    let chains = state(alice.session())["receiving_chains"]["inner"]
        .as_array()
        .expect("chains")
        .len();
    assert_eq!(chains, 5);
    assert!(
        !knows_chain(alice.session(), &b_keys[0].public),
        "the oldest chain is dropped"
    );
    out.push(alice.finish());

    out
}

/// Session states vodozemac accepts that are inconsistent.
pub fn invalid(seed: &str) -> Vec<(String, Value, Drbg)> {
    let stream = |name: &str| Drbg::new(seed, &format!("{}/{name}", crate::KIND));
    let base = |rng: &mut Drbg| State {
        keys: session_keys(rng),
        sending: Sending::Active {
            parent: Some(Curve::new(rng).public),
            count: Count::Known(4),
            root: rng.array(),
            ratchet: Curve::new(rng),
            chain: rng.array(),
            index: rng.range(0, 50) as u64,
        },
        receiving: vec![
            Chain::new(
                Curve::new(rng).public,
                rng.array(),
                rng.range(2, 50) as u64,
                Count::Known(1),
            ),
            Chain::new(
                Curve::new(rng).public,
                rng.array(),
                rng.range(2, 50) as u64,
                Count::Known(3),
            ),
        ],
    };
    let mut out = Vec::new();

    let name = "session-invalid-receiving-chain-index-above-u32";
    let mut rng = stream(name);
    let mut st = base(&mut rng);
    st.receiving[1].index = u64::from(u32::MAX) + 1 + rng.range(0, 1000) as u64;
    out.push((name.to_owned(), st.body(), rng));

    let name = "session-invalid-sending-chain-index-above-u32";
    let mut rng = stream(name);
    let mut st = base(&mut rng);
    if let Sending::Active { index, .. } = &mut st.sending {
        *index = u64::from(u32::MAX) + 1;
    }
    out.push((name.to_owned(), st.body(), rng));

    let name = "session-invalid-skipped-key-index-not-below-chain-index";
    let mut rng = stream(name);
    let mut st = base(&mut rng);
    let index = st.receiving[0].index;
    st.receiving[0].skipped = vec![(rng.array(), index - 1), (rng.array(), index)];
    out.push((name.to_owned(), st.body(), rng));

    let name = "session-invalid-two-receiving-chains-same-ratchet-key";
    let mut rng = stream(name);
    let mut st = base(&mut rng);
    st.receiving[1].ratchet_key = st.receiving[0].ratchet_key;
    out.push((name.to_owned(), st.body(), rng));

    out
}

/// A plain valid session for the broken-envelope vectors.
pub fn plain(rng: &mut Drbg) -> Value {
    let a = Curve::new(rng);
    State {
        keys: session_keys(rng),
        sending: Sending::Active {
            parent: None,
            count: Count::Known(0),
            root: rng.array(),
            ratchet: a,
            chain: rng.array(),
            index: 0,
        },
        receiving: vec![],
    }
    .body()
}
