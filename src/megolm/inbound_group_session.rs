//! A receiver's side of a Megolm session.

use alloc::{string::String, vec::Vec};
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::{
    DecryptionError, ExportedSessionKey, GroupSession, MegolmMessage, SessionConfig, SessionKey,
    ratchet::{self, RATCHET_LEN, Ratchet},
};
use crate::{Ed25519PublicKey, Ed25519Signature, pickle::PickleError};

/// How far ahead of its first known index a session reaches: half the index
/// space, as in libolm. An index `i` is known when `i − first` (modulo 2^32)
/// is below this, so a session that starts near `2^32` keeps decrypting after
/// the index wraps to 0, and an index just below the first one is recognised
/// as earlier rather than as 4 billion messages ahead.
const WINDOW: u32 = 1 << 31;

/// How two inbound sessions with the same id relate, from the point of view
/// of the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionOrdering {
    /// Same ratchet at the same first known index.
    Equal,
    /// The same session, and this one knows more of its history (a lower
    /// first known index): keep this one.
    Better,
    /// The same session, and the other one knows more of its history.
    Worse,
    /// Not the same session: different signing keys, different protocol
    /// variants, or ratchets that do not lead to one another. One of the two
    /// keys is forged or corrupt; do not merge them.
    Unconnected,
}

/// A decrypted message.
///
/// `Debug` shows the plaintext's length, not its contents, so that logging
/// a result does not log the message.
#[derive(Clone, PartialEq, Eq)]
pub struct DecryptedMessage {
    /// The plaintext.
    pub plaintext: Vec<u8>,
    /// The index the message was encrypted at. Reject a second message with
    /// the same index in the same session: it is a replay (see
    /// [`ReplayGuard`](super::ReplayGuard)).
    pub message_index: u32,
}

/// An inbound Megolm session: what a room member needs to decrypt and
/// authenticate one sender's messages.
///
/// It keeps the earliest ratchet it knows, which decrypts every later
/// message, and a cache of the latest ratchet it used, so that messages read
/// in order cost one ratchet step each. Decryption never changes what the
/// session can decrypt; only [`advance_to`](Self::advance_to) forgets
/// history.
///
/// Wiped on drop.
pub struct InboundGroupSession {
    initial: Ratchet,
    latest: Ratchet,
    signing_key: Ed25519PublicKey,
    verified: bool,
    config: SessionConfig,
}

impl InboundGroupSession {
    /// A session from a [`SessionKey`] received from its sender over Olm.
    ///
    /// The key's signature was checked when it was decoded, so the session
    /// counts as [verified](Self::is_verified).
    pub fn new(key: &SessionKey, config: SessionConfig) -> Self {
        crate::stack::scrubbed(|| Self::from_ratchet(key.ratchet(), key.signing_key(), true, config))
    }

    /// A session from an [`ExportedSessionKey`]: a key backup, a forwarded
    /// key or a late joiner's share.
    ///
    /// Exports are not signed, so the session is not
    /// [verified](Self::is_verified): its messages are only as authentic as
    /// the source of the export is trustworthy.
    pub fn import(key: &ExportedSessionKey, config: SessionConfig) -> Self {
        crate::stack::scrubbed(|| Self::from_ratchet(key.ratchet(), key.signing_key(), false, config))
    }

    /// A session from stored state, as every pickle format reads it.
    /// `latest` is the cache of the newest ratchet used, if the format keeps
    /// one: it must be the initial ratchet advanced to its index, within the
    /// window, or the session would decrypt differently from the same key.
    pub(crate) fn from_stored(
        initial: Ratchet,
        latest: Option<Ratchet>,
        signing_key: Ed25519PublicKey,
        verified: bool,
        config: SessionConfig,
    ) -> Result<Self, PickleError> {
        let session = Self::from_ratchet(initial, signing_key, verified, config);
        let Some(latest) = latest else {
            return Ok(session);
        };
        if session.offset(latest.index()).is_none() {
            return Err(PickleError::Invalid("the latest ratchet is behind the initial one"));
        }
        let expected = Self::advanced_copy(&session.initial, latest.index());
        // Whether a stored pickle is consistent is public: a reader is told.
        if !crate::ct::public_bool(bool::from(expected.as_slice().ct_eq(latest.as_bytes()))) {
            return Err(PickleError::Invalid(
                "the latest ratchet does not follow from the initial one",
            ));
        }
        Ok(Self { latest, ..session })
    }

