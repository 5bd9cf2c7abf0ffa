//! The caller's buffers: `(pointer, length)` pairs, vouched for once by an
//! `unsafe` constructor at the top of each exported function, then read as
//! slices and written with checked copies.
//!
//! A null pointer is an empty buffer, whatever length comes with it, so that
//! the usual length checks reject it. A length no real buffer can have (over
//! `isize::MAX`) is treated the same way.

use std::{ffi::c_void, ptr, slice};

use zeroize::Zeroize;

use crate::error::OlmErrorCode;

fn usable_len(ptr: *const c_void, len: usize) -> usize {
    if ptr.is_null() || isize::try_from(len).is_err() {
        0
    } else {
        len
    }
}

/// An input buffer.
#[derive(Clone, Copy)]
pub struct In {
    ptr: *const u8,
    len: usize,
}

impl In {
    /// Wraps an input buffer.
    ///
    /// # Safety
    ///
    /// `ptr` is null or valid for reads of `len` bytes until the exported
    /// function returns, and nothing writes to them meanwhile.
    pub unsafe fn new(ptr: *const c_void, len: usize) -> Self {
        Self {
            len: usable_len(ptr, len),
            ptr: ptr.cast(),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `new`'s contract; `len` is non-zero only for a non-null
        // pointer and a length slices allow.
        unsafe { slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The length (0 for a null pointer).
    pub fn len(&self) -> usize {
        self.len
    }
}

/// An output buffer.
#[derive(Clone, Copy)]
pub struct Out {
    ptr: *mut u8,
    len: usize,
}

impl Out {
    /// Wraps an output buffer.
    ///
    /// # Safety
    ///
    /// `ptr` is null or valid for writes of `len` bytes until the exported
    /// function returns, and overlaps no other buffer of the call.
    pub unsafe fn new(ptr: *mut c_void, len: usize) -> Self {
        Self {
            len: usable_len(ptr, len),
            ptr: ptr.cast(),
        }
    }

    /// The capacity (0 for a null pointer).
    pub fn capacity(&self) -> usize {
        self.len
    }

    /// `OUTPUT_BUFFER_TOO_SMALL` unless the buffer holds `needed` bytes.
    pub fn check(&self, needed: usize) -> Result<(), OlmErrorCode> {
        if self.len >= needed {
            Ok(())
        } else {
            Err(OlmErrorCode::OutputBufferTooSmall)
        }
    }

    /// Copies `data` to the start of the buffer, or fails with
    /// `OUTPUT_BUFFER_TOO_SMALL`, writing nothing. Returns `data.len()`.
    pub fn write(&self, data: &[u8]) -> Result<usize, OlmErrorCode> {
        self.check(data.len())?;
        if !data.is_empty() {
            // SAFETY: `new`'s contract and the check above: the buffer holds
            // `data.len()` writable bytes; `data` is not the caller's memory
            // (or is another buffer, which it may not overlap).
            unsafe { ptr::copy_nonoverlapping(data.as_ptr(), self.ptr, data.len()) };
        }
        Ok(data.len())
    }
}

/// A buffer of random bytes that is read, then wiped.
pub struct Random {
    ptr: *mut u8,
    len: usize,
}

impl Random {
    /// Wraps a random buffer.
    ///
    /// # Safety
    ///
    /// `ptr` is null or valid for reads and writes of `len` bytes until the
    /// exported function returns, and overlaps no other buffer of the call.
    pub unsafe fn new(ptr: *mut c_void, len: usize) -> Self {
        Self {
            len: usable_len(ptr, len),
            ptr: ptr.cast(),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `new`'s contract, as for `In::bytes`.
        unsafe { slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The length (0 for a null pointer).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Overwrites the bytes with zeros, as libolm does after using them.
    /// Taking `self` ends every borrow of the bytes first.
    pub fn wipe(self) {
        if self.len > 0 {
            // SAFETY: `new`'s contract; no slice from `bytes` outlives `self`.
            unsafe { slice::from_raw_parts_mut(self.ptr, self.len) }.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_empty() {
        // SAFETY: null pointers are never dereferenced.
        let (input, output, random) = unsafe {
            (
                In::new(ptr::null(), 10),
                Out::new(ptr::null_mut(), 10),
                Random::new(ptr::null_mut(), 10),
            )
        };
        assert_eq!(input.bytes(), b"");
        assert_eq!(output.write(b"x"), Err(OlmErrorCode::OutputBufferTooSmall));
        assert_eq!(output.write(b""), Ok(0));
        assert_eq!(random.len(), 0);
        random.wipe();
    }

    #[test]
    fn copies_and_wipes() {
        let mut out = [7u8; 4];
        // SAFETY: `out` holds 4 bytes and is used through `output` only.
        let output = unsafe { Out::new(out.as_mut_ptr().cast(), 4) };
        assert_eq!(output.write(b"ab"), Ok(2));
        assert_eq!(output.write(b"abcde"), Err(OlmErrorCode::OutputBufferTooSmall));
        assert_eq!(&out, b"ab\x07\x07");
        // SAFETY: as above.
        let random = unsafe { Random::new(out.as_mut_ptr().cast(), 4) };
        assert_eq!(random.bytes(), b"ab\x07\x07");
        random.wipe();
        assert_eq!(out, [0; 4]);
    }
}
