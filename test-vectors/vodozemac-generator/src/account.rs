//! Accounts: crafted `AccountPickle` bodies (identity keys, one-time keys
//! published or not, fallback keys, Ed25519 keys seeded or expanded as in a
//! libolm import), signatures and the key-publishing operations.

use serde_json::{Value, json};
use sha2::{Digest, Sha512};
use vodozemac::{Ed25519Signature, olm::Account};

use crate::{
    json::Json,
    obj,
    rng::Drbg,
    util::{Curve, Object, Vector, arr, b64, ed25519_public, hex, state},
};

/// How the Ed25519 key is held.
pub enum Signing {
    /// A 32-byte seed (vodozemac's own accounts).
    Seed([u8; 32]),
    /// A 64-byte expanded key (accounts imported from libolm).
    Expanded([u8; 64]),
}

/// A one-time key or fallback key: id, key pair, published.
pub struct Key {
    pub id: u64,
    pub pair: Curve,
    pub published: bool,
}

/// The state of an account, to be written as vodozemac's pickle body.
pub struct Spec {
    pub signing: Signing,
    pub identity: Curve,
    pub next_key_id: u64,
    pub one_time_keys: Vec<Key>,
    pub fallback_counter: u64,
    pub fallback: Option<Key>,
    pub previous_fallback: Option<Key>,
}

impl Spec {
    /// A fresh account's keys from the stream, with no one-time or fallback key.
    pub fn new(rng: &mut Drbg) -> Self {
        Self {
            signing: Signing::Seed(rng.array()),
            identity: Curve::new(rng),
            next_key_id: 0,
            one_time_keys: Vec::new(),
            fallback_counter: 0,
            fallback: None,
            previous_fallback: None,
        }
    }

    /// Adds `count` one-time keys with the next ids, published or not.
    pub fn add_one_time_keys(&mut self, rng: &mut Drbg, count: usize, published: bool) {
        for _ in 0..count {
            self.one_time_keys.push(Key {
                id: self.next_key_id,
                pair: Curve::new(rng),
                published,
            });
            self.next_key_id += 1;
        }
    }

    /// Makes a new fallback key with the next fallback id; the current one
    /// becomes the previous one (as vodozemac's `generate_fallback_key`).
    pub fn add_fallback_key(&mut self, rng: &mut Drbg, published: bool) {
        self.previous_fallback = self.fallback.take();
        self.fallback = Some(Key {
            id: self.fallback_counter,
            pair: Curve::new(rng),
            published,
        });
        self.fallback_counter += 1;
    }

    pub fn body(&self) -> Value {
        let signing_key = match &self.signing {
            Signing::Seed(seed) => json!({ "Normal": arr(seed) }),
            Signing::Expanded(key) => json!({ "Expanded": arr(key) }),
        };
        let mut public_keys = serde_json::Map::new();
        let mut private_keys = serde_json::Map::new();
        for key in &self.one_time_keys {
            if !key.published {
                public_keys.insert(key.id.to_string(), arr(&key.pair.public));
            }
            private_keys.insert(key.id.to_string(), arr(&key.pair.secret));
        }
        let fallback = |key: &Option<Key>| match key {
            Some(k) => json!({ "key_id": k.id, "key": arr(&k.pair.secret), "published": k.published }),
            None => Value::Null,
        };
        json!({
            "signing_key": signing_key,
            "diffie_hellman_key": arr(&self.identity.secret),
            "one_time_keys": {
                "next_key_id": self.next_key_id,
                "public_keys": public_keys,
                "private_keys": private_keys,
            },
            "fallback_keys": {
                "key_id": self.fallback_counter,
                "fallback_key": fallback(&self.fallback),
                "previous_fallback_key": fallback(&self.previous_fallback),
            },
        })
    }
}

/// libolm's expanded Ed25519 key of a seed: SHA-512 of the seed, clamped.
pub fn expanded(seed: &[u8; 32]) -> [u8; 64] {
    let mut key: [u8; 64] = Sha512::digest(seed).into();
    key[0] &= 248;
    key[31] &= 127;
    key[31] |= 64;
    key
}