    /// The earliest ratchet the session knows, for the pickle formats.
    pub(crate) fn initial_ratchet(&self) -> &Ratchet {
        &self.initial
    }

    /// The cached newest ratchet, for the pickle formats.
    #[cfg(feature = "libolm-compat")]
    pub(crate) fn latest_ratchet(&self) -> &Ratchet {
        &self.latest
    }

    fn from_ratchet(initial: Ratchet, signing_key: Ed25519PublicKey, verified: bool, config: SessionConfig) -> Self {
        Self {
            latest: initial.clone(),
            initial,
            signing_key,
            verified,
            config,
        }
    }

    /// The session id: the signing key in unpadded base64.
    pub fn session_id(&self) -> String {
        self.signing_key.to_base64()
    }

    /// The key that every message of this session must be signed with.
    pub fn signing_key(&self) -> Ed25519PublicKey {
        self.signing_key
    }

    /// The index of the earliest message this session can decrypt.
    pub fn first_known_index(&self) -> u32 {
        self.initial.index()
    }

    /// The protocol variant.
    pub fn session_config(&self) -> SessionConfig {
        self.config
    }

    /// Whether the signing key is known to be the sender's: true for a
    /// session made from a signed [`SessionKey`] (or merged with one), false
    /// for an import.
    ///
    /// Unlike libolm, and like vodozemac, a successful decryption does not
    /// set this: the messages are signed by the key the export named, so
    /// decrypting them proves only that the export is self-consistent, not
    /// who made it.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// How far `index` lies after the first known index, modulo 2^32, if it
    /// is within the session's reach.
    fn offset(&self, index: u32) -> Option<u32> {
        let offset = index.wrapping_sub(self.initial.index());
        (offset < WINDOW).then_some(offset)
    }

    /// The cached ratchet nearest below `index`, and whether `index` is
    /// ahead of the latest cache. `offset` is `index`'s offset.
    fn start_for(&self, offset: u32) -> (&Ratchet, bool) {
        let latest = self.latest.index().wrapping_sub(self.initial.index());
        if offset >= latest {
            (&self.latest, offset > latest)
        } else {
            (&self.initial, false)
        }
    }

    /// Copies `from` into a wiped stack buffer and advances it to `index`.
    fn advanced_copy(from: &Ratchet, index: u32) -> Zeroizing<[u8; RATCHET_LEN]> {
        let mut bytes = Zeroizing::new([0u8; RATCHET_LEN]);
        bytes.copy_from_slice(from.as_bytes());
        let mut at = from.index();
        ratchet::advance_to(&mut bytes, &mut at, index);
        bytes
    }

    /// Checks and decrypts a message.
    ///
    /// In order: the Ed25519 signature over the bytes as received, whether
    /// the index is known, the MAC over the bytes as received, then the
    /// ciphertext. On any failure the session is unchanged. On success the
    /// latest-ratchet cache moves forward if the message is the newest yet.
    ///
    /// Megolm does not detect replays: check the returned index against the
    /// ones already accepted for this session.
    pub fn decrypt(&mut self, message: &MegolmMessage) -> Result<DecryptedMessage, DecryptionError> {
        crate::stack::scrubbed(|| {
            let (signed, signature) = message.signature_parts();
            self.signing_key
                .verify_bytes(signed, signature)
                .map_err(|_| DecryptionError::Signature)?;

            let index = message.message_index();
            let offset = self
                .offset(index)
                .ok_or(DecryptionError::UnknownMessageIndex(self.first_known_index(), index))?;
            let (start, ahead) = self.start_for(offset);
            let bytes = Self::advanced_copy(start, index);
            let decrypted = Self::decrypt_at(self.config, &bytes, message)?;
            if ahead {
                self.latest.set(&bytes, index);
            }
            Ok(decrypted)
        })
    }

