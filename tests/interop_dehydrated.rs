//! Dehydrated devices (MSC3814) between this crate and vodozemac 0.11.1:
//! a device dehydrated by either crate is restored by the other with the
//! same identity keys, and then opens Olm sessions from pre-key messages
//! sent to its one-time and fallback keys (by peers of both crates).
//!
//! Both crates also restore the same device to the same state: re-dehydrated
//! under one key, their payloads decrypt to identical bytes (same key order,
//! same fallback key). Wrong keys and altered ciphertexts are refused by both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use chacha20poly1305::{
    ChaCha20Poly1305, Nonce,
    aead::{Aead, KeyInit},
};
use olm::{
    Curve25519PublicKey,
    olm::{Account, DehydratedDeviceError, OlmMessage, SessionConfig},
};
use rand::{SeedableRng, rngs::StdRng};
use vodozemac::olm as vz;

const KEY: [u8; 32] = *b"a dehydration key of 32 bytes!!!";

fn to_vz(key: Curve25519PublicKey) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(key.to_bytes())
}

fn from_vz(key: vodozemac::Curve25519PublicKey) -> Curve25519PublicKey {
    Curve25519PublicKey::from_bytes(key.to_bytes())
}

/// The decrypted payload of a dehydrated device.
fn payload(ciphertext: &str, nonce: &str, key: &[u8; 32]) -> Vec<u8> {
    let nonce: [u8; 12] = olm::base64_decode(nonce).unwrap().try_into().unwrap();
    ChaCha20Poly1305::new(key.into())
        .decrypt(&Nonce::from(nonce), olm::base64_decode(ciphertext).unwrap().as_slice())
        .unwrap()
}

/// A peer of either crate that opens a session to a device and sends it one
/// pre-key message.
enum Peer {
    Ours(Account),
    Theirs(vz::Account),
}

impl Peer {
    fn both() -> [Peer; 2] {
        [Peer::Ours(Account::new()), Peer::Theirs(vz::Account::new())]
    }

    fn identity_key(&self) -> Curve25519PublicKey {
        match self {
            Peer::Ours(a) => a.curve25519_key(),
            Peer::Theirs(a) => from_vz(a.curve25519_key()),
        }
    }

    /// A pre-key message to `identity_key` through `one_time_key`, as
    /// (type, bytes).
    fn send(
        &self,
        identity_key: Curve25519PublicKey,
        one_time_key: Curve25519PublicKey,
        text: &[u8],
    ) -> (usize, Vec<u8>) {
        match self {
            Peer::Ours(a) => {
                let mut session = a
                    .create_outbound_session(SessionConfig::version_1(), identity_key, one_time_key)
                    .unwrap();
                session.encrypt(text).to_parts()
            }
            Peer::Theirs(a) => {
                let mut session = a
                    .create_outbound_session(vz::SessionConfig::version_1(), to_vz(identity_key), to_vz(one_time_key))
                    .unwrap();
                session.encrypt(text).unwrap().to_parts()
            }
        }
    }
}

fn receive_ours(account: &mut Account, sender: Curve25519PublicKey, message: &(usize, Vec<u8>)) -> Vec<u8> {
    let OlmMessage::PreKey(pre_key) = OlmMessage::from_parts(message.0, &message.1).unwrap() else {
        panic!("not a pre-key message");
    };
    account.create_inbound_session(sender, &pre_key).unwrap().plaintext
}

fn receive_theirs(account: &mut vz::Account, sender: Curve25519PublicKey, message: &(usize, Vec<u8>)) -> Vec<u8> {
    let vz::OlmMessage::PreKey(pre_key) = vz::OlmMessage::from_parts(message.0, &message.1).unwrap() else {
        panic!("not a pre-key message");
    };
    account
        .create_inbound_session(vz::SessionConfig::version_1(), to_vz(sender), &pre_key)
        .unwrap()
        .plaintext
}

#[test]
fn ours_restored_by_vodozemac() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut device = Account::new_with_rng(&mut rng);
    device.generate_one_time_keys_with_rng(10, &mut rng);
    device.generate_fallback_key_with_rng(&mut rng);
    let one_time_keys: Vec<Curve25519PublicKey> = device.one_time_keys().into_values().collect();
    let fallback_key = *device.fallback_key().values().next().unwrap();
    device.mark_keys_as_published();

    let dehydrated = device.to_dehydrated_device_with_rng(&KEY, &mut rng).unwrap();
    let mut restored = vz::Account::from_dehydrated_device(&dehydrated.ciphertext, &dehydrated.nonce, &KEY).unwrap();
    assert_eq!(from_vz(restored.curve25519_key()), device.curve25519_key());
    assert_eq!(restored.ed25519_key().to_base64(), device.ed25519_key().to_base64());
    assert_eq!(restored.stored_one_time_key_count(), 10);
    assert!(restored.one_time_keys().is_empty(), "restored keys count as published");
    assert!(
        restored.fallback_key().is_empty(),
        "the restored fallback key counts as published"
    );

    for (i, peer) in Peer::both().into_iter().enumerate() {
        for (n, key) in [one_time_keys[i], one_time_keys[9 - i], fallback_key]
            .into_iter()
            .enumerate()
        {
            let text = format!("to the rehydrated device, {i}/{n}");
            let message = peer.send(device.curve25519_key(), key, text.as_bytes());
            assert_eq!(
                receive_theirs(&mut restored, peer.identity_key(), &message),
                text.as_bytes()
            );
        }
    }
    assert_eq!(
        restored.stored_one_time_key_count(),
        6,
        "four one-time keys used, fallback kept"
    );
}

