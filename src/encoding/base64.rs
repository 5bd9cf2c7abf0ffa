//! Base64 as Matrix writes it: the standard alphabet without padding.
//!
//! Every decode goes through `base64ct`, whose codec runs in constant time, so
//! the same helpers serve public keys and secrets alike. Padded input is
//! accepted too, because some clients and servers pad.

use alloc::{string::String, vec::Vec};

use base64ct::{Base64Unpadded, Encoding};
use zeroize::Zeroizing;

/// Base64 input that could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid base64: {0}")]
pub struct Base64DecodeError(base64ct::Error);

/// Encodes bytes as unpadded standard base64.
pub fn base64_encode(input: impl AsRef<[u8]>) -> String {
    Base64Unpadded::encode_string(input.as_ref())
}

/// Decodes standard base64, padded or not.
pub fn base64_decode(input: impl AsRef<[u8]>) -> Result<Vec<u8>, Base64DecodeError> {
    let input = strip_padding(input.as_ref());
    let mut out = alloc::vec![0u8; decoded_len(input.len())];
    let len = Base64Unpadded::decode(input, &mut out)
        .map_err(Base64DecodeError)?
        .len();
    out.truncate(len);
    Ok(out)
}

/// The number of bytes that unpadded base64 of `encoded` characters decodes to,
/// or `None` for a length no valid encoding has.
pub(crate) fn decoded_len_exact(encoded: usize) -> Option<usize> {
    (encoded % 4 != 1).then(|| decoded_len(encoded))
}

fn decoded_len(encoded: usize) -> usize {
    encoded / 4 * 3 + (encoded % 4) * 3 / 4
}

/// Removes up to two `=` at the end of input whose length is a multiple of
/// four. Only the padding is inspected, and its presence is already told by
/// the length, so this leaks nothing about the data.
pub(crate) fn strip_padding(input: &[u8]) -> &[u8] {
    if !input.len().is_multiple_of(4) {
        return input;
    }
    let mut input = input;
    for _ in 0..2 {
        if let [rest @ .., b'='] = input {
            input = rest;
        }
    }
    input
}

/// Why base64 did not decode to exactly `N` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FixedDecodeError {
    /// The encoded length does not correspond to `N` bytes; holds the decoded
    /// length (or the closest one) for the error message.
    Length(usize),
    /// The characters are not valid base64.
    Base64(Base64DecodeError),
}

/// Decodes base64 of exactly `N` bytes into a buffer that is wiped on drop.
pub(crate) fn base64_decode_array<const N: usize>(
    input: impl AsRef<[u8]>,
) -> Result<Zeroizing<[u8; N]>, FixedDecodeError> {
    let input = strip_padding(input.as_ref());
    let len = decoded_len(input.len());
    if decoded_len_exact(input.len()) != Some(N) {
        return Err(FixedDecodeError::Length(len));
    }
    let mut out = Zeroizing::new([0u8; N]);
    Base64Unpadded::decode(input, out.as_mut_slice()).map_err(|e| FixedDecodeError::Base64(Base64DecodeError(e)))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_padding() {
        assert_eq!(base64_encode(b"Hello World"), "SGVsbG8gV29ybGQ");
        assert_eq!(base64_decode("SGVsbG8gV29ybGQ").unwrap(), b"Hello World");
        assert_eq!(base64_decode("SGVsbG8gV29ybGQ=").unwrap(), b"Hello World");
        assert_eq!(base64_decode("AA==").unwrap(), [0]);
        assert_eq!(base64_decode("AAA=").unwrap(), [0, 0]);
        assert!(base64_decode("AA=").is_err());
        assert!(base64_decode("A").is_err());
        assert!(base64_decode("AB").is_err(), "non-canonical trailing bits");
        assert!(base64_decode("AAAA\n").is_err());
        assert_eq!(base64_decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn fixed_length() {
        let key = [7u8; 32];
        let encoded = base64_encode(key);
        assert_eq!(encoded.len(), 43);
        assert_eq!(*base64_decode_array::<32>(&encoded).unwrap(), key);
        let padded = alloc::format!("{encoded}=");
        assert_eq!(*base64_decode_array::<32>(&padded).unwrap(), key);
        assert_eq!(
            base64_decode_array::<32>(&encoded[..42]),
            Err(FixedDecodeError::Length(31))
        );
        // 44 characters without padding decode to 33 bytes: an error, not a panic.
        let long = alloc::format!("{encoded}A");
        assert!(matches!(
            base64_decode_array::<32>(&long),
            Err(FixedDecodeError::Length(33))
        ));
        assert!(matches!(
            base64_decode_array::<32>(&"!".repeat(43)),
            Err(FixedDecodeError::Base64(_))
        ));
        // A length of 1 mod 4 is no encoding at all, even where rounding
        // down gives the wanted size (5 characters for 3 bytes, 221 for a
        // 165-byte Megolm export): a length error, not a base64 one.
        assert_eq!(base64_decode_array::<3>("AAAAA"), Err(FixedDecodeError::Length(3)));
        assert_eq!(
            base64_decode_array::<165>(&"A".repeat(221)),
            Err(FixedDecodeError::Length(165))
        );
        assert_eq!(decoded_len_exact(5), None);
        assert_eq!(decoded_len_exact(6), Some(4));
    }
}
