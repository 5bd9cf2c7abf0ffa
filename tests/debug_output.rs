//! Pins the `Debug` output of every public type, so that no change can start
//! printing secret bytes unnoticed, and checks that the output of every type
//! holding a secret contains none of that secret's encodings (base64, hex,
//! or the decimal list `{:?}` prints for byte arrays).
//!
//! Objects come from a seeded generator, so the pinned strings are stable.
#![cfg(feature = "libolm-compat")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use olm::{
    Curve25519PublicKey, Curve25519SecretKey, DecodeError, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature,
    KeyError, KeyId, PickleError, SignatureError, base64_decode,
    megolm::{
        ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, ReplayGuard,
        SessionConfig as MegolmConfig, SessionKey,
    },
    olm::{Account, MessageType, OlmMessage, SessionConfig},
    pk::{PkDecryption, PkEncryption, PkMessage, PkSigning},
    sas::Sas,
};
use support::rng;

use olm_testkit::hex::encode as hex;

/// Fails if `debug` shows any part of `secret` in an encoding a careless
/// `Debug` would use: every 8-character window of its base64 (48 bits),
/// every 12-digit window of its hex in either case, and every run of six
/// bytes of the decimal list `{:?}` prints for byte arrays and vectors.
fn assert_hides(debug: &str, secret: &[u8], what: &str) {
    let base64 = olm::base64_encode(secret);
    let lower = hex(secret);
    let upper = lower.to_uppercase();
    for (encoding, width) in [(&base64, 8), (&lower, 12), (&upper, 12)] {
        for window in encoding.as_bytes().windows(width.min(encoding.len())) {
            let window = std::str::from_utf8(window).unwrap();
            assert!(
                !debug.contains(window),
                "{what}: Debug shows the secret ({window}): {debug}"
            );
        }
    }
    let bytes: Vec<String> = secret.iter().map(u8::to_string).collect();
    for run in bytes.windows(6.min(bytes.len())) {
        let run = run.join(", ");
        assert!(!debug.contains(&run), "{what}: Debug shows the secret ({run}): {debug}");
    }
}

/// The secret fields of a libolm pickle body, by offset and length.
fn secret_fields(pickle: &str, fields: &[(usize, usize)]) -> Vec<Vec<u8>> {
    let body = olm_testkit::libolm_body::open(b"k", pickle);
    fields.iter().map(|&(at, len)| body[at..at + len].to_vec()).collect()
}

