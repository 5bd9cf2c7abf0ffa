//! Stateful targets: the fuzz input is a script of Alice/Bob/room actions,
//! played against one or more *worlds* (a pair of peers, each this crate or
//! vodozemac) in lockstep, and against a model of what each side must
//! answer.
//!
//! The model follows the protocol as libolm implements it (chains, five
//! receiving chains, 2000-key gap, 40 skipped keys) and knows each
//! implementation's documented quirks, so every delivery is checked exactly:
//! genuine messages decrypt to what was sent exactly when they should, and
//! otherwise fail with the predicted error; tampered messages fail (ours
//! always, leaving the state unchanged; vodozemac only where it is not laxer
//! by design). Dropping and reordering are implicit: a delivery names any
//! message sent so far, so messages can arrive late, twice or never.

use olm::megolm::ReplayGuard;

use super::support::{FuzzRng, Input, LIBOLM_KEY, bytes_field, flip, libolm_open, libolm_seal, varint};

/// A message on the wire: Matrix type (0 pre-key, 1 normal) and bytes.
pub type Wire = (usize, Vec<u8>);

/// Why a delivery failed, in terms both implementations share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    Decode,
    Mac,
    Padding,
    MissingKey,
    Gap,
    NonContributory,
    MissingOtk,
    MismatchedIdentity,
    NoSession,
    Signature,
    UnknownIndex,
    Other,
}

type Outcome = Result<Vec<u8>, Fail>;
type GroupOutcome = Result<(Vec<u8>, u32), Fail>;

/// Which implementation a peer runs; the model's rules differ where the
/// implementations deliberately do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Ours,
    Vodozemac,
}

/// One device of either implementation: an account, at most one Olm session
/// (to the other peer), an outbound group session, and two inbound group
/// session slots (Bob's and Carol's devices, played by the same peer).
pub trait Peer {
    fn flavour(&self) -> Flavour;
    fn identity_key(&self) -> [u8; 32];
    fn new_one_time_key(&mut self) -> [u8; 32];
    fn open_session(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]);
    fn encrypt(&mut self, plaintext: &[u8]) -> Wire;
    /// Routes a message as a client would: a pre-key message goes to the
    /// session with its session id, or creates one; a normal message goes
    /// to the session.
    fn receive(&mut self, sender: [u8; 32], message: &Wire) -> Outcome;
    /// `receive` for a tampered message. Ours runs it for real (and checks
    /// the state is unchanged); vodozemac on a throwaway copy, since it
    /// accepts some tampering by design and would otherwise diverge.
    fn probe(&mut self, sender: [u8; 32], message: &Wire) -> Outcome;
    fn reload(&mut self, how: u8);
    fn group_encrypt(&mut self, plaintext: &[u8]) -> Vec<u8>;
    fn group_session_key(&mut self) -> Vec<u8>;
    fn group_join(&mut self, slot: usize, session_key: &[u8]);
    fn group_export(&mut self, slot: usize, index: u32) -> Option<Vec<u8>>;
    fn group_import(&mut self, slot: usize, export: &[u8]);
    fn group_has(&self, slot: usize) -> bool;
    fn group_session_id(&self, slot: usize) -> String;
    fn group_decrypt(&mut self, slot: usize, message: &[u8]) -> GroupOutcome;
    fn group_probe(&mut self, slot: usize, message: &[u8]) -> GroupOutcome;
}

// ---------------------------------------------------------------------------
// This crate.

mod ours {
    use olm::{
        megolm::{
            DecryptionError as MegolmError, ExportedSessionKey, GroupSession, InboundGroupSession, MegolmMessage,
            SessionConfig as MegolmConfig, SessionKey,
        },
        olm::{Account, DecryptionError, OlmMessage, Session, SessionConfig, SessionCreationError},
    };

    use super::super::support::{FuzzRng, LIBOLM_KEY, PICKLE_KEY};
    use super::{Fail, Flavour, GroupOutcome, Outcome, Peer, Wire};

    pub(super) fn olm_fail(error: DecryptionError) -> Fail {
        match error {
            DecryptionError::InvalidMac => Fail::Mac,
            DecryptionError::InvalidPadding => Fail::Padding,
            DecryptionError::MissingMessageKey(_) => Fail::MissingKey,
            DecryptionError::TooBigMessageGap(..) => Fail::Gap,
            DecryptionError::NonContributoryKey => Fail::NonContributory,
            _ => Fail::Other,
        }
    }

    fn creation_fail(error: SessionCreationError) -> Fail {
        match error {
            SessionCreationError::MissingOneTimeKey(_) => Fail::MissingOtk,
            SessionCreationError::MismatchedIdentityKey { .. } => Fail::MismatchedIdentity,
            SessionCreationError::NonContributoryKey => Fail::NonContributory,
            SessionCreationError::Decryption(e) => olm_fail(e),
            _ => Fail::Other,
        }
    }

    pub(super) fn megolm_fail(error: MegolmError) -> Fail {
        match error {
            MegolmError::Signature => Fail::Signature,
            MegolmError::InvalidMac => Fail::Mac,
            MegolmError::InvalidPadding => Fail::Padding,
            MegolmError::UnknownMessageIndex(..) => Fail::UnknownIndex,
            _ => Fail::Other,
        }
    }

    pub struct OursPeer {
        account: Account,
        session: Option<Session>,
        rng: FuzzRng,
        group: Option<GroupSession>,
        inbound: [Option<InboundGroupSession>; 2],
    }

    impl OursPeer {
        pub fn new(seed: u64) -> Self {
            let mut rng = FuzzRng::new(seed);
            Self {
                account: Account::new_with_rng(&mut rng),
                session: None,
                rng,
                group: None,
                inbound: [None, None],
            }
        }

        /// Everything but the generator, as libolm's deterministic pickles.
        fn snapshot(&self) -> Vec<Option<String>> {
            self.snapshot_with(true)
        }

        /// The state as libolm's pickles. Without `caches`, inbound group
        /// sessions are compared by what they keep in our format, which
        /// leaves out the latest-ratchet cache: their first known ratchet
        /// (as an export) and whether they are verified.
        fn snapshot_with(&self, caches: bool) -> Vec<Option<String>> {
            let mut state = vec![
                self.account.to_libolm_pickle(LIBOLM_KEY).ok().map(|p| p.to_string()),
                self.session
                    .as_ref()
                    .and_then(|s| s.to_libolm_pickle(LIBOLM_KEY).ok().map(|p| p.to_string())),
                self.group
                    .as_ref()
                    .and_then(|g| g.to_libolm_pickle(LIBOLM_KEY).ok().map(|p| p.to_string())),
            ];
            state.extend(self.inbound.iter().map(|i| {
                i.as_ref().and_then(|i| {
                    if caches {
                        i.to_libolm_pickle(LIBOLM_KEY).ok().map(|p| p.to_string())
                    } else {
                        let export = i.export_at_first_known_index().to_base64();
                        Some(format!("{} {}", export.as_str(), i.is_verified()))
                    }
                })
            }));
            state
        }

