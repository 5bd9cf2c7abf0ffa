//! Stack hygiene: what the primitives leave on the stack is overwritten
//! before a secret-handling operation returns.
//!
//! Our own secrets live in boxes that wipe themselves, but the dependencies
//! work on the stack: SHA-2 and HMAC states and message schedules, HKDF
//! output blocks, AES key schedules, X25519 and Ed25519 scalars, the
//! temporaries a move leaves behind. Those frames are dead once the
//! operation returns, and nothing wipes them; the next call that goes as
//! deep overwrites them, until then a core dump, a swapped page or another
//! bug could show them. So every public operation that handles a secret
//! runs through [`scrubbed`], which afterwards overwrites the stack below
//! the operation's frame with zeros (as libsodium's `sodium_stackzero`).
//! `tests/residue.rs` reads the stack after each such operation and fails
//! on any window of a secret it finds there.

/// How much stack below the operation is overwritten: twice the deepest
/// residue the residue test finds, which is about 12 KiB down in an
/// optimised build (an AES key after inbound session creation and after
/// Megolm decryption; the rest lies within 5 KiB) and 16 to 24 KiB in an
/// unoptimised one, whose frames are larger (`cargo test --test residue`
/// checks the second, `.ci/run` also runs it with `--release`). To measure
/// it, set the optimised figure to 1 and read the hits' offsets: a hit at
/// offset `o` lies `64 KiB − o` below the operation. 24 KiB of zeros cost
/// about a microsecond.
const SCRUB_BYTES: usize = if cfg!(debug_assertions) { 48 * 1024 } else { 24 * 1024 };

/// Runs `operation` in a frame of its own, then overwrites the stack that
/// frame and its callees used.
#[inline(always)]
pub(crate) fn scrubbed<T>(operation: impl FnOnce() -> T) -> T {
    let result = below(operation);
    scrub();
    result
}

/// A frame for the operation below the caller's: without it, what the
/// compiler inlines into the caller would keep its locals in the caller's
/// frame, above the scrubbed region.
#[inline(never)]
fn below<T>(operation: impl FnOnce() -> T) -> T {
    operation()
}

/// A frame of `SCRUB_BYTES` zeros, right below the caller's: where the
/// frames of the caller's callees were. `black_box` makes the zeros real
/// writes, since the array's contents could be read through it.
#[inline(never)]
fn scrub() {
    let mut zeros = [0u8; SCRUB_BYTES];
    core::hint::black_box(&mut zeros);
}
