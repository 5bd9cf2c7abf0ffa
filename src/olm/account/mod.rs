//! A device's long-term Olm identity: its keys, and the sessions it opens.

mod dehydrated;
mod fallback_keys;
mod key_ids;
#[cfg(feature = "hazmat")]
mod libolm_compat;
mod one_time_keys;

use alloc::{collections::BTreeMap, vec::Vec};
use core::fmt;

pub use dehydrated::{DehydratedDeviceError, DehydratedDeviceResult};
pub(crate) use fallback_keys::FallbackKeys;
pub(crate) use key_ids::KeyIds;
pub use key_ids::{LIBOLM_ONE_TIME_KEY_CAPACITY, VODOZEMAC_ONE_TIME_KEY_CAPACITY};
pub(crate) use one_time_keys::{OneTimeKey, OneTimeKeys};
use rand::CryptoRng;

use super::{
    SessionConfig, SessionCreationError, SessionKeys,
    messages::PreKeyMessage,
    session::{DoubleRatchet, Session},
    shared_secret,
};
use crate::{
    Curve25519Keypair, Curve25519PublicKey, Ed25519Keypair, Ed25519PublicKey, Ed25519Signature, KeyError, KeyId,
    pickle::PickleError,
};

/// How many one-time keys a client should keep published on the server:
/// vodozemac's `max_number_of_one_time_keys`, half of libolm's store, so
/// that new keys can be made before published ones are dropped.
pub const PUBLISHED_ONE_TIME_KEYS: usize = 50;

/// A device's two public identity keys, as published in its device keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdentityKeys {
    /// The Ed25519 fingerprint key that signs the device's keys.
    pub ed25519: Ed25519PublicKey,
    /// The Curve25519 key that Olm sessions are bound to.
    pub curve25519: Curve25519PublicKey,
}

/// The keys that [`Account::generate_one_time_keys`] created and the ones it
/// had to drop to stay within the store's capacity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OneTimeKeyGenerationResult {
    /// The new keys, in generation order.
    pub created: Vec<Curve25519PublicKey>,
    /// Older keys dropped from the store, oldest first.
    pub removed: Vec<Curve25519PublicKey>,
}

/// A new inbound session and the plaintext of the pre-key message that
/// created it.
///
/// `Debug` shows the plaintext's length, not its contents.
pub struct InboundCreationResult {
    /// The session.
    pub session: Session,
    /// The decrypted message.
    pub plaintext: Vec<u8>,
}

/// An Olm account: the identity keys of one device, its one-time and
/// fallback keys, and the factory for its sessions.
///
/// Wiped on drop: every secret it holds is.
pub struct Account {
    signing_key: Ed25519Keypair,
    identity_key: Curve25519Keypair,
    one_time_keys: OneTimeKeys,
    fallback_keys: FallbackKeys,
    key_ids: KeyIds,
}