        fn receive_inner(&mut self, sender: [u8; 32], message: &Wire) -> Outcome {
            let parsed = OlmMessage::from_parts(message.0, &message.1).map_err(|_| Fail::Decode)?;
            match parsed {
                OlmMessage::PreKey(m) => {
                    if let Some(session) = self.session.as_mut().filter(|s| s.session_id() == m.session_id()) {
                        return session.decrypt(&OlmMessage::PreKey(m)).map_err(olm_fail);
                    }
                    let created = self
                        .account
                        .create_inbound_session(sender.into(), &m)
                        .map_err(creation_fail)?;
                    assert_eq!(created.session.session_id(), m.session_id());
                    self.session = Some(created.session);
                    Ok(created.plaintext)
                }
                normal => match &mut self.session {
                    Some(session) => session.decrypt(&normal).map_err(olm_fail),
                    None => Err(Fail::NoSession),
                },
            }
        }

        fn group_decrypt_inner(&mut self, slot: usize, message: &[u8]) -> GroupOutcome {
            let message = MegolmMessage::from_bytes(message).map_err(|_| Fail::Decode)?;
            let session = self.inbound[slot].as_mut().ok_or(Fail::NoSession)?;
            let decrypted = session.decrypt(&message).map_err(megolm_fail)?;
            Ok((decrypted.plaintext, decrypted.message_index))
        }
    }

    impl Peer for OursPeer {
        fn flavour(&self) -> Flavour {
            Flavour::Ours
        }

        fn identity_key(&self) -> [u8; 32] {
            self.account.curve25519_key().to_bytes()
        }

        fn new_one_time_key(&mut self) -> [u8; 32] {
            let created = self.account.generate_one_time_keys_with_rng(1, &mut self.rng).created;
            self.account.mark_keys_as_published();
            created[0].to_bytes()
        }

        fn open_session(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]) {
            let session = self
                .account
                .create_outbound_session_with_rng(
                    SessionConfig::version_1(),
                    identity_key.into(),
                    one_time_key.into(),
                    &mut self.rng,
                )
                .expect("honest keys open a session");
            self.session = Some(session);
        }

        fn encrypt(&mut self, plaintext: &[u8]) -> Wire {
            let session = self.session.as_mut().expect("the script encrypts only with a session");
            session.encrypt_with_rng(plaintext, &mut self.rng).to_parts()
        }

        fn receive(&mut self, sender: [u8; 32], message: &Wire) -> Outcome {
            let before = self.snapshot();
            let result = self.receive_inner(sender, message);
            if result.is_err() {
                assert_eq!(self.snapshot(), before, "a refused Olm message changed the state");
            }
            result
        }

        fn probe(&mut self, sender: [u8; 32], message: &Wire) -> Outcome {
            self.receive(sender, message)
        }

        fn reload(&mut self, how: u8) {
            // Our format leaves out inbound sessions' caches (libolm's keeps them).
            let caches = how & 1 == 0;
            let before = self.snapshot_with(caches);
            if how & 1 == 0 {
                let pickle = self.account.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string();
                self.account = Account::from_libolm_pickle(&pickle, LIBOLM_KEY).expect("reads back");
                if let Some(s) = &self.session {
                    let pickle = s.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string();
                    self.session = Some(Session::from_libolm_pickle(&pickle, LIBOLM_KEY).expect("reads back"));
                }
                if let Some(g) = &self.group {
                    let pickle = g.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string();
                    self.group = Some(GroupSession::from_libolm_pickle(&pickle, LIBOLM_KEY).expect("reads back"));
                }
                for slot in &mut self.inbound {
                    if let Some(i) = slot {
                        let pickle = i.to_libolm_pickle(LIBOLM_KEY).expect("pickles").to_string();
                        *slot = Some(InboundGroupSession::from_libolm_pickle(&pickle, LIBOLM_KEY).expect("reads back"));
                    }
                }
            } else {
                let pickle = self.account.pickle_with_rng(&PICKLE_KEY, &mut self.rng);
                self.account = Account::from_pickle(&pickle, &PICKLE_KEY).expect("reads back");
                if let Some(s) = &self.session {
                    let pickle = s.pickle_with_rng(&PICKLE_KEY, &mut self.rng);
                    self.session = Some(Session::from_pickle(&pickle, &PICKLE_KEY).expect("reads back"));
                }
                if let Some(g) = &self.group {
                    let pickle = g.pickle_with_rng(&PICKLE_KEY, &mut self.rng);
                    self.group = Some(GroupSession::from_pickle(&pickle, &PICKLE_KEY).expect("reads back"));
                }
                for slot in &mut self.inbound {
                    if let Some(i) = slot {
                        let pickle = i.pickle_with_rng(&PICKLE_KEY, &mut self.rng);
                        *slot = Some(InboundGroupSession::from_pickle(&pickle, &PICKLE_KEY).expect("reads back"));
                    }
                }
            }
            assert_eq!(
                self.snapshot_with(caches),
                before,
                "a pickle round trip changed the state"
            );
        }

        fn group_encrypt(&mut self, plaintext: &[u8]) -> Vec<u8> {
            let rng = &mut self.rng;
            let group = self
                .group
                .get_or_insert_with(|| GroupSession::new_with_rng(MegolmConfig::version_1(), rng));
            group.encrypt(plaintext).to_bytes()
        }

        fn group_session_key(&mut self) -> Vec<u8> {
            let rng = &mut self.rng;
            let group = self
                .group
                .get_or_insert_with(|| GroupSession::new_with_rng(MegolmConfig::version_1(), rng));
            group.session_key().to_bytes().to_vec()
        }

        fn group_join(&mut self, slot: usize, session_key: &[u8]) {
            let key = SessionKey::from_bytes(session_key).expect("a genuine session key");
            self.inbound[slot] = Some(InboundGroupSession::new(&key, MegolmConfig::version_1()));
        }

        fn group_export(&mut self, slot: usize, index: u32) -> Option<Vec<u8>> {
            let export = self.inbound[slot].as_ref()?.export_at(index)?;
            Some(export.to_bytes().to_vec())
        }

        fn group_import(&mut self, slot: usize, export: &[u8]) {
            let key = ExportedSessionKey::from_bytes(export).expect("a genuine export");
            let session = InboundGroupSession::import(&key, MegolmConfig::version_1());
            assert!(!session.is_verified(), "an import is never verified");
            self.inbound[slot] = Some(session);
        }

        fn group_has(&self, slot: usize) -> bool {
            self.inbound[slot].is_some()
        }

        fn group_session_id(&self, slot: usize) -> String {
            self.inbound[slot].as_ref().map(|i| i.session_id()).unwrap_or_default()
        }

        fn group_decrypt(&mut self, slot: usize, message: &[u8]) -> GroupOutcome {
            let before = self.snapshot();
            let result = self.group_decrypt_inner(slot, message);
            if result.is_err() {
                assert_eq!(self.snapshot(), before, "a refused Megolm message changed the state");
            }
            result
        }

        fn group_probe(&mut self, slot: usize, message: &[u8]) -> GroupOutcome {
            self.group_decrypt(slot, message)
        }
    }
}

// ---------------------------------------------------------------------------
// vodozemac.

