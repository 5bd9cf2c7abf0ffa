//! Small helpers: hex, base64 (vodozemac's own encoder), key pairs computed
//! by vodozemac, byte arrays as pickle JSON, the vector record, and the
//! four pickled object types behind one trait.

use serde_json::Value;
use sha2::{Digest, Sha256};
use vodozemac::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519PublicKey, Ed25519SecretKey, PickleError,
    megolm::{GroupSession, GroupSessionPickle, InboundGroupSession, InboundGroupSessionPickle},
    olm::{Account, AccountPickle, Session, SessionPickle},
};

use crate::{json::Json, obj, rng::Drbg};

pub use olm_testkit::hex::encode as hex;

/// Unpadded standard base64, as vodozemac writes it.
pub fn b64(bytes: &[u8]) -> String {
    vodozemac::base64_encode(bytes)
}

/// Bytes as the JSON array of numbers that vodozemac's pickles use.
pub fn arr(bytes: &[u8]) -> Value {
    Value::Array(bytes.iter().map(|&b| Value::from(b)).collect())
}

/// A Curve25519 key pair: the secret from the stream, the public key from
/// vodozemac.
#[derive(Clone, Copy)]
pub struct Curve {
    pub secret: [u8; 32],
    pub public: [u8; 32],
}

impl Curve {
    pub fn new(rng: &mut Drbg) -> Self {
        Self::from_secret(rng.array())
    }

    pub fn from_secret(secret: [u8; 32]) -> Self {
        let key = Curve25519SecretKey::from_slice(&secret);
        Self {
            secret,
            public: Curve25519PublicKey::from(&key).to_bytes(),
        }
    }

    /// vodozemac's Diffie-Hellman of our secret with `their` public key.
    pub fn shared(&self, their: &[u8; 32]) -> [u8; 32] {
        let secret = Curve25519SecretKey::from_slice(&self.secret);
        let shared = secret
            .diffie_hellman(&Curve25519PublicKey::from_bytes(*their))
            .expect("random keys are contributory");
        *shared.as_bytes()
    }
}

/// The Ed25519 public key of a seed, from vodozemac.
pub fn ed25519_public(seed: &[u8; 32]) -> Ed25519PublicKey {
    Ed25519SecretKey::from_slice(seed).public_key()
}

/// HMAC-SHA-256 of the concatenated `parts` (key at most 64 bytes).
fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    assert!(key.len() <= 64);
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let mut inner = Sha256::new().chain_update(block.map(|b| b ^ 0x36));
    for part in parts {
        inner.update(part);
    }
    Sha256::new()
        .chain_update(block.map(|b| b ^ 0x5c))
        .chain_update(inner.finalize())
        .finalize()
        .into()
}

/// HKDF-SHA-256 with 64 bytes of output: the Olm root-key step
/// (salt = root key, input = the ratchet keys' shared secret,
/// info = "OLM_RATCHET"). It only crafts an input (a sender's next chain);
/// vodozemac then checks it, since the receiver's own step must agree.
pub fn olm_ratchet_kdf(root: &[u8; 32], shared: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
    let prk = hmac(root, &[shared]);
    let t1 = hmac(&prk, &[b"OLM_RATCHET", &[1]]);
    let t2 = hmac(&prk, &[&t1, b"OLM_RATCHET", &[2]]);
    (t1, t2)
}

