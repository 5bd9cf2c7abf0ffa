//! The known-answer test runner (`cargo test --test vectors`).
//!
//! Loads every `*.json` below `test-vectors/` and, when the environment
//! variable `OLM_TEST_VECTORS` names a folder, every `*.json` below that
//! folder as well, in the format of `docs/test-vectors.md`. It prints a line
//! per kind and a total, and fails on any failed vector, any unknown format
//! or kind, or when it found no vector at all. Kinds this crate does not
//! implement yet are reported as pending, never skipped silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "vectors/megolm.rs"]
mod megolm;
#[path = "vectors/olm_kinds.rs"]
mod olm_kinds;
#[path = "vectors/pickle.rs"]
mod pickle;
#[path = "vectors/sas_pk.rs"]
mod sas_pk;
#[path = "vectors/util.rs"]
mod util;
#[path = "vectors/vodozemac_pickle.rs"]
mod vodozemac_pickle;

use std::{
    collections::BTreeMap,
    panic::{AssertUnwindSafe, catch_unwind},
    path::{Path, PathBuf},
    process::ExitCode,
};

use serde_json::Value;

const FORMAT: &str = "olm-test-vectors/1";

type Runner = fn(&Value) -> util::Outcome;

/// Every kind of the format, with its runner or `None` while pending.
const KINDS: &[(&str, Option<Runner>)] = &[
    ("olm_account", Some(olm_kinds::run_account)),
    ("olm_session", Some(olm_kinds::run_session)),
    ("megolm", Some(megolm::run_group_session)),
    ("megolm_inbound", Some(megolm::run_inbound)),
    ("libolm_pickle", Some(pickle::run)),
    ("sas", Some(sas_pk::run_sas)),
    ("pk", Some(sas_pk::run_pk)),
    ("vodozemac_pickle", Some(vodozemac_pickle::run)),
];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    pending: usize,
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                json_files(&path, out);
            }
        } else if name.ends_with(".json") {
            out.push(path);
        }
    }
}

fn main() -> ExitCode {
    let mut roots = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors")];
    if let Some(extra) = std::env::var_os("OLM_TEST_VECTORS") {
        roots.push(PathBuf::from(extra));
    }
    let mut files = Vec::new();
    for root in &roots {
        if !root.is_dir() {
            eprintln!("vectors: {} is not a folder", root.display());
            return ExitCode::FAILURE;
        }
        json_files(root, &mut files);
    }

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut errors = 0;
    for file in &files {
        let shown = file.display();
        let doc: Value = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("vectors: {shown}: unreadable: {e}");
                errors += 1;
                continue;
            }
        };
        if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
            eprintln!("vectors: {shown}: unknown format (expected {FORMAT})");
            errors += 1;
            continue;
        }
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        let Some(&(kind, runner)) = KINDS.iter().find(|(k, _)| *k == kind) else {
            eprintln!("vectors: {shown}: unknown kind `{kind}`");
            errors += 1;
            continue;
        };
        let tally = tallies.entry(kind).or_default();
        for vector in doc
            .get("vectors")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let name = vector.get("name").and_then(Value::as_str).unwrap_or("<unnamed>");
            let Some(run) = runner else {
                tally.pending += 1;
                continue;
            };
            let outcome =
                catch_unwind(AssertUnwindSafe(|| run(vector))).unwrap_or_else(|_| Err("panicked".to_string()));
            match outcome {
                Ok(()) => tally.passed += 1,
                Err(reason) => {
                    tally.failed += 1;
                    eprintln!("vectors: FAILED {kind} `{name}` ({shown}): {reason}");
                }
            }
        }
    }

    let (mut passed, mut failed) = (0, 0);
    for (kind, tally) in &tallies {
        if tally.passed + tally.failed > 0 {
            println!("vectors: {kind} {} passed", tally.passed);
        }
        if tally.failed > 0 {
            println!("vectors: {kind} {} failed", tally.failed);
        }
        if tally.pending > 0 {
            println!("vectors: {kind} {} pending", tally.pending);
        }
        passed += tally.passed;
        failed += tally.failed;
    }
    println!("vectors: {passed} passed, {failed} failed");

    if failed > 0 || errors > 0 {
        ExitCode::FAILURE
    } else if passed + tallies.values().map(|t| t.pending).sum::<usize>() == 0 {
        eprintln!("vectors: no vector found");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
