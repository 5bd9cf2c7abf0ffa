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

mod account;
mod codec;
mod envelope;
mod libolm;
mod megolm;
mod pk;
mod session;

use crate::encoding::Base64DecodeError;

/// The length of the key our own pickle format takes.
pub const PICKLE_KEY_LENGTH: usize = 32;

/// A pickle could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PickleError {
    /// The pickle is not valid base64.
    #[error("the pickle is not valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The MAC does not match: the pickle key is wrong, or the pickle was
    /// altered or truncated. Nothing was decrypted.
    #[error("the pickle key is wrong or the pickle was altered (its MAC does not match)")]
    Mac,
    /// The pickle is of a version or object kind this crate cannot read.
    #[error("unsupported pickle version {0}")]
    Version(u32),
    /// The pickle is an older libolm account format whose Ed25519 key is
    /// considered compromised (libolm refuses it too); create a new account.
    #[error("libolm account pickles of version 1 hold a compromised Ed25519 key and cannot be imported")]
    LegacyAccount,
    /// The pickle ends before its contents do.
    #[error("the pickle is truncated")]
    Truncated,
    /// The pickle has bytes after its contents.
    #[error("the pickle has {0} bytes of trailing data")]
    TrailingData(usize),
    /// The pickle decrypted, but what it holds is not a valid object.
    #[error("the pickle's contents are invalid: {0}")]
    Invalid(&'static str),
}
