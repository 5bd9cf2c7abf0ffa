//! The failure classes of the format (an `error` field names what the case
//! is, not any one API's error), and the one way both runners judge an
//! operation that may be expected to fail.

use serde_json::Value;

use crate::Outcome;

/// A failure class of the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Malformed bytes, bad base64, wrong lengths.
    Decode,
    /// An unknown message, key or pickle version.
    Version,
    /// A MAC check failed.
    Mac,
    /// An Ed25519 check failed.
    Signature,
    /// A Megolm index before the first known one.
    UnknownIndex,
    /// An Olm message key already used or dropped.
    MissingMessageKey,
    /// An Olm counter too far ahead.
    MessageGap,
    /// A pre-key message for a key the account does not hold.
    UnknownOneTimeKey,
    /// X25519 gave the all-zero secret.
    NonContributory,
    /// The wrong pickle key (or an altered pickle).
    PickleKey,
    /// A pickle that decrypts and parses but holds an inconsistent state.
    Invalid,
    /// A message of another protocol variant (`SessionConfig`: Olm or
    /// Megolm version 1 or 2) than the session's: its MAC has the other
    /// variant's length.
    Config,
}

impl Class {
    /// Every class.
    pub const ALL: [Self; 12] = [
        Self::Decode,
        Self::Version,
        Self::Mac,
        Self::Signature,
        Self::UnknownIndex,
        Self::MissingMessageKey,
        Self::MessageGap,
        Self::UnknownOneTimeKey,
        Self::NonContributory,
        Self::PickleKey,
        Self::Invalid,
        Self::Config,
    ];

    /// The class's name in the vector files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Decode => "decode",
            Self::Version => "version",
            Self::Mac => "mac",
            Self::Signature => "signature",
            Self::UnknownIndex => "unknown_index",
            Self::MissingMessageKey => "missing_message_key",
            Self::MessageGap => "message_gap",
            Self::UnknownOneTimeKey => "unknown_one_time_key",
            Self::NonContributory => "non_contributory",
            Self::PickleKey => "pickle_key",
            Self::Invalid => "invalid",
            Self::Config => "config",
        }
    }

    /// The class named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|class| class.name() == name)
    }
}

/// The classes an `error` (or `import_error`) field accepts: one name or a
/// non-empty list of names, every one a class of the format.
pub fn expected(value: &Value) -> Result<Vec<Class>, String> {
    let names: Vec<&Value> = match value {
        Value::String(_) => vec![value],
        Value::Array(list) if !list.is_empty() => list.iter().collect(),
        _ => {
            return Err(format!(
                "`error` must be a class or a non-empty list of classes, not {value}"
            ));
        }
    };
    names
        .into_iter()
        .map(|name| {
            name.as_str()
                .and_then(Class::parse)
                .ok_or_else(|| format!("`error` names no class of the format: {name}"))
        })
        .collect()
}

/// A failure as an API reports it.
pub trait Failure {
    /// The classes the failure stands for: none for an error the format has
    /// no class for (no vector can expect it), several where the API folds
    /// several cases into one error (libolm's codes).
    fn classes(&self) -> &[Class];

    /// The failure as the API names it, for messages.
    fn describe(&self) -> String;
}

/// An error of the Rust API with its class (`None`: the format has none).
pub struct Reported {
    class: Option<Class>,
    error: String,
}

impl Reported {
    /// `error`, of class `class`.
    pub fn new(class: Option<Class>, error: &(impl std::fmt::Debug + ?Sized)) -> Self {
        Self {
            class,
            error: format!("{error:?}"),
        }
    }
}

impl Failure for Reported {
    fn classes(&self) -> &[Class] {
        self.class.as_slice()
    }

    fn describe(&self) -> String {
        match self.class {
            Some(class) => format!("{} (class `{}`)", self.error, class.name()),
            None => format!("{} (no class of the format)", self.error),
        }
    }
}

/// Checks that `failure` stands for one of the classes `expected` accepts.
pub fn check_error(expected_value: &Value, failure: &impl Failure) -> Outcome {
    let accepted = expected(expected_value)?;
    if failure.classes().iter().any(|class| accepted.contains(class)) {
        Ok(())
    } else {
        let names: Vec<&str> = accepted.iter().map(|class| class.name()).collect();
        Err(format!("failed with {}, expected one of {names:?}", failure.describe()))
    }
}

/// Judges an operation against its `error` field: without one it must
/// succeed and `on_success` checks its value; with one it must fail with
/// an accepted class.
pub fn judge<T, F: Failure>(
    expected_value: Option<&Value>,
    result: Result<T, F>,
    on_success: impl FnOnce(T) -> Outcome,
) -> Outcome {
    match (expected_value, result) {
        (None, Ok(value)) => on_success(value),
        (None, Err(failure)) => Err(format!("failed with {}", failure.describe())),
        (Some(expected_value), Err(failure)) => check_error(expected_value, &failure),
        (Some(_), Ok(_)) => Err("succeeded but should have failed".into()),
    }
}

/// As [`judge`] for an operation on `object`; when the operation is
/// expected to fail, `snapshot` (a deterministic pickle) must show the
/// object as it was before: a failed operation changes nothing.
pub fn judge_unchanged<O, T, F: Failure>(
    expected_value: Option<&Value>,
    object: &mut O,
    snapshot: impl Fn(&O) -> Result<String, String>,
    operation: impl FnOnce(&mut O) -> Result<T, F>,
    on_success: impl FnOnce(T) -> Outcome,
) -> Outcome {
    let before = expected_value.map(|_| snapshot(object)).transpose()?;
    judge(expected_value, operation(object), on_success)?;
    match before {
        Some(before) if before != snapshot(object)? => Err("the failed operation changed the object's pickle".into()),
        _ => Ok(()),
    }
}
