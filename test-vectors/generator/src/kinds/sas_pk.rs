//! Kinds `sas` (short authentication strings and MACs) and `pk` (key-backup
//! encryption, decryption and PkSigning).

use crate::{
    codec::{b64, hex, unb64},
    common::{device_keys_json, drbg, must, must_fail},
    craft::flip_bit,
    json::Json,
    obj,
    rng::Drbg,
};
use libolm_shim::{OlmError, PkDecryption, PkEncryption, PkSigning, Sas, SasMac};

pub const SAS_KIND: &str = "sas";
pub const PK_KIND: &str = "pk";

/// RFC 7748 §6.1 Alice's private key and Bob's public key.
const RFC7748_ALICE_PRIVATE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const RFC7748_BOB_PUBLIC: &str = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

use olm_testkit::hex::bytes as from_hex;

/// Matrix-style SAS info and MAC strings for two made-up devices.
fn sas_infos(rng: &mut Drbg, ours: &str, theirs: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let txn = String::from_utf8(rng.text(12)).expect("ASCII").replace([' ', '|'], "_");
    let bytes_info =
        format!("MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|ALICE0|{ours}|@bob:example.org|BOB0|{theirs}|{txn}");
    let mac_info = format!("MATRIX_KEY_VERIFICATION_MAC@alice:example.orgALICE0@bob:example.orgBOB0{txn}");
    (
        bytes_info.into_bytes(),
        mac_info.clone().into_bytes(),
        format!("{mac_info}KEY_IDS").into_bytes(),
    )
}

fn sas_vector(seed: &str, name: &str, fixed_keys: bool) -> Json {
    let mut rng = drbg(seed, SAS_KIND, name);
    let (random, their_public) = if fixed_keys {
        (from_hex(RFC7748_ALICE_PRIVATE), b64(&from_hex(RFC7748_BOB_PUBLIC)))
    } else {
        let random = rng.bytes(32);
        let mut them = must(Sas::new(&rng.bytes(32)), "their SAS");
        (random, them.public_key())
    };
    let mut sas = must(Sas::new(&random), "SAS");
    let public = sas.public_key();
    must(sas.set_their_key(&their_public), "set their key");

    let (bytes_info, mac_info, key_ids_info) = sas_infos(&mut rng, &public, &their_public);
    let mut bytes = Vec::new();
    let short_info = if fixed_keys { b"SAS".to_vec() } else { rng.text(3) };
    for (info, length) in [
        (&bytes_info, 6),
        (&bytes_info, 5),
        (&short_info, 1),
        (&short_info, 7),
        (&bytes_info, 32),
        (&short_info, 64),
        (&Vec::new(), 10),
    ] {
        let out = sas.generate_bytes(info, length);
        bytes.push(obj! { "info" => hex(info), "length" => length, "bytes" => hex(&out) });
    }

    let ed = b64(&rng.bytes(32));
    let key_id = b"ed25519:ALICE0".to_vec();
    let long_input = {
        let len = rng.range(200, 1200);
        rng.plaintext(len)
    };
    let inputs: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (ed.clone().into_bytes(), {
            let mut i = mac_info.clone();
            i.extend_from_slice(&key_id);
            i
        }),
        (key_id.clone(), key_ids_info),
        (
            if fixed_keys {
                b"Hello world!".to_vec()
            } else {
                Vec::new()
            },
            b"MAC".to_vec(),
        ),
        (rng.bytes(1), Vec::new()),
        (device_keys_json(&mut rng, &public, &ed), mac_info.clone()),
        (long_input, rng.text(20)),
    ];
    let mut macs = Vec::new();
    for (input, info) in &inputs {
        for (method, label) in [
            (SasMac::Fixed, "fixed"),
            (SasMac::Legacy, "libolm_legacy"),
            (SasMac::LongKdf, "libolm_long_kdf"),
        ] {
            let mac = sas.mac(method, input, info);
            macs.push(obj! { "input" => hex(input), "info" => hex(info), "mac" => mac, "method" => label });
        }
    }
    obj! {
        "name" => name,
        "random" => hex(&random),
        "public_key" => public,
        "their_public_key" => their_public,
        "bytes" => bytes,
        "mac" => macs,
    }
}

pub fn generate_sas(seed: &str) -> Vec<Json> {
    let mut out = vec![sas_vector(seed, "sas-rfc7748-keys-0", true)];
    for i in 0..11 {
        out.push(sas_vector(seed, &format!("sas-{i}"), false));
    }
    out
}

fn backup_payload(rng: &mut Drbg) -> Vec<u8> {
    let len = rng.range(160, 229);
    let session_key = b64(&rng.bytes(len));
    let sender = b64(&rng.bytes(32));
    let ed = b64(&rng.bytes(32));
    format!(
        "{{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"forwarding_curve25519_key_chain\":[],\
         \"sender_claimed_keys\":{{\"ed25519\":\"{ed}\"}},\"sender_key\":\"{sender}\",\"session_key\":\"{session_key}\"}}"
    )
    .into_bytes()
}

