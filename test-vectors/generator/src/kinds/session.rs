//! Kind `olm_session`: transcripts between Alice (initiator) and Bob, with
//! failure events that libolm is shown to reject, each followed by events
//! proving that the failure changed nothing.

use std::collections::HashMap;

use crate::{
    codec::{b64, hex, unb64},
    common::{drbg, must, must_fail},
    craft::{OlmMessage, PreKeyMessage, flip_bit, set_byte, truncate},
    json::Json,
    obj,
    rng::Drbg,
};
use libolm_shim::{Account, OlmError, Res, Session};

pub const KIND: &str = "olm_session";

pub const MAC: &[u32] = &[OlmError::BAD_MESSAGE_MAC];
pub const VERSION: &[u32] = &[OlmError::BAD_MESSAGE_VERSION];
pub const FORMAT: &[u32] = &[OlmError::BAD_MESSAGE_FORMAT];
const KEY_ID: &[u32] = &[OlmError::BAD_MESSAGE_KEY_ID];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who {
    Alice,
    Bob,
}

use Who::{Alice, Bob};

impl Who {
    fn name(self) -> &'static str {
        match self {
            Alice => "alice",
            Bob => "bob",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Sent {
    pub message_type: usize,
    pub ciphertext: String,
    pub plaintext: Vec<u8>,
}

/// Alice and Bob in libolm, and the events recorded so far.
pub struct Transcript {
    pub rng: Drbg,
    pub bob_account: Account,
    pub alice_identity: String,
    pub alice: Session,
    pub bob: Option<Session>,
    pub session_id: String,
    sent: HashMap<String, Sent>,
    events: Vec<Json>,
    header: Json,
    /// Which events are recorded, and how.
    pub mode: Mode,
}

/// How a transcript records its events.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Every event, with `party` (kind `olm_session`).
    Full,
    /// Only one party's events, without `party` and with every decryption
    /// inline (the events of a `libolm_pickle` session vector).
    Only(Who),
    /// Nothing.
    Off,
}

impl Transcript {
    /// Two fresh accounts and Alice's outbound session, from `rng`.
    pub fn new(mut rng: Drbg, name: &str, use_fallback_key: bool) -> Self {
        let alice_random = rng.bytes(64);
        let bob_random = rng.bytes(64);
        let key_random = rng.bytes(32);
        let outbound_random = rng.bytes(64);
        let mut alice_account = must(Account::new(&alice_random), "Alice's account");
        let mut bob_account = must(Account::new(&bob_random), "Bob's account");
        let (id, key) = if use_fallback_key {
            bob_account.generate_fallback_key(&key_random);
            bob_account.unpublished_fallback_key().expect("Bob's fallback key")
        } else {
            bob_account.generate_one_time_keys(1, &key_random);
            bob_account.one_time_keys().pop().expect("Bob's one-time key")
        };
        assert_eq!(id, "AAAAAQ", "Bob's only key has the first id");
        bob_account.mark_keys_as_published();
        let bob_identity = bob_account.curve25519();
        let alice_identity = alice_account.curve25519();
        let mut alice = must(
            Session::outbound(&alice_account, &bob_identity, &key, &outbound_random),
            "Alice's outbound session",
        );
        let session_id = alice.id();
        let header = obj! {
            "name" => name,
            "alice" => obj! { "account_random" => hex(&alice_random) },
            "bob" => obj! {
                "account_random" => hex(&bob_random),
                "one_time_key_random" => hex(&key_random),
                "use_fallback_key" => use_fallback_key,
            },
            "outbound_random" => hex(&outbound_random),
            "session_id" => session_id.as_str(),
        };
        Transcript {
            rng,
            bob_account,
            alice_identity,
            alice,
            bob: None,
            session_id,
            sent: HashMap::new(),
            events: Vec::new(),
            header,
            mode: Mode::Full,
        }
    }

    /// Records `fields` for `who`: `party` goes first in full transcripts;
    /// `id` only there; in single-party mode a decryption by `id` is
    /// written inline.
    fn record(&mut self, who: Who, op: &str, id: Option<&str>, fields: Vec<(&str, Json)>) {
        let mut event = obj! { "op" => op };
        match self.mode {
            Mode::Off => return,
            Mode::Only(subject) if subject != who => return,
            Mode::Only(_) => {
                if let (Some(id), "decrypt") = (id, op) {
                    let sent = self.sent(id);
                    event.push("message_type", sent.message_type);
                    event.push("ciphertext", sent.ciphertext);
                }
            }
            Mode::Full => {
                event.push("party", who.name());
                if let Some(id) = id {
                    event.push("id", id);
                }
            }
        }
        for (key, value) in fields {
            event.push(key, value);
        }
        self.events.push(event);
    }

