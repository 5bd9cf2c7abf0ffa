//! An encrypted channel set up from one device's public key alone, for
//! logging in with a QR code (MSC4108): ECIES over X25519, HKDF-SHA-512 and
//! ChaCha20-Poly1305, byte for byte as vodozemac's `ecies` module.
//!
//! # Roles
//!
//! Following MSC4108, device **G** generates an ephemeral key and shows it
//! (in a QR code); device **S** scans it and opens the channel:
//!
//! 1. G: [`Ecies::new`], then shows [`Ecies::public_key`].
//! 2. S: [`Ecies::new`], then [`Ecies::establish_outbound_channel`] with G's
//!    key and a first plaintext; sends the [`InitialMessage`], which carries
//!    S's own ephemeral key.
//! 3. G: [`Ecies::establish_inbound_channel`] with that message.
//! 4. Both now hold an [`EstablishedEcies`] and can [`encrypt`] and
//!    [`decrypt`] in both directions.
//!
//! S knows it talks to G, because it read G's key from the QR code. G does
//! not know who sent the initial message: anyone who saw the QR code, or the
//! rendezvous server in between, could have. So before trusting the channel
//! the users compare the [`CheckCode`]: S shows it and the user enters it on
//! G (or the reverse, depending on the client). A man in the middle ends up
//! with different secrets on the two sides, hence different check codes.
//!
//! # Cryptography
//!
//! - X25519 between the two ephemeral keys. Keys that give an all-zero
//!   (non-contributory) secret are refused with
//!   [`EciesError::NonContributoryKey`].
//! - HKDF-SHA-512 with no salt over the shared secret, with the info strings
//!   `"{prefix}_ENCKEY_S|{Gp}|{Sp}"` (32-byte key for S's messages),
//!   `"{prefix}_ENCKEY_G|{Gp}|{Sp}"` (32-byte key for G's messages) and
//!   `"{prefix}_CHECKCODE|{Gp}|{Sp}"` (the 2-byte check code), where `Gp`
//!   and `Sp` are the unpadded base64 of G's and S's public keys and the
//!   prefix is `MATRIX_QR_CODE_LOGIN` unless another one is given with
//!   [`Ecies::with_info`].
//! - ChaCha20-Poly1305 without associated data. Each direction has its own
//!   key and its own message counter, starting at 0; the 12-byte nonce is
//!   the counter in little-endian. The initial message is S's message 0.
//!
//! # A message that fails to decrypt
//!
//! [`EstablishedEcies::decrypt`] advances the receiving counter **only when
//! a message decrypts**. A forged, corrupted or replayed message is refused
//! with [`EciesError::Decryption`] and leaves the channel as it was, so the
//! genuine message still decrypts when it arrives: injecting garbage into
//! the rendezvous channel cannot break the channel.
//!
//! vodozemac instead consumes the counter value even when decryption fails,
//! so after one bad message it can no longer decrypt the genuine one (nor,
//! usually, anything after it). The two behaviours differ only after a
//! failure; on a clean stream they are identical.
//!
//! The counter never skips a value: if a genuine message was *replaced* by a
//! corrupted one and is never delivered again, every later message fails
//! too. That is deliberate (nothing can be dropped or reordered silently),
//! and since MSC4108's transport delivers messages in order, a failure that
//! persists means the login must be abandoned.
//!
//! Each direction can carry 2^64 messages; past that, [`encrypt`] and
//! [`decrypt`] fail with [`EciesError::MessageLimit`] rather than reuse a
//! nonce.
//!
//! # Example
//!
//! ```
//! use olm::ecies::{DigitMode, Ecies, InboundCreationResult, InitialMessage, Message, OutboundCreationResult};
//!
//! // G shows its public key in a QR code.
//! let g = Ecies::new();
//! let qr_key = g.public_key();
//!
//! // S scans it and opens the channel.
//! let OutboundCreationResult { ecies: mut s, message } =
//!     Ecies::new().establish_outbound_channel(qr_key, b"Hello from S")?;
//! let sent = message.encode();
//!
//! // G receives the initial message over the rendezvous channel.
//! let InboundCreationResult { ecies: mut g, message } =
//!     g.establish_inbound_channel(&InitialMessage::decode(&sent)?)?;
//! assert_eq!(message, b"Hello from S");
//!
//! // The users compare the check codes out of band.
//! assert_eq!(s.check_code().to_digit(DigitMode::NoLeadingZero), g.check_code().to_digit(DigitMode::NoLeadingZero));
//!
//! let reply = g.encrypt(b"Hello from G")?.encode();
//! assert_eq!(s.decrypt(&Message::decode(&reply)?)?, b"Hello from G");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`encrypt`]: EstablishedEcies::encrypt
//! [`decrypt`]: EstablishedEcies::decrypt

