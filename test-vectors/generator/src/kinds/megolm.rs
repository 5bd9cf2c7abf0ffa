//! Kinds `megolm` (outbound group sessions) and `megolm_inbound` (inbound
//! sessions from session keys and exports, with failures and exports).

use crate::{
    codec::{b64, hex, unb64},
    common::{drbg, must, must_fail},
    craft::{append, flip_bit, open_pickle, seal_pickle, set_byte, truncate},
    json::Json,
    obj,
    rng::Drbg,
};
use libolm_shim::{Account, InboundGroupSession, OlmError, OutboundGroupSession, Utility};

pub const KIND: &str = "megolm";
pub const INBOUND_KIND: &str = "megolm_inbound";

const CRAFT_KEY: &[u8] = b"generator crafting key";

/// One outbound group session's randomness and what can be built from it.
pub struct Group {
    pub random: Vec<u8>,
    pub id: String,
}

impl Group {
    pub fn new(rng: &mut Drbg) -> Self {
        let random = rng.bytes(160);
        let id = must(OutboundGroupSession::new(&random), "group session").id();
        Group { random, id }
    }

    /// The outbound session as created (index 0).
    pub fn fresh(&self) -> OutboundGroupSession {
        must(OutboundGroupSession::new(&self.random), "group session")
    }

    /// The signed session key at index 0.
    pub fn session_key_0(&self) -> String {
        self.fresh().session_key()
    }

    /// The outbound session advanced to `index` without encrypting that many
    /// messages: libolm exports the ratchet at `index` (from an inbound
    /// session made from the index-0 key), and an outbound pickle of the
    /// fresh session gets that ratchet and counter. libolm then checks it.
    pub fn at(&self, index: u32) -> OutboundGroupSession {
        let mut fresh = self.fresh();
        if index == 0 {
            return fresh;
        }
        let pickle = fresh.pickle(CRAFT_KEY);
        let raw = open_pickle(CRAFT_KEY, &pickle);
        assert_eq!(
            seal_pickle(CRAFT_KEY, &raw),
            pickle,
            "the pickle cipher matches libolm's"
        );
        assert_eq!(raw.len(), 232, "outbound group session pickle v1");
        assert_eq!(raw[..4], [0, 0, 0, 1]);
        let (mut inbound, exported) = self.export(index);
        let export = unb64(&exported).expect("export base64");
        let mut edited = raw.clone();
        edited[4..132].copy_from_slice(&export[5..133]);
        edited[132..136].copy_from_slice(&index.to_be_bytes());
        let crafted = seal_pickle(CRAFT_KEY, &edited);
        let mut session = must(OutboundGroupSession::unpickle(CRAFT_KEY, &crafted), "crafted pickle");
        assert_eq!(session.message_index(), index);
        assert_eq!(session.id(), self.id);
        let key = unb64(&session.session_key()).expect("session key base64");
        assert_eq!(key[1..5], index.to_be_bytes());
        assert_eq!(key[5..133], export[5..133]);
        // libolm itself confirms the crafted session is the same session:
        // the inbound session made at index 0 decrypts its next message.
        let mut probe = must(OutboundGroupSession::unpickle(CRAFT_KEY, &crafted), "crafted pickle");
        let (plaintext, got) = must(inbound.decrypt(&probe.encrypt(b"probe")), "probe decrypt");
        assert_eq!((plaintext.as_slice(), got), (&b"probe"[..], index));
        session
    }

    /// libolm's export at `index`, and an inbound session that reaches it:
    /// from the index-0 session key, hopping through imports because libolm
    /// only looks up to 2^31 - 1 indices ahead.
    pub fn export(&self, index: u32) -> (InboundGroupSession, String) {
        let mut inbound = must(
            InboundGroupSession::from_session_key(&self.session_key_0()),
            "inbound at 0",
        );
        while index.wrapping_sub(inbound.first_known_index()) >= 1 << 31 {
            let hop = inbound.first_known_index().wrapping_add(1 << 30);
            inbound = must(
                InboundGroupSession::import(&must(inbound.export(hop), "hop export")),
                "hop import",
            );
        }
        let exported = must(inbound.export(index), "export");
        (inbound, exported)
    }

    /// `count` messages from `start` on: (index, plaintext, ciphertext).
    pub fn messages(&self, rng: &mut Drbg, start: u32, count: usize, max: usize) -> Vec<Message> {
        let mut session = self.at(start);
        (0..count)
            .map(|_| {
                let index = session.message_index();
                let plaintext = rng.any_plaintext(max);
                let ciphertext = session.encrypt(&plaintext);
                Message {
                    index,
                    plaintext,
                    ciphertext,
                }
            })
            .collect()
    }

