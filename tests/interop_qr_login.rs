//! QR-code login channels (MSC4108) between this crate and vodozemac 0.11.1,
//! in both directions: ECIES and HPKE.
//!
//! Each exchange runs over the string encodings only, as it would over a
//! rendezvous server: establishment with either crate on either side, equal
//! check codes (bytes and both digit modes), several messages each way, a
//! tampered message refused by both crates, non-default info prefixes, and
//! low-order keys refused by both. Where the crates differ on purpose (after
//! a failed decryption this crate still accepts the genuine message, while
//! vodozemac has consumed its nonce), the test pins both behaviours.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::{Curve25519PublicKey, ecies, hpke};
use rand::{SeedableRng, rngs::StdRng};
use vodozemac::{ecies as vz_ecies, hpke as vz_hpke};

fn to_vz(key: Curve25519PublicKey) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(key.to_bytes())
}

fn from_vz(key: vodozemac::Curve25519PublicKey) -> Curve25519PublicKey {
    Curve25519PublicKey::from_bytes(key.to_bytes())
}

/// Flips one bit in the middle of a base64 string's decoded bytes.
fn tamper(encoded: &str) -> String {
    let mut bytes = olm::base64_decode(encoded).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    olm::base64_encode(bytes)
}

fn same_check_code(ours: &ecies::CheckCode, theirs: &vz_ecies::CheckCode) {
    assert_eq!(ours.as_bytes(), theirs.as_bytes());
    assert_eq!(
        ours.to_digit(ecies::DigitMode::AllowLeadingZero),
        theirs.to_digit(vz_ecies::DigitMode::AllowLeadingZero)
    );
    assert_eq!(
        ours.to_digit(ecies::DigitMode::NoLeadingZero),
        theirs.to_digit(vz_ecies::DigitMode::NoLeadingZero)
    );
}

// ---------------------------------------------------------------------------
// ECIES

/// G (QR code) is this crate, S (scanner) is vodozemac.
#[test]
fn ecies_ours_shows_the_qr_code() {
    for prefix in [None, Some("SOME_OTHER_APP")] {
        let mut rng = StdRng::seed_from_u64(1);
        let g = match prefix {
            None => ecies::Ecies::new_with_rng(&mut rng),
            Some(p) => ecies::Ecies::with_info_and_rng(p, &mut rng),
        };
        let s = match prefix {
            None => vz_ecies::Ecies::new(),
            Some(p) => vz_ecies::Ecies::with_info(p),
        };
        let vz_ecies::OutboundCreationResult { ecies: mut s, message } = s
            .establish_outbound_channel(to_vz(g.public_key()), b"login please")
            .unwrap();
        let initial = message.encode();

        let ecies::InboundCreationResult { ecies: mut g, message } = g
            .establish_inbound_channel(&ecies::InitialMessage::decode(&initial).unwrap())
            .unwrap();
        assert_eq!(message, b"login please");
        same_check_code(g.check_code(), s.check_code());
        assert_eq!(g.their_public_key(), from_vz(s.public_key()));

        for i in 0..4u8 {
            let to_s = g.encrypt(&[i; 20]).unwrap().encode();
            assert_eq!(s.decrypt(&vz_ecies::Message::decode(&to_s).unwrap()).unwrap(), [i; 20]);
            let to_g = s.encrypt(&[i + 100; 7]).encode();
            assert_eq!(
                g.decrypt(&ecies::Message::decode(&to_g).unwrap()).unwrap(),
                [i + 100; 7]
            );
        }

        // A tampered message from vodozemac: refused here, and the genuine
        // one still decrypts afterwards.
        let genuine = s.encrypt(b"genuine").encode();
        let forged = ecies::Message::decode(&tamper(&genuine)).unwrap();
        assert_eq!(g.decrypt(&forged), Err(ecies::EciesError::Decryption));
        assert_eq!(
            g.decrypt(&ecies::Message::decode(&genuine).unwrap()).unwrap(),
            b"genuine"
        );

        // A tampered message from us: vodozemac refuses it too, and having
        // consumed that nonce, it then refuses the genuine message as well.
        let genuine = g.encrypt(b"genuine").unwrap().encode();
        let forged = vz_ecies::Message::decode(&tamper(&genuine)).unwrap();
        assert!(s.decrypt(&forged).is_err());
        assert!(s.decrypt(&vz_ecies::Message::decode(&genuine).unwrap()).is_err());
    }
}

