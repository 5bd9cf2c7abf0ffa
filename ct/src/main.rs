//! The constant-time check: runs the crate's secret-handling paths under
//! valgrind memcheck with every secret marked undefined (the ctgrind
//! technique), so that memcheck reports each conditional jump, and each
//! memory address, that depends on a secret.
//!
//! Secrets are born undefined: every random byte the crate draws comes from
//! [`Tainted`], which marks what it hands out as undefined, and pickle keys
//! are marked so before use. Values that are public by design are marked
//! defined where they leave the crate and are handed to the other party
//! (messages on the wire, public keys, MACs that are sent, the verdict of a
//! MAC check): that is the "declassification" of the technique. Inside the
//! crate, the few branches that are public by design are named, with the
//! reason, in `scripts/constant-time.supp`.
//!
//! Run through `scripts/constant-time`, which passes `--error-exitcode`;
//! outside valgrind the client requests do nothing and every path just
//! runs. Prints one line per path with the number of reports it raised.

// A check harness under the workspace's lints: a panic is how it reports a
// path that did not run, and it indexes only its own fixed data.
#![allow(clippy::panic, clippy::indexing_slicing)]

use std::ffi::c_void;

use crabgrind::memcheck::{MemState, mark_memory};
use olm::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519SecretKey,
    ecies::{Ecies, InitialMessage as EciesInitial, Message as EciesMessage},
    hpke::{HpkeRecipientChannel, HpkeSenderChannel, InitialMessage, InitialResponse, Message as HpkeMessage},
    megolm::{
        ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage, SessionConfig as MegolmConfig, SessionKey,
    },
    olm::{Account, OlmMessage, Session, SessionConfig},
    pk::{PkDecryption, PkEncryption, PkMessage, PkSigning},
    sas::{Mac, Sas},
};
use rand::{SeedableRng, rngs::StdRng};

/// Marks `bytes` as secret: memcheck reports every use that depends on them.
fn secret(bytes: &[u8]) {
    let _ = mark_memory(bytes.as_ptr().cast::<c_void>(), bytes.len(), MemState::Undefined);
}

/// Marks `bytes` as public by design: what a party sends or publishes.
fn public(bytes: &[u8]) {
    let _ = mark_memory(bytes.as_ptr().cast::<c_void>(), bytes.len(), MemState::Defined);
}

/// A public key, declassified: it is published.
fn published(key: Curve25519PublicKey) -> Curve25519PublicKey {
    public(key.as_bytes());
    key
}

/// A generator whose output is secret.
struct Tainted(StdRng);

impl rand::TryRng for Tainted {
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
        rand::Rng::fill_bytes(&mut self.0, dst);
        secret(dst);
        Ok(())
    }
}

impl rand::TryCryptoRng for Tainted {}

fn tainted(seed: u64) -> Tainted {
    Tainted(StdRng::seed_from_u64(seed))
}

/// Public randomness (pickle nonces, which are stored in the clear).
fn nonces() -> StdRng {
    StdRng::seed_from_u64(0x6e6f6e6365)
}

/// An Olm message on the wire: its bytes are public.
fn wire(message: &OlmMessage) -> OlmMessage {
    let bytes = message.as_bytes().to_vec();
    public(&bytes);
    let kind = match message {
        OlmMessage::PreKey(_) => 0,
        OlmMessage::Normal(_) => 1,
    };
    OlmMessage::from_parts(kind, &bytes).unwrap_or_else(|e| panic!("a message parses: {e}"))
}

fn megolm_wire(message: &MegolmMessage) -> MegolmMessage {
    let bytes = message.to_bytes();
    public(&bytes);
    MegolmMessage::from_bytes(&bytes).unwrap_or_else(|e| panic!("a message parses: {e}"))
}

/// A pickle key, secret.
fn pickle_key() -> [u8; 32] {
    let key = [0x5a; 32];
    secret(&key);
    key
}

/// A pickle string is stored where others may read it: public.
fn stored(pickle: &str) -> String {
    let pickle = pickle.to_owned();
    public(pickle.as_bytes());
    pickle
}

/// Whether a fallible operation succeeded, declassified: success or failure
/// is what the other party sees.
fn verdict<T, E>(result: Result<T, E>) -> Option<T> {
    let ok = result.is_ok();
    public(std::slice::from_ref(&u8::from(ok)));
    result.ok()
}

