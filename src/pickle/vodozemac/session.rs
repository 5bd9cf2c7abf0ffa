//! vodozemac's `SessionPickle`.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use super::{
    keys::{Config, CurvePublic, CurveSecret, RatchetCount, Secret32},
    secret_vec::SecretVec,
    vodozemac_pickle_methods,
};
use crate::{
    Curve25519PublicKey, Curve25519SecretKey,
    olm::{
        ChainKey, DoubleRatchet, MessageKey, ReceiverChain, RootKey, SendingChain, SendingKey, Session, SessionConfig,
        SessionKeys, SkippedKeyLimit, SkippedMessageKey,
    },
    pickle::{PICKLE_KEY_LENGTH, PickleError},
};

#[derive(Serialize, Deserialize)]
#[serde(rename = "SessionKeys")]
struct SessionKeysPickle {
    identity_key: CurvePublic,
    base_key: CurvePublic,
    one_time_key: CurvePublic,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "RemoteRootKey")]
struct RemoteRootKey {
    key: Secret32,
}

/// A chain key or a message key with its index (vodozemac's `ChainKey`,
/// `RemoteChainKey` and `RemoteMessageKey` share this shape).
#[derive(Serialize, Deserialize, Clone)]
struct IndexedKey {
    key: Secret32,
    index: u64,
}

impl IndexedKey {
    fn index(&self) -> Result<u32, PickleError> {
        u32::try_from(self.index).map_err(|_| PickleError::Invalid("a chain index above 2^32 - 1"))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Ratchet")]
struct ActiveRatchet {
    root_key: Secret32,
    ratchet_key: CurveSecret,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "InactiveDoubleRatchet")]
struct Inactive {
    root_key: RemoteRootKey,
    ratchet_key: CurvePublic,
    #[serde(default = "RatchetCount::unknown")]
    ratchet_count: RatchetCount,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "ActiveDoubleRatchet")]
struct Active {
    #[serde(default)]
    parent_ratchet_key: Option<CurvePublic>,
    #[serde(default = "RatchetCount::unknown")]
    ratchet_count: RatchetCount,
    active_ratchet: ActiveRatchet,
    symmetric_key_ratchet: IndexedKey,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "DoubleRatchetState", rename_all = "snake_case", tag = "type")]
enum SendingRatchet {
    Inactive(Inactive),
    Active(Active),
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename = "MessageKeyStore")]
struct MessageKeyStore {
    inner: SecretVec<IndexedKey>,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename = "ReceiverChain")]
struct ReceiverChainPickle {
    ratchet_key: CurvePublic,
    hkdf_ratchet: IndexedKey,
    skipped_message_keys: MessageKeyStore,
    #[serde(default = "RatchetCount::unknown")]
    ratchet_count: RatchetCount,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "ChainStore")]
struct ChainStore {
    /// Oldest first.
    inner: SecretVec<ReceiverChainPickle>,
}

/// vodozemac's serde form of a [`Session`]; see the [module docs](super).
/// `Debug` shows no secret.
#[derive(Serialize, Deserialize)]
pub struct SessionPickle {
    session_keys: SessionKeysPickle,
    sending_ratchet: SendingRatchet,
    receiving_chains: ChainStore,
    #[serde(default)]
    config: Config,
}

fn public(key: Curve25519PublicKey) -> CurvePublic {
    CurvePublic::new(*key.as_bytes())
}

fn indexed(bytes: &[u8; 32], index: u32) -> IndexedKey {
    IndexedKey {
        key: Secret32(*bytes),
        index: index.into(),
    }
}

impl From<&Session> for SessionPickle {
    /// vodozemac keeps skipped message keys inside their chain: keys whose
    /// chain was dropped (sessions from libolm can hold them) have nowhere
    /// to go and are left out, as vodozemac's own libolm import leaves them.
    fn from(session: &Session) -> Self {
        let ratchet = session.ratchet();
        let keys = session.session_keys();
        let steps = RatchetCount::from_option(ratchet.steps());
        let sending_ratchet = match ratchet.sending() {
            SendingChain::Inactive { their_ratchet_key } => SendingRatchet::Inactive(Inactive {
                root_key: RemoteRootKey {
                    key: Secret32(*ratchet.root_key().as_bytes()),
                },
                ratchet_key: public(*their_ratchet_key),
                ratchet_count: steps,
            }),
            SendingChain::Active {
                ratchet_key,
                chain_key,
                parent,
            } => SendingRatchet::Active(Active {
                parent_ratchet_key: parent.map(public),
                ratchet_count: steps,
                active_ratchet: ActiveRatchet {
                    root_key: Secret32(*ratchet.root_key().as_bytes()),
                    ratchet_key: CurveSecret(*ratchet_key.secret().to_bytes()),
                },
                symmetric_key_ratchet: indexed(chain_key.as_bytes(), chain_key.index()),
            }),
        };
        let inner = ratchet
            .receiving()
            .iter()
            .rev()
            .map(|chain| ReceiverChainPickle {
                ratchet_key: public(chain.ratchet_key()),
                hkdf_ratchet: indexed(chain.chain_key().as_bytes(), chain.chain_key().index()),
                skipped_message_keys: MessageKeyStore {
                    inner: ratchet
                        .skipped()
                        .iter()
                        .rev()
                        .filter(|k| k.ratchet_key() == chain.ratchet_key())
                        .map(|k| indexed(k.message_key().as_bytes(), k.message_key().index()))
                        .collect(),
                },
                ratchet_count: RatchetCount::from_option(chain.count()),
            })
            .collect();
        Self {
            session_keys: SessionKeysPickle {
                identity_key: public(keys.identity_key),
                base_key: public(keys.base_key),
                one_time_key: public(keys.one_time_key),
            },
            sending_ratchet,
            receiving_chains: ChainStore { inner },
            config: Config::from_number(session.session_config().version()),
        }
    }
}

