//! Megolm: the group ratchet that encrypts Matrix room messages (libolm's
//! `docs/megolm.md`).
//!
//! Each sender owns a [`GroupSession`]. It shares the session's
//! [`SessionKey`] with the room's members over Olm; each member turns it into
//! an [`InboundGroupSession`] and decrypts the sender's [`MegolmMessage`]s
//! with it. Every message is encrypted with a key from the ratchet's current
//! value, MACed, and signed with the session's Ed25519 key, whose public half
//! is the session id.
//!
//! A member can pass the session on from a later index with
//! [`InboundGroupSession::export_at`]; the [`ExportedSessionKey`] is not
//! signed, so a session imported from one is not
//! [verified](InboundGroupSession::is_verified) until merged with one made
//! from a signed key.
//!
//! ```
//! use olm::megolm::{ExportedSessionKey, GroupSession, InboundGroupSession, SessionConfig, SessionKey};
//!
//! let mut outbound = GroupSession::new(SessionConfig::version_1());
//! // The session key travels to each member inside an Olm message.
//! let session_key = SessionKey::from_base64(&outbound.session_key().to_base64()).unwrap();
//! let mut bob = InboundGroupSession::new(&session_key, SessionConfig::version_1());
//! assert_eq!(bob.session_id(), outbound.session_id());
//!
//! let first = outbound.encrypt("Hello, room");
//! let decrypted = bob.decrypt(&first).unwrap();
//! assert_eq!(decrypted.plaintext, b"Hello, room");
//! assert_eq!(decrypted.message_index, 0);
//!
//! // Carol joins later: Bob shares the session from index 1 on.
//! let second = outbound.encrypt("Welcome, Carol");
//! let export = ExportedSessionKey::from_base64(&bob.export_at(1).unwrap().to_base64()).unwrap();
//! let mut carol = InboundGroupSession::import(&export, SessionConfig::version_1());
//! assert_eq!(carol.decrypt(&second).unwrap().plaintext, b"Welcome, Carol");
//! assert!(carol.decrypt(&first).is_err(), "history before index 1 stays unreadable");
//! assert!(!carol.is_verified(), "an export is not signed by the sender");
//! ```
//!
//! # Replays
//!
//! Megolm lets a message be decrypted any number of times, so a server can
//! resend an old message and a session accepts it again. Applications must
//! reject a second message at a (session id, message index) pair they have
//! already accepted; [`ReplayGuard`] does that bookkeeping.
//!
//! # Index wrap-around
//!
//! Indices are `u32` and wrap from `2^32 − 1` to 0, as in libolm. An inbound
//! session reaches the 2^31 indices from its first known one onward, modulo
//! 2^32 (libolm's rule for what is "before" the first index), so it keeps
//! decrypting across the wrap. vodozemac instead compares indices as plain
//! integers: it refuses messages past the wrap but accepts those 2^31 or more
//! ahead. Neither case occurs with sessions rotated as Matrix clients do.

#[cfg(test)]
mod batch_tests;
mod group_session;
mod inbound_group_session;
mod message;
pub(crate) mod ratchet;
mod replay;
mod session_config;
mod session_keys;
#[cfg(test)]
mod tests;

pub use group_session::GroupSession;
pub use inbound_group_session::{DecryptedMessage, InboundGroupSession, SessionOrdering};
pub use message::MegolmMessage;
pub use replay::{ReplayError, ReplayGuard};
pub use session_config::SessionConfig;
pub use session_keys::{ExportedSessionKey, SessionKey};

use crate::DecodeError;

/// A Megolm message could not be decrypted. The session is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptionError {
    /// The signature does not match the session's signing key: the message
    /// was altered, or it comes from another session. Drop it.
    #[error(
        "the message's signature does not match the session's signing key: it was altered or is not from this session"
    )]
    Signature,
    /// The signature is valid but the MAC is not: the sender signed a
    /// message under a ratchet that differs from ours, so our key for this
    /// session is corrupt or forged. Ask for the key again.
    #[error("the message's MAC is invalid: this session's key does not match the sender's; request the key again")]
    InvalidMac,
    /// The MAC matched but the ciphertext's length or padding is malformed:
    /// the sender, who holds the key, produced a broken message.
    #[error("the ciphertext has an invalid length or padding")]
    InvalidPadding,
    /// The message is older than the session's first known index (first
    /// field), or 2^31 or more after it; the second field is the message's
    /// index. Only a key exported at an earlier index can decrypt it.
    #[error(
        "message index {1} is not known to this session, which starts at index {0}; a key exported at or before index {1} is needed"
    )]
    UnknownMessageIndex(u32, u32),
    /// The message's MAC has another length than the session's variant
    /// uses: a Megolm v2 message (version byte 4, 32-byte MAC) given to a v1
    /// session, or the reverse. The session key was shared with another
    /// [`SessionConfig`] than the sender's.
    #[error(
        "the message's MAC is {got} bytes but this session uses {expected}-byte MACs: the message is of another Megolm variant (SessionConfig) than the session"
    )]
    InvalidMacLength {
        /// The MAC length of the session's variant.
        expected: usize,
        /// The MAC length of the message's variant.
        got: usize,
    },
}

/// A [`SessionKey`] or [`ExportedSessionKey`] could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionKeyDecodeError {
    /// The key is malformed: bad base64, wrong length, wrong version byte
    /// (an export given where a session key is expected, or the reverse), or
    /// an invalid signing key.
    #[error("the session key is malformed: {0}")]
    Decode(#[from] DecodeError),
    /// The session key's signature does not match the signing key it
    /// carries: it was altered or forged.
    #[error("the session key's signature is invalid: it was altered or forged")]
    Signature,
}