/// The plaintexts of every result type that carries one, and the secrets of
/// accounts and sessions (read from their libolm pickles), never show.
#[test]
fn plaintexts_and_session_secrets_never_appear_in_debug_output() {
    let mut r = rng(5);
    let plaintext = b"a plaintext that must never be printed by Debug";

    // Olm: the account's secret keys, the session's root key, and the
    // plaintext of an inbound creation.
    let alice = account();
    let mut bob = Account::new_with_rng(&mut r);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let mut session = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut r)
        .unwrap();
    let OlmMessage::PreKey(pre_key) = session.encrypt_with_rng(plaintext, &mut r) else {
        unreachable!()
    };
    // Account body: version (4), Ed25519 public (32) and expanded secret
    // (64), Curve25519 public (32) and secret (32).
    let account_pickle = alice.to_libolm_pickle(b"k").unwrap();
    for secret in secret_fields(&account_pickle, &[(36, 64), (132, 32)]) {
        assert_hides(&format!("{alice:?}"), &secret, "Account");
    }
    // Session body: version (4), flag (1), three keys (96), root key (32).
    let session_pickle = session.to_libolm_pickle(b"k").unwrap();
    for secret in secret_fields(&session_pickle, &[(101, 32)]) {
        assert_hides(&format!("{session:?}"), &secret, "Session");
    }
    let created = bob.create_inbound_session(alice.curve25519_key(), &pre_key).unwrap();
    assert_hides(&format!("{created:?}"), plaintext, "olm::InboundCreationResult");

    // Megolm: the decrypted message.
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let mut inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let decrypted = inbound.decrypt(&group.encrypt(plaintext)).unwrap();
    assert_hides(&format!("{decrypted:?}"), plaintext, "DecryptedMessage");

    // ECIES: the inbound result carries the first plaintext.
    let scanner = olm::ecies::Ecies::new_with_rng(&mut r);
    let shower = olm::ecies::Ecies::new_with_rng(&mut r);
    let outbound = scanner
        .establish_outbound_channel(shower.public_key(), plaintext)
        .unwrap();
    let inbound_ecies = shower.establish_inbound_channel(&outbound.message).unwrap();
    assert_eq!(inbound_ecies.message, plaintext);
    assert_hides(&format!("{inbound_ecies:?}"), plaintext, "ecies::InboundCreationResult");

    // HPKE: the recipient's result and the sender's bidirectional result.
    let recipient = olm::hpke::HpkeRecipientChannel::new_with_rng(&mut r);
    let sender = olm::hpke::HpkeSenderChannel::new();
    let sent = sender
        .establish_channel_with_rng(recipient.public_key(), plaintext, b"", &mut r)
        .unwrap();
    let received = recipient.establish_channel(&sent.message, b"").unwrap();
    assert_eq!(received.message, plaintext);
    assert_hides(&format!("{received:?}"), plaintext, "hpke::RecipientCreationResult");
    let response = received
        .channel
        .establish_bidirectional_channel_with_rng(plaintext, b"", &mut r)
        .unwrap();
    let completed = sent
        .channel
        .establish_bidirectional_channel(&response.message, b"")
        .unwrap();
    assert_eq!(completed.message, plaintext);
    assert_hides(
        &format!("{completed:?}"),
        plaintext,
        "hpke::BidirectionalCreationResult",
    );
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let mut r = rng(1);
    let curve = Curve25519SecretKey::new_with_rng(&mut r);
    assert_hides(
        &format!("{curve:?}"),
        curve.to_bytes().as_slice(),
        "Curve25519SecretKey",
    );
    let ed = Ed25519SecretKey::new_with_rng(&mut r);
    assert_hides(&format!("{ed:?}"), ed.to_bytes().as_slice(), "Ed25519SecretKey");

    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let session_key = group.session_key();
    // The ratchet is bytes 5..133 of the session key.
    let ratchet = session_key.to_bytes()[5..133].to_vec();
    for (what, debug) in [
        ("GroupSession", format!("{group:?}")),
        ("SessionKey", format!("{session_key:?}")),
    ] {
        for part in ratchet.chunks(32) {
            assert_hides(&debug, part, what);
        }
    }
    let mut inbound = InboundGroupSession::new(&session_key, MegolmConfig::version_1());
    let message = group.encrypt("hello");
    inbound.decrypt(&message).unwrap();
    let export = inbound.export_at(0).unwrap();
    for (what, debug) in [
        ("InboundGroupSession", format!("{inbound:?}")),
        ("ExportedSessionKey", format!("{export:?}")),
    ] {
        for part in ratchet.chunks(32) {
            assert_hides(&debug, part, what);
        }
    }

    let pk = PkDecryption::new_with_rng(&mut r);
    assert_hides(&format!("{pk:?}"), pk.to_bytes().as_slice(), "PkDecryption");
    let signing = PkSigning::new_with_rng(&mut r);
    assert_hides(&format!("{signing:?}"), signing.seed().as_slice(), "PkSigning");

    let sas_secret = Curve25519SecretKey::new_with_rng(&mut r);
    let sas = Sas::new_with_rng(&mut rng(2));
    let their = Sas::new_with_rng(&mut rng(3));
    let their_public = their.public_key();
    let our_public = sas.public_key();
    let debug = format!("{sas:?}");
    let established = sas.diffie_hellman(their_public).unwrap();
    let shared = their.diffie_hellman(our_public).unwrap();
    let _ = (sas_secret, shared.bytes("x"));
    assert!(!format!("{established:?}").contains("shared"), "{established:?}");
    assert!(!debug.contains("secret"), "{debug}");
}

fn account() -> Account {
    let mut r = rng(7);
    let mut account = Account::new_with_rng(&mut r);
    account.generate_one_time_keys_with_rng(2, &mut r);
    account
}

