//! Residue: after a whole life of each object kind, no secret it held is
//! left in freed heap memory.
//!
//! The binary's global allocator (`olm_testkit::Quarantine`) keeps every
//! block freed during a recorded life instead of releasing it; at the end
//! the test searches all of them for any 16 bytes of every secret it knows:
//! each random draw (identity, one-time, fallback, base, ratchet and
//! ephemeral keys, Megolm ratchets and signing seeds), everything a libolm
//! pickle shows of the object along the way (root, chain and skipped message
//! keys, Ed25519 expanded keys, Megolm ratchets), the keys derived from
//! those (message keys and the AES key, HMAC key and IV of each, Megolm
//! message keys, Diffie-Hellman outputs), and the pickle keys. Objects live
//! in boxes, so their own memory is freed, and scanned, when they drop.
//! Every pickle format is used both ways: ours, libolm's and vodozemac's.
//!
//! A hit means a copy of a secret was freed without being wiped.
#![cfg(feature = "libolm-compat")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use hkdf::Hkdf;
use hmac::{KeyInit, Mac};
use olm::{
    Curve25519PublicKey,
    ecies::Ecies,
    hpke::{HpkeRecipientChannel, HpkeSenderChannel},
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, Session, SessionConfig},
    pk::{PkDecryption, PkEncryption, PkSigning},
    sas::Sas,
};
use olm_testkit::{Quarantine, Recording, libolm_body, stack};
use rand::{SeedableRng, rngs::StdRng};
use sha2::Sha256;

#[global_allocator]
static ALLOCATOR: Quarantine = Quarantine;

const PICKLE_KEY: [u8; 32] = [0x5a; 32];
const LIBOLM_KEY: &[u8] = b"a libolm pickle key of any length";

/// The secrets a life is searched for, by name.
#[derive(Default)]
struct Secrets(Vec<(String, Vec<u8>)>);

/// The list is wiped when dropped: its memory goes back to the allocator
/// after one life and may be handed to the next life's allocations, whose
/// freed blocks are then searched for the same pickle keys.
impl Drop for Secrets {
    fn drop(&mut self) {
        for (_, bytes) in &mut self.0 {
            zeroize::Zeroize::zeroize(bytes);
        }
    }
}

impl Secrets {
    fn add(&mut self, name: impl Into<String>, bytes: &[u8]) {
        self.0.push((name.into(), bytes.to_vec()));
    }

    /// The Olm message key of a chain key, and the cipher keys derived
    /// from it, as the ratchet derives them.
    fn add_olm_chain_key(&mut self, name: &str, chain_key: &[u8]) {
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(chain_key).unwrap();
        mac.update(&[1]);
        let message_key = mac.finalize().into_bytes();
        self.add(format!("{name} message key"), &message_key);
        self.add_cipher_keys(&format!("{name} message"), &message_key, b"OLM_KEYS");
        // The next chain key.
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(chain_key).unwrap();
        mac.update(&[2]);
        self.add(format!("{name} next chain key"), &mac.finalize().into_bytes());
    }

    /// AES key, HMAC key and IV from HKDF-SHA-256 (no salt) of `secret`.
    fn add_cipher_keys(&mut self, name: &str, secret: &[u8], info: &[u8]) {
        let mut okm = [0u8; 80];
        Hkdf::<Sha256>::new(None, secret).expand(info, &mut okm).unwrap();
        self.add(format!("{name} AES key"), &okm[..32]);
        self.add(format!("{name} HMAC key"), &okm[32..64]);
        self.add(format!("{name} IV"), &okm[64..]);
    }

    /// The X25519 output of a secret and a public key.
    fn add_shared(&mut self, name: &str, secret: &[u8; 32], public: Curve25519PublicKey) {
        let secret = x25519_dalek::StaticSecret::from(*secret);
        let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(public.to_bytes()));
        self.add(format!("{name} shared secret"), shared.as_bytes());
    }
}

