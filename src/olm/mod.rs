//! Olm: the double ratchet that Matrix devices use for one-to-one channels
//! (libolm's `docs/olm.md`).
//!
//! An [`Account`] holds a device's identity keys and one-time keys. Alice
//! opens a [`Session`] to Bob from his identity key and one of his one-time
//! keys; her first messages are [`PreKeyMessage`]s, from which Bob creates his
//! side of the session. From then on both sides exchange [`Message`]s.
//!
//! ```
//! use olm::olm::{Account, OlmMessage, SessionConfig};
//!
//! let alice = Account::new();
//! let mut bob = Account::new();
//! bob.generate_one_time_keys(1);
//! let bob_otk = *bob.one_time_keys().values().next().unwrap();
//! bob.mark_keys_as_published();
//!
//! let mut alice_session = alice
//!     .create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), bob_otk)
//!     .unwrap();
//! let OlmMessage::PreKey(first) = alice_session.encrypt("Hello, Bob") else { unreachable!() };
//!
//! let created = bob.create_inbound_session(alice.curve25519_key(), &first).unwrap();
//! assert_eq!(created.plaintext, b"Hello, Bob");
//! let mut bob_session = created.session;
//!
//! let reply = bob_session.encrypt("Hi, Alice");
//! assert_eq!(alice_session.decrypt(&reply).unwrap(), b"Hi, Alice");
//! assert_eq!(alice_session.session_id(), bob_session.session_id());
//! ```

mod account;
mod messages;
mod session;
mod session_config;
mod session_keys;
mod shared_secret;

pub use account::{
    Account, DehydratedDeviceError, DehydratedDeviceResult, IdentityKeys, InboundCreationResult,
    LIBOLM_ONE_TIME_KEY_CAPACITY, OneTimeKeyGenerationResult, PUBLISHED_ONE_TIME_KEYS, VODOZEMAC_ONE_TIME_KEY_CAPACITY,
};
pub(crate) use account::{FallbackKeys, KeyIds, OneTimeKey};
pub use messages::{Message, MessageType, OlmMessage, PreKeyMessage};
pub use session::Session;
pub(crate) use session::{
    ChainKey, DoubleRatchet, MAX_RECEIVING_CHAINS, MessageKey, PublicHalf, ReceiverChain, RootKey, SendingChain,
    SendingKey, SkippedKeyLimit, SkippedMessageKey,
};
pub use session_config::SessionConfig;
pub use session_keys::SessionKeys;

use crate::{Curve25519PublicKey, KeyError};

/// An Olm message could not be decrypted. The session is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptionError {
    /// The MAC does not match: the message was altered, or it does not
    /// belong to this session. Also returned, as libolm does, for a new
    /// ratchet key arriving before we have replied to the previous one.
    #[error(
        "the message's MAC is invalid: it was altered or is not for this session; try another session with this sender, else drop it"
    )]
    InvalidMac,
    /// The MAC matched but the ciphertext's length or padding is malformed:
    /// the sender, who holds the key, produced a broken message.
    #[error(
        "the MAC matched but the ciphertext has an invalid length or padding: the sender produced a broken message; drop it"
    )]
    InvalidPadding,
    /// The key for this message index was already used, or was dropped to
    /// stay within the skipped-key limit. A replayed message ends here.
    #[error(
        "the message key for index {0} was already used or is no longer kept: the message is a replay or arrived too late; drop it"
    )]
    MissingMessageKey(u32),
    /// The message is too far ahead of its chain: at most 2000 message keys
    /// are skipped at once.
    #[error(
        "message index {0} is too far ahead of the chain at index {1} (at most 2000 keys are skipped); it cannot be decrypted, and the sender should start a new session"
    )]
    TooBigMessageGap(u32, u32),
    /// The message's ratchet key is a low-order point.
    #[error(
        "the message's ratchet key is a low-order point, so the key exchange would not be contributory: the message is forged; drop it"
    )]
    NonContributoryKey,
    /// The message's MAC has another length than the session's variant
    /// uses: an Olm v2 message (version byte 4, 32-byte MAC) sent to a v1
    /// session, or the reverse. The two sides disagree on the
    /// [`SessionConfig`].
    #[error(
        "the message's MAC is {got} bytes but this session uses {expected}-byte MACs: the message is of another Olm variant (SessionConfig) than the session; drop it"
    )]
    InvalidMacLength {
        /// The MAC length of the session's variant.
        expected: usize,
        /// The MAC length of the message's variant.
        got: usize,
    },
}

/// A session could not be created. The account is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionCreationError {
    /// The pre-key message names a one-time key this account does not hold:
    /// it was already used, dropped, or never ours.
    #[error(
        "the one-time key {0} is not held by this account (already used, dropped, or not ours): the sender should claim a fresh one-time key"
    )]
    MissingOneTimeKey(Curve25519PublicKey),
    /// The pre-key message claims another identity key than the caller
    /// expects for its sender.
    #[error(
        "the pre-key message comes from identity key {got}, but {expected} was expected: it is not from the claimed sender; drop it"
    )]
    MismatchedIdentityKey {
        /// The identity key the caller gave.
        expected: Curve25519PublicKey,
        /// The identity key in the message.
        got: Curve25519PublicKey,
    },
    /// A key of the other side is a low-order point, so the key exchange
    /// would not be contributory.
    #[error(
        "a key of the other side is a low-order point, so the key exchange would not be contributory: refuse that key, it is forged or corrupt"
    )]
    NonContributoryKey,
    /// The pre-key message's inner message is of another Olm variant than the
    /// caller expects: version byte 4 (v2) where v1 was expected, or the
    /// reverse. Nothing was decrypted.
    #[error(
        "the pre-key message is of Olm version {}, but version {} was expected: the sender chose another SessionConfig; drop it or retry with that config",
        got.version(),
        expected.version()
    )]
    MismatchedSessionConfig {
        /// The variant the caller expects.
        expected: SessionConfig,
        /// The variant of the message.
        got: SessionConfig,
    },
    /// The message inside the pre-key message did not decrypt.
    #[error("the pre-key message did not decrypt ({0}); no session was created and the one-time key is kept")]
    Decryption(#[from] DecryptionError),
}

impl From<KeyError> for SessionCreationError {
    fn from(_: KeyError) -> Self {
        // Key exchanges are the only key operation in session creation.
        Self::NonContributoryKey
    }
}
