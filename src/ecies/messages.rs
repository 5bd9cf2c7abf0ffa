//! The two message formats of the ECIES channel, as strings.
//!
//! - [`InitialMessage`]: `base64(ciphertext) | base64(public key)`, the first
//!   message, which carries the initiator's ephemeral key.
//! - [`Message`]: `base64(ciphertext)`, every later message.
//!
//! Base64 is written unpadded and read padded or not, as vodozemac does. A
//! ciphertext always ends in the 16-byte Poly1305 tag, so a shorter one is
//! refused when decoded rather than when decrypted.

use alloc::{format, string::String, vec::Vec};
use core::fmt;

use super::TAG_LENGTH;
use crate::{
    Curve25519PublicKey, KeyError,
    encoding::{Base64DecodeError, base64_decode, base64_encode},
};

/// An ECIES message string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageDecodeError {
    /// An initial message has no `|` between its ciphertext and its key.
    #[error("the initial message has no `|` between its ciphertext and its public key")]
    MissingSeparator,
    /// The public key of an initial message is not base64 of 32 bytes.
    #[error("the initial message's public key is invalid: {0}")]
    Key(#[from] KeyError),
    /// The ciphertext is not valid base64.
    #[error("the message's ciphertext is not valid base64: {0}")]
    Base64(#[from] Base64DecodeError),
    /// The ciphertext is shorter than the authentication tag every message
    /// carries, so it cannot be a message of this channel.
    #[error("the message's ciphertext has {0} bytes; at least 16 (the authentication tag) are needed")]
    TooShort(usize),
}

/// The first message of an ECIES channel, from the initiator (the device
/// that scanned the QR code) to the recipient.
///
/// It carries the initiator's ephemeral public key, **unauthenticated**: the
/// recipient learns whom it talks to only when the users compare the check
/// code.
#[derive(Clone, PartialEq, Eq)]
pub struct InitialMessage {
    /// The initiator's ephemeral public key.
    pub public_key: Curve25519PublicKey,
    /// The encrypted first message, tag included.
    pub ciphertext: Vec<u8>,
}

impl InitialMessage {
    /// The message as sent: `base64(ciphertext)|base64(public key)`, both
    /// unpadded.
    pub fn encode(&self) -> String {
        format!("{}|{}", base64_encode(&self.ciphertext), self.public_key.to_base64())
    }

    /// Parses a message written by [`InitialMessage::encode`] (or by
    /// vodozemac). The text before the first `|` is the ciphertext, the text
    /// after it the public key.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        let (ciphertext, key) = message.split_once('|').ok_or(MessageDecodeError::MissingSeparator)?;
        let public_key = Curve25519PublicKey::from_base64(key)?;
        let ciphertext = decode_ciphertext(ciphertext)?;
        Ok(Self { public_key, ciphertext })
    }
}

impl fmt::Debug for InitialMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitialMessage")
            .field("public_key", &self.public_key)
            .field("ciphertext_length", &self.ciphertext.len())
            .finish()
    }
}

/// A message of an established ECIES channel.
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
        Ok(Self {
            ciphertext: decode_ciphertext(message)?,
        })
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("ciphertext_length", &self.ciphertext.len())
            .finish()
    }
}

fn decode_ciphertext(input: &str) -> Result<Vec<u8>, MessageDecodeError> {
    let ciphertext = base64_decode(input)?;
    if ciphertext.len() < TAG_LENGTH {
        return Err(MessageDecodeError::TooShort(ciphertext.len()));
    }
    Ok(ciphertext)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written by vodozemac 0.11.1 (its own known-valid samples).
    const INITIAL_MESSAGE: &str =
        "3On7QFJyLQMAErua9K/yIOcJALvuMYax1AW0iWgf64AwtSMZXwAA012Q|9yA/CX8pJKF02Prd75ZyBQHg3fGTVVGDNl86q1z17Us";
    const MESSAGE: &str = "ZmtSLdzMcyjC5eV6L8xBI6amsq7gDNbCjz1W5OjX4Z8W";
    const PUBLIC_KEY: &str = "9yA/CX8pJKF02Prd75ZyBQHg3fGTVVGDNl86q1z17Us";

    #[test]
    fn known_messages_round_trip() {
        let initial = InitialMessage::decode(INITIAL_MESSAGE).unwrap();
        assert_eq!(initial.public_key.to_base64(), PUBLIC_KEY);
        assert_eq!(initial.encode(), INITIAL_MESSAGE);
        let message = Message::decode(MESSAGE).unwrap();
        assert_eq!(message.encode(), MESSAGE);
        // Padded base64 is accepted too.
        let unpadded = base64_encode([5u8; 17]);
        assert_eq!(unpadded.len(), 23);
        assert_eq!(Message::decode(&(unpadded.clone() + "=")), Message::decode(&unpadded));
        assert_eq!(Message::decode(&unpadded).unwrap().ciphertext, [5u8; 17]);
    }

    #[test]
    fn bad_initial_messages() {
        let (ciphertext, key) = INITIAL_MESSAGE.split_once('|').unwrap();
        assert_eq!(
            InitialMessage::decode(ciphertext),
            Err(MessageDecodeError::MissingSeparator)
        );
        assert_eq!(InitialMessage::decode(""), Err(MessageDecodeError::MissingSeparator));
        assert!(matches!(
            InitialMessage::decode(&format!("{ciphertext}|{}", &key[..42])),
            Err(MessageDecodeError::Key(KeyError::InvalidKeyLength { length: 31, .. }))
        ));
        assert!(matches!(
            InitialMessage::decode(&format!("{ciphertext}|{key}A")),
            Err(MessageDecodeError::Key(KeyError::InvalidKeyLength { length: 33, .. }))
        ));
        assert!(matches!(
            InitialMessage::decode(&format!("{ciphertext}|{key}|{key}")),
            Err(MessageDecodeError::Key(_))
        ));
        assert!(matches!(
            InitialMessage::decode(&format!("{ciphertext}!|{key}")),
            Err(MessageDecodeError::Base64(_))
        ));
        assert_eq!(
            InitialMessage::decode(&format!("|{key}")),
            Err(MessageDecodeError::TooShort(0))
        );
        assert_eq!(
            InitialMessage::decode(&format!("{}|{key}", base64_encode([0u8; 15]))),
            Err(MessageDecodeError::TooShort(15))
        );
        // Every truncation is an error (cutting the key's base64 shortens
        // the key), never a panic.
        for end in 0..INITIAL_MESSAGE.len() {
            assert!(InitialMessage::decode(&INITIAL_MESSAGE[..end]).is_err(), "{end}");
        }
    }

    #[test]
    fn bad_messages() {
        assert_eq!(Message::decode(""), Err(MessageDecodeError::TooShort(0)));
        assert!(matches!(Message::decode("A"), Err(MessageDecodeError::Base64(_))));
        assert!(matches!(Message::decode("ab$d"), Err(MessageDecodeError::Base64(_))));
        assert!(matches!(
            Message::decode(&"é".repeat(30)),
            Err(MessageDecodeError::Base64(_))
        ));
        assert_eq!(
            Message::decode(&base64_encode([7u8; 15])),
            Err(MessageDecodeError::TooShort(15))
        );
        assert!(Message::decode(&base64_encode([7u8; 16])).is_ok());
    }

    #[test]
    fn debug_shows_no_ciphertext() {
        let message = Message::decode(MESSAGE).unwrap();
        assert_eq!(format!("{message:?}"), "Message { ciphertext_length: 33 }");
    }
}
