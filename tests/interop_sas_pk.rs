//! SAS verification and key-backup encryption between this crate and
//! vodozemac 0.11.1 (`sas`, and `pk_encryption` behind its
//! `insecure-pk-encryption` feature), in both directions.
//!
//! SAS: the same bytes, emoji and decimals on both sides, MACs that verify
//! on the other side (the `hkdf-hmac-sha256.v2` method and libolm's legacy
//! in-place base64), and the same refusal of low-order keys.
//!
//! PK: our encryption decrypts with vodozemac and the reverse, for plaintexts
//! of 0 to 100 bytes and 4 KiB. Altered messages behave as in vodozemac:
//! neither side authenticates the ciphertext (libolm's empty-input MAC), so
//! a flipped ciphertext bit either decrypts to altered plaintext on both
//! sides or fails the padding check on both; altered MACs and ephemeral keys
//! fail on both. The one documented difference: vodozemac accepts a MAC
//! truncated below 8 bytes, this crate refuses any MAC that is not exactly 8.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::{
    Curve25519PublicKey, Curve25519SecretKey,
    pk::{PkDecryption, PkEncryption, PkError, PkMessage, PkMessageDecodeError},
    sas::{Mac, Sas, SasError},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use vodozemac::{pk_encryption as vpk, sas as vsas};

fn to_theirs(key: Curve25519PublicKey) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(key.to_bytes())
}

fn to_ours(key: vodozemac::Curve25519PublicKey) -> Curve25519PublicKey {
    Curve25519PublicKey::from_bytes(key.to_bytes())
}

/// Info strings shaped like Matrix's, plus edge cases.
fn infos() -> Vec<String> {
    let keys =
        "rvCRlFRKcccigwkTiHz2x6zXmZcBHQAtk9TeGKOGrAE|@bob:example.org|BOB0|06xD62HRlE9SqtKKP+VO5rW9WvgApuy7RGYRU7mgRhM";
    vec![
        String::new(),
        "SAS".to_owned(),
        format!("MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|ALICE0|{keys}|txn-1"),
        "MATRIX_KEY_VERIFICATION_MAC@alice:example.orgALICE0@bob:example.orgBOB0txn-1KEY_IDS".to_owned(),
        "é ✓ 🐶".to_owned(),
        "x".repeat(1000),
    ]
}

/// A pair (ours, theirs) after the key exchange in both directions.
fn established() -> (olm::sas::EstablishedSas, vsas::EstablishedSas) {
    let ours = Sas::new();
    let theirs = vsas::Sas::new();
    let (our_key, their_key) = (ours.public_key(), theirs.public_key());
    let ours = ours.diffie_hellman(to_ours(their_key)).unwrap();
    let theirs = theirs.diffie_hellman(to_theirs(our_key)).unwrap();
    assert_eq!(to_theirs(ours.our_public_key()), theirs.their_public_key());
    assert_eq!(to_theirs(ours.their_public_key()), theirs.our_public_key());
    (ours, theirs)
}

#[test]
fn sas_bytes_emoji_and_decimals_agree() {
    for _ in 0..8 {
        let (ours, theirs) = established();
        for info in infos() {
            let a = ours.bytes(&info);
            let b = theirs.bytes(&info);
            assert_eq!(a.as_bytes(), b.as_bytes(), "{info:?}");
            assert_eq!(a.emoji_indices(), b.emoji_indices(), "{info:?}");
            assert_eq!(a.decimals(), b.decimals(), "{info:?}");
        }
    }
}

