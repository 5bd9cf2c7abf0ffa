//! What every pickled object shares: how its body is sealed in our format
//! or encrypted in libolm's, and the public methods that do it. Each object
//! says only how its body is written and read ([`OurBody`], [`LibolmBody`]).

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

/// An object's body in our format.
pub(super) trait OurBody: Sized {
    /// The object kind the envelope names, so that one object's pickle is
    /// never read as another's.
    const KIND: Kind;
    fn write(&self, w: &mut Writer);
    /// Reads the body; the caller checks that nothing follows it.
    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError>;
}

/// An object's body in libolm's format, its version first.
#[cfg(feature = "libolm-compat")]
pub(super) trait LibolmBody: Sized {
    /// Whether libolm can hold the object's state: an object that it cannot
    /// is an error, never a pickle with state left out.
    fn check_libolm(&self) -> Result<(), PickleError> {
        Ok(())
    }
    fn write_libolm(&self, w: &mut Writer);
    /// Reads the body; the caller checks that nothing follows it.
    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError>;
}

pub(super) fn seal<T: OurBody, R: CryptoRng + ?Sized>(
    object: &T,
    key: &[u8; PICKLE_KEY_LENGTH],
    rng: &mut R,
) -> Zeroizing<String> {
    crate::stack::scrubbed(|| envelope::seal(T::KIND, &Writer::exact(|w| object.write(w)), key, rng))
}

pub(super) fn open<T: OurBody>(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<T, PickleError> {
    crate::stack::scrubbed(|| {
        let body = envelope::open(T::KIND, pickle, key)?;
        let mut r = Reader::new(&body);
        let object = T::read(&mut r)?;
        r.finish()?;
        Ok(object)
    })
}

#[cfg(feature = "libolm-compat")]
pub(super) fn to_libolm<T: LibolmBody>(object: &T, key: &[u8]) -> Result<Zeroizing<String>, PickleError> {
    object.check_libolm()?;
    Ok(libolm::pickle(key, |w| object.write_libolm(w)))
}

#[cfg(feature = "libolm-compat")]
pub(super) fn libolm_len<T: LibolmBody>(object: &T) -> usize {
    libolm::pickle_len(|w| object.write_libolm(w))
}

#[cfg(feature = "libolm-compat")]
pub(super) fn from_libolm<T: LibolmBody>(pickle: &str, key: &[u8]) -> Result<T, PickleError> {
    crate::stack::scrubbed(|| {
        let body = libolm::decrypt(key, pickle)?;
        let mut r = Reader::new(&body);
        let object = T::read_libolm(&mut r)?;
        r.finish()?;
        Ok(object)
    })
}

/// The public pickle methods of an object, in our format and libolm's,
/// with the notes that differ between objects.
macro_rules! pickle_methods {
    (
        $object:ty, $noun:literal,
        ours: $ours_doc:literal,
        to_libolm: $to_doc:literal,
        from_libolm: $from_doc:literal $(,)?
    ) => {
        impl $object {
            #[doc = concat!("Pickles the ", $noun, " in our format, with a nonce from the operating system's generator.")]
            #[cfg(feature = "std")]
            pub fn pickle(&self, key: &[u8; $crate::pickle::PICKLE_KEY_LENGTH]) -> zeroize::Zeroizing<alloc::string::String> {
                self.pickle_with_rng(key, &mut rand::rng())
            }

            #[doc = concat!("Pickles the ", $noun, " in our format, drawing the 16-byte nonce from `rng`.")]
            #[doc = ""]
            #[doc = $ours_doc]
            pub fn pickle_with_rng<R: rand::CryptoRng + ?Sized>(
                &self,
                key: &[u8; $crate::pickle::PICKLE_KEY_LENGTH],
                rng: &mut R,
            ) -> zeroize::Zeroizing<alloc::string::String> {
                super::methods::seal(self, key, rng)
            }

            #[doc = concat!("Restores the ", $noun, " from our pickle format.")]
            pub fn from_pickle(
                pickle: &str,
                key: &[u8; $crate::pickle::PICKLE_KEY_LENGTH],
            ) -> Result<Self, $crate::pickle::PickleError> {
                super::methods::open(pickle, key)
            }

            #[cfg(feature = "libolm-compat")]
            #[doc = concat!("Writes the ", $noun, " as libolm's pickle, byte for byte as libolm would for the same state: libolm derives its IV from the key, so equal states give equal pickles under one key.")]
            #[doc = ""]
            #[doc = $to_doc]
            pub fn to_libolm_pickle(
                &self,
                key: &[u8],
            ) -> Result<zeroize::Zeroizing<alloc::string::String>, $crate::pickle::PickleError> {
                super::methods::to_libolm(self, key)
            }

            #[cfg(feature = "libolm-compat")]
            /// The exact length of [`to_libolm_pickle`](Self::to_libolm_pickle)'s
            /// output, for any key, computed without writing the pickle (libolm's
            /// `olm_pickle_*_length`).
            pub fn libolm_pickle_len(&self) -> usize {
                super::methods::libolm_len(self)
            }

            #[cfg(feature = "libolm-compat")]
            #[doc = concat!("Reads libolm's pickle of a ", $noun, ".")]
            #[doc = ""]
            #[doc = $from_doc]
            pub fn from_libolm_pickle(pickle: &str, key: &[u8]) -> Result<Self, $crate::pickle::PickleError> {
                super::methods::from_libolm(pickle, key)
            }
        }
    };
}
pub(super) use pickle_methods;
