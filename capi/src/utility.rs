//! `OlmUtility`: SHA-256 and Ed25519 verification (olm/olm.h).

use std::ffi::c_void;

use olm_core::{Ed25519PublicKey, Ed25519Signature, base64_encode};
use sha2::{Digest, Sha256};

use crate::{
    buf::{In, Out},
    encoding::{self, KEY_B64},
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle},
};

/// The opaque utility type of the C API.
#[repr(C)]
pub struct OlmUtility {
    _private: [u8; 0],
}

/// The utility kind of object; it holds no state.
pub enum UtilityKind {}

impl Kind for UtilityKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmUTILS");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = ();
}

lifecycle!(
    UtilityKind,
    OlmUtility,
    olm_utility,
    olm_clear_utility,
    olm_utility_size,
    olm_utility_last_error,
    olm_utility_last_error_code
);

/// The length of a base64 SHA-256 digest (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_sha256_length(_utility: *const OlmUtility) -> usize {
    KEY_B64
}

/// Writes the base64 SHA-256 digest of `input`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sha256(
    utility: *mut OlmUtility,
    input: *const c_void,
    input_length: usize,
    output: *mut c_void,
    output_length: usize,
) -> usize {
    // SAFETY: the input is readable and the output writable for their
    // lengths (the crate's contract).
    let (input, out) = unsafe { (In::new(input, input_length), Out::new(output, output_length)) };
    call!(UtilityKind, utility, |_: &mut Object<UtilityKind>| {
        out.check(KEY_B64)?;
        out.write(base64_encode(Sha256::digest(input.bytes())).as_bytes())
    })
}

/// Verifies an Ed25519 signature; returns 0 if it is valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_ed25519_verify(
    utility: *mut OlmUtility,
    key: *const c_void,
    key_length: usize,
    message: *const c_void,
    message_length: usize,
    signature: *mut c_void,
    signature_length: usize,
) -> usize {
    // SAFETY: the key, message and signature are readable for their lengths.
    let (key, message, signature) = unsafe {
        (
            In::new(key, key_length),
            In::new(message, message_length),
            In::new(signature, signature_length),
        )
    };
    call!(UtilityKind, utility, |_: &mut Object<UtilityKind>| {
        if key.len() != KEY_B64 {
            return Err(OlmErrorCode::InvalidBase64);
        }
        let key_bytes = encoding::decode(key.bytes())?;
        let signature = encoding::decode(signature.bytes())?;
        // A key that is not a valid point verifies nothing.
        let key = Ed25519PublicKey::from_slice(&key_bytes).map_err(|_| OlmErrorCode::BadMessageMac)?;
        let signature = Ed25519Signature::from_slice(&signature).map_err(|_| OlmErrorCode::BadMessageMac)?;
        key.verify(message.bytes(), &signature)
            .map_err(|_| OlmErrorCode::BadMessageMac)?;
        Ok(0)
    })
}
