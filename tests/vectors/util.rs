//! The replay generator (the vectors' randomness, drawn through this
//! crate's `_with_rng` calls), and the shared helpers under short names.

use std::convert::Infallible;

use serde_json::Value;
pub use vector_runner::{
    Outcome,
    class::{judge, judge_unchanged},
    fields::{
        Source, array_field, bool_field, check_eq, check_keys, decrypt_source, fallback_key, hex_field, opt_str_field,
        str_field, u32_field, u64_field, usize_field,
    },
    hex::encode as to_hex,
};

/// A generator that replays a fixed byte stream: the vectors' randomness.
///
/// It cannot return an error when over-drawn (the generator is infallible),
/// so it records the over-draw and hands out zeros; `finish` reports it, and
/// also reports bytes left unused.
pub struct ReplayRng {
    bytes: Vec<u8>,
    position: usize,
    overdrawn: bool,
}

impl ReplayRng {
    /// A generator that yields exactly `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            position: 0,
            overdrawn: false,
        }
    }

    /// From a hex field of `v`.
    pub fn from_field(v: &Value, name: &str) -> Result<Self, String> {
        Ok(Self::new(hex_field(v, name)?))
    }

    /// Checks that the stream was consumed exactly.
    pub fn finish(self, what: &str) -> Outcome {
        if self.overdrawn {
            Err(format!(
                "{what}: drew more than the {} random bytes given",
                self.bytes.len()
            ))
        } else if self.position != self.bytes.len() {
            Err(format!(
                "{what}: drew {} of the {} random bytes given",
                self.position,
                self.bytes.len()
            ))
        } else {
            Ok(())
        }
    }
}

impl rand::TryRng for ReplayRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.position + dst.len();
        match self.bytes.get(self.position..end) {
            Some(src) => {
                dst.copy_from_slice(src);
                self.position = end;
            }
            None => {
                self.overdrawn = true;
                dst.fill(0);
            }
        }
        Ok(())
    }
}

impl rand::TryCryptoRng for ReplayRng {}
