//! Public-key encryption for server-side key backup
//! (`m.megolm_backup.v1.curve25519-aes-sha2`), and the Ed25519 signing used
//! for cross-signing keys.
//!
//! A client that backs up its Megolm session keys creates a [`PkDecryption`]
//! (its secret key is the backup's recovery key) and publishes the public key
//! in the backup version. Each device then encrypts session keys to it with
//! [`PkEncryption`]; the three base64 strings of a [`PkMessage`] go into the
//! backup's `session_data` as `ciphertext`, `mac` and `ephemeral`.
//!
//! The scheme, as libolm implements it and as every existing backup was
//! written: a fresh ephemeral Curve25519 key per message; X25519 with the
//! backup key; HKDF-SHA-256 (no salt, empty info) of the shared secret into
//! an AES-256 key, an HMAC key and an IV; AES-256-CBC with PKCS#7 padding.
//!
//! # This scheme is not authenticated
//!
//! Read this before relying on anything decrypted here.
//!
//! - **The MAC covers nothing.** libolm computes the HMAC over the *empty
//!   string* instead of over the ciphertext, and every client that wants to
//!   read libolm-made backups must do the same; this module does. The MAC
//!   therefore only shows that the sender knew the ephemeral secret for the
//!   ephemeral key it sent, which anyone does. The ciphertext itself is
//!   unprotected and malleable: flipping bits in one CBC block changes the
//!   next block's plaintext predictably, and the "MAC" still verifies.
//! - **Anyone can write a valid entry.** Encryption needs only the public
//!   key, which is published on the homeserver. The homeserver, or anyone
//!   who can write to the backup, can therefore add or replace entries with
//!   session keys of their choosing, and they decrypt without complaint.
//!
//! What callers must do:
//!
//! - Treat every key restored from such a backup as **unauthenticated**: mark
//!   imported Megolm sessions as not verified (never upgrade them because a
//!   message later decrypted), and do not let a restored key replace one you
//!   already hold from an authenticated source (an Olm-encrypted room key).
//! - Where possible use an authenticated scheme instead, such as symmetric
//!   backups (MSC3270, `m.megolm_backup.v1.aes-hmac-sha2`), and keep this one
//!   for reading and writing backups that other clients must understand.
//! - Check the backup version's signatures (made with [`PkSigning`] keys or
//!   device keys) before encrypting to its public key.
//!
//! What this module adds over libolm: keys that give a non-contributory
//! (all-zero) exchange are refused on both sides, the MAC must be exactly 8
//! bytes, and the ciphertext must be whole AES blocks with valid PKCS#7
//! padding. None of this makes the scheme authenticated.
//!
//! ```
//! use olm::pk::{PkDecryption, PkEncryption, PkMessage};
//!
//! let backup_key = PkDecryption::new();
//! let encryption = PkEncryption::from_key(backup_key.public_key())?;
//! let message = encryption.encrypt(b"{\"session_key\": \"...\"}");
//!
//! // Stored on the server as three base64 strings.
//! let (ciphertext, mac, ephemeral) =
//!     (message.ciphertext_base64(), message.mac_base64(), message.ephemeral_key_base64());
//!
//! let received = PkMessage::from_base64(&ciphertext, &mac, &ephemeral)?;
//! assert_eq!(backup_key.decrypt(&received)?, b"{\"session_key\": \"...\"}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! libolm's `PkDecryption` pickles are not supported here yet.

use alloc::{string::String, vec::Vec};
use core::fmt;

use rand::CryptoRng;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::{
    Base64DecodeError, Curve25519PublicKey, Curve25519SecretKey, DecodeError, Ed25519PublicKey, Ed25519SecretKey,
    Ed25519Signature, KeyError,
    cipher::CipherKeys,
    encoding::base64::{FixedDecodeError, base64_decode, base64_decode_array, base64_encode},
    types::Curve25519Keypair,
};

/// The HKDF info for the backup's cipher keys: libolm uses the empty string.
const PK_KDF_INFO: &[u8] = b"";

/// What libolm's backup HMAC is computed over: nothing (the known bug that
/// leaves the ciphertext unauthenticated, reproduced for compatibility).
const PK_MAC_INPUT: &[u8] = b"";

