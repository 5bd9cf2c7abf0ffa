//! The three message formats of the HPKE channel. Each is sent as unpadded
//! base64 of its bytes:
//!
//! - [`InitialMessage`]: the 32-byte encapsulated key, then the ciphertext;
//! - [`InitialResponse`]: the 32-byte base response nonce, then the
//!   ciphertext;
//! - [`Message`]: the ciphertext.
//!
//! Every ciphertext ends in a 16-byte Poly1305 tag, so shorter input is
//! refused when decoded. Base64 is read padded or not, as vodozemac does.

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::{
    Curve25519PublicKey,
    encoding::{Base64DecodeError, base64_decode, base64_encode},
};

/// The length of the Poly1305 tag that ends every ciphertext.
const TAG_LENGTH: usize = 16;

/// The length of the key or nonce that starts the first two messages.
const PREFIX_LENGTH: usize = 32;

/// An HPKE message could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageDecodeError {
    /// The message is not valid base64.
    #[error("the message is not valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The message is shorter than its fixed parts: the 32-byte key or nonce
    /// (for the first two messages) and the 16-byte authentication tag.
    #[error("the message has {got} bytes; at least {min} are needed")]
    TooShort {
        /// The shortest valid message of this kind.
        min: usize,
        /// The length of the input.
        got: usize,
    },
}

/// The first message of an HPKE channel, from the sender (device S, which
/// scanned the QR code) to the recipient.
///
/// The encapsulated key is the sender's ephemeral public key, and it is
/// **unauthenticated**: the recipient learns whom it talks to only when the
/// users compare the check code.
#[derive(Clone, PartialEq, Eq)]
pub struct InitialMessage {
    /// The sender's ephemeral public key (HPKE's `enc`).
    pub encapsulated_key: Curve25519PublicKey,
    /// The encrypted first message, tag included.
    pub ciphertext: Vec<u8>,
}

impl InitialMessage {
    /// The shortest valid message: key and tag.
    const MIN_LENGTH: usize = PREFIX_LENGTH + TAG_LENGTH;

    /// The message as bytes: key, then ciphertext.
    pub fn to_bytes(&self) -> Vec<u8> {
        [self.encapsulated_key.as_bytes().as_slice(), &self.ciphertext].concat()
    }

    /// Parses [`InitialMessage::to_bytes`]' output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MessageDecodeError> {
        let (key, ciphertext) = split_prefix(bytes, Self::MIN_LENGTH)?;
        Ok(Self {
            encapsulated_key: Curve25519PublicKey::from_bytes(key),
            ciphertext,
        })
    }

    /// The message as sent: unpadded base64 of [`InitialMessage::to_bytes`].
    pub fn encode(&self) -> String {
        base64_encode(self.to_bytes())
    }

    /// Parses a message written by [`InitialMessage::encode`] (or by
    /// vodozemac).
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Self::from_bytes(&base64_decode(message)?)
    }
}

impl fmt::Debug for InitialMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitialMessage")
            .field("encapsulated_key", &self.encapsulated_key)
            .field("ciphertext_length", &self.ciphertext.len())
            .finish()
    }
}

/// The recipient's first message back, which makes the channel
/// bidirectional.
#[derive(Clone, PartialEq, Eq)]
pub struct InitialResponse {
    /// The random nonce from which, with a secret exported from the HPKE
    /// context, both sides derive the key for the recipient's messages.
    pub base_response_nonce: [u8; 32],
    /// The encrypted response, tag included.
    pub ciphertext: Vec<u8>,
}

impl InitialResponse {
    /// The shortest valid response: nonce and tag.
    const MIN_LENGTH: usize = PREFIX_LENGTH + TAG_LENGTH;

    /// The response as bytes: nonce, then ciphertext.
    pub fn to_bytes(&self) -> Vec<u8> {
        [self.base_response_nonce.as_slice(), &self.ciphertext].concat()
    }

    /// Parses [`InitialResponse::to_bytes`]' output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MessageDecodeError> {
        let (base_response_nonce, ciphertext) = split_prefix(bytes, Self::MIN_LENGTH)?;
        Ok(Self {
            base_response_nonce,
            ciphertext,
        })
    }

    /// The response as sent: unpadded base64 of
    /// [`InitialResponse::to_bytes`].
    pub fn encode(&self) -> String {
        base64_encode(self.to_bytes())
    }

    /// Parses a response written by [`InitialResponse::encode`] (or by
    /// vodozemac).
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Self::from_bytes(&base64_decode(message)?)
    }
}

impl fmt::Debug for InitialResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitialResponse")
            .field("ciphertext_length", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

/// A message of an established HPKE channel.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// The encrypted message, tag included.
    pub ciphertext: Vec<u8>,
}

impl Message {
    /// The message as sent: unpadded base64 of the ciphertext.
    pub fn encode(&self) -> String {
        base64_encode(&self.ciphertext)
    }

