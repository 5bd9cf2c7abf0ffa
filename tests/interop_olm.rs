//! Olm sessions between this crate and vodozemac 0.11.1, in both directions,
//! and between this crate and itself (vodozemac with itself runs alongside as
//! the reference behaviour).
//!
//! Every scenario runs for every (Alice, Bob) pairing in `support::PAIRS`:
//! pre-key messages before any reply, message types and `has_received_message`
//! transitions, many ratchet steps, long one-sided runs, out-of-order delivery
//! inside the skipped-key window, fallback-key sessions, empty and large
//! plaintexts, the receiving-chain, skipped-key and gap limits, and the wire
//! framing compared field by field with vodozemac's. Olm version 2
//! (vodozemac's `experimental-session-config`) runs in every pairing too:
//! pre-key and normal messages both ways, the wire framing, mismatched
//! configurations at session creation and messages of the other variant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use support::{
    Fail, Impl, PAIRS, Pair, Start, Wire, establish, establish_of, from_vz, outline, permutation, pre_key_layout, rng,
    send_batch, start, start_of, text,
};

fn label(alice: Impl, bob: Impl) -> String {
    format!("{alice:?} -> {bob:?}")
}

#[test]
fn pre_key_messages_before_any_reply() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start(a, b, seed as u64, false);
        let messages: Vec<Wire> = (0..5).map(|i| alice.encrypt(&text("pre-key", i))).collect();
        for message in &messages {
            assert_eq!(
                message.0,
                0,
                "{}: Alice sends pre-key messages until she hears back",
                label(a, b)
            );
        }
        assert!(!alice.has_received_message());

        let (mut bob, plaintext) = bob_device.inbound(alice_device.identity_key(), &messages[0]).unwrap();
        assert_eq!(plaintext, text("pre-key", 0));
        assert!(bob.has_received_message());
        assert_eq!(bob.session_id(), alice.session_id(), "{}", label(a, b));
        for (i, message) in messages.iter().enumerate().skip(1) {
            assert_eq!(bob.decrypt(message).unwrap(), text("pre-key", i), "{}", label(a, b));
        }

        // Bob's first reply is a normal message; it switches Alice over.
        let reply = bob.encrypt(b"reply");
        assert_eq!(reply.0, 1);
        assert_eq!(alice.decrypt(&reply).unwrap(), b"reply");
        assert!(alice.has_received_message());
        let next = alice.encrypt(b"after reply");
        assert_eq!(next.0, 1);
        assert_eq!(bob.decrypt(&next).unwrap(), b"after reply");
    }
}

#[test]
fn session_created_from_a_later_pre_key_message() {
    // The pre-key message that creates the session need not be the first:
    // the earlier ones arrive afterwards and use skipped keys.
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start(a, b, 100 + seed as u64, false);
        let messages: Vec<Wire> = (0..6).map(|i| alice.encrypt(&text("pre-key", i))).collect();
        let (mut bob, plaintext) = bob_device.inbound(alice_device.identity_key(), &messages[3]).unwrap();
        assert_eq!(plaintext, text("pre-key", 3));
        for i in [5, 0, 2, 1, 4] {
            assert_eq!(
                bob.decrypt(&messages[i]).unwrap(),
                text("pre-key", i),
                "{}",
                label(a, b)
            );
        }
        assert_eq!(
            bob.decrypt(&messages[3]),
            Err(Fail::MissingMessageKey(3)),
            "{}",
            label(a, b)
        );
        assert_eq!(bob.session_id(), alice.session_id());
    }
}

