//! libolm's pickle encryption, the same for every object: keys from
//! HKDF-SHA-256 of the pickle key (any length) under the label `Pickle`,
//! AES-256-CBC, and HMAC-SHA-256 of the ciphertext truncated to 8 bytes,
//! all in unpadded base64.
//!
//! The IV is derived from the key alone, so equal states pickle to equal
//! strings: that is libolm's design, reproduced here for compatibility only.

use alloc::{string::String, vec::Vec};

use zeroize::Zeroizing;

use super::PickleError;
#[cfg(feature = "libolm-compat")]
use super::codec::Writer;
use crate::{
    cipher::{CipherError, CipherKeys, TRUNCATED_MAC_LEN},
    encoding::{base64_decode, base64_encode},
};

const PICKLE_INFO: &[u8] = b"Pickle";

/// Encrypts a raw libolm pickle body as libolm does, with a pickle key of
/// any length.
///
/// This crate's objects have `to_libolm_pickle`; this is for libolm
/// pickles of what it does not model, and for tools that inspect them.
///
/// The result is wiped on drop: under a known or empty key a libolm pickle
/// is as good as plaintext.
pub fn encrypt(key: &[u8], body: &[u8]) -> Zeroizing<String> {
    let keys = CipherKeys::derive(key, PICKLE_INFO);
    let mut out = Zeroizing::new(Vec::with_capacity(
        CipherKeys::ciphertext_len(body.len()) + TRUNCATED_MAC_LEN,
    ));
    keys.encrypt_into(body, &mut out);
    let mac = keys.mac(&out);
    out.extend_from_slice(mac.get(..TRUNCATED_MAC_LEN).unwrap_or_default());
    Zeroizing::new(base64_encode(out.as_slice()))
}

/// The pickle of the body `write` writes: the one way every object makes
/// its libolm pickle.
#[cfg(feature = "libolm-compat")]
pub(crate) fn pickle(key: &[u8], write: impl Fn(&mut Writer)) -> Zeroizing<String> {
    crate::stack::scrubbed(|| encrypt(key, &Writer::exact(write)))
}

/// The exact length of the pickle `pickle` makes of what `write` writes,
/// counted without copying a byte of it.
#[cfg(feature = "libolm-compat")]
pub(crate) fn pickle_len(write: impl FnOnce(&mut Writer)) -> usize {
    crate::stack::scrubbed(|| {
        let mut w = Writer::counter();
        write(&mut w);
        encrypted_len(w.len())
    })
}

/// The length of the pickle `encrypt` makes of a body of `body_len` bytes.
#[cfg(feature = "libolm-compat")]
const fn encrypted_len(body_len: usize) -> usize {
    let raw = CipherKeys::ciphertext_len(body_len) + TRUNCATED_MAC_LEN;
    (raw * 4).div_ceil(3)
}

/// Checks the MAC of a libolm pickle and decrypts it, returning its raw
/// body, wiped on drop.
///
/// Fails with [`PickleError::Base64`], [`PickleError::Truncated`] (shorter
/// than its MAC), [`PickleError::Mac`] (wrong key or altered pickle, nothing
/// decrypted), or [`PickleError::Invalid`] (bad length or padding).
pub fn decrypt(key: &[u8], pickle: &str) -> Result<Zeroizing<Vec<u8>>, PickleError> {
    // Decrypted in place: the buffer holds the body afterwards, so it is
    // wiped on drop.
    let mut bytes = Zeroizing::new(base64_decode(pickle)?);
    let ciphertext_len = bytes
        .len()
        .checked_sub(TRUNCATED_MAC_LEN)
        .ok_or(PickleError::Truncated)?;
    let (ciphertext, mac) = bytes.split_at_mut(ciphertext_len);
    let keys = CipherKeys::derive(key, PICKLE_INFO);
    keys.verify_truncated_mac(ciphertext, mac)
        .map_err(|_| PickleError::Mac)?;
    let len = keys.decrypt_in_place(ciphertext).map_err(|e| match e {
        CipherError::Mac => PickleError::Mac,
        CipherError::Length | CipherError::Padding => PickleError::Invalid("bad ciphertext length or padding"),
    })?;
    bytes.truncate(len);
    Ok(bytes)
}
