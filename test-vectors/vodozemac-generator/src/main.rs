//! Writes `test-vectors/vodozemac_vodozemac_pickle.json`: vodozemac's own
//! pickles of accounts, Olm sessions and Megolm sessions, with every
//! expected value produced by vodozemac 0.11.1.
//!
//! vodozemac takes its randomness from the operating system, so no object
//! here is created the usual way. Each one is built from a crafted JSON
//! body, filled from a seeded byte stream and read through vodozemac's own
//! pickle structs; the operations run on it afterwards are deterministic
//! ones (signing, Olm encryption on an active chain, decryption, Megolm),
//! and vodozemac's pickle encryption is deterministic too. Same seed, same
//! bytes.
//!
//! Usage: `cargo run -p olm-vodozemac-vector-generator -- [--seed S] [--out DIR]`

mod account;
mod broken;
// The same ordered JSON printer as the libolm generator's, so that both
// write vector files in one layout.
#[path = "../../generator/src/json.rs"]
mod json;
mod megolm;
mod rng;
mod session;
mod session_config;
mod util;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use json::Json;

/// The seed the committed file was generated with.
pub const DEFAULT_SEED: &str = "olm-test-vectors-2026-1";

/// The one kind this generator writes.
pub const KIND: &str = "vodozemac_pickle";

fn main() -> ExitCode {
    let mut seed = DEFAULT_SEED.to_owned();
    let mut out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in test-vectors/vodozemac-generator")
        .to_path_buf();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().expect("--seed needs a value"),
            "--out" => out = PathBuf::from(args.next().expect("--out needs a value")),
            "-h" | "--help" => {
                println!("usage: olm-vodozemac-vector-generator [--seed SEED] [--out DIR] [{KIND}]");
                println!("  --seed SEED     seed of the random bytes (default {DEFAULT_SEED:?})");
                println!("  --out DIR       where vodozemac_{KIND}.json goes (default: test-vectors/)");
                return ExitCode::SUCCESS;
            }
            KIND => {}
            other => {
                eprintln!("unknown argument `{other}`");
                return ExitCode::FAILURE;
            }
        }
    }

    let mut vectors = account::generate(&seed);
    vectors.extend(session::generate(&seed));
    vectors.extend(megolm::generate(&seed));
    vectors.extend(session_config::generate(&seed));
    vectors.extend(broken::generate(&seed));
    check_names(&vectors);

    let errors = vectors.iter().filter(|v| v.get("error").is_some()).count();
    let total = vectors.len();
    let doc = obj! {
        "format" => "olm-test-vectors/1",
        "kind" => KIND,
        "source" => format!(
            "vodozemac 0.11.1 (crates.io), objects built from seeded pickles; every expected value from vodozemac; \
             written by test-vectors/vodozemac-generator with seed \"{seed}\""
        ),
        "vectors" => vectors,
    };
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("creating {}: {e}", out.display()));
    let path = out.join(format!("vodozemac_{KIND}.json"));
    std::fs::write(&path, doc.to_pretty()).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    println!(
        "{KIND}: {total} vectors ({errors} expecting an error) -> {}",
        path.display()
    );
    ExitCode::SUCCESS
}

/// Every name unique (the names also label the byte streams).
fn check_names(vectors: &[Json]) {
    let mut names: Vec<&str> = vectors
        .iter()
        .map(|v| match v.get("name") {
            Some(Json::Str(s)) => s.as_str(),
            _ => panic!("a vector without a name"),
        })
        .collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "two vectors share a name");
}
