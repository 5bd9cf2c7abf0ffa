//! Megolm against vodozemac: session keys, exports and messages cross in both
//! directions, read in order, out of order and at far indices; Megolm
//! version 2 (vodozemac's `experimental-session-config`) both ways, byte for
//! byte, and each variant's messages refused by the other's sessions.
//!
//! vodozemac cannot make an outbound session at a chosen index except from a
//! libolm pickle, so the far-index and near-wrap senders below are vodozemac
//! sessions unpickled from a libolm pickle written here, whose ratchet is
//! vodozemac's own export at that index.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use olm::megolm::{
    DecryptionError, ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig, SessionKey,
};
use vodozemac::megolm as vz;

fn config() -> SessionConfig {
    SessionConfig::version_1()
}

fn vz_config() -> vz::SessionConfig {
    vz::SessionConfig::version_1()
}

fn to_vz(message: &MegolmMessage) -> vz::MegolmMessage {
    vz::MegolmMessage::from_bytes(message.as_bytes()).unwrap()
}

fn from_vz(message: &vz::MegolmMessage) -> MegolmMessage {
    MegolmMessage::from_bytes(&message.to_bytes()).unwrap()
}

fn key_to_vz(key: &SessionKey) -> vz::SessionKey {
    vz::SessionKey::from_base64(&key.to_base64()).unwrap()
}

fn export_to_vz(key: &ExportedSessionKey) -> vz::ExportedSessionKey {
    vz::ExportedSessionKey::from_bytes(&key.to_bytes()).unwrap()
}

fn export_from_vz(key: &vz::ExportedSessionKey) -> ExportedSessionKey {
    ExportedSessionKey::from_bytes(&key.to_bytes()).unwrap()
}

/// Plaintexts of varied lengths, around the AES block size and beyond.
fn plaintext(i: usize) -> Vec<u8> {
    let len = [0, 1, 15, 16, 17, 31, 32, 100, 1000][i % 9] + i / 9;
    (0..len).map(|j| (i * 31 + j) as u8).collect()
}

/// A fixed shuffle of `0..n` (a small LCG: the order only has to be mixed).
fn shuffled(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x2545_f491_u64;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    order
}

/// Both variants, ours and vodozemac's.
fn configs() -> [(SessionConfig, vz::SessionConfig); 2] {
    [
        (SessionConfig::version_1(), vz::SessionConfig::version_1()),
        (SessionConfig::version_2(), vz::SessionConfig::version_2()),
    ]
}

#[test]
fn our_messages_decrypt_in_vodozemac() {
    for (config, vz_config) in configs() {
        our_messages_in_vodozemac(config, vz_config);
    }
}

fn our_messages_in_vodozemac(config: SessionConfig, vz_config: vz::SessionConfig) {
    let mut ours = GroupSession::new(config);
    let key = ours.session_key();
    let messages: Vec<_> = (0..30).map(|i| ours.encrypt(plaintext(i))).collect();
    let late_key = ours.session_key();
    let late: Vec<_> = (30..35).map(|i| ours.encrypt(plaintext(i))).collect();

    let mut in_order = vz::InboundGroupSession::new(&key_to_vz(&key), vz_config);
    assert_eq!(in_order.session_id(), ours.session_id());
    for (i, message) in messages.iter().chain(&late).enumerate() {
        let decrypted = in_order.decrypt(&to_vz(message)).unwrap();
        assert_eq!(decrypted.plaintext, plaintext(i));
        assert_eq!(decrypted.message_index, i as u32);
    }

    let mut out_of_order = vz::InboundGroupSession::new(&key_to_vz(&key), vz_config);
    for i in shuffled(messages.len()) {
        assert_eq!(
            out_of_order.decrypt(&to_vz(&messages[i])).unwrap().plaintext,
            plaintext(i)
        );
    }

    // A member who joined at index 30 reads from there on only.
    let mut joiner = vz::InboundGroupSession::new(&key_to_vz(&late_key), vz_config);
    assert_eq!(joiner.first_known_index(), 30);
    for (i, message) in late.iter().enumerate().rev() {
        assert_eq!(joiner.decrypt(&to_vz(message)).unwrap().plaintext, plaintext(30 + i));
    }
    assert!(matches!(
        joiner.decrypt(&to_vz(&messages[29])),
        Err(vz::DecryptionError::UnknownMessageIndex(30, 29))
    ));
}

