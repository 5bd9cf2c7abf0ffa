//! libolm's two-step creation of inbound sessions, which its C API exposes
//! and the drop-in C library (`capi/`) reproduces. Public only through
//! [`crate::hazmat`], which says why these are dangerous.

use super::Account;
use crate::{
    Curve25519PublicKey, KeyId,
    olm::{PreKeyMessage, Session, SessionConfig, SessionCreationError},
};

impl Account {
    /// The session that `pre_key_message` opens, before its message is
    /// decrypted; the one-time key is kept. libolm speaks Olm v1 only, so
    /// a v2 pre-key message is refused.
    pub(crate) fn create_inbound_session_unauthenticated(
        &self,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<Session, SessionCreationError> {
        self.inbound_session(SessionConfig::version_1(), their_identity_key, pre_key_message)
    }

    /// Removes the one-time key `public_key` and returns its id; a fallback
    /// key is kept, but its id is returned all the same.
    pub(crate) fn remove_one_time_key(&mut self, public_key: Curve25519PublicKey) -> Option<KeyId> {
        match self.one_time_keys.remove(&public_key) {
            Some(removed) => Some(removed.id()),
            None => self.fallback_keys.get(&public_key).map(|key| key.id()),
        }
    }
}
