//! Hostile and malformed input to the Olm layer: every decoder returns a typed
//! error and never panics, and a session or account that refuses a message is
//! left exactly as it was.
//!
//! Covered: message and key decoders (truncations, every bit flip, wrong
//! versions, random bytes, base64 lengths and padding, varints, key lengths
//! and top bits); `Session::decrypt` with corrupted, truncated, replayed,
//! foreign and far-future messages, proven harmless by decrypting the genuine
//! messages afterwards and by comparing with an identical twin session that
//! never saw the bad input; `Account::create_inbound_session` failures
//! (unknown one-time key, mismatched identity, corrupted inner message,
//! low-order keys, replays) keeping the one-time key; and the 2000-message
//! gap and 40 skipped keys, with exact error payloads. Olm version 2: a
//! pre-key message of the variant the caller does not expect, messages
//! relabelled as the other variant and MACs cut short, and the barrage on a
//! v2 session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use olm::{
    Curve25519PublicKey, Curve25519SecretKey, DecodeError, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature,
    KeyError, KeyId, base64_encode,
    olm::{Account, DecryptionError, Message, OlmMessage, PreKeyMessage, Session, SessionConfig, SessionCreationError},
};
use rand::{RngExt, rngs::StdRng, seq::SliceRandom};
use support::{bytes_field, flip, low_order_points, message_layout, pre_key_layout, rng, varint};

// ---------------------------------------------------------------------------
// Fixtures. Everything is drawn from one seeded generator, so the same seed
// and the same calls give byte-identical accounts, sessions and messages: a
// twin built from the same seed is a copy of the state.

struct Duo {
    alice: Session,
    bob: Session,
    rng: StdRng,
}

/// Alice and Bob after one pre-key message and one reply.
fn duo(seed: u64) -> Duo {
    duo_of(seed, SessionConfig::version_1())
}

/// As [`duo`], in the Olm variant `config`.
fn duo_of(seed: u64, config: SessionConfig) -> Duo {
    let mut rng = rng(seed);
    let alice_account = Account::new_with_rng(&mut rng);
    let mut bob_account = Account::new_with_rng(&mut rng);
    let otk = bob_account.generate_one_time_keys_with_rng(1, &mut rng).created[0];
    bob_account.mark_keys_as_published();
    let mut alice = alice_account
        .create_outbound_session_with_rng(config, bob_account.curve25519_key(), otk, &mut rng)
        .unwrap();
    let OlmMessage::PreKey(first) = alice.encrypt_with_rng("first", &mut rng) else {
        panic!("pre-key expected")
    };
    let mut bob = bob_account
        .create_inbound_session_with_config(config, alice_account.curve25519_key(), &first)
        .unwrap()
        .session;
    let reply = bob.encrypt_with_rng("reply", &mut rng);
    assert_eq!(alice.decrypt(&reply).unwrap(), b"reply");
    Duo { alice, bob, rng }
}

impl Duo {
    fn alice_sends(&mut self, plaintext: &str) -> OlmMessage {
        self.alice.encrypt_with_rng(plaintext, &mut self.rng)
    }

    fn bob_sends(&mut self, plaintext: &str) -> OlmMessage {
        self.bob.encrypt_with_rng(plaintext, &mut self.rng)
    }
}

/// Bob's account with one unpublished one-time key, and Alice's fresh
/// outbound session to it.
struct Opening {
    /// Bob's account as first created, as a libolm pickle.
    bob_pickle: String,
    alice_account: Account,
    bob_account: Account,
    otk: Curve25519PublicKey,
    alice: Session,
    rng: StdRng,
}

fn opening(seed: u64) -> Opening {
    opening_of(seed, SessionConfig::version_1())
}

/// As [`opening`], Alice's session in the Olm variant `config`.
fn opening_of(seed: u64, config: SessionConfig) -> Opening {
    let mut rng = rng(seed);
    let alice_account = Account::new_with_rng(&mut rng);
    let mut bob_account = Account::new_with_rng(&mut rng);
    let otk = bob_account.generate_one_time_keys_with_rng(1, &mut rng).created[0];
    let alice = alice_account
        .create_outbound_session_with_rng(config, bob_account.curve25519_key(), otk, &mut rng)
        .unwrap();
    let bob_pickle = account_snapshot(&bob_account);
    Opening {
        bob_pickle,
        alice_account,
        bob_account,
        otk,
        alice,
        rng,
    }
}

impl Opening {
    fn pre_key(&mut self, plaintext: &str) -> PreKeyMessage {
        match self.alice.encrypt_with_rng(plaintext, &mut self.rng) {
            OlmMessage::PreKey(m) => m,
            OlmMessage::Normal(_) => panic!("pre-key expected"),
        }
    }

    /// Bob's account is as it was created: its one-time key is still there.
    fn assert_one_time_key_kept(&self) {
        assert_eq!(account_snapshot(&self.bob_account), self.bob_pickle);
        assert_eq!(self.bob_account.stored_one_time_key_count(), 1);
        assert!(self.bob_account.one_time_keys().values().any(|k| *k == self.otk));
    }
}

fn normal_bytes(message: &OlmMessage) -> Vec<u8> {
    assert!(matches!(message, OlmMessage::Normal(_)));
    message.as_bytes().to_vec()
}

/// Assembles a normal message from raw parts.
fn assemble(ratchet_key: &[u8], index: &[u8], ciphertext: &[u8], mac: &[u8]) -> Vec<u8> {
    let mut out = vec![3];
    out.extend(bytes_field(0x0a, ratchet_key));
    out.push(0x10);
    out.extend_from_slice(index);
    out.extend(bytes_field(0x22, ciphertext));
    out.extend_from_slice(mac);
    out
}

/// Every decoder of message bytes, run on `bytes`; the results of the ones
/// that decode as a normal message (type 1) and as a pre-key message
/// (type 0).
fn decode_all(bytes: &[u8]) -> (Result<Message, DecodeError>, Result<PreKeyMessage, DecodeError>) {
    let normal = Message::from_bytes(bytes);
    let pre_key = PreKeyMessage::from_bytes(bytes);
    assert_eq!(OlmMessage::from_parts(1, bytes), normal.clone().map(OlmMessage::Normal));
    assert_eq!(
        OlmMessage::from_parts(0, bytes),
        pre_key.clone().map(OlmMessage::PreKey)
    );
    for message_type in [2, 3, usize::MAX] {
        assert_eq!(
            OlmMessage::from_parts(message_type, bytes),
            Err(DecodeError::MessageType(message_type))
        );
    }
    let b64 = base64_encode(bytes);
    assert_eq!(Message::from_base64(&b64), normal);
    assert_eq!(PreKeyMessage::from_base64(&b64), pre_key);
    assert_eq!(OlmMessage::from_base64(1, &b64), normal.clone().map(OlmMessage::Normal));
    assert_eq!(
        OlmMessage::from_base64(0, &b64),
        pre_key.clone().map(OlmMessage::PreKey)
    );
    // Whatever decodes keeps the bytes as received and only canonical keys.
    if let Ok(m) = &normal {
        assert_eq!(m.as_bytes(), bytes);
        assert_eq!(m.ratchet_key().as_bytes()[31] & 0x80, 0);
    }
    if let Ok(m) = &pre_key {
        assert_eq!(m.as_bytes(), bytes);
        for key in [
            m.one_time_key(),
            m.base_key(),
            m.identity_key(),
            m.message().ratchet_key(),
        ] {
            assert_eq!(key.as_bytes()[31] & 0x80, 0);
        }
    }
    (normal, pre_key)
}

/// A normal message and a pre-key message as sent by a real session, with
/// chain indices and ciphertext lengths that need multi-byte varints.
fn real_messages() -> (Vec<u8>, Vec<u8>) {
    let mut o = opening(1);
    for _ in 0..130 {
        o.pre_key("filler");
    }
    let pre_key = o.pre_key(&"p".repeat(112)).to_bytes();
    let mut d = duo(2);
    for _ in 0..130 {
        d.bob_sends("filler");
    }
    let normal = normal_bytes(&d.bob_sends(&"n".repeat(112)));
    (normal, pre_key)
}

// ---------------------------------------------------------------------------
// Decoders.

#[test]
fn every_truncation_is_rejected() {
    let (normal, pre_key) = real_messages();
    for bytes in [&normal, &pre_key] {
        for len in 0..bytes.len() {
            let (n, p) = decode_all(&bytes[..len]);
            assert!(n.is_err() && p.is_err(), "prefix of {len} bytes decoded");
        }
        // Dropping leading bytes: only the embedded message of a pre-key
        // message, on its own, is something else that decodes.
        let inner = if bytes == &pre_key {
            pre_key_layout(bytes).message.start
        } else {
            0
        };
        for start in 1..bytes.len() {
            let (n, p) = decode_all(&bytes[start..]);
            assert!(p.is_err(), "suffix from {start} decoded");
            assert_eq!(n.is_ok(), start == inner, "suffix from {start}");
        }
    }
    // Each type's bytes are not the other type.
    assert!(decode_all(&normal).1.is_err());
    assert!(decode_all(&pre_key).0.is_err());
}

