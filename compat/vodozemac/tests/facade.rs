//! The facade's own checks: vodozemac's observable behaviour (key ids, key
//! counts, configs, serde forms, error variants) on `olm`'s operations. The
//! full proof is matrix-sdk-crypto's suite (scripts/matrix-sdk-crypto-tests).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use vodozemac::{
    Curve25519PublicKey, KeyError,
    megolm::{
        ExportedSessionKey, GroupSession, InboundGroupSession, InboundGroupSessionPickle, SessionConfig as MegolmConfig,
    },
    olm::{Account, AccountPickle, OlmMessage, SessionConfig},
    sas::Sas,
};

const KEY: [u8; 32] = [7; 32];

fn pair(config: SessionConfig) -> (Account, Account, vodozemac::olm::Session, vodozemac::olm::Session) {
    let alice = Account::new();
    let mut bob = Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    bob.mark_keys_as_published();
    let mut outbound = alice
        .create_outbound_session(config, bob.curve25519_key(), otk)
        .unwrap();
    let OlmMessage::PreKey(message) = outbound.encrypt("hello").unwrap() else {
        panic!("a pre-key message")
    };
    let inbound = bob
        .create_inbound_session(config, alice.curve25519_key(), &message)
        .unwrap();
    assert_eq!(inbound.plaintext, b"hello");
    (alice, bob, outbound, inbound.session)
}

#[test]
fn accounts_number_and_count_keys_as_vodozemac_does() {
    let mut account = Account::new();
    assert_eq!(account.max_number_of_one_time_keys(), 50);
    account.generate_one_time_keys(2);
    let mut ids: Vec<String> = account.one_time_keys().keys().map(|id| id.to_base64()).collect();
    ids.sort();
    assert_eq!(ids, ["AAAAAAAAAAA", "AAAAAAAAAAE"]);
    account.generate_fallback_key();
    let fallback: Vec<String> = account.fallback_key().keys().map(|id| id.to_base64()).collect();
    assert_eq!(fallback, ["AAAAAAAAAAA"]);
}

#[test]
#[cfg(feature = "experimental-session-config")]
fn sessions_talk_in_both_configs_and_refuse_the_other() {
    for config in [SessionConfig::version_1(), SessionConfig::version_2()] {
        let (_, _, mut alice, mut bob) = pair(config);
        assert_eq!(alice.session_id(), bob.session_id());
        let reply = bob.encrypt("hi").unwrap();
        assert_eq!(alice.decrypt(&reply).unwrap(), b"hi");
        assert_eq!(alice.session_config(), config);
        let OlmMessage::Normal(message) = alice.encrypt("again").unwrap() else {
            panic!("a normal message")
        };
        assert_eq!(
            message.version(),
            if config == SessionConfig::version_1() { 3 } else { 4 }
        );
        // A message of the other variant: vodozemac's error, nothing changed.
        let other_config = if config == SessionConfig::version_1() {
            SessionConfig::version_2()
        } else {
            SessionConfig::version_1()
        };
        let (_, _, mut other, _) = pair(other_config);
        let OlmMessage::PreKey(foreign) = other.encrypt("elsewhere").unwrap() else {
            panic!("a pre-key message")
        };
        let foreign = OlmMessage::Normal(foreign.message().clone());
        let (expected, got) = if config == SessionConfig::version_1() {
            (8, 32)
        } else {
            (32, 8)
        };
        assert!(matches!(
            bob.decrypt(&foreign),
            Err(vodozemac::olm::DecryptionError::InvalidMACLength(e, g)) if (e, g) == (expected, got)
        ));
        let OlmMessage::Normal(again) = alice.encrypt("still").unwrap() else {
            panic!("a normal message")
        };
        assert_eq!(bob.decrypt(&OlmMessage::Normal(again)).unwrap(), b"still");
    }
    let alice = Account::new();
    let mut bob = Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut session = alice
        .create_outbound_session(SessionConfig::version_2(), bob.curve25519_key(), otk)
        .unwrap();
    let OlmMessage::PreKey(message) = session.encrypt("x").unwrap() else {
        panic!("a pre-key message")
    };
    let error = bob
        .create_inbound_session(SessionConfig::version_1(), alice.curve25519_key(), &message)
        .unwrap_err();
    assert!(matches!(
        error,
        vodozemac::olm::SessionCreationError::MismatchedSessionConfig { expected, got: Some(got) }
            if expected == SessionConfig::version_1() && got == SessionConfig::version_2()
    ));
    assert_eq!(
        bob.one_time_keys().len(),
        1,
        "a refused message must not use up the one-time key"
    );
}

