//! vodozemac's `MegolmMessage`, on `olm::megolm::MegolmMessage`.

use std::fmt;

use crate::{DecodeError, Ed25519Signature, olm::message_conversions};

/// An encrypted Megolm message.
#[derive(Clone, PartialEq, Eq)]
pub struct MegolmMessage(pub(crate) ::olm::megolm::MegolmMessage, Ed25519Signature);

impl MegolmMessage {
    /// The actual ciphertext of the message.
    pub fn ciphertext(&self) -> &[u8] {
        self.0.ciphertext()
    }

    /// The index of the message that was used when the message was encrypted.
    pub fn message_index(&self) -> u32 {
        self.0.message_index()
    }

    /// Get the message authentication code of the message.
    pub fn mac(&self) -> &[u8] {
        self.0.mac()
    }

    /// Get the signature of the message.
    pub fn signature(&self) -> &Ed25519Signature {
        &self.1
    }

    /// Try to decode the given byte slice as a [`MegolmMessage`].
    pub fn from_bytes(message: &[u8]) -> Result<Self, DecodeError> {
        Ok(Self::from_olm(::olm::megolm::MegolmMessage::from_bytes(message)?))
    }

    pub(crate) fn from_olm(message: ::olm::megolm::MegolmMessage) -> Self {
        let signature = Ed25519Signature(message.signature());
        Self(message, signature)
    }
}

message_conversions!(MegolmMessage);

impl fmt::Debug for MegolmMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MegolmMessage")
            .field("version", &self.0.version())
            .field("message_index", &self.message_index())
            .finish_non_exhaustive()
    }
}
