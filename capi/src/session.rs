//! `OlmSession`: Olm sessions (olm/olm.h).

use std::ffi::{c_char, c_void};

use olm_core::{
    DecodeError, hazmat,
    olm::{OlmMessage, PreKeyMessage, Session, SessionConfig},
};
use zeroize::Zeroizing;

use crate::{
    account::{AccountKind, OlmAccount},
    buf::{In, Out, Random},
    encoding::{self, KEY_B64, b64_len, cbc_len, varint_len},
    envelope,
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle, query},
    rng::Replay,
    untyped,
};

/// The opaque session type of the C API.
#[repr(C)]
pub struct OlmSession {
    _private: [u8; 0],
}

/// A session, as the C API keeps it.
pub struct SessionState {
    session: Session,
}

/// The session kind of object.
pub enum SessionKind {}

impl Kind for SessionKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmSESSN");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = SessionState;
}

lifecycle!(
    SessionKind,
    OlmSession,
    olm_session,
    olm_clear_session,
    olm_session_size,
    olm_session_last_error,
    olm_session_last_error_code
);

const OUTBOUND_RANDOM: usize = 64;
const RATCHET_RANDOM: usize = 32;
const MAC_LEN: usize = 8;
/// The version libolm writes.
const PICKLE_VERSION: u32 = 1;
/// The pickle body of an empty session: version, flag, three keys and the
/// root key, and three empty lists.
const EMPTY_BODY_LEN: usize = 4 + 1 + 4 * 32 + 3 * 4;

fn empty_body() -> Zeroizing<Vec<u8>> {
    envelope::empty_body(PICKLE_VERSION, EMPTY_BODY_LEN)
}

/// The libolm error code of a message that does not parse.
pub(crate) fn decode_error(error: DecodeError) -> OlmErrorCode {
    match error {
        DecodeError::Version { .. } => OlmErrorCode::BadMessageVersion,
        DecodeError::Base64(_) => OlmErrorCode::InvalidBase64,
        _ => OlmErrorCode::BadMessageFormat,
    }
}

/// The version byte of Olm messages (and of pre-key messages).
const MESSAGE_VERSION: u8 = 3;

impl SessionState {
    fn new(session: Session) -> Self {
        Self { session }
    }

    /// The length of the next message's bytes for `plaintext` bytes, whose
    /// chain index is the sending chain's, or 0 when the message starts a
    /// new ratchet step.
    fn message_len(&self, plaintext: usize) -> usize {
        let index = match self.session.encrypt_needs_randomness() {
            true => 0,
            false => self.session.sending_chain_index().unwrap_or(0),
        };
        raw_message_len(self.session.has_received_message(), index, plaintext)
    }
}

/// The length of an Olm message (pre-key unless `normal`) whose inner message
/// has chain index `index` and `plaintext` bytes, saturating.
fn raw_message_len(normal: bool, index: u32, plaintext: usize) -> usize {
    let ciphertext = cbc_len(plaintext);
    let inner = (1 + (2 + 32) + 1 + varint_len(index as usize) + 1 + varint_len(ciphertext) + MAC_LEN)
        .saturating_add(ciphertext);
    if normal {
        inner
    } else {
        (1 + 3 * (2 + 32) + 1 + varint_len(inner)).saturating_add(inner)
    }
}

/// The exact length of `olm_pickle_session`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_session_length(session: *const OlmSession) -> usize {
    query!(SessionKind, session, usize::MAX, |object: &Object<SessionKind>| {
        match object.state() {
            Ok(state) => state.session.libolm_pickle_len(),
            Err(_) => envelope::encrypted_len(EMPTY_BODY_LEN),
        }
    })
}

