//! Kinds `olm_account` and `olm_session`.

use std::collections::BTreeMap;

use olm::{
    Curve25519PublicKey, KeyId,
    olm::{Account, OlmMessage, Session, SessionConfig},
};
use serde_json::Value;
use vector_runner::{class::Reported, model::Transcript};

use crate::{
    classes::{self, reported},
    util::{
        Outcome, ReplayRng, Source, array_field, bool_field, check_eq, check_keys, decrypt_source, hex_field,
        judge_unchanged, str_field, to_hex, u64_field,
    },
};

/// The key of the libolm pickles that show an object unchanged after an
/// expected failure (libolm's pickles are deterministic).
pub const SNAPSHOT_KEY: &[u8] = b"state before and after a failure";

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
        check_keys("one-time keys", key_map(&account.one_time_keys()), expected)?;
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

type Party = vector_runner::model::Party<Account, Session>;

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
    let mut transcript: Transcript<Account, Session, (usize, Vec<u8>)> =
        Transcript::new(alice_account, alice_session, bob_account);

    for (i, event) in array_field(v, "events")?.iter().enumerate() {
        let op = str_field(event, "op")?;
        let context = |e: String| format!("event {i} ({op}): {e}");
        let (party, sent) = transcript.party(event).map_err(context)?;
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
                if let Some(id) = event.get("id").and_then(Value::as_str) {
                    sent.insert(id.to_owned(), (message_type, bytes));
                }
            }
            "decrypt" => {
                let (message_type, bytes) = match decrypt_source(event).map_err(context)? {
                    Source::Inline(message_type, ciphertext) => (
                        message_type,
                        olm::base64_decode(ciphertext).map_err(|e| context(format!("ciphertext: {e}")))?,
                    ),
                    Source::Sent(id) => sent
                        .get(id)
                        .cloned()
                        .ok_or_else(|| context(format!("no message `{id}`")))?,
                };
                judge_unchanged(
                    event.get("error"),
                    party,
                    snapshot,
                    |party| decrypt(party, alice_identity, message_type, &bytes),
                    |plaintext| check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(event, "plaintext")?)),
                )
                .map_err(context)?;
            }
            other => return Err(format!("event {i}: unknown op `{other}`")),
        }
    }

    if let Some(session) = transcript.bob_session() {
        check_eq("Bob's session id", session.session_id().as_str(), session_id)?;
    }
    Ok(())
}

/// The libolm pickle of what a failed decryption must leave unchanged: the
/// party's session, or its account before it has one.
fn snapshot(party: &Party) -> Result<String, String> {
    match &party.session {
        Some(session) => session.to_libolm_pickle(SNAPSHOT_KEY),
        None => party.account.to_libolm_pickle(SNAPSHOT_KEY),
    }
    .map(|pickle| pickle.to_string())
    .map_err(|e| format!("snapshot pickle: {e}"))
}

/// Decrypts for `party`; Bob's first pre-key message creates his session.
fn decrypt(
    party: &mut Party,
    alice_identity: Curve25519PublicKey,
    message_type: usize,
    bytes: &[u8],
) -> Result<Vec<u8>, Reported> {
    let message = OlmMessage::from_parts(message_type, bytes).map_err(reported(classes::decode))?;
    if let Some(session) = party.session.as_mut() {
        return session.decrypt(&message).map_err(reported(classes::olm_decryption));
    }
    let OlmMessage::PreKey(pre_key) = message else {
        return Err(Reported::new(
            Some(vector_runner::class::Class::Decode),
            "a normal message before any session",
        ));
    };
    let created = party
        .account
        .create_inbound_session(alice_identity, &pre_key)
        .map_err(reported(classes::session_creation))?;
    party.session = Some(created.session);
    Ok(created.plaintext)
}
