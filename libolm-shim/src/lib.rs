//! Safe wrappers over the libolm 3.2.7 C API (olm-sys 1.3.2), shared by the
//! known-answer vector generator (`test-vectors/generator`) and the libolm
//! side of the benches (`benches/libolm`).
//!
//! Randomness is always the caller's: each call that draws takes exactly the
//! bytes libolm asks for (the generator passes seeded streams, the bench
//! fresh random bytes).
//!
//! Every object lives in zeroed, 16-byte aligned memory of `olm_*_size()`
//! bytes that never moves (the heap buffer of a `Vec`), and is cleared on
//! drop. Inputs that libolm destroys (random buffers, base64 decoded in
//! place) are always passed as fresh copies, so the caller's bytes survive.
//! Every return value is checked against `olm_error()`; failures carry the
//! object's `last_error_code`.

use std::{
    ffi::{CStr, c_void},
    fmt,
};

use olm_sys as sys;

/// A libolm error code (`OlmErrorCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OlmError(pub u32);

impl OlmError {
    pub const BAD_MESSAGE_VERSION: u32 = sys::OlmErrorCode_OLM_BAD_MESSAGE_VERSION;
    pub const BAD_MESSAGE_FORMAT: u32 = sys::OlmErrorCode_OLM_BAD_MESSAGE_FORMAT;
    pub const BAD_MESSAGE_MAC: u32 = sys::OlmErrorCode_OLM_BAD_MESSAGE_MAC;
    pub const BAD_MESSAGE_KEY_ID: u32 = sys::OlmErrorCode_OLM_BAD_MESSAGE_KEY_ID;
    pub const INVALID_BASE64: u32 = sys::OlmErrorCode_OLM_INVALID_BASE64;
    pub const BAD_ACCOUNT_KEY: u32 = sys::OlmErrorCode_OLM_BAD_ACCOUNT_KEY;
    pub const UNKNOWN_PICKLE_VERSION: u32 = sys::OlmErrorCode_OLM_UNKNOWN_PICKLE_VERSION;
    pub const CORRUPTED_PICKLE: u32 = sys::OlmErrorCode_OLM_CORRUPTED_PICKLE;
    pub const BAD_SESSION_KEY: u32 = sys::OlmErrorCode_OLM_BAD_SESSION_KEY;
    pub const UNKNOWN_MESSAGE_INDEX: u32 = sys::OlmErrorCode_OLM_UNKNOWN_MESSAGE_INDEX;
    pub const BAD_LEGACY_ACCOUNT_PICKLE: u32 = sys::OlmErrorCode_OLM_BAD_LEGACY_ACCOUNT_PICKLE;
    pub const BAD_SIGNATURE: u32 = sys::OlmErrorCode_OLM_BAD_SIGNATURE;
    pub const PICKLE_EXTRA_DATA: u32 = sys::OlmErrorCode_OLM_PICKLE_EXTRA_DATA;

    /// libolm's name for the code.
    pub fn name(self) -> String {
        // SAFETY: `_olm_error_to_string` returns a pointer to a static,
        // NUL-terminated string for every code (an "UNKNOWN_ERROR" string
        // for codes it does not know).
        unsafe { CStr::from_ptr(sys::_olm_error_to_string(self.0)) }
            .to_string_lossy()
            .into_owned()
    }
}

impl fmt::Display for OlmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

/// A libolm result.
pub type Res<T> = Result<T, OlmError>;

