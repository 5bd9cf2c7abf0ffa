//! The seeded byte stream: SHA-256(domain ‖ seed ‖ label ‖ counter) blocks,
//! each part prefixed with its 64-bit big-endian length, the counter a 64-bit
//! big-endian block number. The same construction as the libolm generator's
//! (test-vectors/generator/src/rng.rs), so both files share one seed.

use sha2::{Digest, Sha256};

const DOMAIN: &[u8] = b"olm-test-vectors drbg v1";

/// A byte stream derived from the seed and a label.
pub struct Drbg {
    prefix: Vec<u8>,
    counter: u64,
    pending: Vec<u8>,
}

impl Drbg {
    /// The stream for `label` (here `vodozemac_pickle/<vector name>`).
    pub fn new(seed: &str, label: &str) -> Self {
        let mut prefix = Vec::new();
        for part in [DOMAIN, seed.as_bytes(), label.as_bytes()] {
            prefix.extend_from_slice(&(part.len() as u64).to_be_bytes());
            prefix.extend_from_slice(part);
        }
        Self {
            prefix,
            counter: 0,
            pending: Vec::new(),
        }
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        while self.pending.len() < n {
            let block = Sha256::new()
                .chain_update(&self.prefix)
                .chain_update(self.counter.to_be_bytes())
                .finalize();
            self.counter += 1;
            self.pending.extend_from_slice(&block);
        }
        self.pending.drain(..n).collect()
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes(N));
        out
    }

    /// A number in `0..n` (n > 0); the tiny modulo bias does not matter here.
    pub fn below(&mut self, n: usize) -> usize {
        (u64::from_be_bytes(self.array()) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A plaintext of 0 to `max` bytes: printable text or raw bytes, by chance.
    pub fn plaintext(&mut self, max: usize) -> Vec<u8> {
        const ALPHABET: &[u8] =
            b" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}";
        let len = if self.below(2) == 0 {
            self.range(0, 24)
        } else {
            self.range(0, max)
        };
        if self.below(3) == 0 {
            self.bytes(len)
        } else {
            (0..len).map(|_| ALPHABET[self.below(ALPHABET.len())]).collect()
        }
    }
}
