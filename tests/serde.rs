//! The `serde` feature: Matrix JSON shapes, round trips, and the same checks
//! as `from_base64` on the way in. Run with `cargo test --features serde`.

#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::{
    Curve25519PublicKey, Ed25519PublicKey, Ed25519Signature, KeyId,
    megolm::{
        ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig as MegolmConfig, SessionKey,
    },
    olm::{Account, IdentityKeys, OlmMessage, SessionConfig},
};
use serde_json::json;

#[test]
fn keys_and_ids_are_base64_strings() {
    let account = Account::new();
    let keys = account.identity_keys();
    let value = serde_json::to_value(keys).unwrap();
    assert_eq!(
        value,
        json!({ "curve25519": keys.curve25519.to_base64(), "ed25519": keys.ed25519.to_base64() })
    );
    assert_eq!(serde_json::from_value::<IdentityKeys>(value).unwrap(), keys);

    let signature = account.sign("hello");
    let text = serde_json::to_string(&signature).unwrap();
    assert_eq!(text, format!("\"{}\"", signature.to_base64()));
    assert_eq!(serde_json::from_str::<Ed25519Signature>(&text).unwrap(), signature);

    assert_eq!(serde_json::to_string(&KeyId::new(1)).unwrap(), "\"AAAAAQ\"");
    assert_eq!(serde_json::from_str::<KeyId>("\"AAAAAw\"").unwrap(), KeyId::new(3));

    // Padded input is accepted; wrong lengths and bad points are refused.
    let padded = format!("\"{}=\"", keys.curve25519.to_base64());
    assert_eq!(
        serde_json::from_str::<Curve25519PublicKey>(&padded).unwrap(),
        keys.curve25519
    );
    assert!(serde_json::from_str::<Curve25519PublicKey>("\"AAAA\"").is_err());
    assert!(serde_json::from_str::<Ed25519PublicKey>(&format!("\"{}\"", "A".repeat(44))).is_err());
    assert!(serde_json::from_str::<Curve25519PublicKey>("42").is_err());
}

#[test]
fn olm_messages_use_the_matrix_shape() {
    let alice = Account::new();
    let mut bob = Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut session = alice
        .create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), otk)
        .unwrap();
    let message = session.encrypt("hi");
    let value = serde_json::to_value(&message).unwrap();
    assert_eq!(value, json!({ "type": 0, "body": message.to_base64() }));
    assert_eq!(serde_json::from_value::<OlmMessage>(value).unwrap(), message);
    assert!(serde_json::from_value::<OlmMessage>(json!({ "type": 2, "body": message.to_base64() })).is_err());
    assert!(serde_json::from_value::<OlmMessage>(json!({ "type": 1, "body": "AAAA" })).is_err());
}

#[test]
fn megolm_messages_and_keys() {
    let mut outbound = GroupSession::new(MegolmConfig::version_1());
    let key: SessionKey = serde_json::from_str(&serde_json::to_string(&outbound.session_key()).unwrap()).unwrap();
    let mut inbound = InboundGroupSession::new(&key, MegolmConfig::version_1());
    let message: MegolmMessage =
        serde_json::from_str(&serde_json::to_string(&outbound.encrypt("room")).unwrap()).unwrap();
    assert_eq!(inbound.decrypt(&message).unwrap().plaintext, b"room");
    let export: ExportedSessionKey =
        serde_json::from_str(&serde_json::to_string(&inbound.export_at(0).unwrap()).unwrap()).unwrap();
    assert_eq!(
        InboundGroupSession::import(&export, MegolmConfig::version_1()).first_known_index(),
        0
    );
    assert!(serde_json::from_str::<SessionKey>("\"AgAA\"").is_err());
}
