//! Pickles of [`Account`]s.
//!
//! libolm's layout (version 4; 3 and 2 read too):
//!
//! ```text
//! u32 version · Ed25519 public (32) · Ed25519 expanded secret (64)
//! · Curve25519 public (32) · Curve25519 secret (32)
//! · u32 count · count × { u32 id · u8 published · public (32) · secret (32) }   newest first
//! · u8 fallback count (0..=2) · current fallback · previous fallback           (v4)
//! · u32 last key id
//! ```

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

use alloc::vec::Vec;

#[cfg(feature = "libolm-compat")]
use super::methods::LibolmBody;
use super::{
    PickleError,
    checks::{self, Ed25519Form},
    codec::{Reader, Writer},
    envelope::Kind,
    methods::{OurBody, pickle_methods},
};
use crate::{
    Curve25519PublicKey, KeyId,
    olm::{Account, FallbackKeys, KeyIds, LIBOLM_ONE_TIME_KEY_CAPACITY, OneTimeKey},
};

const LIBOLM_VERSION: u32 = 4;
/// Bit 0 of our format's first byte: the Ed25519 key is libolm's expanded
/// form. Bit 1: vodozemac's key id scheme (two counters follow, not one).
const FORM_WIDE_IDS: u8 = 2;

impl OurBody for Account {
    const KIND: Kind = Kind::Account;

    fn write(&self, w: &mut Writer) {
        let ids = self.key_ids();
        let wide = if matches!(ids, KeyIds::Vodozemac { .. }) {
            FORM_WIDE_IDS
        } else {
            0
        };
        checks::write_ed25519(w, self.signing_keypair(), wide);
        w.bytes(self.identity_keypair().secret().to_bytes().as_slice());
        match ids {
            KeyIds::Libolm { last } => w.varint(last.into()),
            KeyIds::Vodozemac {
                next_one_time,
                next_fallback,
            } => {
                w.varint(next_one_time);
                w.varint(next_fallback);
            }
        }
        let keys = self.stored_one_time_keys();
        w.varint(keys.len() as u64);
        for key in keys.iter() {
            write_key(w, key, KeyWidth::Varint);
        }
        write_fallback(w, self.stored_fallback_keys(), KeyWidth::Varint);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let form = r.u8()?;
        if form > (FORM_WIDE_IDS | 1) {
            return Err(PickleError::Invalid("unknown account form"));
        }
        let signing_key = checks::read_ed25519(r, Ed25519Form::from_bit(form & 1))?;
        let identity_key = checks::curve_pair_from_secret(r.array::<32>()?);
        let key_ids = if form & FORM_WIDE_IDS == 0 {
            KeyIds::Libolm { last: r.varint_u32()? }
        } else {
            KeyIds::Vodozemac {
                next_one_time: r.varint()?,
                next_fallback: r.varint()?,
            }
        };
        let wide = form & FORM_WIDE_IDS != 0;
        let count = r.count(key_ids.capacity())?;
        let mut one_time_keys = Vec::with_capacity(count);
        for _ in 0..count {
            one_time_keys.push(read_key(r, KeyWidth::Varint, wide)?);
        }
        let fallback_keys = read_fallback(r, KeyWidth::Varint, wide)?;
        Self::from_stored(signing_key, identity_key, one_time_keys, fallback_keys, key_ids)
    }
}

/// libolm's single counter for this account's ids, if libolm can hold the
/// account.
#[cfg(feature = "libolm-compat")]
fn libolm_last_key_id(account: &Account) -> Result<u32, PickleError> {
    let keys = account.stored_one_time_keys();
    if keys.len() > LIBOLM_ONE_TIME_KEY_CAPACITY {
        return Err(PickleError::Unrepresentable("libolm stores at most 100 one-time keys"));
    }
    let narrow = |id: u64| u32::try_from(id).map_err(|_| PickleError::Unrepresentable("a key id above 2^32 - 1"));
    for key in keys.iter().chain(account.stored_fallback_keys().iter()) {
        narrow(key.id().value())?;
    }
    match account.key_ids() {
        KeyIds::Libolm { last } => Ok(last),
        // libolm gives out `last + 1` next: past both of vodozemac's counters.
        KeyIds::Vodozemac {
            next_one_time,
            next_fallback,
        } => narrow(next_one_time.max(next_fallback).saturating_sub(1)),
    }
}

#[cfg(feature = "libolm-compat")]
impl LibolmBody for Account {
    fn check_libolm(&self) -> Result<(), PickleError> {
        libolm_last_key_id(self).map(drop)
    }

