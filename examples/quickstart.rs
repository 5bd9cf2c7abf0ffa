//! Alice and Bob open an Olm channel and talk both ways, then Alice runs a
//! Megolm room with Bob and Carol, and Dave joins late. Printed step by step.
//!
//! Run with `cargo run --example quickstart`.

use olm::{
    megolm::{ExportedSessionKey, GroupSession, InboundGroupSession, SessionConfig as MegolmConfig, SessionKey},
    olm::{Account, OlmMessage, Session, SessionConfig},
};

fn show(label: &str, message: &OlmMessage) {
    let kind = match message {
        OlmMessage::PreKey(_) => "pre-key (type 0)",
        OlmMessage::Normal(_) => "normal (type 1)",
    };
    let body = message.to_base64();
    let shown = if body.len() > 60 {
        format!("{}…", &body[..60])
    } else {
        body
    };
    println!("   {label}: {kind}, {} bytes: {shown}", message.as_bytes().len());
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Olm: a one-to-one channel ==");

    // 1. Each device has an account with two identity keys.
    let alice = Account::new();
    let mut bob = Account::new();
    println!("1. Identity keys");
    println!(
        "   Alice: curve25519 {}  ed25519 {}",
        alice.curve25519_key(),
        alice.ed25519_key()
    );
    println!(
        "   Bob:   curve25519 {}  ed25519 {}",
        bob.curve25519_key(),
        bob.ed25519_key()
    );

    // 2. Bob publishes a one-time key (signed, as Matrix clients upload it).
    bob.generate_one_time_keys(1);
    let (key_id, bob_one_time_key) = bob.one_time_keys().into_iter().next().ok_or("no one-time key")?;
    let signature = bob.sign(format!("{{\"key\":\"{bob_one_time_key}\"}}"));
    bob.mark_keys_as_published();
    println!("2. Bob publishes one-time key {key_id}: {bob_one_time_key}");
    println!("   signed by his ed25519 key: {signature}");

    // 3. Alice claims it and opens a session; her first message is a pre-key message.
    let mut alice_session =
        alice.create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), bob_one_time_key)?;
    let first = alice_session.encrypt("Hello, Bob!");
    println!("3. Alice opens session {}", alice_session.session_id());
    show("Alice → Bob", &first);

    // 4. Bob creates his side from the pre-key message; his one-time key is used up.
    let OlmMessage::PreKey(pre_key) = &first else {
        return Err("expected a pre-key message".into());
    };
    let stored_before = bob.stored_one_time_key_count();
    let created = bob.create_inbound_session(alice.curve25519_key(), pre_key)?;
    let mut bob_session = created.session;
    // Each step checks what it prints, so a wrong result fails the run.
    assert_eq!(created.plaintext, b"Hello, Bob!");
    assert_eq!(bob_session.session_id(), alice_session.session_id());
    assert_eq!(bob.stored_one_time_key_count(), stored_before - 1);
    println!(
        "4. Bob creates session {} and reads: {:?}",
        bob_session.session_id(),
        String::from_utf8_lossy(&created.plaintext)
    );
    println!(
        "   Bob's stored one-time keys: {stored_before} → {}",
        bob.stored_one_time_key_count()
    );

    // 5. Replies both ways: each change of speaker is a new ratchet step.
    let lines = [
        ("Bob", "Hi Alice! Got your message."),
        ("Alice", "Great, the channel works."),
        ("Alice", "Two in a row, same chain."),
        ("Bob", "And a new ratchet step back."),
    ];
    println!("5. Conversation");
    for (speaker, text) in lines {
        let (sender, receiver, arrow) = if speaker == "Alice" {
            (&mut alice_session, &mut bob_session, "Alice → Bob")
        } else {
            (&mut bob_session, &mut alice_session, "Bob → Alice")
        };
        let message = sender.encrypt(text);
        show(arrow, &message);
        let plaintext = receiver.decrypt(&message)?;
        println!("      reads: {:?}", String::from_utf8_lossy(&plaintext));
        assert_eq!(plaintext, text.as_bytes());
    }

    // 6. A replayed message is refused and changes nothing.
    let message = alice_session.encrypt("Once only.");
    bob_session.decrypt(&message)?;
    let replay = bob_session.decrypt(&message);
    assert!(replay.is_err(), "a replay is refused");
    println!(
        "6. Replaying Alice's last message: {}",
        replay.err().map(|e| e.to_string()).unwrap_or_default()
    );

    megolm_room(&mut alice_session, &mut bob_session)
}

