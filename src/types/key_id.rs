//! One-time key ids.

use core::fmt;

use alloc::string::String;

use super::KeyError;
use crate::encoding::base64::{base64_decode_array, base64_encode};

/// The id under which a one-time or fallback key is published.
///
/// As in libolm, ids count from 1 and one counter is shared by one-time and
/// fallback keys. On the wire (the `signed_curve25519:<id>` key of a Matrix
/// upload) an id is the base64 of its 4 big-endian bytes: `1` is `AAAAAQ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(u32);

impl KeyId {
    /// The id with this number.
    pub const fn new(id: u32) -> Self {
        Self(id)
    }

    /// The id's number.
    pub const fn value(self) -> u32 {
        self.0
    }

    /// The id as 4 big-endian bytes.
    pub const fn to_bytes(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    /// The id from 4 big-endian bytes.
    pub const fn from_bytes(bytes: [u8; 4]) -> Self {
        Self(u32::from_be_bytes(bytes))
    }

    /// The id as published: unpadded base64 of its 4 bytes.
    pub fn to_base64(self) -> String {
        base64_encode(self.to_bytes())
    }

    /// Parses a published id.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes = base64_decode_array::<4>(input).map_err(|e| KeyError::from_fixed("key id", 4, e))?;
        Ok(Self::from_bytes(*bytes))
    }
}

impl From<u32> for KeyId {
    fn from(id: u32) -> Self {
        Self(id)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libolm_encoding() {
        assert_eq!(KeyId::new(1).to_base64(), "AAAAAQ");
        assert_eq!(KeyId::new(2).to_base64(), "AAAAAg");
        assert_eq!(KeyId::new(4).to_base64(), "AAAABA");
        assert_eq!(KeyId::from_base64("AAAAAw").unwrap(), KeyId::new(3));
        assert_eq!(KeyId::from_base64("AAAAAw==").unwrap(), KeyId::new(3));
        assert!(KeyId::from_base64("AAAAAAAAAAE").is_err());
        assert!(KeyId::from_base64("").is_err());
    }
}
