//! Version 2 of Olm and Megolm (vodozemac's `experimental-session-config`):
//! the same crafted states as the other vectors, with `"config":
//! {"version": "V2"}` in their bodies. Olm v2 pre-key messages (version 3
//! around a version 4 message) and normal messages both ways, Megolm v2
//! messages, session keys and exports; and each variant's message refused
//! by the other variant's session (class `config`: vodozemac's
//! `InvalidMACLength`), made by a twin of the sender holding the same state
//! in version 1.

use serde_json::{Value, json};
use vodozemac::{megolm::GroupSession, olm::Session};

use crate::{
    account::Signing,
    json::Json,
    megolm::{Inbound, Outbound, group_body, inbound_body, send, signature_flipped},
    rng::Drbg,
    session::{Chain, Count, Party, Sending, State, encrypt, mac_flipped, next_chain, session_keys},
    util::{Curve, Object, ed25519_public, state},
};

/// `body` with its config set to `version` ("V1" or "V2").
fn with_config(mut body: Value, version: &str) -> Value {
    body["config"] = json!({ "version": version });
    body
}

/// A message of the Olm variant v1 from the same sending state as `v2`:
/// the v2 session's chain, read in version 1.
fn olm_v1_twin(v2: &Value) -> Session {
    Session::from_body(&with_config(v2.clone(), "V1"))
}

