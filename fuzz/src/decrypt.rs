//! Decryption on live sessions: fixed, seeded Olm and Megolm sessions are
//! fed the fuzz bytes as messages (raw, or as genuine messages with the fuzz
//! bytes XORed in, which gets past the decoders far more often).
//!
//! Oracles: a message is accepted only if it is, byte for byte where the
//! protocol authenticates bytes, a genuine message not yet consumed, with its
//! plaintext; and every refusal leaves the state exactly as it was (compared
//! through libolm's deterministic pickles, or vodozemac's for version 2
//! sessions, which libolm cannot hold).
//!
//! Each target has a fixture in both protocol variants (v1, and v2 with its
//! version byte 4 and 32-byte MACs); the top bit of the first input byte
//! picks one, so every mutation also runs against the other variant.

use std::sync::OnceLock;

use olm::{
    PickleError,
    megolm::{GroupSession, InboundGroupSession, MegolmMessage, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, PreKeyMessage, Session, SessionConfig},
};

use super::support::{FuzzRng, Input, LIBOLM_KEY, PICKLE_KEY};

/// A session's state as a deterministic string: libolm's pickle for v1,
/// vodozemac's (which holds v2) otherwise.
fn olm_state(session: &Session) -> String {
    if session.session_config() == SessionConfig::version_1() {
        session.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string()
    } else {
        session.to_vodozemac_pickle(&PICKLE_KEY)
    }
}

fn olm_restore(state: &str, config: SessionConfig) -> Result<Session, PickleError> {
    if config == SessionConfig::version_1() {
        Session::from_libolm_pickle(state, LIBOLM_KEY)
    } else {
        Session::from_vodozemac_pickle(state, &PICKLE_KEY)
    }
}

fn megolm_state(session: &InboundGroupSession) -> String {
    if session.session_config() == MegolmConfig::version_1() {
        session.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string()
    } else {
        session.to_vodozemac_pickle(&PICKLE_KEY)
    }
}

fn megolm_restore(state: &str, config: MegolmConfig) -> Result<InboundGroupSession, PickleError> {
    if config == MegolmConfig::version_1() {
        InboundGroupSession::from_libolm_pickle(state, LIBOLM_KEY)
    } else {
        InboundGroupSession::from_vodozemac_pickle(state, &PICKLE_KEY)
    }
}

/// A message on the wire: Matrix type (0 pre-key, 1 normal) and bytes.
type Wire = (usize, Vec<u8>);

struct OlmFixture {
    config: SessionConfig,
    bob_account: String,
    bob_session: String,
    alice: [u8; 32],
    carol: [u8; 32],
    /// Messages to Bob's session that it can still decrypt.
    pending: Vec<(Wire, Vec<u8>)>,
    /// Messages it already decrypted (replays).
    consumed: Vec<Wire>,
    /// Carol's first pre-key message to Bob's account, not yet delivered.
    carol_first: (Wire, Vec<u8>),
}

