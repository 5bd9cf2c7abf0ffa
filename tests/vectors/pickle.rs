//! Kind `libolm_pickle`: libolm pickles of every object, their public facts,
//! events run on them afterwards, and the byte-for-byte re-export.

use olm::{
    PickleError,
    megolm::{GroupSession, InboundGroupSession},
    olm::{Account, OlmMessage, Session},
    pk::PkDecryption,
};
use serde_json::Value;
use vector_runner::model::PickleVector;

use crate::{
    classes::{self, reported},
    megolm::{Snapshot, libolm_snapshot, run_group_events, run_inbound_events},
    olm_kinds::SNAPSHOT_KEY,
    util::{
        Outcome, ReplayRng, check_eq, check_keys, fallback_key, hex_field, judge, judge_unchanged, opt_str_field,
        str_field, to_hex, u64_field, usize_field,
    },
};

/// Runs one `libolm_pickle` vector.
pub fn run(v: &Value) -> Outcome {
    let vector = PickleVector::read(v)?;
    let (key, pickle, expect, events) = (vector.key, vector.pickle, vector.expect, vector.events);
    let result = match vector.object {
        "account" => {
            Account::from_libolm_pickle(pickle, &key).map(|account| run_account(account, &key, pickle, &expect, events))
        }
        "session" => {
            Session::from_libolm_pickle(pickle, &key).map(|session| run_session(session, &key, pickle, &expect, events))
        }
        "group_session" => {
            GroupSession::from_libolm_pickle(pickle, &key).map(|s| run_group(s, &key, pickle, &expect, events))
        }
        "inbound_group_session" => {
            InboundGroupSession::from_libolm_pickle(pickle, &key).map(|s| run_inbound(s, &key, pickle, &expect, events))
        }
        "pk_decryption" => PkDecryption::from_libolm_pickle(pickle, &key).map(|pk| run_pk(pk, &key, pickle, &expect)),
        other => return Err(format!("object `{other}` is not supported")),
    };
    judge(
        v.get("error"),
        result.map_err(reported(classes::libolm_pickle)),
        |outcome| outcome,
    )
}

fn check_reexport(what: &str, written: Result<zeroize::Zeroizing<String>, PickleError>, pickle: &str) -> Outcome {
    let written = written.map_err(|e| format!("{what} re-export: {e}"))?;
    check_eq(&format!("{what} re-export"), written.as_str(), pickle)
}

fn run_account(account: Account, key: &[u8], pickle: &str, expect: &Value, events: &[Value]) -> Outcome {
    check_reexport("account", account.to_libolm_pickle(key), pickle)?;
    check_account_facts(&account, expect)?;
    for (i, event) in events.iter().enumerate() {
        match str_field(event, "op")? {
            "sign" => check_signature(&account, i, event)?,
            other => return Err(format!("event {i}: unknown account op `{other}`")),
        }
    }
    Ok(())
}

/// The public facts of an account that both pickle kinds give: identity
/// keys, unpublished one-time keys and the unpublished fallback key.
pub fn check_account_facts(account: &Account, expect: &Value) -> Outcome {
    if let Some(curve) = opt_str_field(expect, "curve25519")? {
        check_eq("curve25519", account.curve25519_key().to_base64().as_str(), curve)?;
    }
    if let Some(ed) = opt_str_field(expect, "ed25519")? {
        check_eq("ed25519", account.ed25519_key().to_base64().as_str(), ed)?;
    }
    if let Some(keys) = expect.get("one_time_keys") {
        // By their base64 text: the account's map is in id order, which
        // base64 does not keep.
        let actual = account
            .one_time_keys()
            .iter()
            .map(|(id, k)| (id.to_base64(), k.to_base64()))
            .collect();
        check_keys(
            "one-time keys",
            actual,
            keys.as_array().ok_or("`one_time_keys` is not a list")?,
        )?;
    }
    if let Some(fallback) = expect.get("fallback_key") {
        let actual: Vec<_> = account
            .fallback_key()
            .iter()
            .map(|(id, k)| (id.to_base64(), k.to_base64()))
            .collect();
        check_eq("fallback key", actual, fallback_key(fallback)?)?;
    }
    Ok(())
}

/// A `sign` event.
pub fn check_signature(account: &Account, i: usize, event: &Value) -> Outcome {
    check_eq(
        &format!("event {i} signature"),
        account.sign(hex_field(event, "message")?).to_base64().as_str(),
        str_field(event, "signature")?,
    )
}