/// G (QR code) is vodozemac, S (scanner) is this crate.
#[test]
fn ecies_ours_scans_the_qr_code() {
    for prefix in [None, Some("SOME_OTHER_APP")] {
        let mut rng = StdRng::seed_from_u64(2);
        let g = match prefix {
            None => vz_ecies::Ecies::new(),
            Some(p) => vz_ecies::Ecies::with_info(p),
        };
        let s = match prefix {
            None => ecies::Ecies::new_with_rng(&mut rng),
            Some(p) => ecies::Ecies::with_info_and_rng(p, &mut rng),
        };
        let qr_key = from_vz(g.public_key());
        let ecies::OutboundCreationResult { ecies: mut s, message } =
            s.establish_outbound_channel(qr_key, b"login please").unwrap();
        let initial = message.encode();

        let vz_ecies::InboundCreationResult { ecies: mut g, message } = g
            .establish_inbound_channel(&vz_ecies::InitialMessage::decode(&initial).unwrap())
            .unwrap();
        assert_eq!(message, b"login please");
        same_check_code(s.check_code(), g.check_code());

        for i in 0..4u8 {
            let to_g = s.encrypt(&[i; 33]).unwrap().encode();
            assert_eq!(g.decrypt(&vz_ecies::Message::decode(&to_g).unwrap()).unwrap(), [i; 33]);
            let to_s = g.encrypt(&[]).encode();
            assert_eq!(s.decrypt(&ecies::Message::decode(&to_s).unwrap()).unwrap(), b"");
        }

        let genuine = g.encrypt(b"genuine").encode();
        let forged = ecies::Message::decode(&tamper(&genuine)).unwrap();
        assert_eq!(s.decrypt(&forged), Err(ecies::EciesError::Decryption));
        assert_eq!(
            s.decrypt(&ecies::Message::decode(&genuine).unwrap()).unwrap(),
            b"genuine"
        );

        let forged = vz_ecies::Message::decode(&tamper(&s.encrypt(b"genuine").unwrap().encode())).unwrap();
        assert!(g.decrypt(&forged).is_err());
    }
}

#[test]
fn ecies_tampered_initial_messages() {
    let mut rng = StdRng::seed_from_u64(3);
    // Ours to vodozemac: an altered ciphertext, and another public key.
    for alter_key in [false, true] {
        let g = vz_ecies::Ecies::new();
        let ecies::OutboundCreationResult { message, .. } = ecies::Ecies::new_with_rng(&mut rng)
            .establish_outbound_channel(from_vz(g.public_key()), b"hello")
            .unwrap();
        let mut message = vz_ecies::InitialMessage::decode(&message.encode()).unwrap();
        if alter_key {
            message.public_key = vz_ecies::Ecies::new().public_key();
        } else {
            message.ciphertext[0] ^= 1;
        }
        assert!(g.establish_inbound_channel(&message).is_err());
    }
    // Vodozemac's to ours.
    for alter_key in [false, true] {
        let g = ecies::Ecies::new_with_rng(&mut rng);
        let vz_ecies::OutboundCreationResult { message, .. } = vz_ecies::Ecies::new()
            .establish_outbound_channel(to_vz(g.public_key()), b"hello")
            .unwrap();
        let mut message = ecies::InitialMessage::decode(&message.encode()).unwrap();
        if alter_key {
            message.public_key = ecies::Ecies::new_with_rng(&mut rng).public_key();
        } else {
            message.ciphertext[0] ^= 1;
        }
        assert_eq!(
            g.establish_inbound_channel(&message).unwrap_err(),
            ecies::EciesError::Decryption
        );
    }
}

#[test]
fn ecies_low_order_keys_refused_by_both() {
    let zero = Curve25519PublicKey::from_bytes([0; 32]);
    assert_eq!(
        ecies::Ecies::new().establish_outbound_channel(zero, b"").unwrap_err(),
        ecies::EciesError::NonContributoryKey
    );
    assert!(
        vz_ecies::Ecies::new()
            .establish_outbound_channel(to_vz(zero), b"")
            .is_err()
    );
}

// ---------------------------------------------------------------------------
// HPKE