fn olm_paths(run: &mut Runner) {
    let mut rng = tainted(1);
    let alice = Account::new_with_rng(&mut rng);
    let mut bob = Account::new_with_rng(&mut rng);
    bob.generate_one_time_keys_with_rng(2, &mut rng);
    let one_time_key = published(*bob.one_time_keys().values().next().unwrap_or_else(|| panic!("a key")));
    let (alice_key, bob_key) = (published(alice.curve25519_key()), published(bob.curve25519_key()));
    let mut to_bob = None;
    run.path("Olm outbound session creation", || {
        to_bob = verdict(alice.create_outbound_session_with_rng(
            SessionConfig::version_1(),
            bob_key,
            one_time_key,
            &mut rng,
        ));
    });
    let mut to_bob = to_bob.unwrap_or_else(|| panic!("a session"));
    let mut first = None;
    run.path("Olm encrypt, first message", || {
        first = Some(wire(&to_bob.encrypt_with_rng("hello", &mut rng)))
    });
    let Some(OlmMessage::PreKey(first)) = first else {
        panic!("a pre-key message")
    };
    let mut to_alice = None;
    run.path("Olm inbound session creation", || {
        to_alice = verdict(bob.create_inbound_session(alice_key, &first)).map(|created| created.session);
    });
    let mut to_alice = to_alice.unwrap_or_else(|| panic!("a session"));
    let mut reply = None;
    run.path("Olm encrypt with a ratchet step", || {
        reply = Some(wire(&to_alice.encrypt_with_rng("reply", &mut rng)))
    });
    let reply = reply.unwrap_or_else(|| panic!("a reply"));
    run.path("Olm decrypt with a ratchet step", || {
        verdict(to_bob.decrypt(&reply));
    });
    let mut next = None;
    run.path("Olm encrypt without a ratchet step", || {
        let _ = to_bob.encrypt_with_rng("one", &mut rng);
        next = Some(wire(&to_bob.encrypt_with_rng("two", &mut rng)));
    });
    let next = next.unwrap_or_else(|| panic!("a message"));
    run.path("Olm decrypt without a ratchet step, keeping a skipped key", || {
        verdict(to_alice.decrypt(&next));
    });
    run.path("Olm decrypt of a forged message", || {
        let mut bytes = next.as_bytes().to_vec();
        if let Some(last) = bytes.last_mut() {
            *last ^= 1;
        }
        if let Ok(forged) = OlmMessage::from_parts(1, &bytes) {
            verdict(to_alice.decrypt(&forged));
        }
    });

    let key = pickle_key();
    run.path("pickle: Account, ours, both ways", || {
        let pickle = stored(&bob.pickle_with_rng(&key, &mut nonces()));
        verdict(Account::from_pickle(&pickle, &key));
    });
    run.path("pickle: Account, libolm's, both ways", || {
        let pickle = stored(&bob.to_libolm_pickle(&key).unwrap_or_else(|e| panic!("{e}")));
        verdict(Account::from_libolm_pickle(&pickle, &key));
    });
    run.path("pickle: Session, ours, both ways", || {
        let pickle = stored(&to_alice.pickle_with_rng(&key, &mut nonces()));
        verdict(Session::from_pickle(&pickle, &key));
    });
    run.path("pickle: Session, libolm's, both ways", || {
        let pickle = stored(&to_alice.to_libolm_pickle(&key).unwrap_or_else(|e| panic!("{e}")));
        verdict(Session::from_libolm_pickle(&pickle, &key));
    });
}

