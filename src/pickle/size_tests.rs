//! Our pickles are no larger than libolm's for the same state (libolm's
//! sizes come from `to_libolm_pickle`, which writes libolm's bytes exactly)
//! for the states of docs/performance.md: an account with 50 one-time keys,
//! a fresh session, a session that has sent after 10 ratchet steps, one with
//! skipped keys, a group session and an inbound group session, with its
//! latest-ratchet cache at its first index or ahead. The exception is
//! documented there: our envelope's 16-byte nonce and 32-byte MAC outweigh
//! what the bodies save in a session that holds no sending chain. On the way,
//! each object's `libolm_pickle_len` is checked against its pickle.

use crate::{
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage},
};

const KEY: [u8; 32] = [1; 32];

fn at_most_libolm(name: &str, ours: usize, libolm: usize) {
    assert!(ours <= libolm, "{name}: ours {ours} > libolm {libolm}");
}

/// `libolm_pickle_len` is the length of the pickle, counted without writing
/// it (libolm's `olm_pickle_*_length`).
fn exact_libolm_len(name: &str, counted: usize, pickle: &str) {
    assert_eq!(counted, pickle.len(), "{name}");
}

#[test]
fn no_larger_than_libolm() {
    let mut rng = rand::rng();
    let mut account = Account::new_with_rng(&mut rng);
    account.generate_one_time_keys_with_rng(50, &mut rng);
    account.generate_fallback_key_with_rng(&mut rng);
    at_most_libolm(
        "account, 50 one-time keys",
        account.pickle_with_rng(&KEY, &mut rng).len(),
        account.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "account, 50 one-time keys",
        account.libolm_pickle_len(),
        &account.to_libolm_pickle(b"k").unwrap(),
    );

    let (alice, mut a, mut bob) = crate::test_rng::outbound_session(&mut rng);
    at_most_libolm(
        "fresh session",
        a.pickle_with_rng(&KEY, &mut rng).len(),
        a.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "fresh session",
        a.libolm_pickle_len(),
        &a.to_libolm_pickle(b"k").unwrap(),
    );
    let OlmMessage::PreKey(first) = a.encrypt_with_rng("hi", &mut rng) else {
        unreachable!()
    };
    let mut b = bob
        .create_inbound_session(alice.curve25519_key(), &first)
        .unwrap()
        .session;
    for step in 0..10 {
        let (sender, receiver) = if step % 2 == 0 {
            (&mut b, &mut a)
        } else {
            (&mut a, &mut b)
        };
        let message = sender.encrypt_with_rng("step", &mut rng);
        receiver.decrypt(&message).unwrap();
    }
    at_most_libolm(
        "session after 10 ratchet steps",
        a.pickle_with_rng(&KEY, &mut rng).len(),
        a.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "session after 10 ratchet steps",
        a.libolm_pickle_len(),
        &a.to_libolm_pickle(b"k").unwrap(),
    );
    let skipped: alloc::vec::Vec<_> = (0..5).map(|_| b.encrypt_with_rng("lost", &mut rng)).collect();
    a.decrypt(&b.encrypt_with_rng("last", &mut rng)).unwrap();
    assert!(a.decrypt(&skipped[0]).is_ok());
    at_most_libolm(
        "session with skipped keys",
        a.pickle_with_rng(&KEY, &mut rng).len(),
        a.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "session with skipped keys",
        a.libolm_pickle_len(),
        &a.to_libolm_pickle(b"k").unwrap(),
    );

    let mut outbound = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng);
    at_most_libolm(
        "group session",
        outbound.pickle_with_rng(&KEY, &mut rng).len(),
        outbound.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "group session",
        outbound.libolm_pickle_len(),
        &outbound.to_libolm_pickle(b"k").unwrap(),
    );
    let mut inbound = InboundGroupSession::new(&outbound.session_key(), MegolmConfig::version_1());
    at_most_libolm(
        "inbound group session",
        inbound.pickle_with_rng(&KEY, &mut rng).len(),
        inbound.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "inbound group session",
        inbound.libolm_pickle_len(),
        &inbound.to_libolm_pickle(b"k").unwrap(),
    );
    // libolm stores the cache ahead as a second ratchet; ours leaves it out.
    inbound.decrypt(&outbound.encrypt("x")).unwrap();
    inbound.decrypt(&outbound.encrypt("x")).unwrap();
    at_most_libolm(
        "inbound group session, cache ahead",
        inbound.pickle_with_rng(&KEY, &mut rng).len(),
        inbound.to_libolm_pickle(b"k").unwrap().len(),
    );
    exact_libolm_len(
        "inbound group session, cache ahead",
        inbound.libolm_pickle_len(),
        &inbound.to_libolm_pickle(b"k").unwrap(),
    );
}
