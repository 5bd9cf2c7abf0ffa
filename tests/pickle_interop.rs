//! libolm pickles across implementations: vodozemac writes libolm account
//! pickles that we read, and the libolm pickles we write import into
//! vodozemac and keep working there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::{
    Curve25519PublicKey,
    olm::{Account, OlmMessage, Session, SessionConfig},
};
use vodozemac::olm as vz;

fn to_vz_key(key: Curve25519PublicKey) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(key.to_bytes())
}

fn from_vz_key(key: vodozemac::Curve25519PublicKey) -> Curve25519PublicKey {
    Curve25519PublicKey::from_bytes(key.to_bytes())
}

fn to_vz_message(message: &OlmMessage) -> vz::OlmMessage {
    let (message_type, bytes) = message.to_parts();
    vz::OlmMessage::from_parts(message_type, &bytes).unwrap()
}

fn from_vz_message(message: &vz::OlmMessage) -> OlmMessage {
    let (message_type, bytes) = message.to_parts();
    OlmMessage::from_parts(message_type, &bytes).unwrap()
}

#[test]
fn vodozemac_account_pickle_imports_here() {
    let mut theirs = vz::Account::new();
    theirs.generate_one_time_keys(5);
    theirs.generate_fallback_key();
    let their_keys: Vec<_> = theirs.one_time_keys().values().map(|k| from_vz_key(*k)).collect();
    let pickle = theirs.to_libolm_pickle(b"migration key").unwrap();

    let mut ours = Account::from_libolm_pickle(&pickle, b"migration key").unwrap();
    assert_eq!(ours.curve25519_key(), from_vz_key(theirs.curve25519_key()));
    assert_eq!(
        ours.ed25519_key().to_bytes(),
        theirs.ed25519_key().as_bytes().to_owned()
    );
    let mut our_keys: Vec<_> = ours.one_time_keys().values().copied().collect();
    our_keys.sort();
    let mut expected = their_keys.clone();
    expected.sort();
    assert_eq!(our_keys, expected);
    assert_eq!(ours.fallback_key().len(), 1);
    // The imported signing key signs as vodozemac's does.
    assert_eq!(ours.sign("msg").to_bytes(), theirs.sign("msg").to_bytes());

    // A peer opens a session to one of the imported one-time keys.
    let alice = vz::Account::new();
    let mut outbound = alice
        .create_outbound_session(
            vz::SessionConfig::version_1(),
            to_vz_key(ours.curve25519_key()),
            to_vz_key(their_keys[2]),
        )
        .unwrap();
    let OlmMessage::PreKey(first) = from_vz_message(&outbound.encrypt("hello").unwrap()) else {
        panic!()
    };
    let created = ours
        .create_inbound_session(from_vz_key(alice.curve25519_key()), &first)
        .unwrap();
    assert_eq!(created.plaintext, b"hello");
    let mut session = created.session;
    assert_eq!(outbound.decrypt(&to_vz_message(&session.encrypt("hi"))).unwrap(), b"hi");
}

#[test]
fn our_libolm_pickles_import_into_vodozemac() {
    let mut bob = Account::new();
    bob.generate_one_time_keys(3);
    bob.generate_fallback_key();
    let bob_key = *bob.one_time_keys().values().next().unwrap();

    let theirs = vz::Account::from_libolm_pickle(&bob.to_libolm_pickle(b"k").unwrap(), b"k").unwrap();
    assert_eq!(from_vz_key(theirs.curve25519_key()), bob.curve25519_key());
    assert_eq!(theirs.ed25519_key().as_bytes().to_owned(), bob.ed25519_key().to_bytes());
    assert_eq!(theirs.sign("msg").to_bytes(), bob.sign("msg").to_bytes());
    let mut their_keys: Vec<_> = theirs.one_time_keys().values().map(|k| from_vz_key(*k)).collect();
    let mut our_keys: Vec<_> = bob.one_time_keys().values().copied().collect();
    their_keys.sort();
    our_keys.sort();
    assert_eq!(their_keys, our_keys);

    // A session of ours, exported mid-conversation, continues in vodozemac.
    let alice = Account::new();
    let mut alice_session = alice
        .create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), bob_key)
        .unwrap();
    let OlmMessage::PreKey(first) = alice_session.encrypt("one") else {
        panic!()
    };
    let mut bob_session = bob
        .create_inbound_session(alice.curve25519_key(), &first)
        .unwrap()
        .session;
    for round in 0..3 {
        let reply = bob_session.encrypt(format!("reply {round}"));
        alice_session.decrypt(&reply).unwrap();
        let next = alice_session.encrypt(format!("next {round}"));
        bob_session.decrypt(&next).unwrap();
    }
    let _skipped = bob_session.encrypt("skipped");
    let later = bob_session.encrypt("later");

    let mut exported = vz::Session::from_libolm_pickle(&alice_session.to_libolm_pickle(b"s").unwrap(), b"s").unwrap();
    assert_eq!(exported.session_id(), alice_session.session_id());
    assert_eq!(exported.decrypt(&to_vz_message(&later)).unwrap(), b"later");
    let from_them = exported.encrypt("from vodozemac").unwrap();
    assert_eq!(
        bob_session.decrypt(&from_vz_message(&from_them)).unwrap(),
        b"from vodozemac"
    );

    // And back: the same state read from libolm form here behaves the same.
    let mut reimported = Session::from_libolm_pickle(&alice_session.to_libolm_pickle(b"s").unwrap(), b"s").unwrap();
    assert_eq!(reimported.decrypt(&later).unwrap(), b"later");
}
