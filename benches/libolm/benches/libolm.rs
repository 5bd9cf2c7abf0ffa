//! libolm 3.2.7 in the same criterion groups, under the same names, as the
//! root crate's `olm`, `megolm` and `pickle` benches (`cargo bench -p
//! olm-libolm-bench`), so that `scripts/bench-report` lines the three up.
//!
//! The fixtures are the same (`benches/support`, included by path): every
//! state is the same libolm pickle the Rust benches start from, and every
//! message the same bytes. libolm's API takes base64 and decodes it in place
//! (the shared wrappers of `libolm-shim` hand it a copy of the input), so its
//! timings include that decoding, which is part of using libolm. Random bytes
//! are drawn from the thread's generator inside the timing, as the Rust
//! crates draw theirs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "../../support/mod.rs"]
mod support;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_main};
use olm::base64_encode;
use olm_libolm_bench::{Account, CREATION_RANDOM, InboundGroupSession, OutboundGroupSession, Session, random};
use support::{LIBOLM_KEY, MegolmFixture, OlmFixture, account_with_50_keys, plaintext, quick};

fn b64(bytes: &[u8]) -> String {
    base64_encode(bytes)
}

fn session(pickle: &str) -> Session {
    Session::unpickle(LIBOLM_KEY, pickle).unwrap()
}

fn new_account() -> Account {
    Account::new(&random(CREATION_RANDOM)).unwrap()
}

fn unpickle_account(pickle: &str) -> Account {
    Account::unpickle(LIBOLM_KEY, pickle).unwrap()
}

fn encrypt(session: &mut Session, plaintext: &[u8]) -> (usize, String) {
    let random = random(session.encrypt_random_length());
    session.encrypt(plaintext, &random).unwrap()
}

fn account(c: &mut Criterion) {
    c.benchmark_group("account_new")
        .bench_function("libolm", |b| b.iter(new_account));
    c.benchmark_group("account_one_time_keys_50")
        .bench_function("libolm", |b| {
            b.iter_batched(
                new_account,
                |mut account| {
                    let random = random(account.one_time_keys_random_length(50));
                    account.generate_one_time_keys(50, &random);
                    account
                },
                BatchSize::SmallInput,
            )
        });
}