#[test]
fn sas_raw_bytes_and_limits_agree() {
    let (ours, theirs) = established();
    for count in (0..=64).chain([255, 256, 1000, 8160]) {
        assert_eq!(
            ours.bytes_raw("SAS", count).unwrap(),
            theirs.bytes_raw("SAS", count).unwrap(),
            "{count}"
        );
    }
    for count in [8161, 10_000] {
        assert!(ours.bytes_raw("SAS", count).is_err(), "{count}");
        assert!(theirs.bytes_raw("SAS", count).is_err(), "{count}");
    }
    // A deviation: vodozemac allocates the output before checking the count,
    // so an absurd count aborts with a capacity overflow panic; this crate
    // checks first and returns the error.
    assert!(ours.bytes_raw("SAS", usize::MAX).is_err());
    let theirs_panicked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| theirs.bytes_raw("SAS", usize::MAX))).is_err();
    assert!(theirs_panicked);
}

#[test]
fn sas_macs_verify_both_ways() {
    let inputs = ["", "ed25519:ALICE0", "KEY_IDS,ed25519:ALICE0,ed25519:MASTER", "é ✓ 🐶"];
    for _ in 0..4 {
        let (ours, theirs) = established();
        for info in infos() {
            for input in inputs {
                // Ours to theirs.
                let mac = ours.calculate_mac(input, &info);
                let their_view = vsas::Mac::from_base64(&mac.to_base64()).unwrap();
                theirs.verify_mac(input, &info, &their_view).unwrap();
                assert_eq!(mac.as_bytes().as_slice(), their_view.as_bytes());

                // Theirs to ours.
                let mac = theirs.calculate_mac(input, &info);
                let our_view = Mac::from_base64(&mac.to_base64()).unwrap();
                ours.verify_mac(input, &info, &our_view).unwrap();
                assert_eq!(ours.verify_mac("other", &info, &our_view), Err(SasError::Mac));

                // libolm's legacy encoding: identical strings, checkable here.
                #[cfg(feature = "libolm-compat")]
                {
                    let legacy = theirs.calculate_mac_invalid_base64(input, &info);
                    assert_eq!(ours.calculate_mac_invalid_base64(input, &info), legacy);
                    ours.verify_mac_invalid_base64(input, &info, &legacy).unwrap();
                    assert_eq!(
                        ours.verify_mac_invalid_base64(input, "other info", &legacy),
                        Err(SasError::Mac)
                    );
                }
            }
        }
    }
}

#[test]
fn sas_tampered_macs_fail_on_both_sides() {
    let (ours, theirs) = established();
    let mac = ours.calculate_mac("ed25519:ALICE0", "info");
    for bit in 0..256 {
        let mut bytes = *mac.as_bytes();
        bytes[bit / 8] ^= 1 << (bit % 8);
        let their_view = vsas::Mac::from_slice(&bytes);
        assert!(theirs.verify_mac("ed25519:ALICE0", "info", &their_view).is_err());
        assert_eq!(
            ours.verify_mac("ed25519:ALICE0", "info", &Mac::from_bytes(bytes)),
            Err(SasError::Mac)
        );
    }
}

#[test]
fn sas_low_order_keys_are_refused_by_both() {
    let mut one = [0u8; 32];
    one[0] = 1;
    for bytes in [[0u8; 32], one] {
        assert!(
            Sas::new()
                .diffie_hellman(Curve25519PublicKey::from_bytes(bytes))
                .is_err()
        );
        assert!(
            vsas::Sas::new()
                .diffie_hellman(vodozemac::Curve25519PublicKey::from_bytes(bytes))
                .is_err()
        );
    }
}

fn plaintext_sizes() -> impl Iterator<Item = usize> {
    (0..=100).chain([4096])
}

fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + len) as u8).collect()
}

/// Our message as vodozemac's, through the three base64 strings.
fn to_their_message(message: &PkMessage) -> vpk::Message {
    vpk::Message::from_base64(
        &message.ciphertext_base64(),
        &message.mac_base64(),
        &message.ephemeral_key_base64(),
    )
    .unwrap()
}

/// vodozemac's message as ours, through the three base64 strings.
fn to_our_message(message: &vpk::Message) -> Result<PkMessage, PkMessageDecodeError> {
    PkMessage::from_base64(
        &vodozemac::base64_encode(&message.ciphertext),
        &vodozemac::base64_encode(&message.mac),
        &message.ephemeral_key.to_base64(),
    )
}

