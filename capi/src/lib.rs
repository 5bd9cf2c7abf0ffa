//! A memory-safe drop-in replacement for libolm 3.2's C API, on top of the
//! pure-Rust `olm` crate.
//!
//! Built as `libolm.so` (soname `libolm.so.3`) and `libolm.a`, with the
//! headers in `include/olm/`, it exports every function of libolm 3.2's
//! public headers (the ~150 that the `olm-sys` crate binds; 3.2.7 and 3.2.16
//! declare the same ones) with libolm's signatures, lengths, error codes,
//! JSON and pickle formats. The cryptography is the core crate's; this crate
//! only translates between C buffers and Rust values.
//! `docs/libolm-drop-in.md` tells how to build, install and relink, and lists
//! where behaviour differs from libolm.
//!
//! # Objects
//!
//! libolm's objects are plain structs in memory the caller allocates. Here
//! that memory ([`object::OBJECT_SIZE`] bytes for every kind) holds a small
//! header: a magic number naming the kind of object, the last error code and
//! a pointer to the Rust object, boxed on the heap (null while the object is
//! empty). Every function checks the magic number first, so a null pointer or
//! memory of another kind fails cleanly instead of being misread.
//! `olm_clear_*` drops the Rust object, which wipes its secrets, and leaves a
//! fresh empty object, as libolm does.
//!
//! # Safety
//!
//! Every exported function has libolm's contract, stated once here rather
//! than on each function: object pointers are null or point to memory set up
//! by the matching `olm_*()` initialiser and not copied elsewhere; every
//! `(pointer, length)` pair is null or valid for that many bytes (readable
//! for inputs, writable for outputs) for the duration of the call; no object
//! is used by two threads at once. Within that contract no input can cause
//! undefined behaviour or a panic across the boundary: every entry point
//! catches panics and reports them as an error code.
//!
//! Inputs are only read. Outputs are written only up to the lengths the
//! `*_length` functions announce, after the buffer's length was checked.

#![allow(clippy::missing_safety_doc)] // the contract above covers every export

pub mod account;
mod buf;
mod encoding;
mod envelope;
pub mod error;
pub mod megolm;
pub mod object;
pub mod pk;
mod rng;
pub mod sas;
pub mod session;
#[cfg(test)]
mod tests;
pub mod utility;

use std::ffi::c_void;

pub use envelope::{_olm_enc_input, _olm_enc_output, _olm_enc_output_length, _olm_enc_output_pos};
pub use error::{_olm_error_to_string, OlmErrorCode};

/// The libolm version this library reports: 3.2.16, the last release, whose
/// public declarations are the same as 3.2.7's (`scripts/capi-tests` checks
/// our headers against both), so that programs that refuse older libolms
/// accept this one.
pub const LIBOLM_VERSION: (u8, u8, u8) = (3, 2, 16);

/// Writes the libolm version this library reports (3.2.16) through each
/// non-null pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_get_library_version(major: *mut u8, minor: *mut u8, patch: *mut u8) {
    let (v_major, v_minor, v_patch) = LIBOLM_VERSION;
    for (out, value) in [(major, v_major), (minor, v_minor), (patch, v_patch)] {
        if !out.is_null() {
            // SAFETY: a non-null argument points to a writable byte (libolm's
            // contract for this function).
            unsafe { out.write(value) };
        }
    }
}

/// The value every fallible function returns on failure: `(size_t)-1`.
#[unsafe(no_mangle)]
pub extern "C" fn olm_error() -> usize {
    usize::MAX
}

/// Casts an object pointer of any kind to the untyped pointer the object
/// helpers take.
pub(crate) fn untyped<T>(ptr: *const T) -> *mut c_void {
    ptr.cast_mut().cast()
}
