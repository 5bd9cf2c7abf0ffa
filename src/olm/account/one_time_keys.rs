//! One-time keys: single-use Curve25519 keys published for others to open
//! sessions with.

use alloc::{collections::BTreeMap, vec::Vec};

use crate::{Curve25519Keypair, Curve25519PublicKey, KeyId};

/// How many one-time keys an account stores (libolm's `MAX_ONE_TIME_KEYS`);
/// beyond it the oldest are dropped.
pub(crate) const MAX_ONE_TIME_KEYS: usize = 100;

/// A stored one-time or fallback key.
#[derive(Debug)]
pub(crate) struct OneTimeKey {
    pub(crate) id: KeyId,
    pub(crate) published: bool,
    pub(crate) key: Curve25519Keypair,
}

/// The one-time keys of an account, newest first, as libolm orders them.
#[derive(Debug, Default)]
pub(crate) struct OneTimeKeys {
    pub(crate) keys: Vec<OneTimeKey>,
}

impl OneTimeKeys {
    /// Stores a new key at the front; returns the oldest key if the store
    /// overflowed.
    pub(crate) fn insert(&mut self, key: OneTimeKey) -> Option<OneTimeKey> {
        self.keys.insert(0, key);
        if self.keys.len() > MAX_ONE_TIME_KEYS {
            self.keys.pop()
        } else {
            None
        }
    }

    pub(crate) fn unpublished(&self) -> BTreeMap<KeyId, Curve25519PublicKey> {
        self.keys
            .iter()
            .filter(|k| !k.published)
            .map(|k| (k.id, k.key.public))
            .collect()
    }

    pub(crate) fn mark_as_published(&mut self) {
        self.keys.iter_mut().for_each(|k| k.published = true);
    }

    /// The key with exactly these public bytes.
    pub(crate) fn get(&self, public_key: &Curve25519PublicKey) -> Option<&OneTimeKey> {
        self.keys.iter().find(|k| &k.key.public == public_key)
    }

    pub(crate) fn remove(&mut self, public_key: &Curve25519PublicKey) -> Option<OneTimeKey> {
        let position = self.keys.iter().position(|k| &k.key.public == public_key)?;
        Some(self.keys.remove(position))
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}
