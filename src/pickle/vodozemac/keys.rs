//! Keys as vodozemac 0.11 serializes them. Each type makes the serializer
//! calls that vodozemac's (through dalek's serde support) makes, so that a
//! record comes out byte for byte the same in any serde format: JSON and
//! MessagePack alike.

use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A Curve25519 secret key: x25519-dalek's `StaticSecret`, a newtype
/// struct around a 32-element tuple.
#[derive(Serialize, Deserialize, Clone, Zeroize, ZeroizeOnDrop)]
#[serde(rename = "StaticSecret")]
pub(super) struct CurveSecret(pub(super) [u8; 32]);

/// A Curve25519 public key: x25519-dalek's `PublicKey` around
/// curve25519-dalek's `MontgomeryPoint`, both newtype structs.
#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename = "PublicKey")]
pub(super) struct CurvePublic(Montgomery);

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename = "MontgomeryPoint")]
struct Montgomery([u8; 32]);

impl CurvePublic {
    pub(super) fn new(bytes: [u8; 32]) -> Self {
        Self(Montgomery(bytes))
    }

    pub(super) fn bytes(&self) -> &[u8; 32] {
        &self.0.0
    }
}

/// A 32-byte secret serialized as a tuple (vodozemac's `Box<[u8; 32]>`:
/// root, chain and message keys).
#[derive(Serialize, Deserialize, Clone, Zeroize, ZeroizeOnDrop)]
#[serde(transparent)]
pub(super) struct Secret32(pub(super) [u8; 32]);

/// Bytes that dalek (Ed25519 keys) and `serde_bytes` (libolm's expanded
/// Ed25519 keys) serialize as a byte string; read from a byte string or a
/// sequence, as they accept.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct Bytes<const N: usize>(pub(super) [u8; N]);

impl<const N: usize> Serialize for Bytes<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Bytes<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(BytesVisitor::<N>)
    }
}

struct BytesVisitor<const N: usize>;

impl<'de, const N: usize> de::Visitor<'de> for BytesVisitor<N> {
    type Value = Bytes<N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{N} bytes")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
        <[u8; N]>::try_from(bytes)
            .map(Bytes)
            .map_err(|_| E::invalid_length(bytes.len(), &self))
    }

    fn visit_byte_buf<E: de::Error>(self, mut bytes: Vec<u8>) -> Result<Self::Value, E> {
        let result = self.visit_bytes(&bytes);
        bytes.zeroize();
        result
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Bytes([0u8; N]);
        for (i, byte) in out.0.iter_mut().enumerate() {
            *byte = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(i, &self))?;
        }
        if seq.next_element::<u8>()?.is_some() {
            return Err(de::Error::invalid_length(N + 1, &self));
        }
        Ok(out)
    }
}

/// A Megolm ratchet's 128 bytes, serialized as a sequence (vodozemac
/// serializes the slice) and read as one.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct RatchetBytes(pub(super) [u8; 128]);

impl Serialize for RatchetBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for RatchetBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_seq(BytesVisitor::<128>)
            .map(|bytes| RatchetBytes(bytes.0))
    }
}

/// An Ed25519 key pair's secret: the seed (`Normal`) or libolm's expanded
/// key (`Expanded`), as vodozemac's `SecretKeys` enum.
#[derive(Serialize, Deserialize)]
#[serde(rename = "SecretKeys")]
pub(super) enum Ed25519Secret {
    Normal(Bytes<32>),
    Expanded(Bytes<64>),
}

/// How many ratchet steps a session had taken, if known (vodozemac's
/// `RatchetCount`).
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename = "RatchetCount")]
pub(super) enum RatchetCount {
    Known(u64),
    Unknown(()),
}

impl RatchetCount {
    pub(super) fn unknown() -> Self {
        Self::Unknown(())
    }

    pub(super) fn from_option(count: Option<u64>) -> Self {
        count.map_or(Self::Unknown(()), Self::Known)
    }

    pub(super) fn into_option(self) -> Option<u64> {
        match self {
            Self::Known(count) => Some(count),
            Self::Unknown(()) => None,
        }
    }
}

/// A session configuration, Olm's or Megolm's: `{"version": "V1"}` or
/// `{"version": "V2"}` (vodozemac's `experimental-session-config`).
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename = "SessionConfig")]
pub(super) struct Config {
    version: Version,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename = "Version")]
enum Version {
    V1,
    V2,
}

impl Config {
    pub(super) fn version_1() -> Self {
        Self { version: Version::V1 }
    }

    /// The configuration of variant `number`: 2 is version 2, anything else
    /// version 1 (the only numbers the session configs give).
    pub(super) fn from_number(number: u8) -> Self {
        match number {
            2 => Self { version: Version::V2 },
            _ => Self::version_1(),
        }
    }

    /// The variant's number, 1 or 2.
    pub(super) fn number(self) -> u8 {
        match self.version {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::version_1()
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    /// A key of the wrong length is refused by its length, whether it is
    /// short or long, and the error names the length expected.
    #[test]
    fn byte_arrays_of_the_wrong_length_say_so() {
        let message = |json: &str| serde_json::from_str::<Bytes<2>>(json).err().unwrap().to_string();
        assert!(message("[1]").contains("invalid length 1, expected 2 bytes"));
        assert!(message("[1,2,3]").contains("invalid length 3, expected 2 bytes"));
        assert_eq!(serde_json::from_str::<Bytes<2>>("[1,2]").unwrap().0, [1, 2]);
    }
}
