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

use alloc::string::String;

use rand::CryptoRng;
use zeroize::Zeroizing;

#[cfg(feature = "libolm-compat")]
use super::libolm;
use super::{
    PICKLE_KEY_LENGTH, PickleError,
    codec::{Reader, Writer},
    envelope::{self, Kind},
};
use crate::{
    Curve25519Keypair, Curve25519PublicKey, Curve25519SecretKey, Ed25519Keypair, Ed25519SecretKey, KeyId,
    olm::{Account, FallbackKeys, MAX_ONE_TIME_KEYS, OneTimeKey, OneTimeKeys},
};

const LIBOLM_VERSION: u32 = 4;
const ED25519_SEED: u8 = 0;
const ED25519_EXPANDED: u8 = 1;

impl Account {
    /// Pickles the account in our format, with a nonce from the operating
    /// system's generator.
    #[cfg(feature = "std")]
    pub fn pickle(&self, key: &[u8; PICKLE_KEY_LENGTH]) -> Zeroizing<String> {
        self.pickle_with_rng(key, &mut rand::rng())
    }

    /// Pickles the account in our format, drawing the 16-byte nonce from
    /// `rng`.
    pub fn pickle_with_rng<R: CryptoRng + ?Sized>(
        &self,
        key: &[u8; PICKLE_KEY_LENGTH],
        rng: &mut R,
    ) -> Zeroizing<String> {
        crate::stack::scrubbed(|| {
            let mut w = Writer::with_capacity(100 + 70 * self.one_time_keys.len());
            match self.signing_key.seed() {
                Some(seed) => {
                    w.u8(ED25519_SEED);
                    w.bytes(seed.to_bytes().as_slice());
                }
                None => {
                    w.u8(ED25519_EXPANDED);
                    w.bytes(self.signing_key.expanded_bytes().as_bytes());
                }
            }
            w.bytes(self.identity_key.secret.to_bytes().as_slice());
            w.varint(self.last_key_id.into());
            w.varint(self.one_time_keys.keys.len() as u64);
            for key in &self.one_time_keys.keys {
                write_key(&mut w, key);
            }
            let fallback = [&self.fallback_keys.current, &self.fallback_keys.previous];
            w.u8(fallback.iter().filter(|k| k.is_some()).count() as u8);
            for key in fallback.into_iter().flatten() {
                write_key(&mut w, key);
            }
            envelope::seal(Kind::Account, &w.into_bytes(), key, rng)
        })
    }

