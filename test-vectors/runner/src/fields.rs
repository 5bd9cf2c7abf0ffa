//! Typed access to a vector's fields, and the comparisons both runners
//! make. Which keys may appear at all is [`crate::schema`]'s job; these
//! fail on a key of the wrong type or a missing required one.

use serde_json::Value;

use crate::{Outcome, hex};

/// A string field of `v`.
pub fn str_field<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field `{name}`"))
}

/// An optional string field of `v` (absent or null gives `None`).
pub fn opt_str_field<'a>(v: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("field `{name}` is not a string")),
    }
}

/// An unsigned integer field of `v`.
pub fn u64_field(v: &Value, name: &str) -> Result<u64, String> {
    v.get(name)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("missing integer field `{name}`"))
}

/// An unsigned integer field of `v` that must fit in 32 bits.
pub fn u32_field(v: &Value, name: &str) -> Result<u32, String> {
    u32::try_from(u64_field(v, name)?).map_err(|_| format!("`{name}` does not fit in 32 bits"))
}

/// An unsigned integer field of `v` used as a length or message type.
pub fn usize_field(v: &Value, name: &str) -> Result<usize, String> {
    usize::try_from(u64_field(v, name)?).map_err(|_| format!("`{name}` does not fit in usize"))
}

/// A boolean field of `v`, `false` when absent.
pub fn bool_field(v: &Value, name: &str) -> Result<bool, String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("field `{name}` is not a boolean")),
    }
}

/// An array field of `v`, empty when absent.
pub fn array_field<'a>(v: &'a Value, name: &str) -> Result<&'a [Value], String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("field `{name}` is not an array")),
    }
}

/// A hex field of `v`, decoded.
pub fn hex_field(v: &Value, name: &str) -> Result<Vec<u8>, String> {
    hex::decode(str_field(v, name)?)
}

/// Checks that `actual` equals `expected`, naming `what` otherwise.
pub fn check_eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: got {actual:?}, expected {expected:?}"))
    }
}

/// A `(key_id, key)` pair, as the format lists keys.
pub type KeyPair = (String, String);

/// A list of `{key_id, key}` objects, in the order given.
pub fn key_pairs(list: &[Value]) -> Result<Vec<KeyPair>, String> {
    list.iter()
        .map(|k| Ok((str_field(k, "key_id")?.to_owned(), str_field(k, "key")?.to_owned())))
        .collect()
}

/// Checks a list of keys against `expected` in any order: the format lists
/// keys by id, the APIs in their own order.
pub fn check_keys(what: &str, mut actual: Vec<KeyPair>, expected: &[Value]) -> Outcome {
    let mut expected = key_pairs(expected)?;
    expected.sort();
    actual.sort();
    check_eq(what, actual, expected)
}

/// An `expect.fallback_key`: the unpublished fallback key, or none (null).
pub fn fallback_key(value: &Value) -> Result<Vec<KeyPair>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        key => Ok(vec![(
            str_field(key, "key_id")?.to_owned(),
            str_field(key, "key")?.to_owned(),
        )]),
    }
}

/// Where a `decrypt` event of an `olm_session` takes its message from.
pub enum Source<'a> {
    /// The message of an earlier `encrypt` event with this `id`.
    Sent(&'a str),
    /// A message given inline: its type and base64 ciphertext.
    Inline(usize, &'a str),
}

/// The message of a `decrypt` event: inline `ciphertext` wins over `id`.
pub fn decrypt_source(event: &Value) -> Result<Source<'_>, String> {
    match (opt_str_field(event, "ciphertext")?, opt_str_field(event, "id")?) {
        (Some(ciphertext), _) => Ok(Source::Inline(usize_field(event, "message_type")?, ciphertext)),
        (None, Some(id)) => Ok(Source::Sent(id)),
        (None, None) => Err("neither `id` nor `ciphertext`".into()),
    }
}