/// The public facts of an account, as vodozemac reports them.
pub fn expect(account: &Account) -> Json {
    let mut one_time_keys: Vec<_> = account.one_time_keys().into_iter().collect();
    one_time_keys.sort_by_key(|(id, _)| *id);
    let one_time_keys: Vec<Json> = one_time_keys
        .into_iter()
        .map(|(id, key)| obj! { "key_id" => id.to_base64(), "key" => key.to_base64() })
        .collect();
    let fallback = account.fallback_key();
    assert!(fallback.len() <= 1);
    let fallback = fallback.into_iter().next().map_or(
        Json::Null,
        |(id, key)| obj! { "key_id" => id.to_base64(), "key" => key.to_base64() },
    );
    let next_key_id = state(account)["one_time_keys"]["next_key_id"]
        .as_u64()
        .expect("vodozemac writes next_key_id");
    obj! {
        "curve25519" => account.curve25519_key().to_base64(),
        "ed25519" => account.ed25519_key().to_base64(),
        "one_time_keys" => one_time_keys,
        "fallback_key" => fallback,
        "stored_one_time_key_count" => account.stored_one_time_key_count(),
        "next_key_id" => next_key_id,
    }
}

/// Runs the account events and records them.
struct Events<'a>(&'a mut Vector<Account>);

impl Events<'_> {
    fn sign(&mut self, message: &[u8]) -> Ed25519Signature {
        let account = &self.0.object;
        let signature = account.sign(message);
        account
            .ed25519_key()
            .verify(message, &signature)
            .expect("vodozemac's signature verifies");
        assert_eq!(account.sign(message), signature, "signing is deterministic");
        self.0.events.push(obj! {
            "op" => "sign",
            "message" => hex(message),
            "signature" => signature.to_base64(),
        });
        signature
    }

    fn mark_keys_as_published(&mut self) {
        self.0.object.mark_keys_as_published();
        assert!(self.0.object.one_time_keys().is_empty());
        assert!(self.0.object.fallback_key().is_empty());
        self.0.events.push(obj! { "op" => "mark_keys_as_published" });
    }

    fn forget_fallback_key(&mut self, expected: bool) {
        let before = self.0.object.json();
        let result = self.0.object.forget_fallback_key();
        assert_eq!(result, expected);
        if !result {
            assert_eq!(
                self.0.object.json(),
                before,
                "a forget that did nothing changed the account"
            );
        }
        self.0
            .events
            .push(obj! { "op" => "forget_fallback_key", "result" => result });
    }
}

