//! libolm 3.2.7 for the benches: the safe wrappers of `libolm-shim` (shared
//! with the vector generator), and the random bytes every drawing call takes.

pub use libolm_shim::{Account, InboundGroupSession, OutboundGroupSession, Session};

/// Random bytes for a libolm call, from the thread's generator: our crate
/// and vodozemac draw theirs the same way, inside the timing.
pub fn random(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes
}

/// The random bytes libolm draws for a new account and for an outbound
/// session: 64 each (two keys of 32 bytes).
pub const CREATION_RANDOM: usize = 64;
