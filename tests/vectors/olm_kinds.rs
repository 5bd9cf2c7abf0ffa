//! Kinds `olm_account` and `olm_session`.

use std::collections::{BTreeMap, HashMap};

use olm::{
    Curve25519PublicKey, DecodeError, KeyId,
    olm::{Account, DecryptionError, OlmMessage, Session, SessionConfig, SessionCreationError},
};
use serde_json::Value;

use crate::util::{
    Outcome, ReplayRng, array_field, bool_field, check_eq, check_error, hex, hex_field, opt_str_field, str_field,
    to_hex, u64_field,
};

/// The failure class of a decode error.
pub fn decode_class(error: &DecodeError) -> &'static str {
    match error {
        DecodeError::Version { .. } => "version",
        _ => "decode",
    }
}

/// The failure class of an Olm decryption error.
pub fn decryption_class(error: &DecryptionError) -> &'static str {
    match error {
        DecryptionError::InvalidMac => "mac",
        DecryptionError::MissingMessageKey(_) => "missing_message_key",
        DecryptionError::TooBigMessageGap(..) => "message_gap",
        DecryptionError::NonContributoryKey => "non_contributory",
        _ => "decode",
    }
}

fn creation_class(error: &SessionCreationError) -> &'static str {
    match error {
        SessionCreationError::MissingOneTimeKey(_) => "unknown_one_time_key",
        SessionCreationError::NonContributoryKey => "non_contributory",
        SessionCreationError::Decryption(e) => decryption_class(e),
        _ => "mismatched_identity_key",
    }
}

fn account_from(v: &Value, field: &str) -> Result<Account, String> {
    let mut rng = ReplayRng::from_field(v, field)?;
    let account = Account::new_with_rng(&mut rng);
    rng.finish("new account")?;
    Ok(account)
}

fn key_map(map: &BTreeMap<KeyId, Curve25519PublicKey>) -> Vec<(String, String)> {
    map.iter().map(|(id, key)| (id.to_base64(), key.to_base64())).collect()
}

/// Kind `olm_account`: identity keys, signatures, one-time and fallback keys.
pub fn run_account(v: &Value) -> Outcome {
    let mut account = account_from(v, "account_random")?;
    check_eq(
        "curve25519",
        account.curve25519_key().to_base64().as_str(),
        str_field(v, "curve25519")?,
    )?;
    check_eq(
        "ed25519",
        account.ed25519_key().to_base64().as_str(),
        str_field(v, "ed25519")?,
    )?;

    for case in array_field(v, "sign")? {
        let message = hex_field(case, "message")?;
        let signature = account.sign(&message);
        check_eq(
            "signature",
            signature.to_base64().as_str(),
            str_field(case, "signature")?,
        )?;
        account
            .ed25519_key()
            .verify(&message, &signature)
            .map_err(|e| format!("own signature: {e}"))?;
    }

    if let Some(otks) = v.get("one_time_keys") {
        let expected = array_field(otks, "keys")?;
        let mut rng = ReplayRng::from_field(otks, "random")?;
        account.generate_one_time_keys_with_rng(expected.len(), &mut rng);
        rng.finish("one-time keys")?;
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|k| Ok((str_field(k, "key_id")?.to_owned(), str_field(k, "key")?.to_owned())))
            .collect::<Result<_, String>>()?;
        expected.sort();
        check_eq("one-time keys", key_map(&account.one_time_keys()), expected)?;
    }

    if let Some(fallback) = v.get("fallback_key") {
        let mut rng = ReplayRng::from_field(fallback, "random")?;
        account.generate_fallback_key_with_rng(&mut rng);
        rng.finish("fallback key")?;
        let expected = vec![(
            str_field(fallback, "key_id")?.to_owned(),
            str_field(fallback, "key")?.to_owned(),
        )];
        check_eq("fallback key", key_map(&account.fallback_key()), expected)?;
    }
    Ok(())
}

struct Party {
    account: Account,
    session: Option<Session>,
}