    /// The events recorded so far, taken.
    pub fn take_events(&mut self) -> Vec<Json> {
        std::mem::take(&mut self.events)
    }

    /// A plaintext of up to `max` bytes.
    pub fn plaintext(&mut self, max: usize) -> Vec<u8> {
        self.rng.any_plaintext(max)
    }

    fn session(&mut self, who: Who) -> &mut Session {
        match who {
            Alice => &mut self.alice,
            Bob => self.bob.as_mut().expect("Bob has no session yet"),
        }
    }

    /// Whether `who` has a sending chain (its next encrypt needs no randomness).
    pub fn has_sender_chain(&mut self, who: Who) -> bool {
        self.session(who).encrypt_random_length() == 0
    }

    /// `who` encrypts `plaintext` as message `id`.
    pub fn encrypt_with(&mut self, who: Who, id: &str, plaintext: Vec<u8>) -> Sent {
        let needed = self.session(who).encrypt_random_length();
        let random = self.rng.bytes(needed);
        let (message_type, ciphertext) = must(self.session(who).encrypt(&plaintext, &random), "encrypt");
        self.record(
            who,
            "encrypt",
            Some(id),
            vec![
                ("plaintext", hex(&plaintext).into()),
                ("random", hex(&random).into()),
                ("message_type", message_type.into()),
                ("ciphertext", ciphertext.as_str().into()),
            ],
        );
        let sent = Sent {
            message_type,
            ciphertext,
            plaintext,
        };
        assert!(
            self.sent.insert(id.to_owned(), sent.clone()).is_none(),
            "duplicate id {id}"
        );
        sent
    }

    /// `who` encrypts a random plaintext of up to `max` bytes.
    pub fn encrypt(&mut self, who: Who, id: &str, max: usize) -> Sent {
        let plaintext = self.plaintext(max);
        self.encrypt_with(who, id, plaintext)
    }

    /// A message sent earlier.
    pub fn sent(&self, id: &str) -> Sent {
        self.sent.get(id).unwrap_or_else(|| panic!("no message {id}")).clone()
    }

    /// libolm's decryption as the runner performs it: Bob's first pre-key
    /// message creates his session (creation and first decryption succeed
    /// or fail together), later ones go through his session.
    fn libolm_decrypt(&mut self, who: Who, message_type: usize, ciphertext: &str) -> Res<Vec<u8>> {
        if who == Bob && self.bob.is_none() {
            assert_eq!(message_type, 0, "Bob's first message must be a pre-key message");
            let mut session = Session::inbound_from(&mut self.bob_account, &self.alice_identity, ciphertext)?;
            let plaintext = session.decrypt(0, ciphertext)?;
            assert_eq!(session.id(), self.session_id, "Bob's session id");
            self.bob = Some(session);
            return Ok(plaintext);
        }
        self.session(who).decrypt(message_type, ciphertext)
    }

    /// `who` decrypts the earlier message `id`, which must succeed.
    pub fn decrypt(&mut self, who: Who, id: &str) {
        let sent = self.sent(id);
        let plaintext = must(
            self.libolm_decrypt(who, sent.message_type, &sent.ciphertext),
            &format!("{} decrypts {id}", who.name()),
        );
        assert_eq!(plaintext, sent.plaintext, "plaintext of {id}");
        self.record(who, "decrypt", Some(id), vec![("plaintext", hex(&plaintext).into())]);
    }

    /// `who` fails to decrypt an inline message: libolm must reject it with
    /// one of `codes` and leave the session exactly as it was; the vector
    /// records `class` (what the case is, not libolm's code).
    pub fn reject(&mut self, who: Who, message_type: usize, ciphertext: &str, class: Json, codes: &[u32]) {
        let before = self.snapshot(who);
        must_fail(
            self.libolm_decrypt(who, message_type, ciphertext),
            codes,
            &format!(
                "{}: {} {ciphertext}",
                self.header.get("name").map_or(String::new(), |n| format!("{n:?}")),
                who.name()
            ),
        );
        assert_eq!(self.snapshot(who), before, "a failed decryption changed libolm's state");
        self.record(
            who,
            "decrypt",
            None,
            vec![
                ("message_type", message_type.into()),
                ("ciphertext", ciphertext.into()),
                ("error", class),
            ],
        );
    }

