//! How an account numbers its one-time and fallback keys.
//!
//! libolm and vodozemac number keys differently, and an account must keep
//! the scheme it has published under: a server keeps each uploaded key under
//! its id, and a reused id is rejected or, worse, overwrites a key that a
//! peer may still claim.

use crate::KeyId;

/// The most one-time keys an account in libolm's scheme stores (libolm's
/// `MAX_ONE_TIME_KEYS`); beyond it the oldest are dropped.
pub const LIBOLM_ONE_TIME_KEY_CAPACITY: usize = 100;

/// The most one-time keys an account in vodozemac's scheme stores
/// (vodozemac 0.11's `OneTimeKeys::MAX_ONE_TIME_KEYS`: 100 times the 50 it
/// asks clients to keep published); beyond it the oldest are dropped.
pub const VODOZEMAC_ONE_TIME_KEY_CAPACITY: usize = 5000;

/// The key id counters of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyIds {
    /// libolm's: 4-byte ids counting from 1 on one counter shared by
    /// one-time and fallback keys; `last` is the last id given out (libolm's
    /// `next_one_time_key_id`, which it pre-increments).
    Libolm { last: u32 },
    /// vodozemac's: 8-byte ids counting from 0, one counter for one-time keys
    /// and one for fallback keys; each holds the next id to give out.
    Vodozemac { next_one_time: u64, next_fallback: u64 },
}

impl KeyIds {
    pub(crate) fn next_one_time(&mut self) -> KeyId {
        match self {
            Self::Libolm { last } => {
                *last = last.wrapping_add(1);
                KeyId::new(*last)
            }
            Self::Vodozemac { next_one_time, .. } => {
                let id = KeyId::new_wide(*next_one_time);
                *next_one_time = next_one_time.wrapping_add(1);
                id
            }
        }
    }

    pub(crate) fn next_fallback(&mut self) -> KeyId {
        match self {
            Self::Libolm { .. } => self.next_one_time(),
            Self::Vodozemac { next_fallback, .. } => {
                let id = KeyId::new_wide(*next_fallback);
                *next_fallback = next_fallback.wrapping_add(1);
                id
            }
        }
    }

    /// How many one-time keys the store keeps.
    pub(crate) fn capacity(self) -> usize {
        match self {
            Self::Libolm { .. } => LIBOLM_ONE_TIME_KEY_CAPACITY,
            Self::Vodozemac { .. } => VODOZEMAC_ONE_TIME_KEY_CAPACITY,
        }
    }

    /// Whether `id` is one this scheme gave out before now, for a one-time
    /// key (`fallback` false) or a fallback key: a stored key whose id the
    /// counters would hand out again makes the account invalid.
    pub(crate) fn has_issued(self, id: KeyId, fallback: bool) -> bool {
        match self {
            Self::Libolm { last } => !id.is_wide() && id.value() <= u64::from(last),
            Self::Vodozemac {
                next_one_time,
                next_fallback,
            } => id.is_wide() && id.value() < if fallback { next_fallback } else { next_one_time },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libolm_ids_share_one_counter_from_one() {
        let mut ids = KeyIds::Libolm { last: 0 };
        assert_eq!(ids.next_one_time(), KeyId::new(1));
        assert_eq!(ids.next_fallback(), KeyId::new(2));
        assert_eq!(ids, KeyIds::Libolm { last: 2 });
        assert!(ids.has_issued(KeyId::new(2), false));
        assert!(!ids.has_issued(KeyId::new(3), true));
        assert!(!ids.has_issued(KeyId::new_wide(1), false));
    }

    #[test]
    fn vodozemac_ids_count_apart_from_zero() {
        let mut ids = KeyIds::Vodozemac {
            next_one_time: 0,
            next_fallback: 0,
        };
        assert_eq!(ids.next_one_time(), KeyId::new_wide(0));
        assert_eq!(ids.next_fallback(), KeyId::new_wide(0));
        assert_eq!(ids.next_one_time(), KeyId::new_wide(1));
        assert!(ids.has_issued(KeyId::new_wide(1), false));
        assert!(!ids.has_issued(KeyId::new_wide(1), true));
        assert!(!ids.has_issued(KeyId::new(0), false));
    }
}
