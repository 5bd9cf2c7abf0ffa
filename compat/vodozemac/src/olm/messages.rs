//! vodozemac's Olm messages, each on `olm`'s message of the same name.
//! The bytes are `olm`'s: it keeps a message's bytes as received and
//! refuses non-canonical encodings that vodozemac would re-encode.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SessionKeys;
use crate::{Curve25519PublicKey, DecodeError, base64_decode, base64_encode};

/// Implements vodozemac's byte and string conversions and serde form
/// (unpadded base64) for a message type: a newtype of `olm`'s message with
/// its own `from_bytes`.
macro_rules! message_conversions {
    ($message:ident) => {
        impl $message {
            #[doc = concat!("Encode the [`", stringify!($message), "`] as an array of bytes.")]
            pub fn to_bytes(&self) -> Vec<u8> {
                self.0.to_bytes()
            }

            #[doc = concat!("Try to decode the given string as a [`", stringify!($message), "`].")]
            pub fn from_base64(message: &str) -> Result<Self, DecodeError> {
                Self::from_bytes(&$crate::base64_decode(message)?)
            }

            #[doc = concat!("Encode the [`", stringify!($message), "`] as a string.")]
            pub fn to_base64(&self) -> String {
                self.0.to_base64()
            }
        }

        impl TryFrom<&str> for $message {
            type Error = DecodeError;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::from_base64(value)
            }
        }

        impl TryFrom<Vec<u8>> for $message {
            type Error = DecodeError;

            fn try_from(value: Vec<u8>) -> Result<Self, Self::Error> {
                Self::from_bytes(&value)
            }
        }

        impl TryFrom<&[u8]> for $message {
            type Error = DecodeError;

            fn try_from(value: &[u8]) -> Result<Self, Self::Error> {
                Self::from_bytes(value)
            }
        }

        impl serde::Serialize for $message {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_base64())
            }
        }

        impl<'de> serde::Deserialize<'de> for $message {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_base64(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use message_conversions;

/// An encrypted Olm message.
#[derive(Clone, PartialEq, Eq)]
pub struct Message(pub(crate) ::olm::olm::Message);

impl Message {
    /// The public part of the ratchet key, that was used when the message was
    /// encrypted.
    pub fn ratchet_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.ratchet_key())
    }

    /// The index of the chain that was used when the message was encrypted.
    pub fn chain_index(&self) -> u64 {
        self.0.chain_index().into()
    }

    /// The actual ciphertext of the message.
    pub fn ciphertext(&self) -> &[u8] {
        self.0.ciphertext()
    }

    /// The version of the Olm message.
    pub fn version(&self) -> u8 {
        self.0.version()
    }

    /// Try to decode the given byte slice as a Olm [`Message`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Ok(Self(::olm::olm::Message::from_bytes(bytes)?))
    }
}

message_conversions!(Message);

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("version", &self.version())
            .field("ratchet_key", &self.ratchet_key())
            .field("chain_index", &self.chain_index())
            .finish_non_exhaustive()
    }
}

/// An encrypted Olm pre-key message: what starts a session.
#[derive(Clone, PartialEq, Eq)]
pub struct PreKeyMessage(pub(crate) ::olm::olm::PreKeyMessage, Message);

impl PreKeyMessage {
    /// The single-use key that was uploaded to a public key directory by the
    /// receiver of the message.
    pub fn one_time_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.one_time_key())
    }

    /// The base key, a single use key that was created just in time by the
    /// sender of the message.
    pub fn base_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.base_key())
    }

    /// The long term identity key of the sender of the message.
    pub fn identity_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.identity_key())
    }

    /// The collection of all keys required for establishing an Olm session.
    pub fn session_keys(&self) -> SessionKeys {
        SessionKeys::from_olm(self.0.session_keys())
    }

    /// Returns the globally unique session ID, in base64-encoded form.
    pub fn session_id(&self) -> String {
        self.0.session_id()
    }

    /// The actual message that contains the ciphertext.
    pub fn message(&self) -> &Message {
        &self.1
    }

    pub(crate) fn from_olm(message: ::olm::olm::PreKeyMessage) -> Self {
        let inner = Message(message.message().clone());
        Self(message, inner)
    }

    /// Try to decode the given byte slice as a Olm [`PreKeyMessage`].
    pub fn from_bytes(message: &[u8]) -> Result<Self, DecodeError> {
        Ok(Self::from_olm(::olm::olm::PreKeyMessage::from_bytes(message)?))
    }
}

