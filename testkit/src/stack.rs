//! What a call leaves behind on the stack.
//!
//! [`residue_after`] runs a function below a padding frame, returns to the
//! caller's frame, and then reads the stack region the function used, as
//! the function left it, through `/proc/self/mem` (Linux): plain file
//! reads, so the memory is never touched through Rust references while
//! nothing owns it. The padding keeps the frames of the read itself out of
//! that region. A test then searches the bytes for secrets.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
};

/// The padding between the caller's frame and the function's frames, which
/// the frames of the read may use.
const PAD: usize = 16 * 1024;

/// How much of the stack below the padding is read.
pub const SPAN: usize = 64 * 1024;

#[inline(never)]
fn below_padding<T>(f: impl FnOnce() -> T) -> T {
    let mut pad = [0u8; PAD];
    std::hint::black_box(&mut pad);
    let result = f();
    std::hint::black_box(&pad);
    result
}

/// Zeroes the `SPAN` bytes where the function will run, so that what is
/// found there afterwards is the function's, not an earlier call's.
#[inline(never)]
fn scrub() {
    let mut region = [0u8; SPAN];
    std::hint::black_box(&mut region);
}

/// Runs `f`, then returns its result and the `SPAN` bytes of stack below a
/// `PAD`-byte padding under the caller's frame: where `f`'s frames were,
/// zeroed before `f` ran. `None` where `/proc/self/mem` cannot be read.
#[inline(never)]
pub fn residue_after<T>(f: impl FnOnce() -> T) -> (T, Option<Vec<u8>>) {
    let marker = 0u8;
    let here = std::hint::black_box(&marker) as *const u8 as usize;
    below_padding(scrub);
    let result = below_padding(f);
    let start = here.saturating_sub(PAD + SPAN);
    let mut bytes = vec![0u8; SPAN];
    let read = File::open("/proc/self/mem").and_then(|mut mem| {
        mem.seek(SeekFrom::Start(start as u64))?;
        mem.read_exact(&mut bytes)
    });
    (result, read.ok().map(|()| bytes))
}
