//! Helpers shared by the Olm integration tests: seeded randomness, one
//! interface over this crate's Olm and vodozemac's, and a small walker over
//! the protobuf-style framing for byte surgery on encoded messages.
//!
//! Each test crate uses a different subset, hence `dead_code` is allowed.
#![allow(dead_code)]

pub(crate) mod explore;

use std::ops::Range;

use olm::olm::{Account, DecryptionError, OlmMessage, Session, SessionConfig, SessionCreationError};
use rand::{RngExt, SeedableRng, rngs::StdRng, seq::SliceRandom};

/// A message on the wire: its Matrix type (0 pre-key, 1 normal) and body.
pub(crate) type Wire = (usize, Vec<u8>);

/// A seeded generator. Its stream is fixed for a given rand version, so every
/// test run sees the same keys (on our side) and the same permutations.
pub(crate) fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// `0..n` in an order drawn from `rng`.
pub(crate) fn permutation(n: usize, rng: &mut StdRng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// A plaintext that tells messages apart in assertion failures.
pub(crate) fn text(label: &str, n: usize) -> Vec<u8> {
    format!("{label} #{n}").into_bytes()
}

// ---------------------------------------------------------------------------
// Key conversions between the crates: always through bytes.

pub(crate) fn to_vz(key: olm::Curve25519PublicKey) -> vodozemac::Curve25519PublicKey {
    vodozemac::Curve25519PublicKey::from_bytes(key.to_bytes())
}

pub(crate) fn from_vz(key: vodozemac::Curve25519PublicKey) -> olm::Curve25519PublicKey {
    olm::Curve25519PublicKey::from_bytes(key.to_bytes())
}

// ---------------------------------------------------------------------------
// One error vocabulary for both implementations.

/// Why an operation failed, in terms both implementations share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The bytes did not decode.
    Decode(String),
    InvalidMac,
    InvalidPadding,
    MissingMessageKey(u64),
    TooBigMessageGap,
    NonContributoryKey,
    MissingOneTimeKey,
    MismatchedIdentityKey,
    /// The message's MAC length is not the session's variant's: (expected,
    /// got).
    InvalidMacLength(usize, usize),
    /// The pre-key message is of another variant than expected: (expected
    /// version, the message's version if known).
    MismatchedSessionConfig(u8, Option<u8>),
    Other(String),
}

impl From<DecryptionError> for Fail {
    fn from(error: DecryptionError) -> Self {
        match error {
            DecryptionError::InvalidMac => Self::InvalidMac,
            DecryptionError::InvalidPadding => Self::InvalidPadding,
            DecryptionError::MissingMessageKey(index) => Self::MissingMessageKey(index.into()),
            DecryptionError::TooBigMessageGap(..) => Self::TooBigMessageGap,
            DecryptionError::NonContributoryKey => Self::NonContributoryKey,
            DecryptionError::InvalidMacLength { expected, got } => Self::InvalidMacLength(expected, got),
            other => Self::Other(format!("{other:?}")),
        }
    }
}

impl From<SessionCreationError> for Fail {
    /// A failed decryption of the embedded message maps to the decryption
    /// failure itself.
    fn from(error: SessionCreationError) -> Self {
        match error {
            SessionCreationError::MissingOneTimeKey(_) => Self::MissingOneTimeKey,
            SessionCreationError::MismatchedIdentityKey { .. } => Self::MismatchedIdentityKey,
            SessionCreationError::NonContributoryKey => Self::NonContributoryKey,
            SessionCreationError::Decryption(e) => e.into(),
            SessionCreationError::MismatchedSessionConfig { expected, got } => {
                Self::MismatchedSessionConfig(expected.version(), Some(got.version()))
            }
            other => Self::Other(format!("{other:?}")),
        }
    }
}

