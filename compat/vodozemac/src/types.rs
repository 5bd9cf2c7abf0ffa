//! Keys, signatures and key ids, with vodozemac's methods, traits and serde
//! forms, each a thin wrapper of `olm`'s type.

use std::fmt;

use ::olm::pickle::vodozemac::public_keys;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

use crate::Base64DecodeError;

/// An Ed25519 signature did not verify, or a signature's bytes are not a
/// signature (vodozemac carries ed25519-dalek's error here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, thiserror::Error)]
#[error("signature error")]
pub struct InvalidSignature;

/// Error type describing signature verification failures.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    /// The signature wasn't valid base64.
    #[error("The signature couldn't be decoded: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The signature failed to be verified.
    #[error("The signature was invalid: {0}")]
    Signature(#[from] InvalidSignature),
}

impl From<::olm::SignatureError> for SignatureError {
    fn from(_: ::olm::SignatureError) -> Self {
        Self::Signature(InvalidSignature)
    }
}

/// A secret key's base64 could not be decoded (vodozemac carries
/// `base64ct`'s error here).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct PrivateKeyBase64Error(Base64DecodeError);

/// Error type for failures that may occur when decoding or using a
/// cryptographic key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Failed to correctly decode a public key that was encoded in Base64.
    #[error("Failed to decode a public key from Base64: {0}")]
    Base64Error(#[from] Base64DecodeError),
    /// Failed to correctly decode a private key that was encoded in Base64.
    #[error("Failed to decode a private key from Base64: {0}")]
    Base64PrivateKey(#[from] PrivateKeyBase64Error),
    /// The Base64 encoded key does not contain the expected number of bytes.
    #[error(
        "Failed to decode {key_type} key from Base64: \
        Invalid number of bytes for {key_type}, expected {expected_length}, got {length}."
    )]
    InvalidKeyLength {
        /// The type of key being decoded.
        key_type: &'static str,
        /// The expected length of the key.
        expected_length: usize,
        /// The actual length of the key.
        length: usize,
    },
    /// The bytes are not an Ed25519 public key.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// One or more keys lacked contributory behavior in the Diffie-Hellman
    /// operation, resulting in an insecure shared secret.
    #[error(
        "One or more keys lacked contributory behavior in the Diffie-Hellman operation, \
         resulting in an insecure shared secret"
    )]
    NonContributoryKey,
}

impl KeyError {
    /// Maps `olm`'s error for a key of type `key_type` (vodozemac's name).
    pub(crate) fn from_olm(error: ::olm::KeyError, key_type: &'static str, secret: bool) -> Self {
        use ::olm::KeyError as E;
        match error {
            E::Base64(e) if secret => Self::Base64PrivateKey(PrivateKeyBase64Error(e.into())),
            E::Base64(e) => Self::Base64Error(e.into()),
            E::InvalidKeyLength { expected, length, .. } => Self::InvalidKeyLength {
                key_type,
                expected_length: expected,
                length,
            },
            E::NonContributoryKey => Self::NonContributoryKey,
            _ => Self::Signature(SignatureError::Signature(InvalidSignature)),
        }
    }
}

impl From<::olm::KeyError> for KeyError {
    fn from(error: ::olm::KeyError) -> Self {
        Self::from_olm(error, "Curve25519", false)
    }
}

/// A unique identifier for a one-time [`Curve25519PublicKey`]: the counter
/// of the key's account, published as 8 big-endian bytes in base64 like
/// vodozemac's (also for accounts read from libolm, as vodozemac does).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(pub(crate) u64);

impl KeyId {
    /// Encodes the [`KeyId`] in Base64.
    pub fn to_base64(self) -> String {
        ::olm::KeyId::new_wide(self.0).to_base64()
    }

    pub(crate) fn from_olm(id: ::olm::KeyId) -> Self {
        Self(id.value())
    }
}

impl From<KeyId> for String {
    fn from(value: KeyId) -> String {
        value.to_base64()
    }
}

/// A Curve25519 public key.
#[derive(PartialEq, Eq, Hash, Copy, Clone)]
pub struct Curve25519PublicKey(pub(crate) ::olm::Curve25519PublicKey);

impl Curve25519PublicKey {
    /// The number of bytes a Curve25519 public key has.
    pub const LENGTH: usize = 32;

    /// Convert this public key to a byte array.
    pub fn to_bytes(&self) -> [u8; Self::LENGTH] {
        self.0.to_bytes()
    }

    /// View this public key as a byte array.
    pub fn as_bytes(&self) -> &[u8; Self::LENGTH] {
        self.0.as_bytes()
    }