/// The observable states of a scripted exchange, to compare implementations.
fn type_trace(a: Impl, b: Impl, seed: u64) -> Vec<String> {
    let Start {
        alice_device,
        mut bob_device,
        mut alice,
    } = start(a, b, seed, false);
    let mut trace = Vec::new();
    let a1 = alice.encrypt(b"a1");
    trace.push(format!(
        "a1 type {} alice received {}",
        a1.0,
        alice.has_received_message()
    ));
    let (mut bob, _) = bob_device.inbound(alice_device.identity_key(), &a1).unwrap();
    trace.push(format!("bob created, received {}", bob.has_received_message()));
    let b1 = bob.encrypt(b"b1");
    trace.push(format!("b1 type {}", b1.0));
    let a2 = alice.encrypt(b"a2");
    trace.push(format!("a2 type {}", a2.0));
    assert_eq!(bob.decrypt(&a2).unwrap(), b"a2");

    // A reply that fails to decrypt does not count as hearing back.
    let mut broken = b1.clone();
    let last = broken.1.len() - 1;
    broken.1[last] ^= 1;
    trace.push(format!("broken b1: {:?}", alice.decrypt(&broken)));
    trace.push(format!("alice received {}", alice.has_received_message()));
    let a3 = alice.encrypt(b"a3");
    trace.push(format!("a3 type {}", a3.0));
    assert_eq!(bob.decrypt(&a3).unwrap(), b"a3");

    assert_eq!(alice.decrypt(&b1).unwrap(), b"b1");
    trace.push(format!("alice received {}", alice.has_received_message()));
    let a4 = alice.encrypt(b"a4");
    trace.push(format!("a4 type {}", a4.0));
    assert_eq!(bob.decrypt(&a4).unwrap(), b"a4");
    // The late pre-key message a3 was already consumed; a2 too.
    trace.push(format!("a2 again: {:?}", bob.decrypt(&a2)));
    let b2 = bob.encrypt(b"b2");
    trace.push(format!("b2 type {}", b2.0));
    assert_eq!(alice.decrypt(&b2).unwrap(), b"b2");
    trace
}

#[test]
fn message_types_and_has_received_message_match_vodozemac() {
    let expected = [
        "a1 type 0 alice received false",
        "bob created, received true",
        "b1 type 1",
        "a2 type 0",
        "broken b1: Err(InvalidMac)",
        "alice received false",
        "a3 type 0",
        "alice received true",
        "a4 type 1",
        "a2 again: Err(MissingMessageKey(1))",
        "b2 type 1",
    ];
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        assert_eq!(type_trace(a, b, 200 + seed as u64), expected, "{}", label(a, b));
    }
}

#[test]
fn many_ratchet_steps() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 300 + seed as u64);
        for round in 0..24 {
            let count = round % 3 + 1;
            let order: Vec<usize> = (0..count).collect();
            let label = format!("round {round}");
            if round % 2 == 0 {
                send_batch(alice.as_mut(), bob.as_mut(), &label, count, &order);
            } else {
                send_batch(bob.as_mut(), alice.as_mut(), &label, count, &order);
            }
        }
        assert_eq!(alice.session_id(), bob.session_id());
    }
}

#[test]
fn long_one_sided_runs() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 400 + seed as u64);
        let order: Vec<usize> = (0..300).collect();
        send_batch(alice.as_mut(), bob.as_mut(), "alice run", 300, &order);
        send_batch(bob.as_mut(), alice.as_mut(), "bob run", 300, &order);
        send_batch(alice.as_mut(), bob.as_mut(), "alice again", 1, &[0]);
        send_batch(alice.as_mut(), bob.as_mut(), "alice more", 300, &order);
    }
}

#[test]
fn out_of_order_inside_the_window() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let seed = 500 + seed as u64;
        let mut shuffle = rng(seed);
        let Pair { mut alice, mut bob, .. } = establish(a, b, seed);

        let reversed: Vec<usize> = (0..30).rev().collect();
        send_batch(alice.as_mut(), bob.as_mut(), "reversed", 30, &reversed);
        // Bob's reply chain is new to Alice: its first message to arrive is
        // not its first message.
        let order = permutation(30, &mut shuffle);
        send_batch(bob.as_mut(), alice.as_mut(), "permuted", 30, &order);
        // The full window: the last of 41 messages first skips 40 keys.
        let reversed: Vec<usize> = (0..41).rev().collect();
        send_batch(alice.as_mut(), bob.as_mut(), "reversed 41", 41, &reversed);
        let order = permutation(41, &mut shuffle);
        send_batch(bob.as_mut(), alice.as_mut(), "permuted 41", 41, &order);
        // A replay of any of them fails.
        let again = send_batch(alice.as_mut(), bob.as_mut(), "replayed", 3, &[2, 0, 1]);
        for message in &again {
            assert!(
                matches!(bob.decrypt(message), Err(Fail::MissingMessageKey(_))),
                "{}",
                label(a, b)
            );
        }
    }
}

