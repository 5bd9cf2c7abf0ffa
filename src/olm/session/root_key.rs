//! The root key and the Diffie-Hellman ratchet step (docs/olm.md,
//! "Advancing the root key").
//!
//! ```text
//! R_i ‖ C_i,0 = HKDF(salt = R_i-1, ECDH(T_i-1, T_i), "OLM_RATCHET", 64)
//! ```

use alloc::boxed::Box;

use x25519_dalek::SharedSecret;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::ChainKey;
use crate::cipher::kdf::hkdf;

const OLM_RATCHET_INFO: &[u8] = b"OLM_RATCHET";

/// The root of the ratchet: every new chain is derived from it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct RootKey(Box<[u8; 32]>);

impl RootKey {
    /// From the first half of a 64-byte KDF output; `bytes` is always 32 long.
    pub(crate) fn from_slice(bytes: &[u8]) -> Self {
        let mut key = Box::new([0u8; 32]);
        key.iter_mut().zip(bytes).for_each(|(k, b)| *k = *b);
        Self(key)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// One ratchet step: the next root key and a fresh chain, from the
    /// exchange between our ratchet key and theirs.
    pub(crate) fn advance(&self, shared_secret: &SharedSecret) -> (RootKey, ChainKey) {
        let okm = hkdf::<64>(Some(self.0.as_slice()), shared_secret.as_bytes(), OLM_RATCHET_INFO);
        let (root, chain) = okm.split_at(32);
        (Self::from_slice(root), ChainKey::from_slice(chain, 0))
    }
}
