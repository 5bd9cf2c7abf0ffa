//! The normal Olm message (type 1).
//!
//! ```text
//! 0x03 | 0x04               version: 3 for Olm v1, 4 for v2
//! 0x0A varint(32) T         the sender's ratchet key
//! 0x10 varint(i)            the chain index of the message key
//! 0x22 varint(n) X          AES-256-CBC ciphertext
//! MAC[8 | 32]               HMAC-SHA-256 of all preceding bytes, truncated
//!                           to 8 bytes in v1, whole in v2
//! ```

use alloc::{string::String, vec::Vec};
use core::{fmt, ops::Range};

use crate::{
    Curve25519PublicKey, DecodeError,
    cipher::{CipherKeys, TRUNCATED_MAC_LEN},
    encoding::{
        base64_decode, base64_encode,
        proto::{
            Field, FieldReader, bytes_field_len, to_u32, varint_field_len, write_bytes_field, write_bytes_header,
            write_varint_field,
        },
    },
    olm::SessionConfig,
};

/// The message version of Olm v1, which pre-key messages carry in every
/// variant.
pub(crate) const VERSION: u8 = 3;

const RATCHET_KEY_FIELD: u64 = 1;
const CHAIN_INDEX_FIELD: u64 = 2;
const CIPHERTEXT_FIELD: u64 = 4;

/// An Olm message sent once the session is established.
///
/// It keeps the bytes exactly as received: the MAC is checked over them,
/// never over a re-encoding, so any change to the framing is detected.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    bytes: Vec<u8>,
    /// The variant the version byte names; it fixes the MAC's length.
    config: SessionConfig,
    ratchet_key: Curve25519PublicKey,
    chain_index: u32,
    ciphertext: Range<usize>,
}

