//! Kind `libolm_pickle`: libolm pickles of every object type with the
//! public facts of the unpickled object and events run on it afterwards,
//! plus pickles that must not unpickle.

use crate::{
    codec::{hex, unb64},
    common::{by_id, device_keys_json, drbg, must, must_fail},
    craft::{flip_bit, open_pickle, seal_pickle, truncate},
    json::Json,
    kinds::{
        megolm::Group,
        session::{self, MAC, Mode, Transcript, VERSION, Who},
    },
    obj,
    rng::Drbg,
};
use libolm_shim::{Account, InboundGroupSession, OlmError, OutboundGroupSession, PkDecryption, Session};

pub const KIND: &str = "libolm_pickle";

/// A pickle key: empty, short text, or raw bytes of various lengths.
fn pickle_key(rng: &mut Drbg, variant: usize) -> Vec<u8> {
    match variant % 5 {
        0 => Vec::new(),
        1 => {
            let len = rng.range(1, 24);
            rng.text(len)
        }
        2 => rng.bytes(32),
        3 => rng.bytes(1),
        _ => {
            let len = rng.range(33, 100);
            rng.bytes(len)
        }
    }
}

fn vector(name: &str, object: &str, key: &[u8], pickle: &str, expect: Json, events: Vec<Json>) -> Json {
    let mut v = obj! {
        "name" => name,
        "object" => object,
        "pickle_key" => hex(key),
        "pickle" => pickle,
        "expect" => expect,
    };
    if !events.is_empty() {
        v.push("events", events);
    }
    v
}

fn error_vector(name: &str, object: &str, key: &[u8], pickle: &str, class: Json) -> Json {
    obj! {
        "name" => name,
        "object" => object,
        "pickle_key" => hex(key),
        "pickle" => pickle,
        "error" => class,
    }
}

/// Unpickles with libolm the way each object type does.
fn unpickle(object: &str, key: &[u8], pickle: &str) -> Result<(), OlmError> {
    match object {
        "account" => Account::unpickle(key, pickle).map(drop),
        "session" => Session::unpickle(key, pickle).map(drop),
        "group_session" => OutboundGroupSession::unpickle(key, pickle).map(drop),
        "inbound_group_session" => InboundGroupSession::unpickle(key, pickle).map(drop),
        "pk_decryption" => PkDecryption::unpickle(key, pickle).map(drop),
        other => panic!("unknown object {other}"),
    }
}

/// Pickles that libolm refuses, made from a good `pickle` under `key`.
fn error_vectors(rng: &mut Drbg, prefix: &str, object: &str, key: &[u8], pickle: &str) -> Vec<Json> {
    let mut out = Vec::new();
    let mut add = |suffix: &str, key: &[u8], pickle: String, class: Json, codes: &[u32]| {
        let name = format!("{prefix}-{suffix}");
        must_fail(unpickle(object, key, &pickle), codes, &name);
        out.push(error_vector(&name, object, key, &pickle, class));
    };
    let bad_key = OlmError::BAD_ACCOUNT_KEY;
    // The wrong key: the MAC fails.
    let mut wrong = key.to_vec();
    match wrong.last_mut() {
        Some(b) => *b ^= 1,
        None => wrong.push(0),
    }
    add("wrong-key", &wrong, pickle.to_owned(), "pickle_key".into(), &[bad_key]);
    // A corrupted MAC, and ciphertext.
    let bit = rng.below(8) as u8;
    add(
        "corrupted-mac",
        key,
        flip_bit(pickle, -1, bit),
        "pickle_key".into(),
        &[bad_key],
    );
    add(
        "corrupted-ciphertext",
        key,
        flip_bit(pickle, 3, bit),
        "pickle_key".into(),
        &[bad_key],
    );
    // Cut short: the MAC (over the remaining bytes) fails in libolm; a
    // reader may notice the odd length first.
    let len = unb64(pickle).expect("base64").len();
    let either: Json = Json::Arr(vec!["decode".into(), "pickle_key".into()]);
    add("truncated", key, truncate(pickle, len - 16), either.clone(), &[bad_key]);
    add("truncated-odd", key, truncate(pickle, len - 5), either, &[bad_key]);
    // Not base64 at all (length 1 mod 4).
    let mut text = pickle.to_owned();
    while text.len() % 4 != 1 {
        text.push('A');
    }
    add("bad-base64", key, text, "decode".into(), &[OlmError::INVALID_BASE64]);
    // Correctly encrypted, wrong contents.
    let raw = open_pickle(key, pickle);
    assert_eq!(seal_pickle(key, &raw), pickle, "the pickle cipher matches libolm's");
    let mut edited = raw.clone();
    edited[..4].copy_from_slice(&99u32.to_be_bytes());
    add(
        "unknown-version",
        key,
        seal_pickle(key, &edited),
        "version".into(),
        &[OlmError::UNKNOWN_PICKLE_VERSION],
    );
    let mut edited = raw.clone();
    edited.truncate(raw.len() - 1);
    add(
        "contents-truncated",
        key,
        seal_pickle(key, &edited),
        "decode".into(),
        &[OlmError::CORRUPTED_PICKLE],
    );
    let mut edited = raw.clone();
    edited.push(0);
    add(
        "extra-data",
        key,
        seal_pickle(key, &edited),
        "decode".into(),
        &[OlmError::PICKLE_EXTRA_DATA],
    );
    out
}

