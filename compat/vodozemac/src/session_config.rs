//! vodozemac's two `SessionConfig` types (Olm's and Megolm's), with their
//! serde form: the same shape on two `olm` types.

/// Defines `SessionConfig` for the protocol `$protocol` ("Olm" or
/// "Megolm"), converting to and from `olm`'s `$olm`.
macro_rules! session_config {
    ($protocol:literal, $olm:ty) => {
        #[doc = concat!("A struct to configure how ", $protocol, " sessions should work under the hood.")]
        /// Currently only the MAC truncation behaviour can be configured.
        #[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
        pub struct SessionConfig {
            version: Version,
        }

        #[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
        enum Version {
            V1 = 1,
            #[cfg(feature = "experimental-session-config")]
            V2 = 2,
        }

        impl SessionConfig {
            /// Get the numeric version of this `SessionConfig`.
            pub const fn version(&self) -> u8 {
                self.version as u8
            }

            #[doc = concat!("Create a `SessionConfig` for ", $protocol, " version 1: AES-256 and HMAC,")]
            /// with the MAC truncated to 8 bytes.
            pub const fn version_1() -> Self {
                SessionConfig { version: Version::V1 }
            }

            #[doc = concat!("Creates a `SessionConfig` for ", $protocol, " version 2: the MAC is not")]
            /// truncated.
            #[cfg(feature = "experimental-session-config")]
            pub const fn version_2() -> Self {
                SessionConfig { version: Version::V2 }
            }

            pub(crate) fn to_olm(self) -> $olm {
                match self.version {
                    Version::V1 => <$olm>::version_1(),
                    #[cfg(feature = "experimental-session-config")]
                    Version::V2 => <$olm>::version_2(),
                }
            }

            /// The config of an `olm` session; `None` for one this build
            /// cannot name (version 2 without `experimental-session-config`).
            pub(crate) fn from_olm(config: $olm) -> Option<Self> {
                match config.version() {
                    1 => Some(Self::version_1()),
                    #[cfg(feature = "experimental-session-config")]
                    2 => Some(Self::version_2()),
                    _ => None,
                }
            }
        }

        impl Default for SessionConfig {
            fn default() -> Self {
                Self::version_1()
            }
        }
    };
}

pub(crate) use session_config;
