//! vodozemac's pickles against live vodozemac objects, both directions:
//! the encrypted strings, and the serde structs through serde_json and
//! MessagePack (rmp-serde), as matrix-sdk-crypto stores them.

#![cfg(feature = "vodozemac-compat")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use olm::{
    megolm::{GroupSession, InboundGroupSession},
    olm::{Account, OlmMessage, Session},
    pickle::{
        PickleError,
        vodozemac::{AccountPickle, GroupSessionPickle, InboundGroupSessionPickle, SessionPickle},
    },
};
use serde::{Serialize, de::DeserializeOwned};
use vodozemac as vz;

const KEY: [u8; 32] = [7; 32];

/// Olm's two variants, ours and vodozemac's.
fn olm_configs() -> [(olm::olm::SessionConfig, vz::olm::SessionConfig); 2] {
    [
        (
            olm::olm::SessionConfig::version_1(),
            vz::olm::SessionConfig::version_1(),
        ),
        (
            olm::olm::SessionConfig::version_2(),
            vz::olm::SessionConfig::version_2(),
        ),
    ]
}

/// Megolm's two variants, ours and vodozemac's.
fn megolm_configs() -> [(olm::megolm::SessionConfig, vz::megolm::SessionConfig); 2] {
    [
        (
            olm::megolm::SessionConfig::version_1(),
            vz::megolm::SessionConfig::version_1(),
        ),
        (
            olm::megolm::SessionConfig::version_2(),
            vz::megolm::SessionConfig::version_2(),
        ),
    ]
}

/// A record one side serialized reads as the other side's type (`R`) and
/// serializes back to the same bytes, in JSON and in both of rmp-serde's
/// struct layouts.
fn reads_back_the_same<W: Serialize, R: Serialize + DeserializeOwned>(written: &W) {
    let json = serde_json::to_vec(written).unwrap();
    let read: R = serde_json::from_slice(&json).unwrap();
    assert_eq!(serde_json::to_vec(&read).unwrap(), json, "JSON");
    let packed = rmp_serde::to_vec(written).unwrap();
    let read: R = rmp_serde::from_slice(&packed).unwrap();
    assert_eq!(rmp_serde::to_vec(&read).unwrap(), packed, "MessagePack");
    let named = rmp_serde::to_vec_named(written).unwrap();
    let read: R = rmp_serde::from_slice(&named).unwrap();
    assert_eq!(
        rmp_serde::to_vec_named(&read).unwrap(),
        named,
        "MessagePack with field names"
    );
}

/// A record vodozemac serialized reads here, the same bytes back.
fn same_bytes_back<V: Serialize, O: Serialize + DeserializeOwned>(theirs: &V) {
    reads_back_the_same::<V, O>(theirs);
}

/// The other direction: a record of ours reads in vodozemac, the same bytes
/// back.
fn theirs_read_ours<O: Serialize, V: Serialize + DeserializeOwned>(ours: &O) {
    reads_back_the_same::<O, V>(ours);
}

fn vz_account() -> vz::olm::Account {
    let mut account = vz::olm::Account::new();
    account.generate_one_time_keys(3);
    account.generate_fallback_key();
    account.mark_keys_as_published();
    account.generate_fallback_key();
    account.generate_one_time_keys(4);
    account
}

