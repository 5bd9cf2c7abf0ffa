//! HKDF-SHA-256 expansions. Each caller names its own info label beside its
//! use; this file only runs the function.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

/// HKDF-SHA-256 of `ikm` with `salt` (libolm's "no salt" is `None`, which
/// equals 32 zero bytes) and `info`, expanded to `N` bytes.
pub(crate) fn hkdf<const N: usize>(salt: Option<&[u8]>, ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; N]> {
    const { assert!(N <= 255 * 32, "HKDF-SHA-256 expands to at most 8160 bytes") };
    let mut out = Zeroizing::new([0u8; N]);
    // Expansion only fails for lengths above 8160 bytes, excluded above.
    let _ = Hkdf::<Sha256>::new(salt, ikm).expand(info, out.as_mut_slice());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5869_case_1() {
        let ikm = [0x0b; 22];
        let salt: [u8; 13] = core::array::from_fn(|i| i as u8);
        let info: [u8; 10] = core::array::from_fn(|i| 0xf0 + i as u8);
        let okm = hkdf::<42>(Some(&salt), &ikm, &info);
        assert_eq!(&okm[..8], [0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a]);
        assert_eq!(&okm[40..], [0x58, 0x65]);
    }

    #[test]
    fn no_salt_is_zero_salt() {
        assert_eq!(
            *hkdf::<32>(None, b"ikm", b"info"),
            *hkdf::<32>(Some(&[0u8; 32]), b"ikm", b"info")
        );
    }
}