/// The length of the backup MAC: HMAC-SHA-256 truncated to 8 bytes.
const PK_MAC_LEN: usize = 8;

/// An encrypted backup entry: ciphertext, MAC and ephemeral public key.
///
/// Matrix carries them as three unpadded base64 strings (`ciphertext`,
/// `mac`, `ephemeral` in `session_data`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkMessage {
    ciphertext: Vec<u8>,
    mac: [u8; PK_MAC_LEN],
    ephemeral_key: Curve25519PublicKey,
}

impl PkMessage {
    /// A message from its raw parts.
    pub fn new(ciphertext: Vec<u8>, mac: [u8; PK_MAC_LEN], ephemeral_key: Curve25519PublicKey) -> Self {
        Self {
            ciphertext,
            mac,
            ephemeral_key,
        }
    }

    /// Decodes the three base64 strings of a backup entry (unpadded or
    /// padded). The MAC must be 8 bytes and the ephemeral key 32, as libolm
    /// requires; whether the key is usable is checked by
    /// [`PkDecryption::decrypt`].
    pub fn from_base64(ciphertext: &str, mac: &str, ephemeral_key: &str) -> Result<Self, PkMessageDecodeError> {
        let ciphertext = base64_decode(ciphertext).map_err(PkMessageDecodeError::Ciphertext)?;
        let mac = base64_decode_array::<PK_MAC_LEN>(mac).map_err(|e| {
            PkMessageDecodeError::Mac(match e {
                FixedDecodeError::Length(got) => DecodeError::Length {
                    expected: PK_MAC_LEN,
                    got,
                },
                FixedDecodeError::Base64(e) => DecodeError::Base64(e),
            })
        })?;
        let ephemeral_key =
            Curve25519PublicKey::from_base64(ephemeral_key).map_err(PkMessageDecodeError::EphemeralKey)?;
        Ok(Self::new(ciphertext, *mac, ephemeral_key))
    }

    /// The AES-256-CBC ciphertext.
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// The 8-byte MAC. It authenticates nothing (see the module docs).
    pub const fn mac(&self) -> &[u8; PK_MAC_LEN] {
        &self.mac
    }

    /// The sender's ephemeral public key.
    pub const fn ephemeral_key(&self) -> Curve25519PublicKey {
        self.ephemeral_key
    }

    /// The ciphertext as unpadded base64 (`ciphertext`).
    pub fn ciphertext_base64(&self) -> String {
        base64_encode(&self.ciphertext)
    }

    /// The MAC as unpadded base64, 11 characters (`mac`).
    pub fn mac_base64(&self) -> String {
        base64_encode(self.mac)
    }

    /// The ephemeral key as unpadded base64, 43 characters (`ephemeral`).
    pub fn ephemeral_key_base64(&self) -> String {
        self.ephemeral_key.to_base64()
    }
}

/// Encrypts backup entries to a backup's public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PkEncryption {
    public_key: Curve25519PublicKey,
}

impl PkEncryption {
    /// Encryption to `public_key`, the backup version's `public_key`.
    ///
    /// Fails with [`KeyError::NonContributoryKey`] for a low-order key: every
    /// exchange with it gives the all-zero secret, so whatever is encrypted to
    /// it is readable by anyone. libolm accepts such keys.
    pub fn from_key(public_key: Curve25519PublicKey) -> Result<Self, KeyError> {
        if public_key.is_low_order() {
            return Err(KeyError::NonContributoryKey);
        }
        Ok(Self { public_key })
    }

    /// [`PkEncryption::from_key`] with the key as (unpadded or padded) base64.
    pub fn from_base64(public_key: &str) -> Result<Self, KeyError> {
        Self::from_key(Curve25519PublicKey::from_base64(public_key)?)
    }

    /// The key messages are encrypted to.
    pub const fn public_key(&self) -> Curve25519PublicKey {
        self.public_key
    }

    /// Encrypts `plaintext` with a fresh ephemeral key from the operating
    /// system's generator.
    #[cfg(feature = "std")]
    pub fn encrypt(&self, plaintext: &[u8]) -> PkMessage {
        self.encrypt_with_rng(plaintext, &mut rand::rng())
    }