#[test]
fn account_from_vodozemac_keeps_every_key_and_id() {
    let theirs = vz_account();
    let pickle = theirs.pickle().encrypt(&KEY);
    let mut ours = Account::from_vodozemac_pickle(&pickle, &KEY).unwrap();
    assert_eq!(
        ours.to_vodozemac_pickle(&KEY),
        pickle,
        "same state, vodozemac's exact string"
    );
    assert_eq!(ours.curve25519_key().to_base64(), theirs.curve25519_key().to_base64());
    assert_eq!(ours.ed25519_key().to_base64(), theirs.ed25519_key().to_base64());
    assert_eq!(ours.sign("x").to_base64(), theirs.sign("x").to_base64());
    let ids = |ours: &Account| -> Vec<(String, String)> {
        ours.one_time_keys()
            .iter()
            .map(|(id, key)| (id.to_base64(), key.to_base64()))
            .collect()
    };
    let mut expected: Vec<(String, String)> = theirs
        .one_time_keys()
        .iter()
        .map(|(id, key)| (id.to_base64(), key.to_base64()))
        .collect();
    expected.sort();
    assert_eq!(ids(&ours), expected);
    assert_eq!(ours.stored_one_time_key_count(), theirs.stored_one_time_key_count());
    let fallback = |ours: &Account| {
        ours.fallback_key()
            .iter()
            .map(|(i, k)| (i.to_base64(), k.to_base64()))
            .collect::<Vec<_>>()
    };
    let theirs_fallback: Vec<_> = theirs
        .fallback_key()
        .iter()
        .map(|(i, k)| (i.to_base64(), k.to_base64()))
        .collect();
    assert_eq!(fallback(&ours), theirs_fallback);
    assert!(ours.uses_wide_key_ids());
    assert_eq!(ours.max_number_of_one_time_keys(), theirs.max_number_of_one_time_keys());

    // Ids go on where vodozemac would have gone on: never one handed out.
    let mut theirs = theirs;
    theirs.mark_keys_as_published();
    ours.mark_keys_as_published();
    theirs.generate_one_time_keys(2);
    let _ = ours.generate_one_time_keys(2);
    let their_ids: Vec<String> = theirs.one_time_keys().keys().map(|id| id.to_base64()).collect();
    let mut their_ids = their_ids;
    their_ids.sort();
    let our_ids: Vec<String> = ours.one_time_keys().keys().map(|id| id.to_base64()).collect();
    assert_eq!(our_ids, their_ids);
    assert_eq!(our_ids, ["AAAAAAAAAAc", "AAAAAAAAAAg"]);
}

#[test]
fn a_wide_id_account_numbers_keys_as_a_new_vodozemac_account_does() {
    let mut ours = Account::new_with_wide_key_ids();
    let mut theirs = vz::olm::Account::new();
    assert!(ours.uses_wide_key_ids());
    assert_eq!(ours.one_time_key_capacity(), olm::olm::VODOZEMAC_ONE_TIME_KEY_CAPACITY);
    let _ = ours.generate_one_time_keys(3);
    theirs.generate_one_time_keys(3);
    let _ = ours.generate_fallback_key();
    theirs.generate_fallback_key();
    let ids = |keys: Vec<String>| {
        let mut keys = keys;
        keys.sort();
        keys
    };
    let our_ids = ids(ours.one_time_keys().keys().map(|id| id.to_base64()).collect());
    assert_eq!(
        our_ids,
        ids(theirs.one_time_keys().keys().map(|id| id.to_base64()).collect())
    );
    assert_eq!(our_ids, ["AAAAAAAAAAA", "AAAAAAAAAAE", "AAAAAAAAAAI"]);
    let our_fallback: Vec<String> = ours.fallback_key().keys().map(|id| id.to_base64()).collect();
    let their_fallback: Vec<String> = theirs.fallback_key().keys().map(|id| id.to_base64()).collect();
    assert_eq!(our_fallback, their_fallback);
    // The scheme survives vodozemac's pickle, and vodozemac reads the ids.
    let back = vz::olm::Account::from_pickle(
        vz::olm::AccountPickle::from_encrypted(&ours.to_vodozemac_pickle(&KEY), &KEY).unwrap(),
    );
    assert_eq!(
        ids(back.one_time_keys().keys().map(|id| id.to_base64()).collect()),
        our_ids
    );
    assert!(
        Account::from_vodozemac_pickle(&ours.to_vodozemac_pickle(&KEY), &KEY)
            .unwrap()
            .uses_wide_key_ids()
    );
}

#[test]
fn account_to_vodozemac_opens_there() {
    let mut ours = Account::new();
    ours.generate_one_time_keys(5);
    ours.mark_keys_as_published();
    ours.generate_fallback_key();
    ours.generate_one_time_keys(2);
    let pickle = ours.to_vodozemac_pickle(&KEY);
    let theirs = vz::olm::Account::from_pickle(vz::olm::AccountPickle::from_encrypted(&pickle, &KEY).unwrap());
    assert_eq!(theirs.curve25519_key().to_base64(), ours.curve25519_key().to_base64());
    assert_eq!(theirs.sign("y").to_base64(), ours.sign("y").to_base64());
    assert_eq!(theirs.stored_one_time_key_count(), 7);
    let mut their_keys: Vec<String> = theirs.one_time_keys().values().map(|k| k.to_base64()).collect();
    their_keys.sort();
    let mut our_keys: Vec<String> = ours.one_time_keys().values().map(|k| k.to_base64()).collect();
    our_keys.sort();
    assert_eq!(their_keys, our_keys);
    assert_eq!(theirs.pickle().encrypt(&KEY), pickle);
    // Back here, the account now numbers keys as vodozemac does, after the
    // last id it gave out (8, its fallback key).
    let mut back = Account::from_vodozemac_pickle(&pickle, &KEY).unwrap();
    let _ = back.generate_one_time_keys(1);
    assert!(back.one_time_keys().keys().any(|id| id.to_base64() == "AAAAAAAAAAk"));
}

