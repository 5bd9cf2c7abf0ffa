//! Pickles of Olm [`Session`]s.
//!
//! libolm's layout (version 1; 0x80000001 read too, which adds a trailing
//! `u32` that is ignored):
//!
//! ```text
//! u32 version · u8 received_message · identity key · base key · one-time key
//! · root key (32)
//! · u32 count (0 or 1) × { ratchet public · ratchet secret · chain key · u32 index }
//! · u32 count (≤ 5)    × { ratchet public · chain key · u32 index }        newest first
//! · u32 count (≤ 40)   × { ratchet public · message key · u32 index }      newest first
//! ```

// Without `libolm-compat`, the parts shared with libolm's format go unused.
#![cfg_attr(not(feature = "libolm-compat"), allow(dead_code, unused_imports))]

use alloc::vec::Vec;

#[cfg(feature = "libolm-compat")]
use super::methods::LibolmBody;
use super::{
    PickleError, checks,
    codec::{Reader, Writer},
    envelope::Kind,
    methods::{OurBody, pickle_methods},
};
use crate::{
    Curve25519PublicKey, Curve25519SecretKey,
    olm::{
        ChainKey, DoubleRatchet, MAX_RECEIVING_CHAINS, MessageKey, PublicHalf, ReceiverChain, RootKey, SendingChain,
        SendingKey, Session, SessionConfig, SessionKeys, SkippedKeyLimit, SkippedMessageKey,
    },
};

const LIBOLM_VERSION: u32 = 1;
const LIBOLM_VERSION_WITH_INDEX: u32 = 0x8000_0001;
const CONFIG_V1: u8 = 1;
const CONFIG_V2: u8 = 2;
/// Our format's sending chain: the ratchet secret follows, its public key is
/// derived on load.
const SENDING: u64 = 1;
/// Our format's sending chain whose public key came from a libolm pickle:
/// it follows, then the secret.
const SENDING_WITH_PUBLIC_KEY: u64 = 2;
/// The session history byte (see `write_history`).
const HISTORY: u8 = 1;
const HISTORY_PER_CHAIN: u8 = 2;
const HISTORY_PARENT_NEWEST: u8 = 4;
const HISTORY_PARENT_FOLLOWS: u8 = 8;

/// The integers our format and libolm's write differently.
#[derive(Clone, Copy)]
enum Format {
    Ours,
    Libolm,
}

impl Format {
    fn write_int(self, w: &mut Writer, value: u32) {
        match self {
            Self::Ours => w.varint(value.into()),
            Self::Libolm => w.u32_be(value),
        }
    }

    fn read_int(self, r: &mut Reader<'_>) -> Result<u32, PickleError> {
        match self {
            Self::Ours => r.varint_u32(),
            Self::Libolm => r.u32_be(),
        }
    }

    fn read_count(self, r: &mut Reader<'_>, max: usize) -> Result<usize, PickleError> {
        match self {
            Self::Ours => r.count(max),
            Self::Libolm => {
                let count = r.u32_be()? as usize;
                if count > max {
                    Err(PickleError::Invalid("too many items"))
                } else {
                    Ok(count)
                }
            }
        }
    }
}

impl OurBody for Session {
    const KIND: Kind = Kind::Session;

    fn write(&self, w: &mut Writer) {
        w.u8(if self.session_config() == SessionConfig::version_2() {
            CONFIG_V2
        } else {
            CONFIG_V1
        });
        self.write_state(w, Format::Ours);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let config = match r.u8()? {
            CONFIG_V1 => SessionConfig::version_1(),
            CONFIG_V2 => SessionConfig::version_2(),
            _ => return Err(PickleError::Invalid("unknown session configuration")),
        };
        Self::read_state(r, Format::Ours, config)
    }
}

#[cfg(feature = "libolm-compat")]
impl LibolmBody for Session {
    fn check_libolm(&self) -> Result<(), PickleError> {
        if self.session_config() != SessionConfig::version_1() {
            return Err(PickleError::Unrepresentable(
                "libolm has no Olm version 2; this session uses it",
            ));
        }
        if self.ratchet().skipped().len() > SkippedKeyLimit::Total.max_keys() {
            return Err(PickleError::Unrepresentable(
                "libolm keeps at most 40 skipped message keys; this session (from vodozemac) holds more",
            ));
        }
        Ok(())
    }

