//! An encrypted channel for logging in with a QR code built on HPKE
//! (RFC 9180), as MSC4108 and MSC4388 use it, byte for byte as vodozemac's
//! `hpke` module.
//!
//! # Roles
//!
//! Device **G** generates an ephemeral key and shows it in a QR code; it is
//! the HPKE *recipient*. Device **S** scans it and is the HPKE *sender*:
//!
//! 1. G: [`HpkeRecipientChannel::new`], shows [`HpkeRecipientChannel::public_key`].
//! 2. S: [`HpkeSenderChannel::establish_channel`] with G's key: sends an
//!    [`InitialMessage`] (the encapsulated key and the first ciphertext).
//! 3. G: [`HpkeRecipientChannel::establish_channel`] opens it, then
//!    [`UnidirectionalRecipientChannel::establish_bidirectional_channel`]
//!    seals a reply: sends an [`InitialResponse`].
//! 4. S: [`UnidirectionalSenderChannel::establish_bidirectional_channel`]
//!    opens the reply.
//! 5. Both hold an [`EstablishedHpkeChannel`]: [`seal`] and [`open`] in both
//!    directions, each message with caller-chosen associated data.
//!
//! S knows it talks to G, because it read G's key from the QR code; G cannot
//! tell who sent the initial message. Before trusting the channel the users
//! compare the [`CheckCode`], which differs on the two sides if anyone
//! replaced a key in between.
//!
//! # Cryptography
//!
//! Everything HPKE is done by the `hpke` crate (pinned to 0.14.1); this
//! module only wires it up:
//!
//! - the suite is DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
//!   ChaCha20-Poly1305, in base mode, with HPKE's `info` set to the info
//!   prefix (`MATRIX_QR_CODE_LOGIN` unless [`HpkeSenderChannel::with_info`]
//!   and [`HpkeRecipientChannel::with_info`] give another);
//! - S's messages use the HPKE context's own sequence numbers;
//! - G's messages use a *response context* (RFC 9180 §9.8, as MSC4388 takes
//!   it from RFC 9458): 32 bytes exported from the HPKE context with
//!   `"{prefix}_RESPONSE"`, then HKDF-SHA256 with the salt
//!   `encapsulated key ‖ base response nonce` (the 32 random bytes that start
//!   the [`InitialResponse`]) expanded with `"key"` into the 32-byte AEAD key
//!   and with `"nonce"` into the 12-byte base nonce, used with HPKE's
//!   sequence-number nonces;
//! - the check code is 2 bytes exported from the HPKE context with
//!   `"{prefix}_CHECKCODE" ‖ Gp ‖ Sp`, the two raw 32-byte public keys.
//!
//! Low-order public keys (an all-zero exchange) are refused with
//! [`HpkeError::NonContributoryKey`].
//!
//! # Failures and limits
//!
//! A message that does not [`open`] leaves the channel unchanged: the
//! sequence number advances only when a message opens, so a forged message
//! injected into the rendezvous channel does not stop the genuine one from
//! opening. Messages cannot be skipped or reordered.
//!
//! Each direction carries at most 2^64 messages (HPKE's sequence number is a
//! `u64` in the `hpke` crate). Past that, [`seal`] and [`open`] return
//! [`HpkeError::MessageLimit`]; vodozemac panics in `seal` instead.
//!
//! # Example
//!
//! ```
//! use olm::hpke::{
//!     BidirectionalCreationResult, HpkeRecipientChannel, HpkeSenderChannel, InitialMessage, InitialResponse,
//!     RecipientCreationResult, SenderCreationResult,
//! };
//!
//! // G shows its key in a QR code; S scans it.
//! let g = HpkeRecipientChannel::new();
//! let SenderCreationResult { channel: s, message } =
//!     HpkeSenderChannel::new().establish_channel(g.public_key(), b"Hello from S", b"")?;
//!
//! let RecipientCreationResult { channel: g, message } =
//!     g.establish_channel(&InitialMessage::decode(&message.encode())?, b"")?;
//! assert_eq!(message, b"Hello from S");
//! let BidirectionalCreationResult { channel: mut g, message: response } =
//!     g.establish_bidirectional_channel(b"Hello from G", b"")?;
//!
//! let BidirectionalCreationResult { channel: mut s, message } =
//!     s.establish_bidirectional_channel(&InitialResponse::decode(&response.encode())?, b"")?;
//! assert_eq!(message, b"Hello from G");
//!
//! // The users compare the check codes out of band.
//! assert_eq!(s.check_code(), g.check_code());
//!
//! let sealed = s.seal(b"the secrets", b"some context")?;
//! assert_eq!(g.open(&sealed, b"some context")?, b"the secrets");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`seal`]: EstablishedHpkeChannel::seal
//! [`open`]: EstablishedHpkeChannel::open

