//! `OlmOutboundGroupSession` and `OlmInboundGroupSession`: Megolm
//! (olm/outbound_group_session.h, olm/inbound_group_session.h).

use std::ffi::c_void;

use olm_core::{
    DecodeError,
    megolm::{
        DecryptionError, ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig,
        SessionKey, SessionKeyDecodeError,
    },
};
use zeroize::Zeroizing;

use crate::{
    buf::{In, Out, Random},
    encoding::{self, KEY_B64, b64_decoded_len, b64_len, cbc_len, varint_len},
    envelope,
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle, query},
    rng::Replay,
};

/// The opaque outbound group session type of the C API.
#[repr(C)]
pub struct OlmOutboundGroupSession {
    _private: [u8; 0],
}

/// The opaque inbound group session type of the C API.
#[repr(C)]
pub struct OlmInboundGroupSession {
    _private: [u8; 0],
}

/// The outbound group session kind of object.
pub enum OutboundKind {}

impl Kind for OutboundKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmGRPOT");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = GroupSession;
}

/// An inbound session and whether it has decrypted a message since it was
/// created or unpickled: libolm counts a session as verified once it has
/// (the core crate deliberately does not, see
/// `InboundGroupSession::is_verified`). `olm_inbound_group_session_is_verified`
/// keeps libolm's meaning for the live object; pickles carry the core's flag
/// only, so an import is unverified again after a pickle round trip until
/// it decrypts a message.
pub struct InboundState {
    session: InboundGroupSession,
    decrypted: bool,
}

impl InboundState {
    fn verified(&self) -> bool {
        self.session.is_verified() || self.decrypted
    }
}

/// The inbound group session kind of object.
pub enum InboundKind {}

impl Kind for InboundKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmGRPIN");
    const EMPTY: OlmErrorCode = OlmErrorCode::BadSessionKey;
    type State = InboundState;
}

lifecycle!(
    OutboundKind,
    OlmOutboundGroupSession,
    olm_outbound_group_session,
    olm_clear_outbound_group_session,
    olm_outbound_group_session_size,
    olm_outbound_group_session_last_error,
    olm_outbound_group_session_last_error_code
);

lifecycle!(
    InboundKind,
    OlmInboundGroupSession,
    olm_inbound_group_session,
    olm_clear_inbound_group_session,
    olm_inbound_group_session_size,
    olm_inbound_group_session_last_error,
    olm_inbound_group_session_last_error_code
);

const INIT_RANDOM: usize = 128 + 32;
const MAC_LEN: usize = 8;
const SIGNATURE_LEN: usize = 64;
const SESSION_KEY_LEN: usize = 229;
const EXPORT_LEN: usize = 165;
/// The pickle of an empty outbound session: version, ratchet, counter,
/// Ed25519 key pair.
const OUTBOUND_EMPTY_LEN: usize = 4 + 128 + 4 + 32 + 64;
/// The pickle of an empty inbound session: version, two ratchets with their
/// counters, signing key, verified flag.
const INBOUND_EMPTY_LEN: usize = 4 + 2 * (128 + 4) + 32 + 1;

fn outbound_empty_body() -> Zeroizing<Vec<u8>> {
    envelope::empty_body(1, OUTBOUND_EMPTY_LEN)
}

fn inbound_empty_body() -> Zeroizing<Vec<u8>> {
    envelope::empty_body(2, INBOUND_EMPTY_LEN)
}

/// The length of a Megolm message at index `index` for `plaintext` bytes.
fn raw_message_len(index: u32, plaintext: usize) -> usize {
    let ciphertext = cbc_len(plaintext);
    (1 + 1 + varint_len(index as usize) + 1 + varint_len(ciphertext) + MAC_LEN + SIGNATURE_LEN)
        .saturating_add(ciphertext)
}

// Outbound sessions.

/// The exact length of `olm_pickle_outbound_group_session`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_outbound_group_session_length(session: *const OlmOutboundGroupSession) -> usize {
    query!(OutboundKind, session, usize::MAX, |object: &Object<OutboundKind>| {
        match object.state() {
            Ok(session) => session.libolm_pickle_len(),
            Err(_) => envelope::encrypted_len(OUTBOUND_EMPTY_LEN),
        }
    })
}

