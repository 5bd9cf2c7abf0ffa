//! One test per known issue of libolm, vodozemac and the Matrix protocol
//! analyses that had no end-to-end test yet, named after the issue.
//! `docs/security.md` maps every issue to the test that shows how this crate
//! stands, here or elsewhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use olm::{
    Curve25519PublicKey, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature, KeyError,
    megolm::{
        DecryptionError as MegolmError, GroupSession, InboundGroupSession, MegolmMessage,
        SessionConfig as MegolmConfig, SessionKey,
    },
    olm::{Account, MessageType, OlmMessage, SessionConfig, SessionCreationError},
    pk::{PkDecryption, PkEncryption, PkError, PkMessage},
};
use std::collections::BTreeSet;

use support::rng;

/// The group order ℓ, little-endian.
const ELL: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// `signature` with S replaced by S + ℓ, which lax verifiers (libolm's)
/// accept. A signature's S is below ℓ < 2^253, so S + ℓ always fits in its
/// 32 bytes: every signature has this second form.
fn malleated(signature: &[u8; 64]) -> [u8; 64] {
    let mut out = *signature;
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(out[32 + i]) + u16::from(ELL[i]) + carry;
        out[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "S was not below ℓ");
    out
}

/// CVE-2021-34813: libolm's `olm_pk_decrypt` overflowed a stack buffer on
/// crafted input. Here every length of ciphertext, MAC and key string is an
/// error or a plaintext, never a crash (the `pk_message` fuzz target goes
/// further).
#[test]
fn cve_2021_34813_pk_decrypt_takes_any_input() {
    let key = PkDecryption::new_with_rng(&mut rng(1));
    let genuine = PkEncryption::from(&key).encrypt_with_rng(b"backup", &mut rng(2));
    for len in [0, 1, 15, 16, 17, 31, 32, 33, 4096, 65_537] {
        let message = PkMessage::new(vec![0xa5; len], *genuine.mac(), genuine.ephemeral_key());
        let result = key.decrypt(&message);
        assert!(matches!(result, Err(PkError::Decryption)), "{len}: {result:?}");
    }
    let ephemeral = genuine.ephemeral_key_base64();
    let ciphertext = genuine.ciphertext_base64();
    for mac in ["", "A", "AAAAAAAAAA", "AAAAAAAAAAAA", &"A".repeat(4096)] {
        assert!(
            PkMessage::from_base64(&ciphertext, mac, &ephemeral).is_err(),
            "MAC {mac:?}"
        );
    }
    for ephemeral in ["", "A", &"A".repeat(42), &"A".repeat(44), &"A".repeat(4096)] {
        assert!(PkMessage::from_base64(&ciphertext, "AAAAAAAAAAA", ephemeral).is_err());
    }
}

/// CVE-2021-44538: libolm's `olm_session_describe` wrote past its buffer
/// for sessions with many chains. The equivalent here is `Debug`, which
/// allocates and prints no per-chain data: bounded whatever the state.
#[test]
fn cve_2021_44538_describing_a_full_session_is_bounded() {
    let mut r = rng(3);
    let alice = Account::new_with_rng(&mut r);
    let mut bob = Account::new_with_rng(&mut r);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let mut to_bob = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut r)
        .unwrap();
    let OlmMessage::PreKey(first) = to_bob.encrypt_with_rng("0", &mut r) else {
        unreachable!()
    };
    let mut to_alice = bob
        .create_inbound_session(alice.curve25519_key(), &first)
        .unwrap()
        .session;
    // Five receiving chains on each side, and 40 skipped keys.
    for round in 0..6 {
        let reply = to_alice.encrypt_with_rng(format!("r{round}"), &mut r);
        to_bob.decrypt(&reply).unwrap();
        let burst: Vec<_> = (0..45)
            .map(|i| to_bob.encrypt_with_rng(format!("{i}"), &mut r))
            .collect();
        to_alice.decrypt(&burst[44]).unwrap();
    }
    let debug = format!("{to_alice:?}");
    assert!(debug.len() < 200, "{debug}");
}

