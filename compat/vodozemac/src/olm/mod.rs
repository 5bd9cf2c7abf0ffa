//! vodozemac's `olm` module: accounts, sessions and their messages, on
//! `olm::olm`.

mod account;
pub(crate) mod messages;
mod session;
mod session_config;

pub use account::{
    Account, AccountPickle, IdentityKeys, InboundCreationResult, OneTimeKeyGenerationResult, SessionCreationError,
};
pub(crate) use messages::message_conversions;
pub use messages::{Message, MessageType, OlmMessage, PreKeyMessage};
pub use session::{DecryptionError, EncryptionError, RatchetPublicKey, Session, SessionPickle};
pub(crate) use session::{MacError, UnpadError};
pub use session_config::SessionConfig;

use crate::Curve25519PublicKey;

/// The public part of a session's keys: what `PreKeyMessage` carries and
/// what the session id is derived from.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionKeys {
    /// The Curve25519 identity key of the account that created the session.
    pub identity_key: Curve25519PublicKey,
    /// The ephemeral base key of the session's creator.
    pub base_key: Curve25519PublicKey,
    /// The one-time key of the session's receiver.
    pub one_time_key: Curve25519PublicKey,
}

impl SessionKeys {
    /// The globally unique session id, as unpadded base64.
    pub fn session_id(&self) -> String {
        self.to_olm().session_id()
    }

    pub(crate) fn from_olm(keys: ::olm::olm::SessionKeys) -> Self {
        Self {
            identity_key: Curve25519PublicKey(keys.identity_key),
            base_key: Curve25519PublicKey(keys.base_key),
            one_time_key: Curve25519PublicKey(keys.one_time_key),
        }
    }

    pub(crate) fn to_olm(self) -> ::olm::olm::SessionKeys {
        ::olm::olm::SessionKeys {
            identity_key: self.identity_key.0,
            base_key: self.base_key.0,
            one_time_key: self.one_time_key.0,
        }
    }
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKeys")
            .field("identity_key", &self.identity_key.to_base64())
            .field("base_key", &self.base_key.to_base64())
            .field("one_time_key", &self.one_time_key.to_base64())
            .finish()
    }
}
