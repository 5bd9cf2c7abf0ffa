//! Property tests added for the security hardening (issue 7), beside those in
//! `olm_properties.rs`, `pickle_properties.rs` and `megolm_bad_input.rs`:
//!
//! - any delivery order of a Megolm batch, with replays mixed in, decrypts
//!   every message, and the application's `ReplayGuard` accepts each index
//!   once per event and flags the replays;
//! - any single bit flip of any message — Olm pre-key (to the account, and to
//!   an existing session routed by session id as clients do), Olm normal,
//!   Megolm — is refused and leaves every piece of state unchanged, proven
//!   by byte equality of libolm's deterministic pickles before and after;
//! - encode ∘ decode is the identity on every message and key type, in both
//!   directions (bytes → value → bytes, and value → bytes → value);
//! - `PkDecryption` keys round-trip through both pickle formats.
//!
//! 64 cases each under a fixed seed, or the random run of
//! `tests/support/explore.rs`.
#![cfg(feature = "libolm-compat")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use olm::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature, KeyId,
    megolm::{
        ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, ReplayGuard,
        SessionConfig as MegolmConfig, SessionKey,
    },
    olm::{Account, Message, OlmMessage, PreKeyMessage, Session, SessionConfig},
    pk::{PkDecryption, PkEncryption, PkMessage},
    sas::{Mac, Sas},
};
use proptest::{collection::vec, prelude::*, sample::Index};
use rand::rngs::StdRng;
use support::{flip, permutation, rng};

/// 64 cases from a fixed seed, or the random run (`tests/support/explore.rs`).
fn config() -> ProptestConfig {
    support::explore::config(64, 0x75ec)
}

const KEY: &[u8] = b"state";

/// Alice and Bob after a pre-key message, a reply and an answer, with one
/// more pre-key message of Alice's (sent before the reply) still pending.
struct Olm {
    alice_account: Account,
    bob_account: Account,
    alice: Session,
    bob: Session,
    /// A pre-key message to Bob's existing session, not yet delivered.
    pending_pre_key: OlmMessage,
    rng: StdRng,
}

fn olm_pair(seed: u64) -> Olm {
    let mut r = rng(seed);
    let alice_account = Account::new_with_rng(&mut r);
    let mut bob_account = Account::new_with_rng(&mut r);
    bob_account.generate_one_time_keys_with_rng(2, &mut r);
    let otk = *bob_account.one_time_keys().values().next().unwrap();
    bob_account.mark_keys_as_published();
    let mut alice = alice_account
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob_account.curve25519_key(), otk, &mut r)
        .unwrap();
    let OlmMessage::PreKey(first) = alice.encrypt_with_rng("first", &mut r) else {
        unreachable!()
    };
    let pending_pre_key = alice.encrypt_with_rng("second", &mut r);
    let mut bob = bob_account
        .create_inbound_session(alice_account.curve25519_key(), &first)
        .unwrap()
        .session;
    let reply = bob.encrypt_with_rng("reply", &mut r);
    alice.decrypt(&reply).unwrap();
    Olm {
        alice_account,
        bob_account,
        alice,
        bob,
        pending_pre_key,
        rng: r,
    }
}

/// Bob's whole state, as libolm's deterministic pickles.
fn bob_state(olm: &Olm) -> (String, String) {
    (
        olm.bob_account.to_libolm_pickle(KEY).unwrap().to_string(),
        olm.bob.to_libolm_pickle(KEY).unwrap().to_string(),
    )
}

/// What a client does with an Olm message from a known sender: a pre-key
/// message goes to the session with its session id or else creates one; a
/// normal message goes to the session.
fn client_receive(olm: &mut Olm, message: &OlmMessage) -> Result<Vec<u8>, String> {
    match message {
        OlmMessage::PreKey(m) if m.session_id() != olm.bob.session_id() => olm
            .bob_account
            .create_inbound_session(olm.alice_account.curve25519_key(), m)
            .map(|created| created.plaintext)
            .map_err(|e| format!("{e:?}")),
        _ => olm.bob.decrypt(message).map_err(|e| format!("{e:?}")),
    }
}