mod messages;

use alloc::{
    format,
    string::{String, ToString},
    vec::Vec,
};
use core::fmt;

use chacha20poly1305::{
    ChaCha20Poly1305, Nonce,
    aead::{Aead, KeyInit},
};
use hkdf::Hkdf;
use rand::CryptoRng;
use sha2::Sha512;
use zeroize::{ZeroizeOnDrop, Zeroizing};

pub use self::messages::{InitialMessage, Message, MessageDecodeError};
pub use crate::hpke::{CheckCode, DigitMode};
use crate::{Curve25519PublicKey, types::Curve25519Keypair};

/// The info prefix MSC4108 uses for QR-code login.
const DEFAULT_INFO_PREFIX: &str = "MATRIX_QR_CODE_LOGIN";

/// The length of the Poly1305 tag that ends every ciphertext.
pub(crate) const TAG_LENGTH: usize = 16;

/// An ECIES channel could not be established, or a message could not be
/// encrypted or decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EciesError {
    /// The other side's public key is a low-order point: the exchange would
    /// give an all-zero secret that anyone can compute. Abandon the login.
    #[error("the other side's public key is a low-order point: the key exchange would not be contributory")]
    NonContributoryKey,
    /// The message does not decrypt: it was altered or forged, it was already
    /// decrypted, or it is not the next message of this channel. The channel
    /// is unchanged and still expects the same message.
    #[error(
        "the message could not be decrypted: it was altered, replayed or is out of order; the channel is unchanged"
    )]
    Decryption,
    /// The channel has used all 2^64 message numbers of this direction;
    /// open a new channel.
    #[error("the channel has used all its message numbers in this direction; open a new channel")]
    MessageLimit,
    /// The plaintext exceeds ChaCha20's limit of 256 GiB per message.
    #[error("the plaintext is too long for one ChaCha20-Poly1305 message (256 GiB at most)")]
    PlaintextTooLong,
}

/// An ECIES channel before it is established: an ephemeral Curve25519 key
/// pair and the info prefix for the key derivation.
///
/// It is consumed by establishing a channel, so each key serves one channel.
pub struct Ecies {
    keypair: Curve25519Keypair,
    info_prefix: String,
}

impl Ecies {
    /// A new ephemeral key from the operating system's generator, with
    /// MSC4108's info prefix `MATRIX_QR_CODE_LOGIN`.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new ephemeral key from the operating system's generator, with
    /// another info prefix: for uses other than QR-code login, so their
    /// keys never collide with it.
    #[cfg(feature = "std")]
    pub fn with_info(info_prefix: &str) -> Self {
        Self::with_info_and_rng(info_prefix, &mut rand::rng())
    }

