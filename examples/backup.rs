//! Key backup (`m.megolm_backup.v1.curve25519-aes-sha2`): a device backs up a
//! room key, a new device restores it with the recovery key.
//!
//! Run with `cargo run --example backup`.

use olm::{
    megolm::{ExportedSessionKey, GroupSession, InboundGroupSession, SessionConfig},
    pk::{PkDecryption, PkEncryption, PkMessage},
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The user creates a backup key; its secret is the recovery key they
    // write down, its public key is uploaded with the backup version.
    let backup_key = PkDecryption::new();
    let recovery_key = olm::base64_encode(backup_key.to_bytes().as_slice());
    println!("1. Backup public key {}", backup_key.public_key());

    // 2. A device holding a room key encrypts it to the backup's public key.
    // Anyone with the public key can do this — the server included — which
    // is why restored keys are never treated as verified.
    let mut room = GroupSession::new(SessionConfig::version_1());
    let mut device = InboundGroupSession::new(&room.session_key(), SessionConfig::version_1());
    let history = room.encrypt("A message from before the new device existed");
    device.decrypt(&history)?;
    let payload = format!(
        "{{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_key\":\"{}\"}}",
        device.export_at_first_known_index().to_base64().as_str()
    );
    let encryption = PkEncryption::from_key(backup_key.public_key())?;
    let entry = encryption.encrypt(payload.as_bytes());
    println!("2. Backup entry for session {}", room.session_id());
    println!("   ephemeral {}", entry.ephemeral_key_base64());
    println!("   mac       {}", entry.mac_base64());
    println!("   ciphertext {} bytes", entry.ciphertext().len());

    // 3. A new device restores it with the recovery key.
    let secret: [u8; 32] = olm::base64_decode(&recovery_key)?
        .try_into()
        .map_err(|_| "a recovery key is 32 bytes")?;
    let restored_key = PkDecryption::from_bytes(&secret);
    let received = PkMessage::from_base64(
        &entry.ciphertext_base64(),
        &entry.mac_base64(),
        &entry.ephemeral_key_base64(),
    )?;
    let plaintext = String::from_utf8(restored_key.decrypt(&received)?)?;
    let session_key = plaintext
        .split("\"session_key\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no session key in the backup entry")?;
    let mut restored = InboundGroupSession::import(
        &ExportedSessionKey::from_base64(session_key)?,
        SessionConfig::version_1(),
    );
    println!(
        "3. Restored session {} (verified: {})",
        restored.session_id(),
        restored.is_verified()
    );
    // What this shows, checked: the same session, never verified, reading
    // the old message.
    assert_eq!(restored.session_id(), room.session_id());
    assert!(!restored.is_verified(), "a key from a backup is not verified");
    let read = restored.decrypt(&history)?;
    println!(
        "   reads the old message: {:?}",
        String::from_utf8_lossy(&read.plaintext)
    );
    assert_eq!(read.plaintext, b"A message from before the new device existed");
    Ok(())
}