fn run_session(mut session: Session, key: &[u8], pickle: &str, expect: &Value, events: &[Value]) -> Outcome {
    check_reexport("session", session.to_libolm_pickle(key), pickle)?;
    if let Some(id) = opt_str_field(expect, "session_id")? {
        check_eq("session id", session.session_id().as_str(), id)?;
    }
    run_session_events(&mut session, events, Randomness::Given, session_snapshot)
}

/// A session's libolm pickle.
fn session_snapshot(session: &Session) -> Result<String, String> {
    session
        .to_libolm_pickle(SNAPSHOT_KEY)
        .map(|pickle| pickle.to_string())
        .map_err(|e| format!("snapshot pickle: {e}"))
}

/// Where an `encrypt` event's random bytes come from.
#[derive(Clone, Copy)]
pub enum Randomness {
    /// Its `random` field (libolm's vectors): the exact bytes to draw.
    Given,
    /// None may be drawn (vodozemac's vectors, which encrypt only on an
    /// active sending chain).
    None,
}

/// `encrypt` and `decrypt` events on a session; after each expected
/// failure, `snapshot` must show the session unchanged.
pub fn run_session_events(
    session: &mut Session,
    events: &[Value],
    randomness: Randomness,
    snapshot: Snapshot<Session>,
) -> Outcome {
    for (i, event) in events.iter().enumerate() {
        let context = |e: String| format!("event {i}: {e}");
        match str_field(event, "op")? {
            "encrypt" => {
                let mut rng = match randomness {
                    Randomness::Given => ReplayRng::from_field(event, "random")?,
                    Randomness::None => ReplayRng::new(Vec::new()),
                };
                let message = session.encrypt_with_rng(hex_field(event, "plaintext")?, &mut rng);
                rng.finish("encrypt").map_err(context)?;
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
                let bytes = olm::base64_decode(str_field(event, "ciphertext")?).map_err(|e| context(e.to_string()))?;
                let message_type = usize_field(event, "message_type")?;
                judge_unchanged(
                    event.get("error"),
                    session,
                    snapshot,
                    |session| {
                        OlmMessage::from_parts(message_type, &bytes)
                            .map_err(reported(classes::decode))
                            .and_then(|message| session.decrypt(&message).map_err(reported(classes::olm_decryption)))
                    },
                    |plaintext| check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?)),
                )
                .map_err(context)?;
            }
            other => return Err(format!("event {i}: unknown session op `{other}`")),
        }
    }
    Ok(())
}

fn run_pk(decryption: PkDecryption, key: &[u8], pickle: &str, expect: &Value) -> Outcome {
    check_reexport("pk_decryption", decryption.to_libolm_pickle(key), pickle)?;
    if let Some(public) = opt_str_field(expect, "public_key")? {
        check_eq("public key", decryption.public_key().to_base64().as_str(), public)?;
    }
    Ok(())
}

fn run_group(mut session: GroupSession, key: &[u8], pickle: &str, expect: &Value, events: &[Value]) -> Outcome {
    check_reexport("group_session", session.to_libolm_pickle(key), pickle)?;
    check_group_facts(&session, expect)?;
    run_group_events(&mut session, events)
}

/// A group session's public facts: its id, index and session key.
pub fn check_group_facts(session: &GroupSession, expect: &Value) -> Outcome {
    if let Some(id) = opt_str_field(expect, "session_id")? {
        check_eq("session id", session.session_id().as_str(), id)?;
    }
    if expect.get("message_index").is_some() {
        check_eq(
            "message index",
            u64::from(session.message_index()),
            u64_field(expect, "message_index")?,
        )?;
    }
    if let Some(session_key) = opt_str_field(expect, "session_key")? {
        check_eq("session key", session.session_key().to_base64().as_str(), session_key)?;
    }
    Ok(())
}

fn run_inbound(
    mut session: InboundGroupSession,
    key: &[u8],
    pickle: &str,
    expect: &Value,
    events: &[Value],
) -> Outcome {
    check_reexport("inbound_group_session", session.to_libolm_pickle(key), pickle)?;
    check_inbound_facts(&session, expect)?;
    run_inbound_events(&mut session, events, libolm_snapshot)
}

/// An inbound group session's public facts: its id and first known index.
pub fn check_inbound_facts(session: &InboundGroupSession, expect: &Value) -> Outcome {
    if let Some(id) = opt_str_field(expect, "session_id")? {
        check_eq("session id", session.session_id().as_str(), id)?;
    }
    if expect.get("first_known_index").is_some() {
        check_eq(
            "first known index",
            u64::from(session.first_known_index()),
            u64_field(expect, "first_known_index")?,
        )?;
    }
    Ok(())
}
