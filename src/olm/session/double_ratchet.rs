//! The double ratchet: one sending chain, up to five receiving chains, and
//! the skipped message keys (docs/olm.md, "The Olm Algorithm").
//!
//! Decryption is transactional: everything a message would change is
//! computed first, the MAC is checked, and only then is the state updated.
//! A message that fails leaves the ratchet exactly as it was.

use alloc::vec::Vec;

use rand::CryptoRng;

use super::{
    ChainKey, MessageKey, RootKey,
    receiver_chain::{ChainAdvance, MAX_SKIPPED_MESSAGE_KEYS, ReceiverChain, SkippedMessageKey},
};
use crate::{
    Curve25519Keypair, Curve25519PublicKey, Curve25519SecretKey,
    olm::{DecryptionError, SessionConfig, messages::Message},
    pickle::PickleError,
};

/// How many receiving chains a session keeps, oldest dropped first (libolm's
/// `MAX_RECEIVER_CHAINS`).
pub(crate) const MAX_RECEIVING_CHAINS: usize = 5;

/// Our current ratchet key. Its public half is only needed to send, so a
/// session restored from our pickle, which stores the secret alone, derives
/// it at its next message rather than when it is loaded (a scalar
/// multiplication that loading sessions to decrypt would pay for nothing).
pub(crate) struct SendingKey {
    secret: Curve25519SecretKey,
    public: PublicHalf,
}

/// What is known of a sending key's public half.
#[derive(Clone, Copy)]
pub(crate) enum PublicHalf {
    /// Not derived yet (a session loaded from our pickle).
    Unknown,
    /// Derived from the secret here.
    Derived(Curve25519PublicKey),
    /// As a libolm pickle stored it, unchecked, as libolm uses it: checking
    /// would cost a scalar multiplication per load. Our pickle stores it
    /// too, so both formats give it back unchanged.
    Stored(Curve25519PublicKey),
}

impl SendingKey {
    /// A key whose public half is derived when first needed.
    pub(crate) fn from_secret(secret: Curve25519SecretKey) -> Self {
        Self {
            secret,
            public: PublicHalf::Unknown,
        }
    }

    /// The public key, derived now if it was not known.
    /// A key whose public half was stored beside it (libolm keeps it so)
    /// and is kept as stored, unchecked.
    pub(crate) fn with_stored_public(secret: Curve25519SecretKey, public: Curve25519PublicKey) -> Self {
        Self {
            secret,
            public: PublicHalf::Stored(public),
        }
    }

    pub(crate) fn secret(&self) -> &Curve25519SecretKey {
        &self.secret
    }

    /// How the public half is known.
    pub(crate) fn public_half(&self) -> PublicHalf {
        self.public
    }

    pub(crate) fn public_key(&self) -> Curve25519PublicKey {
        match self.public {
            PublicHalf::Derived(public) | PublicHalf::Stored(public) => public,
            PublicHalf::Unknown => self.secret.public_key(),
        }
    }

    /// The public key, derived once and kept.
    fn cached_public_key(&mut self) -> Curve25519PublicKey {
        let public = self.public_key();
        if let PublicHalf::Unknown = self.public {
            self.public = PublicHalf::Derived(public);
        }
        public
    }
}

impl From<Curve25519Keypair> for SendingKey {
    fn from(pair: Curve25519Keypair) -> Self {
        Self {
            public: PublicHalf::Derived(pair.public()),
            secret: pair.into_secret(),
        }
    }
}

/// Our side of the current ratchet step.
pub(crate) enum SendingChain {
    Active {
        ratchet_key: SendingKey,
        chain_key: ChainKey,
        /// The ratchet key of theirs this chain answers (vodozemac's
        /// `parent_ratchet_key`); none for a session's first chain and for
        /// chains read from libolm, which does not record it.
        parent: Option<Curve25519PublicKey>,
    },
    /// We have received on a new chain since we last sent: the next message
    /// starts a new step against this key of theirs.
    Inactive { their_ratchet_key: Curve25519PublicKey },
}

