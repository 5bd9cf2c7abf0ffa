//! vodozemac's `hpke` module (the MSC4108/MSC4388 QR-login channel over
//! RFC 9180 HPKE), on `olm::hpke`.

use std::fmt;

use crate::{Base64DecodeError, Curve25519PublicKey, KeyError};

pub use ::olm::hpke::{CheckCode, DigitMode};

/// Error type describing the ways a message could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum MessageDecodeError {
    /// The message doesn't contain enough bytes.
    #[error("The message doesn't contain enough bytes to be decoded")]
    MessageIncomplete,
    /// The embedded ephemeral Curve25519 key could not have been decoded.
    #[error("The embedded ephemeral Curve25519 key could not have been decoded: {0:?}")]
    KeyError(#[from] KeyError),
    /// The ciphertext is not valid base64.
    #[error("The ciphertext could not have been decoded from a base64 string: {0:?}")]
    Base64(#[from] Base64DecodeError),
}

impl From<::olm::hpke::MessageDecodeError> for MessageDecodeError {
    fn from(error: ::olm::hpke::MessageDecodeError) -> Self {
        match error {
            ::olm::hpke::MessageDecodeError::Base64(e) => Self::Base64(e.into()),
            _ => Self::MessageIncomplete,
        }
    }
}

/// The HPKE operation failed (vodozemac carries the `hpke` crate's error in
/// `Encapsulation`; this one carries `olm`'s).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The message could not be decrypted.
    #[error("Failed decrypting the message")]
    Decryption,
    /// The key encapsulation failed (a non-contributory key, for one).
    #[error("Failed decrypting the message")]
    Encapsulation(::olm::hpke::HpkeError),
}

impl From<::olm::hpke::HpkeError> for Error {
    fn from(error: ::olm::hpke::HpkeError) -> Self {
        match error {
            ::olm::hpke::HpkeError::Decryption => Self::Decryption,
            other => Self::Encapsulation(other),
        }
    }
}

/// The first message of the channel: the encapsulated key and a ciphertext.
#[derive(Debug, PartialEq, Eq)]
pub struct InitialMessage {
    /// The sender's ephemeral key.
    pub encapsulated_key: Curve25519PublicKey,
    /// The encrypted initial plaintext.
    pub ciphertext: Vec<u8>,
}

impl InitialMessage {
    /// Encode the message as a string (unpadded base64).
    pub fn encode(&self) -> String {
        self.to_olm().encode()
    }

    /// Decode a message from a string.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Ok(Self::from_olm(::olm::hpke::InitialMessage::decode(message)?))
    }

    /// Encode the message as bytes: the key, then the ciphertext.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_olm().to_bytes()
    }

    /// Decode a message from bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MessageDecodeError> {
        Ok(Self::from_olm(::olm::hpke::InitialMessage::from_bytes(bytes)?))
    }

    fn to_olm(&self) -> ::olm::hpke::InitialMessage {
        ::olm::hpke::InitialMessage {
            encapsulated_key: self.encapsulated_key.0,
            ciphertext: self.ciphertext.clone(),
        }
    }

    fn from_olm(message: ::olm::hpke::InitialMessage) -> Self {
        Self {
            encapsulated_key: Curve25519PublicKey(message.encapsulated_key),
            ciphertext: message.ciphertext,
        }
    }
}

/// The recipient's answer, which makes the channel bidirectional.
#[derive(Debug)]
pub struct InitialResponse {
    /// The nonce the response context is derived with.
    pub base_response_nonce: [u8; 32],
    /// The encrypted response.
    pub ciphertext: Vec<u8>,
}

impl InitialResponse {
    /// Encode the response as a string (unpadded base64).
    pub fn encode(&self) -> String {
        self.to_olm().encode()
    }

    /// Decode a response from a string.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Ok(Self::from_olm(::olm::hpke::InitialResponse::decode(message)?))
    }

    /// Decode a response from bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MessageDecodeError> {
        Ok(Self::from_olm(::olm::hpke::InitialResponse::from_bytes(bytes)?))
    }

    /// Encode the response as bytes: the nonce, then the ciphertext.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_olm().to_bytes()
    }

    fn to_olm(&self) -> ::olm::hpke::InitialResponse {
        ::olm::hpke::InitialResponse {
            base_response_nonce: self.base_response_nonce,
            ciphertext: self.ciphertext.clone(),
        }
    }

    fn from_olm(message: ::olm::hpke::InitialResponse) -> Self {
        Self {
            base_response_nonce: message.base_response_nonce,
            ciphertext: message.ciphertext,
        }
    }
}

/// A message on an established channel.
#[derive(Debug)]
pub struct Message {
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
}

impl Message {
    /// Encode the message as a string (unpadded base64).
    pub fn encode(&self) -> String {
        self.to_olm().encode()
    }

    /// Decode a message from a string.
    pub fn decode(message: &str) -> Result<Self, MessageDecodeError> {
        Ok(Self {
            ciphertext: ::olm::hpke::Message::decode(message)?.ciphertext,
        })
    }

    fn to_olm(&self) -> ::olm::hpke::Message {
        ::olm::hpke::Message {
            ciphertext: self.ciphertext.clone(),
        }
    }
}

/// The result of establishing a bidirectional channel.
pub struct BidirectionalCreationResult<T> {
    /// The established channel.
    pub channel: EstablishedHpkeChannel,
    /// The message: the response to send, or the plaintext received.
    pub message: T,
}