    fn write_libolm(&self, w: &mut Writer) {
        w.u32_be(LIBOLM_VERSION);
        self.write_state(w, Format::Libolm);
    }

    fn read_libolm(r: &mut Reader<'_>) -> Result<Self, PickleError> {
        let version = r.version(&[LIBOLM_VERSION, LIBOLM_VERSION_WITH_INDEX])?;
        let session = Self::read_state(r, Format::Libolm, SessionConfig::version_1())?;
        if version == LIBOLM_VERSION_WITH_INDEX {
            r.u32_be()?;
        }
        Ok(session)
    }
}

pickle_methods!(
    Session,
    "session",
    ours: "Besides libolm's state, the body keeps what vodozemac records (ratchet counts, the sending chain's parent, how skipped keys are limited), so that a session from vodozemac goes back there unchanged.",
    to_libolm: "Version 1. A session from vodozemac that holds more than libolm's 40 skipped message keys, and an Olm v2 session (libolm has no v2), are an [`Unrepresentable`](crate::PickleError::Unrepresentable) error, never a pickle with state left out.",
    from_libolm: "Version 1 or 0x80000001 (which adds a trailing index that is ignored).",
);

impl Session {
    fn write_state(&self, w: &mut Writer, format: Format) {
        let ratchet = self.ratchet();
        let keys = self.session_keys();
        w.bool(self.has_received_message());
        w.bytes(keys.identity_key.as_bytes());
        w.bytes(keys.base_key.as_bytes());
        w.bytes(keys.one_time_key.as_bytes());
        w.bytes(ratchet.root_key().as_bytes());
        match ratchet.sending() {
            SendingChain::Active {
                ratchet_key, chain_key, ..
            } => {
                match (format, ratchet_key.public_half()) {
                    (Format::Libolm, _) => {
                        format.write_int(w, 1);
                        w.bytes(ratchet_key.public_key().as_bytes());
                    }
                    // A public key read from a libolm pickle is kept as it
                    // was; any other is derived from the secret on load.
                    (Format::Ours, PublicHalf::Stored(public)) => {
                        w.varint(SENDING_WITH_PUBLIC_KEY);
                        w.bytes(public.as_bytes());
                    }
                    (Format::Ours, _) => w.varint(SENDING),
                }
                w.bytes(ratchet_key.secret().to_bytes().as_slice());
                w.bytes(chain_key.as_bytes());
                format.write_int(w, chain_key.index());
            }
            SendingChain::Inactive { .. } => format.write_int(w, 0),
        }
        let receiving = ratchet.receiving();
        format.write_int(w, receiving.len() as u32);
        for chain in receiving {
            w.bytes(chain.ratchet_key().as_bytes());
            w.bytes(chain.chain_key().as_bytes());
            format.write_int(w, chain.chain_key().index());
        }
        let skipped = ratchet.skipped();
        format.write_int(w, skipped.len() as u32);
        for key in skipped {
            match format {
                Format::Libolm => w.bytes(key.ratchet_key().as_bytes()),
                // A reference to the receiving chain with the same ratchet
                // key (1 + its position), or 0 and the key itself.
                Format::Ours => match receiving
                    .iter()
                    .position(|chain| chain.ratchet_key() == key.ratchet_key())
                {
                    Some(position) => w.varint(position as u64 + 1),
                    None => {
                        w.varint(0);
                        w.bytes(key.ratchet_key().as_bytes());
                    }
                },
            }
            w.bytes(key.message_key().as_bytes());
            format.write_int(w, key.message_key().index());
        }
        if let Format::Ours = format {
            write_history(w, ratchet);
        }
    }

