//! The keys a vector may carry, by kind (and by `object` for the pickle
//! kinds), as in `test-vectors/README.md`. Paths name nested keys with `.`,
//! list items with `[]`, and events by their op (`events[encrypt].random`);
//! a listed path also allows every path it extends. A key, op or object
//! not listed fails the vector, and so does an `error` or `import_error`
//! naming no class of the format: a misspelled field is never ignored.

use serde_json::Value;

use crate::{Outcome, class};

const OLM_ACCOUNT: &[&str] = &[
    "name",
    "account_random",
    "curve25519",
    "ed25519",
    "sign[].message",
    "sign[].signature",
    "one_time_keys.random",
    "one_time_keys.keys[].key_id",
    "one_time_keys.keys[].key",
    "fallback_key.random",
    "fallback_key.key_id",
    "fallback_key.key",
];

const OLM_SESSION: &[&str] = &[
    "name",
    "alice.account_random",
    "bob.account_random",
    "bob.one_time_key_random",
    "bob.use_fallback_key",
    "outbound_random",
    "session_id",
    "events[encrypt].op",
    "events[encrypt].party",
    "events[encrypt].id",
    "events[encrypt].plaintext",
    "events[encrypt].random",
    "events[encrypt].message_type",
    "events[encrypt].ciphertext",
    "events[decrypt].op",
    "events[decrypt].party",
    "events[decrypt].id",
    "events[decrypt].message_type",
    "events[decrypt].ciphertext",
    "events[decrypt].plaintext",
    "events[decrypt].error",
];

const MEGOLM: &[&str] = &["name", "random", "session_id"];

const GROUP_EVENTS: &[&str] = &[
    "events[session_key].op",
    "events[session_key].message_index",
    "events[session_key].session_key",
    "events[encrypt].op",
    "events[encrypt].message_index",
    "events[encrypt].plaintext",
    "events[encrypt].ciphertext",
];

const MEGOLM_INBOUND: &[&str] = &[
    "name",
    "session_key",
    "exported_session_key",
    "session_id",
    "first_known_index",
    "import_error",
];

const INBOUND_EVENTS: &[&str] = &[
    "events[decrypt].op",
    "events[decrypt].ciphertext",
    "events[decrypt].plaintext",
    "events[decrypt].message_index",
    "events[decrypt].error",
    "events[export].op",
    "events[export].message_index",
    "events[export].exported_session_key",
    "events[export].error",
];

const PICKLE: &[&str] = &["name", "object", "pickle_key", "pickle", "error"];

const VODOZEMAC_PICKLE: &[&str] = &["json", "pickle_after"];

const ACCOUNT_FACTS: &[&str] = &[
    "expect.curve25519",
    "expect.ed25519",
    "expect.one_time_keys[].key_id",
    "expect.one_time_keys[].key",
    "expect.fallback_key.key_id",
    "expect.fallback_key.key",
    "events[sign].op",
    "events[sign].message",
    "events[sign].signature",
];

const VODOZEMAC_ACCOUNT: &[&str] = &[
    "expect.stored_one_time_key_count",
    "expect.next_key_id",
    "events[mark_keys_as_published].op",
    "events[forget_fallback_key].op",
    "events[forget_fallback_key].result",
];

const SESSION_EVENTS: &[&str] = &[
    "expect.session_id",
    "events[encrypt].op",
    "events[encrypt].plaintext",
    "events[encrypt].message_type",
    "events[encrypt].ciphertext",
    "events[decrypt].op",
    "events[decrypt].message_type",
    "events[decrypt].ciphertext",
    "events[decrypt].plaintext",
    "events[decrypt].error",
];

/// libolm's encryptions say which random bytes they draw.
const LIBOLM_SESSION: &[&str] = &["events[encrypt].random"];

/// The protocol variant vodozemac reports (1 or 2), in vectors of either.
const VODOZEMAC_SESSION: &[&str] = &["expect.has_received_message", "expect.config"];

const VODOZEMAC_GROUP: &[&str] = &["expect.config"];

const GROUP_FACTS: &[&str] = &["expect.session_id", "expect.message_index", "expect.session_key"];

const INBOUND_FACTS: &[&str] = &["expect.session_id", "expect.first_known_index"];

const VODOZEMAC_INBOUND: &[&str] = &["expect.verified", "expect.config"];

const PK_DECRYPTION: &[&str] = &["expect.public_key"];

const SAS: &[&str] = &[
    "name",
    "random",
    "public_key",
    "their_public_key",
    "bytes[].info",
    "bytes[].length",
    "bytes[].bytes",
    "mac[].input",
    "mac[].info",
    "mac[].mac",
    "mac[].method",
];

