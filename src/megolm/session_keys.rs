//! The two forms in which a Megolm ratchet is shared (docs/megolm.md,
//! "Session-sharing format", and libolm's session export):
//!
//! ```text
//! SessionKey          0x02 | i (u32 BE) | R_i (128) | K_pub (32) | SIG (64)    229 bytes
//! ExportedSessionKey  0x01 | i (u32 BE) | R_i (128) | K_pub (32)               165 bytes
//! ```
//!
//! The session key is signed by the session's own key, so it proves that
//! whoever sent it holds the signing key. The export cannot be signed (its
//! index is chosen by the exporter), so it proves nothing about its origin.
//!
//! Both hold the ratchet, a secret: they are wiped on drop, never printed,
//! and decoded from base64 in constant time.

use alloc::{string::String, vec::Vec};
use core::fmt;

use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::{
    SessionKeyDecodeError,
    ratchet::{RATCHET_LEN, Ratchet},
};
use crate::{
    DecodeError, Ed25519Keypair, Ed25519PublicKey, Ed25519Signature, ct,
    encoding::base64::{FixedDecodeError, base64_decode_array, base64_encode},
    types::SecretBox,
};

const SESSION_KEY_VERSION: u8 = 2;
const EXPORT_VERSION: u8 = 1;

/// Version, index, ratchet and public key: the part both forms share.
const BODY_LEN: usize = 1 + 4 + RATCHET_LEN + Ed25519PublicKey::LENGTH;
const SESSION_KEY_LEN: usize = BODY_LEN + Ed25519Signature::LENGTH;

/// The ratchet, its index and the session's public key.
#[derive(Clone)]
struct Body {
    index: u32,
    ratchet: SecretBox<RATCHET_LEN>,
    signing_key: Ed25519PublicKey,
}

impl Body {
    fn new(ratchet: Ratchet, signing_key: Ed25519PublicKey) -> Self {
        let (ratchet, index) = ratchet.into_parts();
        Self {
            index,
            ratchet,
            signing_key,
        }
    }

    /// Writes the body with `version` into `out`.
    fn encode(&self, version: u8, out: &mut [u8; BODY_LEN]) {
        let (head, rest) = out.split_at_mut(5);
        let (ratchet, key) = rest.split_at_mut(RATCHET_LEN);
        head.iter_mut()
            .zip(core::iter::once(version).chain(self.index.to_be_bytes()))
            .for_each(|(o, b)| *o = b);
        ratchet.copy_from_slice(self.ratchet.as_bytes());
        key.copy_from_slice(self.signing_key.as_bytes());
    }

    /// Reads a body whose version byte must be `version`.
    fn decode(version: u8, bytes: &[u8; BODY_LEN]) -> Result<Self, DecodeError> {
        let (&[got, i0, i1, i2, i3], rest) = bytes.split_first_chunk::<5>().ok_or(DecodeError::Truncated)?;
        if ct::public_u8(got) != version {
            return Err(DecodeError::Version { expected: version, got });
        }
        let (ratchet, key) = rest.split_first_chunk::<RATCHET_LEN>().ok_or(DecodeError::Truncated)?;
        let signing_key =
            Ed25519PublicKey::from_slice(key).map_err(|_| DecodeError::InvalidEd25519Key("signing_key"))?;
        Ok(Self {
            // The index travels in the clear beside every message.
            index: u32::from_be_bytes(ct::public_array([i0, i1, i2, i3])),
            ratchet: SecretBox::new(ratchet),
            signing_key,
        })
    }

    fn ratchet(&self) -> Ratchet {
        Ratchet::new(self.ratchet.clone(), self.index)
    }
}

/// Exactly `N` bytes from a slice, or a length error.
fn exact<const N: usize>(bytes: &[u8]) -> Result<&[u8; N], DecodeError> {
    bytes.try_into().map_err(|_| DecodeError::Length {
        expected: N,
        got: bytes.len(),
    })
}

