//! Key readers and the checks that every pickle format shares: one place
//! decides when a stored public key must match its secret.

use super::{
    PickleError,
    codec::{Reader, Writer},
};
use crate::{Curve25519Keypair, Curve25519PublicKey, Curve25519SecretKey, Ed25519Keypair, Ed25519SecretKey};

/// How an Ed25519 secret key is stored: the 32-byte seed (keys made here or
/// by vodozemac) or libolm's 64-byte expanded key (keys from libolm, which
/// has no seed to give).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ed25519Form {
    Seed,
    Expanded,
}

impl Ed25519Form {
    pub(crate) fn from_bit(bit: u8) -> Self {
        if bit == 0 { Self::Seed } else { Self::Expanded }
    }
}

/// Our format's Ed25519 key: a form byte (`flags`, plus 1 for the expanded
/// form), then the seed or the expanded key.
pub(crate) fn write_ed25519(w: &mut Writer, pair: &Ed25519Keypair, flags: u8) {
    match pair.seed() {
        Some(seed) => {
            w.u8(flags);
            w.bytes(seed.to_bytes().as_slice());
        }
        None => {
            w.u8(flags | 1);
            w.bytes(pair.expanded_bytes().as_bytes());
        }
    }
}

/// Reads the key [`write_ed25519`] wrote, after its form byte.
pub(crate) fn read_ed25519(r: &mut Reader<'_>, form: Ed25519Form) -> Result<Ed25519Keypair, PickleError> {
    Ok(match form {
        Ed25519Form::Seed => Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(r.array::<32>()?)),
        Ed25519Form::Expanded => Ed25519Keypair::from_expanded(r.array::<64>()?),
    })
}

/// libolm's Ed25519 pair: the public key, then the expanded secret, which
/// must belong together.
#[cfg(feature = "libolm-compat")]
pub(crate) fn read_libolm_ed25519(r: &mut Reader<'_>) -> Result<Ed25519Keypair, PickleError> {
    let public = r.public_key()?;
    let pair = Ed25519Keypair::from_expanded(r.array::<64>()?);
    if pair.public_key().as_bytes() != &public {
        return Err(PickleError::Invalid(
            "the Ed25519 public key does not match the secret key",
        ));
    }
    Ok(pair)
}

/// A Curve25519 pair stored as public key then secret, which must belong
/// together: our format stores only the secret and derives the public key,
/// so a pair that did not match would change identity on a round trip
/// through it (found by fuzzing).
#[cfg(feature = "libolm-compat")]
pub(crate) fn read_curve_pair(r: &mut Reader<'_>) -> Result<Curve25519Keypair, PickleError> {
    let public = Curve25519PublicKey::from_bytes(r.public_key()?);
    let pair = curve_pair_from_secret(r.array::<32>()?);
    if pair.public() != public {
        return Err(PickleError::Invalid(
            "the Curve25519 public key does not match the secret key",
        ));
    }
    Ok(pair)
}

/// A pair whose public key is derived from its secret.
pub(crate) fn curve_pair_from_secret(secret: &[u8; 32]) -> Curve25519Keypair {
    Curve25519Keypair::from_secret(Curve25519SecretKey::from_bytes(secret))
}

/// A pair whose public key is taken as stored, unchecked, as libolm takes
/// its one-time keys: a wrong one only makes that key unusable, and checking
/// 100 keys would cost 100 scalar multiplications per load.
pub(crate) fn curve_pair_stored(secret: &[u8; 32], public: Curve25519PublicKey) -> Curve25519Keypair {
    Curve25519Keypair::from_parts(Curve25519SecretKey::from_bytes(secret), public)
}

/// A flag byte: 0 or 1, anything else is invalid.
pub(crate) fn read_flag(r: &mut Reader<'_>) -> Result<bool, PickleError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(PickleError::Invalid("a flag is neither 0 nor 1")),
    }
}