message_conversions!(PreKeyMessage);

impl fmt::Debug for PreKeyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreKeyMessage")
            .field("session_keys", &self.session_keys())
            .field("message", &self.message())
            .finish()
    }
}

/// An enum over the two supported message types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OlmMessage {
    /// A normal message, contains only the ciphertext and metadata to decrypt
    /// it.
    Normal(Message),
    /// A pre-key message, contains metadata to establish a [`super::Session`]
    /// as well as a [`Message`].
    PreKey(PreKeyMessage),
}

impl From<Message> for OlmMessage {
    fn from(m: Message) -> Self {
        Self::Normal(m)
    }
}

impl From<PreKeyMessage> for OlmMessage {
    fn from(m: PreKeyMessage) -> Self {
        Self::PreKey(m)
    }
}

#[derive(Serialize, Deserialize)]
struct MessageSerdeHelper {
    #[serde(rename = "type")]
    message_type: usize,
    #[serde(rename = "body")]
    ciphertext: String,
}

impl Serialize for OlmMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (message_type, ciphertext) = self.to_parts();
        MessageSerdeHelper {
            message_type,
            ciphertext: base64_encode(ciphertext),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OlmMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = MessageSerdeHelper::deserialize(deserializer)?;
        let bytes = base64_decode(value.ciphertext).map_err(serde::de::Error::custom)?;
        OlmMessage::from_parts(value.message_type, &bytes).map_err(serde::de::Error::custom)
    }
}

impl OlmMessage {
    /// Create an [`OlmMessage`] from a message type and a ciphertext.
    pub fn from_parts(message_type: usize, ciphertext: &[u8]) -> Result<Self, DecodeError> {
        Ok(Self::from_olm(::olm::olm::OlmMessage::from_parts(
            message_type,
            ciphertext,
        )?))
    }

    /// Get the message's ciphertext as a byte array.
    pub fn message(&self) -> &[u8] {
        match self {
            OlmMessage::Normal(m) => m.0.ciphertext(),
            OlmMessage::PreKey(m) => m.0.message().ciphertext(),
        }
    }

    /// Get the type of the message.
    pub fn message_type(&self) -> MessageType {
        match self {
            OlmMessage::Normal(_) => MessageType::Normal,
            OlmMessage::PreKey(_) => MessageType::PreKey,
        }
    }

    /// Convert the [`OlmMessage`] into a message type, and ciphertext bytes
    /// tuple.
    pub fn to_parts(&self) -> (usize, Vec<u8>) {
        match self {
            OlmMessage::Normal(m) => (MessageType::Normal.into(), m.to_bytes()),
            OlmMessage::PreKey(m) => (MessageType::PreKey.into(), m.to_bytes()),
        }
    }

    pub(crate) fn from_olm(message: ::olm::olm::OlmMessage) -> Self {
        match message {
            ::olm::olm::OlmMessage::Normal(m) => Self::Normal(Message(m)),
            ::olm::olm::OlmMessage::PreKey(m) => Self::PreKey(PreKeyMessage::from_olm(m)),
        }
    }

    pub(crate) fn to_olm(&self) -> ::olm::olm::OlmMessage {
        match self {
            OlmMessage::Normal(m) => ::olm::olm::OlmMessage::Normal(m.0.clone()),
            OlmMessage::PreKey(m) => ::olm::olm::OlmMessage::PreKey(m.0.clone()),
        }
    }
}

/// An enum over the different Olm message types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    /// The pre-key message type.
    PreKey = 0,
    /// The normal message type.
    Normal = 1,
}

impl TryFrom<usize> for MessageType {
    type Error = ();

    fn try_from(value: usize) -> Result<Self, Self::Error> {
        match value {
            0 => Ok(MessageType::PreKey),
            1 => Ok(MessageType::Normal),
            _ => Err(()),
        }
    }
}

impl From<MessageType> for usize {
    fn from(value: MessageType) -> usize {
        value as usize
    }
}
