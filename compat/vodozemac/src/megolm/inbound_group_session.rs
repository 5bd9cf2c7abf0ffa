//! vodozemac's `InboundGroupSession`, its pickle and its errors, on
//! `olm::megolm::InboundGroupSession`.

use super::{ExportedSessionKey, GroupSession, MegolmMessage, SessionConfig, SessionKey};
use crate::{
    SignatureError,
    olm::{MacError, UnpadError},
    types::InvalidSignature,
};

/// vodozemac's libolm inbound group session pickle version.
#[cfg(feature = "libolm-compat")]
const LIBOLM_INBOUND_GROUP_SESSION_VERSION: u32 = 2;

/// The result of a comparison between two [`InboundGroupSession`] types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionOrdering {
    /// The sessions are the same.
    Equal,
    /// The first session has a better initial message index than the second
    /// one.
    Better,
    /// The first session has a worse initial message index than the second
    /// one.
    Worse,
    /// The sessions are not the same, they can't be compared.
    Unconnected,
}

/// Error type for Megolm-based decryption failures.
#[derive(Debug, thiserror::Error)]
pub enum DecryptionError {
    /// The signature on the message was invalid.
    #[error("The signature on the message was invalid: {0}")]
    Signature(#[from] SignatureError),
    /// The message authentication code of the message was invalid.
    #[error("Failed decrypting Megolm message, invalid MAC: {0}")]
    InvalidMAC(#[from] MacError),
    /// The length of the message authentication code of the message did not
    /// match our expected length.
    #[error("Failed decrypting Olm message, invalid MAC length: expected {0}, got {1}")]
    InvalidMACLength(usize, usize),
    /// The ciphertext of the message isn't padded correctly.
    #[error("Failed decrypting Megolm message, invalid padding")]
    InvalidPadding(#[from] UnpadError),
    /// The session is missing the correct message key to decrypt the message,
    /// The Session has been ratcheted forwards and the message key isn't
    /// available anymore.
    #[error(
        "The message was encrypted using an unknown message index, \
        first known index {0}, index of the message {1}"
    )]
    UnknownMessageIndex(u32, u32),
}

impl From<::olm::megolm::DecryptionError> for DecryptionError {
    fn from(error: ::olm::megolm::DecryptionError) -> Self {
        use ::olm::megolm::DecryptionError as E;
        match error {
            E::Signature => Self::Signature(SignatureError::Signature(InvalidSignature)),
            E::InvalidPadding => Self::InvalidPadding(UnpadError),
            E::UnknownMessageIndex(first, got) => Self::UnknownMessageIndex(first, got),
            E::InvalidMacLength { expected, got } => Self::InvalidMACLength(expected, got),
            _ => Self::InvalidMAC(MacError),
        }
    }
}

/// The result of a successful Megolm decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptedMessage {
    /// The plaintext of the message.
    pub plaintext: Vec<u8>,
    /// The message index of the decrypted message.
    pub message_index: u32,
}

/// A Megolm inbound group session represents a single sending participant
/// in an encrypted group communication context containing multiple receiving
/// parties.
pub struct InboundGroupSession(pub(crate) ::olm::megolm::InboundGroupSession);

impl InboundGroupSession {
    /// Create a new [`InboundGroupSession`] from a [`SessionKey`]; its
    /// signing key counts as verified (the key was signed with it).
    pub fn new(key: &SessionKey, session_config: SessionConfig) -> Self {
        Self(::olm::megolm::InboundGroupSession::new(&key.0, session_config.to_olm()))
    }

    /// Create an [`InboundGroupSession`] from an exported version of the
    /// group session; its signing key does not count as verified.
    pub fn import(session_key: &ExportedSessionKey, session_config: SessionConfig) -> Self {
        Self(::olm::megolm::InboundGroupSession::import(
            &session_key.0,
            session_config.to_olm(),
        ))
    }

    /// Returns the globally unique session ID, in base64-encoded form.
    pub fn session_id(&self) -> String {
        self.0.session_id()
    }

