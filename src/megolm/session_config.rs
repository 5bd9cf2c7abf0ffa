//! Which variant of Megolm a session speaks.

/// The protocol variant of a Megolm session.
///
/// Version 1 is the one in the Matrix specification and in libolm: message
/// version byte 3, AES-256-CBC and an HMAC-SHA-256 truncated to 8 bytes. It
/// is the default.
///
/// Version 2 is vodozemac's experimental variant (its
/// `experimental-session-config` feature): version byte 4 and the whole
/// 32-byte MAC; the session keys are unchanged, so the receiver must be told
/// the variant out of band. It is not specified anywhere and libolm cannot
/// speak it; use it only to interoperate with peers that chose it.
///
/// The type is separate from [`crate::olm::SessionConfig`] because the two
/// protocols version independently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SessionConfig {
    version: Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum Version {
    #[default]
    V1,
    V2,
}

impl SessionConfig {
    /// Megolm version 1, as libolm and vodozemac speak it. The default.
    pub const fn version_1() -> Self {
        Self { version: Version::V1 }
    }

    /// Megolm version 2: untruncated MACs. Unspecified and experimental (see
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

    /// The version byte of the messages this variant writes and accepts.
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

#[cfg(test)]
mod tests {
    use super::SessionConfig;

    #[test]
    fn numbers_name_the_variant_and_version_1_is_the_default() {
        assert_eq!(SessionConfig::version_1().version(), 1);
        assert_eq!(SessionConfig::version_2().version(), 2);
        assert_eq!(SessionConfig::default(), SessionConfig::version_1());
        assert_ne!(SessionConfig::version_1(), SessionConfig::version_2());
        for config in [SessionConfig::version_1(), SessionConfig::version_2()] {
            assert_eq!(
                SessionConfig::from_message_version(config.message_version()),
                Some(config)
            );
        }
        assert_eq!(SessionConfig::version_1().mac_len(), 8);
        assert_eq!(SessionConfig::version_2().mac_len(), 32);
        assert_eq!(SessionConfig::from_message_version(2), None);
        assert_eq!(SessionConfig::from_message_version(5), None);
    }
}