#[test]
fn every_bit_flip_decodes_to_an_error_or_to_exactly_the_flipped_fields() {
    let (normal, pre_key) = real_messages();
    let layout = message_layout(&normal, 0..normal.len());
    let original = Message::from_bytes(&normal).unwrap();
    for bit in 0..normal.len() * 8 {
        let byte = bit / 8;
        let flipped = flip(&normal, bit);
        let (decoded, _) = decode_all(&flipped);
        if byte == 0 {
            assert_eq!(
                decoded,
                Err(DecodeError::Version {
                    expected: 3,
                    got: flipped[0]
                })
            );
        } else if layout.ratchet_key.contains(&byte) {
            if byte == layout.ratchet_key.end - 1 && bit % 8 == 7 {
                assert_eq!(decoded, Err(DecodeError::NonCanonicalKey("ratchet_key")));
            } else {
                let m = decoded.unwrap();
                assert_ne!(m.ratchet_key(), original.ratchet_key());
                assert_eq!(m.ciphertext(), original.ciphertext());
            }
        } else if layout.ciphertext.contains(&byte) || layout.mac.contains(&byte) {
            let m = decoded.unwrap();
            assert_eq!(
                (m.ratchet_key(), m.chain_index()),
                (original.ratchet_key(), original.chain_index())
            );
        }
        // Flips in tags and lengths may decode either way; `decode_all`
        // already checked they do not panic.
    }

    let layout = pre_key_layout(&pre_key);
    let original = PreKeyMessage::from_bytes(&pre_key).unwrap();
    for bit in 0..pre_key.len() * 8 {
        let byte = bit / 8;
        let flipped = flip(&pre_key, bit);
        let (_, decoded) = decode_all(&flipped);
        let keys = [
            (&layout.one_time_key, "one_time_key"),
            (&layout.base_key, "base_key"),
            (&layout.identity_key, "identity_key"),
        ];
        if byte == 0 || byte == layout.message.start {
            assert!(
                matches!(decoded, Err(DecodeError::Version { .. })),
                "bit {bit}: {decoded:?}"
            );
        } else if let Some((range, name)) = keys.iter().find(|(range, _)| range.contains(&byte)) {
            if byte == range.end - 1 && bit % 8 == 7 {
                assert_eq!(decoded, Err(DecodeError::NonCanonicalKey(name)));
            } else {
                let m = decoded.unwrap();
                assert_ne!(m.session_keys(), original.session_keys());
                assert_eq!(m.message(), original.message());
            }
        }
    }
}

#[test]
fn wrong_versions_are_rejected() {
    let (normal, pre_key) = real_messages();
    let inner = pre_key_layout(&pre_key).message.start;
    for version in [0u8, 1, 2, 5, 0x83, 255] {
        let mut n = normal.clone();
        n[0] = version;
        assert_eq!(
            decode_all(&n).0,
            Err(DecodeError::Version {
                expected: 3,
                got: version
            })
        );
        let mut p = pre_key.clone();
        p[0] = version;
        assert_eq!(
            decode_all(&p).1,
            Err(DecodeError::Version {
                expected: 3,
                got: version
            })
        );
        let mut p = pre_key.clone();
        p[inner] = version;
        assert_eq!(
            decode_all(&p).1,
            Err(DecodeError::Version {
                expected: 3,
                got: version
            })
        );
        // A lone version byte.
        assert!(Message::from_bytes(&[version]).is_err());
        assert!(PreKeyMessage::from_bytes(&[version]).is_err());
    }
    // Version 4 (Olm v2) is a normal message's other version, with a 32-byte
    // MAC: a v1 message relabelled 4 no longer frames. A pre-key message
    // itself is version 3 in both variants.
    let mut n = normal.clone();
    n[0] = 4;
    assert_eq!(decode_all(&n).0, Err(DecodeError::Truncated));
    let mut p = pre_key.clone();
    p[inner] = 4;
    assert_eq!(decode_all(&p).1, Err(DecodeError::Truncated));
    let mut p = pre_key.clone();
    p[0] = 4;
    assert_eq!(decode_all(&p).1, Err(DecodeError::Version { expected: 3, got: 4 }));
}

#[test]
fn unknown_message_types_are_rejected() {
    let (normal, pre_key) = real_messages();
    for message_type in [2, 3, 255, usize::MAX] {
        for bytes in [&normal, &pre_key] {
            assert_eq!(
                OlmMessage::from_parts(message_type, bytes),
                Err(DecodeError::MessageType(message_type))
            );
            assert_eq!(
                OlmMessage::from_base64(message_type, &base64_encode(bytes)),
                Err(DecodeError::MessageType(message_type))
            );
        }
    }
    assert!(OlmMessage::from_parts(0, &normal).is_err());
    assert!(OlmMessage::from_parts(1, &pre_key).is_err());
    assert_eq!(
        OlmMessage::from_parts(1, &normal).unwrap().to_parts(),
        (1, normal.clone())
    );
    assert_eq!(
        OlmMessage::from_parts(0, &pre_key).unwrap().to_parts(),
        (0, pre_key.clone())
    );
}

/// Random input: unstructured bytes, bytes behind a valid version byte, and
/// random sequences of plausible fields. Nothing panics, and whatever
/// decodes fails to decrypt without disturbing a live session.
#[test]
fn random_bytes() {
    let mut r = rng(0xbad);
    let mut d = duo(3);
    let mut decoded = 0;
    let random_key = |r: &mut StdRng| -> Vec<u8> {
        let mut key: Vec<u8> = (0..32).map(|_| r.random()).collect();
        key[31] &= 0x7f;
        key
    };
    // A plausible normal message: the three fields in a random order, maybe
    // an unknown field, then a MAC.
    let plausible_message = |r: &mut StdRng| -> Vec<u8> {
        let mut fields = vec![
            bytes_field(0x0a, &random_key(r)),
            [
                vec![0x10],
                varint(if r.random_bool(0.02) {
                    r.random_range(0..3000u64)
                } else {
                    r.random_range(0..50)
                }),
            ]
            .concat(),
            bytes_field(
                0x22,
                &(0..16 * r.random_range(0..4usize))
                    .map(|_| r.random())
                    .collect::<Vec<u8>>(),
            ),
        ];
        if r.random_bool(0.3) {
            fields.push(bytes_field(0x3a, b"x"));
        }
        fields.shuffle(r);
        let mut out = vec![3];
        out.extend(fields.concat());
        out.extend((0..8).map(|_| r.random::<u8>()));
        out
    };
    for case in 0..3000 {
        let mut bytes: Vec<u8> = match case % 4 {
            0 => (0..r.random_range(0..200usize)).map(|_| r.random()).collect(),
            1 => std::iter::once(3)
                .chain((0..r.random_range(0..200usize)).map(|_| r.random()))
                .collect(),
            2 => plausible_message(&mut r),
            _ => {
                let mut fields = [
                    bytes_field(0x0a, &random_key(&mut r)),
                    bytes_field(0x12, &random_key(&mut r)),
                    bytes_field(0x1a, &random_key(&mut r)),
                    bytes_field(0x22, &plausible_message(&mut r)),
                ];
                fields.shuffle(&mut r);
                std::iter::once(3).chain(fields.concat()).collect()
            }
        };
        // Then a few random changes to the structured ones.
        if case % 4 >= 2 {
            for _ in 0..r.random_range(0..3) {
                let i = r.random_range(0..bytes.len());
                bytes[i] = r.random();
            }
        }
        let (normal, pre_key) = decode_all(&bytes);
        if let Ok(m) = normal {
            decoded += 1;
            assert!(d.bob.decrypt(&OlmMessage::Normal(m)).is_err());
        }
        if let Ok(m) = pre_key {
            decoded += 1;
            assert!(d.bob.decrypt(&OlmMessage::PreKey(m)).is_err());
        }
    }
    assert!(
        decoded > 100,
        "the structured cases should reach the decryption step ({decoded})"
    );
    let message = d.alice_sends("still fine");
    assert_eq!(d.bob.decrypt(&message).unwrap(), b"still fine");
    let message = d.bob_sends("both ways");
    assert_eq!(d.alice.decrypt(&message).unwrap(), b"both ways");
}