/// The library version, e.g. `(3, 2, 7)`.
pub fn version() -> (u8, u8, u8) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: the three pointers are valid, writable `u8`s.
    unsafe { sys::olm_get_library_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

fn olm_error() -> usize {
    // SAFETY: `olm_error` takes no arguments and returns a constant.
    unsafe { sys::olm_error() }
}

/// Zeroed, 16-byte aligned storage for one object; the heap buffer does not
/// move when the owning struct moves.
struct Memory(Vec<u128>);

impl Memory {
    fn new(size: usize) -> Self {
        Memory(vec![0; size.div_ceil(16)])
    }

    fn as_mut_ptr(&mut self) -> *mut c_void {
        self.0.as_mut_ptr().cast()
    }
}

/// Bytes written by libolm, as a string (all libolm text output is ASCII).
fn text(mut bytes: Vec<u8>, len: usize) -> String {
    bytes.truncate(len);
    String::from_utf8(bytes).expect("libolm wrote non-UTF-8 text")
}

/// Parses libolm's `{"curve25519":{"id":"key",...}}` key JSON, in its order.
fn parse_key_json(json: &str) -> Vec<(String, String)> {
    let inner = json
        .strip_prefix("{\"curve25519\":{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or_else(|| panic!("unexpected key JSON {json}"));
    if inner.is_empty() {
        return Vec::new();
    }
    inner
        .split(',')
        .map(|pair| {
            let (id, key) = pair.split_once(':').unwrap_or_else(|| panic!("bad pair {pair}"));
            (id.trim_matches('"').to_owned(), key.trim_matches('"').to_owned())
        })
        .collect()
}

macro_rules! object {
    ($name:ident, $sys:ident, $size:ident, $init:ident, $clear:ident, $code:ident) => {
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
                // that outlive the object (both are owned by `Self`).
                let ptr = unsafe { sys::$init(memory.as_mut_ptr()) };
                Self { _memory: memory, ptr }
            }

            /// `Ok(r)` unless `r` is `olm_error()`, else the last error.
            fn check(&self, r: usize) -> Res<usize> {
                if r == olm_error() {
                    // SAFETY: `ptr` is an initialised object.
                    Err(OlmError(unsafe { sys::$code(self.ptr) }))
                } else {
                    Ok(r)
                }
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
    olm_account_last_error_code
);
object!(
    Session,
    OlmSession,
    olm_session_size,
    olm_session,
    olm_clear_session,
    olm_session_last_error_code
);
object!(
    OutboundGroupSession,
    OlmOutboundGroupSession,
    olm_outbound_group_session_size,
    olm_outbound_group_session,
    olm_clear_outbound_group_session,
    olm_outbound_group_session_last_error_code
);
object!(
    InboundGroupSession,
    OlmInboundGroupSession,
    olm_inbound_group_session_size,
    olm_inbound_group_session,
    olm_clear_inbound_group_session,
    olm_inbound_group_session_last_error_code
);
object!(
    Sas,
    OlmSAS,
    olm_sas_size,
    olm_sas,
    olm_clear_sas,
    olm_sas_last_error_code
);
object!(
    PkEncryption,
    OlmPkEncryption,
    olm_pk_encryption_size,
    olm_pk_encryption,
    olm_clear_pk_encryption,
    olm_pk_encryption_last_error_code
);
object!(
    PkDecryption,
    OlmPkDecryption,
    olm_pk_decryption_size,
    olm_pk_decryption,
    olm_clear_pk_decryption,
    olm_pk_decryption_last_error_code
);
object!(
    PkSigning,
    OlmPkSigning,
    olm_pk_signing_size,
    olm_pk_signing,
    olm_clear_pk_signing,
    olm_pk_signing_last_error_code
);
object!(
    Utility,
    OlmUtility,
    olm_utility_size,
    olm_utility,
    olm_clear_utility,
    olm_utility_last_error_code
);

impl Account {
    /// `olm_create_account` with exactly these random bytes (a copy is wiped).
    pub fn new(random: &[u8]) -> Res<Self> {
        let account = Self::blank();
        // SAFETY: `ptr` is an initialised account.
        let needed = unsafe { sys::olm_create_account_random_length(account.ptr) };
        assert_eq!(needed, random.len(), "account random length");
        let mut copy = random.to_vec();
        // SAFETY: `copy` is `copy.len()` writable bytes (libolm wipes them).
        account.check(unsafe { sys::olm_create_account(account.ptr, copy.as_mut_ptr().cast(), copy.len()) })?;
        Ok(account)
    }

    /// (curve25519, ed25519) identity keys, base64.
    pub fn identity_keys(&mut self) -> (String, String) {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_account_identity_keys_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_account_identity_keys(self.ptr, out.as_mut_ptr().cast(), len) })
            .expect("identity keys");
        let json = text(out, n);
        let curve = json
            .split("\"curve25519\":\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("curve25519 in identity JSON");
        let ed = json
            .split("\"ed25519\":\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("ed25519 in identity JSON");
        (curve.to_owned(), ed.to_owned())
    }

    /// The curve25519 identity key.
    pub fn curve25519(&mut self) -> String {
        self.identity_keys().0
    }

    /// `olm_account_sign`: base64 signature of the raw message.
    pub fn sign(&mut self, message: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_account_signature_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `message` is readable for its length, `out` writable for `len`.
        let n = self
            .check(unsafe {
                sys::olm_account_sign(
                    self.ptr,
                    message.as_ptr().cast(),
                    message.len(),
                    out.as_mut_ptr().cast(),
                    len,
                )
            })
            .expect("sign");
        text(out, n)
    }

    /// Random bytes needed for `n` one-time keys.
    pub fn one_time_keys_random_length(&self, n: usize) -> usize {
        // SAFETY: `ptr` is an initialised account.
        unsafe { sys::olm_account_generate_one_time_keys_random_length(self.ptr, n) }
    }

    /// `olm_account_generate_one_time_keys(n)` with exactly these bytes.
    pub fn generate_one_time_keys(&mut self, n: usize, random: &[u8]) {
        assert_eq!(
            self.one_time_keys_random_length(n),
            random.len(),
            "one-time key random length"
        );
        let mut copy = random.to_vec();
        // SAFETY: `copy` is `copy.len()` writable bytes (libolm wipes them).
        self.check(unsafe {
            sys::olm_account_generate_one_time_keys(self.ptr, n, copy.as_mut_ptr().cast(), copy.len())
        })
        .expect("generate one-time keys");
    }

    /// Unpublished one-time keys `(key_id, key)` in libolm's order (newest first).
    pub fn one_time_keys(&mut self) -> Vec<(String, String)> {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_account_one_time_keys_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_account_one_time_keys(self.ptr, out.as_mut_ptr().cast(), len) })
            .expect("one-time keys");
        parse_key_json(&text(out, n))
    }

    /// `olm_account_generate_fallback_key` with exactly these bytes.
    pub fn generate_fallback_key(&mut self, random: &[u8]) {
        // SAFETY: `ptr` is an initialised account.
        let needed = unsafe { sys::olm_account_generate_fallback_key_random_length(self.ptr) };
        assert_eq!(needed, random.len(), "fallback key random length");
        let mut copy = random.to_vec();
        // SAFETY: `copy` is `copy.len()` writable bytes (libolm wipes them).
        self.check(unsafe { sys::olm_account_generate_fallback_key(self.ptr, copy.as_mut_ptr().cast(), copy.len()) })
            .expect("generate fallback key");
    }

    /// The unpublished fallback key, if any.
    pub fn unpublished_fallback_key(&mut self) -> Option<(String, String)> {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_account_unpublished_fallback_key_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_account_unpublished_fallback_key(self.ptr, out.as_mut_ptr().cast(), len) })
            .expect("unpublished fallback key");
        let mut keys = parse_key_json(&text(out, n));
        assert!(keys.len() <= 1);
        keys.pop()
    }

    /// `olm_account_mark_keys_as_published`.
    pub fn mark_keys_as_published(&mut self) {
        // SAFETY: `ptr` is an initialised account.
        unsafe { sys::olm_account_mark_keys_as_published(self.ptr) };
    }

    /// `olm_account_forget_old_fallback_key`.
    pub fn forget_old_fallback_key(&mut self) {
        // SAFETY: `ptr` is an initialised account.
        unsafe { sys::olm_account_forget_old_fallback_key(self.ptr) };
    }

    /// `olm_remove_one_time_keys` for the key `session` was created from.
    pub fn remove_one_time_keys(&mut self, session: &mut Session) -> Res<()> {
        // SAFETY: both pointers are initialised objects.
        self.check(unsafe { sys::olm_remove_one_time_keys(self.ptr, session.ptr) })?;
        Ok(())
    }

    /// `olm_pickle_account` with `key`.
    pub fn pickle(&mut self, key: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised account.
        let len = unsafe { sys::olm_pickle_account_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` is readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_pickle_account(self.ptr, key.as_ptr().cast(), key.len(), out.as_mut_ptr().cast(), len)
            })
            .expect("pickle account");
        text(out, n)
    }

    /// `olm_unpickle_account` (on a copy of `pickle`).
    pub fn unpickle(key: &[u8], pickle: &str) -> Res<Self> {
        let account = Self::blank();
        let mut copy = pickle.as_bytes().to_vec();
        // SAFETY: `key` is readable and `copy` writable for their lengths;
        // libolm decodes `copy` in place.
        account.check(unsafe {
            sys::olm_unpickle_account(
                account.ptr,
                key.as_ptr().cast(),
                key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(account)
    }
}

impl Session {
    /// `olm_create_outbound_session` to `identity_key`/`one_time_key`.
    pub fn outbound(account: &Account, identity_key: &str, one_time_key: &str, random: &[u8]) -> Res<Self> {
        let session = Self::blank();
        // SAFETY: `ptr` is an initialised session.
        let needed = unsafe { sys::olm_create_outbound_session_random_length(session.ptr) };
        assert_eq!(needed, random.len(), "outbound session random length");
        let mut copy = random.to_vec();
        // SAFETY: the key strings are readable for their lengths (libolm
        // decodes them into its own buffers), `copy` is writable (wiped).
        session.check(unsafe {
            sys::olm_create_outbound_session(
                session.ptr,
                account.ptr,
                identity_key.as_ptr().cast(),
                identity_key.len(),
                one_time_key.as_ptr().cast(),
                one_time_key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(session)
    }

    /// `olm_create_inbound_session_from` (their identity key given) for a
    /// base64 pre-key message. Does not decrypt it.
    pub fn inbound_from(account: &mut Account, their_identity_key: &str, message: &str) -> Res<Self> {
        let session = Self::blank();
        let mut copy = message.as_bytes().to_vec();
        // SAFETY: the identity key is readable for its length; `copy` is
        // writable (decoded in place).
        session.check(unsafe {
            sys::olm_create_inbound_session_from(
                session.ptr,
                account.ptr,
                their_identity_key.as_ptr().cast(),
                their_identity_key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(session)
    }

    /// The session id, base64.
    pub fn id(&mut self) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_session_id_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_session_id(self.ptr, out.as_mut_ptr().cast(), len) })
            .expect("session id");
        text(out, n)
    }

    /// Random bytes the next `encrypt` needs (0 or 32).
    pub fn encrypt_random_length(&self) -> usize {
        // SAFETY: `ptr` is an initialised session.
        unsafe { sys::olm_encrypt_random_length(self.ptr) }
    }

    /// `olm_encrypt`: (message type, base64 message).
    pub fn encrypt(&mut self, plaintext: &[u8], random: &[u8]) -> Res<(usize, String)> {
        assert_eq!(self.encrypt_random_length(), random.len(), "encrypt random length");
        // SAFETY: `ptr` is an initialised session.
        let message_type = self.check(unsafe { sys::olm_encrypt_message_type(self.ptr) })?;
        // SAFETY: as above.
        let len = self.check(unsafe { sys::olm_encrypt_message_length(self.ptr, plaintext.len()) })?;
        let mut out = vec![0u8; len];
        let mut copy = random.to_vec();
        // SAFETY: `plaintext` readable, `copy` and `out` writable, for their lengths.
        let n = self.check(unsafe {
            sys::olm_encrypt(
                self.ptr,
                plaintext.as_ptr().cast(),
                plaintext.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
                out.as_mut_ptr().cast(),
                len,
            )
        })?;
        Ok((message_type, text(out, n)))
    }

    /// `olm_decrypt` of a base64 message of `message_type`. The output
    /// buffer is the message's length, always enough (base64 is longer than
    /// the ciphertext, which is longer than the plaintext): that spares the
    /// second decoding `olm_decrypt_max_plaintext_length` would make, and
    /// `olm_decrypt` makes the same checks, with the same errors, first.
    pub fn decrypt(&mut self, message_type: usize, message: &str) -> Res<Vec<u8>> {
        let mut copy = message.as_bytes().to_vec();
        let max = copy.len();
        let mut out = vec![0u8; max];
        // SAFETY: `copy` (decoded in place) and `out` are writable for their lengths.
        let n = self.check(unsafe {
            sys::olm_decrypt(
                self.ptr,
                message_type,
                copy.as_mut_ptr().cast(),
                copy.len(),
                out.as_mut_ptr().cast(),
                max,
            )
        })?;
        out.truncate(n);
        Ok(out)
    }

    /// `olm_pickle_session` with `key`.
    pub fn pickle(&mut self, key: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_pickle_session_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_pickle_session(self.ptr, key.as_ptr().cast(), key.len(), out.as_mut_ptr().cast(), len)
            })
            .expect("pickle session");
        text(out, n)
    }

    /// `olm_unpickle_session` (on a copy of `pickle`).
    pub fn unpickle(key: &[u8], pickle: &str) -> Res<Self> {
        let session = Self::blank();
        let mut copy = pickle.as_bytes().to_vec();
        // SAFETY: `key` readable, `copy` writable (decoded in place).
        session.check(unsafe {
            sys::olm_unpickle_session(
                session.ptr,
                key.as_ptr().cast(),
                key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(session)
    }
}

impl OutboundGroupSession {
    /// `olm_init_outbound_group_session` with exactly these 160 bytes.
    pub fn new(random: &[u8]) -> Res<Self> {
        let session = Self::blank();
        // SAFETY: `ptr` is an initialised session.
        let needed = unsafe { sys::olm_init_outbound_group_session_random_length(session.ptr) };
        assert_eq!(needed, random.len(), "group session random length");
        let mut copy = random.to_vec();
        // SAFETY: `copy` is writable for its length (libolm wipes it).
        session.check(unsafe { sys::olm_init_outbound_group_session(session.ptr, copy.as_mut_ptr(), copy.len()) })?;
        Ok(session)
    }

    /// The session id (base64 Ed25519 public key).
    pub fn id(&mut self) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_outbound_group_session_id_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_outbound_group_session_id(self.ptr, out.as_mut_ptr(), len) })
            .expect("group session id");
        text(out, n)
    }

    /// The index of the next message.
    pub fn message_index(&mut self) -> u32 {
        // SAFETY: `ptr` is an initialised session.
        unsafe { sys::olm_outbound_group_session_message_index(self.ptr) }
    }

    /// The signed session key at the current index.
    pub fn session_key(&mut self) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_outbound_group_session_key_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_outbound_group_session_key(self.ptr, out.as_mut_ptr(), len) })
            .expect("session key");
        text(out, n)
    }

    /// `olm_group_encrypt`: the base64 message.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_group_encrypt_message_length(self.ptr, plaintext.len()) };
        let mut out = vec![0u8; len];
        // SAFETY: `plaintext` readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_group_encrypt(self.ptr, plaintext.as_ptr(), plaintext.len(), out.as_mut_ptr(), len)
            })
            .expect("group encrypt");
        text(out, n)
    }

    /// `olm_pickle_outbound_group_session` with `key`.
    pub fn pickle(&mut self, key: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_pickle_outbound_group_session_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_pickle_outbound_group_session(
                    self.ptr,
                    key.as_ptr().cast(),
                    key.len(),
                    out.as_mut_ptr().cast(),
                    len,
                )
            })
            .expect("pickle group session");
        text(out, n)
    }

    /// `olm_unpickle_outbound_group_session` (on a copy of `pickle`).
    pub fn unpickle(key: &[u8], pickle: &str) -> Res<Self> {
        let session = Self::blank();
        let mut copy = pickle.as_bytes().to_vec();
        // SAFETY: `key` readable, `copy` writable (decoded in place).
        session.check(unsafe {
            sys::olm_unpickle_outbound_group_session(
                session.ptr,
                key.as_ptr().cast(),
                key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(session)
    }
}

impl InboundGroupSession {
    /// `olm_init_inbound_group_session` from a signed session key.
    pub fn from_session_key(session_key: &str) -> Res<Self> {
        let session = Self::blank();
        // SAFETY: the key is readable for its length (libolm decodes it
        // into its own buffer).
        session.check(unsafe {
            sys::olm_init_inbound_group_session(session.ptr, session_key.as_ptr(), session_key.len())
        })?;
        Ok(session)
    }

    /// `olm_import_inbound_group_session` from an exported key.
    pub fn import(exported: &str) -> Res<Self> {
        let session = Self::blank();
        // SAFETY: as for `from_session_key`.
        let r = unsafe { sys::olm_import_inbound_group_session(session.ptr, exported.as_ptr(), exported.len()) };
        session.check(r)?;
        Ok(session)
    }

    /// The session id.
    pub fn id(&mut self) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_inbound_group_session_id_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self
            .check(unsafe { sys::olm_inbound_group_session_id(self.ptr, out.as_mut_ptr(), len) })
            .expect("inbound session id");
        text(out, n)
    }

    /// The first known message index.
    pub fn first_known_index(&self) -> u32 {
        // SAFETY: `ptr` is an initialised session.
        unsafe { sys::olm_inbound_group_session_first_known_index(self.ptr) }
    }

    /// Whether libolm considers the signing key verified.
    pub fn is_verified(&self) -> bool {
        // SAFETY: `ptr` is an initialised session.
        unsafe { sys::olm_inbound_group_session_is_verified(self.ptr) != 0 }
    }

    /// `olm_group_decrypt`: (plaintext, message index). The output buffer
    /// is the message's length, as for [`Session::decrypt`].
    pub fn decrypt(&mut self, message: &str) -> Res<(Vec<u8>, u32)> {
        let mut copy = message.as_bytes().to_vec();
        let max = copy.len();
        let mut out = vec![0u8; max];
        let mut index = 0u32;
        // SAFETY: `copy` and `out` writable for their lengths, `index` a valid u32.
        let n = self.check(unsafe {
            sys::olm_group_decrypt(
                self.ptr,
                copy.as_mut_ptr(),
                copy.len(),
                out.as_mut_ptr(),
                max,
                &mut index,
            )
        })?;
        out.truncate(n);
        Ok((out, index))
    }

    /// `olm_export_inbound_group_session` at `index`.
    pub fn export(&mut self, index: u32) -> Res<String> {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_export_inbound_group_session_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        let n = self.check(unsafe { sys::olm_export_inbound_group_session(self.ptr, out.as_mut_ptr(), len, index) })?;
        Ok(text(out, n))
    }

    /// `olm_pickle_inbound_group_session` with `key`.
    pub fn pickle(&mut self, key: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised session.
        let len = unsafe { sys::olm_pickle_inbound_group_session_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_pickle_inbound_group_session(
                    self.ptr,
                    key.as_ptr().cast(),
                    key.len(),
                    out.as_mut_ptr().cast(),
                    len,
                )
            })
            .expect("pickle inbound group session");
        text(out, n)
    }

    /// `olm_unpickle_inbound_group_session` (on a copy of `pickle`).
    pub fn unpickle(key: &[u8], pickle: &str) -> Res<Self> {
        let session = Self::blank();
        let mut copy = pickle.as_bytes().to_vec();
        // SAFETY: `key` readable, `copy` writable (decoded in place).
        session.check(unsafe {
            sys::olm_unpickle_inbound_group_session(
                session.ptr,
                key.as_ptr().cast(),
                key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok(session)
    }
}

/// The three SAS MAC functions of libolm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SasMac {
    /// `olm_sas_calculate_mac_fixed_base64`.
    Fixed,
    /// `olm_sas_calculate_mac` (in-place base64 bug).
    Legacy,
    /// `olm_sas_calculate_mac_long_kdf`.
    LongKdf,
}

impl Sas {
    /// `olm_create_sas` with these 32 bytes (libolm does not wipe them, but
    /// a copy is passed anyway).
    pub fn new(random: &[u8]) -> Res<Self> {
        let sas = Self::blank();
        // SAFETY: `ptr` is an initialised SAS.
        let needed = unsafe { sys::olm_create_sas_random_length(sas.ptr) };
        assert_eq!(needed, random.len(), "SAS random length");
        let mut copy = random.to_vec();
        // SAFETY: `copy` is writable for its length.
        sas.check(unsafe { sys::olm_create_sas(sas.ptr, copy.as_mut_ptr().cast(), copy.len()) })?;
        Ok(sas)
    }

    /// Our public key, base64.
    pub fn public_key(&mut self) -> String {
        // SAFETY: `ptr` is an initialised SAS.
        let len = unsafe { sys::olm_sas_pubkey_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `out` is `len` writable bytes.
        self.check(unsafe { sys::olm_sas_get_pubkey(self.ptr, out.as_mut_ptr().cast(), len) })
            .expect("SAS public key");
        text(out, len)
    }

    /// `olm_sas_set_their_key` (on a copy, decoded in place).
    pub fn set_their_key(&mut self, key: &str) -> Res<()> {
        let mut copy = key.as_bytes().to_vec();
        // SAFETY: `copy` is writable for its length.
        self.check(unsafe { sys::olm_sas_set_their_key(self.ptr, copy.as_mut_ptr().cast(), copy.len()) })?;
        Ok(())
    }

    /// `olm_sas_generate_bytes(info, length)`.
    pub fn generate_bytes(&mut self, info: &[u8], length: usize) -> Vec<u8> {
        let mut out = vec![0u8; length];
        // SAFETY: `info` readable, `out` writable, for their lengths.
        self.check(unsafe {
            sys::olm_sas_generate_bytes(
                self.ptr,
                info.as_ptr().cast(),
                info.len(),
                out.as_mut_ptr().cast(),
                length,
            )
        })
        .expect("SAS generate bytes");
        out
    }

    /// One of the MAC functions over `input` with `info`.
    pub fn mac(&mut self, method: SasMac, input: &[u8], info: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised SAS.
        let len = unsafe { sys::olm_sas_mac_length(self.ptr) };
        let mut out = vec![0u8; len];
        let f = match method {
            SasMac::Fixed => sys::olm_sas_calculate_mac_fixed_base64,
            SasMac::Legacy => sys::olm_sas_calculate_mac,
            SasMac::LongKdf => sys::olm_sas_calculate_mac_long_kdf,
        };
        // SAFETY: `input`, `info` readable and `out` writable for their lengths.
        self.check(unsafe {
            f(
                self.ptr,
                input.as_ptr().cast(),
                input.len(),
                info.as_ptr().cast(),
                info.len(),
                out.as_mut_ptr().cast(),
                len,
            )
        })
        .expect("SAS MAC");
        text(out, len)
    }
}

impl PkEncryption {
    /// A PK encryption object for `recipient` (base64 public key).
    pub fn new(recipient: &str) -> Res<Self> {
        let pk = Self::blank();
        // SAFETY: the key is readable for its length.
        pk.check(unsafe {
            sys::olm_pk_encryption_set_recipient_key(pk.ptr, recipient.as_ptr().cast(), recipient.len())
        })?;
        Ok(pk)
    }

    /// `olm_pk_encrypt`: (ciphertext, mac, ephemeral key), all base64.
    pub fn encrypt(&mut self, plaintext: &[u8], random: &[u8]) -> Res<(String, String, String)> {
        // SAFETY: `ptr` is an initialised object.
        let needed = unsafe { sys::olm_pk_encrypt_random_length(self.ptr) };
        assert_eq!(needed, random.len(), "PK encrypt random length");
        // SAFETY: as above.
        let ct_len = unsafe { sys::olm_pk_ciphertext_length(self.ptr, plaintext.len()) };
        // SAFETY: as above.
        let mac_len = unsafe { sys::olm_pk_mac_length(self.ptr) };
        // SAFETY: takes no arguments.
        let key_len = unsafe { sys::olm_pk_key_length() };
        let (mut ct, mut mac, mut key) = (vec![0u8; ct_len], vec![0u8; mac_len], vec![0u8; key_len]);
        let copy = random.to_vec();
        // SAFETY: inputs readable and outputs writable for their lengths.
        self.check(unsafe {
            sys::olm_pk_encrypt(
                self.ptr,
                plaintext.as_ptr().cast(),
                plaintext.len(),
                ct.as_mut_ptr().cast(),
                ct_len,
                mac.as_mut_ptr().cast(),
                mac_len,
                key.as_mut_ptr().cast(),
                key_len,
                copy.as_ptr().cast(),
                copy.len(),
            )
        })?;
        Ok((text(ct, ct_len), text(mac, mac_len), text(key, key_len)))
    }
}

impl PkDecryption {
    /// `olm_pk_key_from_private`: the object and its base64 public key.
    pub fn from_private(private_key: &[u8]) -> Res<(Self, String)> {
        let pk = Self::blank();
        // SAFETY: takes no arguments.
        let key_len = unsafe { sys::olm_pk_key_length() };
        let mut public = vec![0u8; key_len];
        // SAFETY: `public` writable and `private_key` readable for their lengths.
        pk.check(unsafe {
            sys::olm_pk_key_from_private(
                pk.ptr,
                public.as_mut_ptr().cast(),
                key_len,
                private_key.as_ptr().cast(),
                private_key.len(),
            )
        })?;
        Ok((pk, text(public, key_len)))
    }

    /// `olm_pk_decrypt` of base64 parts.
    pub fn decrypt(&mut self, ephemeral: &str, mac: &str, ciphertext: &str) -> Res<Vec<u8>> {
        // SAFETY: `ptr` is an initialised object.
        let max = unsafe { sys::olm_pk_max_plaintext_length(self.ptr, ciphertext.len()) };
        let mut out = vec![0u8; max];
        let mut copy = ciphertext.as_bytes().to_vec();
        // SAFETY: `ephemeral` and `mac` readable (decoded into libolm's own
        // buffers), `copy` and `out` writable, for their lengths.
        let n = self.check(unsafe {
            sys::olm_pk_decrypt(
                self.ptr,
                ephemeral.as_ptr().cast(),
                ephemeral.len(),
                mac.as_ptr().cast(),
                mac.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
                out.as_mut_ptr().cast(),
                max,
            )
        })?;
        out.truncate(n);
        Ok(out)
    }

    /// `olm_pickle_pk_decryption` with `key`.
    pub fn pickle(&mut self, key: &[u8]) -> String {
        // SAFETY: `ptr` is an initialised object.
        let len = unsafe { sys::olm_pickle_pk_decryption_length(self.ptr) };
        let mut out = vec![0u8; len];
        // SAFETY: `key` readable, `out` writable, for their lengths.
        let n = self
            .check(unsafe {
                sys::olm_pickle_pk_decryption(self.ptr, key.as_ptr().cast(), key.len(), out.as_mut_ptr().cast(), len)
            })
            .expect("pickle PK decryption");
        text(out, n)
    }

    /// `olm_unpickle_pk_decryption`: the object and its public key.
    pub fn unpickle(key: &[u8], pickle: &str) -> Res<(Self, String)> {
        let pk = Self::blank();
        // SAFETY: takes no arguments.
        let key_len = unsafe { sys::olm_pk_key_length() };
        let mut public = vec![0u8; key_len];
        let mut copy = pickle.as_bytes().to_vec();
        // SAFETY: `key` readable; `copy` (decoded in place) and `public` writable.
        pk.check(unsafe {
            sys::olm_unpickle_pk_decryption(
                pk.ptr,
                key.as_ptr().cast(),
                key.len(),
                copy.as_mut_ptr().cast(),
                copy.len(),
                public.as_mut_ptr().cast(),
                key_len,
            )
        })?;
        Ok((pk, text(public, key_len)))
    }
}

impl PkSigning {
    /// `olm_pk_signing_key_from_seed`: the object and its base64 public key.
    pub fn from_seed(seed: &[u8]) -> Res<(Self, String)> {
        let pk = Self::blank();
        // SAFETY: takes no arguments.
        let key_len = unsafe { sys::olm_pk_signing_public_key_length() };
        let mut public = vec![0u8; key_len];
        // SAFETY: `public` writable and `seed` readable for their lengths.
        pk.check(unsafe {
            sys::olm_pk_signing_key_from_seed(
                pk.ptr,
                public.as_mut_ptr().cast(),
                key_len,
                seed.as_ptr().cast(),
                seed.len(),
            )
        })?;
        Ok((pk, text(public, key_len)))
    }

    /// `olm_pk_sign`: base64 signature.
    pub fn sign(&mut self, message: &[u8]) -> String {
        // SAFETY: takes no arguments.
        let len = unsafe { sys::olm_pk_signature_length() };
        let mut out = vec![0u8; len];
        // SAFETY: `message` readable, `out` writable, for their lengths.
        self.check(unsafe { sys::olm_pk_sign(self.ptr, message.as_ptr(), message.len(), out.as_mut_ptr(), len) })
            .expect("PK sign");
        text(out, len)
    }
}

impl Default for Utility {
    fn default() -> Self {
        Self::new()
    }
}

impl Utility {
    /// A utility object.
    pub fn new() -> Self {
        Self::blank()
    }

    /// `olm_ed25519_verify`.
    pub fn ed25519_verify(&mut self, key: &str, message: &[u8], signature: &str) -> bool {
        let mut sig = signature.as_bytes().to_vec();
        // SAFETY: `key` and `message` readable, `sig` writable (decoded in place).
        let r = unsafe {
            sys::olm_ed25519_verify(
                self.ptr,
                key.as_ptr().cast(),
                key.len(),
                message.as_ptr().cast(),
                message.len(),
                sig.as_mut_ptr().cast(),
                sig.len(),
            )
        };
        self.check(r).is_ok()
    }
}
