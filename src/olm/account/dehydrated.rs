//! Dehydrated devices (MSC3814): an account's keys, encrypted under a key
//! only the user holds, stored on the homeserver so that the device can
//! receive Olm messages while the user has no other device, and be
//! "rehydrated" on the next login to read them.
//!
//! The format is vodozemac's version 1, byte for byte, so a device
//! dehydrated by either crate is restored by the other:
//!
//! ```text
//! payload = u32 version (1, big-endian)
//!         · Curve25519 identity secret key (32)
//!         · Ed25519 seed (32)
//!         · u32 count (big-endian, at most 65535) · count × one-time secret key (32)
//!         · u8 has_fallback (0 or 1) · [fallback secret key (32)]
//! ciphertext = ChaCha20-Poly1305(key, nonce, payload), no associated data
//! ```
//!
//! The 12-byte nonce is random. Ciphertext and nonce are given out as
//! unpadded base64 (and read padded or not).
//!
//! Public keys, key ids and the published flags are not stored: on restore
//! they are recomputed or reset, exactly as vodozemac does (see
//! [`Account::from_dehydrated_device`]). Sessions are not stored either: a
//! dehydrated device is meant to be a fresh account.

use alloc::{string::String, vec::Vec};

use chacha20poly1305::{
    ChaCha20Poly1305, Nonce,
    aead::{Aead, KeyInit},
};
use rand::CryptoRng;
use zeroize::Zeroizing;

use super::{Account, FallbackKeys, KeyIds, OneTimeKey, OneTimeKeys, VODOZEMAC_ONE_TIME_KEY_CAPACITY};
use crate::{
    Curve25519Keypair, Curve25519SecretKey, Ed25519Keypair, Ed25519SecretKey, KeyId,
    encoding::{
        Base64DecodeError,
        base64::{FixedDecodeError, base64_decode, base64_decode_array, base64_encode},
    },
};

/// The payload version this module reads and writes.
const VERSION: u32 = 1;

/// The most one-time keys a payload may list: vodozemac's encoder
/// (matrix-pickle) refuses longer arrays, and so does this reader.
const MAX_PAYLOAD_KEYS: usize = 65535;

/// An encrypted dehydrated device, as uploaded in the
/// `device_data` of MSC3814 (`device_pickle` and `nonce`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DehydratedDeviceResult {
    /// The encrypted account, as unpadded base64.
    pub ciphertext: String,
    /// The 12-byte nonce it was encrypted with, as unpadded base64.
    pub nonce: String,
}

/// An account could not be dehydrated, or a dehydrated device could not be
/// restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DehydratedDeviceError {
    /// The account was imported from libolm and holds only the expanded form
    /// of its Ed25519 key, but the format stores the 32-byte seed. Create a
    /// new account for the dehydrated device.
    #[error(
        "the account holds only libolm's expanded Ed25519 key, not the seed a dehydrated device stores; \
         create a new account for the dehydrated device"
    )]
    InvalidAccount,
    /// The ciphertext or the nonce is not valid base64.
    #[error("the dehydrated device's ciphertext or nonce is not valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The nonce does not decode to 12 bytes.
    #[error("the dehydrated device's nonce must be 12 bytes, got {length}")]
    InvalidNonce {
        /// The decoded length (or the closest one, for a length no base64
        /// string has).
        length: usize,
    },
    /// The ciphertext does not decrypt: the key is wrong, or the ciphertext
    /// or nonce was altered.
    #[error("the dehydrated device could not be decrypted: the key is wrong, or the ciphertext or nonce was altered")]
    Decryption,
    /// The device was written in a format version this crate cannot read.
    #[error("unsupported dehydrated device version {got}, expected {expected}")]
    Version {
        /// The version this crate reads.
        expected: u32,
        /// The version found.
        got: u32,
    },
    /// The decrypted device ends before its contents do.
    #[error("the decrypted dehydrated device is truncated")]
    Truncated,
    /// The decrypted device has bytes after its contents.
    #[error("the decrypted dehydrated device has {0} bytes of trailing data")]
    TrailingData(usize),
    /// The decrypted device holds an invalid value.
    #[error("the decrypted dehydrated device is invalid: {0}")]
    Invalid(&'static str),
    /// ChaCha20-Poly1305 refused to encrypt the account. It does so only for
    /// inputs of hundreds of gigabytes, far beyond any account.
    #[error("the account could not be encrypted")]
    Encryption,
}