fn flipped_olm(message: &OlmMessage, bit: Index) -> Option<OlmMessage> {
    let (kind, bytes) = message.to_parts();
    OlmMessage::from_parts(kind, &flip(&bytes, bit.index(bytes.len() * 8))).ok()
}

fn bit_flips(seed: u64, picks: [Index; 4]) -> Result<(), TestCaseError> {
    let mut olm = olm_pair(seed);

    // A pre-key message that would create a new session: flipped, it
    // creates none and leaves the account as it was.
    let mut r = rng(seed ^ 1);
    let carol = Account::new_with_rng(&mut r);
    let otk = *olm
        .bob_account
        .one_time_keys()
        .values()
        .next()
        .unwrap_or(&olm.bob_account.generate_one_time_keys_with_rng(1, &mut r).created[0]);
    let mut to_bob = carol
        .create_outbound_session_with_rng(
            SessionConfig::version_1(),
            olm.bob_account.curve25519_key(),
            otk,
            &mut r,
        )
        .unwrap();
    let OlmMessage::PreKey(opening) = to_bob.encrypt_with_rng("carol", &mut r) else {
        unreachable!()
    };
    let before = olm.bob_account.to_libolm_pickle(KEY).unwrap();
    let bytes = opening.to_bytes();
    if let Ok(flipped) = PreKeyMessage::from_bytes(&flip(&bytes, picks[0].index(bytes.len() * 8))) {
        prop_assert!(
            olm.bob_account
                .create_inbound_session(carol.curve25519_key(), &flipped)
                .is_err()
        );
    }
    prop_assert_eq!(olm.bob_account.to_libolm_pickle(KEY).unwrap(), before);
    prop_assert!(
        olm.bob_account
            .create_inbound_session(carol.curve25519_key(), &opening)
            .is_ok()
    );

    // A pre-key message to the existing session, and a normal message.
    let answer = olm.alice.encrypt_with_rng("answer", &mut olm.rng);
    prop_assert!(matches!(answer, OlmMessage::Normal(_)));
    for (message, pick, plaintext) in [
        (olm.pending_pre_key.clone(), picks[1], &b"second"[..]),
        (answer, picks[2], &b"answer"[..]),
    ] {
        let before = bob_state(&olm);
        if let Some(flipped) = flipped_olm(&message, pick) {
            let result = client_receive(&mut olm, &flipped);
            prop_assert!(result.is_err(), "a flipped message decrypted: {:?}", result);
        }
        prop_assert_eq!(bob_state(&olm), before);
        prop_assert_eq!(client_receive(&mut olm, &message).unwrap(), plaintext.to_vec());
    }

    // Megolm.
    let mut r = rng(seed ^ 2);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let mut inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let message = group.encrypt("room");
    let before = inbound.to_libolm_pickle(KEY).unwrap();
    let bytes = message.to_bytes();
    if let Ok(flipped) = MegolmMessage::from_bytes(&flip(&bytes, picks[3].index(bytes.len() * 8))) {
        prop_assert!(inbound.decrypt(&flipped).is_err());
    }
    prop_assert_eq!(inbound.to_libolm_pickle(KEY).unwrap(), before);
    prop_assert_eq!(inbound.decrypt(&message).unwrap().plaintext, b"room".to_vec());
    Ok(())
}

