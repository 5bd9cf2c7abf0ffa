//! Pickles that must not be read: broken envelopes (wrong key, flipped
//! bits, not base64, cut short), which vodozemac refuses too, and
//! inconsistent states in a correct envelope, which vodozemac 0.11.1 accepts
//! (each is encrypted with vodozemac's own `encrypt` from its pickle struct,
//! and vodozemac is shown to read it back) but which a stricter reader
//! rejects as `invalid`.

use serde_json::Value;
use vodozemac::{
    PickleError,
    megolm::{GroupSession, InboundGroupSession},
    olm::{Account, Session},
};

use crate::{
    account::Spec,
    json::Json,
    megolm,
    rng::Drbg,
    session,
    util::{Curve, Object, arr, b64, error_vector, flipped},
};

/// How vodozemac refuses a pickle, in the vectors' classes.
fn class(error: &PickleError) -> &'static str {
    match error {
        PickleError::Base64(_) => "decode",
        PickleError::Decryption(_) => "pickle_key",
        PickleError::Serialization(_) => "invalid",
    }
}

/// A broken envelope: vodozemac must refuse `pickle` under `key` with
/// exactly `expected`.
fn refused<T: Object>(name: &str, key: &[u8; 32], pickle: &str, expected: &str) -> Json {
    match T::restore(pickle, key) {
        Ok(_) => panic!("{name}: vodozemac reads the broken pickle"),
        Err(e) => assert_eq!(class(&e), expected, "{name}: vodozemac says {e}"),
    }
    error_vector(name, T::NAME, key, pickle, expected)
}

/// The broken-envelope cases for one object type, from a valid `body`.
fn envelopes<T: Object>(seed: &str, prefix: &str, body: impl Fn(&mut Drbg) -> Value, cases: &[&str]) -> Vec<Json> {
    let mut out = Vec::new();
    for case in cases {
        let name = format!("{prefix}-error-{case}");
        let mut rng = Drbg::new(seed, &format!("{}/{name}", crate::KIND));
        let body = body(&mut rng);
        let key: [u8; 32] = rng.array();
        let pickle = T::encrypt_body(&body, &key);
        assert!(T::restore(&pickle, &key).is_ok());
        let raw = vodozemac::base64_decode(&pickle).expect("vodozemac writes base64");
        let mac_start = raw.len() - 8;
        let v = match *case {
            "wrong-key" => {
                let mut other = key;
                other[rng.below(32)] ^= 1 << rng.below(8);
                refused::<T>(&name, &other, &pickle, "pickle_key")
            }
            "mac-bit-flipped" => {
                let bit = mac_start * 8 + rng.below(64);
                refused::<T>(&name, &key, &b64(&flipped(&raw, bit)), "pickle_key")
            }
            "ciphertext-bit-flipped" => {
                let bit = rng.below(mac_start * 8);
                refused::<T>(&name, &key, &b64(&flipped(&raw, bit)), "pickle_key")
            }
            "not-base64" => {
                let mut chars: Vec<char> = pickle.chars().collect();
                let at = rng.below(chars.len());
                chars[at] = ['*', '!', '-', '_', ' '][rng.below(5)];
                refused::<T>(&name, &key, &chars.into_iter().collect::<String>(), "decode")
            }
            // Fewer bytes than the 8-byte MAC: vodozemac reports it as a
            // decryption failure (its `MacMissing`), the same class as a bad MAC.
            "shorter-than-mac" => {
                let len = rng.range(1, 7);
                refused::<T>(&name, &key, &b64(&raw[..len]), "pickle_key")
            }
            // Exactly the MAC's length, no ciphertext at all: the same.
            "only-mac-length" => refused::<T>(&name, &key, &b64(&raw[mac_start..]), "pickle_key"),
            // Cut inside the ciphertext: the MAC (now the last 8 bytes) fails.
            "truncated" => {
                let len = rng.range(9, mac_start - 1);
                refused::<T>(&name, &key, &b64(&raw[..len]), "pickle_key")
            }
            other => panic!("unknown case {other}"),
        };
        out.push(v);
    }
    out
}

