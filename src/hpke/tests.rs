use alloc::vec::Vec;

use rand::{SeedableRng, rngs::StdRng};

use super::*;
use crate::test_rng::Replay;

use olm_testkit::hex::bytes as unhex;

struct Pair {
    s: EstablishedHpkeChannel,
    g: EstablishedHpkeChannel,
}

fn establish(rng: &mut StdRng, aad: &[u8]) -> Pair {
    let g = HpkeRecipientChannel::new_with_rng(rng);
    let g_key = g.public_key();
    let SenderCreationResult { channel: s, message } = HpkeSenderChannel::new()
        .establish_channel_with_rng(g_key, b"from S", aad, rng)
        .unwrap();
    assert_eq!(s.public_key(), message.encapsulated_key);
    let RecipientCreationResult {
        channel: g,
        message: plaintext,
    } = g.establish_channel(&message, aad).unwrap();
    assert_eq!(plaintext, b"from S");
    assert_eq!(g.their_public_key(), s.public_key());
    let BidirectionalCreationResult {
        channel: g,
        message: response,
    } = g.establish_bidirectional_channel_with_rng(b"from G", aad, rng).unwrap();
    let BidirectionalCreationResult {
        channel: s,
        message: plaintext,
    } = s.establish_bidirectional_channel(&response, aad).unwrap();
    assert_eq!(plaintext, b"from G");
    assert_eq!(s.public_key(), g.their_public_key());
    assert_eq!(g.public_key(), g_key);
    assert_eq!(s.their_public_key(), g_key);
    Pair { s, g }
}

#[test]
fn both_directions_with_associated_data() {
    let mut rng = StdRng::seed_from_u64(1);
    let Pair { mut s, mut g } = establish(&mut rng, b"setup");
    assert_eq!(s.check_code(), g.check_code());
    for i in 0..5u8 {
        let m = s.seal(&[i; 10], &[i]).unwrap();
        assert_eq!(g.open(&m, &[i]).unwrap(), [i; 10]);
        let m = g.seal(&[i; 3], b"").unwrap();
        assert_eq!(s.open(&m, b"").unwrap(), [i; 3]);
    }
    let m = s.seal(b"x", b"right").unwrap();
    assert_eq!(g.open(&m, b"wrong"), Err(HpkeError::Decryption));
    assert_eq!(g.open(&m, b"right").unwrap(), b"x");
    // A message does not open in the direction it was sent.
    let m = s.seal(b"y", b"").unwrap();
    assert_eq!(s.open(&m, b""), Err(HpkeError::Decryption));
}

#[test]
fn failed_open_leaves_the_channel_unchanged() {
    let mut rng = StdRng::seed_from_u64(2);
    let Pair { mut s, mut g } = establish(&mut rng, b"");
    let genuine = g.seal(b"genuine", b"").unwrap();
    let mut forged = genuine.clone();
    forged.ciphertext[5] ^= 4;
    assert_eq!(s.open(&forged, b""), Err(HpkeError::Decryption));
    assert_eq!(
        s.open(&Message { ciphertext: Vec::new() }, b""),
        Err(HpkeError::Decryption)
    );
    assert_eq!(s.open(&genuine, b"").unwrap(), b"genuine");
    assert_eq!(s.open(&genuine, b""), Err(HpkeError::Decryption), "replay");
    let (first, second) = (g.seal(b"1", b"").unwrap(), g.seal(b"2", b"").unwrap());
    assert_eq!(s.open(&second, b""), Err(HpkeError::Decryption));
    assert_eq!(s.open(&first, b"").unwrap(), b"1");
    assert_eq!(s.open(&second, b"").unwrap(), b"2");
}

#[test]
fn tampered_establishment() {
    let mut rng = StdRng::seed_from_u64(3);
    // Initial message: altered ciphertext, replaced key, other aad.
    for tamper in 0..3 {
        let g = HpkeRecipientChannel::new_with_rng(&mut rng);
        let SenderCreationResult { mut message, .. } = HpkeSenderChannel::new()
            .establish_channel_with_rng(g.public_key(), b"hi", b"aad", &mut rng)
            .unwrap();
        let aad: &[u8] = match tamper {
            0 => {
                message.ciphertext[0] ^= 1;
                b"aad"
            }
            1 => {
                message.encapsulated_key = HpkeRecipientChannel::new_with_rng(&mut rng).public_key();
                b"aad"
            }
            _ => b"other",
        };
        assert_eq!(g.establish_channel(&message, aad).unwrap_err(), HpkeError::Decryption);
    }
    // Response: altered ciphertext, altered nonce.
    for tamper in 0..2 {
        let g = HpkeRecipientChannel::new_with_rng(&mut rng);
        let SenderCreationResult { channel: s, message } = HpkeSenderChannel::new()
            .establish_channel_with_rng(g.public_key(), b"hi", b"", &mut rng)
            .unwrap();
        let RecipientCreationResult { channel: g, .. } = g.establish_channel(&message, b"").unwrap();
        let BidirectionalCreationResult {
            message: mut response, ..
        } = g
            .establish_bidirectional_channel_with_rng(b"back", b"", &mut rng)
            .unwrap();
        if tamper == 0 {
            response.ciphertext[0] ^= 1;
        } else {
            response.base_response_nonce[31] ^= 1;
        }
        assert_eq!(
            s.establish_bidirectional_channel(&response, b"").unwrap_err(),
            HpkeError::Decryption
        );
    }
}