fn megolm_order(seed: u64, order: &[usize], replays: &[Index]) -> Result<(), TestCaseError> {
    let mut r = rng(seed);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let mut inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let session_id = inbound.session_id();
    let batch: Vec<(MegolmMessage, Vec<u8>)> = (0..order.len())
        .map(|i| {
            let text = format!("message {i}").into_bytes();
            (group.encrypt(&text), text)
        })
        .collect();
    let mut guard = ReplayGuard::new();
    // The model of the guard: the event that first used each index.
    let mut first_use: Vec<Option<String>> = vec![None; batch.len()];
    let mut deliver = |inbound: &mut InboundGroupSession, j: usize, event: String| -> Result<(), TestCaseError> {
        // Megolm itself decrypts every copy, in any order.
        let decrypted = inbound.decrypt(&batch[j].0).unwrap();
        prop_assert_eq!(&decrypted.plaintext, &batch[j].1);
        prop_assert_eq!(decrypted.message_index, j as u32);
        let result = guard.record(&session_id, decrypted.message_index, &event);
        match &first_use[j] {
            Some(first) => prop_assert_eq!(result.is_err(), *first != event, "index {}", j),
            None => {
                prop_assert!(result.is_ok());
                first_use[j] = Some(event);
            }
        }
        Ok(())
    };
    for (step, &i) in order.iter().enumerate() {
        deliver(&mut inbound, i, format!("$event{i}"))?;
        // The same event again is fine; another event at a used index is a
        // replay.
        if let Some(pick) = replays.get(step) {
            let j = pick.index(batch.len());
            deliver(&mut inbound, j, format!("$replay{step}"))?;
            deliver(&mut inbound, j, format!("$event{j}"))?;
        }
    }
    prop_assert_eq!(guard.len(), batch.len());
    Ok(())
}

