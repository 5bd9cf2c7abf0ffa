//! `OlmAccount`: identity keys, one-time and fallback keys (olm/olm.h).

use std::ffi::c_void;

use olm_core::{Curve25519PublicKey, KeyId, olm::Account};
use zeroize::Zeroizing;

use crate::{
    buf::{In, Out, Random},
    encoding::{SIGNATURE_B64, key_json, key_json_len},
    envelope,
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle, query},
    rng::Replay,
    untyped,
};

/// The opaque account type of the C API.
#[repr(C)]
pub struct OlmAccount {
    _private: [u8; 0],
}

/// The account kind of object.
pub enum AccountKind {}

impl Kind for AccountKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmACCNT");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = Account;
}

lifecycle!(
    AccountKind,
    OlmAccount,
    olm_account,
    olm_clear_account,
    olm_account_size,
    olm_account_last_error,
    olm_account_last_error_code
);

const ACCOUNT_RANDOM: usize = 64;
const KEY_RANDOM: usize = 32;
const MAX_ONE_TIME_KEYS: usize = 100;
/// `{"curve25519":"<43>","ed25519":"<43>"}`
const IDENTITY_JSON_LEN: usize = 116;
/// The version libolm 3.2 writes.
const PICKLE_VERSION: u32 = 4;
/// The pickle body of an empty account: version, both identity key pairs,
/// no one-time key, no fallback key, the next key id.
const EMPTY_BODY_LEN: usize = 4 + 32 + 64 + 32 + 32 + 4 + 1 + 4;

fn empty_body() -> Zeroizing<Vec<u8>> {
    envelope::empty_body(PICKLE_VERSION, EMPTY_BODY_LEN)
}

/// The unpublished one-time keys, newest first as libolm lists them.
fn unpublished_keys(account: &Account) -> Vec<(KeyId, Curve25519PublicKey)> {
    let mut keys: Vec<_> = account.one_time_keys().into_iter().collect();
    keys.sort_by_key(|(id, _)| std::cmp::Reverse(id.value()));
    keys
}

/// The exact length of `olm_pickle_account`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_account_length(account: *const OlmAccount) -> usize {
    query!(AccountKind, account, usize::MAX, |object: &Object<AccountKind>| {
        match object.state() {
            Ok(account) => account.libolm_pickle_len(),
            Err(_) => envelope::encrypted_len(EMPTY_BODY_LEN),
        }
    })
}

/// Writes the account as libolm's pickle, encrypted with `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_account(
    account: *mut OlmAccount,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key is readable and the pickle buffer writable for their
    // lengths (the crate's contract).
    let (key, pickled) = unsafe { (In::new(key, key_length), Out::new(pickled, pickled_length)) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let live = object.state().ok().map(|account| account.to_libolm_pickle(key.bytes()));
        let pickle = envelope::pickle(key.bytes(), &empty_body(), live)?;
        pickled.write(pickle.as_bytes())
    })
}

/// Restores an account from a libolm pickle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_unpickle_account(
    account: *mut OlmAccount,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key and the pickle are readable for their lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), In::new(pickled, pickled_length)) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let restored = envelope::unpickle(key.bytes(), pickled.bytes(), &empty_body(), |text, _| {
            Account::from_libolm_pickle(text, key.bytes())
        })?;
        object.replace(restored);
        Ok(pickled_length)
    })
}

/// Random bytes `olm_create_account` needs (64).
#[unsafe(no_mangle)]
pub extern "C" fn olm_create_account_random_length(_account: *const OlmAccount) -> usize {
    ACCOUNT_RANDOM
}

/// Creates the account's identity keys from 64 random bytes, then wipes them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_create_account(
    account: *mut OlmAccount,
    random: *mut c_void,
    random_length: usize,
) -> usize {
    // SAFETY: the random buffer is readable and writable for its length.
    let random = unsafe { Random::new(random, random_length) };
    let result = call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        if random.len() < ACCOUNT_RANDOM {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let mut rng = Replay::new(random.bytes());
        object.replace(Some(Account::new_with_rng(&mut rng)));
        Ok(0)
    });
    random.wipe();
    result
}

/// The length of the identity keys JSON (116).
#[unsafe(no_mangle)]
pub extern "C" fn olm_account_identity_keys_length(_account: *const OlmAccount) -> usize {
    IDENTITY_JSON_LEN
}

/// Writes `{"curve25519":"<key>","ed25519":"<key>"}`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_identity_keys(
    account: *mut OlmAccount,
    identity_keys: *mut c_void,
    identity_key_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(identity_keys, identity_key_length) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        out.check(IDENTITY_JSON_LEN)?;
        let keys = object.state()?.identity_keys();
        let json = format!(
            "{{\"curve25519\":\"{}\",\"ed25519\":\"{}\"}}",
            keys.curve25519.to_base64(),
            keys.ed25519.to_base64()
        );
        out.write(json.as_bytes())
    })
}

/// The length of a base64 signature (86).
#[unsafe(no_mangle)]
pub extern "C" fn olm_account_signature_length(_account: *const OlmAccount) -> usize {
    SIGNATURE_B64
}

/// Signs `message` with the account's Ed25519 key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_sign(
    account: *mut OlmAccount,
    message: *const c_void,
    message_length: usize,
    signature: *mut c_void,
    signature_length: usize,
) -> usize {
    // SAFETY: the message is readable and the signature buffer writable for
    // their lengths.
    let (message, out) = unsafe { (In::new(message, message_length), Out::new(signature, signature_length)) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        out.check(SIGNATURE_B64)?;
        let signature = object.state()?.sign(message.bytes());
        out.write(signature.to_base64().as_bytes())
    })
}