impl Account {
    /// Encrypts the account's keys as a dehydrated device (MSC3814) under
    /// `key`, with a nonce from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn to_dehydrated_device(&self, key: &[u8; 32]) -> Result<DehydratedDeviceResult, DehydratedDeviceError> {
        self.to_dehydrated_device_with_rng(key, &mut rand::rng())
    }

    /// Encrypts the account's keys as a dehydrated device (MSC3814) under
    /// `key`, drawing the 12-byte nonce from `rng`.
    ///
    /// Stored: the identity keys, every one-time key (published or not, in
    /// id order) and the current fallback key. Not stored: key ids,
    /// published flags and the previous fallback key.
    ///
    /// Fails with [`DehydratedDeviceError::InvalidAccount`] for an account
    /// imported from libolm, which has no Ed25519 seed.
    pub fn to_dehydrated_device_with_rng<R: CryptoRng + ?Sized>(
        &self,
        key: &[u8; 32],
        rng: &mut R,
    ) -> Result<DehydratedDeviceResult, DehydratedDeviceError> {
        crate::stack::scrubbed(|| {
            let payload = self.dehydrated_payload()?;
            let mut nonce = [0u8; 12];
            rng.fill_bytes(&mut nonce);
            let ciphertext = ChaCha20Poly1305::new(key.into())
                .encrypt(&Nonce::from(nonce), payload.as_slice())
                .map_err(|_| DehydratedDeviceError::Encryption)?;
            Ok(DehydratedDeviceResult {
                ciphertext: base64_encode(ciphertext),
                nonce: base64_encode(nonce),
            })
        })
    }

    /// Restores an account from a dehydrated device made by
    /// [`Account::to_dehydrated_device`] (or by vodozemac) under `key`.
    ///
    /// As in vodozemac, the restored account holds:
    ///
    /// - the identity keys;
    /// - the one-time keys, with ids `0` to `n - 1` in the order stored, all
    ///   marked as published (they were uploaded with the device); keys
    ///   generated later get ids from `n` on. This crate stores at most 100
    ///   one-time keys (vodozemac 5000): of a device listing more, the last
    ///   100 (the newest) are kept;
    /// - the fallback key, if one was stored, with id `0`, marked as
    ///   published, and no previous fallback key.
    ///
    /// The payload is read strictly: the fallback flag must be 0 or 1 and
    /// nothing may follow the last key (vodozemac accepts any non-zero flag
    /// and ignores trailing bytes; neither ever appears in what it writes).
    pub fn from_dehydrated_device(
        ciphertext: &str,
        nonce: &str,
        key: &[u8; 32],
    ) -> Result<Self, DehydratedDeviceError> {
        crate::stack::scrubbed(|| {
            let ciphertext = base64_decode(ciphertext)?;
            let nonce = base64_decode_array::<12>(nonce).map_err(|e| match e {
                FixedDecodeError::Length(length) => DehydratedDeviceError::InvalidNonce { length },
                FixedDecodeError::Base64(e) => DehydratedDeviceError::Base64(e),
            })?;
            let payload = Zeroizing::new(
                ChaCha20Poly1305::new(key.into())
                    .decrypt(&Nonce::from(*nonce), ciphertext.as_slice())
                    .map_err(|_| DehydratedDeviceError::Decryption)?,
            );
            Self::from_dehydrated_payload(&payload)
        })
    }

    /// The payload in vodozemac's version 1 layout, wiped when dropped.
    fn dehydrated_payload(&self) -> Result<Zeroizing<Vec<u8>>, DehydratedDeviceError> {
        let seed = self.signing_key.seed().ok_or(DehydratedDeviceError::InvalidAccount)?;
        let mut one_time_keys: Vec<&OneTimeKey> = self.one_time_keys.iter().collect();
        one_time_keys.sort_by_key(|k| k.id());
        one_time_keys.truncate(MAX_PAYLOAD_KEYS);
        let fallback_key = self.fallback_keys.current();

        let length = 4 + 32 + 32 + 4 + 32 * one_time_keys.len() + 1 + 32;
        // Allocated once at full size, so no copy is left behind by growth.
        let mut payload = Zeroizing::new(Vec::with_capacity(length));
        payload.extend_from_slice(&VERSION.to_be_bytes());
        payload.extend_from_slice(self.identity_key.secret().to_bytes().as_slice());
        payload.extend_from_slice(seed.to_bytes().as_slice());
        // At most 65535 keys, so the count fits.
        payload.extend_from_slice(&(one_time_keys.len() as u32).to_be_bytes());
        for key in one_time_keys {
            payload.extend_from_slice(key.keypair().secret().to_bytes().as_slice());
        }
        match fallback_key {
            Some(key) => {
                payload.push(1);
                payload.extend_from_slice(key.keypair().secret().to_bytes().as_slice());
            }
            None => payload.push(0),
        }
        Ok(payload)
    }

    /// Reads a decrypted payload.
    fn from_dehydrated_payload(payload: &[u8]) -> Result<Self, DehydratedDeviceError> {
        let mut r = Reader(payload);
        let version = u32::from_be_bytes(*r.array::<4>()?);
        if version != VERSION {
            return Err(DehydratedDeviceError::Version {
                expected: VERSION,
                got: version,
            });
        }
        let identity_key = Curve25519Keypair::from_secret(Curve25519SecretKey::from_bytes(r.array::<32>()?));
        let signing_key = Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(r.array::<32>()?));

        let count = u32::from_be_bytes(*r.array::<4>()?);
        if count as usize > MAX_PAYLOAD_KEYS {
            return Err(DehydratedDeviceError::Invalid("more than 65535 one-time keys"));
        }
        // A restored device numbers its keys as vodozemac does (8-byte ids
        // from 0 in payload order, its fallback key id 0 on its own counter).
        // Keys beyond the store's capacity would be evicted oldest first as
        // they are inserted; skip them without deriving their public keys.
        let capacity = VODOZEMAC_ONE_TIME_KEY_CAPACITY;
        let skipped = (count as usize).saturating_sub(capacity);
        let mut one_time_keys = OneTimeKeys::default();
        for position in 0..count {
            let secret = r.array::<32>()?;
            if (position as usize) < skipped {
                continue;
            }
            let key = Curve25519Keypair::from_secret(Curve25519SecretKey::from_bytes(secret));
            one_time_keys.insert(OneTimeKey::new(KeyId::new_wide(position.into()), true, key), capacity);
        }

        let fallback_key = match r.array::<1>()? {
            [0] => None,
            [1] => {
                let key = Curve25519Keypair::from_secret(Curve25519SecretKey::from_bytes(r.array::<32>()?));
                Some(OneTimeKey::new(KeyId::new_wide(0), true, key))
            }
            _ => {
                return Err(DehydratedDeviceError::Invalid(
                    "the fallback-key flag is neither 0 nor 1",
                ));
            }
        };
        if !r.0.is_empty() {
            return Err(DehydratedDeviceError::TrailingData(r.0.len()));
        }
        Ok(Self {
            signing_key,
            identity_key,
            one_time_keys,
            fallback_keys: FallbackKeys::new(fallback_key, None),
            key_ids: KeyIds::Vodozemac {
                next_one_time: count.into(),
                next_fallback: 1,
            },
        })
    }
}

