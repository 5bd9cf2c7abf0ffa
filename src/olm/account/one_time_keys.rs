//! One-time keys: single-use Curve25519 keys published for others to open
//! sessions with.

use alloc::{collections::BTreeMap, vec::Vec};

use crate::{Curve25519Keypair, Curve25519PublicKey, KeyId};

/// A stored one-time or fallback key.
#[derive(Debug)]
pub(crate) struct OneTimeKey {
    id: KeyId,
    published: bool,
    key: Curve25519Keypair,
}

impl OneTimeKey {
    pub(crate) fn new(id: KeyId, published: bool, key: Curve25519Keypair) -> Self {
        Self { id, published, key }
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn is_published(&self) -> bool {
        self.published
    }

    pub(crate) fn keypair(&self) -> &Curve25519Keypair {
        &self.key
    }

    pub(crate) fn public_key(&self) -> Curve25519PublicKey {
        self.key.public()
    }

    pub(crate) fn mark_as_published(&mut self) {
        self.published = true;
    }
}

/// The one-time keys of an account, newest first, as libolm orders them.
#[derive(Debug, Default)]
pub(crate) struct OneTimeKeys {
    keys: Vec<OneTimeKey>,
}

impl OneTimeKeys {
    /// The keys as stored, newest first. Callers check their ids (see
    /// [`Account::from_stored`](super::Account)).
    pub(crate) fn from_keys(keys: Vec<OneTimeKey>) -> Self {
        Self { keys }
    }

    /// Stores a new key at the front; returns the oldest key if the store
    /// holds more than `capacity`.
    pub(crate) fn insert(&mut self, key: OneTimeKey, capacity: usize) -> Option<OneTimeKey> {
        self.keys.insert(0, key);
        if self.keys.len() > capacity {
            self.keys.pop()
        } else {
            None
        }
    }

    pub(crate) fn unpublished(&self) -> BTreeMap<KeyId, Curve25519PublicKey> {
        self.keys
            .iter()
            .filter(|k| !k.published)
            .map(|k| (k.id, k.key.public()))
            .collect()
    }

    pub(crate) fn mark_as_published(&mut self) {
        self.keys.iter_mut().for_each(OneTimeKey::mark_as_published);
    }

    /// The key with exactly these public bytes.
    pub(crate) fn get(&self, public_key: &Curve25519PublicKey) -> Option<&OneTimeKey> {
        self.keys.iter().find(|k| &k.key.public() == public_key)
    }

    pub(crate) fn remove(&mut self, public_key: &Curve25519PublicKey) -> Option<OneTimeKey> {
        let position = self.keys.iter().position(|k| &k.key.public() == public_key)?;
        Some(self.keys.remove(position))
    }

    /// Every key, newest first.
    pub(crate) fn iter(&self) -> core::slice::Iter<'_, OneTimeKey> {
        self.keys.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}
