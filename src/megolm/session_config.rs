//! Which variant of Megolm a session speaks.

/// The protocol variant of a Megolm session.
///
/// Only version 1 exists in the specification and in libolm: message version
/// byte 3, AES-256-CBC and an HMAC-SHA-256 truncated to 8 bytes. The type
/// exists so that a later variant can be added without changing signatures,
/// and it is separate from [`crate::olm::SessionConfig`] because the two
/// protocols version independently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SessionConfig {
    _version: Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum Version {
    #[default]
    V1,
}

impl SessionConfig {
    /// Megolm version 1, as libolm and vodozemac speak it. The default.
    pub const fn version_1() -> Self {
        Self { _version: Version::V1 }
    }

    /// The variant's number (1).
    pub const fn version(&self) -> u8 {
        1
    }
}
