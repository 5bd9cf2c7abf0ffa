//! Tests that drive the library only through its exported `extern "C"`
//! functions, as a C program would: the known-answer vectors, and the
//! documented differences from libolm.

mod differences;
mod residue;
mod vectors;

/// Quarantines the blocks that a residue test's thread frees, so that the
/// test can search them for secrets (`residue.rs`); every other thread
/// allocates and frees through the system allocator as usual.
#[global_allocator]
static ALLOCATOR: olm_testkit::Quarantine = olm_testkit::Quarantine;
