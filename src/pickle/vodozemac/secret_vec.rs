//! Lists and maps of secrets that grow without leaving copies behind.
//!
//! A `Vec` that grows moves its items into a new buffer and frees the old
//! one unwiped. serde grows the vectors it reads (JSON says no length up
//! front), and `BTreeMap`'s `collect` and node splits move items the same
//! way, so the pickle structs keep their secrets here instead: a full
//! buffer is replaced by a larger one holding clones, and the old one is
//! dropped, which wipes each item.

use alloc::vec::Vec;
use core::{fmt, marker::PhantomData};

use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{MapAccess, SeqAccess, Visitor},
    ser::{SerializeMap, SerializeSeq},
};

/// The most items a length announced by the input (MessagePack announces
/// lengths) may reserve up front: a forged length must not allocate much.
const MAX_RESERVED: usize = 64;

/// The items `next` reads until it has none, in a list that reserves what
/// the input announces (up to a bound) and grows without leaving copies.
fn collect<T: Clone, E>(
    announced: Option<usize>,
    mut next: impl FnMut() -> Result<Option<T>, E>,
) -> Result<SecretVec<T>, E> {
    let mut list = SecretVec::with_capacity(announced.unwrap_or(0).min(MAX_RESERVED));
    while let Some(item) = next()? {
        list.push(item);
    }
    Ok(list)
}

/// A list of items that wipe themselves when dropped, grown without leaving
/// a copy behind.
pub(super) struct SecretVec<T>(Vec<T>);

impl<T: Clone> SecretVec<T> {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    pub(super) fn push(&mut self, item: T) {
        if self.0.len() == self.0.capacity() {
            let mut grown = Vec::with_capacity(self.0.capacity().saturating_mul(2).max(4));
            grown.extend(self.0.iter().cloned());
            // The old buffer drops here, and each item in it wipes itself.
            self.0 = grown;
        }
        self.0.push(item);
    }

    pub(super) fn iter(&self) -> core::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T: Clone> Clone for SecretVec<T> {
    fn clone(&self) -> Self {
        let mut copy = Self::with_capacity(self.0.len());
        copy.0.extend(self.0.iter().cloned());
        copy
    }
}

impl<T: Clone> FromIterator<T> for SecretVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let items = items.into_iter();
        let mut list = Self::with_capacity(items.size_hint().0);
        for item in items {
            list.push(item);
        }
        list
    }
}

impl<T: Serialize> Serialize for SecretVec<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in &self.0 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for SecretVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Clone> Visitor<'de> for Items<T> {
            type Value = SecretVec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                collect(seq.size_hint(), || seq.next_element())
            }
        }

        deserializer.deserialize_seq(Items(PhantomData))
    }
}

/// A map from ids to secrets, kept in ascending order of id, which is how
/// vodozemac's `BTreeMap`s serialize.
pub(super) struct SecretMap<K, V>(SecretVec<(K, V)>);

impl<K: Ord + Copy, V: Clone> SecretMap<K, V> {
    /// The map of `entries`, which may come in any order; a repeated key
    /// keeps its last value, as a `BTreeMap` would. The order is worked out
    /// on the keys alone (a sort may copy what it sorts into scratch
    /// memory), then the entries are cloned into place.
    fn from_entries(entries: SecretVec<(K, V)>) -> Self {
        let mut order: Vec<(K, usize)> = entries.iter().enumerate().map(|(i, entry)| (entry.0, i)).collect();
        order.sort_unstable();
        let mut sorted = SecretVec::with_capacity(order.len());
        for (n, &(key, i)) in order.iter().enumerate() {
            let overridden = order.get(n + 1).is_some_and(|next| next.0 == key);
            if let (false, Some(entry)) = (overridden, entries.0.get(i)) {
                sorted.0.push(entry.clone());
            }
        }
        Self(sorted)
    }

    pub(super) fn get(&self, key: &K) -> Option<&V> {
        let position = self.0.0.binary_search_by(|entry| entry.0.cmp(key)).ok()?;
        self.0.0.get(position).map(|entry| &entry.1)
    }

    pub(super) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    pub(super) fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

impl<K: Ord + Copy, V: Clone> FromIterator<(K, V)> for SecretMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        Self::from_entries(entries.into_iter().collect())
    }
}

impl<K: Serialize, V: Serialize> Serialize for SecretMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.0.len()))?;
        for (key, value) in &self.0.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K, V> Deserialize<'de> for SecretMap<K, V>
where
    K: Deserialize<'de> + Ord + Copy,
    V: Deserialize<'de> + Clone,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for Entries<K, V>
        where
            K: Deserialize<'de> + Ord + Copy,
            V: Deserialize<'de> + Clone,
        {
            type Value = SecretMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                collect(map.size_hint(), || map.next_entry()).map(SecretMap::from_entries)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use alloc::string::ToString;

    use super::*;

    #[test]
    fn maps_sort_and_keep_the_last_of_repeated_keys() {
        let map: SecretMap<u64, u8> = [(3, 30), (1, 10), (3, 31), (2, 20)].into_iter().collect();
        let entries: Vec<(u64, u8)> = map.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(entries, vec![(1, 10), (2, 20), (3, 31)]);
        assert_eq!(map.get(&3), Some(&31));
        assert!(!map.contains_key(&4));
    }

    /// serde's errors say what was expected: a store that fails to load
    /// names the field's form.
    #[test]
    fn errors_name_the_expected_form() {
        let list = serde_json::from_str::<SecretVec<u8>>("1").err().unwrap();
        assert!(list.to_string().contains("expected a sequence"), "{list}");
        let map = serde_json::from_str::<SecretMap<u64, u8>>("[]").err().unwrap();
        assert!(map.to_string().contains("expected a map"), "{map}");
    }

    #[test]
    fn lists_keep_order_across_growth() {
        let list: SecretVec<u32> = (0..100).filter(|i| i % 3 == 0).collect();
        assert_eq!(
            list.iter().copied().collect::<Vec<_>>(),
            (0..100).step_by(3).collect::<Vec<_>>()
        );
        assert_eq!(list.clone().len(), 34);
    }
}