// ---------------------------------------------------------------- accounts

fn account_vector(seed: &str, name: &str, key_variant: usize, build: impl FnOnce(&mut Drbg, &mut Account)) -> Json {
    let mut rng = drbg(seed, KIND, name);
    let mut account = must(Account::new(&rng.bytes(64)), "account");
    build(&mut rng, &mut account);
    let key = pickle_key(&mut rng, key_variant);
    let pickle = account.pickle(&key);
    let mut copy = must(Account::unpickle(&key, &pickle), "unpickle account");
    assert_eq!(copy.pickle(&key), pickle, "libolm re-pickles identically");
    let (curve, ed) = copy.identity_keys();
    let otks: Vec<Json> = by_id(copy.one_time_keys())
        .into_iter()
        .map(|(id, key)| obj! { "key_id" => id, "key" => key })
        .collect();
    let fallback = copy
        .unpublished_fallback_key()
        .map(|(id, key)| obj! { "key_id" => id, "key" => key });
    let expect = obj! {
        "curve25519" => curve.as_str(),
        "ed25519" => ed.as_str(),
        "one_time_keys" => otks,
        "fallback_key" => fallback,
    };
    let mut messages = vec![Vec::new(), device_keys_json(&mut rng, &curve, &ed)];
    let len = rng.range(1, 300);
    messages.push(rng.plaintext(len));
    let events = messages
        .into_iter()
        .map(|message| {
            let signature = copy.sign(&message);
            obj! { "op" => "sign", "message" => hex(&message), "signature" => signature }
        })
        .collect();
    vector(name, "account", &key, &pickle, expect, events)
}

fn otks(rng: &mut Drbg, account: &mut Account, n: usize) {
    let random = rng.bytes(32 * n);
    account.generate_one_time_keys(n, &random);
}

fn fallback(rng: &mut Drbg, account: &mut Account) {
    let random = rng.bytes(32);
    account.generate_fallback_key(&random);
}