#[test]
fn pickles_round_trip_and_an_inconsistent_one_fails_when_read() {
    let (alice, _, session, _) = pair(SessionConfig::version_1());
    let json = serde_json::to_value(alice.pickle()).unwrap();
    let back = Account::from_pickle(serde_json::from_value::<AccountPickle>(json).unwrap());
    assert_eq!(back.identity_keys(), alice.identity_keys());
    let encrypted = alice.pickle().encrypt(&KEY);
    assert_eq!(
        Account::from(AccountPickle::from_encrypted(&encrypted, &KEY).unwrap()).curve25519_key(),
        alice.curve25519_key()
    );
    assert!(matches!(
        AccountPickle::from_encrypted(&encrypted, &[8; 32]),
        Err(vodozemac::PickleError::Decryption(_))
    ));

    // An unpublished one-time public key that is not its secret's:
    // vodozemac would load it and publish a key nobody can use.
    let mut account = Account::new();
    account.generate_one_time_keys(2);
    let mut bad = serde_json::to_value(account.pickle()).unwrap();
    let public_keys = bad["one_time_keys"]["public_keys"].as_object_mut().unwrap();
    let (_, first) = public_keys.iter_mut().next().unwrap();
    *first = serde_json::to_value(Curve25519PublicKey::from_bytes([9; 32])).unwrap();
    assert!(serde_json::from_value::<AccountPickle>(bad).is_err());

    let restored = vodozemac::olm::Session::from_pickle(session.pickle());
    assert_eq!(restored.session_id(), session.session_id());
}

#[test]
fn megolm_sessions_decrypt_export_and_pickle() {
    let mut outbound = GroupSession::new(MegolmConfig::version_1());
    let mut inbound = InboundGroupSession::from(&outbound);
    let message = outbound.encrypt("room");
    let decrypted = inbound.decrypt(&message).unwrap();
    assert_eq!(
        (decrypted.plaintext.as_slice(), decrypted.message_index),
        (&b"room"[..], 0)
    );
    let exported = inbound.export_at(0).unwrap();
    let mut imported = InboundGroupSession::import(
        &ExportedSessionKey::from_base64(&exported.to_base64()).unwrap(),
        MegolmConfig::version_1(),
    );
    assert!(imported.connected(&mut inbound));
    let json = serde_json::to_string(&inbound.pickle()).unwrap();
    let direct: InboundGroupSession = serde_json::from_str(&json).unwrap();
    let via_pickle =
        InboundGroupSession::from_pickle(serde_json::from_str::<InboundGroupSessionPickle>(&json).unwrap());
    assert_eq!(direct.session_id(), via_pickle.session_id());
    assert!(matches!(
        imported.decrypt(&GroupSession::new(MegolmConfig::version_1()).encrypt("x")),
        Err(vodozemac::megolm::DecryptionError::Signature(_))
    ));
}

#[test]
#[cfg(feature = "experimental-session-config")]
fn serde_forms_are_vodozemacs() {
    let key = Curve25519PublicKey::from_bytes([1; 32]);
    assert_eq!(
        serde_json::to_value(key).unwrap(),
        serde_json::to_value([1u8; 32]).unwrap()
    );
    let ed = vodozemac::Ed25519SecretKey::from_slice(&[2; 32]).public_key();
    assert_eq!(
        serde_json::to_value(ed).unwrap(),
        serde_json::to_value(ed.as_bytes()).unwrap()
    );
    assert_eq!(
        serde_json::to_value(SessionConfig::version_2()).unwrap(),
        serde_json::json!({"version": "V2"})
    );
    let (_, _, mut alice, _) = pair(SessionConfig::version_1());
    let message = alice.encrypt("x").unwrap();
    let json = serde_json::to_value(&message).unwrap();
    assert_eq!(json["type"], 0);
    assert_eq!(serde_json::from_value::<OlmMessage>(json).unwrap(), message);
    assert_eq!(format!("{key:?}"), format!("\"curve25519:{}\"", key.to_base64()));
}

#[test]
fn errors_keep_vodozemacs_variants() {
    assert!(matches!(
        Curve25519PublicKey::from_base64("AAAA"),
        Err(KeyError::InvalidKeyLength {
            key_type: "Curve25519",
            expected_length: 32,
            length: 3
        })
    ));
    assert!(matches!(
        Curve25519PublicKey::from_base64(&"!".repeat(43)),
        Err(KeyError::Base64Error(_))
    ));
    let low_order = Curve25519PublicKey::from_bytes([0; 32]);
    assert!(matches!(
        Sas::new().diffie_hellman(low_order),
        Err(KeyError::NonContributoryKey)
    ));
    assert!(vodozemac::olm::Message::from_bytes(&[]).is_err());
}

#[test]
fn sas_sides_agree() {
    let alice = Sas::new();
    let bob = Sas::new();
    let alice_key = alice.public_key();
    let alice = alice.diffie_hellman(bob.public_key()).unwrap();
    let bob = bob.diffie_hellman(alice_key).unwrap();
    assert_eq!(alice.bytes("info").emoji_indices(), bob.bytes("info").emoji_indices());
    let mac = alice.calculate_mac("input", "info");
    bob.verify_mac("input", "info", &mac).unwrap();
    assert!(bob.verify_mac("other", "info", &mac).is_err());
    assert!(
        bob.verify_mac("input", "info", &vodozemac::sas::Mac::from_slice(&[0; 3]))
            .is_err()
    );
}
