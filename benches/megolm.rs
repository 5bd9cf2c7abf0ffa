//! Megolm, this crate beside vodozemac on identical inputs (`cargo bench
//! --bench megolm`). The libolm member (`benches/libolm`) adds libolm to the
//! same groups under the same names.
//!
//! Decryption benches start every iteration from a fresh inbound session at
//! index 0 (made outside the timing), so every implementation does the same
//! work: verify the signature, move the ratchet from index 0 to the message's,
//! derive the keys, check the MAC and decrypt. The session is dropped
//! outside the timing too.
//!
//! `megolm_decrypt_history` reads a room's history, 1000 messages of 1 KiB
//! from one session: vodozemac one message at a time, this crate with
//! `decrypt_batch` ("olm") and one at a time ("olm-sequential").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_main};
use olm::megolm::{GroupSession, InboundGroupSession, MegolmMessage, SessionConfig, SessionKey};
use support::{LIBOLM_KEY, MegolmFixture, plaintext, quick};
use vodozemac::megolm as vz;

const SIZES: [usize; 2] = [100, 4096];

fn encrypt(c: &mut Criterion, f: &MegolmFixture) {
    let mut group = c.benchmark_group("megolm_encrypt");
    for size in SIZES {
        let input = plaintext(size);
        let mut ours = GroupSession::from_libolm_pickle(&f.outbound, LIBOLM_KEY).unwrap();
        group.bench_with_input(BenchmarkId::new("olm", size), &input, |b, input| {
            b.iter(|| ours.encrypt(input))
        });
        let mut theirs = vz::GroupSession::from_libolm_pickle(&f.outbound, LIBOLM_KEY).unwrap();
        group.bench_with_input(BenchmarkId::new("vodozemac", size), &input, |b, input| {
            b.iter(|| theirs.encrypt(input))
        });
    }
    group.finish();
}

/// Decrypts `message` with a fresh inbound session from the fixture's key in
/// each iteration, in both crates.
fn decrypt_pair(c: &mut Criterion, group_name: &str, id: &str, f: &MegolmFixture, message: &[u8]) {
    let mut group = c.benchmark_group(group_name);
    let our_key = SessionKey::from_base64(&f.session_key).unwrap();
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
    let their_key = vz::SessionKey::from_base64(&f.session_key).unwrap();
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

fn decrypt(c: &mut Criterion, f: &MegolmFixture) {
    // The message at index 1 from a key at index 0: one ratchet step.
    for size in SIZES {
        decrypt_pair(c, "megolm_decrypt", &size.to_string(), f, &f.message_at(1, size));
    }
    // Far from the key: 2^20 moves one part 16 times; 2^24 reseeds from the
    // slowest part once; 2^24 − 1 is the worst case below it (255 steps of
    // each of three parts).
    for (id, index) in [("2^20", 1 << 20), ("2^24", 1 << 24), ("2^24-1", (1 << 24) - 1)] {
        decrypt_pair(c, "megolm_decrypt_far", id, f, &f.message_at(index, 100));
    }
}

/// A room's history: 1000 messages of 1 KiB, in order and newest first.
fn history(c: &mut Criterion, f: &MegolmFixture) {
    let chronological = f.history(1000, 1024);
    let newest_first: Vec<Vec<u8>> = chronological.iter().rev().cloned().collect();
    for (name, history) in [
        ("megolm_decrypt_history", chronological),
        ("megolm_decrypt_history_newest_first", newest_first),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        let our_key = SessionKey::from_base64(&f.session_key).unwrap();
        let ours: Vec<MegolmMessage> = history.iter().map(|m| MegolmMessage::from_bytes(m).unwrap()).collect();
        group.bench_function("olm", |b| {
            b.iter_batched(
                || InboundGroupSession::new(&our_key, SessionConfig::version_1()),
                |mut session| {
                    let results = session.decrypt_batch(&ours);
                    assert!(results.iter().all(Result::is_ok));
                    (session, results)
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function("olm-sequential", |b| {
            b.iter_batched(
                || InboundGroupSession::new(&our_key, SessionConfig::version_1()),
                |mut session| {
                    let results: Vec<_> = ours.iter().map(|m| session.decrypt(m).unwrap()).collect();
                    (session, results)
                },
                BatchSize::LargeInput,
            )
        });
        let their_key = vz::SessionKey::from_base64(&f.session_key).unwrap();
        let theirs: Vec<vz::MegolmMessage> = history
            .iter()
            .map(|m| vz::MegolmMessage::from_bytes(m).unwrap())
            .collect();
        group.bench_function("vodozemac", |b| {
            b.iter_batched(
                || vz::InboundGroupSession::new(&their_key, vz::SessionConfig::version_1()),
                |mut session| {
                    let results: Vec<_> = theirs.iter().map(|m| session.decrypt(m).unwrap()).collect();
                    (session, results)
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

fn all(c: &mut Criterion) {
    let fixture = MegolmFixture::new();
    encrypt(c, &fixture);
    decrypt(c, &fixture);
    history(c, &fixture);
}

/// The generated group function has no doc comment of its own.
#[allow(missing_docs)]
mod group {
    use super::{all, quick};

    criterion::criterion_group! {
        name = benches;
        config = quick();
        targets = all
    }
}

criterion_main!(group::benches);