fn olm_fixture(version_2: bool) -> &'static OlmFixture {
    static FIXTURES: [OnceLock<OlmFixture>; 2] = [OnceLock::new(), OnceLock::new()];
    let config = if version_2 {
        SessionConfig::version_2()
    } else {
        SessionConfig::version_1()
    };
    FIXTURES[usize::from(version_2)].get_or_init(|| {
        let mut rng = FuzzRng::new(0x0_1d);
        let alice = Account::new_with_rng(&mut rng);
        let carol = Account::new_with_rng(&mut rng);
        let mut bob = Account::new_with_rng(&mut rng);
        let otks = bob.generate_one_time_keys_with_rng(3, &mut rng).created;
        bob.generate_fallback_key_with_rng(&mut rng);
        bob.mark_keys_as_published();
        let mut to_bob = alice
            .create_outbound_session_with_rng(config, bob.curve25519_key(), otks[0], &mut rng)
            .expect("honest keys");
        let send = |session: &mut Session, text: &str, rng: &mut FuzzRng| {
            (session.encrypt_with_rng(text, rng).to_parts(), text.as_bytes().to_vec())
        };
        let m0 = send(&mut to_bob, "pre-key 0", &mut rng);
        let m1 = send(&mut to_bob, "pre-key 1", &mut rng);
        let OlmMessage::PreKey(first) = OlmMessage::from_parts(m1.0.0, &m1.0.1).expect("parses") else {
            unreachable!("a pre-key message")
        };
        let mut bob_session = bob
            .create_inbound_session_with_config(config, alice.curve25519_key(), &first)
            .expect("inbound session")
            .session;
        let reply = bob_session.encrypt_with_rng("reply", &mut rng);
        to_bob.decrypt(&reply).expect("reply decrypts");
        let n: Vec<_> = (0..4)
            .map(|i| send(&mut to_bob, &format!("normal {i}"), &mut rng))
            .collect();
        let parse = |wire: &Wire| OlmMessage::from_parts(wire.0, &wire.1).expect("parses");
        bob_session.decrypt(&parse(&n[2].0)).expect("decrypts");
        let mut to_bob_2 = carol
            .create_outbound_session_with_rng(config, bob.curve25519_key(), otks[1], &mut rng)
            .expect("honest keys");
        let carol_first = send(&mut to_bob_2, "carol", &mut rng);
        OlmFixture {
            config,
            bob_account: bob.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
            bob_session: olm_state(&bob_session),
            alice: alice.curve25519_key().to_bytes(),
            carol: carol.curve25519_key().to_bytes(),
            pending: vec![m0, n[0].clone(), n[1].clone(), n[3].clone()],
            consumed: vec![m1.0, n[2].0.clone()],
            carol_first,
        }
    })
}

/// The inner message of a pre-key message, or the message itself.
fn inner(wire: &Wire) -> Option<Vec<u8>> {
    match wire.0 {
        0 => PreKeyMessage::from_bytes(&wire.1)
            .ok()
            .map(|m| m.message().as_bytes().to_vec()),
        _ => Some(wire.1.clone()),
    }
}

/// Olm decryption of arbitrary and mutated messages by a fixed session, and
/// inbound session creation from them by a fixed account.
pub fn olm_decrypt(data: &[u8]) {
    let mut input = Input::new(data);
    let first = input.u8();
    let fixture = olm_fixture(first & 0x80 != 0);
    let mode = first % 4;
    let (wire, to_account): (Wire, bool) = match mode {
        0 => ((1, input.rest().to_vec()), false),
        1 => ((0, input.rest().to_vec()), false),
        2 => ((0, input.rest().to_vec()), true),
        _ => {
            let all: Vec<&Wire> = fixture
                .pending
                .iter()
                .map(|(w, _)| w)
                .chain(&fixture.consumed)
                .chain([&fixture.carol_first.0])
                .collect();
            let pick = usize::from(input.u8()) % all.len();
            let genuine = all[pick];
            let offset = usize::from(input.u16());
            let truncate = input.u8();
            let mut bytes = genuine.1.clone();
            for (i, x) in input.rest().iter().enumerate() {
                bytes[(offset + i) % genuine.1.len()] ^= x;
            }
            if truncate >= 0xf0 {
                bytes.truncate(bytes.len().saturating_sub(usize::from(truncate - 0xef)));
            }
            // Mutations of Carol's first message go to Bob's account.
            ((genuine.0, bytes), pick == all.len() - 1)
        }
    };
    if to_account {
        let mut account = Account::from_libolm_pickle(&fixture.bob_account, LIBOLM_KEY).expect("fixture");
        let Ok(OlmMessage::PreKey(message)) = OlmMessage::from_parts(wire.0, &wire.1) else {
            return;
        };
        for sender in [fixture.carol, fixture.alice] {
            match account.create_inbound_session_with_config(fixture.config, sender.into(), &message) {
                Ok(created) => {
                    // Only Carol's genuine message opens a session, and only
                    // with her genuine keys and plaintext.
                    assert_eq!(
                        wire, fixture.carol_first.0,
                        "a forged pre-key message created a session"
                    );
                    assert_eq!(created.plaintext, fixture.carol_first.1);
                    return;
                }
                Err(_) => assert_eq!(
                    account.to_libolm_pickle(LIBOLM_KEY).map(|p| p.to_string()).as_ref(),
                    Ok(&fixture.bob_account),
                    "a failed session creation changed the account"
                ),
            }
        }
        return;
    }
    let mut session = olm_restore(&fixture.bob_session, fixture.config).expect("fixture");
    let Ok(message) = OlmMessage::from_parts(wire.0, &wire.1) else {
        return;
    };
    match session.decrypt(&message) {
        Ok(plaintext) => {
            // The authenticated part must be a pending genuine message, byte
            // for byte (a pre-key message's outer keys are not used by an
            // existing session, so only its inner message counts).
            let received = inner(&wire).expect("it decrypted, so it parses");
            let genuine = fixture
                .pending
                .iter()
                .find(|(w, _)| inner(w).as_ref() == Some(&received))
                .expect("only a pending genuine message decrypts");
            assert_eq!(plaintext, genuine.1);
        }
        Err(_) => assert_eq!(
            olm_state(&session),
            fixture.bob_session,
            "a failed decryption changed the session"
        ),
    }
}