fn olm_sessions(c: &mut Criterion, f: &OlmFixture) {
    let text = plaintext(100);
    let alice = unpickle_account(&f.alice_account);
    let (identity, otk) = (b64(&f.bob_identity), b64(&f.bob_one_time_key));
    c.benchmark_group("olm_outbound_session").bench_function("libolm", |b| {
        b.iter(|| {
            let mut session = Session::outbound(&alice, &identity, &otk, &random(CREATION_RANDOM)).unwrap();
            let message = encrypt(&mut session, &text);
            (session, message)
        })
    });

    let alice_identity = b64(&f.alice_identity);
    let message = b64(&f.pre_key_message);
    c.benchmark_group("olm_inbound_session").bench_function("libolm", |b| {
        b.iter_batched(
            || unpickle_account(&f.bob_account),
            |mut account| {
                let mut session = Session::inbound_from(&mut account, &alice_identity, &message).unwrap();
                let plaintext = session.decrypt(0, &message).unwrap();
                account.remove_one_time_keys(&mut session).unwrap();
                (account, session, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
}

fn olm_messages(c: &mut Criterion, f: &OlmFixture) {
    let text = plaintext(100);
    let mut sending = session(&f.alice_sending);
    c.benchmark_group("olm_encrypt")
        .bench_function("libolm", |b| b.iter(|| encrypt(&mut sending, &text)));
    c.benchmark_group("olm_encrypt_ratchet_step")
        .bench_function("libolm", |b| {
            b.iter_batched(
                || session(&f.alice_before_step),
                |mut session| {
                    let message = encrypt(&mut session, &text);
                    (session, message)
                },
                BatchSize::SmallInput,
            )
        });
    for (group, state, message) in [
        ("olm_decrypt", &f.bob_after_step, &f.chain_message),
        ("olm_decrypt_ratchet_step", &f.bob_before_step, &f.step_message),
    ] {
        let message = b64(message);
        c.benchmark_group(group).bench_function("libolm", |b| {
            b.iter_batched(
                || session(state),
                |mut session| {
                    let plaintext = session.decrypt(1, &message).unwrap();
                    (session, plaintext)
                },
                BatchSize::SmallInput,
            )
        });
    }

    let (mut a, mut b) = (session(&f.alice_sending), session(&f.bob_after_step));
    c.benchmark_group("olm_ping_pong").bench_function("libolm", |bench| {
        bench.iter(|| {
            let (kind, ping) = encrypt(&mut a, &text);
            b.decrypt(kind, &ping).unwrap();
            let (kind, pong) = encrypt(&mut b, &text);
            a.decrypt(kind, &pong).unwrap()
        })
    });
}

fn megolm(c: &mut Criterion, f: &MegolmFixture) {
    let mut group = c.benchmark_group("megolm_encrypt");
    for size in [100usize, 4096] {
        let input = plaintext(size);
        let mut session = OutboundGroupSession::unpickle(LIBOLM_KEY, &f.outbound).unwrap();
        group.bench_with_input(BenchmarkId::new("libolm", size), &input, |b, input| {
            b.iter(|| session.encrypt(input))
        });
    }
    group.finish();

    let key = f.session_key.as_str();
    let mut decrypt = |group: &str, id: &str, message: Vec<u8>| {
        let message = b64(&message);
        c.benchmark_group(group)
            .bench_function(BenchmarkId::new("libolm", id), |b| {
                b.iter_batched(
                    || InboundGroupSession::from_session_key(key).unwrap(),
                    |mut session| {
                        let decrypted = session.decrypt(&message).unwrap();
                        (session, decrypted)
                    },
                    BatchSize::SmallInput,
                )
            });
    };
    for size in [100usize, 4096] {
        decrypt("megolm_decrypt", &size.to_string(), f.message_at(1, size));
    }
    for (id, index) in [("2^20", 1 << 20), ("2^24", 1 << 24), ("2^24-1", (1 << 24) - 1)] {
        decrypt("megolm_decrypt_far", id, f.message_at(index, 100));
    }

    let chronological: Vec<String> = f.history(1000, 1024).iter().map(|m| b64(m)).collect();
    let newest_first: Vec<String> = chronological.iter().rev().cloned().collect();
    for (name, history) in [
        ("megolm_decrypt_history", chronological),
        ("megolm_decrypt_history_newest_first", newest_first),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.bench_function("libolm", |b| {
            b.iter_batched(
                || InboundGroupSession::from_session_key(key).unwrap(),
                |mut session| {
                    let results: Vec<_> = history.iter().map(|m| session.decrypt(m).unwrap()).collect();
                    (session, results)
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

fn pickles(c: &mut Criterion) {
    let account_pickle = account_with_50_keys();
    let mut account = unpickle_account(&account_pickle);
    let session_pickle = OlmFixture::new().session_after_10_steps;
    let mut olm_session = session(&session_pickle);
    // libolm has one format: the same calls stand in both groups.
    for suffix in ["", "_libolm_format"] {
        c.benchmark_group(format!("pickle_account_50otk{suffix}"))
            .bench_function("libolm", |b| b.iter(|| account.pickle(LIBOLM_KEY)));
        c.benchmark_group(format!("unpickle_account_50otk{suffix}"))
            .bench_function("libolm", |b| b.iter(|| unpickle_account(&account_pickle)));
        c.benchmark_group(format!("pickle_session{suffix}"))
            .bench_function("libolm", |b| b.iter(|| olm_session.pickle(LIBOLM_KEY)));
        c.benchmark_group(format!("unpickle_session{suffix}"))
            .bench_function("libolm", |b| b.iter(|| session(&session_pickle)));
    }
}

fn all(c: &mut Criterion) {
    let olm_fixture = OlmFixture::new();
    account(c);
    olm_sessions(c, &olm_fixture);
    olm_messages(c, &olm_fixture);
    megolm(c, &MegolmFixture::new());
    pickles(c);
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
