//! Lengths and encodings shared by the C functions: unpadded base64,
//! varints, libolm's key JSON, and decoding of base64 inputs.

use olm_core::{Curve25519PublicKey, KeyId, base64_decode};
use zeroize::Zeroizing;

use crate::error::OlmErrorCode;

/// Length of a base64 Curve25519 or Ed25519 public key.
pub const KEY_B64: usize = 43;
/// Length of a base64 Ed25519 signature.
pub const SIGNATURE_B64: usize = 86;

/// The length of the unpadded base64 of `raw` bytes (saturating, so an
/// impossible size reads as `olm_error()`).
pub const fn b64_len(raw: usize) -> usize {
    let tail = match raw % 3 {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    (raw / 3).saturating_mul(4).saturating_add(tail)
}

/// The number of bytes `len` characters of unpadded base64 decode to, or
/// `None` for a length no encoding has (libolm's `decode_base64_length`).
pub const fn b64_decoded_len(len: usize) -> Option<usize> {
    if len % 4 == 1 {
        None
    } else {
        Some(len / 4 * 3 + (len % 4) * 3 / 4)
    }
}

/// The length of `value` as a protobuf varint.
pub const fn varint_len(value: usize) -> usize {
    let mut len = 1;
    let mut rest = value >> 7;
    while rest != 0 {
        len += 1;
        rest >>= 7;
    }
    len
}

/// The length of AES-256-CBC output for `plaintext` bytes (PKCS#7 always
/// pads), saturating.
pub const fn cbc_len(plaintext: usize) -> usize {
    (plaintext / 16).saturating_add(1).saturating_mul(16)
}

/// Decodes a base64 input: `INVALID_BASE64` if it is not valid (standard
/// alphabet, canonical trailing bits, padding optional).
pub fn decode(input: &[u8]) -> Result<Zeroizing<Vec<u8>>, OlmErrorCode> {
    base64_decode(input)
        .map(Zeroizing::new)
        .map_err(|_| OlmErrorCode::InvalidBase64)
}

/// Decodes a base64 message (Olm, pre-key or Megolm) exactly as libolm
/// does: only a length no encoding has (`len % 4 == 1`) is `INVALID_BASE64`;
/// any other byte, `=` included, is decoded through libolm's table, where a
/// byte outside the alphabet sets all the bits it touches. Garbage then
/// fails to parse or to authenticate, with the error libolm gives for it.
///
/// Lenient only for messages: they are public and authenticated, so how
/// their characters decode changes nothing but which error a corrupt one
/// gets. Keys and pickles keep the strict decoder.
pub fn decode_message(input: &[u8]) -> Result<Vec<u8>, OlmErrorCode> {
    /// libolm's value of a character (its low seven bits), 0xFF outside the
    /// alphabet.
    fn value(c: u8) -> u32 {
        let c = c & 0x7F;
        u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => 0xFF,
        })
    }
    let len = b64_decoded_len(input.len()).ok_or(OlmErrorCode::InvalidBase64)?;
    let mut out = Vec::with_capacity(len);
    let mut chunks = input.chunks_exact(4);
    for chunk in &mut chunks {
        let v = chunk.iter().fold(0u32, |v, &c| (v << 6) | value(c));
        out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
    match *chunks.remainder() {
        [a, b] => out.push((((value(a) << 6) | value(b)) >> 4) as u8),
        [a, b, c] => {
            let v = ((((value(a) << 6) | value(b)) << 6) | value(c)) >> 2;
            out.extend_from_slice(&[(v >> 8) as u8, v as u8]);
        }
        _ => {}
    }
    Ok(out)
}

/// Decodes a Curve25519 key given as exactly 43 characters of base64, as
/// libolm requires of the keys passed to session functions.
pub fn curve25519_key(input: &[u8]) -> Result<Curve25519PublicKey, OlmErrorCode> {
    if input.len() != KEY_B64 {
        return Err(OlmErrorCode::InvalidBase64);
    }
    let bytes = decode(input)?;
    Curve25519PublicKey::from_slice(&bytes).map_err(|_| OlmErrorCode::InvalidBase64)
}

/// libolm's key JSON: `{"curve25519":{"<id>":"<key>",...}}`, entries in
/// the order given.
pub fn key_json(keys: impl IntoIterator<Item = (KeyId, Curve25519PublicKey)>) -> String {
    let mut json = String::from("{\"curve25519\":{");
    for (i, (id, key)) in keys.into_iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(&id.to_base64());
        json.push_str("\":\"");
        json.push_str(&key.to_base64());
        json.push('"');
    }
    json.push_str("}}");
    json
}

/// The length of [`key_json`] for `count` keys.
pub const fn key_json_len(count: usize) -> usize {
    // `{"curve25519":{` and `}}`, then per key `"AAAAAQ":"<43>"` and a comma
    // between keys.
    let per_key = 1 + 6 + 3 + KEY_B64 + 1;
    17usize
        .saturating_add(count.saturating_mul(per_key))
        .saturating_add(count.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(b64_len(32), 43);
        assert_eq!(b64_len(64), 86);
        assert_eq!(b64_len(229), 306);
        assert_eq!(b64_len(165), 220);
        assert_eq!(b64_len(8), 11);
        assert_eq!(b64_len(0), 0);
        assert_eq!(b64_decoded_len(43), Some(32));
        assert_eq!(b64_decoded_len(44), Some(33));
        assert_eq!(b64_decoded_len(17), None);
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u32::MAX as usize), 5);
        assert_eq!(cbc_len(0), 16);
        assert_eq!(cbc_len(16), 32);
    }

    #[test]
    fn messages_decode_as_libolm_decodes_them() {
        // Valid base64 decodes as usual.
        for raw in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0xFF; 37]] {
            let encoded = olm_core::base64_encode(raw);
            assert_eq!(decode_message(encoded.as_bytes()).unwrap(), raw);
        }
        // Only an impossible length is refused.
        assert_eq!(decode_message(b"AAAAA"), Err(OlmErrorCode::InvalidBase64));
        // Trailing bits are dropped, as libolm drops them.
        assert_eq!(decode_message(b"AB").unwrap(), [0]);
        // Outside the alphabet, a character sets every bit it touches
        // (libolm's table holds 0xFF there), and only its low 7 bits count.
        assert_eq!(decode_message(b"AA=A").unwrap(), [0x00, 0x3F, 0xC0]);
        assert_eq!(decode_message(b"=AAA").unwrap(), [0xFC, 0, 0]);
        assert_eq!(decode_message(b"\xc1\xe1AA"), decode_message(b"AaAA"));
        assert_eq!(decode_message(b"A=").unwrap(), [0x0F]);
        assert_eq!(decode_message(b"AA=").unwrap(), [0x00, 0x3F]);
    }

    #[test]
    fn json() {
        assert_eq!(key_json([]), "{\"curve25519\":{}}");
        assert_eq!(key_json_len(0), 17);
        let key = Curve25519PublicKey::from_bytes([0; 32]);
        let two = key_json([(KeyId::new(2), key), (KeyId::new(1), key)]);
        assert_eq!(two.len(), key_json_len(2));
        assert!(two.starts_with("{\"curve25519\":{\"AAAAAg\":\"AAAA"));
        assert_eq!(key_json([(KeyId::new(3), key)]).len(), 71);
    }
}