/// The state of the double ratchet.
pub(crate) struct DoubleRatchet {
    root_key: RootKey,
    sending: SendingChain,
    /// How many ratchet steps the session has taken (vodozemac's
    /// `ratchet_count` of its sending ratchet), if known.
    steps: Option<u64>,
    /// Newest first.
    receiving: Vec<ReceiverChain>,
    /// Newest first.
    skipped: Vec<SkippedMessageKey>,
    limit: SkippedKeyLimit,
}

/// How many skipped message keys a session keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SkippedKeyLimit {
    /// libolm's: 40 in all, oldest dropped first. Sessions made here and
    /// read from libolm use it.
    Total,
    /// vodozemac's: 40 per receiving chain (so up to 200), the chain's
    /// oldest dropped first. Sessions read from vodozemac keep it.
    PerChain,
}

impl SkippedKeyLimit {
    /// The most keys a session under this limit can hold.
    pub(crate) fn max_keys(self) -> usize {
        match self {
            Self::Total => MAX_SKIPPED_MESSAGE_KEYS,
            Self::PerChain => MAX_SKIPPED_MESSAGE_KEYS * MAX_RECEIVING_CHAINS,
        }
    }
}

impl DoubleRatchet {
    /// The initiator's ratchet: she sends first, on the chain from the triple
    /// Diffie-Hellman, under a fresh ratchet key.
    pub(crate) fn alice(root_key: RootKey, chain_key: ChainKey, ratchet_key: Curve25519Keypair) -> Self {
        Self {
            root_key,
            sending: SendingChain::Active {
                ratchet_key: ratchet_key.into(),
                chain_key,
                parent: None,
            },
            steps: Some(0),
            receiving: Vec::new(),
            skipped: Vec::new(),
            limit: SkippedKeyLimit::Total,
        }
    }

    /// The recipient's ratchet: he receives on that chain under her ratchet
    /// key, and starts a step of his own when he first replies.
    ///
    /// `their_ratchet_key` must not be a low-order point: a reply would then
    /// derive its keys from an all-zero secret.
    pub(crate) fn bob(root_key: RootKey, chain_key: ChainKey, their_ratchet_key: Curve25519PublicKey) -> Self {
        Self {
            root_key,
            sending: SendingChain::Inactive { their_ratchet_key },
            steps: Some(0),
            receiving: alloc::vec![ReceiverChain::new(their_ratchet_key, chain_key, Some(0))],
            skipped: Vec::new(),
            limit: SkippedKeyLimit::Total,
        }
    }

    /// A ratchet from stored state, as every pickle format reads it, with
    /// the checks they share. `sending` is `None` when the session has no
    /// sending chain: the next message then starts a step against the
    /// newest receiving chain, whose key must allow a contributory
    /// exchange. Chains and skipped keys are newest first.
    pub(crate) fn from_stored(
        root_key: RootKey,
        sending: Option<(SendingKey, ChainKey, Option<Curve25519PublicKey>)>,
        steps: Option<u64>,
        receiving: Vec<ReceiverChain>,
        skipped: Vec<SkippedMessageKey>,
        limit: SkippedKeyLimit,
    ) -> Result<Self, PickleError> {
        if receiving.len() > MAX_RECEIVING_CHAINS {
            return Err(PickleError::Invalid("more than five receiving chains"));
        }
        if skipped.len() > limit.max_keys() {
            return Err(PickleError::Invalid("more skipped message keys than the session keeps"));
        }
        for (i, chain) in receiving.iter().enumerate() {
            let key = chain.ratchet_key();
            if receiving.iter().skip(i + 1).any(|other| other.ratchet_key() == key) {
                return Err(PickleError::Invalid("two receiving chains share a ratchet key"));
            }
            let mut on_chain = skipped.iter().filter(|k| k.ratchet_key() == key);
            if limit == SkippedKeyLimit::PerChain && on_chain.clone().count() > MAX_SKIPPED_MESSAGE_KEYS {
                return Err(PickleError::Invalid("more than 40 skipped message keys on one chain"));
            }
            if on_chain.any(|k| k.message_key().index() >= chain.chain_key().index()) {
                return Err(PickleError::Invalid(
                    "a skipped message key is not behind its chain's index",
                ));
            }
        }
        let sending = match sending {
            Some((ratchet_key, chain_key, parent)) => SendingChain::Active {
                ratchet_key,
                chain_key,
                parent,
            },
            None => {
                let newest = receiving
                    .first()
                    .ok_or(PickleError::Invalid("the session has no chain at all"))?;
                if newest.ratchet_key().is_low_order() {
                    return Err(PickleError::Invalid("a ratchet key is a low-order point"));
                }
                SendingChain::Inactive {
                    their_ratchet_key: newest.ratchet_key(),
                }
            }
        };
        Ok(Self {
            root_key,
            sending,
            steps,
            receiving,
            skipped,
            limit,
        })
    }

