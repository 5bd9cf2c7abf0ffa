//! Which variant of Olm a session speaks.

/// The protocol variant of an Olm session.
///
/// Version 1 is the one in the Matrix specification and in libolm: normal
/// messages carry version byte 3 and an HMAC-SHA-256 truncated to 8 bytes.
/// It is the default.
///
/// Version 2 is vodozemac's experimental variant (its
/// `experimental-session-config` feature): normal messages carry version
/// byte 4 and the whole 32-byte MAC. It is not specified anywhere, libolm
/// cannot speak it, and both ends must agree on it out of band; use it only
/// to interoperate with peers that chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SessionConfig {
    version: Version,
}

crate::session_config::session_config_variants!("Olm");

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