/// Writes the session as libolm's pickle, encrypted with `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_session(
    session: *mut OlmSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key is readable and the pickle buffer writable for their
    // lengths (the crate's contract).
    let (key, pickled) = unsafe { (In::new(key, key_length), Out::new(pickled, pickled_length)) };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        let live = object
            .state()
            .ok()
            .map(|state| state.session.to_libolm_pickle(key.bytes()));
        let pickle = envelope::pickle(key.bytes(), &empty_body(), live)?;
        pickled.write(pickle.as_bytes())
    })
}

/// Restores a session from a libolm pickle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_unpickle_session(
    session: *mut OlmSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key and the pickle are readable for their lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), In::new(pickled, pickled_length)) };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        let restored = envelope::unpickle(key.bytes(), pickled.bytes(), &empty_body(), |text, _| {
            Session::from_libolm_pickle(text, key.bytes())
        })?;
        object.replace(restored.map(SessionState::new));
        Ok(pickled_length)
    })
}

/// Random bytes `olm_create_outbound_session` needs (64).
#[unsafe(no_mangle)]
pub extern "C" fn olm_create_outbound_session_random_length(_session: *const OlmSession) -> usize {
    OUTBOUND_RANDOM
}

/// Opens a session to another device; wipes the random bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_create_outbound_session(
    session: *mut OlmSession,
    account: *const OlmAccount,
    their_identity_key: *const c_void,
    their_identity_key_length: usize,
    their_one_time_key: *const c_void,
    their_one_time_key_length: usize,
    random: *mut c_void,
    random_length: usize,
) -> usize {
    // SAFETY: the keys are readable and the random buffer readable and
    // writable for their lengths.
    let (identity_key, one_time_key, random) = unsafe {
        (
            In::new(their_identity_key, their_identity_key_length),
            In::new(their_one_time_key, their_one_time_key_length),
            Random::new(random, random_length),
        )
    };
    if identity_key.len() != KEY_B64 || one_time_key.len() != KEY_B64 {
        // libolm refuses the lengths before it touches the random bytes.
        return call!(SessionKind, session, |_: &mut Object<SessionKind>| {
            Err::<usize, _>(OlmErrorCode::InvalidBase64)
        });
    }
    // SAFETY: as in `call!`: object pointers reach exported functions under
    // the crate's contract.
    let account = unsafe { crate::account::account_at(account) };
    let result = call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        if random.len() < OUTBOUND_RANDOM {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let identity_key = encoding::curve25519_key(identity_key.bytes())?;
        let one_time_key = encoding::curve25519_key(one_time_key.bytes())?;
        let account = account.as_ref().ok_or(AccountKind::EMPTY)?.state()?;
        let mut rng = Replay::new(random.bytes());
        let created = account
            .create_outbound_session_with_rng(SessionConfig::version_1(), identity_key, one_time_key, &mut rng)
            .map_err(|_| OlmErrorCode::InvalidBase64)?;
        object.replace(Some(SessionState::new(created)));
        Ok(0)
    });
    random.wipe();
    result
}

/// Parses a base64 pre-key message.
fn pre_key_message(message: &[u8]) -> Result<PreKeyMessage, OlmErrorCode> {
    PreKeyMessage::from_libolm_bytes(&encoding::decode_message(message)?).map_err(decode_error)
}

/// `olm_create_inbound_session` and its `_from` variant.
fn create_inbound(
    session: *mut OlmSession,
    account: *mut OlmAccount,
    their_identity_key: Option<In>,
    message: In,
) -> usize {
    // SAFETY: as in `call!`.
    let account = unsafe { crate::account::account_at(account) };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        let expected = match their_identity_key {
            Some(key) => Some(encoding::curve25519_key(key.bytes())?),
            None => None,
        };
        let message = pre_key_message(message.bytes())?;
        let their_identity_key = expected.unwrap_or(message.identity_key());
        let account = account
            .as_ref()
            .and_then(|account| account.state().ok())
            .ok_or(OlmErrorCode::BadMessageKeyId)?;
        let created = hazmat::create_inbound_session_unauthenticated(account, their_identity_key, &message)
            .map_err(|_| OlmErrorCode::BadMessageKeyId)?;
        object.replace(Some(SessionState::new(created)));
        Ok(0)
    })
}