/// Decodes base64 of exactly `N` bytes into a buffer wiped on drop.
fn decode_base64<const N: usize>(input: &str) -> Result<Zeroizing<[u8; N]>, DecodeError> {
    base64_decode_array::<N>(input).map_err(|e| match e {
        FixedDecodeError::Length(got) => DecodeError::Length { expected: N, got },
        FixedDecodeError::Base64(e) => DecodeError::Base64(e),
    })
}

/// The signed key that a Megolm sender shares with the room's members over
/// Olm, from which they create an
/// [`InboundGroupSession`](super::InboundGroupSession).
///
/// Decoding checks the signature, so a `SessionKey` always comes from the
/// holder of its session's signing key.
#[derive(Clone)]
pub struct SessionKey {
    body: Body,
    signature: Ed25519Signature,
}

impl SessionKey {
    /// The length of the encoded key in bytes.
    pub const LENGTH: usize = SESSION_KEY_LEN;

    /// The key for `ratchet`, signed by the session's key pair.
    pub(crate) fn sign(ratchet: &Ratchet, signing_key: &Ed25519Keypair) -> Self {
        let body = Body::new(ratchet.clone(), signing_key.public_key());
        let mut bytes = Zeroizing::new([0u8; BODY_LEN]);
        body.encode(SESSION_KEY_VERSION, &mut bytes);
        let signature = signing_key.sign(bytes.as_slice());
        Self { body, signature }
    }

    /// Parses the 229 bytes of a session key and verifies its signature.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SessionKeyDecodeError> {
        Self::from_array(exact::<SESSION_KEY_LEN>(bytes)?)
    }

    /// Parses the base64 form sent in `m.room_key` events, in constant time.
    pub fn from_base64(input: &str) -> Result<Self, SessionKeyDecodeError> {
        Self::from_array(&*decode_base64::<SESSION_KEY_LEN>(input)?)
    }

    fn from_array(bytes: &[u8; SESSION_KEY_LEN]) -> Result<Self, SessionKeyDecodeError> {
        let (signed, signature) = bytes.split_first_chunk::<BODY_LEN>().ok_or(DecodeError::Truncated)?;
        let signature = Ed25519Signature::from_slice(signature).map_err(|_| DecodeError::Truncated)?;
        let body = Body::decode(SESSION_KEY_VERSION, signed)?;
        body.signing_key
            .verify(signed, &signature)
            .map_err(|_| SessionKeyDecodeError::Signature)?;
        Ok(Self { body, signature })
    }

    /// The 229 bytes of the key, wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut body = Zeroizing::new([0u8; BODY_LEN]);
        self.body.encode(SESSION_KEY_VERSION, &mut body);
        let mut bytes = Zeroizing::new(Vec::with_capacity(SESSION_KEY_LEN));
        bytes.extend_from_slice(body.as_slice());
        bytes.extend_from_slice(self.signature.as_bytes());
        bytes
    }

    /// The key as unpadded base64, encoded in constant time and wiped when
    /// dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(base64_encode(self.to_bytes().as_slice()))
    }

    /// The index of the first message this key decrypts.
    pub fn message_index(&self) -> u32 {
        self.body.index
    }

    /// The session's signing key.
    pub fn signing_key(&self) -> Ed25519PublicKey {
        self.body.signing_key
    }

    /// The session id: the signing key in unpadded base64.
    pub fn session_id(&self) -> String {
        self.body.signing_key.to_base64()
    }

    /// The signature by the session's key over the first 165 bytes.
    pub fn signature(&self) -> Ed25519Signature {
        self.signature
    }

    pub(crate) fn ratchet(&self) -> Ratchet {
        self.body.ratchet()
    }
}

impl ZeroizeOnDrop for SessionKey {}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionKey")
            .field("session_id", &self.body.signing_key)
            .field("message_index", &self.body.index)
            .finish_non_exhaustive()
    }
}

