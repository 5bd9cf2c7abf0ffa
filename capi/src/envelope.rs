//! libolm's pickle encryption, the same for every object, through the core
//! crate's cipher (`olm::hazmat::libolm_pickle_encrypt`/`libolm_pickle_decrypt`), with
//! libolm's error codes.
//!
//! The objects themselves are pickled by the core crate (`to_libolm_pickle`,
//! `from_libolm_pickle`). This module is for what the core does not cover:
//! the pickles of empty objects (libolm pickles an object that was never set
//! up, and its tests check that such a pickle round-trips), the libolm
//! pickle read back to learn facts the core does not expose (a session's
//! chain indices, an account's fallback key), and the `_olm_enc_*`
//! functions, which libolm exports for its unit tests.

use std::ffi::c_void;

use olm_core::{
    PickleError,
    hazmat::{libolm_pickle_decrypt, libolm_pickle_encrypt},
};
use zeroize::Zeroizing;

use crate::{
    buf::{In, Out},
    encoding::{b64_len, cbc_len},
    error::OlmErrorCode,
};

const MAC_LEN: usize = 8;

/// The length of the pickle of a `raw`-byte body.
pub const fn encrypted_len(raw: usize) -> usize {
    b64_len(cbc_len(raw).saturating_add(MAC_LEN))
}

/// Encrypts a pickle body (the core crate's libolm pickle cipher).
pub fn encrypt(key: &[u8], body: &[u8]) -> Zeroizing<String> {
    libolm_pickle_encrypt(key, body)
}

/// Checks and decrypts a pickle, returning its body: `INVALID_BASE64` for
/// bad base64, `BAD_ACCOUNT_KEY` when the MAC does not match (wrong key or
/// altered pickle) or the pickle is shorter than its MAC, `CORRUPTED_PICKLE`
/// for a ciphertext that is not whole blocks with valid padding.
pub fn decrypt(key: &[u8], pickle: &[u8]) -> Result<Zeroizing<Vec<u8>>, OlmErrorCode> {
    let pickle = std::str::from_utf8(pickle).map_err(|_| OlmErrorCode::InvalidBase64)?;
    libolm_pickle_decrypt(key, pickle).map_err(|error| match error {
        PickleError::Truncated => OlmErrorCode::BadAccountKey,
        error => pickle_error(error),
    })
}

/// The body libolm pickles for an object that was never set up: its
/// version (big-endian), then zeros.
pub fn empty_body(version: u32, len: usize) -> Zeroizing<Vec<u8>> {
    let mut body = Zeroizing::new(vec![0u8; len]);
    if let Some(head) = body.get_mut(..4) {
        head.copy_from_slice(&version.to_be_bytes());
    }
    body
}

/// Whether a decrypted body is the pickle of an empty object (`Ok(true)`),
/// of a set-up one (`Ok(false)`), or an empty object's with bytes after it
/// (`PICKLE_EXTRA_DATA`, as libolm reports it).
pub fn is_empty_body(body: &[u8], empty: &[u8]) -> Result<bool, OlmErrorCode> {
    if body == empty {
        Ok(true)
    } else if body.len() > empty.len() && body.starts_with(empty) {
        Err(OlmErrorCode::PickleExtraData)
    } else {
        Ok(false)
    }
}

/// The libolm pickle of an object (`Some`, as the core crate wrote it), or
/// of one that was never set up (`None`; `empty` is that body).
pub fn pickle(
    key: &[u8],
    empty: &[u8],
    object: Option<Result<Zeroizing<String>, PickleError>>,
) -> Result<Zeroizing<String>, OlmErrorCode> {
    match object {
        Some(pickle) => pickle.map_err(|_| OlmErrorCode::CorruptedPickle),
        None => Ok(encrypt(key, empty)),
    }
}

/// Reads the libolm pickle of an object: `Ok(None)` for the pickle of one
/// that was never set up (`empty` is that body), else what `read` makes of
/// the pickle (as text) and its decrypted body.
pub fn unpickle<T>(
    key: &[u8],
    pickle: &[u8],
    empty: &[u8],
    read: impl FnOnce(&str, &[u8]) -> Result<T, PickleError>,
) -> Result<Option<T>, OlmErrorCode> {
    let body = decrypt(key, pickle)?;
    if is_empty_body(&body, empty)? {
        return Ok(None);
    }
    // `decrypt` accepted it, so it is base64 text.
    let text = std::str::from_utf8(pickle).map_err(|_| OlmErrorCode::InvalidBase64)?;
    read(text, &body).map(Some).map_err(pickle_error)
}

/// The length of an encrypted pickle of `raw_length` bytes (libolm's
/// `_olm_enc_output_length`, exported for libolm's unit tests).
#[unsafe(no_mangle)]
pub extern "C" fn _olm_enc_output_length(raw_length: usize) -> usize {
    encrypted_len(raw_length)
}

/// Where in an output buffer a raw pickle of `raw_length` bytes goes before
/// [`_olm_enc_output`] encrypts it in place (libolm's `_olm_enc_output_pos`,
/// exported for libolm's unit tests).
#[unsafe(no_mangle)]
pub extern "C" fn _olm_enc_output_pos(output: *mut u8, raw_length: usize) -> *mut u8 {
    let encrypted = cbc_len(raw_length).saturating_add(MAC_LEN);
    output.wrapping_add(b64_len(encrypted).saturating_sub(encrypted))
}

