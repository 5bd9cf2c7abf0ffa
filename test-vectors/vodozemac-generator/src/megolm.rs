//! Megolm: crafted `GroupSessionPickle` and `InboundGroupSessionPickle`
//! bodies (ratchets at chosen indices, Ed25519 keys seeded or expanded),
//! encryption and session keys, decryption and exports.

use serde_json::{Value, json};
use vodozemac::megolm::{DecryptionError, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig};

use crate::{
    account::{Signing, expanded},
    json::Json,
    obj,
    rng::Drbg,
    util::{Object, Vector, arr, ed25519_public, flipped, hex, state},
};

/// An outbound group session's pickle body.
pub fn group_body(ratchet: &[u8; 128], counter: u32, signing: &Signing) -> Value {
    let signing_key = match signing {
        Signing::Seed(seed) => json!({ "Normal": arr(seed) }),
        Signing::Expanded(key) => json!({ "Expanded": arr(key) }),
    };
    json!({
        "ratchet": { "inner": arr(ratchet), "counter": counter },
        "signing_key": signing_key,
        "config": { "version": "V1" },
    })
}

/// An inbound group session's pickle body; `ratchet` is vodozemac's
/// `{"inner", "counter"}` object.
pub fn inbound_body(ratchet: &Value, signing_key: &[u8; 32], verified: bool) -> Value {
    json!({
        "initial_ratchet": ratchet,
        "signing_key": arr(signing_key),
        "signing_key_verified": verified,
        "config": { "version": "V1" },
    })
}

/// A message and its plaintext.
pub(crate) struct Sent {
    pub(crate) message: MegolmMessage,
    pub(crate) plaintext: Vec<u8>,
    pub(crate) index: u32,
}

/// Encrypts deterministically (a twin restored from the same state agrees)
/// and checks that a receiver made from the session key decrypts it.
fn encrypt(session: &mut GroupSession, plaintext: &[u8]) -> MegolmMessage {
    let mut twin = GroupSession::from_body(&state(session));
    let mut receiver = InboundGroupSession::new(&session.session_key(), session.session_config());
    let message = session.encrypt(plaintext);
    assert_eq!(
        twin.encrypt(plaintext).to_bytes(),
        message.to_bytes(),
        "encryption is deterministic"
    );
    assert_eq!(receiver.decrypt(&message).expect("decrypts").plaintext, plaintext);
    message
}

pub(crate) fn send(session: &mut GroupSession, rng: &mut Drbg) -> Sent {
    let plaintext = rng.plaintext(300);
    let index = session.message_index();
    Sent {
        message: encrypt(session, &plaintext),
        plaintext,
        index,
    }
}

pub(crate) struct Outbound {
    v: Vector<GroupSession>,
    expect: Json,
}

impl Outbound {
    /// Adds a config version to `expect` (vodozemac's `session_config`).
    pub(crate) fn expect_config(&mut self) {
        self.expect
            .push("config", u64::from(self.v.object.session_config().version()));
    }

    pub(crate) fn new(name: &str, body: &Value, rng: &mut Drbg) -> Self {
        let v = Vector::<GroupSession>::new(name, body, rng.array());
        let expect = obj! {
            "session_id" => v.object.session_id(),
            "message_index" => v.object.message_index(),
            "session_key" => v.object.session_key().to_base64(),
        };
        Self { v, expect }
    }

    pub(crate) fn encrypt(&mut self, rng: &mut Drbg) {
        let sent = send(&mut self.v.object, rng);
        self.v.events.push(obj! {
            "op" => "encrypt",
            "plaintext" => hex(&sent.plaintext),
            "message_index" => sent.index,
            "ciphertext" => sent.message.to_base64(),
        });
    }

    pub(crate) fn session_key(&mut self) {
        let key = self.v.object.session_key();
        let receiver = InboundGroupSession::new(&key, self.v.object.session_config());
        assert_eq!(receiver.first_known_index(), self.v.object.message_index());
        self.v.events.push(obj! {
            "op" => "session_key",
            "message_index" => self.v.object.message_index(),
            "session_key" => key.to_base64(),
        });
    }

