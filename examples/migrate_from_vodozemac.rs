//! Switching a client from vodozemac without losing a session: open the
//! store vodozemac wrote (its encrypted pickles, and the pickle structs a
//! store such as matrix-sdk-crypto's keeps inside its own MessagePack
//! records), keep talking with peers that are still on vodozemac, and write
//! the store back in vodozemac's format, which vodozemac opens again: the
//! switch goes both ways.
//!
//! Run with `cargo run --example migrate_from_vodozemac`. Every step checks
//! what it shows and fails if it does not hold.

use olm::{
    megolm::{GroupSession, InboundGroupSession, MegolmMessage},
    olm::{Account, OlmMessage, Session},
    pickle::vodozemac::AccountPickle,
};
use vodozemac as vz;

/// Converts a message between the two crates through its wire form.
fn to_ours(message: &vz::olm::OlmMessage) -> Result<OlmMessage, Box<dyn std::error::Error>> {
    let (kind, body) = message.to_parts();
    Ok(OlmMessage::from_parts(kind, &body)?)
}

fn to_theirs(message: &OlmMessage) -> Result<vz::olm::OlmMessage, Box<dyn std::error::Error>> {
    let (kind, body) = message.to_parts();
    Ok(vz::olm::OlmMessage::from_parts(kind, &body)?)
}

