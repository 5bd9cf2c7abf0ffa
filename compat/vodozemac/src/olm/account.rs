//! vodozemac's `Account`, its pickle and its results, on `olm::olm::Account`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{PreKeyMessage, Session, SessionConfig, session::DecryptionError};
use crate::{Curve25519PublicKey, DehydratedDeviceError, Ed25519PublicKey, Ed25519Signature, KeyId};

/// vodozemac's libolm account pickle version.
#[cfg(feature = "libolm-compat")]
const LIBOLM_ACCOUNT_VERSION: u32 = 4;

/// Error describing failure modes when creating a Olm [`Session`] from an
/// incoming Olm message.
#[derive(thiserror::Error, Debug)]
pub enum SessionCreationError {
    /// The pre-key message contained an unknown one-time key.
    #[error("The pre-key message contained an unknown one-time key: {0}")]
    MissingOneTimeKey(Curve25519PublicKey),
    /// The pre-key message contains a Curve25519 identity key that doesn't
    /// match to the identity key that was given.
    #[error(
        "The given identity key doesn't match the one in the pre-key message: \
        expected {0}, got {1}"
    )]
    MismatchedIdentityKey(Curve25519PublicKey, Curve25519PublicKey),
    /// The pre-key message was encrypted with a Session which used an
    /// unexpected SessionConfig.
    #[error(
        "The session config doesn't match the one used for the pre-key message: expected {expected:?}, got {got:?}"
    )]
    MismatchedSessionConfig {
        /// The [`SessionConfig`] we expected.
        expected: SessionConfig,
        /// The [`SessionConfig`] the pre-key message was encrypted with.
        got: Option<SessionConfig>,
    },
    /// The pre-key message that was used to establish the [`Session`]
    /// couldn't be decrypted.
    #[error("The message that was used to establish the Session couldn't be decrypted")]
    Decryption(#[from] DecryptionError),
    /// One or more keys lacked contributory behavior in the Diffie-Hellman
    /// operation, resulting in an insecure shared secret.
    #[error("The shared secret was derived from an insecure key exchange (non-contributory behaviour)")]
    NonContributoryKey,
}

impl From<::olm::olm::SessionCreationError> for SessionCreationError {
    fn from(error: ::olm::olm::SessionCreationError) -> Self {
        use ::olm::olm::SessionCreationError as E;
        match error {
            E::MissingOneTimeKey(key) => Self::MissingOneTimeKey(Curve25519PublicKey(key)),
            E::MismatchedIdentityKey { expected, got } => {
                Self::MismatchedIdentityKey(Curve25519PublicKey(expected), Curve25519PublicKey(got))
            }
            E::Decryption(e) => Self::Decryption(e.into()),
            E::MismatchedSessionConfig { expected, got } => Self::MismatchedSessionConfig {
                // A config this build cannot name is vodozemac's `None`.
                expected: SessionConfig::from_olm(expected).unwrap_or_default(),
                got: SessionConfig::from_olm(got),
            },
            _ => Self::NonContributoryKey,
        }
    }
}

/// Struct holding the two public identity keys of an [`Account`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityKeys {
    /// The Ed25519 key, used for signing.
    pub ed25519: Ed25519PublicKey,
    /// The Curve25519 key, used for to establish shared secrets.
    pub curve25519: Curve25519PublicKey,
}

/// Return type for the creation of inbound [`Session`] objects.
#[derive(Debug)]
pub struct InboundCreationResult {
    /// The [`Session`] that was created from a pre-key message.
    pub session: Session,
    /// The plaintext of the pre-key message.
    pub plaintext: Vec<u8>,
}

/// Return type for the creation of a dehydrated device.
#[derive(Debug)]
pub struct DehydratedDeviceResult {
    /// The encrypted dehydrated device, as a base64-encoded string.
    pub ciphertext: String,
    /// The nonce used for encrypting, as a base64-encoded string.
    pub nonce: String,
}

/// The result type for the one-time key generation operation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OneTimeKeyGenerationResult {
    /// The public part of the one-time keys that were newly generated.
    pub created: Vec<Curve25519PublicKey>,
    /// The public part of the one-time keys that had to be removed to make
    /// space for the new ones.
    pub removed: Vec<Curve25519PublicKey>,
}

/// An Olm [`Account`] manages all cryptographic keys used on a device.
pub struct Account(::olm::olm::Account);

impl Account {
    /// Create a new Account with fresh identity keys. Like vodozemac's, it
    /// numbers its keys with 8-byte ids and stores up to 5000 one-time keys.
    pub fn new() -> Self {
        Self(::olm::olm::Account::new_with_wide_key_ids())
    }

    /// Get the IdentityKeys of this Account
    pub fn identity_keys(&self) -> IdentityKeys {
        IdentityKeys {
            ed25519: self.ed25519_key(),
            curve25519: self.curve25519_key(),
        }
    }

    /// Get a copy of the account's public Ed25519 key
    pub fn ed25519_key(&self) -> Ed25519PublicKey {
        Ed25519PublicKey(self.0.ed25519_key())
    }