#[test]
fn late_messages_from_an_older_chain() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 600 + seed as u64);
        let old: Vec<Wire> = (0..5).map(|i| alice.encrypt(&text("old chain", i))).collect();
        assert_eq!(bob.decrypt(&old[0]).unwrap(), text("old chain", 0));
        send_batch(bob.as_mut(), alice.as_mut(), "bob", 2, &[1, 0]);
        send_batch(alice.as_mut(), bob.as_mut(), "new chain", 3, &[0, 1, 2]);
        send_batch(bob.as_mut(), alice.as_mut(), "bob again", 2, &[0, 1]);
        for i in [3, 1, 4, 2] {
            assert_eq!(bob.decrypt(&old[i]).unwrap(), text("old chain", i), "{}", label(a, b));
        }
        send_batch(alice.as_mut(), bob.as_mut(), "newest chain", 2, &[1, 0]);
    }
}

#[test]
fn fallback_key_sessions() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let seed = 700 + seed as u64;
        let mut bob_device = b.device(seed);
        let fallback = bob_device.new_fallback_key();
        let otk_count = bob_device.stored_one_time_key_count();

        let mut sessions = Vec::new();
        for n in 0..2u64 {
            let mut alice_device = a.device(seed + 10 + n);
            let mut alice = alice_device.outbound(bob_device.identity_key(), fallback);
            let first = alice.encrypt(b"via fallback");
            assert_eq!(first.0, 0);
            let (mut bob, plaintext) = bob_device.inbound(alice_device.identity_key(), &first).unwrap();
            assert_eq!(plaintext, b"via fallback");
            assert_eq!(alice.session_id(), bob.session_id());

            // The fallback key is not consumed: the same pre-key message
            // creates the same session again, in both implementations.
            let (again, plaintext) = bob_device.inbound(alice_device.identity_key(), &first).unwrap();
            assert_eq!(plaintext, b"via fallback");
            assert_eq!(again.session_id(), bob.session_id());

            send_batch(bob.as_mut(), alice.as_mut(), "reply", 3, &[2, 0, 1]);
            send_batch(alice.as_mut(), bob.as_mut(), "more", 3, &[0, 1, 2]);
            sessions.push((alice, bob));
        }
        assert_ne!(sessions[0].0.session_id(), sessions[1].0.session_id());
        assert_eq!(bob_device.stored_one_time_key_count(), otk_count);
        // Both sessions stay usable side by side.
        for (i, (alice, bob)) in sessions.iter_mut().enumerate() {
            send_batch(alice.as_mut(), bob.as_mut(), &format!("session {i}"), 2, &[1, 0]);
        }
    }
}

#[test]
fn one_time_keys_are_consumed() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start(a, b, 800 + seed as u64, false);
        assert_eq!(bob_device.stored_one_time_key_count(), 1);
        let first = alice.encrypt(b"hello");
        let (mut bob, _) = bob_device.inbound(alice_device.identity_key(), &first).unwrap();
        assert_eq!(bob_device.stored_one_time_key_count(), 0);
        assert!(
            matches!(
                bob_device.inbound(alice_device.identity_key(), &first),
                Err(Fail::MissingOneTimeKey)
            ),
            "{}",
            label(a, b)
        );
        // The existing session still takes the replay as a used key.
        assert_eq!(bob.decrypt(&first), Err(Fail::MissingMessageKey(0)));
        send_batch(bob.as_mut(), alice.as_mut(), "still fine", 2, &[0, 1]);
    }
}

#[test]
fn empty_and_large_plaintexts() {
    let sizes = [0usize, 1, 15, 16, 17, 31, 32, 33, 255, 1000, 65536, 65537];
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start(a, b, 900 + seed as u64, false);
        let payload = |n: usize| -> Vec<u8> { (0..n).map(|i| (i * 7 + n) as u8).collect() };
        // Pre-key messages of every size, the session created by a large one.
        let pre_keys: Vec<Wire> = sizes.iter().rev().map(|&n| alice.encrypt(&payload(n))).collect();
        let (mut bob, plaintext) = bob_device.inbound(alice_device.identity_key(), &pre_keys[0]).unwrap();
        assert_eq!(plaintext, payload(65537));
        for (message, &n) in pre_keys.iter().zip(sizes.iter().rev()).skip(1) {
            assert_eq!(bob.decrypt(message).unwrap(), payload(n), "{}: {n} bytes", label(a, b));
        }
        for &n in &sizes {
            let message = bob.encrypt(&payload(n));
            assert_eq!(
                alice.decrypt(&message).unwrap(),
                payload(n),
                "{}: {n} bytes",
                label(a, b)
            );
            let message = alice.encrypt(&payload(n));
            assert_eq!(message.0, 1);
            assert_eq!(bob.decrypt(&message).unwrap(), payload(n), "{}: {n} bytes", label(a, b));
        }
    }
}

