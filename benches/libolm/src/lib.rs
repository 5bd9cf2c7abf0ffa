//! The few libolm 3.2.7 calls the benches time, behind a safe interface.
//!
//! This is the only place in the repository outside the vector generator
//! with `unsafe` code: libolm is C++ behind a C API. Every object lives in
//! zeroed, 16-byte aligned heap memory of `olm_*_size()` bytes that never
//! moves and is cleared on drop; every return value is checked against
//! `olm_error()` and turned into a panic naming libolm's error (this is
//! bench code: a failure is a broken fixture). libolm decodes base64 input
//! in place, so such inputs are taken as `&mut [u8]` copies that the caller
//! gives up.

use std::ffi::{CStr, c_void};

use olm_sys as sys;

fn olm_error() -> usize {
    // SAFETY: `olm_error` takes no arguments and returns a constant.
    unsafe { sys::olm_error() }
}

/// Zeroed, 16-byte aligned storage for one object.
struct Memory(Vec<u128>);

impl Memory {
    fn new(size: usize) -> Self {
        Memory(vec![0; size.div_ceil(16)])
    }
}

macro_rules! object {
    ($name:ident, $sys:ident, $size:ident, $init:ident, $clear:ident, $error:ident) => {
        /// A libolm object in memory of its own.
        pub struct $name {
            _memory: Memory,
            ptr: *mut sys::$sys,
        }

        impl $name {
            fn blank() -> Self {
                // SAFETY: the size function takes no arguments.
                let size = unsafe { sys::$size() };
                let mut memory = Memory::new(size);
                // SAFETY: `memory` is `size` zeroed, aligned, writable bytes
                // that live as long as the object (both are owned by `Self`,
                // and the heap buffer does not move with it).
                let ptr = unsafe { sys::$init(memory.0.as_mut_ptr().cast::<c_void>()) };
                Self { _memory: memory, ptr }
            }

            /// `r` unless it is `olm_error()`; then a panic with the error.
            fn check(&self, r: usize, what: &str) -> usize {
                if r == olm_error() {
                    // SAFETY: `ptr` is an initialised object; the error
                    // string is static and NUL-terminated.
                    let name = unsafe { CStr::from_ptr(sys::$error(self.ptr)) };
                    panic!("libolm {what}: {}", name.to_string_lossy());
                }
                r
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                // SAFETY: `ptr` is an initialised object; clearing wipes it.
                unsafe { sys::$clear(self.ptr) };
            }
        }
    };
}

object!(
    Account,
    OlmAccount,
    olm_account_size,
    olm_account,
    olm_clear_account,
    olm_account_last_error
);
object!(
    Session,
    OlmSession,
    olm_session_size,
    olm_session,
    olm_clear_session,
    olm_session_last_error
);
object!(
    OutboundGroupSession,
    OlmOutboundGroupSession,
    olm_outbound_group_session_size,
    olm_outbound_group_session,
    olm_clear_outbound_group_session,
    olm_outbound_group_session_last_error
);
object!(
    InboundGroupSession,
    OlmInboundGroupSession,
    olm_inbound_group_session_size,
    olm_inbound_group_session,
    olm_clear_inbound_group_session,
    olm_inbound_group_session_last_error
);

/// Random bytes for a libolm call, from the thread's generator: our crate
/// and vodozemac draw theirs the same way, inside the timing.
fn random(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes
}