/// CVE-2024-45191 (AES with lookup tables in libolm) and CVE-2024-45192 /
/// RUSTSEC-2024-0354 (table-driven base64 of secrets in libolm and
/// vodozemac < 0.7): AES is RustCrypto's `aes` (AES-NI where available,
/// otherwise the bitsliced "fixslice" software backend, both free of
/// secret-dependent lookups), and every base64 decode or encode goes
/// through `base64ct`. Timing cannot be tested here; the crates the library
/// links can: they are read from the resolved dependency graph, so a
/// table-driven base64 crate or another AES pulled in by any dependency,
/// however deep, fails this test.
#[test]
fn cve_2024_45191_and_45192_constant_time_aes_and_base64() {
    let linked = linked_crates();
    // The walk is not vacuous: it reaches the direct dependencies and theirs,
    // and no dev-dependency (vodozemac, which links the `base64` crate).
    assert!(linked.len() > 20, "{linked:?}");
    assert!(linked.contains("aes"), "RustCrypto aes: {linked:?}");
    assert!(linked.contains("base64ct"), "constant-time base64: {linked:?}");
    assert!(!linked.contains("vodozemac"), "dev-dependencies are not linked");
    for name in &linked {
        assert!(
            !name.starts_with("base64") || name == "base64ct",
            "a base64 crate other than base64ct: {name}"
        );
        assert!(
            ![
                "openssl",
                "openssl-sys",
                "aes-soft",
                "aesni",
                "ring",
                "data-encoding",
                "radix64"
            ]
            .contains(&name.as_str()),
            "{name}"
        );
    }
    // And the codec is base64ct's: it refuses non-canonical trailing bits,
    // which table-driven lenient decoders accept.
    assert!(olm::base64_decode("AB").is_err());
    assert!(olm::Curve25519SecretKey::from_base64(&format!("{}B", "A".repeat(42))).is_err());
}

/// The names of the crates the library links with every feature on: the
/// normal (not dev, not build) dependencies of this package, transitively,
/// as cargo resolves them from `Cargo.lock` (`cargo tree`, which unlike
/// `cargo metadata` needs no other workspace member's sources).
fn linked_crates() -> BTreeSet<String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            "olm",
            "--all-features",
            "--edges",
            "normal",
            "--locked",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(["--manifest-path", concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).unwrap();
    let mut lines = tree.lines().filter(|line| !line.is_empty());
    // The first line is this package itself.
    assert!(lines.next().unwrap().starts_with("olm v"), "{tree}");
    lines.map(|line| line.split(' ').next().unwrap().to_owned()).collect()
}

/// CVE-2024-45193: libolm accepted Ed25519 signatures with S ≥ ℓ, so each
/// signature had a second valid form. Here a malleated signature is refused
/// on a Megolm message, on a session key and by `verify`.
#[test]
fn cve_2024_45193_malleated_ed25519_signatures_are_refused() {
    let mut r = rng(4);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let session_key = group.session_key();
    let mut inbound = InboundGroupSession::new(&session_key, MegolmConfig::version_1());
    for n in 0..16 {
        let message = group.encrypt(format!("{n}"));
        let mut bytes = message.to_bytes();
        let at = bytes.len() - 64;
        let forged = malleated(&bytes[at..].try_into().unwrap());
        bytes[at..].copy_from_slice(&forged);
        let forged = MegolmMessage::from_bytes(&bytes).unwrap();
        assert_eq!(inbound.decrypt(&forged).unwrap_err(), MegolmError::Signature);
        inbound.decrypt(&message).unwrap();
    }

    let bytes = session_key.to_bytes();
    let mut forged_key = bytes.to_vec();
    forged_key[165..].copy_from_slice(&malleated(&bytes[165..].try_into().unwrap()));
    assert!(SessionKey::from_bytes(&bytes).is_ok());
    assert_eq!(
        SessionKey::from_bytes(&forged_key).unwrap_err(),
        olm::megolm::SessionKeyDecodeError::Signature
    );
    let key = Ed25519SecretKey::from_bytes(&[9; 32]);
    let signature = key.sign(b"device keys");
    let forged = Ed25519Signature::from_bytes(malleated(signature.as_bytes()));
    assert!(key.public_key().verify(b"device keys", &signature).is_ok());
    assert!(key.public_key().verify(b"device keys", &forged).is_err());
}