#[test]
fn pk_ours_to_theirs() {
    let theirs = vpk::PkDecryption::new();
    let encryption = PkEncryption::from_key(to_ours(theirs.public_key())).unwrap();
    for len in plaintext_sizes() {
        let pt = plaintext(len);
        let message = encryption.encrypt(&pt);
        assert_eq!(theirs.decrypt(&to_their_message(&message)).unwrap(), pt, "{len}");
    }
}

#[test]
fn pk_theirs_to_ours() {
    let ours = PkDecryption::new();
    let encryption = vpk::PkEncryption::from_key(to_theirs(ours.public_key()));
    for len in plaintext_sizes() {
        let pt = plaintext(len);
        let message = encryption.encrypt(&pt).unwrap();
        assert_eq!(ours.decrypt(&to_our_message(&message).unwrap()).unwrap(), pt, "{len}");
    }
}

#[test]
fn pk_same_secret_same_public_key() {
    let mut rng = StdRng::seed_from_u64(6);
    for _ in 0..16 {
        let mut secret = [0u8; 32];
        rng.fill_bytes(&mut secret);
        let ours = PkDecryption::from_bytes(&secret);
        let theirs = vpk::PkDecryption::from_key(vodozemac::Curve25519SecretKey::from_slice(&secret));
        assert_eq!(to_theirs(ours.public_key()), theirs.public_key());
        assert_eq!(*ours.to_bytes(), *theirs.secret_key().to_bytes());
        // Same ephemeral secret, same message: our encryption is a function
        // of the 32 drawn bytes alone, like libolm's.
        let mut ephemeral = [0u8; 32];
        rng.fill_bytes(&mut ephemeral);
        let ours_message = PkEncryption::from(&ours).encrypt_with_rng(b"payload", &mut Replay(ephemeral.to_vec()));
        assert_eq!(
            ours_message.ephemeral_key(),
            Curve25519SecretKey::from_bytes(&ephemeral).public_key()
        );
        assert_eq!(theirs.decrypt(&to_their_message(&ours_message)).unwrap(), b"payload");
    }
}

/// Hands out the given bytes once.
struct Replay(Vec<u8>);

impl rand::TryRng for Replay {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unimplemented!("only fill_bytes is used")
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unimplemented!("only fill_bytes is used")
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        assert!(dst.len() <= self.0.len(), "over-draw");
        let rest = self.0.split_off(dst.len());
        dst.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}

impl rand::TryCryptoRng for Replay {}

/// The outcome of a decryption, comparable across the two crates.
fn outcome<E>(result: Result<Vec<u8>, E>) -> Option<Vec<u8>> {
    result.ok()
}

#[test]
fn pk_flipped_ciphertext_bits_behave_as_in_vodozemac() {
    // 40 bytes of plaintext: three blocks. Every bit of the ciphertext is
    // flipped in turn; the MAC (over nothing) still verifies, so the result
    // is either altered plaintext or a padding error, the same on both sides.
    let ours = PkDecryption::new();
    let theirs = vpk::PkDecryption::from_key(vodozemac::Curve25519SecretKey::from_slice(&ours.to_bytes()));
    let message = PkEncryption::from(&ours).encrypt(&plaintext(40));
    let (mut altered_ok, mut padding_errors) = (0, 0);
    for bit in 0..message.ciphertext().len() * 8 {
        let mut ciphertext = message.ciphertext().to_vec();
        ciphertext[bit / 8] ^= 1 << (bit % 8);
        let altered = PkMessage::new(ciphertext, *message.mac(), message.ephemeral_key());
        let our_result = ours.decrypt(&altered);
        let their_result = theirs.decrypt(&to_their_message(&altered));
        match &our_result {
            Ok(pt) => {
                assert_ne!(pt, &plaintext(40));
                altered_ok += 1;
            }
            Err(e) => {
                assert_eq!(*e, PkError::Decryption, "bit {bit}");
                assert!(matches!(their_result, Err(vpk::Error::InvalidPadding(_))), "bit {bit}");
                padding_errors += 1;
            }
        }
        assert_eq!(outcome(our_result), outcome(their_result), "bit {bit}");
    }
    // 40 bytes leave 8 bytes of padding in the last block. A flip in the
    // first block, or in the second at a data byte of the last, garbles one
    // block and flips one plaintext bit: 128 + 64 such flips always decrypt.
    assert!(altered_ok >= 192, "{altered_ok}");
    assert!(padding_errors > 0);
}

