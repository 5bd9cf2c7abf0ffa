//! Writes `test-vectors/libolm_<kind>.json`: known-answer vectors whose every
//! expected value comes from libolm 3.2.7 (through olm-sys 1.3.2), driven
//! with "random" bytes derived from a seed. Same seed, same bytes.
//!
//! Usage: `cargo run -p olm-vector-generator -- [--seed S] [--out DIR] [KIND...]`

mod codec;
mod common;
mod craft;
mod json;
mod kinds;

mod rng;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use json::Json;

/// The seed the committed files were generated with.
pub const DEFAULT_SEED: &str = "olm-test-vectors-2026-1";

type Generator = fn(&str) -> Vec<Json>;

const KINDS: &[(&str, Generator)] = &[
    (kinds::account::KIND, kinds::account::generate),
    (kinds::session::KIND, kinds::session::generate),
    (kinds::megolm::KIND, kinds::megolm::generate),
    (kinds::megolm::INBOUND_KIND, kinds::megolm::generate_inbound),
    (kinds::pickle::KIND, kinds::pickle::generate),
    (kinds::sas_pk::SAS_KIND, kinds::sas_pk::generate_sas),
    (kinds::sas_pk::PK_KIND, kinds::sas_pk::generate_pk),
];

fn main() -> ExitCode {
    let mut seed = DEFAULT_SEED.to_owned();
    let mut out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in test-vectors/generator")
        .to_path_buf();
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().expect("--seed needs a value"),
            "--out" => out = PathBuf::from(args.next().expect("--out needs a value")),
            "-h" | "--help" => {
                println!("usage: olm-vector-generator [--seed SEED] [--out DIR] [KIND...]");
                println!("  --seed SEED     seed of the random bytes (default {DEFAULT_SEED:?})");
                println!("  --out DIR       where libolm_<kind>.json go (default: test-vectors/)");
                println!("  KIND...         only these kinds (default: all)");
                return ExitCode::SUCCESS;
            }
            kind if KINDS.iter().any(|(k, _)| *k == kind) => only.push(kind.to_owned()),
            other => {
                eprintln!("unknown argument `{other}`");
                return ExitCode::FAILURE;
            }
        }
    }
    let (major, minor, patch) = libolm_shim::version();
    assert_eq!(
        (major, minor, patch),
        (3, 2, 7),
        "the vectors are defined as libolm 3.2.7 output"
    );

    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("creating {}: {e}", out.display()));
    let mut total = 0;
    for (kind, generate) in KINDS {
        if !only.is_empty() && !only.iter().any(|k| k == kind) {
            continue;
        }
        let vectors = generate(&seed);
        let errors = vectors.iter().filter(|v| expects_error(v)).count();
        total += vectors.len();
        let doc = obj! {
            "format" => "olm-test-vectors/1",
            "kind" => *kind,
            "source" => format!(
                "libolm {major}.{minor}.{patch} (crates.io olm-sys 1.3.2) through its C API, random bytes as given; \
                 written by test-vectors/generator with seed \"{seed}\""
            ),
            "vectors" => vectors,
        };
        let path = out.join(format!("libolm_{kind}.json"));
        std::fs::write(&path, doc.to_pretty()).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        println!(
            "{kind}: {} vectors ({errors} expecting an error) -> {}",
            doc_len(&doc),
            path.display()
        );
    }
    println!("total: {total} vectors");
    ExitCode::SUCCESS
}

fn doc_len(doc: &Json) -> usize {
    match doc.get("vectors") {
        Some(Json::Arr(v)) => v.len(),
        _ => 0,
    }
}

/// Whether a vector has an `error`/`import_error` field or an event with `error`.
fn expects_error(v: &Json) -> bool {
    match v {
        Json::Obj(fields) => fields
            .iter()
            .any(|(k, value)| k == "error" || k == "import_error" || expects_error(value)),
        Json::Arr(items) => items.iter().any(expects_error),
        _ => false,
    }
}