    fn snapshot(&mut self, who: Who) -> Option<String> {
        match who {
            Alice => Some(self.alice.pickle(b"snapshot")),
            Bob => self.bob.as_mut().map(|s| s.pickle(b"snapshot")),
        }
    }

    /// Both directions once: Alice's pre-key message and Bob's reply.
    pub fn establish(&mut self) {
        self.encrypt(Alice, "a1", 64);
        self.decrypt(Bob, "a1");
        self.encrypt(Bob, "b1", 64);
        self.decrypt(Alice, "b1");
    }

    /// The vector.
    pub fn finish(mut self) -> Json {
        if let Some(bob) = self.bob.as_mut() {
            assert_eq!(bob.id(), self.session_id);
        }
        let mut v = self.header;
        v.push("events", self.events);
        v
    }

    /// A valid Curve25519 public key that belongs to neither party.
    pub fn stranger_key(&mut self) -> Vec<u8> {
        let random = self.rng.bytes(64);
        let mut account = must(Account::new(&random), "stranger");
        unb64(&account.curve25519()).expect("key base64")
    }
}

pub fn class(c: &str) -> Json {
    Json::from(c)
}

/// A normal message's ciphertext with its counter replaced.
pub fn with_counter(ciphertext: &str, counter: u64) -> String {
    let mut message = OlmMessage::parse(&unb64(ciphertext).expect("base64"));
    message.counter = counter;
    b64(&message.encode())
}

/// A normal message's ciphertext with another ratchet key and counter.
pub fn with_ratchet_key(ciphertext: &str, key: &[u8], counter: u64) -> String {
    let mut message = OlmMessage::parse(&unb64(ciphertext).expect("base64"));
    message.ratchet_key = key.to_vec();
    message.counter = counter;
    b64(&message.encode())
}

pub fn counter_of(ciphertext: &str) -> u64 {
    OlmMessage::parse(&unb64(ciphertext).expect("base64")).counter
}

pub fn byte_len(ciphertext: &str) -> usize {
    unb64(ciphertext).expect("base64").len()
}

/// A pre-key message edited by `edit`.
fn edit_pre_key(ciphertext: &str, edit: impl FnOnce(&mut PreKeyMessage)) -> String {
    let mut message = PreKeyMessage::parse(&unb64(ciphertext).expect("base64"));
    edit(&mut message);
    b64(&message.encode())
}

fn basic(seed: &str, name: &str, rounds: usize, max: usize) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    let mut n = 0;
    for round in 0..rounds {
        let who = if round % 2 == 0 { Alice } else { Bob };
        let other = if who == Alice { Bob } else { Alice };
        let count = t.rng.range(1, 3);
        let ids: Vec<String> = (0..count)
            .map(|_| {
                n += 1;
                let id = format!("{}{}", &who.name()[..1], n + 1);
                t.encrypt(who, &id, max);
                id
            })
            .collect();
        for id in ids {
            t.decrypt(other, &id);
        }
    }
    t.finish()
}

fn plaintext_lengths(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    let lengths = [0usize, 1, 15, 16, 17, 31, 32, 33, 255, 1000, 4096];
    for (i, &len) in lengths.iter().enumerate() {
        let who = if i % 2 == 0 { Alice } else { Bob };
        let other = if who == Alice { Bob } else { Alice };
        let id = format!("m{i}");
        let plaintext = t.rng.plaintext(len);
        t.encrypt_with(who, &id, plaintext);
        t.decrypt(other, &id);
    }
    t.finish()
}

fn pre_key_burst(seed: &str, name: &str, use_fallback_key: bool) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, use_fallback_key);
    for i in 1..=4 {
        let sent = t.encrypt(Alice, &format!("a{i}"), 80);
        assert_eq!(sent.message_type, 0);
    }
    // The second message creates Bob's session; the others arrive around it.
    for id in ["a2", "a1", "a4", "a3"] {
        t.decrypt(Bob, id);
    }
    t.encrypt(Bob, "b1", 80);
    t.encrypt(Bob, "b2", 80);
    t.decrypt(Alice, "b2");
    t.decrypt(Alice, "b1");
    let a5 = t.encrypt(Alice, "a5", 80);
    assert_eq!(a5.message_type, 1);
    t.decrypt(Bob, "a5");
    t.encrypt(Bob, "b3", 80);
    t.decrypt(Alice, "b3");
    t.finish()
}