    pub(crate) fn root_key(&self) -> &RootKey {
        &self.root_key
    }

    pub(crate) fn sending(&self) -> &SendingChain {
        &self.sending
    }

    pub(crate) fn steps(&self) -> Option<u64> {
        self.steps
    }

    /// The receiving chains, newest first.
    pub(crate) fn receiving(&self) -> &[ReceiverChain] {
        &self.receiving
    }

    /// The skipped message keys, newest first.
    pub(crate) fn skipped(&self) -> &[SkippedMessageKey] {
        &self.skipped
    }

    pub(crate) fn skipped_key_limit(&self) -> SkippedKeyLimit {
        self.limit
    }

    #[cfg(all(test, feature = "libolm-compat"))]
    pub(crate) fn push_skipped_for_tests(&mut self, key: SkippedMessageKey) {
        self.skipped.push(key);
    }

    /// Whether the next message draws randomness (a new ratchet key).
    pub(crate) fn needs_new_ratchet_key(&self) -> bool {
        matches!(self.sending, SendingChain::Inactive { .. })
    }

    pub(crate) fn encrypt<R: CryptoRng + ?Sized>(
        &mut self,
        config: SessionConfig,
        plaintext: &[u8],
        rng: &mut R,
    ) -> Message {
        match &mut self.sending {
            SendingChain::Active {
                ratchet_key, chain_key, ..
            } => {
                let public = ratchet_key.cached_public_key();
                chain_key.next_message_key().encrypt(config, public, plaintext)
            }
            SendingChain::Inactive { their_ratchet_key } => {
                let ratchet_key = Curve25519Keypair::new_with_rng(rng);
                // Their key was accepted only after an exchange with it proved
                // contributory (or after the low-order check when the session
                // was created), and X25519 clamps every scalar to a multiple
                // of the cofactor, so this exchange is contributory as well.
                let shared = ratchet_key.secret().diffie_hellman_unchecked(their_ratchet_key);
                let (root_key, mut chain_key) = self.root_key.advance(&shared);
                let message = chain_key
                    .next_message_key()
                    .encrypt(config, ratchet_key.public(), plaintext);
                self.root_key = root_key;
                self.sending = SendingChain::Active {
                    ratchet_key: ratchet_key.into(),
                    chain_key,
                    parent: Some(*their_ratchet_key),
                };
                self.steps = self.steps.map(|steps| steps + 1);
                message
            }
        }
    }

    /// Decrypts `message` in a session of the variant `config`.
    pub(crate) fn decrypt(&mut self, config: SessionConfig, message: &Message) -> Result<Vec<u8>, DecryptionError> {
        let ratchet_key = message.ratchet_key();
        let index = message.chain_index();
        let chain = self
            .receiving
            .iter()
            .position(|chain| chain.ratchet_key() == ratchet_key);

        match chain.and_then(|position| self.receiving.get(position).map(|chain| (position, chain))) {
            Some((_, chain)) if index < chain.chain_key().index() => self.decrypt_skipped(config, message),
            Some((position, chain)) => {
                let (plaintext, skipped, next) =
                    ChainAdvance::compute(chain.chain_key(), index)?.open(config, message)?;
                self.store_skipped(ratchet_key, skipped);
                if let Some(chain) = self.receiving.get_mut(position) {
                    chain.set_chain_key(next);
                }
                Ok(plaintext)
            }
            None => self.decrypt_on_new_chain(config, message),
        }
    }