/// A seeded generator whose every draw is a secret of the life.
///
/// Its stream is generated up front: a generator computing blocks during a
/// call would leave its own future output on the stack, which is not the
/// crate's residue.
struct Logged {
    pool: Vec<u8>,
    used: usize,
    draws: Vec<Vec<u8>>,
}

impl Logged {
    fn new(seed: u64) -> Self {
        let mut pool = vec![0u8; 1 << 14];
        rand::Rng::fill_bytes(&mut StdRng::seed_from_u64(seed), &mut pool);
        Self {
            pool,
            used: 0,
            draws: Vec::new(),
        }
    }

    /// Moves the draws into `secrets` (a copy would leave the originals
    /// as residue).
    fn into_secrets(mut self, secrets: &mut Secrets) {
        for (i, draw) in std::mem::take(&mut self.draws).into_iter().enumerate() {
            secrets.0.push((format!("random draw {i}"), draw));
        }
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.pool);
    }
}

impl rand::TryRng for Logged {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        let end = self.used + dst.len();
        dst.copy_from_slice(&self.pool[self.used..end]);
        self.used = end;
        self.draws.push(dst.to_vec());
        Ok(())
    }
}

impl rand::TryCryptoRng for Logged {}

/// Draw `i` of a logged generator, which must be 32 bytes.
fn draw(rng: &Logged, i: usize) -> [u8; 32] {
    rng.draws[i].as_slice().try_into().unwrap()
}

/// Nonces for our pickle format: public, so not logged.
fn nonces() -> StdRng {
    StdRng::seed_from_u64(0x6e6f6e6365)
}

/// The decrypted body of a libolm pickle, wiped on drop.
fn body(pickle: &str) -> zeroize::Zeroizing<Vec<u8>> {
    zeroize::Zeroizing::new(libolm_body::open(LIBOLM_KEY, pickle))
}

/// The secrets of an account's libolm pickle.
fn account_secrets(account: &Account, secrets: &mut Secrets, when: &str) {
    secrets.0.extend(libolm_body::account(
        &body(&account.to_libolm_pickle(LIBOLM_KEY).unwrap()),
        when,
    ));
}

/// The secrets of a session's libolm pickle, with the message key and
/// cipher keys each chain key gives and the cipher keys of each skipped
/// message key.
fn session_secrets(session: &Session, secrets: &mut Secrets, when: &str) {
    for (name, secret) in libolm_body::session(&body(&session.to_libolm_pickle(LIBOLM_KEY).unwrap()), when) {
        if name.ends_with("chain key") {
            secrets.add_olm_chain_key(&name, &secret);
        } else if name.contains("skipped message key") {
            secrets.add_cipher_keys(&name, &secret, b"OLM_KEYS");
        }
        secrets.0.push((name, secret));
    }
}

/// A Megolm ratchet (bytes 5..133 of a session key or an export) and the
/// message keys it gives.
fn ratchet_secrets(ratchet: &[u8], secrets: &mut Secrets, when: &str) {
    for (i, part) in ratchet.chunks(32).enumerate() {
        secrets.add(format!("{when}: ratchet part {i}"), part);
    }
    secrets.add_cipher_keys(&format!("{when}: megolm message"), ratchet, b"MEGOLM_KEYS");
}