/// Soatok's 2026 report on vodozemac (fixed in 0.10.0): Diffie-Hellman with
/// a low-order public key gives the all-zero secret, so the session's keys
/// are public. Here every exchange with such a key is refused: outbound and
/// inbound session creation, a ratchet key in a message, SAS and PK.
#[test]
fn soatok_2026_non_contributory_diffie_hellman_is_refused() {
    let mut r = rng(5);
    let alice = Account::new_with_rng(&mut r);
    let mut bob = Account::new_with_rng(&mut r);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut r).created[0];
    for point in support::low_order_points() {
        let low = Curve25519PublicKey::from_bytes(point);
        for (identity, one_time) in [(low, otk), (bob.curve25519_key(), low)] {
            let result = alice.create_outbound_session_with_rng(SessionConfig::version_1(), identity, one_time, &mut r);
            assert!(
                matches!(result, Err(SessionCreationError::NonContributoryKey)),
                "{low:?}"
            );
        }
        let sas = olm::sas::Sas::new_with_rng(&mut r);
        assert!(matches!(sas.diffie_hellman(low), Err(KeyError::NonContributoryKey)));
        assert!(matches!(PkEncryption::from_key(low), Err(KeyError::NonContributoryKey)));
        let decryption = PkDecryption::new_with_rng(&mut r);
        let message = PkMessage::new(vec![0; 16], [0; 8], low);
        assert_eq!(decryption.decrypt(&message), Err(PkError::NonContributoryKey));
    }
    // Inbound creation and ratchet keys: tests/olm_bad_input.rs
    // (`low_order_keys_are_refused`) covers every field of a message.
}

/// vodozemac 0.11.1's `Ed25519PublicKey::from_base64` panics on 44
/// characters without padding (33 bytes), as this test shows on the
/// dev-dependency. Here every key, signature and id constructor returns an
/// error for every length.
#[test]
fn vodozemac_0_11_1_ed25519_base64_panic_does_not_happen_here() {
    let vodozemac_panics =
        std::panic::catch_unwind(|| vodozemac::Ed25519PublicKey::from_base64(&"A".repeat(44))).is_err();
    assert!(
        vodozemac_panics,
        "vodozemac 0.11.1 no longer panics: update docs/security.md"
    );
    // Only the lengths of exactly the right number of bytes decode: 43
    // characters for 32 bytes (all zero: for Ed25519 a canonical encoding,
    // of a small-order point that verification refuses), 86 for a
    // signature, 6 or 11 for a key id; the Megolm keys refuse zeros as a
    // version.
    for len in 0..=120 {
        let input = "A".repeat(len);
        let key_length = len == 43;
        assert_eq!(Ed25519PublicKey::from_base64(&input).is_ok(), key_length, "{len}");
        assert_eq!(Ed25519SecretKey::from_base64(&input).is_ok(), key_length, "{len}");
        assert_eq!(Ed25519Signature::from_base64(&input).is_ok(), len == 86, "{len}");
        assert_eq!(Curve25519PublicKey::from_base64(&input).is_ok(), key_length, "{len}");
        assert_eq!(
            olm::Curve25519SecretKey::from_base64(&input).is_ok(),
            key_length,
            "{len}"
        );
        assert_eq!(olm::KeyId::from_base64(&input).is_ok(), len == 6 || len == 11, "{len}");
        assert_eq!(olm::sas::Mac::from_base64(&input).is_ok(), key_length, "{len}");
        assert!(SessionKey::from_base64(&input).is_err(), "{len}");
        assert!(olm::megolm::ExportedSessionKey::from_base64(&input).is_err(), "{len}");
    }
    assert!(matches!(
        Ed25519PublicKey::from_base64(&"A".repeat(44)),
        Err(KeyError::InvalidKeyLength { length: 33, .. })
    ));
}

/// Albrecht, Celi, Dowling, Jones (IEEE S&P 2023), "trusted impersonation":
/// clients accepted Megolm-encrypted content where only Olm is trusted. The
/// two protocols' messages cannot be taken for one another here: each
/// decoder refuses the other's messages.
#[test]
fn albrecht_2023_olm_and_megolm_messages_are_not_interchangeable() {
    let mut r = rng(6);
    let alice = Account::new_with_rng(&mut r);
    let mut bob = Account::new_with_rng(&mut r);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let mut session = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut r)
        .unwrap();
    let olm_message = session.encrypt_with_rng("to-device", &mut r);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let megolm_message = group.encrypt("room");
    assert!(MegolmMessage::from_bytes(olm_message.as_bytes()).is_err());
    for message_type in [MessageType::PreKey, MessageType::Normal] {
        assert!(OlmMessage::from_parts(message_type.into(), megolm_message.as_bytes()).is_err());
    }
}

/// Albrecht et al. (2023), "semi-trusted impersonation": forwarded or backed
/// up room keys were trusted like keys from the sender. An imported session
/// is unverified, stays so after decrypting, and only a signed session key
/// from the sender (merged in) verifies it.
#[test]
fn albrecht_2023_imported_room_keys_stay_unverified() {
    let mut r = rng(7);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let signed = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let mut imported = InboundGroupSession::import(&signed.export_at_first_known_index(), MegolmConfig::version_1());
    assert!(!imported.is_verified());
    imported.decrypt(&group.encrypt("hello")).unwrap();
    assert!(!imported.is_verified(), "decrypting proves nothing about who exported");
    let merged = imported.merge(&signed).unwrap();
    assert!(merged.is_verified());
}

