//! vodozemac's Megolm `SessionConfig`, with its serde form.

crate::session_config::session_config!("Megolm", ::olm::megolm::SessionConfig);