mod vz {
    use vodozemac::{
        Curve25519PublicKey,
        megolm::{
            DecryptionError as MegolmError, ExportedSessionKey, GroupSession, GroupSessionPickle, InboundGroupSession,
            InboundGroupSessionPickle, MegolmMessage, SessionConfig as MegolmConfig, SessionKey,
        },
        olm::{
            Account, AccountPickle, DecryptionError, OlmMessage, Session, SessionConfig, SessionCreationError,
            SessionPickle,
        },
    };

    use super::super::support::PICKLE_KEY;
    use super::{Fail, Flavour, GroupOutcome, Outcome, Peer, Wire};

    fn olm_fail(error: DecryptionError) -> Fail {
        match error {
            DecryptionError::InvalidMAC(_) | DecryptionError::InvalidMACLength(..) => Fail::Mac,
            DecryptionError::InvalidPadding(_) => Fail::Padding,
            DecryptionError::MissingMessageKey(_) => Fail::MissingKey,
            DecryptionError::TooBigMessageGap(..) => Fail::Gap,
            DecryptionError::NonContributoryKey => Fail::NonContributory,
        }
    }

    fn creation_fail(error: SessionCreationError) -> Fail {
        match error {
            SessionCreationError::MissingOneTimeKey(_) => Fail::MissingOtk,
            SessionCreationError::MismatchedIdentityKey(..) => Fail::MismatchedIdentity,
            SessionCreationError::NonContributoryKey => Fail::NonContributory,
            SessionCreationError::Decryption(e) => olm_fail(e),
            SessionCreationError::MismatchedSessionConfig { .. } => Fail::Other,
        }
    }

    fn megolm_fail(error: MegolmError) -> Fail {
        match error {
            MegolmError::Signature(_) => Fail::Signature,
            MegolmError::InvalidMAC(_) | MegolmError::InvalidMACLength(..) => Fail::Mac,
            MegolmError::InvalidPadding(_) => Fail::Padding,
            MegolmError::UnknownMessageIndex(..) => Fail::UnknownIndex,
        }
    }

    pub struct VzPeer {
        account: Account,
        session: Option<Session>,
        group: Option<GroupSession>,
        inbound: [Option<InboundGroupSession>; 2],
    }

    impl VzPeer {
        pub fn new() -> Self {
            Self {
                account: Account::new(),
                session: None,
                group: None,
                inbound: [None, None],
            }
        }

        fn copy(&self) -> Self {
            Self {
                account: Account::from_pickle(self.account.pickle()),
                session: self.session.as_ref().map(|s| Session::from_pickle(s.pickle())),
                group: None,
                inbound: [
                    self.inbound[0]
                        .as_ref()
                        .map(|i| InboundGroupSession::from_pickle(i.pickle())),
                    self.inbound[1]
                        .as_ref()
                        .map(|i| InboundGroupSession::from_pickle(i.pickle())),
                ],
            }
        }
    }

    impl Peer for VzPeer {
        fn flavour(&self) -> Flavour {
            Flavour::Vodozemac
        }

        fn identity_key(&self) -> [u8; 32] {
            self.account.curve25519_key().to_bytes()
        }

        fn new_one_time_key(&mut self) -> [u8; 32] {
            let created = self.account.generate_one_time_keys(1).created;
            self.account.mark_keys_as_published();
            created[0].to_bytes()
        }

        fn open_session(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]) {
            let session = self
                .account
                .create_outbound_session(
                    SessionConfig::version_1(),
                    Curve25519PublicKey::from_bytes(identity_key),
                    Curve25519PublicKey::from_bytes(one_time_key),
                )
                .expect("honest keys open a session");
            self.session = Some(session);
        }

        fn encrypt(&mut self, plaintext: &[u8]) -> Wire {
            let session = self.session.as_mut().expect("the script encrypts only with a session");
            session.encrypt(plaintext).expect("honest sessions encrypt").to_parts()
        }

        fn receive(&mut self, sender: [u8; 32], message: &Wire) -> Outcome {
            let parsed = OlmMessage::from_parts(message.0, &message.1).map_err(|_| Fail::Decode)?;
            match parsed {
                OlmMessage::PreKey(m) => {
                    if let Some(session) = self.session.as_mut().filter(|s| s.session_id() == m.session_id()) {
                        return session.decrypt(&OlmMessage::PreKey(m)).map_err(olm_fail);
                    }
                    let created = self
                        .account
                        .create_inbound_session(SessionConfig::version_1(), Curve25519PublicKey::from_bytes(sender), &m)
                        .map_err(creation_fail)?;
                    self.session = Some(created.session);
                    Ok(created.plaintext)
                }
                normal => match &mut self.session {
                    Some(session) => session.decrypt(&normal).map_err(olm_fail),
                    None => Err(Fail::NoSession),
                },
            }
        }

        fn probe(&mut self, sender: [u8; 32], message: &Wire) -> Outcome {
            self.copy().receive(sender, message)
        }

        fn reload(&mut self, _how: u8) {
            let pickle = self.account.pickle().encrypt(&PICKLE_KEY);
            self.account =
                Account::from_pickle(AccountPickle::from_encrypted(&pickle, &PICKLE_KEY).expect("reads back"));
            if let Some(s) = &self.session {
                let pickle = s.pickle().encrypt(&PICKLE_KEY);
                let pickle = SessionPickle::from_encrypted(&pickle, &PICKLE_KEY).expect("reads back");
                self.session = Some(Session::from_pickle(pickle));
            }
            if let Some(g) = &self.group {
                let pickle = g.pickle().encrypt(&PICKLE_KEY);
                let pickle = GroupSessionPickle::from_encrypted(&pickle, &PICKLE_KEY).expect("reads back");
                self.group = Some(GroupSession::from_pickle(pickle));
            }
            for slot in &mut self.inbound {
                if let Some(i) = slot {
                    let pickle = i.pickle().encrypt(&PICKLE_KEY);
                    let pickle = InboundGroupSessionPickle::from_encrypted(&pickle, &PICKLE_KEY).expect("reads back");
                    *slot = Some(InboundGroupSession::from_pickle(pickle));
                }
            }
        }

        fn group_encrypt(&mut self, plaintext: &[u8]) -> Vec<u8> {
            let group = self
                .group
                .get_or_insert_with(|| GroupSession::new(MegolmConfig::version_1()));
            group.encrypt(plaintext).to_bytes()
        }

        fn group_session_key(&mut self) -> Vec<u8> {
            let group = self
                .group
                .get_or_insert_with(|| GroupSession::new(MegolmConfig::version_1()));
            group.session_key().to_bytes()
        }

        fn group_join(&mut self, slot: usize, session_key: &[u8]) {
            let key = SessionKey::from_bytes(session_key).expect("a genuine session key");
            self.inbound[slot] = Some(InboundGroupSession::new(&key, MegolmConfig::version_1()));
        }

        fn group_export(&mut self, slot: usize, index: u32) -> Option<Vec<u8>> {
            Some(self.inbound[slot].as_mut()?.export_at(index)?.to_bytes())
        }

