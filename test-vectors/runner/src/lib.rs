//! What the two known-answer vector runners share: the Rust API's
//! (`tests/vectors.rs`) and the C API's (`capi/src/tests/vectors.rs`). The
//! format is `test-vectors/README.md`.
//!
//! - [`schema`]: the keys each kind, object, event and case may carry; any
//!   other key fails its vector, so a misspelled field is never ignored.
//! - [`class`]: the failure classes of the format, parsed strictly, and the
//!   one way an expected failure is judged.
//! - [`fields`]: typed field access and comparison; [`model`]: the parts
//!   of a vector both runners read into the same shape.
//! - [`run`]: the loop over the files (format, kind, a non-empty `vectors`
//!   array, each vector checked against the schema, then run), with the
//!   per-kind lines and the total both runners print.
//!
//! A runner's own code is only what drives its API.

// A test harness: a panic is a failed vector, caught and reported by `run`.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub mod class;
pub mod fields;
pub mod model;
pub mod run;
pub mod schema;

pub use olm_testkit::hex;

/// The result of running one vector, or one part of it: the reason it
/// failed.
pub type Outcome = Result<(), String>;
