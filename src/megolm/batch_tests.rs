//! `InboundGroupSession::decrypt_batch`: the same results and the same final
//! state as `decrypt` one message at a time, failures isolated, and the one
//! documented way in which batch verification is looser than strict
//! verification.
// Compared through libolm's deterministic pickle, keyed with the OS generator.
#![cfg(all(feature = "std", feature = "libolm-compat"))]

use crate::alloc::string::ToString;
use alloc::{vec, vec::Vec};

use curve25519_dalek::{
    constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION},
    edwards::EdwardsPoint,
    scalar::Scalar,
    traits::IsIdentity,
};
use rand::{Rng, RngExt, seq::SliceRandom};
use sha2::{Digest, Sha512};

use super::*;
use crate::{
    Ed25519Keypair, Ed25519SecretKey,
    encoding::proto::{write_bytes_field, write_varint_field},
};

fn config() -> SessionConfig {
    SessionConfig::version_1()
}

/// A sender with a fixed signing key, so that tests can sign by hand.
fn sender() -> GroupSession {
    let mut rng = rand::rng();
    let mut ratchet = crate::types::SecretBox::<{ ratchet::RATCHET_LEN }>::zeroed();
    rng.fill_bytes(ratchet.as_mut_bytes());
    GroupSession::from_parts(
        ratchet::Ratchet::new(ratchet, 0),
        Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(&rng.random())),
        config(),
    )
}

/// The state `decrypt_batch` and `decrypt` must agree on: the cache's index
/// and the whole session in libolm's (deterministic) pickle.
fn state(session: &InboundGroupSession) -> (u32, alloc::string::String) {
    (
        session.latest_index(),
        session.to_libolm_pickle(b"k").unwrap().to_string(),
    )
}

fn assert_same_as_one_by_one(session: &InboundGroupSession, messages: &[MegolmMessage]) {
    let pickle = session.to_libolm_pickle(b"k").unwrap();
    let mut batch = InboundGroupSession::from_libolm_pickle(&pickle, b"k").unwrap();
    let mut single = InboundGroupSession::from_libolm_pickle(&pickle, b"k").unwrap();
    let batched = batch.decrypt_batch(messages);
    let one_by_one: Vec<_> = messages.iter().map(|m| single.decrypt(m)).collect();
    assert_eq!(batched, one_by_one);
    assert_eq!(state(&batch), state(&single));
}

/// `message`'s signed bytes with a new signature.
fn resigned(message: &MegolmMessage, signature: &[u8; 64]) -> MegolmMessage {
    let (signed, _) = message.signature_parts();
    let mut bytes = signed.to_vec();
    bytes.extend_from_slice(signature);
    MegolmMessage::from_bytes(&bytes).unwrap()
}

/// A correctly signed message at the sender's index whose MAC is wrong.
fn bad_mac(sender: &GroupSession) -> MegolmMessage {
    let mut bytes = vec![3];
    write_varint_field(&mut bytes, 1, sender.message_index().into());
    write_bytes_field(&mut bytes, 2, &[0x5a; 32]);
    bytes.extend_from_slice(&[0; 8]);
    let signature = sender.signing_key_pair_for_tests().sign(&bytes);
    bytes.extend_from_slice(signature.as_bytes());
    MegolmMessage::from_bytes(&bytes).unwrap()
}