fn accounts(seed: &str) -> Vec<Json> {
    let mut out = vec![
        account_vector(seed, "account-fresh-0", 0, |_, _| {}),
        account_vector(seed, "account-fresh-1", 2, |_, _| {}),
        account_vector(seed, "account-one-time-keys-0", 1, |rng, a| otks(rng, a, 5)),
        account_vector(seed, "account-one-time-keys-1", 4, |rng, a| otks(rng, a, 1)),
        account_vector(seed, "account-one-time-keys-published-0", 2, |rng, a| {
            otks(rng, a, 5);
            a.mark_keys_as_published();
            otks(rng, a, 3);
        }),
        account_vector(seed, "account-all-published-0", 3, |rng, a| {
            otks(rng, a, 10);
            fallback(rng, a);
            a.mark_keys_as_published();
        }),
        account_vector(seed, "account-fallback-key-0", 0, |rng, a| {
            otks(rng, a, 2);
            fallback(rng, a);
        }),
        account_vector(seed, "account-fallback-key-1", 1, fallback),
        account_vector(seed, "account-fallback-key-published-0", 2, |rng, a| {
            fallback(rng, a);
            a.mark_keys_as_published();
        }),
        account_vector(seed, "account-two-fallback-keys-0", 4, |rng, a| {
            fallback(rng, a);
            a.mark_keys_as_published();
            otks(rng, a, 2);
            fallback(rng, a);
        }),
        account_vector(seed, "account-two-fallback-keys-published-0", 1, |rng, a| {
            fallback(rng, a);
            a.mark_keys_as_published();
            fallback(rng, a);
            a.mark_keys_as_published();
        }),
        account_vector(seed, "account-old-fallback-key-forgotten-0", 2, |rng, a| {
            fallback(rng, a);
            a.mark_keys_as_published();
            fallback(rng, a);
            a.forget_old_fallback_key();
        }),
        account_vector(seed, "account-50-one-time-keys-fallback-0", 3, |rng, a| {
            otks(rng, a, 50);
            fallback(rng, a);
        }),
        account_vector(seed, "account-after-inbound-session-0", 0, |rng, bob| {
            // Bob: an inbound session used (and removed) his first key.
            otks(rng, bob, 3);
            let (_, otk) = by_id(bob.one_time_keys()).remove(0);
            bob.mark_keys_as_published();
            otks(rng, bob, 2);
            let mut alice = must(Account::new(&rng.bytes(64)), "alice");
            let bob_curve = bob.curve25519();
            let mut outbound = must(Session::outbound(&alice, &bob_curve, &otk, &rng.bytes(64)), "outbound");
            let (_, message) = must(outbound.encrypt(b"hi", &[]), "encrypt");
            let mut inbound = must(Session::inbound_from(bob, &alice.curve25519(), &message), "inbound");
            must(inbound.decrypt(0, &message), "decrypt");
            must(bob.remove_one_time_keys(&mut inbound), "remove one-time key");
        }),
    ];
    // Errors, from an account with one-time and fallback keys.
    let mut rng = drbg(seed, KIND, "account-errors");
    let mut account = must(Account::new(&rng.bytes(64)), "account");
    otks(&mut rng, &mut account, 2);
    fallback(&mut rng, &mut account);
    let key = pickle_key(&mut rng, 1);
    let pickle = account.pickle(&key);
    out.extend(error_vectors(&mut rng, "account-error", "account", &key, &pickle));
    let raw = open_pickle(&key, &pickle);
    let mut legacy = raw.clone();
    legacy[..4].copy_from_slice(&1u32.to_be_bytes());
    let legacy = seal_pickle(&key, &legacy);
    must_fail(
        Account::unpickle(&key, &legacy),
        &[OlmError::BAD_LEGACY_ACCOUNT_PICKLE],
        "legacy account",
    );
    out.push(error_vector(
        "account-error-legacy-version-1",
        "account",
        &key,
        &legacy,
        "version".into(),
    ));
    // num_fallback_keys = 3 (libolm keeps at most 2).
    let fallback_count_at = 4 + 32 + 64 + 32 + 32 + 4 + 2 * 69;
    assert_eq!(raw[fallback_count_at], 1, "one fallback key in the layout");
    let mut edited = raw.clone();
    edited[fallback_count_at] = 3;
    let three = seal_pickle(&key, &edited);
    must_fail(
        Account::unpickle(&key, &three),
        &[OlmError::CORRUPTED_PICKLE],
        "three fallback keys",
    );
    out.push(error_vector(
        "account-error-three-fallback-keys",
        "account",
        &key,
        &three,
        "decode".into(),
    ));
    out
}

// ---------------------------------------------------------------- sessions

