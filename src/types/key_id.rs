//! One-time key ids.

use core::fmt;

use alloc::string::String;

use super::KeyError;
use crate::encoding::base64::{base64_decode, base64_encode};

/// The id under which a one-time or fallback key is published.
///
/// On the wire (the `signed_curve25519:<id>` key of a Matrix upload) an id is
/// the unpadded base64 of its big-endian bytes. Two widths exist, and an
/// account keeps the one it has always published:
///
/// - libolm's: 4 bytes, ids counting from 1 on one counter shared by one-time
///   and fallback keys (`1` is `AAAAAQ`). Accounts created here or read from
///   libolm pickles use it.
/// - vodozemac's: 8 bytes, ids counting from 0, with separate counters for
///   one-time and fallback keys (`1` is `AAAAAAAAAAE`). Accounts read from
///   vodozemac pickles use it.
///
/// Ids of different widths never compare equal, even with the same number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId {
    wide: bool,
    value: u64,
}

impl KeyId {
    /// The libolm-width (4-byte) id with this number.
    pub const fn new(id: u32) -> Self {
        Self {
            wide: false,
            value: id as u64,
        }
    }

    /// The vodozemac-width (8-byte) id with this number.
    pub const fn new_wide(id: u64) -> Self {
        Self { wide: true, value: id }
    }

    /// The id's number.
    pub const fn value(self) -> u64 {
        self.value
    }

    /// Whether the id is published as 8 bytes (vodozemac's width) rather
    /// than 4 (libolm's).
    pub const fn is_wide(self) -> bool {
        self.wide
    }

    /// The id as published: unpadded base64 of its 4 or 8 big-endian bytes.
    pub fn to_base64(self) -> String {
        if self.wide {
            base64_encode(self.value.to_be_bytes())
        } else {
            // `new` is the only way to make a narrow id, so the value fits.
            base64_encode((self.value as u32).to_be_bytes())
        }
    }

    /// Parses a published id of either width.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes = base64_decode(input)?;
        if let Ok(narrow) = <[u8; 4]>::try_from(bytes.as_slice()) {
            Ok(Self::new(u32::from_be_bytes(narrow)))
        } else if let Ok(wide) = <[u8; 8]>::try_from(bytes.as_slice()) {
            Ok(Self::new_wide(u64::from_be_bytes(wide)))
        } else {
            Err(KeyError::InvalidKeyLength {
                key_type: "key id (4 or 8 bytes)",
                expected: 8,
                length: bytes.len(),
            })
        }
    }
}

impl From<u32> for KeyId {
    fn from(id: u32) -> Self {
        Self::new(id)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wide {
            write!(f, "KeyId({}, wide)", self.value)
        } else {
            write!(f, "KeyId({})", self.value)
        }
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
        assert!(KeyId::from_base64("").is_err());
        assert!(KeyId::from_base64("AAAAAAA").is_err());
    }

    #[test]
    fn vodozemac_encoding() {
        assert_eq!(KeyId::new_wide(0).to_base64(), "AAAAAAAAAAA");
        assert_eq!(KeyId::new_wide(7).to_base64(), "AAAAAAAAAAc");
        assert_eq!(KeyId::from_base64("AAAAAAAAAAE").unwrap(), KeyId::new_wide(1));
        assert_ne!(KeyId::new_wide(1), KeyId::new(1));
    }
}