    /// A message older than its chain's position: only a stored skipped key
    /// can open it, and it is used once.
    fn decrypt_skipped(&mut self, config: SessionConfig, message: &Message) -> Result<Vec<u8>, DecryptionError> {
        let ratchet_key = message.ratchet_key();
        let index = message.chain_index();
        let position = self
            .skipped
            .iter()
            .position(|skipped| skipped.message_key().index() == index && skipped.ratchet_key() == ratchet_key)
            .ok_or(DecryptionError::MissingMessageKey(index))?;
        let plaintext = self
            .skipped
            .get(position)
            .ok_or(DecryptionError::MissingMessageKey(index))?
            .message_key()
            .decrypt(config, message)?;
        self.skipped.remove(position);
        Ok(plaintext)
    }

    /// A message under a ratchet key we have not seen: the other side has
    /// started a new step in reply to us.
    fn decrypt_on_new_chain(&mut self, config: SessionConfig, message: &Message) -> Result<Vec<u8>, DecryptionError> {
        let their_ratchet_key = message.ratchet_key();
        // A new step answers a message from our current sending chain. With
        // none (we have not sent since their last step), no honest peer sends
        // this; like libolm, treat it as a message that fails authentication.
        let SendingChain::Active { ratchet_key, .. } = &self.sending else {
            return Err(DecryptionError::InvalidMac);
        };
        let index = message.chain_index();
        if index > super::receiver_chain::MAX_MESSAGE_GAP {
            return Err(DecryptionError::TooBigMessageGap(index, 0));
        }
        let shared = ratchet_key
            .secret()
            .diffie_hellman(&their_ratchet_key)
            .map_err(|_| DecryptionError::NonContributoryKey)?;
        let (root_key, chain_key) = self.root_key.advance(&shared);
        let (plaintext, skipped, next) = ChainAdvance::compute(&chain_key, index)?.open(config, message)?;

        self.root_key = root_key;
        self.sending = SendingChain::Inactive { their_ratchet_key };
        self.steps = self.steps.map(|steps| steps + 1);
        self.receiving
            .insert(0, ReceiverChain::new(their_ratchet_key, next, self.steps));
        if self.receiving.len() > MAX_RECEIVING_CHAINS {
            let dropped = self.receiving.pop().map(|chain| chain.ratchet_key());
            // vodozemac keeps skipped keys inside their chain, so they go
            // with it; libolm keeps them apart, and so they stay.
            if self.limit == SkippedKeyLimit::PerChain {
                self.skipped.retain(|k| Some(k.ratchet_key()) != dropped);
            }
        }
        self.store_skipped(their_ratchet_key, skipped);
        Ok(plaintext)
    }

