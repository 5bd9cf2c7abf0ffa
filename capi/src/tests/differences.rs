//! Where the C API deliberately behaves unlike libolm 3.2.7, and the libolm
//! behaviours it keeps that the other suites do not reach: each test here
//! backs a line of docs/libolm-drop-in.md. Everything goes through the
//! exported `extern "C"` functions.

use std::ffi::CStr;

use super::{curve_identity, first_one_time_key, json, memory, vm, vp};
use crate::{account::*, megolm::*, olm_error, pk::*, sas::*, session::*, utility::*};

fn name(code: u32) -> String {
    // SAFETY: a static NUL-terminated string.
    unsafe { CStr::from_ptr(crate::_olm_error_to_string(code)) }
        .to_string_lossy()
        .into_owned()
}

/// An account made from `seed` repeated, with `otks` one-time keys.
fn account(seed: u8, otks: usize) -> (Vec<u8>, *mut OlmAccount) {
    let (memory, account) = memory(olm_account_size(), olm_account);
    let mut random = [seed; 64];
    let mut otk_random = vec![seed.wrapping_add(1); 32 * otks];
    // SAFETY: live objects and buffers of the given lengths.
    unsafe {
        assert_eq!(olm_create_account(account, vm(&mut random), 64), 0);
        assert_eq!(
            olm_account_generate_one_time_keys(account, otks, vm(&mut otk_random), otk_random.len()),
            otks
        );
    }
    (memory, account)
}

/// Alice's outbound session to Bob and her first (pre-key) message.
fn alice_to_bob(alice: *mut OlmAccount, bob: *mut OlmAccount) -> (Vec<u8>, *mut OlmSession, String) {
    let (memory, session) = memory(olm_session_size(), olm_session);
    let (identity, otk) = (curve_identity(bob), first_one_time_key(bob));
    let mut random = [7u8; 64];
    // SAFETY: live objects; buffers of the given lengths.
    let message = unsafe {
        assert_eq!(
            olm_create_outbound_session(
                session,
                alice,
                vp(identity.as_bytes()),
                43,
                vp(otk.as_bytes()),
                43,
                vm(&mut random),
                64
            ),
            0
        );
        let mut out = vec![0u8; olm_encrypt_message_length(session, 5)];
        let len = olm_encrypt(session, vp(b"hello"), 5, vm(&mut []), 0, vm(&mut out), out.len());
        assert_eq!(len, out.len());
        String::from_utf8(out).unwrap()
    };
    (memory, session, message)
}

fn decrypt(session: *mut OlmSession, message_type: usize, message: &str) -> Result<Vec<u8>, String> {
    let mut copy = message.as_bytes().to_vec();
    let mut plaintext = vec![0u8; 256];
    // SAFETY: a live session; buffers of the given lengths.
    let len = unsafe {
        olm_decrypt(
            session,
            message_type,
            vm(&mut copy),
            copy.len(),
            vm(&mut plaintext),
            plaintext.len(),
        )
    };
    // The input is read, never decoded in place as libolm does.
    assert_eq!(copy, message.as_bytes());
    if len == olm_error() {
        // SAFETY: a live session.
        Err(name(unsafe { olm_session_last_error_code(session) }))
    } else {
        plaintext.truncate(len);
        Ok(plaintext)
    }
}