impl From<vodozemac::olm::DecryptionError> for Fail {
    fn from(error: vodozemac::olm::DecryptionError) -> Self {
        use vodozemac::olm::DecryptionError as E;
        match error {
            E::InvalidMAC(_) => Self::InvalidMac,
            E::InvalidMACLength(expected, got) => Self::InvalidMacLength(expected, got),
            E::InvalidPadding(_) => Self::InvalidPadding,
            E::NonContributoryKey => Self::NonContributoryKey,
            E::MissingMessageKey(index) => Self::MissingMessageKey(index),
            E::TooBigMessageGap(..) => Self::TooBigMessageGap,
        }
    }
}

impl From<vodozemac::olm::SessionCreationError> for Fail {
    fn from(error: vodozemac::olm::SessionCreationError) -> Self {
        use vodozemac::olm::SessionCreationError as E;
        match error {
            E::MissingOneTimeKey(_) => Self::MissingOneTimeKey,
            E::MismatchedIdentityKey(..) => Self::MismatchedIdentityKey,
            E::MismatchedSessionConfig { expected, got } => {
                Self::MismatchedSessionConfig(expected.version(), got.map(|got| got.version()))
            }
            E::Decryption(e) => e.into(),
            E::NonContributoryKey => Self::NonContributoryKey,
        }
    }
}

// ---------------------------------------------------------------------------
// One interface over both implementations.

/// An Olm account of either implementation.
pub(crate) trait Device {
    fn implementation(&self) -> Impl;
    fn identity_key(&self) -> [u8; 32];
    /// Generates one one-time key, marks it published and returns it.
    fn new_one_time_key(&mut self) -> [u8; 32];
    /// Generates a fallback key, marks it published and returns it.
    fn new_fallback_key(&mut self) -> [u8; 32];
    fn stored_one_time_key_count(&self) -> usize;
    fn outbound(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]) -> Box<dyn Channel>;
    fn inbound(&mut self, identity_key: [u8; 32], message: &Wire) -> Result<(Box<dyn Channel>, Vec<u8>), Fail>;
}

/// One side of an Olm session of either implementation.
pub(crate) trait Channel {
    fn implementation(&self) -> Impl;
    fn encrypt(&mut self, plaintext: &[u8]) -> Wire;
    fn decrypt(&mut self, message: &Wire) -> Result<Vec<u8>, Fail>;
    fn session_id(&self) -> String;
    fn has_received_message(&self) -> bool;
}

/// Which implementation a peer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Impl {
    Ours,
    Vodozemac,
}

impl Impl {
    /// A new account that speaks Olm v1. Ours draws all its randomness from
    /// `seed`; vodozemac cannot be seeded.
    pub(crate) fn device(self, seed: u64) -> Box<dyn Device> {
        self.device_of(seed, 1)
    }

    /// A new account whose sessions, outbound and inbound, are of Olm
    /// version `version` (1 or 2).
    pub(crate) fn device_of(self, seed: u64, version: u8) -> Box<dyn Device> {
        match self {
            Self::Ours => {
                let mut rng = rng(seed);
                Box::new(OurDevice {
                    account: Account::new_with_rng(&mut rng),
                    rng,
                    config: our_config(version),
                })
            }
            Self::Vodozemac => Box::new(VzDevice(vodozemac::olm::Account::new(), vz_config(version))),
        }
    }
}

/// Our Olm config of `version`.
pub(crate) fn our_config(version: u8) -> SessionConfig {
    match version {
        1 => SessionConfig::version_1(),
        2 => SessionConfig::version_2(),
        _ => panic!("no Olm version {version}"),
    }
}

/// vodozemac's Olm config of `version`.
pub(crate) fn vz_config(version: u8) -> vodozemac::olm::SessionConfig {
    match version {
        1 => vodozemac::olm::SessionConfig::version_1(),
        2 => vodozemac::olm::SessionConfig::version_2(),
        _ => panic!("no Olm version {version}"),
    }
}

/// Every (Alice, Bob) pairing, vodozemac with itself included as the
/// reference behaviour.
pub(crate) const PAIRS: [(Impl, Impl); 4] = [
    (Impl::Ours, Impl::Ours),
    (Impl::Ours, Impl::Vodozemac),
    (Impl::Vodozemac, Impl::Ours),
    (Impl::Vodozemac, Impl::Vodozemac),
];

