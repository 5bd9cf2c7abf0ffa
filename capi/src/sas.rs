//! `OlmSAS`: short authentication strings (olm/sas.h).

use std::ffi::c_void;

use olm_core::{
    Curve25519PublicKey,
    sas::{EstablishedSas, InvalidCount, Sas},
};
use zeroize::Zeroizing;

use crate::{
    buf::{In, Out},
    encoding::{self, KEY_B64},
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle, query},
    rng::Replay,
};

/// The opaque SAS type of the C API.
#[repr(C)]
pub struct OlmSAS {
    _private: [u8; 0],
}

/// A SAS key pair and, once the other side's key is set, the exchange.
///
/// libolm lets the other side's key be set again, recomputing the secret
/// with the same key pair; the core crate's `Sas` is consumed by the
/// exchange, so the 32 secret bytes are kept to make it again.
pub struct SasState {
    secret: Zeroizing<[u8; 32]>,
    public_key: Curve25519PublicKey,
    established: Option<EstablishedSas>,
}

impl SasState {
    fn sas(&self) -> Sas {
        Sas::new_with_rng(&mut Replay::new(self.secret.as_slice()))
    }
}

/// The SAS kind of object.
pub enum SasKind {}

impl Kind for SasKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmSASOB");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = SasState;
}

lifecycle!(
    SasKind,
    OlmSAS,
    olm_sas,
    olm_clear_sas,
    olm_sas_size,
    olm_sas_last_error,
    olm_sas_last_error_code
);

const RANDOM_LEN: usize = 32;

/// Random bytes `olm_create_sas` needs (32).
#[unsafe(no_mangle)]
pub extern "C" fn olm_create_sas_random_length(_sas: *const OlmSAS) -> usize {
    RANDOM_LEN
}

/// Creates the SAS key pair from 32 random bytes (not wiped, as in libolm).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_create_sas(sas: *mut OlmSAS, random: *mut c_void, random_length: usize) -> usize {
    // SAFETY: the random bytes are readable for their length (the crate's
    // contract).
    let random = unsafe { In::new(random, random_length) };
    call!(SasKind, sas, |object: &mut Object<SasKind>| {
        let secret: Zeroizing<[u8; RANDOM_LEN]> = Zeroizing::new(
            random
                .bytes()
                .get(..RANDOM_LEN)
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or(OlmErrorCode::NotEnoughRandom)?,
        );
        let mut state = SasState {
            secret,
            public_key: Curve25519PublicKey::from_bytes([0; 32]),
            established: None,
        };
        state.public_key = state.sas().public_key();
        object.replace(Some(state));
        Ok(0)
    })
}

/// The length of a base64 public key (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_sas_pubkey_length(_sas: *const OlmSAS) -> usize {
    KEY_B64
}

/// Writes our public key. Returns 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_get_pubkey(sas: *mut OlmSAS, pubkey: *mut c_void, pubkey_length: usize) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(pubkey, pubkey_length) };
    call!(SasKind, sas, |object: &mut Object<SasKind>| {
        out.check(KEY_B64)?;
        out.write(object.state()?.public_key.to_base64().as_bytes())?;
        Ok(0)
    })
}

/// Sets the other side's public key (its first 43 characters). Returns 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_set_their_key(
    sas: *mut OlmSAS,
    their_key: *mut c_void,
    their_key_length: usize,
) -> usize {
    // SAFETY: the key is readable for its length.
    let key = unsafe { In::new(their_key, their_key_length) };
    call!(SasKind, sas, |object: &mut Object<SasKind>| {
        let key = key.bytes().get(..KEY_B64).ok_or(OlmErrorCode::InputBufferTooSmall)?;
        let key = encoding::curve25519_key(key)?;
        let state = object.state_mut()?;
        let established = state
            .sas()
            .diffie_hellman(key)
            .map_err(|_| OlmErrorCode::InvalidBase64)?;
        state.established = Some(established);
        Ok(0)
    })
}

/// 1 once the other side's key is set, else 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_is_their_key_set(sas: *const OlmSAS) -> i32 {
    query!(SasKind, sas, 0, |object: &Object<SasKind>| {
        object.state().map_or(0, |state| i32::from(state.established.is_some()))
    })
}

