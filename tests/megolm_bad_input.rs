//! Malformed Megolm input: every decoder and `decrypt` meet truncated,
//! bit-flipped, wrong-version and random bytes, and must answer with a typed
//! error, never a panic, leaving the session as it was. Truncations and bit
//! flips run on messages of both variants (Megolm v2: version 4, 32-byte
//! MAC); a session given the other variant's messages refuses them by the
//! MAC's length.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::{
    DecodeError,
    megolm::{
        DecryptionError, ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig,
        SessionKey, SessionKeyDecodeError,
    },
};
use proptest::prelude::*;

fn config() -> SessionConfig {
    SessionConfig::version_1()
}

struct Fixture {
    key: SessionKey,
    messages: Vec<MegolmMessage>,
    plaintexts: Vec<Vec<u8>>,
}

fn fixture() -> Fixture {
    fixture_of(config())
}

/// A sender of the variant `config`, its key and four messages.
fn fixture_of(config: SessionConfig) -> Fixture {
    let mut outbound = GroupSession::new(config);
    let key = outbound.session_key();
    let plaintexts: Vec<Vec<u8>> = (0..4).map(|i| vec![b'a' + i; 20 * usize::from(i)]).collect();
    let messages = plaintexts.iter().map(|p| outbound.encrypt(p)).collect();
    Fixture {
        key,
        messages,
        plaintexts,
    }
}

/// What an outside observer can see of a session: its first index, its
/// export there and where it decrypts to.
fn snapshot(session: &InboundGroupSession) -> (u32, Vec<u8>, Vec<u8>) {
    (
        session.first_known_index(),
        session.export_at_first_known_index().to_bytes().to_vec(),
        session.export_at(3).map(|e| e.to_bytes().to_vec()).unwrap_or_default(),
    )
}

/// Checks that `session` still decrypts every real message.
fn still_works(session: &mut InboundGroupSession, fixture: &Fixture) {
    for (message, plaintext) in fixture.messages.iter().zip(&fixture.plaintexts) {
        assert_eq!(&session.decrypt(message).unwrap().plaintext, plaintext);
    }
}

fn flips(bytes: &[u8]) -> impl Iterator<Item = (usize, Vec<u8>)> + '_ {
    (0..bytes.len() * 8).map(move |bit| {
        let mut flipped = bytes.to_vec();
        flipped[bit / 8] ^= 1 << (bit % 8);
        (bit, flipped)
    })
}

/// Both variants.
fn configs() -> [SessionConfig; 2] {
    [SessionConfig::version_1(), SessionConfig::version_2()]
}

#[test]
fn truncated_messages() {
    for config in configs() {
        truncated_messages_of(config);
    }
}

fn truncated_messages_of(config: SessionConfig) {
    let fixture = fixture_of(config);
    let mut session = InboundGroupSession::new(&fixture.key, config);
    session.decrypt(&fixture.messages[1]).unwrap();
    let before = snapshot(&session);
    for message in &fixture.messages {
        let bytes = message.as_bytes();
        for len in 0..bytes.len() {
            // Cutting the end shifts MAC and signature into the payload: the
            // parse fails, or the signature does.
            match MegolmMessage::from_bytes(&bytes[..len]) {
                Err(_) => {}
                Ok(parsed) => assert_eq!(
                    session.decrypt(&parsed),
                    Err(DecryptionError::Signature),
                    "length {len}"
                ),
            }
            let encoded = olm::base64_encode(&bytes[..len]);
            assert_eq!(
                MegolmMessage::from_base64(&encoded).map(|m| m.to_bytes()),
                MegolmMessage::from_bytes(&bytes[..len]).map(|m| m.to_bytes())
            );
        }
    }
    assert_eq!(snapshot(&session), before);
    still_works(&mut session, &fixture);
}

#[test]
fn every_bit_flip_of_a_message_is_refused() {
    for config in configs() {
        every_bit_flip_of(config);
    }
}

fn every_bit_flip_of(config: SessionConfig) {
    let fixture = fixture_of(config);
    let mut session = InboundGroupSession::new(&fixture.key, config);
    let before = snapshot(&session);
    for message in &fixture.messages {
        for (bit, flipped) in flips(message.as_bytes()) {
            match MegolmMessage::from_bytes(&flipped) {
                Err(e) => assert!(!e.to_string().is_empty()),
                Ok(parsed) => {
                    // Anything that still parses was signed over other bytes.
                    assert_eq!(session.decrypt(&parsed), Err(DecryptionError::Signature), "bit {bit}");
                }
            }
        }
    }
    assert_eq!(snapshot(&session), before);
    still_works(&mut session, &fixture);
}