#[test]
fn vodozemac_messages_decrypt_here() {
    for (config, vz_config) in configs() {
        vodozemac_messages_here(config, vz_config);
    }
}

fn vodozemac_messages_here(config: SessionConfig, vz_config: vz::SessionConfig) {
    let mut theirs = vz::GroupSession::new(vz_config);
    let key = SessionKey::from_base64(&theirs.session_key().to_base64()).unwrap();
    let mut their_reader = vz::InboundGroupSession::new(&theirs.session_key(), vz_config);
    let messages: Vec<_> = (0..30).map(|i| from_vz(&theirs.encrypt(plaintext(i)))).collect();

    let mut in_order = InboundGroupSession::new(&key, config);
    assert_eq!(in_order.session_id(), theirs.session_id());
    assert!(in_order.is_verified());
    for (i, message) in messages.iter().enumerate() {
        let decrypted = in_order.decrypt(message).unwrap();
        assert_eq!(decrypted.plaintext, plaintext(i));
        assert_eq!(decrypted.message_index, i as u32);
    }

    let mut out_of_order = InboundGroupSession::new(&key, config);
    for i in shuffled(messages.len()) {
        assert_eq!(out_of_order.decrypt(&messages[i]).unwrap().plaintext, plaintext(i));
    }

    // Our session started at their reader's export.
    let their_export = their_reader.export_at(7).unwrap();
    let mut from_their_export = InboundGroupSession::import(&export_from_vz(&their_export), config);
    assert!(!from_their_export.is_verified());
    assert_eq!(from_their_export.decrypt(&messages[7]).unwrap().plaintext, plaintext(7));
    assert_eq!(
        from_their_export.decrypt(&messages[6]),
        Err(DecryptionError::UnknownMessageIndex(7, 6))
    );
}

#[test]
fn exports_agree_byte_for_byte() {
    let mut ours = GroupSession::new(config());
    let key = ours.session_key();
    let messages: Vec<_> = (0..12).map(|i| ours.encrypt(plaintext(i))).collect();
    let our_reader = InboundGroupSession::new(&key, config());
    let mut their_reader = vz::InboundGroupSession::new(&key_to_vz(&key), vz_config());

    let indices = [
        0,
        1,
        3,
        255,
        256,
        257,
        65_535,
        65_536,
        1 << 20,
        (1 << 24) - 1,
        1 << 24,
        (1 << 24) + 3,
        0x0102_0304,
        (1 << 31) - 1,
    ];
    for index in indices {
        let our_export = our_reader.export_at(index).unwrap();
        let their_export = their_reader.export_at(index).unwrap();
        assert_eq!(*our_export.to_bytes(), their_export.to_bytes(), "export at {index}");
    }
    assert_eq!(
        *our_reader.export_at_first_known_index().to_bytes(),
        their_reader.export_at_first_known_index().to_bytes()
    );

    // Our export at 3 read by vodozemac, and theirs at 3 read by us.
    let mut theirs_from_ours =
        vz::InboundGroupSession::import(&export_to_vz(&our_reader.export_at(3).unwrap()), vz_config());
    let mut ours_from_theirs =
        InboundGroupSession::import(&export_from_vz(&their_reader.export_at(3).unwrap()), config());
    for (i, message) in messages.iter().enumerate().skip(3) {
        assert_eq!(
            theirs_from_ours.decrypt(&to_vz(message)).unwrap().plaintext,
            plaintext(i)
        );
        assert_eq!(ours_from_theirs.decrypt(message).unwrap().plaintext, plaintext(i));
    }
}