struct MegolmFixture {
    config: MegolmConfig,
    inbound: String,
    messages: Vec<(Vec<u8>, Vec<u8>)>,
}

fn megolm_fixture(version_2: bool) -> &'static MegolmFixture {
    static FIXTURES: [OnceLock<MegolmFixture>; 2] = [OnceLock::new(), OnceLock::new()];
    let config = if version_2 {
        MegolmConfig::version_2()
    } else {
        MegolmConfig::version_1()
    };
    FIXTURES[usize::from(version_2)].get_or_init(|| {
        let mut rng = FuzzRng::new(0x3e_601);
        let mut outbound = GroupSession::new_with_rng(config, &mut rng);
        outbound.encrypt("before the share");
        let mut inbound = InboundGroupSession::new(&outbound.session_key(), config);
        let messages: Vec<(Vec<u8>, Vec<u8>)> = (0..6)
            .map(|i| {
                let text = format!("room message {i}").into_bytes();
                (outbound.encrypt(&text).to_bytes(), text)
            })
            .collect();
        // The cache sits at index 4: messages below and above it both occur.
        inbound
            .decrypt(&MegolmMessage::from_bytes(&messages[3].0).expect("parses"))
            .expect("decrypts");
        MegolmFixture {
            config,
            inbound: megolm_state(&inbound),
            messages,
        }
    })
}

/// Megolm decryption of arbitrary and mutated messages by a fixed session.
pub fn megolm_decrypt(data: &[u8]) {
    let mut input = Input::new(data);
    let first = input.u8();
    let fixture = megolm_fixture(first & 0x80 != 0);
    let bytes = if first & 1 == 0 {
        input.rest().to_vec()
    } else {
        let genuine = &fixture.messages[usize::from(input.u8()) % fixture.messages.len()].0;
        let offset = usize::from(input.u16());
        let mut bytes = genuine.clone();
        for (i, x) in input.rest().iter().enumerate() {
            bytes[(offset + i) % genuine.len()] ^= x;
        }
        bytes
    };
    let Ok(message) = MegolmMessage::from_bytes(&bytes) else {
        return;
    };
    let mut session = megolm_restore(&fixture.inbound, fixture.config).expect("fixture");
    match session.decrypt(&message) {
        Ok(decrypted) => {
            let position = fixture
                .messages
                .iter()
                .position(|(genuine, _)| *genuine == bytes)
                .expect("only genuine messages decrypt, byte for byte");
            assert_eq!(decrypted.plaintext, fixture.messages[position].1);
            assert_eq!(decrypted.message_index, position as u32 + 1);
        }
        Err(_) => assert_eq!(
            megolm_state(&session),
            fixture.inbound,
            "a failed decryption changed the session"
        ),
    }
}
