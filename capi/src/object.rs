//! The objects handed to C: a header in the caller's memory pointing to a
//! boxed Rust object.
//!
//! ```text
//! caller's memory (OBJECT_SIZE bytes)        heap
//! ┌──────────┬────────────┬──────────┬───────┐
//! │ magic u64│ last error │ reserved │ state ├──► Box<K::State> (or null:
//! │          │ u32        │ u32      │ *mut  │     an empty object)
//! └──────────┴────────────┴──────────┴───────┘
//! ```
//!
//! The header is read and written unaligned, since C callers may hand any
//! byte buffer. Only [`Object::replace`] frees the boxed state (dropping it
//! wipes the secrets), and [`clear`] on top of it wipes the header.

use std::{
    ffi::{CStr, c_char, c_void},
    marker::PhantomData,
    panic::{AssertUnwindSafe, catch_unwind},
    ptr,
};

use zeroize::Zeroize;

use crate::error::OlmErrorCode;

/// The size of every kind of object, as the `olm_*_size()` functions report
/// it. The same for all kinds, so that memory sized for one kind holds any
/// other (libolm's own tests rely on an account's size being enough for a
/// session).
pub const OBJECT_SIZE: usize = 64;

/// The last error code read for a pointer that is not an object of the
/// expected kind: outside the enumeration, so its name is `UNKNOWN_ERROR`.
pub const NOT_AN_OBJECT: u32 = u32::MAX;

/// The code reported when a panic (a bug in this library) is caught at the
/// boundary.
pub const PANIC_CODE: OlmErrorCode = OlmErrorCode::BadMessageFormat;

#[repr(C)]
#[derive(Clone, Copy)]
struct Header {
    magic: u64,
    last_error: u32,
    reserved: u32,
    state: *mut c_void,
}

const _: () = assert!(size_of::<Header>() <= OBJECT_SIZE);

/// A kind of object.
pub trait Kind {
    /// Tells objects of this kind from other kinds and from memory that was
    /// never set up.
    const MAGIC: u64;
    /// The code reported when a function needs the state of an empty object.
    const EMPTY: OlmErrorCode;
    /// What a set-up object holds.
    type State;
}

/// An object of kind `K` in the caller's memory, for the duration of one
/// call.
pub struct Object<K: Kind> {
    header: *mut Header,
    kind: PhantomData<K>,
}

impl<K: Kind> Object<K> {
    /// The object at `ptr`, if `ptr` is non-null and holds kind `K`'s magic.
    ///
    /// # Safety
    ///
    /// `ptr` is null or valid for reads and writes of [`OBJECT_SIZE`] bytes
    /// during the call, and if it holds `K`'s magic it was set up by [`init`]
    /// (so its state pointer is null or owned by it).
    pub unsafe fn from_ptr(ptr: *mut c_void) -> Option<Self> {
        if ptr.is_null() {
            return None;
        }
        let header = ptr.cast::<Header>();
        // SAFETY: `ptr` is valid for OBJECT_SIZE bytes (the caller's
        // contract), which hold a header; the read is unaligned.
        let magic = unsafe { ptr::addr_of!((*header).magic).read_unaligned() };
        (magic == K::MAGIC).then_some(Self {
            header,
            kind: PhantomData,
        })
    }

    fn read(&self) -> Header {
        // SAFETY: `from_ptr` checked the header is valid and ours.
        unsafe { self.header.read_unaligned() }
    }

    fn write(&mut self, header: Header) {
        // SAFETY: as in `read`; the memory is writable by contract.
        unsafe { self.header.write_unaligned(header) }
    }

    /// The last error code recorded.
    pub fn last_error(&self) -> u32 {
        self.read().last_error
    }

    /// Records `code` as the last error.
    pub fn set_error(&mut self, code: OlmErrorCode) {
        let mut header = self.read();
        header.last_error = code as u32;
        self.write(header);
    }

    /// The object's state, or `K::EMPTY` if it has none.
    pub fn state(&self) -> Result<&K::State, OlmErrorCode> {
        let state = self.read().state.cast::<K::State>();
        // SAFETY: a non-null state pointer was made by `Box::into_raw` in
        // `replace` for this kind (the magic says so) and is freed only by
        // `replace`, which needs `&mut self`: it outlives this borrow.
        unsafe { state.as_ref() }.ok_or(K::EMPTY)
    }

    /// The object's state, mutably, or `K::EMPTY` if it has none.
    pub fn state_mut(&mut self) -> Result<&mut K::State, OlmErrorCode> {
        let state = self.read().state.cast::<K::State>();
        // SAFETY: as in `state`, and `&mut self` makes the borrow unique.
        unsafe { state.as_mut() }.ok_or(K::EMPTY)
    }

    /// Whether the object is empty (never set up, or cleared).
    pub fn is_empty(&self) -> bool {
        self.read().state.is_null()
    }