#[test]
fn wire_format_matches_vodozemac() {
    let sizes: Vec<usize> = (0..=48).chain([100, 1000, 65536]).collect();
    let ours = transcript(Impl::Ours, &sizes, 1000);
    let theirs = transcript(Impl::Vodozemac, &sizes, 1001);
    assert_eq!(ours.len(), theirs.len());
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(o.0, t.0, "message {i}: type");
        assert_eq!(outline(o), outline(t), "message {i}: framing");
        assert_eq!(o.1.len(), t.1.len(), "message {i}: length");
    }
    // vodozemac 0.11.1, src/olm/messages: an empty plaintext gives 168 and 63 bytes.
    assert_eq!(ours[0].1.len(), 168);
    assert_eq!(outline(&ours[0]), "v3 0a:32 12:32 1a:32 22:[v3 0a:32 10=0 22:16 mac:8]");
    let first_reply = &ours[sizes.len()];
    assert_eq!(first_reply.1.len(), 63);
    assert_eq!(outline(first_reply), "v3 0a:32 10=0 22:16 mac:8");
    // Past index 127 the chain index takes two varint bytes in both.
    let last = ours.last().unwrap();
    assert!(outline(last).contains("10=139"), "{}", outline(last));
}

/// One implementation talking to itself: pre-key messages of every size,
/// Bob's replies of every size, Alice's normal messages of every size, then
/// a run of 140 on Bob's next chain, which crosses chain index 128.
fn transcript(imp: Impl, sizes: &[usize], seed: u64) -> Vec<Wire> {
    transcript_of(imp, sizes, seed, 1)
}

/// As [`transcript`], in Olm version `version`.
fn transcript_of(imp: Impl, sizes: &[usize], seed: u64, version: u8) -> Vec<Wire> {
    let Start {
        alice_device,
        mut bob_device,
        mut alice,
    } = start_of(imp, imp, seed, false, version);
    let payload = |n: usize| vec![0x55u8; n];
    let mut out: Vec<Wire> = sizes.iter().map(|&n| alice.encrypt(&payload(n))).collect();

    // The outer keys of a pre-key message are the same in all of them and
    // name Alice's identity key.
    let layout = pre_key_layout(&out[0].1);
    for message in &out {
        assert_eq!(
            message.1[..layout.identity_key.end],
            out[0].1[..layout.identity_key.end]
        );
    }
    assert_eq!(out[0].1[layout.identity_key], alice_device.identity_key());

    let (mut bob, _) = bob_device.inbound(alice_device.identity_key(), &out[0]).unwrap();
    for &n in sizes {
        let message = bob.encrypt(&payload(n));
        assert_eq!(alice.decrypt(&message).unwrap(), payload(n));
        out.push(message);
    }
    for &n in sizes {
        let message = alice.encrypt(&payload(n));
        assert_eq!(bob.decrypt(&message).unwrap(), payload(n));
        out.push(message);
    }
    for _ in 0..140 {
        out.push(bob.encrypt(b"x"));
    }
    out
}

/// Alice sends two pre-key messages on her first chain, Bob creates the
/// session from the first, then `rounds` ratchet steps each give Bob one
/// more receiving chain. Returns what the second pre-key message gives.
fn after_ratchet_steps(a: Impl, b: Impl, seed: u64, rounds: usize) -> Result<Vec<u8>, Fail> {
    let Start {
        alice_device,
        mut bob_device,
        mut alice,
    } = start(a, b, seed, false);
    let p0 = alice.encrypt(b"p0");
    let p1 = alice.encrypt(b"p1");
    let (mut bob, _) = bob_device.inbound(alice_device.identity_key(), &p0).unwrap();
    for round in 0..rounds {
        send_batch(bob.as_mut(), alice.as_mut(), &format!("bob {round}"), 1, &[0]);
        send_batch(alice.as_mut(), bob.as_mut(), &format!("alice {round}"), 1, &[0]);
    }
    let result = bob.decrypt(&p1);
    // Whatever the outcome, the session goes on.
    send_batch(bob.as_mut(), alice.as_mut(), "bob after", 2, &[1, 0]);
    send_batch(alice.as_mut(), bob.as_mut(), "alice after", 2, &[0, 1]);
    result
}

