//! Kind `olm_account`: identity keys, signatures, one-time and fallback keys.

use crate::{
    codec::hex,
    common::{by_id, device_keys_json, drbg, must, signed_otk_json},
    json::Json,
    obj,
    rng::Drbg,
};
use libolm_shim::Account;

pub const KIND: &str = "olm_account";

struct Spec {
    name: String,
    one_time_keys: Option<usize>,
    fallback: bool,
}

fn messages(rng: &mut Drbg, account: &mut Account, otks: &[(String, String)]) -> Vec<Vec<u8>> {
    let (curve, ed) = account.identity_keys();
    let mut out = vec![Vec::new(), rng.bytes(1), rng.text(43)];
    out.push(device_keys_json(rng, &curve, &ed));
    if let Some((_, key)) = otks.first() {
        out.push(signed_otk_json(key, false));
    }
    let n = rng.range(100, 4096);
    out.push(rng.plaintext(n));
    out
}

fn vector(seed: &str, spec: &Spec) -> Json {
    let mut rng = drbg(seed, KIND, &spec.name);
    let account_random = rng.bytes(64);
    let mut account = must(Account::new(&account_random), "create account");
    let (curve, ed) = account.identity_keys();

    let mut otk_json = None;
    let mut otks = Vec::new();
    if let Some(n) = spec.one_time_keys {
        let random = rng.bytes(32 * n);
        account.generate_one_time_keys(n, &random);
        otks = by_id(account.one_time_keys());
        assert_eq!(otks.len(), n);
        let keys: Vec<Json> = otks
            .iter()
            .map(|(id, key)| obj! { "key_id" => id, "key" => key })
            .collect();
        otk_json = Some(obj! { "random" => hex(&random), "keys" => keys });
    }
    let mut fallback_json = None;
    if spec.fallback {
        let random = rng.bytes(32);
        account.generate_fallback_key(&random);
        let (id, key) = account.unpublished_fallback_key().expect("a fresh fallback key");
        fallback_json = Some(obj! { "random" => hex(&random), "key_id" => id, "key" => key });
        // The runner only looks at the unpublished one-time keys, which a
        // fallback key does not change.
        assert_eq!(by_id(account.one_time_keys()), otks);
    }

    let sign: Vec<Json> = messages(&mut rng, &mut account, &otks)
        .into_iter()
        .map(|message| {
            let signature = account.sign(&message);
            obj! { "message" => hex(&message), "signature" => signature }
        })
        .collect();

    let mut v = obj! {
        "name" => spec.name.as_str(),
        "account_random" => hex(&account_random),
        "curve25519" => curve,
        "ed25519" => ed,
        "sign" => sign,
    };
    if let Some(otk) = otk_json {
        v.push("one_time_keys", otk);
    }
    if let Some(fallback) = fallback_json {
        v.push("fallback_key", fallback);
    }
    v
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut specs = Vec::new();
    let mut add = |name: String, one_time_keys, fallback| {
        specs.push(Spec {
            name,
            one_time_keys,
            fallback,
        })
    };
    for i in 0..3 {
        add(format!("account-identity-only-{i}"), None, false);
    }
    for i in 0..2 {
        add(format!("account-0-one-time-keys-{i}"), Some(0), false);
    }
    for i in 0..3 {
        add(format!("account-1-one-time-key-{i}"), Some(1), false);
    }
    for i in 0..2 {
        add(format!("account-2-one-time-keys-{i}"), Some(2), false);
    }
    for i in 0..2 {
        add(format!("account-20-one-time-keys-{i}"), Some(20), false);
    }
    add("account-100-one-time-keys-0".into(), Some(100), false);
    for i in 0..2 {
        add(format!("account-fallback-only-{i}"), None, true);
    }
    add("account-0-one-time-keys-fallback-0".into(), Some(0), true);
    for i in 0..2 {
        add(format!("account-1-one-time-key-fallback-{i}"), Some(1), true);
    }
    for i in 0..2 {
        add(format!("account-20-one-time-keys-fallback-{i}"), Some(20), true);
    }
    add("account-5-one-time-keys-fallback-0".into(), Some(5), true);
    specs.iter().map(|spec| vector(seed, spec)).collect()
}