/// Kind `olm_session`: a transcript between Alice and Bob.
pub fn run_session(v: &Value) -> Outcome {
    let alice_spec = v.get("alice").ok_or("missing `alice`")?;
    let bob_spec = v.get("bob").ok_or("missing `bob`")?;
    let alice_account = account_from(alice_spec, "account_random")?;
    let mut bob_account = account_from(bob_spec, "account_random")?;

    let mut rng = ReplayRng::from_field(bob_spec, "one_time_key_random")?;
    let bob_key = if bool_field(bob_spec, "use_fallback_key")? {
        bob_account.generate_fallback_key_with_rng(&mut rng);
        bob_account.fallback_key()
    } else {
        bob_account.generate_one_time_keys_with_rng(1, &mut rng);
        bob_account.one_time_keys()
    };
    rng.finish("Bob's key")?;
    let bob_key = *bob_key.values().next().ok_or("Bob has no key")?;
    bob_account.mark_keys_as_published();

    let mut rng = ReplayRng::from_field(v, "outbound_random")?;
    let alice_session = alice_account
        .create_outbound_session_with_rng(
            SessionConfig::version_1(),
            bob_account.curve25519_key(),
            bob_key,
            &mut rng,
        )
        .map_err(|e| format!("outbound session: {e}"))?;
    rng.finish("outbound session")?;
    let session_id = str_field(v, "session_id")?;
    check_eq("Alice's session id", alice_session.session_id().as_str(), session_id)?;

    let alice_identity = alice_account.curve25519_key();
    let mut alice = Party {
        account: alice_account,
        session: Some(alice_session),
    };
    let mut bob = Party {
        account: bob_account,
        session: None,
    };
    let mut sent: HashMap<String, (usize, Vec<u8>)> = HashMap::new();

    for (i, event) in array_field(v, "events")?.iter().enumerate() {
        let op = str_field(event, "op")?;
        let party = match str_field(event, "party")? {
            "alice" => &mut alice,
            "bob" => &mut bob,
            other => return Err(format!("event {i}: unknown party `{other}`")),
        };
        let context = |e: String| format!("event {i} ({op}): {e}");
        match op {
            "encrypt" => {
                let session = party.session.as_mut().ok_or_else(|| context("no session yet".into()))?;
                let mut rng = ReplayRng::from_field(event, "random")?;
                let message = session.encrypt_with_rng(hex_field(event, "plaintext")?, &mut rng);
                rng.finish(&format!("event {i} encrypt")).map_err(context)?;
                let (message_type, bytes) = message.to_parts();
                check_eq("message type", message_type as u64, u64_field(event, "message_type")?).map_err(context)?;
                check_eq(
                    "ciphertext",
                    message.to_base64().as_str(),
                    str_field(event, "ciphertext")?,
                )
                .map_err(context)?;
                if let Some(id) = opt_str_field(event, "id")? {
                    sent.insert(id.to_owned(), (message_type, bytes));
                }
            }
            "decrypt" => {
                let (message_type, bytes) = match (opt_str_field(event, "ciphertext")?, opt_str_field(event, "id")?) {
                    (Some(ciphertext), _) => (
                        u64_field(event, "message_type")? as usize,
                        olm::base64_decode(ciphertext).map_err(|e| context(format!("ciphertext: {e}")))?,
                    ),
                    (None, Some(id)) => sent
                        .get(id)
                        .cloned()
                        .ok_or_else(|| context(format!("no message `{id}`")))?,
                    (None, None) => return Err(context("neither `id` nor `ciphertext`".into())),
                };
                let result = decrypt(party, alice_identity, message_type, &bytes);
                match (event.get("error"), result) {
                    (None, Ok(plaintext)) => {
                        check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?))
                            .map_err(context)?;
                    }
                    (None, Err(class)) => return Err(context(format!("failed with class `{class}`"))),
                    (Some(expected), Err(class)) => check_error(expected, class).map_err(context)?,
                    (Some(_), Ok(plaintext)) => {
                        return Err(context(format!("decrypted to {} but should fail", to_hex(&plaintext))));
                    }
                }
            }
            other => return Err(format!("event {i}: unknown op `{other}`")),
        }
    }

    if let Some(session) = &bob.session {
        check_eq("Bob's session id", session.session_id().as_str(), session_id)?;
    }
    let _ = hex; // keeps the helper list stable for other kinds
    Ok(())
}

/// Decrypts for `party`; Bob's first pre-key message creates his session.
fn decrypt(
    party: &mut Party,
    alice_identity: Curve25519PublicKey,
    message_type: usize,
    bytes: &[u8],
) -> Result<Vec<u8>, &'static str> {
    let message = OlmMessage::from_parts(message_type, bytes).map_err(|e| decode_class(&e))?;
    if let Some(session) = party.session.as_mut() {
        return session.decrypt(&message).map_err(|e| decryption_class(&e));
    }
    let OlmMessage::PreKey(pre_key) = message else {
        return Err("decode");
    };
    let created = party
        .account
        .create_inbound_session(alice_identity, &pre_key)
        .map_err(|e| creation_class(&e))?;
    party.session = Some(created.session);
    Ok(created.plaintext)
}
