//! Targets for the QR-login channels (`olm::ecies`, `olm::hpke`) and for
//! dehydrated devices (`Account::from_dehydrated_device`): every decoder, and
//! decryption on fixed, deterministically established channels.
//!
//! Properties checked besides "no panic":
//! - what decodes re-encodes to something that decodes to the same message,
//!   and vodozemac decodes it to the same parts (it is laxer about short
//!   ciphertexts, never stricter);
//! - a message that fails to decrypt leaves the channel unchanged: the
//!   genuine next message still decrypts afterwards;
//! - a flipped bit in a genuine message is always refused;
//! - a dehydrated device this crate accepts, vodozemac accepts with the same
//!   identity keys, and (up to the 100 one-time keys this crate stores) it
//!   dehydrates again to the same payload; a device only vodozemac accepts
//!   has a fallback flag above 1 or trailing bytes, the two things this
//!   crate reads strictly.

use chacha20poly1305::{
    ChaCha20Poly1305, Nonce,
    aead::{Aead, KeyInit},
};
use olm::{
    base64_decode, base64_encode,
    ecies::{self, Ecies, EstablishedEcies},
    hpke::{self, EstablishedHpkeChannel, HpkeRecipientChannel, HpkeSenderChannel},
    olm::{Account, DehydratedDeviceError},
};

use super::support::{FuzzRng, Input, flip};

/// The key every dehydrated-device input is sealed under.
pub const DEHYDRATION_KEY: [u8; 32] = *b"fuzzing dehydration key, 32 byte";

/// The nonce the harness seals dehydrated payloads with.
const DEHYDRATION_NONCE: [u8; 12] = *b"fuzz nonce!!";