    pub(crate) fn finish(self) -> Json {
        self.v.finish(self.expect)
    }
}

pub(crate) struct Inbound {
    v: Vector<InboundGroupSession>,
    expect: Json,
}

impl Inbound {
    /// Adds the config version the pickle holds to `expect` (vodozemac has
    /// no accessor for an inbound session's config).
    pub(crate) fn expect_config(&mut self) {
        let version = match state(&self.v.object)["config"]["version"].as_str() {
            Some("V2") => 2u64,
            _ => 1,
        };
        self.expect.push("config", version);
    }

    pub(crate) fn new(name: &str, body: &Value, rng: &mut Drbg) -> Self {
        let v = Vector::<InboundGroupSession>::new(name, body, rng.array());
        // vodozemac has no accessor for the flag: read what it writes back.
        let verified = state(&v.object)["signing_key_verified"].as_bool().expect("a bool");
        assert_eq!(Some(verified), body["signing_key_verified"].as_bool());
        let expect = obj! {
            "session_id" => v.object.session_id(),
            "first_known_index" => v.object.first_known_index(),
            "verified" => verified,
        };
        Self { v, expect }
    }

    pub(crate) fn decrypt(&mut self, sent: &Sent) {
        let decrypted = self.v.object.decrypt(&sent.message).expect("decrypts");
        assert_eq!(decrypted.plaintext, sent.plaintext);
        assert_eq!(decrypted.message_index, sent.index);
        self.v.events.push(obj! {
            "op" => "decrypt",
            "ciphertext" => sent.message.to_base64(),
            "plaintext" => hex(&decrypted.plaintext),
            "message_index" => decrypted.message_index,
        });
    }

    pub(crate) fn reject(&mut self, message: &MegolmMessage, expected: &str) {
        let before = self.v.object.json();
        let error = self
            .v
            .object
            .decrypt(message)
            .expect_err("vodozemac must refuse this message");
        let class = match error {
            DecryptionError::Signature(_) => "signature",
            DecryptionError::InvalidMAC(_) => "mac",
            DecryptionError::UnknownMessageIndex(..) => "unknown_index",
            // A message of the other variant than the session's config.
            DecryptionError::InvalidMACLength(..) => "config",
            other => panic!("unexpected vodozemac error {other:?}"),
        };
        assert_eq!(class, expected);
        assert_eq!(self.v.object.json(), before);
        self.v.events.push(obj! {
            "op" => "decrypt",
            "ciphertext" => message.to_base64(),
            "error" => expected,
        });
    }

    pub(crate) fn export(&mut self, index: u32) {
        let before = self.v.object.json();
        let event = match self.v.object.export_at(index) {
            Some(key) => {
                let imported = InboundGroupSession::import(&key, SessionConfig::version_1());
                assert_eq!(imported.first_known_index(), index);
                obj! { "op" => "export", "message_index" => index, "exported_session_key" => key.to_base64() }
            }
            None => {
                assert!(index < self.v.object.first_known_index());
                obj! { "op" => "export", "message_index" => index, "error" => "unknown_index" }
            }
        };
        assert_eq!(
            self.v.object.json(),
            before,
            "exporting changes nothing vodozemac pickles"
        );
        self.v.events.push(event);
    }

    pub(crate) fn finish(self) -> Json {
        self.v.finish(self.expect)
    }
}

/// `message` with one bit of its signature (the last 64 bytes) flipped.
pub(crate) fn signature_flipped(message: &MegolmMessage, rng: &mut Drbg) -> MegolmMessage {
    let bytes = message.to_bytes();
    let bit = (bytes.len() - 64) * 8 + rng.below(512);
    MegolmMessage::from_bytes(&flipped(&bytes, bit)).expect("still decodes")
}