    /// Replaces the state, dropping (and so wiping) the old one.
    pub fn replace(&mut self, state: Option<K::State>) {
        let mut header = self.read();
        let old = header.state.cast::<K::State>();
        header.state = state.map_or(ptr::null_mut(), |state| Box::into_raw(Box::new(state)).cast());
        self.write(header);
        if !old.is_null() {
            // SAFETY: `old` came from `Box::into_raw` in an earlier `replace`
            // and the header no longer refers to it.
            drop(unsafe { Box::from_raw(old) });
        }
    }
}

/// Sets up an empty object of kind `K` in `memory`, overwriting whatever was
/// there (as libolm does: a state still held there is leaked, not freed,
/// since the memory may be garbage). Returns `memory`.
///
/// # Safety
///
/// `memory` is null or valid for writes of [`OBJECT_SIZE`] bytes.
pub unsafe fn init<K: Kind>(memory: *mut c_void) -> *mut c_void {
    if !memory.is_null() {
        // SAFETY: `memory` is valid for OBJECT_SIZE bytes of writes.
        let bytes = unsafe { std::slice::from_raw_parts_mut(memory.cast::<u8>(), OBJECT_SIZE) };
        bytes.fill(0);
        let header = Header {
            magic: K::MAGIC,
            last_error: OlmErrorCode::Success as u32,
            reserved: 0,
            state: ptr::null_mut(),
        };
        // SAFETY: as above; the write is unaligned.
        unsafe { memory.cast::<Header>().write_unaligned(header) };
    }
    memory
}

/// `olm_clear_*`: drops the object's state (wiping its secrets), wipes the
/// memory and sets up a fresh empty object in it. Memory that does not hold
/// an object of kind `K` is only overwritten. Returns [`OBJECT_SIZE`], or
/// `olm_error()` for a null pointer.
///
/// # Safety
///
/// As [`Object::from_ptr`].
pub unsafe fn clear<K: Kind>(memory: *mut c_void) -> usize {
    if memory.is_null() {
        return usize::MAX;
    }
    let dropped = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's contract, passed on.
        if let Some(mut object) = unsafe { Object::<K>::from_ptr(memory) } {
            object.replace(None);
        }
    }));
    // SAFETY: `memory` is valid for OBJECT_SIZE bytes of writes.
    let bytes = unsafe { std::slice::from_raw_parts_mut(memory.cast::<u8>(), OBJECT_SIZE) };
    bytes.zeroize();
    // SAFETY: as above.
    unsafe { init::<K>(memory) };
    match dropped {
        Ok(()) => OBJECT_SIZE,
        Err(_) => usize::MAX,
    }
}

/// Runs a `size_t` function on the object at `ptr`: `f`'s error is recorded
/// as the last error and turned into `olm_error()`; a panic is caught and
/// reported as [`PANIC_CODE`]. A pointer that is not an object of kind `K`
/// gives `olm_error()` and records nothing.
///
/// # Safety
///
/// As [`Object::from_ptr`].
pub unsafe fn run<K: Kind>(ptr: *mut c_void, f: impl FnOnce(&mut Object<K>) -> Result<usize, OlmErrorCode>) -> usize {
    // SAFETY: the caller's contract, passed on.
    let Some(mut object) = (unsafe { Object::<K>::from_ptr(ptr) }) else {
        return usize::MAX;
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut object)));
    match outcome {
        Ok(Ok(value)) => value,
        Ok(Err(code)) => {
            object.set_error(code);
            usize::MAX
        }
        Err(_) => {
            object.set_error(PANIC_CODE);
            usize::MAX
        }
    }
}

/// Runs a function that cannot fail (a length, a flag, an index) on the
/// object at `ptr`; `fallback` is returned for a pointer that is not an
/// object of kind `K`, or if a panic is caught.
///
/// # Safety
///
/// As [`Object::from_ptr`].
pub unsafe fn peek<K: Kind, R>(ptr: *const c_void, fallback: R, f: impl FnOnce(&Object<K>) -> R) -> R {
    // SAFETY: the caller's contract, passed on; `query` only reads.
    let Some(object) = (unsafe { Object::<K>::from_ptr(ptr.cast_mut()) }) else {
        return fallback;
    };
    catch_unwind(AssertUnwindSafe(|| f(&object))).unwrap_or(fallback)
}

/// `olm_*_last_error_code`.
///
/// # Safety
///
/// As [`Object::from_ptr`].
pub unsafe fn last_error_code<K: Kind>(ptr: *const c_void) -> u32 {
    // SAFETY: the caller's contract, passed on.
    unsafe { peek::<K, u32>(ptr, NOT_AN_OBJECT, Object::last_error) }
}

/// `olm_*_last_error`: the name of the last error code.
///
/// # Safety
///
/// As [`Object::from_ptr`].
pub unsafe fn last_error<K: Kind>(ptr: *const c_void) -> *const c_char {
    // SAFETY: the caller's contract, passed on.
    let code = unsafe { last_error_code::<K>(ptr) };
    name_of(code).as_ptr()
}