    /// Convert the public key to a vector of bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.to_vec()
    }

    /// Create a [`Curve25519PublicKey`] from a byte array.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(::olm::Curve25519PublicKey::from_bytes(bytes))
    }

    /// Instantiate a Curve25519 public key from an unpadded base64
    /// representation.
    pub fn from_base64(input: &str) -> Result<Curve25519PublicKey, KeyError> {
        ::olm::Curve25519PublicKey::from_base64(input)
            .map(Self)
            .map_err(|e| KeyError::from_olm(e, "Curve25519", false))
    }

    /// Try to create a [`Curve25519PublicKey`] from a slice of bytes.
    pub fn from_slice(slice: &[u8]) -> Result<Curve25519PublicKey, KeyError> {
        ::olm::Curve25519PublicKey::from_slice(slice)
            .map(Self)
            .map_err(|e| KeyError::from_olm(e, "Curve25519", false))
    }

    /// Serialize a Curve25519 public key to an unpadded base64
    /// representation.
    pub fn to_base64(&self) -> String {
        self.0.to_base64()
    }
}

impl fmt::Display for Curve25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Curve25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&format!("curve25519:{self}"), f)
    }
}

impl From<[u8; Self::LENGTH]> for Curve25519PublicKey {
    fn from(bytes: [u8; Self::LENGTH]) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&Curve25519SecretKey> for Curve25519PublicKey {
    fn from(secret: &Curve25519SecretKey) -> Self {
        Self(secret.0.public_key())
    }
}

impl Serialize for Curve25519PublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        public_keys::curve25519::serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Curve25519PublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        public_keys::curve25519::deserialize(deserializer).map(Self)
    }
}

/// A Curve25519 secret key.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Curve25519SecretKey(pub(crate) ::olm::Curve25519SecretKey);

impl Curve25519SecretKey {
    /// Generate a new, random, Curve25519SecretKey.
    pub fn new() -> Self {
        Self(::olm::Curve25519SecretKey::new())
    }

    /// Create a `Curve25519SecretKey` from the given slice of bytes.
    pub fn from_slice(bytes: &[u8; 32]) -> Self {
        Self(::olm::Curve25519SecretKey::from_bytes(bytes))
    }

    /// Perform a Diffie-Hellman key exchange between the given
    /// `Curve25519PublicKey` and this `Curve25519SecretKey`; `None` if the
    /// exchange is not contributory (an all-zero secret).
    pub fn diffie_hellman(&self, their_public_key: &Curve25519PublicKey) -> Option<SharedSecret> {
        self.0.shared_secret(&their_public_key.0).ok().map(SharedSecret)
    }

    /// Convert the `Curve25519SecretKey` to a byte array.
    pub fn to_bytes(&self) -> Box<[u8; 32]> {
        Box::new(*self.0.to_bytes())
    }
}

impl Default for Curve25519SecretKey {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of a Diffie-Hellman key exchange, wiped on drop.
pub struct SharedSecret(Zeroizing<[u8; 32]>);

impl SharedSecret {
    /// View the shared secret's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Copy the shared secret's bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        *self.0
    }

    /// Whether the exchange was contributory: always, since
    /// [`Curve25519SecretKey::diffie_hellman`] refuses the others.
    pub fn was_contributory(&self) -> bool {
        true
    }
}

impl Zeroize for SharedSecret {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

/// A struct collecting both a public, and a secret, Ed25519 key.
#[derive(Clone)]
pub struct Ed25519Keypair {
    secret_key: Ed25519SecretKey,
    public_key: Ed25519PublicKey,
}

impl Ed25519Keypair {
    /// Create a new, random, `Ed25519Keypair`.
    pub fn new() -> Self {
        Self::from(Ed25519SecretKey::new())
    }

    /// Get the public Ed25519 key of this keypair.
    pub const fn public_key(&self) -> Ed25519PublicKey {
        self.public_key
    }

    /// Sign the given message with our secret key.
    pub fn sign(&self, message: &[u8]) -> Ed25519Signature {
        self.secret_key.sign(message)
    }
}

impl From<Ed25519SecretKey> for Ed25519Keypair {
    fn from(secret_key: Ed25519SecretKey) -> Self {
        let public_key = secret_key.public_key();
        Self { secret_key, public_key }
    }
}

impl Default for Ed25519Keypair {
    fn default() -> Self {
        Self::new()
    }
}

/// vodozemac's serde form of a key pair: its `SecretKeys` enum. Only the
/// seed (`Normal`) can be held here; libolm's expanded keys live inside
/// accounts.
#[derive(Serialize, Deserialize)]
#[serde(rename = "SecretKeys")]
enum KeypairForm {
    Normal(Ed25519SecretKey),
}

impl Serialize for Ed25519Keypair {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        KeypairForm::Normal(self.secret_key.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ed25519Keypair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let KeypairForm::Normal(secret) = KeypairForm::deserialize(deserializer)?;
        Ok(Self::from(secret))
    }
}

/// An Ed25519 secret key, used to create digital signatures.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ed25519SecretKey(pub(crate) ::olm::Ed25519SecretKey);

impl Clone for Ed25519SecretKey {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl Ed25519SecretKey {
    /// The number of bytes a Ed25519 secret key has.
    pub const LENGTH: usize = 32;