    /// Decrypts many messages of this session at once, such as a room's
    /// history, returning one result per message, in order.
    ///
    /// Each result is exactly what [`decrypt`](Self::decrypt) would return
    /// for that message, errors included, and the session ends up as it
    /// would after decrypting the messages one by one in any order: each
    /// message succeeds or fails on its own, and the latest-ratchet cache
    /// moves to the newest message that decrypted.
    ///
    /// It is faster than a loop over `decrypt` in two ways. The signatures
    /// are checked together with Ed25519 batch verification, after the
    /// checks that strict verification makes per signature (`S < ℓ`, `R`
    /// canonical and not of small order); a batch that fails is verified
    /// again one signature at a time, so a bad message fails alone. And the
    /// ratchet is advanced once through the messages sorted by index rather
    /// than from a cached ratchet for each.
    ///
    /// Batch verification is not bit-for-bit strict verification: a
    /// signature whose `R` carries a small torsion component can pass the
    /// batch and fail `decrypt`. Making one takes the session's signing
    /// secret, so only the sender itself can, and it can sign anything
    /// anyway; see docs/security.md, "Batch verification (Megolm history)".
    pub fn decrypt_batch(&mut self, messages: &[MegolmMessage]) -> Vec<Result<DecryptedMessage, DecryptionError>> {
        crate::stack::scrubbed(|| {
            let signed: Vec<(&[u8], &[u8; Ed25519Signature::LENGTH])> =
                messages.iter().map(MegolmMessage::signature_parts).collect();
            let verdicts = self.signing_key.verify_many(&signed);

            let mut results: Vec<Result<DecryptedMessage, DecryptionError>> = Vec::with_capacity(messages.len());
            // (offset, position) of the messages to decrypt.
            let mut pending: Vec<(u32, usize)> = Vec::with_capacity(messages.len());
            for (position, (message, valid)) in messages.iter().zip(verdicts).enumerate() {
                let index = message.message_index();
                let result = if !valid {
                    Err(DecryptionError::Signature)
                } else if let Some(offset) = self.offset(index) {
                    pending.push((offset, position));
                    // Replaced below.
                    Err(DecryptionError::InvalidMac)
                } else {
                    Err(DecryptionError::UnknownMessageIndex(self.first_known_index(), index))
                };
                results.push(result);
            }
            pending.sort_unstable();

            // One ratchet walks up through the sorted messages; it starts from
            // (or jumps to) the latest cache when that is nearer.
            let mut work = Zeroizing::new([0u8; RATCHET_LEN]);
            let mut work_index = self.initial.index();
            let mut work_offset: Option<u32> = None;
            for (offset, position) in pending {
                let (Some(message), Some(result)) = (messages.get(position), results.get_mut(position)) else {
                    continue;
                };
                let latest_offset = self.latest.index().wrapping_sub(self.initial.index());
                let from_latest = latest_offset <= offset && work_offset.is_none_or(|at| at < latest_offset);
                if from_latest {
                    work.copy_from_slice(self.latest.as_bytes());
                    work_index = self.latest.index();
                } else if work_offset.is_none() {
                    work.copy_from_slice(self.initial.as_bytes());
                    work_index = self.initial.index();
                }
                let index = message.message_index();
                ratchet::advance_to(&mut work, &mut work_index, index);
                work_offset = Some(offset);

                *result = Self::decrypt_at(self.config, &work, message);
                if result.is_ok() && offset > latest_offset {
                    self.latest.set(&work, index);
                }
            }
            results
        })
    }

    /// The MAC check and decryption of `message` with the ratchet at its
    /// index, in a session of the variant `config`. A message of the other
    /// variant is refused by its MAC's length, after the signature and the
    /// index, as vodozemac refuses it.
    fn decrypt_at(
        config: SessionConfig,
        bytes: &[u8; RATCHET_LEN],
        message: &MegolmMessage,
    ) -> Result<DecryptedMessage, DecryptionError> {
        if message.config() != config {
            return Err(DecryptionError::InvalidMacLength {
                expected: config.mac_len(),
                got: message.config().mac_len(),
            });
        }
        let keys = ratchet::cipher_keys(bytes);
        let (authenticated, mac) = message.mac_parts();
        keys.verify_truncated_mac(authenticated, mac)
            .map_err(|_| DecryptionError::InvalidMac)?;
        let plaintext = keys
            .decrypt(message.ciphertext())
            .map_err(|_| DecryptionError::InvalidPadding)?;
        Ok(DecryptedMessage {
            plaintext,
            message_index: message.message_index(),
        })
    }

    /// The session's ratchet at `index`, for sharing with another member or a
    /// backup; `None` if `index` is before the first known index (or 2^31
    /// or more after it).
    ///
    /// Exporting at a later index than the first known one withholds the
    /// earlier messages from the recipient.
    pub fn export_at(&self, index: u32) -> Option<ExportedSessionKey> {
        crate::stack::scrubbed(|| {
            let offset = self.offset(index)?;
            let (start, _) = self.start_for(offset);
            let mut ratchet = start.clone();
            ratchet.advance_to(index);
            Some(ExportedSessionKey::new(ratchet, self.signing_key))
        })
    }

