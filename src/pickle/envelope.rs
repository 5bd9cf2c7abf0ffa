//! The envelope of our own pickle format (see `docs/pickle-format.md`):
//!
//! ```text
//! version (1) ‖ kind (1) ‖ nonce (16) ‖ AES-256-CBC(body) ‖ HMAC-SHA-256 (32)
//! ```
//!
//! AES key, HMAC key and IV come from HKDF-SHA-256 with the random nonce as
//! salt, the 32-byte pickle key as input and `olm pickle v1` plus the kind
//! byte as info, so every pickle is encrypted under fresh keys and a pickle
//! of one kind cannot be read as another. The MAC covers everything before
//! it and is checked, in constant time, before anything is decrypted.

use alloc::{string::String, vec::Vec};

use rand::CryptoRng;
use zeroize::Zeroizing;

use super::{PICKLE_KEY_LENGTH, PickleError};
use crate::{
    cipher::{CipherError, CipherKeys},
    encoding::{base64_decode, base64_encode},
};

/// The envelope version this crate writes. Every later version must keep
/// reading this one.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 16;
const MAC_LEN: usize = 32;
const HEADER_LEN: usize = 2 + NONCE_LEN;
const INFO: &[u8] = b"olm pickle v1";

/// What a pickle holds; bound into its keys and checked on reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Account = 1,
    Session = 2,
    GroupSession = 3,
    InboundGroupSession = 4,
    PkDecryption = 5,
}

fn keys(kind: Kind, nonce: &[u8], key: &[u8; PICKLE_KEY_LENGTH]) -> CipherKeys {
    let mut info = [0u8; INFO.len() + 1];
    let (label, kind_byte) = info.split_at_mut(INFO.len());
    label.copy_from_slice(INFO);
    kind_byte.fill(kind as u8);
    CipherKeys::derive_salted(nonce, key, &info)
}

/// Seals `body` as a pickle of `kind`. Draws the 16-byte nonce from `rng`.
pub(crate) fn seal<R: CryptoRng + ?Sized>(
    kind: Kind,
    body: &[u8],
    key: &[u8; PICKLE_KEY_LENGTH],
    rng: &mut R,
) -> Zeroizing<String> {
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    let keys = keys(kind, &nonce, key);
    let mut out = Zeroizing::new(Vec::with_capacity(
        HEADER_LEN + CipherKeys::ciphertext_len(body.len()) + MAC_LEN,
    ));
    out.push(VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&nonce);
    keys.encrypt_into(body, &mut out);
    let mac = keys.mac(&out);
    out.extend_from_slice(&mac);
    Zeroizing::new(base64_encode(out.as_slice()))
}

/// Opens a pickle of `kind`, returning its body.
pub(crate) fn open(kind: Kind, pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Zeroizing<Vec<u8>>, PickleError> {
    // Decrypted in place: the buffer holds the body afterwards, so it is
    // wiped on drop.
    let mut bytes = Zeroizing::new(base64_decode(pickle)?);
    let (header, _) = bytes.split_at_checked(HEADER_LEN).ok_or(PickleError::Truncated)?;
    let (version, header_rest) = header.split_first().ok_or(PickleError::Truncated)?;
    let (stored_kind, nonce) = header_rest.split_first().ok_or(PickleError::Truncated)?;
    if *version != VERSION {
        return Err(PickleError::Version((*version).into()));
    }
    if *stored_kind != kind as u8 {
        return Err(PickleError::Invalid("the pickle holds another kind of object"));
    }
    let authenticated_len = bytes
        .len()
        .checked_sub(MAC_LEN)
        .filter(|&l| l >= HEADER_LEN)
        .ok_or(PickleError::Truncated)?;
    let keys = keys(kind, nonce, key);
    let (authenticated, mac) = bytes.split_at_mut(authenticated_len);
    keys.verify_truncated_mac(authenticated, mac)
        .map_err(|_| PickleError::Mac)?;
    let ciphertext = authenticated.get_mut(HEADER_LEN..).unwrap_or_default();
    let len = keys.decrypt_in_place(ciphertext).map_err(|e| match e {
        CipherError::Mac => PickleError::Mac,
        CipherError::Length | CipherError::Padding => PickleError::Invalid("bad ciphertext length or padding"),
    })?;
    // The body moves to the front of the buffer.
    bytes.copy_within(HEADER_LEN..HEADER_LEN + len, 0);
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use hmac::{KeyInit, Mac};

    use super::*;

    /// The MAC of a sealed pickle, recomputed here from docs/pickle-format.md
    /// with the hkdf and hmac crates directly: HKDF-SHA-256 (salt the nonce,
    /// input the pickle key, info `olm pickle v1` and the kind byte) gives
    /// 80 bytes, the HMAC key is bytes 32 to 64.
    #[test]
    fn the_keys_are_bound_to_the_kind_as_documented() {
        let key = [7u8; 32];
        for kind in [Kind::Account, Kind::Session, Kind::PkDecryption] {
            let sealed = base64_decode(seal(kind, b"body", &key, &mut crate::test_rng::Replay::blocks(9, 1))).unwrap();
            let nonce = &sealed[2..HEADER_LEN];
            assert_eq!(nonce, [9; NONCE_LEN]);
            let mut info = INFO.to_vec();
            info.push(kind as u8);
            let mut okm = [0u8; 80];
            hkdf::Hkdf::<sha2::Sha256>::new(Some(nonce), &key)
                .expand(&info, &mut okm)
                .unwrap();
            let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&okm[32..64]).unwrap();
            let (authenticated, tag) = sealed.split_at(sealed.len() - MAC_LEN);
            mac.update(authenticated);
            assert_eq!(mac.finalize().into_bytes().as_slice(), tag, "{kind:?}");
        }
    }

    #[test]
    fn round_trip_and_freshness() {
        let key = [7u8; 32];
        let mut rng = rand::rng();
        let a = seal(Kind::Account, b"body", &key, &mut rng);
        let b = seal(Kind::Account, b"body", &key, &mut rng);
        assert_ne!(a, b, "a fresh nonce per pickle");
        assert_eq!(open(Kind::Account, &a, &key).unwrap().as_slice(), b"body");
        assert_eq!(open(Kind::Account, &a, &[8u8; 32]), Err(PickleError::Mac));
        assert!(matches!(open(Kind::Session, &a, &key), Err(PickleError::Invalid(_))));
        let bytes = base64_decode(&a).unwrap();
        for len in 0..bytes.len() {
            assert!(open(Kind::Account, &base64_encode(&bytes[..len]), &key).is_err());
        }
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(
                open(Kind::Account, &base64_encode(&flipped), &key).is_err(),
                "bit {bit}"
            );
        }
    }
}
