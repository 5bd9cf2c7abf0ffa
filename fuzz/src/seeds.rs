//! The seed corpus: real messages, keys, pickles and scripts for every
//! target, made deterministically. `tests/fuzz_corpus.rs` writes them to
//! `corpus/<target>/seed-*` on request (`FUZZ_WRITE_SEEDS=1 cargo test --test
//! fuzz_corpus`), and replays whatever is in `corpus/` on every run.

use olm::{
    Curve25519SecretKey, Ed25519SecretKey, KeyId,
    megolm::{GroupSession, InboundGroupSession, SessionConfig as MegolmConfig},
    olm::{Account, OlmMessage, SessionConfig},
    pickle::vodozemac::{AccountPickle, GroupSessionPickle, InboundGroupSessionPickle, SessionPickle},
    pk::{PkDecryption, PkEncryption},
    sas::Sas,
};

use super::support::{
    FuzzRng, KIND_ACCOUNT, KIND_GROUP_SESSION, KIND_INBOUND_GROUP_SESSION, KIND_PK_DECRYPTION, KIND_SESSION,
    LIBOLM_KEY, PICKLE_KEY, envelope_open, libolm_open,
};

fn with_prefix(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    out.extend_from_slice(rest);
    out
}

/// Scripts for the stateful targets: a tour of every operation, then a few
/// made by a fixed generator.
fn scripts() -> Vec<Vec<u8>> {
    let seed = 7u64.to_le_bytes();
    let tour: Vec<u8> = [
        &seed[..],
        &[0, 5],              // Alice sends
        &[0, 9],              // Alice sends again
        &[2, 1, 0],           // the second arrives first: creates Bob's session
        &[2, 0, 0],           // then the first
        &[2, 0, 0],           // a replay
        &[4, 0, 0, 0, 3, 0],  // a flipped pre-key message
        &[1, 3],              // Bob replies
        &[3, 0, 0],           // Alice reads it
        &[14, 0, 45],         // Alice sends 45
        &[2, 44, 0],          // the last of them arrives first
        &[2, 3, 0],           // an early one (its key was dropped)
        &[2, 40, 0],          // a late one still kept
        &[4, 41, 0, 1, 0, 0], // unknown field
        &[4, 42, 0, 2, 0, 0], // non-minimal index
        &[4, 43, 0, 3, 1, 0], // top bit
        &[4, 43, 0, 4, 9, 0], // truncated
        &[6, 0],              // Alice reloads (libolm)
        &[7, 1],              // Bob reloads (ours)
        &[1, 2],
        &[3, 1, 0],
        &[8, 4],        // room message 0
        &[9, 0],        // Bob joins
        &[15, 5],       // room messages 1..5
        &[11, 0, 3, 0], // Bob reads 3
        &[12, 0, 3, 0], // a replay of index 3 under another event
        &[10, 2],       // Carol joins from Bob's export at index 2
        &[11, 1, 0, 0], // Carol cannot read index 0
        &[11, 1, 4, 0],
        &[13, 1, 4, 0, 1, 0, 0],  // unknown field
        &[13, 1, 4, 0, 5, 0, 0],  // oversized index
        &[13, 1, 4, 0, 0, 77, 0], // flip
        &[6, 1],
        &[7, 0],
        &[11, 0, 5, 0],
    ]
    .concat();
    let mut out = vec![tour];
    let mut rng = FuzzRng::new(0x5eed);
    for n in 0..6u64 {
        let mut script = n.to_le_bytes().to_vec();
        for _ in 0..60 {
            let mut op = [0u8; 5];
            rand::TryRng::try_fill_bytes(&mut rng, &mut op).expect("infallible");
            // Favour sending and delivering.
            op[0] %= if n % 2 == 0 { 4 } else { 16 };
            op[2] = 0;
            script.extend_from_slice(&op);
        }
        out.push(script);
    }
    out
}

