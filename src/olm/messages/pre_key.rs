//! The pre-key message (type 0), which opens a session.
//!
//! ```text
//! 0x03                      version
//! 0x0A varint(32) E_B       the recipient's one-time (or fallback) key
//! 0x12 varint(32) E_A       the sender's base key
//! 0x1A varint(32) I_A       the sender's identity key
//! 0x22 varint(n)  M         a normal message, with its own version and MAC
//! ```
//!
//! The outer fields carry no MAC of their own: they are authenticated
//! indirectly, because the inner message's keys derive from them.

use alloc::{string::String, vec::Vec};
use core::fmt;

use super::message::{Message, VERSION, read_curve25519_key};
use crate::{
    Curve25519PublicKey, DecodeError,
    encoding::{
        base64_decode, base64_encode,
        proto::{Field, FieldReader, bytes_field_len, write_bytes_field},
    },
    olm::SessionKeys,
};

const ONE_TIME_KEY_FIELD: u64 = 1;
const BASE_KEY_FIELD: u64 = 2;
const IDENTITY_KEY_FIELD: u64 = 3;
const MESSAGE_FIELD: u64 = 4;

/// An Olm message sent until the sender has heard back: it carries what the
/// recipient needs to create the session.
#[derive(Clone, PartialEq, Eq)]
pub struct PreKeyMessage {
    bytes: Vec<u8>,
    session_keys: SessionKeys,
    message: Message,
}

impl PreKeyMessage {
    /// Parses a pre-key message and the message inside it, of either
    /// variant (version 3 or 4; the pre-key message itself is version 3).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::parse(bytes, true)
    }

    /// As [`from_bytes`](Self::from_bytes), accepting an inner message of
    /// version 3 only, as libolm does (see [`Message::from_libolm_bytes`]).
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::parse(bytes, false)
    }

    fn parse(bytes: &[u8], version_2: bool) -> Result<Self, DecodeError> {
        let version = *bytes.first().ok_or(DecodeError::TooShort { min: 1, got: 0 })?;
        if version != VERSION {
            return Err(DecodeError::Version {
                expected: VERSION,
                got: version,
            });
        }
        let mut one_time_key = None;
        let mut base_key = None;
        let mut identity_key = None;
        let mut message = None;
        for field in FieldReader::new(bytes, 1..bytes.len()) {
            match field? {
                Field::Bytes(ONE_TIME_KEY_FIELD, range) => one_time_key = Some(range),
                Field::Bytes(BASE_KEY_FIELD, range) => base_key = Some(range),
                Field::Bytes(IDENTITY_KEY_FIELD, range) => identity_key = Some(range),
                Field::Bytes(MESSAGE_FIELD, range) => message = Some(range),
                _ => {}
            }
        }
        let one_time_key = one_time_key.ok_or(DecodeError::MissingField("one_time_key"))?;
        let base_key = base_key.ok_or(DecodeError::MissingField("base_key"))?;
        let identity_key = identity_key.ok_or(DecodeError::MissingField("identity_key"))?;
        let message = message.ok_or(DecodeError::MissingField("message"))?;

        let session_keys = SessionKeys {
            one_time_key: read_curve25519_key(bytes, one_time_key, "one_time_key")?,
            base_key: read_curve25519_key(bytes, base_key, "base_key")?,
            identity_key: read_curve25519_key(bytes, identity_key, "identity_key")?,
        };
        let message = Message::parse(bytes.get(message).unwrap_or_default(), version_2)?;
        Ok(Self {
            bytes: bytes.to_vec(),
            session_keys,
            message,
        })
    }

    /// Parses the unpadded base64 form used in Matrix events.
    pub fn from_base64(message: &str) -> Result<Self, DecodeError> {
        Self::from_bytes(&base64_decode(message)?)
    }

    /// Wraps `message` with the keys that open its session.
    pub(crate) fn wrap(session_keys: SessionKeys, message: Message) -> Self {
        let inner = message.as_bytes();
        let len = 1 + 3 * bytes_field_len(ONE_TIME_KEY_FIELD, 32) + bytes_field_len(MESSAGE_FIELD, inner.len());
        let mut bytes = Vec::with_capacity(len);
        bytes.push(VERSION);
        write_bytes_field(&mut bytes, ONE_TIME_KEY_FIELD, session_keys.one_time_key.as_bytes());
        write_bytes_field(&mut bytes, BASE_KEY_FIELD, session_keys.base_key.as_bytes());
        write_bytes_field(&mut bytes, IDENTITY_KEY_FIELD, session_keys.identity_key.as_bytes());
        write_bytes_field(&mut bytes, MESSAGE_FIELD, inner);
        Self {
            bytes,
            session_keys,
            message,
        }
    }

    /// The message's bytes, as received or written.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The message's bytes, borrowed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The message as unpadded base64.
    pub fn to_base64(&self) -> String {
        base64_encode(&self.bytes)
    }

    /// The recipient's one-time (or fallback) key the session was built on.
    pub fn one_time_key(&self) -> Curve25519PublicKey {
        self.session_keys.one_time_key
    }

    /// The sender's base key.
    pub fn base_key(&self) -> Curve25519PublicKey {
        self.session_keys.base_key
    }

    /// The sender's Curve25519 identity key, as claimed by the message.
    pub fn identity_key(&self) -> Curve25519PublicKey {
        self.session_keys.identity_key
    }

    /// The three keys that identify the session.
    pub fn session_keys(&self) -> SessionKeys {
        self.session_keys
    }

    /// The id of the session this message belongs to, to find an existing
    /// session before creating a new one.
    pub fn session_id(&self) -> String {
        self.session_keys.session_id()
    }

    /// The normal message inside.
    pub fn message(&self) -> &Message {
        &self.message
    }
}