#[test]
fn account_serde_structs_match_vodozemac_bytes() {
    let theirs = vz_account();
    same_bytes_back::<_, AccountPickle>(&theirs.pickle());
    let json = serde_json::to_vec(&theirs.pickle()).unwrap();
    let ours = Account::try_from(serde_json::from_slice::<AccountPickle>(&json).unwrap()).unwrap();
    assert_eq!(serde_json::to_vec(&AccountPickle::from(&ours)).unwrap(), json);
}

/// A conversation with ratchet steps and messages held back across them.
fn vz_sessions(config: vz::olm::SessionConfig) -> (vz::olm::Session, vz::olm::Session, Vec<vz::olm::OlmMessage>) {
    let alice = vz::olm::Account::new();
    let mut bob = vz::olm::Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut a = alice
        .create_outbound_session(config, bob.curve25519_key(), otk)
        .unwrap();
    let vz::olm::OlmMessage::PreKey(first) = a.encrypt("0").unwrap() else {
        unreachable!()
    };
    let mut b = bob
        .create_inbound_session(config, alice.curve25519_key(), &first)
        .unwrap()
        .session;
    let mut held = Vec::new();
    for step in 0..4 {
        held.push(b.encrypt(format!("held {step}")).unwrap());
        let reply = b.encrypt(format!("b {step}")).unwrap();
        a.decrypt(&reply).unwrap();
        let answer = a.encrypt(format!("a {step}")).unwrap();
        b.decrypt(&answer).unwrap();
    }
    (a, b, held)
}

fn to_ours(message: &vz::olm::OlmMessage) -> OlmMessage {
    let (kind, body) = message.to_parts();
    OlmMessage::from_parts(kind, &body).unwrap()
}

fn to_theirs(message: &OlmMessage) -> vz::olm::OlmMessage {
    let (kind, body) = message.to_parts();
    vz::olm::OlmMessage::from_parts(kind, &body).unwrap()
}

#[test]
fn session_from_vodozemac_keeps_talking_both_ways() {
    for (config, vz_config) in olm_configs() {
        session_from_vodozemac(config, vz_config);
    }
}

fn session_from_vodozemac(config: olm::olm::SessionConfig, vz_config: vz::olm::SessionConfig) {
    let (mut a, mut b, held) = vz_sessions(vz_config);
    let pickle = a.pickle().encrypt(&KEY);
    let mut ours = Session::from_vodozemac_pickle(&pickle, &KEY).unwrap();
    assert_eq!(
        ours.to_vodozemac_pickle(&KEY),
        pickle,
        "same state, vodozemac's exact string"
    );
    assert_eq!(ours.session_config(), config);
    assert_eq!(ours.session_id(), a.session_id());
    assert_eq!(ours.has_received_message(), a.has_received_message());
    // The same state on both sides: the same message, byte for byte.
    let same = ours.encrypt("same");
    assert_eq!(same.to_parts(), a.encrypt("same").unwrap().to_parts());
    assert_eq!(b.decrypt(&to_theirs(&same)).unwrap(), b"same");
    // The messages held back across four ratchet steps still open.
    for (step, message) in held.iter().enumerate() {
        assert_eq!(
            ours.decrypt(&to_ours(message)).unwrap(),
            format!("held {step}").as_bytes()
        );
    }
    for round in 0..3 {
        let message = ours.encrypt(format!("ours {round}"));
        assert_eq!(
            b.decrypt(&to_theirs(&message)).unwrap(),
            format!("ours {round}").as_bytes()
        );
        let reply = b.encrypt(format!("theirs {round}")).unwrap();
        assert_eq!(
            ours.decrypt(&to_ours(&reply)).unwrap(),
            format!("theirs {round}").as_bytes()
        );
    }
    // And back to vodozemac, which goes on from where we stopped.
    let mut again = vz::olm::Session::from_pickle(
        vz::olm::SessionPickle::from_encrypted(&ours.to_vodozemac_pickle(&KEY), &KEY).unwrap(),
    );
    assert_eq!(again.session_config(), vz_config);
    // Our own format keeps the variant and the rest.
    let reloaded = Session::from_pickle(&ours.pickle(&KEY), &KEY).unwrap();
    assert_eq!(reloaded.session_config(), config);
    assert_eq!(reloaded.to_vodozemac_pickle(&KEY), ours.to_vodozemac_pickle(&KEY));
    let message = again.encrypt("again").unwrap();
    assert_eq!(b.decrypt(&message).unwrap(), b"again");
}