/// Runs `life` while recording, then fails on any secret found in freed
/// memory. Returns the scan's figures for the summary.
fn scan(what: &str, life: impl FnOnce(&mut Recording, &mut Secrets)) -> (usize, usize, usize) {
    let mut secrets = Secrets::default();
    let mut recording = Quarantine::record();
    life(&mut recording, &mut secrets);
    // Every life is searched for both pickle keys, used or not.
    secrets.add("pickle key", &PICKLE_KEY);
    secrets.add("libolm pickle key", LIBOLM_KEY);
    // vodozemac's pickles are JSON, which writes bytes as decimal numbers:
    // every secret is searched for in that form too (made with the
    // recording paused: these buffers are the test's own).
    let json: Vec<(String, Vec<u8>)> = recording.pause(|| {
        secrets
            .0
            .iter()
            .filter(|(_, bytes)| bytes.len() >= 16)
            .map(|(name, bytes)| {
                let text: Vec<String> = bytes[..16].iter().map(u8::to_string).collect();
                (format!("{name} (as JSON)"), text.join(",").into_bytes())
            })
            .collect()
    });
    recording.pause(|| secrets.0.extend(json));
    let report = recording.finish(&secrets.0);
    assert!(report.secrets > 0, "{what}: no secret to look for");
    assert!(report.blocks > 0, "{what}: nothing was freed");
    assert!(
        report.hits.is_empty(),
        "{what}: {} secrets left in freed memory ({} blocks, {} bytes scanned):\n{:#?}",
        report.hits.len(),
        report.blocks,
        report.bytes,
        report.hits
    );
    println!(
        "residue {what}: {} secrets, {} freed blocks, {} bytes: 0 hits",
        report.secrets, report.blocks, report.bytes
    );
    (report.secrets, report.blocks, report.bytes)
}

/// Alice and Bob: Bob's account with one-time and fallback keys, sessions
/// both ways through several ratchet steps with messages held back, both
/// pickle formats both ways, a dehydrated device.
#[test]
fn olm_accounts_and_sessions_leave_no_secret_in_freed_memory() {
    scan("Olm accounts and sessions", |_, secrets| {
        let mut rng = Logged::new(1);
        let alice = Box::new(Account::new_with_rng(&mut rng));
        let mut bob = Box::new(Account::new_with_rng(&mut rng));
        bob.generate_one_time_keys_with_rng(5, &mut rng);
        bob.generate_fallback_key_with_rng(&mut rng);
        bob.generate_fallback_key_with_rng(&mut rng);
        account_secrets(&bob, secrets, "bob");
        account_secrets(&alice, secrets, "alice");
        let one_time_key = *bob.one_time_keys().values().next().unwrap();
        bob.mark_keys_as_published();

        let mut to_bob = Box::new(
            alice
                .create_outbound_session_with_rng(
                    SessionConfig::version_1(),
                    bob.curve25519_key(),
                    one_time_key,
                    &mut rng,
                )
                .unwrap(),
        );
        session_secrets(&to_bob, secrets, "alice start");
        let OlmMessage::PreKey(first) = to_bob.encrypt_with_rng("hello", &mut rng) else {
            panic!("a pre-key message")
        };
        let created = bob.create_inbound_session(alice.curve25519_key(), &first).unwrap();
        let mut to_alice = Box::new(created.session);
        session_secrets(&to_alice, secrets, "bob start");

        // Ratchet steps, with two of Alice's messages held back.
        let mut held = Vec::new();
        for round in 0..4 {
            let reply = to_alice.encrypt_with_rng(format!("reply {round}"), &mut rng);
            to_bob.decrypt(&reply).unwrap();
            for i in 0..3 {
                let message = to_bob.encrypt_with_rng(format!("message {round}.{i}"), &mut rng);
                if i == 0 && round < 2 {
                    held.push(message);
                } else {
                    to_alice.decrypt(&message).unwrap();
                }
            }
            session_secrets(&to_bob, secrets, &format!("alice round {round}"));
            session_secrets(&to_alice, secrets, &format!("bob round {round}"));
        }

        // Both formats, both ways, with skipped keys stored.
        let ours = to_alice.pickle_with_rng(&PICKLE_KEY, &mut nonces());
        let libolm = to_alice.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let vodozemac = to_alice.to_vodozemac_pickle(&PICKLE_KEY);
        drop(to_alice);
        let mut restored = Box::new(Session::from_pickle(&ours, &PICKLE_KEY).unwrap());
        let mut from_libolm = Box::new(Session::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap());
        let mut from_vodozemac = Box::new(Session::from_vodozemac_pickle(&vodozemac, &PICKLE_KEY).unwrap());
        for message in &held {
            restored.decrypt(message).unwrap();
            from_libolm.decrypt(message).unwrap();
            from_vodozemac.decrypt(message).unwrap();
        }
        let account_vodozemac = bob.to_vodozemac_pickle(&PICKLE_KEY);
        let bob_from_vodozemac = Box::new(Account::from_vodozemac_pickle(&account_vodozemac, &PICKLE_KEY).unwrap());
        bob_from_vodozemac.sign("a signature");
        let account_pickle = bob.pickle_with_rng(&PICKLE_KEY, &mut nonces());
        let account_libolm = bob.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let bob_again = Box::new(Account::from_pickle(&account_pickle, &PICKLE_KEY).unwrap());
        let bob_from_libolm = Box::new(Account::from_libolm_pickle(&account_libolm, LIBOLM_KEY).unwrap());
        bob_again.sign("a signature");

        // A dehydrated device and back.
        let device_key = [0x44u8; 32];
        let device = bob.to_dehydrated_device_with_rng(&device_key, &mut rng).unwrap();
        let rehydrated =
            Box::new(Account::from_dehydrated_device(&device.ciphertext, &device.nonce, &device_key).unwrap());
        secrets.add("dehydrated device key", &device_key);

        drop((
            alice,
            bob,
            to_bob,
            restored,
            from_libolm,
            bob_again,
            bob_from_libolm,
            rehydrated,
            from_vodozemac,
            bob_from_vodozemac,
        ));
        drop((ours, libolm, account_pickle, account_libolm, held, first));
        drop((vodozemac, account_vodozemac));
        rng.into_secrets(secrets);
    });
}