/// A transcript driven by `before` (unrecorded), then `subject`'s session
/// pickled, swapped for its unpickled copy, and `after` recorded.
fn session_vector(
    seed: &str,
    name: &str,
    key_variant: usize,
    subject: Who,
    before: impl FnOnce(&mut Transcript),
    after: impl FnOnce(&mut Transcript),
) -> Json {
    let mut rng = drbg(seed, KIND, name);
    let key = pickle_key(&mut rng, key_variant);
    let mut t = Transcript::new(rng, name, false);
    t.mode = Mode::Off;
    before(&mut t);
    let pickle = match subject {
        Who::Alice => t.alice.pickle(&key),
        Who::Bob => t.bob.as_mut().expect("Bob's session").pickle(&key),
    };
    let mut copy = must(Session::unpickle(&key, &pickle), "unpickle session");
    assert_eq!(copy.pickle(&key), pickle, "libolm re-pickles identically");
    match subject {
        Who::Alice => t.alice = copy,
        Who::Bob => t.bob = Some(copy),
    }
    let session_id = t.session_id.clone();
    t.mode = Mode::Only(subject);
    after(&mut t);
    let events = t.take_events();
    vector(
        name,
        "session",
        &key,
        &pickle,
        obj! { "session_id" => session_id },
        events,
    )
}

fn sessions(seed: &str) -> Vec<Json> {
    use Who::{Alice, Bob};
    let mut out = vec![
        session_vector(
            seed,
            "session-alice-fresh-0",
            0,
            Alice,
            |_| {},
            |t| {
                t.encrypt(Alice, "a1", 40);
                t.encrypt(Alice, "a2", 40);
                t.decrypt(Bob, "a2");
                t.decrypt(Bob, "a1");
                t.encrypt(Bob, "b1", 40);
                t.decrypt(Alice, "b1");
                t.encrypt(Alice, "a3", 40);
            },
        ),
        session_vector(
            seed,
            "session-alice-pre-key-state-0",
            1,
            Alice,
            |t| {
                t.encrypt(Alice, "a1", 40);
                t.encrypt(Alice, "a2", 40);
                t.decrypt(Bob, "a1");
                t.encrypt(Bob, "b1", 40);
                t.encrypt(Bob, "b2", 40);
            },
            |t| {
                t.encrypt(Alice, "a3", 40);
                let b2 = t.sent("b2");
                t.reject(Alice, 1, &flip_bit(&b2.ciphertext, -1, 0), session::class("mac"), MAC);
                t.decrypt(Alice, "b2");
                t.decrypt(Alice, "b1");
                t.reject(Alice, 1, &b2.ciphertext, session::class("missing_message_key"), MAC);
                t.encrypt(Alice, "a4", 40);
            },
        ),
        session_vector(
            seed,
            "session-bob-fresh-inbound-0",
            2,
            Bob,
            |t| {
                t.encrypt(Alice, "a1", 40);
                t.encrypt(Alice, "a2", 40);
                t.encrypt(Alice, "a3", 40);
                t.decrypt(Bob, "a1");
            },
            |t| {
                t.decrypt(Bob, "a3");
                let a1 = t.sent("a1");
                t.reject(Bob, 0, &a1.ciphertext, session::class("missing_message_key"), MAC);
                t.decrypt(Bob, "a2");
                t.encrypt(Bob, "b1", 40);
                t.encrypt(Bob, "b2", 40);
                t.decrypt(Alice, "b1");
                t.encrypt(Alice, "a4", 40);
                t.decrypt(Bob, "a4");
                t.encrypt(Bob, "b3", 40);
            },
        ),
        session_vector(
            seed,
            "session-alice-after-reply-0",
            3,
            Alice,
            |t| t.establish(),
            |t| {
                t.encrypt(Alice, "a2", 100);
                t.decrypt(Bob, "a2");
                t.encrypt(Bob, "b2", 100);
                t.decrypt(Alice, "b2");
                t.encrypt(Alice, "a3", 100);
            },
        ),
    ];
    for (i, subject) in [Bob, Alice].into_iter().enumerate() {
        let other = if subject == Alice { Bob } else { Alice };
        let tag = if subject == Alice { "a" } else { "b" };
        let peer = if subject == Alice { "b" } else { "a" };
        out.push(session_vector(
            seed,
            &format!("session-{}-skipped-keys-{i}", subject_name(subject)),
            4 + i,
            subject,
            |t| {
                t.establish();
                if subject == Alice {
                    // Bob needs a chain of his own with several messages.
                    t.encrypt(Alice, "x1", 30);
                    t.decrypt(Bob, "x1");
                }
                for k in 1..=6 {
                    t.encrypt(other, &format!("{peer}{}", k + 10), 80);
                }
                // The subject reads 12, 14 and 16: 11, 13 and 15 become skipped keys.
                for k in [12, 14, 16] {
                    t.decrypt(subject, &format!("{peer}{k}"));
                }
            },
            |t| {
                let p14 = t.sent(&format!("{peer}14"));
                t.reject(subject, 1, &p14.ciphertext, session::class("missing_message_key"), MAC);
                t.decrypt(subject, &format!("{peer}13"));
                let p15 = t.sent(&format!("{peer}15"));
                t.reject(
                    subject,
                    1,
                    &flip_bit(&p15.ciphertext, -9, 3),
                    session::class("mac"),
                    MAC,
                );
                t.decrypt(subject, &format!("{peer}15"));
                t.decrypt(subject, &format!("{peer}11"));
                t.encrypt(subject, &format!("{tag}20"), 80);
                t.decrypt(other, &format!("{tag}20"));
                t.encrypt(other, &format!("{peer}21"), 80);
                t.decrypt(subject, &format!("{peer}21"));
            },
        ));
    }
    out.push(session_vector(
        seed,
        "session-bob-five-receiver-chains-0",
        1,
        Bob,
        |t| {
            t.establish();
            for turn in 0..7 {
                let a = format!("a{}", turn + 10);
                t.encrypt(Alice, &a, 30);
                t.decrypt(Bob, &a);
                let b = format!("b{}", turn + 10);
                t.encrypt(Bob, &b, 30);
                t.decrypt(Alice, &b);
            }
            t.encrypt(Alice, "a30", 30);
            t.encrypt(Alice, "a31", 30);
            t.decrypt(Bob, "a31");
        },
        |t| {
            t.decrypt(Bob, "a30");
            t.encrypt(Bob, "b30", 30);
            t.decrypt(Alice, "b30");
            t.encrypt(Alice, "a32", 30);
            t.decrypt(Bob, "a32");
            let a32 = t.sent("a32");
            t.reject(Bob, 1, &a32.ciphertext, session::class("missing_message_key"), MAC);
            t.reject(
                Bob,
                1,
                &session::with_counter(&a32.ciphertext, 2100),
                session::class("message_gap"),
                MAC,
            );
            t.reject(
                Bob,
                1,
                &flip_bit(&a32.ciphertext, 0, 1),
                session::class("version"),
                VERSION,
            );
            t.encrypt(Bob, "b31", 30);
        },
    ));
    // Errors.
    let mut rng = drbg(seed, KIND, "session-errors");
    let key = pickle_key(&mut rng, 2);
    let mut t = Transcript::new(drbg(seed, KIND, "session-errors-transcript"), "session-errors", false);
    t.mode = Mode::Off;
    t.establish();
    t.encrypt(Who::Alice, "a2", 20);
    t.encrypt(Who::Alice, "a3", 20);
    t.decrypt(Who::Bob, "a3");
    let pickle = t.bob.as_mut().expect("Bob").pickle(&key);
    out.extend(error_vectors(&mut rng, "session-error", "session", &key, &pickle));
    out
}

