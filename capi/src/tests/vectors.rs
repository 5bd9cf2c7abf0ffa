//! The known-answer vectors of `test-vectors/` (format:
//! `test-vectors/README.md`), run through the C API: every operation goes
//! through the library's exported `extern "C"` functions, with buffers and
//! lengths as a C program passes them, never through the core crate.
//!
//! Run with `cargo test -p olm-capi vectors -- --nocapture` (a unit test
//! rather than an integration test: this crate builds no rlib, whose name
//! would clash with the core crate's). Like the core crate's runner it reads
//! `OLM_TEST_VECTORS` for an extra folder, prints one line per kind and a
//! total, and fails on any failed vector or when it found none.
//!
//! The loop over the files, the format's model (allowed keys, failure
//! classes) and the comparisons are shared with the core crate's runner
//! (`tests/vectors.rs`) in `test-vectors/runner`; this file only drives the
//! C API.
//!
//! Expected failures are checked against libolm's error codes: a vector's
//! `error` names what the case is, and libolm folds several cases into one
//! code (`BAD_MESSAGE_MAC` for a bad MAC, a replay, a gap...), so a code
//! passes when it is the one libolm gives for one of the accepted cases
//! (the table in `test-vectors/README.md`). After every expected failure the
//! object's libolm pickle must be what it was before.

use std::{ffi::c_void, path::PathBuf};

use serde_json::Value;
use vector_runner::{
    Outcome,
    class::{Class, Failure, judge, judge_unchanged},
    fields::{
        Source, array_field, bool_field, check_eq, check_keys, decrypt_source, fallback_key, hex_field, opt_str_field,
        str_field, u32_field, u64_field, usize_field,
    },
    hex::{decode as hex, encode as to_hex},
    model::{PickleVector, Transcript},
    run::{Kind, roots, run_all},
};

use super::{vm, vp};
use crate::{account::*, error::OlmErrorCode, megolm::*, olm_error, pk::*, sas::*, session::*, utility::*};

/// Bytes libolm wrote, as text (all its text output is ASCII).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| format!("<not UTF-8: {e}>"))
}

/// An optional string field; a present field of another type is refused.
fn opt_str<'a>(v: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    opt_str_field(v, name)
}

// ---------------------------------------------------------------------------
// Error codes and classes.

/// A libolm error code, as an object's `last_error_code` gives it.
#[derive(Clone, Copy, Debug)]
struct Code(u32);

impl Code {
    const BAD_MESSAGE_FORMAT: Self = Self(OlmErrorCode::BadMessageFormat as u32);
}

/// The failure classes of the format that libolm reports with `code`:
/// every code named, each with the cases libolm folds into it.
fn classes(code: OlmErrorCode) -> &'static [Class] {
    match code {
        OlmErrorCode::BadMessageVersion | OlmErrorCode::UnknownPickleVersion | OlmErrorCode::BadLegacyAccountPickle => {
            &[Class::Version]
        }
        OlmErrorCode::BadMessageFormat
        | OlmErrorCode::InvalidBase64
        | OlmErrorCode::CorruptedPickle
        | OlmErrorCode::PickleExtraData => &[Class::Decode],
        // Every message that does not decrypt.
        OlmErrorCode::BadMessageMac => &[
            Class::Mac,
            Class::MissingMessageKey,
            Class::MessageGap,
            Class::NonContributory,
        ],
        // The keys of a pre-key message are refused.
        OlmErrorCode::BadMessageKeyId => &[Class::UnknownOneTimeKey, Class::NonContributory],
        OlmErrorCode::BadAccountKey => &[Class::PickleKey],
        // A wrong length or version byte.
        OlmErrorCode::BadSessionKey => &[Class::Decode, Class::Version],
        OlmErrorCode::UnknownMessageIndex => &[Class::UnknownIndex],
        OlmErrorCode::BadSignature => &[Class::Signature],
        // Misuse of the API, never a property of the input: no class.
        OlmErrorCode::Success
        | OlmErrorCode::NotEnoughRandom
        | OlmErrorCode::OutputBufferTooSmall
        | OlmErrorCode::InputBufferTooSmall
        | OlmErrorCode::SasTheirKeyNotSet => &[],
    }
}

impl Failure for Code {
    fn classes(&self) -> &[Class] {
        OlmErrorCode::from_u32(self.0).map_or(&[], classes)
    }

    fn describe(&self) -> String {
        // SAFETY: the function returns a static NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(crate::_olm_error_to_string(self.0)) }
            .to_string_lossy()
            .into_owned()
    }
}

// ---------------------------------------------------------------------------
// Objects in caller-allocated memory, as a C program holds them.

/// An object of the C API in a buffer of its `*_size()` bytes; cleared (and
/// so wiped) on drop.
struct Obj<T> {
    _memory: Vec<u8>,
    ptr: *mut T,
    clear: unsafe extern "C" fn(*mut T) -> usize,
    last_error: unsafe extern "C" fn(*const T) -> u32,
}

impl<T> Obj<T> {
    fn new(
        size: usize,
        init: unsafe extern "C" fn(*mut c_void) -> *mut T,
        clear: unsafe extern "C" fn(*mut T) -> usize,
        last_error: unsafe extern "C" fn(*const T) -> u32,
    ) -> Self {
        let mut memory = vec![0u8; size];
        // SAFETY: the buffer holds the object's size.
        let ptr = unsafe { init(memory.as_mut_ptr().cast()) };
        Self {
            _memory: memory,
            ptr,
            clear,
            last_error,
        }
    }

    /// `ret` as a result: the value, or the object's last error code.
    fn check(&self, ret: usize) -> Result<usize, Code> {
        if ret == olm_error() {
            // SAFETY: `ptr` is a live object.
            Err(Code(unsafe { (self.last_error)(self.ptr) }))
        } else {
            Ok(ret)
        }
    }

    /// As `check`, with a message for an unexpected failure.
    fn expect(&self, what: &str, ret: usize) -> Result<usize, String> {
        self.check(ret).map_err(|code| format!("{what}: {}", code.describe()))
    }
}

