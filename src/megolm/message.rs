//! The Megolm message (docs/megolm.md, "Message format").
//!
//! ```text
//! 0x03 | 0x04               version: 3 for Megolm v1, 4 for v2
//! 0x08 varint(i)            message index
//! 0x12 varint(n) X          AES-256-CBC ciphertext
//! MAC[8 | 32]               HMAC-SHA-256 of all preceding bytes, truncated
//!                           to 8 bytes in v1, whole in v2
//! SIG[64]                   Ed25519 signature of all preceding bytes
//! ```

use alloc::{string::String, vec::Vec};
use core::{fmt, ops::Range};

use crate::{
    DecodeError, Ed25519Keypair, Ed25519Signature,
    cipher::{CipherKeys, TRUNCATED_MAC_LEN},
    encoding::{
        base64_decode, base64_encode,
        proto::{
            Field, FieldReader, bytes_field_len, to_u32, varint_field_len, write_bytes_header, write_varint_field,
        },
    },
    megolm::SessionConfig,
};

/// The message version of Megolm v1, named in errors about others.
const VERSION: u8 = 3;

const INDEX_FIELD: u64 = 1;
const CIPHERTEXT_FIELD: u64 = 2;

/// What follows a v1 payload: the truncated MAC and the signature.
const SUFFIX_LEN: usize = TRUNCATED_MAC_LEN + Ed25519Signature::LENGTH;

/// The shortest input with a version byte and a v1 suffix.
const MIN_LEN: usize = 1 + SUFFIX_LEN;

/// What follows the payload in `config`'s messages: the MAC and the
/// signature.
const fn suffix_len(config: SessionConfig) -> usize {
    config.mac_len() + Ed25519Signature::LENGTH
}

/// An encrypted Megolm message.
///
/// It keeps the bytes exactly as received: the MAC and the signature are
/// checked over them, never over a re-encoding, so any change to the framing
/// (a non-minimal varint, an extra field) is detected.
#[derive(Clone, PartialEq, Eq)]
pub struct MegolmMessage {
    bytes: Vec<u8>,
    /// The variant the version byte names; it fixes the MAC's length.
    config: SessionConfig,
    message_index: u32,
    ciphertext: Range<usize>,
}

impl MegolmMessage {
    /// Parses a message of either variant: version 3 (Megolm v1, 8-byte
    /// MAC) or 4 (v2, 32-byte MAC). Fields may come in any order and unknown
    /// fields are skipped, as libolm does; the index must fit in 32 bits and
    /// both the index and the ciphertext must be present.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::from_vec(bytes.to_vec(), true)
    }

    /// As [`from_bytes`](Self::from_bytes), accepting version 3 only, as
    /// libolm does: a version 4 (v2) message is a
    /// [`DecodeError::Version`], found before anything else is read, so
    /// libolm's drop-in (`capi/`) reports what libolm reports.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::from_vec(bytes.to_vec(), false)
    }

    /// Parses the unpadded base64 form carried in Matrix events.
    pub fn from_base64(message: &str) -> Result<Self, DecodeError> {
        Self::from_vec(base64_decode(message)?, true)
    }

    /// Parses `bytes` (of either variant, or of version 1 alone), keeping
    /// them without a copy.
    fn from_vec(bytes: Vec<u8>, version_2: bool) -> Result<Self, DecodeError> {
        let version = *bytes.first().ok_or(DecodeError::TooShort { min: MIN_LEN, got: 0 })?;
        let config = SessionConfig::from_message_version(version)
            .filter(|config| version_2 || *config == SessionConfig::version_1())
            .ok_or(DecodeError::Version {
                expected: VERSION,
                got: version,
            })?;
        let payload_end = bytes
            .len()
            .checked_sub(suffix_len(config))
            .filter(|&end| end >= 1)
            .ok_or(DecodeError::TooShort {
                min: 1 + suffix_len(config),
                got: bytes.len(),
            })?;

        let mut message_index = None;
        let mut ciphertext = None;
        for field in FieldReader::new(&bytes, 1..payload_end) {
            match field? {
                Field::Varint(INDEX_FIELD, value) => message_index = Some(to_u32(value)?),
                Field::Bytes(CIPHERTEXT_FIELD, range) => ciphertext = Some(range),
                _ => {}
            }
        }
        let message_index = message_index.ok_or(DecodeError::MissingField("message_index"))?;
        let ciphertext = ciphertext.ok_or(DecodeError::MissingField("ciphertext"))?;
        Ok(Self {
            bytes,
            config,
            message_index,
            ciphertext,
        })
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

    /// The message version: 3 for Megolm v1, 4 for v2.
    pub fn version(&self) -> u8 {
        self.config.message_version()
    }

    /// The variant the message's version names.
    pub(crate) fn config(&self) -> SessionConfig {
        self.config
    }

    /// The ratchet index the message was encrypted at. Receivers must reject
    /// an index they have already accepted in the same session: Megolm itself
    /// does not detect replays.
    pub fn message_index(&self) -> u32 {
        self.message_index
    }

    /// The AES-256-CBC ciphertext.
    pub fn ciphertext(&self) -> &[u8] {
        self.bytes.get(self.ciphertext.clone()).unwrap_or_default()
    }

    /// The MAC: 8 bytes in v1, 32 in v2.
    pub fn mac(&self) -> &[u8] {
        let (_, mac) = self.mac_parts();
        mac
    }

    /// The sender's Ed25519 signature.
    pub fn signature(&self) -> Ed25519Signature {
        let (_, signature) = self.signature_parts();
        Ed25519Signature::from_bytes(*signature)
    }

    /// The signed bytes (everything but the signature) and the signature.
    pub(crate) fn signature_parts(&self) -> (&[u8], &[u8; Ed25519Signature::LENGTH]) {
        // The decoder and the encoder guarantee the suffix is there.
        self.bytes
            .split_last_chunk::<{ Ed25519Signature::LENGTH }>()
            .unwrap_or((&[], &[0; Ed25519Signature::LENGTH]))
    }

    /// The bytes the MAC covers (version and payload) and the MAC.
    pub(crate) fn mac_parts(&self) -> (&[u8], &[u8]) {
        let (signed, _) = self.signature_parts();
        signed.split_at(signed.len().saturating_sub(self.config.mac_len()))
    }

    /// Encrypts `plaintext` at `message_index` in the variant `config`, then
    /// MACs and signs the bytes.
    pub(crate) fn encrypt(
        config: SessionConfig,
        keys: &CipherKeys,
        signing_key: &Ed25519Keypair,
        message_index: u32,
        plaintext: &[u8],
    ) -> Self {
        let ciphertext_len = CipherKeys::ciphertext_len(plaintext.len());
        let len = 1
            + varint_field_len(INDEX_FIELD, message_index.into())
            + bytes_field_len(CIPHERTEXT_FIELD, ciphertext_len)
            + suffix_len(config);
        let mut bytes = Vec::with_capacity(len);
        bytes.push(config.message_version());
        write_varint_field(&mut bytes, INDEX_FIELD, message_index.into());
        write_bytes_header(&mut bytes, CIPHERTEXT_FIELD, ciphertext_len);
        let start = bytes.len();
        keys.encrypt_into(plaintext, &mut bytes);
        let ciphertext = start..bytes.len();
        let mac = keys.mac(&bytes);
        bytes.extend_from_slice(mac.get(..config.mac_len()).unwrap_or_default());
        let signature = signing_key.sign(&bytes);
        bytes.extend_from_slice(signature.as_bytes());
        Self {
            bytes,
            config,
            message_index,
            ciphertext,
        }
    }
}