impl Account {
    /// A new account with keys from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new account. Draws 64 bytes, as libolm does: the Ed25519 seed, then
    /// the Curve25519 identity key.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| {
            let signing_key = Ed25519Keypair::new_with_rng(rng);
            let identity_key = Curve25519Keypair::new_with_rng(rng);
            Self {
                signing_key,
                identity_key,
                one_time_keys: OneTimeKeys::default(),
                fallback_keys: FallbackKeys::default(),
                key_ids: KeyIds::Libolm { last: 0 },
            }
        })
    }

    /// A new account that numbers its keys as vodozemac does: 8-byte ids
    /// counted from 0, one counter for one-time keys and one for fallback
    /// keys, and a store of 5000 one-time keys. For an application whose
    /// server already holds keys under vodozemac's ids, or that wants its
    /// account to move to vodozemac and back unchanged; libolm's pickle
    /// cannot hold ids past 2³² − 1.
    #[cfg(feature = "std")]
    pub fn new_with_wide_key_ids() -> Self {
        Self::new_with_wide_key_ids_with_rng(&mut rand::rng())
    }

    /// [`Account::new_with_wide_key_ids`] with the given generator; draws
    /// what [`Account::new_with_rng`] draws.
    pub fn new_with_wide_key_ids_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut account = Self::new_with_rng(rng);
        account.key_ids = KeyIds::Vodozemac {
            next_one_time: 0,
            next_fallback: 0,
        };
        account
    }

    /// An account from stored state, as every pickle format reads it; the
    /// checks that all formats share are made here. One-time keys are
    /// newest first. A key whose id the counters would hand out again, two
    /// keys with one id, or more keys than the scheme stores make the
    /// account invalid rather than one that would reuse an id.
    pub(crate) fn from_stored(
        signing_key: Ed25519Keypair,
        identity_key: Curve25519Keypair,
        one_time_keys: Vec<OneTimeKey>,
        fallback_keys: FallbackKeys,
        key_ids: KeyIds,
    ) -> Result<Self, PickleError> {
        if one_time_keys.len() > key_ids.capacity() {
            return Err(PickleError::Invalid("more one-time keys than the account stores"));
        }
        if !one_time_keys.iter().all(|k| key_ids.has_issued(k.id(), false))
            || !fallback_keys.iter().all(|k| key_ids.has_issued(k.id(), true))
        {
            return Err(PickleError::Invalid(
                "a key's id is not below the key id counter, so a new key would reuse it",
            ));
        }
        let mut ids: Vec<KeyId> = one_time_keys.iter().map(OneTimeKey::id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|pair| pair.first() == pair.last()) {
            return Err(PickleError::Invalid("two one-time keys share an id"));
        }
        Ok(Self {
            signing_key,
            identity_key,
            one_time_keys: OneTimeKeys::from_keys(one_time_keys),
            fallback_keys,
            key_ids,
        })
    }

    /// The Ed25519 key pair, for the pickle formats.
    pub(crate) fn signing_keypair(&self) -> &Ed25519Keypair {
        &self.signing_key
    }

    /// The Curve25519 identity key pair, for the pickle formats.
    pub(crate) fn identity_keypair(&self) -> &Curve25519Keypair {
        &self.identity_key
    }

    /// The stored one-time keys, newest first.
    pub(crate) fn stored_one_time_keys(&self) -> &OneTimeKeys {
        &self.one_time_keys
    }

    /// The current and previous fallback keys.
    pub(crate) fn stored_fallback_keys(&self) -> &FallbackKeys {
        &self.fallback_keys
    }

    /// The key id counters.
    pub(crate) fn key_ids(&self) -> KeyIds {
        self.key_ids
    }

    /// Both public identity keys.
    pub fn identity_keys(&self) -> IdentityKeys {
        IdentityKeys {
            ed25519: self.ed25519_key(),
            curve25519: self.curve25519_key(),
        }
    }

    /// The Ed25519 fingerprint key.
    pub fn ed25519_key(&self) -> Ed25519PublicKey {
        self.signing_key.public_key()
    }

    /// The Curve25519 identity key.
    pub fn curve25519_key(&self) -> Curve25519PublicKey {
        self.identity_key.public()
    }

    /// Signs `message` with the fingerprint key, e.g. canonical JSON of the
    /// device or one-time keys.
    pub fn sign(&self, message: impl AsRef<[u8]>) -> Ed25519Signature {
        crate::stack::scrubbed(|| self.signing_key.sign(message.as_ref()))
    }

    /// How many one-time keys to keep published on the server:
    /// [`PUBLISHED_ONE_TIME_KEYS`] (50, as vodozemac says). The account
    /// stores more ([`one_time_key_capacity`](Self::one_time_key_capacity)),
    /// so that new keys can be made before published ones are dropped.
    pub fn max_number_of_one_time_keys(&self) -> usize {
        PUBLISHED_ONE_TIME_KEYS
    }

    /// How many one-time keys the account stores before it drops the oldest:
    /// [`LIBOLM_ONE_TIME_KEY_CAPACITY`] (100) for accounts created here or
    /// read from libolm, [`VODOZEMAC_ONE_TIME_KEY_CAPACITY`] (5000) for
    /// accounts read from vodozemac.
    pub fn one_time_key_capacity(&self) -> usize {
        self.key_ids.capacity()
    }

    /// Whether the account publishes vodozemac's 8-byte key ids (it was read
    /// from a vodozemac pickle or made by [`Account::new_with_wide_key_ids`])
    /// rather than libolm's 4-byte ones.
    pub fn uses_wide_key_ids(&self) -> bool {
        matches!(self.key_ids, KeyIds::Vodozemac { .. })
    }

    /// How many one-time keys the account holds, published or not.
    pub fn stored_one_time_key_count(&self) -> usize {
        self.one_time_keys.len()
    }

    /// Generates `count` one-time keys from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn generate_one_time_keys(&mut self, count: usize) -> OneTimeKeyGenerationResult {
        self.generate_one_time_keys_with_rng(count, &mut rand::rng())
    }

    /// Generates `count` one-time keys, drawing 32 bytes for each in id
    /// order. Beyond the store's capacity the oldest keys are dropped, as in
    /// libolm.
    pub fn generate_one_time_keys_with_rng<R: CryptoRng + ?Sized>(
        &mut self,
        count: usize,
        rng: &mut R,
    ) -> OneTimeKeyGenerationResult {
        crate::stack::scrubbed(|| {
            let mut result = OneTimeKeyGenerationResult::default();
            let capacity = self.key_ids.capacity();
            for _ in 0..count {
                let key = OneTimeKey::new(
                    self.key_ids.next_one_time(),
                    false,
                    Curve25519Keypair::new_with_rng(rng),
                );
                result.created.push(key.public_key());
                if let Some(removed) = self.one_time_keys.insert(key, capacity) {
                    result.removed.push(removed.public_key());
                }
            }
            result
        })
    }

    /// The one-time keys not yet published, by id.
    pub fn one_time_keys(&self) -> BTreeMap<KeyId, Curve25519PublicKey> {
        self.one_time_keys.unpublished()
    }

    /// Marks every one-time key and the current fallback key as published,
    /// after they were uploaded.
    pub fn mark_keys_as_published(&mut self) {
        self.one_time_keys.mark_as_published();
        self.fallback_keys.mark_as_published();
    }

    /// Generates a new fallback key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn generate_fallback_key(&mut self) -> Option<Curve25519PublicKey> {
        self.generate_fallback_key_with_rng(&mut rand::rng())
    }

    /// Generates a new fallback key (32 random bytes). The current one stays
    /// usable as the previous key; the one before it is dropped and returned.
    pub fn generate_fallback_key_with_rng<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
    ) -> Option<Curve25519PublicKey> {
        crate::stack::scrubbed(|| {
            let key = OneTimeKey::new(
                self.key_ids.next_fallback(),
                false,
                Curve25519Keypair::new_with_rng(rng),
            );
            self.fallback_keys.rotate(key).map(|removed| removed.public_key())
        })
    }

    /// The current fallback key if it has not been published yet.
    pub fn fallback_key(&self) -> BTreeMap<KeyId, Curve25519PublicKey> {
        self.fallback_keys.unpublished()
    }

    /// The current fallback key, published or not (libolm's deprecated
    /// `olm_account_fallback_key`). Clients upload only
    /// [`fallback_key`](Self::fallback_key)'s.
    pub fn current_fallback_key(&self) -> Option<(KeyId, Curve25519PublicKey)> {
        self.fallback_keys.current().map(|k| (k.id(), k.public_key()))
    }

    /// Forgets the previous fallback key, once sessions made with it are no
    /// longer expected. Returns whether there was one.
    pub fn forget_fallback_key(&mut self) -> bool {
        self.fallback_keys.forget_previous()
    }

    /// Opens a session to another device from its identity key and one of
    /// its one-time (or fallback) keys, with the operating system's generator.
    #[cfg(feature = "std")]
    pub fn create_outbound_session(
        &self,
        session_config: SessionConfig,
        identity_key: Curve25519PublicKey,
        one_time_key: Curve25519PublicKey,
    ) -> Result<Session, SessionCreationError> {
        self.create_outbound_session_with_rng(session_config, identity_key, one_time_key, &mut rand::rng())
    }

    /// Opens a session to another device. Draws 64 bytes, as libolm does: the
    /// base key, then the first ratchet key. Fails if either of their keys is
    /// a low-order point.
    pub fn create_outbound_session_with_rng<R: CryptoRng + ?Sized>(
        &self,
        session_config: SessionConfig,
        identity_key: Curve25519PublicKey,
        one_time_key: Curve25519PublicKey,
        rng: &mut R,
    ) -> Result<Session, SessionCreationError> {
        crate::stack::scrubbed(|| {
            let base_key = Curve25519Keypair::new_with_rng(rng);
            let ratchet_key = Curve25519Keypair::new_with_rng(rng);
            let (root_key, chain_key) = shared_secret::alice(
                self.identity_key.secret(),
                base_key.secret(),
                &identity_key,
                &one_time_key,
            )?;
            let session_keys = SessionKeys {
                identity_key: self.identity_key.public(),
                base_key: base_key.public(),
                one_time_key,
            };
            Ok(Session::new(
                session_config,
                session_keys,
                DoubleRatchet::alice(root_key, chain_key, ratchet_key),
                false,
            ))
        })
    }

    /// Creates the Olm v1 session a pre-key message opens and decrypts the
    /// message.
    ///
    /// `their_identity_key` is the sender's Curve25519 key as the caller knows
    /// it (from the event's `sender_key`); the message must claim the same.
    /// This is atomic: the message is decrypted first, and only then is the
    /// one-time key consumed (fallback keys are kept). On any error the
    /// account is unchanged.
    ///
    /// A pre-key message of Olm v2 is refused with
    /// [`SessionCreationError::MismatchedSessionConfig`]; accept one with
    /// [`create_inbound_session_with_config`](Self::create_inbound_session_with_config).
    pub fn create_inbound_session(
        &mut self,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<InboundCreationResult, SessionCreationError> {
        self.create_inbound_session_with_config(SessionConfig::version_1(), their_identity_key, pre_key_message)
    }

    /// As [`create_inbound_session`](Self::create_inbound_session), for a
    /// session of the variant `expected` (vodozemac's
    /// `create_inbound_session`).
    ///
    /// The variant is read from the version of the message inside the
    /// pre-key message (3 for v1, 4 for v2; the pre-key message's own
    /// version is 3 in both). If it is not `expected`, the error is
    /// [`SessionCreationError::MismatchedSessionConfig`], checked after the
    /// identity key and before anything is derived: a sender cannot choose
    /// the variant for the recipient.
    pub fn create_inbound_session_with_config(
        &mut self,
        expected: SessionConfig,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<InboundCreationResult, SessionCreationError> {
        crate::stack::scrubbed(|| {
            let mut session = self.inbound_session(expected, their_identity_key, pre_key_message)?;
            let plaintext = session
                .decrypt_message(pre_key_message.message())
                .map_err(SessionCreationError::Decryption)?;

            self.one_time_keys.remove(&pre_key_message.one_time_key());
            Ok(InboundCreationResult { session, plaintext })
        })
    }

    /// The session a pre-key message opens, before its message is
    /// decrypted: nothing in it is authenticated yet and nothing in the
    /// account changes.
    fn inbound_session(
        &self,
        expected: SessionConfig,
        their_identity_key: Curve25519PublicKey,
        pre_key_message: &PreKeyMessage,
    ) -> Result<Session, SessionCreationError> {
        let session_keys = pre_key_message.session_keys();
        if session_keys.identity_key != their_identity_key {
            return Err(SessionCreationError::MismatchedIdentityKey {
                expected: their_identity_key,
                got: session_keys.identity_key,
            });
        }
        let config = pre_key_message.message().config();
        if config != expected {
            return Err(SessionCreationError::MismatchedSessionConfig { expected, got: config });
        }
        let one_time_key = self
            .one_time_keys
            .get(&session_keys.one_time_key)
            .or_else(|| self.fallback_keys.get(&session_keys.one_time_key))
            .ok_or(SessionCreationError::MissingOneTimeKey(session_keys.one_time_key))?;

        let (root_key, chain_key) = shared_secret::bob(
            self.identity_key.secret(),
            one_time_key.keypair().secret(),
            &session_keys.identity_key,
            &session_keys.base_key,
        )?;
        let their_ratchet_key = pre_key_message.message().ratchet_key();
        if their_ratchet_key.is_low_order() {
            return Err(KeyError::NonContributoryKey.into());
        }
        let ratchet = DoubleRatchet::bob(root_key, chain_key, their_ratchet_key);
        Ok(Session::new(config, session_keys, ratchet, false))
    }
}

#[cfg(feature = "std")]
impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InboundCreationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboundCreationResult")
            .field("session", &self.session)
            .field("plaintext_len", &self.plaintext.len())
            .finish()
    }
}

/// Every secret key the account holds wipes itself when dropped.
impl zeroize::ZeroizeOnDrop for Account {}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("identity_keys", &self.identity_keys())
            .field("one_time_keys", &self.one_time_keys.len())
            .finish_non_exhaustive()
    }
}