fn check(holds: bool, what: &str) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(format!("does not hold: {what}"))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. What a vodozemac client has stored: its account (one-time keys,
    // some published, and a fallback key), an Olm session with Bob that
    // has gone through ratchet steps, with a message of Bob's still in
    // flight, and a room's Megolm sessions.
    let pickle_key = [0x42u8; 32]; // from the platform's key store in a real client
    let mut device = vz::olm::Account::new();
    device.generate_one_time_keys(4);
    device.generate_fallback_key();
    let bob = vz::olm::Account::new();
    let otk = *device.one_time_keys().values().next().ok_or("no one-time key")?;
    device.mark_keys_as_published();
    device.generate_one_time_keys(2);
    let config = vz::olm::SessionConfig::version_1();
    let mut bob_session = bob.create_outbound_session(config, device.curve25519_key(), otk)?;
    let vz::olm::OlmMessage::PreKey(first) = bob_session.encrypt("hello")? else {
        return Err("expected a pre-key message".into());
    };
    let mut session = device
        .create_inbound_session(config, bob.curve25519_key(), &first)?
        .session;
    for round in 0..3 {
        bob_session.decrypt(&session.encrypt(format!("ping {round}"))?)?;
        session.decrypt(&bob_session.encrypt(format!("pong {round}"))?)?;
    }
    let in_flight = bob_session.encrypt("sent while the client was switching")?;
    let room = vz::megolm::GroupSession::new(vz::megolm::SessionConfig::version_1());
    let room_key = room.session_key();
    let mut bobs_room = vz::megolm::GroupSession::new(vz::megolm::SessionConfig::version_1());
    let bobs_room_reader = vz::megolm::InboundGroupSession::new(&bobs_room.session_key(), Default::default());
    let bobs_history = bobs_room.encrypt("history from before the switch");

    let stored = [
        ("account", device.pickle().encrypt(&pickle_key)),
        ("session", session.pickle().encrypt(&pickle_key)),
        ("outbound group session", room.pickle().encrypt(&pickle_key)),
        ("inbound group session", bobs_room_reader.pickle().encrypt(&pickle_key)),
    ];
    // matrix-sdk-crypto keeps the account's pickle struct in a MessagePack record.
    let record = rmp_serde::to_vec_named(&device.pickle())?;
    println!("1. vodozemac's store:");
    for (what, pickle) in &stored {
        println!("   {what:<24} {} characters", pickle.len());
    }
    println!("   account record (MessagePack) {} bytes", record.len());

    // 2. Open every pickle here.
    let [account, olm_session, group, inbound] = &stored;
    let account = Account::from_vodozemac_pickle(&account.1, &pickle_key)?;
    let mut olm_session = Session::from_vodozemac_pickle(&olm_session.1, &pickle_key)?;
    let mut group = GroupSession::from_vodozemac_pickle(&group.1, &pickle_key)?;
    let mut inbound = InboundGroupSession::from_vodozemac_pickle(&inbound.1, &pickle_key)?;
    let from_record = Account::try_from(rmp_serde::from_slice::<AccountPickle>(&record)?)?;
    check(
        account.curve25519_key().to_base64() == device.curve25519_key().to_base64(),
        "the identity key",
    )?;
    check(
        account.sign("device keys").to_base64() == device.sign("device keys").to_base64(),
        "the signing key",
    )?;
    check(
        account.one_time_keys().len() == device.one_time_keys().len()
            && account.stored_one_time_key_count() == device.stored_one_time_key_count(),
        "every one-time key",
    )?;
    check(account.uses_wide_key_ids(), "vodozemac's 8-byte key ids")?;
    check(
        from_record.identity_keys() == account.identity_keys(),
        "the MessagePack record",
    )?;
    println!("2. Opened here: {}", account.curve25519_key());
    println!(
        "   {} unpublished one-time keys, ids as vodozemac published them: {:?}",
        account.one_time_keys().len(),
        account
            .one_time_keys()
            .keys()
            .map(|id| id.to_base64())
            .collect::<Vec<_>>()
    );

    // 3. Keep talking with peers still on vodozemac.
    let late = olm_session.decrypt(&to_ours(&in_flight)?)?;
    check(late == b"sent while the client was switching", "the message in flight")?;
    let reply = olm_session.encrypt("now on olm");
    check(
        bob_session.decrypt(&to_theirs(&reply)?)? == b"now on olm",
        "Bob reads the reply",
    )?;
    let history = inbound.decrypt(&MegolmMessage::from_base64(&bobs_history.to_base64())?)?;
    check(
        history.plaintext == b"history from before the switch",
        "the room's history",
    )?;
    let to_room = group.encrypt("to the room, from olm");
    let mut member = vz::megolm::InboundGroupSession::new(&room_key, Default::default());
    let read = member.decrypt(&vz::megolm::MegolmMessage::from_base64(&to_room.to_base64())?)?;
    check(
        read.plaintext == b"to the room, from olm",
        "a member on vodozemac reads the room",
    )?;
    println!(
        "3. Read {:?}, replied, read the room's history at index {}, wrote to the room",
        String::from_utf8_lossy(&late),
        history.message_index
    );

    // 4. Write the store back in vodozemac's format: vodozemac opens it and
    // goes on where olm stopped.
    let account_pickle = account.to_vodozemac_pickle(&pickle_key);
    let session_pickle = olm_session.to_vodozemac_pickle(&pickle_key);
    let group_pickle = group.to_vodozemac_pickle(&pickle_key);
    let back = vz::olm::Account::from_pickle(vz::olm::AccountPickle::from_encrypted(&account_pickle, &pickle_key)?);
    let mut session_back =
        vz::olm::Session::from_pickle(vz::olm::SessionPickle::from_encrypted(&session_pickle, &pickle_key)?);
    let mut room_back = vz::megolm::GroupSession::from_pickle(vz::megolm::GroupSessionPickle::from_encrypted(
        &group_pickle,
        &pickle_key,
    )?);
    check(
        back.curve25519_key() == device.curve25519_key(),
        "vodozemac reads the account",
    )?;
    check(
        bob_session.decrypt(&session_back.encrypt("back on vodozemac")?)? == b"back on vodozemac",
        "vodozemac goes on with the session",
    )?;
    check(room_back.message_index() == group.message_index(), "the room's index")?;
    let next = room_back.encrypt("and the room");
    check(
        member.decrypt(&next)?.plaintext == b"and the room",
        "vodozemac goes on with the room",
    )?;
    println!("4. Written back: vodozemac reopened the account, the session and the room, and went on");
    Ok(())
}