const PK: &[&str] = &[
    "name",
    "private_key",
    "public_key",
    "encrypt[].random",
    "encrypt[].plaintext",
    "encrypt[].ciphertext",
    "encrypt[].mac",
    "encrypt[].ephemeral",
    "decrypt[].ciphertext",
    "decrypt[].mac",
    "decrypt[].ephemeral",
    "decrypt[].plaintext",
    "decrypt[].error",
    "signing[].seed",
    "signing[].public_key",
    "signing[].message",
    "signing[].signature",
];

/// The paths a vector of `kind` (about `object`, for the pickle kinds) may
/// carry, or why there are none.
fn allowed(kind: &str, object: Option<&str>) -> Result<Vec<&'static [&'static str]>, String> {
    let pickle = |format: &'static [&'static str], object: Option<&str>| {
        let of_object: Vec<&'static [&'static str]> = match (kind, object) {
            (_, Some("account")) => vec![ACCOUNT_FACTS],
            (_, Some("session")) => vec![SESSION_EVENTS],
            (_, Some("group_session")) => vec![GROUP_FACTS, GROUP_EVENTS],
            (_, Some("inbound_group_session")) => vec![INBOUND_FACTS, INBOUND_EVENTS],
            ("libolm_pickle", Some("pk_decryption")) => vec![PK_DECRYPTION],
            _ => return Err(format!("unknown object {object:?} for kind `{kind}`")),
        };
        let extra: &'static [&'static str] = match (kind, object) {
            ("libolm_pickle", Some("session")) => LIBOLM_SESSION,
            ("vodozemac_pickle", Some("account")) => VODOZEMAC_ACCOUNT,
            ("vodozemac_pickle", Some("session")) => VODOZEMAC_SESSION,
            ("vodozemac_pickle", Some("group_session")) => VODOZEMAC_GROUP,
            ("vodozemac_pickle", Some("inbound_group_session")) => VODOZEMAC_INBOUND,
            _ => &[],
        };
        Ok([vec![PICKLE, format, extra], of_object].concat())
    };
    match kind {
        "olm_account" => Ok(vec![OLM_ACCOUNT]),
        "olm_session" => Ok(vec![OLM_SESSION]),
        "megolm" => Ok(vec![MEGOLM, GROUP_EVENTS]),
        "megolm_inbound" => Ok(vec![MEGOLM_INBOUND, INBOUND_EVENTS]),
        "libolm_pickle" => pickle(&[], object),
        "vodozemac_pickle" => pickle(VODOZEMAC_PICKLE, object),
        "sas" => Ok(vec![SAS]),
        "pk" => Ok(vec![PK]),
        other => Err(format!("unknown kind `{other}`")),
    }
}

/// Checks every key of `vector` (of `kind`) against the format.
pub fn check(kind: &str, vector: &Value) -> Outcome {
    if !vector.is_object() {
        return Err("a vector is not an object".into());
    }
    let object = vector.get("object").and_then(Value::as_str);
    let allowed: Vec<&str> = allowed(kind, object)?.concat();
    walk(&allowed, "", vector)
}

/// Whether `path` is listed, or extended by a listed path.
fn known(allowed: &[&str], path: &str) -> bool {
    allowed.iter().any(|listed| {
        listed
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    })
}

fn walk(allowed: &[&str], path: &str, value: &Value) -> Outcome {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if !known(allowed, &path) {
                    return Err(format!("unknown key `{path}`"));
                }
                if key == "error" || key == "import_error" {
                    class::expected(value).map_err(|e| format!("`{path}`: {e}"))?;
                } else {
                    walk(allowed, &path, value)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for item in items.iter().filter(|item| item.is_object()) {
                let path = match item.get("op").and_then(Value::as_str) {
                    Some(op) => format!("{path}[{op}]"),
                    None => format!("{path}[]"),
                };
                if !known(allowed, &path) {
                    return Err(format!("unknown op or list item `{path}`"));
                }
                walk(allowed, &path, item)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    #[test]
    fn refuses_what_the_format_does_not_name() {
        let good = json!({"name": "n", "random": "00", "session_id": "x",
            "events": [{"op": "encrypt", "message_index": 0, "plaintext": "", "ciphertext": "c"}]});
        assert_eq!(check("megolm", &good), Ok(()));
        let extra = json!({"name": "n", "random": "00", "sesion_id": "x"});
        assert!(check("megolm", &extra).unwrap_err().contains("sesion_id"));
        let op = json!({"name": "n", "events": [{"op": "decrypt"}]});
        assert!(check("megolm", &op).unwrap_err().contains("events[decrypt]"));
        let class = json!({"name": "n", "object": "account", "pickle_key": "", "pickle": "", "error": "pickle-key"});
        assert!(check("libolm_pickle", &class).is_err());
        let expect = json!({"name": "n", "object": "account", "pickle_key": "", "pickle": "", "expcet": {}});
        assert!(check("libolm_pickle", &expect).unwrap_err().contains("expcet"));
        assert!(check("libolm_pickle", &json!({"name": "n", "object": "sas"})).is_err());
    }
}