/// Writes the session as libolm's pickle, encrypted with `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_outbound_group_session(
    session: *mut OlmOutboundGroupSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key is readable and the pickle buffer writable for their
    // lengths (the crate's contract).
    let (key, pickled) = unsafe { (In::new(key, key_length), Out::new(pickled, pickled_length)) };
    call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        let live = object.state().ok().map(|session| session.to_libolm_pickle(key.bytes()));
        let pickle = envelope::pickle(key.bytes(), &outbound_empty_body(), live)?;
        pickled.write(pickle.as_bytes())
    })
}

/// Restores an outbound session from a libolm pickle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_unpickle_outbound_group_session(
    session: *mut OlmOutboundGroupSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key and the pickle are readable for their lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), In::new(pickled, pickled_length)) };
    call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        let restored = envelope::unpickle(key.bytes(), pickled.bytes(), &outbound_empty_body(), |text, _| {
            GroupSession::from_libolm_pickle(text, key.bytes())
        })?;
        object.replace(restored);
        Ok(pickled_length)
    })
}

/// Random bytes `olm_init_outbound_group_session` needs (160).
#[unsafe(no_mangle)]
pub extern "C" fn olm_init_outbound_group_session_random_length(_session: *const OlmOutboundGroupSession) -> usize {
    INIT_RANDOM
}

/// Starts a new session from 160 random bytes, then wipes them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_init_outbound_group_session(
    session: *mut OlmOutboundGroupSession,
    random: *mut u8,
    random_length: usize,
) -> usize {
    // SAFETY: the random buffer is readable and writable for its length.
    let random = unsafe { Random::new(random.cast(), random_length) };
    if random.len() < INIT_RANDOM {
        // libolm returns before wiping the buffer.
        return call!(OutboundKind, session, |_: &mut Object<OutboundKind>| {
            Err::<usize, _>(OlmErrorCode::NotEnoughRandom)
        });
    }
    let result = call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        let mut rng = Replay::new(random.bytes());
        object.replace(Some(GroupSession::new_with_rng(SessionConfig::version_1(), &mut rng)));
        Ok(0)
    });
    random.wipe();
    result
}

/// The exact length of the next message for `plaintext_length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_group_encrypt_message_length(
    session: *mut OlmOutboundGroupSession,
    plaintext_length: usize,
) -> usize {
    query!(OutboundKind, session, usize::MAX, |object: &Object<OutboundKind>| {
        let index = object.state().map_or(0, GroupSession::message_index);
        b64_len(raw_message_len(index, plaintext_length))
    })
}

/// Encrypts `plaintext` and moves the ratchet on.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_group_encrypt(
    session: *mut OlmOutboundGroupSession,
    plaintext: *const u8,
    plaintext_length: usize,
    message: *mut u8,
    message_length: usize,
) -> usize {
    // SAFETY: the plaintext is readable and the message buffer writable for
    // their lengths.
    let (plaintext, out) = unsafe {
        (
            In::new(plaintext.cast(), plaintext_length),
            Out::new(message.cast(), message_length),
        )
    };
    call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        let index = object.state().map_or(0, GroupSession::message_index);
        out.check(b64_len(raw_message_len(index, plaintext.len())))?;
        let message = object.state_mut()?.encrypt(plaintext.bytes());
        out.write(message.to_base64().as_bytes())
    })
}

/// The length of the session id (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_outbound_group_session_id_length(_session: *const OlmOutboundGroupSession) -> usize {
    KEY_B64
}

/// Writes the session id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_outbound_group_session_id(
    session: *mut OlmOutboundGroupSession,
    id: *mut u8,
    id_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(id.cast(), id_length) };
    call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        out.check(KEY_B64)?;
        out.write(object.state()?.session_id().as_bytes())
    })
}

/// The index of the next message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_outbound_group_session_message_index(session: *mut OlmOutboundGroupSession) -> u32 {
    query!(OutboundKind, session, 0, |object: &Object<OutboundKind>| {
        object.state().map_or(0, GroupSession::message_index)
    })
}

/// The length of the session key (306).
#[unsafe(no_mangle)]
pub extern "C" fn olm_outbound_group_session_key_length(_session: *const OlmOutboundGroupSession) -> usize {
    b64_len(SESSION_KEY_LEN)
}

/// Writes the signed session key for the next message index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_outbound_group_session_key(
    session: *mut OlmOutboundGroupSession,
    key: *mut u8,
    key_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(key.cast(), key_length) };
    call!(OutboundKind, session, |object: &mut Object<OutboundKind>| {
        out.check(b64_len(SESSION_KEY_LEN))?;
        out.write(object.state()?.session_key().to_base64().as_bytes())
    })
}

