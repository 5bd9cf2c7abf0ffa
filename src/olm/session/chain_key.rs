//! Chain keys and the symmetric ratchet (docs/olm.md, "Advancing the chain
//! key" and "Creating a message key").
//!
//! ```text
//! C_i,j+1 = HMAC(C_i,j, 0x02)        M_i,j = HMAC(C_i,j, 0x01)
//! ```

use alloc::boxed::Box;

use hmac::{Mac, digest::FixedOutput};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::MessageKey;
use crate::cipher::hmac_sha256;

const MESSAGE_KEY_SEED: u8 = 0x01;
const CHAIN_KEY_SEED: u8 = 0x02;

/// A chain key and the index of the message key it yields next.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct ChainKey {
    key: Box<[u8; 32]>,
    index: u32,
}

impl ChainKey {
    /// From the second half of a 64-byte KDF output; `bytes` is always 32 long.
    pub(crate) fn from_slice(bytes: &[u8], index: u32) -> Self {
        let mut key = Box::new([0u8; 32]);
        key.iter_mut().zip(bytes).for_each(|(k, b)| *k = *b);
        Self { key, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// Moves to the next index. Indices wrap at 2^32 as in libolm; no
    /// session lives that long.
    pub(crate) fn advance(&mut self) {
        let mut mac = hmac_sha256(&self.key);
        mac.update(&[CHAIN_KEY_SEED]);
        // Finalized in place: no copy of the next key on the stack.
        FixedOutput::finalize_into(mac, (&mut *self.key).into());
        self.index = self.index.wrapping_add(1);
    }

    /// The message key for the current index, then advances: both HMACs
    /// share one keyed state.
    pub(crate) fn next_message_key(&mut self) -> MessageKey {
        let keyed = hmac_sha256(&self.key);
        let mut message = keyed.clone();
        message.update(&[MESSAGE_KEY_SEED]);
        let message_key = MessageKey::from_mac(message, self.index);
        let mut chain = keyed;
        chain.update(&[CHAIN_KEY_SEED]);
        FixedOutput::finalize_into(chain, (&mut *self.key).into());
        self.index = self.index.wrapping_add(1);
        message_key
    }
}
