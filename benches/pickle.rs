//! Pickling and unpickling, this crate beside vodozemac on the same state
//! (`cargo bench --bench pickle`): an account with 50 one-time keys and a
//! fallback key, an Olm session after 10 ratchet steps (messages alternating
//! direction, so each reply is a step) and an inbound group session.
//!
//! The formats: each crate's own (ours: `pickle`/`from_pickle`; vodozemac:
//! `pickle().encrypt()`/`from_encrypted` + `from_pickle`), libolm's
//! (`to_libolm_pickle`/`from_libolm_pickle`; vodozemac writes libolm pickles
//! only for accounts), and vodozemac's, which both write and read (ours:
//! `to_vodozemac_pickle`/`from_vodozemac_pickle`). The vodozemac-format
//! groups (`<object>_vodozemac_format`, parameter `pickle` or `unpickle`)
//! build vodozemac's object from our vodozemac pickle, so both sides pickle
//! the same state to the same string and unpickle that one string.
//! Unpickling includes the decryption and the rebuilding of the object.
//!
//! Each object's pickle sizes in the three formats are printed once, to
//! stderr, when its benches are set up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use criterion::{BenchmarkId, Criterion, criterion_main};
use olm::{
    megolm::InboundGroupSession,
    olm::{Account, Session},
};
use support::{LIBOLM_KEY, MegolmFixture, OlmFixture, PICKLE_KEY, account_with_50_keys, quick};
use vodozemac::{megolm as vzm, olm as vz};

/// Prints an object's pickle sizes in the three formats.
fn print_sizes(object: &str, ours: usize, libolm: usize, vodozemac: usize) {
    eprintln!("pickle sizes, {object}: ours {ours} B, libolm {libolm} B, vodozemac {vodozemac} B");
}

/// One object's group in vodozemac's format: `pickle` and `unpickle`, each
/// for this crate ("olm") and for vodozemac, all on the same `pickle`.
fn vodozemac_format<O, V>(
    c: &mut Criterion,
    name: &str,
    pickle: &str,
    olm: (impl Fn() -> String, impl Fn(&str) -> O),
    vodozemac: (impl Fn() -> String, impl Fn(&str) -> V),
) {
    // Same state, same string: vodozemac's encryption is deterministic.
    assert_eq!(olm.0(), pickle, "{name}: our vodozemac pickle changed");
    assert_eq!(vodozemac.0(), pickle, "{name}: vodozemac pickles the state differently");
    let mut group = c.benchmark_group(name);
    group.bench_function(BenchmarkId::new("olm", "pickle"), |b| b.iter(&olm.0));
    group.bench_function(BenchmarkId::new("vodozemac", "pickle"), |b| b.iter(&vodozemac.0));
    group.bench_function(BenchmarkId::new("olm", "unpickle"), |b| b.iter(|| olm.1(pickle)));
    group.bench_function(BenchmarkId::new("vodozemac", "unpickle"), |b| {
        b.iter(|| vodozemac.1(pickle))
    });
    group.finish();
}

fn account(c: &mut Criterion) {
    let libolm = account_with_50_keys();
    let ours = Account::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap();
    let theirs = vz::Account::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap();
    let our_pickle = ours.pickle(&PICKLE_KEY);
    let their_pickle = theirs.pickle().encrypt(&PICKLE_KEY);

    let mut group = c.benchmark_group("pickle_account_50otk");
    group.bench_function("olm", |b| b.iter(|| ours.pickle(&PICKLE_KEY)));
    group.bench_function("vodozemac", |b| b.iter(|| theirs.pickle().encrypt(&PICKLE_KEY)));
    group.finish();

    let mut group = c.benchmark_group("unpickle_account_50otk");
    group.bench_function("olm", |b| {
        b.iter(|| Account::from_pickle(&our_pickle, &PICKLE_KEY).unwrap())
    });
    group.bench_function("vodozemac", |b| {
        b.iter(|| vz::Account::from_pickle(vz::AccountPickle::from_encrypted(&their_pickle, &PICKLE_KEY).unwrap()))
    });
    group.finish();

    let mut group = c.benchmark_group("pickle_account_50otk_libolm_format");
    group.bench_function("olm", |b| b.iter(|| ours.to_libolm_pickle(LIBOLM_KEY).unwrap()));
    group.bench_function("vodozemac", |b| b.iter(|| theirs.to_libolm_pickle(LIBOLM_KEY).unwrap()));
    group.finish();

    let mut group = c.benchmark_group("unpickle_account_50otk_libolm_format");
    group.bench_function("olm", |b| {
        b.iter(|| Account::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap())
    });
    group.bench_function("vodozemac", |b| {
        b.iter(|| vz::Account::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap())
    });
    group.finish();

    let pickle = ours.to_vodozemac_pickle(&PICKLE_KEY);
    let theirs = vz::Account::from_pickle(vz::AccountPickle::from_encrypted(&pickle, &PICKLE_KEY).unwrap());
    print_sizes(
        "account, 50 one-time keys",
        our_pickle.len(),
        libolm.len(),
        pickle.len(),
    );
    vodozemac_format(
        c,
        "account_50otk_vodozemac_format",
        &pickle,
        (
            || ours.to_vodozemac_pickle(&PICKLE_KEY),
            |p: &str| Account::from_vodozemac_pickle(p, &PICKLE_KEY).unwrap(),
        ),
        (
            || theirs.pickle().encrypt(&PICKLE_KEY),
            |p: &str| vz::Account::from_pickle(vz::AccountPickle::from_encrypted(p, &PICKLE_KEY).unwrap()),
        ),
    );
}