/// A session that vodozemac read from a libolm pickle keeps libolm's chain
/// order (newest first) in its own pickle; it opens here all the same (it
/// was refused before), with the sending ratchet active and inactive, and
/// goes on decrypting.
#[test]
#[cfg(feature = "libolm-compat")]
fn a_session_vodozemac_read_from_libolm_opens_here() {
    // Four chains of different lengths (so that their order shows), each
    // with one message held back.
    let config = vz::olm::SessionConfig::version_1();
    let alice = vz::olm::Account::new();
    let mut bob = vz::olm::Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut a = alice
        .create_outbound_session(config, bob.curve25519_key(), otk)
        .unwrap();
    let vz::olm::OlmMessage::PreKey(first) = a.encrypt("0").unwrap() else {
        unreachable!()
    };
    let mut b = bob
        .create_inbound_session(config, alice.curve25519_key(), &first)
        .unwrap()
        .session;
    let mut held = Vec::new();
    for step in 0..4 {
        held.push(b.encrypt(format!("held {step}")).unwrap());
        for _ in 0..=step {
            a.decrypt(&b.encrypt("more").unwrap()).unwrap();
        }
        b.decrypt(&a.encrypt("answer").unwrap()).unwrap();
    }
    for inactive in [false, true] {
        if inactive {
            let reply = b.encrypt("one more").unwrap();
            a.decrypt(&reply).unwrap();
        }
        let ours = Session::from_vodozemac_pickle(&a.pickle().encrypt(&KEY), &KEY).unwrap();
        assert!(
            ours.receiving_chain_indices().len() > 1,
            "the case needs several chains"
        );
        let libolm = ours.to_libolm_pickle(b"libolm key").unwrap();
        let theirs = vz::olm::Session::from_libolm_pickle(&libolm, b"libolm key").unwrap();
        let mut back = Session::from_vodozemac_pickle(&theirs.pickle().encrypt(&KEY), &KEY)
            .expect("vodozemac's pickle of a libolm session opens");
        assert_eq!(back.session_id(), a.session_id());
        // The same chains in the same order, where the pickle shows it: an
        // inactive ratchet names the newest chain. (An active one read from
        // libolm has no parent key to tell, and its chains are taken in
        // vodozemac's own order.)
        if inactive {
            assert_eq!(back.receiving_chain_indices(), ours.receiving_chain_indices());
        }
        for (step, message) in held.iter().enumerate() {
            assert_eq!(
                back.decrypt(&to_ours(message)).unwrap(),
                format!("held {step}").as_bytes()
            );
        }
        let next = b.encrypt("after").unwrap();
        assert_eq!(back.decrypt(&to_ours(&next)).unwrap(), b"after");
        a.decrypt(&next).unwrap();
    }
}

#[test]
fn session_to_vodozemac_opens_there() {
    for (config, vz_config) in olm_configs() {
        session_to_vodozemac(config, vz_config);
    }
}

fn session_to_vodozemac(config: olm::olm::SessionConfig, vz_config: vz::olm::SessionConfig) {
    let alice = Account::new();
    let mut bob = vz::olm::Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let otk = olm::Curve25519PublicKey::from_base64(&otk.to_base64()).unwrap();
    let bob_key = olm::Curve25519PublicKey::from_base64(&bob.curve25519_key().to_base64()).unwrap();
    let mut ours = alice.create_outbound_session(config, bob_key, otk).unwrap();
    let first = ours.encrypt("hi");
    let vz::olm::OlmMessage::PreKey(first) = to_theirs(&first) else {
        unreachable!()
    };
    let alice_key = vz::Curve25519PublicKey::from_base64(&alice.curve25519_key().to_base64()).unwrap();
    let mut b = bob
        .create_inbound_session(vz_config, alice_key, &first)
        .unwrap()
        .session;
    let skipped = b.encrypt("skipped").unwrap();
    ours.decrypt(&to_ours(&b.encrypt("r").unwrap())).unwrap();
    let pickle = ours.to_vodozemac_pickle(&KEY);
    let mut theirs = vz::olm::Session::from_pickle(vz::olm::SessionPickle::from_encrypted(&pickle, &KEY).unwrap());
    assert_eq!(theirs.pickle().encrypt(&KEY), pickle);
    assert_eq!(theirs.session_config(), vz_config);
    assert_eq!(theirs.decrypt(&skipped).unwrap(), b"skipped");
    let m = theirs.encrypt("from vodozemac").unwrap();
    assert_eq!(b.decrypt(&m).unwrap(), b"from vodozemac");
}