/// G (QR code, HPKE recipient) is this crate, S (sender) is vodozemac.
#[test]
fn hpke_ours_shows_the_qr_code() {
    for prefix in [None, Some("SOME_OTHER_APP")] {
        let mut rng = StdRng::seed_from_u64(4);
        let g = match prefix {
            None => hpke::HpkeRecipientChannel::new_with_rng(&mut rng),
            Some(p) => hpke::HpkeRecipientChannel::with_info_and_rng(p, &mut rng),
        };
        let s = match prefix {
            None => vz_hpke::HpkeSenderChannel::new(),
            Some(p) => vz_hpke::HpkeSenderChannel::with_info(p),
        };
        let vz_hpke::SenderCreationResult { channel: s, message } = s
            .establish_channel(to_vz(g.public_key()), b"login please", b"initial aad")
            .unwrap();
        let hpke::RecipientCreationResult { channel: g, message } = g
            .establish_channel(
                &hpke::InitialMessage::decode(&message.encode()).unwrap(),
                b"initial aad",
            )
            .unwrap();
        assert_eq!(message, b"login please");
        let hpke::BidirectionalCreationResult {
            channel: mut g,
            message: response,
        } = g
            .establish_bidirectional_channel_with_rng(b"who are you?", b"response aad", &mut rng)
            .unwrap();
        let vz_hpke::BidirectionalCreationResult {
            channel: mut s,
            message,
        } = s
            .establish_bidirectional_channel(
                &vz_hpke::InitialResponse::decode(&response.encode()).unwrap(),
                b"response aad",
            )
            .unwrap();
        assert_eq!(message, b"who are you?");
        same_check_code(g.check_code(), s.check_code());
        assert_eq!(g.their_public_key(), from_vz(s.public_key()));

        for i in 0..4u8 {
            let aad = [i; 5];
            let to_s = g.seal(&[i; 20], &aad).unwrap().encode();
            assert_eq!(
                s.open(&vz_hpke::Message::decode(&to_s).unwrap(), &aad).unwrap(),
                [i; 20]
            );
            let to_g = s.seal(&[i + 1; 9], b"").encode();
            assert_eq!(g.open(&hpke::Message::decode(&to_g).unwrap(), b"").unwrap(), [i + 1; 9]);
        }

        // Tampered, or with other associated data: refused by both; neither
        // crate's HPKE context moves on, so the genuine message still opens.
        let genuine = s.seal(b"genuine", b"aad").encode();
        let forged = hpke::Message::decode(&tamper(&genuine)).unwrap();
        assert_eq!(g.open(&forged, b"aad"), Err(hpke::HpkeError::Decryption));
        let genuine = hpke::Message::decode(&genuine).unwrap();
        assert_eq!(g.open(&genuine, b"other"), Err(hpke::HpkeError::Decryption));
        assert_eq!(g.open(&genuine, b"aad").unwrap(), b"genuine");

        let genuine = g.seal(b"genuine", b"aad").unwrap().encode();
        let forged = vz_hpke::Message::decode(&tamper(&genuine)).unwrap();
        assert!(s.open(&forged, b"aad").is_err());
        assert_eq!(
            s.open(&vz_hpke::Message::decode(&genuine).unwrap(), b"aad").unwrap(),
            b"genuine"
        );
    }
}

/// G (QR code, HPKE recipient) is vodozemac, S (sender) is this crate.
#[test]
fn hpke_ours_scans_the_qr_code() {
    for prefix in [None, Some("SOME_OTHER_APP")] {
        let mut rng = StdRng::seed_from_u64(5);
        let g = match prefix {
            None => vz_hpke::HpkeRecipientChannel::new(),
            Some(p) => vz_hpke::HpkeRecipientChannel::with_info(p),
        };
        let s = match prefix {
            None => hpke::HpkeSenderChannel::new(),
            Some(p) => hpke::HpkeSenderChannel::with_info(p),
        };
        let hpke::SenderCreationResult { channel: s, message } = s
            .establish_channel_with_rng(from_vz(g.public_key()), b"login please", b"", &mut rng)
            .unwrap();
        let vz_hpke::RecipientCreationResult { channel: g, message } = g
            .establish_channel(&vz_hpke::InitialMessage::decode(&message.encode()).unwrap(), b"")
            .unwrap();
        assert_eq!(message, b"login please");
        let vz_hpke::BidirectionalCreationResult {
            channel: mut g,
            message: response,
        } = g.establish_bidirectional_channel(b"who are you?", b"x");
        let hpke::BidirectionalCreationResult {
            channel: mut s,
            message,
        } = s
            .establish_bidirectional_channel(&hpke::InitialResponse::decode(&response.encode()).unwrap(), b"x")
            .unwrap();
        assert_eq!(message, b"who are you?");
        same_check_code(s.check_code(), g.check_code());

        for i in 0..4u8 {
            let to_g = s.seal(&[i; 64], &[i]).unwrap().encode();
            assert_eq!(
                g.open(&vz_hpke::Message::decode(&to_g).unwrap(), &[i]).unwrap(),
                [i; 64]
            );
            let to_s = g.seal(b"", &[i]).encode();
            assert_eq!(s.open(&hpke::Message::decode(&to_s).unwrap(), &[i]).unwrap(), b"");
        }

        let genuine = g.seal(b"genuine", b"").encode();
        let forged = hpke::Message::decode(&tamper(&genuine)).unwrap();
        assert_eq!(s.open(&forged, b""), Err(hpke::HpkeError::Decryption));
        assert_eq!(
            s.open(&hpke::Message::decode(&genuine).unwrap(), b"").unwrap(),
            b"genuine"
        );

        let genuine = s.seal(b"genuine", b"").unwrap().encode();
        let forged = vz_hpke::Message::decode(&tamper(&genuine)).unwrap();
        assert!(g.open(&forged, b"").is_err());
        assert_eq!(
            g.open(&vz_hpke::Message::decode(&genuine).unwrap(), b"").unwrap(),
            b"genuine"
        );
    }
}