    fn read_state(r: &mut Reader<'_>, format: Format, config: SessionConfig) -> Result<Self, PickleError> {
        let received_message = match format {
            Format::Ours => checks::read_flag(r)?,
            Format::Libolm => r.bool()?,
        };
        let session_keys = SessionKeys {
            identity_key: Curve25519PublicKey::from_bytes(r.public_key()?),
            base_key: Curve25519PublicKey::from_bytes(r.public_key()?),
            one_time_key: Curve25519PublicKey::from_bytes(r.public_key()?),
        };
        let root_key = RootKey::from_slice(r.array::<32>()?);
        let sending = match format {
            Format::Libolm => format.read_count(r, 1)?,
            Format::Ours => r.count(SENDING_WITH_PUBLIC_KEY as usize)?,
        };
        let active = match sending {
            0 => None,
            kind => {
                let ratchet_key = match (format, kind) {
                    // Kept as stored, as libolm keeps it; a round trip
                    // through either format gives it back unchanged (a
                    // fuzzer found that deriving it changed a key that did
                    // not match its secret).
                    (Format::Libolm, _) | (Format::Ours, 2) => {
                        let public = Curve25519PublicKey::from_bytes(r.public_key()?);
                        SendingKey::with_stored_public(Curve25519SecretKey::from_bytes(r.array::<32>()?), public)
                    }
                    // The public key is derived at the next message.
                    (Format::Ours, _) => SendingKey::from_secret(Curve25519SecretKey::from_bytes(r.array::<32>()?)),
                };
                let key = r.array::<32>()?;
                let chain_key = ChainKey::from_slice(key, format.read_int(r)?);
                Some((ratchet_key, chain_key))
            }
        };
        let count = format.read_count(r, MAX_RECEIVING_CHAINS)?;
        let mut receiving = Vec::with_capacity(count);
        for _ in 0..count {
            let ratchet_key = Curve25519PublicKey::from_bytes(r.public_key()?);
            let key = r.array::<32>()?;
            receiving.push((ratchet_key, ChainKey::from_slice(key, format.read_int(r)?)));
        }
        let max_skipped = match format {
            Format::Ours => SkippedKeyLimit::PerChain.max_keys(),
            Format::Libolm => SkippedKeyLimit::Total.max_keys(),
        };
        let count = format.read_count(r, max_skipped)?;
        let mut skipped = Vec::with_capacity(count);
        for _ in 0..count {
            let ratchet_key = match format {
                Format::Libolm => Curve25519PublicKey::from_bytes(r.public_key()?),
                Format::Ours => match r.count(MAX_RECEIVING_CHAINS)? {
                    0 => Curve25519PublicKey::from_bytes(r.public_key()?),
                    chain => {
                        receiving
                            .get(chain - 1)
                            .ok_or(PickleError::Invalid("a skipped key refers to a missing chain"))?
                            .0
                    }
                },
            };
            let key = r.array::<32>()?;
            skipped.push(SkippedMessageKey::new(
                ratchet_key,
                MessageKey::from_bytes(key, format.read_int(r)?),
            ));
        }
        let history = match format {
            Format::Ours => read_history(r, &receiving)?,
            Format::Libolm => History::unknown(receiving.len()),
        };
        let receiving = receiving
            .into_iter()
            .zip(history.chains)
            .map(|((key, chain), count)| ReceiverChain::new(key, chain, count))
            .collect();
        let active = active.map(|(key, chain)| (key, chain, history.parent));
        let ratchet = DoubleRatchet::from_stored(root_key, active, history.steps, receiving, skipped, history.limit)?;
        Ok(Session::new(config, session_keys, ratchet, received_message))
    }
}

/// What vodozemac records beyond libolm: ratchet counts, the parent of
/// the sending chain, and how skipped keys are limited. Our format keeps it
/// after the skipped keys; pickles written before it was added end there.
struct History {
    limit: SkippedKeyLimit,
    steps: Option<u64>,
    parent: Option<Curve25519PublicKey>,
    chains: Vec<Option<u64>>,
}

impl History {
    fn unknown(chains: usize) -> Self {
        Self {
            limit: SkippedKeyLimit::Total,
            steps: None,
            parent: None,
            chains: alloc::vec![None; chains],
        }
    }
}

fn write_count(w: &mut Writer, count: Option<u64>) {
    w.varint(count.map_or(0, |count| count.saturating_add(1)));
}

fn read_count(r: &mut Reader<'_>) -> Result<Option<u64>, PickleError> {
    Ok(r.varint()?.checked_sub(1))
}