/// A session's ratchet at some index, as exported for backups, key forwarding
/// and late joiners. Import it with
/// [`InboundGroupSession::import`](super::InboundGroupSession::import).
///
/// Unlike a [`SessionKey`] it is not signed: nothing in it shows that it
/// belongs to the session it names, so only trust it as far as you trust
/// whoever gave it to you.
#[derive(Clone)]
pub struct ExportedSessionKey {
    body: Body,
}

impl ExportedSessionKey {
    /// The length of the encoded key in bytes.
    pub const LENGTH: usize = BODY_LEN;

    pub(crate) fn new(ratchet: Ratchet, signing_key: Ed25519PublicKey) -> Self {
        Self {
            body: Body::new(ratchet, signing_key),
        }
    }

    /// Parses the 165 bytes of an exported key. Trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SessionKeyDecodeError> {
        Self::from_array(exact::<BODY_LEN>(bytes)?)
    }

    /// Parses the base64 form used in key exports and forwarded keys, in
    /// constant time.
    pub fn from_base64(input: &str) -> Result<Self, SessionKeyDecodeError> {
        Self::from_array(&*decode_base64::<BODY_LEN>(input)?)
    }

    fn from_array(bytes: &[u8; BODY_LEN]) -> Result<Self, SessionKeyDecodeError> {
        Ok(Self {
            body: Body::decode(EXPORT_VERSION, bytes)?,
        })
    }

    /// The 165 bytes of the key, wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut body = Zeroizing::new([0u8; BODY_LEN]);
        self.body.encode(EXPORT_VERSION, &mut body);
        Zeroizing::new(body.to_vec())
    }

    /// The key as unpadded base64, encoded in constant time and wiped when
    /// dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        let mut body = Zeroizing::new([0u8; BODY_LEN]);
        self.body.encode(EXPORT_VERSION, &mut body);
        Zeroizing::new(base64_encode(body.as_slice()))
    }

    /// The index of the first message this key decrypts.
    pub fn message_index(&self) -> u32 {
        self.body.index
    }

    /// The session's signing key, as claimed by the key.
    pub fn signing_key(&self) -> Ed25519PublicKey {
        self.body.signing_key
    }

    /// The session id: the signing key in unpadded base64.
    pub fn session_id(&self) -> String {
        self.body.signing_key.to_base64()
    }

    pub(crate) fn ratchet(&self) -> Ratchet {
        self.body.ratchet()
    }
}

impl ZeroizeOnDrop for ExportedSessionKey {}

