//! Byte-level encodings shared by every message: base64, varints and the
//! protobuf-style field framing. Nothing here knows about the protocol.

pub(crate) mod base64;
pub(crate) mod proto;
pub(crate) mod varint;

pub use self::base64::{Base64DecodeError, base64_decode, base64_encode};

/// A message, key or session export whose bytes could not be decoded.
///
/// None of these is recoverable by retrying: the input is malformed, truncated
/// or of a version this crate does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The base64 wrapper is invalid.
    #[error("the input is not valid base64 ({0}); Matrix uses standard base64, padded or not")]
    Base64(#[from] Base64DecodeError),
    /// The version byte is not one this crate understands.
    #[error(
        "unsupported version {got}, expected {expected}: the sender uses a protocol version this crate does not speak"
    )]
    Version {
        /// The version this crate speaks.
        expected: u8,
        /// The version found in the input.
        got: u8,
    },
    /// The input is shorter than its fixed parts.
    #[error("the input is too short ({got} bytes, at least {min} are needed): it was truncated; drop it")]
    TooShort {
        /// The minimum length of a valid input.
        min: usize,
        /// The length of the input.
        got: usize,
    },
    /// The input does not have the exact length its format prescribes.
    #[error("the input has the wrong length ({got} bytes, expected {expected}): it was truncated or damaged; drop it")]
    Length {
        /// The only valid length.
        expected: usize,
        /// The length of the input.
        got: usize,
    },
    /// A varint is truncated, longer than ten bytes, or too large for its field.
    #[error("a varint is malformed or too large for its field: the input is damaged; drop it")]
    Varint,
    /// A length-prefixed field runs past the end of the input.
    #[error("a field runs past the end of the input: it was truncated; drop it")]
    Truncated,
    /// A field uses a protobuf wire type that Olm never writes.
    #[error("unsupported protobuf wire type {0}: the input is damaged; drop it")]
    WireType(u8),
    /// A required field is absent.
    #[error("the required field `{0}` is missing: the input is damaged; drop it")]
    MissingField(&'static str),
    /// A key field does not hold exactly 32 bytes.
    #[error("the `{field}` field holds {length} bytes, expected {expected}: the input is damaged; drop it")]
    FieldLength {
        /// The name of the field.
        field: &'static str,
        /// The length found.
        length: usize,
        /// The required length.
        expected: usize,
    },
    /// A Curve25519 key has its most significant bit set. X25519 ignores that
    /// bit and no honest peer sets it, so accepting it would let anyone alter
    /// a message without changing its cryptographic meaning.
    #[error("the `{0}` key is not canonical (its top bit is set): the message was altered; drop it")]
    NonCanonicalKey(&'static str),
    /// An Ed25519 key is not a valid point in canonical encoding.
    #[error("the `{0}` key is not a valid Ed25519 public key: the input is damaged or forged; drop it")]
    InvalidEd25519Key(&'static str),
    /// The Olm message type is neither 0 (pre-key) nor 1 (normal).
    #[error("unknown Olm message type {0}, expected 0 (pre-key) or 1 (normal)")]
    MessageType(usize),
}