/// libolm's tests/test_olm_decrypt.cpp feeds raw bytes, most of them not
/// base64 characters, to `olm_decrypt_max_plaintext_length` and expects
/// BAD_MESSAGE_FORMAT: libolm's decoder turns any byte into six bits, and
/// messages are decoded the same way here (`encoding::decode_message`).
#[test]
fn raw_bytes_decode_as_in_libolm() {
    const SESSION: &str = "E0p44KO2y2pzp9FIjv0rud2wIvWDi2dx367kP4Fz/9JCMrH+aG369HGymkFtk0+PINTLB9lQRtohea5d7G/UXQx3r5y4IWuyh1xaRnojEZQ9a5HRZSNtvmZ9NY1f1gutYa4UtcZcbvczN8b/5Bqge16cPUH1v62JKLlhoAJwRkH1wU6fbyOudERg5gdXA971btR+Q2V8GKbVbO5fGKL5phmEPVXyMsrfjLdzQrgjOTxN8Pf6iuP+WFPvfnR9lDmNCFxJUVAdLIMnLuAdxf1TGcS+zzCzEE8btIZ99mHFdGvPXeH8qLeNZA";
    let cases: [(&[u8], &str); 4] = [
        (b"\x41\x77\x6f", "BAD_MESSAGE_FORMAT"),
        (b"\x7f\xff\x6f\x01\x01\x34\x6d\x67\x12\x01", "BAD_MESSAGE_FORMAT"),
        (
            b"\xee\x77\x6f\x41\x49\x6f\x67\x41\x77\x80\x41\x77\x77\x80\x41\x77\x6f\x67\x16\x67\x0a\x67\x7d\x6f\x67\x0a\x67\xc2\x67\x7d",
            "BAD_MESSAGE_FORMAT",
        ),
        (b"\xe9\xe9\xc9\xc1\xe9\xe9\xc9\xe9\xc9\xc1\xe9\xe9\xc9\xc1", "BAD_MESSAGE_FORMAT"),
    ];
    for (message, expected) in cases {
        let (_memory, session) = memory(olm_session_size(), olm_session);
        let mut pickle = SESSION.as_bytes().to_vec();
        let mut message = message.to_vec();
        // SAFETY: a live session; buffers of the given lengths.
        unsafe {
            assert_ne!(
                olm_unpickle_session(session, vp(b""), 0, vm(&mut pickle), pickle.len()),
                olm_error()
            );
            let max = olm_decrypt_max_plaintext_length(session, 0, vm(&mut message), message.len());
            assert_eq!(max, olm_error());
            assert_eq!(name(olm_session_last_error_code(session)), expected);
            olm_clear_session(session);
        }
    }
}

/// libolm's two steps: the inbound session exists before anything is
/// decrypted, survives a pickle round trip in that state, and the one-time
/// key stays until `olm_remove_one_time_keys`.
#[test]
fn inbound_session_in_two_steps() {
    let (_a, alice) = account(1, 0);
    let (_b, bob) = account(2, 1);
    let (_s, _alice_session, message) = alice_to_bob(alice, bob);
    let (_m, bob_session) = memory(olm_session_size(), olm_session);
    let mut copy = message.as_bytes().to_vec();
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        assert_eq!(
            olm_create_inbound_session(bob_session, bob, vm(&mut copy), copy.len()),
            0
        );
        assert_eq!(olm_session_has_received_message(bob_session), 0);
        // Pickled before its first message, the session still decrypts it
        // once restored, as in libolm.
        let mut pickle = vec![0u8; olm_pickle_session_length(bob_session)];
        olm_pickle_session(bob_session, vp(b"k"), 1, vm(&mut pickle), pickle.len());
        olm_clear_session(bob_session);
        olm_unpickle_session(bob_session, vp(b"k"), 1, vm(&mut pickle), pickle.len());
        assert_eq!(json(bob, true)["curve25519"].as_object().unwrap().len(), 1);
    }
    assert_eq!(decrypt(bob_session, 0, &message).unwrap(), b"hello");
    // SAFETY: live objects.
    unsafe {
        assert_eq!(olm_session_has_received_message(bob_session), 1);
        assert_eq!(olm_remove_one_time_keys(bob, bob_session), 1);
        assert!(json(bob, true)["curve25519"].as_object().unwrap().is_empty());
        assert_eq!(olm_remove_one_time_keys(bob, bob_session), olm_error());
        assert_eq!(name(olm_account_last_error_code(bob)), "BAD_MESSAGE_KEY_ID");
    }
    // A second decryption of the same message is a replay.
    assert_eq!(decrypt(bob_session, 0, &message).unwrap_err(), "BAD_MESSAGE_MAC");
}

