//! Logging in a new device by QR code (MSC4108 / MSC4388), both sides in one
//! process: the new device shows a QR code with its ephemeral public key,
//! the existing device scans it and opens an encrypted channel, the users
//! compare the check code, and the two devices exchange a few messages.
//!
//! The channel runs first over HPKE (`olm::hpke`, what MSC4388 specifies),
//! then over the older ECIES construction (`olm::ecies`, the first version
//! of MSC4108). The rendezvous server in between is a mailbox of strings:
//! everything crosses it in the encoded form a real client would send.
//! The message bodies are illustrative, not the exact MSC4108 events.
//!
//! Run with `cargo run --example qr_login`.

use std::collections::VecDeque;

use olm::{ecies, hpke};

/// The rendezvous server: it only ever sees the encoded messages.
#[derive(Default)]
struct Rendezvous {
    to_new_device: VecDeque<String>,
    to_existing_device: VecDeque<String>,
}

impl Rendezvous {
    fn send_to_new(&mut self, message: String) {
        println!("    rendezvous -> new device      : {}", shorten(&message));
        self.to_new_device.push_back(message);
    }

    fn send_to_existing(&mut self, message: String) {
        println!("    rendezvous -> existing device : {}", shorten(&message));
        self.to_existing_device.push_back(message);
    }

    fn receive_new(&mut self) -> String {
        self.to_new_device.pop_front().unwrap_or_default()
    }

    fn receive_existing(&mut self) -> String {
        self.to_existing_device.pop_front().unwrap_or_default()
    }
}