/// The name of an error code value (`UNKNOWN_ERROR` outside the enumeration).
pub fn name_of(code: u32) -> &'static CStr {
    OlmErrorCode::from_u32(code).map_or(c"UNKNOWN_ERROR", OlmErrorCode::name)
}

/// Runs a `size_t` function on an object: `call!(Kind, pointer, |object|
/// ...)`, the closure returning `Result<usize, OlmErrorCode>`.
macro_rules! call {
    ($kind:ty, $ptr:expr, $f:expr) => {{
        let ptr = $crate::untyped($ptr);
        let f = $f;
        // SAFETY: object pointers reach exported functions under the crate's
        // contract: null, or memory set up by the matching initialiser.
        unsafe { $crate::object::run::<$kind>(ptr, f) }
    }};
}

/// Runs a function that cannot fail on an object: `query!(Kind, pointer,
/// fallback, |object| ...)`.
macro_rules! query {
    ($kind:ty, $ptr:expr, $fallback:expr, $f:expr) => {{
        let ptr = $crate::untyped($ptr);
        let (fallback, f) = ($fallback, $f);
        // SAFETY: as in `call!`.
        unsafe { $crate::object::peek::<$kind, _>(ptr, fallback, f) }
    }};
}

/// The exported functions every kind has: `olm_X()`, `olm_clear_X()`,
/// `olm_X_size()`, `olm_X_last_error()` and `olm_X_last_error_code()`.
macro_rules! lifecycle {
    ($kind:ty, $object:ty, $init:ident, $clear:ident, $size:ident, $last_error:ident, $last_error_code:ident) => {
        /// Bytes of memory to provide for this kind of object.
        #[unsafe(no_mangle)]
        pub extern "C" fn $size() -> usize {
            $crate::object::OBJECT_SIZE
        }

        /// Makes an empty object in `memory`.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $init(memory: *mut ::std::ffi::c_void) -> *mut $object {
            // SAFETY: `memory` holds the size announced above (the crate's
            // contract), or is null.
            unsafe { $crate::object::init::<$kind>(memory) }.cast()
        }

        /// Wipes and releases the object's state, leaving an empty object.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $clear(object: *mut $object) -> usize {
            let ptr = $crate::untyped(object);
            // SAFETY: as in `call!`.
            unsafe { $crate::object::clear::<$kind>(ptr) }
        }

        /// The name of the object's last error, as a static string.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $last_error(object: *const $object) -> *const ::std::ffi::c_char {
            let ptr = $crate::untyped(object);
            // SAFETY: as in `call!`.
            unsafe { $crate::object::last_error::<$kind>(ptr) }
        }

        /// The object's last error code.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $last_error_code(object: *const $object) -> u32 {
            let ptr = $crate::untyped(object);
            // SAFETY: as in `call!`.
            unsafe { $crate::object::last_error_code::<$kind>(ptr) }
        }
    };
}

pub(crate) use {call, lifecycle, query};

#[cfg(test)]
mod tests {
    use super::*;

    struct Thing;
    impl Kind for Thing {
        const MAGIC: u64 = 0x1234;
        const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
        type State = Vec<u8>;
    }
    struct Other;
    impl Kind for Other {
        const MAGIC: u64 = 0x5678;
        const EMPTY: OlmErrorCode = OlmErrorCode::BadSessionKey;
        type State = u8;
    }

    #[test]
    fn objects_in_unaligned_memory() {
        let mut memory = [0xAAu8; OBJECT_SIZE + 1];
        let ptr: *mut c_void = memory[1..].as_mut_ptr().cast();
        // SAFETY: the buffer holds OBJECT_SIZE bytes from `ptr`.
        unsafe {
            assert_eq!(init::<Thing>(ptr), ptr);
            assert!(Object::<Other>::from_ptr(ptr).is_none());
            let result = run::<Thing>(ptr, |o| o.state().map(Vec::len));
            assert_eq!(result, usize::MAX);
            assert_eq!(last_error_code::<Thing>(ptr), OlmErrorCode::NotEnoughRandom as u32);
            assert_eq!(last_error_code::<Other>(ptr), NOT_AN_OBJECT);
            assert_eq!(CStr::from_ptr(last_error::<Other>(ptr)), c"UNKNOWN_ERROR");
            let result = run::<Thing>(ptr, |o| {
                o.replace(Some(vec![1, 2, 3]));
                o.state().map(Vec::len)
            });
            assert_eq!(result, 3);
            let panicked = run::<Thing>(ptr, |_| panic!("caught"));
            assert_eq!(panicked, usize::MAX);
            assert_eq!(last_error_code::<Thing>(ptr), PANIC_CODE as u32);
            assert_eq!(clear::<Thing>(ptr), OBJECT_SIZE);
            assert_eq!(run::<Thing>(ptr, |o| Ok(usize::from(o.is_empty()))), 1);
            assert_eq!(run::<Thing>(ptr::null_mut(), |_| Ok(0)), usize::MAX);
        }
        assert_eq!(memory[0], 0xAA);
    }
}