fn out_of_order(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    let mut ids: Vec<String> = (2..=7).map(|i| format!("a{i}")).collect();
    for id in &ids {
        t.encrypt(Alice, id, 100);
    }
    // A deterministic shuffle.
    for i in (1..ids.len()).rev() {
        let j = t.rng.below(i + 1);
        ids.swap(i, j);
    }
    for id in &ids {
        t.decrypt(Bob, id);
    }
    for i in 2..=5 {
        t.encrypt(Bob, &format!("b{i}"), 100);
    }
    for i in (2..=5).rev() {
        t.decrypt(Alice, &format!("b{i}"));
    }
    t.encrypt(Alice, "a8", 100);
    t.decrypt(Bob, "a8");
    t.finish()
}

fn crossed(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    // Both send before reading the other's message.
    t.encrypt(Alice, "a2", 60);
    t.encrypt(Bob, "b2", 60);
    t.decrypt(Bob, "a2");
    t.decrypt(Alice, "b2");
    t.encrypt(Bob, "b3", 60);
    t.encrypt(Alice, "a3", 60);
    t.decrypt(Alice, "b3");
    t.decrypt(Bob, "a3");
    t.encrypt(Alice, "a4", 60);
    t.decrypt(Bob, "a4");
    t.encrypt(Bob, "b4", 60);
    t.decrypt(Alice, "b4");
    t.finish()
}

fn delayed_old_chain(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    t.encrypt(Alice, "a2", 60);
    t.encrypt(Alice, "a3", 60);
    t.decrypt(Bob, "a2");
    t.encrypt(Bob, "b2", 60);
    t.decrypt(Alice, "b2");
    t.encrypt(Alice, "a4", 60);
    t.decrypt(Bob, "a4");
    t.encrypt(Bob, "b3", 60);
    t.decrypt(Alice, "b3");
    t.encrypt(Alice, "a5", 60);
    t.decrypt(Bob, "a5");
    // a3 comes from a chain Bob still holds among his receiver chains.
    t.decrypt(Bob, "a3");
    t.encrypt(Alice, "a6", 60);
    t.encrypt(Alice, "a7", 60);
    t.decrypt(Bob, "a6");
    // Six more ratchet turns: a7's chain falls out of Bob's five receiver
    // chains, so a7 then looks like a forged new chain to him.
    for turn in 0..6 {
        let b = format!("c{turn}");
        t.encrypt(Bob, &b, 40);
        t.decrypt(Alice, &b);
        let a = format!("d{turn}");
        t.encrypt(Alice, &a, 40);
        t.decrypt(Bob, &a);
    }
    t.encrypt(Bob, "b9", 40);
    assert!(t.has_sender_chain(Bob));
    let a7 = t.sent("a7");
    t.reject(
        Bob,
        a7.message_type,
        &a7.ciphertext,
        Json::Arr(vec![class("mac"), class("missing_message_key")]),
        MAC,
    );
    t.decrypt(Alice, "b9");
    t.encrypt(Alice, "a8", 40);
    t.decrypt(Bob, "a8");
    t.finish()
}

fn skipped_key_limit(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    let ids: Vec<String> = (0..45).map(|i| format!("s{i}")).collect();
    for id in &ids {
        let plaintext = t.rng.text(3);
        t.encrypt_with(Alice, id, plaintext);
    }
    // The last one first: 44 skipped keys, of which libolm keeps the 40
    // newest; the 4 oldest are gone.
    t.decrypt(Bob, "s44");
    let mut dropped = 0;
    for id in ids.iter().take(44) {
        let sent = t.sent(id);
        let probe = t.bob.as_mut().expect("Bob's session").pickle(b"probe");
        let mut copy = must(Session::unpickle(b"probe", &probe), "probe copy");
        if copy.decrypt(sent.message_type, &sent.ciphertext).is_ok() {
            t.decrypt(Bob, id);
        } else {
            dropped += 1;
            t.reject(
                Bob,
                sent.message_type,
                &sent.ciphertext,
                class("missing_message_key"),
                MAC,
            );
        }
    }
    assert_eq!(dropped, 4, "libolm keeps 40 skipped message keys");
    t.encrypt(Bob, "b2", 40);
    t.decrypt(Alice, "b2");
    t.encrypt(Alice, "a2", 40);
    t.decrypt(Bob, "a2");
    t.finish()
}

