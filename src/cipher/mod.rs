//! The authenticated encryption libolm uses for every message and pickle:
//! keys from HKDF-SHA-256, AES-256-CBC with PKCS#7 padding, and HMAC-SHA-256
//! (truncated to 8 bytes in messages).
//!
//! The MAC is always checked, in constant time, before anything is
//! decrypted, so padding errors are only ever seen by someone who holds the
//! key.

pub(crate) mod kdf;

use alloc::vec::Vec;

use aes::Aes256;
use cbc::cipher::{
    BlockModeDecrypt, BlockModeEncrypt, KeyIvInit,
    block_padding::{NoPadding, Pkcs7},
};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq, ConstantTimeGreater};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::ct;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The length of the truncated MAC carried by version 1 Olm and Megolm
/// messages.
pub(crate) const TRUNCATED_MAC_LEN: usize = 8;

/// The length of the whole HMAC-SHA-256, which version 2 messages carry.
pub(crate) const MAC_LEN: usize = 32;

const AES_BLOCK: usize = 16;

/// Why a ciphertext was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CipherError {
    /// The MAC does not match: wrong key or altered bytes.
    Mac,
    /// The ciphertext is empty or not a whole number of AES blocks.
    Length,
    /// The PKCS#7 padding is malformed.
    Padding,
}

/// The AES key, HMAC key and IV derived from one secret.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct CipherKeys {
    aes_key: [u8; 32],
    mac_key: [u8; 32],
    iv: [u8; 16],
}

impl CipherKeys {
    /// Expands `secret` with HKDF (no salt) under `info` into 80 bytes: AES
    /// key, HMAC key, IV, in that order.
    pub(crate) fn derive(secret: &[u8], info: &[u8]) -> Self {
        Self::from_okm(&kdf::hkdf::<80>(None, secret, info))
    }

    fn from_okm(okm: &[u8; 80]) -> Self {
        let mut keys = Self {
            aes_key: [0; 32],
            mac_key: [0; 32],
            iv: [0; 16],
        };
        let (aes_key, rest) = okm.split_at(32);
        let (mac_key, iv) = rest.split_at(32);
        keys.aes_key.copy_from_slice(aes_key);
        keys.mac_key.copy_from_slice(mac_key);
        keys.iv.copy_from_slice(iv);
        keys
    }

    /// As [`derive`](Self::derive), with a salt.
    pub(crate) fn derive_salted(salt: &[u8], secret: &[u8], info: &[u8]) -> Self {
        Self::from_okm(&kdf::hkdf::<80>(Some(salt), secret, info))
    }

    /// The length of the ciphertext of `plaintext_len` bytes: PKCS#7 always
    /// adds 1 to 16 bytes.
    pub(crate) const fn ciphertext_len(plaintext_len: usize) -> usize {
        (plaintext_len / AES_BLOCK + 1) * AES_BLOCK
    }

    /// Encrypts `plaintext` and appends the ciphertext to `out`.
    pub(crate) fn encrypt_into(&self, plaintext: &[u8], out: &mut Vec<u8>) {
        let start = out.len();
        out.resize(start + Self::ciphertext_len(plaintext.len()), 0);
        let encryptor = cbc::Encryptor::<Aes256>::new(&self.aes_key.into(), &self.iv.into());
        if let Some(buffer) = out.get_mut(start..) {
            // The buffer was sized for the padded plaintext just above, so
            // padding cannot fail.
            let _ = encryptor.encrypt_padded_b2b::<Pkcs7>(plaintext, buffer);
        }
    }

    /// Encrypts `plaintext` into a new vector.
    #[cfg(test)]
    pub(crate) fn encrypt(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::ciphertext_len(plaintext.len()));
        self.encrypt_into(plaintext, &mut out);
        out
    }

    fn hmac(&self) -> HmacSha256 {
        hmac_sha256(&self.mac_key)
    }

    /// The full HMAC-SHA-256 of `data`.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = self.hmac();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// Checks a MAC truncated to its first `tag.len()` bytes (1 to 32), in
    /// constant time; only the verdict is public.
    pub(crate) fn verify_truncated_mac(&self, data: &[u8], tag: &[u8]) -> Result<(), CipherError> {
        let expected = self.mac(data);
        let valid = match expected.get(..tag.len()) {
            Some(prefix) if !tag.is_empty() => prefix.ct_eq(tag),
            _ => Choice::from(0),
        };
        if ct::public_bool(bool::from(valid)) {
            Ok(())
        } else {
            Err(CipherError::Mac)
        }
    }

    /// Decrypts a ciphertext whose MAC the caller has already checked.
    pub(crate) fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, CipherError> {
        let mut out = ciphertext.to_vec();
        match self.decrypt_in_place(&mut out) {
            Ok(len) => {
                out.truncate(len);
                Ok(out)
            }
            Err(e) => {
                out.zeroize();
                Err(e)
            }
        }
    }

    /// Decrypts, in place, a ciphertext whose MAC the caller has already
    /// checked, and returns the plaintext's length: the plaintext is
    /// `buf[..len]`. Spares a copy where the caller owns the buffer (pickles),
    /// which must then wipe it.
    pub(crate) fn decrypt_in_place(&self, buf: &mut [u8]) -> Result<usize, CipherError> {
        if buf.is_empty() || !buf.len().is_multiple_of(AES_BLOCK) {
            return Err(CipherError::Length);
        }
        cbc::Decryptor::<Aes256>::new(&self.aes_key.into(), &self.iv.into())
            .decrypt_padded::<NoPadding>(buf)
            .map_err(|_| CipherError::Length)?;
        // The verdict and the plaintext's length are public once returned.
        let (padding, valid) = pkcs7_padding_len(buf);
        if ct::public_bool(bool::from(valid)) {
            Ok(buf.len().saturating_sub(ct::public_usize(padding)))
        } else {
            Err(CipherError::Padding)
        }
    }
}