    /// [`Ecies::new`] with the key drawn from `rng` (32 bytes).
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::with_info_and_rng(DEFAULT_INFO_PREFIX, rng)
    }

    /// [`Ecies::with_info`] with the key drawn from `rng` (32 bytes).
    pub fn with_info_and_rng<R: CryptoRng + ?Sized>(info_prefix: &str, rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self {
            keypair: Curve25519Keypair::new_with_rng(rng),
            info_prefix: info_prefix.to_string(),
        })
    }

    /// Our ephemeral public key: what G shows in its QR code.
    pub fn public_key(&self) -> Curve25519PublicKey {
        self.keypair.public()
    }

    /// Opens the channel to `their_public_key` (read from the QR code) as
    /// device S, and encrypts `initial_plaintext` as its first message.
    ///
    /// Send the returned [`InitialMessage`] to the other side.
    pub fn establish_outbound_channel(
        self,
        their_public_key: Curve25519PublicKey,
        initial_plaintext: &[u8],
    ) -> Result<OutboundCreationResult, EciesError> {
        crate::stack::scrubbed(|| {
            let mut ecies = self.establish(their_public_key, Role::Initiator)?;
            let message = ecies.encrypt(initial_plaintext)?;
            Ok(OutboundCreationResult {
                message: InitialMessage {
                    public_key: ecies.our_public_key,
                    ciphertext: message.ciphertext,
                },
                ecies,
            })
        })
    }

    /// Completes the channel from S's initial message, as device G, and
    /// decrypts it.
    ///
    /// The key in `message` is unauthenticated: the channel is trustworthy
    /// only once the users have compared the check codes.
    pub fn establish_inbound_channel(self, message: &InitialMessage) -> Result<InboundCreationResult, EciesError> {
        crate::stack::scrubbed(|| {
            let mut ecies = self.establish(message.public_key, Role::Recipient)?;
            let plaintext = ecies.decrypt_ciphertext(&message.ciphertext)?;
            Ok(InboundCreationResult {
                ecies,
                message: plaintext,
            })
        })
    }

    fn establish(self, their_public_key: Curve25519PublicKey, role: Role) -> Result<EstablishedEcies, EciesError> {
        let shared = self
            .keypair
            .secret()
            .diffie_hellman(&their_public_key)
            .map_err(|_| EciesError::NonContributoryKey)?;
        let our_public_key = self.keypair.public();
        let (g, s) = match role {
            Role::Initiator => (their_public_key, our_public_key),
            Role::Recipient => (our_public_key, their_public_key),
        };
        let info = |label: &str| format!("{}_{label}|{}|{}", self.info_prefix, g.to_base64(), s.to_base64());
        let s_key = hkdf_sha512::<32>(shared.as_bytes(), &info("ENCKEY_S"));
        let g_key = hkdf_sha512::<32>(shared.as_bytes(), &info("ENCKEY_G"));
        let check_code = hkdf_sha512::<2>(shared.as_bytes(), &info("CHECKCODE"));
        let (encryption_key, decryption_key) = match role {
            Role::Initiator => (&s_key, &g_key),
            Role::Recipient => (&g_key, &s_key),
        };
        Ok(EstablishedEcies {
            our_public_key,
            their_public_key,
            role,
            check_code: CheckCode { bytes: *check_code },
            encryptor: ChaCha20Poly1305::new((&**encryption_key).into()),
            decryptor: ChaCha20Poly1305::new((&**decryption_key).into()),
            sending: Counter::default(),
            receiving: Counter::default(),
        })
    }
}

#[cfg(feature = "std")]
impl Default for Ecies {
    fn default() -> Self {
        Self::new()
    }
}

/// The secret key wipes itself when dropped.
impl ZeroizeOnDrop for Ecies {}

impl fmt::Debug for Ecies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ecies")
            .field("public_key", &self.keypair.public())
            .field("info_prefix", &self.info_prefix)
            .finish_non_exhaustive()
    }
}

/// What [`Ecies::establish_outbound_channel`] returns.
#[derive(Debug)]
pub struct OutboundCreationResult {
    /// The established channel, as device S.
    pub ecies: EstablishedEcies,
    /// The first message, to send to device G.
    pub message: InitialMessage,
}

/// What [`Ecies::establish_inbound_channel`] returns.
pub struct InboundCreationResult {
    /// The established channel, as device G.
    pub ecies: EstablishedEcies,
    /// The plaintext of the initial message.
    pub message: Vec<u8>,
}

/// Shows the plaintext's length, never the plaintext.
impl fmt::Debug for InboundCreationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboundCreationResult")
            .field("ecies", &self.ecies)
            .field("message_len", &self.message.len())
            .finish()
    }
}

/// Which side of the channel we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Device S, which opened the channel with the other's public key.
    Initiator,
    /// Device G, whose public key the channel was opened to.
    Recipient,
}

/// The number of the next message in one direction; `None` once all 2^64
/// numbers are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counter(Option<u64>);

impl Default for Counter {
    fn default() -> Self {
        Self(Some(0))
    }
}

impl Counter {
    /// The nonce for the next message: the counter as 12 little-endian bytes.
    fn nonce(self) -> Result<Nonce, EciesError> {
        let counter = self.0.ok_or(EciesError::MessageLimit)?;
        let mut nonce = [0u8; 12];
        for (n, c) in nonce.iter_mut().zip(counter.to_le_bytes()) {
            *n = c;
        }
        Ok(Nonce::from(nonce))
    }

    fn advance(&mut self) {
        self.0 = self.0.and_then(|counter| counter.checked_add(1));
    }
}

/// An established ECIES channel: a key and a message counter for each
/// direction, and the check code.
///
/// The keys are wiped on drop and never shown by `Debug`.
pub struct EstablishedEcies {
    our_public_key: Curve25519PublicKey,
    their_public_key: Curve25519PublicKey,
    role: Role,
    check_code: CheckCode,
    encryptor: ChaCha20Poly1305,
    decryptor: ChaCha20Poly1305,
    sending: Counter,
    receiving: Counter,
}

