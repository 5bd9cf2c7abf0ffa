//! Fixtures shared by every bench, including the libolm member
//! (`benches/libolm`, which includes this file by path).
//!
//! Every state is made by this crate from a seeded generator and handed to
//! each implementation as a **libolm pickle** (all three read them), so the
//! three start from byte-identical keys, chains and ratchets, and decrypt
//! byte-identical messages. Two runs, or two processes, get the same
//! fixtures.
//!
//! Each bench binary uses a different part, hence `dead_code`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use olm::{
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, Session, SessionConfig},
};
use rand::{SeedableRng, rngs::StdRng};

/// The key every libolm pickle of the fixtures is sealed with.
pub const LIBOLM_KEY: &[u8] = b"bench pickle key";

/// The key of our own and vodozemac's pickles.
pub const PICKLE_KEY: [u8; 32] = [0x42; 32];

/// The plaintext of the Olm and small Megolm benches.
pub fn plaintext(size: usize) -> Vec<u8> {
    (0..size).map(|i| i as u8).collect()
}

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Olm states around one conversation, each as a libolm pickle.
pub struct OlmFixture {
    /// Alice's account (no one-time keys).
    pub alice_account: String,
    pub alice_identity: [u8; 32],
    /// Bob's account with 50 unpublished one-time keys, before any session.
    pub bob_account: String,
    pub bob_identity: [u8; 32],
    /// The one-time key of Bob's that Alice uses.
    pub bob_one_time_key: [u8; 32],
    /// Alice's first message (100 bytes), a pre-key message to Bob.
    pub pre_key_message: Vec<u8>,
    /// Alice right after reading Bob's reply: her next message starts a
    /// ratchet step.
    pub alice_before_step: String,
    /// Alice after sending on her new chain: her next message does not.
    pub alice_sending: String,
    /// Bob after his reply, before Alice's message on her new chain.
    pub bob_before_step: String,
    /// Alice's first message on her new chain (100 bytes, normal): decrypting
    /// it takes a ratchet step.
    pub step_message: Vec<u8>,
    /// Bob after reading `step_message`.
    pub bob_after_step: String,
    /// Alice's second message on that chain: no ratchet step.
    pub chain_message: Vec<u8>,
    /// Alice after 10 ratchet steps back and forth (the pickle benches).
    pub session_after_10_steps: String,
}

fn message_bytes(message: &OlmMessage) -> Vec<u8> {
    message.as_bytes().to_vec()
}

impl OlmFixture {
    pub fn new() -> Self {
        let mut rng = rng(1);
        let alice = Account::new_with_rng(&mut rng);
        let mut bob = Account::new_with_rng(&mut rng);
        bob.generate_one_time_keys_with_rng(50, &mut rng);
        let bob_account = bob.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let otk = *bob.one_time_keys().values().next().unwrap();

        let text = plaintext(100);
        let mut a = alice
            .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut rng)
            .unwrap();
        let OlmMessage::PreKey(first) = a.encrypt_with_rng(&text, &mut rng) else {
            unreachable!()
        };
        let mut b = bob
            .create_inbound_session(alice.curve25519_key(), &first)
            .unwrap()
            .session;
        let reply = b.encrypt_with_rng(&text, &mut rng);
        a.decrypt(&reply).unwrap();
        let alice_before_step = a.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let bob_before_step = b.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let step = a.encrypt_with_rng(&text, &mut rng);
        let alice_sending = a.to_libolm_pickle(LIBOLM_KEY).unwrap();
        b.decrypt(&step).unwrap();
        let bob_after_step = b.to_libolm_pickle(LIBOLM_KEY).unwrap();
        let chain = a.encrypt_with_rng(&text, &mut rng);

        let mut a2 = Session::from_libolm_pickle(&alice_sending, LIBOLM_KEY).unwrap();
        let mut b2 = Session::from_libolm_pickle(&bob_after_step, LIBOLM_KEY).unwrap();
        b2.decrypt(&chain).unwrap();
        for step in 0..10 {
            let (sender, receiver) = if step % 2 == 0 {
                (&mut b2, &mut a2)
            } else {
                (&mut a2, &mut b2)
            };
            let message = sender.encrypt_with_rng(&text, &mut rng);
            receiver.decrypt(&message).unwrap();
        }

        Self {
            alice_account: alice.to_libolm_pickle(LIBOLM_KEY).unwrap().to_string(),
            alice_identity: alice.curve25519_key().to_bytes(),
            bob_account: bob_account.to_string(),
            bob_identity: bob.curve25519_key().to_bytes(),
            bob_one_time_key: otk.to_bytes(),
            pre_key_message: first.as_bytes().to_vec(),
            alice_before_step: alice_before_step.to_string(),
            alice_sending: alice_sending.to_string(),
            bob_before_step: bob_before_step.to_string(),
            step_message: message_bytes(&step),
            bob_after_step: bob_after_step.to_string(),
            chain_message: message_bytes(&chain),
            session_after_10_steps: a2.to_libolm_pickle(LIBOLM_KEY).unwrap().to_string(),
        }
    }
}

