//! Olm's two message types and the envelope that tells them apart.
//!
//! The type is not in the bytes: Matrix carries it beside the body
//! (`{"type": 0, "body": "<base64>"}`).

mod message;
mod pre_key;

use alloc::vec::Vec;

pub use message::Message;
pub use pre_key::PreKeyMessage;

use crate::DecodeError;

/// Which of the two Olm message types a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// A pre-key message (type 0), which can create a session.
    PreKey = 0,
    /// A normal message (type 1).
    Normal = 1,
}

impl From<MessageType> for usize {
    fn from(value: MessageType) -> Self {
        value as usize
    }
}

impl TryFrom<usize> for MessageType {
    type Error = DecodeError;

    fn try_from(value: usize) -> Result<Self, Self::Error> {
        match value {
            0 => Ok(Self::PreKey),
            1 => Ok(Self::Normal),
            other => Err(DecodeError::MessageType(other)),
        }
    }
}

/// An encrypted Olm message of either type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OlmMessage {
    /// A normal message.
    Normal(Message),
    /// A pre-key message.
    PreKey(PreKeyMessage),
}

impl OlmMessage {
    /// Parses a message from its type (0 or 1) and raw bytes.
    pub fn from_parts(message_type: usize, bytes: &[u8]) -> Result<Self, DecodeError> {
        match MessageType::try_from(message_type)? {
            MessageType::PreKey => Ok(Self::PreKey(PreKeyMessage::from_bytes(bytes)?)),
            MessageType::Normal => Ok(Self::Normal(Message::from_bytes(bytes)?)),
        }
    }

    /// As [`from_parts`](Self::from_parts), accepting Olm v1 messages only,
    /// as libolm does (see [`Message::from_libolm_bytes`]).
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_parts(message_type: usize, bytes: &[u8]) -> Result<Self, DecodeError> {
        match MessageType::try_from(message_type)? {
            MessageType::PreKey => Ok(Self::PreKey(PreKeyMessage::from_libolm_bytes(bytes)?)),
            MessageType::Normal => Ok(Self::Normal(Message::from_libolm_bytes(bytes)?)),
        }
    }

    /// The message's type as a number (0 or 1) and its bytes.
    pub fn to_parts(&self) -> (usize, Vec<u8>) {
        (self.message_type().into(), self.as_bytes().to_vec())
    }

    /// The message's type.
    pub fn message_type(&self) -> MessageType {
        match self {
            Self::Normal(_) => MessageType::Normal,
            Self::PreKey(_) => MessageType::PreKey,
        }
    }

    /// The message's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Normal(m) => m.as_bytes(),
            Self::PreKey(m) => m.as_bytes(),
        }
    }

    /// The message's bytes as unpadded base64, the `body` of a Matrix event.
    pub fn to_base64(&self) -> alloc::string::String {
        crate::encoding::base64_encode(self.as_bytes())
    }

    /// Parses a message from its type and the unpadded base64 `body`.
    pub fn from_base64(message_type: usize, body: &str) -> Result<Self, DecodeError> {
        Self::from_parts(message_type, &crate::encoding::base64_decode(body)?)
    }
}

impl From<Message> for OlmMessage {
    fn from(message: Message) -> Self {
        Self::Normal(message)
    }
}

impl From<PreKeyMessage> for OlmMessage {
    fn from(message: PreKeyMessage) -> Self {
        Self::PreKey(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_types() {
        assert!(matches!(
            OlmMessage::from_parts(2, &[3]),
            Err(DecodeError::MessageType(2))
        ));
        assert!(OlmMessage::from_parts(0, &[]).is_err());
        assert!(OlmMessage::from_parts(1, &[]).is_err());
        assert_eq!(usize::from(MessageType::PreKey), 0);
        assert_eq!(MessageType::try_from(1).unwrap(), MessageType::Normal);
    }
}