/// The length of the PKCS#7 padding at the end of `plaintext` and whether it
/// is valid, found in constant time: the same operations run on every byte
/// of the last block, whatever the padding, so its timing tells nothing of
/// the plaintext (the backup scheme decrypts unauthenticated ciphertexts).
/// Only the verdict and the length, both public once returned, leave here.
fn pkcs7_padding_len(plaintext: &[u8]) -> (usize, Choice) {
    let start = plaintext.len().saturating_sub(AES_BLOCK);
    let last_block = plaintext.get(start..).unwrap_or_default();
    let n = last_block.last().copied().unwrap_or(0);
    let mut valid = !n.ct_eq(&0) & !n.ct_gt(&(AES_BLOCK as u8)) & Choice::from(u8::from(last_block.len() == AES_BLOCK));
    for (distance, byte) in last_block.iter().rev().enumerate() {
        // Bytes within `n` of the end must all equal `n`.
        let in_padding = n.ct_gt(&(distance as u8));
        valid &= !in_padding | byte.ct_eq(&n);
    }
    (usize::from(n), valid)
}

/// HMAC-SHA-256 keyed with a 32-byte key.
///
/// HMAC zero-pads keys to the 64-byte block, so padding here and using the
/// infallible fixed-size constructor is the same function as keying with the
/// 32 bytes, without an error path.
pub(crate) fn hmac_sha256(key: &[u8; 32]) -> HmacSha256 {
    let mut block = Zeroizing::new([0u8; 64]);
    if let Some(head) = block.get_mut(..32) {
        head.copy_from_slice(key);
    }
    <HmacSha256 as KeyInit>::new(&(*block).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_zero_vector() {
        // libolm tests/test_crypto.cpp: zero key and IV, 16 zero bytes.
        let keys = CipherKeys {
            aes_key: [0; 32],
            mac_key: [0; 32],
            iv: [0; 16],
        };
        let ct = keys.encrypt(&[0u8; 16]);
        assert_eq!(
            ct[..16],
            [
                0xdc, 0x95, 0xc0, 0x78, 0xa2, 0x40, 0x89, 0x89, 0xad, 0x48, 0xa2, 0x14, 0x92, 0x84, 0x20, 0x87
            ]
        );
        assert_eq!(ct.len(), 32);
        assert_eq!(keys.decrypt(&ct).unwrap(), [0u8; 16]);
    }

    #[test]
    fn padding_is_checked_byte_for_byte() {
        let mut block = [7u8; 16];
        for n in 1..=16u8 {
            block[16 - usize::from(n)..].fill(n);
            let (len, valid) = pkcs7_padding_len(&block);
            assert!(bool::from(valid), "{n}");
            assert_eq!(len, usize::from(n));
            // Any other value in any padding byte is refused.
            for i in 16 - usize::from(n)..15 {
                let mut bad = block;
                bad[i] ^= 0x40;
                assert!(!bool::from(pkcs7_padding_len(&bad).1), "{n} {i}");
            }
        }
        for last in [0u8, 17, 0xff] {
            block[15] = last;
            assert!(!bool::from(pkcs7_padding_len(&block).1), "{last}");
        }
        assert!(!bool::from(pkcs7_padding_len(&[1u8; 15]).1));
        assert!(!bool::from(pkcs7_padding_len(&[]).1));
    }

    #[test]
    fn hmac_empty() {
        let keys = CipherKeys {
            aes_key: [0; 32],
            mac_key: [0; 32],
            iv: [0; 16],
        };
        // HMAC zero-pads keys, so 32 zero bytes equal the empty key.
        assert_eq!(keys.mac(b"")[..4], [0xb6, 0x13, 0x67, 0x9a]);
        assert!(keys.verify_truncated_mac(b"", &keys.mac(b"")[..8]).is_ok());
        assert_eq!(
            keys.verify_truncated_mac(b"x", &keys.mac(b"")[..8]),
            Err(CipherError::Mac)
        );
        assert_eq!(keys.verify_truncated_mac(b"", &[]), Err(CipherError::Mac));
    }

    #[test]
    fn ciphertext_checks() {
        let keys = CipherKeys::derive(b"secret", b"info");
        assert_eq!(keys.decrypt(&[]), Err(CipherError::Length));
        assert_eq!(keys.decrypt(&[0; 15]), Err(CipherError::Length));
        for len in [0, 1, 15, 16, 17, 100] {
            let pt = alloc::vec![0x5a; len];
            let ct = keys.encrypt(&pt);
            assert_eq!(ct.len(), CipherKeys::ciphertext_len(len));
            assert_eq!(keys.decrypt(&ct).unwrap(), pt);
        }
        // A block of garbage almost never has valid padding.
        let mut ct = keys.encrypt(b"hello");
        ct[15] ^= 1;
        assert_eq!(keys.decrypt(&ct), Err(CipherError::Padding));
    }
}