        fn group_import(&mut self, slot: usize, export: &[u8]) {
            let key = ExportedSessionKey::from_bytes(export).expect("a genuine export");
            self.inbound[slot] = Some(InboundGroupSession::import(&key, MegolmConfig::version_1()));
        }

        fn group_has(&self, slot: usize) -> bool {
            self.inbound[slot].is_some()
        }

        fn group_session_id(&self, slot: usize) -> String {
            self.inbound[slot].as_ref().map(|i| i.session_id()).unwrap_or_default()
        }

        fn group_decrypt(&mut self, slot: usize, message: &[u8]) -> GroupOutcome {
            let message = MegolmMessage::from_bytes(message).map_err(|_| Fail::Decode)?;
            let session = self.inbound[slot].as_mut().ok_or(Fail::NoSession)?;
            let decrypted = session.decrypt(&message).map_err(megolm_fail)?;
            Ok((decrypted.plaintext, decrypted.message_index))
        }

        fn group_probe(&mut self, slot: usize, message: &[u8]) -> GroupOutcome {
            self.copy().group_decrypt(slot, message)
        }
    }
}

pub use ours::OursPeer;
pub use vz::VzPeer;

// ---------------------------------------------------------------------------
// The model.

/// libolm's limits, which both implementations keep.
const MAX_GAP: u32 = 2000;
const MAX_SKIPPED: usize = 40;
const MAX_CHAINS: usize = 5;

#[derive(Clone, Debug)]
struct ChainModel {
    id: usize,
    next: u32,
    /// vodozemac's skipped keys of this chain, oldest first.
    skipped: Vec<u32>,
}

#[derive(Clone, Debug)]
struct PartyModel {
    flavour: Flavour,
    has_session: bool,
    received: bool,
    /// The chain we send on, if any.
    sending: Option<usize>,
    /// The other side's chain our next new chain answers.
    against: Option<usize>,
    /// Newest first.
    receiving: Vec<ChainModel>,
    /// Ours: skipped keys of all chains, newest first.
    skipped: Vec<(usize, u32)>,
}

#[derive(Clone, Debug)]
struct OlmModel {
    parties: [PartyModel; 2],
    /// Per chain: the other side's chain it answers (none for the first).
    answers: Vec<Option<usize>>,
    /// Per chain: the index of its next message.
    next_send: Vec<u32>,
}

/// What the model knows of a sent message.
#[derive(Clone, Debug)]
struct Sent {
    from: usize,
    chain: usize,
    index: u32,
    plaintext: Vec<u8>,
}

impl OlmModel {
    fn new(flavours: [Flavour; 2]) -> Self {
        let party = |flavour| PartyModel {
            flavour,
            has_session: false,
            received: false,
            sending: None,
            against: None,
            receiving: Vec::new(),
            skipped: Vec::new(),
        };
        let mut model = Self {
            parties: [party(flavours[0]), party(flavours[1])],
            answers: Vec::new(),
            next_send: Vec::new(),
        };
        // Alice's session starts on a chain of her own, answering nothing.
        let first = model.new_chain(None);
        model.parties[0].has_session = true;
        model.parties[0].sending = Some(first);
        model
    }

    fn new_chain(&mut self, answers: Option<usize>) -> usize {
        self.answers.push(answers);
        self.next_send.push(0);
        self.answers.len() - 1
    }

    /// Records a message sent by `from`; returns it and whether it must be a
    /// pre-key message.
    fn send(&mut self, from: usize, plaintext: Vec<u8>) -> (Sent, bool) {
        let chain = match self.parties[from].sending {
            Some(chain) => chain,
            None => {
                let chain = self.new_chain(self.parties[from].against);
                self.parties[from].sending = Some(chain);
                chain
            }
        };
        let index = self.next_send[chain];
        self.next_send[chain] += 1;
        let pre_key = !self.parties[from].received;
        (
            Sent {
                from,
                chain,
                index,
                plaintext,
            },
            pre_key,
        )
    }

    /// The outcome of delivering a genuine message, applied to the model.
    fn deliver(&mut self, sent: &Sent, pre_key: bool) -> Outcome {
        let to = 1 - sent.from;
        if !self.parties[to].has_session {
            if !pre_key {
                return Err(Fail::NoSession);
            }
            if sent.index > MAX_GAP {
                return Err(Fail::Gap);
            }
            let party = &mut self.parties[to];
            party.has_session = true;
            party.sending = None;
            party.against = Some(sent.chain);
            party.receiving = vec![ChainModel {
                id: sent.chain,
                next: 0,
                skipped: Vec::new(),
            }];
            return Self::on_chain(party, 0, sent);
        }
        match self.parties[to].receiving.iter().position(|c| c.id == sent.chain) {
            Some(position) => Self::on_chain(&mut self.parties[to], position, sent),
            None => self.on_new_chain(to, sent),
        }
    }

    fn on_chain(party: &mut PartyModel, position: usize, sent: &Sent) -> Outcome {
        let flavour = party.flavour;
        let chain = &mut party.receiving[position];
        if sent.index >= chain.next {
            if sent.index - chain.next > MAX_GAP {
                return Err(Fail::Gap);
            }
            let from = chain.next.max(sent.index.saturating_sub(MAX_SKIPPED as u32));
            for index in from..sent.index {
                match flavour {
                    Flavour::Ours => party.skipped.insert(0, (chain.id, index)),
                    Flavour::Vodozemac => {
                        chain.skipped.push(index);
                        if chain.skipped.len() > MAX_SKIPPED {
                            chain.skipped.remove(0);
                        }
                    }
                }
            }
            party.skipped.truncate(MAX_SKIPPED);
            chain.next = sent.index + 1;
        } else {
            let found = match flavour {
                Flavour::Ours => {
                    let key = (chain.id, sent.index);
                    party
                        .skipped
                        .iter()
                        .position(|k| *k == key)
                        .map(|p| party.skipped.remove(p))
                }
                Flavour::Vodozemac => chain
                    .skipped
                    .iter()
                    .position(|k| *k == sent.index)
                    .map(|p| (chain.id, chain.skipped.remove(p))),
            };
            if found.is_none() {
                return Err(Fail::MissingKey);
            }
        }
        party.received = true;
        Ok(sent.plaintext.clone())
    }

    fn on_new_chain(&mut self, to: usize, sent: &Sent) -> Outcome {
        let active = match (self.parties[to].sending, self.parties[to].flavour) {
            (Some(chain), _) => chain,
            // Ours, like libolm: a new chain while we have not replied to
            // the last one fails authentication, changing nothing.
            (None, Flavour::Ours) => return Err(Fail::Mac),
            // vodozemac starts its next sending chain first, and keeps it even
            // though the message then fails (no honest peer sends this).
            (None, Flavour::Vodozemac) => {
                let chain = self.new_chain(self.parties[to].against);
                self.parties[to].sending = Some(chain);
                chain
            }
        };
        if sent.index > MAX_GAP {
            return Err(Fail::Gap);
        }
        if self.answers[sent.chain] != Some(active) {
            return Err(Fail::Mac);
        }
        let party = &mut self.parties[to];
        party.sending = None;
        party.against = Some(sent.chain);
        party.receiving.insert(
            0,
            ChainModel {
                id: sent.chain,
                next: 0,
                skipped: Vec::new(),
            },
        );
        party.receiving.truncate(MAX_CHAINS);
        Self::on_chain(party, 0, sent)
    }
}

