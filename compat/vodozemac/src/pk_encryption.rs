//! vodozemac's `pk_encryption` module (`m.megolm_backup.v1.curve25519-aes-sha2`,
//! with libolm's MAC over the empty string), on `olm::pk`.

use crate::{
    Curve25519PublicKey, Curve25519SecretKey, KeyError, LibolmPickleError, base64_decode,
    olm::{MacError, UnpadError},
};

/// vodozemac's libolm `PkDecryption` pickle version.
const LIBOLM_PK_DECRYPTION_VERSION: u32 = 1;

/// The length of the MAC that libolm writes and `olm` reads.
const MAC_LENGTH: usize = 8;

/// Error type describing the failure cases the Pk decryption step can have.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more keys lacked contributory behavior in the Diffie-Hellman
    /// operation, resulting in an insecure shared secret.
    #[error(
        "One or more keys lacked contributory behavior in the Diffie-Hellman operation, \
         resulting in an insecure shared secret"
    )]
    NonContributoryKey,
    /// The message could not have been decrypted due to invalid padding.
    /// (Never returned here: `olm` reports every failure to decrypt as a
    /// MAC failure, so that padding cannot serve as an oracle.)
    #[error("failed to decrypt, invalid padding: {0}")]
    InvalidPadding(#[from] UnpadError),
    /// The message failed to be authenticated, or did not decrypt.
    #[error("the MAC of the ciphertext didn't pass validation: {0}")]
    Mac(#[from] MacError),
}

/// Error describing failures that might happen during the decoding of a
/// encrypted [`Message`].
#[derive(Debug, thiserror::Error)]
pub enum MessageDecodeError {
    /// One of the message parts wasn't valid base64.
    #[error(transparent)]
    Base64(#[from] crate::Base64DecodeError),
    /// The ephemeral Curve25519 key isn't valid.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// A message that was encrypted using a [`PkEncryption`] object.
#[derive(Debug)]
pub struct Message {
    /// The ciphertext of the message.
    pub ciphertext: Vec<u8>,
    /// The message authentication code of the message (libolm's: over the
    /// empty string).
    pub mac: Vec<u8>,
    /// The ephemeral Curve25519PublicKey of the message which was used to
    /// derive the individual message key.
    pub ephemeral_key: Curve25519PublicKey,
}

impl Message {
    /// Attempt to decode a PkEncryption [`Message`] from a Base64-encoded
    /// ciphertext, MAC, and ephemeral key.
    pub fn from_base64(ciphertext: &str, mac: &str, ephemeral_key: &str) -> Result<Self, MessageDecodeError> {
        Ok(Self {
            ciphertext: base64_decode(ciphertext)?,
            mac: base64_decode(mac)?,
            ephemeral_key: Curve25519PublicKey::from_base64(ephemeral_key)?,
        })
    }

    fn from_olm(message: ::olm::pk::PkMessage) -> Self {
        Self {
            ciphertext: message.ciphertext().to_vec(),
            mac: message.mac().to_vec(),
            ephemeral_key: Curve25519PublicKey(message.ephemeral_key()),
        }
    }
}

/// A class representing a Curve25519 key pair that can be used to decrypt
/// messages that were encrypted with the matching public key.
pub struct PkDecryption {
    secret_key: Curve25519SecretKey,
    inner: ::olm::pk::PkDecryption,
}

impl PkDecryption {
    /// Create a new random [`PkDecryption`] object.
    pub fn new() -> Self {
        Self::from_key(Curve25519SecretKey::new())
    }

    /// Create a [`PkDecryption`] object from a [`Curve25519SecretKey`] key.
    pub fn from_key(secret_key: Curve25519SecretKey) -> Self {
        let inner = ::olm::pk::PkDecryption::from_bytes(&secret_key.0.to_bytes());
        Self { secret_key, inner }
    }

    /// Get the [`Curve25519SecretKey`] of this [`PkDecryption`] object.
    pub const fn secret_key(&self) -> &Curve25519SecretKey {
        &self.secret_key
    }

    /// Get the [`Curve25519PublicKey`] of this [`PkDecryption`] object.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.inner.public_key())
    }

    /// Create a [`PkDecryption`] object by unpickling a PkDecryption pickle
    /// in libolm legacy pickle format.
    pub fn from_libolm_pickle(pickle: &str, pickle_key: &[u8]) -> Result<Self, LibolmPickleError> {
        let inner = ::olm::pk::PkDecryption::from_libolm_pickle(pickle, pickle_key)
            .map_err(|e| LibolmPickleError::reading(e, LIBOLM_PK_DECRYPTION_VERSION))?;
        let secret_key = Curve25519SecretKey::from_slice(&inner.to_bytes());
        Ok(Self { secret_key, inner })
    }

    /// Pickle a [`PkDecryption`] into a libolm pickle format.
    pub fn to_libolm_pickle(&self, pickle_key: &[u8]) -> Result<String, LibolmPickleError> {
        Ok(self.inner.to_libolm_pickle(pickle_key)?.to_string())
    }

    /// Decrypt a ciphertext. See the [`PkEncryption::encrypt`] function for
    /// descriptions of the ephemeral_key and mac arguments.
    pub fn decrypt(&self, message: &Message) -> Result<Vec<u8>, Error> {
        let mac: [u8; MAC_LENGTH] = message.mac.as_slice().try_into().map_err(|_| MacError)?;
        let message = ::olm::pk::PkMessage::new(message.ciphertext.clone(), mac, message.ephemeral_key.0);
        self.inner.decrypt(&message).map_err(|error| match error {
            ::olm::pk::PkError::NonContributoryKey => Error::NonContributoryKey,
            _ => Error::Mac(MacError),
        })
    }
}

impl Default for PkDecryption {
    fn default() -> Self {
        Self::new()
    }
}

/// A class representing a Curve25519 public key that can be used to encrypt
/// messages for the owner of the matching secret key.
pub struct PkEncryption {
    public_key: Curve25519PublicKey,
}

impl PkEncryption {
    /// Create a new [`PkEncryption`] object from a [`Curve25519PublicKey`].
    pub const fn from_key(public_key: Curve25519PublicKey) -> Self {
        Self { public_key }
    }

    /// Encrypt a plaintext for the [`PkDecryption`] object that owns the
    /// matching secret key; a low-order key is refused here.
    pub fn encrypt(&self, message: &[u8]) -> Result<Message, Error> {
        let encryption = ::olm::pk::PkEncryption::from_key(self.public_key.0).map_err(|_| Error::NonContributoryKey)?;
        Ok(Message::from_olm(encryption.encrypt(message)))
    }
}

impl From<&PkDecryption> for PkEncryption {
    fn from(value: &PkDecryption) -> Self {
        Self::from(value.public_key())
    }
}

impl From<Curve25519PublicKey> for PkEncryption {
    fn from(public_key: Curve25519PublicKey) -> Self {
        Self { public_key }
    }
}
