//! The chains we receive on, and the keys of messages skipped on them.

use alloc::vec::Vec;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{ChainKey, MessageKey};
use crate::{
    Curve25519PublicKey,
    olm::{DecryptionError, Message, SessionConfig},
};

/// The largest number of message keys skipped over in one step (libolm's
/// `MAX_MESSAGE_GAP`): it bounds the hashing an attacker can make us do.
pub(crate) const MAX_MESSAGE_GAP: u32 = 2000;

/// How many skipped message keys a session keeps in all, oldest dropped
/// first (libolm's `MAX_SKIPPED_MESSAGE_KEYS`).
pub(crate) const MAX_SKIPPED_MESSAGE_KEYS: usize = 40;

/// A chain the other side sends on, named by their ratchet key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct ReceiverChain {
    #[zeroize(skip)]
    ratchet_key: Curve25519PublicKey,
    chain_key: ChainKey,
    /// How many ratchet steps the session had taken when this chain began
    /// (vodozemac's `ratchet_count`), if known: sessions from libolm do
    /// not record it.
    #[zeroize(skip)]
    count: Option<u64>,
}

impl ReceiverChain {
    pub(crate) fn new(ratchet_key: Curve25519PublicKey, chain_key: ChainKey, count: Option<u64>) -> Self {
        Self {
            ratchet_key,
            chain_key,
            count,
        }
    }

    pub(crate) fn ratchet_key(&self) -> Curve25519PublicKey {
        self.ratchet_key
    }

    pub(crate) fn chain_key(&self) -> &ChainKey {
        &self.chain_key
    }

    pub(crate) fn set_chain_key(&mut self, chain_key: ChainKey) {
        self.chain_key = chain_key;
    }

    pub(crate) fn count(&self) -> Option<u64> {
        self.count
    }
}

/// The key of a message we skipped, kept so it can arrive late.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct SkippedMessageKey {
    #[zeroize(skip)]
    ratchet_key: Curve25519PublicKey,
    message_key: MessageKey,
}

impl SkippedMessageKey {
    pub(crate) fn new(ratchet_key: Curve25519PublicKey, message_key: MessageKey) -> Self {
        Self {
            ratchet_key,
            message_key,
        }
    }

    pub(crate) fn ratchet_key(&self) -> Curve25519PublicKey {
        self.ratchet_key
    }

    pub(crate) fn message_key(&self) -> &MessageKey {
        &self.message_key
    }
}

/// What moving a chain up to a message's index would produce, computed
/// before the message is authenticated and applied only once it is.
pub(crate) struct ChainAdvance {
    /// Keys of the skipped messages worth keeping, oldest first.
    skipped: Vec<MessageKey>,
    /// The key of the message itself.
    message_key: MessageKey,
    /// The chain key after the message.
    next: ChainKey,
}

impl ChainAdvance {
    /// Works out the keys for the message at `index` on `chain`, which must
    /// not be behind it. Only the last `MAX_SKIPPED_MESSAGE_KEYS` skipped
    /// keys are derived: older ones would be dropped at once anyway.
    pub(crate) fn compute(chain: &ChainKey, index: u32) -> Result<Self, DecryptionError> {
        let gap = index
            .checked_sub(chain.index())
            .ok_or(DecryptionError::MissingMessageKey(index))?;
        if gap > MAX_MESSAGE_GAP {
            return Err(DecryptionError::TooBigMessageGap(index, chain.index()));
        }
        let mut next = chain.clone();
        let mut skipped = Vec::new();
        while next.index() < index {
            if index - next.index() <= MAX_SKIPPED_MESSAGE_KEYS as u32 {
                skipped.push(next.next_message_key());
            } else {
                next.advance();
            }
        }
        let message_key = next.next_message_key();
        Ok(Self {
            skipped,
            message_key,
            next,
        })
    }

    /// Decrypts the message with its key; on success, the skipped keys to
    /// keep and the chain key after the message, for the caller to apply.
    pub(crate) fn open(
        self,
        config: SessionConfig,
        message: &Message,
    ) -> Result<(Vec<u8>, Vec<MessageKey>, ChainKey), DecryptionError> {
        let plaintext = self.message_key.decrypt(config, message)?;
        Ok((plaintext, self.skipped, self.next))
    }
}
