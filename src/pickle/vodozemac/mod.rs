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
pub mod public_keys;
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
                crate::stack::scrubbed(|| super::encrypt(&self, key))
            }

            #[doc = concat!("Decrypts what vodozemac's `", $name, "Pickle::encrypt` wrote.")]
            pub fn from_encrypted(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
                crate::stack::scrubbed(|| super::decrypt(pickle, key))
            }
        }

        impl $object {
            #[doc = concat!("Reads what vodozemac's `", $name, "::pickle().encrypt(key)` wrote.")]
            pub fn from_vodozemac_pickle(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
                crate::stack::scrubbed(|| super::decrypt::<$pickle>(pickle, key)?.try_into())
            }

            #[doc = concat!(
                                        "Writes vodozemac's encrypted pickle, which vodozemac's `", $name,
                                        "Pickle::from_encrypted` reads: for the same state, vodozemac's exact string."
                                    )]
            pub fn to_vodozemac_pickle(&self, key: &[u8; PICKLE_KEY_LENGTH]) -> String {
                crate::stack::scrubbed(|| super::encrypt(&<$pickle>::from(self), key))
            }
        }
    };
}
use vodozemac_pickle_methods;

/// Encrypts a pickle struct as vodozemac's `encrypt` does. The callers
/// scrub the stack: one scrub for the whole operation.
fn encrypt<T: Serialize + JsonCapacity>(pickle: &T, key: &[u8; PICKLE_KEY_LENGTH]) -> String {
    let mut encrypted = libolm::encrypt(key, &json(pickle));
    // Moved out, not copied: the pickle is encrypted, and what is left
    // behind is an empty string.
    core::mem::take(&mut *encrypted)
}

/// The JSON of a pickle struct. With `std` it is written into a buffer that
/// grows without leaving a copy behind; serde_json writes only to a plain
/// growing `Vec` without it.
fn json<T: Serialize + JsonCapacity>(pickle: &T) -> Zeroizing<Vec<u8>> {
    // The structs hold only numbers, byte strings, sequences and maps with
    // integer keys, all of which JSON encodes: writing cannot fail.
    #[cfg(feature = "std")]
    {
        let mut json = JsonBuffer(Zeroizing::new(Vec::with_capacity(pickle.json_capacity())));
        let _ = serde_json::to_writer(&mut json, pickle);
        json.0
    }
    #[cfg(not(feature = "std"))]
    Zeroizing::new(serde_json::to_vec(pickle).unwrap_or_default())
}

/// A pickle struct's guess of the length of its JSON, from its counts: a
/// buffer that big seldom grows, and a buffer much bigger would cost its
/// wiping (the whole capacity is wiped on drop).
trait JsonCapacity {
    fn json_capacity(&self) -> usize;
}

/// A JSON buffer that, when full, is replaced by a larger one and dropped
/// through `Zeroizing`, which wipes it (a `Vec` that grows by itself frees
/// its old buffer unwiped). serde_json writes a few bytes at a time, so the
/// common path is kept to a capacity check and a copy.
#[cfg(feature = "std")]
struct JsonBuffer(Zeroizing<Vec<u8>>);

#[cfg(feature = "std")]
impl JsonBuffer {
    #[cold]
    fn grow(&mut self, more: usize) {
        let needed = self.0.len().saturating_add(more);
        let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(self.0.capacity().saturating_mul(2))));
        grown.extend_from_slice(&self.0);
        self.0 = grown;
    }
}

#[cfg(feature = "std")]
impl std::io::Write for JsonBuffer {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.0.capacity() - self.0.len() < bytes.len() {
            self.grow(bytes.len());
        }
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Decrypts what [`encrypt`] (or vodozemac) wrote.
fn decrypt<T: DeserializeOwned>(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<T, PickleError> {
    let json: Zeroizing<Vec<u8>> = libolm::decrypt(key, pickle)?;
    serde_json::from_slice(&json).map_err(|e| PickleError::Json {
        line: e.line(),
        column: e.column(),
    })
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::{
        megolm::{GroupSession, InboundGroupSession, SessionConfig},
        olm::Account,
    };

    /// The buffer replaces itself when full (so the old one is wiped), with
    /// exactly the room needed or twice the old, and not when the bytes
    /// just fit; a `Vec` growing by itself would round up to 8 instead.
    #[test]
    fn the_json_buffer_grows_itself() {
        use std::io::Write;
        let mut buffer = JsonBuffer(Zeroizing::new(Vec::new()));
        assert_eq!(buffer.write(b"{").unwrap(), 1);
        assert_eq!(buffer.0.capacity(), 1);
        buffer.write_all(b"}").unwrap();
        assert_eq!(buffer.0.capacity(), 2);
        buffer.write_all(b"[1,2]").unwrap();
        assert_eq!(buffer.0.capacity(), 7);
        let mut exact = JsonBuffer(Zeroizing::new(Vec::with_capacity(4)));
        assert_eq!(exact.write(b"true").unwrap(), 4);
        assert_eq!(exact.0.capacity(), 4, "exactly full, not grown");
        buffer.flush().unwrap();
        assert_eq!(buffer.0.as_slice(), b"{}[1,2]");
    }

    /// The guesses hold the JSON of the largest usual objects without
    /// growing, and are at most twice its size: an account with 100 unpublished keys (each there twice), a
    /// session with skipped keys on five chains, group sessions.
    #[test]
    fn json_fits_its_first_buffer() {
        fn fits<T: Serialize + JsonCapacity>(what: &str, pickle: &T) {
            let json = json(pickle);
            assert!(
                json.len() <= pickle.json_capacity(),
                "{what}: {} > {}",
                json.len(),
                pickle.json_capacity()
            );
            // Nor much bigger: the whole capacity is wiped on drop.
            assert!(
                pickle.json_capacity() <= 2 * json.len(),
                "{what}: {} is more than twice {}",
                pickle.json_capacity(),
                json.len()
            );
        }
        let mut account = Account::new();
        account.generate_one_time_keys(100);
        account.generate_fallback_key();
        account.generate_fallback_key();
        fits("account", &AccountPickle::from(&account));

        let (_, mut alice, mut bob) = crate::test_rng::outbound_session(&mut rand::rng());
        let crate::olm::OlmMessage::PreKey(first) = alice.encrypt("hi") else {
            unreachable!()
        };
        let mut bob = bob
            .create_inbound_session(alice.session_keys().identity_key, &first)
            .unwrap()
            .session;
        for _ in 0..5 {
            let held: alloc::vec::Vec<_> = (0..8).map(|_| bob.encrypt("held")).collect();
            alice.decrypt(&held[7]).unwrap();
            bob.decrypt(&alice.encrypt("step")).unwrap();
        }
        fits("session", &SessionPickle::from(&alice));

        let group = GroupSession::new(SessionConfig::version_1());
        fits("group session", &GroupSessionPickle::from(&group));
        let inbound = InboundGroupSession::new(&group.session_key(), SessionConfig::version_1());
        fits("inbound group session", &InboundGroupSessionPickle::from(&inbound));
    }
}