fn negatives(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.establish();
    for i in 2..=4 {
        t.encrypt(Alice, &format!("a{i}"), 120);
    }
    let a3 = t.sent("a3");
    let (ty, ct) = (a3.message_type, a3.ciphertext.clone());
    assert_eq!(ty, 1);
    let len = byte_len(&ct);
    let bit = t.rng.below(8) as u8;
    let back = t.rng.range(9, 24) as isize;
    t.reject(Bob, ty, &flip_bit(&ct, -back, bit), class("mac"), MAC);
    let back = t.rng.range(1, 8) as isize;
    t.reject(Bob, ty, &flip_bit(&ct, -back, bit), class("mac"), MAC);
    t.decrypt(Bob, "a2");
    t.reject(Bob, ty, &set_byte(&ct, 0, 0x02), class("version"), VERSION);
    // Byte 4 is libolm's wrong version but Olm v2's (vodozemac's
    // experimental-session-config, 32-byte MAC): where v2 is read, the
    // message no longer frames (`decode`) or is refused by a v1 session
    // (`config`).
    t.reject(
        Bob,
        ty,
        &set_byte(&ct, 0, 0x04),
        Json::Arr(vec!["version".into(), "decode".into(), "config".into()]),
        VERSION,
    );
    for cut in [len - 1, len - 8, len / 2, 37, 9] {
        t.reject(Bob, ty, &truncate(&ct, cut), class("decode"), FORMAT);
    }
    t.decrypt(Bob, "a4");
    let a2 = t.sent("a2");
    t.reject(Bob, a2.message_type, &a2.ciphertext, class("missing_message_key"), MAC);
    let a4 = t.sent("a4");
    t.reject(Bob, a4.message_type, &a4.ciphertext, class("missing_message_key"), MAC);
    t.decrypt(Bob, "a3");
    t.reject(Bob, ty, &ct, class("missing_message_key"), MAC);
    // Bob's chain now expects counter next = a4's + 1.
    let next = counter_of(&a4.ciphertext) + 1;
    t.reject(
        Bob,
        1,
        &with_counter(&a4.ciphertext, next + 2001),
        class("message_gap"),
        MAC,
    );
    let far = next + 2001 + t.rng.range(0, 100_000) as u64;
    t.reject(Bob, 1, &with_counter(&a4.ciphertext, far), class("message_gap"), MAC);
    // Exactly 2000 ahead is still within reach: libolm derives the key and
    // the MAC (made for another key) fails.
    t.reject(Bob, 1, &with_counter(&a4.ciphertext, next + 2000), class("mac"), MAC);
    t.encrypt(Alice, "a5", 120);
    t.decrypt(Bob, "a5");

    t.encrypt(Bob, "b2", 120);
    t.encrypt(Bob, "b3", 120);
    // Bob holds a sending chain, so a message on an unknown ratchet key is
    // a candidate new chain for him: a forged one fails its MAC, and one
    // whose counter is beyond 2000 is refused outright.
    assert!(t.has_sender_chain(Bob));
    let stranger = t.stranger_key();
    let a5 = t.sent("a5");
    t.reject(
        Bob,
        1,
        &with_ratchet_key(&a5.ciphertext, &stranger, 0),
        class("mac"),
        MAC,
    );
    t.reject(
        Bob,
        1,
        &with_ratchet_key(&a5.ciphertext, &stranger, 2001),
        class("message_gap"),
        MAC,
    );
    let b3 = t.sent("b3");
    let bit = t.rng.below(8) as u8;
    t.reject(Alice, 1, &flip_bit(&b3.ciphertext, -1, bit), class("mac"), MAC);
    t.decrypt(Alice, "b3");
    t.decrypt(Alice, "b2");
    let b2 = t.sent("b2");
    t.reject(
        Alice,
        b2.message_type,
        &b2.ciphertext,
        class("missing_message_key"),
        MAC,
    );
    t.reject(Alice, 1, &set_byte(&b2.ciphertext, 0, 0x01), class("version"), VERSION);
    t.encrypt(Alice, "a6", 120);
    t.decrypt(Bob, "a6");
    t.encrypt(Bob, "b4", 120);
    t.decrypt(Alice, "b4");
    t.finish()
}

