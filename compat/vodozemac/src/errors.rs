//! vodozemac's crate-level error types, each built from `olm`'s.
//!
//! vodozemac exposes some foreign error types (`base64::DecodeError`,
//! `prost::DecodeError`, `serde_json::Error`, the AEAD's and the pickle
//! codec's errors). This crate depends on none of those: the types here
//! carry `olm`'s error instead and keep vodozemac's names, variants and
//! `#[from]` conversions.

use crate::{KeyError, SignatureError};

/// A base64 string could not be decoded (vodozemac re-exports the `base64`
/// crate's error under this name; this one carries `olm`'s).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct Base64DecodeError(#[from] ::olm::Base64DecodeError);

/// A message's protocol-buffer payload could not be decoded (vodozemac
/// re-exports `prost`'s error under this name; this one carries `olm`'s).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct ProtoBufDecodeError(::olm::DecodeError);

/// The AEAD or pickle cipher refused its input (no detail, on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, thiserror::Error)]
#[error("decryption failed")]
pub struct CipherError;

/// Error type describing the various ways vodozemac pickles can fail to be
/// decoded.
#[derive(Debug, thiserror::Error)]
pub enum PickleError {
    /// The pickle wasn't valid base64.
    #[error("The pickle wasn't valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The encrypted pickle could not have been decrypted.
    #[error("The pickle couldn't be decrypted: {0}")]
    Decryption(#[from] CipherError),
    /// The serialized vodozemac object couldn't be deserialized, or (unlike
    /// vodozemac, which does not check) describes an invalid object.
    #[error("The pickle couldn't be deserialized: {0}")]
    Serialization(::olm::PickleError),
}

impl From<::olm::PickleError> for PickleError {
    fn from(error: ::olm::PickleError) -> Self {
        match error {
            ::olm::PickleError::Base64(e) => Self::Base64(e.into()),
            ::olm::PickleError::Mac => Self::Decryption(CipherError),
            other => Self::Serialization(other),
        }
    }
}

/// Error type describing the various ways libolm pickles can fail to be
/// decoded.
#[derive(Debug, thiserror::Error)]
pub enum LibolmPickleError {
    /// The pickle is missing a valid version.
    #[error("The pickle doesn't contain a version")]
    MissingVersion,
    /// The pickle has a unsupported version.
    #[error("The pickle uses an unsupported version, expected {0}, got {1}")]
    Version(u32, u32),
    /// The pickle wasn't valid base64.
    #[error("The pickle wasn't valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The pickle could not have been decrypted.
    #[error("The pickle couldn't be decrypted: {0}")]
    Decryption(#[from] CipherError),
    /// The pickle contains an invalid public key.
    #[error("The pickle contained an invalid ed25519 public key {0}")]
    PublicKey(#[from] KeyError),
    /// The pickle does not contain a valid receiving or sending chain. A valid
    /// Olm session needs to have at least one of them.
    #[error("The pickle didn't contain a valid Olm session")]
    InvalidSession,
    /// The payload of the pickle could not be decoded.
    #[error(transparent)]
    Decode(::olm::PickleError),
    /// The object could not be encoded as a pickle.
    #[error(transparent)]
    Encode(::olm::PickleError),
}

impl LibolmPickleError {
    /// Maps a failure to read a libolm pickle; `expected` is the version
    /// vodozemac reads for this object.
    #[cfg(feature = "libolm-compat")]
    pub(crate) fn reading(error: ::olm::PickleError, expected: u32) -> Self {
        match error {
            ::olm::PickleError::Base64(e) => Self::Base64(e.into()),
            ::olm::PickleError::Mac => Self::Decryption(CipherError),
            ::olm::PickleError::Version(got) => Self::Version(expected, got),
            ::olm::PickleError::LegacyAccount => Self::Version(expected, 1),
            other => Self::Decode(other),
        }
    }
}

impl From<::olm::PickleError> for LibolmPickleError {
    fn from(error: ::olm::PickleError) -> Self {
        Self::Encode(error)
    }
}

/// Error type describing the various ways dehydrated devices can fail to be
/// decoded.
#[derive(Debug, thiserror::Error)]
pub enum DehydratedDeviceError {
    /// The pickle is missing a valid version.
    #[error("The pickle doesn't contain a version")]
    MissingVersion,
    /// The pickle has a unsupported version.
    #[error("The pickle uses an unsupported version, expected {0}, got {1}")]
    Version(u32, u32),
    /// Invalid nonce.
    #[error("The nonce was invalid")]
    InvalidNonce,
    /// The pickle wasn't valid base64.
    #[error("The pickle wasn't valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The pickle could not have been decrypted.
    #[error("The pickle couldn't be decrypted: {0}")]
    Decryption(#[from] CipherError),
    /// There was an error with the libolm pickle format
    #[error(transparent)]
    LibolmPickle(#[from] LibolmPickleError),
    /// The current account was created by libolm and can't be converted into a
    /// dehydrated device.
    #[error("The Account can't be turned into a dehydrated device since it was created by libolm")]
    InvalidAccount,
}

impl From<::olm::olm::DehydratedDeviceError> for DehydratedDeviceError {
    fn from(error: ::olm::olm::DehydratedDeviceError) -> Self {
        use ::olm::olm::DehydratedDeviceError as E;
        match error {
            E::InvalidAccount => Self::InvalidAccount,
            E::Base64(e) => Self::Base64(e.into()),
            E::InvalidNonce { .. } => Self::InvalidNonce,
            E::Decryption => Self::Decryption(CipherError),
            E::Version { expected, got } => Self::Version(expected, got),
            other => Self::LibolmPickle(LibolmPickleError::Decode(::olm::PickleError::Invalid(
                dehydrated_reason(&other),
            ))),
        }
    }
}

fn dehydrated_reason(error: &::olm::olm::DehydratedDeviceError) -> &'static str {
    use ::olm::olm::DehydratedDeviceError as E;
    match error {
        E::Truncated => "the dehydrated device's pickle is truncated",
        E::TrailingData(_) => "the dehydrated device's pickle has trailing data",
        E::Invalid(reason) => reason,
        _ => "the dehydrated device could not be read",
    }
}

/// Error type describing the different ways message decoding can fail.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The Olm message has an invalid type.
    #[error("The message has an invalid type, expected 0 or 1, got {0}")]
    MessageType(usize),
    /// The message is missing a valid version.
    #[error("The message didn't contain a version")]
    MissingVersion,
    /// The message doesn't have enough data to be correctly decoded.
    #[error("The message was too short, it didn't contain a valid payload")]
    MessageTooShort(usize),
    /// The message has a unsupported version.
    #[error("The message didn't have a valid version, expected {0}, got {1}")]
    InvalidVersion(u8, u8),
    /// An embedded public key couldn't be decoded.
    #[error("The message contained an invalid public key: {0}")]
    InvalidKey(#[from] KeyError),
    /// The embedded message authentication code couldn't be decoded.
    #[error("The message contained a MAC with an invalid size, expected {0}, got {1}")]
    InvalidMacLength(usize, usize),
    /// An embedded signature couldn't be decoded.
    #[error("The message contained an invalid Signature: {0}")]
    Signature(#[from] SignatureError),
    /// The message couldn't be decoded as a valid protocol buffer message.
    #[error(transparent)]
    ProtoBufError(#[from] ProtoBufDecodeError),
    /// The message wasn't valid base64.
    #[error("The message wasn't valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
}

impl From<::olm::DecodeError> for DecodeError {
    fn from(error: ::olm::DecodeError) -> Self {
        use ::olm::DecodeError as E;
        match error {
            E::Base64(e) => Self::Base64(e.into()),
            E::MessageType(t) => Self::MessageType(t),
            E::Version { expected, got } => Self::InvalidVersion(expected, got),
            E::TooShort { got: 0, .. } | E::Length { got: 0, .. } => Self::MissingVersion,
            E::TooShort { got, .. } | E::Length { got, .. } => Self::MessageTooShort(got),
            E::InvalidEd25519Key(_) => Self::InvalidKey(KeyError::Signature(SignatureError::Signature(
                crate::types::InvalidSignature,
            ))),
            other => Self::ProtoBufError(ProtoBufDecodeError(other)),
        }
    }
}