impl Account {
    /// `olm_create_account`.
    pub fn new() -> Self {
        let account = Self::blank();
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_create_account_random_length(account.ptr) };
        let mut random = random(len);
        // SAFETY: `random` is `len` writable bytes (libolm wipes them).
        let r = unsafe { sys::olm_create_account(account.ptr, random.as_mut_ptr().cast(), len) };
        account.check(r, "create account");
        account
    }

    /// `olm_account_generate_one_time_keys`.
    pub fn generate_one_time_keys(&mut self, count: usize) {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_account_generate_one_time_keys_random_length(self.ptr, count) };
        let mut random = random(len);
        // SAFETY: `random` is `len` writable bytes (libolm wipes them).
        let r = unsafe { sys::olm_account_generate_one_time_keys(self.ptr, count, random.as_mut_ptr().cast(), len) };
        self.check(r, "generate one-time keys");
    }

    /// `olm_pickle_account`.
    pub fn pickle(&self, key: &[u8]) -> Vec<u8> {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_pickle_account_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` is readable and `out` writable for their lengths.
        let r =
            unsafe { sys::olm_pickle_account(self.ptr, key.as_ptr().cast(), key.len(), out.as_mut_ptr().cast(), len) };
        out.truncate(self.check(r, "pickle account"));
        out
    }

    /// `olm_unpickle_account`; `pickle` is decoded in place.
    pub fn unpickle(key: &[u8], pickle: &mut [u8]) -> Self {
        let account = Self::blank();
        // SAFETY: `key` is readable and `pickle` writable for their lengths.
        let r = unsafe {
            sys::olm_unpickle_account(
                account.ptr,
                key.as_ptr().cast(),
                key.len(),
                pickle.as_mut_ptr().cast(),
                pickle.len(),
            )
        };
        account.check(r, "unpickle account");
        account
    }

    /// `olm_remove_one_time_keys` for the key `session` used.
    pub fn remove_one_time_keys(&mut self, session: &Session) {
        // SAFETY: both pointers are initialised objects.
        let r = unsafe { sys::olm_remove_one_time_keys(self.ptr, session.ptr) };
        self.check(r, "remove one-time keys");
    }
}

impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// `olm_create_outbound_session` to base64 keys.
    pub fn outbound(account: &Account, identity_key: &[u8], one_time_key: &[u8]) -> Self {
        let session = Self::blank();
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_create_outbound_session_random_length(session.ptr) };
        let mut random = random(len);
        // SAFETY: the keys are readable for their lengths (libolm decodes
        // them into buffers of its own); `random` is writable (wiped).
        let r = unsafe {
            sys::olm_create_outbound_session(
                session.ptr,
                account.ptr,
                identity_key.as_ptr().cast(),
                identity_key.len(),
                one_time_key.as_ptr().cast(),
                one_time_key.len(),
                random.as_mut_ptr().cast(),
                len,
            )
        };
        session.check(r, "create outbound session");
        session
    }

    /// `olm_create_inbound_session_from` for a base64 pre-key message,
    /// decoded in place.
    pub fn inbound(account: &mut Account, their_identity_key: &[u8], message: &mut [u8]) -> Self {
        let session = Self::blank();
        // SAFETY: the key is readable and the message writable for their
        // lengths; both objects are initialised.
        let r = unsafe {
            sys::olm_create_inbound_session_from(
                session.ptr,
                account.ptr,
                their_identity_key.as_ptr().cast(),
                their_identity_key.len(),
                message.as_mut_ptr().cast(),
                message.len(),
            )
        };
        session.check(r, "create inbound session");
        session
    }

    /// `olm_encrypt`: the message type and the base64 message.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> (usize, Vec<u8>) {
        // SAFETY (all three): `ptr` is an initialised session.
        let message_type = unsafe { sys::olm_encrypt_message_type(self.ptr) };
        let random_len = unsafe { sys::olm_encrypt_random_length(self.ptr) };
        let len = unsafe { sys::olm_encrypt_message_length(self.ptr, plaintext.len()) };
        let mut random = if random_len == 0 {
            Vec::new()
        } else {
            random(random_len)
        };
        let mut out = vec![0u8; len];
        // SAFETY: `plaintext` is readable, `random` and `out` writable, for
        // their lengths.
        let r = unsafe {
            sys::olm_encrypt(
                self.ptr,
                plaintext.as_ptr().cast(),
                plaintext.len(),
                random.as_mut_ptr().cast(),
                random_len,
                out.as_mut_ptr().cast(),
                len,
            )
        };
        out.truncate(self.check(r, "encrypt"));
        (message_type, out)
    }

    /// `olm_decrypt` of a base64 message, decoded in place. The output
    /// buffer is the message's length, always enough (base64 is longer than
    /// the ciphertext, which is longer than the plaintext), which spares the
    /// second decoding `olm_decrypt_max_plaintext_length` would make.
    pub fn decrypt(&mut self, message_type: usize, message: &mut [u8]) -> Vec<u8> {
        let mut out = vec![0u8; message.len()];
        // SAFETY: `message` and `out` are writable for their lengths.
        let r = unsafe {
            sys::olm_decrypt(
                self.ptr,
                message_type,
                message.as_mut_ptr().cast(),
                message.len(),
                out.as_mut_ptr().cast(),
                out.len(),
            )
        };
        out.truncate(self.check(r, "decrypt"));
        out
    }

    /// `olm_pickle_session`.
    pub fn pickle(&self, key: &[u8]) -> Vec<u8> {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_pickle_session_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` is readable and `out` writable for their lengths.
        let r =
            unsafe { sys::olm_pickle_session(self.ptr, key.as_ptr().cast(), key.len(), out.as_mut_ptr().cast(), len) };
        out.truncate(self.check(r, "pickle session"));
        out
    }

    /// `olm_unpickle_session`; `pickle` is decoded in place.
    pub fn unpickle(key: &[u8], pickle: &mut [u8]) -> Self {
        let session = Self::blank();
        // SAFETY: `key` is readable and `pickle` writable for their lengths.
        let r = unsafe {
            sys::olm_unpickle_session(
                session.ptr,
                key.as_ptr().cast(),
                key.len(),
                pickle.as_mut_ptr().cast(),
                pickle.len(),
            )
        };
        session.check(r, "unpickle session");
        session
    }
}