#[test]
fn agrees_with_decrypt_on_good_and_bad_messages() {
    let mut rng = rand::rng();
    let mut outbound = sender();
    let key = outbound.session_key();
    let mut messages: Vec<MegolmMessage> = (0..300u32).map(|i| outbound.encrypt(i.to_le_bytes())).collect();

    // Every kind of failure, each in its own spot.
    let mut bad = Vec::new();
    let mut flipped = messages[7].to_bytes();
    let last = flipped.len() - 1;
    flipped[last - 40] ^= 1; // inside R
    bad.push(MegolmMessage::from_bytes(&flipped).unwrap());
    let mut flipped = messages[8].to_bytes();
    flipped[20] ^= 1; // ciphertext: the signature no longer covers it
    bad.push(MegolmMessage::from_bytes(&flipped).unwrap());
    bad.push(sender().encrypt("another session"));
    bad.push(bad_mac(&outbound));
    let mut padding = vec![3];
    write_varint_field(&mut padding, 1, outbound.message_index().into());
    let keys = outbound.ratchet().cipher_keys();
    // Not a whole number of blocks: refused after the MAC, as bad padding.
    write_bytes_field(&mut padding, 2, &[0x11; 15]);
    let mac = keys.mac(&padding);
    padding.extend_from_slice(&mac[..8]);
    let signature = outbound.signing_key_pair_for_tests().sign(&padding);
    padding.extend_from_slice(signature.as_bytes());
    bad.push(MegolmMessage::from_bytes(&padding).unwrap());
    // S + ℓ: a non-canonical scalar, refused before batching.
    let (_, signature) = messages[9].signature_parts();
    let s = Scalar::from_canonical_bytes(signature[32..].try_into().unwrap()).unwrap();
    let mut wide = [0u8; 32];
    let mut carry = 0u16;
    let ell = (Scalar::ZERO - Scalar::ONE).to_bytes();
    for i in 0..32 {
        let sum = u16::from(s.as_bytes()[i]) + u16::from(ell[i]) + carry + u16::from(i == 0);
        wide[i] = sum as u8;
        carry = sum >> 8;
    }
    let mut non_canonical = *signature;
    non_canonical[32..].copy_from_slice(&wide);
    bad.push(resigned(&messages[9], &non_canonical));
    messages.extend(bad);
    // Replays and a shuffled order.
    messages.push(messages[3].clone());
    messages.push(messages[299].clone());
    messages.shuffle(&mut rng);

    let fresh = InboundGroupSession::new(&key, config());
    assert_same_as_one_by_one(&fresh, &messages);
    let results = fresh.to_libolm_pickle(b"k").unwrap();
    let mut session = InboundGroupSession::from_libolm_pickle(&results, b"k").unwrap();
    let results = session.decrypt_batch(&messages);
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 6);
    for expected in [
        DecryptionError::Signature,
        DecryptionError::InvalidMac,
        DecryptionError::InvalidPadding,
    ] {
        assert!(
            results.iter().any(|r| r.as_ref().err() == Some(&expected)),
            "{expected:?}"
        );
    }
    assert_eq!(session.latest_index(), 299);

    // A session known from index 100 with its cache ahead at 150: earlier
    // messages are unknown, the others start from the nearer ratchet.
    let mut late = InboundGroupSession::import(&session.export_at(100).unwrap(), config());
    let at_150 = messages.iter().find(|m| m.message_index() == 150).unwrap().clone();
    late.decrypt(&at_150).unwrap();
    assert_eq!(late.latest_index(), 150);
    assert_same_as_one_by_one(&late, &messages);
    let results = late.decrypt_batch(&messages);
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(DecryptionError::UnknownMessageIndex(100, _))))
    );

    // Small batches, empty ones and a cache that must not move.
    assert_same_as_one_by_one(&fresh, &messages[..3]);
    assert_same_as_one_by_one(&fresh, &[]);
    let old: Vec<_> = messages.iter().filter(|m| m.message_index() < 120).cloned().collect();
    assert_same_as_one_by_one(&late, &old);
}

#[test]
fn one_bad_signature_fails_alone() {
    let mut outbound = sender();
    let mut session = InboundGroupSession::new(&outbound.session_key(), config());
    let mut messages: Vec<MegolmMessage> = (0..600u32).map(|i| outbound.encrypt(i.to_le_bytes())).collect();
    let mut bytes = messages[450].to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    messages[450] = MegolmMessage::from_bytes(&bytes).unwrap();
    let results = session.decrypt_batch(&messages);
    for (i, result) in results.iter().enumerate() {
        if i == 450 {
            assert_eq!(result, &Err(DecryptionError::Signature));
        } else {
            assert_eq!(result.as_ref().unwrap().plaintext, (i as u32).to_le_bytes());
        }
    }
}

/// Signs `signed` with the secret of `pair` but with the nonce point
/// `[r]B + torsion`, the way only the key's holder can: the resulting `S`
/// satisfies the verification equation up to the torsion point.
fn sign_with_torsion(pair: &Ed25519Keypair, signed: &[u8], r: Scalar, torsion: EdwardsPoint) -> [u8; 64] {
    let expanded = pair.expanded_bytes();
    let mut clamped = [0u8; 32];
    clamped.copy_from_slice(&expanded.as_bytes()[..32]);
    let a = Scalar::from_bytes_mod_order(clamped);
    let public = pair.public_key();
    assert_eq!((ED25519_BASEPOINT_POINT * a).compress().to_bytes(), public.to_bytes());
    let big_r = (ED25519_BASEPOINT_POINT * r + torsion).compress();
    let k = Scalar::from_hash(
        Sha512::new()
            .chain_update(big_r.as_bytes())
            .chain_update(public.as_bytes())
            .chain_update(signed),
    );
    let s = r + k * a;
    let mut signature = [0u8; 64];
    signature[..32].copy_from_slice(big_r.as_bytes());
    signature[32..].copy_from_slice(s.as_bytes());
    signature
}

