//! Key types: Curve25519 for Diffie-Hellman, Ed25519 for signatures, and the
//! ids under which one-time keys are published.

mod curve25519;
mod ed25519;
mod key_id;
mod secret;

pub(crate) use curve25519::Curve25519Keypair;
pub use curve25519::{Curve25519PublicKey, Curve25519SecretKey};
pub(crate) use ed25519::Ed25519Keypair;
// For src/megolm/batch_tests.rs, which needs these features.
#[cfg(all(test, feature = "std", feature = "libolm-compat"))]
pub(crate) use ed25519::small_order_y_coordinates;
pub use ed25519::{Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature};
pub use key_id::KeyId;
pub(crate) use secret::SecretBox;

use crate::encoding::{Base64DecodeError, base64::FixedDecodeError};

/// A key could not be decoded or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The base64 is malformed.
    #[error("the key is not valid base64 ({0}); keys are standard base64, padded or not")]
    Base64(#[from] Base64DecodeError),
    /// The key does not have the length its type requires.
    #[error("a {key_type} must be {expected} bytes long, got {length}: check that the right value was passed")]
    InvalidKeyLength {
        /// The kind of key that was expected.
        key_type: &'static str,
        /// Its required length in bytes.
        expected: usize,
        /// The length that was given.
        length: usize,
    },
    /// The bytes are not the canonical encoding of a point on Ed25519.
    #[error(
        "the bytes are not the canonical encoding of an Ed25519 public key: the key is corrupt, forged, or not an Ed25519 key"
    )]
    InvalidEd25519Key,
    /// A Diffie-Hellman exchange with this public key gives an all-zero
    /// secret: the key is a low-order point and contributes nothing, so a
    /// session built on it would be readable by anyone.
    #[error(
        "the public key is a low-order point, so a key exchange would not be contributory: refuse it, it is forged or corrupt"
    )]
    NonContributoryKey,
}

impl KeyError {
    fn from_fixed(key_type: &'static str, expected: usize, error: FixedDecodeError) -> Self {
        match error {
            FixedDecodeError::Length(length) => Self::InvalidKeyLength {
                key_type,
                expected,
                length,
            },
            FixedDecodeError::Base64(e) => Self::Base64(e),
        }
    }
}

/// An Ed25519 signature did not verify.
///
/// Verification is strict: besides a mismatch, it rejects a signature scalar
/// `S ≥ ℓ`, non-canonical point encodings and small-order keys or `R`, so that
/// every message has exactly one valid signature per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the Ed25519 signature is not valid for this key and message: treat the signed data as forged")]
pub struct SignatureError;
