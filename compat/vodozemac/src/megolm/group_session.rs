//! vodozemac's `GroupSession` and its pickle, on `olm::megolm::GroupSession`.

use super::{MegolmMessage, SessionConfig, SessionKey};

/// vodozemac's libolm outbound group session pickle version.
#[cfg(feature = "libolm-compat")]
const LIBOLM_GROUP_SESSION_VERSION: u32 = 1;

/// A Megolm group session represents a single sending participant in an
/// encrypted group communication context containing multiple receiving
/// parties.
pub struct GroupSession(pub(crate) ::olm::megolm::GroupSession);

impl Default for GroupSession {
    fn default() -> Self {
        Self::new(Default::default())
    }
}

impl GroupSession {
    /// Construct a new group session, with a random ratchet state and
    /// signing key pair.
    pub fn new(config: SessionConfig) -> Self {
        Self(::olm::megolm::GroupSession::new(config.to_olm()))
    }

    /// Returns the globally unique session ID, in base64-encoded form.
    pub fn session_id(&self) -> String {
        self.0.session_id()
    }

    /// Return the current message index.
    pub fn message_index(&self) -> u32 {
        self.0.message_index()
    }

    /// Get the [`SessionConfig`] that this [`GroupSession`] is configured
    /// to use.
    pub fn session_config(&self) -> SessionConfig {
        SessionConfig::from_olm(self.0.session_config()).unwrap_or_default()
    }

    /// Encrypt the given `plaintext` with this session.
    pub fn encrypt(&mut self, plaintext: impl AsRef<[u8]>) -> MegolmMessage {
        MegolmMessage::from_olm(self.0.encrypt(plaintext))
    }

    /// Export the group session into a session key.
    pub fn session_key(&self) -> SessionKey {
        SessionKey(self.0.session_key())
    }

    /// Convert the group session into a struct which implements
    /// [`serde::Serialize`] and [`serde::Deserialize`].
    pub fn pickle(&self) -> GroupSessionPickle {
        GroupSessionPickle::written(&self.0)
    }

    /// Restore a [`GroupSession`] from a previously saved
    /// [`GroupSessionPickle`].
    pub fn from_pickle(pickle: GroupSessionPickle) -> Self {
        pickle.into()
    }

    /// Create a [`GroupSession`] object by unpickling a session pickle in
    /// libolm legacy pickle format.
    #[cfg(feature = "libolm-compat")]
    pub fn from_libolm_pickle(pickle: &str, pickle_key: &[u8]) -> Result<Self, crate::LibolmPickleError> {
        ::olm::megolm::GroupSession::from_libolm_pickle(pickle, pickle_key)
            .map(Self)
            .map_err(|e| crate::LibolmPickleError::reading(e, LIBOLM_GROUP_SESSION_VERSION))
    }
}

crate::pickle::facade_pickle!(
    GroupSession,
    ::olm::megolm::GroupSession,
    GroupSessionPickle,
    ::olm::pickle::vodozemac::GroupSessionPickle
);