impl fmt::Debug for MegolmMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MegolmMessage")
            .field("version", &self.version())
            .field("message_index", &self.message_index)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::{Ed25519SecretKey, encoding::proto::write_bytes_field};

    fn keys() -> CipherKeys {
        CipherKeys::derive(&[7; 128], b"MEGOLM_KEYS")
    }

    fn signer() -> Ed25519Keypair {
        Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(&[9; 32]))
    }

    #[test]
    fn layout() {
        let message = MegolmMessage::encrypt(SessionConfig::version_1(), &keys(), &signer(), 200, b"hello");
        let bytes = message.as_bytes();
        // libolm tests/test_message.cpp: the header for index 200.
        assert_eq!(&bytes[..6], [0x03, 0x08, 0xc8, 0x01, 0x12, 0x10]);
        assert_eq!(bytes.len(), 6 + 16 + 8 + 64);
        assert_eq!(message.bytes.len(), message.bytes.capacity());
        let parsed = MegolmMessage::from_bytes(bytes).unwrap();
        assert_eq!(parsed, message);
        assert_eq!(parsed.message_index(), 200);
        assert_eq!(parsed.ciphertext(), &bytes[6..22]);
        assert_eq!(parsed.mac(), &bytes[22..30]);
        assert_eq!(parsed.signature().as_bytes(), &bytes[30..]);
        assert_eq!(MegolmMessage::from_base64(&message.to_base64()).unwrap(), message);
        signer().public_key().verify(&bytes[..30], &parsed.signature()).unwrap();
        let (authenticated, mac) = parsed.mac_parts();
        assert!(keys().verify_truncated_mac(authenticated, mac).is_ok());
    }

    #[test]
    fn version_2_layout_carries_the_whole_mac() {
        let message = MegolmMessage::encrypt(SessionConfig::version_2(), &keys(), &signer(), 200, b"hello");
        let bytes = message.as_bytes();
        assert_eq!(&bytes[..6], [0x04, 0x08, 0xc8, 0x01, 0x12, 0x10]);
        assert_eq!(bytes.len(), 6 + 16 + 32 + 64);
        assert_eq!(message.version(), 4);
        let parsed = MegolmMessage::from_bytes(bytes).unwrap();
        assert_eq!(parsed, message);
        assert_eq!(parsed.config(), SessionConfig::version_2());
        assert_eq!(parsed.message_index(), 200);
        assert_eq!(parsed.ciphertext(), &bytes[6..22]);
        assert_eq!(parsed.mac(), keys().mac(&bytes[..22]));
        assert_eq!(parsed.signature().as_bytes(), &bytes[54..]);
        signer().public_key().verify(&bytes[..54], &parsed.signature()).unwrap();
        // The same payload as v1, whose MAC (over version byte 3) is cut to
        // 8 bytes.
        let v1 = MegolmMessage::encrypt(SessionConfig::version_1(), &keys(), &signer(), 200, b"hello");
        assert_eq!(v1.as_bytes()[1..22], bytes[1..22]);
        assert_eq!(v1.mac(), &keys().mac(&v1.as_bytes()[..22])[..8]);
        // Too short for a v2 suffix, though long enough for a v1 one.
        assert_eq!(
            MegolmMessage::from_bytes(&bytes[..MIN_LEN + 10]),
            Err(DecodeError::TooShort {
                min: 1 + 32 + 64,
                got: MIN_LEN + 10
            })
        );
        // Relabelled 3, the last 24 bytes of the MAC are read as payload.
        let mut as_v1 = bytes.to_vec();
        as_v1[0] = 3;
        assert!(MegolmMessage::from_bytes(&as_v1).is_err());
    }

    /// libolm's reader refuses version 4 where `from_bytes` reads it.
    #[cfg(feature = "libolm-compat")]
    #[test]
    fn libolm_reads_version_3_alone() {
        let v2 = MegolmMessage::encrypt(SessionConfig::version_2(), &keys(), &signer(), 1, b"x");
        assert!(MegolmMessage::from_bytes(v2.as_bytes()).is_ok());
        assert_eq!(
            MegolmMessage::from_libolm_bytes(v2.as_bytes()),
            Err(DecodeError::Version { expected: 3, got: 4 })
        );
        let v1 = MegolmMessage::encrypt(SessionConfig::version_1(), &keys(), &signer(), 1, b"x");
        assert_eq!(MegolmMessage::from_libolm_bytes(v1.as_bytes()), Ok(v1));
    }

    #[test]
    fn fields_in_any_order_and_unknown_fields() {
        let mut body = vec![3];
        write_varint_field(&mut body, 9, 77);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
        write_bytes_field(&mut body, 7, b"unknown");
        write_varint_field(&mut body, INDEX_FIELD, 300);
        body.extend_from_slice(&[0; SUFFIX_LEN]);
        let message = MegolmMessage::from_bytes(&body).unwrap();
        assert_eq!(message.message_index(), 300);
        assert_eq!(message.ciphertext(), [1; 16]);
        assert_eq!(message.as_bytes(), body);
    }

    #[test]
    fn rejects_malformed() {
        let good = MegolmMessage::encrypt(SessionConfig::version_1(), &keys(), &signer(), 1, b"x").to_bytes();
        assert_eq!(
            MegolmMessage::from_bytes(&[]),
            Err(DecodeError::TooShort { min: MIN_LEN, got: 0 })
        );
        assert_eq!(
            MegolmMessage::from_bytes(&good[..MIN_LEN - 1]),
            Err(DecodeError::TooShort {
                min: MIN_LEN,
                got: MIN_LEN - 1
            })
        );
        let mut wrong_version = good.clone();
        wrong_version[0] = 5;
        assert_eq!(
            MegolmMessage::from_bytes(&wrong_version),
            Err(DecodeError::Version { expected: 3, got: 5 })
        );
        // Only the suffix: no fields at all.
        assert_eq!(
            MegolmMessage::from_bytes(&good[..MIN_LEN]),
            Err(DecodeError::MissingField("message_index"))
        );
        // The ciphertext runs into the suffix once a byte is cut.
        assert_eq!(
            MegolmMessage::from_bytes(&good[..good.len() - 1]),
            Err(DecodeError::Truncated)
        );

        let with = |index: u64, ciphertext: bool| {
            let mut body = vec![3];
            write_varint_field(&mut body, INDEX_FIELD, index);
            if ciphertext {
                write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
            }
            body.extend_from_slice(&[0; SUFFIX_LEN]);
            MegolmMessage::from_bytes(&body)
        };
        assert_eq!(with(u64::from(u32::MAX), true).unwrap().message_index(), u32::MAX);
        assert_eq!(with(1 << 32, true), Err(DecodeError::Varint));
        assert_eq!(with(5, false), Err(DecodeError::MissingField("ciphertext")));
        // A wire type Megolm never writes.
        let mut body = vec![3, 0x0d];
        body.extend_from_slice(&[0; SUFFIX_LEN]);
        assert_eq!(MegolmMessage::from_bytes(&body), Err(DecodeError::WireType(5)));
    }

    #[test]
    fn duplicate_fields_keep_the_last() {
        let mut body = vec![3];
        write_varint_field(&mut body, INDEX_FIELD, 1);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
        write_varint_field(&mut body, INDEX_FIELD, 2);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[2; 32]);
        body.extend_from_slice(&[0; SUFFIX_LEN]);
        let message = MegolmMessage::from_bytes(&body).unwrap();
        assert_eq!(message.message_index(), 2);
        assert_eq!(message.ciphertext(), [2; 32]);
    }
}
