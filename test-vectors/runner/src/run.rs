//! The loop over the vector files, the same for both runners: every
//! `*.json` below the given folders (skipping dot-folders and `target`),
//! each file of the known format with exactly the keys `format`, `kind`,
//! `source` and a non-empty `vectors` array, each vector checked against
//! [`crate::schema`] and then run, a panic caught as a failure. It prints
//! one line per kind and a total, `<label>: <N> passed, <M> failed`.

use std::{
    collections::BTreeMap,
    panic::{AssertUnwindSafe, catch_unwind},
    path::{Path, PathBuf},
};

use serde_json::Value;

use crate::{Outcome, schema};

/// The format every file must declare.
pub const FORMAT: &str = "olm-test-vectors/1";

/// The keys of a file.
const FILE_KEYS: [&str; 4] = ["format", "kind", "source", "vectors"];

/// Runs one vector.
pub type Runner = fn(&Value) -> Outcome;

/// A kind of the format, as one runner handles it.
pub struct Kind {
    /// The kind's name.
    pub name: &'static str,
    /// Its runner, or why this API does not run it (its vectors are then
    /// counted and reported as not run, never silently skipped).
    pub run: Result<Runner, &'static str>,
}

/// The folders to read: the repository's `test-vectors/` and, when the
/// environment variable `OLM_TEST_VECTORS` names one, that folder too.
pub fn roots(test_vectors: PathBuf) -> Vec<PathBuf> {
    let mut roots = vec![test_vectors];
    roots.extend(std::env::var_os("OLM_TEST_VECTORS").map(PathBuf::from));
    roots
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

/// A file's kind and vectors, or why the file is refused.
fn read_file<'k>(path: &Path, kinds: &'k [Kind]) -> Result<(&'k Kind, Vec<Value>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("unreadable: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let map = doc.as_object().ok_or("not a JSON object")?;
    if let Some(key) = map.keys().find(|key| !FILE_KEYS.contains(&key.as_str())) {
        return Err(format!("unknown key `{key}`"));
    }
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(format!("unknown format (expected {FORMAT})"));
    }
    let name = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
    let kind = kinds
        .iter()
        .find(|kind| kind.name == name)
        .ok_or_else(|| format!("unknown kind `{name}`"))?;
    match doc.get("vectors") {
        Some(Value::Array(vectors)) if !vectors.is_empty() => Ok((kind, vectors.clone())),
        Some(Value::Array(_)) => Err("the `vectors` array is empty".into()),
        _ => Err("no `vectors` array".into()),
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    not_run: usize,
}

/// Runs every vector below `roots` with `kinds`, printing lines that start
/// with `label`. True when every file was read, every vector run passed,
/// and at least one vector ran.
pub fn run_all(label: &str, roots: &[PathBuf], kinds: &[Kind]) -> bool {
    let mut files = Vec::new();
    let mut errors = 0;
    for root in roots {
        if !root.is_dir() {
            eprintln!("{label}: {} is not a folder", root.display());
            errors += 1;
        }
        json_files(root, &mut files);
    }

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, &str> = BTreeMap::new();
    for file in &files {
        let shown = file.display();
        let (kind, vectors) = match read_file(file, kinds) {
            Ok(read) => read,
            Err(e) => {
                eprintln!("{label}: {shown}: {e}");
                errors += 1;
                continue;
            }
        };
        let tally = tallies.entry(kind.name).or_default();
        for vector in &vectors {
            let name = vector.get("name").and_then(Value::as_str).unwrap_or("<unnamed>");
            let run = match kind.run {
                Ok(run) => run,
                Err(reason) => {
                    tally.not_run += 1;
                    reasons.insert(kind.name, reason);
                    continue;
                }
            };
            let outcome = schema::check(kind.name, vector).and_then(|()| {
                catch_unwind(AssertUnwindSafe(|| run(vector))).unwrap_or_else(|_| Err("panicked".into()))
            });
            match outcome {
                Ok(()) => tally.passed += 1,
                Err(reason) => {
                    tally.failed += 1;
                    eprintln!("{label}: FAILED {} `{name}` ({shown}): {reason}", kind.name);
                }
            }
        }
    }

    // On a line of its own, after any harness progress output.
    println!();
    let (mut passed, mut failed) = (0, 0);
    for (kind, tally) in &tallies {
        if tally.passed + tally.failed > 0 || tally.not_run == 0 {
            println!("{label}: {kind} {} passed, {} failed", tally.passed, tally.failed);
        }
        if tally.not_run > 0 {
            let reason = reasons.get(kind).copied().unwrap_or_default();
            println!("{label}: {kind} {} not run ({reason})", tally.not_run);
        }
        passed += tally.passed;
        failed += tally.failed;
    }
    println!("{label}: {passed} passed, {failed} failed");
    if errors > 0 {
        eprintln!("{label}: {errors} files or folders refused");
    }
    if passed == 0 {
        eprintln!("{label}: no vector ran");
    }
    failed == 0 && errors == 0 && passed > 0
}
