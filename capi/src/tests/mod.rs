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

use crate::account::{
    OlmAccount, olm_account_identity_keys, olm_account_identity_keys_length, olm_account_one_time_keys,
    olm_account_one_time_keys_length,
};

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

pub(super) fn json(account: *mut OlmAccount, one_time_keys: bool) -> serde_json::Value {
    // SAFETY: a live account; buffers sized by the length functions.
    let bytes = unsafe {
        if one_time_keys {
            let mut out = vec![0u8; olm_account_one_time_keys_length(account)];
            olm_account_one_time_keys(account, vm(&mut out), out.len());
            out
        } else {
            let mut out = vec![0u8; olm_account_identity_keys_length(account)];
            olm_account_identity_keys(account, vm(&mut out), out.len());
            out
        }
    };
    serde_json::from_slice(&bytes).unwrap()
}

pub(super) fn curve_identity(account: *mut OlmAccount) -> String {
    json(account, false)["curve25519"].as_str().unwrap().to_owned()
}

pub(super) fn first_one_time_key(account: *mut OlmAccount) -> String {
    let keys = json(account, true);
    keys["curve25519"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}