    /// Re-signs a message (or session key) after `edit` changed its signed
    /// part: an account whose Ed25519 seed is the group session's seed signs
    /// with the same key as the session. libolm verifies the result.
    pub fn resign(&self, blob: &str, edit: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut bytes = unb64(blob).expect("base64");
        bytes.truncate(bytes.len() - 64);
        edit(&mut bytes);
        let mut account_random = self.random[128..160].to_vec();
        account_random.extend_from_slice(&[0x42; 32]);
        let mut signer = must(Account::new(&account_random), "signer");
        assert_eq!(signer.identity_keys().1, self.id, "the signer holds the session's key");
        let signature = signer.sign(&bytes);
        assert!(Utility::new().ed25519_verify(&self.id, &bytes, &signature));
        bytes.extend(unb64(&signature).expect("signature base64"));
        b64(&bytes)
    }
}

#[derive(Clone, Debug)]
pub struct Message {
    pub index: u32,
    pub plaintext: Vec<u8>,
    pub ciphertext: String,
}

// ---------------------------------------------------------------- megolm

fn outbound(seed: &str, name: &str, plan: impl FnOnce(&mut Drbg) -> Vec<Option<Vec<u8>>>) -> Json {
    let mut rng = drbg(seed, KIND, name);
    let group = Group::new(&mut rng);
    let mut session = group.fresh();
    // `None` asks for the session key at that point.
    let steps = plan(&mut rng);
    let mut events = Vec::new();
    let mut reader = must(InboundGroupSession::from_session_key(&session.session_key()), "reader");
    for step in steps {
        let index = session.message_index();
        match step {
            None => events.push(obj! {
                "op" => "session_key",
                "message_index" => index,
                "session_key" => session.session_key(),
            }),
            Some(plaintext) => {
                let ciphertext = session.encrypt(&plaintext);
                let (decrypted, got) = must(reader.decrypt(&ciphertext), "own decryption");
                assert_eq!((decrypted.as_slice(), got), (plaintext.as_slice(), index));
                events.push(obj! {
                    "op" => "encrypt",
                    "plaintext" => hex(&plaintext),
                    "message_index" => index,
                    "ciphertext" => ciphertext,
                });
            }
        }
    }
    obj! {
        "name" => name,
        "random" => hex(&group.random),
        "session_id" => group.id,
        "events" => events,
    }
}

fn room_event(rng: &mut Drbg) -> Vec<u8> {
    let len = rng.range(1, 80);
    let body = String::from_utf8(rng.text(len)).expect("ASCII");
    format!(
        "{{\"content\":{{\"body\":\"{body}\",\"msgtype\":\"m.text\"}},\"room_id\":\"!room{}:example.org\",\"type\":\"m.room.message\"}}",
        rng.below(10_000)
    )
    .into_bytes()
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for i in 0..3 {
        out.push(outbound(seed, &format!("megolm-plaintext-lengths-{i}"), |rng| {
            let mut steps = vec![None];
            for (k, len) in [0usize, 1, 15, 16, 17, 1000].into_iter().enumerate() {
                steps.push(Some(rng.plaintext(len)));
                if k == 2 {
                    steps.push(None);
                }
            }
            steps.push(None);
            steps
        }));
    }
    for i in 0..5 {
        out.push(outbound(seed, &format!("megolm-messages-{i}"), |rng| {
            let mut steps = Vec::new();
            for _ in 0..rng.range(2, 10) {
                if rng.below(3) == 0 {
                    steps.push(None);
                }
                steps.push(Some(rng.any_plaintext(300)));
            }
            steps.push(None);
            steps
        }));
    }
    for i in 0..2 {
        out.push(outbound(seed, &format!("megolm-room-events-{i}"), |rng| {
            let mut steps = vec![None];
            for _ in 0..4 {
                steps.push(Some(room_event(rng)));
            }
            steps
        }));
    }
    out.push(outbound(seed, "megolm-session-key-only-0", |_| vec![None]));
    out.push(outbound(seed, "megolm-no-events-0", |_| Vec::new()));
    // Across index 256, where R3 is reseeded from R2.
    out.push(outbound(seed, "megolm-across-index-256-0", |rng| {
        let mut steps = vec![None];
        for i in 0..258u32 {
            if i == 255 || i == 256 {
                steps.push(None);
            }
            let len = if i % 64 == 0 || i >= 254 { rng.range(0, 40) } else { 0 };
            steps.push(Some(rng.plaintext(len)));
        }
        steps.push(None);
        steps
    }));
    out
}

