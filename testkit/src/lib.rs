//! Test-only helpers for the olm crates.
//!
//! [`Quarantine`] is a global allocator for test binaries that keeps every
//! block freed by a recording thread instead of releasing it, so that a test
//! can search all freed memory for the secrets it knows: residue that a
//! missing wipe leaves behind. [`libolm_body`] names the secrets a libolm
//! pickle shows, for such tests to look for, and [`stack`] reads what a call
//! left on the stack. [`hex`] is the repository's one hex helper for tests.

pub mod hex;
pub mod libolm_body;
mod quarantine;
pub mod stack;

pub use quarantine::{Hit, Quarantine, Recording, Report};
