//! vodozemac's `ecies` module (the earlier MSC4108 QR-login channel), on
//! `olm::ecies`.

use std::fmt;

use crate::{Base64DecodeError, Curve25519PublicKey, KeyError};

pub use crate::hpke::{CheckCode, DigitMode};

/// The errors of an ECIES channel.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The other side's key is a low-order point.
    #[error("At least one of the keys did not have contributory behaviour")]
    NonContributoryKey,
    /// The message could not be decrypted.
    #[error("Failed decrypting the message")]
    Decryption,
}

impl From<::olm::ecies::EciesError> for Error {
    fn from(error: ::olm::ecies::EciesError) -> Self {
        match error {
            ::olm::ecies::EciesError::NonContributoryKey => Self::NonContributoryKey,
            _ => Self::Decryption,
        }
    }
}

/// A message could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum MessageDecodeError {
    /// The initial message is missing the `|` separator.
    #[error("The initial message is missing the | separator")]
    MissingSeparator,
    /// The embedded ephemeral Curve25519 key could not have been decoded.
    #[error("The embedded ephemeral Curve25519 key could not have been decoded: {0:?}")]
    KeyError(#[from] KeyError),
    /// The ciphertext is not valid base64.
    #[error("The ciphertext could not have been decoded from a base64 string: {0:?}")]
    Base64(#[from] Base64DecodeError),
}

impl From<::olm::ecies::MessageDecodeError> for MessageDecodeError {
    fn from(error: ::olm::ecies::MessageDecodeError) -> Self {
        match error {
            ::olm::ecies::MessageDecodeError::Key(e) => Self::KeyError(e.into()),
            ::olm::ecies::MessageDecodeError::Base64(e) => Self::Base64(e.into()),
            _ => Self::MissingSeparator,
        }
    }
}

/// The first message: the sender's public key and a ciphertext.
#[derive(Debug, PartialEq, Eq)]
pub struct InitialMessage {
    /// The sender's public key.
    pub public_key: Curve25519PublicKey,
    /// The encrypted initial plaintext.
    pub ciphertext: Vec<u8>,
}

impl InitialMessage {
    /// Encode the message as `base64(ciphertext)|base64(key)`.
    pub fn encode(&self) -> String {
        ::olm::ecies::InitialMessage {
            public_key: self.public_key.0,
            ciphertext: self.ciphertext.clone(),
        }
        .encode()
    }

    /// Decode a message from a string.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        let message = ::olm::ecies::InitialMessage::decode(message)?;
        Ok(Self {
            public_key: Curve25519PublicKey(message.public_key),
            ciphertext: message.ciphertext,
        })
    }
}

/// A message on an established channel.
#[derive(Debug)]
pub struct Message {
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
}

impl Message {
    /// Encode the message as base64.
    pub fn encode(&self) -> String {
        ::olm::ecies::Message {
            ciphertext: self.ciphertext.clone(),
        }
        .encode()
    }

    /// Decode a message from a string.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Ok(Self {
            ciphertext: ::olm::ecies::Message::decode(message)?.ciphertext,
        })
    }
}

/// The result of the recipient's step.
#[derive(Debug)]
pub struct InboundCreationResult {
    /// The established channel.
    pub ecies: EstablishedEcies,
    /// The plaintext of the initial message.
    pub message: Vec<u8>,
}

/// The result of the sender's step.
#[derive(Debug)]
pub struct OutboundCreationResult {
    /// The established channel.
    pub ecies: EstablishedEcies,
    /// The initial message, to send.
    pub message: InitialMessage,
}

/// An unestablished ECIES channel: a fresh key pair.
pub struct Ecies(::olm::ecies::Ecies);

impl Ecies {
    /// A channel with the default info prefix (`MATRIX_QR_CODE_LOGIN`).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(::olm::ecies::Ecies::new())
    }

    /// A channel with the given info prefix.
    pub fn with_info(info: &str) -> Self {
        Self(::olm::ecies::Ecies::with_info(info))
    }

    /// Establishes the channel to the other side's key, encrypting the
    /// initial plaintext.
    pub fn establish_outbound_channel(
        self,
        their_public_key: Curve25519PublicKey,
        initial_plaintext: &[u8],
    ) -> Result<OutboundCreationResult, Error> {
        let result = self
            .0
            .establish_outbound_channel(their_public_key.0, initial_plaintext)?;
        Ok(OutboundCreationResult {
            ecies: EstablishedEcies(result.ecies),
            message: InitialMessage {
                public_key: Curve25519PublicKey(result.message.public_key),
                ciphertext: result.message.ciphertext,
            },
        })
    }

    /// Establishes the channel from the other side's initial message.
    pub fn establish_inbound_channel(self, message: &InitialMessage) -> Result<InboundCreationResult, Error> {
        let message = ::olm::ecies::InitialMessage {
            public_key: message.public_key.0,
            ciphertext: message.ciphertext.clone(),
        };
        let result = self.0.establish_inbound_channel(&message)?;
        Ok(InboundCreationResult {
            ecies: EstablishedEcies(result.ecies),
            message: result.message,
        })
    }

    /// Our public key.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.public_key())
    }
}

/// An established ECIES channel.
pub struct EstablishedEcies(::olm::ecies::EstablishedEcies);

impl fmt::Debug for EstablishedEcies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl EstablishedEcies {
    /// Our public key.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.public_key())
    }

    /// The check code both sides compare.
    pub fn check_code(&self) -> &CheckCode {
        self.0.check_code()
    }

    /// Encrypts a message.
    ///
    /// # Panics
    ///
    /// After 2⁹⁶ messages in one direction, or for a plaintext longer than
    /// ChaCha20-Poly1305 allows (vodozemac's signature has no error either).
    pub fn encrypt(&mut self, plaintext: &[u8]) -> Message {
        match self.0.encrypt(plaintext) {
            Ok(message) => Message {
                ciphertext: message.ciphertext,
            },
            #[allow(clippy::panic)]
            Err(error) => panic!("the ECIES message could not be encrypted: {error}"),
        }
    }

    /// Decrypts a message; unlike vodozemac's, a failure leaves the channel
    /// unchanged (the nonce is not consumed).
    pub fn decrypt(&mut self, message: &Message) -> Result<Vec<u8>, Error> {
        Ok(self.0.decrypt(&::olm::ecies::Message {
            ciphertext: message.ciphertext.clone(),
        })?)
    }
}
