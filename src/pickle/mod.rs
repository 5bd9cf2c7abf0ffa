//! Storing accounts and sessions: our own pickle format and libolm's.
//!
//! Our format (`pickle` / `from_pickle`, documented byte by byte in
//! `docs/pickle-format.md`) is a versioned compact binary sealed with a fresh
//! random nonce and a full 32-byte MAC. libolm's (`to_libolm_pickle` /
//! `from_libolm_pickle`) is read and written byte for byte, so a migration
//! can go both ways.
//!
//! Pickles hold every secret of the object: keep the pickle key secret, and
//! use a different key per store.
//!
//! ```
//! use olm::{megolm::{GroupSession, SessionConfig}, olm::Account, PickleError};
//!
//! let key = [0x42u8; 32]; // from the platform's key store, not a constant
//! let mut account = Account::new();
//! account.generate_one_time_keys(2);
//!
//! // Our format: a new nonce every time, so equal states give different pickles.
//! let pickle = account.pickle(&key);
//! assert_ne!(pickle, account.pickle(&key));
//! let restored = Account::from_pickle(&pickle, &key).unwrap();
//! assert_eq!(restored.identity_keys(), account.identity_keys());
//! assert_eq!(Account::from_pickle(&pickle, &[0u8; 32]).unwrap_err(), PickleError::Mac);
//!
//! // libolm's format, byte for byte, with a key of any length.
//! let session = GroupSession::new(SessionConfig::version_1());
//! let libolm = session.to_libolm_pickle(b"libolm key").unwrap();
//! let imported = GroupSession::from_libolm_pickle(&libolm, b"libolm key").unwrap();
//! assert_eq!(imported.session_id(), session.session_id());
//! assert_eq!(imported.to_libolm_pickle(b"libolm key").unwrap(), libolm);
//! ```

mod account;
mod checks;
mod codec;
#[cfg(test)]
mod config_tests;
mod envelope;
#[cfg(any(feature = "libolm-compat", feature = "vodozemac-compat"))]
mod libolm;
#[cfg(feature = "hazmat")]
pub(crate) use libolm::{decrypt as libolm_decrypt, encrypt as libolm_encrypt};
mod megolm;
mod methods;
mod pk;
mod session;
#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod size_tests;
#[cfg(feature = "vodozemac-compat")]
pub mod vodozemac;

use crate::encoding::Base64DecodeError;

/// The length of the key our own pickle format takes.
pub const PICKLE_KEY_LENGTH: usize = 32;