/// `data` with bit `bit` flipped.
pub fn flipped(data: &[u8], bit: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

/// One object type vodozemac pickles: a crafted JSON body goes in through
/// vodozemac's own pickle struct, pickles come out of vodozemac.
pub trait Object: Sized {
    /// The vector's `object` field.
    const NAME: &'static str;
    /// The object from a crafted pickle body (panics if vodozemac refuses it).
    fn from_body(body: &Value) -> Self;
    /// vodozemac's encryption of a crafted body, without building the object.
    fn encrypt_body(body: &Value, key: &[u8; 32]) -> String;
    /// `serde_json::to_string(&self.pickle())`.
    fn json(&self) -> String;
    /// `self.pickle().encrypt(key)`.
    fn encrypted_pickle(&self, key: &[u8; 32]) -> String;
    /// vodozemac reading an encrypted pickle back.
    fn restore(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError>;
}

macro_rules! object {
    ($ty:ty, $pickle:ty, $name:literal) => {
        impl Object for $ty {
            const NAME: &'static str = $name;

            fn from_body(body: &Value) -> Self {
                let pickle: $pickle = serde_json::from_value(body.clone())
                    .unwrap_or_else(|e| panic!("vodozemac refuses the crafted {} body: {e}", $name));
                <$ty>::from_pickle(pickle)
            }

            fn encrypt_body(body: &Value, key: &[u8; 32]) -> String {
                let pickle: $pickle = serde_json::from_value(body.clone())
                    .unwrap_or_else(|e| panic!("vodozemac refuses the crafted {} body: {e}", $name));
                pickle.encrypt(key)
            }

            fn json(&self) -> String {
                serde_json::to_string(&self.pickle()).expect("vodozemac pickles serialize")
            }

            fn encrypted_pickle(&self, key: &[u8; 32]) -> String {
                self.pickle().encrypt(key)
            }

            fn restore(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
                <$pickle>::from_encrypted(pickle, key).map(<$ty>::from_pickle)
            }
        }
    };
}

object!(Account, AccountPickle, "account");
object!(Session, SessionPickle, "session");
object!(GroupSession, GroupSessionPickle, "group_session");
object!(InboundGroupSession, InboundGroupSessionPickle, "inbound_group_session");

/// A vector in the making: the object as vodozemac restored it from the
/// vector's own pickle, and the events run on it so far.
pub struct Vector<T: Object> {
    pub name: String,
    pub key: [u8; 32],
    pub pickle: String,
    pub json: String,
    pub object: T,
    pub events: Vec<Json>,
}

impl<T: Object> Vector<T> {
    /// Builds the object from `body`, has vodozemac pickle it under `key`
    /// and restore it from that pickle; the events then run on the restored
    /// object. Checks that vodozemac wrote back exactly the crafted body.
    pub fn new(name: &str, body: &Value, key: [u8; 32]) -> Self {
        Self::from_object(name, T::from_body(body), key, Some(body))
    }

    /// The same from an object vodozemac already holds (e.g. after some
    /// operations that belong to the set-up, not to the vector).
    pub fn from_object(name: &str, object: T, key: [u8; 32], body: Option<&Value>) -> Self {
        let pickle = object.encrypted_pickle(&key);
        let json = object.json();
        if let Some(body) = body {
            let written: Value = serde_json::from_str(&json).expect("vodozemac writes JSON");
            assert_eq!(
                &written, body,
                "{name}: vodozemac wrote back another body than the crafted one"
            );
        }
        let restored =
            T::restore(&pickle, &key).unwrap_or_else(|e| panic!("{name}: vodozemac cannot read its own pickle: {e}"));
        assert_eq!(restored.json(), json, "{name}: the restored object pickles differently");
        assert_eq!(
            restored.encrypted_pickle(&key),
            pickle,
            "{name}: pickling is not deterministic"
        );
        Self {
            name: name.to_owned(),
            key,
            pickle,
            json,
            object: restored,
            events: Vec::new(),
        }
    }

    /// The vector, with `expect` computed before the events ran.
    pub fn finish(self, expect: Json) -> Json {
        let mut v = obj! {
            "name" => self.name.as_str(),
            "object" => T::NAME,
            "pickle_key" => hex(&self.key),
            "pickle" => self.pickle.as_str(),
            "json" => self.json.as_str(),
            "expect" => expect,
        };
        if !self.events.is_empty() {
            let after = self.object.encrypted_pickle(&self.key);
            let back = T::restore(&after, &self.key).expect("vodozemac reads its pickle after the events");
            assert_eq!(back.json(), self.object.json());
            v.push("events", self.events);
            v.push("pickle_after", after);
        }
        v
    }
}

/// The JSON body vodozemac writes now, parsed (to read fields it has no
/// accessor for, and to compare states).
pub fn state<T: Object>(object: &T) -> Value {
    serde_json::from_str(&object.json()).expect("vodozemac writes JSON")
}

/// A vector whose pickle vodozemac must have refused or accepted as said.
pub fn error_vector(name: &str, object: &str, key: &[u8; 32], pickle: &str, error: &str) -> Json {
    obj! {
        "name" => name,
        "object" => object,
        "pickle_key" => hex(key),
        "pickle" => pickle,
        "error" => error,
    }
}