pub fn generate(seed: &str) -> Vec<Json> {
    let stream = |name: &str| Drbg::new(seed, &format!("{}/{name}", crate::KIND));
    let mut out = Vec::new();

    // Olm v2 pre-key messages: Alice's new outbound session and Bob's made
    // from her first pre-key message, as in `session-pre-key`. Bob takes
    // them out of order and refuses a replay, a flipped MAC (in the last 8
    // of its 32 bytes) and the v1 message of the same key.
    let name = "session-v2-pre-key";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let root: [u8; 32] = rng.array();
    let a = Curve::new(&mut rng);
    let chain: [u8; 32] = rng.array();
    let alice_body = with_config(
        State {
            keys,
            sending: Sending::Active {
                parent: None,
                count: Count::Known(0),
                root,
                ratchet: a,
                chain,
                index: 0,
            },
            receiving: vec![],
        }
        .body(),
        "V2",
    );
    let mut v1_alice = olm_v1_twin(&alice_body);
    let mut alice = Party::from_body(&format!("{name}-alice"), &alice_body, &mut rng);
    alice.expect_config();
    let bob_body = with_config(
        State {
            keys,
            sending: Sending::Inactive {
                root,
                their_ratchet_key: a.public,
                count: Count::Known(0),
            },
            receiving: vec![Chain::new(a.public, chain, 0, Count::Known(0))],
        }
        .body(),
        "V2",
    );
    let mut bob = Party::from_body(&format!("{name}-bob"), &bob_body, &mut rng);
    bob.expect_config();
    let m: Vec<_> = (0..4).map(|_| alice.encrypt(&mut rng)).collect();
    let v1_first = encrypt(&mut v1_alice, &rng.plaintext(100));
    bob.decrypt(&m[1]);
    bob.reject(&v1_first, "config");
    bob.decrypt(&m[0]);
    bob.reject(&m[0].message, "missing_message_key");
    bob.reject(&mac_flipped(&m[3].message, &mut rng), "mac");
    bob.decrypt(&m[3]);
    bob.decrypt(&m[2]);
    out.push(alice.finish());
    out.push(bob.finish());

    // Olm v2 normal messages both ways: Alice's chain is active and she has
    // received before; Bob has answered it with a chain she has not seen,
    // so her first decryption of his takes a ratchet step. Each refuses the
    // v1 message of the other's current key.
    let name = "session-v2-established";
    let mut rng = stream(name);
    let keys = session_keys(&mut rng);
    let a = Curve::new(&mut rng);
    let (a_root, a_chain, a_index) = (rng.array(), rng.array(), rng.range(1, 30) as u64);
    let b_old = Curve::new(&mut rng);
    let alice_body = with_config(
        State {
            keys,
            sending: Sending::Active {
                parent: Some(b_old.public),
                count: Count::Known(4),
                root: a_root,
                ratchet: a,
                chain: a_chain,
                index: a_index,
            },
            receiving: vec![Chain::new(
                b_old.public,
                rng.array(),
                rng.range(1, 9) as u64,
                Count::Known(3),
            )],
        }
        .body(),
        "V2",
    );
    let mut v1_alice = olm_v1_twin(&alice_body);
    let mut alice = Party::from_body(&format!("{name}-alice"), &alice_body, &mut rng);
    alice.expect_config();
    let b_new = Curve::new(&mut rng);
    let (b_root, b_chain) = next_chain(&a_root, &b_new, &a.public);
    let bob_body = with_config(
        State {
            keys,
            sending: Sending::Active {
                parent: Some(a.public),
                count: Count::Known(5),
                root: b_root,
                ratchet: b_new,
                chain: b_chain,
                index: 0,
            },
            receiving: vec![Chain::new(a.public, a_chain, a_index, Count::Known(4))],
        }
        .body(),
        "V2",
    );
    let mut v1_bob = olm_v1_twin(&bob_body);
    let mut bob = Party::from_body(&format!("{name}-bob"), &bob_body, &mut rng);
    bob.expect_config();
    let x: Vec<_> = (0..3).map(|_| alice.encrypt(&mut rng)).collect();
    let y: Vec<_> = (0..3).map(|_| bob.encrypt(&mut rng)).collect();
    let v1_x = encrypt(&mut v1_alice, &rng.plaintext(100));
    let v1_y = encrypt(&mut v1_bob, &rng.plaintext(100));
    alice.reject(&v1_y, "config");
    alice.decrypt(&y[1]);
    alice.decrypt(&y[0]);
    alice.reject(&y[0].message, "missing_message_key");
    alice.reject(&mac_flipped(&y[2].message, &mut rng), "mac");
    alice.decrypt(&y[2]);
    bob.decrypt(&x[2]);
    bob.reject(&v1_x, "config");
    bob.decrypt(&x[0]);
    bob.decrypt(&x[1]);
    bob.encrypt(&mut rng);
    out.push(alice.finish());
    out.push(bob.finish());

    // Megolm v2: an outbound session at a chosen index (messages across
    // index 256), session keys before and after.
    let name = "group-session-v2";
    let mut rng = stream(name);
    let body = with_config(group_body(&rng.array(), 254, &Signing::Seed(rng.array())), "V2");
    let mut v = Outbound::new(name, &body, &mut rng);
    v.expect_config();
    v.session_key();
    for _ in 0..4 {
        v.encrypt(&mut rng);
    }
    v.session_key();
    out.push(v.finish());

    // A v2 inbound session from a session key: out of order, a replay, a
    // flipped signature, the v1 message of the same ratchet (a twin sender
    // in version 1), exports.
    let name = "inbound-group-session-v2";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let sender_body = with_config(group_body(&rng.array(), 0, &Signing::Seed(seed)), "V2");
    let mut v1_sender = GroupSession::from_body(&with_config(sender_body.clone(), "V1"));
    let mut sender = GroupSession::from_body(&sender_body);
    let body = with_config(
        inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), true),
        "V2",
    );
    let m: Vec<_> = (0..4).map(|_| send(&mut sender, &mut rng)).collect();
    let v1 = send(&mut v1_sender, &mut rng);
    let mut v = Inbound::new(name, &body, &mut rng);
    v.expect_config();
    v.decrypt(&m[2]);
    v.decrypt(&m[0]);
    v.decrypt(&m[0]);
    v.reject(&v1.message, "config");
    v.reject(&signature_flipped(&m[3].message, &mut rng), "signature");
    v.decrypt(&m[3]);
    v.decrypt(&m[1]);
    v.export(0);
    v.export(3);
    out.push(v.finish());

    // And the other way: a v1 inbound session refuses the v2 message of the
    // same ratchet.
    let name = "inbound-group-session-v1-refuses-v2";
    let mut rng = stream(name);
    let seed: [u8; 32] = rng.array();
    let sender_body = group_body(&rng.array(), rng.range(0, 1000) as u32, &Signing::Seed(seed));
    let mut v2_sender = GroupSession::from_body(&with_config(sender_body.clone(), "V2"));
    let mut sender = GroupSession::from_body(&sender_body);
    let body = inbound_body(&state(&sender)["ratchet"], ed25519_public(&seed).as_bytes(), true);
    let m: Vec<_> = (0..2).map(|_| send(&mut sender, &mut rng)).collect();
    let v2 = send(&mut v2_sender, &mut rng);
    let mut v = Inbound::new(name, &body, &mut rng);
    v.expect_config();
    v.reject(&v2.message, "config");
    v.decrypt(&m[1]);
    v.decrypt(&m[0]);
    out.push(v.finish());

    out
}