    /// Parses a message written by [`Message::encode`] (or by vodozemac).
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        let ciphertext = base64_decode(message)?;
        if ciphertext.len() < TAG_LENGTH {
            return Err(MessageDecodeError::TooShort {
                min: TAG_LENGTH,
                got: ciphertext.len(),
            });
        }
        Ok(Self { ciphertext })
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("ciphertext_length", &self.ciphertext.len())
            .finish()
    }
}

/// Splits off the 32-byte prefix of a message at least `min` bytes long.
fn split_prefix(bytes: &[u8], min: usize) -> Result<([u8; PREFIX_LENGTH], Vec<u8>), MessageDecodeError> {
    let too_short = MessageDecodeError::TooShort { min, got: bytes.len() };
    if bytes.len() < min {
        return Err(too_short);
    }
    let (prefix, rest) = bytes.split_first_chunk::<PREFIX_LENGTH>().ok_or(too_short)?;
    Ok((*prefix, rest.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // vodozemac 0.11.1's own known-valid samples.
    const INITIAL_MESSAGE: &str =
        "9yA/CX8pJKF02Prd75ZyBQHg3fGTVVGDNl86q1z17Uvc6ftAUnItAwASu5r0r/Ig5wkAu+4xhrHUBbSJaB/rgDC1IxlfAADTXZA";
    const INITIAL_RESPONSE: &str =
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADc6ftAUnItAwASu5r0r/Ig5wkAu+4xhrHUBbSJaB/rgDC1IxlfAADTXZA";
    const MESSAGE: &str = "ZmtSLdzMcyjC5eV6L8xBI6amsq7gDNbCjz1W5OjX4Z8W";
    const PUBLIC_KEY: &str = "9yA/CX8pJKF02Prd75ZyBQHg3fGTVVGDNl86q1z17Us";

    #[test]
    fn known_messages_round_trip() {
        let initial = InitialMessage::decode(INITIAL_MESSAGE).unwrap();
        assert_eq!(initial.encapsulated_key.to_base64(), PUBLIC_KEY);
        assert_eq!(initial.encode(), INITIAL_MESSAGE);
        assert_eq!(InitialMessage::from_bytes(&initial.to_bytes()), Ok(initial));

        let response = InitialResponse::decode(INITIAL_RESPONSE).unwrap();
        assert_eq!(response.base_response_nonce, [0; 32]);
        assert_eq!(response.encode(), INITIAL_RESPONSE);
        assert_eq!(InitialResponse::from_bytes(&response.to_bytes()), Ok(response));

        assert_eq!(Message::decode(MESSAGE).unwrap().encode(), MESSAGE);
    }

    #[test]
    fn short_and_malformed_input() {
        for len in 0..48 {
            let encoded = base64_encode(alloc::vec![1u8; len]);
            assert_eq!(
                InitialMessage::decode(&encoded),
                Err(MessageDecodeError::TooShort { min: 48, got: len })
            );
            assert_eq!(
                InitialResponse::decode(&encoded),
                Err(MessageDecodeError::TooShort { min: 48, got: len })
            );
            let message = Message::decode(&encoded);
            if len < 16 {
                assert_eq!(message, Err(MessageDecodeError::TooShort { min: 16, got: len }));
            } else {
                assert!(message.is_ok());
            }
        }
        assert!(InitialMessage::decode(&base64_encode([1u8; 48])).is_ok());
        assert!(InitialResponse::decode(&base64_encode([1u8; 48])).is_ok());
        for bad in ["A", "AB", "a b", "!!!!", "AAAA\n", "é"] {
            assert!(
                matches!(InitialMessage::decode(bad), Err(MessageDecodeError::Base64(_))),
                "{bad}"
            );
            assert!(
                matches!(InitialResponse::decode(bad), Err(MessageDecodeError::Base64(_))),
                "{bad}"
            );
            assert!(
                matches!(Message::decode(bad), Err(MessageDecodeError::Base64(_))),
                "{bad}"
            );
        }
        // A truncation decodes exactly when it is valid base64 of at least
        // the fixed prefix and the tag (the ciphertext is authenticated
        // later), and then to the bytes it encodes; never a panic.
        let min = PREFIX_LENGTH + TAG_LENGTH;
        for end in 0..INITIAL_MESSAGE.len() {
            let text = &INITIAL_MESSAGE[..end];
            let bytes = base64_decode(text).ok().filter(|b| b.len() >= min);
            assert_eq!(InitialMessage::decode(text).ok().map(|m| m.to_bytes()), bytes, "{end}");
            let text = &INITIAL_RESPONSE[..end];
            let bytes = base64_decode(text).ok().filter(|b| b.len() >= min);
            assert_eq!(InitialResponse::decode(text).ok().map(|m| m.to_bytes()), bytes, "{end}");
        }
    }
}
