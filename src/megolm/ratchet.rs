//! The Megolm ratchet (docs/megolm.md, "The Megolm ratchet algorithm").
//!
//! The value `R_i` has four 32-byte parts `R_{i,0} ‖ R_{i,1} ‖ R_{i,2} ‖
//! R_{i,3}`. Part `j` changes every `2^(8·(3−j))` steps, and whenever it
//! changes every faster part is reseeded from it: `R_k = H_k(R_j)` for
//! `k = 3` down to `j`, where `H_k(A) = HMAC-SHA-256(key = A, message = [k])`.
//! Jumping ahead therefore costs at most 255 rehashes of each part plus the
//! reseeds, a bound of about a thousand HMACs whatever the distance.
//!
//! The index is a `u32` that wraps from `2^32 − 1` to 0 as in libolm; the
//! ratchet itself keeps turning across the wrap.
//!
//! The functions work on a bare `[u8; 128]` and index so that a caller can run
//! them on a wiped stack buffer when the result may be thrown away (a trial
//! decryption); [`Ratchet`] is the heap-held form that sessions keep.

use hmac::{Mac, digest::FixedOutput};
use subtle::{Choice, ConstantTimeEq};

use crate::{
    cipher::{CipherKeys, HmacSha256, hmac_sha256},
    types::SecretBox,
};

/// The length of a ratchet value: four 32-byte parts.
pub(crate) const RATCHET_LEN: usize = 128;

const PART_LEN: usize = 32;

/// HKDF info for the message keys (docs/megolm.md, "Message encryption").
const MEGOLM_KEYS_INFO: &[u8] = b"MEGOLM_KEYS";

type Part = [u8; PART_LEN];

/// The four parts of `bytes`.
fn parts_mut(bytes: &mut [u8; RATCHET_LEN]) -> &mut [Part] {
    bytes.as_chunks_mut::<PART_LEN>().0
}

/// Writes `H_seed(key)` into `out`, `key` being an HMAC state already keyed
/// with the source part (so reseeding several parts keys HMAC once).
fn derive_part(keyed: &HmacSha256, seed: u8, out: &mut Part) {
    #[cfg(test)]
    tests::count_hmac();
    let mut mac = keyed.clone();
    mac.update(&[seed]);
    mac.finalize_into(out.into());
}

/// `R_j = H_j(R_j)`: moves part `j` on by one of its own steps without
/// touching the faster parts, which the final reseed overwrites anyway.
fn rehash_part(parts: &mut [Part], j: usize) {
    if let Some(part) = parts.get_mut(j) {
        #[cfg(test)]
        tests::count_hmac();
        let mut mac = hmac_sha256(part);
        mac.update(&[j as u8]);
        mac.finalize_into(part.into());
    }
}

/// `R_k = H_k(R_from)` for every `k ≥ from`, all from the old `R_from`.
fn reseed_from(parts: &mut [Part], from: usize) {
    let Some(source) = parts.get(from) else {
        return;
    };
    let keyed = hmac_sha256(source);
    for (k, part) in parts.iter_mut().enumerate().skip(from) {
        derive_part(&keyed, k as u8, part);
    }
}

/// Advances the ratchet by one step.
pub(crate) fn advance(bytes: &mut [u8; RATCHET_LEN], index: &mut u32) {
    *index = index.wrapping_add(1);
    // The slowest part whose period divides the new index.
    let from = if *index & 0x00ff_ffff == 0 {
        0
    } else if *index & 0xffff == 0 {
        1
    } else if *index & 0xff == 0 {
        2
    } else {
        3
    };
    reseed_from(parts_mut(bytes), from);
}

/// Advances the ratchet from `*index` to `target`, going forward around the
/// `u32` wrap when `target` is below `*index` (libolm's `megolm_advance_to`).
///
/// Part `j` (from the slowest) must change as many times as the byte
/// `8·(3−j)` of the index moves forward, modulo 256; all but the last change
/// only rehash the part, the last also reseeds the faster parts. When the
/// target is behind and no byte differs from the top one onward, the index
/// must go all the way round: the top part changes 256 times.
pub(crate) fn advance_to(bytes: &mut [u8; RATCHET_LEN], index: &mut u32, target: u32) {
    let parts = parts_mut(bytes);
    for j in 0..4 {
        let shift = 8 * (3 - j as u32);
        let mut steps = (target >> shift).wrapping_sub(*index >> shift) & 0xff;
        if steps == 0 {
            if target < *index {
                steps = 0x100;
            } else {
                continue;
            }
        }
        for _ in 1..steps {
            rehash_part(parts, j);
        }
        reseed_from(parts, j);
        // The faster parts were just reseeded, so they stand at the start of
        // their period.
        *index = target & (u32::MAX << shift);
    }
}