impl fmt::Debug for ExportedSessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportedSessionKey")
            .field("session_id", &self.body.signing_key)
            .field("message_index", &self.body.index)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;
    use crate::{Ed25519SecretKey, encoding::base64_decode};

    fn ratchet(index: u32) -> Ratchet {
        let bytes: [u8; RATCHET_LEN] = core::array::from_fn(|i| i as u8);
        Ratchet::new(SecretBox::new(&bytes), index)
    }

    fn pair() -> Ed25519Keypair {
        Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(&[3; 32]))
    }

    #[test]
    fn session_key_layout_and_round_trip() {
        let key = SessionKey::sign(&ratchet(0x0102_0304), &pair());
        let bytes = key.to_bytes();
        assert_eq!(bytes.len(), 229);
        assert_eq!(&bytes[..5], [2, 1, 2, 3, 4]);
        assert_eq!(&bytes[5..133], ratchet(0).as_bytes());
        assert_eq!(&bytes[133..165], pair().public_key().as_bytes());
        pair().public_key().verify(&bytes[..165], &key.signature()).unwrap();

        let parsed = SessionKey::from_bytes(&bytes).unwrap();
        assert_eq!(parsed.to_bytes(), bytes);
        assert_eq!(parsed.message_index(), 0x0102_0304);
        assert_eq!(parsed.session_id(), pair().public_key().to_base64());
        let encoded = key.to_base64();
        assert_eq!(encoded.len(), 306);
        assert_eq!(SessionKey::from_base64(&encoded).unwrap().to_bytes(), bytes);
        // Padded base64 is accepted too.
        assert!(SessionKey::from_base64(&format!("{}==", encoded.as_str())).is_ok());
        assert!(!format!("{key:?}").contains(&encoded[10..20]));
    }

    #[test]
    fn session_key_errors() {
        let bytes = SessionKey::sign(&ratchet(7), &pair()).to_bytes();
        assert_eq!(
            SessionKey::from_bytes(&bytes[..228]).unwrap_err(),
            SessionKeyDecodeError::Decode(DecodeError::Length {
                expected: 229,
                got: 228
            })
        );
        let mut long = bytes.to_vec();
        long.push(0);
        assert!(matches!(
            SessionKey::from_bytes(&long),
            Err(SessionKeyDecodeError::Decode(DecodeError::Length { got: 230, .. }))
        ));
        let mut version = bytes.to_vec();
        version[0] = 1;
        assert_eq!(
            SessionKey::from_bytes(&version).unwrap_err(),
            SessionKeyDecodeError::Decode(DecodeError::Version { expected: 2, got: 1 })
        );
        for position in [1, 5, 132, 200, 228] {
            let mut flipped = bytes.to_vec();
            flipped[position] ^= 0x10;
            assert_eq!(
                SessionKey::from_bytes(&flipped).unwrap_err(),
                SessionKeyDecodeError::Signature,
                "byte {position}"
            );
        }
        // A signing key that is not a canonical point.
        let mut bad_key = bytes.to_vec();
        bad_key[133..165].copy_from_slice(&[0xff; 32]);
        assert_eq!(
            SessionKey::from_bytes(&bad_key).unwrap_err(),
            SessionKeyDecodeError::Decode(DecodeError::InvalidEd25519Key("signing_key"))
        );
        assert!(matches!(
            SessionKey::from_base64("!!!!"),
            Err(SessionKeyDecodeError::Decode(DecodeError::Length { .. }))
        ));
        assert!(matches!(
            SessionKey::from_base64(&"!".repeat(306)),
            Err(SessionKeyDecodeError::Decode(DecodeError::Base64(_)))
        ));
    }

    #[test]
    fn export_layout_and_errors() {
        let export = ExportedSessionKey::new(ratchet(5), pair().public_key());
        assert_eq!(export.session_id(), pair().public_key().to_base64());
        let bytes = export.to_bytes();
        assert_eq!(bytes.len(), 165);
        assert_eq!(&bytes[..5], [1, 0, 0, 0, 5]);
        let encoded = export.to_base64();
        assert_eq!(base64_decode(encoded.as_str()).unwrap(), *bytes);
        let parsed = ExportedSessionKey::from_base64(&encoded).unwrap();
        assert_eq!(parsed.to_bytes(), bytes);
        assert_eq!(parsed.message_index(), 5);
        assert_eq!(parsed.signing_key(), pair().public_key());

        let mut trailing = bytes.to_vec();
        trailing.push(0);
        assert_eq!(
            ExportedSessionKey::from_bytes(&trailing).unwrap_err(),
            SessionKeyDecodeError::Decode(DecodeError::Length {
                expected: 165,
                got: 166
            })
        );
        let mut version = bytes.to_vec();
        version[0] = 2;
        assert_eq!(
            ExportedSessionKey::from_bytes(&version).unwrap_err(),
            SessionKeyDecodeError::Decode(DecodeError::Version { expected: 1, got: 2 })
        );
        // A session key is not an export.
        let session_key = SessionKey::sign(&ratchet(5), &pair()).to_base64();
        assert!(ExportedSessionKey::from_base64(&session_key).is_err());
        assert!(!format!("{export:?}").contains(&encoded[10..20]));
    }
}
