//! vodozemac's Megolm `SessionConfig`, with its serde form.

use serde::{Deserialize, Serialize};

/// A struct to configure how Megolm sessions should work under the hood.
/// Currently only the MAC truncation behaviour can be configured.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SessionConfig {
    version: Version,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
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

    /// Create a `SessionConfig` for the Megolm version 1. This version of Megolm
    /// will use AES-256 and HMAC with a truncated MAC to encrypt individual
    /// messages. The MAC will be truncated to 8 bytes.
    pub const fn version_1() -> Self {
        SessionConfig { version: Version::V1 }
    }

    /// Creates a [`SessionConfig`] for Megolm version 2: the MAC is not
    /// truncated.
    #[cfg(feature = "experimental-session-config")]
    pub const fn version_2() -> Self {
        SessionConfig { version: Version::V2 }
    }

    pub(crate) fn to_olm(self) -> ::olm::megolm::SessionConfig {
        match self.version {
            Version::V1 => ::olm::megolm::SessionConfig::version_1(),
            #[cfg(feature = "experimental-session-config")]
            Version::V2 => ::olm::megolm::SessionConfig::version_2(),
        }
    }

    /// The config of an `olm` Megolm session; `None` for one this build cannot name
    /// (version 2 without `experimental-session-config`).
    pub(crate) fn from_olm(config: ::olm::megolm::SessionConfig) -> Option<Self> {
        Self::from_version(config.version())
    }

    pub(crate) fn from_version(version: u8) -> Option<Self> {
        match version {
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