#[test]
fn wrong_versions() {
    let fixture = fixture();
    let bytes = fixture.messages[0].to_bytes();
    for version in (0..=255u8).filter(|&v| v != 3 && v != 4) {
        let mut changed = bytes.clone();
        changed[0] = version;
        assert_eq!(
            MegolmMessage::from_bytes(&changed),
            Err(DecodeError::Version {
                expected: 3,
                got: version
            })
        );
    }
    // Relabelled 4 (v2, a 32-byte MAC), the empty message is too short.
    let mut changed = bytes.clone();
    changed[0] = 4;
    assert_eq!(
        MegolmMessage::from_bytes(&changed),
        Err(DecodeError::TooShort {
            min: 1 + 32 + 64,
            got: bytes.len()
        })
    );

    let key = fixture.key.to_bytes();
    let export = InboundGroupSession::new(&fixture.key, config())
        .export_at(0)
        .unwrap()
        .to_bytes();
    for version in 0..=255u8 {
        let mut changed_key = key.to_vec();
        changed_key[0] = version;
        let mut changed_export = export.to_vec();
        changed_export[0] = version;
        if version != 2 {
            assert_eq!(
                SessionKey::from_bytes(&changed_key).unwrap_err(),
                SessionKeyDecodeError::Decode(DecodeError::Version {
                    expected: 2,
                    got: version
                })
            );
        }
        if version != 1 {
            assert_eq!(
                ExportedSessionKey::from_bytes(&changed_export).unwrap_err(),
                SessionKeyDecodeError::Decode(DecodeError::Version {
                    expected: 1,
                    got: version
                })
            );
        }
    }
    // One form is not the other.
    assert!(matches!(
        SessionKey::from_bytes(&export),
        Err(SessionKeyDecodeError::Decode(DecodeError::Length {
            expected: 229,
            got: 165
        }))
    ));
    assert!(matches!(
        ExportedSessionKey::from_bytes(&key),
        Err(SessionKeyDecodeError::Decode(DecodeError::Length {
            expected: 165,
            got: 229
        }))
    ));
}

#[test]
fn session_keys_truncated_extended_and_flipped() {
    let fixture = fixture();
    let key = fixture.key.to_bytes();
    for len in 0..key.len() {
        assert!(matches!(
            SessionKey::from_bytes(&key[..len]),
            Err(SessionKeyDecodeError::Decode(DecodeError::Length { got, .. })) if got == len
        ));
        assert!(SessionKey::from_base64(&olm::base64_encode(&key[..len])).is_err());
    }
    let mut longer = key.to_vec();
    longer.push(0);
    assert!(SessionKey::from_bytes(&longer).is_err());
    assert!(SessionKey::from_base64(&olm::base64_encode(&longer)).is_err());

    for (bit, flipped) in flips(&key) {
        let error = SessionKey::from_bytes(&flipped).unwrap_err();
        let expected_ok = match bit / 8 {
            0 => matches!(error, SessionKeyDecodeError::Decode(DecodeError::Version { .. })),
            // A flipped public key may stop being a point; if it is one, the
            // signature no longer matches.
            133..165 => matches!(
                error,
                SessionKeyDecodeError::Signature | SessionKeyDecodeError::Decode(DecodeError::InvalidEd25519Key(_))
            ),
            _ => error == SessionKeyDecodeError::Signature,
        };
        assert!(expected_ok, "bit {bit}: {error:?}");
    }
}

#[test]
fn exports_truncated_extended_and_flipped() {
    let fixture = fixture();
    let session = InboundGroupSession::new(&fixture.key, config());
    let export = session.export_at(1).unwrap();
    let bytes = export.to_bytes();
    for len in 0..bytes.len() {
        assert!(ExportedSessionKey::from_bytes(&bytes[..len]).is_err());
        assert!(ExportedSessionKey::from_base64(&olm::base64_encode(&bytes[..len])).is_err());
    }
    for extra in 1..4 {
        let mut longer = bytes.to_vec();
        longer.extend(std::iter::repeat_n(0, extra));
        assert!(matches!(
            ExportedSessionKey::from_bytes(&longer),
            Err(SessionKeyDecodeError::Decode(DecodeError::Length { expected: 165, .. }))
        ));
        assert!(ExportedSessionKey::from_base64(&olm::base64_encode(&longer)).is_err());
    }
    // An export is not signed, so a flip in its ratchet or index still
    // decodes; such a session then fails on every real message.
    for (bit, flipped) in flips(&bytes) {
        match ExportedSessionKey::from_bytes(&flipped) {
            Err(_) => assert!(bit < 8 || (133 * 8..165 * 8).contains(&bit), "bit {bit}"),
            Ok(key) => {
                let mut forged = InboundGroupSession::import(&key, config());
                let result = forged.decrypt(&fixture.messages[1]);
                if (133 * 8..165 * 8).contains(&bit) {
                    assert_eq!(result, Err(DecryptionError::Signature), "bit {bit}");
                } else {
                    assert!(
                        matches!(
                            result,
                            Err(DecryptionError::InvalidMac | DecryptionError::UnknownMessageIndex(..))
                        ),
                        "bit {bit}: {result:?}"
                    );
                }
                assert!(forged.compare(&session) == olm::megolm::SessionOrdering::Unconnected);
            }
        }
    }
}

