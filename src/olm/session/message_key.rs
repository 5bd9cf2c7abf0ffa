//! Message keys: one per message, expanded into the message cipher's keys
//! (docs/olm.md, "Creating an encrypted message").

use alloc::{boxed::Box, vec::Vec};

use hmac::digest::FixedOutput;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{
    Curve25519PublicKey,
    cipher::{CipherError, CipherKeys, HmacSha256},
    olm::{DecryptionError, SessionConfig, messages::Message},
};

const OLM_KEYS_INFO: &[u8] = b"OLM_KEYS";

/// The key for one message, with its index in the chain.
///
/// The bytes live on the heap: skipped keys sit in a `Vec` that grows,
/// shrinks and is rebuilt, and moving inline bytes would leave copies in
/// freed memory that nothing wipes.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct MessageKey {
    key: Box<[u8; 32]>,
    index: u32,
}

impl MessageKey {
    /// Copies `key` straight into its box: no copy is left on the stack.
    pub(crate) fn from_bytes(key: &[u8; 32], index: u32) -> Self {
        let mut boxed = Box::new([0u8; 32]);
        boxed.copy_from_slice(key);
        Self { key: boxed, index }
    }

    /// The output of `mac`, finalized into the key's box.
    pub(crate) fn from_mac(mac: HmacSha256, index: u32) -> Self {
        let mut key = Box::new([0u8; 32]);
        FixedOutput::finalize_into(mac, (&mut *key).into());
        Self { key, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    fn cipher_keys(&self) -> CipherKeys {
        CipherKeys::derive(self.key.as_slice(), OLM_KEYS_INFO)
    }

    /// Encrypts `plaintext` as the message at this key's index, in the
    /// variant `config`.
    pub(crate) fn encrypt(&self, config: SessionConfig, ratchet_key: Curve25519PublicKey, plaintext: &[u8]) -> Message {
        Message::encrypt(config, &self.cipher_keys(), ratchet_key, self.index, plaintext)
    }

    /// Checks the message's MAC with this key, then decrypts it. A message
    /// of another variant than the session's `config` is refused by the
    /// length of its MAC, as vodozemac refuses it, before any key is
    /// expanded.
    pub(crate) fn decrypt(&self, config: SessionConfig, message: &Message) -> Result<Vec<u8>, DecryptionError> {
        if message.config() != config {
            return Err(DecryptionError::InvalidMacLength {
                expected: config.mac_len(),
                got: message.config().mac_len(),
            });
        }
        message.decrypt(&self.cipher_keys()).map_err(|e| match e {
            CipherError::Mac => DecryptionError::InvalidMac,
            CipherError::Length | CipherError::Padding => DecryptionError::InvalidPadding,
        })
    }
}