// ---------------------------------------------------------------- megolm_inbound

const SIGNATURE: &[u32] = &[OlmError::BAD_SIGNATURE];
const MAC: &[u32] = &[OlmError::BAD_MESSAGE_MAC];
const VERSION: &[u32] = &[OlmError::BAD_MESSAGE_VERSION];
const FORMAT: &[u32] = &[OlmError::BAD_MESSAGE_FORMAT];
const UNKNOWN_INDEX: &[u32] = &[OlmError::UNKNOWN_MESSAGE_INDEX];
const BAD_SESSION_KEY: &[u32] = &[OlmError::BAD_SESSION_KEY];

enum Key<'a> {
    Session(&'a str),
    Exported(&'a str),
}

struct Inbound {
    vector: Json,
    session: InboundGroupSession,
    events: Vec<Json>,
}

impl Inbound {
    fn new(name: &str, key: Key<'_>) -> Self {
        let (field, key, session) = match key {
            Key::Session(k) => ("session_key", k, InboundGroupSession::from_session_key(k)),
            Key::Exported(k) => ("exported_session_key", k, InboundGroupSession::import(k)),
        };
        let mut session = must(session, "import");
        let vector = obj! {
            "name" => name,
            field => key,
            "session_id" => session.id(),
            "first_known_index" => session.first_known_index(),
        };
        Inbound {
            vector,
            session,
            events: Vec::new(),
        }
    }

    fn decrypt(&mut self, message: &Message) {
        let (plaintext, index) = must(self.session.decrypt(&message.ciphertext), "inbound decrypt");
        assert_eq!((&plaintext, index), (&message.plaintext, message.index));
        self.events.push(obj! {
            "op" => "decrypt",
            "ciphertext" => message.ciphertext.as_str(),
            "plaintext" => hex(&plaintext),
            "message_index" => index,
        });
    }

    fn reject(&mut self, ciphertext: &str, class: Json, codes: &[u32]) {
        must_fail(
            self.session.decrypt(ciphertext),
            codes,
            &format!("group decrypt {ciphertext}"),
        );
        self.events
            .push(obj! { "op" => "decrypt", "ciphertext" => ciphertext, "error" => class });
    }

    fn export(&mut self, index: u32) {
        let exported = must(self.session.export(index), "export");
        self.events.push(obj! {
            "op" => "export",
            "message_index" => index,
            "exported_session_key" => exported,
        });
    }

    fn export_fails(&mut self, index: u32) {
        must_fail(
            self.session.export(index),
            UNKNOWN_INDEX,
            "export before the first index",
        );
        self.events
            .push(obj! { "op" => "export", "message_index" => index, "error" => "unknown_index" });
    }

    fn finish(self) -> Json {
        let mut v = self.vector;
        v.push("events", self.events);
        v
    }
}

fn shuffle<T>(rng: &mut Drbg, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

/// Imported at `index` (from the signed key or an export), messages around it.
fn at_index(seed: &str, name: &str, index: u32, exported: bool) -> Json {
    let mut rng = drbg(seed, INBOUND_KIND, name);
    let group = Group::new(&mut rng);
    let key = if exported {
        group.export(index).1
    } else {
        group.at(index).session_key()
    };
    let mut inbound = Inbound::new(
        name,
        if exported {
            Key::Exported(&key)
        } else {
            Key::Session(&key)
        },
    );
    assert_eq!(inbound.session.first_known_index(), index);
    let mut messages = group.messages(&mut rng, index, 4, 120);
    if index > 0 {
        let before = group.messages(&mut rng, index - 1, 1, 60);
        inbound.reject(&before[0].ciphertext, "unknown_index".into(), UNKNOWN_INDEX);
        inbound.export_fails(index - 1);
    }
    inbound.export(index);
    shuffle(&mut rng, &mut messages);
    for message in &messages {
        inbound.decrypt(message);
    }
    inbound.export(index);
    inbound.export(index.wrapping_add(2));
    inbound.export(index.wrapping_add(1 << 20));
    assert!(inbound.session.is_verified(), "a decryption verifies the key");
    inbound.finish()
}

fn wraparound(seed: &str, name: &str) -> Json {
    let mut rng = drbg(seed, INBOUND_KIND, name);
    let group = Group::new(&mut rng);
    let index = u32::MAX;
    let key = group.export(index).1;
    let mut inbound = Inbound::new(name, Key::Exported(&key));
    let messages = group.messages(&mut rng, index, 3, 60);
    assert_eq!(messages.iter().map(|m| m.index).collect::<Vec<_>>(), [u32::MAX, 0, 1]);
    let before = group.messages(&mut rng, index - 1, 1, 60);
    inbound.reject(&before[0].ciphertext, "unknown_index".into(), UNKNOWN_INDEX);
    for m in [&messages[1], &messages[0], &messages[2]] {
        inbound.decrypt(m);
    }
    inbound.export(u32::MAX);
    inbound.export(0);
    inbound.export(5);
    inbound.finish()
}

fn out_of_order(seed: &str, name: &str) -> Json {
    let mut rng = drbg(seed, INBOUND_KIND, name);
    let group = Group::new(&mut rng);
    let mut inbound = Inbound::new(name, Key::Session(&group.session_key_0()));
    let mut messages = group.messages(&mut rng, 0, 9, 200);
    shuffle(&mut rng, &mut messages);
    for (k, message) in messages.iter().enumerate() {
        inbound.decrypt(message);
        if k % 3 == 2 {
            let index = messages[k].index;
            inbound.export(index);
        }
    }
    inbound.export(0);
    inbound.export(8);
    inbound.finish()
}

fn failures(seed: &str, name: &str, exported: bool) -> Json {
    let mut rng = drbg(seed, INBOUND_KIND, name);
    let group = Group::new(&mut rng);
    let first = rng.range(2, 300) as u32;
    let key = if exported {
        group.export(first).1
    } else {
        group.at(first).session_key()
    };
    let mut inbound = Inbound::new(
        name,
        if exported {
            Key::Exported(&key)
        } else {
            Key::Session(&key)
        },
    );
    let messages = group.messages(&mut rng, first - 2, 6, 100);
    let (early, known) = messages.split_at(2);
    for m in early {
        inbound.reject(&m.ciphertext, "unknown_index".into(), UNKNOWN_INDEX);
    }
    inbound.decrypt(&known[1]);
    let target = &known[2];
    let ct = target.ciphertext.as_str();
    let len = unb64(ct).expect("base64").len();
    let bit = rng.below(8) as u8;
    // The signature covers everything before it.
    inbound.reject(&flip_bit(ct, -1, bit), "signature".into(), SIGNATURE);
    inbound.reject(&flip_bit(ct, -64, bit), "signature".into(), SIGNATURE);
    inbound.reject(
        &flip_bit(ct, -(73 + rng.below(8) as isize), bit),
        "signature".into(),
        SIGNATURE,
    );
    // A MAC flip under the old signature: libolm checks the signature first.
    inbound.reject(
        &flip_bit(ct, -(65 + rng.below(8) as isize), bit),
        Json::Arr(vec!["signature".into(), "mac".into()]),
        SIGNATURE,
    );
    // Re-signed with the session's key: only the MAC is wrong.
    let mac_at = len - 64 - 1 - rng.below(8);
    inbound.reject(&group.resign(ct, |body| body[mac_at] ^= 1 << bit), "mac".into(), MAC);
    let ct_at = len - 72 - 1 - rng.below(16);
    inbound.reject(&group.resign(ct, |body| body[ct_at] ^= 1 << bit), "mac".into(), MAC);
    // Wrong version byte, re-signed and not. Byte 4 is libolm's wrong
    // version but Megolm v2's (vodozemac's experimental-session-config,
    // 32-byte MAC): where v2 is read, the message no longer frames
    // (`decode`) or is refused by a v1 session (`config`).
    inbound.reject(
        &group.resign(ct, |body| body[0] = 0x04),
        Json::Arr(vec!["version".into(), "decode".into(), "config".into()]),
        VERSION,
    );
    inbound.reject(&set_byte(ct, 0, 0x02), "version".into(), VERSION);
    // Truncated (libolm reads a message shorter than MAC and signature as
    // version 0; it is still a truncated message).
    inbound.reject(&truncate(ct, len - 1), "decode".into(), FORMAT);
    inbound.reject(&truncate(ct, len - 8), "decode".into(), FORMAT);
    inbound.reject(&truncate(ct, 60), "decode".into(), VERSION);
    // Signed by another session.
    let stranger = Group::new(&mut rng);
    let foreign = stranger.messages(&mut rng, target.index, 1, 40);
    inbound.reject(&foreign[0].ciphertext, "signature".into(), SIGNATURE);
    // Nothing changed: everything genuine still decrypts.
    inbound.decrypt(target);
    inbound.decrypt(&known[0]);
    inbound.decrypt(&known[3]);
    inbound.reject(&early[0].ciphertext, "unknown_index".into(), UNKNOWN_INDEX);
    inbound.export(first);
    inbound.finish()
}

/// An exported key with one field garbled: libolm imports it, then fails.
fn garbled_export(seed: &str, name: &str, what: &str) -> Json {
    let mut rng = drbg(seed, INBOUND_KIND, name);
    let group = Group::new(&mut rng);
    let first = rng.range(10, 100) as u32;
    let exported = group.export(first).1;
    let bit = rng.below(8) as u8;
    let (garbled, class, codes): (String, &str, &[u32]) = match what {
        "ratchet" => (flip_bit(&exported, 5 + rng.below(128) as isize, bit), "mac", MAC),
        // Another session's (valid) key: a flipped bit would often not be a
        // curve point, which a strict implementation refuses at import and
        // libolm does not.
        "foreign-public-key" => (
            with_public_key(&exported, &Group::new(&mut rng).id),
            "signature",
            SIGNATURE,
        ),
        "index-higher" => (
            set_byte(&exported, 4, (first + 5) as u8),
            "unknown_index",
            UNKNOWN_INDEX,
        ),
        "index-lower" => (set_byte(&exported, 4, (first - 5) as u8), "mac", MAC),
        other => panic!("{other}"),
    };
    let mut inbound = Inbound::new(name, Key::Exported(&garbled));
    let messages = group.messages(&mut rng, first, 3, 80);
    for m in &messages {
        inbound.reject(&m.ciphertext, class.into(), codes);
    }
    inbound.export(inbound.session.first_known_index());
    inbound.finish()
}

fn import_error(name: &str, key: Key<'_>, class: &str, codes: &[u32]) -> Json {
    let (field, key, result) = match key {
        Key::Session(k) => ("session_key", k, InboundGroupSession::from_session_key(k)),
        Key::Exported(k) => ("exported_session_key", k, InboundGroupSession::import(k)),
    };
    must_fail(result, codes, name);
    obj! { "name" => name, field => key, "import_error" => class }
}

fn import_error_any(name: &str, key: Key<'_>, classes: &[&str], codes: &[u32]) -> Json {
    let mut v = import_error(name, key, classes[0], codes);
    if let Json::Obj(fields) = &mut v {
        let last = fields.last_mut().expect("import_error field");
        last.1 = Json::Arr(classes.iter().map(|&c| c.into()).collect());
    }
    v
}

/// A session key or export with its Ed25519 key (bytes 133..165) replaced.
fn with_public_key(key: &str, public_key: &str) -> String {
    let mut bytes = unb64(key).expect("base64");
    bytes[133..165].copy_from_slice(&unb64(public_key).expect("base64"));
    b64(&bytes)
}

/// Base64 text one character longer than a multiple of four: undecodable.
fn bad_length(text: &str) -> String {
    let mut out = text.to_owned();
    while out.len() % 4 != 1 {
        out.push('A');
    }
    out
}

fn import_errors(seed: &str) -> Vec<Json> {
    let mut rng = drbg(seed, INBOUND_KIND, "import-errors");
    let group = Group::new(&mut rng);
    let index = rng.range(1, 1000) as u32;
    let sk = group.at(index).session_key();
    let ek = group.export(index).1;
    let bit = rng.below(8) as u8;
    let sk_len = unb64(&sk).expect("b64").len();
    let ek_len = unb64(&ek).expect("b64").len();
    assert_eq!((sk_len, ek_len), (229, 165));
    let invalid_char = {
        let mut chars: Vec<char> = sk.chars().collect();
        let at = 10 + rng.below(200);
        chars[at] = '!';
        chars.into_iter().collect::<String>()
    };
    let invalid = &[OlmError::INVALID_BASE64];
    let decode = BAD_SESSION_KEY;
    use Key::{Exported, Session};
    vec![
        import_error(
            "import-session-key-truncated-0",
            Session(&truncate(&sk, sk_len - 1)),
            "decode",
            decode,
        ),
        import_error(
            "import-session-key-truncated-1",
            Session(&truncate(&sk, 165)),
            "decode",
            decode,
        ),
        import_error(
            "import-session-key-extra-byte-0",
            Session(&append(&sk, &[0])),
            "decode",
            decode,
        ),
        import_error(
            "import-session-key-bad-base64-length-0",
            Session(&bad_length(&sk)),
            "decode",
            invalid,
        ),
        // libolm's lenient decoder turns '!' into other bits; the signature
        // then fails. It is still not base64.
        import_error(
            "import-session-key-bad-base64-char-0",
            Session(&invalid_char),
            "decode",
            SIGNATURE,
        ),
        import_error("import-session-key-empty-0", Session(""), "decode", decode),
        import_error("import-session-key-exported-form-0", Session(&ek), "decode", decode),
        import_error(
            "import-session-key-bad-signature-0",
            Session(&flip_bit(&sk, -1, bit)),
            "signature",
            SIGNATURE,
        ),
        import_error(
            "import-session-key-bad-signature-1",
            Session(&flip_bit(&sk, -40, bit)),
            "signature",
            SIGNATURE,
        ),
        import_error(
            "import-session-key-garbled-ratchet-0",
            Session(&flip_bit(&sk, 5 + rng.below(128) as isize, bit)),
            "signature",
            SIGNATURE,
        ),
        import_error(
            "import-session-key-garbled-index-0",
            Session(&flip_bit(&sk, 4, bit)),
            "signature",
            SIGNATURE,
        ),
        // A flipped bit in the Ed25519 key may leave no curve point: a
        // strict implementation says `decode`, libolm `signature`.
        import_error_any(
            "import-session-key-garbled-public-key-0",
            Session(&flip_bit(&sk, 133 + rng.below(32) as isize, bit)),
            &["signature", "decode"],
            SIGNATURE,
        ),
        import_error(
            "import-session-key-foreign-public-key-0",
            Session(&with_public_key(&sk, &Group::new(&mut rng).id)),
            "signature",
            SIGNATURE,
        ),
        import_error(
            "import-session-key-version-3-0",
            Session(&group.resign(&sk, |b| b[0] = 3)),
            "version",
            decode,
        ),
        import_error(
            "import-session-key-version-1-0",
            Session(&group.resign(&sk, |b| b[0] = 1)),
            "version",
            decode,
        ),
        import_error(
            "import-session-key-version-0-0",
            Session(&set_byte(&sk, 0, 0)),
            "version",
            decode,
        ),
        import_error(
            "import-exported-key-truncated-0",
            Exported(&truncate(&ek, ek_len - 1)),
            "decode",
            decode,
        ),
        import_error(
            "import-exported-key-truncated-1",
            Exported(&truncate(&ek, 133)),
            "decode",
            decode,
        ),
        import_error(
            "import-exported-key-extra-byte-0",
            Exported(&append(&ek, &[0x01])),
            "decode",
            decode,
        ),
        import_error(
            "import-exported-key-bad-base64-length-0",
            Exported(&bad_length(&ek)),
            "decode",
            invalid,
        ),
        import_error("import-exported-key-empty-0", Exported(""), "decode", decode),
        import_error(
            "import-exported-key-session-key-form-0",
            Exported(&sk),
            "decode",
            decode,
        ),
        import_error(
            "import-exported-key-version-2-0",
            Exported(&set_byte(&ek, 0, 2)),
            "version",
            decode,
        ),
        import_error(
            "import-exported-key-version-0-0",
            Exported(&set_byte(&ek, 0, 0)),
            "version",
            decode,
        ),
    ]
}

pub fn generate_inbound(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for index in [0u32, 1, 255, 256, 65535, 65536, (1 << 24) - 1, (1 << 24) + 3] {
        out.push(at_index(seed, &format!("inbound-session-key-at-{index}"), index, false));
    }
    for index in [0u32, 255, 256, 65536, (1 << 24) + 3] {
        out.push(at_index(seed, &format!("inbound-exported-at-{index}"), index, true));
    }
    out.push(wraparound(seed, "inbound-exported-wraparound-0"));
    for i in 0..2 {
        out.push(out_of_order(seed, &format!("inbound-out-of-order-{i}")));
    }
    for i in 0..3 {
        out.push(failures(seed, &format!("inbound-failures-session-key-{i}"), false));
    }
    for i in 0..2 {
        out.push(failures(seed, &format!("inbound-failures-exported-{i}"), true));
    }
    for what in ["ratchet", "foreign-public-key", "index-higher", "index-lower"] {
        out.push(garbled_export(seed, &format!("inbound-garbled-export-{what}-0"), what));
    }
    out.extend(import_errors(seed));
    out
}
