//! One target per decoder. Each must return an error or a value for any
//! input, and every value must survive encode ∘ decode unchanged: the bytes a
//! message keeps are exactly the bytes it was parsed from.

use olm::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature, KeyId,
    megolm::{ExportedSessionKey, MegolmMessage, SessionKey},
    olm::{Message, OlmMessage, PreKeyMessage},
    pk::{PkDecryption, PkEncryption, PkMessage},
    sas::{Mac, Sas},
};

use super::support::{FuzzRng, Input};

fn as_str(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Whether `s` is the canonical unpadded form `to_base64` writes.
fn unpadded(s: &str) -> bool {
    !s.ends_with('=')
}

/// The MAC length of a message of version `version` (the first byte): the
/// whole 32 bytes in version 4 (Olm and Megolm v2), 8 in version 3 (v1).
fn mac_len(version: u8) -> usize {
    if version == 4 { 32 } else { 8 }
}

pub fn olm_message(data: &[u8]) {
    // The first byte picks the variant: 3 (v1) and 4 (v2) both decode.
    if let Ok(message) = Message::from_bytes(data) {
        assert_eq!(message.as_bytes(), data);
        assert_eq!(message.to_bytes(), data);
        assert_eq!(message.version(), data[0]);
        assert_eq!(message.mac().len(), mac_len(data[0]));
        // libolm's reader takes version 3 alone, and then reads the same.
        assert_eq!(
            Message::from_libolm_bytes(data).ok().as_ref(),
            (data[0] == 3).then_some(&message)
        );
        assert!(message.ciphertext().len() < data.len());
        let again = Message::from_base64(&message.to_base64()).expect("our own base64 parses");
        assert_eq!(again, message);
        let _ = format!("{message:?}");
        // vodozemac parses a superset of what we accept (it also takes keys
        // with the top bit set): whatever both accept, they read alike.
        if let Ok(theirs) = vodozemac::olm::Message::from_bytes(data) {
            assert_eq!(theirs.chain_index(), u64::from(message.chain_index()));
            assert_eq!(theirs.ratchet_key().to_bytes(), message.ratchet_key().to_bytes());
            assert_eq!(theirs.ciphertext(), message.ciphertext());
            assert_eq!(theirs.version(), message.version());
        }
    } else {
        assert!(Message::from_libolm_bytes(data).is_err());
    }
    if let Some(s) = as_str(data)
        && let Ok(message) = Message::from_base64(s)
        && unpadded(s)
    {
        assert_eq!(message.to_base64(), s);
    }
}

pub fn olm_prekey_message(data: &[u8]) {
    if let Ok(message) = PreKeyMessage::from_bytes(data) {
        assert_eq!(message.as_bytes(), data);
        let again = PreKeyMessage::from_bytes(&message.to_bytes()).expect("our own bytes parse");
        assert_eq!(again, message);
        assert_eq!(PreKeyMessage::from_base64(&message.to_base64()).as_ref(), Ok(&message));
        assert_eq!(message.session_id(), message.session_keys().session_id());
        assert!(Message::from_bytes(message.message().as_bytes()).is_ok());
        // libolm's reader takes an inner message of version 3 alone.
        let inner_v1 = message.message().version() == 3;
        assert_eq!(
            PreKeyMessage::from_libolm_bytes(data).ok().as_ref(),
            inner_v1.then_some(&message)
        );
        let _ = format!("{message:?}");
        if let Ok(theirs) = vodozemac::olm::PreKeyMessage::from_bytes(data) {
            assert_eq!(theirs.session_id(), message.session_id());
            assert_eq!(theirs.identity_key().to_bytes(), message.identity_key().to_bytes());
            assert_eq!(theirs.base_key().to_bytes(), message.base_key().to_bytes());
            assert_eq!(theirs.one_time_key().to_bytes(), message.one_time_key().to_bytes());
        }
    }
    if let Some(s) = as_str(data) {
        let _ = PreKeyMessage::from_base64(s);
    }
}

pub fn olm_message_from_parts(data: &[u8]) {
    let mut input = Input::new(data);
    let message_type = usize::from(input.u8() % 4);
    let bytes = input.rest();
    match OlmMessage::from_parts(message_type, bytes) {
        Ok(message) => {
            assert!(message_type < 2);
            assert_eq!(message.to_parts(), (message_type, bytes.to_vec()));
            assert_eq!(
                OlmMessage::from_base64(message_type, &message.to_base64()).as_ref(),
                Ok(&message)
            );
            match &message {
                OlmMessage::Normal(m) => assert_eq!(Message::from_bytes(bytes).as_ref(), Ok(m)),
                OlmMessage::PreKey(m) => assert_eq!(PreKeyMessage::from_bytes(bytes).as_ref(), Ok(m)),
            }
        }
        Err(_) => {
            if message_type == 0 {
                assert!(PreKeyMessage::from_bytes(bytes).is_err());
            } else if message_type == 1 {
                assert!(Message::from_bytes(bytes).is_err());
            }
        }
    }
}

pub fn megolm_message(data: &[u8]) {
    // The first byte picks the variant: 3 (v1) and 4 (v2) both decode.
    if let Ok(message) = MegolmMessage::from_bytes(data) {
        assert_eq!(message.as_bytes(), data);
        assert_eq!(message.to_bytes(), data);
        assert_eq!(message.version(), data[0]);
        assert_eq!(message.mac().len(), mac_len(data[0]));
        assert_eq!(
            MegolmMessage::from_libolm_bytes(data).ok().as_ref(),
            (data[0] == 3).then_some(&message)
        );
        assert_eq!(&data[data.len() - 64..], message.signature().as_bytes());
        assert_eq!(MegolmMessage::from_base64(&message.to_base64()).as_ref(), Ok(&message));
        let _ = format!("{message:?}");
        if let Ok(theirs) = vodozemac::megolm::MegolmMessage::from_bytes(data) {
            assert_eq!(theirs.message_index(), message.message_index());
            assert_eq!(theirs.ciphertext(), message.ciphertext());
            assert_eq!(theirs.mac(), message.mac());
        }
    } else {
        assert!(MegolmMessage::from_libolm_bytes(data).is_err());
    }
    if let Some(s) = as_str(data)
        && let Ok(message) = MegolmMessage::from_base64(s)
        && unpadded(s)
    {
        assert_eq!(message.to_base64(), s);
    }
}

pub fn session_key(data: &[u8]) {
    if let Ok(key) = SessionKey::from_bytes(data) {
        assert_eq!(key.to_bytes().as_slice(), data);
        let again = SessionKey::from_base64(&key.to_base64()).expect("our own base64 parses");
        assert_eq!(again.to_bytes(), key.to_bytes());
        assert_eq!(key.session_id(), key.signing_key().to_base64());
        let _ = format!("{key:?}");
        // A signed key is accepted by vodozemac too (it verifies the same
        // signature, strictly).
        assert!(vodozemac::megolm::SessionKey::from_bytes(data).is_ok());
    }
    if let Some(s) = as_str(data) {
        let _ = SessionKey::from_base64(s);
    }
}

pub fn exported_session_key(data: &[u8]) {
    if let Ok(key) = ExportedSessionKey::from_bytes(data) {
        assert_eq!(key.to_bytes().as_slice(), data);
        let again = ExportedSessionKey::from_base64(&key.to_base64()).expect("our own base64 parses");
        assert_eq!(again.to_bytes(), key.to_bytes());
        let _ = format!("{key:?}");
        let session = olm::megolm::InboundGroupSession::import(&key, olm::megolm::SessionConfig::version_1());
        assert_eq!(session.first_known_index(), key.message_index());
        assert!(!session.is_verified());
        assert_eq!(session.export_at_first_known_index().to_bytes(), key.to_bytes());
    }
    if let Some(s) = as_str(data) {
        let _ = ExportedSessionKey::from_base64(s);
    }
}

/// Every key type's bytes and base64 constructors.
pub fn keys(data: &[u8]) {
    if let Ok(key) = Curve25519PublicKey::from_slice(data) {
        assert_eq!(key.as_bytes(), data);
        assert_eq!(Curve25519PublicKey::from_base64(&key.to_base64()), Ok(key));
    }
    if let Ok(key) = Ed25519PublicKey::from_slice(data) {
        // Only canonical encodings are accepted, so the bytes come back.
        assert_eq!(key.as_bytes(), data);
        assert_eq!(Ed25519PublicKey::from_base64(&key.to_base64()), Ok(key));
    }
    if let Ok(signature) = Ed25519Signature::from_slice(data) {
        assert_eq!(signature.as_bytes(), data);
        assert_eq!(Ed25519Signature::from_base64(&signature.to_base64()), Ok(signature));
    }
    if let Ok(bytes) = <&[u8; 32]>::try_from(data) {
        let secret = Curve25519SecretKey::from_bytes(bytes);
        assert_eq!(*secret.to_bytes(), *bytes);
        let signing = Ed25519SecretKey::from_bytes(bytes);
        let signature = signing.sign(b"fuzz");
        assert_eq!(signing.public_key().verify(b"fuzz", &signature), Ok(()));
        assert!(signing.public_key().verify(b"fuz", &signature).is_err());
    }
    // A key and a signature side by side: verification never panics.
    if data.len() >= 96
        && let (Ok(key), Ok(signature)) = (
            Ed25519PublicKey::from_slice(&data[..32]),
            Ed25519Signature::from_slice(&data[32..96]),
        )
    {
        let _ = key.verify(&data[96..], &signature);
    }
    if let Some(s) = as_str(data) {
        let canonical = unpadded(s);
        if let Ok(key) = Curve25519PublicKey::from_base64(s) {
            assert!(!canonical || key.to_base64() == s);
        }
        if let Ok(key) = Curve25519SecretKey::from_base64(s) {
            assert!(!canonical || *key.to_base64() == s);
        }
        if let Ok(key) = Ed25519PublicKey::from_base64(s) {
            assert!(!canonical || key.to_base64() == s);
        }
        if let Ok(key) = Ed25519SecretKey::from_base64(s) {
            assert!(!canonical || *key.to_base64() == s);
        }
        if let Ok(signature) = Ed25519Signature::from_base64(s) {
            assert!(!canonical || signature.to_base64() == s);
        }
        if let Ok(id) = KeyId::from_base64(s) {
            assert_eq!(KeyId::from_base64(&id.to_base64()).ok(), Some(id));
            assert!(!canonical || id.to_base64() == s);
        }
        let _ = olm::base64_decode(s);
    }
}

fn fixed_sas() -> olm::sas::EstablishedSas {
    let ours = Sas::new_with_rng(&mut FuzzRng::new(1));
    let theirs = Sas::new_with_rng(&mut FuzzRng::new(2));
    ours.diffie_hellman(theirs.public_key()).expect("honest keys")
}

/// SAS: `Mac::from_base64`/`from_slice`, the key exchange with an arbitrary
/// key, and MAC verification (new and legacy formats) of arbitrary tags.
pub fn sas_mac(data: &[u8]) {
    let mut input = Input::new(data);
    let split = usize::from(input.u8());
    let rest = input.rest();
    let (tag, message) = rest.split_at(split.min(rest.len()));
    let sas = fixed_sas();
    if let Ok(mac) = Mac::from_slice(tag) {
        let expected = sas.calculate_mac(message, "info");
        let verified = sas.verify_mac(message, "info", &mac).is_ok();
        assert_eq!(verified, mac.to_base64() == expected.to_base64());
    }
    if let Some(s) = as_str(tag) {
        if let Ok(mac) = Mac::from_base64(s) {
            assert!(!unpadded(s) || mac.to_base64() == s);
            let _ = sas.verify_mac(message, "info", &mac);
        }
        let legacy = sas.verify_mac_invalid_base64(message, "info", s).is_ok();
        assert_eq!(legacy, sas.calculate_mac_invalid_base64(message, "info") == s);
        let long = sas.verify_mac_long_kdf_invalid_base64(message, "info", s).is_ok();
        assert_eq!(long, sas.calculate_mac_long_kdf_invalid_base64(message, "info") == s);
        if let Ok(established) = Sas::new_with_rng(&mut FuzzRng::new(3)).diffie_hellman_with_raw(s) {
            let _ = established.bytes(message).emoji_indices();
        }
    }
}

/// `PkMessage::from_base64` on three strings cut from the input, then
/// decryption by a fixed key; and genuine messages with bits flipped.
pub fn pk_message(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.u8();
    let decryption = PkDecryption::from_bytes(&[7; 32]);
    if mode & 1 == 0 {
        let a = usize::from(input.u8());
        let b = usize::from(input.u8());
        let rest = input.rest();
        let (ciphertext, rest) = rest.split_at(a.min(rest.len()));
        let (mac, ephemeral) = rest.split_at(b.min(rest.len()));
        let (Some(ciphertext), Some(mac), Some(ephemeral)) = (as_str(ciphertext), as_str(mac), as_str(ephemeral))
        else {
            return;
        };
        if let Ok(message) = PkMessage::from_base64(ciphertext, mac, ephemeral) {
            let again = PkMessage::from_base64(
                &message.ciphertext_base64(),
                &message.mac_base64(),
                &message.ephemeral_key_base64(),
            );
            assert_eq!(again.as_ref(), Ok(&message));
            let _ = decryption.decrypt(&message);
        }
    } else {
        let len = usize::from(input.u8() % 64);
        let plaintext = input.bytes(len).to_vec();
        let bit = usize::from(input.u16());
        let message = PkEncryption::from(&decryption).encrypt_with_rng(&plaintext, &mut FuzzRng::new(9));
        assert_eq!(decryption.decrypt(&message).as_deref(), Ok(plaintext.as_slice()));
        // The ciphertext is not authenticated (libolm's MAC covers nothing):
        // flipped bits may decrypt; a flipped key or MAC must not.
        let ciphertext = super::support::flip(message.ciphertext(), bit);
        let _ = decryption.decrypt(&PkMessage::new(ciphertext, *message.mac(), message.ephemeral_key()));
        let mac = super::support::flip(message.mac(), bit);
        let mac: [u8; 8] = mac.try_into().expect("8 bytes");
        assert!(
            decryption
                .decrypt(&PkMessage::new(
                    message.ciphertext().to_vec(),
                    mac,
                    message.ephemeral_key()
                ))
                .is_err()
        );
    }
}