    /// Restores an account from our pickle format.
    pub fn from_pickle(pickle: &str, key: &[u8; PICKLE_KEY_LENGTH]) -> Result<Self, PickleError> {
        crate::stack::scrubbed(|| {
            let body = envelope::open(Kind::Account, pickle, key)?;
            let mut r = Reader::new(&body);
            let signing_key = match r.u8()? {
                ED25519_SEED => Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(r.array::<32>()?)),
                ED25519_EXPANDED => Ed25519Keypair::from_expanded(r.array::<64>()?),
                _ => return Err(PickleError::Invalid("unknown Ed25519 key form")),
            };
            let identity_key = Curve25519Keypair::from_secret(Curve25519SecretKey::from_bytes(r.array::<32>()?));
            let last_key_id = r.varint_u32()?;
            let count = r.count(MAX_ONE_TIME_KEYS)?;
            let mut one_time_keys = OneTimeKeys::default();
            for _ in 0..count {
                one_time_keys.keys.push(read_key(&mut r)?);
            }
            let fallback_count = r.count(2)?;
            let mut fallback = [None, None];
            for slot in fallback.iter_mut().take(fallback_count) {
                *slot = Some(read_key(&mut r)?);
            }
            r.finish()?;
            let [current, previous] = fallback;
            Ok(Self {
                signing_key,
                identity_key,
                one_time_keys,
                fallback_keys: FallbackKeys { current, previous },
                last_key_id,
            })
        })
    }

    #[cfg(feature = "libolm-compat")]
    /// Writes the account as libolm's account pickle (version 4), byte for
    /// byte as libolm would for the same state.
    ///
    /// libolm derives its IV from the key, so equal states give equal
    /// pickles under one key.
    pub fn to_libolm_pickle(&self, key: &[u8]) -> Result<Zeroizing<String>, PickleError> {
        Ok(libolm::pickle(key, 180 + 69 * self.one_time_keys.len(), |w| {
            self.write_libolm_body(w)
        }))
    }

    #[cfg(feature = "libolm-compat")]
    /// The exact length of [`to_libolm_pickle`](Self::to_libolm_pickle)'s
    /// output, for any key, computed without writing the pickle (libolm's
    /// `olm_pickle_*_length`).
    pub fn libolm_pickle_len(&self) -> usize {
        libolm::pickle_len(|w| self.write_libolm_body(w))
    }

    #[cfg(feature = "libolm-compat")]
    fn write_libolm_body(&self, w: &mut Writer) {
        w.u32_be(LIBOLM_VERSION);
        w.bytes(self.signing_key.public_key().as_bytes());
        w.bytes(self.signing_key.expanded_bytes().as_bytes());
        w.bytes(self.identity_key.public.as_bytes());
        w.bytes(self.identity_key.secret.to_bytes().as_slice());
        w.u32_be(self.one_time_keys.keys.len() as u32);
        for key in &self.one_time_keys.keys {
            write_libolm_key(w, key);
        }
        let fallback = [&self.fallback_keys.current, &self.fallback_keys.previous];
        w.u8(fallback.iter().filter(|k| k.is_some()).count() as u8);
        for key in fallback.into_iter().flatten() {
            write_libolm_key(w, key);
        }
        w.u32_be(self.last_key_id);
    }

    #[cfg(feature = "libolm-compat")]
    /// Reads a libolm account pickle (versions 2, 3 and 4).
    ///
    /// The Ed25519 key stays in libolm's 64-byte expanded form: the account
    /// signs with it and writes it back unchanged.
    pub fn from_libolm_pickle(pickle: &str, key: &[u8]) -> Result<Self, PickleError> {
        crate::stack::scrubbed(|| {
            let body = libolm::decrypt(key, pickle)?;
            let mut r = Reader::new(&body);
            let version = r.u32_be()?;
            match version {
                2..=4 => {}
                1 => return Err(PickleError::LegacyAccount),
                other => return Err(PickleError::Version(other)),
            }
            let ed25519_public = r.public_key()?;
            let signing_key = Ed25519Keypair::from_expanded(r.array::<64>()?);
            if signing_key.public_key().as_bytes() != &ed25519_public {
                return Err(PickleError::Invalid(
                    "the Ed25519 public key does not match the secret key",
                ));
            }
            let identity_key = read_libolm_pair(&mut r)?;
            // Our format stores the secret alone and derives the public key, so
            // an account whose stored public key is not its secret's would change
            // identity on a round trip through it (found by fuzzing).
            if identity_key.secret.public_key() != identity_key.public {
                return Err(PickleError::Invalid(
                    "the Curve25519 public key does not match the secret key",
                ));
            }
            let count = r.u32_be()?;
            if count as usize > MAX_ONE_TIME_KEYS {
                return Err(PickleError::Invalid("too many one-time keys"));
            }
            let mut one_time_keys = OneTimeKeys::default();
            for _ in 0..count {
                one_time_keys.keys.push(read_libolm_key(&mut r)?);
            }
            let (current, previous) = match version {
                2 => (None, None),
                3 => {
                    // Version 3 always holds both records and tells how many are
                    // real by their published flags, as libolm reads it.
                    let current = read_libolm_key(&mut r)?;
                    let previous = read_libolm_key(&mut r)?;
                    match (current.published, previous.published) {
                        (false, _) => (None, None),
                        (true, false) => (Some(current), None),
                        (true, true) => (Some(current), Some(previous)),
                    }
                }
                _ => match r.u8()? {
                    0 => (None, None),
                    1 => (Some(read_libolm_key(&mut r)?), None),
                    2 => (Some(read_libolm_key(&mut r)?), Some(read_libolm_key(&mut r)?)),
                    _ => return Err(PickleError::Invalid("too many fallback keys")),
                },
            };
            let last_key_id = r.u32_be()?;
            r.finish()?;
            Ok(Self {
                signing_key,
                identity_key,
                one_time_keys,
                fallback_keys: FallbackKeys { current, previous },
                last_key_id,
            })
        })
    }
}

fn write_key(w: &mut Writer, key: &OneTimeKey) {
    w.varint(key.id.value().into());
    w.bool(key.published);
    w.bytes(key.key.public.as_bytes());
    w.bytes(key.key.secret.to_bytes().as_slice());
}

fn read_key(r: &mut Reader<'_>) -> Result<OneTimeKey, PickleError> {
    let id = KeyId::new(r.varint_u32()?);
    let published = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(PickleError::Invalid("bad published flag")),
    };
    let public = Curve25519PublicKey::from_bytes(r.public_key()?);
    let secret = Curve25519SecretKey::from_bytes(r.array::<32>()?);
    Ok(OneTimeKey {
        id,
        published,
        key: Curve25519Keypair::from_parts(secret, public),
    })
}

#[cfg(feature = "libolm-compat")]
fn write_libolm_key(w: &mut Writer, key: &OneTimeKey) {
    w.u32_be(key.id.value());
    w.bool(key.published);
    w.bytes(key.key.public.as_bytes());
    w.bytes(key.key.secret.to_bytes().as_slice());
}

#[cfg(feature = "libolm-compat")]
fn read_libolm_pair(r: &mut Reader<'_>) -> Result<Curve25519Keypair, PickleError> {
    let public = Curve25519PublicKey::from_bytes(r.public_key()?);
    let secret = Curve25519SecretKey::from_bytes(r.array::<32>()?);
    Ok(Curve25519Keypair::from_parts(secret, public))
}

#[cfg(feature = "libolm-compat")]
fn read_libolm_key(r: &mut Reader<'_>) -> Result<OneTimeKey, PickleError> {
    let id = KeyId::new(r.u32_be()?);
    let published = r.bool()?;
    Ok(OneTimeKey {
        id,
        published,
        key: read_libolm_pair(r)?,
    })
}

#[cfg(test)]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::test_rng::Replay;

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
        let current = account.fallback_keys.current.as_ref().unwrap();
        assert_eq!(current.id.to_base64(), "AAAAAQ");
        assert_eq!(
            current.key.public.to_base64(),
            "dr98y6VOWt6lJaQgFVZeWY2ky76mga9MEMbdItJTdng"
        );
        assert!(current.published);
        assert!(account.fallback_keys.previous.is_none());
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
