//! Kind `vodozemac_pickle`: vodozemac's encrypted pickles (and the JSON
//! inside them) of accounts, sessions and group sessions, their public
//! facts, events run on them, and the byte-for-byte re-export before and
//! after the events.

use olm::{
    PickleError,
    megolm::{GroupSession, InboundGroupSession},
    olm::{Account, OlmMessage, Session},
    pickle::vodozemac::{AccountPickle, GroupSessionPickle, InboundGroupSessionPickle, SessionPickle},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    megolm::{run_group_events, run_inbound_events},
    olm_kinds::{decode_class, decryption_class},
    util::{Outcome, array_field, check_eq, check_error, hex_field, opt_str_field, str_field, to_hex, u64_field},
};

/// The failure class of a pickle error read from vodozemac's format.
fn class(error: &PickleError) -> &'static str {
    match error {
        // vodozemac counts a pickle shorter than its MAC as one that fails
        // authentication (its `MacMissing`), and its vectors class it so.
        PickleError::Mac | PickleError::Truncated => "pickle_key",
        PickleError::Invalid(_) => "invalid",
        PickleError::Version(_) | PickleError::LegacyAccount => "version",
        _ => "decode",
    }
}

/// What every object offers the runner.
trait Object: Sized {
    type Pickle: Serialize + DeserializeOwned + TryInto<Self, Error = PickleError>;
    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError>;
    fn write(&self, key: &[u8; 32]) -> String;
    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome;
}

pub fn run(v: &Value) -> Outcome {
    let key: [u8; 32] = hex_field(v, "pickle_key")?
        .try_into()
        .map_err(|_| "pickle_key is not 32 bytes".to_owned())?;
    match str_field(v, "object")? {
        "account" => run_object::<Account>(v, &key),
        "session" => run_object::<Session>(v, &key),
        "group_session" => run_object::<GroupSession>(v, &key),
        "inbound_group_session" => run_object::<InboundGroupSession>(v, &key),
        other => Err(format!("object `{other}` is not supported")),
    }
}

fn run_object<T: Object>(v: &Value, key: &[u8; 32]) -> Outcome {
    let pickle = str_field(v, "pickle")?;
    let read = T::read(pickle, key);
    let mut object = match (v.get("error"), read) {
        (Some(expected), Err(e)) => return check_error(expected, class(&e)),
        (Some(_), Ok(_)) => return Err("unpickling should have failed".into()),
        (None, Err(e)) => return Err(format!("unpickling failed: {e}")),
        (None, Ok(object)) => object,
    };
    check_eq("re-export", object.write(key).as_str(), pickle)?;
    if let Some(json) = opt_str_field(v, "json")? {
        let parsed: T::Pickle = serde_json::from_str(json).map_err(|e| format!("json: {e}"))?;
        check_eq(
            "json re-serialized",
            serde_json::to_string(&parsed).map_err(|e| e.to_string())?.as_str(),
            json,
        )?;
        let from_json: T = parsed.try_into().map_err(|e| format!("json: {e}"))?;
        check_eq("object from json", from_json.write(key).as_str(), pickle)?;
    }
    let expect = v.get("expect").cloned().unwrap_or(Value::Null);
    object.run(&expect, array_field(v, "events")?)?;
    if let Some(after) = opt_str_field(v, "pickle_after")? {
        check_eq("pickle after the events", object.write(key).as_str(), after)?;
    }
    Ok(())
}

fn keys(map: impl IntoIterator<Item = (olm::KeyId, olm::Curve25519PublicKey)>) -> Vec<(String, String)> {
    let mut keys: Vec<_> = map.into_iter().map(|(id, k)| (id.to_base64(), k.to_base64())).collect();
    keys.sort();
    keys
}

fn expected_keys(value: &Value) -> Result<Vec<(String, String)>, String> {
    let list = match value {
        Value::Null => return Ok(vec![]),
        Value::Array(list) => list.clone(),
        single => vec![single.clone()],
    };
    let mut keys = list
        .iter()
        .map(|k| Ok((str_field(k, "key_id")?.to_owned(), str_field(k, "key")?.to_owned())))
        .collect::<Result<Vec<_>, String>>()?;
    keys.sort();
    Ok(keys)
}