#[test]
fn five_receiving_chains_are_kept() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let seed = 1100 + seed as u64;
        // Four steps: Bob holds Alice's first chain and four more.
        assert_eq!(
            after_ratchet_steps(a, b, seed, 4),
            Ok(b"p1".to_vec()),
            "{}",
            label(a, b)
        );
        // Five steps: the first chain was the oldest of six and is gone.
        assert_eq!(
            after_ratchet_steps(a, b, seed, 5),
            Err(Fail::InvalidMac),
            "{}",
            label(a, b)
        );
    }
}

#[test]
fn forty_skipped_keys_on_one_chain() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 1200 + seed as u64);
        let messages: Vec<Wire> = (0..51).map(|i| alice.encrypt(&text("skip", i))).collect();
        assert_eq!(bob.decrypt(&messages[50]).unwrap(), text("skip", 50));
        for (i, message) in messages.iter().enumerate().take(50) {
            let expected = if i < 10 {
                Err(Fail::MissingMessageKey(i as u64))
            } else {
                Ok(text("skip", i))
            };
            assert_eq!(bob.decrypt(message), expected, "{}: message {i}", label(a, b));
        }
        send_batch(bob.as_mut(), alice.as_mut(), "after", 2, &[1, 0]);
    }
}

/// Surprising but deliberate: this crate keeps 40 skipped keys per session
/// (libolm's `MAX_SKIPPED_MESSAGE_KEYS`), vodozemac 40 per receiving chain.
/// Skipping 30 on one chain and 30 on the next loses the 20 oldest here and
/// nothing in vodozemac. Each receiver follows its own rule.
#[test]
fn skipped_keys_across_chains() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 1300 + seed as u64);
        let x: Vec<Wire> = (0..31).map(|i| alice.encrypt(&text("x", i))).collect();
        assert_eq!(bob.decrypt(&x[30]).unwrap(), text("x", 30));
        send_batch(bob.as_mut(), alice.as_mut(), "bob", 1, &[0]);
        let y: Vec<Wire> = (0..31).map(|i| alice.encrypt(&text("y", i))).collect();
        assert_eq!(bob.decrypt(&y[30]).unwrap(), text("y", 30));
        for (i, message) in y.iter().enumerate().take(30) {
            assert_eq!(bob.decrypt(message).unwrap(), text("y", i));
        }
        for (i, message) in x.iter().enumerate().take(30) {
            let kept = b == Impl::Vodozemac || i >= 20;
            let expected = if kept {
                Ok(text("x", i))
            } else {
                Err(Fail::MissingMessageKey(i as u64))
            };
            assert_eq!(bob.decrypt(message), expected, "{}: x{i}", label(a, b));
        }
    }
}

#[test]
fn message_gap_limit_on_an_existing_chain() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 1400 + seed as u64);
        // Bob's chain for Alice's next step stands at index 1 after this.
        send_batch(alice.as_mut(), bob.as_mut(), "start", 1, &[0]);
        let messages: Vec<Wire> = (1..=2002).map(|i| alice.encrypt(&text("gap", i))).collect();
        let at = |i: usize| &messages[i - 1];
        assert_eq!(
            bob.decrypt(at(2002)),
            Err(Fail::TooBigMessageGap),
            "{}: gap 2001",
            label(a, b)
        );
        assert_eq!(
            bob.decrypt(at(2001)).unwrap(),
            text("gap", 2001),
            "{}: gap 2000",
            label(a, b)
        );
        assert_eq!(bob.decrypt(at(2002)).unwrap(), text("gap", 2002));
        assert_eq!(bob.decrypt(at(1961)).unwrap(), text("gap", 1961));
        assert_eq!(
            bob.decrypt(at(1960)),
            Err(Fail::MissingMessageKey(1960)),
            "{}",
            label(a, b)
        );
        send_batch(bob.as_mut(), alice.as_mut(), "after", 2, &[1, 0]);
    }
}