    fn write_libolm(&self, w: &mut Writer) {
        w.u32_be(LIBOLM_VERSION);
        let signing_key = self.signing_keypair();
        w.bytes(signing_key.public_key().as_bytes());
        w.bytes(signing_key.expanded_bytes().as_bytes());
        let identity_key = self.identity_keypair();
        w.bytes(identity_key.public().as_bytes());
        w.bytes(identity_key.secret().to_bytes().as_slice());
        let keys = self.stored_one_time_keys();
        w.u32_be(keys.len() as u32);
        for key in keys.iter() {
            write_key(w, key, KeyWidth::Libolm);
        }
        write_fallback(w, self.stored_fallback_keys(), KeyWidth::Libolm);
        // Checked by `check_libolm` before a pickle is written (a length
        // counts bytes only).
        w.u32_be(libolm_last_key_id(self).unwrap_or_default());
    }

    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let version = r.u32_be()?;
        match version {
            2..=4 => {}
            1 => return Err(PickleError::LegacyAccount),
            other => return Err(PickleError::Version(other)),
        }
        let signing_key = checks::read_libolm_ed25519(r)?;
        let identity_key = checks::read_curve_pair(r)?;
        let count = r.u32_be()?;
        if count as usize > LIBOLM_ONE_TIME_KEY_CAPACITY {
            return Err(PickleError::Invalid("too many one-time keys"));
        }
        let mut one_time_keys = Vec::with_capacity(count as usize);
        for _ in 0..count {
            one_time_keys.push(read_key(r, KeyWidth::Libolm, false)?);
        }
        let fallback_keys = match version {
            2 => FallbackKeys::default(),
            3 => {
                // Version 3 always holds both records and tells how many are
                // real by their published flags, as libolm reads it.
                let current = read_key(r, KeyWidth::Libolm, false)?;
                let previous = read_key(r, KeyWidth::Libolm, false)?;
                match (current.is_published(), previous.is_published()) {
                    (false, _) => FallbackKeys::default(),
                    (true, false) => FallbackKeys::new(Some(current), None),
                    (true, true) => FallbackKeys::new(Some(current), Some(previous)),
                }
            }
            _ => read_fallback(r, KeyWidth::Libolm, false)?,
        };
        let last = r.u32_be()?;
        Self::from_stored(
            signing_key,
            identity_key,
            one_time_keys,
            fallback_keys,
            KeyIds::Libolm { last },
        )
    }
}

pickle_methods!(
    Account,
    "account",
    ours: "The body keeps the key id scheme the account publishes under (libolm's or vodozemac's), see `docs/pickle-format.md`.",
    to_libolm: "Version 4. An account read from vodozemac is written with its ids narrowed to libolm's 4 bytes (so it publishes new ids in libolm's width, after every id it gave out); one that libolm cannot hold (more than 100 one-time keys, an id above 2^32 − 1) is an [`Unrepresentable`](crate::PickleError::Unrepresentable) error, never a pickle with keys left out.",
    from_libolm: "Versions 2, 3 and 4 (version 1 is refused: [`LegacyAccount`](crate::PickleError::LegacyAccount)). The Ed25519 key stays in libolm's 64-byte expanded form: the account signs with it and writes it back unchanged.",
);

/// How a key's id is stored: a varint (ours) or libolm's `u32`.
#[derive(Clone, Copy)]
enum KeyWidth {
    Varint,
    Libolm,
}

fn write_key(w: &mut Writer, key: &OneTimeKey, width: KeyWidth) {
    match width {
        KeyWidth::Varint => w.varint(key.id().value()),
        // Checked to fit by `libolm_last_key_id` (lengths only count bytes).
        KeyWidth::Libolm => w.u32_be(key.id().value() as u32),
    }
    w.bool(key.is_published());
    w.bytes(key.public_key().as_bytes());
    w.bytes(key.keypair().secret().to_bytes().as_slice());
}

/// Reads one key, its public key as stored (see `checks::curve_pair_stored`).
fn read_key(r: &mut Reader<'_>, width: KeyWidth, wide: bool) -> Result<OneTimeKey, PickleError> {
    let id = match (width, wide) {
        (KeyWidth::Varint, true) => KeyId::new_wide(r.varint()?),
        (KeyWidth::Varint, false) => KeyId::new(r.varint_u32()?),
        (KeyWidth::Libolm, _) => KeyId::new(r.u32_be()?),
    };
    let published = match width {
        KeyWidth::Libolm => r.bool()?,
        KeyWidth::Varint => checks::read_flag(r)?,
    };
    let public = Curve25519PublicKey::from_bytes(r.public_key()?);
    Ok(OneTimeKey::new(
        id,
        published,
        checks::curve_pair_stored(r.array::<32>()?, public),
    ))
}

fn write_fallback(w: &mut Writer, keys: &FallbackKeys, width: KeyWidth) {
    w.u8(keys.iter().count() as u8);
    for key in keys.iter() {
        write_key(w, key, width);
    }
}