/// Ed25519 verification is strict: a signature with S + L in place of S
/// (libolm accepts it: it only checks that S < 2^253) is refused.
#[test]
fn malleated_signatures_are_refused() {
    let (_a, alice) = account(3, 0);
    let ed = json(alice, false)["ed25519"].as_str().unwrap().to_owned();
    let (_u, utility) = memory(olm_utility_size(), olm_utility);
    let mut signature = vec![0u8; 86];
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        olm_account_sign(alice, vp(b"msg"), 3, vm(&mut signature), 86);
    }
    let verify = |signature: &[u8]| {
        let mut signature = signature.to_vec();
        // SAFETY: as above.
        unsafe {
            olm_ed25519_verify(
                utility,
                vp(ed.as_bytes()),
                43,
                vp(b"msg"),
                3,
                vm(&mut signature),
                signature.len(),
            )
        }
    };
    assert_eq!(verify(&signature), 0);

    // The group order L, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut raw = decode(&signature);
    let mut carry = 0u16;
    for (byte, l) in raw[32..].iter_mut().zip(L) {
        let sum = u16::from(*byte) + u16::from(l) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    assert!(raw[63] < 0x20, "S + L still fits libolm's S < 2^253 check");
    assert_eq!(verify(encode(&raw).as_bytes()), olm_error());
    // SAFETY: a live utility.
    assert_eq!(name(unsafe { olm_utility_last_error_code(utility) }), "BAD_MESSAGE_MAC");
}

/// Low-order Curve25519 keys (here the all-zero point) are refused where a
/// key is given: sessions, SAS, PK encryption (libolm computes with them).
#[test]
fn low_order_keys_are_refused() {
    let zero = "A".repeat(43);
    let (_a, alice) = account(4, 0);
    let (_b, bob) = account(5, 1);
    let otk = first_one_time_key(bob);
    let (_s, session) = memory(olm_session_size(), olm_session);
    let (_x, sas) = memory(olm_sas_size(), olm_sas);
    let (_e, encryption) = memory(olm_pk_encryption_size(), olm_pk_encryption);
    let mut random = [9u8; 64];
    let mut key = zero.clone().into_bytes();
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        let ret = olm_create_outbound_session(
            session,
            alice,
            vp(zero.as_bytes()),
            43,
            vp(otk.as_bytes()),
            43,
            vm(&mut random),
            64,
        );
        assert_eq!(ret, olm_error());
        assert_eq!(name(olm_session_last_error_code(session)), "INVALID_BASE64");
        assert_eq!(olm_create_sas(sas, vm(&mut random), 32), 0);
        assert_eq!(olm_sas_set_their_key(sas, vm(&mut key), 43), olm_error());
        assert_eq!(name(olm_sas_last_error_code(sas)), "INVALID_BASE64");
        assert_eq!(olm_sas_is_their_key_set(sas), 0);
        assert_eq!(
            olm_pk_encryption_set_recipient_key(encryption, vp(zero.as_bytes()), 43),
            olm_error()
        );
        assert_eq!(name(olm_pk_encryption_last_error_code(encryption)), "INVALID_BASE64");
        // A backup entry whose ephemeral key is low order.
        let (_d, decryption) = memory(olm_pk_decryption_size(), olm_pk_decryption);
        let mut public = [0u8; 43];
        olm_pk_key_from_private(decryption, vm(&mut public), 43, vp(&[5u8; 32]), 32);
        let mut ciphertext = b"AAAAAAAAAAAAAAAAAAAAAA".to_vec();
        let mut plaintext = [0u8; 16];
        let ret = olm_pk_decrypt(
            decryption,
            vp(zero.as_bytes()),
            43,
            vp(b"AAAAAAAAAAA"),
            11,
            vm(&mut ciphertext),
            22,
            vm(&mut plaintext),
            16,
        );
        assert_eq!(ret, olm_error());
        assert_eq!(name(olm_pk_decryption_last_error_code(decryption)), "BAD_MESSAGE_MAC");
    }
}

