//! libolm pickles across implementations: vodozemac writes libolm account
//! pickles that we read, and the libolm pickles we write import into
//! vodozemac and keep working there.

#![cfg(feature = "libolm-compat")]
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

#[test]
fn megolm_libolm_pickles_import_into_vodozemac() {
    use olm::megolm::{GroupSession, InboundGroupSession, SessionConfig};
    use vodozemac::megolm as vzm;

    let mut outbound = GroupSession::new(SessionConfig::version_1());
    let mut inbound = InboundGroupSession::new(&outbound.session_key(), SessionConfig::version_1());
    let early: Vec<_> = (0..3).map(|i| outbound.encrypt([i])).collect();
    inbound.decrypt(&early[2]).unwrap();

    let mut their_outbound =
        vzm::GroupSession::from_libolm_pickle(&outbound.to_libolm_pickle(b"g").unwrap(), b"g").unwrap();
    assert_eq!(their_outbound.session_id(), outbound.session_id());
    assert_eq!(their_outbound.message_index(), outbound.message_index());
    let from_them = their_outbound.encrypt(b"from vodozemac");
    let from_us = outbound.encrypt(b"from vodozemac");
    assert_eq!(from_them.to_bytes(), from_us.to_bytes(), "same state, same ciphertext");

    let mut their_inbound =
        vzm::InboundGroupSession::from_libolm_pickle(&inbound.to_libolm_pickle(b"i").unwrap(), b"i").unwrap();
    for message in early.iter().chain([&from_us]) {
        let theirs = their_inbound
            .decrypt(&vzm::MegolmMessage::from_bytes(&message.to_bytes()).unwrap())
            .unwrap();
        let ours = inbound.decrypt(message).unwrap();
        assert_eq!(theirs.plaintext, ours.plaintext);
        assert_eq!(theirs.message_index, ours.message_index);
    }
}

#[test]
fn pk_decryption_pickles_both_ways() {
    use olm::pk::{PkDecryption, PkEncryption};
    use vodozemac::pk_encryption as vzp;

    let theirs = vzp::PkDecryption::new();
    let ours = PkDecryption::from_libolm_pickle(&theirs.to_libolm_pickle(b"p").unwrap(), b"p").unwrap();
    assert_eq!(ours.public_key().to_bytes(), theirs.public_key().to_bytes());

    let back = vzp::PkDecryption::from_libolm_pickle(&ours.to_libolm_pickle(b"q").unwrap(), b"q").unwrap();
    let message = PkEncryption::from(&ours).encrypt(b"backup");
    let (ciphertext, mac, ephemeral) = (
        message.ciphertext().to_vec(),
        message.mac().to_vec(),
        message.ephemeral_key(),
    );
    let theirs_message = vzp::Message {
        ciphertext,
        mac,
        ephemeral_key: vodozemac::Curve25519PublicKey::from_bytes(ephemeral.to_bytes()),
    };
    assert_eq!(back.decrypt(&theirs_message).unwrap(), b"backup");
}

/// Our pickles stay within 1.2× libolm's for the same state; prints the
/// sizes of all three formats (run with `--nocapture` to see them).
#[test]
fn pickle_sizes() {
    use olm::megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig};
    use vodozemac::megolm as vzm;

    let key = [1u8; 32];
    let mut rows = vec![];
    let mut check = |name: &str, ours: usize, libolm: usize, vodozemac: usize| {
        rows.push(format!("{name:<40} {ours:>6} {libolm:>7} {vodozemac:>10}"));
        assert!(ours * 10 <= libolm * 12, "{name}: ours {ours} > 1.2 × libolm {libolm}");
    };

    for otks in [0, 50] {
        let mut account = Account::new();
        account.generate_one_time_keys(otks);
        account.generate_fallback_key();
        let libolm = account.to_libolm_pickle(b"k").unwrap();
        let theirs = vz::Account::from_libolm_pickle(&libolm, b"k")
            .unwrap()
            .pickle()
            .encrypt(&key);
        check(
            &format!("account, {otks} one-time keys"),
            account.pickle(&key).len(),
            libolm.len(),
            theirs.len(),
        );
    }
    // An account imported from libolm keeps the 64-byte expanded key.
    let imported = Account::from_libolm_pickle(&Account::new().to_libolm_pickle(b"k").unwrap(), b"k").unwrap();
    let libolm = imported.to_libolm_pickle(b"k").unwrap();
    let theirs = vz::Account::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "account from libolm, no keys",
        imported.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );

    let alice = Account::new();
    let mut bob = Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut a = alice
        .create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), otk)
        .unwrap();
    let fresh = a.to_libolm_pickle(b"k").unwrap();
    let theirs = vz::Session::from_libolm_pickle(&fresh, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "session, fresh outbound",
        a.pickle(&key).len(),
        fresh.len(),
        theirs.len(),
    );
    let OlmMessage::PreKey(first) = a.encrypt("hi") else {
        panic!()
    };
    let mut b = bob
        .create_inbound_session(alice.curve25519_key(), &first)
        .unwrap()
        .session;
    // Received on a new chain, not replied yet: no sending chain, the one
    // state where our envelope outweighs what the body saves.
    let libolm = b.to_libolm_pickle(b"k").unwrap();
    let theirs = vz::Session::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "session, no sending chain",
        b.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );
    for step in 0..10 {
        let (sender, receiver) = if step % 2 == 0 {
            (&mut b, &mut a)
        } else {
            (&mut a, &mut b)
        };
        let message = sender.encrypt("step");
        receiver.decrypt(&message).unwrap();
    }
    let libolm = a.to_libolm_pickle(b"k").unwrap();
    let theirs = vz::Session::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "session, after 10 ratchet steps",
        a.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );
    for _ in 0..5 {
        let _lost = b.encrypt("skipped");
    }
    a.decrypt(&b.encrypt("last")).unwrap();
    let libolm = a.to_libolm_pickle(b"k").unwrap();
    let theirs = vz::Session::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "session, 5 skipped keys",
        a.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );

    let mut outbound = GroupSession::new(MegolmConfig::version_1());
    let libolm = outbound.to_libolm_pickle(b"k").unwrap();
    let theirs = vzm::GroupSession::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check("group session", outbound.pickle(&key).len(), libolm.len(), theirs.len());
    let mut inbound = InboundGroupSession::new(&outbound.session_key(), MegolmConfig::version_1());
    let libolm = inbound.to_libolm_pickle(b"k").unwrap();
    let theirs = vzm::InboundGroupSession::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "inbound group session",
        inbound.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );
    for _ in 0..3 {
        inbound.decrypt(&outbound.encrypt("x")).unwrap();
    }
    let libolm = inbound.to_libolm_pickle(b"k").unwrap();
    let theirs = vzm::InboundGroupSession::from_libolm_pickle(&libolm, b"k")
        .unwrap()
        .pickle()
        .encrypt(&key);
    check(
        "inbound group session, cache ahead",
        inbound.pickle(&key).len(),
        libolm.len(),
        theirs.len(),
    );

    println!(
        "{:<40} {:>6} {:>7} {:>10}",
        "pickle (base64 characters)", "ours", "libolm", "vodozemac"
    );
    for row in rows {
        println!("{row}");
    }
}