/// The AES key, HMAC key and IV for the message at this ratchet value.
pub(crate) fn cipher_keys(bytes: &[u8; RATCHET_LEN]) -> CipherKeys {
    CipherKeys::derive(bytes, MEGOLM_KEYS_INFO)
}

/// A ratchet value and its index, on the heap and wiped on drop.
#[derive(Clone)]
pub(crate) struct Ratchet {
    bytes: SecretBox<RATCHET_LEN>,
    index: u32,
}

impl Ratchet {
    pub(crate) fn new(bytes: SecretBox<RATCHET_LEN>, index: u32) -> Self {
        Self { bytes, index }
    }

    pub(crate) fn into_parts(self) -> (SecretBox<RATCHET_LEN>, u32) {
        (self.bytes, self.index)
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn as_bytes(&self) -> &[u8; RATCHET_LEN] {
        self.bytes.as_bytes()
    }

    pub(crate) fn advance(&mut self) {
        advance(self.bytes.as_mut_bytes(), &mut self.index);
    }

    pub(crate) fn advance_to(&mut self, target: u32) {
        advance_to(self.bytes.as_mut_bytes(), &mut self.index, target);
    }

    pub(crate) fn cipher_keys(&self) -> CipherKeys {
        cipher_keys(self.as_bytes())
    }

    /// Replaces the value in place, without reallocating.
    pub(crate) fn set(&mut self, bytes: &[u8; RATCHET_LEN], index: u32) {
        self.bytes.as_mut_bytes().copy_from_slice(bytes);
        self.index = index;
    }
}

impl ConstantTimeEq for Ratchet {
    /// Equal index and bytes. The index is public, so only the bytes are
    /// compared in constant time.
    fn ct_eq(&self, other: &Self) -> Choice {
        Choice::from(u8::from(self.index == other.index)) & self.as_bytes().ct_eq(other.as_bytes())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use alloc::vec::Vec;
    use core::cell::Cell;

    use super::*;

    std::thread_local! {
        /// The HMACs this thread's ratchet steps computed: how far a ratchet
        /// was walked, which the values it reaches do not show.
        static HMACS: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn count_hmac() {
        HMACS.with(|n| n.set(n.get() + 1));
    }

    /// The HMACs `f` made the ratchet compute.
    pub(crate) fn hmacs_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
        let before = HMACS.with(Cell::get);
        let result = f();
        (result, HMACS.with(Cell::get) - before)
    }

    /// One step is one reseed of the fastest part; a jump rehashes each part
    /// as many times as its byte of the index moves, less the reseed.
    #[test]
    fn the_hmac_count_is_the_cost_of_the_walk() {
        let mut ratchet = libolm_start(0);
        assert_eq!(hmacs_of(|| ratchet.advance()).1, 1);
        // 1 to 0x0105: part 2 moves once (a reseed of parts 2 and 3), then
        // part 3 moves 5 times (4 rehashes and a reseed).
        assert_eq!(hmacs_of(|| ratchet.advance_to(0x0105)).1, 2 + 5);
    }

    /// libolm tests/test_megolm.cpp: "0123456789ABCDEF" eight times.
    fn libolm_start(index: u32) -> Ratchet {
        let mut bytes = [0u8; RATCHET_LEN];
        for chunk in bytes.chunks_mut(16) {
            chunk.copy_from_slice(b"0123456789ABCDEF");
        }
        Ratchet::new(SecretBox::new(&bytes), index)
    }

    use olm_testkit::hex::bytes as unhex;

    const AFTER_ONE_R3: &str = "ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a";

    const AT_0X1000000: &str = "
        54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c
        7004c01ee49bd6efe0073525af9b1632c5be726d12349cc5bd472bdc2df6540f
        3112591194fda617e568c683101eaecd7eddd6de1fbc0767ae34da1a09a54eab
        ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a";

    const AT_0X1041506: &str = "
        54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c
        55588df5b7a48878428927868164589f3663447b51edc3595b036ca604c46dcd
        5c54850bfa98a1fd79a9df1cbe8fc5681937d30c85c8c31f7bb828816cf9ff3b
        956cbf807e65126a49558d45c84a2e4cd56f03e24416b98e1cfd97c206aa907a";

    #[test]
    fn single_step_changes_only_r3() {
        let start = libolm_start(0);
        let mut ratchet = start.clone();
        ratchet.advance();
        assert_eq!(ratchet.index(), 1);
        assert_eq!(ratchet.as_bytes()[..96], start.as_bytes()[..96]);
        assert_eq!(ratchet.as_bytes()[96..].to_vec(), unhex(AFTER_ONE_R3));

        let mut jumped = libolm_start(0);
        jumped.advance_to(1);
        assert_eq!(jumped.index(), 1);
        assert_eq!(jumped.as_bytes(), ratchet.as_bytes());
    }

    #[test]
    fn libolm_jumps() {
        // The libolm test jumps 1 → 0x1000000 → 0x1041506 on one ratchet.
        let mut ratchet = libolm_start(0);
        ratchet.advance_to(1);
        ratchet.advance_to(0x100_0000);
        assert_eq!(ratchet.index(), 0x100_0000);
        assert_eq!(ratchet.as_bytes().to_vec(), unhex(AT_0X1000000));
        ratchet.advance_to(0x104_1506);
        assert_eq!(ratchet.index(), 0x104_1506);
        assert_eq!(ratchet.as_bytes().to_vec(), unhex(AT_0X1041506));

        // Jumping straight from 0 gives the same values.
        let mut direct = libolm_start(0);
        direct.advance_to(0x104_1506);
        assert_eq!(direct.as_bytes().to_vec(), unhex(AT_0X1041506));
    }

    #[test]
    fn wraparound() {
        // 0xffffffff → 0x1000000 crosses the wrap: two steps of R0, like
        // 0 → 0x2000000.
        let mut wrapped = libolm_start(0xffff_ffff);
        wrapped.advance_to(0x100_0000);
        assert_eq!(wrapped.index(), 0x100_0000);
        let mut plain = libolm_start(0);
        plain.advance_to(0x200_0000);
        assert_eq!(plain.index(), 0x200_0000);
        assert_eq!(wrapped.as_bytes(), plain.as_bytes());
    }

    #[test]
    fn overflow_by_one() {
        let mut jumped = libolm_start(0xffff_ffff);
        jumped.advance_to(0);
        assert_eq!(jumped.index(), 0);
        let mut stepped = libolm_start(0xffff_ffff);
        stepped.advance();
        assert_eq!(stepped.index(), 0);
        assert_eq!(jumped.as_bytes(), stepped.as_bytes());
    }

    #[test]
    fn overflow_in_two_jumps() {
        let mut two = libolm_start(1);
        two.advance_to(0x8000_0000);
        two.advance_to(0);
        assert_eq!(two.index(), 0);
        let mut one = libolm_start(1);
        one.advance_to(0);
        assert_eq!(one.index(), 0);
        assert_eq!(one.as_bytes(), two.as_bytes());
    }

    #[test]
    fn jumps_match_single_steps() {
        // Across every kind of boundary, including the 2^24 one.
        for (start, end) in [
            (0u32, 600u32),
            (0xfe00, 0x10200),
            (0xff_ff00, 0x100_0100),
            (0xffff_fe00, 0x100),
        ] {
            let mut stepped = libolm_start(start);
            let mut targets = Vec::new();
            while stepped.index() != end {
                stepped.advance();
                if stepped.index().is_multiple_of(97) || stepped.index() & 0xff == 0 || stepped.index() == end {
                    targets.push((stepped.index(), stepped.clone()));
                }
            }
            let mut jumped = libolm_start(start);
            for (target, expected) in &targets {
                jumped.advance_to(*target);
                assert_eq!(jumped.index(), *target);
                assert_eq!(jumped.as_bytes(), expected.as_bytes(), "at {target:#x}");
                // And a fresh jump from the start.
                let mut fresh = libolm_start(start);
                fresh.advance_to(*target);
                assert_eq!(fresh.as_bytes(), expected.as_bytes(), "fresh at {target:#x}");
            }
        }
    }

    #[test]
    fn jump_to_self_is_a_no_op() {
        let mut ratchet = libolm_start(0x1234_5678);
        ratchet.advance_to(0x1234_5678);
        assert_eq!(ratchet.as_bytes(), libolm_start(0).as_bytes());
        assert_eq!(ratchet.index(), 0x1234_5678);
    }

    #[test]
    fn constant_time_equality() {
        let a = libolm_start(5);
        assert!(bool::from(a.ct_eq(&libolm_start(5))));
        assert!(!bool::from(a.ct_eq(&libolm_start(6))));
        let mut b = libolm_start(4);
        b.advance();
        assert!(!bool::from(a.ct_eq(&b)));
    }
}