fn write_history(w: &mut Writer, ratchet: &DoubleRatchet) {
    // One byte: HISTORY, plus HISTORY_PER_CHAIN for vodozemac's skipped key
    // limit, plus HISTORY_PARENT_NEWEST when the sending chain's parent is
    // the newest receiving chain's key (as it is whenever vodozemac knows
    // it) or HISTORY_PARENT_FOLLOWS when another key follows.
    let newest = ratchet.receiving().first().map(|chain| chain.ratchet_key());
    let parent = match ratchet.sending() {
        SendingChain::Active { parent, .. } => *parent,
        SendingChain::Inactive { .. } => None,
    };
    let limit = match ratchet.skipped_key_limit() {
        SkippedKeyLimit::Total => 0,
        SkippedKeyLimit::PerChain => HISTORY_PER_CHAIN,
    };
    match parent {
        None => w.u8(HISTORY | limit),
        Some(key) if Some(key) == newest => w.u8(HISTORY | limit | HISTORY_PARENT_NEWEST),
        Some(key) => {
            w.u8(HISTORY | limit | HISTORY_PARENT_FOLLOWS);
            w.bytes(key.as_bytes());
        }
    }
    write_count(w, ratchet.steps());
    for chain in ratchet.receiving() {
        write_count(w, chain.count());
    }
}