pub(crate) struct OurDevice {
    pub(crate) account: Account,
    pub(crate) rng: StdRng,
    pub(crate) config: SessionConfig,
}

pub(crate) struct OurChannel {
    pub(crate) session: Session,
    pub(crate) rng: StdRng,
}

impl OurDevice {
    fn channel(&mut self, session: Session) -> Box<dyn Channel> {
        let rng = rng(self.rng.random());
        Box::new(OurChannel { session, rng })
    }
}

impl Device for OurDevice {
    fn implementation(&self) -> Impl {
        Impl::Ours
    }

    fn identity_key(&self) -> [u8; 32] {
        self.account.curve25519_key().to_bytes()
    }

    fn new_one_time_key(&mut self) -> [u8; 32] {
        let created = self.account.generate_one_time_keys_with_rng(1, &mut self.rng).created;
        self.account.mark_keys_as_published();
        created[0].to_bytes()
    }

    fn new_fallback_key(&mut self) -> [u8; 32] {
        self.account.generate_fallback_key_with_rng(&mut self.rng);
        let key = *self
            .account
            .fallback_key()
            .values()
            .next()
            .expect("a new fallback key is unpublished");
        self.account.mark_keys_as_published();
        key.to_bytes()
    }

    fn stored_one_time_key_count(&self) -> usize {
        self.account.stored_one_time_key_count()
    }

    fn outbound(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]) -> Box<dyn Channel> {
        let session = self
            .account
            .create_outbound_session_with_rng(self.config, identity_key.into(), one_time_key.into(), &mut self.rng)
            .expect("honest keys give a session");
        self.channel(session)
    }

    fn inbound(&mut self, identity_key: [u8; 32], message: &Wire) -> Result<(Box<dyn Channel>, Vec<u8>), Fail> {
        let message = OlmMessage::from_parts(message.0, &message.1).map_err(|e| Fail::Decode(format!("{e:?}")))?;
        let OlmMessage::PreKey(message) = message else {
            return Err(Fail::Other("not a pre-key message".into()));
        };
        let created = self
            .account
            .create_inbound_session_with_config(self.config, identity_key.into(), &message)?;
        Ok((self.channel(created.session), created.plaintext))
    }
}

impl Channel for OurChannel {
    fn implementation(&self) -> Impl {
        Impl::Ours
    }

    fn encrypt(&mut self, plaintext: &[u8]) -> Wire {
        self.session.encrypt_with_rng(plaintext, &mut self.rng).to_parts()
    }

    fn decrypt(&mut self, message: &Wire) -> Result<Vec<u8>, Fail> {
        let message = OlmMessage::from_parts(message.0, &message.1).map_err(|e| Fail::Decode(format!("{e:?}")))?;
        Ok(self.session.decrypt(&message)?)
    }

    fn session_id(&self) -> String {
        self.session.session_id()
    }

    fn has_received_message(&self) -> bool {
        self.session.has_received_message()
    }
}

pub(crate) struct VzDevice(
    pub(crate) vodozemac::olm::Account,
    pub(crate) vodozemac::olm::SessionConfig,
);

pub(crate) struct VzChannel(pub(crate) vodozemac::olm::Session);

impl Device for VzDevice {
    fn implementation(&self) -> Impl {
        Impl::Vodozemac
    }

    fn identity_key(&self) -> [u8; 32] {
        self.0.curve25519_key().to_bytes()
    }

    fn new_one_time_key(&mut self) -> [u8; 32] {
        let created = self.0.generate_one_time_keys(1).created;
        self.0.mark_keys_as_published();
        created[0].to_bytes()
    }

    fn new_fallback_key(&mut self) -> [u8; 32] {
        self.0.generate_fallback_key();
        let key = *self
            .0
            .fallback_key()
            .values()
            .next()
            .expect("a new fallback key is unpublished");
        self.0.mark_keys_as_published();
        key.to_bytes()
    }