// ---------------------------------------------------------------------------
// Senders at far indices, through libolm's outbound group session pickle:
// u32 version 1 ‖ ratchet (128) ‖ u32 index ‖ Ed25519 public key (32) ‖
// expanded secret key (64), sealed with HKDF "Pickle" → AES-256-CBC, and an
// HMAC-SHA-256 of the ciphertext truncated to 8 bytes (libolm's docs/megolm.md).

const PICKLE_KEY: &[u8] = b"interop pickle key";

fn libolm_group_pickle(ratchet: &[u8], index: u32, seed: &[u8; 32]) -> String {
    use aes::Aes256;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
    use hmac::{KeyInit, Mac};
    use sha2::{Digest, Sha256, Sha512};

    let mut expanded: [u8; 64] = Sha512::digest(seed).into();
    expanded[0] &= 248;
    expanded[31] &= 63;
    expanded[31] |= 64;
    let public = olm::Ed25519SecretKey::from_bytes(seed).public_key();

    let mut raw = Vec::new();
    raw.extend_from_slice(&1u32.to_be_bytes());
    raw.extend_from_slice(ratchet);
    raw.extend_from_slice(&index.to_be_bytes());
    raw.extend_from_slice(public.as_bytes());
    raw.extend_from_slice(&expanded);

    let mut okm = [0u8; 80];
    hkdf::Hkdf::<Sha256>::new(None, PICKLE_KEY)
        .expand(b"Pickle", &mut okm)
        .unwrap();
    let (aes_key, rest) = okm.split_at(32);
    let (mac_key, iv) = rest.split_at(32);
    let mut sealed = cbc::Encryptor::<Aes256>::new_from_slices(aes_key, iv)
        .unwrap()
        .encrypt_padded_vec::<Pkcs7>(&raw);
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(mac_key).unwrap();
    mac.update(&sealed);
    sealed.extend_from_slice(&mac.finalize().into_bytes()[..8]);
    olm::base64_encode(sealed)
}

/// A vodozemac sender at `index` with this ratchet and signing seed.
fn vz_sender(ratchet: &[u8], index: u32, seed: &[u8; 32]) -> vz::GroupSession {
    vz::GroupSession::from_libolm_pickle(&libolm_group_pickle(ratchet, index, seed), PICKLE_KEY).unwrap()
}

/// The ratchet bytes of an export.
fn ratchet_of(export: &vz::ExportedSessionKey) -> Vec<u8> {
    export.to_bytes()[5..133].to_vec()
}

#[test]
fn far_indices() {
    let seed = [0x5e; 32];
    let start: Vec<u8> = (0..128u8).map(|b| b.wrapping_mul(37)).collect();
    let sender = vz_sender(&start, 0, &seed);
    let key = SessionKey::from_base64(&sender.session_key().to_base64()).unwrap();
    let mut their_reader = vz::InboundGroupSession::new(&sender.session_key(), vz_config());
    let mut ours = InboundGroupSession::new(&key, config());

    let targets = [1 << 20, (1 << 24) + 3, (1 << 31) - 2];
    let mut far = Vec::new();
    for target in targets {
        let mut at_target = vz_sender(&ratchet_of(&their_reader.export_at(target).unwrap()), target, &seed);
        assert_eq!(at_target.session_id(), ours.session_id());
        let message = from_vz(&at_target.encrypt(format!("at {target}")));
        let next = from_vz(&at_target.encrypt(format!("at {}", target + 1)));
        far.push((target, message));
        far.push((target + 1, next));
    }

    // In order: each decryption jumps the cache far ahead.
    for (index, message) in &far {
        let decrypted = ours.decrypt(message).unwrap();
        assert_eq!(decrypted.message_index, *index);
        assert_eq!(decrypted.plaintext, format!("at {index}").into_bytes());
    }
    // Backwards from a fresh session, and again on the advanced one.
    let mut backwards = InboundGroupSession::new(&key, config());
    for (index, message) in far.iter().rev() {
        assert_eq!(
            backwards.decrypt(message).unwrap().plaintext,
            format!("at {index}").into_bytes()
        );
        assert_eq!(ours.decrypt(message).unwrap().message_index, *index);
    }

    // Our exports at the far indices are what vodozemac holds there.
    for target in targets {
        assert_eq!(
            *ours.export_at(target).unwrap().to_bytes(),
            their_reader.export_at(target).unwrap().to_bytes()
        );
    }

    // A session reaches 2^31 indices past its first one (libolm's rule);
    // vodozemac, comparing plain integers, reaches to u32::MAX.
    let mut beyond = vz_sender(&ratchet_of(&their_reader.export_at(1 << 31).unwrap()), 1 << 31, &seed);
    let beyond = beyond.encrypt("beyond");
    assert!(their_reader.decrypt(&beyond).is_ok());
    assert_eq!(
        ours.decrypt(&from_vz(&beyond)),
        Err(DecryptionError::UnknownMessageIndex(0, 1 << 31))
    );
}

