//! Residue through the C API: after a whole life of each kind of object
//! (create, use, pickle under a key and under the empty key, unpickle,
//! `olm_clear_*`), no secret is left in freed heap memory or in the
//! object's own memory.
//!
//! The test binary's allocator (`olm_testkit::Quarantine`, installed in
//! `tests/mod.rs`) keeps every block the recording thread frees; the scan
//! looks for any 16 bytes of: every random buffer handed to the library
//! (it holds the keys), every secret field of the objects' libolm pickles
//! along the way, the text of each object's pickle under the empty key (as
//! good as plaintext, since libolm's pickle cipher is keyed by the key
//! alone), and the pickle key.
//!
//! libolm wipes the random buffers of the functions that create Olm and
//! Megolm keys, and so does this library: those buffers are left to it. It
//! does not wipe the caller's buffers in `olm_create_sas`, `olm_pk_encrypt`
//! (whose `random` is `const`), `olm_pk_key_from_private` or
//! `olm_pk_signing_key_from_seed`, and neither does this library: the test
//! wipes those itself, as their owner must.

use std::ffi::c_void;

use olm_core::hazmat::libolm_pickle_decrypt;
use olm_testkit::{Quarantine, Recording, libolm_body};

use super::{curve_identity, first_one_time_key, memory, vm, vp};
use zeroize::Zeroize;

use crate::{account::*, megolm::*, pk::*, sas::*, session::*};

const KEY: &[u8] = b"a pickle key";

/// What a life is searched for, and distinct random bytes to feed it.
struct Life {
    secrets: Vec<(String, Vec<u8>)>,
    counter: u64,
}

impl Life {
    /// A life whose random bytes start from `seed`: each life its own, or
    /// the bytes one life leaves in memory that another thread reuses would
    /// look like the other's secrets.
    fn new(seed: u64) -> Self {
        Self {
            secrets: Vec::new(),
            counter: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        }
    }

    /// `n` fresh random-looking bytes (SplitMix64), noted as a secret: the
    /// library wipes what it is given, so the test keeps its own copy.
    fn random(&mut self, name: &str, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.counter = self.counter.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.counter;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
        }
        out.truncate(n);
        self.secrets.push((name.to_owned(), out.clone()));
        out
    }

    /// The object's pickle under `KEY`, its secret fields noted (read by
    /// `fields` from the decrypted body), and its pickle under the empty
    /// key, noted as a whole.
    fn pickles(
        &mut self,
        name: &str,
        length: usize,
        pickle: impl Fn(&[u8], &mut [u8]) -> usize,
        fields: fn(&[u8], &str) -> Vec<libolm_body::Secret>,
    ) -> Vec<u8> {
        let mut keyed = vec![0u8; length];
        assert_eq!(pickle(KEY, &mut keyed), length, "{name}: pickle");
        let body = libolm_pickle_decrypt(KEY, std::str::from_utf8(&keyed).unwrap()).unwrap();
        self.secrets.extend(fields(&body, name));
        let mut empty = vec![0u8; length];
        assert_eq!(pickle(b"", &mut empty), length, "{name}: pickle under the empty key");
        self.secrets
            .push((format!("{name}: pickle under the empty key"), empty));
        keyed
    }
}

/// Memory for one object, with the object made in it.
fn object<T>(init: unsafe extern "C" fn(*mut c_void) -> *mut T) -> (Vec<u8>, *mut T) {
    memory(crate::object::OBJECT_SIZE, init)
}

