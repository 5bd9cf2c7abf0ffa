//! Kinds `sas` (short authentication strings and their MACs) and `pk`
//! (key-backup encryption and PkSigning).

use olm::{
    Curve25519PublicKey,
    pk::{PkDecryption, PkEncryption, PkMessage, PkSigning},
    sas::{Mac, Sas},
};
use serde_json::Value;

use crate::{
    classes::{self, reported},
    olm_kinds::SNAPSHOT_KEY,
    util::{
        Outcome, ReplayRng, array_field, check_eq, hex_field, judge_unchanged, opt_str_field, str_field, to_hex,
        usize_field,
    },
};

/// Kind `sas`: a SAS from `random`, the exchange with `their_public_key`,
/// then the listed byte strings and MACs.
pub fn run_sas(v: &Value) -> Outcome {
    let mut rng = ReplayRng::from_field(v, "random")?;
    let sas = Sas::new_with_rng(&mut rng);
    rng.finish("new SAS")?;
    check_eq(
        "public_key",
        sas.public_key().to_base64().as_str(),
        str_field(v, "public_key")?,
    )?;

    let sas = sas
        .diffie_hellman_with_raw(str_field(v, "their_public_key")?)
        .map_err(|e| format!("key exchange: {e}"))?;

    for case in array_field(v, "bytes")? {
        let info = hex_field(case, "info")?;
        let length = usize_field(case, "length")?;
        let expected = hex_field(case, "bytes")?;
        let bytes = sas
            .bytes_raw(&info, length)
            .map_err(|e| format!("bytes_raw({length}): {e}"))?;
        check_eq("bytes", to_hex(&bytes), to_hex(&expected))?;
        if length == 6 {
            check_eq("bytes (6)", to_hex(sas.bytes(&info).as_bytes()), to_hex(&expected))?;
        }
    }

    for case in array_field(v, "mac")? {
        let input = hex_field(case, "input")?;
        let info = hex_field(case, "info")?;
        let expected = str_field(case, "mac")?;
        let method = str_field(case, "method")?;
        let what = format!("mac ({method}) of {}", to_hex(&input));
        match method {
            "fixed" => {
                check_eq(&what, sas.calculate_mac(&input, &info).to_base64().as_str(), expected)?;
                let mac = Mac::from_base64(expected).map_err(|e| format!("{what}: decode: {e}"))?;
                sas.verify_mac(&input, &info, &mac)
                    .map_err(|e| format!("{what}: verify: {e}"))?;
            }
            "libolm_legacy" => {
                check_eq(
                    &what,
                    sas.calculate_mac_invalid_base64(&input, &info).as_str(),
                    expected,
                )?;
                sas.verify_mac_invalid_base64(&input, &info, expected)
                    .map_err(|e| format!("{what}: verify: {e}"))?;
            }
            "libolm_long_kdf" => {
                check_eq(
                    &what,
                    sas.calculate_mac_long_kdf_invalid_base64(&input, &info).as_str(),
                    expected,
                )?;
                sas.verify_mac_long_kdf_invalid_base64(&input, &info, expected)
                    .map_err(|e| format!("{what}: verify: {e}"))?;
            }
            other => return Err(format!("unknown MAC method `{other}`")),
        }
    }
    Ok(())
}

/// Kind `pk`: the backup key from `private_key`, encryptions with the given
/// ephemeral randomness, decryptions, and PkSigning signatures.
pub fn run_pk(v: &Value) -> Outcome {
    let decryption = match opt_str_field(v, "private_key")? {
        Some(_) => {
            let secret: [u8; 32] = hex_field(v, "private_key")?
                .try_into()
                .map_err(|_| "`private_key` is not 32 bytes".to_string())?;
            let decryption = PkDecryption::from_bytes(&secret);
            check_eq(
                "public_key",
                decryption.public_key().to_base64().as_str(),
                str_field(v, "public_key")?,
            )?;
            Some(decryption)
        }
        None => None,
    };
    let needs_key = || "`encrypt` and `decrypt` need `private_key`".to_string();

    for case in array_field(v, "encrypt")? {
        let decryption = decryption.as_ref().ok_or_else(needs_key)?;
        let recipient =
            Curve25519PublicKey::from_base64(str_field(v, "public_key")?).map_err(|e| format!("public_key: {e}"))?;
        let encryption = PkEncryption::from_key(recipient).map_err(|e| format!("encrypt: {e}"))?;
        let plaintext = hex_field(case, "plaintext")?;
        let mut rng = ReplayRng::from_field(case, "random")?;
        let message = encryption.encrypt_with_rng(&plaintext, &mut rng);
        rng.finish("PK encrypt")?;
        check_eq(
            "ciphertext",
            message.ciphertext_base64().as_str(),
            str_field(case, "ciphertext")?,
        )?;
        check_eq("mac", message.mac_base64().as_str(), str_field(case, "mac")?)?;
        check_eq(
            "ephemeral",
            message.ephemeral_key_base64().as_str(),
            str_field(case, "ephemeral")?,
        )?;
        let decrypted = decryption
            .decrypt(&message)
            .map_err(|e| format!("decrypt own message: {e}"))?;
        check_eq("round trip", to_hex(&decrypted), to_hex(&plaintext))?;
    }

    for case in array_field(v, "decrypt")? {
        let decryption = decryption.as_ref().ok_or_else(needs_key)?;
        let decoded = PkMessage::from_base64(
            str_field(case, "ciphertext")?,
            str_field(case, "mac")?,
            str_field(case, "ephemeral")?,
        );
        let mut decryption = decryption;
        judge_unchanged(
            case.get("error"),
            &mut decryption,
            |decryption| snapshot(decryption),
            |decryption| {
                decoded
                    .map_err(reported(classes::pk_message))
                    .and_then(|message| decryption.decrypt(&message).map_err(reported(classes::pk)))
            },
            |plaintext| check_eq("plaintext", to_hex(&plaintext), to_hex(&hex_field(case, "plaintext")?)),
        )
        .map_err(|e| format!("decrypt: {e}"))?;
    }

    for case in array_field(v, "signing")? {
        let seed: [u8; 32] = hex_field(case, "seed")?
            .try_into()
            .map_err(|_| "`seed` is not 32 bytes".to_string())?;
        let signing = PkSigning::from_seed(&seed);
        check_eq(
            "signing public_key",
            signing.public_key().to_base64().as_str(),
            str_field(case, "public_key")?,
        )?;
        let message = hex_field(case, "message")?;
        let signature = signing.sign(&message);
        check_eq(
            "signature",
            signature.to_base64().as_str(),
            str_field(case, "signature")?,
        )?;
        signing
            .public_key()
            .verify(&message, &signature)
            .map_err(|e| format!("own signature: {e}"))?;
    }
    Ok(())
}

/// A backup key's libolm pickle (nothing in it changes, by design; the
/// check keeps it so).
fn snapshot(decryption: &PkDecryption) -> Result<String, String> {
    decryption
        .to_libolm_pickle(SNAPSHOT_KEY)
        .map(|pickle| pickle.to_string())
        .map_err(|e| format!("snapshot pickle: {e}"))
}