impl EstablishedEcies {
    /// Our ephemeral public key.
    pub const fn public_key(&self) -> Curve25519PublicKey {
        self.our_public_key
    }

    /// The other side's ephemeral public key.
    pub const fn their_public_key(&self) -> Curve25519PublicKey {
        self.their_public_key
    }

    /// The check code the users compare to rule out a man in the middle;
    /// both sides derive the same one only if they share the same secret.
    pub const fn check_code(&self) -> &CheckCode {
        &self.check_code
    }

    /// Encrypts `plaintext` as the next message to the other side.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> Result<Message, EciesError> {
        crate::stack::scrubbed(|| {
            let nonce = self.sending.nonce()?;
            let ciphertext = self
                .encryptor
                .encrypt(&nonce, plaintext)
                .map_err(|_| EciesError::PlaintextTooLong)?;
            self.sending.advance();
            Ok(Message { ciphertext })
        })
    }

    /// Decrypts the next message from the other side.
    ///
    /// On failure the channel is unchanged: the receiving counter advances
    /// only when a message decrypts (see the [module documentation](self)
    /// for how this differs from vodozemac).
    pub fn decrypt(&mut self, message: &Message) -> Result<Vec<u8>, EciesError> {
        crate::stack::scrubbed(|| self.decrypt_ciphertext(&message.ciphertext))
    }

    fn decrypt_ciphertext(&mut self, ciphertext: &[u8]) -> Result<Vec<u8>, EciesError> {
        let nonce = self.receiving.nonce()?;
        let plaintext = self
            .decryptor
            .decrypt(&nonce, ciphertext)
            .map_err(|_| EciesError::Decryption)?;
        self.receiving.advance();
        Ok(plaintext)
    }

    #[cfg(test)]
    fn set_counters(&mut self, sending: Option<u64>, receiving: Option<u64>) {
        self.sending = Counter(sending);
        self.receiving = Counter(receiving);
    }
}

/// Both ciphers wipe their keys when dropped.
impl ZeroizeOnDrop for EstablishedEcies {}

impl fmt::Debug for EstablishedEcies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EstablishedEcies")
            .field("our_public_key", &self.our_public_key)
            .field("their_public_key", &self.their_public_key)
            .field("role", &self.role)
            .field("check_code", &self.check_code)
            .finish_non_exhaustive()
    }
}

/// HKDF-SHA-512 of `ikm` with no salt, expanded to `N` bytes.
fn hkdf_sha512<const N: usize>(ikm: &[u8], info: &str) -> Zeroizing<[u8; N]> {
    const { assert!(N <= 255 * 64, "HKDF-SHA-512 expands to at most 16320 bytes") };
    let mut out = Zeroizing::new([0u8; N]);
    // Expansion fails only for lengths above 16320 bytes, excluded above.
    let _ = Hkdf::<Sha512>::new(None, ikm).expand(info.as_bytes(), out.as_mut_slice());
    out
}

#[cfg(test)]
mod tests {
    use rand::{SeedableRng, rngs::StdRng};

    use super::*;
    use crate::Curve25519SecretKey;

    fn pair(rng: &mut StdRng) -> (EstablishedEcies, EstablishedEcies) {
        let g = Ecies::new_with_rng(rng);
        let OutboundCreationResult { ecies: s, message } = Ecies::new_with_rng(rng)
            .establish_outbound_channel(g.public_key(), b"first")
            .unwrap();
        let InboundCreationResult { ecies: g, message } = g.establish_inbound_channel(&message).unwrap();
        assert_eq!(message, b"first");
        (s, g)
    }

    #[test]
    fn both_directions_and_check_code() {
        let mut rng = StdRng::seed_from_u64(1);
        let (mut s, mut g) = pair(&mut rng);
        assert_eq!(s.check_code(), g.check_code());
        assert_eq!(s.public_key(), g.their_public_key());
        assert_eq!(g.public_key(), s.their_public_key());
        for i in 0..5u8 {
            let m = g.encrypt(&[i; 3]).unwrap();
            assert_eq!(s.decrypt(&m).unwrap(), [i; 3]);
            let m = s.encrypt(&[i; 40]).unwrap();
            assert_eq!(g.decrypt(&m).unwrap(), [i; 40]);
        }
        // A message does not decrypt in the direction it was sent.
        let m = s.encrypt(b"x").unwrap();
        assert_eq!(s.decrypt(&m), Err(EciesError::Decryption));
    }