#[test]
fn message_gap_limit_on_a_new_chain() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 1500 + seed as u64);
        send_batch(alice.as_mut(), bob.as_mut(), "start", 1, &[0]);
        // Bob's next chain is new to Alice; its first message to arrive is
        // far along it.
        let messages: Vec<Wire> = (0..=2001).map(|i| bob.encrypt(&text("gap", i))).collect();
        assert_eq!(
            alice.decrypt(&messages[2001]),
            Err(Fail::TooBigMessageGap),
            "{}: index 2001",
            label(a, b)
        );
        assert_eq!(
            alice.decrypt(&messages[2000]).unwrap(),
            text("gap", 2000),
            "{}: index 2000",
            label(a, b)
        );
        assert_eq!(alice.decrypt(&messages[2001]).unwrap(), text("gap", 2001));
        assert_eq!(alice.decrypt(&messages[1960]).unwrap(), text("gap", 1960));
        assert_eq!(
            alice.decrypt(&messages[1959]),
            Err(Fail::MissingMessageKey(1959)),
            "{}",
            label(a, b)
        );
        send_batch(alice.as_mut(), bob.as_mut(), "after", 2, &[1, 0]);
    }
}

/// X25519 ignores the top bit of a public key. vodozemac does not refuse a
/// pre-key message whose base key has it set: the message creates a session
/// (under another session id, since the id hashes the key bytes). This crate
/// refuses such a key when decoding, so one message cannot open two
/// sessions.
#[test]
fn top_bit_of_the_base_key() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start(a, b, 1600 + seed as u64, false);
        let first = alice.encrypt(b"first");
        let layout = pre_key_layout(&first.1);
        let mut flipped = first.clone();
        flipped.1[layout.base_key.end - 1] ^= 0x80;
        let result = bob_device.inbound(alice_device.identity_key(), &flipped);
        match b {
            Impl::Ours => assert!(
                matches!(result, Err(Fail::Decode(_))),
                "{}: {:?}",
                label(a, b),
                result.map(|r| r.1)
            ),
            Impl::Vodozemac => {
                let (session, plaintext) = result.unwrap();
                assert_eq!(plaintext, b"first");
                assert_ne!(session.session_id(), alice.session_id());
            }
        }
    }
}

/// vodozemac checks the MAC over a re-encoding of the fields it parsed, so
/// it accepts a message with an extra unknown field; this crate checks the
/// MAC over the bytes as received and refuses it. Honest senders never add
/// fields, so this does not affect interoperation.
#[test]
fn unknown_fields_after_the_mac_was_computed() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Pair { mut alice, mut bob, .. } = establish(a, b, 1700 + seed as u64);
        let genuine = alice.encrypt(b"genuine");
        let mut extended = genuine.clone();
        let mac_start = extended.1.len() - 8;
        extended.1.splice(mac_start..mac_start, [0x28, 0x01]);
        let result = bob.decrypt(&extended);
        match b {
            Impl::Ours => assert_eq!(result, Err(Fail::InvalidMac), "{}", label(a, b)),
            Impl::Vodozemac => assert_eq!(result.unwrap(), b"genuine"),
        }
        if b == Impl::Ours {
            assert_eq!(bob.decrypt(&genuine).unwrap(), b"genuine");
        }
        send_batch(bob.as_mut(), alice.as_mut(), "after", 1, &[0]);
    }
}

/// Each implementation keeps its current and previous fallback key; a
/// third generation drops the oldest.
#[test]
fn fallback_key_rotation() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let seed = 1800 + seed as u64;
        let mut bob_device = b.device(seed);
        let first = bob_device.new_fallback_key();
        let second = bob_device.new_fallback_key();
        let bob_key = bob_device.identity_key();
        let open = |key: [u8; 32], n: u64| {
            let mut alice_device = a.device(seed + n);
            let mut alice = alice_device.outbound(bob_key, key);
            (alice_device.identity_key(), alice.encrypt(b"hello"))
        };
        let (alice_key, via_first) = open(first, 1);
        assert!(
            bob_device.inbound(alice_key, &via_first).is_ok(),
            "{}: previous key",
            label(a, b)
        );
        bob_device.new_fallback_key();
        assert_eq!(
            bob_device.inbound(alice_key, &via_first).map(|r| r.1),
            Err(Fail::MissingOneTimeKey),
            "{}: dropped key",
            label(a, b)
        );
        let (alice_key, via_second) = open(second, 2);
        assert_eq!(
            bob_device.inbound(alice_key, &via_second).unwrap().1,
            b"hello",
            "{}",
            label(a, b)
        );
    }
}

