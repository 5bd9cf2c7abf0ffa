//! Protobuf-style unsigned varints (LEB128: 7 bits a byte, least significant
//! group first, high bit set on every byte but the last).

use alloc::vec::Vec;

/// The longest varint accepted: enough for any `u64`.
const MAX_VARINT_LEN: usize = 10;

/// Appends `value` in its shortest varint form.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        // Truncation keeps the low seven bits, which is the point.
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The number of bytes `write_varint` uses for `value`.
pub(crate) const fn varint_len(mut value: u64) -> usize {
    let mut len = 1;
    while value >= 0x80 {
        value >>= 7;
        len += 1;
    }
    len
}

/// Reads a varint from the start of `input`, returning its value and length.
///
/// `None` when the input ends inside the varint, when it is longer than ten
/// bytes, or when its value does not fit in a `u64`.
pub(crate) fn read_varint(input: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in input.iter().take(MAX_VARINT_LEN).enumerate() {
        let group = u64::from(byte & 0x7f);
        let shift = 7 * i as u32;
        // The tenth byte may only carry the single remaining bit.
        if i == MAX_VARINT_LEN - 1 && group > 1 {
            return None;
        }
        value |= group << shift;
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for value in [0, 1, 127, 128, 300, 2000, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            assert_eq!(out.len(), varint_len(value));
            assert_eq!(read_varint(&out), Some((value, out.len())));
        }
    }

    #[test]
    fn known_encodings() {
        let mut out = Vec::new();
        write_varint(&mut out, 200);
        assert_eq!(out, [0xc8, 0x01]);
        assert_eq!(read_varint(&[0xd4, 0x0f]), Some((2004, 2)));
        // A non-minimal encoding still reads; its length is reported.
        assert_eq!(read_varint(&[0x80, 0x00]), Some((0, 2)));
    }

    #[test]
    fn rejects_bad_varints() {
        assert_eq!(read_varint(&[]), None);
        assert_eq!(read_varint(&[0x80]), None);
        assert_eq!(read_varint(&[0xff; 10]), None);
        assert_eq!(read_varint(&[0xff; 11]), None);
        let mut max = [0xff; 10];
        max[9] = 0x01;
        assert_eq!(read_varint(&max), Some((u64::MAX, 10)));
        max[9] = 0x02;
        assert_eq!(read_varint(&max), None);
    }
}
