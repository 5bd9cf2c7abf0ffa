//! vodozemac's Megolm session keys, on `olm::megolm`'s.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::{Base64DecodeError, KeyError, SignatureError, types::InvalidSignature};

/// A session key could not be read short of its end (vodozemac carries a
/// `std::io::Error` here).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ReadError(::olm::DecodeError);

/// Error type describing failure modes for the `SessionKey` and
/// `ExportedSessionKey` decoding.
#[derive(Debug, thiserror::Error)]
pub enum SessionKeyDecodeError {
    /// The encoded session key had a unsupported version.
    #[error("The session key had a invalid version, expected {0}, got {1}")]
    Version(u8, u8),
    /// The encoded session key didn't contain enough data to be decoded.
    #[error("The session key was too short {0}")]
    Read(#[from] ReadError),
    /// The encoded session key wasn't valid base64.
    #[error("The session key wasn't valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The signature on the session key was invalid.
    #[error("The signature on the session key was invalid: {0}")]
    Signature(#[from] SignatureError),
    /// The encoded session key contains an invalid public key.
    #[error("The public key of session was invalid: {0}")]
    PublicKey(#[from] KeyError),
}

impl From<::olm::megolm::SessionKeyDecodeError> for SessionKeyDecodeError {
    fn from(error: ::olm::megolm::SessionKeyDecodeError) -> Self {
        use ::olm::DecodeError as D;
        match error {
            ::olm::megolm::SessionKeyDecodeError::Decode(D::Base64(e)) => Self::Base64(e.into()),
            ::olm::megolm::SessionKeyDecodeError::Decode(D::Version { expected, got }) => Self::Version(expected, got),
            ::olm::megolm::SessionKeyDecodeError::Decode(D::InvalidEd25519Key(_)) => {
                Self::PublicKey(KeyError::Signature(SignatureError::Signature(InvalidSignature)))
            }
            ::olm::megolm::SessionKeyDecodeError::Decode(other) => Self::Read(ReadError(other)),
            _ => Self::Signature(SignatureError::Signature(InvalidSignature)),
        }
    }
}

/// Defines vodozemac's conversions and serde form (the key as unpadded
/// base64) for a session key type.
macro_rules! session_key {
    ($key:ident) => {
        impl $key {
            /// Serialize the session key to a byte vector.
            pub fn to_bytes(&self) -> Vec<u8> {
                self.0.to_bytes().to_vec()
            }

            /// Deserialize the session key from a byte slice.
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, SessionKeyDecodeError> {
                Ok(Self(<::olm::megolm::$key>::from_bytes(bytes)?))
            }

            /// Serialize the session key to a base64 encoded string.
            pub fn to_base64(&self) -> String {
                self.0.to_base64().to_string()
            }

            /// Deserialize the session key from base64 encoded string.
            pub fn from_base64(key: &str) -> Result<Self, SessionKeyDecodeError> {
                Ok(Self(<::olm::megolm::$key>::from_base64(key)?))
            }
        }

        impl TryFrom<&[u8]> for $key {
            type Error = SessionKeyDecodeError;

            fn try_from(value: &[u8]) -> Result<Self, Self::Error> {
                Self::from_bytes(value)
            }
        }

        impl TryFrom<&str> for $key {
            type Error = SessionKeyDecodeError;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::from_base64(value)
            }
        }

        impl Serialize for $key {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.to_base64().serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $key {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = Zeroizing::new(String::deserialize(deserializer)?);
                Self::from_base64(&text).map_err(serde::de::Error::custom)
            }
        }

        impl zeroize::Zeroize for $key {
            /// `olm`'s key wipes itself on drop; there is nothing else to
            /// wipe.
            fn zeroize(&mut self) {}
        }
    };
}

/// The exported session key: the session-sharing format without a
/// signature, used for key exports and forwarding.
pub struct ExportedSessionKey(pub(crate) ::olm::megolm::ExportedSessionKey);

session_key!(ExportedSessionKey);

/// The session key, can be used to create a
/// [`InboundGroupSession`](super::InboundGroupSession); signed by the
/// session's key.
pub struct SessionKey(pub(crate) ::olm::megolm::SessionKey);

session_key!(SessionKey);