/// A room: the outbound session through several messages, inbound sessions
/// from its key and from exports, merged and advanced, batch decryption,
/// both formats both ways.
#[test]
fn megolm_sessions_leave_no_secret_in_freed_memory() {
    scan("Megolm sessions", |_, secrets| {
        let mut rng = Logged::new(2);
        let mut group = Box::new(GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng));
        let key_at_zero = group.session_key();
        let mut messages = Vec::new();
        for i in 0..5 {
            let key = group.session_key();
            ratchet_secrets(&key.to_bytes()[5..133], secrets, &format!("index {i}"));
            messages.push(group.encrypt(format!("room message {i}")));
        }
        secrets.0.extend(libolm_body::group_session(
            &body(&group.to_libolm_pickle(LIBOLM_KEY).unwrap()),
            "outbound",
        ));
        let mut late = Box::new(InboundGroupSession::new(
            &group.session_key(),
            MegolmConfig::version_1(),
        ));
        let mut early = Box::new(InboundGroupSession::new(&key_at_zero, MegolmConfig::version_1()));
        for message in &messages {
            assert!(late.decrypt(message).is_err());
            early.decrypt(message).unwrap();
        }
        let batch = early.decrypt_batch(&messages);
        assert!(batch.iter().all(Result::is_ok));
        let export = early.export_at(2).unwrap();
        let mut imported = Box::new(InboundGroupSession::import(&export, MegolmConfig::version_1()));
        imported.decrypt(&messages[3]).unwrap();
        let merged = early.merge(&imported).map(Box::new);
        imported.advance_to(4);

        let ours = early.pickle_with_rng(&PICKLE_KEY, &mut nonces());
        let libolm = early.to_libolm_pickle(LIBOLM_KEY).unwrap();
        secrets
            .0
            .extend(libolm_body::inbound_group_session(&body(&libolm), "inbound"));
        let restored = Box::new(InboundGroupSession::from_pickle(&ours, &PICKLE_KEY).unwrap());
        let from_libolm = Box::new(InboundGroupSession::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap());
        let group_ours = group.pickle_with_rng(&PICKLE_KEY, &mut nonces());
        let group_libolm = group.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let group_again = Box::new(GroupSession::from_pickle(&group_ours, &PICKLE_KEY).unwrap());
        let group_from_libolm = Box::new(GroupSession::from_libolm_pickle(&group_libolm, LIBOLM_KEY).unwrap());
        let inbound_vodozemac = early.to_vodozemac_pickle(&PICKLE_KEY);
        let inbound_from_vodozemac =
            Box::new(InboundGroupSession::from_vodozemac_pickle(&inbound_vodozemac, &PICKLE_KEY).unwrap());
        let group_vodozemac = group.to_vodozemac_pickle(&PICKLE_KEY);
        let group_from_vodozemac =
            Box::new(GroupSession::from_vodozemac_pickle(&group_vodozemac, &PICKLE_KEY).unwrap());

        drop((
            group,
            late,
            early,
            imported,
            merged,
            restored,
            from_libolm,
            group_again,
            group_from_libolm,
            inbound_from_vodozemac,
            group_from_vodozemac,
        ));
        drop((inbound_vodozemac, group_vodozemac));
        drop((
            key_at_zero,
            ours,
            libolm,
            group_ours,
            group_libolm,
            export,
            messages,
            batch,
        ));
        rng.into_secrets(secrets);
    });
}

