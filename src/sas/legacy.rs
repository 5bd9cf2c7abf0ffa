//! libolm's legacy SAS MACs: Matrix methods `hkdf-hmac-sha256` (the MAC
//! written with libolm's broken in-place base64) and `hmac-sha256` (a
//! 256-byte HKDF key, "old Riot"), kept only to verify against clients that
//! offer nothing newer. Built with the `libolm-compat` feature.

use alloc::string::String;

use hmac::Mac as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{EstablishedSas, SasError};
use crate::{
    cipher::{hmac_sha256, kdf},
    ct,
};

/// The length of the MAC strings that libolm's legacy methods produce: the
/// length of unpadded base64 of 32 bytes.
const LEGACY_MAC_LEN: usize = 43;

/// The output length of libolm's `olm_sas_calculate_mac_long_kdf` key
/// derivation: 256 bytes of HKDF output, all used as the HMAC key.
const LONG_KDF_KEY_LEN: usize = 256;

/// Compares a computed legacy MAC string with a received one without
/// revealing where they differ. Only the length, which is public, may end
/// the comparison early.
fn ct_eq_str(expected: &str, received: &str) -> Result<(), SasError> {
    if ct::public_bool(bool::from(expected.as_bytes().ct_eq(received.as_bytes()))) {
        Ok(())
    } else {
        Err(SasError::Mac)
    }
}

/// One base64 character for the low six bits of `value`, without table
/// lookups or branches, so the time taken does not depend on the value.
fn base64_char(value: u8) -> u8 {
    let v = i16::from(value & 0x3f);
    // Start from 'A' and shift the offset at each range boundary: an
    // arithmetic shift of (bound - v) is all ones exactly when v > bound.
    let mut offset: i16 = 0x41;
    offset += ((25 - v) >> 8) & 6; // 'a' - 26 - 'A'
    offset -= ((51 - v) >> 8) & 75; // '0' - 52 - ('a' - 26)
    offset -= ((61 - v) >> 8) & 15; // '+' - 62 - ('0' - 52)
    offset += ((62 - v) >> 8) & 3; // '/' - 63 - ('+' - 62)
    (v + offset).to_le_bytes().first().copied().unwrap_or(b'A')
}

/// libolm's in-place base64 of a 32-byte MAC, reproduced.
///
/// libolm writes the MAC at the start of the 43-byte output buffer and
/// encodes it into that same buffer: each group of three bytes is read and
/// then written as four characters at four times the group's index, which
/// overwrites input bytes of the groups that follow. The final two-byte tail
/// (bytes 30 and 31, already overwritten by then) becomes the last three
/// characters.
fn libolm_in_place_base64(mac: &[u8; 32]) -> String {
    let mut buffer = [0u8; LEGACY_MAC_LEN];
    buffer.iter_mut().zip(mac).for_each(|(b, m)| *b = *m);
    let at = |buffer: &[u8; LEGACY_MAC_LEN], i: usize| buffer.get(i).copied().unwrap_or(0);

    for group in 0..10 {
        let (read, write) = (3 * group, 4 * group);
        let value = u32::from(at(&buffer, read)) << 16
            | u32::from(at(&buffer, read + 1)) << 8
            | u32::from(at(&buffer, read + 2));
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if let Some(out) = buffer.get_mut(write + i) {
                *out = base64_char(((value >> shift) & 0x3f) as u8);
            }
        }
    }
    // Two bytes left: 16 bits padded with two zero bits give three characters.
    let value = (u32::from(at(&buffer, 30)) << 8 | u32::from(at(&buffer, 31))) << 2;
    for (i, shift) in [12u32, 6, 0].into_iter().enumerate() {
        if let Some(out) = buffer.get_mut(40 + i) {
            *out = base64_char(((value >> shift) & 0x3f) as u8);
        }
    }
    buffer.iter().copied().map(char::from).collect()
}

