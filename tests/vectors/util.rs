//! Helpers shared by the vector kinds: field access, hex, the replay
//! generator and error-class matching.

use std::convert::Infallible;

use serde_json::Value;

/// The result of running one vector.
pub type Outcome = Result<(), String>;

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

/// Lowercase (or uppercase) hex to bytes.
pub fn hex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd-length hex `{s}`"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| format!("bad hex `{s}`")))
        .collect()
}

/// A hex field of `v`, decoded.
pub fn hex_field(v: &Value, name: &str) -> Result<Vec<u8>, String> {
    hex(str_field(v, name)?)
}

/// Bytes to lowercase hex, for messages.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that `actual` equals `expected`, naming `what` otherwise.
pub fn check_eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: got {actual:?}, expected {expected:?}"))
    }
}

/// Checks that the failure class `actual` is among the `error` field's
/// accepted classes (a string or a list of strings).
pub fn check_error(expected: &Value, actual: &str) -> Outcome {
    let accepted: Vec<&str> = match expected {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => return Err("`error` is neither a string nor a list".into()),
    };
    if accepted.contains(&actual) {
        Ok(())
    } else {
        Err(format!("failed with class `{actual}`, expected one of {accepted:?}"))
    }
}

/// A generator that replays a fixed byte stream: the vectors' randomness.
///
/// It cannot return an error when over-drawn (the generator is infallible),
/// so it records the over-draw and hands out zeros; `finish` reports it, and
/// also reports bytes left unused.
pub struct ReplayRng {
    bytes: Vec<u8>,
    position: usize,
    overdrawn: bool,
}

impl ReplayRng {
    /// A generator that yields exactly `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            position: 0,
            overdrawn: false,
        }
    }

    /// From a hex field of `v`.
    pub fn from_field(v: &Value, name: &str) -> Result<Self, String> {
        Ok(Self::new(hex_field(v, name)?))
    }

    /// Checks that the stream was consumed exactly.
    pub fn finish(self, what: &str) -> Outcome {
        if self.overdrawn {
            Err(format!(
                "{what}: drew more than the {} random bytes given",
                self.bytes.len()
            ))
        } else if self.position != self.bytes.len() {
            Err(format!(
                "{what}: drew {} of the {} random bytes given",
                self.position,
                self.bytes.len()
            ))
        } else {
            Ok(())
        }
    }
}

impl rand::TryRng for ReplayRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.position + dst.len();
        match self.bytes.get(self.position..end) {
            Some(src) => {
                dst.copy_from_slice(src);
                self.position = end;
            }
            None => {
                self.overdrawn = true;
                dst.fill(0);
            }
        }
        Ok(())
    }
}

impl rand::TryCryptoRng for ReplayRng {}