    /// Create a new random `Ed25519SecretKey`.
    pub fn new() -> Self {
        Self(::olm::Ed25519SecretKey::new())
    }

    /// Get the byte representation of the secret key.
    pub fn to_bytes(&self) -> Box<[u8; 32]> {
        Box::new(*self.0.to_bytes())
    }

    /// Try to create a `Ed25519SecretKey` from a slice of bytes.
    pub fn from_slice(bytes: &[u8; 32]) -> Self {
        Self(::olm::Ed25519SecretKey::from_bytes(bytes))
    }

    /// Convert the secret key to a base64 encoded string.
    pub fn to_base64(&self) -> String {
        self.0.to_base64().to_string()
    }

    /// Try to create a `Ed25519SecretKey` from a base64 encoded string.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        ::olm::Ed25519SecretKey::from_base64(input)
            .map(Self)
            .map_err(|e| KeyError::from_olm(e, "Ed25519", true))
    }

    /// Get the public key that matches this `Ed25519SecretKey`.
    pub fn public_key(&self) -> Ed25519PublicKey {
        Ed25519PublicKey(self.0.public_key())
    }

    /// Sign the given slice of bytes with this `Ed25519SecretKey`.
    pub fn sign(&self, message: &[u8]) -> Ed25519Signature {
        Ed25519Signature(self.0.sign(message))
    }
}

impl Default for Ed25519SecretKey {
    fn default() -> Self {
        Self::new()
    }
}

/// An Ed25519 public key, used to verify digital signatures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ed25519PublicKey(pub(crate) ::olm::Ed25519PublicKey);

impl Ed25519PublicKey {
    /// The number of bytes a Ed25519 public key has.
    pub const LENGTH: usize = 32;

    /// Try to create a `Ed25519PublicKey` from a slice of bytes.
    pub fn from_slice(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        ::olm::Ed25519PublicKey::from_bytes(bytes)
            .map(Self)
            .map_err(|e| KeyError::from_olm(e, "Ed25519", false))
    }

    /// View this public key as a byte array.
    pub fn as_bytes(&self) -> &[u8; Self::LENGTH] {
        self.0.as_bytes()
    }

    /// Instantiate a Ed25519PublicKey public key from an unpadded base64
    /// representation.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        ::olm::Ed25519PublicKey::from_base64(input)
            .map(Self)
            .map_err(|e| KeyError::from_olm(e, "Ed25519", false))
    }

    /// Serialize a Ed25519PublicKey public key to an unpadded base64
    /// representation.
    pub fn to_base64(&self) -> String {
        self.0.to_base64()
    }

    /// Verify that the provided signature for a given message has been
    /// signed by the private key matching this public one (strictly).
    pub fn verify(&self, message: &[u8], signature: &Ed25519Signature) -> Result<(), SignatureError> {
        self.0.verify(message, &signature.0).map_err(SignatureError::from)
    }
}

impl fmt::Display for Ed25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Ed25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&format!("ed25519:{self}"), f)
    }
}

impl Serialize for Ed25519PublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        public_keys::ed25519::serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Ed25519PublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        public_keys::ed25519::deserialize(deserializer).map(Self)
    }
}

/// An Ed25519 digital signature, can be used to verify the authenticity of a
/// message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ed25519Signature(pub(crate) ::olm::Ed25519Signature);

impl Ed25519Signature {
    /// The number of bytes a Ed25519 signature has.
    pub const LENGTH: usize = 64;

    /// Try to create a `Ed25519Signature` from a slice of bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SignatureError> {
        ::olm::Ed25519Signature::from_slice(bytes)
            .map(Self)
            .map_err(|_| SignatureError::Signature(InvalidSignature))
    }

    /// Try to create a `Ed25519Signature` from an unpadded base64
    /// representation.
    pub fn from_base64(signature: &str) -> Result<Self, SignatureError> {
        let bytes = crate::base64_decode(signature)?;
        Self::from_slice(&bytes)
    }

    /// Serialize an `Ed25519Signature` to an unpadded base64 representation.
    pub fn to_base64(&self) -> String {
        self.0.to_base64()
    }

    /// Convert the `Ed25519Signature` to a byte array.
    pub fn to_bytes(&self) -> [u8; Self::LENGTH] {
        self.0.to_bytes()
    }
}

impl fmt::Display for Ed25519Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Ed25519Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&format!("ed25519:{self}"), f)
    }
}