/// Key backup, cross-signing, SAS, and the QR-login channels.
#[test]
fn pk_sas_and_secure_channels_leave_no_secret_in_freed_memory() {
    scan("PK, SAS, ECIES and HPKE", |_, secrets| {
        let mut rng = Logged::new(3);
        let backup = Box::new(PkDecryption::new_with_rng(&mut rng));
        let encryption = PkEncryption::from(&*backup);
        let entry = encryption.encrypt_with_rng(b"a backed-up room key", &mut rng);
        backup.decrypt(&entry).unwrap();
        secrets.add_shared("backup", &backup.to_bytes(), entry.ephemeral_key());
        {
            let mut okm = [0u8; 80];
            let secret = x25519_dalek::StaticSecret::from(*backup.to_bytes());
            let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(entry.ephemeral_key().to_bytes()));
            Hkdf::<Sha256>::new(None, shared.as_bytes())
                .expand(b"", &mut okm)
                .unwrap();
            secrets.add("backup AES key", &okm[..32]);
            secrets.add("backup HMAC key", &okm[32..64]);
        }
        let ours = backup.pickle_with_rng(&PICKLE_KEY, &mut nonces());
        let libolm = backup.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let restored = Box::new(PkDecryption::from_pickle(&ours, &PICKLE_KEY).unwrap());
        let from_libolm = Box::new(PkDecryption::from_libolm_pickle(&libolm, LIBOLM_KEY).unwrap());
        let signing = Box::new(PkSigning::new_with_rng(&mut rng));
        signing.sign("a cross-signing key");

        // Each exchange draws from its own generator, so that its secret
        // is known by position and its Diffie-Hellman output computed here.
        let mut sas_rng = Logged::new(4);
        let alice = Sas::new_with_rng(&mut sas_rng);
        let bob = Sas::new_with_rng(&mut sas_rng);
        let (alice_public, bob_public) = (alice.public_key(), bob.public_key());
        secrets.add_shared("SAS", &draw(&sas_rng, 0), bob_public);
        let alice = Box::new(alice.diffie_hellman(bob_public).unwrap());
        let bob = Box::new(bob.diffie_hellman(alice_public).unwrap());
        assert_eq!(alice.bytes("info").emoji_indices(), bob.bytes("info").emoji_indices());
        let mac = alice.calculate_mac("a key", "info");
        bob.verify_mac("a key", "info", &mac).unwrap();
        let _ = alice.calculate_mac_invalid_base64("a key", "info");
        sas_rng.into_secrets(secrets);

        let mut ecies_rng = Logged::new(5);
        let scanner = Ecies::new_with_rng(&mut ecies_rng);
        let shower = Ecies::new_with_rng(&mut ecies_rng);
        secrets.add_shared("ECIES", &draw(&ecies_rng, 0), shower.public_key());
        let outbound = scanner
            .establish_outbound_channel(shower.public_key(), b"initial")
            .unwrap();
        let inbound = shower.establish_inbound_channel(&outbound.message).unwrap();
        let (mut s, mut g) = (Box::new(outbound.ecies), Box::new(inbound.ecies));
        for i in 0..3 {
            let message = s.encrypt(format!("qr {i}").as_bytes()).unwrap();
            g.decrypt(&message).unwrap();
            let message = g.encrypt(b"back").unwrap();
            s.decrypt(&message).unwrap();
        }
        ecies_rng.into_secrets(secrets);

        // The recipient's key is RFC 9180's DeriveKeyPair of its draw.
        let mut hpke_rng = Logged::new(6);
        let recipient = HpkeRecipientChannel::new_with_rng(&mut hpke_rng);
        let sent = HpkeSenderChannel::new()
            .establish_channel_with_rng(recipient.public_key(), b"initial", b"", &mut hpke_rng)
            .unwrap();
        {
            use hpke::{Kem as _, Serializable};
            let (secret, _) = hpke::kem::X25519HkdfSha256::derive_keypair(&draw(&hpke_rng, 0));
            let secret: [u8; 32] = secret.to_bytes().into();
            secrets.add("HPKE recipient secret", &secret);
            secrets.add_shared("HPKE", &secret, sent.message.encapsulated_key);
        }
        let received = recipient.establish_channel(&sent.message, b"").unwrap();
        let response = received
            .channel
            .establish_bidirectional_channel_with_rng(b"response", b"", &mut nonces())
            .unwrap();
        let completed = sent
            .channel
            .establish_bidirectional_channel(&response.message, b"")
            .unwrap();
        let (mut s2, mut g2) = (Box::new(completed.channel), Box::new(response.channel));
        for _ in 0..3 {
            let message = s2.seal(b"hpke", b"").unwrap();
            g2.open(&message, b"").unwrap();
            let message = g2.seal(b"back", b"").unwrap();
            s2.open(&message, b"").unwrap();
        }
        hpke_rng.into_secrets(secrets);

        drop((
            backup,
            restored,
            from_libolm,
            signing,
            alice,
            bob,
            s,
            g,
            s2,
            g2,
            ours,
            libolm,
        ));
        rng.into_secrets(secrets);
    });
}

