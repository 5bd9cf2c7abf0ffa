//! Property: any object reached by a random sequence of operations survives
//! a round trip through every pickle format (ours, libolm's and vodozemac's)
//! and behaves identically afterwards — the same next ciphertexts from the
//! same random input, the same decryptions, the same exports.
//!
//! vodozemac's format holds less than libolm's in one place (skipped keys of
//! a chain it no longer keeps), so an Olm object is first taken into it, and
//! the copies of that object are then compared through every format.
//!
//! 48 cases each under a fixed seed, or the random run of
//! `tests/support/explore.rs`.
#![cfg(all(feature = "libolm-compat", feature = "vodozemac-compat"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use olm::{
    megolm::{GroupSession, InboundGroupSession, MegolmMessage, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, Session, SessionConfig},
};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng, rngs::StdRng};

const KEY: &[u8; 32] = &[0x5a; 32];
const LIBOLM_KEY: &[u8] = b"libolm pickle key";

fn account_copies(account: &Account, rng: &mut StdRng) -> [Account; 2] {
    [
        Account::from_pickle(&account.pickle_with_rng(KEY, rng), KEY).unwrap(),
        Account::from_libolm_pickle(&account.to_libolm_pickle(LIBOLM_KEY).unwrap(), LIBOLM_KEY).unwrap(),
    ]
}

fn session_copies(session: &Session, rng: &mut StdRng) -> [Session; 2] {
    [
        Session::from_pickle(&session.pickle_with_rng(KEY, rng), KEY).unwrap(),
        Session::from_libolm_pickle(&session.to_libolm_pickle(LIBOLM_KEY).unwrap(), LIBOLM_KEY).unwrap(),
    ]
}

/// The object as vodozemac's format holds it, after checking that writing
/// it there again gives the same string.
fn via_vodozemac<T>(original: &T, write: impl Fn(&T) -> String, read: impl Fn(&str) -> T) -> T {
    let pickle = write(original);
    let copy = read(&pickle);
    assert_eq!(write(&copy), pickle, "vodozemac's pickle is not stable");
    copy
}

fn vodozemac_account(account: &Account) -> Account {
    via_vodozemac(
        account,
        |a| a.to_vodozemac_pickle(KEY),
        |p| Account::from_vodozemac_pickle(p, KEY).unwrap(),
    )
}

fn vodozemac_session(session: &Session) -> Session {
    via_vodozemac(
        session,
        |s| s.to_vodozemac_pickle(KEY),
        |p| Session::from_vodozemac_pickle(p, KEY).unwrap(),
    )
}

fn assert_same_account(original: &Account, copy: &Account) {
    assert_eq!(copy.identity_keys(), original.identity_keys());
    // By value: libolm's format narrows the ids of an account read from
    // vodozemac to its own 4 bytes (docs/pickle-format.md).
    let by_value = |keys: std::collections::BTreeMap<olm::KeyId, olm::Curve25519PublicKey>| {
        keys.into_iter().map(|(id, key)| (id.value(), key)).collect::<Vec<_>>()
    };
    assert_eq!(by_value(copy.one_time_keys()), by_value(original.one_time_keys()));
    assert_eq!(by_value(copy.fallback_key()), by_value(original.fallback_key()));
    assert_eq!(copy.stored_one_time_key_count(), original.stored_one_time_key_count());
    assert_eq!(copy.sign("same"), original.sign("same"));
    assert_eq!(
        copy.to_libolm_pickle(LIBOLM_KEY).unwrap(),
        original.to_libolm_pickle(LIBOLM_KEY).unwrap()
    );
}

/// Encrypts with a fresh generator of the same seed on every session, then
/// decrypts the same pending messages: everything must match.
fn assert_same_sessions(sessions: &mut [Session], pending: &[OlmMessage], seed: u64) {
    let ciphertexts: Vec<_> = sessions
        .iter_mut()
        .map(|s| s.encrypt_with_rng("after the round trip", &mut StdRng::seed_from_u64(seed)))
        .collect();
    assert!(
        ciphertexts.windows(2).all(|w| w[0] == w[1]),
        "different ciphertexts after a round trip"
    );
    for message in pending {
        let results: Vec<_> = sessions.iter_mut().map(|s| s.decrypt(message)).collect();
        assert!(
            results.windows(2).all(|w| w[0] == w[1]),
            "different decryptions after a round trip"
        );
    }
    let pickles: Vec<_> = sessions
        .iter()
        .map(|s| s.to_libolm_pickle(LIBOLM_KEY).unwrap())
        .collect();
    assert!(pickles.windows(2).all(|w| w[0] == w[1]));
}

