//! Olm, this crate beside vodozemac on identical inputs (`cargo bench
//! --bench olm`). The libolm member (`benches/libolm`) adds libolm to the
//! same groups under the same names.
//!
//! Every state comes from `support::OlmFixture` as a libolm pickle that both
//! crates read, so both start from the same keys and chains and decrypt the
//! same bytes. Where an operation consumes its state (creating an inbound
//! session uses up a one-time key; a message decrypts once), each iteration
//! gets a fresh copy unpickled outside the timing (`iter_batched`), and the
//! result is dropped outside the timing too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use criterion::{BatchSize, Criterion, criterion_main};
use olm::olm::{Account, OlmMessage, PreKeyMessage, Session, SessionConfig};
use support::{LIBOLM_KEY, OlmFixture, plaintext, quick};
use vodozemac::olm as vz;

fn vz_key(bytes: [u8; 32]) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(bytes)
}

fn vz_session(pickle: &str) -> vz::Session {
    vz::Session::from_libolm_pickle(pickle, LIBOLM_KEY).unwrap()
}

fn session(pickle: &str) -> Session {
    Session::from_libolm_pickle(pickle, LIBOLM_KEY).unwrap()
}

fn account(c: &mut Criterion) {
    let mut group = c.benchmark_group("account_new");
    group.bench_function("olm", |b| b.iter(Account::new));
    group.bench_function("vodozemac", |b| b.iter(vz::Account::new));
    group.finish();

    let mut group = c.benchmark_group("account_one_time_keys_50");
    group.bench_function("olm", |b| {
        b.iter_batched(
            Account::new,
            |mut account| {
                account.generate_one_time_keys(50);
                account
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("vodozemac", |b| {
        b.iter_batched(
            vz::Account::new,
            |mut account| {
                account.generate_one_time_keys(50);
                account
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn sessions(c: &mut Criterion, f: &OlmFixture) {
    let text = plaintext(100);

    let mut group = c.benchmark_group("olm_outbound_session");
    let ours = Account::from_libolm_pickle(&f.alice_account, LIBOLM_KEY).unwrap();
    let (identity, otk) = (f.bob_identity.into(), f.bob_one_time_key.into());
    group.bench_function("olm", |b| {
        b.iter(|| {
            let mut session = ours
                .create_outbound_session(SessionConfig::version_1(), identity, otk)
                .unwrap();
            let message = session.encrypt(&text);
            (session, message)
        })
    });
    let theirs = vz::Account::from_libolm_pickle(&f.alice_account, LIBOLM_KEY).unwrap();
    group.bench_function("vodozemac", |b| {
        b.iter(|| {
            let mut session = theirs
                .create_outbound_session(
                    vz::SessionConfig::version_1(),
                    vz_key(f.bob_identity),
                    vz_key(f.bob_one_time_key),
                )
                .unwrap();
            let message = session.encrypt(&text).unwrap();
            (session, message)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("olm_inbound_session");
    let message = PreKeyMessage::from_bytes(&f.pre_key_message).unwrap();
    let alice = f.alice_identity.into();
    group.bench_function("olm", |b| {
        b.iter_batched(
            || Account::from_libolm_pickle(&f.bob_account, LIBOLM_KEY).unwrap(),
            |mut account| {
                let created = account.create_inbound_session(alice, &message).unwrap();
                (account, created)
            },
            BatchSize::SmallInput,
        )
    });
    let their_message = vz::PreKeyMessage::from_bytes(&f.pre_key_message).unwrap();
    group.bench_function("vodozemac", |b| {
        b.iter_batched(
            || vz::Account::from_libolm_pickle(&f.bob_account, LIBOLM_KEY).unwrap(),
            |mut account| {
                let created = account
                    .create_inbound_session(vz::SessionConfig::version_1(), vz_key(f.alice_identity), &their_message)
                    .unwrap();
                (account, created)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn encrypt(c: &mut Criterion, f: &OlmFixture) {
    let text = plaintext(100);

    // On a chain that is already sending: a message key and the cipher.
    let mut group = c.benchmark_group("olm_encrypt");
    let mut ours = session(&f.alice_sending);
    group.bench_function("olm", |b| b.iter(|| ours.encrypt(&text)));
    let mut theirs = vz_session(&f.alice_sending);
    group.bench_function("vodozemac", |b| b.iter(|| theirs.encrypt(&text).unwrap()));
    group.finish();

    // The first message after receiving: a new ratchet key and a root step.
    let mut group = c.benchmark_group("olm_encrypt_ratchet_step");
    group.bench_function("olm", |b| {
        b.iter_batched(
            || session(&f.alice_before_step),
            |mut session| {
                let message = session.encrypt(&text);
                (session, message)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("vodozemac", |b| {
        b.iter_batched(
            || vz_session(&f.alice_before_step),
            |mut session| {
                let message = session.encrypt(&text).unwrap();
                (session, message)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn decrypt_pair(c: &mut Criterion, group_name: &str, state: &str, message: &[u8]) {
    let mut group = c.benchmark_group(group_name);
    let ours = OlmMessage::from_parts(1, message).unwrap();
    group.bench_function("olm", |b| {
        b.iter_batched(
            || session(state),
            |mut session| {
                let plaintext = session.decrypt(&ours).unwrap();
                (session, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    let theirs = vz::OlmMessage::from_parts(1, message).unwrap();
    group.bench_function("vodozemac", |b| {
        b.iter_batched(
            || vz_session(state),
            |mut session| {
                let plaintext = session.decrypt(&theirs).unwrap();
                (session, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn decrypt(c: &mut Criterion, f: &OlmFixture) {
    decrypt_pair(c, "olm_decrypt", &f.bob_after_step, &f.chain_message);
    decrypt_pair(c, "olm_decrypt_ratchet_step", &f.bob_before_step, &f.step_message);
}

/// A message each way: from the second round on, every message starts a
/// ratchet step and every decryption follows one.
fn ping_pong(c: &mut Criterion, f: &OlmFixture) {
    let text = plaintext(100);
    let mut group = c.benchmark_group("olm_ping_pong");
    let (mut a, mut b) = (session(&f.alice_sending), session(&f.bob_after_step));
    group.bench_function("olm", |bench| {
        bench.iter(|| {
            let ping = a.encrypt(&text);
            b.decrypt(&ping).unwrap();
            let pong = b.encrypt(&text);
            a.decrypt(&pong).unwrap()
        })
    });
    let (mut a, mut b) = (vz_session(&f.alice_sending), vz_session(&f.bob_after_step));
    group.bench_function("vodozemac", |bench| {
        bench.iter(|| {
            let ping = a.encrypt(&text).unwrap();
            b.decrypt(&ping).unwrap();
            let pong = b.encrypt(&text).unwrap();
            a.decrypt(&pong).unwrap()
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    let fixture = OlmFixture::new();
    account(c);
    sessions(c, &fixture);
    encrypt(c, &fixture);
    decrypt(c, &fixture);
    ping_pong(c, &fixture);
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