#[test]
fn near_the_wrap() {
    let seed = [0x77; 32];
    let start: Vec<u8> = (0..128u8).map(|b| b ^ 0xa5).collect();
    let mut their_reader = vz::InboundGroupSession::new(&vz_sender(&start, 0, &seed).session_key(), vz_config());
    let first = u32::MAX - 2;
    let mut sender = vz_sender(&ratchet_of(&their_reader.export_at(first).unwrap()), first, &seed);
    let key = SessionKey::from_base64(&sender.session_key().to_base64()).unwrap();
    // vodozemac's counter cannot pass u32::MAX: it sends two messages here.
    let messages: Vec<_> = (0..2).map(|i| from_vz(&sender.encrypt([i]))).collect();

    // From the session key at the first index, and from an export there.
    let mut signed = InboundGroupSession::new(&key, config());
    let mut imported = InboundGroupSession::import(&export_from_vz(&their_reader.export_at(first).unwrap()), config());
    assert_eq!(signed.compare(&imported), olm::megolm::SessionOrdering::Equal);
    for (i, message) in messages.iter().enumerate().rev() {
        assert_eq!(signed.decrypt(message).unwrap().plaintext, [i as u8]);
        assert_eq!(imported.decrypt(message).unwrap().message_index, first + i as u32);
    }
    // One index earlier is history this session does not have.
    let mut earlier = vz_sender(
        &ratchet_of(&their_reader.export_at(first - 1).unwrap()),
        first - 1,
        &seed,
    );
    assert_eq!(
        signed.decrypt(&from_vz(&earlier.encrypt("x"))),
        Err(DecryptionError::UnknownMessageIndex(first, first - 1))
    );
}

#[test]
fn exports_across_the_wrap_are_ours_alone() {
    // Both ratchets agree up to u32::MAX; past it vodozemac refuses (it
    // compares indices as plain integers) while libolm's rule, which we
    // follow, keeps going. Our continuation past the wrap is pinned by
    // libolm's wraparound tests in the ratchet's unit tests.
    let seed = [0x11; 32];
    let sender = vz_sender(&[0x22; 128], u32::MAX - 2, &seed);
    let key = SessionKey::from_base64(&sender.session_key().to_base64()).unwrap();
    let ours = InboundGroupSession::new(&key, config());
    let mut theirs = vz::InboundGroupSession::new(&sender.session_key(), vz_config());
    for index in [u32::MAX - 2, u32::MAX - 1, u32::MAX] {
        assert_eq!(
            *ours.export_at(index).unwrap().to_bytes(),
            theirs.export_at(index).unwrap().to_bytes()
        );
    }
    assert!(theirs.export_at(0).is_none());
    let past = ours.export_at(1).unwrap();
    assert_eq!(past.message_index(), 1);
    // The export past the wrap leads back to the same session.
    let imported = InboundGroupSession::import(&past, config());
    assert_eq!(ours.compare(&imported), olm::megolm::SessionOrdering::Better);
}