    #[test]
    fn derivation_matches_the_description() {
        // Fixed keys: rebuild the keys, nonces and check code step by step
        // from the module documentation and compare with the channel's
        // output. (Agreement with vodozemac is tested in
        // tests/interop_qr_login.rs.)
        let g_secret = Curve25519SecretKey::from_bytes(&[0x11; 32]);
        let s_secret = Curve25519SecretKey::from_bytes(&[0x22; 32]);
        let g = Ecies {
            keypair: Curve25519Keypair::from_secret(g_secret.clone()),
            info_prefix: DEFAULT_INFO_PREFIX.to_string(),
        };
        let s = Ecies {
            keypair: Curve25519Keypair::from_secret(s_secret.clone()),
            info_prefix: DEFAULT_INFO_PREFIX.to_string(),
        };
        let (gp, sp) = (g.public_key(), s.public_key());
        let OutboundCreationResult { ecies: mut s, message } = s.establish_outbound_channel(gp, b"hi").unwrap();

        let shared = g_secret.diffie_hellman(&sp).unwrap();
        let info = |label: &str| format!("MATRIX_QR_CODE_LOGIN_{label}|{}|{}", gp.to_base64(), sp.to_base64());
        let s_key = hkdf_sha512::<32>(shared.as_bytes(), &info("ENCKEY_S"));
        let g_key = hkdf_sha512::<32>(shared.as_bytes(), &info("ENCKEY_G"));
        let code = hkdf_sha512::<2>(shared.as_bytes(), &info("CHECKCODE"));
        assert_eq!(s.check_code().as_bytes(), &*code);

        let s_cipher = ChaCha20Poly1305::new((&*s_key).into());
        let g_cipher = ChaCha20Poly1305::new((&*g_key).into());
        let nonce = |n: u64| {
            let mut bytes = [0u8; 12];
            bytes[..8].copy_from_slice(&n.to_le_bytes());
            Nonce::from(bytes)
        };
        assert_eq!(message.ciphertext, s_cipher.encrypt(&nonce(0), &b"hi"[..]).unwrap());
        assert_eq!(
            s.encrypt(b"second").unwrap().ciphertext,
            s_cipher.encrypt(&nonce(1), &b"second"[..]).unwrap()
        );
        let from_g = Message {
            ciphertext: g_cipher.encrypt(&nonce(0), &b"from g"[..]).unwrap(),
        };
        assert_eq!(s.decrypt(&from_g).unwrap(), b"from g");
    }

    #[test]
    fn failed_decryption_leaves_the_channel_unchanged() {
        let mut rng = StdRng::seed_from_u64(2);
        let (mut s, mut g) = pair(&mut rng);
        let genuine = s.encrypt(b"genuine").unwrap();
        let mut forged = genuine.clone();
        forged.ciphertext[0] ^= 1;
        assert_eq!(g.decrypt(&forged), Err(EciesError::Decryption));
        assert_eq!(
            g.decrypt(&Message { ciphertext: Vec::new() }),
            Err(EciesError::Decryption)
        );
        assert_eq!(g.decrypt(&genuine).unwrap(), b"genuine");
        // A replay fails, and again does not disturb what follows.
        assert_eq!(g.decrypt(&genuine), Err(EciesError::Decryption));
        let next = s.encrypt(b"next").unwrap();
        assert_eq!(g.decrypt(&next).unwrap(), b"next");
        // Out of order: the later message waits for the earlier one.
        let (first, second) = (s.encrypt(b"1").unwrap(), s.encrypt(b"2").unwrap());
        assert_eq!(g.decrypt(&second), Err(EciesError::Decryption));
        assert_eq!(g.decrypt(&first).unwrap(), b"1");
        assert_eq!(g.decrypt(&second).unwrap(), b"2");
    }