    /// Encrypts `plaintext`: exactly 32 bytes drawn from `rng` become the
    /// ephemeral Curve25519 secret key, as in libolm's `olm_pk_encrypt`.
    pub fn encrypt_with_rng<R: CryptoRng + ?Sized>(&self, plaintext: &[u8], rng: &mut R) -> PkMessage {
        crate::stack::scrubbed(|| self.encrypt_with_ephemeral(plaintext, &Curve25519SecretKey::new_with_rng(rng)))
    }

    fn encrypt_with_ephemeral(&self, plaintext: &[u8], ephemeral: &Curve25519SecretKey) -> PkMessage {
        // `from_key` refused low-order keys. For any other key the exchange is
        // contributory whatever the secret: X25519 clamps the scalar to 8·m
        // with 0 < m below both prime subgroup orders (curve and twist), and
        // [8]P is a point of prime order, so [8·m]P is never the identity.
        let shared = ephemeral.diffie_hellman_unchecked(&self.public_key);
        let keys = CipherKeys::derive(shared.as_bytes(), PK_KDF_INFO);

        let mut ciphertext = Vec::with_capacity(CipherKeys::ciphertext_len(plaintext.len()));
        keys.encrypt_into(plaintext, &mut ciphertext);

        let full_mac = keys.mac(PK_MAC_INPUT);
        let mut mac = [0u8; PK_MAC_LEN];
        mac.iter_mut().zip(full_mac).for_each(|(m, f)| *m = f);

        PkMessage::new(ciphertext, mac, ephemeral.public_key())
    }
}

impl From<&PkDecryption> for PkEncryption {
    /// Encryption to this decryption key's public key, which is never
    /// low-order (it is a non-zero multiple of the base point).
    fn from(decryption: &PkDecryption) -> Self {
        Self {
            public_key: decryption.public_key(),
        }
    }
}

/// A backup's decryption key: a Curve25519 key pair whose secret is the
/// backup recovery key.
///
/// The secret is wiped on drop and never shown by `Debug`.
pub struct PkDecryption {
    keypair: Curve25519Keypair,
}

impl PkDecryption {
    /// A new key pair from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new key pair: exactly 32 bytes drawn from `rng` become the secret,
    /// as in libolm's `olm_pk_generate_key`.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self {
            keypair: Curve25519Keypair::new_with_rng(rng),
        })
    }

    /// The key pair with this 32-byte secret (the recovery key's content),
    /// as libolm's `olm_pk_key_from_private`.
    pub fn from_bytes(secret_key: &[u8; 32]) -> Self {
        crate::stack::scrubbed(|| Self::from_key(Curve25519SecretKey::from_bytes(secret_key)))
    }

    /// The key pair with this secret key.
    pub fn from_key(secret_key: Curve25519SecretKey) -> Self {
        Self {
            keypair: Curve25519Keypair::from_secret(secret_key),
        }
    }

    /// A copy of the 32-byte secret, wiped when dropped, to store as the
    /// recovery key (libolm's `olm_pk_get_private_key`).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        self.keypair.secret().to_bytes()
    }

    /// The public key, computed once when the key pair was made.
    pub const fn public_key(&self) -> Curve25519PublicKey {
        self.keypair.public()
    }

    /// Decrypts a backup entry.
    ///
    /// Checks, in order: that the ephemeral key gives a contributory
    /// exchange; the 8-byte MAC, in constant time, computed over the empty
    /// string as libolm does; that the ciphertext is whole AES blocks; the
    /// PKCS#7 padding. A passing MAC only means the entry was encrypted to
    /// this key by *someone*: the plaintext is not authenticated (see the
    /// module docs).
    pub fn decrypt(&self, message: &PkMessage) -> Result<Vec<u8>, PkError> {
        crate::stack::scrubbed(|| {
            let shared = self
                .keypair
                .secret()
                .diffie_hellman(&message.ephemeral_key)
                .map_err(|_| PkError::NonContributoryKey)?;
            let keys = CipherKeys::derive(shared.as_bytes(), PK_KDF_INFO);
            // One error for every failure from here on: the MAC covers nothing,
            // so a distinct padding error would tell whoever planted an entry
            // something about its plaintext (a padding oracle).
            keys.verify_truncated_mac(PK_MAC_INPUT, &message.mac)
                .and_then(|()| keys.decrypt(&message.ciphertext))
                .map_err(|_| PkError::Decryption)
        })
    }
}

