//! Helpers shared by the kinds.

use crate::{codec::unb64, rng::Drbg};
use libolm_shim::{OlmError, Res};

/// One vector's deterministic stream: `kind/name` under the seed.
pub fn drbg(seed: &str, kind: &str, name: &str) -> Drbg {
    Drbg::new(seed, &format!("{kind}/{name}"))
}

/// The error of an operation that must fail with one of `codes` in
/// libolm; anything else means the generator built the wrong case.
pub fn must_fail<T>(result: Res<T>, codes: &[u32], what: &str) -> OlmError {
    match result {
        Ok(_) => panic!("{what}: libolm accepted it, but the vector says it fails"),
        Err(e) if codes.contains(&e.0) => e,
        Err(e) => panic!("{what}: libolm failed with {e}, expected one of {codes:?}"),
    }
}

/// The value of an operation that must succeed in libolm.
pub fn must<T>(result: Res<T>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: libolm failed with {e}"))
}

/// The numeric value of a libolm key id (`AAAAAQ` → 1).
pub fn key_id_number(id: &str) -> u32 {
    let bytes = unb64(id).expect("key id base64");
    u32::from_be_bytes(bytes.try_into().expect("4-byte key id"))
}

/// Key lists sorted by id number: generation order.
pub fn by_id(mut keys: Vec<(String, String)>) -> Vec<(String, String)> {
    keys.sort_by_key(|(id, _)| key_id_number(id));
    keys
}

/// Canonical-JSON-like messages of the kind clients sign.
pub fn device_keys_json(rng: &mut Drbg, curve: &str, ed: &str) -> Vec<u8> {
    let device: String = String::from_utf8(rng.text(10)).expect("ASCII").replace(' ', "_");
    let device: String = device
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    let device = if device.is_empty() { "DEVICE".to_owned() } else { device };
    format!(
        "{{\"algorithms\":[\"m.olm.v1.curve25519-aes-sha2\",\"m.megolm.v1.aes-sha2\"],\"device_id\":\"{device}\",\
         \"keys\":{{\"curve25519:{device}\":\"{curve}\",\"ed25519:{device}\":\"{ed}\"}},\
         \"user_id\":\"@user{}:example.org\"}}",
        rng.below(1000)
    )
    .into_bytes()
}

/// A one-time key object as signed for `/keys/upload`.
pub fn signed_otk_json(key: &str, fallback: bool) -> Vec<u8> {
    if fallback {
        format!("{{\"fallback\":true,\"key\":\"{key}\"}}").into_bytes()
    } else {
        format!("{{\"key\":\"{key}\"}}").into_bytes()
    }
}