/// encode ∘ decode on every message and key type.
fn round_trips(seed: u64, plaintext: &[u8]) -> Result<(), TestCaseError> {
    let mut olm = olm_pair(seed);
    let mut r = rng(seed ^ 3);
    let messages = [
        olm.pending_pre_key.clone(),
        olm.alice.encrypt_with_rng(plaintext, &mut olm.rng),
        olm.bob.encrypt_with_rng(plaintext, &mut olm.rng),
    ];
    for message in &messages {
        let (kind, bytes) = message.to_parts();
        let parsed = OlmMessage::from_parts(kind, &bytes).unwrap();
        prop_assert_eq!(&parsed, message);
        prop_assert_eq!(parsed.to_parts(), (kind, bytes.clone()));
        prop_assert_eq!(&OlmMessage::from_base64(kind, &message.to_base64()).unwrap(), message);
        match message {
            OlmMessage::Normal(m) => {
                prop_assert_eq!(&Message::from_bytes(&m.to_bytes()).unwrap(), m);
                prop_assert_eq!(Message::from_bytes(&bytes).unwrap().to_bytes(), bytes);
            }
            OlmMessage::PreKey(m) => {
                prop_assert_eq!(&PreKeyMessage::from_bytes(&m.to_bytes()).unwrap(), m);
                prop_assert_eq!(PreKeyMessage::from_bytes(&bytes).unwrap().to_bytes(), bytes);
                let inner = m.message();
                prop_assert_eq!(&Message::from_bytes(inner.as_bytes()).unwrap(), inner);
            }
        }
    }

    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let message = group.encrypt(plaintext);
    prop_assert_eq!(&MegolmMessage::from_bytes(&message.to_bytes()).unwrap(), &message);
    prop_assert_eq!(&MegolmMessage::from_base64(&message.to_base64()).unwrap(), &message);
    let session_key = group.session_key();
    let bytes = session_key.to_bytes();
    prop_assert_eq!(SessionKey::from_bytes(&bytes).unwrap().to_bytes(), bytes.clone());
    prop_assert_eq!(
        SessionKey::from_base64(&session_key.to_base64()).unwrap().to_bytes(),
        bytes
    );
    let export = InboundGroupSession::new(&session_key, MegolmConfig::version_1())
        .export_at(1)
        .unwrap();
    let bytes = export.to_bytes();
    prop_assert_eq!(
        ExportedSessionKey::from_bytes(&bytes).unwrap().to_bytes(),
        bytes.clone()
    );
    prop_assert_eq!(
        ExportedSessionKey::from_base64(&export.to_base64()).unwrap().to_bytes(),
        bytes
    );

    let curve = Curve25519SecretKey::new_with_rng(&mut r);
    prop_assert_eq!(
        Curve25519SecretKey::from_base64(&curve.to_base64()).unwrap().to_bytes(),
        curve.to_bytes()
    );
    prop_assert_eq!(
        Curve25519SecretKey::from_bytes(&curve.to_bytes()).to_bytes(),
        curve.to_bytes()
    );
    let public = curve.public_key();
    prop_assert_eq!(Curve25519PublicKey::from_base64(&public.to_base64()).unwrap(), public);
    prop_assert_eq!(Curve25519PublicKey::from_slice(&public.to_vec()).unwrap(), public);
    let ed = Ed25519SecretKey::new_with_rng(&mut r);
    prop_assert_eq!(
        Ed25519SecretKey::from_base64(&ed.to_base64()).unwrap().to_bytes(),
        ed.to_bytes()
    );
    let public = ed.public_key();
    prop_assert_eq!(Ed25519PublicKey::from_base64(&public.to_base64()).unwrap(), public);
    prop_assert_eq!(Ed25519PublicKey::from_slice(&public.to_bytes()).unwrap(), public);
    let signature = ed.sign(plaintext);
    prop_assert_eq!(
        Ed25519Signature::from_base64(&signature.to_base64()).unwrap(),
        signature
    );
    prop_assert_eq!(Ed25519Signature::from_slice(&signature.to_bytes()).unwrap(), signature);
    let id = KeyId::new(u32::from_le_bytes([plaintext.len() as u8, 1, 2, 3]));
    prop_assert_eq!(KeyId::from_base64(&id.to_base64()).unwrap(), id);
    let wide = KeyId::new_wide(u64::from_le_bytes([plaintext.len() as u8, 1, 2, 3, 4, 5, 6, 7]));
    prop_assert_eq!(KeyId::from_base64(&wide.to_base64()).unwrap(), wide);

    let sas = Sas::new_with_rng(&mut r)
        .diffie_hellman(Sas::new_with_rng(&mut r).public_key())
        .unwrap();
    let mac = sas.calculate_mac(plaintext, "info");
    prop_assert_eq!(Mac::from_base64(&mac.to_base64()).unwrap().to_base64(), mac.to_base64());
    let pk = PkEncryption::from(&PkDecryption::new_with_rng(&mut r)).encrypt_with_rng(plaintext, &mut r);
    let again = PkMessage::from_base64(&pk.ciphertext_base64(), &pk.mac_base64(), &pk.ephemeral_key_base64()).unwrap();
    prop_assert_eq!(again, pk);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn megolm_any_delivery_order_decrypts_each_index_once(
        seed in any::<u64>(),
        order in (1usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle()),
        replays in vec(any::<Index>(), 0..20),
    ) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        megolm_order(seed, &order, &replays)?;
    }

    #[test]
    fn any_single_bit_flip_of_any_message_is_refused_and_changes_nothing(
        seed in any::<u64>(),
        picks in any::<[Index; 4]>(),
    ) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        bit_flips(seed, picks)?;
    }

    #[test]
    fn encode_decode_is_the_identity_on_every_message_and_key(
        seed in any::<u64>(),
        plaintext in vec(any::<u8>(), 0..100),
    ) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        round_trips(seed, &plaintext)?;
    }

    #[test]
    fn pk_decryption_keys_round_trip_through_both_pickle_formats(seed in any::<u64>()) {
        if support::explore::budget_spent() {
            return Ok(());
        }
        let mut r = rng(seed);
        let key = PkDecryption::new_with_rng(&mut r);
        let message = PkEncryption::from(&key).encrypt_with_rng(b"backup", &mut r);
        let ours = PkDecryption::from_pickle(&key.pickle_with_rng(&[7; 32], &mut r), &[7; 32]).unwrap();
        let libolm = PkDecryption::from_libolm_pickle(&key.to_libolm_pickle(KEY).unwrap(), KEY).unwrap();
        for copy in [ours, libolm] {
            prop_assert_eq!(copy.public_key(), key.public_key());
            prop_assert_eq!(copy.to_bytes(), key.to_bytes());
            prop_assert_eq!(copy.to_libolm_pickle(KEY).unwrap(), key.to_libolm_pickle(KEY).unwrap());
            prop_assert_eq!(copy.decrypt(&message).unwrap(), b"backup".to_vec());
        }
        let _ = permutation(0, &mut r);
    }
}