/// The length of the one-time keys JSON.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_one_time_keys_length(account: *const OlmAccount) -> usize {
    query!(AccountKind, account, usize::MAX, |object: &Object<AccountKind>| {
        key_json_len(object.state().map_or(0, |account| account.one_time_keys().len()))
    })
}

/// Writes the unpublished one-time keys as JSON, newest first.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_one_time_keys(
    account: *mut OlmAccount,
    one_time_keys: *mut c_void,
    one_time_keys_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(one_time_keys, one_time_keys_length) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let keys = object.state().map(unpublished_keys).unwrap_or_default();
        out.check(key_json_len(keys.len()))?;
        out.write(key_json(keys).as_bytes())
    })
}

/// Marks the one-time keys and the fallback key as published; returns how
/// many one-time keys were newly marked.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_mark_keys_as_published(account: *mut OlmAccount) -> usize {
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        Ok(match object.state_mut() {
            Ok(account) => {
                let count = account.one_time_keys().len();
                account.mark_keys_as_published();
                count
            }
            Err(_) => 0,
        })
    })
}

/// How many one-time keys an account keeps (100).
#[unsafe(no_mangle)]
pub extern "C" fn olm_account_max_number_of_one_time_keys(_account: *const OlmAccount) -> usize {
    MAX_ONE_TIME_KEYS
}

/// Random bytes for `number_of_keys` one-time keys (32 each, saturating).
#[unsafe(no_mangle)]
pub extern "C" fn olm_account_generate_one_time_keys_random_length(
    _account: *const OlmAccount,
    number_of_keys: usize,
) -> usize {
    KEY_RANDOM.saturating_mul(number_of_keys)
}

/// Generates `number_of_keys` one-time keys, then wipes the random bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_generate_one_time_keys(
    account: *mut OlmAccount,
    number_of_keys: usize,
    random: *mut c_void,
    random_length: usize,
) -> usize {
    // SAFETY: the random buffer is readable and writable for its length.
    let random = unsafe { Random::new(random, random_length) };
    let result = call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let needed = KEY_RANDOM
            .checked_mul(number_of_keys)
            .ok_or(OlmErrorCode::NotEnoughRandom)?;
        if random.len() < needed {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let account = object.state_mut()?;
        let mut rng = Replay::new(random.bytes());
        account.generate_one_time_keys_with_rng(number_of_keys, &mut rng);
        Ok(number_of_keys)
    });
    random.wipe();
    result
}

/// Random bytes for a fallback key (32).
#[unsafe(no_mangle)]
pub extern "C" fn olm_account_generate_fallback_key_random_length(_account: *const OlmAccount) -> usize {
    KEY_RANDOM
}

/// Generates a new fallback key, then wipes the random bytes. Returns 1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_generate_fallback_key(
    account: *mut OlmAccount,
    random: *mut c_void,
    random_length: usize,
) -> usize {
    // SAFETY: the random buffer is readable and writable for its length.
    let random = unsafe { Random::new(random, random_length) };
    let result = call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        if random.len() < KEY_RANDOM {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let account = object.state_mut()?;
        let mut rng = Replay::new(random.bytes());
        account.generate_fallback_key_with_rng(&mut rng);
        Ok(1)
    });
    random.wipe();
    result
}

/// The length of `olm_account_fallback_key`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_fallback_key_length(account: *const OlmAccount) -> usize {
    query!(AccountKind, account, usize::MAX, |object: &Object<AccountKind>| {
        let count = object
            .state()
            .map_or(0, |account| usize::from(account.current_fallback_key().is_some()));
        key_json_len(count)
    })
}

/// Deprecated: the current fallback key, published or not, as JSON.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_fallback_key(
    account: *mut OlmAccount,
    fallback_key: *mut c_void,
    fallback_key_size: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(fallback_key, fallback_key_size) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let key = object.state().ok().and_then(Account::current_fallback_key);
        out.check(key_json_len(usize::from(key.is_some())))?;
        out.write(key_json(key).as_bytes())
    })
}

/// The length of `olm_account_unpublished_fallback_key`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_unpublished_fallback_key_length(account: *const OlmAccount) -> usize {
    query!(AccountKind, account, usize::MAX, |object: &Object<AccountKind>| {
        key_json_len(object.state().map_or(0, |account| account.fallback_key().len()))
    })
}

/// The current fallback key if unpublished, as JSON.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_unpublished_fallback_key(
    account: *mut OlmAccount,
    fallback_key: *mut c_void,
    fallback_key_size: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(fallback_key, fallback_key_size) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let keys = object.state().map(Account::fallback_key).unwrap_or_default();
        out.check(key_json_len(keys.len()))?;
        out.write(key_json(keys).as_bytes())
    })
}

/// Forgets the previous fallback key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_account_forget_old_fallback_key(account: *mut OlmAccount) {
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        if let Ok(account) = object.state_mut() {
            account.forget_fallback_key();
        }
        Ok(0)
    });
}

/// The account at `ptr`, for the session functions that take one; `None` if
/// `ptr` is not an account.
///
/// # Safety
///
/// As [`Object::from_ptr`]: `ptr` is an object pointer given to an exported
/// function.
pub(crate) unsafe fn account_at(ptr: *const OlmAccount) -> Option<Object<AccountKind>> {
    // SAFETY: the caller's contract, passed on.
    unsafe { Object::from_ptr(untyped(ptr)) }
}
