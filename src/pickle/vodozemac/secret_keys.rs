//! The serde form vodozemac gives its secret keys, which stores hold:
//! matrix-sdk-crypto keeps cross-signing and backup keys inside its own
//! records this way. An [`Ed25519SecretKey`] is its 32-byte seed as a byte
//! string (ed25519-dalek's form); a [`Curve25519SecretKey`] is x25519-dalek's
//! `StaticSecret`, a newtype struct around a 32-element tuple. Neither is
//! base64: that is the `serde` feature's form of public keys only.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::keys::{Bytes, CurveSecret};
use crate::{Curve25519SecretKey, Ed25519SecretKey};

impl Serialize for Ed25519SecretKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Bytes(*self.to_bytes()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ed25519SecretKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Bytes::<32>::deserialize(deserializer).map(|seed| Self::from_bytes(&seed.0))
    }
}

impl Serialize for Curve25519SecretKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CurveSecret(*self.to_bytes()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Curve25519SecretKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CurveSecret::deserialize(deserializer).map(|secret| Self::from_bytes(&secret.0))
    }
}