fn megolm_paths(run: &mut Runner) {
    let mut rng = tainted(2);
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng);
    let mut session_key = None;
    run.path("Megolm session key, to bytes and back", || {
        // Only the ratchet is secret: the version, index, public key and
        // signature around it are public.
        let mut bytes = group.session_key().to_bytes().to_vec();
        let ratchet = 5..133;
        public(&bytes[..ratchet.start]);
        public(&bytes[ratchet.end..]);
        session_key = verdict(SessionKey::from_bytes(&bytes));
        bytes.fill(0);
    });
    let session_key = session_key.unwrap_or_else(|| panic!("a session key"));
    let mut messages = Vec::new();
    run.path("Megolm encrypt", || {
        for i in 0..3 {
            messages.push(megolm_wire(&group.encrypt(format!("room {i}"))));
        }
    });
    let mut inbound = None;
    run.path("Megolm inbound session from a session key", || {
        inbound = Some(InboundGroupSession::new(&session_key, MegolmConfig::version_1()));
    });
    let mut inbound = inbound.unwrap_or_else(|| panic!("a session"));
    run.path("Megolm decrypt", || {
        for message in &messages {
            verdict(inbound.decrypt(message));
        }
    });
    run.path("Megolm export and import", || {
        let export = inbound.export_at(1).map(|e| e.to_base64());
        if let Some(Some(key)) = export.map(|text| verdict(ExportedSessionKey::from_base64(&text))) {
            let mut imported = InboundGroupSession::import(&key, MegolmConfig::version_1());
            verdict(imported.decrypt(&messages[2]));
        }
    });
    let key = pickle_key();
    run.path("pickle: GroupSession, both formats, both ways", || {
        let pickle = stored(&group.pickle_with_rng(&key, &mut nonces()));
        verdict(GroupSession::from_pickle(&pickle, &key));
        let pickle = stored(&group.to_libolm_pickle(&key).unwrap_or_else(|e| panic!("{e}")));
        verdict(GroupSession::from_libolm_pickle(&pickle, &key));
    });
    run.path("pickle: InboundGroupSession, both formats, both ways", || {
        let pickle = stored(&inbound.pickle_with_rng(&key, &mut nonces()));
        verdict(InboundGroupSession::from_pickle(&pickle, &key));
        let pickle = stored(&inbound.to_libolm_pickle(&key).unwrap_or_else(|e| panic!("{e}")));
        verdict(InboundGroupSession::from_libolm_pickle(&pickle, &key));
    });
}

fn other_paths(run: &mut Runner) {
    let mut rng = tainted(3);
    let backup = PkDecryption::new_with_rng(&mut rng);
    let encryption = PkEncryption::from_key(published(backup.public_key())).unwrap_or_else(|e| panic!("{e}"));
    let mut entry = None;
    run.path("PK encrypt", || {
        let message = encryption.encrypt_with_rng(b"a backed-up room key", &mut rng);
        let (c, m, e) = (
            message.ciphertext_base64(),
            message.mac_base64(),
            message.ephemeral_key_base64(),
        );
        for part in [&c, &m, &e] {
            public(part.as_bytes());
        }
        entry = PkMessage::from_base64(&c, &m, &e).ok();
    });
    let entry = entry.unwrap_or_else(|| panic!("an entry"));
    run.path("PK decrypt", || {
        verdict(backup.decrypt(&entry));
    });
    let key = pickle_key();
    run.path("pickle: PkDecryption, both formats, both ways", || {
        let pickle = stored(&backup.pickle_with_rng(&key, &mut nonces()));
        verdict(PkDecryption::from_pickle(&pickle, &key));
        let pickle = stored(&backup.to_libolm_pickle(&key).unwrap_or_else(|e| panic!("{e}")));
        verdict(PkDecryption::from_libolm_pickle(&pickle, &key));
    });
    run.path("PK signing", || {
        let signing = PkSigning::new_with_rng(&mut rng);
        let signature = signing.sign("a cross-signing key");
        public(&signature.to_bytes());
    });

    let alice = Sas::new_with_rng(&mut rng);
    let bob = Sas::new_with_rng(&mut rng);
    let (alice_key, bob_key) = (published(alice.public_key()), published(bob.public_key()));
    run.path("SAS: key agreement, bytes and MACs", || {
        let (Some(alice), Some(bob)) = (
            verdict(alice.diffie_hellman(bob_key)),
            verdict(bob.diffie_hellman(alice_key)),
        ) else {
            return;
        };
        let bytes = alice.bytes("info");
        public(&bytes.emoji_indices());
        public(&bob.bytes("info").emoji_indices());
        let mac = alice.calculate_mac("a device key", "info").to_base64();
        public(mac.as_bytes());
        if let Ok(mac) = Mac::from_base64(&mac) {
            verdict(bob.verify_mac("a device key", "info", &mac));
        }
        let legacy = alice.calculate_mac_invalid_base64("a device key", "info");
        public(legacy.as_bytes());
        verdict(bob.verify_mac_invalid_base64("a device key", "info", &legacy));
    });

    run.path("ECIES: both sides, both directions", || {
        let scanner = Ecies::new_with_rng(&mut rng);
        let shower = Ecies::new_with_rng(&mut rng);
        let Some(outbound) = verdict(scanner.establish_outbound_channel(published(shower.public_key()), b"initial"))
        else {
            return;
        };
        let text = outbound.message.encode();
        public(text.as_bytes());
        let Some(initial) = verdict(EciesInitial::decode(&text)) else {
            return;
        };
        let Some(inbound) = verdict(shower.establish_inbound_channel(&initial)) else {
            return;
        };
        let (mut s, mut g) = (outbound.ecies, inbound.ecies);
        if let Some(message) = verdict(s.encrypt(b"qr code login")) {
            let text = message.encode();
            public(text.as_bytes());
            if let Some(message) = verdict(EciesMessage::decode(&text)) {
                verdict(g.decrypt(&message));
            }
        }
    });

    run.path("HPKE: both sides, both directions", || {
        let recipient = HpkeRecipientChannel::new_with_rng(&mut rng);
        let Some(sent) = verdict(HpkeSenderChannel::new().establish_channel_with_rng(
            published(recipient.public_key()),
            b"initial",
            b"",
            &mut rng,
        )) else {
            return;
        };
        let text = sent.message.encode();
        public(text.as_bytes());
        let Some(initial) = verdict(InitialMessage::decode(&text)) else {
            return;
        };
        let Some(received) = verdict(recipient.establish_channel(&initial, b"")) else {
            return;
        };
        let Some(response) = verdict(received.channel.establish_bidirectional_channel_with_rng(
            b"response",
            b"",
            &mut nonces(),
        )) else {
            return;
        };
        let text = response.message.encode();
        public(text.as_bytes());
        let Some(response_message) = verdict(InitialResponse::decode(&text)) else {
            return;
        };
        let Some(completed) = verdict(sent.channel.establish_bidirectional_channel(&response_message, b"")) else {
            return;
        };
        let (mut s, mut g) = (completed.channel, response.channel);
        if let Some(message) = verdict(s.seal(b"hpke", b"")) {
            let text = message.encode();
            public(text.as_bytes());
            if let Some(message) = verdict(HpkeMessage::decode(&text)) {
                verdict(g.open(&message, b""));
            }
        }
    });

    run.path("base64 of secret keys, both ways", || {
        let curve = Curve25519SecretKey::new_with_rng(&mut rng);
        let text = curve.to_base64();
        verdict(Curve25519SecretKey::from_base64(&text));
        let ed = Ed25519SecretKey::new_with_rng(&mut rng);
        let text = ed.to_base64();
        verdict(Ed25519SecretKey::from_base64(&text));
    });
}