#[test]
fn session_serde_structs_match_vodozemac_bytes() {
    for (_, vz_config) in olm_configs() {
        let (a, b, _) = vz_sessions(vz_config);
        same_bytes_back::<_, SessionPickle>(&a.pickle());
        same_bytes_back::<_, SessionPickle>(&b.pickle());
    }
}

#[test]
fn group_sessions_both_ways() {
    for (config, vz_config) in megolm_configs() {
        group_sessions(config, vz_config);
    }
}

fn group_sessions(config: olm::megolm::SessionConfig, vz_config: vz::megolm::SessionConfig) {
    let mut theirs = vz::megolm::GroupSession::new(vz_config);
    theirs.encrypt("one");
    let pickle = theirs.pickle().encrypt(&KEY);
    let mut ours = GroupSession::from_vodozemac_pickle(&pickle, &KEY).unwrap();
    assert_eq!(ours.to_vodozemac_pickle(&KEY), pickle);
    assert_eq!(ours.session_config(), config);
    assert_eq!(
        GroupSession::from_pickle(&ours.pickle(&KEY), &KEY)
            .unwrap()
            .session_config(),
        config
    );
    assert_eq!(ours.session_id(), theirs.session_id());
    assert_eq!(ours.message_index(), theirs.message_index());
    assert_eq!(
        ours.session_key().to_base64().as_str(),
        theirs.session_key().to_base64()
    );
    let mut reader = vz::megolm::InboundGroupSession::new(&theirs.session_key(), vz_config);
    let message = ours.encrypt("two");
    let message = vz::megolm::MegolmMessage::from_base64(&message.to_base64()).unwrap();
    assert_eq!(reader.decrypt(&message).unwrap().plaintext, b"two");
    let back = vz::megolm::GroupSession::from_pickle(
        vz::megolm::GroupSessionPickle::from_encrypted(&ours.to_vodozemac_pickle(&KEY), &KEY).unwrap(),
    );
    assert_eq!(back.message_index(), 2);
    assert_eq!(back.session_config(), vz_config);
    same_bytes_back::<_, GroupSessionPickle>(&theirs.pickle());
}

#[test]
fn inbound_group_sessions_both_ways() {
    for (ours, theirs) in megolm_configs() {
        inbound_group_sessions(ours, theirs);
    }
}

fn inbound_group_sessions(our_config: olm::megolm::SessionConfig, config: vz::megolm::SessionConfig) {
    let mut sender = vz::megolm::GroupSession::new(config);
    let early = sender.encrypt("early");
    for (theirs, verified) in [
        (
            vz::megolm::InboundGroupSession::new(&sender.session_key(), config),
            true,
        ),
        (
            vz::megolm::InboundGroupSession::import(
                &{
                    let mut s = vz::megolm::InboundGroupSession::new(&sender.session_key(), config);
                    s.export_at(1).unwrap()
                },
                config,
            ),
            false,
        ),
    ] {
        let pickle = theirs.pickle().encrypt(&KEY);
        let mut ours = InboundGroupSession::from_vodozemac_pickle(&pickle, &KEY).unwrap();
        assert_eq!(ours.to_vodozemac_pickle(&KEY), pickle);
        assert_eq!(ours.session_id(), theirs.session_id());
        assert_eq!(ours.first_known_index(), theirs.first_known_index());
        assert_eq!(ours.is_verified(), verified);
        assert_eq!(ours.session_config(), our_config);
        let late = sender.encrypt("late");
        let late = olm::megolm::MegolmMessage::from_base64(&late.to_base64()).unwrap();
        assert_eq!(ours.decrypt(&late).unwrap().plaintext, b"late");
        let early = olm::megolm::MegolmMessage::from_base64(&early.to_base64()).unwrap();
        assert!(ours.decrypt(&early).is_err(), "before the first known index");
        same_bytes_back::<_, InboundGroupSessionPickle>(&theirs.pickle());
        let mut back = vz::megolm::InboundGroupSession::from_pickle(
            vz::megolm::InboundGroupSessionPickle::from_encrypted(&ours.to_vodozemac_pickle(&KEY), &KEY).unwrap(),
        );
        assert_eq!(back.first_known_index(), theirs.first_known_index());
        // vodozemac shows the variant only by the messages it takes.
        assert_eq!(back.decrypt(&sender.encrypt("back")).unwrap().plaintext, b"back");
    }
}

