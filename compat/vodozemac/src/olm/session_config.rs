//! vodozemac's Olm `SessionConfig`, with its serde form.

crate::session_config::session_config!("Olm", ::olm::olm::SessionConfig);