    #[test]
    fn tampered_initial_message() {
        let mut rng = StdRng::seed_from_u64(3);
        let g = Ecies::new_with_rng(&mut rng);
        let OutboundCreationResult { message, .. } = Ecies::new_with_rng(&mut rng)
            .establish_outbound_channel(g.public_key(), b"first")
            .unwrap();
        let mut other_key = message.clone();
        other_key.public_key = Ecies::new_with_rng(&mut rng).public_key();
        assert_eq!(
            Ecies::new_with_rng(&mut rng)
                .establish_inbound_channel(&message)
                .unwrap_err(),
            EciesError::Decryption,
            "sent to another key"
        );
        let g2 = Ecies::new_with_rng(&mut rng);
        let OutboundCreationResult { message, .. } = Ecies::new_with_rng(&mut rng)
            .establish_outbound_channel(g2.public_key(), b"first")
            .unwrap();
        let mut flipped = message.clone();
        flipped.ciphertext[3] ^= 0x80;
        assert_eq!(
            g2.establish_inbound_channel(&flipped).unwrap_err(),
            EciesError::Decryption
        );
        assert_eq!(
            g.establish_inbound_channel(&other_key).unwrap_err(),
            EciesError::Decryption
        );
    }

    #[test]
    fn low_order_keys_are_refused() {
        let mut rng = StdRng::seed_from_u64(4);
        for key in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            let key = Curve25519PublicKey::from_bytes(key);
            assert_eq!(
                Ecies::new_with_rng(&mut rng)
                    .establish_outbound_channel(key, b"")
                    .unwrap_err(),
                EciesError::NonContributoryKey
            );
            let message = InitialMessage {
                public_key: key,
                ciphertext: alloc::vec![0; 16],
            };
            assert_eq!(
                Ecies::new_with_rng(&mut rng)
                    .establish_inbound_channel(&message)
                    .unwrap_err(),
                EciesError::NonContributoryKey
            );
        }
    }

    #[test]
    fn info_prefix_separates_channels() {
        let mut rng = StdRng::seed_from_u64(5);
        let g = Ecies::with_info_and_rng("OTHER_PURPOSE", &mut rng);
        let OutboundCreationResult { message, .. } = Ecies::new_with_rng(&mut rng)
            .establish_outbound_channel(g.public_key(), b"first")
            .unwrap();
        assert_eq!(
            g.establish_inbound_channel(&message).unwrap_err(),
            EciesError::Decryption
        );

        let g = Ecies::with_info_and_rng("OTHER_PURPOSE", &mut rng);
        let OutboundCreationResult { message, .. } = Ecies::with_info_and_rng("OTHER_PURPOSE", &mut rng)
            .establish_outbound_channel(g.public_key(), b"first")
            .unwrap();
        assert_eq!(g.establish_inbound_channel(&message).unwrap().message, b"first");
    }

    #[test]
    fn counter_overflow_is_an_error() {
        let mut rng = StdRng::seed_from_u64(6);
        let (mut s, mut g) = pair(&mut rng);
        s.set_counters(Some(u64::MAX), Some(0));
        g.set_counters(Some(0), Some(u64::MAX));
        let last = s.encrypt(b"last").unwrap();
        assert_eq!(s.encrypt(b"one too many"), Err(EciesError::MessageLimit));
        assert_eq!(s.encrypt(b"still"), Err(EciesError::MessageLimit));
        let mut bad = last.clone();
        bad.ciphertext[0] ^= 1;
        assert_eq!(g.decrypt(&bad), Err(EciesError::Decryption));
        assert_eq!(g.decrypt(&last).unwrap(), b"last");
        assert_eq!(g.decrypt(&last), Err(EciesError::MessageLimit));
        // The other direction still works.
        let m = g.encrypt(b"back").unwrap();
        assert_eq!(s.decrypt(&m).unwrap(), b"back");
        // The last nonce is u64::MAX in little-endian, then four zero bytes.
        assert_eq!(
            Counter(Some(u64::MAX)).nonce().unwrap().as_slice(),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]
        );
        assert_eq!(
            Counter(Some(1)).nonce().unwrap().as_slice(),
            [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn debug_hides_keys() {
        let mut rng = StdRng::seed_from_u64(7);
        let (s, _) = pair(&mut rng);
        let debug = format!("{s:?}");
        assert!(
            debug.starts_with("EstablishedEcies { our_public_key: curve25519:"),
            "{debug}"
        );
        assert!(debug.contains(", role: Initiator, check_code: CheckCode(["), "{debug}");
        assert!(debug.ends_with("]), .. }"), "{debug}");
        let ecies = Ecies::new_with_rng(&mut rng);
        let debug = format!("{ecies:?}");
        assert!(
            debug.ends_with("info_prefix: \"MATRIX_QR_CODE_LOGIN\", .. }"),
            "{debug}"
        );
    }
}