/// A Megolm room: Alice sends, Bob and Carol read, Dave joins late.
fn megolm_room(alice_to_bob: &mut Session, bob_from_alice: &mut Session) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    println!("== Megolm: a room ==");

    // 7. Alice starts an outbound group session and shares its session key.
    let mut room = GroupSession::new(MegolmConfig::version_1());
    let session_key = room.session_key();
    println!(
        "7. Alice creates group session {} at index {}",
        room.session_id(),
        room.message_index()
    );

    // The session key travels to each member over their Olm channel: here
    // over Alice's channel to Bob; Carol's channel works the same way.
    let shared = alice_to_bob.encrypt(session_key.to_base64().as_bytes());
    let received = bob_from_alice.decrypt(&shared)?;
    let bob_key = SessionKey::from_base64(std::str::from_utf8(&received)?)?;
    let mut bob_room = InboundGroupSession::new(&bob_key, MegolmConfig::version_1());
    let mut carol_room = InboundGroupSession::new(&session_key, MegolmConfig::version_1());
    println!(
        "   Bob and Carol receive the signed session key (verified: {})",
        bob_room.is_verified() && carol_room.is_verified()
    );
    assert!(bob_room.is_verified() && carol_room.is_verified());

    // 8. Alice sends to the room; every member decrypts the same message.
    println!("8. Room messages");
    let mut sent = Vec::new();
    for text in [
        "Welcome to the room!",
        "Megolm encrypts once for everyone.",
        "Each message advances the ratchet.",
    ] {
        let message = room.encrypt(text);
        let bob_reads = bob_room.decrypt(&message)?;
        let carol_reads = carol_room.decrypt(&message)?;
        assert_eq!(bob_reads.plaintext, text.as_bytes());
        assert_eq!(carol_reads.plaintext, text.as_bytes());
        println!(
            "   index {}, {} bytes: Bob reads {:?}, Carol reads {:?}",
            bob_reads.message_index,
            message.to_bytes().len(),
            String::from_utf8_lossy(&bob_reads.plaintext),
            String::from_utf8_lossy(&carol_reads.plaintext)
        );
        sent.push(message);
    }

    // 9. Dave joins late: Bob shares an export from index 2, so Dave reads
    // from there on but not the earlier history.
    let export = bob_room.export_at(2).ok_or("no export at index 2")?;
    let dave_key = ExportedSessionKey::from_base64(&export.to_base64())?;
    let mut dave_room = InboundGroupSession::import(&dave_key, MegolmConfig::version_1());
    println!(
        "9. Dave imports an exported key from index {} (verified: {})",
        dave_room.first_known_index(),
        dave_room.is_verified()
    );
    assert_eq!(dave_room.first_known_index(), 2);
    assert!(!dave_room.is_verified(), "an imported export is not verified");
    let [first, _, third] = &sent[..] else {
        return Err("three messages were sent".into());
    };
    let early = dave_room.decrypt(first);
    assert!(early.is_err(), "Dave cannot read before his index");
    println!(
        "   Dave on message 0: {}",
        early.err().map(|e| e.to_string()).unwrap_or_default()
    );
    let later = dave_room.decrypt(third)?;
    assert_eq!(later.plaintext, b"Each message advances the ratchet.");
    println!("   Dave on message 2: {:?}", String::from_utf8_lossy(&later.plaintext));
    let next = room.encrypt("Hello, Dave!");
    let read = dave_room.decrypt(&next)?;
    assert_eq!((read.message_index, &read.plaintext[..]), (3, &b"Hello, Dave!"[..]));
    println!(
        "   Dave on message {}: {:?}",
        read.message_index,
        String::from_utf8_lossy(&read.plaintext)
    );

    Ok(())
}
