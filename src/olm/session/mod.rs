//! Olm sessions: an encrypted, forward-secret channel between two devices.

mod chain_key;
mod double_ratchet;
mod message_key;
mod receiver_chain;
mod root_key;

use alloc::{string::String, vec::Vec};
use core::fmt;

pub(crate) use chain_key::ChainKey;
pub(crate) use double_ratchet::{
    DoubleRatchet, MAX_RECEIVING_CHAINS, PublicHalf, SendingChain, SendingKey, SkippedKeyLimit,
};
pub(crate) use message_key::MessageKey;
use rand::CryptoRng;
pub(crate) use receiver_chain::{ReceiverChain, SkippedMessageKey};
pub(crate) use root_key::RootKey;

use super::{
    DecryptionError, SessionConfig, SessionKeys,
    messages::{Message, OlmMessage, PreKeyMessage},
};

/// One side of an Olm session.
///
/// Created by [`Account::create_outbound_session`](crate::olm::Account::create_outbound_session)
/// or [`Account::create_inbound_session`](crate::olm::Account::create_inbound_session).
/// Until it has decrypted a message from the other side it sends pre-key
/// messages, so that the other side can create its half.
pub struct Session {
    session_keys: SessionKeys,
    received_message: bool,
    ratchet: DoubleRatchet,
    config: SessionConfig,
}

impl Session {
    pub(crate) fn new(
        config: SessionConfig,
        session_keys: SessionKeys,
        ratchet: DoubleRatchet,
        received_message: bool,
    ) -> Self {
        Self {
            session_keys,
            received_message,
            ratchet,
            config,
        }
    }

    /// The session's id, the same on both sides: unpadded base64 of the
    /// SHA-256 of the initiator's identity key, her base key and the
    /// recipient's one-time key.
    pub fn session_id(&self) -> String {
        self.session_keys.session_id()
    }

    /// The three keys the session was created from.
    pub fn session_keys(&self) -> SessionKeys {
        self.session_keys
    }

    /// Whether `message` belongs to this session: it carries the same three
    /// keys (libolm's `olm_matches_inbound_session`).
    ///
    /// Check this (or compare [`PreKeyMessage::session_id`] with
    /// [`session_id`](Self::session_id)) against the sessions you hold before
    /// calling [`Account::create_inbound_session`]: a pre-key message made
    /// with a fallback key, which is not consumed, opens a new session every
    /// time it is delivered, so a replayed one would decrypt again through a
    /// fresh session. Decrypted by the existing session instead, a replay
    /// fails with [`DecryptionError::MissingMessageKey`].
    ///
    /// [`Account::create_inbound_session`]: crate::olm::Account::create_inbound_session
    pub fn matches_inbound_session(&self, message: &PreKeyMessage) -> bool {
        self.session_keys == message.session_keys()
    }

    /// The protocol variant of the session.
    pub fn session_config(&self) -> SessionConfig {
        self.config
    }

    /// Whether a message from the other side has been decrypted. Until then
    /// `encrypt` produces pre-key messages.
    pub fn has_received_message(&self) -> bool {
        self.received_message
    }

    /// The index of the next message on the sending chain, or `None` before
    /// the session's first ratchet step of its own (a recipient that has not
    /// replied yet).
    pub fn sending_chain_index(&self) -> Option<u32> {
        match self.ratchet.sending() {
            SendingChain::Active { chain_key, .. } => Some(chain_key.index()),
            SendingChain::Inactive { .. } => None,
        }
    }

    /// The double ratchet, for the pickle formats.
    pub(crate) fn ratchet(&self) -> &DoubleRatchet {
        &self.ratchet
    }

    #[cfg(all(test, feature = "libolm-compat"))]
    pub(crate) fn push_skipped_for_tests(&mut self, key: SkippedMessageKey) {
        self.ratchet.push_skipped_for_tests(key);
    }

    /// The next expected index of each receiving chain, newest first, as
    /// libolm's `olm_session_describe` lists them.
    pub fn receiving_chain_indices(&self) -> Vec<u32> {
        self.ratchet.receiving().iter().map(|c| c.chain_key().index()).collect()
    }

    /// The message index of each skipped message key still kept, in the
    /// order libolm's `olm_session_describe` lists them.
    pub fn skipped_message_indices(&self) -> Vec<u32> {
        self.ratchet.skipped().iter().map(|k| k.message_key().index()).collect()
    }