mod check_code;
mod messages;
mod recipient;
mod sender;

use alloc::{format, string::String, vec::Vec};
use core::fmt;

use ::hpke::{
    aead::{AeadCtxR, AeadCtxS},
    danger::streaming_enc::{AeadKey, AeadNonce},
};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{ZeroizeOnDrop, Zeroizing};

pub use self::{
    check_code::{CheckCode, DigitMode},
    messages::{InitialMessage, InitialResponse, Message, MessageDecodeError},
    recipient::{HpkeRecipientChannel, RecipientCreationResult, UnidirectionalRecipientChannel},
    sender::{HpkeSenderChannel, SenderCreationResult, UnidirectionalSenderChannel},
};
use crate::Curve25519PublicKey;

type Kem = ::hpke::kem::X25519HkdfSha256;
type Kdf = ::hpke::kdf::HkdfSha256;
type Aead = ::hpke::aead::ChaCha20Poly1305;
type SenderContext = AeadCtxS<Aead, Kdf, Kem>;
type ReceiverContext = AeadCtxR<Aead, Kdf, Kem>;

/// The info prefix MSC4108 uses for QR-code login.
const DEFAULT_INFO_PREFIX: &str = "MATRIX_QR_CODE_LOGIN";

/// An HPKE channel could not be established, or a message could not be
/// sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HpkeError {
    /// The other side's public key is a low-order point: the exchange would
    /// give an all-zero secret that anyone can compute. Abandon the login.
    #[error("the other side's public key is a low-order point: the key exchange would not be contributory")]
    NonContributoryKey,
    /// The message does not open: it was altered or forged, sealed with
    /// other associated data, already opened, or is not the next message of
    /// this channel. An established channel is unchanged and still expects
    /// the same message; during establishment, start the login again.
    #[error(
        "the message could not be opened: it was altered, replayed, out of order or sealed with other associated data"
    )]
    Decryption,
    /// The channel has used all 2^64 sequence numbers of this direction;
    /// open a new channel.
    #[error("the channel has used all its sequence numbers in this direction; open a new channel")]
    MessageLimit,
    /// The plaintext or associated data exceeds what ChaCha20-Poly1305 can
    /// seal in one message.
    #[error("the plaintext or associated data is too long for one ChaCha20-Poly1305 message")]
    PlaintextTooLong,
    /// The `hpke` crate refused an input this module always gives it in
    /// valid form. This is a bug in this crate; please report it.
    #[error("the HPKE implementation refused its input ({0}); this is a bug in olm, please report it")]
    Internal(&'static str),
}