    /// Check if two [`InboundGroupSession`]s are the same session: the same
    /// config and signing key, and ratchets that lead to one another.
    pub fn connected(&mut self, other: &mut InboundGroupSession) -> bool {
        self.0.connected(&other.0)
    }

    /// Compare the [`InboundGroupSession`] with the given other
    /// [`InboundGroupSession`].
    pub fn compare(&mut self, other: &mut InboundGroupSession) -> SessionOrdering {
        use ::olm::megolm::SessionOrdering as O;
        match self.0.compare(&other.0) {
            O::Equal => SessionOrdering::Equal,
            O::Better => SessionOrdering::Better,
            O::Worse => SessionOrdering::Worse,
            _ => SessionOrdering::Unconnected,
        }
    }

    /// Merge the session with the given other session, picking the best
    /// parts from each of them; `None` if they are not connected.
    pub fn merge(&mut self, other: &mut InboundGroupSession) -> Option<InboundGroupSession> {
        self.0.merge(&other.0).map(Self)
    }

    /// Get the first message index we know how to decrypt.
    pub fn first_known_index(&self) -> u32 {
        self.0.first_known_index()
    }

    /// Permanently advances the session to the specified message index;
    /// `false` if it was already at or beyond it.
    pub fn advance_to(&mut self, index: u32) -> bool {
        self.0.advance_to(index)
    }

    /// Decrypt the given [`MegolmMessage`]; a failure changes nothing.
    pub fn decrypt(&mut self, message: &MegolmMessage) -> Result<DecryptedMessage, DecryptionError> {
        let mut decrypted = self.0.decrypt(&message.0)?;
        Ok(DecryptedMessage {
            plaintext: std::mem::take(&mut decrypted.plaintext),
            message_index: decrypted.message_index,
        })
    }

    /// Export the [`InboundGroupSession`] at the given index; `None` if the
    /// session does not know it.
    pub fn export_at(&mut self, index: u32) -> Option<ExportedSessionKey> {
        self.0.export_at(index).map(ExportedSessionKey)
    }

    /// Export the [`InboundGroupSession`] at the first index it knows.
    pub fn export_at_first_known_index(&self) -> ExportedSessionKey {
        ExportedSessionKey(self.0.export_at_first_known_index())
    }

    /// Convert the inbound group session into a struct which implements
    /// [`serde::Serialize`] and [`serde::Deserialize`].
    pub fn pickle(&self) -> InboundGroupSessionPickle {
        InboundGroupSessionPickle::written(&self.0)
    }

    /// Restore an [`InboundGroupSession`] from a previously saved
    /// [`InboundGroupSessionPickle`].
    pub fn from_pickle(pickle: InboundGroupSessionPickle) -> Self {
        pickle.into()
    }

    /// Create an [`InboundGroupSession`] object by unpickling a session
    /// pickle in libolm legacy pickle format.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_pickle(pickle: &str, pickle_key: &[u8]) -> Result<Self, crate::LibolmPickleError> {
        ::olm::megolm::InboundGroupSession::from_libolm_pickle(pickle, pickle_key)
            .map(Self)
            .map_err(|e| crate::LibolmPickleError::reading(e, LIBOLM_INBOUND_GROUP_SESSION_VERSION))
    }
}

impl From<&GroupSession> for InboundGroupSession {
    fn from(session: &GroupSession) -> Self {
        Self(::olm::megolm::InboundGroupSession::from(&session.0))
    }
}

/// vodozemac reads an inbound group session directly from its pickle's serde
/// form.
impl<'de> serde::Deserialize<'de> for InboundGroupSession {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        InboundGroupSessionPickle::deserialize(deserializer).map(Self::from)
    }
}

crate::pickle::facade_pickle!(
    InboundGroupSession,
    ::olm::megolm::InboundGroupSession,
    InboundGroupSessionPickle,
    ::olm::pickle::vodozemac::InboundGroupSessionPickle
);