struct Encrypted {
    random: Vec<u8>,
    plaintext: Vec<u8>,
    ciphertext: String,
    mac: String,
    ephemeral: String,
}

fn encrypt(rng: &mut Drbg, public: &str, plaintext: Vec<u8>) -> Encrypted {
    let random = rng.bytes(32);
    let (ciphertext, mac, ephemeral) = must(
        must(PkEncryption::new(public), "recipient").encrypt(&plaintext, &random),
        "PK encrypt",
    );
    Encrypted {
        random,
        plaintext,
        ciphertext,
        mac,
        ephemeral,
    }
}

fn pk_vector(seed: &str, name: &str, failures: bool) -> Json {
    let mut rng = drbg(seed, PK_KIND, name);
    let private = rng.bytes(32);
    let (mut decryption, public) = must(PkDecryption::from_private(&private), "PK key");

    let mut plaintexts = vec![
        rng.plaintext(0),
        rng.plaintext(15),
        rng.plaintext(16),
        rng.plaintext(17),
    ];
    plaintexts.push(backup_payload(&mut rng));
    let mut encrypt_cases = Vec::new();
    for plaintext in plaintexts.into_iter().take(if failures { 1 } else { 5 }) {
        let e = encrypt(&mut rng, &public, plaintext);
        assert_eq!(
            must(decryption.decrypt(&e.ephemeral, &e.mac, &e.ciphertext), "decrypt"),
            e.plaintext
        );
        encrypt_cases.push(obj! {
            "random" => hex(&e.random),
            "plaintext" => hex(&e.plaintext),
            "ciphertext" => e.ciphertext,
            "mac" => e.mac,
            "ephemeral" => e.ephemeral,
        });
    }

    let mut decrypt_cases = Vec::new();
    let ok = |decryption: &mut PkDecryption, e: &Encrypted| {
        let plaintext = must(decryption.decrypt(&e.ephemeral, &e.mac, &e.ciphertext), "decrypt");
        assert_eq!(plaintext, e.plaintext);
        obj! {
            "ciphertext" => e.ciphertext.as_str(),
            "mac" => e.mac.as_str(),
            "ephemeral" => e.ephemeral.as_str(),
            "plaintext" => hex(&plaintext),
        }
    };
    let len = rng.range(1, 100);
    let plaintext = rng.plaintext(len);
    let first = encrypt(&mut rng, &public, plaintext);
    decrypt_cases.push(ok(&mut decryption, &first));
    let payload = backup_payload(&mut rng);
    let second = encrypt(&mut rng, &public, payload);
    decrypt_cases.push(ok(&mut decryption, &second));

    if failures {
        let fail = |decryption: &mut PkDecryption, ciphertext: &str, mac: &str, ephemeral: &str, class: &str| {
            must_fail(
                decryption.decrypt(ephemeral, mac, ciphertext),
                &[OlmError::BAD_MESSAGE_MAC],
                name,
            );
            obj! {
                "ciphertext" => ciphertext,
                "mac" => mac,
                "ephemeral" => ephemeral,
                "error" => class,
            }
        };
        let bit = rng.below(8) as u8;
        // libolm's MAC covers the empty string under a key derived from the
        // ephemeral key: a flipped MAC or a foreign ephemeral key fails it.
        decrypt_cases.push(fail(
            &mut decryption,
            &first.ciphertext,
            &flip_bit(&first.mac, 0, bit),
            &first.ephemeral,
            "mac",
        ));
        decrypt_cases.push(fail(
            &mut decryption,
            &first.ciphertext,
            &first.mac,
            &second.ephemeral,
            "mac",
        ));
        let stranger = must(PkDecryption::from_private(&rng.bytes(32)), "stranger").1;
        decrypt_cases.push(fail(&mut decryption, &first.ciphertext, &first.mac, &stranger, "mac"));
        // Nothing changed.
        decrypt_cases.push(ok(&mut decryption, &first));
    }

    let mut signing = Vec::new();
    for k in 0..2 {
        let seed_bytes = rng.bytes(32);
        let (mut signer, signing_public) = must(PkSigning::from_seed(&seed_bytes), "PK signing");
        let message = if k == 0 {
            Vec::new()
        } else {
            device_keys_json(&mut rng, &public, &signing_public)
        };
        let signature = signer.sign(&message);
        assert_eq!(unb64(&signature).expect("signature").len(), 64);
        signing.push(obj! {
            "seed" => hex(&seed_bytes),
            "public_key" => signing_public,
            "message" => hex(&message),
            "signature" => signature,
        });
    }

    obj! {
        "name" => name,
        "private_key" => hex(&private),
        "public_key" => public,
        "encrypt" => encrypt_cases,
        "decrypt" => decrypt_cases,
        "signing" => signing,
    }
}

pub fn generate_pk(seed: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for i in 0..8 {
        out.push(pk_vector(seed, &format!("pk-{i}"), false));
    }
    for i in 0..3 {
        out.push(pk_vector(seed, &format!("pk-decrypt-failures-{i}"), true));
    }
    out
}