/// Encrypts the raw pickle of `raw_length` bytes found at
/// `_olm_enc_output_pos(output, raw_length)` and writes the pickle at the
/// start of `output`, which holds `_olm_enc_output_length(raw_length)`
/// bytes. Returns the pickle's length (libolm's `_olm_enc_output`, exported
/// for libolm's unit tests).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _olm_enc_output(
    key: *const u8,
    key_length: usize,
    output: *mut u8,
    raw_length: usize,
) -> usize {
    let total = encrypted_len(raw_length);
    if output.is_null() || total == usize::MAX {
        return usize::MAX;
    }
    let start = _olm_enc_output_pos(output, raw_length);
    // SAFETY: the function's contract: `output` holds `total` writable
    // bytes, the caller wrote `raw_length` bytes at the position this library
    // named inside them, and `key_length` bytes are readable at `key`. The
    // raw bytes are copied out (below) before the output is written.
    let (key, raw, out) = unsafe {
        (
            In::new(key.cast(), key_length),
            In::new(start.cast::<c_void>(), raw_length),
            Out::new(output.cast(), total),
        )
    };
    std::panic::catch_unwind(|| {
        let raw = Zeroizing::new(raw.bytes().to_vec());
        let pickle = encrypt(key.bytes(), &raw);
        out.write(pickle.as_bytes()).unwrap_or(usize::MAX)
    })
    .unwrap_or(usize::MAX)
}

/// Decrypts the pickle of `b64_length` bytes at `input` in place: the raw
/// pickle is written at the start of `input`. Returns its length, or
/// `olm_error()` after storing the reason in `*last_error` when that is not
/// null (libolm's `_olm_enc_input`, exported for libolm's unit tests).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _olm_enc_input(
    key: *const u8,
    key_length: usize,
    input: *mut u8,
    b64_length: usize,
    last_error: *mut u32,
) -> usize {
    // SAFETY: the function's contract: `key_length` readable bytes at `key`,
    // `b64_length` readable and writable ones at `input`, which is read
    // completely before it is written; `last_error` is null or writable.
    let (key, pickle, out, error_out) = unsafe {
        (
            In::new(key.cast(), key_length),
            In::new(input.cast::<c_void>(), b64_length),
            Out::new(input.cast(), b64_length),
            Out::new(last_error.cast(), size_of::<u32>()),
        )
    };
    let outcome = std::panic::catch_unwind(|| {
        let body = decrypt(key.bytes(), pickle.bytes())?;
        // A body is always shorter than its base64.
        out.write(&body)
    })
    .unwrap_or(Err(crate::object::PANIC_CODE));
    outcome.unwrap_or_else(|code| {
        let _ = error_out.write(&(code as u32).to_ne_bytes());
        usize::MAX
    })
}

/// The libolm error code for a pickle the core crate refused.
pub fn pickle_error(error: PickleError) -> OlmErrorCode {
    match error {
        PickleError::Base64(_) => OlmErrorCode::InvalidBase64,
        PickleError::Mac => OlmErrorCode::BadAccountKey,
        PickleError::Version(_) => OlmErrorCode::UnknownPickleVersion,
        PickleError::LegacyAccount => OlmErrorCode::BadLegacyAccountPickle,
        PickleError::TrailingData(_) => OlmErrorCode::PickleExtraData,
        _ => OlmErrorCode::CorruptedPickle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libolm's tests/test_pk.cpp: a PkDecryption pickle
    /// with key `secret_key`.
    const PK_PICKLE: &str = "qx37WTQrjZLz5tId/uBX9B3/okqAbV1ofl9UnHKno1eipByCpXleAAlAZoJgYnCDOQZDQWzo3luTSfkF9pU1mOILCbbouubs6TVeDyPfgGD9i86J8irHjA";

    #[test]
    fn round_trip_with_libolm_pickle() {
        let body = decrypt(b"secret_key", PK_PICKLE.as_bytes()).unwrap();
        assert_eq!(body.len(), 68);
        assert_eq!(body[..4], [0, 0, 0, 1]);
        assert_eq!(encrypt(b"secret_key", &body).as_str(), PK_PICKLE);
        assert_eq!(encrypted_len(68), PK_PICKLE.len());
        assert_eq!(
            decrypt(b"wrong", PK_PICKLE.as_bytes()).unwrap_err(),
            OlmErrorCode::BadAccountKey
        );
        assert_eq!(decrypt(b"", b"!!!!").unwrap_err(), OlmErrorCode::InvalidBase64);
    }

    #[test]
    fn enc_functions_in_place() {
        let raw = b"some raw pickle";
        let total = _olm_enc_output_length(raw.len());
        let mut buffer = vec![0u8; total];
        let pos = _olm_enc_output_pos(buffer.as_mut_ptr(), raw.len());
        let offset = pos as usize - buffer.as_ptr() as usize;
        buffer[offset..offset + raw.len()].copy_from_slice(raw);
        // SAFETY: the buffer holds `total` bytes.
        let written = unsafe { _olm_enc_output(b"k".as_ptr(), 1, buffer.as_mut_ptr(), raw.len()) };
        assert_eq!(written, total);
        assert_eq!(buffer, encrypt(b"k", raw).as_bytes());
        let mut error = 0u32;
        // SAFETY: as above.
        let len = unsafe { _olm_enc_input(b"k".as_ptr(), 1, buffer.as_mut_ptr(), total, &mut error) };
        assert_eq!(&buffer[..len], raw);
        let mut garbage = *b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        // SAFETY: as above.
        let len = unsafe { _olm_enc_input(b"k".as_ptr(), 1, garbage.as_mut_ptr(), garbage.len(), &mut error) };
        assert_eq!(len, usize::MAX);
        assert_eq!(error, OlmErrorCode::BadAccountKey as u32);
    }
}