impl Object for Account {
    type Pickle = AccountPickle;

    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
        Self::from_vodozemac_pickle(pickle, key)
    }

    fn write(&self, key: &[u8; 32]) -> String {
        self.to_vodozemac_pickle(key)
    }

    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome {
        if let Some(curve) = opt_str_field(expect, "curve25519")? {
            check_eq("curve25519", self.curve25519_key().to_base64().as_str(), curve)?;
        }
        if let Some(ed) = opt_str_field(expect, "ed25519")? {
            check_eq("ed25519", self.ed25519_key().to_base64().as_str(), ed)?;
        }
        if let Some(list) = expect.get("one_time_keys") {
            check_eq("one-time keys", keys(self.one_time_keys()), expected_keys(list)?)?;
        }
        if let Some(fallback) = expect.get("fallback_key") {
            check_eq("fallback key", keys(self.fallback_key()), expected_keys(fallback)?)?;
        }
        if expect.get("stored_one_time_key_count").is_some() {
            check_eq(
                "stored one-time keys",
                self.stored_one_time_key_count() as u64,
                u64_field(expect, "stored_one_time_key_count")?,
            )?;
        }
        if expect.get("next_key_id").is_some() {
            // The next id, seen on a copy that makes one key.
            let mut copy = Self::from_vodozemac_pickle(&self.to_vodozemac_pickle(&[0; 32]), &[0; 32])
                .map_err(|e| e.to_string())?;
            let made = copy.generate_one_time_keys_with_rng(1, &mut rand::rng());
            let id = copy
                .one_time_keys()
                .into_iter()
                .find(|(_, k)| made.created.contains(k))
                .map(|(id, _)| id.value());
            check_eq("next key id", id, Some(u64_field(expect, "next_key_id")?))?;
        }
        for (i, event) in events.iter().enumerate() {
            match str_field(event, "op")? {
                "sign" => check_eq(
                    &format!("event {i} signature"),
                    self.sign(hex_field(event, "message")?).to_base64().as_str(),
                    str_field(event, "signature")?,
                )?,
                "mark_keys_as_published" => self.mark_keys_as_published(),
                "forget_fallback_key" => check_eq(
                    &format!("event {i} forget_fallback_key"),
                    Value::Bool(self.forget_fallback_key()),
                    event.get("result").cloned().unwrap_or(Value::Null),
                )?,
                other => return Err(format!("event {i}: unknown account op `{other}`")),
            }
        }
        Ok(())
    }
}

impl Object for Session {
    type Pickle = SessionPickle;

    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
        Self::from_vodozemac_pickle(pickle, key)
    }

    fn write(&self, key: &[u8; 32]) -> String {
        self.to_vodozemac_pickle(key)
    }

    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome {
        if let Some(id) = opt_str_field(expect, "session_id")? {
            check_eq("session id", self.session_id().as_str(), id)?;
        }
        if let Some(received) = expect.get("has_received_message") {
            check_eq(
                "has_received_message",
                &Value::Bool(self.has_received_message()),
                received,
            )?;
        }
        for (i, event) in events.iter().enumerate() {
            let context = |e: String| format!("event {i}: {e}");
            match str_field(event, "op")? {
                "encrypt" => {
                    if self.encrypt_needs_randomness() {
                        return Err(context("encrypt would need randomness".into()));
                    }
                    let message = self.encrypt_with_rng(hex_field(event, "plaintext")?, &mut rand::rng());
                    check_eq(
                        "message type",
                        message.to_parts().0 as u64,
                        u64_field(event, "message_type")?,
                    )
                    .map_err(context)?;
                    check_eq(
                        "ciphertext",
                        message.to_base64().as_str(),
                        str_field(event, "ciphertext")?,
                    )
                    .map_err(context)?;
                }
                "decrypt" => {
                    let bytes =
                        olm::base64_decode(str_field(event, "ciphertext")?).map_err(|e| context(e.to_string()))?;
                    let result = OlmMessage::from_parts(u64_field(event, "message_type")? as usize, &bytes)
                        .map_err(|e| decode_class(&e))
                        .and_then(|message| self.decrypt(&message).map_err(|e| decryption_class(&e)));
                    match (event.get("error"), result) {
                        (None, Ok(plaintext)) => {
                            check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?))
                                .map_err(context)?
                        }
                        (None, Err(class)) => return Err(context(format!("failed with class `{class}`"))),
                        (Some(expected), Err(class)) => check_error(expected, class).map_err(context)?,
                        (Some(_), Ok(_)) => return Err(context("decrypted but should fail".into())),
                    }
                }
                other => return Err(format!("event {i}: unknown session op `{other}`")),
            }
        }
        Ok(())
    }
}

impl Object for GroupSession {
    type Pickle = GroupSessionPickle;

    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
        Self::from_vodozemac_pickle(pickle, key)
    }

    fn write(&self, key: &[u8; 32]) -> String {
        self.to_vodozemac_pickle(key)
    }

    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome {
        if let Some(id) = opt_str_field(expect, "session_id")? {
            check_eq("session id", self.session_id().as_str(), id)?;
        }
        if expect.get("message_index").is_some() {
            check_eq(
                "message index",
                u64::from(self.message_index()),
                u64_field(expect, "message_index")?,
            )?;
        }
        if let Some(session_key) = opt_str_field(expect, "session_key")? {
            check_eq("session key", self.session_key().to_base64().as_str(), session_key)?;
        }
        run_group_events(self, events)
    }
}

impl Object for InboundGroupSession {
    type Pickle = InboundGroupSessionPickle;

    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
        Self::from_vodozemac_pickle(pickle, key)
    }

    fn write(&self, key: &[u8; 32]) -> String {
        self.to_vodozemac_pickle(key)
    }

    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome {
        if let Some(id) = opt_str_field(expect, "session_id")? {
            check_eq("session id", self.session_id().as_str(), id)?;
        }
        if expect.get("first_known_index").is_some() {
            check_eq(
                "first known index",
                u64::from(self.first_known_index()),
                u64_field(expect, "first_known_index")?,
            )?;
        }
        if let Some(verified) = expect.get("verified") {
            check_eq("verified", &Value::Bool(self.is_verified()), verified)?;
        }
        run_inbound_events(self, events)
    }
}