/// Creates the session a pre-key message opens, without decrypting it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_create_inbound_session(
    session: *mut OlmSession,
    account: *mut OlmAccount,
    one_time_key_message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the message is readable for its length.
    let message = unsafe { In::new(one_time_key_message, message_length) };
    create_inbound(session, account, None, message)
}

/// As `olm_create_inbound_session`, for a message from `their_identity_key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_create_inbound_session_from(
    session: *mut OlmSession,
    account: *mut OlmAccount,
    their_identity_key: *const c_void,
    their_identity_key_length: usize,
    one_time_key_message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the key and the message are readable for their lengths.
    let (key, message) = unsafe {
        (
            In::new(their_identity_key, their_identity_key_length),
            In::new(one_time_key_message, message_length),
        )
    };
    create_inbound(session, account, Some(key), message)
}

/// The length of a session id (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_session_id_length(_session: *const OlmSession) -> usize {
    KEY_B64
}

/// Writes the session id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_session_id(session: *mut OlmSession, id: *mut c_void, id_length: usize) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(id, id_length) };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        out.check(KEY_B64)?;
        out.write(object.state()?.session.session_id().as_bytes())
    })
}

/// 1 once the session has decrypted a message, else 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_session_has_received_message(session: *const OlmSession) -> i32 {
    query!(SessionKind, session, 0, |object: &Object<SessionKind>| {
        object
            .state()
            .map_or(0, |state| i32::from(state.session.has_received_message()))
    })
}

/// Writes a NUL-terminated description of the chain indices into `buflen`
/// bytes, shortened as libolm 3.2.16 does: ending in `...` when cut, empty
/// in a buffer of under 23 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_session_describe(session: *mut OlmSession, buf: *mut c_char, buflen: usize) {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(buf.cast(), buflen) };
    let Some(room) = out.capacity().checked_sub(1) else {
        return;
    };
    let text = query!(SessionKind, session, String::new(), |object: &Object<SessionKind>| {
        // An empty object describes itself as a session with no chains.
        let session = object.state().ok().map(|state| &state.session);
        let sending = session.and_then(Session::sending_chain_index);
        let receiving = session.map(Session::receiving_chain_indices).unwrap_or_default();
        let skipped = session.map(Session::skipped_message_indices).unwrap_or_default();
        // libolm prints the indices with %d.
        let mut text = format!("sender chain index: {} ", sending.unwrap_or(0) as i32);
        text.push_str("receiver chain indices:");
        for index in receiving {
            text.push_str(&format!(" {}", index as i32));
        }
        text.push_str(" skipped message keys:");
        for index in skipped {
            text.push_str(&format!(" {}", index as i32));
        }
        text
    });
    let mut bytes = text.into_bytes();
    // libolm 3.2.16: nothing meaningful fits in under 23 bytes; a text cut
    // short ends in "..." (a text exactly one byte too long for its NUL
    // loses its last character, as snprintf drops it).
    let capacity = room + 1;
    if capacity < 23 {
        bytes.clear();
    } else if bytes.len() > capacity {
        bytes.truncate(capacity - 4);
        bytes.extend_from_slice(b"...");
    } else {
        bytes.truncate(room);
    }
    bytes.push(0);
    // The buffer holds `room + 1` bytes, which `bytes` does not exceed.
    let _ = out.write(&bytes);
}

/// Whether a pre-key message matches the session's keys (and, if given,
/// its sender's identity key): `Ok(1)` or `Ok(0)`.
fn matches(state: Option<&SessionState>, their_identity_key: Option<In>, message: In) -> Result<usize, OlmErrorCode> {
    let expected = match their_identity_key {
        Some(key) => Some(encoding::curve25519_key(key.bytes())?),
        None => None,
    };
    let bytes = encoding::decode_message(message.bytes())?;
    let Ok(message) = PreKeyMessage::from_libolm_bytes(&bytes) else {
        return Ok(0);
    };
    let Some(state) = state else {
        return Ok(0);
    };
    let same = state.session.matches_inbound_session(&message)
        && expected.is_none_or(|key| key == state.session.session_keys().identity_key);
    Ok(usize::from(same))
}