/// Whether a receiver whose first known index is `first` decrypts `index`.
/// Ours reaches the 2^31 indices from `first` on, modulo 2^32 (libolm's
/// rule); vodozemac compares plain integers.
fn megolm_known(flavour: Flavour, first: u32, index: u32) -> bool {
    match flavour {
        Flavour::Ours => index.wrapping_sub(first) < 1 << 31,
        Flavour::Vodozemac => index >= first,
    }
}

// ---------------------------------------------------------------------------
// Tampering.

#[derive(Clone, Copy, Debug)]
enum Tamper {
    Flip(usize),
    /// An unknown varint field inserted into the authenticated bytes.
    UnknownField,
    /// The index re-encoded as a non-minimal varint.
    NonMinimalIndex,
    /// The top bit of a Curve25519 key (0: first key, …) set.
    TopBit(u8),
    Truncate(usize),
    /// Megolm only: the index plus 2^32.
    OversizedIndex,
}

impl Tamper {
    fn read(input: &mut Input<'_>) -> Self {
        let kind = input.u8();
        let param = usize::from(input.u16());
        match kind % 6 {
            0 => Self::Flip(param),
            1 => Self::UnknownField,
            2 => Self::NonMinimalIndex,
            3 => Self::TopBit(param as u8 % 4),
            4 => Self::Truncate(param),
            _ => Self::OversizedIndex,
        }
    }
}

/// Offsets in a genuine (canonically framed) normal Olm message.
const OLM_RATCHET_KEY_END: usize = 35;
/// Offset of the three outer keys' last bytes in a genuine pre-key message.
const PRE_KEY_KEY_ENDS: [usize; 3] = [35, 69, 103];

/// Replaces a varint field's value encoding at `at` (just after its tag).
fn replace_varint(bytes: &[u8], at: usize, value: u64, non_minimal: bool) -> Vec<u8> {
    let len = bytes[at..].iter().position(|b| b & 0x80 == 0).map_or(0, |p| p + 1);
    let mut encoded = Vec::new();
    varint(&mut encoded, value);
    if non_minimal {
        *encoded.last_mut().expect("a varint has a byte") |= 0x80;
        encoded.push(0);
    }
    let mut out = bytes[..at].to_vec();
    out.extend(encoded);
    out.extend_from_slice(&bytes[at + len..]);
    out
}

/// Applies `tamper` to a normal Olm message; `None` when it does not apply.
fn tamper_olm_normal(bytes: &[u8], tamper: Tamper) -> Option<Vec<u8>> {
    let mac_start = bytes.len() - 8;
    match tamper {
        Tamper::Flip(bit) => Some(flip(bytes, bit)),
        Tamper::UnknownField => {
            let mut out = bytes[..mac_start].to_vec();
            out.extend([0x48, 0x01]);
            out.extend_from_slice(&bytes[mac_start..]);
            Some(out)
        }
        Tamper::NonMinimalIndex => {
            let index = super::support::read_varint(&bytes[OLM_RATCHET_KEY_END + 1..])?;
            Some(replace_varint(bytes, OLM_RATCHET_KEY_END + 1, index, true))
        }
        Tamper::TopBit(_) => {
            let mut out = bytes.to_vec();
            out[OLM_RATCHET_KEY_END - 1] |= 0x80;
            Some(out)
        }
        Tamper::Truncate(n) => Some(bytes[..n % bytes.len()].to_vec()),
        Tamper::OversizedIndex => None,
    }
}

/// Applies `tamper` to a pre-key message: to its outer keys, or through
/// `tamper_olm_normal` to the message inside (re-wrapped).
fn tamper_pre_key(bytes: &[u8], tamper: Tamper) -> Option<Vec<u8>> {
    let inner_start = 104 + super::support::varint_len(&bytes[104..])?;
    let rewrap = |inner: Vec<u8>| {
        let mut out = bytes[..103].to_vec();
        bytes_field(&mut out, 4, &inner);
        out
    };
    match tamper {
        Tamper::Flip(bit) => Some(flip(bytes, bit)),
        Tamper::Truncate(n) => Some(bytes[..n % bytes.len()].to_vec()),
        Tamper::TopBit(which @ 0..=2) => {
            let mut out = bytes.to_vec();
            out[PRE_KEY_KEY_ENDS[usize::from(which)] - 1] |= 0x80;
            Some(out)
        }
        other => tamper_olm_normal(&bytes[inner_start..], other).map(rewrap),
    }
}

/// Applies `tamper` to a Megolm message.
fn tamper_megolm(bytes: &[u8], tamper: Tamper) -> Option<Vec<u8>> {
    let suffix = bytes.len() - 72;
    match tamper {
        Tamper::Flip(bit) => Some(flip(bytes, bit)),
        Tamper::Truncate(n) => Some(bytes[..n % bytes.len()].to_vec()),
        Tamper::UnknownField => {
            let mut out = bytes[..suffix].to_vec();
            out.extend([0x48, 0x01]);
            out.extend_from_slice(&bytes[suffix..]);
            Some(out)
        }
        Tamper::NonMinimalIndex => {
            let index = super::support::read_varint(&bytes[2..])?;
            Some(replace_varint(bytes, 2, index, true))
        }
        Tamper::OversizedIndex => {
            let index = super::support::read_varint(&bytes[2..])?;
            Some(replace_varint(bytes, 2, index + (1 << 32), false))
        }
        Tamper::TopBit(_) => None,
    }
}

/// A field as a protobuf reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Varint(u64),
    Bytes(Vec<u8>),
    /// Fixed-width fields (wire types 1 and 5), which Olm never uses.
    Fixed,
}

fn read_varint_len(bytes: &[u8]) -> Option<(u64, usize)> {
    let len = super::support::varint_len(bytes)?;
    if len == 10 && bytes[9] > 1 {
        return None;
    }
    Some((super::support::read_varint(bytes)?, len))
}

/// The fields of `bytes` as a lenient protobuf reader (prost, which
/// vodozemac uses) reads them, in order; `None` where it gives an error.
fn protobuf_fields(bytes: &[u8]) -> Option<Vec<(u64, Value)>> {
    let mut pos = 0;
    let mut fields = Vec::new();
    while pos < bytes.len() {
        let (tag, n) = read_varint_len(&bytes[pos..])?;
        pos += n;
        let number = tag >> 3;
        if number == 0 || number > u64::from(u32::MAX >> 3) {
            return None;
        }
        let value = match tag & 7 {
            0 => {
                let (value, n) = read_varint_len(&bytes[pos..])?;
                pos += n;
                Value::Varint(value)
            }
            2 => {
                let (len, n) = read_varint_len(&bytes[pos..])?;
                pos += n;
                let end = pos.checked_add(usize::try_from(len).ok()?)?;
                let value = Value::Bytes(bytes.get(pos..end)?.to_vec());
                pos = end;
                value
            }
            1 | 5 => {
                pos = pos.checked_add(if tag & 7 == 1 { 8 } else { 4 })?;
                if pos > bytes.len() {
                    return None;
                }
                Value::Fixed
            }
            _ => return None,
        };
        fields.push((number, value));
    }
    Some(fields)
}

