//! The protocol variant (`SessionConfig`) survives our pickle format, whose
//! config byte says 2 for version 2 objects; libolm's format, which has no
//! version 2, refuses them rather than writing a v1 object.

use alloc::string::String;

use super::envelope::{self, Kind};
use crate::{
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, Session, SessionConfig as OlmConfig},
    test_rng::Replay,
};

const KEY: [u8; 32] = [4; 32];

/// The first byte of an object's body in our format: its config.
fn config_byte(kind: Kind, pickle: &str) -> u8 {
    envelope::open(kind, pickle, &KEY)
        .map(|body| body[0])
        .unwrap_or_default()
}

/// Alice's and Bob's sessions of variant `config`, after a pre-key message
/// and a reply.
fn olm_pair(config: OlmConfig, seed: u8) -> (Session, Session) {
    let mut rng = Replay::blocks(seed, 12);
    let alice = Account::new_with_rng(&mut rng);
    let mut bob = Account::new_with_rng(&mut rng);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut rng).created[0];
    let mut a = alice
        .create_outbound_session_with_rng(config, bob.curve25519_key(), otk, &mut rng)
        .unwrap_or_else(|_| unreachable!());
    let OlmMessage::PreKey(first) = a.encrypt_with_rng("hi", &mut rng) else {
        unreachable!()
    };
    let mut b = bob
        .create_inbound_session_with_config(config, alice.curve25519_key(), &first)
        .unwrap_or_else(|_| unreachable!())
        .session;
    let reply = b.encrypt_with_rng("reply", &mut rng);
    assert!(a.decrypt(&reply).is_ok());
    (a, b)
}

fn text(message: Result<alloc::vec::Vec<u8>, crate::olm::DecryptionError>) -> String {
    String::from_utf8(message.unwrap_or_default()).unwrap_or_default()
}

#[test]
fn olm_sessions_keep_their_config() {
    for (config, byte) in [(OlmConfig::version_1(), 1), (OlmConfig::version_2(), 2)] {
        let (a, mut b) = olm_pair(config, 0x20 + byte);
        let pickle = a.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1));
        assert_eq!(config_byte(Kind::Session, &pickle), byte);
        let mut restored = Session::from_pickle(&pickle, &KEY).unwrap_or_else(|_| unreachable!());
        assert_eq!(restored.session_config(), config);
        let message = restored.encrypt_with_rng("after", &mut Replay::blocks(2, 2));
        assert_eq!(text(b.decrypt(&message)), "after");
    }
}

#[test]
fn megolm_sessions_keep_their_config() {
    for (config, byte) in [(MegolmConfig::version_1(), 1), (MegolmConfig::version_2(), 2)] {
        let group = GroupSession::new_with_rng(config, &mut Replay::blocks(0x30 + byte, 5));
        let inbound = InboundGroupSession::new(&group.session_key(), config);
        let pickle = group.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1));
        assert_eq!(config_byte(Kind::GroupSession, &pickle), byte);
        let mut group = GroupSession::from_pickle(&pickle, &KEY).unwrap_or_else(|_| unreachable!());
        assert_eq!(group.session_config(), config);
        let pickle = inbound.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1));
        assert_eq!(config_byte(Kind::InboundGroupSession, &pickle), byte);
        let mut inbound = InboundGroupSession::from_pickle(&pickle, &KEY).unwrap_or_else(|_| unreachable!());
        assert_eq!(inbound.session_config(), config);
        let message = group.encrypt("after");
        assert_eq!(message.version(), config.version() + 2);
        assert_eq!(
            inbound.decrypt(&message).map(|d| d.plaintext).unwrap_or_default(),
            b"after"
        );
    }
}

/// Config bytes other than 1 and 2 stay invalid.
#[test]
fn unknown_config_bytes_are_invalid() {
    let (a, _) = olm_pair(OlmConfig::version_1(), 0x40);
    let group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut Replay::blocks(0x41, 5));
    let inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let bodies = [
        (Kind::Session, a.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1))),
        (
            Kind::GroupSession,
            group.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1)),
        ),
        (
            Kind::InboundGroupSession,
            inbound.pickle_with_rng(&KEY, &mut Replay::blocks(1, 1)),
        ),
    ];
    for (kind, pickle) in bodies {
        let body = envelope::open(kind, &pickle, &KEY).unwrap_or_else(|_| unreachable!());
        for byte in [0u8, 3, 0xff] {
            let mut changed = body.to_vec();
            changed[0] = byte;
            let resealed = envelope::seal(kind, &changed, &KEY, &mut Replay::blocks(1, 1));
            let error = super::PickleError::Invalid("unknown session configuration");
            match kind {
                Kind::Session => assert_eq!(Session::from_pickle(&resealed, &KEY).err(), Some(error)),
                Kind::GroupSession => assert_eq!(GroupSession::from_pickle(&resealed, &KEY).err(), Some(error)),
                _ => assert_eq!(InboundGroupSession::from_pickle(&resealed, &KEY).err(), Some(error)),
            }
        }
    }
}

#[cfg(feature = "libolm-compat")]
#[test]
fn version_2_objects_are_unrepresentable_in_libolms_format() {
    use super::PickleError;

    let (a, b) = olm_pair(OlmConfig::version_2(), 0x50);
    for session in [&a, &b] {
        assert!(matches!(
            session.to_libolm_pickle(b"k"),
            Err(PickleError::Unrepresentable(_))
        ));
    }
    let (a, _) = olm_pair(OlmConfig::version_1(), 0x51);
    assert!(a.to_libolm_pickle(b"k").is_ok());

    let group = GroupSession::new_with_rng(MegolmConfig::version_2(), &mut Replay::blocks(0x52, 5));
    let inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_2());
    assert!(matches!(
        group.to_libolm_pickle(b"k"),
        Err(PickleError::Unrepresentable(_))
    ));
    assert!(matches!(
        inbound.to_libolm_pickle(b"k"),
        Err(PickleError::Unrepresentable(_))
    ));
    // The same session key read as v1 writes there.
    let v1 = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    assert!(v1.to_libolm_pickle(b"k").is_ok());
    // What libolm's format gives back is v1.
    let back = InboundGroupSession::from_libolm_pickle(&v1.to_libolm_pickle(b"k").unwrap_or_default(), b"k");
    assert_eq!(back.map(|s| s.session_config()), Ok(MegolmConfig::version_1()));
}