impl EstablishedSas {
    /// **Legacy.** The MAC of `input` as libolm's `olm_sas_calculate_mac`
    /// writes it: Matrix method `hkdf-hmac-sha256`, kept only to verify
    /// against clients that offer nothing newer.
    ///
    /// The MAC is the same as [`EstablishedSas::calculate_mac`]'s, but libolm
    /// base64-encoded it in place, overwriting bytes it had not read yet, so
    /// the 43 characters are *not* the base64 of the MAC and do not decode to
    /// it. This reproduces that output exactly. Prefer `calculate_mac`.
    pub fn calculate_mac_invalid_base64(&self, input: impl AsRef<[u8]>, info: impl AsRef<[u8]>) -> String {
        crate::stack::scrubbed(|| {
            let mac = self.calculate_mac(input, info);
            libolm_in_place_base64(&mac.0)
        })
    }

    /// **Legacy.** Checks, in constant time, a MAC string in the format of
    /// [`EstablishedSas::calculate_mac_invalid_base64`] (Matrix method
    /// `hkdf-hmac-sha256`).
    pub fn verify_mac_invalid_base64(
        &self,
        input: impl AsRef<[u8]>,
        info: impl AsRef<[u8]>,
        tag: &str,
    ) -> Result<(), SasError> {
        crate::stack::scrubbed(|| {
            let expected = self.calculate_mac_invalid_base64(input, info);
            ct_eq_str(&expected, tag)
        })
    }

    /// **Legacy.** The MAC of `input` as libolm's
    /// `olm_sas_calculate_mac_long_kdf` writes it: Matrix method
    /// `hmac-sha256`, used by very old clients ("old Riot").
    ///
    /// The HMAC key is 256 bytes of HKDF-SHA-256 output for `info` (which
    /// HMAC, given a key longer than its block, replaces by its SHA-256), and
    /// the MAC is written with the same broken in-place base64 as
    /// [`EstablishedSas::calculate_mac_invalid_base64`]. Prefer
    /// [`EstablishedSas::calculate_mac`].
    pub fn calculate_mac_long_kdf_invalid_base64(&self, input: impl AsRef<[u8]>, info: impl AsRef<[u8]>) -> String {
        crate::stack::scrubbed(|| {
            let long_key = kdf::hkdf::<LONG_KDF_KEY_LEN>(None, self.shared_secret.as_bytes(), info.as_ref());
            // RFC 2104: a key longer than the 64-byte block is first hashed, and
            // the digest is used as the key. Doing it here keeps the constructor
            // infallible.
            let hashed_key = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(long_key.as_slice())));
            let mac: [u8; 32] = hmac_sha256(&hashed_key)
                .chain_update(input.as_ref())
                .finalize()
                .into_bytes()
                .into();
            // Sent to the other device: public by design.
            libolm_in_place_base64(&ct::public_array(mac))
        })
    }

    /// **Legacy.** Checks, in constant time, a MAC string in the format of
    /// [`EstablishedSas::calculate_mac_long_kdf_invalid_base64`] (Matrix
    /// method `hmac-sha256`).
    pub fn verify_mac_long_kdf_invalid_base64(
        &self,
        input: impl AsRef<[u8]>,
        info: impl AsRef<[u8]>,
        tag: &str,
    ) -> Result<(), SasError> {
        crate::stack::scrubbed(|| {
            let expected = self.calculate_mac_long_kdf_invalid_base64(input, info);
            ct_eq_str(&expected, tag)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_encode;

    #[test]
    fn base64_char_matches_the_alphabet() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (value, expected) in alphabet.iter().enumerate() {
            assert_eq!(base64_char(value as u8), *expected, "{value}");
        }
    }

    #[test]
    fn legacy_encoding_differs_from_base64_only_after_the_first_group() {
        let mac = [0xab; 32];
        let legacy = libolm_in_place_base64(&mac);
        let proper = base64_encode(mac);
        assert_eq!(legacy.len(), 43);
        assert_eq!(legacy[..4], proper[..4]);
        assert_ne!(legacy, proper);
    }
}