/// Whether a pre-key message belongs to this session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_matches_inbound_session(
    session: *mut OlmSession,
    one_time_key_message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the message is readable for its length.
    let message = unsafe { In::new(one_time_key_message, message_length) };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        matches(object.state().ok(), None, message)
    })
}

/// Whether a pre-key message from `their_identity_key` belongs to this
/// session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_matches_inbound_session_from(
    session: *mut OlmSession,
    their_identity_key: *const c_void,
    their_identity_key_length: usize,
    one_time_key_message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the key and the message are readable for their lengths.
    let (key, message) = unsafe {
        (
            In::new(their_identity_key, their_identity_key_length),
            In::new(one_time_key_message, message_length),
        )
    };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        matches(object.state().ok(), Some(key), message)
    })
}

/// Removes the one-time key the session was made from; returns its id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_remove_one_time_keys(account: *mut OlmAccount, session: *mut OlmSession) -> usize {
    let session = untyped(session);
    // SAFETY: as in `call!`.
    let session = unsafe { Object::<SessionKind>::from_ptr(session) };
    call!(AccountKind, account, |object: &mut Object<AccountKind>| {
        let one_time_key = session
            .as_ref()
            .and_then(|session| session.state().ok())
            .map(|state| state.session.session_keys().one_time_key)
            .ok_or(OlmErrorCode::BadMessageKeyId)?;
        let account = object.state_mut().map_err(|_| OlmErrorCode::BadMessageKeyId)?;
        let id = hazmat::remove_one_time_key(account, one_time_key).ok_or(OlmErrorCode::BadMessageKeyId)?;
        Ok(id.value() as usize)
    })
}

/// The type of the next message: 0 (pre-key) or 1 (normal).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_encrypt_message_type(session: *const OlmSession) -> usize {
    query!(SessionKind, session, usize::MAX, |object: &Object<SessionKind>| {
        object
            .state()
            .map_or(0, |state| usize::from(state.session.has_received_message()))
    })
}

/// Random bytes the next `olm_encrypt` needs: 32 or 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_encrypt_random_length(session: *const OlmSession) -> usize {
    query!(SessionKind, session, usize::MAX, |object: &Object<SessionKind>| {
        match object.state() {
            Ok(state) if !state.session.encrypt_needs_randomness() => 0,
            _ => RATCHET_RANDOM,
        }
    })
}

/// The exact length of the next message for `plaintext_length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_encrypt_message_length(session: *const OlmSession, plaintext_length: usize) -> usize {
    query!(SessionKind, session, usize::MAX, |object: &Object<SessionKind>| {
        let raw = match object.state() {
            Ok(state) => state.message_len(plaintext_length),
            Err(_) => raw_message_len(false, 0, plaintext_length),
        };
        b64_len(raw)
    })
}

/// Encrypts `plaintext`; wipes the random bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_encrypt(
    session: *mut OlmSession,
    plaintext: *const c_void,
    plaintext_length: usize,
    random: *mut c_void,
    random_length: usize,
    message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the plaintext is readable, the random buffer readable and
    // writable, and the message buffer writable for their lengths.
    let (plaintext, random, out) = unsafe {
        (
            In::new(plaintext, plaintext_length),
            Random::new(random, random_length),
            Out::new(message, message_length),
        )
    };
    let mut wipe = true;
    let result = call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        let expected = match object.state() {
            Ok(state) => b64_len(state.message_len(plaintext.len())),
            Err(_) => b64_len(raw_message_len(false, 0, plaintext.len())),
        };
        if out.check(expected).is_err() {
            // libolm refuses a short output buffer before it touches the
            // random bytes.
            wipe = false;
            return Err(OlmErrorCode::OutputBufferTooSmall);
        }
        let state = object.state_mut()?;
        if state.session.encrypt_needs_randomness() && random.len() < RATCHET_RANDOM {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let mut rng = Replay::new(random.bytes());
        let encrypted = state.session.encrypt_with_rng(plaintext.bytes(), &mut rng);
        out.write(encrypted.to_base64().as_bytes())
    });
    if wipe {
        random.wipe();
    }
    result
}