/// An inconsistent state vodozemac nevertheless accepts.
fn accepted<T: Object>(name: &str, body: &Value, rng: &mut Drbg) -> (T, Json) {
    let key: [u8; 32] = rng.array();
    let pickle = T::encrypt_body(body, &key);
    let object = T::restore(&pickle, &key)
        .unwrap_or_else(|e| panic!("{name}: vodozemac refuses it ({e}); not a vector of this kind"));
    (object, error_vector(name, T::NAME, &key, &pickle, "invalid"))
}

fn account_invalid(seed: &str) -> Vec<Json> {
    let stream = |name: &str| Drbg::new(seed, &format!("{}/{name}", crate::KIND));
    let base = |rng: &mut Drbg| {
        let mut spec = Spec::new(rng);
        spec.add_one_time_keys(rng, 3, true);
        spec.add_one_time_keys(rng, 3, false);
        spec.add_fallback_key(rng, true);
        spec.add_fallback_key(rng, false);
        spec
    };
    let mut out = Vec::new();

    // vodozemac hands out the listed public key, which nobody holds the
    // secret of.
    let name = "account-invalid-public-key-not-of-private-key";
    let mut rng = stream(name);
    let spec = base(&mut rng);
    let mut body = spec.body();
    let stranger = Curve::new(&mut rng);
    body["one_time_keys"]["public_keys"]["4"] = arr(&stranger.public);
    let (account, v) = accepted::<Account>(name, &body, &mut rng);
    let listed = account.one_time_keys();
    assert!(listed.values().any(|k| k.to_bytes() == stranger.public));
    out.push(v);

    // vodozemac lists a key for which it holds no secret: id 2 (below the
    // next id, 6) was used and removed, yet is listed as unpublished.
    let name = "account-invalid-public-key-without-private-key";
    let mut rng = stream(name);
    let mut spec = base(&mut rng);
    spec.one_time_keys.retain(|k| k.id != 2);
    let mut body = spec.body();
    let stranger = Curve::new(&mut rng);
    body["one_time_keys"]["public_keys"]["2"] = arr(&stranger.public);
    let (account, v) = accepted::<Account>(name, &body, &mut rng);
    assert_eq!(account.one_time_keys().len(), 4);
    assert_eq!(account.stored_one_time_key_count(), 5);
    out.push(v);

    // A counter at or below a stored id (vodozemac 0.10 wrote such
    // accounts after a libolm import) is no error: the reader moves it past
    // the ids held, which vodozemac cannot attest, so no vector here
    // (tests/vodozemac_pickles.rs pins it).

    out
}

fn session_invalid(seed: &str) -> Vec<Json> {
    session::invalid(seed)
        .into_iter()
        .map(|(name, body, mut rng)| accepted::<Session>(&name, &body, &mut rng).1)
        .collect()
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    out.extend(envelopes::<Account>(
        seed,
        "account",
        |rng| {
            let mut spec = Spec::new(rng);
            spec.add_one_time_keys(rng, 2, false);
            spec.body()
        },
        &[
            "wrong-key",
            "mac-bit-flipped",
            "ciphertext-bit-flipped",
            "not-base64",
            "shorter-than-mac",
        ],
    ));
    out.extend(account_invalid(seed));
    out.extend(envelopes::<Session>(
        seed,
        "session",
        session::plain,
        &["wrong-key", "ciphertext-bit-flipped", "only-mac-length", "truncated"],
    ));
    out.extend(session_invalid(seed));
    out.extend(envelopes::<GroupSession>(
        seed,
        "group-session",
        megolm::plain_group,
        &["wrong-key", "mac-bit-flipped"],
    ));
    out.extend(envelopes::<InboundGroupSession>(
        seed,
        "inbound-group-session",
        megolm::plain_inbound,
        &["wrong-key", "not-base64"],
    ));
    out
}
