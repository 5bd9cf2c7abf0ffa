//! The two protocol variants that Olm and Megolm both have: version 1 with
//! an 8-byte truncated MAC and message version byte 3, and version 2 with
//! the whole 32-byte MAC and version byte 4. The two `SessionConfig` types
//! stay separate (the protocols version independently); this macro gives
//! them one implementation.

/// Defines the private `Version` enum and the methods of the
/// `SessionConfig` in scope, a struct with one field `version: Version`,
/// for the protocol named `$protocol`.
macro_rules! session_config_variants {
    ($protocol:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        enum Version {
            #[default]
            V1,
            V2,
        }

        impl SessionConfig {
            #[doc = concat!($protocol, " version 1, as libolm and vodozemac speak it. The default.")]
            pub const fn version_1() -> Self {
                Self { version: Version::V1 }
            }

            #[doc = concat!($protocol, " version 2: untruncated MACs. Unspecified and experimental (see")]
            /// the type's documentation); never the default.
            pub const fn version_2() -> Self {
                Self { version: Version::V2 }
            }

            /// The variant's number: 1 or 2.
            pub const fn version(&self) -> u8 {
                match self.version {
                    Version::V1 => 1,
                    Version::V2 => 2,
                }
            }

            /// The version byte of the messages this variant writes and
            /// accepts.
            pub(crate) const fn message_version(&self) -> u8 {
                match self.version {
                    Version::V1 => 3,
                    Version::V2 => 4,
                }
            }

            /// The variant whose messages carry version byte `version`.
            pub(crate) const fn from_message_version(version: u8) -> Option<Self> {
                match version {
                    3 => Some(Self::version_1()),
                    4 => Some(Self::version_2()),
                    _ => None,
                }
            }

            /// How many bytes of the HMAC-SHA-256 its messages carry.
            pub(crate) const fn mac_len(&self) -> usize {
                match self.version {
                    Version::V1 => crate::cipher::TRUNCATED_MAC_LEN,
                    Version::V2 => crate::cipher::MAC_LEN,
                }
            }
        }
    };
}

pub(crate) use session_config_variants;