/// Messages of either implementation, in either variant, parse to the same
/// fields in the other.
#[test]
fn messages_parse_identically_in_both() {
    for ((seed, (a, b)), version) in PAIRS.into_iter().enumerate().flat_map(|p| [(p, 1), (p, 2)]) {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start_of(a, b, 1900 + seed as u64, false, version);
        let pre_key = alice.encrypt(b"pre-key");
        let (mut bob, _) = bob_device.inbound(alice_device.identity_key(), &pre_key).unwrap();
        let normal = bob.encrypt(b"normal");

        let ours = olm::olm::PreKeyMessage::from_bytes(&pre_key.1).unwrap();
        let theirs = vodozemac::olm::PreKeyMessage::from_bytes(&pre_key.1).unwrap();
        assert_eq!(ours.one_time_key(), from_vz(theirs.one_time_key()));
        assert_eq!(ours.base_key(), from_vz(theirs.base_key()));
        assert_eq!(ours.identity_key(), from_vz(theirs.identity_key()));
        assert_eq!(ours.identity_key().to_bytes(), alice_device.identity_key());
        assert_eq!(ours.session_id(), theirs.session_id());
        assert_eq!(ours.session_id(), alice.session_id());
        assert_eq!(ours.to_base64(), theirs.to_base64());

        let ours = olm::olm::Message::from_bytes(&normal.1).unwrap();
        let theirs = vodozemac::olm::Message::from_bytes(&normal.1).unwrap();
        assert_eq!(ours.ratchet_key(), from_vz(theirs.ratchet_key()));
        assert_eq!(u64::from(ours.chain_index()), theirs.chain_index());
        assert_eq!(ours.ciphertext(), theirs.ciphertext());
        assert_eq!(ours.to_base64(), theirs.to_base64());
        assert_eq!(ours.version(), theirs.version());
        assert_eq!(ours.version(), version + 2);
        assert_eq!(ours.mac().len(), if version == 2 { 32 } else { 8 });
    }
}

// ---------------------------------------------------------------------------
// Olm version 2.

#[test]
fn version_2_sessions_in_every_pairing() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        let Start {
            alice_device,
            mut bob_device,
            mut alice,
        } = start_of(a, b, 2000 + seed as u64, false, 2);
        let messages: Vec<Wire> = (0..5).map(|i| alice.encrypt(&text("v2 pre-key", i))).collect();
        for message in &messages {
            assert_eq!(message.0, 0, "{}", label(a, b));
            // The pre-key message stays version 3; the message inside is 4.
            assert!(
                outline(message).starts_with("v3 0a:32 12:32 1a:32 22:[v4 0a:32 10="),
                "{}: {}",
                label(a, b),
                outline(message)
            );
            assert!(outline(message).ends_with("mac:32]"), "{}", outline(message));
        }
        // Created from a later pre-key message; the others arrive after.
        let (mut bob, plaintext) = bob_device.inbound(alice_device.identity_key(), &messages[2]).unwrap();
        assert_eq!(plaintext, text("v2 pre-key", 2));
        assert_eq!(bob.session_id(), alice.session_id());
        for i in [4, 0, 3, 1] {
            assert_eq!(
                bob.decrypt(&messages[i]).unwrap(),
                text("v2 pre-key", i),
                "{}",
                label(a, b)
            );
        }
        assert_eq!(bob.decrypt(&messages[2]), Err(Fail::MissingMessageKey(2)));

        let reply = bob.encrypt(b"reply");
        assert_eq!(reply.0, 1);
        assert_eq!(outline(&reply), "v4 0a:32 10=0 22:16 mac:32", "{}", label(a, b));
        assert_eq!(alice.decrypt(&reply).unwrap(), b"reply");
        let next = alice.encrypt(b"after reply");
        assert_eq!(next.0, 1);
        assert!(outline(&next).starts_with("v4 "), "{}", outline(&next));
        assert_eq!(bob.decrypt(&next).unwrap(), b"after reply");

        // Ratchet steps, each batch delivered out of order.
        let mut order_rng = rng(2100 + seed as u64);
        for round in 0..12 {
            let count = round % 4 + 1;
            let order = permutation(count, &mut order_rng);
            let name = format!("v2 round {round}");
            if round % 2 == 0 {
                send_batch(alice.as_mut(), bob.as_mut(), &name, count, &order);
            } else {
                send_batch(bob.as_mut(), alice.as_mut(), &name, count, &order);
            }
        }
    }
}

