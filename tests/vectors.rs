//! The known-answer test runner (`cargo test --test vectors`): every vector
//! of `test-vectors/` (and of the folder `OLM_TEST_VECTORS` names) run
//! through this crate's Rust API. The loop over the files, the format's
//! model (allowed keys, failure classes) and the comparisons are shared with
//! the C API's runner (`capi/src/tests/vectors.rs`) in
//! `test-vectors/runner`; the files here only drive the API. It fails on
//! any failed vector, any refused file, or when no vector ran.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "vectors/classes.rs"]
mod classes;
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

use std::{path::PathBuf, process::ExitCode};

use vector_runner::run::{Kind, roots, run_all};

/// Every kind of the format, with its runner.
const KINDS: &[Kind] = &[
    Kind {
        name: "olm_account",
        run: Ok(olm_kinds::run_account),
    },
    Kind {
        name: "olm_session",
        run: Ok(olm_kinds::run_session),
    },
    Kind {
        name: "megolm",
        run: Ok(megolm::run_group_session),
    },
    Kind {
        name: "megolm_inbound",
        run: Ok(megolm::run_inbound),
    },
    Kind {
        name: "libolm_pickle",
        run: Ok(pickle::run),
    },
    Kind {
        name: "sas",
        run: Ok(sas_pk::run_sas),
    },
    Kind {
        name: "pk",
        run: Ok(sas_pk::run_pk),
    },
    Kind {
        name: "vodozemac_pickle",
        run: Ok(vodozemac_pickle::run),
    },
];

fn main() -> ExitCode {
    let roots = roots(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors"));
    if run_all("vectors", &roots, KINDS) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