/// The documented gap (docs/security.md, "Batch verification (Megolm
/// history)"): a signature whose `R` has an order-2 component verifies in
/// the batch whenever its 128-bit weight is even, but never strictly. Making
/// it took the session's signing secret.
#[test]
fn torsion_in_r_passes_the_batch_but_not_strict_verification() {
    let mut rng = rand::rng();
    let order_two = EIGHT_TORSION[4];
    assert!(order_two.is_small_order() && !order_two.is_identity());
    assert!((order_two + order_two).is_identity());

    let mut outbound = sender();
    let key = outbound.session_key();
    let honest: Vec<MegolmMessage> = (0..16u32).map(|i| outbound.encrypt(i.to_le_bytes())).collect();
    let pair = outbound.signing_key_pair_for_tests();

    let mut accepted_by_batch = 0;
    for attempt in 0..40u32 {
        let mut sender_copy = copy_of(&outbound);
        let message = sender_copy.encrypt(attempt.to_le_bytes());
        let (signed, _) = message.signature_parts();
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        let r = Scalar::from_bytes_mod_order_wide(&wide);
        let crafted = resigned(&message, &sign_with_torsion(pair, signed, r, order_two));

        // Strict verification (`decrypt`) always refuses it.
        let mut strict = InboundGroupSession::new(&key, config());
        assert_eq!(strict.decrypt(&crafted), Err(DecryptionError::Signature));

        let mut batch = honest.clone();
        batch.push(crafted);
        let mut session = InboundGroupSession::new(&key, config());
        let results = session.decrypt_batch(&batch);
        for (i, result) in results.iter().take(16).enumerate() {
            assert_eq!(result.as_ref().unwrap().plaintext, (i as u32).to_le_bytes());
        }
        match results.last().unwrap() {
            Ok(decrypted) => {
                assert_eq!(decrypted.plaintext, attempt.to_le_bytes());
                accepted_by_batch += 1;
            }
            // The weight was odd: the batch failed, and one-by-one strict
            // verification refused exactly this message.
            Err(error) => assert_eq!(error, &DecryptionError::Signature),
        }
    }
    // Each attempt passes with probability 1/2; all 40 failing has
    // probability 2^-40.
    assert!(accepted_by_batch > 0);

    // An R of small order is refused before batching, as strictly.
    for torsion in EIGHT_TORSION {
        let message = copy_of(&outbound).encrypt("small order R");
        let (signed, _) = message.signature_parts();
        let mut signature = sign_with_torsion(pair, signed, Scalar::ZERO, torsion);
        let mut batch = honest.clone();
        batch.push(resigned(&message, &signature));
        let mut session = InboundGroupSession::new(&key, config());
        assert_eq!(
            session.decrypt_batch(&batch).last().unwrap(),
            &Err(DecryptionError::Signature)
        );
        // The same R with its sign bit flipped (non-canonical for x = 0).
        signature[31] ^= 0x80;
        batch.pop();
        batch.push(resigned(&message, &signature));
        assert_eq!(
            session.decrypt_batch(&batch).last().unwrap(),
            &Err(DecryptionError::Signature)
        );
    }
}

/// A copy of `outbound` (same ratchet, index and key).
fn copy_of(outbound: &GroupSession) -> GroupSession {
    GroupSession::from_libolm_pickle(&outbound.to_libolm_pickle(b"k").unwrap(), b"k").unwrap()
}

#[test]
fn small_order_table_matches_the_torsion_subgroup() {
    use crate::types::small_order_y_coordinates;
    for point in EIGHT_TORSION {
        let mut y = point.compress().to_bytes();
        y[31] &= 0x7f;
        assert!(small_order_y_coordinates().contains(&y), "{y:?}");
    }
    assert!(
        small_order_y_coordinates()
            .iter()
            .all(|y| EIGHT_TORSION.iter().any(|p| {
                let mut own = p.compress().to_bytes();
                own[31] &= 0x7f;
                &own == y
            }))
    );
}

/// The ratchet is walked once, upwards, from the nearer cache: a message
/// past the latest cache starts from that cache, not from where the walk
/// below it stopped. The results are the same either way, so the test
/// counts the ratchet's HMACs.
#[test]
fn the_walk_jumps_to_the_latest_cache_when_that_is_nearer() {
    let mut sender = sender();
    let mut session = InboundGroupSession::new(&sender.session_key(), config());
    let mut at = |index: u32| {
        sender.ratchet_mut_for_tests().advance_to(index);
        sender.encrypt("m")
    };
    let (early, cached, next) = (at(5), at(1000), at(1001));
    session.decrypt(&cached).unwrap();
    assert_eq!(session.latest_index(), 1000);
    let (results, hmacs) = ratchet::tests::hmacs_of(|| session.decrypt_batch(&[next, early]));
    assert!(results.iter().all(Result::is_ok));
    // 0 to 5 from the first known ratchet (4 rehashes, a reseed), then 1000
    // to 1001 from the cache (a reseed); from 5, it would take 242.
    assert_eq!(hmacs, 5 + 1);
}
