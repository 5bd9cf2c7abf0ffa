//! The three public keys that identify an Olm session.

use alloc::string::String;
use core::fmt;

use sha2::{Digest, Sha256};

use crate::{Curve25519PublicKey, encoding::base64_encode};

/// The keys an Olm session was created from, as the initiator sent them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKeys {
    /// The initiator's Curve25519 identity key.
    pub identity_key: Curve25519PublicKey,
    /// The initiator's single-use base key.
    pub base_key: Curve25519PublicKey,
    /// The recipient's one-time (or fallback) key.
    pub one_time_key: Curve25519PublicKey,
}

impl SessionKeys {
    /// The session id both sides compute: unpadded base64 of
    /// SHA-256(identity key ‖ base key ‖ one-time key).
    pub fn session_id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(self.identity_key.as_bytes())
            .chain_update(self.base_key.as_bytes())
            .chain_update(self.one_time_key.as_bytes())
            .finalize();
        base64_encode(digest)
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionKeys")
            .field("identity_key", &self.identity_key)
            .field("base_key", &self.base_key)
            .field("one_time_key", &self.one_time_key)
            .finish()
    }
}