/// The exchange, or `SAS_THEIR_KEY_NOT_SET`.
fn established(object: &Object<SasKind>) -> Result<&EstablishedSas, OlmErrorCode> {
    object
        .state()
        .ok()
        .and_then(|state| state.established.as_ref())
        .ok_or(OlmErrorCode::SasTheirKeyNotSet)
}

/// Writes `output_length` bytes derived for `info`. Returns 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_generate_bytes(
    sas: *mut OlmSAS,
    info: *const c_void,
    info_length: usize,
    output: *mut c_void,
    output_length: usize,
) -> usize {
    // SAFETY: the info is readable and the output buffer writable for their
    // lengths.
    let (info, out) = unsafe { (In::new(info, info_length), Out::new(output, output_length)) };
    call!(SasKind, sas, |object: &mut Object<SasKind>| {
        let sas = established(object)?;
        out.check(output_length)?;
        let bytes = Zeroizing::new(
            sas.bytes_raw(info.bytes(), output_length)
                .map_err(|_: InvalidCount| OlmErrorCode::OutputBufferTooSmall)?,
        );
        out.write(&bytes)?;
        Ok(0)
    })
}

/// The length of a MAC (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_sas_mac_length(_sas: *const OlmSAS) -> usize {
    KEY_B64
}

/// The three MAC functions: the checks, then `mac` of the exchange, input
/// and info.
fn calculate_mac(
    sas: *mut OlmSAS,
    input: In,
    info: In,
    out: Out,
    mac: impl FnOnce(&EstablishedSas, &[u8], &[u8]) -> String,
) -> usize {
    call!(SasKind, sas, |object: &mut Object<SasKind>| {
        out.check(KEY_B64)?;
        let sas = established(object)?;
        out.write(mac(sas, input.bytes(), info.bytes()).as_bytes())?;
        Ok(0)
    })
}

/// The MAC in libolm's malformed base64 (method `hkdf-hmac-sha256`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_calculate_mac(
    sas: *mut OlmSAS,
    input: *const c_void,
    input_length: usize,
    info: *const c_void,
    info_length: usize,
    mac: *mut c_void,
    mac_length: usize,
) -> usize {
    // SAFETY: the input and info are readable and the MAC buffer writable
    // for their lengths.
    let (input, info, out) = unsafe {
        (
            In::new(input, input_length),
            In::new(info, info_length),
            Out::new(mac, mac_length),
        )
    };
    calculate_mac(sas, input, info, out, |sas, input, info| {
        sas.calculate_mac_invalid_base64(input, info)
    })
}

/// The MAC in correct base64 (method `hkdf-hmac-sha256.v2`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_calculate_mac_fixed_base64(
    sas: *mut OlmSAS,
    input: *const c_void,
    input_length: usize,
    info: *const c_void,
    info_length: usize,
    mac: *mut c_void,
    mac_length: usize,
) -> usize {
    // SAFETY: as for `olm_sas_calculate_mac`.
    let (input, info, out) = unsafe {
        (
            In::new(input, input_length),
            In::new(info, info_length),
            Out::new(mac, mac_length),
        )
    };
    calculate_mac(sas, input, info, out, |sas, input, info| {
        sas.calculate_mac(input, info).to_base64()
    })
}

/// The MAC with a 256-byte key, in the malformed base64 (method
/// `hmac-sha256`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_sas_calculate_mac_long_kdf(
    sas: *mut OlmSAS,
    input: *const c_void,
    input_length: usize,
    info: *const c_void,
    info_length: usize,
    mac: *mut c_void,
    mac_length: usize,
) -> usize {
    // SAFETY: as for `olm_sas_calculate_mac`.
    let (input, info, out) = unsafe {
        (
            In::new(input, input_length),
            In::new(info, info_length),
            Out::new(mac, mac_length),
        )
    };
    calculate_mac(sas, input, info, out, |sas, input, info| {
        sas.calculate_mac_long_kdf_invalid_base64(input, info)
    })
}