#[test]
fn wrong_key_and_tampering_are_refused() {
    let pickle = vz_account().pickle().encrypt(&KEY);
    assert_eq!(
        Account::from_vodozemac_pickle(&pickle, &[8; 32]).unwrap_err(),
        PickleError::Mac
    );
    let mut tampered = pickle.into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(
        Account::from_vodozemac_pickle(&tampered, &KEY).unwrap_err(),
        PickleError::Mac
    );
    // A group session's pickle is not an account's.
    let group = vz::megolm::GroupSession::new(vz::megolm::SessionConfig::version_1());
    assert!(matches!(
        Account::from_vodozemac_pickle(&group.pickle().encrypt(&KEY), &KEY),
        Err(PickleError::Json { .. })
    ));
}

#[test]
fn inconsistent_account_state_is_refused() {
    let theirs = vz_account();
    let mut json: serde_json::Value = serde_json::to_value(theirs.pickle()).unwrap();
    // An unpublished public key that is not its secret's.
    let public_keys = json["one_time_keys"]["public_keys"].as_object_mut().unwrap();
    let (_, first) = public_keys.iter_mut().next().unwrap();
    *first = serde_json::to_value(vz::Curve25519PublicKey::from_bytes([9; 32])).unwrap();
    let pickle: AccountPickle = serde_json::from_value(json.clone()).unwrap();
    assert!(matches!(Account::try_from(pickle), Err(PickleError::Invalid(_))));
    // vodozemac itself takes it, and would publish a key it cannot use.
    let _: vz::olm::AccountPickle = serde_json::from_value(json).unwrap();
}

/// vodozemac 0.10 started the counter of an account it read from libolm at
/// 0, below the ids of the keys it kept. Such a store opens, and new keys
/// get ids past every id held (vodozemac would have handed them out again).
#[test]
fn a_counter_below_the_ids_held_moves_past_them() {
    let theirs = vz_account();
    let held: Vec<String> = theirs.one_time_keys().keys().map(|id| id.to_base64()).collect();
    let mut json: serde_json::Value = serde_json::to_value(theirs.pickle()).unwrap();
    json["one_time_keys"]["next_key_id"] = 0.into();
    json["fallback_keys"]["key_id"] = 0.into();
    let pickle: AccountPickle = serde_json::from_value(json).unwrap();
    let mut ours = Account::try_from(pickle).unwrap();
    ours.mark_keys_as_published();
    let created = ours.generate_one_time_keys(3).created;
    let new_ids: Vec<String> = ours
        .one_time_keys()
        .iter()
        .filter(|(_, key)| created.contains(key))
        .map(|(id, _)| id.to_base64())
        .collect();
    assert_eq!(new_ids.len(), 3);
    assert!(
        new_ids.iter().all(|id| !held.contains(id)),
        "{new_ids:?} reuses one of {held:?}"
    );
    assert_eq!(new_ids, ["AAAAAAAAAAc", "AAAAAAAAAAg", "AAAAAAAAAAk"]);
    let _ = ours.generate_fallback_key();
    let fallback: Vec<String> = ours.fallback_key().keys().map(|id| id.to_base64()).collect();
    assert_eq!(fallback, ["AAAAAAAAAAI"], "past the two fallback keys held");
}

/// A previous fallback key with no current one (vodozemac never writes it,
/// but reads it): the key is kept, as the current one, so that every format
/// holds the same account and a session started with it still opens.
#[test]
fn a_lone_previous_fallback_key_is_kept_as_the_current_one() {
    let mut theirs = vz_account();
    theirs.generate_fallback_key();
    let key = *theirs.fallback_key().values().next().unwrap();
    let mut json: serde_json::Value = serde_json::to_value(theirs.pickle()).unwrap();
    let fallback = json["fallback_keys"].as_object_mut().unwrap();
    let current = fallback.insert("fallback_key".into(), serde_json::Value::Null).unwrap();
    fallback.insert("previous_fallback_key".into(), current);
    let lone: serde_json::Value = json.clone();
    let _: vz::olm::AccountPickle = serde_json::from_value(json.clone()).unwrap();
    let pickle: AccountPickle = serde_json::from_value(json).unwrap();
    let ours = Account::try_from(pickle).unwrap();
    let written = serde_json::to_value(AccountPickle::from(&ours)).unwrap();
    assert_eq!(
        written["fallback_keys"]["fallback_key"],
        lone["fallback_keys"]["previous_fallback_key"]
    );
    assert!(written["fallback_keys"]["previous_fallback_key"].is_null());
    let through_ours = Account::from_pickle(&ours.pickle(&KEY), &KEY).unwrap();
    assert_eq!(through_ours.to_vodozemac_pickle(&KEY), ours.to_vodozemac_pickle(&KEY));
    // A session a peer started with that key opens.
    let alice = vz::olm::Account::new();
    let mut outbound = alice
        .create_outbound_session(
            vz::olm::SessionConfig::version_1(),
            vz::Curve25519PublicKey::from_bytes(ours.curve25519_key().to_bytes()),
            vz::Curve25519PublicKey::from_bytes(key.to_bytes()),
        )
        .unwrap();
    let vz::olm::OlmMessage::PreKey(first) = outbound.encrypt("hi").unwrap() else {
        unreachable!()
    };
    let mut ours = through_ours;
    let first = olm::olm::PreKeyMessage::from_bytes(&first.to_bytes()).unwrap();
    let created = ours
        .create_inbound_session(
            olm::Curve25519PublicKey::from_bytes(alice.curve25519_key().to_bytes()),
            &first,
        )
        .unwrap();
    assert_eq!(created.plaintext, b"hi");
}