#[test]
fn base64_wrappers() {
    let fixture = fixture();
    let message = fixture.messages[2].to_base64();
    let key = fixture.key.to_base64();
    let export = InboundGroupSession::new(&fixture.key, config())
        .export_at(0)
        .unwrap()
        .to_base64();
    for bad in [
        "",
        "=",
        "A",
        "AB",
        "!!!!",
        "AAAA\n",
        " AAAA",
        "AA=A",
        "====",
        "\u{e9}\u{e9}\u{e9}\u{e9}",
    ] {
        assert!(MegolmMessage::from_base64(bad).is_err(), "{bad:?}");
        assert!(SessionKey::from_base64(bad).is_err(), "{bad:?}");
        assert!(ExportedSessionKey::from_base64(bad).is_err(), "{bad:?}");
    }
    let mut session = InboundGroupSession::new(&fixture.key, config());
    let before = snapshot(&session);
    let (mut padded, mut parsed) = (0, 0);
    for text in [message.as_str(), key.as_str(), export.as_str()] {
        // A character removed, doubled, replaced by one outside the
        // alphabet, trailing whitespace, or two `=` appended.
        for cut in [0, 1, text.len() / 2, text.len() - 1] {
            let mut removed = text.to_owned();
            removed.remove(cut);
            let mut doubled = text.to_owned();
            doubled.insert(cut, text.as_bytes()[cut] as char);
            let mut invalid = text.to_owned();
            invalid.replace_range(cut..=cut, "*");
            for variant in [removed, doubled, invalid, format!("{text}\n"), format!("{text}==")] {
                // Two `=` after a length of 2 mod 4 is the padded form of the
                // same bytes, which is accepted; every other variant is not
                // base64 of the same bytes.
                let same_bytes = variant == format!("{text}==") && text.len() % 4 == 2;
                let message_bytes = MegolmMessage::from_base64(&variant).map(|m| m.to_bytes());
                // The wrapper is base64 then `from_bytes`, nothing more.
                assert_eq!(
                    message_bytes.as_ref().ok(),
                    olm::base64_decode(&variant)
                        .ok()
                        .and_then(|b| MegolmMessage::from_bytes(&b).ok())
                        .map(|m| m.to_bytes())
                        .as_ref(),
                    "{variant:?}"
                );
                let key_result = SessionKey::from_base64(&variant).map(|k| k.to_bytes().to_vec());
                let export_result = ExportedSessionKey::from_base64(&variant).map(|k| k.to_bytes().to_vec());
                if same_bytes {
                    padded += 1;
                    let unpadded = olm::base64_decode(text).unwrap();
                    let wanted = if text == message.as_str() {
                        message_bytes.unwrap()
                    } else if text == key.as_str() {
                        key_result.unwrap()
                    } else {
                        export_result.unwrap()
                    };
                    assert_eq!(wanted, unpadded, "{variant:?}");
                    continue;
                }
                assert!(key_result.is_err(), "{variant:?}");
                assert!(export_result.is_err(), "{variant:?}");
                // A variant of a message that still parses (a cut at the end
                // may) carries other bytes than were signed.
                if let Ok(bytes) = message_bytes {
                    parsed += 1;
                    let message = MegolmMessage::from_bytes(&bytes).unwrap();
                    assert_eq!(
                        session.decrypt(&message),
                        Err(DecryptionError::Signature),
                        "{variant:?}"
                    );
                }
            }
        }
    }
    // The session key's 306 characters are 2 mod 4: its `==` form ran.
    assert_eq!(key.len() % 4, 2);
    assert!(padded >= 4, "{padded} padded forms");
    assert!(parsed <= 8, "{parsed} variants parsed");
    assert_eq!(snapshot(&session), before);
    still_works(&mut session, &fixture);
}