/// Random buffers are wiped where libolm wipes them, and only there.
#[test]
fn random_buffers_wiped_as_libolm() {
    let (_a, account) = memory(olm_account_size(), olm_account);
    let (_s, sas) = memory(olm_sas_size(), olm_sas);
    let (_g, group) = memory(olm_outbound_group_session_size(), olm_outbound_group_session);
    let mut random = [1u8; 200];
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        // Too short: libolm still wipes for accounts...
        assert_eq!(olm_create_account(account, vm(&mut random), 10), olm_error());
        assert_eq!(random[..10], [0; 10]);
        assert_eq!(random[10], 1);
        // ...but not for group sessions.
        random = [1u8; 200];
        assert_eq!(
            olm_init_outbound_group_session(group, random.as_mut_ptr(), 100),
            olm_error()
        );
        assert_eq!(random[..100], [1; 100]);
        assert_eq!(olm_init_outbound_group_session(group, random.as_mut_ptr(), 160), 0);
        assert_eq!(random[..160], [0; 160]);
        // SAS keys come from random bytes that libolm leaves alone.
        random = [1u8; 200];
        assert_eq!(olm_create_sas(sas, vm(&mut random), 32), 0);
        assert_eq!(random[..32], [1; 32]);
    }
}

/// Objects never set up: pickles round-trip as libolm's do; functions that
/// need keys fail with the kind's "empty" code; lengths and flags answer.
#[test]
fn empty_objects() {
    let (_a, account) = memory(olm_account_size(), olm_account);
    let (_i, inbound) = memory(olm_inbound_group_session_size(), olm_inbound_group_session);
    let mut out = vec![0u8; 220];
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        assert_eq!(olm_account_identity_keys(account, vm(&mut out), 200), olm_error());
        assert_eq!(name(olm_account_last_error_code(account)), "NOT_ENOUGH_RANDOM");
        assert_eq!(olm_account_one_time_keys_length(account), 17);
        let mut pickle = vec![0u8; olm_pickle_account_length(account)];
        assert_eq!(
            olm_pickle_account(account, vp(b""), 0, vm(&mut pickle), pickle.len()),
            pickle.len()
        );
        assert_eq!(
            olm_unpickle_account(account, vp(b""), 0, vm(&mut pickle), pickle.len()),
            pickle.len()
        );
        assert_eq!(olm_inbound_group_session_is_verified(inbound), 0);
        assert_eq!(
            olm_export_inbound_group_session(inbound, out.as_mut_ptr(), 220, 0),
            olm_error()
        );
        assert_eq!(
            name(olm_inbound_group_session_last_error_code(inbound)),
            "BAD_SESSION_KEY"
        );
    }
}

/// Null pointers and memory of another kind of object are refused, not
/// misread.
#[test]
fn foreign_pointers() {
    let (_a, account) = memory(olm_account_size(), olm_account);
    // SAFETY: null and a live account of the wrong kind are what is tested.
    unsafe {
        assert_eq!(
            olm_session_id(std::ptr::null_mut(), std::ptr::null_mut(), 0),
            olm_error()
        );
        assert_eq!(name(olm_session_last_error_code(std::ptr::null())), "UNKNOWN_ERROR");
        let as_session = account.cast::<OlmSession>();
        assert_eq!(olm_session_id(as_session, std::ptr::null_mut(), 0), olm_error());
        assert_eq!(name(olm_account_last_error_code(account)), "SUCCESS");
        assert_eq!(
            CStr::from_ptr(olm_session_last_error(as_session)).to_str().unwrap(),
            "UNKNOWN_ERROR"
        );
    }
}