    /// Adds skipped keys (given oldest first) at the front, keeping the
    /// newest `MAX_SKIPPED_MESSAGE_KEYS` overall.
    fn store_skipped(&mut self, ratchet_key: Curve25519PublicKey, keys: Vec<MessageKey>) {
        if keys.is_empty() {
            return;
        }
        let mut skipped: Vec<SkippedMessageKey> = keys
            .into_iter()
            .rev()
            .map(|message_key| SkippedMessageKey::new(ratchet_key, message_key))
            .collect();
        skipped.append(&mut self.skipped);
        match self.limit {
            SkippedKeyLimit::Total => skipped.truncate(MAX_SKIPPED_MESSAGE_KEYS),
            SkippedKeyLimit::PerChain => {
                let mut on_chain = 0;
                skipped.retain(|k| {
                    if k.ratchet_key() != ratchet_key {
                        return true;
                    }
                    on_chain += 1;
                    on_chain <= MAX_SKIPPED_MESSAGE_KEYS
                });
            }
        }
        self.skipped = skipped;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    //! The bookkeeping that interop and vectors reach only in part: the
    //! ratchet-step count vodozemac's pickles carry, and the two limits on
    //! skipped message keys (libolm's 40 in all, vodozemac's 40 a chain).

    use alloc::vec::Vec;

    use super::*;
    use crate::test_rng::Replay;

    const CONFIG: SessionConfig = SessionConfig::version_1();

    /// Alice's and Bob's ratchets after the triple Diffie-Hellman, and the
    /// randomness for their later ratchet keys (distinct for 40 steps).
    fn pair(limit: SkippedKeyLimit) -> (DoubleRatchet, DoubleRatchet, Replay) {
        let mut rng = Replay::blocks(0x40, 41);
        let key = Curve25519Keypair::new_with_rng(&mut rng);
        let their_key = key.public();
        let mut alice = DoubleRatchet::alice(RootKey::from_slice(&[1; 32]), ChainKey::from_slice(&[2; 32], 0), key);
        let mut bob = DoubleRatchet::bob(
            RootKey::from_slice(&[1; 32]),
            ChainKey::from_slice(&[2; 32], 0),
            their_key,
        );
        alice.limit = limit;
        bob.limit = limit;
        (alice, bob, rng)
    }

    /// One message each way, so that each side's next message starts a step.
    fn round(alice: &mut DoubleRatchet, bob: &mut DoubleRatchet, rng: &mut Replay) {
        let reply = bob.encrypt(CONFIG, b"to alice", rng);
        assert_eq!(alice.decrypt(CONFIG, &reply).unwrap(), b"to alice");
        let message = alice.encrypt(CONFIG, b"to bob", rng);
        assert_eq!(bob.decrypt(CONFIG, &message).unwrap(), b"to bob");
    }

    /// The indices of the skipped keys on `alice`'s current sending chain
    /// that `bob` holds, newest first.
    fn skipped_on(bob: &DoubleRatchet, alice: &DoubleRatchet) -> Vec<u32> {
        let SendingChain::Active { ratchet_key, .. } = &alice.sending else {
            panic!("alice is sending");
        };
        let key = ratchet_key.public_key();
        bob.skipped
            .iter()
            .filter(|k| k.ratchet_key() == key)
            .map(|k| k.message_key().index())
            .collect()
    }

    /// Sends `count` messages and delivers only the last.
    fn deliver_last_of(count: u32, from: &mut DoubleRatchet, to: &mut DoubleRatchet, rng: &mut Replay) {
        let last = (0..count).map(|_| from.encrypt(CONFIG, b"m", rng)).last().unwrap();
        to.decrypt(CONFIG, &last).unwrap();
    }

    #[test]
    fn each_new_step_counts_once_on_either_side() {
        let (mut alice, mut bob, mut rng) = pair(SkippedKeyLimit::Total);
        assert_eq!((alice.steps(), bob.steps()), (Some(0), Some(0)));
        let reply = bob.encrypt(CONFIG, b"1", &mut rng);
        bob.encrypt(CONFIG, b"2", &mut rng);
        assert_eq!(bob.steps(), Some(1), "only the first message of a chain is a step");
        alice.decrypt(CONFIG, &reply).unwrap();
        assert_eq!(alice.steps(), Some(1));
        assert_eq!(alice.receiving()[0].count(), Some(1));
        alice.encrypt(CONFIG, b"3", &mut rng);
        assert_eq!(alice.steps(), Some(2));
    }

    #[test]
    fn the_limits_hold_40_keys_in_all_or_40_on_each_of_five_chains() {
        assert_eq!(SkippedKeyLimit::Total.max_keys(), 40);
        assert_eq!(SkippedKeyLimit::PerChain.max_keys(), 200);
    }

    /// A stored ratchet with the given number of skipped keys on each of its
    /// receiving chains (behind an index of 100), and `loose` more on a key
    /// that is none of theirs.
    fn stored(limit: SkippedKeyLimit, per_chain: &[u32], loose: u32) -> Result<DoubleRatchet, PickleError> {
        let chain_key = |i: u8| Curve25519PublicKey::from_bytes([0x10 + i; 32]);
        let receiving = (0..per_chain.len() as u8)
            .map(|i| ReceiverChain::new(chain_key(i), ChainKey::from_slice(&[3; 32], 100), None))
            .collect();
        let mut skipped = Vec::new();
        for (i, &count) in per_chain.iter().enumerate() {
            skipped.extend(
                (0..count).map(|n| SkippedMessageKey::new(chain_key(i as u8), MessageKey::from_bytes(&[4; 32], n))),
            );
        }
        let other = Curve25519PublicKey::from_bytes([0x70; 32]);
        skipped.extend((0..loose).map(|n| SkippedMessageKey::new(other, MessageKey::from_bytes(&[4; 32], n))));
        let sending_key = SendingKey::from_secret(Curve25519SecretKey::from_bytes(&[5; 32]));
        DoubleRatchet::from_stored(
            RootKey::from_slice(&[1; 32]),
            Some((sending_key, ChainKey::from_slice(&[2; 32], 0), None)),
            None,
            receiving,
            skipped,
            limit,
        )
    }

    fn refusal(result: Result<DoubleRatchet, PickleError>) -> &'static str {
        match result {
            Err(PickleError::Invalid(why)) => why,
            Err(e) => panic!("refused for another reason: {e:?}"),
            Ok(_) => "accepted",
        }
    }

