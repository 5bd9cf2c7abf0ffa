//! The logic of every fuzz target, shared by the libFuzzer binaries in
//! `fuzz_targets/` and by the main crate's `tests/fuzz_corpus.rs`, which
//! includes this file by path and replays `corpus/<target>/` through
//! [`TARGETS`] on every `cargo test`.
//!
//! Targets panic (assert) on any property violation; returning means the
//! input was handled correctly, whether it was accepted or refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    dead_code
)]

#[path = "decoders.rs"]
pub mod decoders;
#[path = "decrypt.rs"]
pub mod decrypt;
#[path = "pickles.rs"]
pub mod pickles;
#[path = "qr_login.rs"]
pub mod qr_login;
#[path = "script.rs"]
pub mod script;
#[path = "seeds.rs"]
pub mod seeds;
#[path = "support.rs"]
pub mod support;

/// A target's name (its `fuzz_targets/<name>.rs` and `corpus/<name>/`) and
/// the function it runs on each input.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, in the order `scripts/fuzz-smoke` runs them.
pub const TARGETS: &[Target] = &[
    ("olm_message", decoders::olm_message),
    ("olm_prekey_message", decoders::olm_prekey_message),
    ("olm_message_from_parts", decoders::olm_message_from_parts),
    ("megolm_message", decoders::megolm_message),
    ("session_key", decoders::session_key),
    ("exported_session_key", decoders::exported_session_key),
    ("keys", decoders::keys),
    ("sas_mac", decoders::sas_mac),
    ("pk_message", decoders::pk_message),
    ("ecies_message", qr_login::ecies_message),
    ("hpke_message", qr_login::hpke_message),
    ("dehydrated_device", qr_login::dehydrated_device),
    ("pickle", pickles::pickle),
    ("pickle_body", pickles::pickle_body),
    ("libolm_pickle", pickles::libolm_pickle),
    ("libolm_pickle_body", pickles::libolm_pickle_body),
    ("vodozemac_pickle", pickles::vodozemac_pickle),
    ("vodozemac_json", pickles::vodozemac_json),
    ("olm_decrypt", decrypt::olm_decrypt),
    ("megolm_decrypt", decrypt::megolm_decrypt),
    ("interaction", script::interaction),
    ("differential", script::differential),
];