/// Reads fixed-size fields off the front of a payload.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn array<const N: usize>(&mut self) -> Result<&'a [u8; N], DehydratedDeviceError> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(DehydratedDeviceError::Truncated)?;
        self.0 = rest;
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::Curve25519PublicKey;

    const KEY: [u8; 32] = [0x42; 32];

    fn account(rng: &mut StdRng, one_time_keys: usize, fallback: bool) -> Account {
        let mut account = Account::new_with_rng(rng);
        account.generate_one_time_keys_with_rng(one_time_keys, rng);
        if fallback {
            account.generate_fallback_key_with_rng(rng);
        }
        account
    }

    fn public_keys(account: &Account) -> Vec<(KeyId, Curve25519PublicKey, bool)> {
        let mut keys: Vec<_> = account
            .one_time_keys
            .iter()
            .map(|k| (k.id(), k.public_key(), k.is_published()))
            .collect();
        keys.sort_by_key(|k| k.0);
        keys
    }

    #[test]
    fn round_trip() {
        let mut rng = StdRng::seed_from_u64(1);
        for (count, fallback) in [(0, false), (0, true), (1, false), (5, true), (100, true)] {
            let original = account(&mut rng, count, fallback);
            let dehydrated = original.to_dehydrated_device_with_rng(&KEY, &mut rng).unwrap();
            assert_eq!(base64_decode(&dehydrated.nonce).unwrap().len(), 12);
            let restored = Account::from_dehydrated_device(&dehydrated.ciphertext, &dehydrated.nonce, &KEY).unwrap();
            assert_eq!(restored.identity_keys(), original.identity_keys());
            assert_eq!(restored.sign("x"), original.sign("x"));
            let expected: Vec<_> = public_keys(&original)
                .into_iter()
                .enumerate()
                .map(|(i, (_, key, _))| (KeyId::new_wide(i as u64), key, true))
                .collect();
            assert_eq!(public_keys(&restored), expected);
            assert!(restored.one_time_keys().is_empty(), "all restored keys are published");
            match (restored.fallback_keys.current(), original.fallback_keys.current()) {
                (Some(r), Some(o)) => {
                    assert_eq!(r.public_key(), o.public_key());
                    assert_eq!(r.id(), KeyId::new_wide(0));
                    assert!(r.is_published());
                }
                (None, None) => {}
                _ => panic!("fallback key not restored"),
            }
            assert!(restored.fallback_keys.previous().is_none());
            // Key ids continue after the restored ones.
            let mut restored = restored;
            restored.generate_one_time_keys_with_rng(1, &mut rng);
            assert_eq!(
                restored.one_time_keys().keys().copied().collect::<Vec<_>>(),
                [KeyId::new_wide(count as u64)]
            );
        }
    }

    #[test]
    fn payload_layout() {
        let mut rng = StdRng::seed_from_u64(2);
        let account = account(&mut rng, 2, true);
        let payload = account.dehydrated_payload().unwrap();
        let mut expected = vec![0, 0, 0, 1];
        expected.extend_from_slice(account.identity_key.secret().to_bytes().as_slice());
        expected.extend_from_slice(account.signing_key.seed().unwrap().to_bytes().as_slice());
        expected.extend_from_slice(&[0, 0, 0, 2]);
        let mut keys: Vec<_> = account.one_time_keys.iter().collect();
        keys.sort_by_key(|k| k.id());
        for key in keys {
            expected.extend_from_slice(key.keypair().secret().to_bytes().as_slice());
        }
        expected.push(1);
        expected.extend_from_slice(
            account
                .fallback_keys
                .current()
                .unwrap()
                .keypair()
                .secret()
                .to_bytes()
                .as_slice(),
        );
        assert_eq!(payload.as_slice(), expected);

        // The nonce is the generator's next 12 bytes; the ciphertext is the
        // payload sealed under it.
        let mut replay = StdRng::seed_from_u64(9);
        let mut nonce = [0u8; 12];
        rand::Rng::fill_bytes(&mut replay, &mut nonce);
        let dehydrated = account
            .to_dehydrated_device_with_rng(&KEY, &mut StdRng::seed_from_u64(9))
            .unwrap();
        assert_eq!(dehydrated.nonce, base64_encode(nonce));
        let sealed = ChaCha20Poly1305::new((&KEY).into())
            .encrypt(&Nonce::from(nonce), expected.as_slice())
            .unwrap();
        assert_eq!(dehydrated.ciphertext, base64_encode(sealed));
    }

    #[test]
    fn libolm_accounts_cannot_be_dehydrated() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut account = account(&mut rng, 1, false);
        let expanded = account.signing_key.expanded_bytes();
        account.signing_key = Ed25519Keypair::from_expanded(expanded.as_bytes());
        assert_eq!(
            account.to_dehydrated_device_with_rng(&KEY, &mut rng),
            Err(DehydratedDeviceError::InvalidAccount)
        );
    }

    #[test]
    fn bad_input() {
        let mut rng = StdRng::seed_from_u64(4);
        let account = account(&mut rng, 3, true);
        let DehydratedDeviceResult { ciphertext, nonce } =
            account.to_dehydrated_device_with_rng(&KEY, &mut rng).unwrap();
        let open = |c: &str, n: &str, k: &[u8; 32]| Account::from_dehydrated_device(c, n, k).map(|_| ());

        assert_eq!(
            open(&ciphertext, &nonce, &[0x43; 32]),
            Err(DehydratedDeviceError::Decryption)
        );
        assert!(
            open(&ciphertext, &(nonce.clone() + "="), &KEY).is_err(),
            "16 characters: 12 bytes, padded wrongly"
        );
        assert!(matches!(
            open("!!!!", &nonce, &KEY),
            Err(DehydratedDeviceError::Base64(_))
        ));
        assert!(matches!(
            open(&ciphertext, "!!!!!!!!!!!!!!!!", &KEY),
            Err(DehydratedDeviceError::Base64(_))
        ));
        assert_eq!(
            open(&ciphertext, &base64_encode([0u8; 11]), &KEY),
            Err(DehydratedDeviceError::InvalidNonce { length: 11 })
        );
        assert_eq!(
            open(&ciphertext, &base64_encode([0u8; 13]), &KEY),
            Err(DehydratedDeviceError::InvalidNonce { length: 13 })
        );
        assert_eq!(
            open(&ciphertext, "", &KEY),
            Err(DehydratedDeviceError::InvalidNonce { length: 0 })
        );
        assert_eq!(open("", &nonce, &KEY), Err(DehydratedDeviceError::Decryption));
        // Every truncation and every bit flip of the ciphertext fails to
        // decrypt; truncated base64 is an error too.
        let raw = base64_decode(&ciphertext).unwrap();
        for end in 0..raw.len() {
            assert_eq!(
                open(&base64_encode(&raw[..end]), &nonce, &KEY),
                Err(DehydratedDeviceError::Decryption)
            );
        }
        for bit in (0..raw.len() * 8).step_by(7) {
            let mut flipped = raw.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                open(&base64_encode(&flipped), &nonce, &KEY),
                Err(DehydratedDeviceError::Decryption)
            );
        }
        for end in 0..ciphertext.len() {
            assert!(open(&ciphertext[..end], &nonce, &KEY).is_err());
        }
        // Padded base64 is accepted.
        let padded = base64_encode(&raw) + &"=".repeat((4 - ciphertext.len() % 4) % 4);
        assert!(open(&padded, &nonce, &KEY).is_ok());
    }

    #[test]
    fn bad_payloads() {
        let mut rng = StdRng::seed_from_u64(5);
        let account = account(&mut rng, 2, true);
        let payload = account.dehydrated_payload().unwrap();
        let read = |bytes: &[u8]| Account::from_dehydrated_payload(bytes).map(|_| ());
        assert_eq!(read(&payload), Ok(()));
        for end in 0..payload.len() {
            assert_eq!(read(&payload[..end]), Err(DehydratedDeviceError::Truncated), "{end}");
        }
        let mut long = payload.to_vec();
        long.push(0);
        assert_eq!(read(&long), Err(DehydratedDeviceError::TrailingData(1)));

        let mut version = payload.to_vec();
        version[3] = 2;
        assert_eq!(
            read(&version),
            Err(DehydratedDeviceError::Version { expected: 1, got: 2 })
        );
        let mut flag = payload.to_vec();
        let flag_position = payload.len() - 33;
        assert_eq!(flag[flag_position], 1);
        flag[flag_position] = 2;
        assert!(matches!(read(&flag), Err(DehydratedDeviceError::Invalid(_))));
        // A count past the data is truncation; past 65535 is refused first.
        let mut count = payload.to_vec();
        count[68..72].copy_from_slice(&5u32.to_be_bytes());
        assert_eq!(read(&count), Err(DehydratedDeviceError::Truncated));
        count[68..72].copy_from_slice(&65536u32.to_be_bytes());
        assert!(matches!(read(&count), Err(DehydratedDeviceError::Invalid(_))));
        count[68..72].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(read(&count), Err(DehydratedDeviceError::Invalid(_))));
        // Random bytes: an error or an account, never a panic.
        for len in [0, 1, 4, 71, 72, 73, 105, 106, 200] {
            for _ in 0..50 {
                let mut bytes = vec![0u8; len];
                rand::Rng::fill_bytes(&mut rng, &mut bytes);
                let _ = read(&bytes);
                if len >= 4 {
                    bytes[..4].copy_from_slice(&[0, 0, 0, 1]);
                    let _ = read(&bytes);
                }
            }
        }
    }

    #[test]
    fn more_keys_than_the_store_holds() {
        let mut rng = StdRng::seed_from_u64(6);
        let account = account(&mut rng, 0, false);
        let mut payload = account.dehydrated_payload().unwrap().to_vec();
        payload.truncate(68);
        let count = VODOZEMAC_ONE_TIME_KEY_CAPACITY as u32 + 50;
        let secret = |i: u32| {
            let mut bytes = [0u8; 32];
            bytes[..4].copy_from_slice(&i.to_be_bytes());
            bytes[31] = 1;
            bytes
        };
        payload.extend_from_slice(&count.to_be_bytes());
        for i in 0..count {
            payload.extend_from_slice(&secret(i));
        }
        payload.push(0);
        let restored = Account::from_dehydrated_payload(&payload).unwrap();
        assert_eq!(restored.stored_one_time_key_count(), VODOZEMAC_ONE_TIME_KEY_CAPACITY);
        let kept = public_keys(&restored);
        assert_eq!(kept.first().unwrap().0, KeyId::new_wide(50));
        assert_eq!(kept.last().unwrap().0, KeyId::new_wide(u64::from(count) - 1));
        assert_eq!(
            kept.last().unwrap().1,
            Curve25519SecretKey::from_bytes(&secret(count - 1)).public_key()
        );
        assert_eq!(
            restored.key_ids,
            KeyIds::Vodozemac {
                next_one_time: count.into(),
                next_fallback: 1
            }
        );
    }
}