/// Runs a life while recording; fails on any secret found in freed memory
/// or in the objects' own memory after they were cleared.
fn scan(what: &str, seed: u64, life: impl FnOnce(&mut Recording, &mut Life)) {
    let mut secrets = Life::new(seed);
    let mut recording = Quarantine::record();
    life(&mut recording, &mut secrets);
    secrets.secrets.push(("pickle key".into(), KEY.to_vec()));
    let report = recording.finish(&secrets.secrets);
    assert!(report.secrets > 0 && report.blocks > 0, "{what}: nothing scanned");
    assert!(
        report.hits.is_empty(),
        "{what}: {} secrets left in memory ({} freed blocks, {} bytes scanned):\n{:#?}",
        report.hits.len(),
        report.blocks,
        report.bytes,
        report.hits
    );
    println!(
        "capi residue {what}: {} secrets, {} freed blocks, {} bytes: 0 hits",
        report.secrets, report.blocks, report.bytes
    );
}

/// An account with one-time and fallback keys, through every function that
/// reads it, a session each way, both pickles, cleared.
#[test]
fn accounts_and_sessions_leave_no_secret_behind() {
    scan("accounts and sessions", 1, |recording, life| {
        let (mut alice_memory, alice) = object(olm_account);
        let (mut bob_memory, bob) = object(olm_account);
        let (mut restored_memory, restored) = object(olm_account);
        let (mut out_memory, outbound) = object(olm_session);
        let (mut in_memory, inbound) = object(olm_session);
        let (mut back_memory, back) = object(olm_session);
        // SAFETY: live objects; every buffer has the length passed with it.
        unsafe {
            for (account, name) in [(alice, "alice"), (bob, "bob")] {
                let mut random = life.random(&format!("{name} account random"), 64);
                assert_eq!(olm_create_account(account, vm(&mut random), 64), 0);
            }
            let mut random = life.random("one-time keys random", 32 * 3);
            assert_eq!(olm_account_generate_one_time_keys(bob, 3, vm(&mut random), 96), 3);
            for i in 0..2 {
                let mut random = life.random(&format!("fallback random {i}"), 32);
                assert_eq!(olm_account_generate_fallback_key(bob, vm(&mut random), 32), 1);
            }
            let mut fallback = vec![0u8; olm_account_fallback_key_length(bob)];
            olm_account_fallback_key(bob, vm(&mut fallback), fallback.len());
            let mut unpublished = vec![0u8; olm_account_unpublished_fallback_key_length(bob)];
            olm_account_unpublished_fallback_key(bob, vm(&mut unpublished), unpublished.len());
            let mut signature = vec![0u8; olm_account_signature_length(bob)];
            olm_account_sign(bob, vp(b"message"), 7, vm(&mut signature), signature.len());

            // A session from Alice to one of Bob's one-time keys, read from
            // the account's key JSON.
            let (otk, bob_curve) = (first_one_time_key(bob), curve_identity(bob));
            let mut random = life.random("outbound session random", 64);
            let created = olm_create_outbound_session(
                outbound,
                alice,
                vp(bob_curve.as_bytes()),
                bob_curve.len(),
                vp(otk.as_bytes()),
                otk.len(),
                vm(&mut random),
                64,
            );
            assert_eq!(created, 0);
            let mut message = vec![0u8; olm_encrypt_message_length(outbound, 5)];
            let mut random = life.random("first ratchet random", 32);
            olm_encrypt(
                outbound,
                vp(b"hello"),
                5,
                vm(&mut random),
                32,
                vm(&mut message),
                message.len(),
            );
            let mut copy = message.clone();
            assert_eq!(olm_create_inbound_session(inbound, bob, vm(&mut copy), copy.len()), 0);
            let mut copy = message.clone();
            assert_eq!(olm_matches_inbound_session(inbound, vm(&mut copy), copy.len()), 1);
            assert_ne!(olm_remove_one_time_keys(bob, inbound), usize::MAX);
            let mut plaintext = vec![0u8; 64];
            let mut copy = message.clone();
            assert_eq!(
                olm_decrypt(inbound, 0, vm(&mut copy), copy.len(), vm(&mut plaintext), 64),
                5
            );
            for round in 0..3 {
                let mut random = life.random(&format!("bob ratchet random {round}"), 32);
                let mut reply = vec![0u8; olm_encrypt_message_length(inbound, 5)];
                olm_encrypt(
                    inbound,
                    vp(b"reply"),
                    5,
                    vm(&mut random),
                    32,
                    vm(&mut reply),
                    reply.len(),
                );
                assert_eq!(
                    olm_decrypt(outbound, 1, vm(&mut reply), reply.len(), vm(&mut plaintext), 64),
                    5
                );
                let mut random = life.random(&format!("alice ratchet random {round}"), 32);
                let mut again = vec![0u8; olm_encrypt_message_length(outbound, 5)];
                olm_encrypt(
                    outbound,
                    vp(b"again"),
                    5,
                    vm(&mut random),
                    32,
                    vm(&mut again),
                    again.len(),
                );
                assert_eq!(
                    olm_decrypt(inbound, 1, vm(&mut again), again.len(), vm(&mut plaintext), 64),
                    5
                );
            }
            let mut description = vec![0u8; 256];
            olm_session_describe(inbound, description.as_mut_ptr().cast(), 256);

            // Pickles of everything, and one of each read back.
            let length = olm_pickle_account_length(bob);
            let mut pickle = life.pickles(
                "bob",
                length,
                |key, out| olm_pickle_account(bob, vp(key), key.len(), vm(out), out.len()),
                libolm_body::account,
            );
            assert_eq!(
                olm_unpickle_account(restored, vp(KEY), KEY.len(), vm(&mut pickle), pickle.len()),
                length
            );
            for (session, name) in [(outbound, "alice session"), (inbound, "bob session")] {
                let length = olm_pickle_session_length(session);
                let mut pickle = life.pickles(
                    name,
                    length,
                    |key, out| olm_pickle_session(session, vp(key), key.len(), vm(out), out.len()),
                    libolm_body::session,
                );
                assert_eq!(
                    olm_unpickle_session(back, vp(KEY), KEY.len(), vm(&mut pickle), pickle.len()),
                    length
                );
            }

            for (account, memory) in [
                (alice, &mut alice_memory),
                (bob, &mut bob_memory),
                (restored, &mut restored_memory),
            ] {
                olm_clear_account(account);
                recording.scan_also("a cleared account's memory", memory);
            }
            for (session, memory) in [
                (outbound, &mut out_memory),
                (inbound, &mut in_memory),
                (back, &mut back_memory),
            ] {
                olm_clear_session(session);
                recording.scan_also("a cleared session's memory", memory);
            }
        }
    });
}