/// Every seed, as (target, file name, contents).
pub fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, name: &str, bytes: Vec<u8>| out.push((target, format!("seed-{name}"), bytes));
    let mut rng = FuzzRng::new(0x5eed5);

    // Olm.
    let alice = Account::new_with_rng(&mut rng);
    let mut bob = Account::new_with_rng(&mut rng);
    bob.generate_one_time_keys_with_rng(2, &mut rng);
    bob.generate_fallback_key_with_rng(&mut rng);
    let otk = *bob.one_time_keys().values().next().expect("a key");
    bob.mark_keys_as_published();
    let mut to_bob = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut rng)
        .expect("session");
    let first = to_bob.encrypt_with_rng("Hello, Bob", &mut rng);
    let OlmMessage::PreKey(pre_key) = &first else {
        unreachable!("a pre-key message")
    };
    let mut to_alice = bob
        .create_inbound_session(alice.curve25519_key(), pre_key)
        .expect("inbound")
        .session;
    let reply = to_alice.encrypt_with_rng("Hi, Alice", &mut rng);
    to_bob.decrypt(&reply).expect("decrypts");
    let normal = to_bob.encrypt_with_rng("", &mut rng);
    add("olm_prekey_message", "bytes", pre_key.to_bytes());
    add("olm_prekey_message", "base64", pre_key.to_base64().into_bytes());
    for (name, message) in [("reply", &reply), ("empty", &normal)] {
        let (kind, bytes) = message.to_parts();
        add("olm_message", name, bytes.clone());
        add("olm_message_from_parts", name, with_prefix(&[kind as u8], &bytes));
    }
    add("olm_message", "base64", reply.to_base64().into_bytes());
    add(
        "olm_message_from_parts",
        "pre-key",
        with_prefix(&[0], &pre_key.to_bytes()),
    );

    // Megolm.
    let mut group = GroupSession::new_with_rng(MegolmConfig::version_1(), &mut rng);
    let session_key = group.session_key();
    let message = group.encrypt("Hello, room");
    let mut inbound = InboundGroupSession::new(&session_key, MegolmConfig::version_1());
    inbound.decrypt(&message).expect("decrypts");
    let export = inbound.export_at(1).expect("exports");
    add("megolm_message", "bytes", message.to_bytes());
    add("megolm_message", "base64", message.to_base64().into_bytes());
    add("session_key", "bytes", session_key.to_bytes().to_vec());
    add("session_key", "base64", session_key.to_base64().as_bytes().to_vec());
    add("exported_session_key", "bytes", export.to_bytes().to_vec());
    add("exported_session_key", "base64", export.to_base64().as_bytes().to_vec());

    // Keys.
    let curve = Curve25519SecretKey::new_with_rng(&mut rng);
    let ed = Ed25519SecretKey::new_with_rng(&mut rng);
    let signature = ed.sign(b"fuzz");
    add("keys", "curve25519", curve.public_key().to_bytes().to_vec());
    add("keys", "curve25519-base64", curve.public_key().to_base64().into_bytes());
    add(
        "keys",
        "curve25519-secret-base64",
        curve.to_base64().as_bytes().to_vec(),
    );
    add("keys", "ed25519", ed.public_key().to_bytes().to_vec());
    add("keys", "ed25519-base64", ed.public_key().to_base64().into_bytes());
    add("keys", "signature", signature.to_bytes().to_vec());
    add("keys", "signature-base64", signature.to_base64().into_bytes());
    add(
        "keys",
        "key-and-signature",
        [&ed.public_key().to_bytes()[..], &signature.to_bytes(), b"fuzz"].concat(),
    );
    add("keys", "key-id", KeyId::new(1).to_base64().into_bytes());
    add("keys", "44-characters", b"A".repeat(44));

    // SAS and PK.
    let sas = Sas::new_with_rng(&mut FuzzRng::new(1))
        .diffie_hellman(Sas::new_with_rng(&mut FuzzRng::new(2)).public_key())
        .expect("honest keys");
    let mac = sas.calculate_mac(b"message", "info").to_base64();
    add(
        "sas_mac",
        "mac",
        [&[mac.len() as u8][..], mac.as_bytes(), b"message"].concat(),
    );
    let legacy = sas.calculate_mac_invalid_base64(b"message", "info");
    add(
        "sas_mac",
        "legacy",
        [&[legacy.len() as u8][..], legacy.as_bytes(), b"message"].concat(),
    );
    let their_key = Sas::new_with_rng(&mut FuzzRng::new(2)).public_key().to_base64();
    add(
        "sas_mac",
        "their-key",
        [&[their_key.len() as u8][..], their_key.as_bytes()].concat(),
    );
    let decryption = PkDecryption::from_bytes(&[7; 32]);
    let pk = PkEncryption::from(&decryption).encrypt_with_rng(b"{\"session_key\":\"...\"}", &mut rng);
    let (ct, mac, eph) = (pk.ciphertext_base64(), pk.mac_base64(), pk.ephemeral_key_base64());
    add(
        "pk_message",
        "strings",
        [
            &[0, ct.len() as u8, mac.len() as u8][..],
            ct.as_bytes(),
            mac.as_bytes(),
            eph.as_bytes(),
        ]
        .concat(),
    );
    add("pk_message", "flip", vec![1, 20, b'x', b'y', 5, 0]);

    // Pickles.
    let mut libolm = |target: &'static str, name: &str, kind: u8, pickle: String| {
        let body = libolm_open(LIBOLM_KEY, &pickle).expect("opens");
        add("libolm_pickle_body", name, with_prefix(&[kind], &body));
        let _ = target;
        add("libolm_pickle", name, pickle.into_bytes());
    };
    libolm(
        "",
        "account",
        0,
        bob.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
    );
    libolm(
        "",
        "session",
        1,
        to_bob.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
    );
    libolm(
        "",
        "group",
        2,
        group.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
    );
    libolm(
        "",
        "inbound",
        3,
        inbound.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
    );
    libolm(
        "",
        "pk",
        4,
        decryption.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string(),
    );
    let mut ours = |name: &str, kind: u8, pickle: String| {
        let body = envelope_open(kind, &PICKLE_KEY, &pickle).expect("opens");
        add("pickle_body", name, with_prefix(&[kind - 1], &body));
        add("pickle", name, pickle.into_bytes());
    };
    ours(
        "account",
        KIND_ACCOUNT,
        bob.pickle_with_rng(&PICKLE_KEY, &mut rng).to_string(),
    );
    ours(
        "session",
        KIND_SESSION,
        to_alice.pickle_with_rng(&PICKLE_KEY, &mut rng).to_string(),
    );
    ours(
        "group",
        KIND_GROUP_SESSION,
        group.pickle_with_rng(&PICKLE_KEY, &mut rng).to_string(),
    );
    ours(
        "inbound",
        KIND_INBOUND_GROUP_SESSION,
        inbound.pickle_with_rng(&PICKLE_KEY, &mut rng).to_string(),
    );
    ours(
        "pk",
        KIND_PK_DECRYPTION,
        decryption.pickle_with_rng(&PICKLE_KEY, &mut rng).to_string(),
    );

    // vodozemac's pickles: each object's encrypted pickle and its struct's
    // JSON. Besides the states above, an inactive session holding skipped
    // keys (Carol read Alice's third message first) and an account and a
    // group session read from libolm pickles (expanded Ed25519 keys, libolm's
    // key ids).
    let mut carol = Account::new_with_rng(&mut rng);
    carol.generate_one_time_keys_with_rng(1, &mut rng);
    let carol_otk = *carol.one_time_keys().values().next().expect("a key");
    let mut to_carol = alice
        .create_outbound_session_with_rng(SessionConfig::version_1(), carol.curve25519_key(), carol_otk, &mut rng)
        .expect("session");
    let sent: Vec<OlmMessage> = (0..3)
        .map(|_| to_carol.encrypt_with_rng("Hello, Carol", &mut rng))
        .collect();
    let OlmMessage::PreKey(third) = &sent[2] else {
        unreachable!("a pre-key message")
    };
    let from_alice = carol
        .create_inbound_session(alice.curve25519_key(), third)
        .expect("inbound")
        .session;
    let bob_from_libolm = Account::from_libolm_pickle(&bob.to_libolm_pickle(LIBOLM_KEY).expect("pickles"), LIBOLM_KEY)
        .expect("reads back");
    let group_from_libolm =
        GroupSession::from_libolm_pickle(&group.to_libolm_pickle(LIBOLM_KEY).expect("pickles"), LIBOLM_KEY)
            .expect("reads back");
    let mut vodozemac = |name: &str, pickle: String, json: Vec<u8>| {
        add("vodozemac_pickle", name, pickle.into_bytes());
        add("vodozemac_json", name, json);
    };
    vodozemac(
        "account",
        bob.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&AccountPickle::from(&bob)).expect("serializes"),
    );
    vodozemac(
        "account-from-libolm",
        bob_from_libolm.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&AccountPickle::from(&bob_from_libolm)).expect("serializes"),
    );
    vodozemac(
        "session",
        to_bob.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&SessionPickle::from(&to_bob)).expect("serializes"),
    );
    vodozemac(
        "session-inactive-skipped",
        from_alice.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&SessionPickle::from(&from_alice)).expect("serializes"),
    );
    vodozemac(
        "group",
        group.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&GroupSessionPickle::from(&group)).expect("serializes"),
    );
    vodozemac(
        "group-from-libolm",
        group_from_libolm.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&GroupSessionPickle::from(&group_from_libolm)).expect("serializes"),
    );
    vodozemac(
        "inbound",
        inbound.to_vodozemac_pickle(&PICKLE_KEY),
        serde_json::to_vec(&InboundGroupSessionPickle::from(&inbound)).expect("serializes"),
    );

    // Live decryption: each genuine message unchanged (mode 3 with nothing
    // XORed in), and one raw.
    for pick in 0..7u8 {
        add("olm_decrypt", &format!("genuine-{pick}"), vec![3, pick, 0, 0, 0]);
    }
    add("olm_decrypt", "raw", with_prefix(&[0], &reply.to_parts().1));
    for pick in 0..6u8 {
        add("megolm_decrypt", &format!("genuine-{pick}"), vec![1, pick, 0, 0]);
    }
    add("megolm_decrypt", "raw", with_prefix(&[0], &message.to_bytes()));

    for (n, script) in scripts().into_iter().enumerate() {
        add("interaction", &format!("script-{n}"), script.clone());
        add("differential", &format!("script-{n}"), script);
    }
    add("differential", "index-window", vec![0xff, 3, 2, 0, 0, 0, 0, 0, 8, 0]);
    version_2_seeds(&mut add);
    out.extend(super::qr_login::seeds());
    out
}