/// An active ratchet with no parent key (as vodozemac writes one it read
/// from libolm) says nothing of its chains' order: they are read in
/// vodozemac's own order, oldest first, and written back unchanged.
#[test]
fn without_a_parent_key_the_chains_keep_vodozemacs_order() {
    let (alice, _, _) = vz_sessions(vz::olm::SessionConfig::version_1());
    let mut json = serde_json::to_value(alice.pickle()).unwrap();
    assert_eq!(json["sending_ratchet"]["type"], "active");
    assert!(json["receiving_chains"]["inner"].as_array().unwrap().len() > 1);
    json["sending_ratchet"]["parent_ratchet_key"] = serde_json::Value::Null;
    let ours = Session::try_from(serde_json::from_value::<SessionPickle>(json.clone()).unwrap()).unwrap();
    assert_eq!(serde_json::to_value(SessionPickle::from(&ours)).unwrap(), json);
}

/// vodozemac keeps at most 5000 one-time keys; a pickle with more is refused.
#[test]
fn an_account_holds_5000_one_time_keys_and_no_more() {
    let mut json = serde_json::to_value(vz_account().pickle()).unwrap();
    let keys = json["one_time_keys"]["private_keys"].as_object_mut().unwrap();
    let secret = |id: u64| serde_json::Value::from(vec![(id % 251) as u8 + 1; 32]);
    for id in 1000..1000 + 5000 - keys.len() as u64 {
        keys.insert(id.to_string(), secret(id));
    }
    let pickle: AccountPickle = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(Account::try_from(pickle).unwrap().stored_one_time_key_count(), 5000);
    json["one_time_keys"]["private_keys"]
        .as_object_mut()
        .unwrap()
        .insert("9999".into(), secret(9999));
    let pickle: AccountPickle = serde_json::from_value(json).unwrap();
    assert_eq!(
        Account::try_from(pickle).err(),
        Some(PickleError::Invalid("more one-time keys than the account stores"))
    );
}

#[test]
fn our_serde_structs_read_in_vodozemac() {
    for ((olm_config, _), (megolm_config, _)) in olm_configs().into_iter().zip(megolm_configs()) {
        our_serde_structs(olm_config, megolm_config);
    }
}

fn our_serde_structs(olm_config: olm::olm::SessionConfig, megolm_config: olm::megolm::SessionConfig) {
    let mut account = Account::new();
    account.generate_one_time_keys(3);
    account.mark_keys_as_published();
    account.generate_one_time_keys(2);
    account.generate_fallback_key();
    theirs_read_ours::<_, vz::olm::AccountPickle>(&AccountPickle::from(&account));
    let wide = Account::from_vodozemac_pickle(&account.to_vodozemac_pickle(&KEY), &KEY).unwrap();
    theirs_read_ours::<_, vz::olm::AccountPickle>(&AccountPickle::from(&wide));

    let mut bob = Account::new();
    bob.generate_one_time_keys(1);
    let otk = *bob.one_time_keys().values().next().unwrap();
    let mut alice_session = account
        .create_outbound_session(olm_config, bob.curve25519_key(), otk)
        .unwrap();
    let OlmMessage::PreKey(first) = alice_session.encrypt("hi") else {
        unreachable!()
    };
    let mut bob_session = bob
        .create_inbound_session_with_config(olm_config, account.curve25519_key(), &first)
        .unwrap()
        .session;
    let _held = bob_session.encrypt("held");
    alice_session.decrypt(&bob_session.encrypt("reply")).unwrap();
    for session in [&alice_session, &bob_session] {
        theirs_read_ours::<_, vz::olm::SessionPickle>(&SessionPickle::from(session));
    }

    let mut group = GroupSession::new(megolm_config);
    group.encrypt("x");
    theirs_read_ours::<_, vz::megolm::GroupSessionPickle>(&GroupSessionPickle::from(&group));
    let inbound = InboundGroupSession::new(&group.session_key(), megolm_config);
    theirs_read_ours::<_, vz::megolm::InboundGroupSessionPickle>(&InboundGroupSessionPickle::from(&inbound));
}