#[test]
fn version_2_wire_format_matches_vodozemac() {
    let sizes: Vec<usize> = (0..=33).chain([1000]).collect();
    let ours = transcript_of(Impl::Ours, &sizes, 2200, 2);
    let theirs = transcript_of(Impl::Vodozemac, &sizes, 2201, 2);
    assert_eq!(ours.len(), theirs.len());
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(o.0, t.0, "message {i}: type");
        assert_eq!(outline(o), outline(t), "message {i}: framing");
        assert_eq!(o.1.len(), t.1.len(), "message {i}: length");
    }
    // 24 bytes more than v1 (168 and 63) for an empty plaintext.
    assert_eq!(ours[0].1.len(), 192);
    assert_eq!(
        outline(&ours[0]),
        "v3 0a:32 12:32 1a:32 22:[v4 0a:32 10=0 22:16 mac:32]"
    );
    let first_reply = &ours[sizes.len()];
    assert_eq!(first_reply.1.len(), 87);
    assert_eq!(outline(first_reply), "v4 0a:32 10=0 22:16 mac:32");
}

/// A pre-key message of one variant, given to a recipient that expects the
/// other: both implementations refuse it with the same error, and the
/// one-time key stays.
#[test]
fn mismatched_configs_are_refused_at_session_creation() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        for (sent, expected) in [(2, 1), (1, 2)] {
            let seed = 2300 + 10 * seed as u64 + u64::from(sent);
            let mut alice_device = a.device_of(seed, sent);
            let mut bob_device = b.device_of(seed + 1, expected);
            let key = bob_device.new_one_time_key();
            let mut alice = alice_device.outbound(bob_device.identity_key(), key);
            let first = alice.encrypt(b"hello");
            let stored = bob_device.stored_one_time_key_count();
            assert_eq!(
                bob_device.inbound(alice_device.identity_key(), &first).map(|r| r.1),
                Err(Fail::MismatchedSessionConfig(expected, Some(sent))),
                "{}: v{sent} sent, v{expected} expected",
                label(a, b)
            );
            assert_eq!(bob_device.stored_one_time_key_count(), stored, "{}", label(a, b));
        }
    }
}

/// `message` (a normal message) relabelled as the other variant: the version
/// byte swapped and the MAC cut to 8 bytes or padded to 32.
fn as_other_variant(message: &Wire) -> Wire {
    let mut bytes = message.1.clone();
    if bytes[0] == 3 {
        bytes[0] = 4;
        bytes.extend_from_slice(&[0xa5; 24]);
    } else {
        bytes[0] = 3;
        bytes.truncate(bytes.len() - 24);
    }
    (message.0, bytes)
}

/// A session refuses a message of the other variant by its MAC's length,
/// as vodozemac does, and is unchanged: the genuine message decrypts after.
#[test]
fn messages_of_the_other_variant_fail_by_their_mac_length() {
    for (seed, (a, b)) in PAIRS.into_iter().enumerate() {
        for version in [1, 2] {
            let Pair { mut alice, mut bob, .. } =
                establish_of(a, b, 2400 + 2 * seed as u64 + u64::from(version), version);
            let (ours, theirs) = if version == 1 { (8, 32) } else { (32, 8) };
            // Next on the chain, then skipped, then on a new chain.
            let genuine = alice.encrypt(b"genuine");
            assert_eq!(
                bob.decrypt(&as_other_variant(&genuine)),
                Err(Fail::InvalidMacLength(ours, theirs)),
                "{}: v{version}",
                label(a, b)
            );
            let later = alice.encrypt(b"later");
            assert_eq!(bob.decrypt(&later).unwrap(), b"later");
            assert_eq!(
                bob.decrypt(&as_other_variant(&genuine)),
                Err(Fail::InvalidMacLength(ours, theirs)),
                "{}: v{version}, skipped key",
                label(a, b)
            );
            assert_eq!(bob.decrypt(&genuine).unwrap(), b"genuine");
            let reply = bob.encrypt(b"reply");
            alice.decrypt(&reply).unwrap();
            let step = alice.encrypt(b"new chain");
            assert_eq!(
                bob.decrypt(&as_other_variant(&step)),
                Err(Fail::InvalidMacLength(ours, theirs)),
                "{}: v{version}, new chain",
                label(a, b)
            );
            assert_eq!(bob.decrypt(&step).unwrap(), b"new chain");
        }
    }
}