fn session(c: &mut Criterion) {
    let libolm = OlmFixture::new().session_after_10_steps;
    let ours = Session::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap();
    let theirs = vz::Session::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap();
    let our_pickle = ours.pickle(&PICKLE_KEY);
    let their_pickle = theirs.pickle().encrypt(&PICKLE_KEY);

    let mut group = c.benchmark_group("pickle_session");
    group.bench_function("olm", |b| b.iter(|| ours.pickle(&PICKLE_KEY)));
    group.bench_function("vodozemac", |b| b.iter(|| theirs.pickle().encrypt(&PICKLE_KEY)));
    group.finish();

    let mut group = c.benchmark_group("unpickle_session");
    group.bench_function("olm", |b| {
        b.iter(|| Session::from_pickle(&our_pickle, &PICKLE_KEY).unwrap())
    });
    group.bench_function("vodozemac", |b| {
        b.iter(|| vz::Session::from_pickle(vz::SessionPickle::from_encrypted(&their_pickle, &PICKLE_KEY).unwrap()))
    });
    group.finish();

    // vodozemac cannot write a libolm session pickle.
    let mut group = c.benchmark_group("pickle_session_libolm_format");
    group.bench_function("olm", |b| b.iter(|| ours.to_libolm_pickle(LIBOLM_KEY).unwrap()));
    group.finish();

    let mut group = c.benchmark_group("unpickle_session_libolm_format");
    group.bench_function("olm", |b| {
        b.iter(|| Session::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap())
    });
    group.bench_function("vodozemac", |b| {
        b.iter(|| vz::Session::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap())
    });
    group.finish();

    let pickle = ours.to_vodozemac_pickle(&PICKLE_KEY);
    let theirs = vz::Session::from_pickle(vz::SessionPickle::from_encrypted(&pickle, &PICKLE_KEY).unwrap());
    print_sizes(
        "session, 10 ratchet steps",
        our_pickle.len(),
        libolm.len(),
        pickle.len(),
    );
    vodozemac_format(
        c,
        "session_vodozemac_format",
        &pickle,
        (
            || ours.to_vodozemac_pickle(&PICKLE_KEY),
            |p: &str| Session::from_vodozemac_pickle(p, &PICKLE_KEY).unwrap(),
        ),
        (
            || theirs.pickle().encrypt(&PICKLE_KEY),
            |p: &str| vz::Session::from_pickle(vz::SessionPickle::from_encrypted(p, &PICKLE_KEY).unwrap()),
        ),
    );
}

fn inbound_group_session(c: &mut Criterion) {
    let libolm = MegolmFixture::new().inbound;
    let ours = InboundGroupSession::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap();
    let pickle = ours.to_vodozemac_pickle(&PICKLE_KEY);
    let theirs = vzm::InboundGroupSession::from_pickle(
        vzm::InboundGroupSessionPickle::from_encrypted(&pickle, &PICKLE_KEY).unwrap(),
    );
    print_sizes(
        "inbound group session",
        ours.pickle(&PICKLE_KEY).len(),
        libolm.len(),
        pickle.len(),
    );
    vodozemac_format(
        c,
        "inbound_group_session_vodozemac_format",
        &pickle,
        (
            || ours.to_vodozemac_pickle(&PICKLE_KEY),
            |p: &str| InboundGroupSession::from_vodozemac_pickle(p, &PICKLE_KEY).unwrap(),
        ),
        (
            || theirs.pickle().encrypt(&PICKLE_KEY),
            |p: &str| {
                vzm::InboundGroupSession::from_pickle(
                    vzm::InboundGroupSessionPickle::from_encrypted(p, &PICKLE_KEY).unwrap(),
                )
            },
        ),
    );
}

fn all(c: &mut Criterion) {
    account(c);
    session(c);
    inbound_group_session(c);
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