    /// Encrypts `plaintext`, drawing a new ratchet key from the operating
    /// system's generator when the ratchet needs one.
    #[cfg(feature = "std")]
    pub fn encrypt(&mut self, plaintext: impl AsRef<[u8]>) -> OlmMessage {
        self.encrypt_with_rng(plaintext, &mut rand::rng())
    }

    /// Encrypts `plaintext`. Draws 32 bytes from `rng` only when the session
    /// starts a new ratchet step (its first message after receiving on a new
    /// chain, or the recipient's first reply), as libolm does.
    pub fn encrypt_with_rng<R: CryptoRng + ?Sized>(&mut self, plaintext: impl AsRef<[u8]>, rng: &mut R) -> OlmMessage {
        crate::stack::scrubbed(|| {
            let message = self.ratchet.encrypt(self.config, plaintext.as_ref(), rng);
            if self.received_message {
                OlmMessage::Normal(message)
            } else {
                OlmMessage::PreKey(PreKeyMessage::wrap(self.session_keys, message))
            }
        })
    }

    /// Whether the next `encrypt` will draw 32 random bytes.
    pub fn encrypt_needs_randomness(&self) -> bool {
        self.ratchet.needs_new_ratchet_key()
    }

    /// Decrypts a message from the other side.
    ///
    /// On any error the session is left exactly as it was. The keys outside
    /// a pre-key message are not used here: only its inner message, which is
    /// authenticated, is decrypted. A message of the other variant (version
    /// byte 4 in a v1 session, 3 in a v2 one) fails with
    /// [`DecryptionError::InvalidMacLength`] once its message key is found,
    /// as in vodozemac.
    pub fn decrypt(&mut self, message: &OlmMessage) -> Result<Vec<u8>, DecryptionError> {
        crate::stack::scrubbed(|| match message {
            OlmMessage::Normal(message) => self.decrypt_message(message),
            OlmMessage::PreKey(message) => self.decrypt_message(message.message()),
        })
    }

    pub(crate) fn decrypt_message(&mut self, message: &Message) -> Result<Vec<u8>, DecryptionError> {
        let plaintext = self.ratchet.decrypt(self.config, message)?;
        self.received_message = true;
        Ok(plaintext)
    }
}

/// Every secret of the ratchet (root, chain and message keys, our ratchet
/// key) wipes itself when dropped.
impl zeroize::ZeroizeOnDrop for Session {}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.session_id())
            .field("received_message", &self.received_message)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        olm::{Account, OlmMessage, SessionConfig},
        test_rng::Replay,
    };

    /// The sending chain's index counts the messages sent on it, from 0 on
    /// each new chain; a recipient that has not replied has no chain yet.
    #[test]
    fn sending_chain_index_counts_each_message() {
        let mut rng = Replay::blocks(0x11, 12);
        let alice = Account::new_with_rng(&mut rng);
        let mut bob = Account::new_with_rng(&mut rng);
        let otk = bob.generate_one_time_keys_with_rng(1, &mut rng).created[0];
        let mut to_bob = alice
            .create_outbound_session_with_rng(SessionConfig::version_1(), bob.curve25519_key(), otk, &mut rng)
            .unwrap();
        assert_eq!(to_bob.sending_chain_index(), Some(0));
        let OlmMessage::PreKey(first) = to_bob.encrypt_with_rng("0", &mut rng) else {
            unreachable!("a pre-key message")
        };
        to_bob.encrypt_with_rng("1", &mut rng);
        assert_eq!(to_bob.sending_chain_index(), Some(2));
        let mut to_alice = bob
            .create_inbound_session(alice.curve25519_key(), &first)
            .unwrap()
            .session;
        assert_eq!(to_alice.sending_chain_index(), None);
        let reply = to_alice.encrypt_with_rng("reply", &mut rng);
        assert_eq!(to_alice.sending_chain_index(), Some(1));
        to_bob.decrypt(&reply).unwrap();
        // Alice's next message starts a new chain.
        to_bob.encrypt_with_rng("2", &mut rng);
        assert_eq!(to_bob.sending_chain_index(), Some(1));
        assert_eq!(to_bob.session_config(), SessionConfig::version_1());
    }
}
