//! vodozemac's four pickle structs, each on `olm`'s struct of the same
//! layout (`olm::pickle::vodozemac`).
//!
//! vodozemac turns a pickle into an object infallibly; `olm` checks the
//! state first. So a pickle here is checked when it is read (deserialized
//! or decrypted): one that describes an invalid object fails there, with
//! vodozemac's error type, and converting a pickle that was read into an
//! object cannot fail. A pickle made from a live object (`x.pickle()`)
//! holds that object's state and converts back to it.

/// Defines the facade's pickle struct `$pickle` for the facade object
/// `$object` (a newtype of `olm`'s `$olm`, whose vodozemac pickle struct is
/// `$olm_pickle`).
macro_rules! facade_pickle {
    ($object:ident, $olm:ty, $pickle:ident, $olm_pickle:ty) => {
        /// A format suitable for serialization which implements
        /// [`serde::Serialize`] and [`serde::Deserialize`]: vodozemac's
        /// layout, field for field. Unlike vodozemac's, it is checked when
        /// read, so turning it into the object cannot fail.
        pub struct $pickle(PickleState);

        enum PickleState {
            /// Read and checked: the object itself.
            Read($olm),
            /// Written from a live object: its state.
            Written($olm_pickle),
        }

        impl $pickle {
            fn written(object: &$olm) -> Self {
                Self(PickleState::Written(<$olm_pickle>::from(object)))
            }

            fn into_olm_pickle(self) -> $olm_pickle {
                match self.0 {
                    PickleState::Read(object) => <$olm_pickle>::from(&object),
                    PickleState::Written(pickle) => pickle,
                }
            }

            /// Serialize and encrypt the pickle using the given key.
            pub fn encrypt(self, pickle_key: &[u8; 32]) -> String {
                self.into_olm_pickle().encrypt(pickle_key)
            }

            /// Obtain a pickle from a ciphertext by decrypting and
            /// deserializing using the given key.
            pub fn from_encrypted(ciphertext: &str, pickle_key: &[u8; 32]) -> Result<Self, crate::PickleError> {
                Ok(Self(PickleState::Read(<$olm>::from_vodozemac_pickle(
                    ciphertext, pickle_key,
                )?)))
            }
        }

        impl From<$pickle> for $object {
            fn from(pickle: $pickle) -> Self {
                match pickle.0 {
                    PickleState::Read(object) => Self(object),
                    // State written from a live object passes the checks
                    // it passed when that object was made.
                    PickleState::Written(pickle) => match <$olm>::try_from(pickle) {
                        Ok(object) => Self(object),
                        Err(error) => unreachable!("a pickle of a live object failed its checks: {error}"),
                    },
                }
            }
        }

        impl serde::Serialize for $pickle {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match &self.0 {
                    PickleState::Read(object) => <$olm_pickle>::from(object).serialize(serializer),
                    PickleState::Written(pickle) => pickle.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $pickle {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let pickle = <$olm_pickle>::deserialize(deserializer)?;
                let object = <$olm>::try_from(pickle).map_err(serde::de::Error::custom)?;
                Ok(Self(PickleState::Read(object)))
            }
        }
    };
}

pub(crate) use facade_pickle;
