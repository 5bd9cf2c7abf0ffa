//! The subset of protobuf framing that Olm and Megolm messages use: fields
//! tagged `(number << 3) | wire_type` holding either a varint (wire type 0) or
//! a length-prefixed byte string (wire type 2).
//!
//! The reader hands out byte ranges into the input rather than copies, so that
//! callers keep the bytes exactly as received and check MACs and signatures
//! over them. Unknown fields of either wire type are skipped, as libolm and
//! protobuf do; any other wire type is an error (libolm silently stops
//! parsing there).

use alloc::vec::Vec;
use core::ops::Range;

use super::{
    DecodeError,
    varint::{read_varint, write_varint},
};

const WIRE_VARINT: u64 = 0;
const WIRE_BYTES: u64 = 2;

/// One field read from a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// A varint field with its number and value.
    Varint(u64, u64),
    /// A byte-string field with its number and the range of its contents in
    /// the input.
    Bytes(u64, Range<usize>),
}

/// Iterates over the fields of `input[start..end]`, yielding ranges relative
/// to `input`.
pub(crate) struct FieldReader<'a> {
    input: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> FieldReader<'a> {
    /// Reads the fields in `input[range]`. The range must lie inside `input`.
    pub(crate) fn new(input: &'a [u8], range: Range<usize>) -> Self {
        let end = range.end.min(input.len());
        Self {
            input,
            pos: range.start.min(end),
            end,
        }
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let rest = self.input.get(self.pos..self.end).unwrap_or_default();
        let (value, len) = read_varint(rest).ok_or(DecodeError::Varint)?;
        self.pos += len;
        Ok(value)
    }

    fn next_field(&mut self) -> Result<Field, DecodeError> {
        let tag = self.varint()?;
        let number = tag >> 3;
        match tag & 0x7 {
            WIRE_VARINT => Ok(Field::Varint(number, self.varint()?)),
            WIRE_BYTES => {
                let len = self.varint()?;
                let start = self.pos;
                let remaining = (self.end - start) as u64;
                if len > remaining {
                    return Err(DecodeError::Truncated);
                }
                // `len <= remaining`, which is a usize, so this cannot truncate.
                self.pos += len as usize;
                Ok(Field::Bytes(number, start..self.pos))
            }
            other => Err(DecodeError::WireType(other as u8)),
        }
    }
}

impl Iterator for FieldReader<'_> {
    type Item = Result<Field, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let field = self.next_field();
        if field.is_err() {
            // Stop after the first error.
            self.pos = self.end;
        }
        Some(field)
    }
}

/// Appends a varint field.
pub(crate) fn write_varint_field(out: &mut Vec<u8>, number: u64, value: u64) {
    write_varint(out, number << 3 | WIRE_VARINT);
    write_varint(out, value);
}

/// Appends a byte-string field.
pub(crate) fn write_bytes_field(out: &mut Vec<u8>, number: u64, value: &[u8]) {
    write_bytes_header(out, number, value.len());
    out.extend_from_slice(value);
}

/// Appends the tag and length of a byte-string field whose contents the caller
/// writes next.
pub(crate) fn write_bytes_header(out: &mut Vec<u8>, number: u64, len: usize) {
    write_varint(out, number << 3 | WIRE_BYTES);
    write_varint(out, len as u64);
}

/// The encoded size of a byte-string field holding `len` bytes.
pub(crate) const fn bytes_field_len(number: u64, len: usize) -> usize {
    super::varint::varint_len(number << 3 | WIRE_BYTES) + super::varint::varint_len(len as u64) + len
}

/// The encoded size of a varint field.
pub(crate) const fn varint_field_len(number: u64, value: u64) -> usize {
    super::varint::varint_len(number << 3 | WIRE_VARINT) + super::varint::varint_len(value)
}

