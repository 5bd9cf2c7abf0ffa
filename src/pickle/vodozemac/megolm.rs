//! vodozemac's `GroupSessionPickle` and `InboundGroupSessionPickle`.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::{
    keys::{Bytes, Config, Ed25519Secret, RatchetBytes},
    vodozemac_pickle_methods,
};
use crate::{
    Ed25519Keypair, Ed25519PublicKey, Ed25519SecretKey,
    megolm::{GroupSession, InboundGroupSession, SessionConfig, ratchet::Ratchet},
    pickle::{PICKLE_KEY_LENGTH, PickleError},
    types::SecretBox,
};

/// A Megolm ratchet: its 128 bytes and its index.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Ratchet")]
struct RatchetPickle {
    inner: RatchetBytes,
    counter: u32,
}

impl From<&Ratchet> for RatchetPickle {
    fn from(ratchet: &Ratchet) -> Self {
        Self {
            inner: RatchetBytes(*ratchet.as_bytes()),
            counter: ratchet.index(),
        }
    }
}

impl From<&RatchetPickle> for Ratchet {
    fn from(pickle: &RatchetPickle) -> Self {
        Ratchet::new(SecretBox::new(&pickle.inner.0), pickle.counter)
    }
}

fn megolm_config(config: Config) -> SessionConfig {
    match config.number() {
        2 => SessionConfig::version_2(),
        _ => SessionConfig::version_1(),
    }
}

/// vodozemac's serde form of a [`GroupSession`]; see the [module
/// docs](super). `Debug` shows no secret.
#[derive(Serialize, Deserialize)]
pub struct GroupSessionPickle {
    ratchet: RatchetPickle,
    signing_key: Ed25519Secret,
    #[serde(default)]
    config: Config,
}

impl From<&GroupSession> for GroupSessionPickle {
    fn from(session: &GroupSession) -> Self {
        let (ratchet, signing_key) = (session.ratchet(), session.signing_key_pair());
        Self {
            ratchet: ratchet.into(),
            signing_key: ed25519_secret(signing_key),
            config: Config::from_number(session.session_config().version()),
        }
    }
}

impl TryFrom<GroupSessionPickle> for GroupSession {
    type Error = PickleError;

    fn try_from(pickle: GroupSessionPickle) -> Result<Self, PickleError> {
        Ok(GroupSession::from_parts(
            (&pickle.ratchet).into(),
            ed25519_pair(&pickle.signing_key),
            megolm_config(pickle.config),
        ))
    }
}

pub(super) fn ed25519_secret(pair: &Ed25519Keypair) -> Ed25519Secret {
    match pair.seed() {
        Some(seed) => Ed25519Secret::Normal(Bytes(*seed.to_bytes())),
        None => Ed25519Secret::Expanded(Bytes(*pair.expanded_bytes().as_bytes())),
    }
}

pub(super) fn ed25519_pair(secret: &Ed25519Secret) -> Ed25519Keypair {
    match secret {
        Ed25519Secret::Normal(seed) => Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(&seed.0)),
        Ed25519Secret::Expanded(expanded) => Ed25519Keypair::from_expanded(&expanded.0),
    }
}

/// vodozemac's serde form of an [`InboundGroupSession`]; see the [module
/// docs](super). vodozemac keeps only the earliest ratchet; the cache of the
/// latest one is rebuilt on use. `Debug` shows no secret.
#[derive(Serialize, Deserialize)]
pub struct InboundGroupSessionPickle {
    initial_ratchet: RatchetPickle,
    signing_key: Bytes<32>,
    signing_key_verified: bool,
    #[serde(default)]
    config: Config,
}

impl From<&InboundGroupSession> for InboundGroupSessionPickle {
    fn from(session: &InboundGroupSession) -> Self {
        Self {
            initial_ratchet: session.initial_ratchet().into(),
            signing_key: Bytes(session.signing_key().to_bytes()),
            signing_key_verified: session.is_verified(),
            config: Config::from_number(session.session_config().version()),
        }
    }
}

impl TryFrom<InboundGroupSessionPickle> for InboundGroupSession {
    type Error = PickleError;

    fn try_from(pickle: InboundGroupSessionPickle) -> Result<Self, PickleError> {
        let config = megolm_config(pickle.config);
        let signing_key = Ed25519PublicKey::from_bytes(&pickle.signing_key.0)
            .map_err(|_| PickleError::Invalid("invalid Ed25519 public key"))?;
        InboundGroupSession::from_stored(
            (&pickle.initial_ratchet).into(),
            None,
            signing_key,
            pickle.signing_key_verified,
            config,
        )
    }
}

vodozemac_pickle_methods!(GroupSession, GroupSessionPickle, "GroupSession", "message_index" => |p: &GroupSessionPickle| p.ratchet.counter);
vodozemac_pickle_methods!(InboundGroupSession, InboundGroupSessionPickle, "InboundGroupSession", "first_known_index" => |p: &InboundGroupSessionPickle| p.initial_ratchet.counter);

/// A 128-byte ratchet and a signing key in decimal: under 900 bytes.
impl super::JsonCapacity for GroupSessionPickle {
    fn json_capacity(&self) -> usize {
        1024
    }
}

/// As for the outbound session.
impl super::JsonCapacity for InboundGroupSessionPickle {
    fn json_capacity(&self) -> usize {
        1024
    }
}