fn shorten(message: &str) -> String {
    if message.len() > 48 {
        format!(
            "{}… ({} characters)",
            message.get(..48).unwrap_or(message),
            message.len()
        )
    } else {
        message.to_owned()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    hpke_login()?;
    println!();
    ecies_login()?;
    Ok(())
}

/// MSC4388: the new device is the HPKE recipient (device G), the existing
/// device the sender (device S).
fn hpke_login() -> Result<(), Box<dyn std::error::Error>> {
    println!("== QR login over HPKE (MSC4388) ==");
    let mut server = Rendezvous::default();

    // 1. The new device makes an ephemeral key and shows it in a QR code,
    //    with the rendezvous address (the address here is made up).
    let new_device = hpke::HpkeRecipientChannel::new();
    let qr_key = new_device.public_key().to_base64();
    println!("new device shows QR code   : key {qr_key}, rendezvous https://rendezvous.example/abc");

    // 2. The existing device scans it and opens the channel with its first
    //    message.
    let scanned = olm::Curve25519PublicKey::from_base64(&qr_key)?;
    let hpke::SenderCreationResult {
        channel: existing_device,
        message,
    } = hpke::HpkeSenderChannel::new().establish_channel(
        scanned,
        br#"{"type":"m.login.protocols","protocols":["device_authorization_grant"]}"#,
        b"",
    )?;
    println!("existing device scans it and sends its initial message");
    server.send_to_new(message.encode());

    // 3. The new device opens it and answers, which completes the channel.
    let hpke::RecipientCreationResult {
        channel: new_device,
        message,
    } = new_device.establish_channel(&hpke::InitialMessage::decode(&server.receive_new())?, b"")?;
    println!("new device reads           : {}", String::from_utf8_lossy(&message));
    // Each step checks what it prints, so a wrong result fails the run.
    assert_eq!(
        message,
        br#"{"type":"m.login.protocols","protocols":["device_authorization_grant"]}"#
    );
    let hpke::BidirectionalCreationResult {
        channel: mut new_device,
        message: response,
    } = new_device.establish_bidirectional_channel(
        br#"{"type":"m.login.protocol","protocol":"device_authorization_grant"}"#,
        b"",
    )?;
    server.send_to_existing(response.encode());

    let hpke::BidirectionalCreationResult {
        channel: mut existing_device,
        message,
    } = existing_device
        .establish_bidirectional_channel(&hpke::InitialResponse::decode(&server.receive_existing())?, b"")?;
    println!("existing device reads      : {}", String::from_utf8_lossy(&message));
    assert_eq!(
        message,
        br#"{"type":"m.login.protocol","protocol":"device_authorization_grant"}"#
    );

    // 4. The existing device shows the check code; the user types it on the
    //    new device, which compares it with its own.
    let shown = existing_device.check_code().to_digit(hpke::DigitMode::NoLeadingZero);
    let typed = new_device.check_code().to_digit(hpke::DigitMode::NoLeadingZero);
    println!("check code                 : existing device shows {shown:02}, new device expects {typed:02}");
    if shown != typed {
        return Err("the check codes differ: someone is in the middle, abandon the login".into());
    }
    println!("check codes match: the channel is secure");

    // 5. A few messages each way, each bound to associated data.
    let exchange: [(&str, &[u8]); 3] = [
        ("existing", br#"{"type":"m.login.success"}"#),
        ("new", br#"{"type":"m.login.secrets","cross_signing":"..."}"#),
        ("existing", br#"{"type":"m.login.secrets_received"}"#),
    ];
    for (i, (from, text)) in exchange.into_iter().enumerate() {
        let aad = format!("message {i}");
        if from == "existing" {
            server.send_to_new(existing_device.seal(text, aad.as_bytes())?.encode());
            let plaintext = new_device.open(&hpke::Message::decode(&server.receive_new())?, aad.as_bytes())?;
            println!("new device reads           : {}", String::from_utf8_lossy(&plaintext));
            assert_eq!(plaintext, text);
        } else {
            server.send_to_existing(new_device.seal(text, aad.as_bytes())?.encode());
            let plaintext =
                existing_device.open(&hpke::Message::decode(&server.receive_existing())?, aad.as_bytes())?;
            println!("existing device reads      : {}", String::from_utf8_lossy(&plaintext));
            assert_eq!(plaintext, text);
        }
    }

    // A message altered by the server is refused, and the channel still
    // accepts the genuine one afterwards.
    let genuine = existing_device.seal(b"one more", b"")?;
    let mut forged = genuine.clone();
    if let Some(byte) = forged.ciphertext.first_mut() {
        *byte ^= 1;
    }
    let altered = new_device.open(&forged, b"");
    println!(
        "an altered message         : {}",
        altered.as_ref().map_or_else(|e| e.to_string(), |_| "accepted?!".into())
    );
    assert!(altered.is_err(), "an altered message is refused");
    let opened = new_device.open(&genuine, b"")?;
    println!("the genuine one            : {}", String::from_utf8_lossy(&opened));
    assert_eq!(opened, b"one more");
    Ok(())
}

/// The first version of MSC4108: the new device is device G (its key is in
/// the QR code), the existing device is device S.
fn ecies_login() -> Result<(), Box<dyn std::error::Error>> {
    println!("== QR login over ECIES (MSC4108, first version) ==");
    let mut server = Rendezvous::default();

    let new_device = ecies::Ecies::new();
    let qr_key = new_device.public_key().to_base64();
    println!("new device shows QR code   : key {qr_key}");

    let ecies::OutboundCreationResult {
        ecies: mut existing_device,
        message,
    } = ecies::Ecies::new().establish_outbound_channel(
        olm::Curve25519PublicKey::from_base64(&qr_key)?,
        br#"{"type":"m.login.protocols"}"#,
    )?;
    server.send_to_new(message.encode());

    let ecies::InboundCreationResult {
        ecies: mut new_device,
        message,
    } = new_device.establish_inbound_channel(&ecies::InitialMessage::decode(&server.receive_new())?)?;
    println!("new device reads           : {}", String::from_utf8_lossy(&message));
    assert_eq!(message, br#"{"type":"m.login.protocols"}"#);

    let shown = existing_device
        .check_code()
        .to_digit(ecies::DigitMode::AllowLeadingZero);
    let typed = new_device.check_code().to_digit(ecies::DigitMode::AllowLeadingZero);
    println!("check code                 : existing device shows {shown:02}, new device expects {typed:02}");
    if existing_device.check_code() != new_device.check_code() {
        return Err("the check codes differ: someone is in the middle, abandon the login".into());
    }

    for i in 0..2 {
        server.send_to_existing(
            new_device
                .encrypt(format!("new device, message {i}").as_bytes())?
                .encode(),
        );
        let plaintext = existing_device.decrypt(&ecies::Message::decode(&server.receive_existing())?)?;
        println!("existing device reads      : {}", String::from_utf8_lossy(&plaintext));
        assert_eq!(plaintext, format!("new device, message {i}").as_bytes());
        server.send_to_new(
            existing_device
                .encrypt(format!("existing device, message {i}").as_bytes())?
                .encode(),
        );
        let plaintext = new_device.decrypt(&ecies::Message::decode(&server.receive_new())?)?;
        println!("new device reads           : {}", String::from_utf8_lossy(&plaintext));
        assert_eq!(plaintext, format!("existing device, message {i}").as_bytes());
    }
    Ok(())
}
