//! vodozemac's `Session`, its pickle and its errors, on `olm::olm::Session`.

use std::fmt;

use super::{OlmMessage, SessionConfig, SessionKeys};
use crate::Curve25519PublicKey;

/// vodozemac's libolm session pickle version.
#[cfg(feature = "libolm-compat")]
const LIBOLM_SESSION_VERSION: u32 = 1;

/// A MAC did not match (vodozemac carries the `hmac` crate's error here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, thiserror::Error)]
#[error("MAC tag mismatch")]
pub struct MacError;

/// The padding of a decrypted message is malformed (vodozemac carries the
/// `cbc` padding's error here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, thiserror::Error)]
#[error("Unpad Error")]
pub struct UnpadError;

/// Error type for Olm-based decryption failures.
#[derive(thiserror::Error, Debug)]
pub enum DecryptionError {
    /// The message authentication code of the message was invalid.
    #[error("Failed decrypting Olm message, invalid MAC: {0}")]
    InvalidMAC(#[from] MacError),
    /// The length of the message authentication code of the message did not
    /// match our expected length.
    #[error("Failed decrypting Olm message, invalid MAC length: expected {0}, got {1}")]
    InvalidMACLength(usize, usize),
    /// The ciphertext of the message isn't padded correctly.
    #[error("Failed decrypting Olm message, invalid padding")]
    InvalidPadding(#[from] UnpadError),
    /// The session is missing the correct message key to decrypt the message,
    /// either because it was already used up, or because the Session has
    /// been ratcheted forwards and the message key has been discarded.
    #[error(
        "One or more keys lacked contributory behavior in the Diffie-Hellman operation, \
         resulting in an insecure shared secret"
    )]
    NonContributoryKey,
    /// The message key for the given index can't be created.
    #[error("The message key with the given key can't be created, message index: {0}")]
    MissingMessageKey(u64),
    /// Too many messages have been skipped to attempt decrypting this
    /// message.
    #[error("The message gap was too big, got {0}, max allowed {1}")]
    TooBigMessageGap(u64, u64),
}

impl From<::olm::olm::DecryptionError> for DecryptionError {
    fn from(error: ::olm::olm::DecryptionError) -> Self {
        use ::olm::olm::DecryptionError as E;
        match error {
            E::InvalidMac => Self::InvalidMAC(MacError),
            E::InvalidPadding => Self::InvalidPadding(UnpadError),
            E::MissingMessageKey(index) => Self::MissingMessageKey(index.into()),
            E::TooBigMessageGap(index, current) => Self::TooBigMessageGap(index.into(), current.into()),
            E::NonContributoryKey => Self::NonContributoryKey,
            E::InvalidMacLength { expected, got } => Self::InvalidMACLength(expected, got),
            _ => Self::InvalidMAC(MacError),
        }
    }
}

/// Error type for Olm-based encryption failures. `olm`'s sessions never
/// fail to encrypt (their ratchet keys were checked when they arrived), so
/// this is never returned.
#[derive(thiserror::Error, Debug)]
pub enum EncryptionError {
    /// One or more keys lacked contributory behavior in the Diffie-Hellman
    /// operation, resulting in an insecure shared secret.
    #[error(
        "One or more keys lacked contributory behavior in the Diffie-Hellman operation, \
         resulting in an insecure shared secret"
    )]
    NonContributoryKey,
}

/// The public part of a ratchet key.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct RatchetPublicKey(Curve25519PublicKey);

impl From<[u8; 32]> for RatchetPublicKey {
    fn from(bytes: [u8; 32]) -> Self {
        Self(Curve25519PublicKey::from_bytes(bytes))
    }
}

impl AsRef<Curve25519PublicKey> for RatchetPublicKey {
    fn as_ref(&self) -> &Curve25519PublicKey {
        &self.0
    }
}

/// An Olm session represents one end of an encrypted communication channel
/// between two participants.
pub struct Session(pub(crate) ::olm::olm::Session);

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.session_id())
            .field("config", &self.session_config())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Returns the globally unique session ID, in base64-encoded form.
    pub fn session_id(&self) -> String {
        self.0.session_id()
    }

    /// Have we ever received and decrypted a message from the other side?
    pub fn has_received_message(&self) -> bool {
        self.0.has_received_message()
    }

    /// Encrypt the `plaintext` and construct an [`OlmMessage`].
    pub fn encrypt(&mut self, plaintext: impl AsRef<[u8]>) -> Result<OlmMessage, EncryptionError> {
        Ok(OlmMessage::from_olm(self.0.encrypt(plaintext)))
    }

    /// Get the keys associated with this session.
    pub fn session_keys(&self) -> SessionKeys {
        SessionKeys::from_olm(self.0.session_keys())
    }

    /// Get the [`SessionConfig`] that this [`Session`] is configured to use.
    pub fn session_config(&self) -> SessionConfig {
        SessionConfig::from_olm(self.0.session_config()).unwrap_or_default()
    }

    /// Try to decrypt an Olm message, which will either return the plaintext
    /// or result in a [`DecryptionError`]; a failure changes nothing.
    pub fn decrypt(&mut self, message: &OlmMessage) -> Result<Vec<u8>, DecryptionError> {
        Ok(self.0.decrypt(&message.to_olm())?)
    }

    /// Convert the session into a struct which implements
    /// [`serde::Serialize`] and [`serde::Deserialize`].
    pub fn pickle(&self) -> SessionPickle {
        SessionPickle::written(&self.0)
    }

    /// Restore a [`Session`] from a previously saved [`SessionPickle`].
    pub fn from_pickle(pickle: SessionPickle) -> Self {
        pickle.into()
    }

    /// Create a [`Session`] object by unpickling a session pickle in libolm
    /// legacy pickle format.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_pickle(pickle: &str, pickle_key: &[u8]) -> Result<Self, crate::LibolmPickleError> {
        ::olm::olm::Session::from_libolm_pickle(pickle, pickle_key)
            .map(Self)
            .map_err(|e| crate::LibolmPickleError::reading(e, LIBOLM_SESSION_VERSION))
    }
}

crate::pickle::facade_pickle!(
    Session,
    ::olm::olm::Session,
    SessionPickle,
    ::olm::pickle::vodozemac::SessionPickle
);