#[test]
fn low_order_keys_are_refused() {
    let mut rng = StdRng::seed_from_u64(4);
    let one = {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    };
    for key in [[0u8; 32], one] {
        let key = Curve25519PublicKey::from_bytes(key);
        assert_eq!(
            HpkeSenderChannel::new()
                .establish_channel_with_rng(key, b"", b"", &mut rng)
                .unwrap_err(),
            HpkeError::NonContributoryKey
        );
        let message = InitialMessage {
            encapsulated_key: key,
            ciphertext: alloc::vec![0; 16],
        };
        assert_eq!(
            HpkeRecipientChannel::new_with_rng(&mut rng)
                .establish_channel(&message, b"")
                .unwrap_err(),
            HpkeError::NonContributoryKey
        );
    }
    // The hpke crate's own check names the same error.
    assert_eq!(from_hpke(::hpke::HpkeError::EncapError), HpkeError::NonContributoryKey);
    assert_eq!(from_hpke(::hpke::HpkeError::DecapError), HpkeError::NonContributoryKey);
}

#[test]
fn info_prefix_separates_channels() {
    let mut rng = StdRng::seed_from_u64(5);
    let g = HpkeRecipientChannel::with_info_and_rng("OTHER", &mut rng);
    let SenderCreationResult { message, .. } = HpkeSenderChannel::new()
        .establish_channel_with_rng(g.public_key(), b"hi", b"", &mut rng)
        .unwrap();
    assert_eq!(g.establish_channel(&message, b"").unwrap_err(), HpkeError::Decryption);
}

#[test]
fn counter_overflow_is_an_error() {
    let mut rng = StdRng::seed_from_u64(6);
    let Pair { mut s, mut g } = establish(&mut rng, b"");
    // The hpke crate's sequence numbers cannot be moved forward, so move the
    // channel's mirror of them to the last one: the checks in front of the
    // crate must stop at the same point the crate itself would.
    s.sent = Counter(Some(u64::MAX));
    g.received = Counter(Some(u64::MAX));
    let last = s.seal(b"last", b"").unwrap();
    assert_eq!(s.seal(b"one more", b""), Err(HpkeError::MessageLimit));
    assert_eq!(s.seal(b"and another", b""), Err(HpkeError::MessageLimit));
    let mut bad = last.clone();
    bad.ciphertext[0] ^= 1;
    assert_eq!(g.open(&bad, b""), Err(HpkeError::Decryption));
    assert_eq!(g.open(&last, b"").unwrap(), b"last");
    assert_eq!(g.open(&last, b""), Err(HpkeError::MessageLimit));
    // The other direction is unaffected.
    let m = g.seal(b"back", b"").unwrap();
    assert_eq!(s.open(&m, b"").unwrap(), b"back");
    assert_eq!(
        from_hpke(::hpke::HpkeError::MessageLimitReached),
        HpkeError::MessageLimit
    );
}

#[test]
fn check_code_and_response_derivation() {
    // Both helpers are fed the same context on both sides; what they export
    // must agree with the key layout in the module documentation.
    let mut rng = StdRng::seed_from_u64(7);
    let g = HpkeRecipientChannel::new_with_rng(&mut rng);
    let g_key = g.public_key();
    let SenderCreationResult {
        channel: mut s,
        message,
    } = HpkeSenderChannel::new()
        .establish_channel_with_rng(g_key, b"", b"", &mut rng)
        .unwrap();
    let s_key = message.encapsulated_key;
    let mut raw = [0u8; 2];
    let info = [
        b"MATRIX_QR_CODE_LOGIN_CHECKCODE".as_slice(),
        g_key.as_bytes(),
        s_key.as_bytes(),
    ]
    .concat();
    s.context_mut().export(&info, &mut raw).unwrap();
    let code = check_code(s.context_mut(), DEFAULT_INFO_PREFIX, &g_key, &s_key).unwrap();
    assert_eq!(code.as_bytes(), &raw);

    let RecipientCreationResult { channel: g, .. } = g.establish_channel(&message, b"").unwrap();
    let BidirectionalCreationResult {
        channel: g,
        message: response,
    } = g.establish_bidirectional_channel_with_rng(b"", b"", &mut rng).unwrap();
    assert_eq!(g.check_code(), &code);
    let BidirectionalCreationResult { channel: s, .. } = s.establish_bidirectional_channel(&response, b"").unwrap();
    assert_eq!(s.check_code(), &code);
}

