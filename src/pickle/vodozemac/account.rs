//! vodozemac's `AccountPickle`.

use alloc::{collections::BTreeMap, string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use super::{
    keys::{CurvePublic, CurveSecret, Ed25519Secret},
    megolm::{ed25519_pair, ed25519_secret},
    secret_vec::SecretMap,
    vodozemac_pickle_methods,
};
use crate::{
    Curve25519PublicKey, KeyId,
    olm::{Account, FallbackKeys, KeyIds, OneTimeKey, VODOZEMAC_ONE_TIME_KEY_CAPACITY},
    pickle::{PICKLE_KEY_LENGTH, PickleError, checks},
};

/// vodozemac's `KeyId`, a newtype struct around the id's number.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename = "KeyId")]
struct KeyIdPickle(u64);

#[derive(Serialize, Deserialize)]
#[serde(rename = "OneTimeKeysPickle")]
struct OneTimeKeysPickle {
    #[serde(alias = "key_id")]
    next_key_id: u64,
    /// The unpublished keys only.
    public_keys: BTreeMap<KeyIdPickle, CurvePublic>,
    /// Every key.
    private_keys: SecretMap<KeyIdPickle, CurveSecret>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "FallbackKey")]
struct FallbackKeyPickle {
    key_id: KeyIdPickle,
    key: CurveSecret,
    published: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "FallbackKeys")]
struct FallbackKeysPickle {
    /// The next fallback key id.
    key_id: u64,
    fallback_key: Option<FallbackKeyPickle>,
    previous_fallback_key: Option<FallbackKeyPickle>,
}

/// vodozemac's serde form of an [`Account`]; see the [module docs](super).
/// `Debug` shows no secret.
#[derive(Serialize, Deserialize)]
pub struct AccountPickle {
    signing_key: Ed25519Secret,
    diffie_hellman_key: CurveSecret,
    one_time_keys: OneTimeKeysPickle,
    fallback_keys: FallbackKeysPickle,
}

fn fallback_pickle(key: &OneTimeKey) -> FallbackKeyPickle {
    FallbackKeyPickle {
        key_id: KeyIdPickle(key.id().value()),
        key: CurveSecret(*key.keypair().secret().to_bytes()),
        published: key.is_published(),
    }
}

fn fallback_key(pickle: &FallbackKeyPickle) -> OneTimeKey {
    OneTimeKey::new(
        KeyId::new_wide(pickle.key_id.0),
        pickle.published,
        checks::curve_pair_from_secret(&pickle.key.0),
    )
}

impl From<&Account> for AccountPickle {
    /// An account in libolm's id scheme continues in vodozemac's after the
    /// last id it gave out, on both of vodozemac's counters.
    fn from(account: &Account) -> Self {
        let (next_key_id, next_fallback) = match account.key_ids() {
            KeyIds::Libolm { last } => (u64::from(last) + 1, u64::from(last) + 1),
            KeyIds::Vodozemac {
                next_one_time,
                next_fallback,
            } => (next_one_time, next_fallback),
        };
        let keys = account.stored_one_time_keys();
        let fallback = account.stored_fallback_keys();
        Self {
            signing_key: ed25519_secret(account.signing_keypair()),
            diffie_hellman_key: CurveSecret(*account.identity_keypair().secret().to_bytes()),
            one_time_keys: OneTimeKeysPickle {
                next_key_id,
                public_keys: keys
                    .iter()
                    .filter(|k| !k.is_published())
                    .map(|k| {
                        (
                            KeyIdPickle(k.id().value()),
                            CurvePublic::new(*k.public_key().as_bytes()),
                        )
                    })
                    .collect(),
                private_keys: keys
                    .iter()
                    .map(|k| {
                        (
                            KeyIdPickle(k.id().value()),
                            CurveSecret(*k.keypair().secret().to_bytes()),
                        )
                    })
                    .collect(),
            },
            fallback_keys: FallbackKeysPickle {
                key_id: next_fallback,
                fallback_key: fallback.current().map(fallback_pickle),
                previous_fallback_key: fallback.previous().map(fallback_pickle),
            },
        }
    }
}

impl TryFrom<AccountPickle> for Account {
    type Error = PickleError;

    /// Checks what vodozemac does not: every unpublished public key is its
    /// secret's; a counter below the ids held moves past them.
    fn try_from(pickle: AccountPickle) -> Result<Self, PickleError> {
        let one_time = &pickle.one_time_keys;
        if one_time.private_keys.len() > VODOZEMAC_ONE_TIME_KEY_CAPACITY {
            return Err(PickleError::Invalid("more one-time keys than the account stores"));
        }
        if one_time
            .public_keys
            .keys()
            .any(|id| !one_time.private_keys.contains_key(id))
        {
            return Err(PickleError::Invalid("an unpublished one-time key has no secret key"));
        }
        let mut keys = Vec::with_capacity(one_time.private_keys.len());
        // Newest (highest id) first, as the account keeps them.
        for (id, secret) in one_time.private_keys.iter().rev() {
            let pair = checks::curve_pair_from_secret(&secret.0);
            let published = match one_time.public_keys.get(id) {
                Some(public) if Curve25519PublicKey::from_bytes(*public.bytes()) != pair.public() => {
                    return Err(PickleError::Invalid(
                        "a one-time public key does not match its secret key",
                    ));
                }
                Some(_) => false,
                None => true,
            };
            keys.push(OneTimeKey::new(KeyId::new_wide(id.0), published, pair));
        }
        let fallback = &pickle.fallback_keys;
        // vodozemac 0.10 started the counter of an account it read from
        // libolm at 0, below the ids of the keys it kept; its next keys
        // would have reused published ids. The counters go on past the
        // highest id held instead, so such a store opens and no id is
        // handed out twice.
        let past = |highest: Option<u64>| highest.map_or(0, |id| id.saturating_add(1));
        let next_one_time = one_time
            .next_key_id
            .max(past(one_time.private_keys.iter().map(|(id, _)| id.0).max()));
        let next_fallback = fallback.key_id.max(past(
            [&fallback.fallback_key, &fallback.previous_fallback_key]
                .into_iter()
                .flatten()
                .map(|key| key.key_id.0)
                .max(),
        ));
        Account::from_stored(
            ed25519_pair(&pickle.signing_key),
            checks::curve_pair_from_secret(&pickle.diffie_hellman_key.0),
            keys,
            FallbackKeys::new(
                fallback.fallback_key.as_ref().map(fallback_key),
                fallback.previous_fallback_key.as_ref().map(fallback_key),
            ),
            KeyIds::Vodozemac {
                next_one_time,
                next_fallback,
            },
        )
    }
}

vodozemac_pickle_methods!(Account, AccountPickle, "Account", "one_time_keys" => |p: &AccountPickle| p.one_time_keys.private_keys.len());

impl super::JsonCapacity for AccountPickle {
    /// A key takes up to 150 bytes (a 32-byte array in decimal, its id);
    /// each unpublished one is there twice.
    fn json_capacity(&self) -> usize {
        let keys = &self.one_time_keys;
        640 + 150 * (keys.private_keys.len() + keys.public_keys.len())
    }
}