/// Runs the paths and counts memcheck's reports for each.
struct Runner {
    reports: Vec<(String, usize)>,
}

impl Runner {
    fn path(&mut self, name: &str, f: impl FnOnce()) {
        let before = crabgrind::valgrind::count_errors();
        // Marks the path in valgrind's log, which goes to standard error.
        eprintln!("ct path: {name}");
        f();
        let raised = crabgrind::valgrind::count_errors().saturating_sub(before);
        println!("ct path: {name}: {raised} reports");
        self.reports.push((name.to_owned(), raised));
    }
}

/// A deliberate leak: a branch on a secret byte, which memcheck must report
/// (`scripts/constant-time` runs this first, to show that the check bites).
fn self_test(run: &mut Runner) {
    let mut rng = tainted(0);
    let key = Curve25519SecretKey::new_with_rng(&mut rng);
    run.path("self-test: a branch on a secret byte", || {
        let bytes = key.to_bytes();
        let mut odd = 0u32;
        if bytes[0] & 1 == 1 {
            odd = std::hint::black_box(1);
        }
        std::hint::black_box(odd);
    });
}

fn main() {
    if std::env::args().any(|a| a == "--self-test") {
        let mut run = Runner { reports: Vec::new() };
        self_test(&mut run);
        let total: usize = run.reports.iter().map(|(_, n)| n).sum();
        println!("ct self-test: {total} reports (at least 1 expected)");
        std::process::exit(if total >= 1 { 0 } else { 2 });
    }
    // The crate's own declassification points (`olm::ct`) mark values that
    // are public by design, as this harness does at the boundary.
    olm::ct::set_declassifier(public);
    let mut run = Runner { reports: Vec::new() };
    olm_paths(&mut run);
    megolm_paths(&mut run);
    other_paths(&mut run);
    let total: usize = run.reports.iter().map(|(_, n)| n).sum();
    let clean = run.reports.iter().filter(|(_, n)| *n == 0).count();
    println!(
        "ct: {} paths, {clean} without a report, {total} reports",
        run.reports.len()
    );
}
