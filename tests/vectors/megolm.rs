//! Kinds `megolm` (an outbound group session) and `megolm_inbound` (an
//! inbound session from a session key or an export).

use olm::megolm::{ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig, SessionKey};
use serde_json::Value;
use vector_runner::class::Reported;

use crate::{
    classes::{self, reported},
    olm_kinds::SNAPSHOT_KEY,
    util::{
        Outcome, ReplayRng, array_field, check_eq, hex_field, judge, judge_unchanged, str_field, to_hex, u32_field,
    },
};

/// How an object shows its whole state, to check that a failed operation
/// left it unchanged: a deterministic pickle.
pub type Snapshot<T> = fn(&T) -> Result<String, String>;

/// An inbound group session's libolm pickle.
pub fn libolm_snapshot(session: &InboundGroupSession) -> Result<String, String> {
    session
        .to_libolm_pickle(SNAPSHOT_KEY)
        .map(|pickle| pickle.to_string())
        .map_err(|e| format!("snapshot pickle: {e}"))
}

/// Kind `megolm`: session id, session keys and ciphertexts of an outbound
/// session made from the given randomness. Each ciphertext is also decrypted
/// by an inbound session made at the start.
pub fn run_group_session(v: &Value) -> Outcome {
    let mut rng = ReplayRng::from_field(v, "random")?;
    let mut session = GroupSession::new_with_rng(SessionConfig::version_1(), &mut rng);
    rng.finish("new group session")?;
    check_eq("session id", session.session_id().as_str(), str_field(v, "session_id")?)?;
    run_group_events(&mut session, array_field(v, "events")?)
}

/// Runs `session_key` and `encrypt` events on an outbound session; each
/// ciphertext is also decrypted by an inbound session made at the start.
pub fn run_group_events(session: &mut GroupSession, events: &[Value]) -> Outcome {
    let mut reader = InboundGroupSession::from(&*session);

    for (i, event) in events.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        check_eq(
            "message index",
            session.message_index(),
            u32_field(event, "message_index")?,
        )
        .map_err(context)?;
        match op {
            "session_key" => {
                let key = session.session_key();
                check_eq(
                    "session key",
                    key.to_base64().as_str(),
                    str_field(event, "session_key")?,
                )
                .map_err(context)?;
            }
            "encrypt" => {
                let plaintext = hex_field(event, "plaintext")?;
                let message = session.encrypt(&plaintext);
                check_eq(
                    "ciphertext",
                    message.to_base64().as_str(),
                    str_field(event, "ciphertext")?,
                )
                .map_err(context)?;
                let decrypted = reader
                    .decrypt(&message)
                    .map_err(|e| context(format!("own decryption: {e}")))?;
                check_eq("own decryption", to_hex(&decrypted.plaintext), to_hex(&plaintext)).map_err(context)?;
            }
            other => return Err(context(format!("unknown op `{other}`"))),
        }
    }
    Ok(())
}

/// Builds the inbound session from whichever key the vector carries.
fn import(v: &Value) -> Result<Result<InboundGroupSession, Reported>, String> {
    let config = SessionConfig::version_1();
    match (v.get("session_key"), v.get("exported_session_key")) {
        (Some(key), None) => {
            let key = key.as_str().ok_or("`session_key` is not a string")?;
            Ok(SessionKey::from_base64(key)
                .map(|key| InboundGroupSession::new(&key, config))
                .map_err(reported(classes::session_key)))
        }
        (None, Some(key)) => {
            let key = key.as_str().ok_or("`exported_session_key` is not a string")?;
            Ok(ExportedSessionKey::from_base64(key)
                .map(|key| InboundGroupSession::import(&key, config))
                .map_err(reported(classes::session_key)))
        }
        _ => Err("exactly one of `session_key` and `exported_session_key` must be given".into()),
    }
}

/// Kind `megolm_inbound`: decryptions, expected failures and exports of an
/// inbound session.
pub fn run_inbound(v: &Value) -> Outcome {
    let mut imported = None;
    judge(v.get("import_error"), import(v)?, |session| {
        imported = Some(session);
        Ok(())
    })
    .map_err(|e| format!("import: {e}"))?;
    let Some(mut session) = imported else {
        return check_eq("events after a failed import", array_field(v, "events")?.len(), 0);
    };
    check_eq("session id", session.session_id().as_str(), str_field(v, "session_id")?)?;
    check_eq(
        "first known index",
        session.first_known_index(),
        u32_field(v, "first_known_index")?,
    )?;
    run_inbound_events(&mut session, array_field(v, "events")?, libolm_snapshot)
}

/// Runs `decrypt` and `export` events on an inbound session; after each
/// expected failure, `snapshot` must show the session unchanged.
pub fn run_inbound_events(
    session: &mut InboundGroupSession,
    events: &[Value],
    snapshot: Snapshot<InboundGroupSession>,
) -> Outcome {
    for (i, event) in events.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        let expected_error = event.get("error");
        match op {
            "decrypt" => {
                let message = MegolmMessage::from_base64(str_field(event, "ciphertext")?);
                let decrypt = |session: &mut InboundGroupSession| {
                    let message = message.clone().map_err(reported(classes::decode))?;
                    session.decrypt(&message).map_err(reported(classes::megolm_decryption))
                };
                judge_unchanged(expected_error, session, snapshot, decrypt, |decrypted| {
                    check_eq(
                        "plaintext",
                        to_hex(&decrypted.plaintext),
                        to_hex(&hex_field(event, "plaintext")?),
                    )?;
                    check_eq(
                        "message index",
                        decrypted.message_index,
                        u32_field(event, "message_index")?,
                    )
                })
                .map_err(context)?;
            }
            "export" => {
                let index = u32_field(event, "message_index")?;
                // The API answers `None` for an index before the first known
                // one, the one way an export fails.
                let export = |session: &mut InboundGroupSession| {
                    session.export_at(index).ok_or_else(|| {
                        Reported::new(
                            Some(vector_runner::class::Class::UnknownIndex),
                            &format!("no export at index {index}"),
                        )
                    })
                };
                judge_unchanged(expected_error, session, snapshot, export, |export| {
                    check_eq(
                        "exported session key",
                        export.to_base64().as_str(),
                        str_field(event, "exported_session_key")?,
                    )
                })
                .map_err(context)?;
            }
            other => return Err(context(format!("unknown op `{other}`"))),
        }
    }
    Ok(())
}