impl Message {
    /// Parses a message of either variant: version 3 (Olm v1, 8-byte MAC)
    /// or 4 (v2, 32-byte MAC). Fields may come in any order and unknown
    /// fields are skipped, as libolm does; keys must be 32 bytes with the top
    /// bit clear and the chain index must fit in 32 bits.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::parse(bytes, true)
    }

    /// As [`from_bytes`](Self::from_bytes), accepting version 3 only, as
    /// libolm does: a version 4 (v2) message is a
    /// [`DecodeError::Version`], found before anything else is read, so
    /// libolm's drop-in (`capi/`) reports what libolm reports.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::parse(bytes, false)
    }

    /// Parses a message of either variant, or of version 1 alone.
    pub(crate) fn parse(bytes: &[u8], version_2: bool) -> Result<Self, DecodeError> {
        let version = *bytes.first().ok_or(DecodeError::TooShort {
            min: 1 + TRUNCATED_MAC_LEN,
            got: 0,
        })?;
        let config = SessionConfig::from_message_version(version)
            .filter(|config| version_2 || *config == SessionConfig::version_1())
            .ok_or(DecodeError::Version {
                expected: VERSION,
                got: version,
            })?;
        let body_end = bytes
            .len()
            .checked_sub(config.mac_len())
            .filter(|&end| end >= 1)
            .ok_or(DecodeError::TooShort {
                min: 1 + config.mac_len(),
                got: bytes.len(),
            })?;

        let mut ratchet_key = None;
        let mut chain_index = None;
        let mut ciphertext = None;
        for field in FieldReader::new(bytes, 1..body_end) {
            match field? {
                Field::Bytes(RATCHET_KEY_FIELD, range) => ratchet_key = Some(range),
                Field::Varint(CHAIN_INDEX_FIELD, value) => chain_index = Some(to_u32(value)?),
                Field::Bytes(CIPHERTEXT_FIELD, range) => ciphertext = Some(range),
                _ => {}
            }
        }
        let ratchet_key = ratchet_key.ok_or(DecodeError::MissingField("ratchet_key"))?;
        let chain_index = chain_index.ok_or(DecodeError::MissingField("chain_index"))?;
        let ciphertext = ciphertext.ok_or(DecodeError::MissingField("ciphertext"))?;
        let ratchet_key = read_curve25519_key(bytes, ratchet_key, "ratchet_key")?;

        Ok(Self {
            bytes: bytes.to_vec(),
            config,
            ratchet_key,
            chain_index,
            ciphertext,
        })
    }

    /// Parses the unpadded base64 form used in Matrix events.
    pub fn from_base64(message: &str) -> Result<Self, DecodeError> {
        Self::from_bytes(&base64_decode(message)?)
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

    /// The message version: 3 for Olm v1, 4 for v2.
    pub fn version(&self) -> u8 {
        self.config.message_version()
    }

    /// The variant the message's version names.
    pub(crate) fn config(&self) -> SessionConfig {
        self.config
    }

    /// The sender's ratchet key.
    pub fn ratchet_key(&self) -> Curve25519PublicKey {
        self.ratchet_key
    }

    /// The index of the message key in the sender's chain.
    pub fn chain_index(&self) -> u32 {
        self.chain_index
    }

    /// The AES-256-CBC ciphertext.
    pub fn ciphertext(&self) -> &[u8] {
        self.bytes.get(self.ciphertext.clone()).unwrap_or_default()
    }

    /// The MAC: 8 bytes in v1, 32 in v2.
    pub fn mac(&self) -> &[u8] {
        let (_, mac) = self.split_mac();
        mac
    }

    /// The authenticated bytes and the MAC that covers them.
    fn split_mac(&self) -> (&[u8], &[u8]) {
        // `from_bytes` and `encrypt` guarantee the MAC fits.
        self.bytes
            .split_at(self.bytes.len().saturating_sub(self.config.mac_len()))
    }

    /// Encrypts `plaintext` under `keys` into a new message of the variant
    /// `config`.
    pub(crate) fn encrypt(
        config: SessionConfig,
        keys: &CipherKeys,
        ratchet_key: Curve25519PublicKey,
        chain_index: u32,
        plaintext: &[u8],
    ) -> Self {
        let ciphertext_len = CipherKeys::ciphertext_len(plaintext.len());
        let len = 1
            + bytes_field_len(RATCHET_KEY_FIELD, 32)
            + varint_field_len(CHAIN_INDEX_FIELD, chain_index.into())
            + bytes_field_len(CIPHERTEXT_FIELD, ciphertext_len)
            + config.mac_len();
        let mut bytes = Vec::with_capacity(len);
        bytes.push(config.message_version());
        write_bytes_field(&mut bytes, RATCHET_KEY_FIELD, ratchet_key.as_bytes());
        write_varint_field(&mut bytes, CHAIN_INDEX_FIELD, chain_index.into());
        write_bytes_header(&mut bytes, CIPHERTEXT_FIELD, ciphertext_len);
        let start = bytes.len();
        keys.encrypt_into(plaintext, &mut bytes);
        let ciphertext = start..bytes.len();
        let mac = keys.mac(&bytes);
        bytes.extend_from_slice(mac.get(..config.mac_len()).unwrap_or_default());
        Self {
            bytes,
            config,
            ratchet_key,
            chain_index,
            ciphertext,
        }
    }

    /// Checks the MAC (of the length the message's version names) over the
    /// bytes as received, then decrypts. Whether that version is the
    /// session's is the caller's check.
    pub(crate) fn decrypt(&self, keys: &CipherKeys) -> Result<Vec<u8>, crate::cipher::CipherError> {
        let (authenticated, mac) = self.split_mac();
        keys.verify_truncated_mac(authenticated, mac)?;
        keys.decrypt(self.ciphertext())
    }
}