#[test]
fn debug_hides_keys() {
    let mut rng = StdRng::seed_from_u64(8);
    let Pair { s, g } = establish(&mut rng, b"");
    let debug = alloc::format!("{s:?}");
    assert!(
        debug.starts_with("EstablishedHpkeChannel { role: Sender, our_public_key: curve25519:"),
        "{debug}"
    );
    assert!(debug.ends_with("]), .. }"), "{debug}");
    assert!(alloc::format!("{g:?}").contains("role: Recipient"));
    let recipient = HpkeRecipientChannel::new_with_rng(&mut rng);
    let debug = alloc::format!("{recipient:?}");
    assert!(
        debug.ends_with("info_prefix: \"MATRIX_QR_CODE_LOGIN\", .. }"),
        "{debug}"
    );
}

/// RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
/// ChaCha20Poly1305, base mode, run through this module. The recipient's
/// and sender's keys come from `ikmR` and `ikmE` through the generator
/// (`DeriveKeyPair`), the first message through
/// `establish_channel_with_rng`, later ones through the same HPKE context.
/// The key schedule's intermediate values (shared secret, key, base nonce,
/// exporter secret) are private to the `hpke` crate, so they are checked
/// only through what they produce: `enc`, the ciphertexts and the exports.
#[test]
fn rfc9180_a_2_1() {
    const INFO: &str = "Ode on a Grecian Urn";
    assert_eq!(INFO.as_bytes(), unhex("4f6465206f6e2061204772656369616e2055726e"));
    let ikm_r = unhex("1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df");
    let ikm_e = unhex("909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b");
    let pk_rm = unhex("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a");
    let enc = unhex("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a");
    let pt = unhex("4265617574792069732074727574682c20747275746820626561757479");
    let encryptions = [
        (
            0,
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28",
        ),
        (
            1,
            "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c",
        ),
        (
            2,
            "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b",
        ),
        (
            4,
            "63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122bb153495ff0b02e9e54a50dbe16",
        ),
        (
            255,
            "18ab939d63ddec9f6ac2b60d61d36a7375d2070c9b683861110757062c52b8880a5f6b3936da9cd6c23ef2a95c",
        ),
        (
            256,
            "7a4a13e9ef23978e2c520fd4d2e757514ae160cd0cd05e556ef692370ca53076214c0c40d4c728d6ed9e727a5b",
        ),
    ];
    let exports = [
        ("", "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e"),
        ("00", "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69"),
        (
            "54657374436f6e74657874",
            "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53",
        ),
    ];
    let aad = |seq: usize| alloc::format!("Count-{seq}").into_bytes();

    let recipient = HpkeRecipientChannel::with_info_and_rng(INFO, &mut Replay::new(ikm_r));
    assert_eq!(recipient.public_key().as_bytes().as_slice(), pk_rm);

    let SenderCreationResult {
        channel: mut sender,
        message,
    } = HpkeSenderChannel::with_info(INFO)
        .establish_channel_with_rng(recipient.public_key(), &pt, &aad(0), &mut Replay::new(ikm_e))
        .unwrap();
    assert_eq!(message.encapsulated_key.as_bytes().as_slice(), enc);
    let mut ciphertexts = alloc::vec![message.ciphertext.clone()];
    for seq in 1..=256 {
        ciphertexts.push(sender.context_mut().seal(&pt, &aad(seq)).unwrap());
    }
    for (seq, ct) in encryptions {
        assert_eq!(ciphertexts[seq], unhex(ct), "sequence number {seq}");
    }

    let RecipientCreationResult {
        channel: mut receiver,
        message: opened,
    } = recipient.establish_channel(&message, &aad(0)).unwrap();
    assert_eq!(opened, pt);
    for (seq, ct) in ciphertexts.iter().enumerate().skip(1) {
        assert_eq!(
            receiver.context_mut().open(ct, &aad(seq)).unwrap(),
            pt,
            "sequence number {seq}"
        );
    }

    for (context, value) in exports {
        let mut from_sender = [0u8; 32];
        let mut from_receiver = [0u8; 32];
        sender.context_mut().export(&unhex(context), &mut from_sender).unwrap();
        receiver
            .context_mut()
            .export(&unhex(context), &mut from_receiver)
            .unwrap();
        assert_eq!(from_sender.as_slice(), unhex(value), "exporter context {context:?}");
        assert_eq!(from_receiver.as_slice(), unhex(value), "exporter context {context:?}");
    }
}