/// libolm counts an imported Megolm session as verified once it decrypts a
/// message, and writes that into its pickle. The C API keeps the first for
/// the live object only: the pickle carries the core's flag, so neither a
/// C caller nor the core reading the pickle sees an import as verified.
#[test]
fn imported_group_session_is_verified_by_decryption_but_not_through_a_pickle() {
    let (_o, outbound) = memory(olm_outbound_group_session_size(), olm_outbound_group_session);
    let (_i, inbound) = memory(olm_inbound_group_session_size(), olm_inbound_group_session);
    let (_r, restored) = memory(olm_inbound_group_session_size(), olm_inbound_group_session);
    let mut random = [3u8; 160];
    // SAFETY: live objects; buffers of the given lengths.
    unsafe {
        olm_init_outbound_group_session(outbound, random.as_mut_ptr(), 160);
        // An export of the outbound session's key, through an inbound one.
        let mut key = vec![0u8; olm_outbound_group_session_key_length(outbound)];
        olm_outbound_group_session_key(outbound, key.as_mut_ptr(), key.len());
        let mut message = vec![0u8; olm_group_encrypt_message_length(outbound, 2)];
        olm_group_encrypt(outbound, b"hi".as_ptr(), 2, message.as_mut_ptr(), message.len());
        olm_init_inbound_group_session(restored, key.as_ptr(), key.len());
        let mut export = vec![0u8; olm_export_inbound_group_session_length(restored)];
        olm_export_inbound_group_session(restored, export.as_mut_ptr(), export.len(), 0);
        let ret = olm_import_inbound_group_session(inbound, export.as_ptr(), export.len());
        assert_eq!(ret, 0, "{}", name(olm_inbound_group_session_last_error_code(inbound)));
        assert_eq!(olm_inbound_group_session_is_verified(inbound), 0);
        let mut plaintext = vec![0u8; 16];
        let mut index = 7;
        let len = olm_group_decrypt(
            inbound,
            message.as_mut_ptr(),
            message.len(),
            plaintext.as_mut_ptr(),
            16,
            &mut index,
        );
        assert_eq!((len, index), (2, 0));
        assert_eq!(olm_inbound_group_session_is_verified(inbound), 1);
        let mut pickle = vec![0u8; olm_pickle_inbound_group_session_length(inbound)];
        olm_pickle_inbound_group_session(inbound, vp(b""), 0, vm(&mut pickle), pickle.len());
        olm_clear_inbound_group_session(restored);
        let text = String::from_utf8(pickle.clone()).unwrap();
        let core = olm_core::megolm::InboundGroupSession::from_libolm_pickle(&text, b"").unwrap();
        assert!(!core.is_verified(), "the core reads an import as verified");
        olm_unpickle_inbound_group_session(restored, vp(b""), 0, vm(&mut pickle), pickle.len());
        assert_eq!(olm_inbound_group_session_is_verified(restored), 0);
    }
}

/// `olm_session_describe` writes libolm 3.2.16's text, NUL-terminated, and
/// shortens it as 3.2.16 does.
#[test]
fn describe() {
    let (_a, alice) = account(6, 0);
    let (_b, bob) = account(8, 1);
    let (_s, session, _) = alice_to_bob(alice, bob);
    let mut buf = [0x55u8; 100];
    // SAFETY: a live session; buffers of the given lengths.
    unsafe {
        olm_session_describe(session, buf.as_mut_ptr().cast(), 100);
        let text = CStr::from_ptr(buf.as_ptr().cast()).to_str().unwrap();
        assert_eq!(
            text,
            "sender chain index: 1 receiver chain indices: skipped message keys:"
        );
        let shortened = |buflen: usize, buf: &mut [u8; 100]| {
            olm_session_describe(session, buf.as_mut_ptr().cast(), buflen);
            CStr::from_ptr(buf.as_ptr().cast()).to_str().unwrap().to_owned()
        };
        assert_eq!(shortened(30, &mut buf), "sender chain index: 1 rece...");
        assert_eq!(shortened(22, &mut buf), "");
        assert_eq!(shortened(7, &mut buf), "");
        // 67 characters: with 68 bytes they fit, with 67 the NUL takes the
        // last one's place, with 66 the text is cut.
        assert_eq!(shortened(68, &mut buf).len(), 67);
        assert_eq!(
            shortened(67, &mut buf),
            "sender chain index: 1 receiver chain indices: skipped message keys"
        );
        assert!(shortened(66, &mut buf).ends_with("message ..."));
        buf[0] = 0x55;
        olm_session_describe(session, buf.as_mut_ptr().cast(), 0);
        assert_eq!(buf[0], 0x55, "nothing is written into an empty buffer");
    }
}

#[test]
fn library_version() {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: three writable bytes, then nulls.
    unsafe {
        crate::olm_get_library_version(&mut major, &mut minor, &mut patch);
        crate::olm_get_library_version(std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
    }
    assert_eq!((major, minor, patch), (3, 2, 16));
}

fn decode(text: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for &c in text {
        bits = (bits << 6) | ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}