impl<T> Drop for Obj<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` is a live object.
        unsafe { (self.clear)(self.ptr) };
    }
}

fn new_account() -> Obj<OlmAccount> {
    Obj::new(
        olm_account_size(),
        olm_account,
        olm_clear_account,
        olm_account_last_error_code,
    )
}

fn new_session() -> Obj<OlmSession> {
    Obj::new(
        olm_session_size(),
        olm_session,
        olm_clear_session,
        olm_session_last_error_code,
    )
}

fn new_utility() -> Obj<OlmUtility> {
    Obj::new(
        olm_utility_size(),
        olm_utility,
        olm_clear_utility,
        olm_utility_last_error_code,
    )
}

fn new_outbound() -> Obj<OlmOutboundGroupSession> {
    Obj::new(
        olm_outbound_group_session_size(),
        olm_outbound_group_session,
        olm_clear_outbound_group_session,
        olm_outbound_group_session_last_error_code,
    )
}

fn new_inbound() -> Obj<OlmInboundGroupSession> {
    Obj::new(
        olm_inbound_group_session_size(),
        olm_inbound_group_session,
        olm_clear_inbound_group_session,
        olm_inbound_group_session_last_error_code,
    )
}

fn new_pk_decryption() -> Obj<OlmPkDecryption> {
    Obj::new(
        olm_pk_decryption_size(),
        olm_pk_decryption,
        olm_clear_pk_decryption,
        olm_pk_decryption_last_error_code,
    )
}

fn new_pk_encryption() -> Obj<OlmPkEncryption> {
    Obj::new(
        olm_pk_encryption_size(),
        olm_pk_encryption,
        olm_clear_pk_encryption,
        olm_pk_encryption_last_error_code,
    )
}

fn new_pk_signing() -> Obj<OlmPkSigning> {
    Obj::new(
        olm_pk_signing_size(),
        olm_pk_signing,
        olm_clear_pk_signing,
        olm_pk_signing_last_error_code,
    )
}

fn new_sas() -> Obj<OlmSAS> {
    Obj::new(olm_sas_size(), olm_sas, olm_clear_sas, olm_sas_last_error_code)
}

/// Checks that libolm's wiping of a random buffer happened.
fn check_wiped(what: &str, random: &[u8]) -> Outcome {
    if random.iter().all(|&b| b == 0) {
        Ok(())
    } else {
        Err(format!("{what}: the random buffer was not wiped"))
    }
}

// ---------------------------------------------------------------------------
// Accounts.

fn create_account(random_hex: &str) -> Result<Obj<OlmAccount>, String> {
    let account = new_account();
    let mut random = hex(random_hex)?;
    // SAFETY: `account` is live; the buffer holds `random.len()` bytes.
    unsafe {
        check_eq(
            "account random length",
            olm_create_account_random_length(account.ptr),
            random.len(),
        )?;
        account.expect(
            "create account",
            olm_create_account(account.ptr, vm(&mut random), random.len()),
        )?;
    }
    check_wiped("create account", &random)?;
    Ok(account)
}

fn identity_keys(account: &Obj<OlmAccount>) -> Result<(String, String), String> {
    // SAFETY: `account` is live; buffers are sized by the length functions.
    let json = unsafe {
        let mut out = vec![0u8; olm_account_identity_keys_length(account.ptr)];
        let len = account.expect(
            "identity keys",
            olm_account_identity_keys(account.ptr, vm(&mut out), out.len()),
        )?;
        out.truncate(len);
        text(out)
    };
    let parsed: Value = serde_json::from_str(&json).map_err(|e| format!("identity JSON {json}: {e}"))?;
    let curve = str_field(&parsed, "curve25519")?.to_owned();
    let ed = str_field(&parsed, "ed25519")?.to_owned();
    check_eq(
        "identity JSON",
        json.as_str(),
        format!("{{\"curve25519\":\"{curve}\",\"ed25519\":\"{ed}\"}}").as_str(),
    )?;
    Ok((curve, ed))
}

fn sign(account: &Obj<OlmAccount>, message: &[u8]) -> Result<String, String> {
    // SAFETY: `account` is live; buffers are sized by the length functions.
    unsafe {
        let mut out = vec![0u8; olm_account_signature_length(account.ptr)];
        let len = account.expect(
            "sign",
            olm_account_sign(account.ptr, vp(message), message.len(), vm(&mut out), out.len()),
        )?;
        out.truncate(len);
        Ok(text(out))
    }
}

fn verify(key: &str, message: &[u8], signature: &str) -> Outcome {
    let utility = new_utility();
    let mut signature = signature.as_bytes().to_vec();
    // SAFETY: `utility` is live; the buffers hold their lengths.
    let ret = unsafe {
        olm_ed25519_verify(
            utility.ptr,
            vp(key.as_bytes()),
            key.len(),
            vp(message),
            message.len(),
            vm(&mut signature),
            signature.len(),
        )
    };
    utility.expect("verify", ret).map(drop)
}

/// Reads a key JSON (`{"curve25519":{...}}`) into (id, key) pairs, in the
/// order written, checking it is exactly what libolm would write.
fn key_list(json: &str) -> Result<Vec<(String, String)>, String> {
    let parsed: Value = serde_json::from_str(json).map_err(|e| format!("key JSON {json}: {e}"))?;
    let map = parsed
        .get("curve25519")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("key JSON {json}: no curve25519 object"))?;
    // serde_json's map is ordered by key; recover the written order.
    let mut keys: Vec<(String, String)> = map
        .iter()
        .map(|(id, key)| (id.clone(), key.as_str().unwrap_or_default().to_owned()))
        .collect();
    keys.sort_by_key(|(id, _)| json.find(&format!("\"{id}\"")));
    let rebuilt: Vec<String> = keys.iter().map(|(id, key)| format!("\"{id}\":\"{key}\"")).collect();
    check_eq(
        "key JSON",
        json,
        format!("{{\"curve25519\":{{{}}}}}", rebuilt.join(",")).as_str(),
    )?;
    Ok(keys)
}

type LengthFn = unsafe extern "C" fn(*const OlmAccount) -> usize;
type JsonFn = unsafe extern "C" fn(*mut OlmAccount, *mut c_void, usize) -> usize;

fn account_json(account: &Obj<OlmAccount>, length: LengthFn, write: JsonFn) -> Result<String, String> {
    // SAFETY: `account` is live; the buffer is sized by the length function.
    unsafe {
        let mut out = vec![0u8; length(account.ptr)];
        let len = account.expect("key JSON", write(account.ptr, vm(&mut out), out.len()))?;
        check_eq("key JSON length", len, out.len())?;
        Ok(text(out))
    }
}

fn one_time_keys(account: &Obj<OlmAccount>) -> Result<Vec<(String, String)>, String> {
    let keys = key_list(&account_json(
        account,
        olm_account_one_time_keys_length,
        olm_account_one_time_keys,
    )?)?;
    // libolm lists the newest key first.
    let mut descending = keys.clone();
    descending.sort_by(|a, b| b.0.cmp(&a.0));
    check_eq("one-time key order", &keys, &descending)?;
    Ok(keys)
}

fn unpublished_fallback_key(account: &Obj<OlmAccount>) -> Result<Vec<(String, String)>, String> {
    key_list(&account_json(
        account,
        olm_account_unpublished_fallback_key_length,
        olm_account_unpublished_fallback_key,
    )?)
}

fn generate_one_time_keys(account: &Obj<OlmAccount>, count: usize, random_hex: &str) -> Outcome {
    let mut random = hex(random_hex)?;
    // SAFETY: `account` is live; the buffer holds `random.len()` bytes.
    unsafe {
        check_eq(
            "one-time key random length",
            olm_account_generate_one_time_keys_random_length(account.ptr, count),
            random.len(),
        )?;
        let n = account.expect(
            "generate one-time keys",
            olm_account_generate_one_time_keys(account.ptr, count, vm(&mut random), random.len()),
        )?;
        check_eq("generated", n, count)?;
    }
    check_wiped("one-time keys", &random)
}

fn generate_fallback_key(account: &Obj<OlmAccount>, random_hex: &str) -> Outcome {
    let mut random = hex(random_hex)?;
    // SAFETY: `account` is live; the buffer holds `random.len()` bytes.
    unsafe {
        check_eq(
            "fallback random length",
            olm_account_generate_fallback_key_random_length(account.ptr),
            random.len(),
        )?;
        account.expect(
            "generate fallback key",
            olm_account_generate_fallback_key(account.ptr, vm(&mut random), random.len()),
        )?;
    }
    check_wiped("fallback key", &random)
}

fn run_account(v: &Value) -> Outcome {
    let account = create_account(str_field(v, "account_random")?)?;
    let (curve, ed) = identity_keys(&account)?;
    check_eq("curve25519", curve.as_str(), str_field(v, "curve25519")?)?;
    check_eq("ed25519", ed.as_str(), str_field(v, "ed25519")?)?;
    for case in array_field(v, "sign")? {
        let message = hex_field(case, "message")?;
        let signature = sign(&account, &message)?;
        check_eq("signature", signature.as_str(), str_field(case, "signature")?)?;
        verify(&ed, &message, &signature)?;
    }
    if let Some(otks) = v.get("one_time_keys") {
        let expected = array_field(otks, "keys")?;
        generate_one_time_keys(&account, expected.len(), str_field(otks, "random")?)?;
        // Listed in generation order in the vector, newest first by libolm.
        let expected: Vec<(String, String)> = expected
            .iter()
            .rev()
            .map(|k| Ok((str_field(k, "key_id")?.to_owned(), str_field(k, "key")?.to_owned())))
            .collect::<Result<_, String>>()?;
        check_eq("one-time keys", one_time_keys(&account)?, expected)?;
    }
    if let Some(fallback) = v.get("fallback_key") {
        generate_fallback_key(&account, str_field(fallback, "random")?)?;
        let expected = vec![(
            str_field(fallback, "key_id")?.to_owned(),
            str_field(fallback, "key")?.to_owned(),
        )];
        check_eq("fallback key", unpublished_fallback_key(&account)?, expected.clone())?;
        let deprecated = key_list(&account_json(
            &account,
            olm_account_fallback_key_length,
            olm_account_fallback_key,
        )?)?;
        check_eq("fallback key (deprecated call)", deprecated, expected)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Olm sessions.

fn session_id(session: &Obj<OlmSession>) -> Result<String, String> {
    // SAFETY: `session` is live; the buffer is sized by the length function.
    unsafe {
        let mut out = vec![0u8; olm_session_id_length(session.ptr)];
        let len = session.expect("session id", olm_session_id(session.ptr, vm(&mut out), out.len()))?;
        out.truncate(len);
        Ok(text(out))
    }
}

/// Encrypts with the exact random bytes given, checking libolm's amounts.
fn encrypt(session: &Obj<OlmSession>, plaintext: &[u8], random_hex: &str) -> Result<(usize, String), String> {
    let mut random = hex(random_hex)?;
    // SAFETY: `session` is live; buffers are sized by the length functions.
    unsafe {
        check_eq(
            "encrypt random length",
            olm_encrypt_random_length(session.ptr),
            random.len(),
        )?;
        let message_type = session.expect("message type", olm_encrypt_message_type(session.ptr))?;
        let mut out = vec![0u8; olm_encrypt_message_length(session.ptr, plaintext.len())];
        let len = session.expect(
            "encrypt",
            olm_encrypt(
                session.ptr,
                vp(plaintext),
                plaintext.len(),
                vm(&mut random),
                random.len(),
                vm(&mut out),
                out.len(),
            ),
        )?;
        check_eq("message length", len, out.len())?;
        check_wiped("encrypt", &random)?;
        Ok((message_type, text(out)))
    }
}

/// Decrypts; `Err(Ok(code))` is a failure with a libolm code.
fn decrypt(session: &Obj<OlmSession>, message_type: usize, message: &str) -> Result<Vec<u8>, Code> {
    let mut copy = message.as_bytes().to_vec();
    // SAFETY: `session` is live; buffers hold their lengths.
    unsafe {
        let max = session.check(olm_decrypt_max_plaintext_length(
            session.ptr,
            message_type,
            vm(&mut copy),
            copy.len(),
        ))?;
        let mut plaintext = vec![0u8; max];
        let len = session.check(olm_decrypt(
            session.ptr,
            message_type,
            vm(&mut copy),
            copy.len(),
            vm(&mut plaintext),
            plaintext.len(),
        ))?;
        plaintext.truncate(len);
        Ok(plaintext)
    }
}

type Party = vector_runner::model::Party<Obj<OlmAccount>, Obj<OlmSession>>;

/// Bob's first pre-key message: libolm's three steps (create the session
/// without decrypting, decrypt, remove the one-time key). On failure Bob
/// stays without a session and keeps his key, as the vectors expect.
fn first_decrypt(bob: &mut Party, alice_identity: &str, message: &str) -> Result<Vec<u8>, Code> {
    let session = new_session();
    let mut copy = message.as_bytes().to_vec();
    // SAFETY: both objects are live; buffers hold their lengths.
    unsafe {
        session.check(olm_create_inbound_session_from(
            session.ptr,
            bob.account.ptr,
            vp(alice_identity.as_bytes()),
            alice_identity.len(),
            vm(&mut copy),
            copy.len(),
        ))?;
        let matches = session.check(olm_matches_inbound_session(session.ptr, vm(&mut copy), copy.len()))?;
        assert_eq!(matches, 1, "a new inbound session matches its own message");
        let plaintext = decrypt(&session, 0, message)?;
        bob.account
            .check(olm_remove_one_time_keys(bob.account.ptr, session.ptr))?;
        bob.session = Some(session);
        Ok(plaintext)
    }
}

/// The libolm pickle of what a failed decryption must leave unchanged: the
/// party's session, or its account before it has one.
fn party_snapshot(party: &Party) -> Result<String, String> {
    match &party.session {
        Some(session) => session_snapshot(session),
        None => pickled(
            "account",
            &party.account,
            olm_pickle_account_length,
            olm_pickle_account,
            SNAPSHOT_KEY,
        ),
    }
}

fn run_session(v: &Value) -> Outcome {
    let alice_spec = v.get("alice").ok_or("missing `alice`")?;
    let bob_spec = v.get("bob").ok_or("missing `bob`")?;
    let alice_account = create_account(str_field(alice_spec, "account_random")?)?;
    let bob_account = create_account(str_field(bob_spec, "account_random")?)?;
    let key_random = str_field(bob_spec, "one_time_key_random")?;
    let bob_keys = if bool_field(bob_spec, "use_fallback_key")? {
        generate_fallback_key(&bob_account, key_random)?;
        unpublished_fallback_key(&bob_account)?
    } else {
        generate_one_time_keys(&bob_account, 1, key_random)?;
        one_time_keys(&bob_account)?
    };
    let bob_key = bob_keys.first().ok_or("Bob has no key")?.1.clone();
    // SAFETY: `bob_account` is live.
    unsafe { olm_account_mark_keys_as_published(bob_account.ptr) };
    let (bob_identity, _) = identity_keys(&bob_account)?;
    let (alice_identity, _) = identity_keys(&alice_account)?;

    let alice_session = new_session();
    let mut random = hex_field(v, "outbound_random")?;
    // SAFETY: the objects are live; buffers hold their lengths.
    unsafe {
        check_eq(
            "outbound random length",
            olm_create_outbound_session_random_length(alice_session.ptr),
            random.len(),
        )?;
        alice_session.expect(
            "outbound session",
            olm_create_outbound_session(
                alice_session.ptr,
                alice_account.ptr,
                vp(bob_identity.as_bytes()),
                bob_identity.len(),
                vp(bob_key.as_bytes()),
                bob_key.len(),
                vm(&mut random),
                random.len(),
            ),
        )?;
    }
    check_wiped("outbound session", &random)?;
    let expected_id = str_field(v, "session_id")?;
    check_eq("Alice's session id", session_id(&alice_session)?.as_str(), expected_id)?;

    let mut transcript: Transcript<Obj<OlmAccount>, Obj<OlmSession>, (usize, String)> =
        Transcript::new(alice_account, alice_session, bob_account);

    for (i, event) in array_field(v, "events")?.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        let (party, sent) = transcript.party(event).map_err(context)?;
        match op {
            "encrypt" => {
                let session = party.session.as_ref().ok_or_else(|| context("no session yet".into()))?;
                let (message_type, message) =
                    encrypt(session, &hex_field(event, "plaintext")?, str_field(event, "random")?).map_err(context)?;
                check_eq("message type", message_type as u64, u64_field(event, "message_type")?).map_err(context)?;
                check_eq("ciphertext", message.as_str(), str_field(event, "ciphertext")?).map_err(context)?;
                if let Some(id) = opt_str(event, "id")? {
                    sent.insert(id.to_owned(), (message_type, message));
                }
            }
            "decrypt" => {
                let (message_type, message) = match decrypt_source(event).map_err(context)? {
                    Source::Inline(message_type, ciphertext) => (message_type, ciphertext.to_owned()),
                    Source::Sent(id) => sent
                        .get(id)
                        .cloned()
                        .ok_or_else(|| context(format!("no message `{id}`")))?,
                };
                let decrypt = |party: &mut Party| match (&party.session, message_type) {
                    (Some(session), _) => decrypt(session, message_type, &message),
                    (None, 0) => first_decrypt(party, &alice_identity, &message),
                    // A normal message before any session: libolm's
                    // decoder would not get that far either.
                    (None, _) => Err(Code::BAD_MESSAGE_FORMAT),
                };
                let check = |plaintext: Vec<u8>| {
                    check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?))
                };
                judge_unchanged(event.get("error"), party, party_snapshot, decrypt, check).map_err(context)?;
            }
            other => return Err(format!("event {i}: unknown op `{other}`")),
        }
    }
    if let Some(session) = transcript.bob_session() {
        check_eq("Bob's session id", session_id(session)?.as_str(), expected_id)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Megolm.

fn group_session_key(session: &Obj<OlmOutboundGroupSession>) -> Result<String, String> {
    // SAFETY: `session` is live; the buffer is sized by the length function.
    unsafe {
        let mut out = vec![0u8; olm_outbound_group_session_key_length(session.ptr)];
        let len = session.expect(
            "session key",
            olm_outbound_group_session_key(session.ptr, out.as_mut_ptr(), out.len()),
        )?;
        out.truncate(len);
        Ok(text(out))
    }
}

fn outbound_id(session: &Obj<OlmOutboundGroupSession>) -> Result<String, String> {
    // SAFETY: as above.
    unsafe {
        let mut out = vec![0u8; olm_outbound_group_session_id_length(session.ptr)];
        let len = session.expect(
            "session id",
            olm_outbound_group_session_id(session.ptr, out.as_mut_ptr(), out.len()),
        )?;
        out.truncate(len);
        Ok(text(out))
    }
}

fn inbound_id(session: &Obj<OlmInboundGroupSession>) -> Result<String, String> {
    // SAFETY: as above.
    unsafe {
        let mut out = vec![0u8; olm_inbound_group_session_id_length(session.ptr)];
        let len = session.expect(
            "session id",
            olm_inbound_group_session_id(session.ptr, out.as_mut_ptr(), out.len()),
        )?;
        out.truncate(len);
        Ok(text(out))
    }
}

/// Starts an inbound session from a session key (`export` false) or an
/// exported key; `Err(code)` on failure.
fn inbound_from(key: &str, export: bool) -> Result<Obj<OlmInboundGroupSession>, Code> {
    let session = new_inbound();
    let init = if export {
        olm_import_inbound_group_session
    } else {
        olm_init_inbound_group_session
    };
    // SAFETY: `session` is live; the key holds its length.
    session.check(unsafe { init(session.ptr, key.as_ptr(), key.len()) })?;
    Ok(session)
}

/// Decrypts a Megolm message: (plaintext, index) or a libolm code.
fn group_decrypt(session: &Obj<OlmInboundGroupSession>, message: &str) -> Result<(Vec<u8>, u32), Code> {
    let mut copy = message.as_bytes().to_vec();
    // SAFETY: `session` is live; buffers hold their lengths.
    unsafe {
        let max = session.check(olm_group_decrypt_max_plaintext_length(
            session.ptr,
            copy.as_mut_ptr(),
            copy.len(),
        ))?;
        let mut plaintext = vec![0u8; max];
        let mut index = u32::MAX;
        let len = session.check(olm_group_decrypt(
            session.ptr,
            copy.as_mut_ptr(),
            copy.len(),
            plaintext.as_mut_ptr(),
            plaintext.len(),
            &mut index,
        ))?;
        plaintext.truncate(len);
        Ok((plaintext, index))
    }
}

fn run_group_events(session: &Obj<OlmOutboundGroupSession>, events: &[Value]) -> Outcome {
    let reader = inbound_from(&group_session_key(session)?, false).map_err(|c| format!("reader: {}", c.describe()))?;
    for (i, event) in events.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        // SAFETY: `session` is live.
        let index = unsafe { olm_outbound_group_session_message_index(session.ptr) };
        check_eq("message index", u64::from(index), u64_field(event, "message_index")?).map_err(context)?;
        match op {
            "session_key" => {
                check_eq(
                    "session key",
                    group_session_key(session)?.as_str(),
                    str_field(event, "session_key")?,
                )
                .map_err(context)?;
            }
            "encrypt" => {
                let plaintext = hex_field(event, "plaintext")?;
                // SAFETY: `session` is live; buffers hold their lengths.
                let message = unsafe {
                    let mut out = vec![0u8; olm_group_encrypt_message_length(session.ptr, plaintext.len())];
                    let len = session.expect(
                        "encrypt",
                        olm_group_encrypt(
                            session.ptr,
                            plaintext.as_ptr(),
                            plaintext.len(),
                            out.as_mut_ptr(),
                            out.len(),
                        ),
                    )?;
                    check_eq("message length", len, out.len()).map_err(context)?;
                    text(out)
                };
                check_eq("ciphertext", message.as_str(), str_field(event, "ciphertext")?).map_err(context)?;
                let (decrypted, decrypted_index) = group_decrypt(&reader, &message)
                    .map_err(|c| context(format!("own decryption: {}", c.describe())))?;
                check_eq("own decryption", to_hex(&decrypted), to_hex(&plaintext)).map_err(context)?;
                check_eq("own index", decrypted_index, index).map_err(context)?;
            }
            other => return Err(context(format!("unknown op `{other}`"))),
        }
    }
    Ok(())
}

fn run_megolm(v: &Value) -> Outcome {
    let session = new_outbound();
    let mut random = hex_field(v, "random")?;
    // SAFETY: `session` is live; the buffer holds its length.
    unsafe {
        check_eq(
            "random length",
            olm_init_outbound_group_session_random_length(session.ptr),
            random.len(),
        )?;
        session.expect(
            "init",
            olm_init_outbound_group_session(session.ptr, random.as_mut_ptr(), random.len()),
        )?;
    }
    check_wiped("init", &random)?;
    check_eq(
        "session id",
        outbound_id(&session)?.as_str(),
        str_field(v, "session_id")?,
    )?;
    run_group_events(&session, array_field(v, "events")?)
}

/// An inbound group session's libolm pickle.
fn inbound_snapshot(session: &Obj<OlmInboundGroupSession>) -> Result<String, String> {
    pickled(
        "inbound_group_session",
        session,
        olm_pickle_inbound_group_session_length,
        olm_pickle_inbound_group_session,
        SNAPSHOT_KEY,
    )
}

fn run_inbound_events(session: &Obj<OlmInboundGroupSession>, events: &[Value]) -> Outcome {
    for (i, event) in events.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        let expected_error = event.get("error");
        let mut session = session;
        match op {
            "decrypt" => {
                let ciphertext = str_field(event, "ciphertext")?;
                judge_unchanged(
                    expected_error,
                    &mut session,
                    |session| inbound_snapshot(session),
                    |session| group_decrypt(session, ciphertext),
                    |(plaintext, index)| {
                        check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?))?;
                        check_eq("message index", u64::from(index), u64_field(event, "message_index")?)
                    },
                )
                .map_err(context)?;
            }
            "export" => {
                let index = u32_field(event, "message_index")?;
                // SAFETY: `session` is live; the buffer is sized by the
                // length function.
                let export = |session: &mut &Obj<OlmInboundGroupSession>| unsafe {
                    let mut out = vec![0u8; olm_export_inbound_group_session_length(session.ptr)];
                    session
                        .check(olm_export_inbound_group_session(
                            session.ptr,
                            out.as_mut_ptr(),
                            out.len(),
                            index,
                        ))
                        .map(|len| {
                            out.truncate(len);
                            text(out)
                        })
                };
                judge_unchanged(
                    expected_error,
                    &mut session,
                    |s| inbound_snapshot(s),
                    export,
                    |export| {
                        check_eq(
                            "exported session key",
                            export.as_str(),
                            str_field(event, "exported_session_key")?,
                        )
                    },
                )
                .map_err(context)?;
            }
            other => return Err(context(format!("unknown op `{other}`"))),
        }
    }
    Ok(())
}

fn run_megolm_inbound(v: &Value) -> Outcome {
    let imported = match (opt_str(v, "session_key")?, opt_str(v, "exported_session_key")?) {
        (Some(key), None) => inbound_from(key, false),
        (None, Some(key)) => inbound_from(key, true),
        _ => return Err("exactly one of `session_key` and `exported_session_key` must be given".into()),
    };
    let mut session = None;
    judge(v.get("import_error"), imported, |imported| {
        session = Some(imported);
        Ok(())
    })
    .map_err(|e| format!("import: {e}"))?;
    let Some(session) = session else {
        return check_eq("events after a failed import", array_field(v, "events")?.len(), 0);
    };
    check_eq(
        "session id",
        inbound_id(&session)?.as_str(),
        str_field(v, "session_id")?,
    )?;
    // SAFETY: `session` is live.
    let first = unsafe { olm_inbound_group_session_first_known_index(session.ptr) };
    check_eq(
        "first known index",
        u64::from(first),
        u64_field(v, "first_known_index")?,
    )?;
    // SAFETY: as above.
    let verified = unsafe { olm_inbound_group_session_is_verified(session.ptr) };
    check_eq("verified", verified, i32::from(opt_str(v, "session_key")?.is_some()))?;
    run_inbound_events(&session, array_field(v, "events")?)
}

// ---------------------------------------------------------------------------
// libolm pickles.

type UnpickleFn<T> = unsafe extern "C" fn(*mut T, *const c_void, usize, *mut c_void, usize) -> usize;
type PickleFn<T> = unsafe extern "C" fn(*mut T, *const c_void, usize, *mut c_void, usize) -> usize;
type PickleLengthFn<T> = unsafe extern "C" fn(*const T) -> usize;

/// Unpickles into `object`; `Err(code)` on failure.
fn unpickle<T>(object: &Obj<T>, unpickle: UnpickleFn<T>, key: &[u8], pickle: &str) -> Result<(), Code> {
    let mut copy = pickle.as_bytes().to_vec();
    // SAFETY: `object` is live; buffers hold their lengths.
    let ret = unsafe { unpickle(object.ptr, vp(key), key.len(), vm(&mut copy), copy.len()) };
    let len = object.check(ret)?;
    assert_eq!(len, pickle.len(), "unpickling returns the pickle's length");
    Ok(())
}

/// The key of the pickles that show an object unchanged after an expected
/// failure (libolm's pickles are deterministic).
const SNAPSHOT_KEY: &[u8] = b"state before and after a failure";

/// `object`'s libolm pickle under `key`.
fn pickled<T>(
    what: &str,
    object: &Obj<T>,
    length: PickleLengthFn<T>,
    pickle_fn: PickleFn<T>,
    key: &[u8],
) -> Result<String, String> {
    // SAFETY: `object` is live; the buffer is sized by the length function.
    unsafe {
        let mut out = vec![0u8; length(object.ptr)];
        let len = object.expect(what, pickle_fn(object.ptr, vp(key), key.len(), vm(&mut out), out.len()))?;
        check_eq(&format!("{what} pickle length"), len, out.len())?;
        Ok(text(out))
    }
}

/// A session's libolm pickle.
fn session_snapshot(session: &Obj<OlmSession>) -> Result<String, String> {
    pickled(
        "session",
        session,
        olm_pickle_session_length,
        olm_pickle_session,
        SNAPSHOT_KEY,
    )
}

/// Pickles `object` again and compares with the original, byte for byte.
fn check_repickle<T>(
    what: &str,
    object: &Obj<T>,
    length: PickleLengthFn<T>,
    pickle_fn: PickleFn<T>,
    key: &[u8],
    pickle: &str,
) -> Outcome {
    let written = pickled(what, object, length, pickle_fn, key)?;
    check_eq(&format!("{what} re-export"), written.as_str(), pickle)
}

fn run_pickle(v: &Value) -> Outcome {
    let PickleVector {
        object,
        key,
        pickle,
        expect,
        events,
    } = PickleVector::read(v)?;
    let result = match object {
        "account" => {
            let account = new_account();
            unpickle(&account, olm_unpickle_account, &key, pickle).map(|()| {
                check_repickle(
                    "account",
                    &account,
                    olm_pickle_account_length,
                    olm_pickle_account,
                    &key,
                    pickle,
                )
                .and_then(|()| pickled_account(&account, &expect, events))
            })
        }
        "session" => {
            let session = new_session();
            unpickle(&session, olm_unpickle_session, &key, pickle).map(|()| {
                check_repickle(
                    "session",
                    &session,
                    olm_pickle_session_length,
                    olm_pickle_session,
                    &key,
                    pickle,
                )
                .and_then(|()| pickled_session(&session, &expect, events))
            })
        }
        "group_session" => {
            let session = new_outbound();
            unpickle(&session, olm_unpickle_outbound_group_session, &key, pickle).map(|()| {
                check_repickle(
                    "group_session",
                    &session,
                    olm_pickle_outbound_group_session_length,
                    olm_pickle_outbound_group_session,
                    &key,
                    pickle,
                )
                .and_then(|()| pickled_group(&session, &expect, events))
            })
        }
        "inbound_group_session" => {
            let session = new_inbound();
            unpickle(&session, olm_unpickle_inbound_group_session, &key, pickle).map(|()| {
                check_repickle(
                    "inbound_group_session",
                    &session,
                    olm_pickle_inbound_group_session_length,
                    olm_pickle_inbound_group_session,
                    &key,
                    pickle,
                )
                .and_then(|()| pickled_inbound(&session, &expect, events))
            })
        }
        "pk_decryption" => pickled_pk(&key, pickle, &expect),
        other => return Err(format!("object `{other}` is not supported")),
    };
    judge(v.get("error"), result, |outcome| outcome)
}

fn pickled_account(account: &Obj<OlmAccount>, expect: &Value, events: &[Value]) -> Outcome {
    let (curve, ed) = identity_keys(account)?;
    if let Some(expected) = opt_str(expect, "curve25519")? {
        check_eq("curve25519", curve.as_str(), expected)?;
    }
    if let Some(expected) = opt_str(expect, "ed25519")? {
        check_eq("ed25519", ed.as_str(), expected)?;
    }
    if let Some(keys) = expect.get("one_time_keys") {
        let keys = keys.as_array().ok_or("`one_time_keys` is not a list")?;
        check_keys("one-time keys", one_time_keys(account)?, keys)?;
    }
    if let Some(fallback) = expect.get("fallback_key") {
        check_eq(
            "fallback key",
            unpublished_fallback_key(account)?,
            fallback_key(fallback)?,
        )?;
    }
    for (i, event) in events.iter().enumerate() {
        match str_field(event, "op")? {
            "sign" => check_eq(
                &format!("event {i} signature"),
                sign(account, &hex_field(event, "message")?)?.as_str(),
                str_field(event, "signature")?,
            )?,
            other => return Err(format!("event {i}: unknown account op `{other}`")),
        }
    }
    Ok(())
}

fn pickled_session(session: &Obj<OlmSession>, expect: &Value, events: &[Value]) -> Outcome {
    if let Some(expected) = opt_str(expect, "session_id")? {
        check_eq("session id", session_id(session)?.as_str(), expected)?;
    }
    for (i, event) in events.iter().enumerate() {
        let context = |e: String| format!("event {i}: {e}");
        match str_field(event, "op")? {
            "encrypt" => {
                let (message_type, message) =
                    encrypt(session, &hex_field(event, "plaintext")?, str_field(event, "random")?).map_err(context)?;
                check_eq("message type", message_type as u64, u64_field(event, "message_type")?).map_err(context)?;
                check_eq("ciphertext", message.as_str(), str_field(event, "ciphertext")?).map_err(context)?;
            }
            "decrypt" => {
                let message_type = usize_field(event, "message_type")?;
                let ciphertext = str_field(event, "ciphertext")?;
                let mut session = session;
                judge_unchanged(
                    event.get("error"),
                    &mut session,
                    |session| session_snapshot(session),
                    |session| decrypt(session, message_type, ciphertext),
                    |plaintext| check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?)),
                )
                .map_err(context)?;
            }
            other => return Err(format!("event {i}: unknown session op `{other}`")),
        }
    }
    Ok(())
}

fn pickled_group(session: &Obj<OlmOutboundGroupSession>, expect: &Value, events: &[Value]) -> Outcome {
    if let Some(expected) = opt_str(expect, "session_id")? {
        check_eq("session id", outbound_id(session)?.as_str(), expected)?;
    }
    if expect.get("message_index").is_some() {
        // SAFETY: `session` is live.
        let index = unsafe { olm_outbound_group_session_message_index(session.ptr) };
        check_eq("message index", u64::from(index), u64_field(expect, "message_index")?)?;
    }
    if let Some(expected) = opt_str(expect, "session_key")? {
        check_eq("session key", group_session_key(session)?.as_str(), expected)?;
    }
    run_group_events(session, events)
}

fn pickled_inbound(session: &Obj<OlmInboundGroupSession>, expect: &Value, events: &[Value]) -> Outcome {
    if let Some(expected) = opt_str(expect, "session_id")? {
        check_eq("session id", inbound_id(session)?.as_str(), expected)?;
    }
    if expect.get("first_known_index").is_some() {
        // SAFETY: `session` is live.
        let first = unsafe { olm_inbound_group_session_first_known_index(session.ptr) };
        check_eq(
            "first known index",
            u64::from(first),
            u64_field(expect, "first_known_index")?,
        )?;
    }
    run_inbound_events(session, events)
}

/// A PkDecryption pickle: its unpickling also writes the public key.
fn pickled_pk(key: &[u8], pickle: &str, expect: &Value) -> Result<Outcome, Code> {
    let decryption = new_pk_decryption();
    let mut copy = pickle.as_bytes().to_vec();
    let mut public = vec![0u8; olm_pk_key_length()];
    // SAFETY: `decryption` is live; buffers hold their lengths.
    let ret = unsafe {
        olm_unpickle_pk_decryption(
            decryption.ptr,
            vp(key),
            key.len(),
            vm(&mut copy),
            copy.len(),
            vm(&mut public),
            public.len(),
        )
    };
    decryption.check(ret)?;
    Ok(check_repickle(
        "pk_decryption",
        &decryption,
        olm_pickle_pk_decryption_length,
        olm_pickle_pk_decryption,
        key,
        pickle,
    )
    .and_then(|()| match opt_str(expect, "public_key")? {
        Some(expected) => check_eq("public key", text(public).as_str(), expected),
        None => Ok(()),
    }))
}

// ---------------------------------------------------------------------------
// SAS and PK.

fn run_sas(v: &Value) -> Outcome {
    let sas = new_sas();
    let random = hex_field(v, "random")?;
    // SAFETY: `sas` is live; buffers hold their lengths.
    unsafe {
        check_eq("random length", olm_create_sas_random_length(sas.ptr), random.len())?;
        sas.expect("create", olm_create_sas(sas.ptr, vp(&random).cast_mut(), random.len()))?;
        let mut public = vec![0u8; olm_sas_pubkey_length(sas.ptr)];
        sas.expect("public key", olm_sas_get_pubkey(sas.ptr, vm(&mut public), public.len()))?;
        check_eq("public_key", text(public).as_str(), str_field(v, "public_key")?)?;
        check_eq("key set before", olm_sas_is_their_key_set(sas.ptr), 0)?;
        let mut theirs = str_field(v, "their_public_key")?.as_bytes().to_vec();
        sas.expect(
            "their key",
            olm_sas_set_their_key(sas.ptr, vm(&mut theirs), theirs.len()),
        )?;
        check_eq("key set after", olm_sas_is_their_key_set(sas.ptr), 1)?;
    }
    for case in array_field(v, "bytes")? {
        let info = hex_field(case, "info")?;
        let mut out = vec![0u8; usize::try_from(u64_field(case, "length")?).map_err(|e| e.to_string())?];
        // SAFETY: as above.
        unsafe {
            sas.expect(
                "generate bytes",
                olm_sas_generate_bytes(sas.ptr, vp(&info), info.len(), vm(&mut out), out.len()),
            )?;
        }
        check_eq("bytes", to_hex(&out), str_field(case, "bytes")?.to_owned())?;
    }
    for case in array_field(v, "mac")? {
        let input = hex_field(case, "input")?;
        let info = hex_field(case, "info")?;
        let method = str_field(case, "method")?;
        let mac_fn = match method {
            "fixed" => olm_sas_calculate_mac_fixed_base64,
            "libolm_legacy" => olm_sas_calculate_mac,
            "libolm_long_kdf" => olm_sas_calculate_mac_long_kdf,
            other => return Err(format!("unknown MAC method `{other}`")),
        };
        // SAFETY: as above.
        let mac = unsafe {
            let mut out = vec![0u8; olm_sas_mac_length(sas.ptr)];
            sas.expect(
                method,
                mac_fn(
                    sas.ptr,
                    vp(&input),
                    input.len(),
                    vp(&info),
                    info.len(),
                    vm(&mut out),
                    out.len(),
                ),
            )?;
            text(out)
        };
        check_eq(&format!("mac ({method})"), mac.as_str(), str_field(case, "mac")?)?;
    }
    Ok(())
}

/// Decrypts a backup entry; `Err(code)` on failure.
fn pk_decrypt(
    decryption: &Obj<OlmPkDecryption>,
    ciphertext: &str,
    mac: &str,
    ephemeral: &str,
) -> Result<Vec<u8>, Code> {
    let mut copy = ciphertext.as_bytes().to_vec();
    // SAFETY: `decryption` is live; buffers hold their lengths.
    unsafe {
        let mut plaintext = vec![0u8; olm_pk_max_plaintext_length(decryption.ptr, copy.len())];
        let len = decryption.check(olm_pk_decrypt(
            decryption.ptr,
            vp(ephemeral.as_bytes()),
            ephemeral.len(),
            vp(mac.as_bytes()),
            mac.len(),
            vm(&mut copy),
            copy.len(),
            vm(&mut plaintext),
            plaintext.len(),
        ))?;
        plaintext.truncate(len);
        Ok(plaintext)
    }
}

fn run_pk(v: &Value) -> Outcome {
    let decryption = new_pk_decryption();
    if let Some(private) = opt_str(v, "private_key")? {
        let private = hex(private)?;
        let mut public = vec![0u8; olm_pk_key_length()];
        // SAFETY: `decryption` is live; buffers hold their lengths.
        unsafe {
            decryption.expect(
                "key from private",
                olm_pk_key_from_private(
                    decryption.ptr,
                    vm(&mut public),
                    public.len(),
                    vp(&private),
                    private.len(),
                ),
            )?;
            let mut back = vec![0u8; olm_pk_private_key_length()];
            decryption.expect(
                "get private key",
                olm_pk_get_private_key(decryption.ptr, vm(&mut back), back.len()),
            )?;
            check_eq("private key", back, private)?;
        }
        check_eq("public_key", text(public).as_str(), str_field(v, "public_key")?)?;
    }

    for case in array_field(v, "encrypt")? {
        let encryption = new_pk_encryption();
        let recipient = str_field(v, "public_key")?;
        let plaintext = hex_field(case, "plaintext")?;
        let random = hex_field(case, "random")?;
        // SAFETY: `encryption` is live; buffers are sized by the length
        // functions.
        let (ciphertext, mac, ephemeral) = unsafe {
            encryption.expect(
                "recipient",
                olm_pk_encryption_set_recipient_key(encryption.ptr, vp(recipient.as_bytes()), recipient.len()),
            )?;
            check_eq(
                "random length",
                olm_pk_encrypt_random_length(encryption.ptr),
                random.len(),
            )?;
            let mut ciphertext = vec![0u8; olm_pk_ciphertext_length(encryption.ptr, plaintext.len())];
            let mut mac = vec![0u8; olm_pk_mac_length(encryption.ptr)];
            let mut ephemeral = vec![0u8; olm_pk_key_length()];
            encryption.expect(
                "encrypt",
                olm_pk_encrypt(
                    encryption.ptr,
                    vp(&plaintext),
                    plaintext.len(),
                    vm(&mut ciphertext),
                    ciphertext.len(),
                    vm(&mut mac),
                    mac.len(),
                    vm(&mut ephemeral),
                    ephemeral.len(),
                    vp(&random),
                    random.len(),
                ),
            )?;
            (text(ciphertext), text(mac), text(ephemeral))
        };
        check_eq("ciphertext", ciphertext.as_str(), str_field(case, "ciphertext")?)?;
        check_eq("mac", mac.as_str(), str_field(case, "mac")?)?;
        check_eq("ephemeral", ephemeral.as_str(), str_field(case, "ephemeral")?)?;
        let decrypted =
            pk_decrypt(&decryption, &ciphertext, &mac, &ephemeral).map_err(|c| format!("own: {}", c.describe()))?;
        check_eq("round trip", to_hex(&decrypted), to_hex(&plaintext))?;
    }

    let snapshot = |decryption: &Obj<OlmPkDecryption>| {
        pickled(
            "pk_decryption",
            decryption,
            olm_pickle_pk_decryption_length,
            olm_pickle_pk_decryption,
            SNAPSHOT_KEY,
        )
    };
    for case in array_field(v, "decrypt")? {
        let (ciphertext, mac) = (str_field(case, "ciphertext")?, str_field(case, "mac")?);
        let ephemeral = str_field(case, "ephemeral")?;
        let mut decryption = &decryption;
        judge_unchanged(
            case.get("error"),
            &mut decryption,
            |decryption| snapshot(decryption),
            |decryption| pk_decrypt(decryption, ciphertext, mac, ephemeral),
            |plaintext| check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(case, "plaintext")?)),
        )
        .map_err(|e| format!("decrypt: {e}"))?;
    }

    for case in array_field(v, "signing")? {
        let signing = new_pk_signing();
        let seed = hex_field(case, "seed")?;
        let message = hex_field(case, "message")?;
        // SAFETY: `signing` is live; buffers are sized by the length
        // functions.
        let (public, signature) = unsafe {
            check_eq("seed length", olm_pk_signing_seed_length(), seed.len())?;
            let mut public = vec![0u8; olm_pk_signing_public_key_length()];
            signing.expect(
                "key from seed",
                olm_pk_signing_key_from_seed(signing.ptr, vm(&mut public), public.len(), vp(&seed), seed.len()),
            )?;
            let mut signature = vec![0u8; olm_pk_signature_length()];
            let len = signing.expect(
                "sign",
                olm_pk_sign(
                    signing.ptr,
                    message.as_ptr(),
                    message.len(),
                    signature.as_mut_ptr(),
                    signature.len(),
                ),
            )?;
            check_eq("signature length", len, signature.len())?;
            (text(public), text(signature))
        };
        check_eq("signing public_key", public.as_str(), str_field(case, "public_key")?)?;
        check_eq("signature", signature.as_str(), str_field(case, "signature")?)?;
        verify(&public, &message, &signature)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The runner.

/// Every kind of the format, with its runner.
const KINDS: &[Kind] = &[
    Kind {
        name: "olm_account",
        run: Ok(run_account),
    },
    Kind {
        name: "olm_session",
        run: Ok(run_session),
    },
    Kind {
        name: "megolm",
        run: Ok(run_megolm),
    },
    Kind {
        name: "megolm_inbound",
        run: Ok(run_megolm_inbound),
    },
    Kind {
        name: "libolm_pickle",
        run: Ok(run_pickle),
    },
    Kind {
        name: "sas",
        run: Ok(run_sas),
    },
    Kind {
        name: "pk",
        run: Ok(run_pk),
    },
    Kind {
        name: "vodozemac_pickle",
        run: Err("vodozemac's pickles are not part of libolm's C API"),
    },
];

#[test]
fn known_answer_vectors() {
    let roots = roots(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors"));
    assert!(
        run_all("capi vectors", &roots, KINDS),
        "capi vectors: see the lines above"
    );
}