    fn stored_one_time_key_count(&self) -> usize {
        self.0.stored_one_time_key_count()
    }

    fn outbound(&mut self, identity_key: [u8; 32], one_time_key: [u8; 32]) -> Box<dyn Channel> {
        let session = self
            .0
            .create_outbound_session(
                self.1,
                vodozemac::Curve25519PublicKey::from_bytes(identity_key),
                vodozemac::Curve25519PublicKey::from_bytes(one_time_key),
            )
            .expect("honest keys give a session");
        Box::new(VzChannel(session))
    }

    fn inbound(&mut self, identity_key: [u8; 32], message: &Wire) -> Result<(Box<dyn Channel>, Vec<u8>), Fail> {
        let message = vodozemac::olm::OlmMessage::from_parts(message.0, &message.1)
            .map_err(|e| Fail::Decode(format!("{e:?}")))?;
        let vodozemac::olm::OlmMessage::PreKey(message) = message else {
            return Err(Fail::Other("not a pre-key message".into()));
        };
        let created = self.0.create_inbound_session(
            self.1,
            vodozemac::Curve25519PublicKey::from_bytes(identity_key),
            &message,
        )?;
        Ok((Box::new(VzChannel(created.session)), created.plaintext))
    }
}

impl Channel for VzChannel {
    fn implementation(&self) -> Impl {
        Impl::Vodozemac
    }

    fn encrypt(&mut self, plaintext: &[u8]) -> Wire {
        self.0.encrypt(plaintext).expect("honest sessions encrypt").to_parts()
    }

    fn decrypt(&mut self, message: &Wire) -> Result<Vec<u8>, Fail> {
        let message = vodozemac::olm::OlmMessage::from_parts(message.0, &message.1)
            .map_err(|e| Fail::Decode(format!("{e:?}")))?;
        Ok(self.0.decrypt(&message)?)
    }

    fn session_id(&self) -> String {
        self.0.session_id()
    }

    fn has_received_message(&self) -> bool {
        self.0.has_received_message()
    }
}

/// Two accounts and Alice's fresh outbound session to Bob's one-time key
/// (or fallback key): nothing has been sent yet.
pub(crate) struct Start {
    pub(crate) alice_device: Box<dyn Device>,
    pub(crate) bob_device: Box<dyn Device>,
    pub(crate) alice: Box<dyn Channel>,
}

pub(crate) fn start(alice: Impl, bob: Impl, seed: u64, fallback: bool) -> Start {
    start_of(alice, bob, seed, fallback, 1)
}

/// As [`start`], both sides speaking Olm version `version`.
pub(crate) fn start_of(alice: Impl, bob: Impl, seed: u64, fallback: bool, version: u8) -> Start {
    let mut alice_device = alice.device_of(seed, version);
    let mut bob_device = bob.device_of(seed.wrapping_add(1_000_003), version);
    let key = if fallback {
        bob_device.new_fallback_key()
    } else {
        bob_device.new_one_time_key()
    };
    let alice = alice_device.outbound(bob_device.identity_key(), key);
    Start {
        alice_device,
        bob_device,
        alice,
    }
}

/// Both sides of a session after one pre-key message and one reply: Alice
/// sends normal messages from here on.
pub(crate) struct Pair {
    pub(crate) alice_device: Box<dyn Device>,
    pub(crate) bob_device: Box<dyn Device>,
    pub(crate) alice: Box<dyn Channel>,
    pub(crate) bob: Box<dyn Channel>,
}

pub(crate) fn establish(alice: Impl, bob: Impl, seed: u64) -> Pair {
    establish_of(alice, bob, seed, 1)
}

