//! Migrating a client from libolm: import its pickles, keep talking, and
//! export them back (to roll back, or to share state with libolm-based
//! devices of a mixed fleet).
//!
//! Run with `cargo run --example migrate_from_libolm`.

use olm::{
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, Session, SessionConfig},
};

/// An account pickled by libolm 3.2.7 itself (with the empty pickle key).
const LIBOLM_ACCOUNT: &str = "nI9lXW1uczQe7kVZcWHpBVQiHEdaY7xbNjiUupaWyz0uQI4qdQFEpkUDtQ4QKSP8P5h8oJzkrVEoIMXV1KUBX8Sy6lmPlKe1l4Z8+yZUy4sgp0LVBCqo6rCpYQvO+KIWvFdcwzv2dUcwYOUTcLGk8XG3BUldfGj2DJ8mVbDFhp1vm322gS+pXOzXlT/3tjoHF4Q0ykMFPbeiN78CLWEF9OUh3KI8CqylQbOoTsOfDc6HYBjkT+B4uA";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A real libolm pickle: the identity survives, the 64-byte expanded
    // Ed25519 key included, and is written back unchanged.
    let account = Account::from_libolm_pickle(LIBOLM_ACCOUNT, b"")?;
    println!("1. Imported a libolm account: curve25519 {}", account.curve25519_key());
    println!("   signs \"Hello\": {}", account.sign("Hello"));
    let unchanged = *account.to_libolm_pickle(b"")? == LIBOLM_ACCOUNT;
    println!("   exported back unchanged: {unchanged}");
    assert!(unchanged, "the libolm account pickle is written back byte for byte");

    // 2. The state a libolm client keeps: an account, an Olm session, and
    // Megolm sessions. (Here made on the fly; libolm writes the same bytes.)
    let pickle_key = b"the app's pickle key";
    let peer = Account::new();
    let mut device = Account::new();
    device.generate_one_time_keys(5);
    let otk = *device.one_time_keys().values().next().ok_or("no one-time key")?;
    device.mark_keys_as_published();
    let mut peer_session = peer.create_outbound_session(SessionConfig::version_1(), device.curve25519_key(), otk)?;
    let OlmMessage::PreKey(first) = peer_session.encrypt("hello") else {
        return Err("expected a pre-key message".into());
    };
    let device_session = device.create_inbound_session(peer.curve25519_key(), &first)?.session;
    let mut room = GroupSession::new(MegolmConfig::version_1());
    let room_reader = InboundGroupSession::new(&room.session_key(), MegolmConfig::version_1());

    let stored_device_key = device.curve25519_key();
    let stored = [
        ("account", device.to_libolm_pickle(pickle_key)?),
        ("session", device_session.to_libolm_pickle(pickle_key)?),
        ("outbound group session", room.to_libolm_pickle(pickle_key)?),
        ("inbound group session", room_reader.to_libolm_pickle(pickle_key)?),
    ];
    println!("2. The libolm client's store:");
    for (what, pickle) in &stored {
        println!("   {what:<24} {} characters", pickle.len());
    }

    // 3. The migrated client loads everything and keeps talking.
    let [(_, account), (_, session), (_, outbound), (_, inbound)] = &stored;
    let device = Account::from_libolm_pickle(account, pickle_key)?;
    let mut session = Session::from_libolm_pickle(session, pickle_key)?;
    let mut outbound = GroupSession::from_libolm_pickle(outbound, pickle_key)?;
    let mut inbound = InboundGroupSession::from_libolm_pickle(inbound, pickle_key)?;
    println!(
        "3. Migrated: device {}, session {}",
        device.curve25519_key(),
        session.session_id()
    );
    assert_eq!(device.curve25519_key(), stored_device_key);
    let reply = session.encrypt("hi, from the migrated client");
    let read = peer_session.decrypt(&reply)?;
    println!("   peer reads: {:?}", String::from_utf8_lossy(&read));
    assert_eq!(read, b"hi, from the migrated client");
    let next = peer_session.encrypt("and back");
    let read = session.decrypt(&next)?;
    println!("   migrated client reads: {:?}", String::from_utf8_lossy(&read));
    assert_eq!(read, b"and back");
    let message = outbound.encrypt("room message after the migration");
    let read = inbound.decrypt(&message)?.plaintext;
    println!(
        "   room message {} reads: {:?}",
        message.message_index(),
        String::from_utf8_lossy(&read)
    );
    assert_eq!(read, b"room message after the migration");
    // The same bytes a libolm client would have produced from that state.
    let same = room.encrypt("room message after the migration") == message;
    println!("   same ciphertext as the old room session: {same}");
    assert!(same, "the migrated room session continues the same ratchet");

    // 4. Rolling back: export everything to libolm's format again; a libolm
    // client (or a migrated one) continues from there.
    let session_back = session.to_libolm_pickle(pickle_key)?;
    let mut continued = Session::from_libolm_pickle(&session_back, pickle_key)?;
    let later = peer_session.encrypt("after the rollback");
    let read = continued.decrypt(&later)?;
    println!(
        "4. Rolled back to libolm pickles; the session still reads: {:?}",
        String::from_utf8_lossy(&read)
    );
    assert_eq!(read, b"after the rollback");
    println!(
        "   store sizes in our own format: account {}, session {}",
        device.pickle(&[7; 32]).len(),
        session.pickle(&[7; 32]).len()
    );
    Ok(())
}