// Inbound sessions.

/// The exact length of `olm_pickle_inbound_group_session`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_inbound_group_session_length(session: *const OlmInboundGroupSession) -> usize {
    query!(InboundKind, session, usize::MAX, |object: &Object<InboundKind>| {
        match object.state() {
            Ok(state) => state.session.libolm_pickle_len(),
            Err(_) => envelope::encrypted_len(INBOUND_EMPTY_LEN),
        }
    })
}

/// Writes the session as libolm's pickle, encrypted with `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_inbound_group_session(
    session: *mut OlmInboundGroupSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key is readable and the pickle buffer writable for their
    // lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), Out::new(pickled, pickled_length)) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        let pickle = match object.state() {
            // The core's verified flag, not libolm's "has decrypted": an
            // import stays unverified through a pickle, whoever reads it.
            Ok(state) => state
                .session
                .to_libolm_pickle(key.bytes())
                .map_err(|_| OlmErrorCode::CorruptedPickle)?,
            Err(_) => envelope::encrypt(key.bytes(), &inbound_empty_body()),
        };
        pickled.write(pickle.as_bytes())
    })
}

/// Restores an inbound session from a libolm pickle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_unpickle_inbound_group_session(
    session: *mut OlmInboundGroupSession,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key and the pickle are readable for their lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), In::new(pickled, pickled_length)) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        let restored = envelope::unpickle(key.bytes(), pickled.bytes(), &inbound_empty_body(), |text, _| {
            InboundGroupSession::from_libolm_pickle(text, key.bytes())
        })?;
        object.replace(restored.map(|session| InboundState {
            session,
            decrypted: false,
        }));
        Ok(pickled_length)
    })
}

/// Decodes a base64 key that must hold exactly `expected` bytes: libolm
/// checks the length from the number of characters before decoding.
fn key_bytes(input: &[u8], expected: usize) -> Result<Zeroizing<Vec<u8>>, OlmErrorCode> {
    match b64_decoded_len(input.len()) {
        None => Err(OlmErrorCode::InvalidBase64),
        Some(len) if len != expected => Err(OlmErrorCode::BadSessionKey),
        Some(_) => encoding::decode(input),
    }
}

fn session_key_error(error: SessionKeyDecodeError) -> OlmErrorCode {
    match error {
        SessionKeyDecodeError::Signature => OlmErrorCode::BadSignature,
        _ => OlmErrorCode::BadSessionKey,
    }
}

/// Starts the session from a signed session key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_init_inbound_group_session(
    session: *mut OlmInboundGroupSession,
    session_key: *const u8,
    session_key_length: usize,
) -> usize {
    // SAFETY: the key is readable for its length.
    let input = unsafe { In::new(session_key.cast(), session_key_length) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        let bytes = key_bytes(input.bytes(), SESSION_KEY_LEN)?;
        let key = SessionKey::from_bytes(&bytes).map_err(session_key_error)?;
        object.replace(Some(InboundState {
            session: InboundGroupSession::new(&key, SessionConfig::version_1()),
            decrypted: false,
        }));
        Ok(0)
    })
}

/// Starts the session from an exported key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_import_inbound_group_session(
    session: *mut OlmInboundGroupSession,
    session_key: *const u8,
    session_key_length: usize,
) -> usize {
    // SAFETY: the key is readable for its length.
    let input = unsafe { In::new(session_key.cast(), session_key_length) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        let bytes = key_bytes(input.bytes(), EXPORT_LEN)?;
        let key = ExportedSessionKey::from_bytes(&bytes).map_err(session_key_error)?;
        object.replace(Some(InboundState {
            session: InboundGroupSession::import(&key, SessionConfig::version_1()),
            decrypted: false,
        }));
        Ok(0)
    })
}

/// Parses a base64 Megolm message.
fn parse(message: &[u8]) -> Result<MegolmMessage, OlmErrorCode> {
    let bytes = encoding::decode_message(message)?;
    MegolmMessage::from_libolm_bytes(&bytes).map_err(|error| match error {
        DecodeError::Version { .. } => OlmErrorCode::BadMessageVersion,
        _ => OlmErrorCode::BadMessageFormat,
    })
}

