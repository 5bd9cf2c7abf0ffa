//! vodozemac 0.11's public API on the [`olm`] crate.
//!
//! This crate is named `vodozemac` so that an application built on vodozemac
//! (matrix-sdk-crypto, for one) can switch to `olm` with one
//! `[patch.crates-io]` line and no change to its code or its stored state:
//! every type, method, error and serde form here is vodozemac's, and every
//! operation is `olm`'s. It adds no cryptography and no wire or pickle
//! format of its own; it converts types and maps errors. Where `olm` is
//! stricter on the wire than vodozemac, the strictness stays: README.md
//! lists each difference.
//!
//! New code should use `olm` directly: its API says more and its errors are
//! finer.

mod errors;
mod pickle;
mod session_config;
mod types;

pub mod ecies;
pub mod hpke;
pub mod megolm;
pub mod olm;
#[cfg(feature = "insecure-pk-encryption")]
pub mod pk_encryption;
pub mod sas;

pub use errors::{
    Base64DecodeError, DecodeError, DehydratedDeviceError, LibolmPickleError, PickleError, ProtoBufDecodeError,
};
pub use types::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519Keypair, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature,
    KeyError, KeyId, SharedSecret, SignatureError,
};

/// Encodes bytes as unpadded standard base64, Matrix's form.
pub fn base64_encode(input: impl AsRef<[u8]>) -> String {
    ::olm::base64_encode(input)
}

/// Decodes standard base64, padded or not.
pub fn base64_decode(input: impl AsRef<[u8]>) -> Result<Vec<u8>, Base64DecodeError> {
    ::olm::base64_decode(input).map_err(Base64DecodeError::from)
}

/// The vodozemac version whose API this crate reproduces.
pub static VERSION: &str = env!("CARGO_PKG_VERSION");