/// The result of the sender's first step.
pub struct SenderCreationResult {
    /// The channel, able to send only until the response arrives.
    pub channel: UnidirectionalSenderChannel,
    /// The first message, to send to the recipient.
    pub message: InitialMessage,
}

/// The result of the recipient's first step.
#[derive(Debug)]
pub struct RecipientCreationResult {
    /// The channel, able to receive only until the response is sent.
    pub channel: UnidirectionalRecipientChannel,
    /// The plaintext of the initial message.
    pub message: Vec<u8>,
}

/// The side that starts the channel (it knows the other's public key).
#[derive(Debug)]
pub struct HpkeSenderChannel(::olm::hpke::HpkeSenderChannel);

impl HpkeSenderChannel {
    /// A sender with the default info prefix (`MATRIX_QR_CODE_LOGIN`).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(::olm::hpke::HpkeSenderChannel::new())
    }

    /// A sender with the given info prefix.
    pub fn with_info(info: &str) -> Self {
        Self(::olm::hpke::HpkeSenderChannel::with_info(info))
    }

    /// Encrypts the initial plaintext to the recipient's key.
    pub fn establish_channel(
        self,
        their_public_key: Curve25519PublicKey,
        initial_plaintext: &[u8],
        aad: &[u8],
    ) -> Result<SenderCreationResult, Error> {
        let result = self.0.establish_channel(their_public_key.0, initial_plaintext, aad)?;
        Ok(SenderCreationResult {
            channel: UnidirectionalSenderChannel(result.channel),
            message: InitialMessage::from_olm(result.message),
        })
    }
}

/// The sender's channel before the recipient's response.
pub struct UnidirectionalSenderChannel(::olm::hpke::UnidirectionalSenderChannel);

impl fmt::Debug for UnidirectionalSenderChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl UnidirectionalSenderChannel {
    /// Reads the recipient's response and makes the channel bidirectional.
    pub fn establish_bidirectional_channel(
        self,
        message: &InitialResponse,
        aad: &[u8],
    ) -> Result<BidirectionalCreationResult<Vec<u8>>, Error> {
        let result = self.0.establish_bidirectional_channel(&message.to_olm(), aad)?;
        Ok(BidirectionalCreationResult {
            channel: EstablishedHpkeChannel(result.channel),
            message: result.message,
        })
    }
}

/// The side that publishes its public key (in the QR code).
pub struct HpkeRecipientChannel(::olm::hpke::HpkeRecipientChannel);

impl fmt::Debug for HpkeRecipientChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl HpkeRecipientChannel {
    /// A recipient with a fresh key and the default info prefix.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(::olm::hpke::HpkeRecipientChannel::new())
    }

    /// A recipient with a fresh key and the given info prefix.
    pub fn with_info(info: &str) -> Self {
        Self(::olm::hpke::HpkeRecipientChannel::with_info(info))
    }

    /// Opens the sender's initial message.
    pub fn establish_channel(self, message: &InitialMessage, aad: &[u8]) -> Result<RecipientCreationResult, Error> {
        let result = self.0.establish_channel(&message.to_olm(), aad)?;
        Ok(RecipientCreationResult {
            channel: UnidirectionalRecipientChannel(result.channel),
            message: result.message,
        })
    }

    /// The recipient's public key.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.public_key())
    }
}

/// The recipient's channel before it sends its response.
pub struct UnidirectionalRecipientChannel(::olm::hpke::UnidirectionalRecipientChannel);

impl fmt::Debug for UnidirectionalRecipientChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl UnidirectionalRecipientChannel {
    /// Encrypts the response and makes the channel bidirectional.
    ///
    /// # Panics
    ///
    /// Like vodozemac's, if the response cannot be sealed (a plaintext
    /// longer than ChaCha20-Poly1305 allows).
    pub fn establish_bidirectional_channel(
        self,
        plaintext: &[u8],
        aad: &[u8],
    ) -> BidirectionalCreationResult<InitialResponse> {
        match self.0.establish_bidirectional_channel(plaintext, aad) {
            Ok(result) => BidirectionalCreationResult {
                channel: EstablishedHpkeChannel(result.channel),
                message: InitialResponse::from_olm(result.message),
            },
            // vodozemac's signature has no error; it panics here too.
            #[allow(clippy::panic)]
            Err(error) => panic!("the HPKE response could not be sealed: {error}"),
        }
    }
}

/// An established bidirectional channel.
pub struct EstablishedHpkeChannel(::olm::hpke::EstablishedHpkeChannel);

impl fmt::Debug for EstablishedHpkeChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl EstablishedHpkeChannel {
    /// Our public key.
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.public_key())
    }

    /// The other side's public key.
    pub fn their_public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey(self.0.their_public_key())
    }

    /// The check code both sides compare.
    pub fn check_code(&self) -> &CheckCode {
        self.0.check_code()
    }

    /// Encrypts a message.
    ///
    /// # Panics
    ///
    /// Like vodozemac's, after 2⁶⁴ messages in one direction, or for a
    /// plaintext longer than ChaCha20-Poly1305 allows.
    pub fn seal(&mut self, plaintext: &[u8], aad: &[u8]) -> Message {
        match self.0.seal(plaintext, aad) {
            Ok(message) => Message {
                ciphertext: message.ciphertext,
            },
            // vodozemac's signature has no error; it panics here too.
            #[allow(clippy::panic)]
            Err(error) => panic!("the HPKE message could not be sealed: {error}"),
        }
    }

    /// Decrypts a message; a failure leaves the channel unchanged.
    pub fn open(&mut self, message: &Message, aad: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(self.0.open(&message.to_olm(), aad)?)
    }
}
