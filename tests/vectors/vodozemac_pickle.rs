//! Kind `vodozemac_pickle`: vodozemac's encrypted pickles (and the JSON
//! inside them) of accounts, sessions and group sessions, their public
//! facts, events run on them, and the byte-for-byte re-export before and
//! after the events.

use olm::{
    PickleError,
    megolm::{GroupSession, InboundGroupSession},
    olm::{Account, Session},
    pickle::vodozemac::{AccountPickle, GroupSessionPickle, InboundGroupSessionPickle, SessionPickle},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    classes::{self, reported},
    megolm::{run_group_events, run_inbound_events},
    pickle::{
        Randomness, check_account_facts, check_group_facts, check_inbound_facts, check_signature, run_session_events,
    },
    util::{Outcome, array_field, check_eq, hex_field, judge, opt_str_field, str_field, u64_field},
};

/// The key of the vodozemac pickles that show an object unchanged after an
/// expected failure: vodozemac's pickles are deterministic, and hold states
/// libolm's cannot.
const SNAPSHOT: [u8; 32] = [0x5a; 32];

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
    let mut read = None;
    judge(
        v.get("error"),
        T::read(pickle, key).map_err(reported(classes::vodozemac_pickle)),
        |object| {
            read = Some(object);
            Ok(())
        },
    )
    .map_err(|e| format!("unpickling: {e}"))?;
    let Some(mut object) = read else {
        return Ok(());
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

impl Object for Account {
    type Pickle = AccountPickle;

    fn read(pickle: &str, key: &[u8; 32]) -> Result<Self, PickleError> {
        Self::from_vodozemac_pickle(pickle, key)
    }

    fn write(&self, key: &[u8; 32]) -> String {
        self.to_vodozemac_pickle(key)
    }

    fn run(&mut self, expect: &Value, events: &[Value]) -> Outcome {
        check_account_facts(self, expect)?;
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
                "sign" => check_signature(self, i, event)?,
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
        if expect.get("config").is_some() {
            check_eq(
                "config",
                u64::from(self.session_config().version()),
                u64_field(expect, "config")?,
            )?;
        }
        if let Some(received) = expect.get("has_received_message") {
            check_eq(
                "has_received_message",
                &Value::Bool(self.has_received_message()),
                received,
            )?;
        }
        run_session_events(self, events, Randomness::None, |session| Ok(session.write(&SNAPSHOT)))
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
        check_group_facts(self, expect)?;
        if expect.get("config").is_some() {
            check_eq(
                "config",
                u64::from(self.session_config().version()),
                u64_field(expect, "config")?,
            )?;
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
        check_inbound_facts(self, expect)?;
        if let Some(verified) = expect.get("verified") {
            check_eq("verified", &Value::Bool(self.is_verified()), verified)?;
        }
        if expect.get("config").is_some() {
            check_eq(
                "config",
                u64::from(self.session_config().version()),
                u64_field(expect, "config")?,
            )?;
        }
        run_inbound_events(self, events, |session| Ok(session.write(&SNAPSHOT)))
    }
}