#[test]
fn vodozemac_restored_by_ours() {
    let mut device = vz::Account::new();
    device.generate_one_time_keys(10);
    device.generate_fallback_key();
    let one_time_keys: Vec<Curve25519PublicKey> = device.one_time_keys().into_values().map(from_vz).collect();
    let fallback_key = from_vz(*device.fallback_key().values().next().unwrap());
    device.mark_keys_as_published();

    let dehydrated = device.to_dehydrated_device(&KEY).unwrap();
    let mut restored = Account::from_dehydrated_device(&dehydrated.ciphertext, &dehydrated.nonce, &KEY).unwrap();
    let identity_key = from_vz(device.curve25519_key());
    assert_eq!(restored.curve25519_key(), identity_key);
    assert_eq!(restored.ed25519_key().to_base64(), device.ed25519_key().to_base64());
    assert_eq!(restored.stored_one_time_key_count(), 10);
    assert!(restored.one_time_keys().is_empty(), "restored keys count as published");
    assert!(
        restored.fallback_key().is_empty(),
        "the restored fallback key counts as published"
    );
    assert_eq!(restored.sign("hello").to_base64(), device.sign("hello").to_base64());

    for (i, peer) in Peer::both().into_iter().enumerate() {
        for (n, key) in [one_time_keys[i], one_time_keys[9 - i], fallback_key]
            .into_iter()
            .enumerate()
        {
            let text = format!("to the rehydrated device, {i}/{n}");
            let message = peer.send(identity_key, key, text.as_bytes());
            assert_eq!(
                receive_ours(&mut restored, peer.identity_key(), &message),
                text.as_bytes()
            );
        }
    }
    assert_eq!(
        restored.stored_one_time_key_count(),
        6,
        "four one-time keys used, fallback kept"
    );

    // New keys continue after the restored ids, as vodozemac's would.
    let created = restored.generate_one_time_keys_with_rng(1, &mut StdRng::seed_from_u64(2));
    assert_eq!(created.created.len(), 1);
    assert_eq!(restored.one_time_keys().keys().next().unwrap().value(), 10);
}

#[test]
fn both_restore_the_same_state() {
    let mut rng = StdRng::seed_from_u64(3);
    // One device from each crate, with and without a fallback key.
    let mut devices = Vec::new();
    for fallback in [false, true] {
        let mut ours = Account::new_with_rng(&mut rng);
        ours.generate_one_time_keys_with_rng(7, &mut rng);
        let mut theirs = vz::Account::new();
        theirs.generate_one_time_keys(7);
        if fallback {
            ours.generate_fallback_key_with_rng(&mut rng);
            theirs.generate_fallback_key();
        }
        let ours = ours.to_dehydrated_device_with_rng(&KEY, &mut rng).unwrap();
        let theirs = theirs.to_dehydrated_device(&KEY).unwrap();
        devices.push((ours.ciphertext, ours.nonce));
        devices.push((theirs.ciphertext, theirs.nonce));
    }
    let again = [7u8; 32];
    for (ciphertext, nonce) in devices {
        let original = payload(&ciphertext, &nonce, &KEY);
        let by_us = Account::from_dehydrated_device(&ciphertext, &nonce, &KEY)
            .unwrap()
            .to_dehydrated_device_with_rng(&again, &mut rng)
            .unwrap();
        let by_them = vz::Account::from_dehydrated_device(&ciphertext, &nonce, &KEY)
            .unwrap()
            .to_dehydrated_device(&again)
            .unwrap();
        let by_us = payload(&by_us.ciphertext, &by_us.nonce, &again);
        let by_them = payload(&by_them.ciphertext, &by_them.nonce, &again);
        assert_eq!(by_us, by_them);
        assert_eq!(by_us, original, "restoring and dehydrating again changes nothing");
        assert_eq!(&original[..4], [0, 0, 0, 1], "version 1");
        assert_eq!(&original[68..72], [0, 0, 0, 7], "seven one-time keys");
    }
}

#[test]
fn wrong_keys_and_altered_devices() {
    let mut rng = StdRng::seed_from_u64(4);
    let ours = Account::new_with_rng(&mut rng)
        .to_dehydrated_device_with_rng(&KEY, &mut rng)
        .unwrap();
    let theirs = vz::Account::new().to_dehydrated_device(&KEY).unwrap();
    for (ciphertext, nonce) in [(ours.ciphertext, ours.nonce), (theirs.ciphertext, theirs.nonce)] {
        let wrong = [0u8; 32];
        assert_eq!(
            Account::from_dehydrated_device(&ciphertext, &nonce, &wrong).unwrap_err(),
            DehydratedDeviceError::Decryption
        );
        assert!(vz::Account::from_dehydrated_device(&ciphertext, &nonce, &wrong).is_err());

        let mut bytes = olm::base64_decode(&ciphertext).unwrap();
        bytes[10] ^= 1;
        let altered = olm::base64_encode(bytes);
        assert_eq!(
            Account::from_dehydrated_device(&altered, &nonce, &KEY).unwrap_err(),
            DehydratedDeviceError::Decryption
        );
        assert!(vz::Account::from_dehydrated_device(&altered, &nonce, &KEY).is_err());

        let short_nonce = olm::base64_encode([0u8; 8]);
        assert_eq!(
            Account::from_dehydrated_device(&ciphertext, &short_nonce, &KEY).unwrap_err(),
            DehydratedDeviceError::InvalidNonce { length: 8 }
        );
        assert!(vz::Account::from_dehydrated_device(&ciphertext, &short_nonce, &KEY).is_err());
    }
}
