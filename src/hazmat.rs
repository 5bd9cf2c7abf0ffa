//! Low-level calls that break the guarantees the rest of the crate keeps,
//! for reproducing libolm's C API (the drop-in library in `capi/` is their
//! user) and for tools that take libolm pickles apart. Behind the
//! non-default feature `hazmat`.
//!
//! Each one hands the caller a step that the safe API does for it, in the
//! right order and atomically. Called out of order, or on data not checked
//! as the docs say, they open sessions on unauthenticated input, throw away
//! keys that are still needed, or expose and forge whole pickles. Use
//! [`Account::create_inbound_session`], `to_libolm_pickle` and
//! `from_libolm_pickle` instead wherever libolm's exact calls are not the
//! point.

use alloc::{string::String, vec::Vec};

use zeroize::Zeroizing;

use crate::{
    Curve25519PublicKey, KeyId, PickleError,
    olm::{Account, PreKeyMessage, Session, SessionCreationError},
};

/// The session that `pre_key_message` opens, *before* its message is
/// decrypted, as libolm's `olm_create_inbound_session` makes it. The
/// one-time key is kept.
///
/// Dangerous because nothing in the pre-key message is authenticated by
/// this: anyone who knows the account's public keys can make such a message,
/// and the session it yields is the attacker's. Only the session's first
/// successful [`Session::decrypt`] of this very message shows that the
/// message is genuine; until then the session must be neither stored nor
/// used to encrypt, and only then may the caller consume the one-time key
/// with [`remove_one_time_key`]. [`Account::create_inbound_session`] does
/// all three steps and changes nothing on failure.
///
/// The errors are those of [`Account::create_inbound_session`] short of
/// [`SessionCreationError::Decryption`].
pub fn create_inbound_session_unauthenticated(
    account: &Account,
    their_identity_key: Curve25519PublicKey,
    pre_key_message: &PreKeyMessage,
) -> Result<Session, SessionCreationError> {
    account.create_inbound_session_unauthenticated(their_identity_key, pre_key_message)
}

/// Removes the one-time key `public_key` and returns its id: libolm's
/// `olm_remove_one_time_keys`, the last of its three steps.
///
/// Dangerous because a removed key is gone for good: called before the
/// session made by [`create_inbound_session_unauthenticated`] has decrypted
/// its first message, a forged pre-key message costs the account a key that
/// a genuine sender may still need, and the genuine message then never
/// decrypts.
///
/// A fallback key (current or previous) is not removed, since other senders
/// may still use it, but its id is returned all the same. `None` means the
/// account holds no such key.
pub fn remove_one_time_key(account: &mut Account, public_key: Curve25519PublicKey) -> Option<KeyId> {
    account.remove_one_time_key(public_key)
}

/// Encrypts a raw libolm pickle body as libolm does, with a pickle key of
/// any length.
///
/// Dangerous because the body is taken as it is: nothing checks that it is
/// a valid object, so it can forge any state (a chosen ratchet, a reused
/// chain) for whoever reads the pickle next. libolm's pickle cipher also
/// derives its IV from the key alone, so equal bodies give equal pickles.
/// Objects of this crate write theirs with `to_libolm_pickle`.
///
/// The result is wiped on drop: under a known or empty key a libolm pickle
/// is as good as plaintext.
pub fn libolm_pickle_encrypt(key: &[u8], body: &[u8]) -> Zeroizing<String> {
    crate::pickle::libolm_encrypt(key, body)
}

/// Checks the MAC of a libolm pickle and decrypts it, returning its raw
/// body, wiped on drop.
///
/// Dangerous because the body holds every secret of the object (identity
/// and one-time keys, root and chain keys, Megolm ratchets) in plain bytes,
/// unchecked; a caller that copies it out of the returned buffer leaves
/// those secrets behind. `from_libolm_pickle` reads an object without ever
/// handing its secrets out.
///
/// Fails with [`PickleError::Base64`], [`PickleError::Truncated`] (shorter
/// than its MAC), [`PickleError::Mac`] (wrong key or altered pickle, nothing
/// decrypted), or [`PickleError::Invalid`] (bad length or padding).
pub fn libolm_pickle_decrypt(key: &[u8], pickle: &str) -> Result<Zeroizing<Vec<u8>>, PickleError> {
    crate::pickle::libolm_decrypt(key, pickle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::{create_inbound_session_unauthenticated, libolm_pickle_decrypt, remove_one_time_key};
    use crate::{
        PickleError,
        olm::{Account, OlmMessage, SessionConfig},
    };

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

        let mut session = create_inbound_session_unauthenticated(&bob, alice.curve25519_key(), &first).unwrap();
        assert!(!session.has_received_message());
        assert_eq!(session.session_id(), to_bob.session_id());
        assert_eq!(bob.one_time_keys().len(), 1);
        assert_eq!(session.decrypt(&OlmMessage::PreKey(first)).unwrap(), b"hi");

        assert_eq!(remove_one_time_key(&mut bob, otk), Some(id));
        assert_eq!(remove_one_time_key(&mut bob, otk), None);
        assert!(bob.one_time_keys().is_empty());
    }

    #[test]
    fn fallback_keys_are_kept() {
        let mut bob = Account::new();
        bob.generate_fallback_key();
        let (&id, &key) = bob.fallback_key().iter().next().unwrap();
        assert_eq!(remove_one_time_key(&mut bob, key), Some(id));
        assert_eq!(remove_one_time_key(&mut bob, key), Some(id));
        assert_eq!(bob.fallback_key().len(), 1);
    }

    #[test]
    fn pickle_cipher_round_trips_and_checks_its_mac() {
        let sealed = super::libolm_pickle_encrypt(b"key", b"a raw body");
        assert_eq!(
            libolm_pickle_decrypt(b"key", &sealed).unwrap().as_slice(),
            b"a raw body"
        );
        assert_eq!(libolm_pickle_decrypt(b"other", &sealed).unwrap_err(), PickleError::Mac);
    }
}