impl fmt::Debug for PreKeyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreKeyMessage")
            .field("session_keys", &self.session_keys)
            .field("message", &self.message)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cipher::CipherKeys;

    fn keys() -> SessionKeys {
        SessionKeys {
            identity_key: Curve25519PublicKey::from_bytes([1; 32]),
            base_key: Curve25519PublicKey::from_bytes([2; 32]),
            one_time_key: Curve25519PublicKey::from_bytes([3; 32]),
        }
    }

    fn sample() -> PreKeyMessage {
        let cipher = CipherKeys::derive(b"k", b"OLM_KEYS");
        let message = Message::encrypt(
            crate::olm::SessionConfig::version_1(),
            &cipher,
            Curve25519PublicKey::from_bytes([4; 32]),
            0,
            b"",
        );
        PreKeyMessage::wrap(keys(), message)
    }

    #[test]
    fn round_trip_and_size() {
        let message = sample();
        // libolm: an empty plaintext gives a 168-byte pre-key message.
        assert_eq!(message.as_bytes().len(), 168);
        assert_eq!(&message.as_bytes()[..3], [3, 0x0a, 0x20]);
        let parsed = PreKeyMessage::from_bytes(message.as_bytes()).unwrap();
        assert_eq!(parsed, message);
        assert_eq!(parsed.identity_key(), keys().identity_key);
        assert_eq!(parsed.base_key(), keys().base_key);
        assert_eq!(parsed.one_time_key(), keys().one_time_key);
        assert_eq!(parsed.session_id(), keys().session_id());
        assert_eq!(PreKeyMessage::from_base64(&message.to_base64()).unwrap(), message);
    }

    #[test]
    fn rejects_malformed() {
        let good = sample().to_bytes();
        for len in 0..good.len() {
            assert!(PreKeyMessage::from_bytes(&good[..len]).is_err(), "truncated to {len}");
        }
        let mut top_bit = good.clone();
        top_bit[3 + 31] |= 0x80;
        assert_eq!(
            PreKeyMessage::from_bytes(&top_bit),
            Err(DecodeError::NonCanonicalKey("one_time_key"))
        );
        let mut wrong_version = good.clone();
        wrong_version[0] = 4;
        assert!(matches!(
            PreKeyMessage::from_bytes(&wrong_version),
            Err(DecodeError::Version { .. })
        ));
        let mut inner_version = good;
        inner_version[1 + 3 * 34 + 2] = 2;
        assert!(matches!(
            PreKeyMessage::from_bytes(&inner_version),
            Err(DecodeError::Version { got: 2, .. })
        ));
    }
}