/// Parses a base64 message of type `message_type`.
fn parse(message_type: usize, message: &[u8]) -> Result<OlmMessage, OlmErrorCode> {
    let bytes = encoding::decode_message(message)?;
    OlmMessage::from_libolm_parts(message_type, &bytes).map_err(decode_error)
}

/// The ciphertext length of a message, the most its plaintext can be.
fn max_plaintext_len(message: &OlmMessage) -> usize {
    match message {
        OlmMessage::Normal(message) => message.ciphertext().len(),
        OlmMessage::PreKey(message) => message.message().ciphertext().len(),
    }
}

/// The largest plaintext a message can decrypt to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_decrypt_max_plaintext_length(
    session: *mut OlmSession,
    message_type: usize,
    message: *mut c_void,
    message_length: usize,
) -> usize {
    // SAFETY: the message is readable for its length.
    let message = unsafe { In::new(message, message_length) };
    call!(SessionKind, session, |_: &mut Object<SessionKind>| {
        let mut bytes = encoding::decode_message(message.bytes())?;
        let message = match OlmMessage::from_libolm_parts(message_type, &bytes) {
            // libolm does not look at the (outer) version here, only for the
            // ciphertext: the version is reported by `olm_decrypt`.
            Err(DecodeError::Version { .. }) => {
                if let Some(version) = bytes.first_mut() {
                    *version = MESSAGE_VERSION;
                }
                OlmMessage::from_libolm_parts(message_type, &bytes)
            }
            parsed => parsed,
        }
        .map_err(|e| match e {
            // A pre-key message's inner version.
            DecodeError::Version { .. } => OlmErrorCode::BadMessageVersion,
            // Whatever else is wrong, libolm finds no ciphertext.
            _ => OlmErrorCode::BadMessageFormat,
        })?;
        Ok(max_plaintext_len(&message))
    })
}

/// Decrypts a message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_decrypt(
    session: *mut OlmSession,
    message_type: usize,
    message: *mut c_void,
    message_length: usize,
    plaintext: *mut c_void,
    max_plaintext_length: usize,
) -> usize {
    // SAFETY: the message is readable and the plaintext buffer writable for
    // their lengths.
    let (message, out) = unsafe {
        (
            In::new(message, message_length),
            Out::new(plaintext, max_plaintext_length),
        )
    };
    call!(SessionKind, session, |object: &mut Object<SessionKind>| {
        let message = parse(message_type, message.bytes())?;
        out.check(max_plaintext_len(&message))?;
        // An empty session has no chain to decrypt with.
        let state = object.state_mut().map_err(|_| OlmErrorCode::BadMessageMac)?;
        let decrypted = Zeroizing::new(
            state
                .session
                .decrypt(&message)
                .map_err(|_| OlmErrorCode::BadMessageMac)?,
        );
        out.write(&decrypted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_lengths() {
        // libolm's docs/olm.md, message format: a normal message with index < 128 and a
        // ciphertext < 128 bytes has a 39-byte header.
        assert_eq!(raw_message_len(true, 0, 10), 39 + 16 + 8);
        assert_eq!(raw_message_len(true, 200, 10), 40 + 16 + 8);
        let inner = raw_message_len(true, 0, 10);
        assert_eq!(raw_message_len(false, 0, 10), 1 + 3 * 34 + 2 + inner);
    }
}