/// Secret keys inside stored records (cross-signing and backup keys):
/// vodozemac's serde form both ways, and the same key on each side.
#[test]
fn secret_keys_serde_as_vodozemac() {
    let theirs = vz::Ed25519SecretKey::new();
    same_bytes_back::<_, olm::Ed25519SecretKey>(&theirs);
    let ours: olm::Ed25519SecretKey = serde_json::from_value(serde_json::to_value(&theirs).unwrap()).unwrap();
    assert_eq!(ours.public_key().to_base64(), theirs.public_key().to_base64());
    theirs_read_ours::<_, vz::Ed25519SecretKey>(&ours);

    let theirs = vz::Curve25519SecretKey::new();
    same_bytes_back::<_, olm::Curve25519SecretKey>(&theirs);
    let ours: olm::Curve25519SecretKey = rmp_serde::from_slice(&rmp_serde::to_vec(&theirs).unwrap()).unwrap();
    assert_eq!(
        ours.public_key().to_base64(),
        vz::Curve25519PublicKey::from(&theirs).to_base64()
    );
    theirs_read_ours::<_, vz::Curve25519SecretKey>(&ours);

    // 31 or 33 bytes are refused, as dalek refuses them.
    assert!(serde_json::from_str::<olm::Ed25519SecretKey>(&format!("{:?}", [1u8; 31])).is_err());
    assert!(serde_json::from_str::<olm::Ed25519SecretKey>(&format!("{:?}", [1u8; 33])).is_err());
}

/// vodozemac's issue 382: an account that came from libolm gave out ids
/// again after the switch. Ours, in libolm's scheme with every kind of key
/// given out, written in vodozemac's format: neither vodozemac nor this
/// crate hands out an id at or below one it gave before.
#[test]
#[cfg(feature = "libolm-compat")]
fn an_account_from_libolm_never_reuses_an_id_after_the_switch() {
    let libolm_pickle = {
        let mut account = Account::new();
        account.generate_one_time_keys(5);
        account.mark_keys_as_published();
        account.generate_fallback_key();
        account.generate_fallback_key();
        account.generate_one_time_keys(3);
        account.to_libolm_pickle(b"").unwrap()
    };
    let ours = Account::from_libolm_pickle(&libolm_pickle, b"").unwrap();
    // Ids 1..=10 were given out: 5 published, 2 fallback keys, 3 unpublished.
    let given: Vec<u64> = ours.one_time_keys().keys().map(|id| id.value()).collect();
    assert_eq!(given, [8, 9, 10]);
    let pickle = ours.to_vodozemac_pickle(&KEY);

    let mut theirs = vz::olm::Account::from_pickle(vz::olm::AccountPickle::from_encrypted(&pickle, &KEY).unwrap());
    theirs.generate_one_time_keys(2);
    theirs.generate_fallback_key();
    let decode = |id: String| u64::from_be_bytes(olm::base64_decode(&id).unwrap().try_into().unwrap());
    let mut new: Vec<u64> = theirs.one_time_keys().keys().map(|id| decode(id.to_base64())).collect();
    new.sort();
    assert_eq!(new, [8, 9, 10, 11, 12], "vodozemac keeps 8..=10 and goes on at 11");
    let fallback: Vec<u64> = theirs.fallback_key().keys().map(|id| decode(id.to_base64())).collect();
    assert_eq!(fallback, [11], "vodozemac's fallback counter goes on past every id too");

    let mut back = Account::from_vodozemac_pickle(&pickle, &KEY).unwrap();
    let _ = back.generate_one_time_keys(2);
    back.generate_fallback_key();
    let ours_new: Vec<u64> = back.one_time_keys().keys().map(|id| id.value()).collect();
    assert_eq!(ours_new, [8, 9, 10, 11, 12]);
    let ours_fallback: Vec<u64> = back.fallback_key().keys().map(|id| id.value()).collect();
    assert_eq!(ours_fallback, [11]);
}