fn subject_name(who: Who) -> &'static str {
    match who {
        Who::Alice => "alice",
        Who::Bob => "bob",
    }
}

// ---------------------------------------------------------------- group sessions

fn group_session_vector(seed: &str, name: &str, key_variant: usize, start: u32, sent_before: usize) -> Json {
    let mut rng = drbg(seed, KIND, name);
    let group = Group::new(&mut rng);
    let mut session = group.at(start);
    for _ in 0..sent_before {
        let plaintext = rng.any_plaintext(50);
        session.encrypt(&plaintext);
    }
    let key = pickle_key(&mut rng, key_variant);
    let pickle = session.pickle(&key);
    let mut copy = must(OutboundGroupSession::unpickle(&key, &pickle), "unpickle group session");
    assert_eq!(copy.pickle(&key), pickle, "libolm re-pickles identically");
    let expect = obj! {
        "session_id" => copy.id(),
        "message_index" => copy.message_index(),
        "session_key" => copy.session_key(),
    };
    let mut reader = must(InboundGroupSession::from_session_key(&copy.session_key()), "reader");
    let mut events = Vec::new();
    for k in 0..4 {
        let index = copy.message_index();
        if k == 2 {
            events.push(obj! { "op" => "session_key", "message_index" => index, "session_key" => copy.session_key() });
        }
        let plaintext = rng.any_plaintext(120);
        let ciphertext = copy.encrypt(&plaintext);
        assert_eq!(
            must(reader.decrypt(&ciphertext), "own decryption"),
            (plaintext.clone(), index)
        );
        events.push(obj! {
            "op" => "encrypt",
            "plaintext" => hex(&plaintext),
            "message_index" => index,
            "ciphertext" => ciphertext,
        });
    }
    let index = copy.message_index();
    events.push(obj! { "op" => "session_key", "message_index" => index, "session_key" => copy.session_key() });
    vector(name, "group_session", &key, &pickle, expect, events)
}