impl TryFrom<SessionPickle> for Session {
    type Error = PickleError;

    /// Checks what vodozemac does not (see `DoubleRatchet::from_stored`), and
    /// that an inactive ratchet answers the newest receiving chain.
    fn try_from(pickle: SessionPickle) -> Result<Self, PickleError> {
        let chains = &pickle.receiving_chains.inner;
        let mut receiving = Vec::with_capacity(chains.len());
        let mut skipped = Vec::with_capacity(chains.iter().map(|c| c.skipped_message_keys.inner.len()).sum());
        // Newest chain first, and each chain's keys newest first. vodozemac
        // stores its own chains oldest first, but keeps libolm's order
        // (newest first) for a session it read from a libolm pickle.
        let ordered: Vec<&ReceiverChainPickle> = if stored_newest_first(&pickle) {
            chains.iter().collect()
        } else {
            chains.iter().rev().collect()
        };
        for chain in ordered {
            let ratchet_key = Curve25519PublicKey::from_bytes(*chain.ratchet_key.bytes());
            let chain_key = ChainKey::from_slice(&chain.hkdf_ratchet.key.0, chain.hkdf_ratchet.index()?);
            receiving.push(ReceiverChain::new(
                ratchet_key,
                chain_key,
                chain.ratchet_count.into_option(),
            ));
            for key in chain.skipped_message_keys.inner.iter().rev() {
                let message_key = MessageKey::from_bytes(&key.key.0, key.index()?);
                skipped.push(SkippedMessageKey::new(ratchet_key, message_key));
            }
        }
        let (root_key, sending, steps) = match &pickle.sending_ratchet {
            SendingRatchet::Inactive(inactive) => {
                let answers = Curve25519PublicKey::from_bytes(*inactive.ratchet_key.bytes());
                if receiving.first().map(ReceiverChain::ratchet_key) != Some(answers) {
                    return Err(PickleError::Invalid(
                        "the inactive ratchet's key is not the newest receiving chain's",
                    ));
                }
                (&inactive.root_key.key, None, inactive.ratchet_count)
            }
            SendingRatchet::Active(active) => {
                let secret = Curve25519SecretKey::from_bytes(&active.active_ratchet.ratchet_key.0);
                let chain = &active.symmetric_key_ratchet;
                let chain_key = ChainKey::from_slice(&chain.key.0, chain.index()?);
                let parent = active
                    .parent_ratchet_key
                    .map(|key| Curve25519PublicKey::from_bytes(*key.bytes()));
                let sending = Some((SendingKey::from_secret(secret), chain_key, parent));
                (&active.active_ratchet.root_key, sending, active.ratchet_count)
            }
        };
        let received_message = !receiving.is_empty();
        let ratchet = DoubleRatchet::from_stored(
            RootKey::from_slice(&root_key.0),
            sending,
            steps.into_option(),
            receiving,
            skipped,
            SkippedKeyLimit::PerChain,
        )?;
        let keys = &pickle.session_keys;
        let session_keys = SessionKeys {
            identity_key: Curve25519PublicKey::from_bytes(*keys.identity_key.bytes()),
            base_key: Curve25519PublicKey::from_bytes(*keys.base_key.bytes()),
            one_time_key: Curve25519PublicKey::from_bytes(*keys.one_time_key.bytes()),
        };
        let config = match pickle.config.number() {
            2 => SessionConfig::version_2(),
            _ => SessionConfig::version_1(),
        };
        Ok(Session::new(config, session_keys, ratchet, received_message))
    }
}

/// Whether the receiving chains are stored newest first: the chain the
/// sending ratchet answers (the inactive ratchet's key, or the active one's
/// parent) is the newest, and it is first rather than last. That is libolm's
/// order, which vodozemac keeps for a session it read from a libolm pickle;
/// its own sessions store the newest last. An active ratchet vodozemac read
/// from libolm has no parent key (libolm does not store it), so nothing
/// tells; its chains are then taken in vodozemac's own order, which only
/// changes which chain is dropped first once there are more than five.
fn stored_newest_first(pickle: &SessionPickle) -> bool {
    let answered = match &pickle.sending_ratchet {
        SendingRatchet::Inactive(inactive) => Some(*inactive.ratchet_key.bytes()),
        SendingRatchet::Active(active) => active.parent_ratchet_key.map(|key| *key.bytes()),
    };
    let chains = &pickle.receiving_chains.inner;
    let key = |chain: Option<&ReceiverChainPickle>| chain.map(|c| *c.ratchet_key.bytes());
    answered.is_some() && key(chains.iter().next()) == answered && key(chains.iter().last()) != answered
}

vodozemac_pickle_methods!(Session, SessionPickle, "Session", "receiving_chains" => |p: &SessionPickle| p.receiving_chains.inner.len());

impl super::JsonCapacity for SessionPickle {
    /// About 160 bytes a 32-byte key, five keys a chain.
    fn json_capacity(&self) -> usize {
        let chains = &self.receiving_chains.inner;
        let skipped: usize = chains.iter().map(|c| c.skipped_message_keys.inner.len()).sum();
        1024 + 400 * chains.len() + 160 * skipped
    }
}