/// A pickle could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PickleError {
    /// The pickle is not valid base64.
    #[error("the pickle is not valid base64 ({0}): it was damaged in storage")]
    Base64(#[from] Base64DecodeError),
    /// The MAC does not match: the pickle key is wrong, or the pickle was
    /// altered or truncated. Nothing was decrypted.
    #[error(
        "the pickle key is wrong or the pickle was altered (its MAC does not match): check the key; nothing was decrypted"
    )]
    Mac,
    /// The pickle is of a version or object kind this crate cannot read.
    #[error(
        "unsupported pickle version {0}: it was written by a newer or different library, or is another kind of pickle"
    )]
    Version(u32),
    /// The pickle is an older libolm account format whose Ed25519 key is
    /// considered compromised (libolm refuses it too); create a new account.
    #[error(
        "libolm account pickles of version 1 hold a compromised Ed25519 key and cannot be imported; create a new account"
    )]
    LegacyAccount,
    /// The pickle ends before its contents do.
    #[error("the pickle is truncated: it was cut short in storage")]
    Truncated,
    /// The pickle has bytes after its contents.
    #[error("the pickle has {0} bytes of trailing data: it was damaged, or holds another kind of object")]
    TrailingData(usize),
    /// The pickle decrypted, but what it holds is not a valid object.
    #[error("the pickle's contents are invalid ({0}): it was damaged or written by faulty software")]
    Invalid(&'static str),
    /// The object holds state that the requested format cannot express;
    /// nothing was written, so nothing was silently left out.
    #[error("the object cannot be written in this pickle format: {0}; keep it in a format that holds it")]
    Unrepresentable(&'static str),
    /// The pickle decrypted, but its JSON is not vodozemac's layout for
    /// this object (its position is given; the text is not, since it holds
    /// secrets).
    #[error("the pickle's JSON is not vodozemac's layout for this object (line {line}, column {column})")]
    Json {
        /// The line of the JSON body where reading failed.
        line: usize,
        /// The column of that line.
        column: usize,
    },
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod tests {
    use alloc::vec::Vec;

    use rand::RngExt;

    use super::{
        envelope::{self, Kind},
        libolm,
    };
    use crate::{
        megolm::{GroupSession, InboundGroupSession, SessionConfig},
        olm::{Account, Session},
        pk::PkDecryption,
    };

    /// Every reader, fed bodies that pass the MAC but hold garbage or
    /// truncated contents, returns an error or a valid object, never panics.
    #[test]
    fn readers_survive_authenticated_garbage() {
        let key = [9u8; 32];
        let mut rng = rand::rng();
        let mut account = Account::new();
        account.generate_one_time_keys(3);
        account.generate_fallback_key();
        let mut group = GroupSession::new(SessionConfig::version_1());
        let inbound = InboundGroupSession::new(&group.session_key(), SessionConfig::version_1());
        group.encrypt("x");
        let session = {
            let bob = Account::new();
            let mut bob_keys = Account::new();
            bob_keys.generate_one_time_keys(1);
            let otk = *bob_keys
                .one_time_keys()
                .values()
                .next()
                .unwrap_or(&bob.curve25519_key());
            bob.create_outbound_session(crate::olm::SessionConfig::version_1(), bob_keys.curve25519_key(), otk)
                .unwrap()
        };
        let body = |pickle: &str| libolm::decrypt(b"", pickle).unwrap().to_vec();
        let samples: [Vec<u8>; 5] = [
            body(&account.to_libolm_pickle(b"").unwrap()),
            body(&session.to_libolm_pickle(b"").unwrap()),
            body(&group.to_libolm_pickle(b"").unwrap()),
            body(&inbound.to_libolm_pickle(b"").unwrap()),
            body(&PkDecryption::new().to_libolm_pickle(b"").unwrap()),
        ];
        let mut bodies: Vec<Vec<u8>> = Vec::new();
        for sample in &samples {
            for len in 0..=sample.len() {
                bodies.push(sample[..len].to_vec());
            }
            for _ in 0..200 {
                let mut body = sample.clone();
                let i = rng.random_range(0..body.len());
                body[i] = rng.random();
                bodies.push(body);
            }
        }
        for _ in 0..200 {
            let len = rng.random_range(0..400);
            bodies.push((0..len).map(|_| rng.random()).collect());
        }
        for body in &bodies {
            let pickle = libolm::encrypt(b"", body);
            let _ = Account::from_libolm_pickle(&pickle, b"");
            let _ = Session::from_libolm_pickle(&pickle, b"");
            let _ = GroupSession::from_libolm_pickle(&pickle, b"");
            let _ = InboundGroupSession::from_libolm_pickle(&pickle, b"");
            let _ = PkDecryption::from_libolm_pickle(&pickle, b"");
            let ours = |kind| envelope::seal(kind, body, &key, &mut rand::rng());
            let _ = Account::from_pickle(&ours(Kind::Account), &key);
            let _ = Session::from_pickle(&ours(Kind::Session), &key);
            let _ = GroupSession::from_pickle(&ours(Kind::GroupSession), &key);
            let _ = InboundGroupSession::from_pickle(&ours(Kind::InboundGroupSession), &key);
            let _ = PkDecryption::from_pickle(&ours(Kind::PkDecryption), &key);
        }
    }
}