#[test]
fn messages_for_other_indices_and_sessions() {
    let fixture = fixture();
    let mut late = InboundGroupSession::import(
        &InboundGroupSession::new(&fixture.key, config()).export_at(2).unwrap(),
        config(),
    );
    let before = snapshot(&late);
    assert_eq!(
        late.decrypt(&fixture.messages[0]),
        Err(DecryptionError::UnknownMessageIndex(2, 0))
    );
    assert_eq!(
        late.decrypt(&fixture.messages[1]),
        Err(DecryptionError::UnknownMessageIndex(2, 1))
    );
    let mut other = GroupSession::new(config());
    assert_eq!(late.decrypt(&other.encrypt("x")), Err(DecryptionError::Signature));
    assert_eq!(snapshot(&late), before);
    assert_eq!(
        late.decrypt(&fixture.messages[3]).unwrap().plaintext,
        fixture.plaintexts[3]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let fixture = fixture_once();
        let _ = SessionKey::from_bytes(&bytes);
        let _ = ExportedSessionKey::from_bytes(&bytes);
        if let Ok(message) = MegolmMessage::from_bytes(&bytes) {
            let mut session = InboundGroupSession::new(&fixture.key, config());
            prop_assert!(session.decrypt(&message).is_err());
        }
        // With a valid version byte, the parser gets further.
        let mut versioned = bytes.clone();
        versioned.insert(0, 3);
        if let Ok(message) = MegolmMessage::from_bytes(&versioned) {
            let mut session = InboundGroupSession::new(&fixture.key, config());
            prop_assert!(session.decrypt(&message).is_err());
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = MegolmMessage::from_base64(&text);
        let _ = SessionKey::from_base64(&text);
        let _ = ExportedSessionKey::from_base64(&text);
    }

    #[test]
    fn random_keys_of_the_right_length_never_panic(
        version in prop_oneof![Just(1u8), Just(2u8), any::<u8>()],
        body in proptest::collection::vec(any::<u8>(), 228),
    ) {
        let mut bytes = vec![version];
        bytes.extend_from_slice(&body);
        prop_assert!(SessionKey::from_bytes(&bytes).is_err());
        if let Ok(key) = ExportedSessionKey::from_bytes(&bytes[..165]) {
            let mut session = InboundGroupSession::import(&key, config());
            prop_assert!(session.decrypt(&fixture_once().messages[0]).is_err());
            prop_assert_eq!(session.first_known_index(), u32::from_be_bytes(bytes[1..5].try_into().unwrap()));
        }
    }
}

/// One fixture for all proptest cases, so they do not each make a session.
fn fixture_once() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(fixture)
}

/// A session given messages of the other variant, signed by its own
/// sender: refused by the MAC's length (the signature and index are fine),
/// unchanged after. Relabelling a message instead breaks its signature.
#[test]
fn messages_of_the_other_variant() {
    for (config, other) in [
        (SessionConfig::version_1(), SessionConfig::version_2()),
        (SessionConfig::version_2(), SessionConfig::version_1()),
    ] {
        let fixture = fixture_of(config);
        // A sender of the other variant.
        let mut sender = GroupSession::new(other);
        let key = sender.session_key();
        let wrong: Vec<MegolmMessage> = (0..3).map(|i| sender.encrypt([i])).collect();
        let mut session = InboundGroupSession::new(&key, config);
        let before = snapshot(&session);
        for message in &wrong {
            assert_eq!(
                session.decrypt(message),
                Err(DecryptionError::InvalidMacLength {
                    expected: mac_len(config),
                    got: mac_len(other)
                })
            );
        }
        let batch = session.decrypt_batch(&wrong);
        assert!(
            batch
                .iter()
                .all(|r| matches!(r, Err(DecryptionError::InvalidMacLength { .. })))
        );
        assert_eq!(snapshot(&session), before);
        let mut right = InboundGroupSession::new(&key, other);
        assert_eq!(right.decrypt(&wrong[2]).unwrap().plaintext, [2]);

        // Relabelled, with the MAC cut or padded to the other length: the
        // signature no longer matches.
        let mut own = InboundGroupSession::new(&fixture.key, config);
        let before = snapshot(&own);
        for message in &fixture.messages {
            let bytes = message.to_bytes();
            let (body, signature) = bytes.split_at(bytes.len() - 64);
            let mut relabelled = body.to_vec();
            if config == SessionConfig::version_1() {
                relabelled[0] = 4;
                relabelled.extend_from_slice(&[0; 24]);
            } else {
                relabelled[0] = 3;
                relabelled.truncate(relabelled.len() - 24);
            }
            relabelled.extend_from_slice(signature);
            let parsed = MegolmMessage::from_bytes(&relabelled).unwrap();
            assert_eq!(own.decrypt(&parsed), Err(DecryptionError::Signature));
        }
        assert_eq!(snapshot(&own), before);
        still_works(&mut own, &fixture);
    }
}

/// The MAC length of each variant, as the errors name it.
fn mac_len(config: SessionConfig) -> usize {
    if config.version() == 2 { 32 } else { 8 }
}
