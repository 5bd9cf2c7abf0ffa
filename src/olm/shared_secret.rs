//! The triple Diffie-Hellman that starts a session (docs/olm.md, "Initial
//! setup").
//!
//! ```text
//! S = ECDH(I_A, E_B) ‖ ECDH(E_A, I_B) ‖ ECDH(E_A, E_B)
//! R_0 ‖ C_0,0 = HKDF(salt = 0, S, "OLM_ROOT", 64)
//! ```
//!
//! Both sides compute the same 96 bytes in the same order; each exchange must
//! be contributory.

use x25519_dalek::SharedSecret;
use zeroize::Zeroizing;

use super::session::{ChainKey, RootKey};
use crate::{Curve25519PublicKey, Curve25519SecretKey, KeyError, cipher::kdf::hkdf};

const OLM_ROOT_INFO: &[u8] = b"OLM_ROOT";

/// The initiator's side: her identity and base keys, his identity and
/// one-time keys.
pub(crate) fn alice(
    identity_key: &Curve25519SecretKey,
    base_key: &Curve25519SecretKey,
    their_identity_key: &Curve25519PublicKey,
    their_one_time_key: &Curve25519PublicKey,
) -> Result<(RootKey, ChainKey), KeyError> {
    let parts = [
        identity_key.diffie_hellman(their_one_time_key)?,
        base_key.diffie_hellman(their_identity_key)?,
        base_key.diffie_hellman(their_one_time_key)?,
    ];
    Ok(expand(&parts))
}

/// The recipient's side: his identity and one-time keys, her identity and
/// base keys.
pub(crate) fn bob(
    identity_key: &Curve25519SecretKey,
    one_time_key: &Curve25519SecretKey,
    their_identity_key: &Curve25519PublicKey,
    their_base_key: &Curve25519PublicKey,
) -> Result<(RootKey, ChainKey), KeyError> {
    let parts = [
        one_time_key.diffie_hellman(their_identity_key)?,
        identity_key.diffie_hellman(their_base_key)?,
        one_time_key.diffie_hellman(their_base_key)?,
    ];
    Ok(expand(&parts))
}

fn expand(parts: &[SharedSecret; 3]) -> (RootKey, ChainKey) {
    let mut secret = Zeroizing::new([0u8; 96]);
    for (chunk, part) in secret.chunks_exact_mut(32).zip(parts) {
        chunk.copy_from_slice(part.as_bytes());
    }
    let okm = hkdf::<64>(None, secret.as_slice(), OLM_ROOT_INFO);
    let (root, chain) = okm.split_at(32);
    (RootKey::from_slice(root), ChainKey::from_slice(chain, 0))
}