/// Converts a varint field's value to the `u32` the protocol allows.
pub(crate) fn to_u32(value: u64) -> Result<u32, DecodeError> {
    u32::try_from(value).map_err(|_| DecodeError::Varint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &[u8]) -> Result<Vec<Field>, DecodeError> {
        FieldReader::new(input, 0..input.len()).collect()
    }

    #[test]
    fn reads_libolm_test_message() {
        // libolm's tests/test_message.cpp body, without version and MAC.
        let mut body = Vec::new();
        write_bytes_field(&mut body, 1, b"ratchetkey");
        write_varint_field(&mut body, 2, 1);
        write_bytes_field(&mut body, 4, b"ciphertext");
        assert_eq!(&body[..2], [0x0a, 0x0a]);
        assert_eq!(
            fields(&body).unwrap(),
            [Field::Bytes(1, 2..12), Field::Varint(2, 1), Field::Bytes(4, 16..26)]
        );
        assert_eq!(
            bytes_field_len(1, 10) + varint_field_len(2, 1) + bytes_field_len(4, 10),
            body.len()
        );
    }

    #[test]
    fn errors() {
        assert_eq!(fields(&[0x0a, 0x05, 1, 2]), Err(DecodeError::Truncated));
        assert_eq!(fields(&[0x0a]), Err(DecodeError::Varint));
        assert_eq!(fields(&[0x10]), Err(DecodeError::Varint));
        assert_eq!(fields(&[0x0b, 0x00]), Err(DecodeError::WireType(3)));
        assert_eq!(fields(&[0x0d]), Err(DecodeError::WireType(5)));
        // A huge length must not overflow.
        let mut huge = alloc::vec![0x0a];
        write_varint(&mut huge, u64::MAX);
        assert_eq!(fields(&huge), Err(DecodeError::Truncated));
    }

    #[test]
    fn sizes_match_what_is_written() {
        // Field numbers from 16 on need a two-byte tag: Olm and Megolm use
        // none, so the messages' own tests cannot tell a wrong tag size.
        for number in [1, 15, 16, 2047, 2048] {
            for n in [0usize, 1, 127, 128, 300] {
                let mut out = Vec::new();
                write_varint_field(&mut out, number, n as u64);
                assert_eq!(
                    varint_field_len(number, n as u64),
                    out.len(),
                    "field {number}, value {n}"
                );
                assert_eq!(fields(&out).unwrap(), [Field::Varint(number, n as u64)]);
                let mut out = Vec::new();
                write_bytes_field(&mut out, number, &alloc::vec![7; n]);
                assert_eq!(bytes_field_len(number, n), out.len(), "field {number}, {n} bytes");
                assert_eq!(fields(&out).unwrap(), [Field::Bytes(number, out.len() - n..out.len())]);
            }
        }
    }

    #[test]
    fn stops_after_the_first_error() {
        // A field of wire type 3, then a valid varint field: the reader
        // yields the error and nothing after it.
        let input = [0x0b, 0x00, 0x08, 0x01];
        let mut reader = FieldReader::new(&input, 0..input.len());
        assert_eq!(reader.next(), Some(Err(DecodeError::WireType(3))));
        assert_eq!(reader.next(), None);
        // A truncated length is not skipped over either.
        let input = [0x0a, 0x05, 0x08, 0x01];
        let mut reader = FieldReader::new(&input, 0..input.len());
        assert_eq!(reader.next(), Some(Err(DecodeError::Truncated)));
        assert_eq!(reader.next(), None);
    }

    #[test]
    fn respects_range() {
        let input = [0xff, 0x08, 0x05, 0xff];
        let f: Vec<_> = FieldReader::new(&input, 1..3).collect();
        assert_eq!(f, [Ok(Field::Varint(1, 5))]);
        // Out-of-bounds ranges are clamped rather than panicking.
        assert_eq!(FieldReader::new(&input, 3..10).count(), 1);
        assert_eq!(FieldReader::new(&input, 9..10).count(), 0);
    }
}
