//! vodozemac's `sas` module (short authentication strings), on `olm::sas`.

use std::fmt;

use crate::{Base64DecodeError, Curve25519PublicKey, KeyError, olm::MacError};

/// The output type for the SAS MAC calculation.
pub struct Mac(Vec<u8>);

impl Mac {
    /// Convert the MAC to a base64 encoded string.
    pub fn to_base64(&self) -> String {
        crate::base64_encode(&self.0)
    }

    /// Get the byte slice of the MAC.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Create a new `Mac` object from a byte slice.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

    /// Create a new `Mac` object from a base64 encoded string.
    pub fn from_base64(mac: &str) -> Result<Self, Base64DecodeError> {
        crate::base64_decode(mac).map(Self)
    }
}

/// Error type for the case when we try to generate too many SAS bytes.
#[derive(Debug, Clone, thiserror::Error)]
#[error("The given count of bytes was too large")]
pub struct InvalidCount;

/// Error type describing failures that can happen during the key
/// verification.
#[derive(Debug, thiserror::Error)]
pub enum SasError {
    /// The MAC code that was given wasn't valid.
    #[error("The SAS MAC validation didn't succeed: {0}")]
    Mac(#[from] MacError),
}

/// A struct representing a short auth string verification object.
pub struct Sas(::olm::sas::Sas);

/// A struct representing a short auth string verification object where the
/// shared secret has been established.
pub struct EstablishedSas(::olm::sas::EstablishedSas);

impl fmt::Debug for EstablishedSas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EstablishedSas")
            .field("our_public_key", &self.our_public_key().to_base64())
            .field("their_public_key", &self.their_public_key().to_base64())
            .finish_non_exhaustive()
    }
}

/// Bytes generated from an shared secret that can be used as the short auth
/// string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SasBytes(::olm::sas::SasBytes);

impl SasBytes {
    /// Get the index of 7 emojis that can be presented to users to perform
    /// the key verification.
    pub fn emoji_indices(&self) -> [u8; 7] {
        self.0.emoji_indices()
    }

    /// Get the three decimal numbers that can be presented to users to
    /// perform the key verification.
    pub fn decimals(&self) -> (u16, u16, u16) {
        self.0.decimals()
    }

    /// Get the raw bytes of the short auth string that can be converted to an
    /// emoji, or decimal representation.
    pub fn as_bytes(&self) -> &[u8; 6] {
        self.0.as_bytes()
    }
}

impl Default for Sas {
    fn default() -> Self {
        Self::new()
    }
}

impl Sas {
    /// Create a new random verification object.
    pub fn new() -> Self {
        Self(::olm::sas::Sas::new())
    }

    /// Get the public key that can be used to establish a shared secret.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.public_key())
    }

    /// Establishes a SAS secret by performing a DH handshake with another
    /// public key.
    pub fn diffie_hellman(self, their_public_key: Curve25519PublicKey) -> Result<EstablishedSas, KeyError> {
        Ok(EstablishedSas(self.0.diffie_hellman(their_public_key.0)?))
    }

    /// Establishes a SAS secret by performing a DH handshake with another
    /// public key in "raw", base64-encoded form.
    pub fn diffie_hellman_with_raw(self, other_public_key: &str) -> Result<EstablishedSas, KeyError> {
        let their_public_key = Curve25519PublicKey::from_base64(other_public_key)?;
        self.diffie_hellman(their_public_key)
    }
}

impl EstablishedSas {
    /// Generate [`SasBytes`] using HKDF with the shared secret as the input
    /// key material.
    pub fn bytes(&self, info: &str) -> SasBytes {
        SasBytes(self.0.bytes(info))
    }

    /// Generate the given number len of bytes using HKDF with the shared
    /// secret as the input key material.
    pub fn bytes_raw(&self, info: &str, count: usize) -> Result<Vec<u8>, InvalidCount> {
        self.0.bytes_raw(info, count).map_err(|_| InvalidCount)
    }

    /// Calculate a MAC for the given input using the info string as
    /// additional data.
    pub fn calculate_mac(&self, input: &str, info: &str) -> Mac {
        Mac(self.0.calculate_mac(input, info).as_bytes().to_vec())
    }

    /// Calculate a MAC for the given input using the info string as
    /// additional data, the MAC is returned as an invalid base64 encoded
    /// string (libolm's legacy encoding).
    #[cfg(feature = "libolm-compat")]
    pub fn calculate_mac_invalid_base64(&self, input: &str, info: &str) -> String {
        self.0.calculate_mac_invalid_base64(input, info)
    }

    /// Verify a MAC that was previously created using the
    /// [`EstablishedSas::calculate_mac()`] method; constant time.
    pub fn verify_mac(&self, input: &str, info: &str, tag: &Mac) -> Result<(), SasError> {
        let tag = ::olm::sas::Mac::from_slice(tag.as_bytes()).map_err(|_| MacError)?;
        self.0
            .verify_mac(input, info, &tag)
            .map_err(|_| SasError::Mac(MacError))
    }

    /// Get the public key that was created by us, that was used to establish
    /// the shared secret.
    pub fn our_public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.our_public_key())
    }

    /// Get the public key that was created by the other party, that the
    /// shared secret was established with.
    pub fn their_public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.their_public_key())
    }
}