    /// The session's earliest ratchet: everything it can decrypt.
    pub fn export_at_first_known_index(&self) -> ExportedSessionKey {
        ExportedSessionKey::new(self.initial.clone(), self.signing_key)
    }

    /// Forgets every message before `index`, for forward secrecy: after this
    /// the session cannot decrypt them, nor can anything exported from it.
    ///
    /// Returns `false`, changing nothing, if `index` is not after the first
    /// known index.
    pub fn advance_to(&mut self, index: u32) -> bool {
        crate::stack::scrubbed(|| {
            let Some(offset) = self.offset(index).filter(|&offset| offset > 0) else {
                return false;
            };
            let (start, _) = self.start_for(offset);
            let bytes = Self::advanced_copy(start, index);
            let behind = self.offset(self.latest.index()).is_some_and(|latest| latest < offset);
            self.initial.set(&bytes, index);
            if behind {
                self.latest.set(&bytes, index);
            }
            true
        })
    }

    /// Whether `other` is the same session, possibly known from another
    /// index: same signing key and variant, and the earlier ratchet, advanced
    /// to the later one's index, equals it. The ratchets are compared in
    /// constant time.
    pub fn connected(&self, other: &Self) -> bool {
        self.compare(other) != SessionOrdering::Unconnected
    }

    /// How this session relates to `other`, which should carry the same
    /// session id; see [`SessionOrdering`].
    pub fn compare(&self, other: &Self) -> SessionOrdering {
        if self.config != other.config || self.signing_key != other.signing_key {
            return SessionOrdering::Unconnected;
        }
        let (earlier, later, ordering) = if let Some(offset) = self.offset(other.first_known_index()) {
            let ordering = if offset == 0 {
                SessionOrdering::Equal
            } else {
                SessionOrdering::Better
            };
            (self, other, ordering)
        } else if other.offset(self.first_known_index()).is_some() {
            (other, self, SessionOrdering::Worse)
        } else {
            // Exactly 2^31 apart: neither reaches the other.
            return SessionOrdering::Unconnected;
        };
        let target = later.first_known_index();
        let offset = earlier.offset(target).unwrap_or_default();
        let (start, _) = earlier.start_for(offset);
        let bytes = Self::advanced_copy(start, target);
        if bool::from(bytes.as_slice().ct_eq(later.initial.as_bytes())) {
            ordering
        } else {
            SessionOrdering::Unconnected
        }
    }

    /// Combines two copies of the same session into the best of both: the
    /// ratchet that knows the most history, verified if either copy was.
    /// `None` if the sessions are not [connected](Self::connected).
    ///
    /// Useful when a session arrives twice, e.g. as a signed key at index 10
    /// and as an unsigned export at index 0: the merge decrypts from 0 and
    /// is verified, because the signed key vouches for the signing key and
    /// the export provably leads to the same ratchet.
    pub fn merge(&self, other: &Self) -> Option<Self> {
        crate::stack::scrubbed(|| {
            let best = match self.compare(other) {
                SessionOrdering::Equal | SessionOrdering::Better => self,
                SessionOrdering::Worse => other,
                SessionOrdering::Unconnected => return None,
            };
            Some(Self {
                initial: best.initial.clone(),
                latest: best.latest.clone(),
                signing_key: best.signing_key,
                verified: self.verified || other.verified,
                config: best.config,
            })
        })
    }
}

impl From<&GroupSession> for InboundGroupSession {
    /// The sender's own inbound session, to read back what it sent. Verified,
    /// since the sender holds the signing key.
    fn from(session: &GroupSession) -> Self {
        Self::from_ratchet(
            session.ratchet().clone(),
            session.signing_key(),
            true,
            session.session_config(),
        )
    }
}

impl fmt::Debug for DecryptedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptedMessage")
            .field("plaintext_len", &self.plaintext.len())
            .field("message_index", &self.message_index)
            .finish()
    }
}

impl ZeroizeOnDrop for InboundGroupSession {}

impl fmt::Debug for InboundGroupSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboundGroupSession")
            .field("session_id", &self.signing_key)
            .field("first_known_index", &self.initial.index())
            .field("verified", &self.verified)
            .finish_non_exhaustive()
    }
}

/// Test access to the cache, to check that decryption moves it as intended.
#[cfg(test)]
impl InboundGroupSession {
    pub(crate) fn latest_index(&self) -> u32 {
        self.latest.index()
    }
}