fn read_history(r: &mut Reader<'_>, chains: &[(Curve25519PublicKey, ChainKey)]) -> Result<History, PickleError> {
    if r.is_empty() {
        return Ok(History::unknown(chains.len()));
    }
    let form = r.u8()?;
    if form & HISTORY == 0 || form > HISTORY | HISTORY_PER_CHAIN | HISTORY_PARENT_FOLLOWS {
        return Err(PickleError::Invalid("unknown session history form"));
    }
    let limit = if form & HISTORY_PER_CHAIN == 0 {
        SkippedKeyLimit::Total
    } else {
        SkippedKeyLimit::PerChain
    };
    let parent = match form & (HISTORY_PARENT_NEWEST | HISTORY_PARENT_FOLLOWS) {
        0 => None,
        HISTORY_PARENT_NEWEST => Some(
            chains
                .first()
                .ok_or(PickleError::Invalid("a parent ratchet key names a missing chain"))?
                .0,
        ),
        HISTORY_PARENT_FOLLOWS => Some(Curve25519PublicKey::from_bytes(r.public_key()?)),
        _ => return Err(PickleError::Invalid("unknown session history form")),
    };
    let steps = read_count(r)?;
    let chains = (0..chains.len()).map(|_| read_count(r)).collect::<Result<_, _>>()?;
    Ok(History {
        limit,
        steps,
        parent,
        chains,
    })
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod tests {
    use super::*;
    use crate::{
        olm::OlmMessage,
        pickle::{envelope, libolm},
    };

    /// libolm 3.2.7 (as test-vectors/generator runs it): Alice's session after reading Bob's reply,
    /// pickled by libolm with the empty key.
    const ALICE_SESSION: &str = "/7edmrV/zQsZ4Q2AFrwTng9FmiGopOvaQr0vzytBYhVL+IQCwSVOLOKwHzfaQjdfCwQ7r1i13+cjJfW7GCBwE0JISloJtJlJReGuCP+QPb9nt47wpbQ3OGced4MNh1gh4tjuZuKUYVMx3FZwSpGOPTEqJLiElGQaHyTSQTW4eKPzPgsDpwCI/iG1kl2MNhfbuCyskfptacq6DcanwQGS5wi8uLEz6+eA6DBgSecXTqGlsVfbf0YrTrdKKy757JkG8INFAisYvZW4p4Wg51vlD8kl2OsBKw+Z1mM+JQdcvEzyM7LBoPdXMg";

    /// A session with every part of the history set: vodozemac's limit, a
    /// step count, a parent ratchet key that is not the newest chain's (so
    /// it follows in full), and a count on each chain.
    fn session_with_full_history() -> Session {
        let chain = |i: u8, count| {
            ReceiverChain::new(
                Curve25519PublicKey::from_bytes([0x10 + i; 32]),
                ChainKey::from_slice(&[i; 32], 3),
                count,
            )
        };
        let sending = SendingKey::from_secret(Curve25519SecretKey::from_bytes(&[5; 32]));
        let parent = Curve25519PublicKey::from_bytes([0x11; 32]);
        let ratchet = DoubleRatchet::from_stored(
            RootKey::from_slice(&[1; 32]),
            Some((sending, ChainKey::from_slice(&[2; 32], 7), Some(parent))),
            Some(4),
            alloc::vec![chain(0, Some(3)), chain(1, None)],
            Vec::new(),
            SkippedKeyLimit::PerChain,
        )
        .unwrap();
        let keys = SessionKeys {
            identity_key: Curve25519PublicKey::from_bytes([0x21; 32]),
            base_key: Curve25519PublicKey::from_bytes([0x22; 32]),
            one_time_key: Curve25519PublicKey::from_bytes([0x23; 32]),
        };
        Session::new(SessionConfig::version_1(), keys, ratchet, true)
    }

    /// What the history holds, as the ratchet keeps it.
    fn history(
        session: &Session,
    ) -> (
        SkippedKeyLimit,
        Option<u64>,
        Option<Curve25519PublicKey>,
        Vec<Option<u64>>,
    ) {
        let ratchet = session.ratchet();
        let SendingChain::Active { parent, .. } = ratchet.sending() else {
            panic!("a sending chain");
        };
        let chains = ratchet.receiving().iter().map(ReceiverChain::count).collect();
        (ratchet.skipped_key_limit(), ratchet.steps(), *parent, chains)
    }

    const KEY: [u8; 32] = [5; 32];

    /// The body of `session_with_full_history`'s pickle and where its history
    /// starts: the form, the parent key, 4 steps and the two chains' counts
    /// (each + 1, 0 for unknown) end the body.
    fn full_history_body() -> (zeroize::Zeroizing<Vec<u8>>, usize) {
        let pickle = session_with_full_history().pickle(&KEY);
        let body = envelope::open(envelope::Kind::Session, &pickle, &KEY).unwrap();
        let history_at = body.len() - (1 + 32 + 3);
        (body, history_at)
    }

    #[test]
    fn every_part_of_the_history_comes_back() {
        let (body, history_at) = full_history_body();
        assert_eq!(body[history_at], HISTORY | HISTORY_PER_CHAIN | HISTORY_PARENT_FOLLOWS);
        assert_eq!(body[history_at + 33..], [5, 4, 0]);
        let session = session_with_full_history();
        let back = Session::from_pickle(&session.pickle(&KEY), &KEY).unwrap();
        assert_eq!(history(&back), history(&session));
        assert_eq!(
            history(&back),
            (
                SkippedKeyLimit::PerChain,
                Some(4),
                Some(Curve25519PublicKey::from_bytes([0x11; 32])),
                alloc::vec![Some(3), None]
            )
        );
        // And libolm's limit, with no parent, comes back as such.
        let mut libolm = Session::from_libolm_pickle(ALICE_SESSION, b"").unwrap();
        let _ = libolm.encrypt_with_rng("x", &mut rand::rng());
        let libolm_back = Session::from_pickle(&libolm.pickle(&KEY), &KEY).unwrap();
        assert_eq!(libolm_back.ratchet().skipped_key_limit(), SkippedKeyLimit::Total);
        assert_eq!(history(&libolm_back), history(&libolm));
    }

    /// Forms without the history bit, with bits above the ones defined, or
    /// naming the parent both ways are refused.
    #[test]
    fn unknown_history_forms_are_refused() {
        let (body, history_at) = full_history_body();
        for form in [0, 2, 4, 8, 10, 12, 13, 15, 16, 17, 0x80, 0xff] {
            let mut changed = body.to_vec();
            changed[history_at] = form;
            let pickle = envelope::seal(envelope::Kind::Session, &changed, &KEY, &mut rand::rng());
            assert_eq!(
                Session::from_pickle(&pickle, &KEY).err(),
                Some(PickleError::Invalid("unknown session history form")),
                "form {form}"
            );
        }
    }

    /// The history section is optional (docs/pickle-format.md): a body that
    /// ends before it reads as a session whose history is unknown, as one
    /// from libolm is.
    #[test]
    fn a_pickle_without_history_reads() {
        let session = Session::from_libolm_pickle(ALICE_SESSION, b"").unwrap();
        let key = [5u8; 32];
        let body = envelope::open(envelope::Kind::Session, &session.pickle(&key), &key).unwrap();
        // Nothing known: the form byte, 0 steps, 0 for each receiving chain.
        let history = 2 + session.ratchet().receiving().len();
        let mut expected = alloc::vec![HISTORY, 0];
        expected.resize(history, 0);
        assert_eq!(body[body.len() - history..], expected);
        let without = envelope::seal(
            envelope::Kind::Session,
            &body[..body.len() - history],
            &key,
            &mut rand::rng(),
        );
        let back = Session::from_pickle(&without, &key).unwrap();
        assert_eq!(
            back.to_libolm_pickle(b"").unwrap().as_str(),
            session.to_libolm_pickle(b"").unwrap().as_str()
        );
    }

    #[test]
    fn libolm_session_round_trip() {
        let session = Session::from_libolm_pickle(ALICE_SESSION, b"").unwrap();
        assert_eq!(session.session_id(), "4H2yAU5HHKVIOvNXirtQXiYCwNpozSwgvVA+w39MUP4");
        assert!(session.has_received_message());
        assert_eq!(session.to_libolm_pickle(b"").unwrap().as_str(), ALICE_SESSION);
        let ours = session.pickle_with_rng(&[1; 32], &mut rand::rng());
        let back = Session::from_pickle(&ours, &[1; 32]).unwrap();
        assert_eq!(back.to_libolm_pickle(b"").unwrap().as_str(), ALICE_SESSION);
    }

    #[test]
    fn restored_sessions_keep_talking() {
        let mut rng = rand::rng();
        let (alice, mut a, mut bob) = crate::test_rng::outbound_session(&mut rng);
        let OlmMessage::PreKey(m) = a.encrypt_with_rng("1", &mut rng) else {
            panic!()
        };
        let mut b = bob.create_inbound_session(alice.curve25519_key(), &m).unwrap().session;
        // Skip two of Bob's messages so the pickle holds skipped keys.
        let skipped: Vec<_> = (0..3).map(|i| b.encrypt_with_rng([i], &mut rng)).collect();
        a.decrypt(&skipped[2]).unwrap();
        for (label, session) in [
            (
                "libolm",
                Session::from_libolm_pickle(a.to_libolm_pickle(b"k").unwrap().as_str(), b"k").unwrap(),
            ),
            (
                "ours",
                Session::from_pickle(&a.pickle_with_rng(&[9; 32], &mut rng), &[9; 32]).unwrap(),
            ),
        ] {
            let mut session = session;
            assert_eq!(session.decrypt(&skipped[0]).unwrap(), [0], "{label}");
            assert_eq!(session.decrypt(&skipped[1]).unwrap(), [1], "{label}");
            let reply = session.encrypt_with_rng("back", &mut rng);
            let mut b_copy = Session::from_pickle(&b.pickle_with_rng(&[9; 32], &mut rng), &[9; 32]).unwrap();
            assert_eq!(b_copy.decrypt(&reply).unwrap(), b"back", "{label}");
        }
    }

    /// Our format stores a skipped key's ratchet key as a reference to its
    /// receiving chain, or in full once that chain is gone, and derives the
    /// sending ratchet's public key: both come back exactly.
    #[test]
    fn skipped_keys_of_dropped_chains_and_derived_keys() {
        let mut session = Session::from_libolm_pickle(ALICE_SESSION, b"").unwrap();
        let mut rng = rand::rng();
        let _ = session.encrypt_with_rng("start a sending chain", &mut rng);
        assert!(matches!(session.ratchet().sending(), SendingChain::Active { .. }));
        let orphan = Curve25519PublicKey::from_bytes([0x33; 32]);
        let on_chain = session.ratchet().receiving()[0].ratchet_key();
        for (ratchet_key, index) in [(orphan, 7), (on_chain, 0), (orphan, 8)] {
            session.push_skipped_for_tests(SkippedMessageKey::new(
                ratchet_key,
                MessageKey::from_bytes(&[index as u8; 32], index),
            ));
        }
        // The keys libolm's pickle held (none), then these three, oldest first.
        assert_eq!(session.skipped_message_indices(), [7, 0, 8]);
        let key = [5u8; 32];
        let back = Session::from_pickle(&session.pickle_with_rng(&key, &mut rng), &key).unwrap();
        assert_eq!(back.skipped_message_indices(), [7, 0, 8]);
        assert_eq!(
            back.to_libolm_pickle(b"k").unwrap(),
            session.to_libolm_pickle(b"k").unwrap()
        );

        // A reference past the receiving chains is refused.
        let mut w = Writer::with_capacity(300);
        w.u8(CONFIG_V1);
        w.bool(true);
        w.bytes(&[1; 96]);
        w.bytes(&[2; 32]);
        w.varint(0);
        w.varint(1);
        w.bytes(&session.ratchet().receiving()[0].ratchet_key().to_bytes());
        w.bytes(&[3; 32]);
        w.varint(4);
        w.varint(1);
        w.varint(2);
        w.bytes(&[4; 32]);
        w.varint(1);
        let pickle = envelope::seal(Kind::Session, &w.into_bytes(), &key, &mut rng);
        assert_eq!(
            Session::from_pickle(&pickle, &key).unwrap_err(),
            PickleError::Invalid("a skipped key refers to a missing chain")
        );
    }

    /// A libolm pickle whose sending ratchet public key is not its secret's
    /// (found by fuzzing): the key is kept as stored, as libolm keeps it, and
    /// survives round trips through both formats unchanged.
    #[test]
    fn libolm_sending_ratchet_key_is_kept_as_stored() {
        let mut rng = rand::rng();
        let (_, session, _) = crate::test_rng::outbound_session(&mut rng);
        let mut body = libolm::decrypt(b"", &session.to_libolm_pickle(b"").unwrap())
            .unwrap()
            .to_vec();
        // u32 version, flag, three session keys, root key, u32 count (1):
        // then the sending ratchet's public key.
        body[4 + 1 + 96 + 32 + 4] ^= 1;
        let pickle = libolm::encrypt(b"", &body);
        let mut imported = Session::from_libolm_pickle(&pickle, b"").unwrap();
        assert_eq!(imported.to_libolm_pickle(b"").unwrap().as_str(), pickle.as_str());
        let key = [6u8; 32];
        let ours = imported.pickle_with_rng(&key, &mut rng);
        let mut back = Session::from_pickle(&ours, &key).unwrap();
        assert_eq!(back.to_libolm_pickle(b"").unwrap().as_str(), pickle.as_str());
        // Both send the stored key, as libolm would.
        let (a, b) = (
            imported.encrypt_with_rng("x", &mut rng),
            back.encrypt_with_rng("x", &mut rng),
        );
        let stored = Curve25519PublicKey::from_slice(&body[4 + 1 + 96 + 32 + 4..][..32]).unwrap();
        for message in [a, b] {
            let OlmMessage::PreKey(message) = message else { panic!() };
            assert_eq!(message.message().ratchet_key(), stored);
        }
        // A session whose key was derived stores only the secret: 32 bytes
        // less.
        let derived = session.pickle_with_rng(&key, &mut rng);
        assert_eq!(base64_decoded_len(&ours), base64_decoded_len(&derived) + 32);
    }

    fn base64_decoded_len(pickle: &str) -> usize {
        crate::encoding::base64_decode(pickle).unwrap().len()
    }

    #[test]
    fn rejects_invalid_state() {
        // A libolm session body up to its root key, then the given counts.
        let pickle = |counts: &[u32]| {
            let mut w = Writer::with_capacity(300);
            w.u32_be(LIBOLM_VERSION);
            w.bool(true);
            w.bytes(&[1; 96]);
            w.bytes(&[2; 32]);
            for &count in counts {
                w.u32_be(count);
            }
            libolm::encrypt(b"", &w.into_bytes())
        };
        assert_eq!(
            Session::from_libolm_pickle(&pickle(&[0, 0, 0]), b"").unwrap_err(),
            PickleError::Invalid("the session has no chain at all")
        );
        assert_eq!(
            Session::from_libolm_pickle(&pickle(&[0, 6]), b"").unwrap_err(),
            PickleError::Invalid("too many items")
        );
        assert_eq!(
            Session::from_libolm_pickle(&libolm::encrypt(b"", &[0, 0, 0, 2]), b"").unwrap_err(),
            PickleError::Version(2)
        );
        assert_eq!(
            Session::from_libolm_pickle(&libolm::encrypt(b"", &[0, 0, 0, 1, 1]), b"").unwrap_err(),
            PickleError::Truncated
        );
    }
}

#[cfg(test)]
#[cfg(feature = "libolm-compat")]
mod legacy_tests {
    use super::*;

    use olm_testkit::hex::array as unhex;

    /// libolm tests/test_session.cpp: the same state pickled as version 1
    /// and as 0x80000001 (with a trailing chain index).
    #[test]
    fn libolm_session_versions() {
        let v1 = "wkEpwMgiAqD7B1/Lw2cKYYDcUZVOd9QHes7ZroWxr/Rp/nWEAySgRsIu/a54YhO67rwitr\
            Lpos7tFxxK9IZ7pKB1qrR1coVWIt78V9lp9WgmBAvxHBSY+tu1lkL/JjLi963/yFdPancZ\
            +WHMVfaKlV3gWGpo7EfNK6qAOxI1Ea/eCsE2sYrsHEDvLLGlKAA9E56rmmoe2w6TKzsQjs\
            ZM2/XT2eJ82EgMO9pL02iLElXWmGNv72Ut7DouR0pQIT50HIEEKcFxYcoTb3WCfJD76Coe\
            sE4kx+TA6d45Xu1bwQNNkTGF+nCCu/GmKY+sECXbz9U6WhxG0YdF9Z4T8YkWYAgpKNS0FW\
            RV";
        let v2 = "m+DS/q34MXpw2xp50ZD0B7val1mlMpQXo0mx+VPje0weFYRRuuZQBdJgcFPEpi2MVSpA4c\
            qgqHyj2/bU7/lz+BXkEBrCFVx0BJidxXfOLDW4TNtRhLS1YHJNGP8GvTg1+dCytBTLsCdm\
            5f945Eq1U/pY3Cg96YTUufFP6EYrfRoDbAsRHc+h+wKKftQv+W44yUmRhcCemGHtpxk3UQ\
            AMCI7EBv9BvveyZMy3p9qZ3xvFK34Hef+R7gjtFycz7Nk/4UF46sT3cTmUlXz9iFW4uz2F\
            rTI1Wjym+l0DadsbSpHSUjmp9zt4qRP2UjwfZ5QNLv+cdObIfqFsiThGu/PlKigdF4SLHr\
            nG";
        for pickle in [v1, v2] {
            let session = Session::from_libolm_pickle(pickle, b"secret_key").unwrap();
            assert_eq!(
                session.ratchet().root_key().as_bytes(),
                &unhex("49d640dc96b80176694af69fc4b8ca9fac49aecbd697d01fd8bee1ed2693b6c9")
            );
            let SendingChain::Active {
                ratchet_key, chain_key, ..
            } = session.ratchet().sending()
            else {
                panic!()
            };
            assert_eq!(
                ratchet_key.public_key().to_bytes(),
                unhex("f77a03eaa9b301fa7d2a5aa6b50286906de12cc96044f526dbbcb12839ad7003")
            );
            assert_eq!(
                *ratchet_key.secret().to_bytes(),
                unhex("d945c6ed4c7c277117adf11fb133a7936d287afe97c0b3ac989644b4490d4f31")
            );
            assert_eq!(chain_key.index(), 0);
            assert!(session.ratchet().receiving().is_empty() && session.ratchet().skipped().is_empty());
            assert!(!session.has_received_message());
            let keys = session.session_keys();
            assert_eq!(
                keys.identity_key.to_bytes(),
                unhex("7326b58623a3f7bd8da11a1bab51f432c02a7430241b326e9fc8916a21eb257e")
            );
            assert_eq!(
                keys.base_key.to_bytes(),
                unhex("0ab4b30bde20bd374ceccc72861660f0fd046f7516900796c3e5de41c598316c")
            );
            assert_eq!(
                keys.one_time_key.to_bytes(),
                unhex("585dba930b10d90d81702c715f4085d07c42b0cd2d676010bb6086c86c4cc618")
            );
        }
        // Version 1 is written back byte for byte.
        assert_eq!(
            Session::from_libolm_pickle(v1, b"secret_key")
                .unwrap()
                .to_libolm_pickle(b"secret_key")
                .unwrap()
                .as_str(),
            v1
        );
    }
}
