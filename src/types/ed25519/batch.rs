//! Batch verification of many signatures by one key (a Megolm session's
//! history): one equation for each chunk of signatures that pass the checks
//! strict verification makes on its own, strict verification for the rest.
//! How its verdicts differ from strict verification's is in
//! `docs/security.md`, "Batch verification (Megolm history)".

use alloc::vec::Vec;

use ed25519_dalek::Signature;

use super::Ed25519PublicKey;

impl Ed25519PublicKey {
    /// Checks many signatures by this key at once, returning one verdict per
    /// `(message, signature)` pair, in order.
    ///
    /// Signatures that pass the per-signature checks of strict verification
    /// that batching would skip (`S < ℓ`; `R` canonically encoded and not of
    /// small order; this key not of small order) are verified together with
    /// ed25519-dalek's `verify_batch`, in chunks; a chunk that fails, and
    /// every signature that fails those checks, is verified strictly one by
    /// one, so an invalid signature fails alone and never takes valid ones
    /// with it.
    ///
    /// A `true` here is *not* exactly a `verify_strict` success: the batch
    /// equation is weighted by 128-bit scalars and so ignores a torsion
    /// component of `R` whose order divides the weight. Only the holder of
    /// this key's secret can make such a signature; see docs/security.md,
    /// "Batch verification (Megolm history)".
    pub(crate) fn verify_many(&self, items: &[(&[u8], &[u8; 64])]) -> Vec<bool> {
        let mut verdicts = alloc::vec![false; items.len()];
        let mut batch: Vec<usize> = Vec::with_capacity(items.len());
        for (position, (message, signature)) in items.iter().enumerate() {
            if items.len() >= MIN_BATCH && !self.0.is_weak() && batchable(signature) {
                batch.push(position);
            } else if let Some(verdict) = verdicts.get_mut(position) {
                *verdict = self.verify_bytes(message, signature).is_ok();
            }
        }
        let keys = alloc::vec![self.0; BATCH_CHUNK.min(batch.len())];
        for chunk in batch.chunks(BATCH_CHUNK) {
            let mut messages = Vec::with_capacity(chunk.len());
            let mut signatures = Vec::with_capacity(chunk.len());
            for &position in chunk {
                if let Some((message, signature)) = items.get(position) {
                    messages.push(*message);
                    signatures.push(Signature::from_bytes(signature));
                }
            }
            let all_valid = keys
                .get(..chunk.len())
                .is_some_and(|keys| ed25519_dalek::verify_batch(&messages, &signatures, keys).is_ok());
            for (&position, (message, signature)) in chunk.iter().zip(messages.iter().zip(&signatures)) {
                if let Some(verdict) = verdicts.get_mut(position) {
                    *verdict = all_valid || self.0.verify_strict(message, signature).is_ok();
                }
            }
        }
        verdicts
    }
}

/// Below this many signatures `verify_many` verifies one by one: batching
/// pays off only over several.
const MIN_BATCH: usize = 4;

/// How many signatures one batch equation covers. Larger batches cost less
/// per signature, but a bad signature sends its whole chunk to one-by-one
/// verification.
const BATCH_CHUNK: usize = 256;

/// The field prime 2^255 − 19, little-endian.
const FIELD_PRIME: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// The y-coordinates of the eight points of small order (the torsion
/// subgroup), little-endian: 1 (the identity), p − 1 (order 2), 0 (order 4)
/// and the two of order 8. A unit test derives them from
/// `curve25519_dalek::constants::EIGHT_TORSION`.
const SMALL_ORDER_Y: [[u8; 32]; 5] = [
    {
        let mut one = [0; 32];
        one[0] = 1;
        one
    },
    {
        let mut minus_one = FIELD_PRIME;
        minus_one[0] = 0xec;
        minus_one
    },
    [0; 32],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf,
        0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20,
        0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
    ],
];

/// The table above, for the test that derives it from the curve.
#[cfg(all(test, feature = "std", feature = "libolm-compat"))]
pub(crate) fn small_order_y_coordinates() -> &'static [[u8; 32]] {
    &SMALL_ORDER_Y
}

/// Whether a signature passes the checks strict verification makes on its
/// own and the batch equation does not: `S < ℓ`, and `R` a canonical
/// encoding (`y < p`; `x = 0` with the sign bit set only happens for y = ±1,
/// which are of small order) of a point not of small order. Only public
/// bytes are inspected, so nothing here needs to be constant time.
fn batchable(signature: &[u8; 64]) -> bool {
    let (r, s) = signature.split_at(32);
    let (Ok(r), Ok(s)) = (<[u8; 32]>::try_from(r), <[u8; 32]>::try_from(s)) else {
        return false;
    };
    if bool::from(curve25519_dalek::Scalar::from_canonical_bytes(s).is_none()) {
        return false;
    }
    let mut y = r;
    if let Some(top) = y.last_mut() {
        *top &= 0x7f;
    }
    // Little-endian comparison, most significant byte first.
    let below_prime = y.iter().rev().cmp(FIELD_PRIME.iter().rev()).is_lt();
    below_prime && !SMALL_ORDER_Y.contains(&y)
}