/// Olm and Megolm version 2: messages of each decoder, pickle bodies with
/// config byte 2, and the decryption targets' v2 fixtures (the top bit of
/// the first byte), from a stream of their own so that the v1 seeds above
/// stay as they were.
fn version_2_seeds(add: &mut impl FnMut(&'static str, &str, Vec<u8>)) {
    let mut rng = FuzzRng::new(0x5eed2);
    let alice = Account::new_with_rng(&mut rng);
    let mut bob = Account::new_with_rng(&mut rng);
    let otk = bob.generate_one_time_keys_with_rng(1, &mut rng).created[0];
    let mut to_bob = alice
        .create_outbound_session_with_rng(SessionConfig::version_2(), bob.curve25519_key(), otk, &mut rng)
        .expect("session");
    let OlmMessage::PreKey(pre_key) = to_bob.encrypt_with_rng("Hello, Bob", &mut rng) else {
        unreachable!("a pre-key message")
    };
    let mut to_alice = bob
        .create_inbound_session_with_config(SessionConfig::version_2(), alice.curve25519_key(), &pre_key)
        .expect("inbound")
        .session;
    let reply = to_alice.encrypt_with_rng("Hi, Alice", &mut rng);
    to_bob.decrypt(&reply).expect("decrypts");
    let (kind, bytes) = reply.to_parts();
    add("olm_message", "v2-reply", bytes.clone());
    add("olm_message_from_parts", "v2-reply", with_prefix(&[kind as u8], &bytes));
    add("olm_prekey_message", "v2-bytes", pre_key.to_bytes());
    add(
        "olm_message_from_parts",
        "v2-pre-key",
        with_prefix(&[0], &pre_key.to_bytes()),
    );

    let mut group = GroupSession::new_with_rng(MegolmConfig::version_2(), &mut rng);
    let mut inbound = InboundGroupSession::new(&group.session_key(), MegolmConfig::version_2());
    let message = group.encrypt("Hello, room");
    inbound.decrypt(&message).expect("decrypts");
    add("megolm_message", "v2-bytes", message.to_bytes());

    for (name, kind, pickle) in [
        (
            "v2-session",
            KIND_SESSION,
            to_bob.pickle_with_rng(&PICKLE_KEY, &mut rng),
        ),
        (
            "v2-group",
            KIND_GROUP_SESSION,
            group.pickle_with_rng(&PICKLE_KEY, &mut rng),
        ),
        (
            "v2-inbound",
            KIND_INBOUND_GROUP_SESSION,
            inbound.pickle_with_rng(&PICKLE_KEY, &mut rng),
        ),
    ] {
        let body = envelope_open(kind, &PICKLE_KEY, &pickle).expect("opens");
        add("pickle_body", name, with_prefix(&[kind - 1], &body));
        add("pickle", name, pickle.as_bytes().to_vec());
    }
    add(
        "vodozemac_pickle",
        "v2-session",
        to_bob.to_vodozemac_pickle(&PICKLE_KEY).into_bytes(),
    );

    for pick in 0..7u8 {
        add("olm_decrypt", &format!("v2-genuine-{pick}"), vec![0x83, pick, 0, 0, 0]);
    }
    add("olm_decrypt", "v2-raw", with_prefix(&[0x80], &reply.to_parts().1));
    for pick in 0..6u8 {
        add("megolm_decrypt", &format!("v2-genuine-{pick}"), vec![0x81, pick, 0, 0]);
    }
    add("megolm_decrypt", "v2-raw", with_prefix(&[0x80], &message.to_bytes()));
}