/// Runs `f` and adds what it left on the stack to the scan.
fn on_stack<T>(recording: &mut Recording, what: &str, f: impl FnOnce() -> T) -> T {
    let (result, bytes) = stack::residue_after(f);
    let bytes = bytes.expect("the stack is readable through /proc/self/mem");
    recording.scan_also(&format!("the stack after {what}"), &bytes);
    // The test's copy is not residue of the code under test.
    recording.pause(|| drop(bytes));
    result
}

/// The same operations, each searched for what it leaves on the stack as
/// well as in freed memory: key generation, session creation, encryption
/// and decryption across ratchet steps, libolm pickles (whose Ed25519 keys
/// are expanded with SHA-512), Megolm, key backup and SAS.
#[test]
fn secret_operations_leave_no_secret_on_the_stack() {
    scan("the stack", |recording, secrets| {
        let mut rng = Logged::new(7);
        let alice = Box::new(on_stack(recording, "account creation", || {
            Account::new_with_rng(&mut rng)
        }));
        let mut bob = Box::new(Account::new_with_rng(&mut rng));
        on_stack(recording, "one-time key generation", || {
            bob.generate_one_time_keys_with_rng(2, &mut rng)
        });
        account_secrets(&alice, secrets, "alice");
        account_secrets(&bob, secrets, "bob");
        let one_time_key = *bob.one_time_keys().values().next().unwrap();
        let mut to_bob = Box::new(on_stack(recording, "outbound session creation", || {
            alice
                .create_outbound_session_with_rng(
                    SessionConfig::version_1(),
                    bob.curve25519_key(),
                    one_time_key,
                    &mut rng,
                )
                .unwrap()
        }));
        session_secrets(&to_bob, secrets, "alice start");
        let first = on_stack(recording, "Olm encryption", || {
            to_bob.encrypt_with_rng("hello", &mut rng)
        });
        let OlmMessage::PreKey(first) = first else {
            panic!("a pre-key message")
        };
        let created = on_stack(recording, "inbound session creation", || {
            bob.create_inbound_session(alice.curve25519_key(), &first).unwrap()
        });
        let mut to_alice = Box::new(created.session);
        for round in 0..2 {
            let reply = on_stack(recording, "Olm encryption with a ratchet step", || {
                to_alice.encrypt_with_rng("reply", &mut rng)
            });
            on_stack(recording, "Olm decryption with a ratchet step", || {
                to_bob.decrypt(&reply).unwrap()
            });
            let message = to_bob.encrypt_with_rng("again", &mut rng);
            on_stack(recording, "Olm decryption", || to_alice.decrypt(&message).unwrap());
            session_secrets(&to_bob, secrets, &format!("alice round {round}"));
            session_secrets(&to_alice, secrets, &format!("bob round {round}"));
        }
        let pickle = on_stack(recording, "a libolm account pickle", || {
            bob.to_libolm_pickle(LIBOLM_KEY).unwrap()
        });
        let back = on_stack(recording, "reading a libolm account pickle", || {
            Account::from_libolm_pickle(&pickle, LIBOLM_KEY).unwrap()
        });
        on_stack(recording, "signing with an expanded key", || back.sign("message"));
        let ours = on_stack(recording, "our session pickle", || {
            to_alice.pickle_with_rng(&PICKLE_KEY, &mut nonces())
        });
        let restored = on_stack(recording, "reading our session pickle", || {
            Session::from_pickle(&ours, &PICKLE_KEY).unwrap()
        });

        let mut group = Box::new(GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng));
        let key = group.session_key();
        ratchet_secrets(&key.to_bytes()[5..133], secrets, "group index 0");
        let mut inbound = Box::new(on_stack(recording, "a Megolm session key import", || {
            InboundGroupSession::new(&key, MegolmConfig::version_1())
        }));
        let message = on_stack(recording, "Megolm encryption", || group.encrypt("room"));
        on_stack(recording, "Megolm decryption", || inbound.decrypt(&message).unwrap());
        secrets.0.extend(libolm_body::group_session(
            &body(&group.to_libolm_pickle(LIBOLM_KEY).unwrap()),
            "group",
        ));

        let mut pk_rng = Logged::new(8);
        let backup = Box::new(PkDecryption::new_with_rng(&mut pk_rng));
        let entry = PkEncryption::from(&*backup).encrypt_with_rng(b"a room key", &mut pk_rng);
        secrets.add_shared("backup", &backup.to_bytes(), entry.ephemeral_key());
        on_stack(recording, "PK decryption", || backup.decrypt(&entry).unwrap());
        pk_rng.into_secrets(secrets);

        let mut sas_rng = Logged::new(9);
        let sas = Sas::new_with_rng(&mut sas_rng);
        let other = Sas::new_with_rng(&mut sas_rng);
        let other_key = other.public_key();
        secrets.add_shared("SAS", &draw(&sas_rng, 0), other_key);
        let established = Box::new(on_stack(recording, "SAS key agreement", || {
            sas.diffie_hellman(other_key).unwrap()
        }));
        on_stack(recording, "SAS MAC", || established.calculate_mac("key", "info"));
        sas_rng.into_secrets(secrets);

        drop((
            alice,
            bob,
            to_bob,
            to_alice,
            back,
            restored,
            group,
            inbound,
            backup,
            established,
        ));
        drop((pickle, ours, key, first));
        rng.into_secrets(secrets);
    });
}