#[test]
fn hpke_tampered_establishment() {
    let mut rng = StdRng::seed_from_u64(6);
    // Our initial message, altered, refused by vodozemac.
    let g = vz_hpke::HpkeRecipientChannel::new();
    let hpke::SenderCreationResult { message, .. } = hpke::HpkeSenderChannel::new()
        .establish_channel_with_rng(from_vz(g.public_key()), b"hi", b"", &mut rng)
        .unwrap();
    let forged = vz_hpke::InitialMessage::decode(&tamper(&message.encode())).unwrap();
    assert!(g.establish_channel(&forged, b"").is_err());

    // Vodozemac's initial message, altered, refused here.
    let g = hpke::HpkeRecipientChannel::new_with_rng(&mut rng);
    let vz_hpke::SenderCreationResult { message, .. } = vz_hpke::HpkeSenderChannel::new()
        .establish_channel(to_vz(g.public_key()), b"hi", b"")
        .unwrap();
    let forged = hpke::InitialMessage::decode(&tamper(&message.encode())).unwrap();
    assert_eq!(
        g.establish_channel(&forged, b"").unwrap_err(),
        hpke::HpkeError::Decryption
    );

    // Our response, altered, refused by vodozemac.
    let g = hpke::HpkeRecipientChannel::new_with_rng(&mut rng);
    let vz_hpke::SenderCreationResult { channel: s, message } = vz_hpke::HpkeSenderChannel::new()
        .establish_channel(to_vz(g.public_key()), b"hi", b"")
        .unwrap();
    let hpke::RecipientCreationResult { channel: g, .. } = g
        .establish_channel(&hpke::InitialMessage::decode(&message.encode()).unwrap(), b"")
        .unwrap();
    let hpke::BidirectionalCreationResult { message: response, .. } = g
        .establish_bidirectional_channel_with_rng(b"back", b"", &mut rng)
        .unwrap();
    let forged = vz_hpke::InitialResponse::decode(&tamper(&response.encode())).unwrap();
    assert!(s.establish_bidirectional_channel(&forged, b"").is_err());

    // Vodozemac's response, altered, refused here.
    let g = vz_hpke::HpkeRecipientChannel::new();
    let hpke::SenderCreationResult { channel: s, message } = hpke::HpkeSenderChannel::new()
        .establish_channel_with_rng(from_vz(g.public_key()), b"hi", b"", &mut rng)
        .unwrap();
    let vz_hpke::RecipientCreationResult { channel: g, .. } = g
        .establish_channel(&vz_hpke::InitialMessage::decode(&message.encode()).unwrap(), b"")
        .unwrap();
    let vz_hpke::BidirectionalCreationResult { message: response, .. } =
        g.establish_bidirectional_channel(b"back", b"");
    let forged = hpke::InitialResponse::decode(&tamper(&response.encode())).unwrap();
    assert_eq!(
        s.establish_bidirectional_channel(&forged, b"").unwrap_err(),
        hpke::HpkeError::Decryption
    );
}

#[test]
fn hpke_messages_decode_alike() {
    // What either crate encodes, the other decodes to the same parts.
    let mut rng = StdRng::seed_from_u64(7);
    let g = vz_hpke::HpkeRecipientChannel::new();
    let hpke::SenderCreationResult { message, .. } = hpke::HpkeSenderChannel::new()
        .establish_channel_with_rng(from_vz(g.public_key()), b"hi", b"", &mut rng)
        .unwrap();
    let theirs = vz_hpke::InitialMessage::decode(&message.encode()).unwrap();
    assert_eq!(from_vz(theirs.encapsulated_key), message.encapsulated_key);
    assert_eq!(theirs.ciphertext, message.ciphertext);
    assert_eq!(theirs.encode(), message.encode());
    assert_eq!(theirs.to_bytes(), message.to_bytes());
}
