//! Helpers for the targets: a reader over the fuzz input, a deterministic
//! generator seeded from it, and independent implementations of both pickle
//! envelopes so that a target can hand the crate an arbitrary *decrypted*
//! pickle body without any test-only hook in the library.

use aes::Aes256;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Reads the fuzz input front to back; past its end every read gives zeros,
/// so any input is a complete script.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        bytes.iter_mut().for_each(|b| *b = self.u8());
        u64::from_le_bytes(bytes)
    }

    /// Up to `len` bytes (fewer at the end of the input).
    pub fn bytes(&mut self, len: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(len.min(self.data.len()));
        self.data = rest;
        head
    }

    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// SplitMix64: deterministic, seeded from the input, so a crash reproduces
/// from its input file alone. It is marked as a cryptographic generator only
/// because the crate's `_with_rng` calls ask for one; it is not one.
#[derive(Clone)]
pub struct FuzzRng(u64);

impl FuzzRng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl rand::TryRng for FuzzRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.next() as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

impl rand::TryCryptoRng for FuzzRng {}

/// The pickle key every target uses for our format.
pub const PICKLE_KEY: [u8; 32] = *b"fuzzing pickle key, 32 bytes ok!";

/// The pickle key every target uses for libolm's format.
pub const LIBOLM_KEY: &[u8] = b"fuzzing libolm pickle key";

type HmacSha256 = Hmac<Sha256>;

fn expand(salt: Option<&[u8]>, ikm: &[u8], info: &[u8]) -> ([u8; 32], [u8; 32], [u8; 16]) {
    let mut okm = [0u8; 80];
    Hkdf::<Sha256>::new(salt, ikm)
        .expand(info, &mut okm)
        .expect("80 bytes is a valid HKDF length");
    let mut aes = [0u8; 32];
    let mut mac = [0u8; 32];
    let mut iv = [0u8; 16];
    aes.copy_from_slice(&okm[..32]);
    mac.copy_from_slice(&okm[32..64]);
    iv.copy_from_slice(&okm[64..]);
    (aes, mac, iv)
}

fn hmac(key: &[u8; 32], data: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Seals `body` as libolm does: keys from HKDF(key, "Pickle"), AES-256-CBC,
/// HMAC-SHA-256 of the ciphertext truncated to 8 bytes, unpadded base64.
pub fn libolm_seal(key: &[u8], body: &[u8]) -> String {
    let (aes, mac_key, iv) = expand(None, key, b"Pickle");
    let mut out = cbc::Encryptor::<Aes256>::new(&aes.into(), &iv.into()).encrypt_padded_vec::<Pkcs7>(body);
    let mac = hmac(&mac_key, &out);
    out.extend_from_slice(&mac[..8]);
    olm::base64_encode(out)
}

/// Opens a libolm pickle (the inverse of [`libolm_seal`]).
pub fn libolm_open(key: &[u8], pickle: &str) -> Option<Vec<u8>> {
    let bytes = olm::base64_decode(pickle).ok()?;
    let (ciphertext, mac) = bytes.split_at(bytes.len().checked_sub(8)?);
    let (aes, mac_key, iv) = expand(None, key, b"Pickle");
    if hmac(&mac_key, ciphertext)[..8] != *mac {
        return None;
    }
    cbc::Decryptor::<Aes256>::new(&aes.into(), &iv.into())
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
}

/// The object kinds of our pickle envelope (docs/pickle-format.md).
pub const KIND_ACCOUNT: u8 = 1;
pub const KIND_SESSION: u8 = 2;
pub const KIND_GROUP_SESSION: u8 = 3;
pub const KIND_INBOUND_GROUP_SESSION: u8 = 4;
pub const KIND_PK_DECRYPTION: u8 = 5;

/// Seals `body` in our envelope: version 1, kind, 16-byte nonce, AES-256-CBC
/// under HKDF(salt = nonce, key, "olm pickle v1" ‖ kind), HMAC-SHA-256 of
/// everything before it, unpadded base64.
pub fn envelope_seal(kind: u8, key: &[u8; 32], nonce: [u8; 16], body: &[u8]) -> String {
    let mut info = b"olm pickle v1".to_vec();
    info.push(kind);
    let (aes, mac_key, iv) = expand(Some(&nonce), key, &info);
    let mut out = vec![1, kind];
    out.extend_from_slice(&nonce);
    out.extend(cbc::Encryptor::<Aes256>::new(&aes.into(), &iv.into()).encrypt_padded_vec::<Pkcs7>(body));
    let mac = hmac(&mac_key, &out);
    out.extend_from_slice(&mac);
    olm::base64_encode(out)
}

/// Opens our envelope (the inverse of [`envelope_seal`]).
pub fn envelope_open(kind: u8, key: &[u8; 32], pickle: &str) -> Option<Vec<u8>> {
    let bytes = olm::base64_decode(pickle).ok()?;
    if bytes.len() < 18 + 32 || bytes[0] != 1 || bytes[1] != kind {
        return None;
    }
    let (authenticated, mac) = bytes.split_at(bytes.len() - 32);
    let mut info = b"olm pickle v1".to_vec();
    info.push(kind);
    let (aes, mac_key, iv) = expand(Some(&bytes[2..18]), key, &info);
    if hmac(&mac_key, authenticated) != *mac {
        return None;
    }
    cbc::Decryptor::<Aes256>::new(&aes.into(), &iv.into())
        .decrypt_padded_vec::<Pkcs7>(&authenticated[18..])
        .ok()
}

/// Appends a protobuf varint.
pub fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a bytes field.
pub fn bytes_field(out: &mut Vec<u8>, number: u64, contents: &[u8]) {
    varint(out, number << 3 | 2);
    varint(out, contents.len() as u64);
    out.extend_from_slice(contents);
}

/// `bytes` with bit `bit` (modulo its length in bits) flipped; empty input
/// stays empty.
pub fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if !out.is_empty() {
        let bit = bit % (out.len() * 8);
        out[bit / 8] ^= 1 << (bit % 8);
    }
    out
}

/// Reads a varint from the start of `bytes`.
pub fn read_varint(bytes: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The length of the varint at the start of `bytes`.
pub fn varint_len(bytes: &[u8]) -> Option<usize> {
    bytes.iter().take(10).position(|b| b & 0x80 == 0).map(|p| p + 1)
}