    #[test]
    fn stored_state_is_held_to_the_sessions_own_limit() {
        use SkippedKeyLimit::{PerChain, Total};
        let too_many = "more skipped message keys than the session keeps";
        let on_one_chain = "more than 40 skipped message keys on one chain";
        assert_eq!(refusal(stored(Total, &[40], 0)), "accepted");
        assert_eq!(refusal(stored(Total, &[20, 20], 1)), too_many);
        assert_eq!(refusal(stored(PerChain, &[40], 0)), "accepted");
        assert_eq!(refusal(stored(PerChain, &[41], 0)), on_one_chain);
        assert_eq!(refusal(stored(PerChain, &[0, 41], 0)), on_one_chain);
        assert_eq!(refusal(stored(PerChain, &[40; 5], 0)), "accepted");
        assert_eq!(refusal(stored(PerChain, &[40; 5], 1)), too_many);
    }

    #[test]
    fn skipped_keys_go_with_a_dropped_chain_only_under_the_per_chain_limit() {
        for (limit, kept) in [(SkippedKeyLimit::Total, 2), (SkippedKeyLimit::PerChain, 0)] {
            let (mut alice, mut bob, mut rng) = pair(limit);
            deliver_last_of(3, &mut alice, &mut bob, &mut rng);
            assert_eq!(bob.skipped.len(), 2);
            // Five more chains of Alice's: the first one is dropped.
            for _ in 0..5 {
                round(&mut alice, &mut bob, &mut rng);
            }
            assert_eq!(bob.receiving.len(), MAX_RECEIVING_CHAINS);
            assert_eq!(bob.skipped.len(), kept, "{limit:?}");
        }
    }

    #[test]
    fn a_chain_keeps_its_newest_40_skipped_keys_and_leaves_other_chains_alone() {
        let (mut alice, mut bob, mut rng) = pair(SkippedKeyLimit::PerChain);
        deliver_last_of(41, &mut alice, &mut bob, &mut rng);
        let first: Vec<u32> = (0..40).rev().collect();
        assert_eq!(skipped_on(&bob, &alice), first);
        round(&mut alice, &mut bob, &mut rng);
        deliver_last_of(45, &mut alice, &mut bob, &mut rng);
        // Indices 1 to 44 of the new chain were skipped (0 went in the round).
        assert_eq!(skipped_on(&bob, &alice), (5..45).rev().collect::<Vec<u32>>());
        assert_eq!(bob.skipped.len(), 80, "the first chain's 40 stay");

        // A chain that skips again keeps its newest 40 (a single gap never
        // yields more than 40 keys; two gaps do).
        let (mut alice, mut bob, mut rng) = pair(SkippedKeyLimit::PerChain);
        deliver_last_of(31, &mut alice, &mut bob, &mut rng);
        deliver_last_of(21, &mut alice, &mut bob, &mut rng);
        let newest: Vec<u32> = (31..51).rev().chain((10..30).rev()).collect();
        assert_eq!(skipped_on(&bob, &alice), newest);

        let (mut alice, mut bob, mut rng) = pair(SkippedKeyLimit::Total);
        deliver_last_of(41, &mut alice, &mut bob, &mut rng);
        round(&mut alice, &mut bob, &mut rng);
        deliver_last_of(11, &mut alice, &mut bob, &mut rng);
        assert_eq!(skipped_on(&bob, &alice).len(), 10);
        assert_eq!(bob.skipped.len(), 40, "40 in all, the oldest dropped");
    }
}