fn pre_key_negatives(seed: &str, name: &str, use_fallback_key: bool) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, use_fallback_key);
    t.encrypt(Alice, "a1", 100);
    t.encrypt(Alice, "a2", 100);
    let a1 = t.sent("a1").ciphertext;
    let stranger = t.stranger_key();
    // Before Bob has a session: every failure leaves him without one.
    t.reject(
        Bob,
        0,
        &edit_pre_key(&a1, |m| m.one_time_key = stranger.clone()),
        class("unknown_one_time_key"),
        KEY_ID,
    );
    let bit = t.rng.below(8) as u8;
    t.reject(Bob, 0, &flip_bit(&a1, -1, bit), class("mac"), MAC);
    t.reject(Bob, 0, &flip_bit(&a1, -12, bit), class("mac"), MAC);
    t.reject(
        Bob,
        0,
        &edit_pre_key(&a1, |m| m.message[0] = 0x02),
        class("version"),
        VERSION,
    );
    for cut in [40, byte_len(&a1) / 2] {
        t.reject(Bob, 0, &truncate(&a1, cut), class("decode"), FORMAT);
    }
    assert!(t.bob.is_none());
    t.decrypt(Bob, "a1");
    // Now through his session.
    let a2 = t.sent("a2").ciphertext;
    t.reject(Bob, 0, &flip_bit(&a2, -3, bit), class("mac"), MAC);
    t.reject(Bob, 0, &a1, class("missing_message_key"), MAC);
    t.decrypt(Bob, "a2");
    t.reject(Bob, 0, &a2, class("missing_message_key"), MAC);
    t.encrypt(Bob, "b1", 100);
    t.decrypt(Alice, "b1");
    t.encrypt(Alice, "a3", 100);
    t.decrypt(Bob, "a3");
    t.finish()
}

fn bob_chain(seed: &str, name: &str) -> Json {
    let mut t = Transcript::new(drbg(seed, KIND, name), name, false);
    t.encrypt(Alice, "a1", 50);
    t.decrypt(Bob, "a1");
    for i in 1..=6 {
        t.encrypt(Bob, &format!("b{i}"), 50);
    }
    // Alice keeps sending pre-key messages until she hears back.
    let a2 = t.encrypt(Alice, "a2", 50);
    assert_eq!(a2.message_type, 0);
    t.decrypt(Bob, "a2");
    for id in ["b3", "b1", "b6"] {
        t.decrypt(Alice, id);
    }
    let a3 = t.encrypt(Alice, "a3", 50);
    assert_eq!(a3.message_type, 1);
    for id in ["b2", "b5", "b4"] {
        t.decrypt(Alice, id);
    }
    t.decrypt(Bob, "a3");
    t.encrypt(Bob, "b7", 50);
    t.decrypt(Alice, "b7");
    t.finish()
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for i in 0..4 {
        out.push(basic(seed, &format!("session-conversation-{i}"), 4 + 2 * i, 200));
    }
    out.push(basic(seed, "session-long-conversation-0", 24, 60));
    out.push(plaintext_lengths(seed, "session-plaintext-lengths-0"));
    for i in 0..2 {
        out.push(pre_key_burst(seed, &format!("session-pre-key-burst-{i}"), false));
    }
    for i in 0..2 {
        out.push(pre_key_burst(seed, &format!("session-fallback-key-{i}"), true));
    }
    for i in 0..2 {
        out.push(out_of_order(seed, &format!("session-out-of-order-{i}")));
    }
    out.push(crossed(seed, "session-crossed-messages-0"));
    out.push(delayed_old_chain(seed, "session-delayed-old-chain-0"));
    out.push(skipped_key_limit(seed, "session-skipped-key-limit-0"));
    out.push(bob_chain(seed, "session-bob-chain-before-reply-0"));
    for i in 0..3 {
        out.push(negatives(seed, &format!("session-failures-{i}")));
    }
    out.push(pre_key_negatives(seed, "session-pre-key-failures-0", false));
    out.push(pre_key_negatives(seed, "session-pre-key-failures-fallback-0", true));
    out
}
