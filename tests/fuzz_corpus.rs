//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`) through the
//! same target logic the libFuzzer binaries run: `fuzz/src/lib.rs` is
//! included here by path, so there is one copy of every target's checks and
//! an ordinary `cargo test` exercises them all, on stable, without
//! libFuzzer.
//!
//! `FUZZ_WRITE_SEEDS=1 cargo test --test fuzz_corpus` (re)writes the
//! generated seeds (`corpus/<target>/seed-*`); other files in the corpus
//! (minimised finds, regressions) are kept as they are.
#![cfg(all(feature = "libolm-compat", feature = "vodozemac-compat"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../fuzz/src/lib.rs"]
mod fuzz_logic;

use std::{fs, path::PathBuf};

use fuzz_logic::{TARGETS, seeds::seeds};

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

fn files(target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir(target))
        .map(|dir| dir.map(|entry| entry.expect("a directory entry").path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn write_seeds_if_asked() {
    if std::env::var_os("FUZZ_WRITE_SEEDS").is_none() {
        return;
    }
    for (target, name, bytes) in seeds() {
        let dir = corpus_dir(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn every_target_replays_its_corpus() {
    write_seeds_if_asked();
    for (target, run) in TARGETS {
        let files = files(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
        for file in files {
            let input = fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| run(&input));
            assert!(result.is_ok(), "{target} failed on {}", file.display());
        }
    }
}

#[test]
fn every_target_has_a_binary_and_nothing_else_does() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut binaries: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    binaries.sort();
    let mut names: Vec<String> = TARGETS.iter().map(|(name, _)| name.to_string()).collect();
    names.sort();
    assert_eq!(binaries, names);
}

#[test]
fn the_megolm_index_window_differs_from_vodozemac_exactly_as_documented() {
    for below_wrap in [0, 1, 5] {
        fuzz_logic::script::megolm_index_window(below_wrap, 3);
    }
}

#[test]
fn the_library_has_no_fuzzing_only_code() {
    // The pickle-body targets seal their input themselves, so nothing in the
    // library is compiled differently for fuzzing (vodozemac, by contrast,
    // skips its MAC checks under `cfg(fuzzing)`).
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                if text.contains("cfg(fuzzing)") || text.contains("cfg(fuzz") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
    assert!(found.is_empty(), "fuzzing-only code in {found:?}");
}