/// Names an error of the `hpke` crate in this module's terms.
fn from_hpke(error: ::hpke::HpkeError) -> HpkeError {
    use ::hpke::HpkeError as E;
    match error {
        E::MessageLimitReached => HpkeError::MessageLimit,
        E::OpenError => HpkeError::Decryption,
        E::SealError => HpkeError::PlaintextTooLong,
        // DHKEM fails only when the exchange gives the all-zero secret.
        E::EncapError | E::DecapError => HpkeError::NonContributoryKey,
        E::KdfOutputTooLong => HpkeError::Internal("KDF output too long"),
        E::ValidationError => HpkeError::Internal("invalid value"),
        E::IncorrectInputLength(..) => HpkeError::Internal("input of the wrong length"),
        E::InvalidPskBundle => HpkeError::Internal("invalid PSK bundle"),
    }
}

/// The public parts a channel carries from one stage to the next.
struct Keys {
    info_prefix: String,
    our_public_key: Curve25519PublicKey,
    their_public_key: Curve25519PublicKey,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("info_prefix", &self.info_prefix)
            .field("our_public_key", &self.our_public_key)
            .field("their_public_key", &self.their_public_key)
            .finish()
    }
}

/// Either HPKE context, for the secrets exported from it.
trait Exporter {
    fn export_secret(&self, info: &[u8], out: &mut [u8]) -> Result<(), ::hpke::HpkeError>;
}

impl Exporter for SenderContext {
    fn export_secret(&self, info: &[u8], out: &mut [u8]) -> Result<(), ::hpke::HpkeError> {
        self.export(info, out)
    }
}

impl Exporter for ReceiverContext {
    fn export_secret(&self, info: &[u8], out: &mut [u8]) -> Result<(), ::hpke::HpkeError> {
        self.export(info, out)
    }
}

/// The key and base nonce of the response context, from a secret exported
/// from the HPKE context, the encapsulated key and the base response nonce.
fn response_key_and_nonce(
    context: &impl Exporter,
    info_prefix: &str,
    encapsulated_key: &Curve25519PublicKey,
    base_response_nonce: &[u8; 32],
) -> Result<(AeadKey<Aead>, AeadNonce<Aead>), HpkeError> {
    let mut secret = Zeroizing::new([0u8; 32]);
    context
        .export_secret(format!("{info_prefix}_RESPONSE").as_bytes(), secret.as_mut_slice())
        .map_err(from_hpke)?;
    let salt = [encapsulated_key.as_bytes().as_slice(), base_response_nonce].concat();
    let kdf = Hkdf::<Sha256>::new(Some(&salt), secret.as_slice());
    let mut key = AeadKey::<Aead>::default();
    let mut nonce = AeadNonce::<Aead>::default();
    kdf.expand(b"key", &mut key.0)
        .and_then(|()| kdf.expand(b"nonce", &mut nonce.0))
        .map_err(|_| HpkeError::Internal("HKDF output too long"))?;
    Ok((key, nonce))
}

/// The check code: two bytes exported with `"{prefix}_CHECKCODE" ‖ Gp ‖ Sp`.
fn check_code(
    context: &impl Exporter,
    info_prefix: &str,
    g_public_key: &Curve25519PublicKey,
    s_public_key: &Curve25519PublicKey,
) -> Result<CheckCode, HpkeError> {
    let info = [
        info_prefix.as_bytes(),
        b"_CHECKCODE",
        g_public_key.as_bytes(),
        s_public_key.as_bytes(),
    ]
    .concat();
    let mut bytes = [0u8; 2];
    context.export_secret(&info, &mut bytes).map_err(from_hpke)?;
    Ok(CheckCode { bytes })
}

/// The sequence number of the next message in one direction, mirroring the
/// `hpke` crate's own; `None` once all 2^64 are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counter(Option<u64>);

impl Counter {
    /// After the initial message or response, which is message 0.
    const AFTER_FIRST: Self = Self(Some(1));

    fn check(self) -> Result<(), HpkeError> {
        self.0.map(|_| ()).ok_or(HpkeError::MessageLimit)
    }

    fn advance(&mut self) {
        self.0 = self.0.and_then(|n| n.checked_add(1));
    }
}