/// An outbound group session and inbound sessions from its key and from an
/// export, both pickled, cleared.
#[test]
fn group_sessions_leave_no_secret_behind() {
    scan("group sessions", 2, |recording, life| {
        let (mut out_memory, outbound) = object(olm_outbound_group_session);
        let (mut in_memory, inbound) = object(olm_inbound_group_session);
        let (mut imported_memory, imported) = object(olm_inbound_group_session);
        let (mut back_memory, back) = object(olm_outbound_group_session);
        // SAFETY: live objects; every buffer has the length passed with it.
        unsafe {
            let mut random = life.random("group session random", 160);
            assert_eq!(olm_init_outbound_group_session(outbound, random.as_mut_ptr(), 160), 0);
            let mut key = vec![0u8; olm_outbound_group_session_key_length(outbound)];
            olm_outbound_group_session_key(outbound, key.as_mut_ptr(), key.len());
            assert_eq!(olm_init_inbound_group_session(inbound, key.as_ptr(), key.len()), 0);
            let mut plaintext = vec![0u8; 64];
            for _ in 0..3 {
                let mut message = vec![0u8; olm_group_encrypt_message_length(outbound, 4)];
                olm_group_encrypt(outbound, b"room".as_ptr(), 4, message.as_mut_ptr(), message.len());
                let mut index = 0;
                let decrypted = olm_group_decrypt(
                    inbound,
                    message.as_mut_ptr(),
                    message.len(),
                    plaintext.as_mut_ptr(),
                    64,
                    &mut index,
                );
                assert_eq!(decrypted, 4);
            }
            let mut export = vec![0u8; olm_export_inbound_group_session_length(inbound)];
            olm_export_inbound_group_session(inbound, export.as_mut_ptr(), export.len(), 1);
            assert_eq!(
                olm_import_inbound_group_session(imported, export.as_ptr(), export.len()),
                0
            );
            // The session key and the export hold ratchets: the caller wipes
            // its copies (the ratchets are searched for through the pickles).
            key.zeroize();
            export.zeroize();

            let length = olm_pickle_outbound_group_session_length(outbound);
            let mut pickle = life.pickles(
                "outbound",
                length,
                |key, out| olm_pickle_outbound_group_session(outbound, vp(key), key.len(), vm(out), out.len()),
                libolm_body::group_session,
            );
            let read = olm_unpickle_outbound_group_session(back, vp(KEY), KEY.len(), vm(&mut pickle), pickle.len());
            assert_eq!(read, length);
            for (session, name) in [(inbound, "inbound"), (imported, "imported")] {
                let length = olm_pickle_inbound_group_session_length(session);
                let mut pickle = life.pickles(
                    name,
                    length,
                    |key, out| olm_pickle_inbound_group_session(session, vp(key), key.len(), vm(out), out.len()),
                    libolm_body::inbound_group_session,
                );
                olm_clear_inbound_group_session(session);
                let read =
                    olm_unpickle_inbound_group_session(session, vp(KEY), KEY.len(), vm(&mut pickle), pickle.len());
                assert_eq!(read, length);
            }

            for (session, memory) in [(outbound, &mut out_memory), (back, &mut back_memory)] {
                olm_clear_outbound_group_session(session);
                recording.scan_also("a cleared outbound session's memory", memory);
            }
            for (session, memory) in [(inbound, &mut in_memory), (imported, &mut imported_memory)] {
                olm_clear_inbound_group_session(session);
                recording.scan_also("a cleared inbound session's memory", memory);
            }
        }
    });
}