#[test]
fn pk_flipped_mac_and_key_bits_fail_on_both_sides() {
    let ours = PkDecryption::new();
    let theirs = vpk::PkDecryption::from_key(vodozemac::Curve25519SecretKey::from_slice(&ours.to_bytes()));
    let message = PkEncryption::from(&ours).encrypt(b"session key");
    for bit in 0..64 {
        let mut mac = *message.mac();
        mac[bit / 8] ^= 1 << (bit % 8);
        let altered = PkMessage::new(message.ciphertext().to_vec(), mac, message.ephemeral_key());
        assert_eq!(ours.decrypt(&altered), Err(PkError::Decryption), "mac bit {bit}");
        assert!(matches!(
            theirs.decrypt(&to_their_message(&altered)),
            Err(vpk::Error::Mac(_))
        ));
    }
    // The top bit of the key is ignored by X25519 (same key on both sides);
    // every other flip gives another key, hence another MAC key.
    for bit in 0..255 {
        let mut key = message.ephemeral_key().to_bytes();
        key[bit / 8] ^= 1 << (bit % 8);
        let altered = PkMessage::new(
            message.ciphertext().to_vec(),
            *message.mac(),
            Curve25519PublicKey::from_bytes(key),
        );
        assert!(ours.decrypt(&altered).is_err(), "key bit {bit}");
        assert!(theirs.decrypt(&to_their_message(&altered)).is_err(), "key bit {bit}");
    }
}

#[test]
fn pk_short_mac_is_refused_here_but_accepted_by_vodozemac() {
    // vodozemac checks a MAC of any length from 1 to 32 bytes against that
    // many leading bytes; this crate, like libolm, requires exactly 8.
    let ours = PkDecryption::new();
    let encryption = vpk::PkEncryption::from_key(to_theirs(ours.public_key()));
    let mut message = encryption.encrypt(b"payload").unwrap();
    message.mac.truncate(4);
    let theirs_ok = vpk::PkDecryption::from_key(vodozemac::Curve25519SecretKey::from_slice(&ours.to_bytes()))
        .decrypt(&message)
        .is_ok();
    assert!(theirs_ok);
    assert!(matches!(to_our_message(&message), Err(PkMessageDecodeError::Mac(_))));
}

#[test]
fn pk_low_order_keys_are_refused_by_both() {
    let mut one = [0u8; 32];
    one[0] = 1;
    let ours = PkDecryption::new();
    let theirs = vpk::PkDecryption::from_key(vodozemac::Curve25519SecretKey::from_slice(&ours.to_bytes()));
    for bytes in [[0u8; 32], one] {
        let key = Curve25519PublicKey::from_bytes(bytes);
        assert!(PkEncryption::from_key(key).is_err());
        assert!(vpk::PkEncryption::from_key(to_theirs(key)).encrypt(b"x").is_err());
        let message = PkMessage::new(vec![0; 16], [0; 8], key);
        assert_eq!(ours.decrypt(&message), Err(PkError::NonContributoryKey));
        assert!(matches!(
            theirs.decrypt(&to_their_message(&message)),
            Err(vpk::Error::NonContributoryKey)
        ));
    }
}