/// What completing a channel in both directions returns: the channel and
/// the response (for the recipient, to send) or its plaintext (for the
/// sender).
pub struct BidirectionalCreationResult<T> {
    /// The established channel.
    pub channel: EstablishedHpkeChannel,
    /// The [`InitialResponse`] to send (recipient), or the plaintext of the
    /// one received (sender).
    pub message: T,
}

/// The recipient's result shows the response it is to send.
impl fmt::Debug for BidirectionalCreationResult<InitialResponse> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BidirectionalCreationResult")
            .field("channel", &self.channel)
            .field("message", &self.message)
            .finish()
    }
}

/// The sender's result shows the plaintext's length, never the plaintext.
impl fmt::Debug for BidirectionalCreationResult<Vec<u8>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BidirectionalCreationResult")
            .field("channel", &self.channel)
            .field("message_len", &self.message.len())
            .finish()
    }
}

/// Our side of the channel and its two contexts.
enum Role {
    /// Device S: seals with the HPKE context, opens with the response
    /// context.
    Sender {
        sender_context: SenderContext,
        response_context: ReceiverContext,
    },
    /// Device G: opens with the HPKE context, seals with the response
    /// context.
    Recipient {
        sender_context: ReceiverContext,
        response_context: SenderContext,
    },
}

impl fmt::Debug for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sender { .. } => "Sender",
            Self::Recipient { .. } => "Recipient",
        })
    }
}

/// An HPKE channel established in both directions.
///
/// Its keys are wiped on drop and never shown by `Debug`.
pub struct EstablishedHpkeChannel {
    role: Role,
    our_public_key: Curve25519PublicKey,
    their_public_key: Curve25519PublicKey,
    check_code: CheckCode,
    sent: Counter,
    received: Counter,
}

impl EstablishedHpkeChannel {
    /// Our ephemeral public key.
    pub const fn public_key(&self) -> Curve25519PublicKey {
        self.our_public_key
    }

    /// The other side's ephemeral public key.
    pub const fn their_public_key(&self) -> Curve25519PublicKey {
        self.their_public_key
    }

    /// The check code the users compare to rule out a man in the middle.
    pub const fn check_code(&self) -> &CheckCode {
        &self.check_code
    }

    /// Seals `plaintext` with associated data `aad` as the next message to
    /// the other side. The other side must open it with the same `aad`.
    pub fn seal(&mut self, plaintext: &[u8], aad: &[u8]) -> Result<Message, HpkeError> {
        crate::stack::scrubbed(|| {
            self.sent.check()?;
            let ciphertext = match &mut self.role {
                Role::Sender { sender_context, .. } => sender_context.seal(plaintext, aad),
                Role::Recipient { response_context, .. } => response_context.seal(plaintext, aad),
            }
            .map_err(from_hpke)?;
            self.sent.advance();
            Ok(Message { ciphertext })
        })
    }

    /// Opens the next message from the other side, sealed with associated
    /// data `aad`.
    ///
    /// On failure the channel is unchanged: the genuine message still opens
    /// when it arrives.
    pub fn open(&mut self, message: &Message, aad: &[u8]) -> Result<Vec<u8>, HpkeError> {
        crate::stack::scrubbed(|| {
            self.received.check()?;
            let plaintext = match &mut self.role {
                Role::Sender { response_context, .. } => response_context.open(&message.ciphertext, aad),
                Role::Recipient { sender_context, .. } => sender_context.open(&message.ciphertext, aad),
            }
            .map_err(from_hpke)?;
            self.received.advance();
            Ok(plaintext)
        })
    }
}

/// The contexts wipe their keys when dropped.
impl ZeroizeOnDrop for EstablishedHpkeChannel {}

impl fmt::Debug for EstablishedHpkeChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EstablishedHpkeChannel")
            .field("role", &self.role)
            .field("our_public_key", &self.our_public_key)
            .field("their_public_key", &self.their_public_key)
            .field("check_code", &self.check_code)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