/// The Megolm inputs: one sender, its session key at index 0 and messages
/// at chosen indices.
pub struct MegolmFixture {
    /// The session key (base64) at index 0.
    pub session_key: String,
    /// The outbound session at index 0 as a libolm pickle.
    pub outbound: String,
    /// An inbound session (from the key) as a libolm pickle.
    pub inbound: String,
}

/// The ratchet seed and signing seed of the Megolm fixture's sender.
const MEGOLM_SEED: u64 = 2;

impl MegolmFixture {
    pub fn new() -> Self {
        let outbound = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng(MEGOLM_SEED));
        let inbound = InboundGroupSession::new(&outbound.session_key(), MegolmConfig::version_1());
        Self {
            session_key: outbound.session_key().to_base64().to_string(),
            outbound: outbound.to_libolm_pickle(LIBOLM_KEY).unwrap().to_string(),
            inbound: inbound.to_libolm_pickle(LIBOLM_KEY).unwrap().to_string(),
        }
    }

    /// The sender moved to `index` (by exporting the ratchet there and
    /// rebuilding the outbound session around it).
    pub fn sender_at(&self, index: u32) -> GroupSession {
        let outbound = GroupSession::from_libolm_pickle(&self.outbound, LIBOLM_KEY).unwrap();
        let reader = InboundGroupSession::from_libolm_pickle(&self.inbound, LIBOLM_KEY).unwrap();
        let export = reader.export_at(index).unwrap().to_bytes();
        // libolm's outbound layout: u32 version · ratchet (128) · u32 index ·
        // Ed25519 public (32) · expanded secret (64); swap in the ratchet.
        let mut body = libolm_open(&outbound.to_libolm_pickle(LIBOLM_KEY).unwrap());
        body[4..132].copy_from_slice(&export[5..133]);
        body[132..136].copy_from_slice(&index.to_be_bytes());
        GroupSession::from_libolm_pickle(&libolm_seal(&body), LIBOLM_KEY).unwrap()
    }

    /// The message at `index` with a plaintext of `size` bytes.
    pub fn message_at(&self, index: u32, size: usize) -> Vec<u8> {
        self.sender_at(index).encrypt(plaintext(size)).as_bytes().to_vec()
    }

    /// `count` consecutive messages from index 0 of `size` bytes each, all
    /// different.
    pub fn history(&self, count: usize, size: usize) -> Vec<Vec<u8>> {
        let mut sender = self.sender_at(0);
        (0..count)
            .map(|i| {
                let mut text = plaintext(size);
                text[..8].copy_from_slice(&(i as u64).to_le_bytes());
                sender.encrypt(text).as_bytes().to_vec()
            })
            .collect()
    }
}

/// An account with 50 one-time keys and a fallback key, as a libolm pickle.
pub fn account_with_50_keys() -> String {
    let mut rng = rng(3);
    let mut account = Account::new_with_rng(&mut rng);
    account.generate_one_time_keys_with_rng(50, &mut rng);
    account.generate_fallback_key_with_rng(&mut rng);
    account.to_libolm_pickle(LIBOLM_KEY).unwrap().to_string()
}

/// libolm's pickle cipher keys (libolm's src/pickle_encoding.c): HKDF-SHA-256 of the key
/// under "Pickle" into AES key, HMAC key and IV.
fn libolm_keys() -> [u8; 80] {
    let mut okm = [0u8; 80];
    hkdf::Hkdf::<sha2::Sha256>::new(None, LIBOLM_KEY)
        .expand(b"Pickle", &mut okm)
        .unwrap();
    okm
}

/// Seals a libolm pickle body under `LIBOLM_KEY`.
pub fn libolm_seal(body: &[u8]) -> String {
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
    use hmac::{KeyInit, Mac};
    let okm = libolm_keys();
    let mut sealed = cbc::Encryptor::<aes::Aes256>::new_from_slices(&okm[..32], &okm[64..])
        .unwrap()
        .encrypt_padded_vec::<Pkcs7>(body);
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&okm[32..64]).unwrap();
    mac.update(&sealed);
    sealed.extend_from_slice(&mac.finalize().into_bytes()[..8]);
    olm::base64_encode(sealed)
}

/// Opens a libolm pickle sealed under `LIBOLM_KEY` (no MAC check: the
/// fixtures made it).
pub fn libolm_open(pickle: &str) -> Vec<u8> {
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
    let okm = libolm_keys();
    let bytes = olm::base64_decode(pickle).unwrap();
    cbc::Decryptor::<aes::Aes256>::new_from_slices(&okm[..32], &okm[64..])
        .unwrap()
        .decrypt_padded_vec::<Pkcs7>(&bytes[..bytes.len() - 8])
        .unwrap()
}

/// The criterion settings of every group: short, so that `cargo bench`
/// stays quick on a small machine.
pub fn quick() -> criterion::Criterion {
    criterion::Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_millis(1500))
        .noise_threshold(0.03)
}