/// The largest plaintext a message can decrypt to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_group_decrypt_max_plaintext_length(
    session: *mut OlmInboundGroupSession,
    message: *mut u8,
    message_length: usize,
) -> usize {
    // SAFETY: the message is readable for its length.
    let message = unsafe { In::new(message.cast(), message_length) };
    call!(InboundKind, session, |_: &mut Object<InboundKind>| {
        Ok(parse(message.bytes())?.ciphertext().len())
    })
}

/// Checks and decrypts a message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_group_decrypt(
    session: *mut OlmInboundGroupSession,
    message: *mut u8,
    message_length: usize,
    plaintext: *mut u8,
    max_plaintext_length: usize,
    message_index: *mut u32,
) -> usize {
    // SAFETY: the message is readable and the plaintext buffer writable for
    // their lengths; `message_index` is null or writable.
    let (message, out, index_out) = unsafe {
        (
            In::new(message.cast(), message_length),
            Out::new(plaintext.cast(), max_plaintext_length),
            Out::new(message_index.cast(), size_of::<u32>()),
        )
    };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        let message = parse(message.bytes())?;
        // libolm reports the index as soon as the message parses.
        let _ = index_out.write(&message.message_index().to_ne_bytes());
        let state = object.state_mut()?;
        if out.check(message.ciphertext().len()).is_err() {
            // libolm checks the signature before the buffer's size.
            let bytes = message.as_bytes();
            let signed = bytes
                .get(..bytes.len().saturating_sub(SIGNATURE_LEN))
                .unwrap_or_default();
            state
                .session
                .signing_key()
                .verify(signed, &message.signature())
                .map_err(|_| OlmErrorCode::BadSignature)?;
            return Err(OlmErrorCode::OutputBufferTooSmall);
        }
        let decrypted = state.session.decrypt(&message).map_err(|error| match error {
            DecryptionError::Signature => OlmErrorCode::BadSignature,
            DecryptionError::UnknownMessageIndex(..) => OlmErrorCode::UnknownMessageIndex,
            _ => OlmErrorCode::BadMessageMac,
        })?;
        let plaintext = Zeroizing::new(decrypted.plaintext);
        state.decrypted = true;
        out.write(&plaintext)
    })
}

/// The length of the session id (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_inbound_group_session_id_length(_session: *const OlmInboundGroupSession) -> usize {
    KEY_B64
}

/// Writes the session id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_inbound_group_session_id(
    session: *mut OlmInboundGroupSession,
    id: *mut u8,
    id_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(id.cast(), id_length) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        out.check(KEY_B64)?;
        out.write(object.state()?.session.session_id().as_bytes())
    })
}

/// The first message index the session can decrypt.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_inbound_group_session_first_known_index(session: *const OlmInboundGroupSession) -> u32 {
    query!(InboundKind, session, 0, |object: &Object<InboundKind>| {
        object.state().map_or(0, |state| state.session.first_known_index())
    })
}

/// 1 if the session came from a signed key or has decrypted a message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_inbound_group_session_is_verified(session: *const OlmInboundGroupSession) -> i32 {
    query!(InboundKind, session, 0, |object: &Object<InboundKind>| {
        object.state().map_or(0, |state| i32::from(state.verified()))
    })
}

/// The length of an exported key (220).
#[unsafe(no_mangle)]
pub extern "C" fn olm_export_inbound_group_session_length(_session: *const OlmInboundGroupSession) -> usize {
    b64_len(EXPORT_LEN)
}

/// Writes the session's ratchet at `message_index` as an exported key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_export_inbound_group_session(
    session: *mut OlmInboundGroupSession,
    key: *mut u8,
    key_length: usize,
    message_index: u32,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(key.cast(), key_length) };
    call!(InboundKind, session, |object: &mut Object<InboundKind>| {
        out.check(b64_len(EXPORT_LEN))?;
        let export = object
            .state()?
            .session
            .export_at(message_index)
            .ok_or(OlmErrorCode::UnknownMessageIndex)?;
        out.write(export.to_base64().as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_length() {
        // libolm 3.2.7 (as the vector generator, test-vectors/generator, runs it): "Hello, group" (12 bytes) at index 0 is 93
        // bytes.
        assert_eq!(raw_message_len(0, 12), 1 + 2 + 2 + 16 + 8 + 64);
        assert_eq!(raw_message_len(200, 12), 1 + 3 + 2 + 16 + 8 + 64);
    }
}