proptest! {
    #![proptest_config(support::explore::config(48, 0x91c7e))]

    #[test]
    fn olm_objects_round_trip(seed in any::<u64>(), script in prop::collection::vec(0u8..7, 0..40)) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let alice = Account::new_with_rng(&mut rng);
        let mut bob = Account::new_with_rng(&mut rng);
        bob.generate_one_time_keys_with_rng(2, &mut rng);
        let otk = *bob.one_time_keys().values().next().unwrap();
        let mut to_bob = alice
            .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut rng)
            .unwrap();
        let OlmMessage::PreKey(first) = to_bob.encrypt_with_rng("first", &mut rng) else { panic!() };
        let mut to_alice = bob.create_inbound_session(alice.curve25519_key(), &first).unwrap().session;

        let (mut for_bob, mut for_alice): (Vec<OlmMessage>, Vec<OlmMessage>) = (vec![], vec![]);
        for op in script {
            match op {
                0 => for_bob.push(to_bob.encrypt_with_rng([op], &mut rng)),
                1 => for_alice.push(to_alice.encrypt_with_rng([op], &mut rng)),
                2 if !for_bob.is_empty() => {
                    let message = for_bob.remove(rng.random_range(0..for_bob.len()));
                    to_alice.decrypt(&message).unwrap();
                }
                3 if !for_alice.is_empty() => {
                    let message = for_alice.remove(rng.random_range(0..for_alice.len()));
                    to_bob.decrypt(&message).unwrap();
                }
                4 => { bob.generate_one_time_keys_with_rng(rng.random_range(1..4), &mut rng); }
                5 => { bob.generate_fallback_key_with_rng(&mut rng); }
                _ => bob.mark_keys_as_published(),
            }
        }

        for account in [&alice, &bob] {
            for copy in account_copies(account, &mut rng) {
                assert_same_account(account, &copy);
            }
            let held = vodozemac_account(account);
            prop_assert_eq!(held.identity_keys(), account.identity_keys());
            prop_assert_eq!(held.stored_one_time_key_count(), account.stored_one_time_key_count());
            let copies = account_copies(&held, &mut rng);
            for copy in copies.iter().chain([&vodozemac_account(&held)]) {
                assert_same_account(&held, copy);
            }
        }
        let next: u64 = rng.random();
        for (session, pending) in [(to_bob, &for_alice), (to_alice, &for_bob)] {
            let held = vodozemac_session(&session);
            let again = vodozemac_session(&held);
            let [a, b] = session_copies(&held, &mut rng);
            assert_same_sessions(&mut [held, again, a, b], pending, next);
            let [a, b] = session_copies(&session, &mut rng);
            assert_same_sessions(&mut [session, a, b], pending, next);
        }
    }

    #[test]
    fn megolm_sessions_round_trip(seed in any::<u64>(), sent in 0usize..40, joined_at in 0usize..40, reads in prop::collection::vec(any::<prop::sample::Index>(), 0..20)) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let mut outbound = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng);
        let mut inbound = None;
        let mut messages: Vec<MegolmMessage> = vec![];
        for i in 0..sent {
            if i == joined_at {
                inbound = Some(InboundGroupSession::new(&outbound.session_key(), MegolmConfig::version_1()));
            }
            messages.push(outbound.encrypt(i.to_be_bytes()));
        }
        let mut inbound = inbound.unwrap_or_else(|| InboundGroupSession::new(&outbound.session_key(), MegolmConfig::version_1()));
        // Reads move the inbound ratchet; each succeeds exactly from the
        // index the session joined at.
        let first = inbound.first_known_index() as usize;
        for read in &reads {
            if !messages.is_empty() {
                let index = read.index(messages.len());
                match inbound.decrypt(&messages[index]) {
                    Ok(decrypted) => prop_assert!(index >= first && decrypted.plaintext[..] == index.to_be_bytes()[..]),
                    Err(e) => prop_assert!(index < first, "message {} from index {}: {:?}", index, first, e),
                }
            }
        }
        let mut imported = InboundGroupSession::import(&inbound.export_at_first_known_index(), MegolmConfig::version_1());

        let mut outbound_copies = vec![
            GroupSession::from_pickle(&outbound.pickle_with_rng(KEY, &mut rng), KEY).unwrap(),
            GroupSession::from_libolm_pickle(&outbound.to_libolm_pickle(LIBOLM_KEY).unwrap(), LIBOLM_KEY).unwrap(),
            via_vodozemac(&outbound, |s| s.to_vodozemac_pickle(KEY), |p| GroupSession::from_vodozemac_pickle(p, KEY).unwrap()),
        ];
        let next = outbound.encrypt("next");
        for copy in &mut outbound_copies {
            prop_assert_eq!(copy.encrypt("next").to_bytes(), next.to_bytes());
            prop_assert_eq!(copy.session_key().to_bytes(), outbound.session_key().to_bytes());
        }
        messages.push(next);

        for session in [&mut inbound, &mut imported] {
            let mut copies = vec![
                InboundGroupSession::from_pickle(&session.pickle_with_rng(KEY, &mut rng), KEY).unwrap(),
                InboundGroupSession::from_libolm_pickle(&session.to_libolm_pickle(LIBOLM_KEY).unwrap(), LIBOLM_KEY).unwrap(),
                via_vodozemac(&*session, |s| s.to_vodozemac_pickle(KEY), |p| InboundGroupSession::from_vodozemac_pickle(p, KEY).unwrap()),
            ];
            for copy in &copies {
                prop_assert_eq!(copy.session_id(), session.session_id());
                prop_assert_eq!(copy.first_known_index(), session.first_known_index());
                prop_assert_eq!(copy.is_verified(), session.is_verified());
            }
            // libolm's format keeps the latest-ratchet cache, ours leaves it
            // out (the decryptions below show nothing else changes).
            prop_assert_eq!(
                copies[1].to_libolm_pickle(LIBOLM_KEY).unwrap(),
                session.to_libolm_pickle(LIBOLM_KEY).unwrap()
            );
            for message in &messages {
                let expected = session.decrypt(message);
                for copy in &mut copies {
                    prop_assert_eq!(copy.decrypt(message), expected.clone());
                }
            }
            let index = session.first_known_index().wrapping_add(3);
            for copy in &copies {
                prop_assert_eq!(
                    copy.export_at(index).map(|k| k.to_bytes()),
                    session.export_at(index).map(|k| k.to_bytes())
                );
            }
        }
    }
}
