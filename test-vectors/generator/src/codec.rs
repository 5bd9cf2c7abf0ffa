//! Hex (the tests' one helper, from `olm-testkit`) and unpadded standard
//! base64 (what libolm prints), written here so that the generator depends
//! on nothing of the crate under test.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub use olm_testkit::hex::encode as hex;

/// Unpadded standard base64.
pub fn b64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Strict decoding of unpadded standard base64 (canonical trailing bits).
pub fn unb64(text: &str) -> Result<Vec<u8>, String> {
    let values: Vec<u32> = text
        .bytes()
        .map(|c| {
            ALPHABET
                .iter()
                .position(|&a| a == c)
                .map(|p| p as u32)
                .ok_or_else(|| format!("bad base64 character {:?} in {text:?}", char::from(c)))
        })
        .collect::<Result<_, _>>()?;
    if values.len() % 4 == 1 {
        return Err(format!("bad base64 length {}", values.len()));
    }
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &v)| acc | (v << (18 - 6 * i)));
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    if b64(&out) != text {
        return Err(format!("non-canonical base64 {text:?}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(b64(b"Hello World"), "SGVsbG8gV29ybGQ");
        assert_eq!(unb64("SGVsbG8gV29ybGQ").unwrap(), b"Hello World");
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(unb64(&b64(&data)).unwrap(), data);
        }
        assert!(unb64("SGVsbG8gV29ybGR").is_err());
        assert!(unb64("A").is_err());
    }
}
