//! vodozemac's pickles (vodozemac 0.11): its encrypted strings and the serde
//! structs behind them, read and written so that a store written by
//! vodozemac opens here and a store written here opens in vodozemac.
//!
//! An encrypted vodozemac pickle is the JSON of the pickle struct, encrypted
//! as libolm encrypts its pickles (keys and IV from HKDF-SHA-256 of the
//! 32-byte pickle key with info `Pickle`, AES-256-CBC, the first 8 bytes of
//! an HMAC-SHA-256 appended), in unpadded base64 (vodozemac's
//! `utilities::pickle`). The encryption is deterministic, so the same state
//! under the same key gives vodozemac's exact string.
//!
//! The structs mirror vodozemac's serde layout field for field, so records
//! that embed them (matrix-sdk-crypto stores them inside its own, as JSON
//! and MessagePack) read and write the same bytes. Unlike vodozemac,
//! turning a struct into an object checks it ([`PickleError`]).
//!
//! [`Ed25519SecretKey`](crate::Ed25519SecretKey) and
//! [`Curve25519SecretKey`](crate::Curve25519SecretKey) implement serde in
//! vodozemac's form too (raw bytes, not base64), as stores hold them.

mod account;
mod keys;
mod megolm;
mod secret_keys;
mod secret_vec;
mod session;

use alloc::{string::String, vec::Vec};

pub use account::AccountPickle;
pub use megolm::{GroupSessionPickle, InboundGroupSessionPickle};
use serde::{Serialize, de::DeserializeOwned};
pub use session::SessionPickle;
use zeroize::Zeroizing;

use super::{PICKLE_KEY_LENGTH, PickleError, libolm};

/// `from_vodozemac_pickle` and `to_vodozemac_pickle` for an object, and
/// `encrypt`, `from_encrypted` and `Debug` for its pickle struct: the same
/// for all four.
macro_rules! vodozemac_pickle_methods {
    ($object:ty, $pickle:ty, $name:literal, $shown:literal => $show:expr) => {
        /// Shows one count, no secret.
        impl core::fmt::Debug for $pickle {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($pickle))
                    .field($shown, &($show)(self))
                    .finish_non_exhaustive()
            }
        }

        impl $pickle {
            #[doc = concat!("Encrypts the pickle as vodozemac's `", $name, "Pickle::encrypt` does.")]
            pub fn encrypt(self, key: &[u8; PICKLE_KEY_LENGTH]) -> String {
                super::encrypt(&self, key)
            }

            #[doc = concat!("Decrypts what vodozemac's `", $name, "Pickle::encrypt` wrote.")]
            pub fn from_encrypted(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
                super::decrypt(pickle, key)
            }
        }

        impl $object {
            #[doc = concat!("Reads what vodozemac's `", $name, "::pickle().encrypt(key)` wrote.")]
            pub fn from_vodozemac_pickle(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
                crate::stack::scrubbed(|| <$pickle>::from_encrypted(pickle, key)?.try_into())
            }

            #[doc = concat!(
                                        "Writes vodozemac's encrypted pickle, which vodozemac's `", $name,
                                        "Pickle::from_encrypted` reads: for the same state, vodozemac's exact string."
                                    )]
            pub fn to_vodozemac_pickle(&self, key: &[u8; PICKLE_KEY_LENGTH]) -> String {
                crate::stack::scrubbed(|| <$pickle>::from(self).encrypt(key))
            }
        }
    };
}
use vodozemac_pickle_methods;

/// Encrypts a pickle struct as vodozemac's `encrypt` does.
fn encrypt<T: Serialize>(pickle: &T, key: &[u8; PICKLE_KEY_LENGTH]) -> String {
    crate::stack::scrubbed(|| String::from(libolm::encrypt(key, &json(pickle)).as_str()))
}

/// The JSON of a pickle struct, in a buffer that never grew: the text is
/// counted first, so that no copy of it is freed unwiped. (Without `std`,
/// serde_json writes only to a growing `Vec`.)
fn json<T: Serialize>(pickle: &T) -> Zeroizing<Vec<u8>> {
    // The structs hold only numbers, byte strings, sequences and maps with
    // integer keys, all of which JSON encodes: writing cannot fail.
    #[cfg(feature = "std")]
    {
        struct Counter(usize);
        impl std::io::Write for Counter {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0 = self.0.saturating_add(bytes.len());
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut counter = Counter(0);
        let _ = serde_json::to_writer(&mut counter, pickle);
        let mut json = Zeroizing::new(Vec::with_capacity(counter.0));
        let _ = serde_json::to_writer(&mut *json, pickle);
        json
    }
    #[cfg(not(feature = "std"))]
    Zeroizing::new(serde_json::to_vec(pickle).unwrap_or_default())
}

/// Decrypts what [`encrypt`] (or vodozemac) wrote.
fn decrypt<T: DeserializeOwned>(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<T, PickleError> {
    crate::stack::scrubbed(|| {
        let json: Zeroizing<Vec<u8>> = libolm::decrypt(key, pickle)?;
        serde_json::from_slice(&json).map_err(|e| PickleError::Json {
            line: e.line(),
            column: e.column(),
        })
    })
}