fn vector(rng: &mut Drbg, name: &str, spec: &Spec, run: impl FnOnce(&mut Events<'_>, &mut Drbg)) -> Json {
    let key = rng.array();
    let mut v = Vector::<Account>::new(name, &spec.body(), key);
    let expect = expect(&v.object);
    run(&mut Events(&mut v), rng);
    v.finish(expect)
}

/// A signed Matrix device-keys object for `account` (only its shape matters).
fn device_keys_json(spec: &Spec, rng: &mut Drbg) -> Vec<u8> {
    let device: String = (0..10).map(|_| char::from(b'A' + rng.below(26) as u8)).collect();
    let ed = match &spec.signing {
        Signing::Seed(seed) => ed25519_public(seed).to_base64(),
        Signing::Expanded(_) => "expanded".to_owned(),
    };
    format!(
        "{{\"algorithms\":[\"m.olm.v1.curve25519-aes-sha2\",\"m.megolm.v1.aes-sha2\"],\"device_id\":\"{device}\",\
         \"keys\":{{\"curve25519:{device}\":\"{}\",\"ed25519:{device}\":\"{ed}\"}},\"user_id\":\"@alice:example.org\"}}",
        b64(&spec.identity.public)
    )
    .into_bytes()
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    let stream = |name: &str| (name.to_owned(), Drbg::new(seed, &format!("{}/{name}", crate::KIND)));

    let (name, mut rng) = stream("account-no-keys");
    let spec = Spec::new(&mut rng);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        e.sign(b"");
        let message = device_keys_json(&spec, rng);
        e.sign(&message);
        e.forget_fallback_key(false);
        e.mark_keys_as_published();
    }));

    let (name, mut rng) = stream("account-one-time-keys-unpublished");
    let mut spec = Spec::new(&mut rng);
    spec.add_one_time_keys(&mut rng, 5, false);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        let message = rng.plaintext(200);
        e.sign(&message);
        e.mark_keys_as_published();
        e.sign(&message);
    }));

    // Ids 0-6 published, 7-9 not; fallback ids have their own counter.
    let (name, mut rng) = stream("account-one-time-keys-partly-published-two-fallback-keys");
    let mut spec = Spec::new(&mut rng);
    spec.add_one_time_keys(&mut rng, 7, true);
    spec.add_one_time_keys(&mut rng, 3, false);
    spec.add_fallback_key(&mut rng, true);
    spec.add_fallback_key(&mut rng, true);
    spec.add_fallback_key(&mut rng, false);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        e.sign(&rng.plaintext(100));
        e.forget_fallback_key(true);
        e.forget_fallback_key(false);
        e.mark_keys_as_published();
    }));

    let (name, mut rng) = stream("account-fallback-key-published-previous-kept");
    let mut spec = Spec::new(&mut rng);
    spec.add_one_time_keys(&mut rng, 2, true);
    spec.add_fallback_key(&mut rng, true);
    spec.add_fallback_key(&mut rng, true);
    out.push(vector(&mut rng, &name, &spec, |e, _| {
        e.forget_fallback_key(true);
        e.mark_keys_as_published();
        e.forget_fallback_key(false);
    }));

    // The Ed25519 key as libolm stores it (and vodozemac keeps after an
    // import): expanded, no seed. Public key and signatures are those of the
    // seed it was expanded from.
    let (name, mut rng) = stream("account-expanded-ed25519-key");
    let mut spec = Spec::new(&mut rng);
    let ed_seed: [u8; 32] = rng.array();
    spec.signing = Signing::Expanded(expanded(&ed_seed));
    spec.add_one_time_keys(&mut rng, 3, true);
    spec.add_one_time_keys(&mut rng, 1, false);
    spec.add_fallback_key(&mut rng, false);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        assert_eq!(e.0.object.ed25519_key(), ed25519_public(&ed_seed));
        let message = device_keys_json(&spec, rng);
        let signature = e.sign(&message);
        let by_seed = vodozemac::Ed25519SecretKey::from_slice(&ed_seed).sign(&message);
        assert_eq!(signature, by_seed, "the expanded key signs as its seed does");
        e.sign(&rng.plaintext(300));
    }));

    // vodozemac's key ids are 64-bit: one-time key ids past 2^32, the
    // fallback counter past 2^40.
    let (name, mut rng) = stream("account-key-ids-above-u32");
    let mut spec = Spec::new(&mut rng);
    spec.next_key_id = (1 << 32) - 2;
    spec.add_one_time_keys(&mut rng, 2, true);
    spec.add_one_time_keys(&mut rng, 3, false);
    spec.fallback_counter = (1 << 40) + 17;
    spec.add_fallback_key(&mut rng, true);
    spec.add_fallback_key(&mut rng, false);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        e.sign(&rng.plaintext(64));
        e.forget_fallback_key(true);
        e.mark_keys_as_published();
    }));

    // 50 unpublished (vodozemac's advertised maximum) beside 30 published
    // keys, with a gap in the ids (keys used by sessions are removed).
    let (name, mut rng) = stream("account-80-one-time-keys-with-gaps");
    let mut spec = Spec::new(&mut rng);
    spec.add_one_time_keys(&mut rng, 36, true);
    spec.one_time_keys.retain(|k| k.id % 6 != 1);
    spec.add_one_time_keys(&mut rng, 50, false);
    spec.add_fallback_key(&mut rng, false);
    out.push(vector(&mut rng, &name, &spec, |e, rng| {
        e.sign(&rng.plaintext(40));
        e.mark_keys_as_published();
        e.forget_fallback_key(false);
    }));

    out
}
