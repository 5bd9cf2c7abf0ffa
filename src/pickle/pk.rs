//! Pickles of [`PkDecryption`] keys.
//!
//! libolm's layout (version 1): `u32 version · public key (32) · secret key
//! (32)`. Ours holds the 32-byte secret alone; the public key is derived.

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

#[cfg(feature = "libolm-compat")]
use super::methods::LibolmBody;
use super::{
    PickleError,
    codec::{Reader, Writer},
    envelope::Kind,
    methods::{OurBody, pickle_methods},
};
use crate::pk::PkDecryption;

const LIBOLM_VERSION: u32 = 1;

impl OurBody for PkDecryption {
    const KIND: Kind = Kind::PkDecryption;

    fn write(&self, w: &mut Writer) {
        w.bytes(self.to_bytes().as_slice());
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        Ok(Self::from_bytes(r.array::<32>()?))
    }
}

#[cfg(feature = "libolm-compat")]
impl LibolmBody for PkDecryption {
    fn write_libolm(&self, w: &mut Writer) {
        w.u32_be(LIBOLM_VERSION);
        w.bytes(self.public_key().as_bytes());
        w.bytes(self.to_bytes().as_slice());
    }

    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        r.version(&[LIBOLM_VERSION])?;
        let public = r.public_key()?;
        let decryption = Self::from_bytes(r.array::<32>()?);
        if decryption.public_key().as_bytes() != &public {
            return Err(PickleError::Invalid("the public key does not match the secret key"));
        }
        Ok(decryption)
    }
}

pickle_methods!(
    PkDecryption,
    "key",
    ours: "The body is the 32-byte secret alone; the public key is derived when it is read.",
    to_libolm: "libolm's version 1: the public key, then the secret.",
    from_libolm: "Version 1; a public key that does not match the secret is refused.",
);

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
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