/// As [`establish`], both sides speaking Olm version `version`.
pub(crate) fn establish_of(alice: Impl, bob: Impl, seed: u64, version: u8) -> Pair {
    let Start {
        alice_device,
        mut bob_device,
        mut alice,
    } = start_of(alice, bob, seed, false, version);
    let first = alice.encrypt(b"first");
    let (mut bob, plaintext) = bob_device
        .inbound(alice_device.identity_key(), &first)
        .expect("inbound session");
    assert_eq!(plaintext, b"first");
    let reply = bob.encrypt(b"reply");
    assert_eq!(alice.decrypt(&reply).expect("reply decrypts"), b"reply");
    Pair {
        alice_device,
        bob_device,
        alice,
        bob,
    }
}

/// Sends `count` messages from `from`, delivers them to `to` in `order`
/// (indices into the batch) and checks every plaintext.
pub(crate) fn send_batch(
    from: &mut dyn Channel,
    to: &mut dyn Channel,
    label: &str,
    count: usize,
    order: &[usize],
) -> Vec<Wire> {
    let batch: Vec<(Vec<u8>, Wire)> = (0..count)
        .map(|i| {
            let plaintext = text(label, i);
            let wire = from.encrypt(&plaintext);
            (plaintext, wire)
        })
        .collect();
    for &i in order {
        let (plaintext, wire) = &batch[i];
        assert_eq!(
            to.decrypt(wire).as_ref(),
            Ok(plaintext),
            "{label}: message {i} of {count} ({:?} -> {:?})",
            from.implementation(),
            to.implementation()
        );
    }
    batch.into_iter().map(|(_, wire)| wire).collect()
}

// ---------------------------------------------------------------------------
// Framing.

/// One field of a protobuf-style message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Varint(u64),
    /// The range of the contents in the walked buffer.
    Bytes(Range<usize>),
}

/// The fields of `bytes[range]` as (tag byte(s) value, contents), or `None`
/// if the framing is broken. Only wire types 0 and 2 are understood.
pub(crate) fn walk(bytes: &[u8], range: Range<usize>) -> Option<Vec<(u64, Value)>> {
    let mut pos = range.start;
    let mut fields = Vec::new();
    while pos < range.end {
        let (tag, len) = read_varint(bytes.get(pos..range.end)?)?;
        pos += len;
        let (value, len) = read_varint(bytes.get(pos..range.end)?)?;
        pos += len;
        match tag & 7 {
            0 => fields.push((tag, Value::Varint(value))),
            2 => {
                let end = pos.checked_add(usize::try_from(value).ok()?)?;
                if end > range.end {
                    return None;
                }
                fields.push((tag, Value::Bytes(pos..end)));
                pos = end;
            }
            _ => return None,
        }
    }
    Some(fields)
}

pub(crate) fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

pub(crate) fn varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
    out
}

/// A bytes field: tag, length, contents.
pub(crate) fn bytes_field(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(varint(contents.len() as u64));
    out.extend_from_slice(contents);
    out
}

/// A textual outline of an Olm message: version, then each field as
/// `tag:length` (bytes) or `tag=value` (varints), the embedded message of a
/// pre-key message in brackets, then the MAC length. Two implementations
/// that frame messages identically give identical outlines.
pub(crate) fn outline(message: &Wire) -> String {
    let (kind, bytes) = message;
    match kind {
        0 => outline_bytes(bytes, 0..bytes.len(), false),
        _ => outline_bytes(bytes, 0..bytes.len(), true),
    }
}

fn outline_bytes(bytes: &[u8], range: Range<usize>, has_mac: bool) -> String {
    let Some(&version) = bytes.get(range.start) else {
        return "empty".into();
    };
    let mac = if has_mac { mac_len(version) } else { 0 };
    let end = range.end.saturating_sub(mac);
    let Some(fields) = walk(bytes, range.start + 1..end) else {
        return "broken".into();
    };
    let mut parts = vec![format!("v{version}")];
    for (tag, value) in fields {
        parts.push(match value {
            Value::Varint(v) => format!("{tag:02x}={v}"),
            Value::Bytes(r) if tag == 0x22 && !has_mac => format!("{tag:02x}:[{}]", outline_bytes(bytes, r, true)),
            Value::Bytes(r) => format!("{tag:02x}:{}", r.len()),
        });
    }
    if has_mac {
        parts.push(format!("mac:{mac}"));
    }
    parts.join(" ")
}