/// The last value of a known field, protobuf's rule; the wrong wire type for
/// a known field is an error.
fn field(fields: &[(u64, Value)], number: u64, bytes: bool) -> Option<Option<Value>> {
    let mut found = None;
    for (n, value) in fields {
        if *n == number {
            match (value, bytes) {
                (Value::Bytes(_), true) | (Value::Varint(_), false) => found = Some(value.clone()),
                _ => return None,
            }
        }
    }
    Some(found)
}

/// What vodozemac authenticates for a normal Olm message: the canonical
/// re-encoding of the fields it parsed (missing fields read as empty or 0),
/// followed by the MAC as received. `None` where it refuses to decode.
fn vodozemac_olm_view(bytes: &[u8]) -> Option<Vec<u8>> {
    let (&version, rest) = bytes.split_first()?;
    let (body, mac) = rest.split_at(rest.len().checked_sub(8)?);
    if version != 3 {
        return None;
    }
    let fields = protobuf_fields(body)?;
    let key = match field(&fields, 1, true)? {
        Some(Value::Bytes(key)) if key.len() == 32 => key,
        _ => return None,
    };
    let index = match field(&fields, 2, false)? {
        Some(Value::Varint(index)) => index,
        _ => 0,
    };
    let ciphertext = match field(&fields, 4, true)? {
        Some(Value::Bytes(ciphertext)) => ciphertext,
        _ => Vec::new(),
    };
    let mut out = vec![3];
    bytes_field(&mut out, 1, &key);
    out.push(0x10);
    varint(&mut out, index);
    bytes_field(&mut out, 4, &ciphertext);
    out.extend_from_slice(mac);
    Some(out)
}

/// vodozemac's reading of a pre-key message: the three outer keys (which
/// must be 32 bytes) and the view of the message inside.
fn vodozemac_pre_key_view(bytes: &[u8]) -> Option<([Vec<u8>; 3], Vec<u8>)> {
    let (&version, body) = bytes.split_first()?;
    if version != 3 {
        return None;
    }
    let fields = protobuf_fields(body)?;
    let key = |number| match field(&fields, number, true) {
        Some(Some(Value::Bytes(key))) if key.len() == 32 => Some(key),
        _ => None,
    };
    let keys = [key(1)?, key(2)?, key(3)?];
    let inner = match field(&fields, 4, true)? {
        Some(Value::Bytes(inner)) => inner,
        _ => Vec::new(),
    };
    Some((keys, vodozemac_olm_view(&inner)?))
}

/// Equal as Curve25519 public keys in vodozemac, which compares them as
/// field elements: the top bit does not count. (Encodings of u ≥ p, which
/// also compare equal, never come from a single change to an honest key.)
fn same_field_element(a: &[u8], b: &[u8]) -> bool {
    a.len() == 32 && b.len() == 32 && a[..31] == b[..31] && a[31] & 0x7f == b[31] & 0x7f
}

/// What vodozemac authenticates for a Megolm message: the canonical
/// re-encoding of the index (truncated to 32 bits) and ciphertext, then the
/// MAC and signature as received.
fn vodozemac_megolm_view(bytes: &[u8]) -> Option<Vec<u8>> {
    let (&version, rest) = bytes.split_first()?;
    let (body, suffix) = rest.split_at(rest.len().checked_sub(72)?);
    if version != 3 {
        return None;
    }
    let fields = protobuf_fields(body)?;
    let index = match field(&fields, 1, false)? {
        Some(Value::Varint(index)) => index as u32,
        _ => 0,
    };
    let ciphertext = match field(&fields, 2, true)? {
        Some(Value::Bytes(ciphertext)) => ciphertext,
        _ => Vec::new(),
    };
    let mut out = vec![3, 0x08];
    varint(&mut out, index.into());
    bytes_field(&mut out, 2, &ciphertext);
    out.extend_from_slice(suffix);
    Some(out)
}

// ---------------------------------------------------------------------------
// The script.

/// One pair of peers with everything the script sent between them.
struct World {
    peers: [Box<dyn Peer>; 2],
    model: OlmModel,
    /// Per Olm message: (wire, model record, pre-key flag).
    olm: Vec<(Wire, Sent, bool)>,
    /// Per Megolm message: bytes, index, plaintext.
    megolm: Vec<(Vec<u8>, u32, Vec<u8>)>,
    /// First known index of each inbound slot, per the model.
    group_first: [Option<u32>; 2],
    guards: [ReplayGuard; 2],
    /// Indices recorded in each slot's guard.
    recorded: [Vec<(u32, String)>; 2],
    group_index: u32,
}

impl World {
    fn new(flavours: [Flavour; 2], seed: u64) -> Self {
        let peer = |flavour, seed| -> Box<dyn Peer> {
            match flavour {
                Flavour::Ours => Box::new(OursPeer::new(seed)),
                Flavour::Vodozemac => Box::new(VzPeer::new()),
            }
        };
        let mut peers = [peer(flavours[0], seed), peer(flavours[1], seed ^ 0xb0b)];
        let bob_identity = peers[1].identity_key();
        let one_time_key = peers[1].new_one_time_key();
        peers[0].open_session(bob_identity, one_time_key);
        Self {
            peers,
            model: OlmModel::new(flavours),
            olm: Vec::new(),
            megolm: Vec::new(),
            group_first: [None, None],
            guards: [ReplayGuard::new(), ReplayGuard::new()],
            recorded: [Vec::new(), Vec::new()],
            group_index: 0,
        }
    }

    fn send(&mut self, from: usize, plaintext: Vec<u8>) {
        if !self.model.parties[from].has_session {
            return;
        }
        let wire = self.peers[from].encrypt(&plaintext);
        let (sent, pre_key) = self.model.send(from, plaintext);
        assert_eq!(wire.0, usize::from(!pre_key), "message type");
        self.olm.push((wire, sent, pre_key));
    }

