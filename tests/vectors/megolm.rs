//! Kinds `megolm` (an outbound group session) and `megolm_inbound` (an
//! inbound session from a session key or an export).

use olm::{
    DecodeError,
    megolm::{
        DecryptionError, ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig,
        SessionKey, SessionKeyDecodeError,
    },
};
use serde_json::Value;

use crate::util::{Outcome, ReplayRng, array_field, check_eq, check_error, hex_field, str_field, to_hex, u64_field};

fn decode_class(error: &DecodeError) -> &'static str {
    match error {
        DecodeError::Version { .. } => "version",
        _ => "decode",
    }
}

fn key_class(error: &SessionKeyDecodeError) -> &'static str {
    match error {
        SessionKeyDecodeError::Decode(e) => decode_class(e),
        SessionKeyDecodeError::Signature => "signature",
        _ => "decode",
    }
}

fn decryption_class(error: &DecryptionError) -> &'static str {
    match error {
        DecryptionError::Signature => "signature",
        // libolm reports a padding failure after a valid MAC as a MAC error.
        DecryptionError::InvalidMac | DecryptionError::InvalidPadding => "mac",
        DecryptionError::UnknownMessageIndex(..) => "unknown_index",
        _ => "decode",
    }
}

fn u32_field(v: &Value, name: &str) -> Result<u32, String> {
    u32::try_from(u64_field(v, name)?).map_err(|_| format!("`{name}` does not fit in 32 bits"))
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
fn import(v: &Value) -> Result<Result<InboundGroupSession, &'static str>, String> {
    let config = SessionConfig::version_1();
    match (v.get("session_key"), v.get("exported_session_key")) {
        (Some(key), None) => {
            let key = key.as_str().ok_or("`session_key` is not a string")?;
            Ok(SessionKey::from_base64(key)
                .map(|key| InboundGroupSession::new(&key, config))
                .map_err(|e| key_class(&e)))
        }
        (None, Some(key)) => {
            let key = key.as_str().ok_or("`exported_session_key` is not a string")?;
            Ok(ExportedSessionKey::from_base64(key)
                .map(|key| InboundGroupSession::import(&key, config))
                .map_err(|e| key_class(&e)))
        }
        _ => Err("exactly one of `session_key` and `exported_session_key` must be given".into()),
    }
}

/// Kind `megolm_inbound`: decryptions, expected failures and exports of an
/// inbound session.
pub fn run_inbound(v: &Value) -> Outcome {
    let imported = import(v)?;
    let mut session = match (v.get("import_error"), imported) {
        (Some(expected), Err(class)) => return check_error(expected, class),
        (Some(_), Ok(_)) => return Err("the import succeeded but should have failed".into()),
        (None, Err(class)) => return Err(format!("the import failed with class `{class}`")),
        (None, Ok(session)) => session,
    };
    check_eq("session id", session.session_id().as_str(), str_field(v, "session_id")?)?;
    check_eq(
        "first known index",
        session.first_known_index(),
        u32_field(v, "first_known_index")?,
    )?;
    run_inbound_events(&mut session, array_field(v, "events")?)
}

/// Runs `decrypt` and `export` events on an inbound session.
pub fn run_inbound_events(session: &mut InboundGroupSession, events: &[Value]) -> Outcome {
    for (i, event) in events.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        match op {
            "decrypt" => {
                let result = MegolmMessage::from_base64(str_field(event, "ciphertext")?)
                    .map_err(|e| decode_class(&e))
                    .and_then(|message| session.decrypt(&message).map_err(|e| decryption_class(&e)));
                match (event.get("error"), result) {
                    (Some(expected), Err(class)) => check_error(expected, class).map_err(context)?,
                    (Some(_), Ok(_)) => return Err(context("decrypted but should have failed".into())),
                    (None, Err(class)) => return Err(context(format!("failed with class `{class}`"))),
                    (None, Ok(decrypted)) => {
                        check_eq(
                            "plaintext",
                            to_hex(&decrypted.plaintext),
                            to_hex(&hex_field(event, "plaintext")?),
                        )
                        .map_err(context)?;
                        check_eq(
                            "message index",
                            decrypted.message_index,
                            u32_field(event, "message_index")?,
                        )
                        .map_err(context)?;
                    }
                }
            }
            "export" => {
                let index = u32_field(event, "message_index")?;
                match (event.get("error"), session.export_at(index)) {
                    (Some(expected), None) => check_error(expected, "unknown_index").map_err(context)?,
                    (Some(_), Some(_)) => return Err(context("exported but should have failed".into())),
                    (None, None) => return Err(context(format!("no export at index {index}"))),
                    (None, Some(export)) => check_eq(
                        "exported session key",
                        export.to_base64().as_str(),
                        str_field(event, "exported_session_key")?,
                    )
                    .map_err(context)?,
                }
            }
            other => return Err(context(format!("unknown op `{other}`"))),
        }
    }
    Ok(())
}