/// Key backup, cross-signing and SAS.
#[test]
fn pk_and_sas_leave_no_secret_behind() {
    scan("PK and SAS", 3, |recording, life| {
        let (mut decryption_memory, decryption) = object(olm_pk_decryption);
        let (mut restored_memory, restored) = object(olm_pk_decryption);
        let (mut encryption_memory, encryption) = object(olm_pk_encryption);
        let (mut signing_memory, signing) = object(olm_pk_signing);
        let (mut alice_memory, alice) = object(olm_sas);
        let (mut bob_memory, bob) = object(olm_sas);
        // SAFETY: live objects; every buffer has the length passed with it.
        unsafe {
            let mut private = life.random("PK private key", 32);
            let mut public = vec![0u8; olm_pk_key_length()];
            olm_pk_key_from_private(decryption, vm(&mut public), public.len(), vm(&mut private), 32);
            private.zeroize();
            olm_pk_encryption_set_recipient_key(encryption, vp(&public), public.len());
            let mut random = life.random("PK ephemeral random", 32);
            let mut ciphertext = vec![0u8; olm_pk_ciphertext_length(encryption, 6)];
            let mut mac = vec![0u8; olm_pk_mac_length(encryption)];
            let mut ephemeral = vec![0u8; olm_pk_key_length()];
            olm_pk_encrypt(
                encryption,
                vp(b"backup"),
                6,
                vm(&mut ciphertext),
                ciphertext.len(),
                vm(&mut mac),
                mac.len(),
                vm(&mut ephemeral),
                ephemeral.len(),
                vm(&mut random),
                32,
            );
            random.zeroize();
            let mut plaintext = vec![0u8; olm_pk_max_plaintext_length(decryption, ciphertext.len())];
            let decrypted = olm_pk_decrypt(
                decryption,
                vp(&ephemeral),
                ephemeral.len(),
                vp(&mac),
                mac.len(),
                vm(&mut ciphertext),
                ciphertext.len(),
                vm(&mut plaintext),
                plaintext.len(),
            );
            assert_eq!(decrypted, 6);
            let mut private_out = vec![0u8; 32];
            olm_pk_get_private_key(decryption, vm(&mut private_out), 32);
            private_out.zeroize();
            let length = olm_pickle_pk_decryption_length(decryption);
            let mut pickle = life.pickles(
                "PK decryption",
                length,
                |key, out| olm_pickle_pk_decryption(decryption, vp(key), key.len(), vm(out), out.len()),
                libolm_body::pk_decryption,
            );
            let mut public = vec![0u8; olm_pk_key_length()];
            let read = olm_unpickle_pk_decryption(
                restored,
                vp(KEY),
                KEY.len(),
                vm(&mut pickle),
                pickle.len(),
                vm(&mut public),
                public.len(),
            );
            assert_eq!(read, length);

            let mut seed = life.random("PK signing seed", 32);
            let mut signing_public = vec![0u8; olm_pk_signing_public_key_length()];
            olm_pk_signing_key_from_seed(
                signing,
                vm(&mut signing_public),
                signing_public.len(),
                vm(&mut seed),
                32,
            );
            seed.zeroize();
            let mut signature = vec![0u8; olm_pk_signature_length()];
            olm_pk_sign(signing, b"a key".as_ptr(), 5, signature.as_mut_ptr(), signature.len());

            for (sas, name) in [(alice, "alice"), (bob, "bob")] {
                let mut random = life.random(&format!("{name} SAS random"), 32);
                assert_eq!(olm_create_sas(sas, vm(&mut random), 32), 0);
                random.zeroize();
            }
            let mut alice_key = vec![0u8; olm_sas_pubkey_length(alice)];
            olm_sas_get_pubkey(alice, vm(&mut alice_key), alice_key.len());
            let mut bob_key = vec![0u8; olm_sas_pubkey_length(bob)];
            olm_sas_get_pubkey(bob, vm(&mut bob_key), bob_key.len());
            olm_sas_set_their_key(alice, vm(&mut bob_key), bob_key.len());
            olm_sas_set_their_key(bob, vm(&mut alice_key), alice_key.len());
            let mut bytes = [0u8; 6];
            olm_sas_generate_bytes(alice, vp(b"info"), 4, vm(&mut bytes), 6);
            let mut mac = vec![0u8; olm_sas_mac_length(alice)];
            olm_sas_calculate_mac_fixed_base64(alice, vp(b"key"), 3, vp(b"info"), 4, vm(&mut mac), mac.len());
            olm_sas_calculate_mac(alice, vp(b"key"), 3, vp(b"info"), 4, vm(&mut mac), mac.len());
            olm_sas_calculate_mac_long_kdf(bob, vp(b"key"), 3, vp(b"info"), 4, vm(&mut mac), mac.len());

            for (object, memory, clear) in [
                (
                    decryption.cast(),
                    &mut decryption_memory,
                    olm_clear_pk_decryption as unsafe extern "C" fn(_) -> _,
                ),
                (restored.cast(), &mut restored_memory, olm_clear_pk_decryption),
            ] {
                clear(object);
                recording.scan_also("a cleared PK decryption's memory", memory);
            }
            olm_clear_pk_encryption(encryption);
            recording.scan_also("a cleared PK encryption's memory", &encryption_memory);
            olm_clear_pk_signing(signing);
            recording.scan_also("a cleared PK signing's memory", &signing_memory);
            for (sas, memory) in [(alice, &mut alice_memory), (bob, &mut bob_memory)] {
                olm_clear_sas(sas);
                recording.scan_also("a cleared SAS's memory", memory);
            }
            let _ = (&mut encryption_memory, &mut signing_memory);
        }
    });
}