/// The same session state on both sides (ours read from vodozemac's
/// pickle) gives the same messages, byte for byte, in both variants.
#[cfg(feature = "vodozemac-compat")]
#[test]
fn messages_are_vodozemacs_byte_for_byte() {
    const KEY: [u8; 32] = [3; 32];
    for (config, vz_config) in configs() {
        let mut theirs = vz::GroupSession::new(vz_config);
        theirs.encrypt("before");
        let mut ours = GroupSession::from_vodozemac_pickle(&theirs.pickle().encrypt(&KEY), &KEY).unwrap();
        assert_eq!(ours.session_config(), config);
        for i in 0..20 {
            let mine = ours.encrypt(plaintext(i));
            assert_eq!(
                mine.as_bytes(),
                theirs.encrypt(plaintext(i)).to_bytes(),
                "v{} message {i}",
                config.version()
            );
            assert_eq!(mine.version(), config.version() + 2);
            assert_eq!(mine.mac().len(), if config.version() == 2 { 32 } else { 8 });
        }
        // vodozemac 0.11.1: an empty plaintext gives 93 bytes in v1, 117 in v2.
        let empty = ours.encrypt([]);
        assert_eq!(empty.as_bytes().len(), if config.version() == 2 { 117 } else { 93 });
        assert_eq!(empty.as_bytes(), theirs.encrypt([]).to_bytes());
    }
}

/// A message of one variant given to a session of the other: both
/// implementations refuse it by the MAC's length, after the signature and
/// the index, and our session is unchanged.
#[test]
fn messages_of_the_other_variant_fail_by_their_mac_length() {
    for ((config, vz_config), (other, vz_other)) in configs().into_iter().zip(configs().into_iter().rev()) {
        let (ours, theirs) = if config.version() == 1 { (8, 32) } else { (32, 8) };
        let mut sender = GroupSession::new(other);
        let key = sender.session_key();
        let wrong = sender.encrypt("of the other variant");
        let mut reader = InboundGroupSession::new(&key, config);
        let pickle = reader.pickle(&[1; 32]);
        assert_eq!(
            reader.decrypt(&wrong),
            Err(DecryptionError::InvalidMacLength {
                expected: ours,
                got: theirs
            })
        );
        let mut vz_reader = vz::InboundGroupSession::new(&key_to_vz(&key), vz_config);
        assert!(matches!(
            vz_reader.decrypt(&to_vz(&wrong)),
            Err(vz::DecryptionError::InvalidMACLength(e, g)) if (e, g) == (ours, theirs)
        ));
        // The index and signature checks come first, as in vodozemac.
        let mut late = InboundGroupSession::new(&sender.session_key(), config);
        assert_eq!(late.decrypt(&wrong), Err(DecryptionError::UnknownMessageIndex(1, 0)));
        // Unchanged, and a reader of the right variant takes the message.
        let reloaded = InboundGroupSession::from_pickle(&reader.pickle(&[1; 32]), &[1; 32]).unwrap();
        assert_eq!(reloaded.first_known_index(), 0);
        assert!(
            InboundGroupSession::from_pickle(&pickle, &[1; 32])
                .unwrap()
                .connected(&reader)
        );
        let mut right = InboundGroupSession::new(&key, other);
        assert_eq!(right.decrypt(&wrong).unwrap().plaintext, b"of the other variant");
        let mut vz_right = vz::InboundGroupSession::new(&key_to_vz(&key), vz_other);
        assert_eq!(
            vz_right.decrypt(&to_vz(&wrong)).unwrap().plaintext,
            b"of the other variant"
        );
        // Sessions of different variants are never the same session.
        assert!(!right.connected(&reader));
    }
}
