//! The deterministic "random" bytes: SHA-256(domain ‖ seed ‖ label ‖ counter)
//! blocks, one independent stream per vector so that adding or changing a
//! vector never shifts the bytes of another.

use sha2::{Digest, Sha256};

const DOMAIN: &[u8] = b"olm-test-vectors drbg v1";

/// A byte stream derived from the seed and a label.
pub struct Drbg {
    seed: Vec<u8>,
    counter: u64,
    pending: Vec<u8>,
}

impl Drbg {
    /// The stream for `label` (normally `kind/vector-name`) under `seed`.
    pub fn new(seed: &str, label: &str) -> Self {
        let mut key = Vec::new();
        for part in [DOMAIN, seed.as_bytes(), label.as_bytes()] {
            key.extend_from_slice(&(part.len() as u64).to_be_bytes());
            key.extend_from_slice(part);
        }
        Self {
            seed: key,
            counter: 0,
            pending: Vec::new(),
        }
    }

    /// The next `n` bytes of the stream.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        while self.pending.len() < n {
            let block = Sha256::new()
                .chain_update(&self.seed)
                .chain_update(self.counter.to_be_bytes())
                .finalize();
            self.counter += 1;
            self.pending.extend_from_slice(&block);
        }
        self.pending.drain(..n).collect()
    }

    /// A fixed-size array of the next bytes.
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes(N));
        out
    }

    /// A number in `0..n` (n > 0); the tiny modulo bias does not matter here.
    pub fn below(&mut self, n: usize) -> usize {
        let word = u64::from_be_bytes(self.array());
        (word % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// `len` printable ASCII characters (space to `}`), no quote or backslash.
    pub fn text(&mut self, len: usize) -> Vec<u8> {
        const ALPHABET: &[u8] =
            b" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}";
        (0..len).map(|_| ALPHABET[self.below(ALPHABET.len())]).collect()
    }

    /// A plaintext of `len` bytes: printable text or raw bytes, by chance.
    pub fn plaintext(&mut self, len: usize) -> Vec<u8> {
        if self.below(3) == 0 {
            self.bytes(len)
        } else {
            self.text(len)
        }
    }

    /// A plaintext of a random length in `0..=max`, biased to short ones.
    pub fn any_plaintext(&mut self, max: usize) -> Vec<u8> {
        let len = match self.below(4) {
            0 => self.range(0, 16),
            1 | 2 => self.range(0, 64),
            _ => self.range(0, max),
        };
        self.plaintext(len)
    }
}