pub fn generate(seed: &str) -> Vec<Json> {
    let stream = |name: &str| Drbg::new(seed, &format!("{}/{name}", crate::KIND));
    let mut out = Vec::new();

    for (name, counter, count) in [
        ("group-session-fresh", 0u32, 3),
        ("group-session-at-254", 254, 4),
        ("group-session-at-16777214", (1 << 24) - 2, 3),
        // One message, then the index is 2^32-1; vodozemac 0.11.1 overflows
        // (panics in debug builds) if it encrypts at 2^32-1, so no more.
        ("group-session-at-4294967294", u32::MAX - 1, 1),
    ] {
        let mut rng = stream(name);
        let body = group_body(&rng.array(), counter, &Signing::Seed(rng.array()));
        let mut v = Outbound::new(name, &body, &mut rng);
        v.session_key();
        for _ in 0..count {
            v.encrypt(&mut rng);
        }
        v.session_key();
        out.push(v.finish());
    }

    // A group session imported from libolm keeps the expanded Ed25519 key.
    let name = "group-session-expanded-ed25519-key";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let counter = rng.range(1, 100_000) as u32;
    let body = group_body(&rng.array(), counter, &Signing::Expanded(expanded(&seed)));
    let mut v = Outbound::new(name, &body, &mut rng);
    assert_eq!(v.v.object.session_id(), ed25519_public(&seed).to_base64());
    v.encrypt(&mut rng);
    v.session_key();
    v.encrypt(&mut rng);
    out.push(v.finish());

    // From a session key at index 0 (verified): out of order, a replay
    // (Megolm allows it), a flipped signature, exports.
    let name = "inbound-group-session-from-session-key";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let mut sender = GroupSession::from_body(&group_body(&rng.array(), 0, &Signing::Seed(seed)));
    let body = inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), true);
    let m: Vec<Sent> = (0..4).map(|_| send(&mut sender, &mut rng)).collect();
    let mut v = Inbound::new(name, &body, &mut rng);
    v.decrypt(&m[2]);
    v.decrypt(&m[0]);
    v.decrypt(&m[0]);
    v.reject(&signature_flipped(&m[3].message, &mut rng), "signature");
    v.decrypt(&m[3]);
    v.decrypt(&m[1]);
    v.export(0);
    v.export(3);
    v.export(1000);
    out.push(v.finish());

    // Imported from an export (unverified) at index 300: messages before it
    // are unknown, and so are exports before it.
    let name = "inbound-group-session-imported-at-300";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let mut sender = GroupSession::from_body(&group_body(&rng.array(), 297, &Signing::Seed(seed)));
    let early: Vec<Sent> = (0..3).map(|_| send(&mut sender, &mut rng)).collect();
    let body = inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), false);
    let m: Vec<Sent> = (0..3).map(|_| send(&mut sender, &mut rng)).collect();
    let mut v = Inbound::new(name, &body, &mut rng);
    v.decrypt(&m[1]);
    v.reject(&early[2].message, "unknown_index");
    v.decrypt(&m[0]);
    v.reject(&early[0].message, "unknown_index");
    v.reject(&signature_flipped(&m[2].message, &mut rng), "signature");
    v.decrypt(&m[2]);
    v.export(299);
    v.export(300);
    v.export(302);
    out.push(v.finish());

    // Verified, first known index 2^24+3; an export 2^20 further on.
    let name = "inbound-group-session-at-16777219";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let first = (1u32 << 24) + 3;
    let mut sender = GroupSession::from_body(&group_body(&rng.array(), first, &Signing::Seed(seed)));
    let body = inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), true);
    let m: Vec<Sent> = (0..3).map(|_| send(&mut sender, &mut rng)).collect();
    let mut v = Inbound::new(name, &body, &mut rng);
    v.decrypt(&m[2]);
    v.decrypt(&m[0]);
    v.export(first + (1 << 20));
    v.export(first - 1);
    out.push(v.finish());

    out
}

/// A plain valid group session and inbound group session, for the
/// broken-envelope vectors.
pub fn plain_group(rng: &mut Drbg) -> Value {
    group_body(&rng.array(), rng.range(0, 1000) as u32, &Signing::Seed(rng.array()))
}

pub fn plain_inbound(rng: &mut Drbg) -> Value {
    let seed: [u8; 32] = rng.array();
    let sender = GroupSession::from_body(&group_body(
        &rng.array(),
        rng.range(0, 1000) as u32,
        &Signing::Seed(seed),
    ));
    inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), false)
}
