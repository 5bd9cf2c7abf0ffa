//! How a client routes an incoming Olm message: a pre-key message goes to
//! the session it belongs to if there is one, and only otherwise creates a
//! session. Done this way, a replayed pre-key message (which a fallback key,
//! never consumed, would otherwise accept again) is refused.
//!
//! Run with `cargo run --example inbound_messages`.

use olm::{
    Curve25519PublicKey,
    olm::{Account, OlmMessage, Session, SessionConfig},
};

/// Decrypts `message` from `sender` with the sessions held for that sender,
/// creating one only for a pre-key message that none of them matches.
fn receive(
    account: &mut Account,
    sessions: &mut Vec<Session>,
    sender: Curve25519PublicKey,
    message: &OlmMessage,
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    if let OlmMessage::PreKey(pre_key) = message {
        match sessions.iter_mut().find(|s| s.matches_inbound_session(pre_key)) {
            Some(session) => Ok(session.decrypt(message)?),
            None => {
                let created = account.create_inbound_session(sender, pre_key)?;
                sessions.push(created.session);
                Ok(created.plaintext)
            }
        }
    } else {
        // A normal message: try each session of this sender, newest first.
        for session in sessions.iter_mut().rev() {
            if let Ok(plaintext) = session.decrypt(message) {
                return Ok(plaintext);
            }
        }
        Err("no session of this sender decrypts the message".into())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let alice = Account::new();
    let mut bob = Account::new();
    bob.generate_fallback_key();
    let (_, fallback) = bob.current_fallback_key().ok_or("a fallback key")?;
    bob.mark_keys_as_published();

    let mut to_bob = alice.create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), fallback)?;
    let first = to_bob.encrypt("Hello, Bob");
    let mut sessions = Vec::new();

    let plaintext = receive(&mut bob, &mut sessions, alice.curve25519_key(), &first)?;
    println!("delivered:  {}", String::from_utf8_lossy(&plaintext));
    assert_eq!(plaintext, b"Hello, Bob");

    // The network delivers the same pre-key message again.
    let replay = receive(&mut bob, &mut sessions, alice.curve25519_key(), &first);
    println!(
        "replayed:   {}",
        replay
            .as_ref()
            .map_or_else(|e| format!("refused ({e})"), |_| "accepted".into())
    );
    assert!(replay.is_err(), "the replay must be refused");
    assert_eq!(sessions.len(), 1, "no second session");

    // Later messages of the same session still go through.
    let second = to_bob.encrypt("Still there?");
    let plaintext = receive(&mut bob, &mut sessions, alice.curve25519_key(), &second)?;
    println!("delivered:  {}", String::from_utf8_lossy(&plaintext));
    assert_eq!(plaintext, b"Still there?");
    Ok(())
}