    /// Delivers message `pick` (of those sent by `from`), genuine or
    /// tampered.
    fn deliver(&mut self, from: usize, pick: usize, tamper: Option<Tamper>) {
        let candidates: Vec<usize> = (0..self.olm.len()).filter(|&i| self.olm[i].1.from == from).collect();
        let Some(&i) = candidates.get(pick % candidates.len().max(1)) else {
            return;
        };
        let (wire, sent, pre_key) = self.olm[i].clone();
        let to = 1 - from;
        let sender = self.peers[from].identity_key();
        let Some(tamper) = tamper else {
            let expected = self.model.deliver(&sent, pre_key);
            let got = self.peers[to].receive(sender, &wire);
            assert_eq!(
                got,
                expected,
                "delivery of {sent:?} to a {:?} peer",
                self.peers[to].flavour()
            );
            return;
        };
        let tampered = if wire.0 == 0 {
            tamper_pre_key(&wire.1, tamper)
        } else {
            tamper_olm_normal(&wire.1, tamper)
        };
        let Some(tampered) = tampered else {
            return;
        };
        if tampered == wire.1 {
            return;
        }
        let tampered_bytes = tampered.clone();
        let got = self.peers[to].probe(sender, &(wire.0, tampered));
        let flavour = self.peers[to].flavour();
        // What the genuine message would give now, without delivering it.
        let genuine = self.model.clone().deliver(&sent, pre_key);
        match (flavour, tamper) {
            (Flavour::Ours, Tamper::TopBit(_)) => assert_eq!(got, Err(Fail::Decode), "ours refuses a top bit"),
            // The same routing as the genuine message; only the MAC over
            // the bytes as received differs.
            (Flavour::Ours, Tamper::UnknownField | Tamper::NonMinimalIndex) => {
                assert_eq!(got, Err(genuine.err().unwrap_or(Fail::Mac)), "ours refuses {tamper:?}")
            }
            (Flavour::Ours, _) => assert!(got.is_err(), "ours accepted {tamper:?} of {sent:?}: {got:?}"),
            (Flavour::Vodozemac, _) => {
                let tampered = &tampered_bytes;
                // vodozemac authenticates a re-encoding of what it parsed, so
                // it takes the tampered message as the genuine one exactly
                // when that re-encoding is the genuine message. For a pre-key
                // message, the outer keys must also be the genuine ones: byte
                // for byte to reach the existing session (same session id),
                // or as field elements (top bit ignored) to open a new one.
                let same = if wire.0 == 1 {
                    vodozemac_olm_view(tampered).as_ref() == Some(&wire.1)
                } else {
                    let genuine_view = vodozemac_pre_key_view(&wire.1).expect("genuine messages parse");
                    vodozemac_pre_key_view(tampered).is_some_and(|(keys, inner)| {
                        inner == genuine_view.1
                            && if self.model.parties[to].has_session {
                                keys == genuine_view.0
                            } else {
                                keys.iter().zip(&genuine_view.0).all(|(a, b)| same_field_element(a, b))
                            }
                    })
                };
                if same {
                    assert_eq!(got, genuine, "vodozemac reads {tamper:?} as the genuine message");
                } else {
                    assert!(got.is_err(), "vodozemac accepted {tamper:?} of {sent:?}: {got:?}");
                }
            }
        }
    }

    fn group_send(&mut self, plaintext: Vec<u8>) {
        let bytes = self.peers[0].group_encrypt(&plaintext);
        self.megolm.push((bytes, self.group_index, plaintext));
        self.group_index = self.group_index.wrapping_add(1);
    }

    fn share(&mut self, slot: usize) {
        let key = self.peers[0].group_session_key();
        self.peers[1].group_join(slot, &key);
        self.group_first[slot] = Some(self.group_index);
        self.recorded[slot].clear();
        self.guards[slot] = ReplayGuard::new();
    }

    fn late_join(&mut self, ahead: u8) {
        let Some(first) = self.group_first[0] else {
            return;
        };
        let index = first.wrapping_add(u32::from(ahead));
        let export = self.peers[1]
            .group_export(0, index)
            .expect("an index after the first exports");
        self.peers[1].group_import(1, &export);
        self.group_first[1] = Some(index);
        self.recorded[1].clear();
        self.guards[1] = ReplayGuard::new();
    }

    fn group_deliver(&mut self, slot: usize, pick: usize, replay_event: Option<usize>, tamper: Option<Tamper>) {
        let Some(i) = (!self.megolm.is_empty()).then(|| pick % self.megolm.len()) else {
            return;
        };
        let (bytes, index, plaintext) = self.megolm[i].clone();
        let flavour = self.peers[1].flavour();
        let expected = match self.group_first[slot] {
            None => Err(Fail::NoSession),
            Some(first) if megolm_known(flavour, first, index) => Ok((plaintext.clone(), index)),
            Some(_) => Err(Fail::UnknownIndex),
        };
        if let Some(tamper) = tamper {
            let Some(tampered) = tamper_megolm(&bytes, tamper) else {
                return;
            };
            if tampered == bytes {
                return;
            }
            let got = self.peers[1].group_probe(slot, &tampered);
            if flavour == Flavour::Vodozemac && vodozemac_megolm_view(&tampered).as_ref() == Some(&bytes) {
                assert_eq!(got, expected, "{flavour:?} accepts {tamper:?} by design");
            } else {
                assert!(
                    got.is_err(),
                    "{flavour:?} accepted {tamper:?} of Megolm message {index}"
                );
                if flavour == Flavour::Ours && self.group_first[slot].is_some() {
                    match tamper {
                        Tamper::UnknownField | Tamper::NonMinimalIndex => assert_eq!(got, Err(Fail::Signature)),
                        Tamper::OversizedIndex => assert_eq!(got, Err(Fail::Decode)),
                        _ => {}
                    }
                }
            }
            return;
        }
        let got = self.peers[1].group_decrypt(slot, &bytes);
        assert_eq!(got, expected, "Megolm message {index} to slot {slot} ({flavour:?})");
        if got.is_ok() {
            // The application's replay check: the event that first used an
            // index may come again; another event at that index may not.
            let event = match replay_event {
                Some(n) => format!("$replay{n}"),
                None => format!("$event{i}"),
            };
            let session_id = self.peers[1].group_session_id(slot);
            let result = self.guards[slot].record(&session_id, index, &event);
            let first = self.recorded[slot]
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, e)| e.clone());
            let replay = first.as_ref().is_some_and(|first| *first != event);
            assert_eq!(result.is_err(), replay, "replay guard at index {index}");
            if first.is_none() {
                self.recorded[slot].push((index, event));
            }
        }
    }
}

fn plaintext(input: &mut Input<'_>, step: usize) -> Vec<u8> {
    let mut text = format!("#{step}:").into_bytes();
    let len = usize::from(input.u8() % 48);
    text.extend(std::iter::repeat_n(b'.', len));
    text
}