impl OutboundGroupSession {
    /// `olm_unpickle_outbound_group_session`; `pickle` is decoded in place.
    pub fn unpickle(key: &[u8], pickle: &mut [u8]) -> Self {
        let session = Self::blank();
        // SAFETY: `key` is readable and `pickle` writable for their lengths.
        let r = unsafe {
            sys::olm_unpickle_outbound_group_session(
                session.ptr,
                key.as_ptr().cast(),
                key.len(),
                pickle.as_mut_ptr().cast(),
                pickle.len(),
            )
        };
        session.check(r, "unpickle outbound group session");
        session
    }

    /// `olm_group_encrypt`: the base64 message.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> Vec<u8> {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_group_encrypt_message_length(self.ptr, plaintext.len()) };
        let mut out = vec![0u8; len];
        // SAFETY: `plaintext` is readable and `out` writable for their lengths.
        let r = unsafe { sys::olm_group_encrypt(self.ptr, plaintext.as_ptr(), plaintext.len(), out.as_mut_ptr(), len) };
        out.truncate(self.check(r, "group encrypt"));
        out
    }
}

impl InboundGroupSession {
    /// `olm_init_inbound_group_session` from a base64 session key.
    pub fn new(session_key: &[u8]) -> Self {
        let session = Self::blank();
        // SAFETY: the key is readable for its length (libolm decodes it
        // into a buffer of its own).
        let r = unsafe { sys::olm_init_inbound_group_session(session.ptr, session_key.as_ptr(), session_key.len()) };
        session.check(r, "init inbound group session");
        session
    }

    /// `olm_group_decrypt` of a base64 message, decoded in place: the
    /// plaintext and the message index. The output buffer is the message's
    /// length, as for [`Session::decrypt`].
    pub fn decrypt(&mut self, message: &mut [u8]) -> (Vec<u8>, u32) {
        let mut out = vec![0u8; message.len()];
        let mut index = 0u32;
        // SAFETY: `message` and `out` are writable for their lengths and
        // `index` is a valid `u32`.
        let r = unsafe {
            sys::olm_group_decrypt(
                self.ptr,
                message.as_mut_ptr(),
                message.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut index,
            )
        };
        out.truncate(self.check(r, "group decrypt"));
        (out, index)
    }
}