fn group_sessions(seed: &str) -> Vec<Json> {
    let mut out = vec![
        group_session_vector(seed, "group-session-fresh-0", 0, 0, 0),
        group_session_vector(seed, "group-session-fresh-1", 2, 0, 0),
        group_session_vector(seed, "group-session-after-messages-0", 1, 0, 5),
        group_session_vector(seed, "group-session-at-254-0", 3, 254, 0),
        group_session_vector(seed, "group-session-at-65534-0", 4, 65534, 0),
        group_session_vector(seed, "group-session-at-16777214-0", 2, (1 << 24) - 2, 0),
        group_session_vector(seed, "group-session-at-2147483648-0", 1, 1 << 31, 1),
        group_session_vector(seed, "group-session-wraparound-0", 0, u32::MAX - 1, 0),
    ];
    let mut rng = drbg(seed, KIND, "group-session-errors");
    let group = Group::new(&mut rng);
    let mut session = group.at(3);
    let key = pickle_key(&mut rng, 1);
    let pickle = session.pickle(&key);
    out.extend(error_vectors(
        &mut rng,
        "group-session-error",
        "group_session",
        &key,
        &pickle,
    ));
    out
}

// ---------------------------------------------------------------- inbound group sessions

/// `prepare` builds the session (and returns messages to use afterwards).
fn inbound_vector(
    seed: &str,
    name: &str,
    key_variant: usize,
    prepare: impl FnOnce(&mut Drbg, &Group) -> (InboundGroupSession, Vec<(u32, Vec<u8>, String)>),
) -> Json {
    let mut rng = drbg(seed, KIND, name);
    let group = Group::new(&mut rng);
    let (mut session, messages) = prepare(&mut rng, &group);
    let key = pickle_key(&mut rng, key_variant);
    let pickle = session.pickle(&key);
    let mut copy = must(InboundGroupSession::unpickle(&key, &pickle), "unpickle inbound session");
    assert_eq!(copy.pickle(&key), pickle, "libolm re-pickles identically");
    let first = copy.first_known_index();
    let expect = obj! { "session_id" => copy.id(), "first_known_index" => first };
    let mut events = Vec::new();
    for (index, plaintext, ciphertext) in messages {
        if index.wrapping_sub(first) >= 1 << 31 {
            must_fail(copy.decrypt(&ciphertext), &[OlmError::UNKNOWN_MESSAGE_INDEX], name);
            events.push(obj! { "op" => "decrypt", "ciphertext" => ciphertext, "error" => "unknown_index" });
        } else {
            let got = must(copy.decrypt(&ciphertext), "decrypt");
            assert_eq!(got, (plaintext.clone(), index));
            events.push(obj! {
                "op" => "decrypt",
                "ciphertext" => ciphertext.as_str(),
                "plaintext" => hex(&plaintext),
                "message_index" => index,
            });
            if rng.below(2) == 0 {
                let bad = flip_bit(&ciphertext, -1, rng.below(8) as u8);
                must_fail(copy.decrypt(&bad), &[OlmError::BAD_SIGNATURE], name);
                events.push(obj! { "op" => "decrypt", "ciphertext" => bad, "error" => "signature" });
            }
        }
    }
    for index in [first, first.wrapping_add(7), first.wrapping_add(1 << 20)] {
        let exported = must(copy.export(index), "export");
        events.push(obj! { "op" => "export", "message_index" => index, "exported_session_key" => exported });
    }
    vector(name, "inbound_group_session", &key, &pickle, expect, events)
}

