//! libolm's two-step creation of inbound sessions, which its C API exposes
//! and the drop-in C library (`capi/`) reproduces: `olm_create_inbound_session`
//! builds the session without decrypting anything, the application decrypts
//! the message with `olm_decrypt`, then removes the one-time key with
//! `olm_remove_one_time_keys`.
//!
//! [`Account::create_inbound_session`] does the three steps at once and
//! changes nothing on failure; prefer it everywhere else.

use super::Account;
use crate::{
    Curve25519PublicKey, KeyId,
    olm::{PreKeyMessage, Session, SessionCreationError},
};

impl Account {
    /// The session that `pre_key_message` opens, *before* its message is
    /// decrypted, as libolm's `olm_create_inbound_session` makes it. The
    /// one-time key is kept.
    ///
    /// Nothing in the pre-key message is authenticated by this: the
    /// session's first successful [`Session::decrypt`] is what shows that the
    /// message belongs to it. Only then should the caller consume the
    /// one-time key, with [`remove_one_time_key`](Self::remove_one_time_key).
    ///
    /// The errors are those of [`create_inbound_session`](Self::create_inbound_session)
    /// short of [`SessionCreationError::Decryption`].
    pub fn create_inbound_session_unauthenticated(
        &self,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<Session, SessionCreationError> {
        self.inbound_session(their_identity_key, pre_key_message)
    }

    /// Removes the one-time key `public_key`, after a session made with
    /// [`create_inbound_session_unauthenticated`](Self::create_inbound_session_unauthenticated)
    /// has decrypted its first message, and returns the key's id: libolm's
    /// `olm_remove_one_time_keys`.
    ///
    /// A fallback key (current or previous) is not removed, since other
    /// senders may still use it, but its id is returned all the same. `None`
    /// means the account holds no such key.
    pub fn remove_one_time_key(&mut self, public_key: Curve25519PublicKey) -> Option<KeyId> {
        match self.one_time_keys.remove(&public_key) {
            Some(removed) => Some(removed.id()),
            None => self.fallback_keys.get(&public_key).map(|key| key.id()),
        }
    }
}

// The tests use the operating system's generator.
#[cfg(all(test, feature = "std"))]
mod tests {
    use crate::olm::{Account, OlmMessage, SessionConfig};

    #[test]
    fn two_steps_as_libolm() {
        let alice = Account::new();
        let mut bob = Account::new();
        bob.generate_one_time_keys(1);
        let (&id, &otk) = bob.one_time_keys().iter().next().unwrap();
        let mut to_bob = alice
            .create_outbound_session(SessionConfig::version_1(), bob.curve25519_key(), otk)
            .unwrap();
        let OlmMessage::PreKey(first) = to_bob.encrypt("hi") else {
            unreachable!()
        };

        let mut session = bob
            .create_inbound_session_unauthenticated(alice.curve25519_key(), &first)
            .unwrap();
        assert!(!session.has_received_message());
        assert_eq!(session.session_id(), to_bob.session_id());
        assert_eq!(bob.one_time_keys().len(), 1);
        assert_eq!(session.decrypt(&OlmMessage::PreKey(first)).unwrap(), b"hi");

        assert_eq!(bob.remove_one_time_key(otk), Some(id));
        assert_eq!(bob.remove_one_time_key(otk), None);
        assert!(bob.one_time_keys().is_empty());
    }

    #[test]
    fn fallback_keys_are_kept() {
        let mut bob = Account::new();
        bob.generate_fallback_key();
        let (&id, &key) = bob.fallback_key().iter().next().unwrap();
        assert_eq!(bob.remove_one_time_key(key), Some(id));
        assert_eq!(bob.remove_one_time_key(key), Some(id));
        assert_eq!(bob.fallback_key().len(), 1);
    }
}
