//! Pickles of [`PkDecryption`] keys.
//!
//! libolm's layout (version 1): `u32 version · public key (32) · secret key
//! (32)`. Ours holds the 32-byte secret alone; the public key is derived.

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

use alloc::string::String;

use rand::CryptoRng;
use zeroize::Zeroizing;

#[cfg(feature = "libolm-compat")]
use super::libolm;
use super::{
    PICKLE_KEY_LENGTH, PickleError,
    codec::{Reader, Writer},
    envelope::{self, Kind},
};
use crate::pk::PkDecryption;

const LIBOLM_VERSION: u32 = 1;

impl PkDecryption {
    /// Pickles the key in our format, with a nonce from the operating
    /// system's generator.
    #[cfg(feature = "std")]
    pub fn pickle(&self, key: &[u8; PICKLE_KEY_LENGTH]) -> Zeroizing<String> {
        self.pickle_with_rng(key, &mut rand::rng())
    }

    /// Pickles the key in our format, drawing the 16-byte nonce from `rng`.
    pub fn pickle_with_rng<R: CryptoRng + ?Sized>(
        &self,
        key: &[u8; PICKLE_KEY_LENGTH],
        rng: &mut R,
    ) -> Zeroizing<String> {
        crate::stack::scrubbed(|| {
            let mut w = Writer::with_capacity(32);
            w.bytes(self.to_bytes().as_slice());
            envelope::seal(Kind::PkDecryption, &w.into_bytes(), key, rng)
        })
    }

    /// Restores a key from our pickle format.
    pub fn from_pickle(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
        crate::stack::scrubbed(|| {
            let body = envelope::open(Kind::PkDecryption, pickle, key)?;
            let mut r = Reader::new(&body);
            let decryption = Self::from_bytes(r.array::<32>()?);
            r.finish()?;
            Ok(decryption)
        })
    }

    #[cfg(feature = "libolm-compat")]
    /// Writes the key as libolm's PK decryption pickle (version 1), byte for
    /// byte as libolm would.
    pub fn to_libolm_pickle(&self, key: &[u8]) -> Result<Zeroizing<String>, PickleError> {
        Ok(libolm::pickle(key, 68, |w| self.write_libolm_body(w)))
    }

    #[cfg(feature = "libolm-compat")]
    /// The exact length of [`to_libolm_pickle`](Self::to_libolm_pickle)'s
    /// output, for any key, computed without writing the pickle (libolm's
    /// `olm_pickle_*_length`).
    pub fn libolm_pickle_len(&self) -> usize {
        libolm::pickle_len(|w| self.write_libolm_body(w))
    }

    #[cfg(feature = "libolm-compat")]
    fn write_libolm_body(&self, w: &mut Writer) {
        w.u32_be(LIBOLM_VERSION);
        w.bytes(self.public_key().as_bytes());
        w.bytes(self.to_bytes().as_slice());
    }

    #[cfg(feature = "libolm-compat")]
    /// Reads a libolm PK decryption pickle (version 1).
    pub fn from_libolm_pickle(pickle: &str, key: &[u8]) -> Result<Self, PickleError> {
        crate::stack::scrubbed(|| {
            let body = libolm::decrypt(key, pickle)?;
            let mut r = Reader::new(&body);
            let version = r.u32_be()?;
            if version != LIBOLM_VERSION {
                return Err(PickleError::Version(version));
            }
            let public = r.public_key()?;
            let decryption = Self::from_bytes(r.array::<32>()?);
            r.finish()?;
            if decryption.public_key().as_bytes() != &public {
                return Err(PickleError::Invalid("the public key does not match the secret key"));
            }
            Ok(decryption)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libolm_pickles() {
        // libolm tests/test_pk.cpp: the RFC 7748 Alice key pickled with "secret_key".
        let pickle = "qx37WTQrjZLz5tId/uBX9B3/okqAbV1ofl9UnHKno1eipByCpXleAAlAZoJgYnCDOQZDQWzo3luTSfkF9pU1mOILCbbouubs6TVeDyPfgGD9i86J8irHjA";
        let decryption = PkDecryption::from_libolm_pickle(pickle, b"secret_key").unwrap();
        assert_eq!(
            decryption.public_key().to_base64(),
            "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"
        );
        assert_eq!(decryption.to_libolm_pickle(b"secret_key").unwrap().as_str(), pickle);
        // libolm 3.2.7 (as test-vectors/generator runs it): recipient E1×32 pickled with the empty key.
        let notes = "JJ1vAdTcKRZU2W0K/CGE/C9d36S//zV1SUktqNLQWOyz4XW5V3pf3FJF88v3R/uTPuP0BupSAKbp8ETNr3D5pLwKjjRtkmqTAIfQW4OBcz4AM1NfVIBXBQ";
        assert_eq!(
            PkDecryption::from_bytes(&[0xe1; 32])
                .to_libolm_pickle(b"")
                .unwrap()
                .as_str(),
            notes
        );
        assert_eq!(
            PkDecryption::from_libolm_pickle(notes, b"x").unwrap_err(),
            PickleError::Mac
        );
    }

    #[test]
    fn our_format() {
        let decryption = PkDecryption::from_bytes(&[0xe1; 32]);
        let pickle = decryption.pickle_with_rng(&[5; 32], &mut rand::rng());
        let restored = PkDecryption::from_pickle(&pickle, &[5; 32]).unwrap();
        assert_eq!(restored.public_key(), decryption.public_key());
        assert_eq!(*restored.to_bytes(), *decryption.to_bytes());
        assert!(PkDecryption::from_pickle(&pickle, &[6; 32]).is_err());
    }
}