#[cfg(feature = "std")]
impl Default for PkDecryption {
    fn default() -> Self {
        Self::new()
    }
}

/// The secret key wipes itself when dropped.
impl ZeroizeOnDrop for PkDecryption {}

impl fmt::Debug for PkDecryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkDecryption")
            .field("public_key", &self.keypair.public())
            .finish_non_exhaustive()
    }
}

/// An Ed25519 signing key made from a 32-byte seed, as libolm's `PkSigning`:
/// Matrix uses it for the cross-signing master, self-signing and
/// user-signing keys.
///
/// The seed is wiped on drop and never shown by `Debug`.
pub struct PkSigning {
    secret: Ed25519SecretKey,
    public: Ed25519PublicKey,
}

impl PkSigning {
    /// A new key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new key: a 32-byte seed drawn from `rng`.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self::from_secret(Ed25519SecretKey::new_with_rng(rng)))
    }

    /// The key with this seed, as libolm's `olm_pk_signing_key_from_seed`.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self::from_secret(Ed25519SecretKey::from_bytes(seed))
    }

    fn from_secret(secret: Ed25519SecretKey) -> Self {
        let public = secret.public_key();
        Self { secret, public }
    }

    /// A copy of the seed, wiped when dropped, to store the key.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        self.secret.to_bytes()
    }

    /// The public key, computed once when the key was made.
    pub const fn public_key(&self) -> Ed25519PublicKey {
        self.public
    }

    /// Signs `message` (a deterministic RFC 8032 signature; Matrix signs
    /// canonical JSON).
    pub fn sign(&self, message: impl AsRef<[u8]>) -> Ed25519Signature {
        crate::stack::scrubbed(|| self.secret.sign(message.as_ref()))
    }
}

#[cfg(feature = "std")]
impl Default for PkSigning {
    fn default() -> Self {
        Self::new()
    }
}

/// The seed wipes itself when dropped.
impl ZeroizeOnDrop for PkSigning {}

impl fmt::Debug for PkSigning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkSigning")
            .field("public_key", &self.public)
            .finish_non_exhaustive()
    }
}

/// The three base64 strings of a backup entry could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkMessageDecodeError {
    /// The `ciphertext` string is not valid base64.
    #[error("the backup entry's ciphertext is not valid base64: {0}")]
    Ciphertext(Base64DecodeError),
    /// The `mac` string is not base64 of exactly 8 bytes (11 characters).
    #[error("the backup entry's MAC must be base64 of 8 bytes (11 characters): {0}")]
    Mac(DecodeError),
    /// The `ephemeral` string is not base64 of a 32-byte key.
    #[error("the backup entry's ephemeral key is not a Curve25519 public key: {0}")]
    EphemeralKey(KeyError),
}

/// A backup entry could not be decrypted.
///
/// Either way the entry was not encrypted to this key, or was damaged or
/// planted; retrying will not help. Skip the entry (and the session it would
/// restore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkError {
    /// The ephemeral key is a low-order point: the exchange gives the
    /// all-zero secret, so the entry would be readable by anyone. Only a
    /// malicious or broken writer produces this.
    #[error(
        "the backup entry's ephemeral key is a low-order point, so the key exchange is not contributory; skip this \
         entry"
    )]
    NonContributoryKey,
    /// The entry does not decrypt under this key: it was encrypted to
    /// another key, or its MAC, ephemeral key or ciphertext was altered or
    /// damaged. One error for every cause, on purpose: telling a bad MAC from
    /// bad padding would make decryption a padding oracle.
    #[error(
        "the backup entry does not decrypt with this key: it was encrypted to another backup key, or was altered or \
         damaged"
    )]
    Decryption,
}

#[cfg(test)]
mod tests {
    use alloc::{format, string::ToString, vec};

    use rand::{SeedableRng, rngs::StdRng};

    use super::*;

    use olm_testkit::hex::array as hex32;

    const RFC7748_ALICE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";

    #[test]
    fn libolm_test_pk() {
        // libolm's tests/test_pk.cpp.
        let decryption = PkDecryption::from_bytes(&hex32(RFC7748_ALICE));
        assert_eq!(
            decryption.public_key().to_base64(),
            "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"
        );
        let message = PkMessage::from_base64(
            "ntk49j/KozVFtSqJXhCejg",
            "zpzU6BkZcNI",
            "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08",
        )
        .unwrap();
        assert_eq!(decryption.decrypt(&message).unwrap(), b"This is a test");
        assert_eq!(*decryption.to_bytes(), hex32(RFC7748_ALICE));
    }