/// The MAC length of a normal message of version `version`: 32 for Olm v2
/// (version 4), 8 otherwise.
pub(crate) fn mac_len(version: u8) -> usize {
    if version == 4 { 32 } else { 8 }
}

/// The byte ranges of the three outer keys of a pre-key message (one-time
/// key, base key, identity key) and of its embedded message.
pub(crate) struct PreKeyLayout {
    pub(crate) one_time_key: Range<usize>,
    pub(crate) base_key: Range<usize>,
    pub(crate) identity_key: Range<usize>,
    pub(crate) message: Range<usize>,
}

pub(crate) fn pre_key_layout(bytes: &[u8]) -> PreKeyLayout {
    let fields = walk(bytes, 1..bytes.len()).expect("a well-formed pre-key message");
    let find = |wanted: u64| {
        fields
            .iter()
            .find_map(|(tag, value)| match value {
                Value::Bytes(r) if *tag == wanted => Some(r.clone()),
                _ => None,
            })
            .expect("field present")
    };
    PreKeyLayout {
        one_time_key: find(0x0a),
        base_key: find(0x12),
        identity_key: find(0x1a),
        message: find(0x22),
    }
}

/// The byte ranges of the ratchet key and ciphertext of a normal message
/// starting at `start` in `bytes` and ending at `end`.
pub(crate) struct MessageLayout {
    pub(crate) ratchet_key: Range<usize>,
    pub(crate) chain_index: u64,
    pub(crate) ciphertext: Range<usize>,
    pub(crate) mac: Range<usize>,
}

pub(crate) fn message_layout(bytes: &[u8], range: Range<usize>) -> MessageLayout {
    let mac = range.end - mac_len(bytes[range.start])..range.end;
    let fields = walk(bytes, range.start + 1..mac.start).expect("a well-formed message");
    let mut layout = MessageLayout {
        ratchet_key: 0..0,
        chain_index: u64::MAX,
        ciphertext: 0..0,
        mac,
    };
    for (tag, value) in fields {
        match (tag, value) {
            (0x0a, Value::Bytes(r)) => layout.ratchet_key = r,
            (0x10, Value::Varint(v)) => layout.chain_index = v,
            (0x22, Value::Bytes(r)) => layout.ciphertext = r,
            _ => {}
        }
    }
    layout
}

/// `bytes` with bit `bit` (0 = least significant bit of byte 0) flipped.
pub(crate) fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

/// Low-order Curve25519 points (and non-canonical encodings of them): every
/// exchange with them gives the all-zero secret.
pub(crate) fn low_order_points() -> Vec<[u8; 32]> {
    let hex = |s: &str| -> [u8; 32] {
        let v: Vec<u8> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    };
    let p = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    let mut p_minus_1 = p;
    p_minus_1[0] -= 1;
    let mut p_plus_1 = p;
    p_plus_1[0] += 1;
    let mut one = [0u8; 32];
    one[0] = 1;
    vec![
        [0u8; 32],
        one,
        hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        p_minus_1,
        p,
        p_plus_1,
    ]
}

/// A seeded generator that counts the bytes drawn from it, to check how
/// much randomness each operation takes.
pub(crate) struct Counting {
    inner: StdRng,
    pub(crate) drawn: usize,
}

impl Counting {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            inner: rng(seed),
            drawn: 0,
        }
    }

    /// The bytes drawn since the last call.
    pub(crate) fn take(&mut self) -> usize {
        std::mem::take(&mut self.drawn)
    }
}

impl rand::TryRng for Counting {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.drawn += 4;
        self.inner.try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.drawn += 8;
        self.inner.try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.drawn += dst.len();
        self.inner.try_fill_bytes(dst)
    }
}

impl rand::TryCryptoRng for Counting {}