/// Standard base64 decoded the slow, obvious way, as the oracle for
/// `random_base64_strings`: unpadded, or padded to a multiple of four with at
/// most two `=`; no other character; zero trailing bits.
fn reference_base64(input: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = input.as_bytes();
    if text.len().is_multiple_of(4) {
        for _ in 0..2 {
            if let [rest @ .., b'='] = text {
                text = rest;
            }
        }
    }
    if text.len() % 4 == 1 {
        return None;
    }
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
    for c in text {
        bits = (bits << 6) | ALPHABET.iter().position(|a| a == c)? as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (bits == 0).then_some(out)
}

/// Random strings over base64's alphabet and its near misses: every decoder
/// gives exactly what the oracle's bytes give (the same message or key, or
/// the same refusal), and nothing panics.
#[test]
fn random_base64_strings() {
    let mut r = rng(0xb64);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\xc3\xa9";
    let (mut valid, mut invalid) = (0, 0);
    for case in 0..3000 {
        // Strings over the wider alphabet, strings of base64 characters only,
        // real encodings of key-sized and other byte strings (padded or not),
        // and real encodings with one edit: `=` appended, a character
        // removed, inserted or replaced.
        let input = match case % 4 {
            0 | 1 => {
                let chars = if case % 4 == 0 { alphabet.len() } else { 64 };
                let len = r.random_range(0..100usize);
                let bytes: Vec<u8> = (0..len).map(|_| alphabet[r.random_range(0..chars)]).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            _ => {
                let len = [4, 8, 32, 64, r.random_range(0..80)][r.random_range(0..5usize)];
                let bytes: Vec<u8> = (0..len).map(|_| r.random()).collect();
                let encoded = base64_encode(&bytes);
                let mut text = if r.random_bool(0.5) {
                    format!("{encoded}{}", "=".repeat((4 - encoded.len() % 4) % 4))
                } else {
                    encoded
                }
                .into_bytes();
                if case % 4 == 3 {
                    let at = r.random_range(0..=text.len());
                    let c = alphabet[r.random_range(0..alphabet.len() - 2)];
                    match r.random_range(0..4) {
                        0 => text.extend(b"===".iter().take(r.random_range(1..4))),
                        1 if at < text.len() => drop(text.remove(at)),
                        2 => text.insert(at, c),
                        _ if at < text.len() => text[at] = c,
                        _ => text.push(c),
                    }
                }
                String::from_utf8(text).unwrap()
            }
        };
        let expected = reference_base64(&input);
        if expected.is_some() {
            valid += 1;
        } else {
            invalid += 1;
        }
        assert_eq!(olm::base64_decode(&*input).ok(), expected, "{input:?}");
        let Some(decoded) = expected else {
            assert!(matches!(Message::from_base64(&input), Err(DecodeError::Base64(_))));
            assert!(matches!(
                PreKeyMessage::from_base64(&input),
                Err(DecodeError::Base64(_))
            ));
            for message_type in [0, 1, 2] {
                assert!(matches!(
                    OlmMessage::from_base64(message_type, &input),
                    Err(DecodeError::Base64(_))
                ));
            }
            assert!(Curve25519PublicKey::from_base64(&input).is_err());
            assert!(Curve25519SecretKey::from_base64(&input).is_err());
            assert!(Ed25519PublicKey::from_base64(&input).is_err());
            assert!(Ed25519SecretKey::from_base64(&input).is_err());
            assert!(Ed25519Signature::from_base64(&input).is_err());
            assert!(KeyId::from_base64(&input).is_err());
            continue;
        };
        assert_eq!(Message::from_base64(&input), Message::from_bytes(&decoded));
        assert_eq!(PreKeyMessage::from_base64(&input), PreKeyMessage::from_bytes(&decoded));
        for message_type in [0, 1, 2] {
            assert_eq!(
                OlmMessage::from_base64(message_type, &input),
                OlmMessage::from_parts(message_type, &decoded)
            );
        }
        let length_ok = |n: usize| decoded.len() == n;
        assert_eq!(
            Curve25519PublicKey::from_base64(&input).ok(),
            Curve25519PublicKey::from_slice(&decoded).ok()
        );
        assert_eq!(Curve25519SecretKey::from_base64(&input).is_ok(), length_ok(32));
        assert_eq!(
            Ed25519PublicKey::from_base64(&input).ok(),
            Ed25519PublicKey::from_slice(&decoded).ok()
        );
        assert_eq!(Ed25519SecretKey::from_base64(&input).is_ok(), length_ok(32));
        assert_eq!(
            Ed25519Signature::from_base64(&input).ok(),
            Ed25519Signature::from_slice(&decoded).ok()
        );
        assert_eq!(KeyId::from_base64(&input).is_ok(), length_ok(4) || length_ok(8));
    }
    // Both branches ran often enough to mean something.
    assert!(valid > 1000 && invalid > 1000, "{valid} valid, {invalid} invalid");
}

// ---------------------------------------------------------------------------
// Keys and base64.

/// Base64 of `len` bytes, padded or not, for every key decoder: only the
/// right length decodes, whatever the padding; nothing panics.
#[test]
fn key_base64_lengths() {
    let curve = Curve25519SecretKey::from_bytes(&[7; 32]).public_key();
    let ed = Ed25519SecretKey::from_bytes(&[7; 32]);
    let signature = ed.sign(b"message");
    type Check = fn(&str) -> Result<(), KeyError>;
    // Each decoder, its length, and valid bytes of that length (an Ed25519
    // public key must be a point).
    let decoders: [(&str, Vec<u8>, Check); 6] = [
        ("curve25519 public", curve.to_vec(), |s| {
            Curve25519PublicKey::from_base64(s).map(drop)
        }),
        ("curve25519 secret", vec![1; 32], |s| {
            Curve25519SecretKey::from_base64(s).map(drop)
        }),
        ("ed25519 public", ed.public_key().as_bytes().to_vec(), |s| {
            Ed25519PublicKey::from_base64(s).map(drop)
        }),
        ("ed25519 secret", vec![2; 32], |s| {
            Ed25519SecretKey::from_base64(s).map(drop)
        }),
        ("ed25519 signature", signature.to_bytes().to_vec(), |s| {
            Ed25519Signature::from_base64(s).map(drop)
        }),
        ("key id", vec![0, 0, 0, 1], |s| KeyId::from_base64(s).map(drop)),
    ];
    let pad = |encoded: &str| format!("{encoded}{}", "=".repeat((4 - encoded.len() % 4) % 4));
    for (name, valid_bytes, decode) in decoders {
        let expected = valid_bytes.len();
        let valid = base64_encode(&valid_bytes);
        assert!(decode(&valid).is_ok(), "{name}: unpadded");
        assert!(decode(&pad(&valid)).is_ok(), "{name}: padded");
        // Any other number of bytes, padded or not, is refused.
        // A key id has two widths: libolm's 4 bytes and vodozemac's 8.
        let also_valid = if name == "key id" { 8 } else { expected };
        for len in (0..=100).filter(|&len| len != expected && len != also_valid) {
            let mut bytes = valid_bytes.clone();
            bytes.resize(len, 0x11);
            let encoded = base64_encode(&bytes);
            for input in [encoded.clone(), pad(&encoded)] {
                let result = decode(&input);
                assert!(
                    matches!(result, Err(KeyError::InvalidKeyLength { length, .. }) if length == len),
                    "{name}: {len} bytes as {input:?}: {result:?}"
                );
            }
        }
        // Every string length made of 'A's, among them the 44-character
        // unpadded form that panicked in vodozemac.
        for n in 0..=130 {
            let input = "A".repeat(n);
            let result = decode(&input);
            if n == 44 && expected == 32 {
                assert!(
                    matches!(result, Err(KeyError::InvalidKeyLength { length: 33, .. })),
                    "{name}: 44 unpadded characters: {result:?}"
                );
            }
            if result.is_ok() {
                let wide_id = name == "key id" && n == 11;
                assert!(valid.len() == n || wide_id, "{name}: {n} A's decoded");
            }
        }
        // Wrong alphabet, inner padding, whitespace, too much padding and
        // non-zero trailing bits.
        let mut last_bits = valid.clone().into_bytes();
        if let Some(c) = last_bits.last_mut() {
            *c = if *c == b'B' { b'C' } else { b'B' };
        }
        let last_bits = String::from_utf8(last_bits).unwrap();
        let garbage = [
            format!("{valid} "),
            format!(" {valid}"),
            format!("{valid}\n"),
            format!("{}={}", &valid[..4], &valid[5..]),
            format!("{valid}===="),
            format!("{}==", pad(&valid)),
            last_bits,
            format!("-{}", &valid[1..]),
            format!("{}_{}", &valid[..2], &valid[3..]),
        ];
        for input in garbage {
            let result = decode(&input);
            assert!(
                matches!(result, Err(KeyError::Base64(_) | KeyError::InvalidKeyLength { .. })),
                "{name}: {input:?}: {result:?}"
            );
        }
    }
}

#[test]
fn key_slices_of_the_wrong_length() {
    let curve = Curve25519SecretKey::from_bytes(&[7; 32]).public_key();
    let ed = Ed25519SecretKey::from_bytes(&[7; 32]).public_key();
    for len in [0usize, 1, 16, 31, 33, 63, 64, 65] {
        let bytes = vec![9u8; len];
        assert!(matches!(
            Curve25519PublicKey::from_slice(&bytes),
            Err(KeyError::InvalidKeyLength { expected: 32, length, .. }) if length == len
        ));
        assert!(matches!(
            Ed25519PublicKey::from_slice(&bytes),
            Err(KeyError::InvalidKeyLength { expected: 32, length, .. }) if length == len
        ));
        if len != 64 {
            assert!(matches!(
                Ed25519Signature::from_slice(&bytes),
                Err(KeyError::InvalidKeyLength { expected: 64, length, .. }) if length == len
            ));
        }
    }
    assert_eq!(Curve25519PublicKey::from_slice(curve.as_bytes()).unwrap(), curve);
    assert_eq!(Ed25519PublicKey::from_slice(ed.as_bytes()).unwrap(), ed);
    assert!(Ed25519Signature::from_slice(&[0; 64]).is_ok());
}

#[test]
fn invalid_ed25519_public_keys() {
    let valid = Ed25519SecretKey::from_bytes(&[7; 32]).public_key();
    // y = p (non-canonical encoding of y = 0), y = 2^255 - 1, and a y with no
    // x on the curve.
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    let mut no_point = [0u8; 32];
    no_point[0] = 2;
    for bytes in [p, [0xff; 32], no_point] {
        assert_eq!(
            Ed25519PublicKey::from_slice(&bytes),
            Err(KeyError::InvalidEd25519Key),
            "{bytes:02x?}"
        );
        assert_eq!(
            Ed25519PublicKey::from_base64(&base64_encode(bytes)),
            Err(KeyError::InvalidEd25519Key)
        );
    }
    // Setting the sign bit of a valid key gives another valid point (or
    // none); it never decodes to the same key.
    let mut signed = valid.to_bytes();
    signed[31] ^= 0x80;
    assert_ne!(Ed25519PublicKey::from_slice(&signed).ok(), Some(valid));
}

// ---------------------------------------------------------------------------
// Framing of the keys and varints inside messages.

#[test]
fn keys_inside_messages_must_be_32_bytes_with_the_top_bit_clear() {
    let (normal, pre_key) = real_messages();
    let layout = message_layout(&normal, 0..normal.len());
    let key = &normal[layout.ratchet_key.clone()];
    let index = varint(layout.chain_index);
    let ciphertext = &normal[layout.ciphertext.clone()];
    let mac = &normal[layout.mac.clone()];
    assert_eq!(assemble(key, &index, ciphertext, mac), normal);
    for len in [0usize, 1, 31, 33, 64] {
        let key = vec![5u8; len];
        assert_eq!(
            Message::from_bytes(&assemble(&key, &index, ciphertext, mac)),
            Err(DecodeError::FieldLength {
                field: "ratchet_key",
                length: len,
                expected: 32
            })
        );
    }
    let mut top = key.to_vec();
    top[31] |= 0x80;
    assert_eq!(
        Message::from_bytes(&assemble(&top, &index, ciphertext, mac)),
        Err(DecodeError::NonCanonicalKey("ratchet_key"))
    );

    let layout = pre_key_layout(&pre_key);
    let keys = [
        (layout.one_time_key.clone(), "one_time_key"),
        (layout.base_key.clone(), "base_key"),
        (layout.identity_key.clone(), "identity_key"),
    ];
    for (range, name) in keys {
        let mut top = pre_key.clone();
        top[range.end - 1] |= 0x80;
        assert_eq!(PreKeyMessage::from_bytes(&top), Err(DecodeError::NonCanonicalKey(name)));
        for len in [31usize, 33] {
            let mut bytes = pre_key[..range.start - 1].to_vec();
            bytes.extend(bytes_field(0, &[]).iter().take(0));
            bytes.extend(varint(len as u64));
            bytes.extend(vec![4u8; len]);
            bytes.extend_from_slice(&pre_key[range.end..]);
            assert_eq!(
                PreKeyMessage::from_bytes(&bytes),
                Err(DecodeError::FieldLength {
                    field: name,
                    length: len,
                    expected: 32
                })
            );
        }
    }
    let inner = message_layout(&pre_key, layout.message.clone());
    let mut top = pre_key.clone();
    top[inner.ratchet_key.end - 1] |= 0x80;
    assert_eq!(
        PreKeyMessage::from_bytes(&top),
        Err(DecodeError::NonCanonicalKey("ratchet_key"))
    );
}

#[test]
fn varints_and_framing_variants() {
    let mut d = duo(4);
    let genuine = d.alice_sends("genuine");
    let bytes = normal_bytes(&genuine);
    let layout = message_layout(&bytes, 0..bytes.len());
    let key = &bytes[layout.ratchet_key.clone()];
    let ciphertext = &bytes[layout.ciphertext.clone()];
    let mac = &bytes[layout.mac.clone()];
    let index = layout.chain_index;
    assert!(index < 0x80);

    // Re-encodings with the same fields but other bytes decode, and fail the
    // MAC, which covers the bytes as received.
    let mut reencoded = Vec::new();
    // Non-minimal index varints: 2 and 10 bytes.
    reencoded.push(assemble(key, &[index as u8 | 0x80, 0x00], ciphertext, mac));
    let mut ten = vec![0x80u8; 9];
    ten[0] |= index as u8;
    ten.push(0);
    reencoded.push(assemble(key, &ten, ciphertext, mac));
    // A non-minimal tag.
    let mut t = vec![3, 0x8a, 0x00];
    t.extend(&bytes[2..]);
    reencoded.push(t);
    // A non-minimal length.
    let mut l = vec![3, 0x0a, 0xa0, 0x00];
    l.extend(&bytes[3..]);
    reencoded.push(l);
    // An unknown varint field and an unknown bytes field, before and after.
    for extra in [vec![0x28, 0x01], bytes_field(0x3a, b"unknown")] {
        let mut before = vec![3];
        before.extend(&extra);
        before.extend(&bytes[1..]);
        reencoded.push(before);
        let mut after = bytes[..bytes.len() - 8].to_vec();
        after.extend(&extra);
        after.extend(mac);
        reencoded.push(after);
    }
    // A duplicated field (the last one wins, so the fields are the same).
    let mut dup = vec![3];
    dup.extend(varint(0x10));
    dup.extend(varint(index + 1));
    dup.extend(&bytes[1..]);
    reencoded.push(dup);
    // The fields in another order.
    let mut reordered = vec![3, 0x10];
    reordered.extend(varint(index));
    reordered.extend(bytes_field(0x0a, key));
    reordered.extend(bytes_field(0x22, ciphertext));
    reordered.extend(mac);
    reencoded.push(reordered);
    for variant in &reencoded {
        let m = Message::from_bytes(variant).unwrap_or_else(|e| panic!("{variant:02x?}: {e:?}"));
        assert_eq!(
            (m.ratchet_key().as_bytes().as_slice(), u64::from(m.chain_index())),
            (key, index)
        );
        assert_eq!(m.ciphertext(), ciphertext);
        assert_eq!(d.bob.decrypt(&OlmMessage::Normal(m)), Err(DecryptionError::InvalidMac));
    }

    // Varints that are too long, overflow, or exceed the u32 index.
    let malformed: Vec<(Vec<u8>, DecodeError)> = vec![
        (
            assemble(
                key,
                &[0x80; 10].iter().copied().chain([0]).collect::<Vec<_>>(),
                ciphertext,
                mac,
            ),
            DecodeError::Varint,
        ),
        (
            assemble(
                key,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
                ciphertext,
                mac,
            ),
            DecodeError::Varint,
        ),
        (assemble(key, &varint(1 << 32), ciphertext, mac), DecodeError::Varint),
        (assemble(key, &varint(u64::MAX), ciphertext, mac), DecodeError::Varint),
    ];
    for (variant, error) in &malformed {
        assert_eq!(&Message::from_bytes(variant).unwrap_err(), error, "{variant:02x?}");
    }
    // Oversized lengths run past the end.
    for len in [1000u64, 1 << 32, 1 << 63, u64::MAX] {
        let mut v = vec![3, 0x0a];
        v.extend(varint(len));
        v.extend(&bytes[3..]);
        assert_eq!(Message::from_bytes(&v), Err(DecodeError::Truncated), "length {len}");
        let mut v = bytes[..layout.ciphertext.start - 2].to_vec();
        v.push(0x22);
        v.extend(varint(len));
        v.extend(&bytes[layout.ciphertext.start..]);
        assert!(Message::from_bytes(&v).is_err(), "ciphertext length {len}");
    }
    // Wire types Olm never writes.
    for wire_type in [1u8, 3, 4, 5, 6, 7] {
        let mut v = vec![3, 0x28 | wire_type, 0, 0, 0, 0, 0, 0, 0, 0];
        v.extend(&bytes[1..]);
        assert_eq!(Message::from_bytes(&v), Err(DecodeError::WireType(wire_type)));
    }
    // The largest index decodes and is refused by the gap limit.
    let max = assemble(key, &varint(u32::MAX.into()), ciphertext, mac);
    let m = Message::from_bytes(&max).unwrap();
    assert_eq!(m.chain_index(), u32::MAX);
    assert!(matches!(
        d.bob.decrypt(&OlmMessage::Normal(m)),
        Err(DecryptionError::TooBigMessageGap(u32::MAX, _))
    ));

    assert_eq!(d.bob.decrypt(&genuine).unwrap(), b"genuine");
    let reply = d.bob_sends("reply");
    assert_eq!(d.alice.decrypt(&reply).unwrap(), b"reply");
}

// ---------------------------------------------------------------------------
// Session::decrypt leaves the session unchanged on failure.

/// Every way to spoil `genuine`: each bit flip, each truncation from either
/// end, and the bytes with a byte appended.
fn spoiled(genuine: &OlmMessage) -> Vec<(usize, Vec<u8>)> {
    let (message_type, bytes) = genuine.to_parts();
    let mut out: Vec<(usize, Vec<u8>)> = (0..bytes.len() * 8)
        .map(|bit| (message_type, flip(&bytes, bit)))
        .collect();
    out.extend((0..bytes.len()).map(|len| (message_type, bytes[..len].to_vec())));
    out.extend((1..bytes.len()).map(|start| (message_type, bytes[start..].to_vec())));
    let mut longer = bytes.clone();
    longer.push(0);
    out.push((message_type, longer));
    out
}

/// Feeds `bad` to `session`; each one must fail to decode or to decrypt.
/// Returns how many reached `decrypt`.
fn reject_all(session: &mut Session, bad: &[(usize, Vec<u8>)], what: &str) -> usize {
    let before = snapshot(session);
    let mut decrypted = 0;
    for (i, (message_type, bytes)) in bad.iter().enumerate() {
        if let Ok(message) = OlmMessage::from_parts(*message_type, bytes) {
            decrypted += 1;
            let result = session.decrypt(&message);
            assert!(result.is_err(), "{what}: variant {i} decrypted: {bytes:02x?}");
            assert_eq!(
                snapshot(session),
                before,
                "{what}: variant {i} ({result:?}) changed the session"
            );
        }
    }
    decrypted
}

/// The whole state of a session: its pickle in our format, sealed with a
/// fixed key and a fixed generator, so equal states give equal strings (and
/// no feature is needed, unlike libolm's format).
fn snapshot(session: &Session) -> String {
    session.pickle_with_rng(&[0x5a; 32], &mut rng(0)).to_string()
}

/// The whole state of an account, as `snapshot` does for sessions.
fn account_snapshot(account: &Account) -> String {
    account.pickle_with_rng(&[0x5a; 32], &mut rng(0)).to_string()
}

/// The barrage: bit flips and truncations of each genuine message, replays
/// of the ones already delivered, messages of another session and a message
/// from 2005 steps ahead, each before the genuine message is delivered; the
/// genuine messages then decrypt in order. `twin` ran the same conversation
/// without the barrage; both must then produce identical replies, which
/// shows the state is the same.
fn barrage(
    receiver: &mut Session,
    genuine: &[OlmMessage],
    far_future: &OlmMessage,
    foreign: &[OlmMessage],
    what: &str,
) {
    for (i, message) in genuine.iter().enumerate() {
        let reached = reject_all(receiver, &spoiled(message), what);
        assert!(
            reached > message.as_bytes().len() * 4,
            "{what}: most flips decode and reach decrypt"
        );
        let before = snapshot(receiver);
        for old in &genuine[..i] {
            let index = match old {
                OlmMessage::Normal(m) => m.chain_index(),
                OlmMessage::PreKey(m) => m.message().chain_index(),
            };
            assert_eq!(
                receiver.decrypt(old),
                Err(DecryptionError::MissingMessageKey(index)),
                "{what}: replay"
            );
        }
        for other in foreign {
            assert_eq!(
                receiver.decrypt(other),
                Err(DecryptionError::InvalidMac),
                "{what}: foreign"
            );
        }
        assert!(
            matches!(
                receiver.decrypt(far_future),
                Err(DecryptionError::TooBigMessageGap(2005, _))
            ),
            "{what}: far future"
        );
        assert_eq!(
            snapshot(receiver),
            before,
            "{what}: replays, foreign and far-future messages"
        );
        assert_eq!(
            receiver.decrypt(message).unwrap(),
            format!("genuine {i}").into_bytes(),
            "{what}: genuine message {i} after the barrage"
        );
    }
}

#[test]
fn failed_decryptions_leave_the_session_unchanged() {
    let mut d = duo(5);
    let mut twin = duo(5);
    let mut other = duo(6);
    let foreign: Vec<OlmMessage> = vec![
        other.alice_sends("foreign 0"),
        other.alice_sends("foreign 1"),
        other.bob_sends("foreign 2"),
        OlmMessage::PreKey(opening(7).pre_key("foreign 3")),
    ];

    // Alice's next chain is new to Bob: its first message carries a new
    // ratchet key, so the spoiled variants of it test that a failure does
    // not advance the root key.
    let genuine: Vec<OlmMessage> = (0..3).map(|i| d.alice_sends(&format!("genuine {i}"))).collect();
    let twin_genuine: Vec<OlmMessage> = (0..3).map(|i| twin.alice_sends(&format!("genuine {i}"))).collect();
    assert_eq!(genuine, twin_genuine, "the twin is a copy");
    for i in 3..2005 {
        twin.alice_sends(&format!("ahead {i}"));
    }
    let far_future = twin.alice_sends("far future");
    barrage(&mut d.bob, &genuine, &far_future, &foreign, "Alice to Bob");
    for message in &genuine {
        assert_eq!(twin.bob.decrypt(message).unwrap(), twin_plain(message));
    }

    // Bob's replies start a new chain for Alice; the same barrage there.
    let replies: Vec<OlmMessage> = (0..3).map(|i| d.bob_sends(&format!("genuine {i}"))).collect();
    let twin_replies: Vec<OlmMessage> = (0..3).map(|i| twin.bob_sends(&format!("genuine {i}"))).collect();
    assert_eq!(replies, twin_replies, "Bob's state after the barrage equals his twin's");
    let mut ahead = duo(5);
    replay_until_bob_far_future(&mut ahead);
    let far_future = ahead.bob_sends("far future");
    barrage(&mut d.alice, &replies, &far_future, &foreign, "Bob to Alice");
    for message in &twin_replies {
        assert_eq!(twin.alice.decrypt(message).unwrap(), twin_plain(message));
    }

    // The conversation goes on, and both copies stay in step.
    for round in 0..4 {
        let (m, t) = if round % 2 == 0 {
            (d.alice_sends("onwards"), twin.alice_sends("onwards"))
        } else {
            (d.bob_sends("onwards"), twin.bob_sends("onwards"))
        };
        assert_eq!(m, t, "round {round}");
        let receiver = if round % 2 == 0 { &mut d.bob } else { &mut d.alice };
        assert_eq!(receiver.decrypt(&m).unwrap(), b"onwards");
        let twin_receiver = if round % 2 == 0 { &mut twin.bob } else { &mut twin.alice };
        twin_receiver.decrypt(&t).unwrap();
    }
}

/// What a genuine message of the barrage says (they are numbered in order).
fn twin_plain(message: &OlmMessage) -> Vec<u8> {
    let index = match message {
        OlmMessage::Normal(m) => m.chain_index(),
        OlmMessage::PreKey(m) => m.message().chain_index(),
    };
    format!("genuine {index}").into_bytes()
}

/// Replays on `d` (a copy of the duo in `failed_decryptions_leave_the_session_unchanged`)
/// the conversation up to Bob's replies, then lets Bob run 2005 messages ahead.
fn replay_until_bob_far_future(d: &mut Duo) {
    let genuine: Vec<OlmMessage> = (0..3).map(|i| d.alice_sends(&format!("genuine {i}"))).collect();
    for message in &genuine {
        d.bob.decrypt(message).unwrap();
    }
    for i in 0..2005 {
        d.bob_sends(&format!("ahead {i}"));
    }
}

// ---------------------------------------------------------------------------
// Pre-key messages: the outer keys carry no MAC.

/// Every bit flip of a pre-key message, delivered to the session it belongs
/// to: a flip in the unauthenticated outer keys is ignored (as in libolm and
/// vodozemac) and the message decrypts; any other flip is refused. The same
/// flips of the first message never create a new session, and the one-time
/// key survives them.
#[test]
fn pre_key_flips_on_existing_and_new_sessions() {
    let mut o = opening(8);
    let first = o.pre_key("first");
    let bits = first.as_bytes().len() * 8;
    // One message per bit, so that each flip that decrypts uses up its own
    // message key; they are delivered in order.
    let messages: Vec<PreKeyMessage> = (0..bits).map(|bit| o.pre_key(&format!("bit {bit}"))).collect();
    let alice_key = o.alice_account.curve25519_key();
    // A twin of Bob's account that never creates the session.
    let mut fresh = opening(8);
    let mut bob = o.bob_account.create_inbound_session(alice_key, &first).unwrap().session;

    let layout = pre_key_layout(first.as_bytes());
    let outer = [&layout.one_time_key, &layout.base_key, &layout.identity_key];
    let mut ignored = 0;
    for (bit, message) in messages.iter().enumerate() {
        let byte = bit / 8;
        let in_outer_key = outer.iter().any(|range| range.contains(&byte));
        let top_bit = outer.iter().any(|range| byte == range.end - 1) && bit % 8 == 7;
        let expected = format!("bit {bit}").into_bytes();

        // To the existing session.
        match PreKeyMessage::from_bytes(&flip(message.as_bytes(), bit)) {
            Err(e) => assert!(!in_outer_key || top_bit, "bit {bit}: {e:?}"),
            Ok(decoded) if in_outer_key => {
                ignored += 1;
                assert_eq!(
                    bob.decrypt(&OlmMessage::PreKey(decoded)).unwrap(),
                    expected,
                    "bit {bit}"
                );
                continue;
            }
            Ok(decoded) => assert!(
                bob.decrypt(&OlmMessage::PreKey(decoded)).is_err(),
                "bit {bit} decrypted"
            ),
        }
        // Refused, and not consumed: the genuine message still decrypts.
        assert_eq!(
            bob.decrypt(&OlmMessage::PreKey(message.clone())).unwrap(),
            expected,
            "bit {bit}"
        );
    }
    assert_eq!(ignored, 3 * 255);

    let mut refused = 0;
    for bit in 0..bits {
        let byte = bit / 8;
        let Ok(decoded) = PreKeyMessage::from_bytes(&flip(first.as_bytes(), bit)) else {
            continue;
        };
        refused += 1;
        let created = fresh.bob_account.create_inbound_session(alice_key, &decoded);
        let expected = if layout.one_time_key.contains(&byte) {
            SessionCreationError::MissingOneTimeKey(decoded.one_time_key())
        } else if layout.identity_key.contains(&byte) {
            SessionCreationError::MismatchedIdentityKey {
                expected: alice_key,
                got: decoded.identity_key(),
            }
        } else {
            SessionCreationError::Decryption(DecryptionError::InvalidMac)
        };
        assert_eq!(created.unwrap_err(), expected, "bit {bit}");
        // Claiming the flipped identity key does not help either.
        if layout.identity_key.contains(&byte) {
            assert_eq!(
                fresh
                    .bob_account
                    .create_inbound_session(decoded.identity_key(), &decoded)
                    .unwrap_err(),
                SessionCreationError::Decryption(DecryptionError::InvalidMac)
            );
        }
    }
    // Most flips decode (the flips of the outer keys, bar their top bits,
    // and those of the ciphertext and MAC), so most were refused above.
    assert!(refused > bits / 2, "only {refused} of {bits} flips reached the account");
    fresh.assert_one_time_key_kept();
    let created = fresh.bob_account.create_inbound_session(alice_key, &first).unwrap();
    assert_eq!(created.plaintext, b"first");
    assert_eq!(fresh.bob_account.stored_one_time_key_count(), 0);
    let reply = bob.encrypt_with_rng("reply", &mut o.rng);
    assert_eq!(o.alice.decrypt(&reply).unwrap(), b"reply");
}

// ---------------------------------------------------------------------------
// Account::create_inbound_session.

#[test]
fn inbound_session_failures_keep_the_one_time_key() {
    let mut o = opening(9);
    let alice_key = o.alice_account.curve25519_key();
    let genuine = o.pre_key("genuine");
    o.assert_one_time_key_kept();

    // A pre-key message for a one-time key Bob never had.
    let mut other = opening(10);
    let unknown = other.pre_key("not for this account");
    assert_eq!(
        o.bob_account
            .create_inbound_session(other.alice_account.curve25519_key(), &unknown)
            .unwrap_err(),
        SessionCreationError::MissingOneTimeKey(other.otk)
    );
    o.assert_one_time_key_kept();

    // The caller expects another sender.
    let carol = opening(11).alice_account.curve25519_key();
    assert_eq!(
        o.bob_account.create_inbound_session(carol, &genuine).unwrap_err(),
        SessionCreationError::MismatchedIdentityKey {
            expected: carol,
            got: alice_key
        }
    );
    o.assert_one_time_key_kept();

    // The embedded message altered: ciphertext, MAC, chain index.
    let layout = pre_key_layout(genuine.as_bytes());
    let inner = message_layout(genuine.as_bytes(), layout.message.clone());
    for byte in [
        inner.ciphertext.start,
        inner.ciphertext.end - 1,
        inner.mac.start,
        inner.mac.end - 1,
    ] {
        let altered = PreKeyMessage::from_bytes(&flip(genuine.as_bytes(), byte * 8)).unwrap();
        assert_eq!(
            o.bob_account.create_inbound_session(alice_key, &altered).unwrap_err(),
            SessionCreationError::Decryption(DecryptionError::InvalidMac)
        );
        o.assert_one_time_key_kept();
    }
    let mut index = genuine.to_bytes();
    let index_byte = inner.ratchet_key.end + 1;
    index[index_byte] ^= 1;
    let altered = PreKeyMessage::from_bytes(&index).unwrap();
    assert_eq!(altered.message().chain_index(), 1);
    assert_eq!(
        o.bob_account.create_inbound_session(alice_key, &altered).unwrap_err(),
        SessionCreationError::Decryption(DecryptionError::InvalidMac)
    );
    o.assert_one_time_key_kept();

    // A first message too far along Alice's chain.
    for _ in 1..2001 {
        o.pre_key("skipped");
    }
    let too_far = o.pre_key("index 2001");
    assert_eq!(too_far.message().chain_index(), 2001);
    assert_eq!(
        o.bob_account.create_inbound_session(alice_key, &too_far).unwrap_err(),
        SessionCreationError::Decryption(DecryptionError::TooBigMessageGap(2001, 0))
    );
    o.assert_one_time_key_kept();

    // After all that, the genuine message creates the session and uses up
    // the key; a replay then finds no key.
    let created = o.bob_account.create_inbound_session(alice_key, &genuine).unwrap();
    assert_eq!(created.plaintext, b"genuine");
    assert_eq!(o.bob_account.stored_one_time_key_count(), 0);
    assert!(o.bob_account.one_time_keys().is_empty());
    assert_eq!(
        o.bob_account.create_inbound_session(alice_key, &genuine).unwrap_err(),
        SessionCreationError::MissingOneTimeKey(o.otk)
    );
    let mut bob = created.session;
    assert_eq!(
        bob.decrypt(&OlmMessage::PreKey(genuine)),
        Err(DecryptionError::MissingMessageKey(0))
    );
    let reply = bob.encrypt_with_rng("reply", &mut o.rng);
    assert_eq!(o.alice.decrypt(&reply).unwrap(), b"reply");
}

/// A copy of `message` with `range` replaced by `key`.
fn with_key(
    message: &PreKeyMessage,
    range: std::ops::Range<usize>,
    key: [u8; 32],
) -> Result<PreKeyMessage, DecodeError> {
    let mut bytes = message.to_bytes();
    bytes[range].copy_from_slice(&key);
    PreKeyMessage::from_bytes(&bytes)
}

#[test]
fn low_order_keys_are_refused() {
    let mut o = opening(12);
    let alice_key = o.alice_account.curve25519_key();
    let genuine = o.pre_key("genuine");
    let layout = pre_key_layout(genuine.as_bytes());
    let inner = message_layout(genuine.as_bytes(), layout.message.clone());
    for point in low_order_points() {
        let low = Curve25519PublicKey::from_bytes(point);
        // As the base key, the identity key and the embedded ratchet key.
        let base = with_key(&genuine, layout.base_key.clone(), point).unwrap();
        assert_eq!(
            o.bob_account.create_inbound_session(alice_key, &base).unwrap_err(),
            SessionCreationError::NonContributoryKey,
            "base key {low:?}"
        );
        let identity = with_key(&genuine, layout.identity_key.clone(), point).unwrap();
        assert_eq!(
            o.bob_account.create_inbound_session(low, &identity).unwrap_err(),
            SessionCreationError::NonContributoryKey,
            "identity key {low:?}"
        );
        let ratchet = with_key(&genuine, inner.ratchet_key.clone(), point).unwrap();
        assert_eq!(
            o.bob_account.create_inbound_session(alice_key, &ratchet).unwrap_err(),
            SessionCreationError::NonContributoryKey,
            "ratchet key {low:?}"
        );
        let one_time = with_key(&genuine, layout.one_time_key.clone(), point).unwrap();
        assert_eq!(
            o.bob_account.create_inbound_session(alice_key, &one_time).unwrap_err(),
            SessionCreationError::MissingOneTimeKey(low)
        );
        o.assert_one_time_key_kept();

        // Opening a session to low-order keys.
        let bob_key = o.bob_account.curve25519_key();
        for (identity, one_time) in [(low, o.otk), (bob_key, low), (low, low)] {
            assert_eq!(
                o.alice_account
                    .create_outbound_session_with_rng(SessionConfig::version_1(), identity, one_time, &mut o.rng)
                    .unwrap_err(),
                SessionCreationError::NonContributoryKey
            );
        }
    }
    let mut bob = o
        .bob_account
        .create_inbound_session(alice_key, &genuine)
        .unwrap()
        .session;

    // A low-order ratchet key in a normal message: refused whether or not
    // the receiver has a sending chain to answer it with, and harmless.
    let reply = bob.encrypt_with_rng("reply", &mut o.rng);
    let reply_bytes = reply.as_bytes().to_vec();
    let reply_layout = message_layout(&reply_bytes, 0..reply_bytes.len());
    for point in low_order_points() {
        let mut bytes = reply_bytes.clone();
        bytes[reply_layout.ratchet_key.clone()].copy_from_slice(&point);
        let message = OlmMessage::from_parts(1, &bytes).unwrap();
        // Both have a sending chain to answer a new chain with, so the
        // exchange itself is attempted, and refused.
        assert_eq!(o.alice.decrypt(&message), Err(DecryptionError::NonContributoryKey));
        assert_eq!(bob.decrypt(&message), Err(DecryptionError::NonContributoryKey));
    }
    assert_eq!(o.alice.decrypt(&reply).unwrap(), b"reply");
    let answer = o.alice.encrypt_with_rng("answer", &mut o.rng);
    assert_eq!(bob.decrypt(&answer).unwrap(), b"answer");
    // Bob has just received on a new chain and has no sending chain: a new
    // chain is unexpected and fails like a bad MAC, as in libolm.
    for point in low_order_points() {
        let mut bytes = reply_bytes.clone();
        bytes[reply_layout.ratchet_key.clone()].copy_from_slice(&point);
        let message = OlmMessage::from_parts(1, &bytes).unwrap();
        assert_eq!(bob.decrypt(&message), Err(DecryptionError::InvalidMac));
    }
    let reply = bob.encrypt_with_rng("still fine", &mut o.rng);
    assert_eq!(o.alice.decrypt(&reply).unwrap(), b"still fine");
}

#[test]
fn replayed_pre_key_messages_and_fallback_keys() {
    let mut r = rng(13);
    let alice_account = Account::new_with_rng(&mut r);
    let mut bob_account = Account::new_with_rng(&mut r);
    let open = |account: &mut Account, key: Curve25519PublicKey, r: &mut StdRng| -> PreKeyMessage {
        let mut session = alice_account
            .create_outbound_session_with_rng(SessionConfig::version_1(), account.curve25519_key(), key, r)
            .unwrap();
        match session.encrypt_with_rng("hello", r) {
            OlmMessage::PreKey(m) => m,
            OlmMessage::Normal(_) => panic!("pre-key expected"),
        }
    };
    let alice_key = alice_account.curve25519_key();

    // A fallback key is not consumed: replaying the pre-key message creates
    // the same session again (vodozemac does the same).
    assert_eq!(bob_account.generate_fallback_key_with_rng(&mut r), None);
    let first_fallback = *bob_account.fallback_key().values().next().unwrap();
    bob_account.mark_keys_as_published();
    assert!(bob_account.fallback_key().is_empty());
    let via_first = open(&mut bob_account, first_fallback, &mut r);
    let a = bob_account.create_inbound_session(alice_key, &via_first).unwrap();
    let b = bob_account.create_inbound_session(alice_key, &via_first).unwrap();
    assert_eq!(a.session.session_id(), b.session.session_id());
    assert_eq!(a.plaintext, b.plaintext);

    // After a rotation the previous fallback key still works; after a second
    // rotation, or once forgotten, it is gone.
    assert_eq!(bob_account.generate_fallback_key_with_rng(&mut r), None);
    let second_fallback = *bob_account.fallback_key().values().next().unwrap();
    assert!(bob_account.create_inbound_session(alice_key, &via_first).is_ok());
    let via_second = open(&mut bob_account, second_fallback, &mut r);
    assert_eq!(bob_account.generate_fallback_key_with_rng(&mut r), Some(first_fallback));
    assert_eq!(
        bob_account.create_inbound_session(alice_key, &via_first).unwrap_err(),
        SessionCreationError::MissingOneTimeKey(first_fallback)
    );
    assert!(bob_account.create_inbound_session(alice_key, &via_second).is_ok());
    assert!(bob_account.forget_fallback_key());
    assert!(!bob_account.forget_fallback_key());
    assert_eq!(
        bob_account.create_inbound_session(alice_key, &via_second).unwrap_err(),
        SessionCreationError::MissingOneTimeKey(second_fallback)
    );

    // A one-time key is consumed by its first session.
    let otk = bob_account.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let via_otk = open(&mut bob_account, otk, &mut r);
    assert!(bob_account.create_inbound_session(alice_key, &via_otk).is_ok());
    assert_eq!(
        bob_account.create_inbound_session(alice_key, &via_otk).unwrap_err(),
        SessionCreationError::MissingOneTimeKey(otk)
    );
}

// ---------------------------------------------------------------------------
// Limits, with the exact error payloads.

#[test]
fn gap_limit_payloads() {
    // An existing chain standing at index 1.
    let mut d = duo(14);
    let first = d.alice_sends("0");
    d.bob.decrypt(&first).unwrap();
    let messages: Vec<OlmMessage> = (1..=2002).map(|i| d.alice_sends(&i.to_string())).collect();
    assert_eq!(
        d.bob.decrypt(&messages[2001]),
        Err(DecryptionError::TooBigMessageGap(2002, 1))
    );
    assert_eq!(d.bob.decrypt(&messages[2000]).unwrap(), b"2001");

    // A new chain.
    let messages: Vec<OlmMessage> = (0..=2001).map(|i| d.bob_sends(&i.to_string())).collect();
    assert_eq!(
        d.alice.decrypt(&messages[2001]),
        Err(DecryptionError::TooBigMessageGap(2001, 0))
    );
    assert_eq!(d.alice.decrypt(&messages[2000]).unwrap(), b"2000");
}

#[test]
fn forty_skipped_keys_when_the_session_is_created() {
    // The session is created from the 51st pre-key message: only the keys
    // of the 40 before it are kept.
    let mut o = opening(15);
    let alice_key = o.alice_account.curve25519_key();
    let messages: Vec<PreKeyMessage> = (0..51).map(|i| o.pre_key(&i.to_string())).collect();
    let mut bob = o
        .bob_account
        .create_inbound_session(alice_key, &messages[50])
        .unwrap()
        .session;
    for (i, message) in messages.iter().enumerate().take(50) {
        let result = bob.decrypt(&OlmMessage::PreKey(message.clone()));
        if i < 10 {
            assert_eq!(result, Err(DecryptionError::MissingMessageKey(i as u32)));
        } else {
            assert_eq!(result.unwrap(), i.to_string().into_bytes());
        }
    }
    for message in &messages {
        assert!(matches!(
            bob.decrypt(&OlmMessage::PreKey(message.clone())),
            Err(DecryptionError::MissingMessageKey(_))
        ));
    }
}

// ---------------------------------------------------------------------------
// More ways a message can be wrong.

#[test]
fn failures_on_late_messages_keep_their_skipped_keys() {
    let mut d = duo(16);
    let mut twin = duo(16);
    let messages: Vec<OlmMessage> = (0..8).map(|i| d.alice_sends(&format!("genuine {i}"))).collect();
    let twin_messages: Vec<OlmMessage> = (0..8).map(|i| twin.alice_sends(&format!("genuine {i}"))).collect();
    assert_eq!(messages, twin_messages);
    // The last arrives first: the others now need skipped keys.
    assert_eq!(d.bob.decrypt(&messages[7]).unwrap(), b"genuine 7");
    assert_eq!(twin.bob.decrypt(&messages[7]).unwrap(), b"genuine 7");
    for (i, message) in messages.iter().enumerate().take(7).rev() {
        let reached = reject_all(&mut d.bob, &spoiled(message), "late message");
        assert!(
            reached > message.as_bytes().len() * 4,
            "late message {i}: most flips decode and reach decrypt ({reached})"
        );
        assert_eq!(d.bob.decrypt(message).unwrap(), format!("genuine {i}").into_bytes());
        assert_eq!(twin.bob.decrypt(message).unwrap(), format!("genuine {i}").into_bytes());
    }
    // The same state as the twin's: the same replies.
    for _ in 0..2 {
        assert_eq!(d.bob_sends("reply"), twin.bob_sends("reply"));
    }
}

#[test]
fn reflected_messages_are_refused() {
    let mut d = duo(17);
    let mine = d.alice_sends("to Bob");
    assert_eq!(d.alice.decrypt(&mine), Err(DecryptionError::InvalidMac));
    assert_eq!(d.bob.decrypt(&mine).unwrap(), b"to Bob");
    let reply = d.bob_sends("to Alice");
    assert_eq!(d.bob.decrypt(&reply), Err(DecryptionError::InvalidMac));
    assert_eq!(d.alice.decrypt(&reply).unwrap(), b"to Alice");
    // Alice's pre-key message reflected to her.
    let mut o = opening(18);
    let first = OlmMessage::PreKey(o.pre_key("first"));
    assert_eq!(o.alice.decrypt(&first), Err(DecryptionError::InvalidMac));
    assert!(!o.alice.has_received_message());
}

#[test]
fn one_time_keys_dropped_for_capacity_are_missing() {
    let mut o = opening(19);
    let alice_key = o.alice_account.curve25519_key();
    let message = o.pre_key("too late");
    let capacity = o.bob_account.one_time_key_capacity();
    let result = o.bob_account.generate_one_time_keys_with_rng(capacity, &mut o.rng);
    assert_eq!(result.removed, [o.otk]);
    assert_eq!(
        o.bob_account.create_inbound_session(alice_key, &message).unwrap_err(),
        SessionCreationError::MissingOneTimeKey(o.otk)
    );
}

#[test]
fn padded_message_bodies_are_accepted() {
    let mut o = opening(21);
    let mut d = duo(22);
    let mut padded_types = Vec::new();
    for len in [0, 16, 32] {
        let plaintext = "x".repeat(len);
        let messages = [OlmMessage::PreKey(o.pre_key(&plaintext)), d.bob_sends(&plaintext)];
        for message in messages {
            let (message_type, bytes) = message.to_parts();
            let body = message.to_base64();
            assert_eq!(body, base64_encode(&bytes));
            assert_eq!(OlmMessage::from_base64(message_type, &body).unwrap(), message);
            let padded = format!("{body}{}", "=".repeat((4 - body.len() % 4) % 4));
            if padded != body {
                padded_types.push(message_type);
                assert_eq!(OlmMessage::from_base64(message_type, &padded).unwrap(), message);
                for bad in [format!("{padded}="), format!("{padded}===="), format!("={body}")] {
                    assert!(OlmMessage::from_base64(message_type, &bad).is_err(), "{bad}");
                }
            }
        }
    }
    padded_types.sort_unstable();
    padded_types.dedup();
    assert_eq!(padded_types, [0, 1]);
}

#[test]
fn non_canonical_ed25519_encodings() {
    // x = 0 with the sign bit set ("negative zero") for y = 1 and y = -1.
    let mut y1 = [0u8; 32];
    y1[0] = 1;
    y1[31] = 0x80;
    let mut y_minus_1 = [0xffu8; 32];
    y_minus_1[0] = 0xec;
    y_minus_1[31] = 0xff;
    // y = p + 1, the non-canonical encoding of y = 1.
    let mut p_plus_1 = [0xffu8; 32];
    p_plus_1[0] = 0xee;
    p_plus_1[31] = 0x7f;
    for bytes in [y1, y_minus_1, p_plus_1] {
        assert_eq!(
            Ed25519PublicKey::from_slice(&bytes),
            Err(KeyError::InvalidEd25519Key),
            "{bytes:02x?}"
        );
    }
}

/// The envelope of a pre-key message carries no MAC of its own: framing
/// changes that keep its fields (non-minimal lengths, an unknown field,
/// another field order) decode to the same fields and change nothing about
/// the session that results.
#[test]
fn re_encoded_pre_key_envelopes() {
    let mut o = opening(20);
    let alice_key = o.alice_account.curve25519_key();
    let genuine = o.pre_key("genuine");
    let bytes = genuine.to_bytes();
    let layout = pre_key_layout(&bytes);
    let field = |tag: u8, range: &std::ops::Range<usize>| bytes_field(tag, &bytes[range.clone()]);
    let non_minimal = |tag: u8, range: &std::ops::Range<usize>| {
        let mut out = vec![tag];
        let mut len = varint(range.len() as u64);
        let last = len.len() - 1;
        len[last] |= 0x80;
        len.push(0);
        out.extend(len);
        out.extend_from_slice(&bytes[range.clone()]);
        out
    };
    let otk = field(0x0a, &layout.one_time_key);
    let base = field(0x12, &layout.base_key);
    let identity = field(0x1a, &layout.identity_key);
    let message = field(0x22, &layout.message);
    let variants = [
        [vec![3], message.clone(), identity.clone(), base.clone(), otk.clone()].concat(),
        [
            vec![3],
            non_minimal(0x0a, &layout.one_time_key),
            base.clone(),
            identity.clone(),
            message.clone(),
        ]
        .concat(),
        [
            vec![3],
            otk.clone(),
            base.clone(),
            identity.clone(),
            non_minimal(0x22, &layout.message),
        ]
        .concat(),
        [
            vec![3],
            otk.clone(),
            base.clone(),
            identity.clone(),
            message.clone(),
            vec![0x28, 0x07],
        ]
        .concat(),
        [
            vec![3, 0x2a, 0x00],
            otk.clone(),
            base.clone(),
            identity.clone(),
            message.clone(),
        ]
        .concat(),
    ];
    for (i, variant) in variants.iter().enumerate() {
        // Each decodes: the envelope is framing, and framing is not checked
        // byte for byte. Refusing one would change this test, not skip it.
        let decoded = PreKeyMessage::from_bytes(variant).unwrap_or_else(|e| panic!("variant {i}: {e:?}"));
        assert_eq!(decoded.session_keys(), genuine.session_keys());
        assert_eq!(decoded.message(), genuine.message());
        let mut fresh = opening(20);
        let created = fresh.bob_account.create_inbound_session(alice_key, &decoded).unwrap();
        assert_eq!(created.plaintext, b"genuine");
        assert_eq!(created.session.session_id(), o.alice.session_id());
    }
}

// ---------------------------------------------------------------------------
// Olm version 2.

/// A pre-key message of the variant the caller does not expect creates no
/// session and keeps the one-time key, whichever way round; the identity
/// key is checked first, as vodozemac checks it.
#[test]
fn mismatched_configs_at_session_creation_keep_the_one_time_key() {
    let v1 = SessionConfig::version_1();
    let v2 = SessionConfig::version_2();
    for (sent, expected) in [(v2, v1), (v1, v2)] {
        let mut o = opening_of(20 + u64::from(sent.version()), sent);
        let alice_key = o.alice_account.curve25519_key();
        let first = o.pre_key("first");
        assert_eq!(first.message().version(), sent.version() + 2);
        assert_eq!(
            first.to_bytes()[0],
            3,
            "pre-key messages are version 3 in both variants"
        );
        let mismatch = SessionCreationError::MismatchedSessionConfig { expected, got: sent };
        assert_eq!(
            o.bob_account
                .create_inbound_session_with_config(expected, alice_key, &first)
                .unwrap_err(),
            mismatch
        );
        o.assert_one_time_key_kept();
        if expected == v1 {
            // The call without a config expects v1.
            assert_eq!(
                o.bob_account.create_inbound_session(alice_key, &first).unwrap_err(),
                mismatch
            );
            o.assert_one_time_key_kept();
        }
        let carol = opening(30).alice_account.curve25519_key();
        assert_eq!(
            o.bob_account
                .create_inbound_session_with_config(expected, carol, &first)
                .unwrap_err(),
            SessionCreationError::MismatchedIdentityKey {
                expected: carol,
                got: alice_key
            }
        );
        o.assert_one_time_key_kept();
        // The expected variant creates the session and uses up the key.
        let created = o
            .bob_account
            .create_inbound_session_with_config(sent, alice_key, &first)
            .unwrap();
        assert_eq!(created.plaintext, b"first");
        assert_eq!(created.session.session_config(), sent);
        assert_eq!(o.bob_account.stored_one_time_key_count(), 0);
    }
}

/// A v2 normal message with its MAC cut, or relabelled as v1 with its MAC
/// cut to 8 bytes, and a v1 message relabelled as v2 with its MAC padded:
/// each fails to decode or to decrypt, with a typed error, and the session
/// is unchanged.
#[test]
fn truncated_and_relabelled_macs() {
    let mut d = duo_of(40, SessionConfig::version_2());
    let genuine = d.alice_sends("genuine");
    let bytes = normal_bytes(&genuine);
    assert_eq!(bytes[0], 4);
    let before = snapshot(&d.bob);
    // Every cut of the 32-byte MAC, still labelled 4: the last bytes of the
    // ciphertext are then read as MAC and the framing breaks.
    for cut in 1..=32 {
        let result = Message::from_bytes(&bytes[..bytes.len() - cut]);
        assert!(result.is_err(), "{cut}: {result:?}");
    }
    // Labelled 3 with the MAC cut to its first 8 bytes: a well-formed v1
    // message, which the v2 session refuses by its MAC's length.
    let mut as_v1 = bytes[..bytes.len() - 24].to_vec();
    as_v1[0] = 3;
    let as_v1 = OlmMessage::from_parts(1, &as_v1).unwrap();
    assert_eq!(
        d.bob.decrypt(&as_v1),
        Err(DecryptionError::InvalidMacLength { expected: 32, got: 8 })
    );
    assert_eq!(snapshot(&d.bob), before);
    // The 32-byte MAC with any one bit flipped.
    for bit in 0..32 * 8 {
        let flipped = flip(&bytes, (bytes.len() - 32) * 8 + bit);
        let flipped = OlmMessage::from_parts(1, &flipped).unwrap();
        assert_eq!(d.bob.decrypt(&flipped), Err(DecryptionError::InvalidMac), "bit {bit}");
    }
    assert_eq!(snapshot(&d.bob), before);
    assert_eq!(d.bob.decrypt(&genuine).unwrap(), b"genuine");

    // The other way: a v1 message relabelled 4 with 24 bytes added to its
    // MAC, given to its v1 session.
    let mut v1 = duo(41);
    let genuine = v1.alice_sends("genuine");
    let mut as_v2 = normal_bytes(&genuine);
    as_v2[0] = 4;
    as_v2.extend_from_slice(&[0; 24]);
    let as_v2 = OlmMessage::from_parts(1, &as_v2).unwrap();
    let before = snapshot(&v1.bob);
    assert_eq!(
        v1.bob.decrypt(&as_v2),
        Err(DecryptionError::InvalidMacLength { expected: 8, got: 32 })
    );
    assert_eq!(snapshot(&v1.bob), before);
    assert_eq!(v1.bob.decrypt(&genuine).unwrap(), b"genuine");
}

/// The barrage of `failed_decryptions_leave_the_session_unchanged`, on a
/// v2 session: every bit flip and truncation of v2 messages (the 32-byte
/// MACs included), replays, foreign v2 messages and a far-future one.
#[test]
fn failed_decryptions_leave_a_version_2_session_unchanged() {
    let v2 = SessionConfig::version_2();
    let mut d = duo_of(50, v2);
    let mut twin = duo_of(50, v2);
    let mut other = duo_of(51, v2);
    let foreign: Vec<OlmMessage> = vec![
        other.alice_sends("foreign 0"),
        other.bob_sends("foreign 1"),
        OlmMessage::PreKey(opening_of(52, v2).pre_key("foreign 2")),
    ];
    let genuine: Vec<OlmMessage> = (0..2).map(|i| d.alice_sends(&format!("genuine {i}"))).collect();
    let twin_genuine: Vec<OlmMessage> = (0..2).map(|i| twin.alice_sends(&format!("genuine {i}"))).collect();
    assert_eq!(genuine, twin_genuine, "the twin is a copy");
    for i in 2..2005 {
        twin.alice_sends(&format!("ahead {i}"));
    }
    let far_future = twin.alice_sends("far future");
    barrage(&mut d.bob, &genuine, &far_future, &foreign, "v2 Alice to Bob");
    let mut twin = duo_of(50, v2);
    for (i, message) in genuine.iter().enumerate() {
        twin.alice_sends(&format!("genuine {i}"));
        assert_eq!(twin.bob.decrypt(message).unwrap(), twin_plain(message));
    }
    let (reply, twin_reply) = (d.bob_sends("onwards"), twin.bob_sends("onwards"));
    assert_eq!(reply, twin_reply, "Bob's state after the barrage equals his twin's");
    assert_eq!(d.alice.decrypt(&reply).unwrap(), b"onwards");
}