    #[test]
    fn libolm_backup_kat() {
        // libolm 3.2.7 (as test-vectors/generator runs it): recipient E1×32, ephemeral E2×32.
        let decryption = PkDecryption::from_bytes(&[0xe1; 32]);
        assert_eq!(
            decryption.public_key().to_base64(),
            "TCgXqdZo7YRNL5W5O2nsuEhQlXg6AVpCQWSw0JcCiU8"
        );
        let encryption = PkEncryption::from_key(decryption.public_key()).unwrap();
        let message =
            encryption.encrypt_with_ephemeral(b"backup payload", &Curve25519SecretKey::from_bytes(&[0xe2; 32]));
        assert_eq!(message.ciphertext_base64(), "x3wQbBsQeiYXJyECvc8uuQ");
        assert_eq!(message.mac_base64(), "b2Vv8RDYNfw");
        assert_eq!(
            message.ephemeral_key_base64(),
            "GdgCBL+F8+ERjhsjQQyI8NDuztUVb0xb3zR7FO1+xj8"
        );
        assert_eq!(decryption.decrypt(&message).unwrap(), b"backup payload");
    }

    #[test]
    fn libolm_signing_kat() {
        // libolm 3.2.7 (as test-vectors/generator runs it): PkSigning seed F1×32, sign "Hello".
        let signing = PkSigning::from_seed(&[0xf1; 32]);
        assert_eq!(
            signing.public_key().to_base64(),
            "3L5P2vQ8YUaIm4Kw5pD8iMEoZgUuo+oEKx95iLylrgg"
        );
        let signature = signing.sign("Hello");
        assert_eq!(
            signature.to_base64(),
            "L6PO24hon3970l8aazuEGXATAlQd5c155XOEzphayYKb6etJDgVppu2enn9boaTrRGjuwbjSK1k8XyxUb6x2Ag"
        );
        assert!(signing.public_key().verify(b"Hello", &signature).is_ok());
        assert_eq!(*signing.seed(), [0xf1; 32]);
        assert!(!format!("{signing:?}").contains("f1f1"));
    }

    #[test]
    fn round_trips_and_randomness() {
        let mut rng = StdRng::seed_from_u64(1);
        let decryption = PkDecryption::new_with_rng(&mut rng);
        let encryption = PkEncryption::from(&decryption);
        for len in [0, 1, 15, 16, 17, 100, 4096] {
            let plaintext = vec![0x42; len];
            let message = encryption.encrypt_with_rng(&plaintext, &mut rng);
            assert_eq!(message.ciphertext().len(), CipherKeys::ciphertext_len(len));
            assert_eq!(decryption.decrypt(&message).unwrap(), plaintext);
            let again = PkMessage::from_base64(
                &message.ciphertext_base64(),
                &message.mac_base64(),
                &message.ephemeral_key_base64(),
            )
            .unwrap();
            assert_eq!(again, message);
        }
        // Two encryptions use two ephemeral keys.
        let a = encryption.encrypt_with_rng(b"x", &mut rng);
        let b = encryption.encrypt_with_rng(b"x", &mut rng);
        assert_ne!(a.ephemeral_key(), b.ephemeral_key());
        // A different key cannot decrypt: the (empty-input) MAC catches it.
        let other = PkDecryption::from_bytes(&[9; 32]);
        assert_eq!(other.decrypt(&a), Err(PkError::Decryption));
    }

