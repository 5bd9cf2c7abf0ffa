//! `serde` support (feature `serde`): public keys, signatures, key ids,
//! messages and Megolm session keys serialize as the unpadded base64 strings
//! Matrix JSON carries; an [`OlmMessage`] as Matrix's `{"type": n, "body":
//! "<base64>"}`; [`IdentityKeys`] as `{"curve25519": …, "ed25519": …}`.
//!
//! Deserializing runs the same checks as `from_base64`. Session keys are
//! secrets: their base64 passes through the serializer's own buffers, which
//! this crate cannot wipe, so prefer the crate's pickles for storage.

use alloc::string::String;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _, ser::SerializeStruct};
use zeroize::Zeroizing;

use crate::{
    Curve25519PublicKey, Ed25519PublicKey, Ed25519Signature, KeyId,
    megolm::{ExportedSessionKey, MegolmMessage, SessionKey},
    olm::{IdentityKeys, Message, OlmMessage, PreKeyMessage},
    sas::Mac,
};

/// Implements both traits as a base64 string for a type with `to_base64`
/// and a fallible `from_base64`.
macro_rules! base64_string {
    ($($ty:ty),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_base64())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let encoded = Zeroizing::new(String::deserialize(deserializer)?);
                <$ty>::from_base64(&encoded).map_err(D::Error::custom)
            }
        }
    )*};
}

base64_string!(
    Curve25519PublicKey,
    Ed25519PublicKey,
    Ed25519Signature,
    Message,
    PreKeyMessage,
    MegolmMessage,
    SessionKey,
    ExportedSessionKey,
    Mac,
);

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        KeyId::from_base64(&String::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl Serialize for OlmMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("OlmMessage", 2)?;
        state.serialize_field("type", &usize::from(self.message_type()))?;
        state.serialize_field("body", &self.to_base64())?;
        state.end()
    }
}

#[derive(Deserialize)]
struct OlmMessageFields {
    #[serde(rename = "type")]
    message_type: usize,
    body: String,
}

impl<'de> Deserialize<'de> for OlmMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = OlmMessageFields::deserialize(deserializer)?;
        OlmMessage::from_base64(fields.message_type, &fields.body).map_err(D::Error::custom)
    }
}

impl Serialize for IdentityKeys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("IdentityKeys", 2)?;
        state.serialize_field("curve25519", &self.curve25519)?;
        state.serialize_field("ed25519", &self.ed25519)?;
        state.end()
    }
}

#[derive(Deserialize)]
struct IdentityKeysFields {
    curve25519: Curve25519PublicKey,
    ed25519: Ed25519PublicKey,
}

impl<'de> Deserialize<'de> for IdentityKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let IdentityKeysFields { curve25519, ed25519 } = IdentityKeysFields::deserialize(deserializer)?;
        Ok(IdentityKeys { curve25519, ed25519 })
    }
}
