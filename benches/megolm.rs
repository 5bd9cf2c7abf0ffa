//! Megolm encryption and decryption, this crate beside vodozemac on identical
//! inputs (`cargo bench --bench megolm`).
//!
//! Decryption benches start every iteration from a fresh inbound session
//! (made outside the timing), so both crates do the same work: verify the
//! signature, move the ratchet from the session key's index to the message's,
//! derive the keys, check the MAC and decrypt. The session is dropped
//! outside the timing too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_main};
use olm::megolm::{GroupSession, InboundGroupSession, MegolmMessage, SessionConfig, SessionKey};
use vodozemac::megolm as vz;

const SIZES: [usize; 2] = [100, 4096];

fn plaintext(size: usize) -> Vec<u8> {
    (0..size).map(|i| i as u8).collect()
}

fn encrypt(c: &mut Criterion) {
    let mut group = c.benchmark_group("megolm_encrypt");
    for size in SIZES {
        let input = plaintext(size);
        let mut ours = GroupSession::new(SessionConfig::version_1());
        group.bench_with_input(BenchmarkId::new("olm", size), &input, |b, input| {
            b.iter(|| ours.encrypt(input))
        });
        let mut theirs = vz::GroupSession::new(vz::SessionConfig::version_1());
        group.bench_with_input(BenchmarkId::new("vodozemac", size), &input, |b, input| {
            b.iter(|| theirs.encrypt(input))
        });
    }
    group.finish();
}

/// Decrypts `message` (bytes) with a fresh inbound session from `key`
/// (base64) in each iteration, in both crates.
fn decrypt_pair(c: &mut Criterion, group_name: &str, id: impl std::fmt::Display + Copy, key: &str, message: &[u8]) {
    let mut group = c.benchmark_group(group_name);
    let our_key = SessionKey::from_base64(key).unwrap();
    let our_message = MegolmMessage::from_bytes(message).unwrap();
    group.bench_function(BenchmarkId::new("olm", id), |b| {
        b.iter_batched(
            || InboundGroupSession::new(&our_key, SessionConfig::version_1()),
            |mut session| {
                let decrypted = session.decrypt(&our_message).unwrap();
                (session, decrypted)
            },
            BatchSize::SmallInput,
        )
    });
    let their_key = vz::SessionKey::from_base64(key).unwrap();
    let their_message = vz::MegolmMessage::from_bytes(message).unwrap();
    group.bench_function(BenchmarkId::new("vodozemac", id), |b| {
        b.iter_batched(
            || vz::InboundGroupSession::new(&their_key, vz::SessionConfig::version_1()),
            |mut session| {
                let decrypted = session.decrypt(&their_message).unwrap();
                (session, decrypted)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn decrypt_in_order(c: &mut Criterion) {
    for size in SIZES {
        // The message at index 1 from a key at index 0: one ratchet step.
        let mut sender = GroupSession::new(SessionConfig::version_1());
        let key = sender.session_key().to_base64();
        sender.encrypt("first");
        let message = sender.encrypt(plaintext(size));
        decrypt_pair(c, "megolm_decrypt", size, &key, message.as_bytes());
    }
}

fn decrypt_far(c: &mut Criterion) {
    // A sender at 2^20 exists only as a vodozemac session unpickled from a
    // libolm pickle whose ratchet is the export at 2^20.
    let seed = [0x5e; 32];
    let start: Vec<u8> = (0..128u8).map(|b| b.wrapping_mul(37)).collect();
    let origin = vz_sender(&start, 0, &seed);
    let key = origin.session_key().to_base64();
    let mut reader = vz::InboundGroupSession::new(&origin.session_key(), vz::SessionConfig::version_1());
    let index = 1 << 20;
    let ratchet = reader.export_at(index).unwrap().to_bytes()[5..133].to_vec();
    let message = vz_sender(&ratchet, index, &seed).encrypt(plaintext(100));
    decrypt_pair(c, "megolm_decrypt_far", "2^20", &key, &message.to_bytes());
}

/// A vodozemac sender at `index` with this ratchet and signing seed, from
/// libolm's outbound group session pickle (protocol-notes §3).
fn vz_sender(ratchet: &[u8], index: u32, seed: &[u8; 32]) -> vz::GroupSession {
    use aes::Aes256;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
    use hmac::{KeyInit, Mac};
    use sha2::{Digest, Sha256, Sha512};

    const PICKLE_KEY: &[u8] = b"bench";
    let mut expanded: [u8; 64] = Sha512::digest(seed).into();
    expanded[0] &= 248;
    expanded[31] &= 63;
    expanded[31] |= 64;
    let mut raw = 1u32.to_be_bytes().to_vec();
    raw.extend_from_slice(ratchet);
    raw.extend_from_slice(&index.to_be_bytes());
    raw.extend_from_slice(olm::Ed25519SecretKey::from_bytes(seed).public_key().as_bytes());
    raw.extend_from_slice(&expanded);
    let mut okm = [0u8; 80];
    hkdf::Hkdf::<Sha256>::new(None, PICKLE_KEY)
        .expand(b"Pickle", &mut okm)
        .unwrap();
    let mut sealed = cbc::Encryptor::<Aes256>::new_from_slices(&okm[..32], &okm[64..])
        .unwrap()
        .encrypt_padded_vec::<Pkcs7>(&raw);
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&okm[32..64]).unwrap();
    mac.update(&sealed);
    sealed.extend_from_slice(&mac.finalize().into_bytes()[..8]);
    vz::GroupSession::from_libolm_pickle(&olm::base64_encode(sealed), PICKLE_KEY).unwrap()
}

fn quick() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

/// The generated group function has no doc comment of its own.
#[allow(missing_docs)]
mod group {
    use super::{decrypt_far, decrypt_in_order, encrypt, quick};

    criterion::criterion_group! {
        name = benches;
        config = quick();
        targets = encrypt, decrypt_in_order, decrypt_far
    }
}

criterion_main!(group::benches);
