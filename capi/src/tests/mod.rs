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

use std::ffi::c_void;

/// A buffer as the `const void *` the C functions take.
fn vp(bytes: &[u8]) -> *const c_void {
    bytes.as_ptr().cast()
}

/// A buffer as the `void *` the C functions take.
fn vm(bytes: &mut [u8]) -> *mut c_void {
    bytes.as_mut_ptr().cast()
}

/// Memory for one object of `size` bytes, with the object made in it.
fn memory<T>(size: usize, init: unsafe extern "C" fn(*mut c_void) -> *mut T) -> (Vec<u8>, *mut T) {
    let mut memory = vec![0u8; size];
    // SAFETY: the buffer holds `size` bytes.
    let ptr = unsafe { init(memory.as_mut_ptr().cast()) };
    (memory, ptr)
}
