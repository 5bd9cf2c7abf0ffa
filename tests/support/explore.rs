//! The two runs of every property test.
//!
//! - By default (`cargo test`): a fixed seed and a few dozen cases, so the
//!   run is fast and checks the same cases every time. `PROPTEST_CASES` and
//!   `PROPTEST_RNG_SEED` override either, as proptest documents.
//! - With `OLM_PROPTEST_RANDOM=1` (`.ci/run` sets it): a fresh random seed,
//!   printed before the first case (libtest shows it with the failure), at
//!   least [`RANDOM_MIN_CASES`] cases per property, then more until
//!   `OLM_PROPTEST_SECONDS` (default 20) have passed for that property or
//!   `OLM_PROPTEST_CASES` (default 20,000) cases have run. Once both the
//!   minimum and the time are spent, the remaining cases are drawn but not
//!   run. `OLM_PROPTEST_SEED=<seed>` replays a printed seed: the same cases
//!   are drawn in the same order.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

/// The fewest cases each property runs in the random run, whatever the time.
pub(crate) const RANDOM_MIN_CASES: u32 = 1024;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn env_number(name: &str) -> Option<u64> {
    env(name).map(|value| {
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}"))
    })
}

/// Whether this is the random run.
pub(crate) fn random_run() -> bool {
    env("OLM_PROPTEST_RANDOM").is_some_and(|value| value != "0")
}

/// The configuration of one property: `fixed_cases` under `fixed_seed`, or
/// the random run. Called once per property by `proptest!`.
pub(crate) fn config(fixed_cases: u32, fixed_seed: u64) -> Config {
    let default = Config::default();
    if !random_run() {
        let set = |name: &str| std::env::var_os(name).is_some();
        return Config {
            cases: if set("PROPTEST_CASES") {
                default.cases
            } else {
                fixed_cases
            },
            rng_seed: if set("PROPTEST_RNG_SEED") {
                default.rng_seed
            } else {
                RngSeed::Fixed(fixed_seed)
            },
            failure_persistence: None,
            ..default
        };
    }
    let seed = env_number("OLM_PROPTEST_SEED").unwrap_or_else(rand::random);
    let cases =
        env_number("OLM_PROPTEST_CASES").map_or(20_000, |n| n.clamp(RANDOM_MIN_CASES.into(), u32::MAX.into()) as u32);
    // libtest names each test's thread after the test.
    let property = std::thread::current().name().unwrap_or("?").to_owned();
    eprintln!(
        "{property}: random run, seed {seed}, {RANDOM_MIN_CASES} to {cases} cases; replay with \
         OLM_PROPTEST_RANDOM=1 OLM_PROPTEST_SEED={seed} OLM_PROPTEST_SECONDS=3600"
    );
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // A failure is shrunk for at most a minute: the run stays bounded,
        // and the failing input is reported either way.
        max_shrink_time: 60_000,
        ..default
    }
}

/// Called first in every property's body: true when the case is to be
/// skipped, which happens only in the random run, once this property has
/// run [`RANDOM_MIN_CASES`] cases and its time is spent.
pub(crate) fn budget_spent() -> bool {
    if !random_run() {
        return false;
    }
    /// Per property: when its first case started, how many ran, and
    /// whether the end of its time was printed.
    type Runs = HashMap<String, (Instant, u32, bool)>;
    static RUNS: OnceLock<Mutex<Runs>> = OnceLock::new();
    let budget = Duration::from_secs(env_number("OLM_PROPTEST_SECONDS").unwrap_or(20));
    let property = std::thread::current().name().unwrap_or("?").to_owned();
    let mut runs = RUNS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (start, run, told) = runs.entry(property.clone()).or_insert((Instant::now(), 0, false));
    if *run < RANDOM_MIN_CASES || start.elapsed() < budget {
        *run += 1;
        return false;
    }
    if !*told {
        *told = true;
        eprintln!(
            "{property}: {run} cases in {:.1} s; the time is spent, the remaining cases are not run",
            start.elapsed().as_secs_f64()
        );
    }
    true
}
