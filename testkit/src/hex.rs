//! Hex, the one helper every test of the repository that reads or prints
//! bytes uses: known-answer constants in unit tests, the vector files'
//! fields, and bytes in failure messages.

/// Lowercase (or uppercase) hex to bytes; an odd length or a non-hex
/// character is an error naming the input.
pub fn decode(s: &str) -> Result<Vec<u8>, String> {
    let digits = s.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd-length hex `{s}`"));
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("bad hex `{s}`"))
        })
        .collect()
}

/// Bytes to lowercase hex.
pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hex constant of a test, which may be split over lines (whitespace is
/// skipped). Panics on bad hex: the constant is wrong.
pub fn bytes(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    decode(&s).unwrap_or_else(|e| panic!("{e}"))
}

/// A hex constant of exactly `N` bytes. Panics on bad hex or another length.
pub fn array<const N: usize>(s: &str) -> [u8; N] {
    let bytes = bytes(s);
    let len = bytes.len();
    bytes
        .try_into()
        .unwrap_or_else(|_| panic!("`{s}` is {len} bytes, not {N}"))
}

#[cfg(test)]
mod tests {
    use super::{array, decode, encode};

    #[test]
    fn round_trip_and_refusals() {
        assert_eq!(decode("00ff7A").unwrap(), [0x00, 0xff, 0x7a]);
        assert_eq!(encode(&[0x00, 0xff, 0x7a]), "00ff7a");
        assert!(decode("abc").is_err());
        assert!(decode("zz").is_err());
        assert!(decode("é1").is_err());
        assert_eq!(array::<2>("01 \n 02"), [1, 2]);
    }
}
