//! The sender's side of a Megolm session.

use alloc::string::String;
use core::fmt;

use rand::CryptoRng;
use zeroize::ZeroizeOnDrop;

use super::{
    MegolmMessage, SessionConfig, SessionKey,
    ratchet::{RATCHET_LEN, Ratchet},
};
use crate::{Ed25519Keypair, Ed25519PublicKey, types::SecretBox};

/// An outbound Megolm session: the ratchet and signing key with which one
/// sender encrypts its messages to a room.
///
/// Share [`session_key`](Self::session_key) with every member over Olm
/// before sending; each member builds an
/// [`InboundGroupSession`](super::InboundGroupSession) from it. Rotate the
/// session regularly (Matrix clients do so weekly or every 100 messages):
/// anyone who learns the ratchet can read every later message.
///
/// Wiped on drop.
pub struct GroupSession {
    ratchet: Ratchet,
    signing_key: Ed25519Keypair,
    config: SessionConfig,
}

impl GroupSession {
    /// A new session with keys from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new(config: SessionConfig) -> Self {
        Self::new_with_rng(config, &mut rand::rng())
    }

    /// A new session. Draws 160 bytes, in libolm's order: the ratchet
    /// `R0‖R1‖R2‖R3` (128), then the Ed25519 seed (32).
    pub fn new_with_rng<R: CryptoRng + ?Sized>(config: SessionConfig, rng: &mut R) -> Self {
        crate::stack::scrubbed(|| {
            let mut bytes = SecretBox::<RATCHET_LEN>::zeroed();
            rng.fill_bytes(bytes.as_mut_bytes());
            // Kept expanded: a session signs every message it sends.
            let signing_key = Ed25519Keypair::new_with_rng(rng).into_expanded();
            Self {
                ratchet: Ratchet::new(bytes, 0),
                signing_key,
                config,
            }
        })
    }

    /// The session id: the signing key in unpadded base64. Matrix events name
    /// the session by it.
    pub fn session_id(&self) -> String {
        self.signing_key.public_key().to_base64()
    }

    /// The session's Ed25519 signing key, which receivers check every message
    /// against.
    pub fn signing_key(&self) -> Ed25519PublicKey {
        self.signing_key.public_key()
    }

    /// The index the next message will be encrypted at: the number of
    /// messages sent so far, modulo 2^32.
    pub fn message_index(&self) -> u32 {
        self.ratchet.index()
    }

    /// The protocol variant.
    pub fn session_config(&self) -> SessionConfig {
        self.config
    }

    /// Encrypts `plaintext` at the current index, then advances the ratchet
    /// so no key is used twice. The index wraps from `2^32 − 1` to 0 as in
    /// libolm; rotate the session long before that.
    pub fn encrypt(&mut self, plaintext: impl AsRef<[u8]>) -> MegolmMessage {
        crate::stack::scrubbed(|| {
            let message = MegolmMessage::encrypt(
                self.config,
                &self.ratchet.cipher_keys(),
                &self.signing_key,
                self.ratchet.index(),
                plaintext.as_ref(),
            );
            self.ratchet.advance();
            message
        })
    }

    /// The signed key that lets a receiver decrypt from the current index
    /// on; earlier messages stay unreadable to it.
    pub fn session_key(&self) -> SessionKey {
        crate::stack::scrubbed(|| SessionKey::sign(&self.ratchet, &self.signing_key))
    }

    /// The ratchet, for the sender's own inbound session.
    pub(crate) fn ratchet(&self) -> &Ratchet {
        &self.ratchet
    }

    /// The signing key pair, for pickles.
    pub(crate) fn signing_key_pair(&self) -> &Ed25519Keypair {
        &self.signing_key
    }

    /// A session from stored parts (pickles, tests).
    pub(crate) fn from_parts(ratchet: Ratchet, signing_key: Ed25519Keypair, config: SessionConfig) -> Self {
        Self {
            ratchet,
            signing_key: signing_key.into_expanded(),
            config,
        }
    }
}

/// Access for tests that need a session at a given index or its secret key.
#[cfg(test)]
impl GroupSession {
    pub(crate) fn ratchet_mut_for_tests(&mut self) -> &mut Ratchet {
        &mut self.ratchet
    }

    pub(crate) fn signing_key_pair_for_tests(&self) -> &Ed25519Keypair {
        &self.signing_key
    }
}

impl ZeroizeOnDrop for GroupSession {}

#[cfg(feature = "std")]
impl Default for GroupSession {
    /// A new version 1 session with keys from the operating system's
    /// generator.
    fn default() -> Self {
        Self::new(SessionConfig::default())
    }
}

impl fmt::Debug for GroupSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupSession")
            .field("session_id", &self.signing_key.public_key())
            .field("message_index", &self.ratchet.index())
            .finish_non_exhaustive()
    }
}
