//! Fallback keys: a one-time key that is not consumed, so sessions can still
//! be opened when every one-time key has been claimed.
//!
//! As in libolm, an account keeps the current key and the one before it, so
//! that sessions started just before a rotation still succeed.

use alloc::collections::BTreeMap;

use super::one_time_keys::OneTimeKey;
use crate::{Curve25519PublicKey, KeyId};

#[derive(Debug, Default)]
pub(crate) struct FallbackKeys {
    current: Option<OneTimeKey>,
    previous: Option<OneTimeKey>,
}

impl FallbackKeys {
    /// A rotation always leaves a current key, so a previous key alone (which
    /// vodozemac's reader takes, though its writer never makes it) becomes
    /// the current one: kept, not dropped, and the same in every format
    /// (libolm's and ours store a count of keys, current first).
    pub(crate) fn new(current: Option<OneTimeKey>, previous: Option<OneTimeKey>) -> Self {
        match current {
            Some(current) => Self {
                current: Some(current),
                previous,
            },
            None => Self {
                current: previous,
                previous: None,
            },
        }
    }

    pub(crate) fn current(&self) -> Option<&OneTimeKey> {
        self.current.as_ref()
    }

    // Only vodozemac's format names the two keys apart.
    #[cfg_attr(not(feature = "vodozemac-compat"), allow(dead_code))]
    pub(crate) fn previous(&self) -> Option<&OneTimeKey> {
        self.previous.as_ref()
    }

    /// The current key, then the previous one, each if present.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &OneTimeKey> {
        [&self.current, &self.previous].into_iter().flatten()
    }

    /// Makes `key` current; the current one becomes the previous one, and the
    /// old previous key is returned.
    pub(crate) fn rotate(&mut self, key: OneTimeKey) -> Option<OneTimeKey> {
        let removed = self.previous.take();
        self.previous = self.current.replace(key);
        removed
    }

    pub(crate) fn unpublished(&self) -> BTreeMap<KeyId, Curve25519PublicKey> {
        self.current
            .iter()
            .filter(|k| !k.is_published())
            .map(|k| (k.id(), k.public_key()))
            .collect()
    }

    pub(crate) fn mark_as_published(&mut self) {
        if let Some(key) = &mut self.current {
            key.mark_as_published();
        }
    }

    pub(crate) fn forget_previous(&mut self) -> bool {
        self.previous.take().is_some()
    }

    /// The current or previous key with exactly these public bytes.
    pub(crate) fn get(&self, public_key: &Curve25519PublicKey) -> Option<&OneTimeKey> {
        self.iter().find(|k| &k.public_key() == public_key)
    }
}