fn as_str(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

// ---------------------------------------------------------------------------
// ECIES

const ECIES_SEED: u64 = 0xEC1E5;

/// A fresh device G, always the same key.
fn ecies_g() -> Ecies {
    Ecies::new_with_rng(&mut FuzzRng::new(ECIES_SEED))
}

/// S's channel, G's channel and S's initial message, always the same.
fn ecies_pair() -> (EstablishedEcies, EstablishedEcies, ecies::InitialMessage) {
    let g = ecies_g();
    let ecies::OutboundCreationResult { ecies: s, message } = Ecies::new_with_rng(&mut FuzzRng::new(ECIES_SEED + 1))
        .establish_outbound_channel(g.public_key(), b"initial")
        .expect("establishes");
    let ecies::InboundCreationResult { ecies: g, .. } = g.establish_inbound_channel(&message).expect("establishes");
    (s, g, message)
}

/// After a refused message, the genuine next one from S still decrypts.
fn ecies_still_in_step(s: &mut EstablishedEcies, g: &mut EstablishedEcies) {
    let genuine = s.encrypt(b"genuine").expect("encrypts");
    assert_eq!(g.decrypt(&genuine).expect("the channel is unchanged"), b"genuine");
}

/// Mode byte, then: 0, a string for both decoders (then establishment and
/// decryption with what decoded); 1, a bit index into a genuine initial
/// message and message; 2, raw ciphertext bytes.
pub fn ecies_message(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8() % 3;
    let (mut s, mut g, initial) = ecies_pair();
    match mode {
        0 => {
            let Some(text) = as_str(input.rest()) else {
                return;
            };
            if let Ok(message) = ecies::InitialMessage::decode(text) {
                assert_eq!(ecies::InitialMessage::decode(&message.encode()).as_ref(), Ok(&message));
                let theirs = vodozemac::ecies::InitialMessage::decode(text).expect("vodozemac decodes it too");
                assert_eq!(theirs.public_key.to_bytes(), message.public_key.to_bytes());
                assert_eq!(theirs.ciphertext, message.ciphertext);
                let established = ecies_g().establish_inbound_channel(&message);
                assert_eq!(
                    established.is_ok(),
                    message == initial,
                    "only the genuine message establishes"
                );
            }
            if let Ok(message) = ecies::Message::decode(text) {
                assert_eq!(ecies::Message::decode(&message.encode()).as_ref(), Ok(&message));
                let theirs = vodozemac::ecies::Message::decode(text).expect("vodozemac decodes it too");
                assert_eq!(theirs.ciphertext, message.ciphertext);
                if g.decrypt(&message).is_err() {
                    ecies_still_in_step(&mut s, &mut g);
                }
            }
        }
        1 => {
            let bit = usize::from(input.u16());
            let mut forged = initial.clone();
            forged.ciphertext = flip(&initial.ciphertext, bit);
            assert!(ecies_g().establish_inbound_channel(&forged).is_err());
            let plaintext = input.rest();
            let message = s.encrypt(plaintext).expect("encrypts");
            let forged = ecies::Message {
                ciphertext: flip(&message.ciphertext, bit),
            };
            assert_eq!(g.decrypt(&forged), Err(ecies::EciesError::Decryption));
            assert_eq!(g.decrypt(&message).as_deref(), Ok(plaintext));
        }
        _ => {
            let bytes = input.rest();
            let message = ecies::Message {
                ciphertext: bytes.to_vec(),
            };
            if g.decrypt(&message).is_err() {
                ecies_still_in_step(&mut s, &mut g);
            }
            if let Some((key, ciphertext)) = bytes.split_first_chunk::<32>() {
                let message = ecies::InitialMessage {
                    public_key: olm::Curve25519PublicKey::from_bytes(*key),
                    ciphertext: ciphertext.to_vec(),
                };
                let _ = ecies_g().establish_inbound_channel(&message);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// HPKE

const HPKE_SEED: u64 = 0x4B9E;

/// A fresh device G, always the same key.
fn hpke_g() -> HpkeRecipientChannel {
    HpkeRecipientChannel::new_with_rng(&mut FuzzRng::new(HPKE_SEED))
}

/// S's channel waiting for the response, always the same, and its initial
/// message.
fn hpke_s() -> (hpke::UnidirectionalSenderChannel, hpke::InitialMessage) {
    let hpke::SenderCreationResult { channel, message } = HpkeSenderChannel::new()
        .establish_channel_with_rng(hpke_g().public_key(), b"initial", b"", &mut FuzzRng::new(HPKE_SEED + 1))
        .expect("establishes");
    (channel, message)
}

/// Both established channels, the initial message and the response.
fn hpke_pair() -> (
    EstablishedHpkeChannel,
    EstablishedHpkeChannel,
    hpke::InitialMessage,
    hpke::InitialResponse,
) {
    let (s, initial) = hpke_s();
    let hpke::RecipientCreationResult { channel: g, .. } = hpke_g().establish_channel(&initial, b"").expect("opens");
    let hpke::BidirectionalCreationResult {
        channel: g,
        message: response,
    } = g
        .establish_bidirectional_channel_with_rng(b"response", b"", &mut FuzzRng::new(HPKE_SEED + 2))
        .expect("seals");
    let hpke::BidirectionalCreationResult { channel: s, .. } =
        s.establish_bidirectional_channel(&response, b"").expect("opens");
    (s, g, initial, response)
}

fn hpke_still_in_step(s: &mut EstablishedHpkeChannel, g: &mut EstablishedHpkeChannel) {
    let genuine = s.seal(b"genuine", b"aad").expect("seals");
    assert_eq!(g.open(&genuine, b"aad").expect("the channel is unchanged"), b"genuine");
}

/// Mode byte, then: 0, a string for the three decoders (then establishment
/// and opening with what decoded); 1, raw bytes for `from_bytes`; 2, a bit
/// index into genuine messages of each kind.
pub fn hpke_message(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8() % 3;
    let (mut s, mut g, initial, response) = hpke_pair();
    match mode {
        0 => {
            let Some(text) = as_str(input.rest()) else {
                return;
            };
            if let Ok(message) = hpke::InitialMessage::decode(text) {
                assert_eq!(hpke::InitialMessage::decode(&message.encode()).as_ref(), Ok(&message));
                let theirs = vodozemac::hpke::InitialMessage::decode(text).expect("vodozemac decodes it too");
                assert_eq!(theirs.to_bytes(), message.to_bytes());
                let established = hpke_g().establish_channel(&message, b"");
                assert_eq!(
                    established.is_ok(),
                    message == initial,
                    "only the genuine message establishes"
                );
            }
            if let Ok(message) = hpke::InitialResponse::decode(text) {
                assert_eq!(hpke::InitialResponse::decode(&message.encode()).as_ref(), Ok(&message));
                let theirs = vodozemac::hpke::InitialResponse::decode(text).expect("vodozemac decodes it too");
                assert_eq!(theirs.to_bytes(), message.to_bytes());
                let established = hpke_s().0.establish_bidirectional_channel(&message, b"");
                assert_eq!(
                    established.is_ok(),
                    message == response,
                    "only the genuine response establishes"
                );
            }
            if let Ok(message) = hpke::Message::decode(text) {
                assert_eq!(hpke::Message::decode(&message.encode()).as_ref(), Ok(&message));
                let theirs = vodozemac::hpke::Message::decode(text).expect("vodozemac decodes it too");
                assert_eq!(theirs.ciphertext, message.ciphertext);
                if g.open(&message, b"aad").is_err() {
                    hpke_still_in_step(&mut s, &mut g);
                }
            }
        }
        1 => {
            let bytes = input.rest();
            if let Ok(message) = hpke::InitialMessage::from_bytes(bytes) {
                assert_eq!(message.to_bytes(), bytes);
                let _ = hpke_g().establish_channel(&message, b"");
            }
            if let Ok(message) = hpke::InitialResponse::from_bytes(bytes) {
                assert_eq!(message.to_bytes(), bytes);
                let _ = hpke_s().0.establish_bidirectional_channel(&message, b"");
            }
            let message = hpke::Message {
                ciphertext: bytes.to_vec(),
            };
            if s.open(&message, b"").is_err() {
                let genuine = g.seal(b"back", b"").expect("seals");
                assert_eq!(s.open(&genuine, b"").expect("the channel is unchanged"), b"back");
            }
        }
        _ => {
            let bit = usize::from(input.u16());
            let forged = hpke::InitialMessage::from_bytes(&flip(&initial.to_bytes(), bit)).expect("same length");
            assert!(hpke_g().establish_channel(&forged, b"").is_err());
            let forged = hpke::InitialResponse::from_bytes(&flip(&response.to_bytes(), bit)).expect("same length");
            assert!(hpke_s().0.establish_bidirectional_channel(&forged, b"").is_err());
            let plaintext = input.rest();
            let message = s.seal(plaintext, b"aad").expect("seals");
            let forged = hpke::Message {
                ciphertext: flip(&message.ciphertext, bit),
            };
            assert_eq!(g.open(&forged, b"aad"), Err(hpke::HpkeError::Decryption));
            assert_eq!(g.open(&message, b"other aad"), Err(hpke::HpkeError::Decryption));
            assert_eq!(g.open(&message, b"aad").as_deref(), Ok(plaintext));
        }
    }
}

// ---------------------------------------------------------------------------
// Dehydrated devices

/// Seals a payload as a dehydrated device under the fuzzing key.
pub fn seal_dehydrated(payload: &[u8]) -> (String, String) {
    let ciphertext = ChaCha20Poly1305::new((&DEHYDRATION_KEY).into())
        .encrypt(&Nonce::from(DEHYDRATION_NONCE), payload)
        .expect("encrypts");
    (base64_encode(ciphertext), base64_encode(DEHYDRATION_NONCE))
}

fn open_dehydrated(ciphertext: &str, nonce: &str) -> Vec<u8> {
    let nonce: [u8; 12] = base64_decode(nonce).expect("base64").try_into().expect("12 bytes");
    ChaCha20Poly1305::new((&DEHYDRATION_KEY).into())
        .decrypt(
            &Nonce::from(nonce),
            base64_decode(ciphertext).expect("base64").as_slice(),
        )
        .expect("decrypts")
}

/// Checks an account restored from `payload` against vodozemac's reading of
/// the same device.
fn compare_with_vodozemac(ours: Result<Account, DehydratedDeviceError>, ciphertext: &str, nonce: &str, payload: &[u8]) {
    let theirs = vodozemac::olm::Account::from_dehydrated_device(ciphertext, nonce, &DEHYDRATION_KEY);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours.curve25519_key().to_bytes(), theirs.curve25519_key().to_bytes());
            assert_eq!(ours.ed25519_key().to_base64(), theirs.ed25519_key().to_base64());
            let count = payload
                .get(68..72)
                .map(|b| u32::from_be_bytes(b.try_into().expect("4 bytes")))
                .expect("an accepted payload holds a count");
            if count <= 100 {
                let again = ours
                    .to_dehydrated_device_with_rng(&DEHYDRATION_KEY, &mut FuzzRng::new(1))
                    .expect("dehydrates");
                assert_eq!(open_dehydrated(&again.ciphertext, &again.nonce), payload);
            }
        }
        (Ok(_), Err(e)) => panic!("vodozemac refuses a device this crate accepts: {e:?}"),
        (Err(e), Ok(_)) => assert!(
            matches!(
                e,
                DehydratedDeviceError::Invalid(_) | DehydratedDeviceError::TrailingData(_)
            ),
            "vodozemac accepts a device this crate refuses with {e:?}"
        ),
        (Err(_), Err(_)) => {}
    }
}

/// Mode byte, then: even, a little-endian `u16` splitting the rest into the
/// ciphertext and nonce strings; odd, a payload the harness seals under the
/// fuzzing key, so the reader sees arbitrary authenticated contents.
pub fn dehydrated_device(data: &[u8]) {
    let mut input = Input::new(data);
    if input.u8().is_multiple_of(2) {
        let split = usize::from(input.u16());
        let rest = input.rest();
        let (ciphertext, nonce) = rest.split_at(split.min(rest.len()));
        let (Some(ciphertext), Some(nonce)) = (as_str(ciphertext), as_str(nonce)) else {
            return;
        };
        if let Ok(account) = Account::from_dehydrated_device(ciphertext, nonce, &DEHYDRATION_KEY) {
            let payload = open_dehydrated(ciphertext, nonce);
            compare_with_vodozemac(Ok(account), ciphertext, nonce, &payload);
        }
    } else {
        let payload = input.rest();
        let (ciphertext, nonce) = seal_dehydrated(payload);
        let ours = Account::from_dehydrated_device(&ciphertext, &nonce, &DEHYDRATION_KEY);
        compare_with_vodozemac(ours, &ciphertext, &nonce, payload);
    }
}

// ---------------------------------------------------------------------------
// Seeds

/// Genuine inputs for the three targets.
pub fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, name: &str, bytes: Vec<u8>| out.push((target, format!("seed-{name}"), bytes));
    let with_mode = |mode: u8, rest: &[u8]| [&[mode][..], rest].concat();

    let (mut s, _, initial) = ecies_pair();
    add("ecies_message", "initial", with_mode(0, initial.encode().as_bytes()));
    let next = s.encrypt(b"genuine").expect("encrypts");
    add("ecies_message", "message", with_mode(0, next.encode().as_bytes()));
    add("ecies_message", "flip", with_mode(1, &[7, 0, b'h', b'i']));
    add("ecies_message", "raw", with_mode(2, &initial.ciphertext));

    let (mut s, _, initial, response) = hpke_pair();
    add("hpke_message", "initial", with_mode(0, initial.encode().as_bytes()));
    add("hpke_message", "response", with_mode(0, response.encode().as_bytes()));
    let next = s.seal(b"genuine", b"aad").expect("seals");
    add("hpke_message", "message", with_mode(0, next.encode().as_bytes()));
    add("hpke_message", "initial-bytes", with_mode(1, &initial.to_bytes()));
    add("hpke_message", "flip", with_mode(2, &[9, 1, b'h', b'i']));

    let mut rng = FuzzRng::new(0xDE4D);
    for (count, fallback) in [(0, false), (3, true)] {
        let mut account = Account::new_with_rng(&mut rng);
        account.generate_one_time_keys_with_rng(count, &mut rng);
        if fallback {
            account.generate_fallback_key_with_rng(&mut rng);
        }
        let device = account
            .to_dehydrated_device_with_rng(&DEHYDRATION_KEY, &mut rng)
            .expect("dehydrates");
        let payload = open_dehydrated(&device.ciphertext, &device.nonce);
        let strings = [device.ciphertext.as_bytes(), device.nonce.as_bytes()].concat();
        let split = u16::try_from(device.ciphertext.len()).expect("short").to_le_bytes();
        let name = format!("{count}-keys{}", if fallback { "-fallback" } else { "" });
        add(
            "dehydrated_device",
            &format!("strings-{name}"),
            [&[0][..], &split, &strings].concat(),
        );
        add("dehydrated_device", &format!("payload-{name}"), with_mode(1, &payload));
    }
    out
}
