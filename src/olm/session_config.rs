//! Which variant of Olm a session speaks.

/// The protocol variant of an Olm session.
///
/// Only version 1 exists in the specification and in libolm: message version
/// byte 3 and MACs truncated to 8 bytes. The type exists so that a later
/// variant can be added without changing signatures.
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
    /// Olm version 1, as libolm and vodozemac speak it. The default.
    pub const fn version_1() -> Self {
        Self { _version: Version::V1 }
    }

    /// The variant's number (1).
    pub const fn version(&self) -> u8 {
        1
    }
}
