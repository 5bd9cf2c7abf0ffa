//! Pickling and unpickling, this crate beside vodozemac on the same state
//! (`cargo bench --bench pickle`): an account with 50 one-time keys and a
//! fallback key, and an Olm session after 10 ratchet steps.
//!
//! Two formats each: the crate's own (ours: `pickle`/`from_pickle`;
//! vodozemac: `pickle().encrypt()`/`from_encrypted` + `from_pickle`) and
//! libolm's (`to_libolm_pickle`/`from_libolm_pickle`; vodozemac writes
//! libolm pickles only for accounts). Unpickling includes the decryption and
//! the rebuilding of the object.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use criterion::{Criterion, criterion_main};
use olm::olm::{Account, Session};
use support::{LIBOLM_KEY, OlmFixture, PICKLE_KEY, account_with_50_keys, quick};
use vodozemac::olm as vz;

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
}

fn all(c: &mut Criterion) {
    account(c);
    session(c);
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