/// The pinned outputs. Public keys and ids appear; nothing secret does.
#[test]
fn debug_output_is_pinned() {
    let mut r = rng(11);
    let curve = Curve25519SecretKey::from_bytes(&[1; 32]);
    let ed = Ed25519SecretKey::from_bytes(&[2; 32]);
    let signature = ed.sign(b"x");
    let alice = account();
    let mut bob = Account::new_with_rng(&mut r);
    let created = bob.generate_one_time_keys_with_rng(1, &mut r);
    let otk = created.created[0];
    let mut session = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut r)
        .unwrap();
    let OlmMessage::PreKey(pre_key) = session.encrypt_with_rng("hi", &mut r) else {
        unreachable!()
    };
    let inbound_result = bob.create_inbound_session(alice.curve25519_key(), &pre_key).unwrap();
    let mut bob_session = inbound_result.session;
    let reply = bob_session.encrypt_with_rng("reply", &mut r);
    let OlmMessage::Normal(normal) = reply.clone() else {
        unreachable!()
    };
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let session_key = group.session_key();
    let mut inbound = InboundGroupSession::new(&session_key, MegolmConfig::version_1());
    let megolm = group.encrypt("room");
    let decrypted = inbound.decrypt(&megolm).unwrap();
    let export = inbound.export_at(1).unwrap();
    let mut guard = ReplayGuard::new();
    guard.record("s", 0, "$a").unwrap();
    let replay = guard.record("s", 0, "$b").unwrap_err();
    let pk = PkDecryption::from_bytes(&[3; 32]);
    let pk_encryption = PkEncryption::from(&pk);
    let pk_message = pk_encryption.encrypt_with_rng(b"backup", &mut r);
    let signing = PkSigning::from_seed(&[4; 32]);
    let sas = Sas::new_with_rng(&mut rng(2));
    let established = Sas::new_with_rng(&mut rng(3)).diffie_hellman(sas.public_key()).unwrap();
    let sas_bytes = established.bytes("info");
    let mac = established.calculate_mac("input", "info");

    let actual: Vec<(&str, String)> = vec![
        ("Curve25519PublicKey", format!("{:?}", curve.public_key())),
        ("Curve25519SecretKey", format!("{curve:?}")),
        ("Ed25519PublicKey", format!("{:?}", ed.public_key())),
        ("Ed25519SecretKey", format!("{ed:?}")),
        ("Ed25519Signature", format!("{signature:?}")),
        ("KeyId", format!("{:?}", KeyId::new(5))),
        (
            "KeyError",
            format!("{:?}", Curve25519PublicKey::from_base64("AAAA").unwrap_err()),
        ),
        (
            "KeyError::InvalidEd25519Key",
            format!("{:?}", KeyError::InvalidEd25519Key),
        ),
        ("SignatureError", format!("{SignatureError:?}")),
        ("Base64DecodeError", format!("{:?}", base64_decode("!").unwrap_err())),
        (
            "DecodeError",
            format!("{:?}", MegolmMessage::from_bytes(&[5]).unwrap_err()),
        ),
        (
            "DecodeError::MissingField",
            format!("{:?}", DecodeError::MissingField("x")),
        ),
        ("PickleError", format!("{:?}", PickleError::Mac)),
        ("Account", format!("{alice:?}")),
        ("IdentityKeys", format!("{:?}", alice.identity_keys())),
        ("OneTimeKeyGenerationResult", format!("{created:?}")),
        ("PreKeyMessage", format!("{pre_key:?}")),
        ("Message", format!("{normal:?}")),
        ("OlmMessage", format!("{reply:?}")),
        ("MessageType", format!("{:?}", MessageType::Normal)),
        ("Session", format!("{session:?}")),
        ("SessionConfig", format!("{:?}", SessionConfig::version_1())),
        ("SessionKeys", format!("{:?}", session.session_keys())),
        (
            "olm::DecryptionError",
            format!("{:?}", bob_session.decrypt(&reply).unwrap_err()),
        ),
        (
            "SessionCreationError",
            format!(
                "{:?}",
                bob.create_inbound_session(alice.curve25519_key(), &pre_key)
                    .unwrap_err()
            ),
        ),
        ("GroupSession", format!("{group:?}")),
        ("SessionKey", format!("{session_key:?}")),
        ("InboundGroupSession", format!("{inbound:?}")),
        ("ExportedSessionKey", format!("{export:?}")),
        ("MegolmMessage", format!("{megolm:?}")),
        ("DecryptedMessage", format!("{decrypted:?}")),
        ("SessionOrdering", format!("{:?}", inbound.compare(&inbound))),
        ("megolm::SessionConfig", format!("{:?}", MegolmConfig::version_1())),
        (
            "megolm::DecryptionError",
            format!(
                "{:?}",
                InboundGroupSession::import(&export, MegolmConfig::version_1())
                    .decrypt(&megolm)
                    .unwrap_err()
            ),
        ),
        (
            "SessionKeyDecodeError",
            format!("{:?}", SessionKey::from_bytes(&[2]).err().unwrap()),
        ),
        (
            "ExportedSessionKey error",
            format!("{:?}", ExportedSessionKey::from_bytes(&[]).err().unwrap()),
        ),
        ("ReplayGuard", format!("{guard:?}")),
        ("ReplayError", format!("{replay:?}")),
        ("PkDecryption", format!("{pk:?}")),
        ("PkEncryption", format!("{pk_encryption:?}")),
        (
            "PkMessage",
            format!("{:?}", PkMessage::new(vec![9; 16], [8; 8], curve.public_key())),
        ),
        ("PkSigning", format!("{signing:?}")),
        (
            "PkError",
            format!(
                "{:?}",
                PkDecryption::from_bytes(&[5; 32]).decrypt(&pk_message).unwrap_err()
            ),
        ),
        (
            "PkMessageDecodeError",
            format!("{:?}", PkMessage::from_base64("!", "", "").unwrap_err()),
        ),
        ("Sas", format!("{sas:?}")),
        ("EstablishedSas", format!("{established:?}")),
        ("SasBytes", format!("{sas_bytes:?}")),
        ("Mac", format!("{mac:?}")),
        (
            "SasError",
            format!("{:?}", established.verify_mac("other", "info", &mac).unwrap_err()),
        ),
        (
            "InvalidCount",
            format!("{:?}", established.bytes_raw("info", 9000).unwrap_err()),
        ),
        ("InboundCreationResult", {
            let debug = format!(
                "{:?}",
                olm::olm::InboundCreationResult {
                    session: bob_session,
                    plaintext: b"pt".to_vec(),
                }
            );
            debug
        }),
    ];
    let expected = include_str!("debug_output.txt");
    let rendered: String = actual
        .iter()
        .map(|(name, debug)| format!("{name}: {debug}\n"))
        .collect();
    if std::env::var_os("PIN_DEBUG_OUTPUT").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/debug_output.txt"),
            &rendered,
        )
        .unwrap();
        return;
    }
    for (want, got) in expected.lines().zip(rendered.lines()) {
        assert_eq!(got, want);
    }
    assert_eq!(expected.lines().count(), rendered.lines().count());
    // Secret inputs of this test never show.
    for line in rendered.lines() {
        assert_hides(line, &[1; 32], "a secret key of [1; 32]");
        assert_hides(line, &[2; 32], "a seed of [2; 32]");
        assert_hides(line, &[3; 32], "a PK secret of [3; 32]");
        assert_hides(line, &[4; 32], "a PK seed of [4; 32]");
    }
    let _ = Ed25519PublicKey::from_bytes(&[0; 32]);
    let _ = Ed25519Signature::from_bytes([0; 64]);
}

/// The QR-login channels print their public keys and nothing else: once
/// those are removed, no run of key-like characters is left.
#[test]
fn qr_login_channels_print_only_public_keys() {
    fn only_public(debug: &str, public: &[String]) {
        let mut rest = debug.to_owned();
        for key in public {
            rest = rest.replace(key.as_str(), "");
        }
        let longest = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest < 20, "{debug}");
    }
    let mut rng = rand::rng();
    let scanner = olm::ecies::Ecies::new_with_rng(&mut rng);
    let shower = olm::ecies::Ecies::new_with_rng(&mut rng);
    let keys = [scanner.public_key().to_base64(), shower.public_key().to_base64()];
    only_public(&format!("{scanner:?}"), &keys);
    let shower_key = shower.public_key();
    let outbound = scanner.establish_outbound_channel(shower_key, b"hello").unwrap();
    only_public(&format!("{:?}", outbound.ecies), &keys);
    let inbound = shower.establish_inbound_channel(&outbound.message).unwrap();
    only_public(&format!("{:?}", inbound.ecies), &keys);
}