/// Albrecht et al. (2023): a client must bind a Megolm session to the Olm
/// identity it arrived over. `create_inbound_session` makes the caller name
/// the sender's identity key and refuses a pre-key message claiming another.
#[test]
fn albrecht_2023_pre_key_messages_are_bound_to_the_expected_sender() {
    let mut r = rng(8);
    let alice = Account::new_with_rng(&mut r);
    let mallory = Account::new_with_rng(&mut r);
    let mut bob = Account::new_with_rng(&mut r);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let mut session = mallory
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut r)
        .unwrap();
    let OlmMessage::PreKey(message) = session.encrypt_with_rng("I am Alice", &mut r) else {
        unreachable!()
    };
    let result = bob.create_inbound_session(alice.curve25519_key(), &message);
    assert!(matches!(
        result,
        Err(SessionCreationError::MismatchedIdentityKey { .. })
    ));
    assert_eq!(message.identity_key(), mallory.curve25519_key());
}

/// Albrecht et al. (2023), IND-CCA and key-backup attacks; libolm's PK
/// scheme MACs the empty string. The backup ciphertext is therefore not
/// authenticated: anyone with the public key can write entries, and bit
/// flips in the ciphertext pass the MAC. This test pins that limitation so
/// it cannot be forgotten (see docs/security.md).
#[test]
fn albrecht_2023_pk_backup_ciphertexts_are_not_authenticated() {
    let key = PkDecryption::new_with_rng(&mut rng(9));
    let message = PkEncryption::from(&key).encrypt_with_rng(&[b'a'; 40], &mut rng(10));
    let mut ciphertext = message.ciphertext().to_vec();
    ciphertext[0] ^= 1; // flips bit 0 of the second plaintext block
    let tampered = PkMessage::new(ciphertext, *message.mac(), message.ephemeral_key());
    let plaintext = key.decrypt(&tampered).expect("the MAC does not cover the ciphertext");
    assert_eq!(plaintext[16], b'a' ^ 1);
    // Anyone holding only the public key writes a valid entry.
    let forged = PkEncryption::from_key(key.public_key())
        .unwrap()
        .encrypt_with_rng(b"attacker's room key", &mut rng(11));
    assert_eq!(key.decrypt(&forged).unwrap(), b"attacker's room key");
}

/// A pre-key message made with a fallback key (which is not consumed) opens
/// a new session each time it is delivered, and decrypts again: libolm and
/// vodozemac behave the same. The defence is the caller's: look for the
/// session the message belongs to first. Routed that way, the replay is
/// refused by the existing session.
#[test]
fn pre_key_replays_to_a_fallback_key_are_caught_by_finding_the_session_first() {
    let mut r = rng(16);
    let alice = Account::new_with_rng(&mut r);
    let mut bob = Account::new_with_rng(&mut r);
    bob.generate_fallback_key_with_rng(&mut r);
    let (_, fallback) = bob.current_fallback_key().unwrap();
    let mut to_bob = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), fallback, &mut r)
        .unwrap();
    let OlmMessage::PreKey(first) = to_bob.encrypt_with_rng("once", &mut r) else {
        panic!("a pre-key message")
    };
    let created = bob.create_inbound_session(alice.curve25519_key(), &first).unwrap();
    let mut session = created.session;
    // Creating again from the replay succeeds: the protocol cannot tell.
    let again = bob.create_inbound_session(alice.curve25519_key(), &first).unwrap();
    assert_eq!(again.plaintext, b"once");
    // Finding the session first: the replay belongs to it, and it refuses it.
    assert!(session.matches_inbound_session(&first));
    assert_eq!(first.session_id(), session.session_id());
    assert!(matches!(
        session.decrypt(&OlmMessage::PreKey(first.clone())),
        Err(olm::olm::DecryptionError::MissingMessageKey(0))
    ));
    // A pre-key message of another session does not match.
    let other = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), fallback, &mut r)
        .unwrap()
        .encrypt_with_rng("other", &mut r);
    let OlmMessage::PreKey(other) = other else {
        panic!("a pre-key message")
    };
    assert!(!session.matches_inbound_session(&other));
}

