//! Alice and Bob verify each other's devices with emoji (Matrix `m.sas.v1`),
//! printed step by step: key exchange, the short authentication string as
//! emoji and decimals on both screens, then the MACs of their device keys.
//!
//! Run with `cargo run --example sas`.

use olm::{
    Curve25519PublicKey, Ed25519PublicKey,
    olm::Account,
    sas::{EstablishedSas, Mac, Sas, SasBytes},
};

/// The Matrix specification's SAS emoji table ("Sending verification
/// emoji"): index, emoji and the English name clients show beside it.
const EMOJI: [(&str, &str); 64] = [
    ("🐶", "Dog"),
    ("🐱", "Cat"),
    ("🦁", "Lion"),
    ("🐎", "Horse"),
    ("🦄", "Unicorn"),
    ("🐷", "Pig"),
    ("🐘", "Elephant"),
    ("🐰", "Rabbit"),
    ("🐼", "Panda"),
    ("🐓", "Rooster"),
    ("🐧", "Penguin"),
    ("🐢", "Turtle"),
    ("🐟", "Fish"),
    ("🐙", "Octopus"),
    ("🦋", "Butterfly"),
    ("🌷", "Flower"),
    ("🌳", "Tree"),
    ("🌵", "Cactus"),
    ("🍄", "Mushroom"),
    ("🌏", "Globe"),
    ("🌙", "Moon"),
    ("☁️", "Cloud"),
    ("🔥", "Fire"),
    ("🍌", "Banana"),
    ("🍎", "Apple"),
    ("🍓", "Strawberry"),
    ("🌽", "Corn"),
    ("🍕", "Pizza"),
    ("🎂", "Cake"),
    ("❤️", "Heart"),
    ("😀", "Smiley"),
    ("🤖", "Robot"),
    ("🎩", "Hat"),
    ("👓", "Glasses"),
    ("🔧", "Spanner"),
    ("🎅", "Santa"),
    ("👍", "Thumbs Up"),
    ("☂️", "Umbrella"),
    ("⌛", "Hourglass"),
    ("⏰", "Clock"),
    ("🎁", "Gift"),
    ("💡", "Light Bulb"),
    ("📕", "Book"),
    ("✏️", "Pencil"),
    ("📎", "Paperclip"),
    ("✂️", "Scissors"),
    ("🔒", "Lock"),
    ("🔑", "Key"),
    ("🔨", "Hammer"),
    ("☎️", "Telephone"),
    ("🏁", "Flag"),
    ("🚂", "Train"),
    ("🚲", "Bicycle"),
    ("✈️", "Aeroplane"),
    ("🚀", "Rocket"),
    ("🏆", "Trophy"),
    ("⚽", "Ball"),
    ("🎸", "Guitar"),
    ("🎺", "Trumpet"),
    ("🔔", "Bell"),
    ("⚓", "Anchor"),
    ("🎧", "Headphones"),
    ("📁", "Folder"),
    ("📌", "Pin"),
];

/// A device taking part in the verification.
struct Device {
    user_id: &'static str,
    device_id: &'static str,
    account: Account,
}

impl Device {
    fn new(user_id: &'static str, device_id: &'static str) -> Self {
        Self {
            user_id,
            device_id,
            account: Account::new(),
        }
    }

    fn key_id(&self) -> String {
        format!("ed25519:{}", self.device_id)
    }
}

/// The `info` for the short authentication string: the device that started
/// the verification first, then the other, each with its SAS public key,
/// then the transaction id (Matrix spec, "HKDF calculation"). Each side
/// builds it from its own view: its key, and the key it received.
fn sas_info(
    starter: &Device,
    starter_key: Curve25519PublicKey,
    other: &Device,
    other_key: Curve25519PublicKey,
    txn: &str,
) -> String {
    format!(
        "MATRIX_KEY_VERIFICATION_SAS|{}|{}|{starter_key}|{}|{}|{other_key}|{txn}",
        starter.user_id, starter.device_id, other.user_id, other.device_id
    )
}

/// The `info` for a MAC sent from `sender` to `receiver` for `key_id` (or
/// `KEY_IDS` for the list of keys being MACed).
fn mac_info(sender: &Device, receiver: &Device, txn: &str, key_id: &str) -> String {
    format!(
        "MATRIX_KEY_VERIFICATION_MAC{}{}{}{}{}{}",
        sender.user_id, sender.device_id, receiver.user_id, receiver.device_id, txn, key_id
    )
}

/// Prints what one screen shows; returns it for the comparison the users
/// make by eye.
fn show(name: &str, bytes: &SasBytes) -> Result<String, String> {
    let mut line = String::new();
    for index in bytes.emoji_indices() {
        let (emoji, label) = EMOJI.get(usize::from(index)).ok_or("emoji index out of range")?;
        line.push_str(&format!("{emoji} {label:<10} "));
    }
    let (a, b, c) = bytes.decimals();
    println!("   {name:<5} sees: {}", line.trim_end());
    println!("   {name:<5} sees: {a} {b} {c} (the decimal form)");
    Ok(format!("{line}{a} {b} {c}"))
}

