//! The serde form vodozemac gives public keys, for records that hold them
//! outside a pickle (matrix-sdk-crypto's stores do, and so does the
//! vodozemac facade in `compat/vodozemac`). A Curve25519 key is
//! x25519-dalek's `PublicKey` (newtype structs around a 32-element tuple);
//! an Ed25519 key is ed25519-dalek's byte string. This differs from the
//! `serde` feature's base64 strings, which are Matrix JSON's form, so these
//! are `with` modules rather than trait impls.
//!
//! ```
//! # use olm::{Curve25519PublicKey, pickle::vodozemac::public_keys};
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Record {
//!     #[serde(with = "public_keys::curve25519")]
//!     sender_key: Curve25519PublicKey,
//! }
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::keys::{Bytes, CurvePublic};
use crate::{Curve25519PublicKey, Ed25519PublicKey};

/// A [`Curve25519PublicKey`] as vodozemac serializes it.
pub mod curve25519 {
    use super::*;

    /// Writes the key as x25519-dalek's `PublicKey`.
    pub fn serialize<S: Serializer>(key: &Curve25519PublicKey, serializer: S) -> Result<S::Ok, S::Error> {
        CurvePublic::new(*key.as_bytes()).serialize(serializer)
    }

    /// Reads what [`serialize`] writes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Curve25519PublicKey, D::Error> {
        CurvePublic::deserialize(deserializer).map(|key| Curve25519PublicKey::from_bytes(*key.bytes()))
    }
}

/// An [`Ed25519PublicKey`] as vodozemac serializes it; reading refuses bytes
/// that are not a canonical point encoding, as the key's constructors do.
pub mod ed25519 {
    use super::*;

    /// Writes the key as ed25519-dalek's byte string.
    pub fn serialize<S: Serializer>(key: &Ed25519PublicKey, serializer: S) -> Result<S::Ok, S::Error> {
        Bytes(*key.as_bytes()).serialize(serializer)
    }

    /// Reads what [`serialize`] writes (a byte string or a sequence).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Ed25519PublicKey, D::Error> {
        let bytes = Bytes::<32>::deserialize(deserializer)?;
        Ed25519PublicKey::from_bytes(&bytes.0).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::{Curve25519SecretKey, Ed25519SecretKey};

    #[derive(Serialize, Deserialize)]
    struct Record {
        #[serde(with = "curve25519")]
        curve: Curve25519PublicKey,
        #[serde(with = "ed25519")]
        ed: Ed25519PublicKey,
    }

    #[test]
    fn public_keys_match_vodozemacs_serde_in_json_and_messagepack() {
        let curve = Curve25519SecretKey::from_bytes(&[7; 32]).public_key();
        let ed = Ed25519SecretKey::from_bytes(&[9; 32]).public_key();
        let theirs_curve = vodozemac::Curve25519PublicKey::from_bytes(curve.to_bytes());
        let theirs_ed = vodozemac::Ed25519PublicKey::from_slice(ed.as_bytes()).unwrap();
        let ours = Record { curve, ed };
        assert_eq!(
            serde_json::to_value(&ours).unwrap(),
            serde_json::json!({ "curve": serde_json::to_value(theirs_curve).unwrap(), "ed": serde_json::to_value(theirs_ed).unwrap() })
        );
        let packed = rmp_serde::to_vec(&ours).unwrap();
        let mut theirs = vec![];
        theirs.extend(rmp_serde::to_vec(&(theirs_curve, theirs_ed)).unwrap());
        assert_eq!(packed, theirs);
        let back: Record = rmp_serde::from_slice(&packed).unwrap();
        assert_eq!((back.curve, back.ed), (curve, ed));
    }

    #[test]
    fn a_non_canonical_ed25519_key_is_refused() {
        let json = serde_json::to_string(&[0xffu8; 32]).unwrap();
        let mut de = serde_json::Deserializer::from_str(&json);
        assert!(ed25519::deserialize(&mut de).is_err());
    }
}