/// The PK backup's MAC covers nothing, so an attacker who plants entries
/// and watches restores could use a distinct padding error as a padding
/// oracle. Every failure after the key agreement is the one error
/// `PkError::Decryption`: bad padding, a bad MAC and a bad length look alike.
#[test]
fn pk_backup_failures_after_key_agreement_are_indistinguishable() {
    let key = PkDecryption::new_with_rng(&mut rng(14));
    let message = PkEncryption::from(&key).encrypt_with_rng(&[b'a'; 40], &mut rng(15));
    // The last byte of the second ciphertext block controls the last
    // plaintext byte, the padding length: most values make bad padding.
    let mut bad_padding = message.ciphertext().to_vec();
    bad_padding[31] ^= 0x5a;
    let mut bad_mac = *message.mac();
    bad_mac[0] ^= 1;
    let failures = [
        PkMessage::new(bad_padding, *message.mac(), message.ephemeral_key()),
        PkMessage::new(message.ciphertext().to_vec(), bad_mac, message.ephemeral_key()),
        PkMessage::new(
            message.ciphertext()[..40].to_vec(),
            *message.mac(),
            message.ephemeral_key(),
        ),
    ];
    for (what, failure) in ["padding", "mac", "length"].iter().zip(&failures) {
        assert_eq!(key.decrypt(failure), Err(PkError::Decryption), "{what}");
    }
}

/// Albrecht, Dowling, Jones (2023 formal analysis): history sharing works
/// against forward secrecy. `advance_to` lets a client drop history, after
/// which neither the session nor anything exported from it reaches it.
#[test]
fn albrecht_dowling_jones_2023_forgetting_history_is_possible() {
    let mut r = rng(12);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut r);
    let mut inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_1());
    let old = group.encrypt("old");
    let new = group.encrypt("new");
    assert!(inbound.advance_to(1));
    assert!(matches!(
        inbound.decrypt(&old),
        Err(MegolmError::UnknownMessageIndex(1, 0))
    ));
    assert!(inbound.export_at(0).is_none());
    assert_eq!(inbound.decrypt(&new).unwrap().plaintext, b"new");
}

/// Ginesin and Nita-Rotaru (2024 symbolic analysis): Olm+Megolm matches
/// Signal's guarantees only if one-time keys are signed, so that a server
/// cannot hand out keys of its own choosing. The account signs each one-time
/// and fallback key with its Ed25519 identity, and a signature stays bound to
/// its key and its signer: it does not verify for another of the account's
/// keys, for a key with one bit changed, or for an attacker's key; and the
/// attacker's own signature does not verify under the account's identity.
#[test]
fn ginesin_2024_substituted_one_time_keys_fail_their_signature() {
    let mut r = rng(13);
    let mut account = Account::new_with_rng(&mut r);
    account.generate_one_time_keys_with_rng(3, &mut r);
    account.generate_fallback_key_with_rng(&mut r);
    let mut mallory = Account::new_with_rng(&mut r);
    let forged_key = mallory.generate_one_time_keys_with_rng(1, &mut r).created[0];
    let canonical = |key: &Curve25519PublicKey| format!("{{\"key\":\"{}\"}}", key.to_base64());
    let keys: Vec<Curve25519PublicKey> = account
        .one_time_keys()
        .into_values()
        .chain(account.fallback_key().into_values())
        .collect();
    assert_eq!(keys.len(), 4);
    let identity = account.ed25519_key();
    let forged = canonical(&forged_key);
    assert!(identity.verify(forged.as_bytes(), &mallory.sign(&forged)).is_err());
    for (i, key) in keys.iter().enumerate() {
        let signature = account.sign(canonical(key));
        // The genuine key verifies, so each refusal below is the substitution.
        assert!(
            identity.verify(canonical(key).as_bytes(), &signature).is_ok(),
            "key {i}"
        );
        for (j, other) in keys.iter().enumerate().filter(|&(j, _)| j != i) {
            assert!(
                identity.verify(canonical(other).as_bytes(), &signature).is_err(),
                "key {i}'s signature on key {j}"
            );
        }
        assert!(identity.verify(forged.as_bytes(), &signature).is_err(), "key {i}");
        for bit in [0, 77, 254] {
            let mut bytes = key.to_bytes();
            bytes[bit / 8] ^= 1 << (bit % 8);
            let altered = canonical(&Curve25519PublicKey::from_bytes(bytes));
            assert!(
                identity.verify(altered.as_bytes(), &signature).is_err(),
                "key {i}, bit {bit}"
            );
        }
    }
}