/// What one side sends in `m.key.verification.mac`: the MAC of its device
/// key and the MAC of the list of key ids.
struct MacMessage {
    key_id: String,
    key_mac: String,
    keys_mac: String,
}

fn send_macs(from: &Device, to: &Device, sas: &EstablishedSas, txn: &str) -> MacMessage {
    let key_id = from.key_id();
    let key = from.account.ed25519_key().to_base64();
    MacMessage {
        key_mac: sas.calculate_mac(&key, mac_info(from, to, txn, &key_id)).to_base64(),
        keys_mac: sas
            .calculate_mac(&key_id, mac_info(from, to, txn, "KEY_IDS"))
            .to_base64(),
        key_id,
    }
}

/// The receiving side checks both MACs against the key it fetched from the
/// server for that device; only then does it mark the device verified.
fn check_macs(
    message: &MacMessage,
    from: &Device,
    to: &Device,
    sas: &EstablishedSas,
    txn: &str,
    fetched_key: Ed25519PublicKey,
) -> Result<(), Box<dyn std::error::Error>> {
    sas.verify_mac(
        &message.key_id,
        mac_info(from, to, txn, "KEY_IDS"),
        &Mac::from_base64(&message.keys_mac)?,
    )?;
    sas.verify_mac(
        fetched_key.to_base64(),
        mac_info(from, to, txn, &message.key_id),
        &Mac::from_base64(&message.key_mac)?,
    )?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== SAS verification ==");
    let alice = Device::new("@alice:example.org", "ALICEDEVICE");
    let bob = Device::new("@bob:example.org", "BOBDEVICE");
    let txn = "m1700000000000.0";
    println!(
        "0. Alice ({} {}) starts verifying Bob ({} {}), transaction {txn}",
        alice.user_id, alice.device_id, bob.user_id, bob.device_id
    );

    // 1. Each device makes a fresh SAS key pair and sends its public key
    //    (m.key.verification.key). Bob's commitment to his key in
    //    m.key.verification.accept is left out here.
    let alice_sas = Sas::new();
    let bob_sas = Sas::new();
    let (alice_key, bob_key) = (alice_sas.public_key(), bob_sas.public_key());
    println!("1. SAS public keys exchanged");
    println!("   Alice: {alice_key}");
    println!("   Bob:   {bob_key}");

    // 2. Both run X25519.
    let alice_sas = alice_sas.diffie_hellman(bob_key)?;
    let bob_sas = bob_sas.diffie_hellman_with_raw(&alice_key.to_base64())?;
    println!("2. Shared secret established on both sides");

    // 3. Both derive the short authentication string and show it.
    let alice_info = sas_info(
        &alice,
        alice_sas.our_public_key(),
        &bob,
        alice_sas.their_public_key(),
        txn,
    );
    let bob_info = sas_info(&alice, bob_sas.their_public_key(), &bob, bob_sas.our_public_key(), txn);
    println!("3. Short authentication string (info {alice_info})");
    let alice_sees = show("Alice", &alice_sas.bytes(&alice_info))?;
    let bob_sees = show("Bob", &bob_sas.bytes(&bob_info))?;
    if alice_sees != bob_sees {
        return Err("the strings differ: cancel, someone is in the middle".into());
    }
    println!("   Both users confirm the emoji (or numbers) match.");

    // 4. Each side MACs its device key; the other checks it against the key
    //    it fetched from the server.
    let from_alice = send_macs(&alice, &bob, &alice_sas, txn);
    let from_bob = send_macs(&bob, &alice, &bob_sas, txn);
    println!("4. MACs exchanged (m.key.verification.mac)");
    println!("   Alice → Bob: {} {}", from_alice.key_id, from_alice.key_mac);
    println!("   Bob → Alice: {} {}", from_bob.key_id, from_bob.key_mac);
    check_macs(&from_alice, &alice, &bob, &bob_sas, txn, alice.account.ed25519_key())?;
    check_macs(&from_bob, &bob, &alice, &alice_sas, txn, bob.account.ed25519_key())?;
    println!(
        "   Bob verified Alice's {}; Alice verified Bob's {}.",
        alice.key_id(),
        bob.key_id()
    );

    // 5. A key the server swapped in would not match the MAC.
    let impostor = Account::new().ed25519_key();
    let refused = check_macs(&from_alice, &alice, &bob, &bob_sas, txn, impostor).is_err();
    println!("5. A substituted device key is refused: {refused}");
    if !refused {
        return Err("a substituted key was accepted".into());
    }
    Ok(())
}