    /// Get a copy of the account's public Curve25519 key
    pub fn curve25519_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.curve25519_key())
    }

    /// Sign the given message using our Ed25519 fingerprint key.
    pub fn sign(&self, message: impl AsRef<[u8]>) -> Ed25519Signature {
        Ed25519Signature(self.0.sign(message))
    }

    /// Get the maximum number of one-time keys the client should keep on the
    /// server (50).
    pub fn max_number_of_one_time_keys(&self) -> usize {
        self.0.max_number_of_one_time_keys()
    }

    /// Create a [`Session`] with the given identity key and one-time key.
    pub fn create_outbound_session(
        &self,
        session_config: SessionConfig,
        identity_key: Curve25519PublicKey,
        one_time_key: Curve25519PublicKey,
    ) -> Result<Session, SessionCreationError> {
        self.0
            .create_outbound_session(session_config.to_olm(), identity_key.0, one_time_key.0)
            .map(Session)
            .map_err(SessionCreationError::from)
    }

    /// Create a [`Session`] from the given pre-key message and identity key;
    /// the message must use `session_config`.
    pub fn create_inbound_session(
        &mut self,
        session_config: SessionConfig,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<InboundCreationResult, SessionCreationError> {
        let result = self.0.create_inbound_session_with_config(
            session_config.to_olm(),
            their_identity_key.0,
            &pre_key_message.0,
        )?;
        Ok(InboundCreationResult {
            session: Session(result.session),
            plaintext: result.plaintext,
        })
    }

    /// Generates the supplied number of one time keys.
    pub fn generate_one_time_keys(&mut self, count: usize) -> OneTimeKeyGenerationResult {
        let result = self.0.generate_one_time_keys(count);
        OneTimeKeyGenerationResult {
            created: result.created.into_iter().map(Curve25519PublicKey).collect(),
            removed: result.removed.into_iter().map(Curve25519PublicKey).collect(),
        }
    }

    /// Get the number of one-time keys we have stored locally.
    pub fn stored_one_time_key_count(&self) -> usize {
        self.0.stored_one_time_key_count()
    }

    /// Get the currently unpublished one-time keys.
    pub fn one_time_keys(&self) -> HashMap<KeyId, Curve25519PublicKey> {
        key_map(self.0.one_time_keys())
    }

    /// Generate a single new fallback key, returning the fallback key it
    /// replaces, if any.
    pub fn generate_fallback_key(&mut self) -> Option<Curve25519PublicKey> {
        self.0.generate_fallback_key().map(Curve25519PublicKey)
    }

    /// Get the currently unpublished fallback key.
    pub fn fallback_key(&self) -> HashMap<KeyId, Curve25519PublicKey> {
        key_map(self.0.fallback_key())
    }

    /// The `Account` stores at most two private parts of the fallback key.
    /// This method lets us forget the previously used fallback key.
    pub fn forget_fallback_key(&mut self) -> bool {
        self.0.forget_fallback_key()
    }

    /// Mark all currently unpublished one-time and fallback keys as
    /// published.
    pub fn mark_keys_as_published(&mut self) {
        self.0.mark_keys_as_published()
    }

    /// Convert the account into a struct which implements
    /// [`serde::Serialize`] and [`serde::Deserialize`].
    pub fn pickle(&self) -> AccountPickle {
        AccountPickle::written(&self.0)
    }

    /// Restore an [`Account`] from a previously saved [`AccountPickle`].
    pub fn from_pickle(pickle: AccountPickle) -> Self {
        pickle.into()
    }

    /// Create an [`Account`] object by unpickling an account pickle in
    /// libolm legacy pickle format.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_pickle(pickle: &str, pickle_key: &[u8]) -> Result<Self, crate::LibolmPickleError> {
        ::olm::olm::Account::from_libolm_pickle(pickle, pickle_key)
            .map(Self)
            .map_err(|e| crate::LibolmPickleError::reading(e, LIBOLM_ACCOUNT_VERSION))
    }

    /// Pickle an [`Account`] into a libolm pickle format.
    #[cfg(feature = "libolm-compat")]
    pub fn to_libolm_pickle(&self, pickle_key: &[u8]) -> Result<String, crate::LibolmPickleError> {
        Ok(self.0.to_libolm_pickle(pickle_key)?.to_string())
    }

    /// Create a dehydrated device from the account.
    pub fn to_dehydrated_device(&self, key: &[u8; 32]) -> Result<DehydratedDeviceResult, DehydratedDeviceError> {
        let result = self.0.to_dehydrated_device(key)?;
        Ok(DehydratedDeviceResult {
            ciphertext: result.ciphertext,
            nonce: result.nonce,
        })
    }

    /// Create an [`Account`] object from a dehydrated device.
    pub fn from_dehydrated_device(
        ciphertext: &str,
        nonce: &str,
        key: &[u8; 32],
    ) -> Result<Self, DehydratedDeviceError> {
        Ok(Self(::olm::olm::Account::from_dehydrated_device(
            ciphertext, nonce, key,
        )?))
    }
}

fn key_map(
    keys: impl IntoIterator<Item = (::olm::KeyId, ::olm::Curve25519PublicKey)>,
) -> HashMap<KeyId, Curve25519PublicKey> {
    keys.into_iter()
        .map(|(id, key)| (KeyId::from_olm(id), Curve25519PublicKey(key)))
        .collect()
}

impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

crate::pickle::facade_pickle!(
    Account,
    ::olm::olm::Account,
    AccountPickle,
    ::olm::pickle::vodozemac::AccountPickle
);