    #[test]
    fn low_order_keys_are_refused() {
        let low_order = [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }];
        let decryption = PkDecryption::from_bytes(&[0xe1; 32]);
        for bytes in low_order {
            let key = Curve25519PublicKey::from_bytes(bytes);
            assert_eq!(PkEncryption::from_key(key), Err(KeyError::NonContributoryKey));
            assert_eq!(
                PkEncryption::from_base64(&key.to_base64()),
                Err(KeyError::NonContributoryKey)
            );
            let message = PkMessage::new(vec![0; 16], [0; 8], key);
            assert_eq!(decryption.decrypt(&message), Err(PkError::NonContributoryKey));
        }
    }

    #[test]
    fn the_mac_does_not_cover_the_ciphertext() {
        // The libolm bug, kept on purpose: altering the ciphertext leaves the
        // MAC valid, so decryption fails at the padding at best.
        let decryption = PkDecryption::from_bytes(&[0xe1; 32]);
        let encryption = PkEncryption::from(&decryption);
        let message = encryption.encrypt_with_rng(b"0123456789abcdef0123", &mut StdRng::seed_from_u64(5));
        let mut ciphertext = message.ciphertext().to_vec();
        // Flip a bit of the first block: the second block's plaintext changes
        // by that bit and its padding stays valid.
        ciphertext[0] ^= 1;
        let altered = PkMessage::new(ciphertext, *message.mac(), message.ephemeral_key());
        let plaintext = decryption.decrypt(&altered).unwrap();
        assert_eq!(plaintext[16], b'0' ^ 1);
        assert_eq!(&plaintext[17..], b"123");
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let decryption = PkDecryption::from_bytes(&[0xe1; 32]);
        let good = PkEncryption::from(&decryption).encrypt_with_rng(b"data", &mut StdRng::seed_from_u64(3));
        let (ct, mac, eph) = (good.ciphertext_base64(), good.mac_base64(), good.ephemeral_key_base64());

        assert!(matches!(
            PkMessage::from_base64("!!!!", &mac, &eph),
            Err(PkMessageDecodeError::Ciphertext(_))
        ));
        assert!(matches!(
            PkMessage::from_base64("A", &mac, &eph),
            Err(PkMessageDecodeError::Ciphertext(_))
        ));
        for bad_mac in [
            "",
            "A",
            &mac[..10],
            &format!("{mac}A"),
            &format!("{mac}AA"),
            "***********",
        ] {
            assert!(
                matches!(
                    PkMessage::from_base64(&ct, bad_mac, &eph),
                    Err(PkMessageDecodeError::Mac(_))
                ),
                "{bad_mac:?}"
            );
        }
        for bad_key in ["", &eph[..42], &format!("{eph}A"), &"*".repeat(43)] {
            assert!(
                matches!(
                    PkMessage::from_base64(&ct, &mac, bad_key),
                    Err(PkMessageDecodeError::EphemeralKey(_))
                ),
                "{bad_key:?}"
            );
        }
        // Padded base64 is accepted everywhere.
        assert_eq!(
            PkMessage::from_base64(&format!("{ct}=="), &format!("{mac}="), &format!("{eph}=")).unwrap(),
            good
        );

        // Ciphertexts of wrong lengths.
        for len in [0, 1, 15, 17, 31] {
            let message = PkMessage::new(vec![0; len], *good.mac(), good.ephemeral_key());
            assert_eq!(decryption.decrypt(&message), Err(PkError::Decryption));
        }
        // A wrong MAC.
        let mut bad = *good.mac();
        bad[7] ^= 0x80;
        let message = PkMessage::new(good.ciphertext().to_vec(), bad, good.ephemeral_key());
        assert_eq!(decryption.decrypt(&message), Err(PkError::Decryption));

        // Random data everywhere: errors, never panics.
        let mut rng = StdRng::seed_from_u64(77);
        for len in 0..64 {
            let mut bytes = vec![0u8; len];
            rand::Rng::fill_bytes(&mut rng, &mut bytes);
            let text = String::from_utf8_lossy(&bytes);
            let _ = PkMessage::from_base64(&text, &text, &text);
            let _ = PkEncryption::from_base64(&text);
            let mut key = [0u8; 32];
            rand::Rng::fill_bytes(&mut rng, &mut key);
            let message = PkMessage::new(
                bytes.clone(),
                [bytes.len() as u8; 8],
                Curve25519PublicKey::from_bytes(key),
            );
            assert!(decryption.decrypt(&message).is_err());
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let decryption = PkDecryption::from_bytes(&hex32(RFC7748_ALICE));
        let shown = format!("{decryption:?}");
        assert!(shown.contains("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"), "{shown}");
        assert!(!shown.contains("77076d0a"));
        assert!(!shown.contains("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo"));
        assert!(PkError::Decryption.to_string().contains("does not decrypt"));
    }
}