fn read_fallback(r: &mut Reader<'_>, width: KeyWidth, wide: bool) -> Result<FallbackKeys, PickleError> {
    match r.u8()? {
        0 => Ok(FallbackKeys::default()),
        1 => Ok(FallbackKeys::new(Some(read_key(r, width, wide)?), None)),
        2 => {
            let current = read_key(r, width, wide)?;
            Ok(FallbackKeys::new(Some(current), Some(read_key(r, width, wide)?)))
        }
        _ => Err(PickleError::Invalid("too many fallback keys")),
    }
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::{pickle::libolm, test_rng::Replay};

    /// libolm 3.2.7 (as test-vectors/generator runs it): Alice's account (random A1×32 ‖ A2×32) pickled by
    /// libolm with the empty key.
    const ALICE_LIBOLM: &str = "nI9lXW1uczQe7kVZcWHpBVQiHEdaY7xbNjiUupaWyz0uQI4qdQFEpkUDtQ4QKSP8P5h8oJzkrVEoIMXV1KUBX8Sy6lmPlKe1l4Z8+yZUy4sgp0LVBCqo6rCpYQvO+KIWvFdcwzv2dUcwYOUTcLGk8XG3BUldfGj2DJ8mVbDFhp1vm322gS+pXOzXlT/3tjoHF4Q0ykMFPbeiN78CLWEF9OUh3KI8CqylQbOoTsOfDc6HYBjkT+B4uA";

    #[test]
    fn libolm_account_both_ways() {
        let alice = Account::new_with_rng(&mut Replay::blocks(0xa1, 2));
        assert_eq!(alice.to_libolm_pickle(b"").unwrap().as_str(), ALICE_LIBOLM);
        let imported = Account::from_libolm_pickle(ALICE_LIBOLM, b"").unwrap();
        assert_eq!(imported.identity_keys(), alice.identity_keys());
        assert_eq!(imported.sign("Hello"), alice.sign("Hello"));
        assert_eq!(imported.to_libolm_pickle(b"").unwrap().as_str(), ALICE_LIBOLM);
        assert_eq!(
            Account::from_libolm_pickle(ALICE_LIBOLM, b"x").unwrap_err(),
            PickleError::Mac
        );
    }

    #[test]
    fn libolm_identity_key_must_match_its_secret() {
        let mut body = libolm::decrypt(b"", ALICE_LIBOLM).unwrap().to_vec();
        // u32 version, Ed25519 public and expanded secret, then the
        // Curve25519 public key.
        body[100] ^= 1;
        assert_eq!(
            Account::from_libolm_pickle(&libolm::encrypt(b"", &body), b"").unwrap_err(),
            PickleError::Invalid("the Curve25519 public key does not match the secret key")
        );
    }

    /// libolm keeps at most 100 one-time keys: an account with 100 is written
    /// and read, one with 101 is refused both ways.
    #[test]
    fn libolm_holds_100_one_time_keys_and_no_more() {
        let mut rng = StdRng::seed_from_u64(2);
        let mut account = Account::new_with_wide_key_ids_with_rng(&mut rng);
        account.generate_one_time_keys_with_rng(100, &mut rng);
        let pickle = account.to_libolm_pickle(b"k").unwrap();
        let back = Account::from_libolm_pickle(&pickle, b"k").unwrap();
        assert_eq!(back.one_time_keys().len(), 100);

        // The count field follows the version and the four keys.
        let mut body = libolm::decrypt(b"k", &pickle).unwrap().to_vec();
        assert_eq!(body[164..168], 100u32.to_be_bytes());
        body[164..168].copy_from_slice(&101u32.to_be_bytes());
        assert_eq!(
            Account::from_libolm_pickle(&libolm::encrypt(b"k", &body), b"k").unwrap_err(),
            PickleError::Invalid("too many one-time keys")
        );

        account.generate_one_time_keys_with_rng(1, &mut rng);
        assert_eq!(
            account.to_libolm_pickle(b"k").unwrap_err(),
            PickleError::Unrepresentable("libolm stores at most 100 one-time keys")
        );
    }

    /// Version 2 (libolm before fallback keys) has no fallback section: the
    /// id counter follows the one-time keys.
    #[test]
    fn libolm_v2_account_has_no_fallback_keys() {
        let mut body = libolm::decrypt(b"", ALICE_LIBOLM).unwrap().to_vec();
        // Version 4 with no one-time keys: the fallback count (0) at 168,
        // then the counter.
        assert_eq!(body.len(), 173);
        assert_eq!(body[168], 0);
        body.remove(168);
        body[..4].copy_from_slice(&2u32.to_be_bytes());
        let v2 = Account::from_libolm_pickle(&libolm::encrypt(b"", &body), b"").unwrap();
        assert!(v2.stored_fallback_keys().current().is_none());
        assert_eq!(
            v2.identity_keys(),
            Account::from_libolm_pickle(ALICE_LIBOLM, b"").unwrap().identity_keys()
        );
        // Written back as version 4.
        assert_eq!(v2.to_libolm_pickle(b"").unwrap().as_str(), ALICE_LIBOLM);
    }

    #[test]
    fn our_format_round_trip() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut account = Account::new_with_rng(&mut rng);
        account.generate_one_time_keys_with_rng(5, &mut rng);
        account.mark_keys_as_published();
        account.generate_one_time_keys_with_rng(2, &mut rng);
        account.generate_fallback_key_with_rng(&mut rng);
        account.generate_fallback_key_with_rng(&mut rng);
        let key = [3u8; 32];
        let pickle = account.pickle_with_rng(&key, &mut rng);
        let restored = Account::from_pickle(&pickle, &key).unwrap();
        assert_eq!(
            restored.to_libolm_pickle(b"k").unwrap(),
            account.to_libolm_pickle(b"k").unwrap()
        );
        let imported = Account::from_libolm_pickle(account.to_libolm_pickle(b"k").unwrap().as_str(), b"k").unwrap();
        let repickled = imported.pickle_with_rng(&key, &mut rng);
        let again = Account::from_pickle(&repickled, &key).unwrap();
        assert_eq!(
            again.to_libolm_pickle(b"k").unwrap(),
            account.to_libolm_pickle(b"k").unwrap()
        );
        assert_eq!(Account::from_pickle(&pickle, &[4u8; 32]).unwrap_err(), PickleError::Mac);
    }
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod legacy_tests {
    use super::*;

    /// libolm tests/test_olm.cpp, "Old account (v3) unpickle test": the
    /// fallback key counts as present (published), none is unpublished.
    #[test]
    fn libolm_v3_account() {
        let pickle = "0mSqVn3duHffbhaTbFgW+4JPlcRoqT7z0x4mQ72N+g+eSAk5sgcWSoDzKpMazgcB\
            46ItEpChthVHTGRA6PD3dly0dUs4ji7VtWTa+1tUv1UbxP92uYf1Ae3fomX0yAoH\
            OjSrz1+RmuXr+At8jsmsf260sKvhB6LnI3qYsrw6AAtpgk5d5xZd66sLxvvYUuai\
            +SmmcmT0bHosLTuDiiB9amBvPKkUKtKZmaEAl5ULrgnJygp1/FnwzVfSrw6PBSX6\
            ZaUEZHZGX1iI6/WjbHqlTQeOQjtaSsPaL5XXpteS9dFsuaANAj+8ks7Ut2Hwg/JP\
            Ih/ERYBwiMh9Mt3zSAG0NkvgUkcdipKxoSNZ6t+TkqZrN6jG6VCbx+4YpJO24iJb\
            ShZy8n79aePIgIsxX94ycsTq1ic38sCRSkWGVbCSRkPloHW7ZssLHA";
        let account = Account::from_libolm_pickle(pickle, b"").unwrap();
        assert!(account.fallback_key().is_empty());
        let current = account.stored_fallback_keys().current().unwrap();
        assert_eq!(current.id().to_base64(), "AAAAAQ");
        assert_eq!(
            current.public_key().to_base64(),
            "dr98y6VOWt6lJaQgFVZeWY2ky76mga9MEMbdItJTdng"
        );
        assert!(current.is_published());
        assert!(account.stored_fallback_keys().previous().is_none());
        // Written back as version 4, which reads back the same.
        let v4 = account.to_libolm_pickle(b"").unwrap();
        assert_eq!(
            Account::from_libolm_pickle(&v4, b"")
                .unwrap()
                .to_libolm_pickle(b"")
                .unwrap()
                .as_str(),
            v4.as_str()
        );
    }

    /// libolm tests/test_olm.cpp, "Old account unpickle test": version 1 is
    /// refused because its Ed25519 key is compromised.
    #[test]
    fn libolm_v1_account_is_refused() {
        let pickle = "x3h9er86ygvq56pM1yesdAxZou4ResPQC9Rszk/fhEL9JY/umtZ2N/foL/SUgVXS\
            v0IxHHZTafYjDdzJU9xr8dQeBoOTGfV9E/lCqDGBnIlu7SZndqjEKXtzGyQr4sP4\
            K/A/8TOu9iK2hDFszy6xETiousHnHgh2ZGbRUh4pQx+YMm8ZdNZeRnwFGLnrWyf9\
            O5TmXua1FcU";
        assert_eq!(
            Account::from_libolm_pickle(pickle, b"").unwrap_err(),
            PickleError::LegacyAccount
        );
    }
}
