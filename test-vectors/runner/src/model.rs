//! The parts of a vector that both runners read into the same shape before
//! driving their API: a pickle vector's common fields, and the two parties
//! of an `olm_session` transcript.

use std::collections::HashMap;

use serde_json::Value;

use crate::fields::{array_field, hex_field, str_field};

/// The fields every `libolm_pickle` and `vodozemac_pickle` vector has.
pub struct PickleVector<'a> {
    /// Which object the pickle holds.
    pub object: &'a str,
    /// The pickle key.
    pub key: Vec<u8>,
    /// The pickle.
    pub pickle: &'a str,
    /// The public facts of the unpickled object (null when absent).
    pub expect: Value,
    /// The events run on the unpickled object.
    pub events: &'a [Value],
}

impl<'a> PickleVector<'a> {
    /// Reads the common fields of `v`.
    pub fn read(v: &'a Value) -> Result<Self, String> {
        Ok(Self {
            object: str_field(v, "object")?,
            key: hex_field(v, "pickle_key")?,
            pickle: str_field(v, "pickle")?,
            expect: v.get("expect").cloned().unwrap_or(Value::Null),
            events: array_field(v, "events")?,
        })
    }
}

/// One side of an `olm_session` transcript: an account, and a session once
/// it has one.
pub struct Party<A, S> {
    /// The party's account.
    pub account: A,
    /// Its session: Alice's from the start, Bob's after his first
    /// successful decryption.
    pub session: Option<S>,
}

/// The messages sent so far, by the `id` of their `encrypt` event.
pub type Sent<M> = HashMap<String, M>;

/// An `olm_session` transcript: Alice, Bob, and the messages sent so far by
/// `id` (in whatever form the API hands them over, `M`).
pub struct Transcript<A, S, M> {
    alice: Party<A, S>,
    bob: Party<A, S>,
    sent: Sent<M>,
}

impl<A, S, M> Transcript<A, S, M> {
    /// Alice with her outbound session, Bob with none yet.
    pub fn new(alice: A, alice_session: S, bob: A) -> Self {
        Self {
            alice: Party {
                account: alice,
                session: Some(alice_session),
            },
            bob: Party {
                account: bob,
                session: None,
            },
            sent: HashMap::new(),
        }
    }

    /// The party an event names, and the messages sent so far.
    pub fn party(&mut self, event: &Value) -> Result<(&mut Party<A, S>, &mut Sent<M>), String> {
        let party = match str_field(event, "party")? {
            "alice" => &mut self.alice,
            "bob" => &mut self.bob,
            other => return Err(format!("unknown party `{other}`")),
        };
        Ok((party, &mut self.sent))
    }

    /// Bob's session, once he has one.
    pub fn bob_session(&self) -> Option<&S> {
        self.bob.session.as_ref()
    }
}