fn triples(messages: Vec<super::megolm::Message>) -> Vec<(u32, Vec<u8>, String)> {
    messages
        .into_iter()
        .map(|m| (m.index, m.plaintext, m.ciphertext))
        .collect()
}

fn inbound_group_sessions(seed: &str) -> Vec<Json> {
    let mut out = vec![
        inbound_vector(seed, "inbound-group-session-from-session-key-0", 0, |rng, group| {
            let session = must(InboundGroupSession::from_session_key(&group.session_key_0()), "import");
            (session, triples(group.messages(rng, 0, 4, 80)))
        }),
        inbound_vector(seed, "inbound-group-session-after-decrypting-0", 1, |rng, group| {
            let mut session = must(InboundGroupSession::from_session_key(&group.session_key_0()), "import");
            let messages = group.messages(rng, 0, 8, 80);
            // The latest ratchet moves to index 6.
            for m in [&messages[6], &messages[2]] {
                must(session.decrypt(&m.ciphertext), "decrypt");
            }
            let mut rest = triples(messages);
            rest.swap(0, 7);
            (session, rest)
        }),
        inbound_vector(seed, "inbound-group-session-imported-0", 2, |rng, group| {
            let (_, exported) = group.export(300);
            let session = must(InboundGroupSession::import(&exported), "import");
            assert!(!session.is_verified());
            let mut messages = triples(group.messages(rng, 298, 5, 80));
            messages.reverse();
            (session, messages)
        }),
        inbound_vector(
            seed,
            "inbound-group-session-imported-then-verified-0",
            3,
            |rng, group| {
                let (_, exported) = group.export(70_000);
                let mut session = must(InboundGroupSession::import(&exported), "import");
                let messages = group.messages(rng, 70_000, 4, 80);
                must(session.decrypt(&messages[1].ciphertext), "decrypt");
                assert!(session.is_verified());
                (session, triples(messages))
            },
        ),
        inbound_vector(seed, "inbound-group-session-at-16777219-0", 4, |rng, group| {
            let session = must(
                InboundGroupSession::from_session_key(&group.at((1 << 24) + 3).session_key()),
                "import",
            );
            (session, triples(group.messages(rng, (1 << 24) + 2, 3, 80)))
        }),
    ];
    let mut rng = drbg(seed, KIND, "inbound-group-session-errors");
    let group = Group::new(&mut rng);
    let mut session = must(
        InboundGroupSession::from_session_key(&group.at(9).session_key()),
        "import",
    );
    let key = pickle_key(&mut rng, 4);
    let pickle = session.pickle(&key);
    out.extend(error_vectors(
        &mut rng,
        "inbound-group-session-error",
        "inbound_group_session",
        &key,
        &pickle,
    ));
    out
}

// ---------------------------------------------------------------- PK decryption

fn pk_decryptions(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for i in 0..3 {
        let name = format!("pk-decryption-{i}");
        let mut rng = drbg(seed, KIND, &name);
        let private = rng.bytes(32);
        let (mut pk, public) = must(PkDecryption::from_private(&private), "PK key");
        let key = pickle_key(&mut rng, i * 2);
        let pickle = pk.pickle(&key);
        let (mut copy, copy_public) = must(PkDecryption::unpickle(&key, &pickle), "unpickle PK");
        assert_eq!((copy.pickle(&key), &copy_public), (pickle.clone(), &public));
        out.push(vector(
            &name,
            "pk_decryption",
            &key,
            &pickle,
            obj! { "public_key" => public },
            Vec::new(),
        ));
    }
    let mut rng = drbg(seed, KIND, "pk-decryption-errors");
    let (mut pk, _) = must(PkDecryption::from_private(&rng.bytes(32)), "PK key");
    let key = pickle_key(&mut rng, 1);
    let pickle = pk.pickle(&key);
    out.extend(error_vectors(
        &mut rng,
        "pk-decryption-error",
        "pk_decryption",
        &key,
        &pickle,
    ));
    out
}

pub fn generate(seed: &str) -> Vec<Json> {
    let mut out = accounts(seed);
    out.extend(sessions(seed));
    out.extend(group_sessions(seed));
    out.extend(inbound_group_sessions(seed));
    out.extend(pk_decryptions(seed));
    out
}