/// Plays the script in `data` against every world at once.
fn play(data: &[u8], pairs: &[[Flavour; 2]]) {
    let mut input = Input::new(data);
    let seed = input.u64();
    let mut worlds: Vec<World> = pairs.iter().map(|&pair| World::new(pair, seed)).collect();
    let mut step = 0usize;
    while !input.is_empty() && step < 256 {
        step += 1;
        let op = input.u8();
        match op % 16 {
            0 | 1 => {
                let from = usize::from(op % 2);
                let text = plaintext(&mut input, step);
                worlds.iter_mut().for_each(|w| w.send(from, text.clone()));
            }
            2 | 3 => {
                let from = usize::from(op % 2);
                let pick = usize::from(input.u16());
                worlds.iter_mut().for_each(|w| w.deliver(from, pick, None));
            }
            4 | 5 => {
                let from = usize::from(op % 2);
                let pick = usize::from(input.u16());
                let tamper = Tamper::read(&mut input);
                worlds.iter_mut().for_each(|w| w.deliver(from, pick, Some(tamper)));
            }
            6 | 7 => {
                let how = input.u8();
                worlds.iter_mut().for_each(|w| w.peers[usize::from(op % 2)].reload(how));
            }
            8 => {
                let text = plaintext(&mut input, step);
                worlds.iter_mut().for_each(|w| w.group_send(text.clone()));
            }
            9 => {
                let slot = usize::from(input.u8() % 2);
                worlds.iter_mut().for_each(|w| w.share(slot));
            }
            10 => {
                let ahead = input.u8();
                worlds.iter_mut().for_each(|w| w.late_join(ahead));
            }
            11 | 12 => {
                let slot = usize::from(input.u8() % 2);
                let pick = usize::from(input.u16());
                let replay = (op % 16 == 12).then_some(step);
                worlds
                    .iter_mut()
                    .for_each(|w| w.group_deliver(slot, pick, replay, None));
            }
            13 => {
                let slot = usize::from(input.u8() % 2);
                let pick = usize::from(input.u16());
                let tamper = Tamper::read(&mut input);
                worlds
                    .iter_mut()
                    .for_each(|w| w.group_deliver(slot, pick, None, Some(tamper)));
            }
            14 => {
                // A burst: several messages from one side, so gaps, skipped
                // keys and the 40-key limit come into play quickly.
                let from = usize::from(input.u8() % 2);
                let count = input.u8() % 50;
                for n in 0..count {
                    let text = format!("#{step}.{n}").into_bytes();
                    worlds.iter_mut().for_each(|w| w.send(from, text.clone()));
                }
            }
            _ => {
                let count = input.u8() % 8;
                for n in 0..count {
                    let text = format!("#{step}.{n}").into_bytes();
                    worlds.iter_mut().for_each(|w| w.group_send(text.clone()));
                }
            }
        }
    }
}

/// The stateful target: this crate on both sides.
pub fn interaction(data: &[u8]) {
    play(data, &[[Flavour::Ours, Flavour::Ours]]);
}

/// The differential target: the same script with this crate and vodozemac
/// on each side in every combination. Each world is checked against the
/// model with its own flavour, so the implementations agree on every
/// plaintext and every accept/reject except where the model's documented
/// rules differ (see fuzz/README.md).
pub fn differential(data: &[u8]) {
    if data.first() == Some(&0xff) && data.len() >= 3 {
        megolm_index_window(u32::from(data[1]) % 16, data[2] % 8);
    }
    play(
        data,
        &[
            [Flavour::Ours, Flavour::Ours],
            [Flavour::Vodozemac, Flavour::Vodozemac],
            [Flavour::Ours, Flavour::Vodozemac],
            [Flavour::Vodozemac, Flavour::Ours],
        ],
    );
}

// ---------------------------------------------------------------------------
// The Megolm index window, across the u32 wrap and 2^31 ahead.

/// A group session of this crate at `index` with the ratchet `ratchet`,
/// signing with the expanded key in `template`'s libolm pickle body.
fn group_session_at(template: &[u8], ratchet: &[u8], index: u32) -> olm::megolm::GroupSession {
    let mut body = template.to_vec();
    body[4..132].copy_from_slice(ratchet);
    body[132..136].copy_from_slice(&index.to_be_bytes());
    olm::megolm::GroupSession::from_libolm_pickle(&libolm_seal(LIBOLM_KEY, &body), LIBOLM_KEY)
        .expect("a well-formed group session pickle")
}

/// Checks the one deliberate Megolm difference: an inbound session of this
/// crate reaches the 2^31 indices after its first known one modulo 2^32
/// (libolm's rule), vodozemac's every index at or above it as an integer.
/// So across the wrap ours decrypts and vodozemac refuses, and 2^31 or more
/// ahead ours refuses and vodozemac decrypts.
pub fn megolm_index_window(below_wrap: u32, count: u8) {
    use olm::megolm::{ExportedSessionKey, InboundGroupSession, SessionConfig, SessionKey};
    let config = SessionConfig::version_1();
    let vz_config = vodozemac::megolm::SessionConfig::version_1();
    let base = olm::megolm::GroupSession::new_with_rng(config, &mut FuzzRng::new(u64::from(below_wrap)));
    let template =
        libolm_open(LIBOLM_KEY, base.to_libolm_pickle(LIBOLM_KEY).expect("pickles").as_ref()).expect("opens");
    let start = u32::MAX - below_wrap;

    // Across the wrap: a sender just below 2^32.
    let ratchet = &template[4..132];
    let mut sender = group_session_at(&template, ratchet, start);
    let key = sender.session_key().to_bytes();
    let mut ours = InboundGroupSession::new(&SessionKey::from_bytes(&key).expect("parses"), config);
    let mut theirs = vodozemac::megolm::InboundGroupSession::new(
        &vodozemac::megolm::SessionKey::from_bytes(&key).expect("parses"),
        vz_config,
    );
    for n in 0..=u32::from(count) + below_wrap + 1 {
        let index = start.wrapping_add(n);
        let message = sender.encrypt(format!("{n}")).to_bytes();
        let got = ours.decrypt(&olm::megolm::MegolmMessage::from_bytes(&message).expect("parses"));
        assert_eq!(
            got.map(|d| d.message_index).ok(),
            Some(index),
            "ours decrypts across the wrap"
        );
        let got = theirs.decrypt(&vodozemac::megolm::MegolmMessage::from_bytes(&message).expect("parses"));
        if index >= start {
            assert_eq!(got.map(|d| d.message_index).ok(), Some(index));
        } else {
            assert!(
                matches!(got, Err(vodozemac::megolm::DecryptionError::UnknownMessageIndex(..))),
                "vodozemac refuses index {index} after the wrap"
            );
        }
    }

    // 2^31 and more ahead of a session known from index 5.
    let first = 5u32;
    let early = InboundGroupSession::import(
        &ExportedSessionKey::from_bytes(
            &InboundGroupSession::from(&base)
                .export_at(first)
                .expect("exports")
                .to_bytes(),
        )
        .expect("parses"),
        config,
    );
    let export = early.export_at_first_known_index().to_bytes();
    let mut ours = InboundGroupSession::import(&ExportedSessionKey::from_bytes(&export).expect("parses"), config);
    let mut theirs = vodozemac::megolm::InboundGroupSession::import(
        &vodozemac::megolm::ExportedSessionKey::from_bytes(&export).expect("parses"),
        vz_config,
    );
    let halfway = early.export_at(first + (1 << 31) - 1).expect("the last index in reach");
    let halfway = InboundGroupSession::import(&halfway, config);
    let far = first + (1 << 31) + u32::from(count);
    let far_key = halfway.export_at(far).expect("a few more steps").to_bytes();
    let mut sender = group_session_at(&template, &far_key[5..133], far);
    let message = sender.encrypt("far").to_bytes();
    let got = ours.decrypt(&olm::megolm::MegolmMessage::from_bytes(&message).expect("parses"));
    assert!(
        matches!(got, Err(olm::megolm::DecryptionError::UnknownMessageIndex(5, i)) if i == far),
        "ours refuses an index 2^31 or more ahead: {got:?}"
    );
    let got = theirs.decrypt(&vodozemac::megolm::MegolmMessage::from_bytes(&message).expect("parses"));
    assert_eq!(
        got.map(|d| d.plaintext).ok(),
        Some(b"far".to_vec()),
        "vodozemac reaches it"
    );
}