/// Reads a 32-byte Curve25519 key field, refusing a set top bit.
pub(crate) fn read_curve25519_key(
    bytes: &[u8],
    range: Range<usize>,
    field: &'static str,
) -> Result<Curve25519PublicKey, DecodeError> {
    let slice = bytes.get(range).unwrap_or_default();
    let key = Curve25519PublicKey::from_slice(slice).map_err(|_| DecodeError::FieldLength {
        field,
        length: slice.len(),
        expected: Curve25519PublicKey::LENGTH,
    })?;
    if key.has_top_bit() {
        return Err(DecodeError::NonCanonicalKey(field));
    }
    Ok(key)
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("version", &self.version())
            .field("ratchet_key", &self.ratchet_key)
            .field("chain_index", &self.chain_index)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        let keys = CipherKeys::derive(b"message key", b"OLM_KEYS");
        Message::encrypt(
            SessionConfig::version_1(),
            &keys,
            Curve25519PublicKey::from_bytes([7; 32]),
            5,
            b"hello",
        )
    }

    #[test]
    fn layout() {
        let message = sample();
        let bytes = message.as_bytes();
        assert_eq!(&bytes[..3], [3, 0x0a, 0x20]);
        assert_eq!(&bytes[35..39], [0x10, 5, 0x22, 16]);
        assert_eq!(bytes.len(), 39 + 16 + 8);
        let parsed = Message::from_bytes(bytes).unwrap();
        assert_eq!(parsed, message);
        assert_eq!(parsed.chain_index(), 5);
        assert_eq!(parsed.ciphertext().len(), 16);
        assert_eq!(Message::from_base64(&message.to_base64()).unwrap(), message);
    }

    #[test]
    fn version_2_layout_carries_the_whole_mac() {
        let keys = CipherKeys::derive(b"message key", b"OLM_KEYS");
        let message = Message::encrypt(
            SessionConfig::version_2(),
            &keys,
            Curve25519PublicKey::from_bytes([7; 32]),
            5,
            b"hello",
        );
        let bytes = message.as_bytes();
        assert_eq!(&bytes[..3], [4, 0x0a, 0x20]);
        assert_eq!(&bytes[35..39], [0x10, 5, 0x22, 16]);
        assert_eq!(bytes.len(), 39 + 16 + 32);
        assert_eq!(message.version(), 4);
        assert_eq!(message.mac(), keys.mac(&bytes[..55]));
        let parsed = Message::from_bytes(bytes).unwrap();
        assert_eq!(parsed, message);
        assert_eq!(parsed.config(), SessionConfig::version_2());
        assert_eq!(parsed.ciphertext().len(), 16);
        assert_eq!(parsed.decrypt(&keys).unwrap(), b"hello");
        // The v1 message of the same key and plaintext differs in the
        // version byte and the MAC, cut to 8 bytes.
        let v1 = sample();
        assert_eq!(v1.as_bytes()[1..55], bytes[1..55]);
        assert_eq!(v1.version(), 3);
        assert_eq!(v1.mac(), &keys.mac(&v1.as_bytes()[..55])[..8]);
    }

    #[test]
    fn a_version_byte_swapped_between_variants_does_not_authenticate() {
        let keys = CipherKeys::derive(b"message key", b"OLM_KEYS");
        let v2 = Message::encrypt(
            SessionConfig::version_2(),
            &keys,
            Curve25519PublicKey::from_bytes([7; 32]),
            5,
            b"hello",
        );
        // Read as v1, the last 24 bytes of the MAC become payload, which no
        // longer parses.
        let mut as_v1 = v2.to_bytes();
        as_v1[0] = 3;
        assert!(Message::from_bytes(&as_v1).is_err());
        // A v1 message relabelled 4 is too short for its ciphertext.
        let mut as_v2 = sample().to_bytes();
        as_v2[0] = 4;
        assert_eq!(Message::from_bytes(&as_v2), Err(DecodeError::Truncated));
        // Cut to an 8-byte MAC but labelled 4: the MAC no longer matches.
        let mut cut = v2.to_bytes();
        cut.truncate(cut.len() - 24);
        cut.extend_from_slice(&[0; 24]);
        let cut = Message::from_bytes(&cut).unwrap();
        assert!(cut.decrypt(&keys).is_err());
        for version in [0, 1, 2, 5, 0xff] {
            let mut bytes = v2.to_bytes();
            bytes[0] = version;
            assert_eq!(
                Message::from_bytes(&bytes),
                Err(DecodeError::Version {
                    expected: 3,
                    got: version
                })
            );
        }
        assert_eq!(
            Message::from_bytes(&[4; 32]),
            Err(DecodeError::TooShort { min: 33, got: 32 })
        );
    }

    /// libolm's reader refuses version 4 where `from_bytes` reads it, with
    /// the version error libolm gives, before the length.
    #[cfg(feature = "libolm-compat")]
    #[test]
    fn libolm_reads_version_3_alone() {
        let keys = CipherKeys::derive(b"message key", b"OLM_KEYS");
        let v2 = Message::encrypt(
            SessionConfig::version_2(),
            &keys,
            Curve25519PublicKey::from_bytes([7; 32]),
            5,
            b"hello",
        );
        assert!(Message::from_bytes(v2.as_bytes()).is_ok());
        for bytes in [v2.as_bytes(), &[4]] {
            assert_eq!(
                Message::from_libolm_bytes(bytes),
                Err(DecodeError::Version { expected: 3, got: 4 })
            );
        }
        assert_eq!(Message::from_libolm_bytes(sample().as_bytes()), Ok(sample()));
    }

    #[test]
    fn fields_in_any_order_and_unknown_fields() {
        let mut body = alloc::vec![3];
        write_varint_field(&mut body, 9, 77);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
        write_varint_field(&mut body, CHAIN_INDEX_FIELD, 300);
        write_bytes_field(&mut body, 7, b"unknown");
        write_bytes_field(&mut body, RATCHET_KEY_FIELD, &[2; 32]);
        body.extend_from_slice(&[0; 8]);
        let message = Message::from_bytes(&body).unwrap();
        assert_eq!(message.chain_index(), 300);
        assert_eq!(message.ratchet_key().to_bytes(), [2; 32]);
        assert_eq!(message.ciphertext(), [1; 16]);
        assert_eq!(message.as_bytes(), body);
    }

    #[test]
    fn rejects_malformed() {
        let good = sample().to_bytes();
        assert!(matches!(Message::from_bytes(&[]), Err(DecodeError::TooShort { .. })));
        assert!(matches!(
            Message::from_bytes(&[3; 8]),
            Err(DecodeError::TooShort { .. })
        ));
        let mut wrong_version = good.clone();
        wrong_version[0] = 2;
        assert_eq!(
            Message::from_bytes(&wrong_version),
            Err(DecodeError::Version { expected: 3, got: 2 })
        );
        // Truncation makes the ciphertext run past the end.
        assert_eq!(Message::from_bytes(&good[..40]), Err(DecodeError::Truncated));
        // Top bit of the ratchet key.
        let mut top_bit = good.clone();
        top_bit[3 + 31] |= 0x80;
        assert_eq!(
            Message::from_bytes(&top_bit),
            Err(DecodeError::NonCanonicalKey("ratchet_key"))
        );
        // A 31-byte ratchet key.
        let mut body = alloc::vec![3];
        write_bytes_field(&mut body, RATCHET_KEY_FIELD, &[2; 31]);
        write_varint_field(&mut body, CHAIN_INDEX_FIELD, 0);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
        body.extend_from_slice(&[0; 8]);
        assert!(matches!(
            Message::from_bytes(&body),
            Err(DecodeError::FieldLength { length: 31, .. })
        ));
        // An index of 2^32.
        let mut body = alloc::vec![3];
        write_bytes_field(&mut body, RATCHET_KEY_FIELD, &[2; 32]);
        write_varint_field(&mut body, CHAIN_INDEX_FIELD, 1 << 32);
        write_bytes_field(&mut body, CIPHERTEXT_FIELD, &[1; 16]);
        body.extend_from_slice(&[0; 8]);
        assert_eq!(Message::from_bytes(&body), Err(DecodeError::Varint));
        // Missing fields.
        let mut body = alloc::vec![3];
        write_bytes_field(&mut body, RATCHET_KEY_FIELD, &[2; 32]);
        body.extend_from_slice(&[0; 8]);
        assert_eq!(
            Message::from_bytes(&body),
            Err(DecodeError::MissingField("chain_index"))
        );
    }

    #[test]
    fn mac_covers_bytes_as_received() {
        let keys = CipherKeys::derive(b"message key", b"OLM_KEYS");
        let message = Message::encrypt(
            SessionConfig::version_1(),
            &keys,
            Curve25519PublicKey::from_bytes([7; 32]),
            5,
            b"hello",
        );
        assert_eq!(message.decrypt(&keys).unwrap(), b"hello");
        // Re-encode with a non-minimal varint for the index: same fields,
        // different bytes, so the MAC must fail.
        let bytes = message.as_bytes();
        let mut altered = bytes[..36].to_vec();
        altered.extend_from_slice(&[0x85, 0x00]);
        altered.extend_from_slice(&bytes[37..]);
        let altered = Message::from_bytes(&altered).unwrap();
        assert_eq!(altered.chain_index(), 5);
        assert!(altered.decrypt(&keys).is_err());
    }
}
