//! Short authentication strings (SAS): the key agreement behind Matrix's
//! interactive emoji and decimal verification (`m.sas.v1`).
//!
//! Both devices make a fresh [`Sas`], swap public keys and run X25519 with
//! [`Sas::diffie_hellman`]. The resulting [`EstablishedSas`] derives:
//!
//! - the short authentication string, [`EstablishedSas::bytes`]: six bytes of
//!   HKDF-SHA-256 output, shown to the users as seven emoji or three
//!   four-digit numbers ([`SasBytes`]). If a man in the middle replaced either
//!   public key, the two devices hold different secrets and show different
//!   strings, except with probability about 2^-42 for emoji. That bound
//!   needs the accepting device to commit to its public key before it sees
//!   the other's (the SHA-256 `commitment` of `m.key.verification.accept`,
//!   which the caller computes and checks); without it an attacker could
//!   search for keys that make the strings collide;
//! - MACs of the device and cross-signing keys that each side then sends,
//!   [`EstablishedSas::calculate_mac`] and [`EstablishedSas::verify_mac`], so
//!   that once the users have confirmed the strings match, each device learns
//!   that the other's keys are genuine.
//!
//! Every derivation is HKDF-SHA-256 with no salt, the X25519 secret as input
//! key material and a caller-chosen `info` string; Matrix builds the `info`
//! strings from both users' ids, device ids, public keys and the transaction
//! id, so each string and MAC key is bound to one verification.
//!
//! # MAC methods
//!
//! Matrix negotiates one of three `message_authentication_code` methods:
//!
//! | Matrix method | here | libolm |
//! |---|---|---|
//! | `hkdf-hmac-sha256.v2` | [`calculate_mac`](EstablishedSas::calculate_mac) | `olm_sas_calculate_mac_fixed_base64` |
//! | `hkdf-hmac-sha256` (legacy) | [`calculate_mac_invalid_base64`](EstablishedSas::calculate_mac_invalid_base64) | `olm_sas_calculate_mac` |
//! | `hmac-sha256` (legacy, "old Riot") | [`calculate_mac_long_kdf_invalid_base64`](EstablishedSas::calculate_mac_long_kdf_invalid_base64) | `olm_sas_calculate_mac_long_kdf` |
//!
//! Use the first. The two legacy methods exist only to verify against old
//! clients: libolm base64-encoded their MAC in place, over its own input, so
//! the string they send is not the base64 of the MAC. It is deterministic, so
//! it can be reproduced, and it still carries enough of the MAC to be
//! unforgeable in practice, but it is not a standard encoding and newer
//! clients should not offer those methods.
//!
//! ```
//! use olm::sas::Sas;
//!
//! let alice = Sas::new();
//! let bob = Sas::new();
//! let (alice_key, bob_key) = (alice.public_key(), bob.public_key());
//!
//! let alice = alice.diffie_hellman(bob_key)?;
//! let bob = bob.diffie_hellman(alice_key)?;
//!
//! // Both users compare these on their screens.
//! let info = "MATRIX_KEY_VERIFICATION_SAS|…";
//! assert_eq!(alice.bytes(info).emoji_indices(), bob.bytes(info).emoji_indices());
//!
//! // Then each side sends MACs of its keys, and the other checks them.
//! let mac = alice.calculate_mac("ed25519:ALICEDEVICE", "MATRIX_KEY_VERIFICATION_MAC|…");
//! bob.verify_mac("ed25519:ALICEDEVICE", "MATRIX_KEY_VERIFICATION_MAC|…", &mac)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Without `libolm-compat`, the parts shared with libolm's format go unused.

use alloc::{string::String, vec::Vec};
use core::fmt;

use hkdf::Hkdf;
use hmac::Mac as _;
use rand::CryptoRng;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::ZeroizeOnDrop;

#[cfg(feature = "libolm-compat")]
mod legacy;

use crate::{
    Curve25519PublicKey, DecodeError, KeyError,
    cipher::{HmacSha256, hmac_sha256, kdf},
    ct,
    encoding::base64::{FixedDecodeError, base64_decode_array, base64_encode},
    types::{Curve25519Keypair, SecretBox},
};

/// The number of bytes of a short authentication string: enough for seven
/// 6-bit emoji (42 bits) and three 13-bit numbers (39 bits).
const SAS_BYTES: usize = 6;

/// A SAS object before the key exchange: a fresh Curve25519 key pair.
///
/// Use one per verification; it is consumed by [`Sas::diffie_hellman`].
pub struct Sas {
    keypair: Curve25519Keypair,
}

impl Sas {
    /// A new key pair from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new key pair: exactly 32 bytes drawn from `rng` become the
    /// Curve25519 secret key, as in libolm's `olm_create_sas`.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self {
            keypair: Curve25519Keypair::new_with_rng(rng),
        })
    }

    /// Our public key, to be sent to the other device (`m.key.verification.key`).
    pub fn public_key(&self) -> Curve25519PublicKey {
        self.keypair.public()
    }

    /// Runs X25519 with the other device's public key.
    ///
    /// Fails with [`KeyError::NonContributoryKey`] when `their_key` is a
    /// low-order point: every exchange with it gives the all-zero secret, so
    /// anyone could compute the short authentication string and the MACs.
    /// libolm accepts such keys; refusing them only affects attackers. On
    /// failure the verification must be cancelled (the key pair is consumed
    /// either way, so it cannot be reused by accident).
    pub fn diffie_hellman(self, their_key: Curve25519PublicKey) -> Result<EstablishedSas, KeyError> {
        crate::stack::scrubbed(|| {
            let shared = self.keypair.secret().diffie_hellman(&their_key)?;
            Ok(EstablishedSas {
                shared_secret: SecretBox::new(shared.as_bytes()),
                our_public_key: self.keypair.public(),
                their_public_key: their_key,
            })
        })
    }

    /// [`Sas::diffie_hellman`] with the other device's public key as
    /// (unpadded or padded) base64, as it arrives in
    /// `m.key.verification.key`.
    pub fn diffie_hellman_with_raw(self, their_key: &str) -> Result<EstablishedSas, KeyError> {
        let their_key = Curve25519PublicKey::from_base64(their_key)?;
        self.diffie_hellman(their_key)
    }

    #[cfg(test)]
    fn from_secret(secret: crate::Curve25519SecretKey) -> Self {
        Self {
            keypair: Curve25519Keypair::from_secret(secret),
        }
    }
}

#[cfg(feature = "std")]
impl Default for Sas {
    fn default() -> Self {
        Self::new()
    }
}

/// The secret key wipes itself when dropped.
impl ZeroizeOnDrop for Sas {}

impl fmt::Debug for Sas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sas")
            .field("public_key", &self.keypair.public())
            .finish_non_exhaustive()
    }
}

/// A SAS object after the key exchange: it holds the shared secret and
/// derives the short authentication string and the MACs from it.
///
/// The secret is wiped on drop and never shown by `Debug`.
pub struct EstablishedSas {
    shared_secret: SecretBox<32>,
    our_public_key: Curve25519PublicKey,
    their_public_key: Curve25519PublicKey,
}

impl EstablishedSas {
    /// The six bytes of the short authentication string for `info`, to be
    /// shown as emoji or decimals ([`SasBytes`]).
    ///
    /// In Matrix, `info` is `MATRIX_KEY_VERIFICATION_SAS|` followed by both
    /// users' ids, device ids and SAS public keys and the transaction id.
    pub fn bytes(&self, info: impl AsRef<[u8]>) -> SasBytes {
        crate::stack::scrubbed(|| {
            let bytes = kdf::hkdf::<SAS_BYTES>(None, self.shared_secret.as_bytes(), info.as_ref());
            // Shown to both users, who compare them: public by design.
            SasBytes {
                bytes: ct::public_array(*bytes),
            }
        })
    }

    /// `count` bytes of HKDF-SHA-256 output for `info`, as libolm's
    /// `olm_sas_generate_bytes`. [`EstablishedSas::bytes`] covers what Matrix
    /// uses; this form is for other short-string encodings.
    ///
    /// Fails when `count` exceeds [`InvalidCount::MAX`], the most HKDF-SHA-256
    /// can produce.
    pub fn bytes_raw(&self, info: impl AsRef<[u8]>, count: usize) -> Result<Vec<u8>, InvalidCount> {
        crate::stack::scrubbed(|| {
            if count > InvalidCount::MAX {
                return Err(InvalidCount { requested: count });
            }
            let mut out = alloc::vec![0u8; count];
            Hkdf::<Sha256>::new(None, self.shared_secret.as_bytes())
                .expand(info.as_ref(), &mut out)
                .map_err(|_| InvalidCount { requested: count })?;
            Ok(out)
        })
    }

    /// The MAC of `input` under the key derived for `info`: Matrix method
    /// `hkdf-hmac-sha256.v2` (libolm's `olm_sas_calculate_mac_fixed_base64`).
    ///
    /// The key is 32 bytes of HKDF-SHA-256 output for `info`; the MAC is the
    /// full HMAC-SHA-256 of `input`. Send it with [`Mac::to_base64`].
    pub fn calculate_mac(&self, input: impl AsRef<[u8]>, info: impl AsRef<[u8]>) -> Mac {
        crate::stack::scrubbed(|| {
            let mac = self.hmac(info.as_ref()).chain_update(input.as_ref()).finalize();
            // Sent to the other device: public by design.
            Mac(ct::public_array(mac.into_bytes().into()))
        })
    }

    /// Checks, in constant time, a MAC that the other device sent for
    /// `input` (method `hkdf-hmac-sha256.v2`).
    pub fn verify_mac(&self, input: impl AsRef<[u8]>, info: impl AsRef<[u8]>, tag: &Mac) -> Result<(), SasError> {
        crate::stack::scrubbed(|| {
            let expected = self.calculate_mac(input, info);
            if ct::public_bool(bool::from(expected.0.ct_eq(&tag.0))) {
                Ok(())
            } else {
                Err(SasError::Mac)
            }
        })
    }

    /// Our public key, as sent to the other device.
    pub fn our_public_key(&self) -> Curve25519PublicKey {
        self.our_public_key
    }

    /// The other device's public key, as given to [`Sas::diffie_hellman`].
    pub fn their_public_key(&self) -> Curve25519PublicKey {
        self.their_public_key
    }

    /// HMAC-SHA-256 keyed with 32 bytes of HKDF output for `info`.
    fn hmac(&self, info: &[u8]) -> HmacSha256 {
        let key = kdf::hkdf::<32>(None, self.shared_secret.as_bytes(), info);
        hmac_sha256(&key)
    }
}

/// The shared secret wipes itself when dropped.
impl ZeroizeOnDrop for EstablishedSas {}

impl fmt::Debug for EstablishedSas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EstablishedSas")
            .field("our_public_key", &self.our_public_key)
            .field("their_public_key", &self.their_public_key)
            .finish_non_exhaustive()
    }
}

/// The six bytes of a short authentication string, with the two ways Matrix
/// shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SasBytes {
    bytes: [u8; SAS_BYTES],
}

impl SasBytes {
    /// Seven indices into the Matrix specification's table of 64 emoji:
    /// the first 42 bits, six at a time, most significant first.
    pub fn emoji_indices(&self) -> [u8; 7] {
        let bits = self.as_u64();
        core::array::from_fn(|i| ((bits >> (42 - 6 * i)) & 0x3f) as u8)
    }

    /// Three numbers from 1000 to 9191: the first 39 bits (of the first five
    /// bytes), thirteen at a time, each plus 1000.
    pub fn decimals(&self) -> (u16, u16, u16) {
        // Drop the sixth byte: 40 bits remain, of which the top 39 are used.
        let bits = self.as_u64() >> 8;
        let number = |shift: u32| ((bits >> shift) & 0x1fff) as u16 + 1000;
        (number(27), number(14), number(1))
    }

    /// The six bytes.
    pub const fn as_bytes(&self) -> &[u8; SAS_BYTES] {
        &self.bytes
    }

    /// The bytes as a 48-bit big-endian number.
    fn as_u64(&self) -> u64 {
        self.bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b))
    }
}

/// A MAC of method `hkdf-hmac-sha256.v2`: the full 32-byte HMAC-SHA-256.
///
/// Compared in constant time.
#[derive(Clone)]
pub struct Mac([u8; 32]);

impl Mac {
    /// The length of a MAC in bytes.
    pub const LENGTH: usize = 32;

    /// The MAC with these bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The MAC from a slice that must hold exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| DecodeError::Length {
            expected: Self::LENGTH,
            got: bytes.len(),
        })?;
        Ok(Self(bytes))
    }

    /// Parses the base64 (unpadded or padded) of exactly 32 bytes, as sent in
    /// `m.key.verification.mac`.
    ///
    /// The strings of the legacy methods are not real base64 of a MAC: check
    /// them as strings with [`EstablishedSas::verify_mac_invalid_base64`] or
    /// [`EstablishedSas::verify_mac_long_kdf_invalid_base64`].
    pub fn from_base64(input: &str) -> Result<Self, DecodeError> {
        let bytes = base64_decode_array::<32>(input).map_err(|e| match e {
            FixedDecodeError::Length(got) => DecodeError::Length {
                expected: Self::LENGTH,
                got,
            },
            FixedDecodeError::Base64(e) => DecodeError::Base64(e),
        })?;
        Ok(Self(*bytes))
    }

    /// The MAC as unpadded base64 (43 characters).
    pub fn to_base64(&self) -> String {
        base64_encode(self.0)
    }

    /// The MAC's bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for Mac {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for Mac {}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mac({})", self.to_base64())
    }
}

/// A SAS MAC did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SasError {
    /// The MAC does not match the input and info: the other device MACed
    /// different keys or a different info string, or someone interfered with
    /// the exchange. Cancel the verification (`m.key_mismatch`) and do not
    /// trust the keys.
    #[error(
        "the SAS MAC does not match: the keys or the info string differ from the other side's, or the exchange was \
         tampered with; cancel the verification and do not trust these keys"
    )]
    Mac,
}

/// More SAS bytes were requested than HKDF-SHA-256 can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot derive {requested} SAS bytes: HKDF-SHA-256 yields at most {max}; request fewer (Matrix uses 6)",
    max = Self::MAX
)]
pub struct InvalidCount {
    /// The number of bytes that was requested.
    pub requested: usize,
}

impl InvalidCount {
    /// The most bytes [`EstablishedSas::bytes_raw`] can produce:
    /// 255 blocks of 32 bytes.
    pub const MAX: usize = 255 * 32;
}

#[cfg(test)]
mod tests {
    use alloc::{format, string::ToString};

    use super::*;
    use crate::Curve25519SecretKey;

    use olm_testkit::hex::array as hex32;

    const RFC7748_ALICE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    const RFC7748_BOB: &str = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    /// RFC 7748 Bob's public key, as libolm's tests give it.
    const BOB_PUBLIC: &str = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08";

    fn alice_established() -> EstablishedSas {
        Sas::from_secret(Curve25519SecretKey::from_bytes(&hex32(RFC7748_ALICE)))
            .diffie_hellman_with_raw(BOB_PUBLIC)
            .unwrap()
    }

    #[test]
    fn libolm_generate_bytes() {
        // libolm 3.2.7 (as test-vectors/generator runs it), olm_sas_generate_bytes("SAS", 6).
        let sas = alice_established();
        let bytes = sas.bytes("SAS");
        assert_eq!(bytes.as_bytes(), &[0x39, 0x87, 0xa8, 0x72, 0xe7, 0xb9]);
        assert_eq!(sas.bytes_raw("SAS", 6).unwrap(), bytes.as_bytes());
        // Worked out by hand from 3987a872e7b9.
        assert_eq!(bytes.emoji_indices(), [14, 24, 30, 40, 28, 46, 30]);
        assert_eq!(bytes.decimals(), (2840, 8841, 7515));
    }

    #[cfg(feature = "libolm-compat")]
    #[test]
    fn libolm_macs() {
        // libolm 3.2.7 (as test-vectors/generator runs it) and libolm's python/tests/sas_test.py.
        let sas = alice_established();
        let mac = sas.calculate_mac("Hello world!", "MAC");
        assert_eq!(mac.to_base64(), "2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmo");
        assert!(sas.verify_mac("Hello world!", "MAC", &mac).is_ok());
        assert_eq!(
            sas.calculate_mac_invalid_base64("Hello world!", "MAC"),
            "2nSMTXM+TStTU3RUVTNSVVZUTlNWVlpVVGxOV1ZscFY"
        );
        assert_eq!(
            sas.calculate_mac_long_kdf_invalid_base64("Hello world!", "MAC"),
            "aYtxeF31MzG4ekc0ZWtjMFpXdGpNRnBYZEdwTlJuQlk"
        );
        assert!(
            sas.verify_mac_invalid_base64("Hello world!", "MAC", "2nSMTXM+TStTU3RUVTNSVVZUTlNWVlpVVGxOV1ZscFY")
                .is_ok()
        );
        assert!(
            sas.verify_mac_long_kdf_invalid_base64(
                "Hello world!",
                "MAC",
                "aYtxeF31MzG4ekc0ZWtjMFpXdGpNRnBYZEdwTlJuQlk"
            )
            .is_ok()
        );
    }

    #[test]
    fn both_sides_agree() {
        let alice = Sas::from_secret(Curve25519SecretKey::from_bytes(&hex32(RFC7748_ALICE)));
        let bob = Sas::from_secret(Curve25519SecretKey::from_bytes(&hex32(RFC7748_BOB)));
        assert_eq!(bob.public_key().to_base64(), BOB_PUBLIC);
        let (alice_key, bob_key) = (alice.public_key(), bob.public_key());
        let alice = alice.diffie_hellman(bob_key).unwrap();
        let bob = bob.diffie_hellman(alice_key).unwrap();
        assert_eq!(alice.our_public_key(), bob.their_public_key());
        assert_eq!(alice.their_public_key(), bob.our_public_key());
        assert_eq!(alice.bytes("x"), bob.bytes("x"));
        assert_ne!(alice.bytes("x"), alice.bytes("y"));
        let mac = alice.calculate_mac("key", "info");
        assert_eq!(bob.verify_mac("key", "info", &mac), Ok(()));
        assert_eq!(bob.verify_mac("key2", "info", &mac), Err(SasError::Mac));
        assert_eq!(bob.verify_mac("key", "info2", &mac), Err(SasError::Mac));
        #[cfg(feature = "libolm-compat")]
        {
            let legacy = alice.calculate_mac_invalid_base64("key", "info");
            assert_eq!(bob.verify_mac_invalid_base64("key", "info", &legacy), Ok(()));
            assert_eq!(
                bob.verify_mac_invalid_base64("kez", "info", &legacy),
                Err(SasError::Mac)
            );
            let long = alice.calculate_mac_long_kdf_invalid_base64("key", "info");
            assert_eq!(bob.verify_mac_long_kdf_invalid_base64("key", "info", &long), Ok(()));
            assert_eq!(
                bob.verify_mac_long_kdf_invalid_base64("key", "info", &legacy),
                Err(SasError::Mac)
            );
        }
    }

    #[test]
    fn emoji_and_decimal_extremes() {
        let ones = SasBytes { bytes: [0xff; 6] };
        assert_eq!(ones.emoji_indices(), [63; 7]);
        assert_eq!(ones.decimals(), (9191, 9191, 9191));
        let zeros = SasBytes { bytes: [0; 6] };
        assert_eq!(zeros.emoji_indices(), [0; 7]);
        assert_eq!(zeros.decimals(), (1000, 1000, 1000));
        // The sixth byte's low six bits are unused by the emoji, and the
        // sixth byte and the fifth byte's last bit by the decimals.
        let tail = SasBytes {
            bytes: [0, 0, 0, 0, 1, 0x3f],
        };
        assert_eq!(tail.emoji_indices(), [0, 0, 0, 0, 0, 0, 4]);
        assert_eq!(tail.decimals(), (1000, 1000, 1000));
    }

    #[test]
    fn bytes_raw_limits() {
        let sas = alice_established();
        assert_eq!(sas.bytes_raw("SAS", 0).unwrap(), Vec::<u8>::new());
        assert_eq!(
            sas.bytes_raw("SAS", InvalidCount::MAX).unwrap().len(),
            InvalidCount::MAX
        );
        let err = sas.bytes_raw("SAS", InvalidCount::MAX + 1).unwrap_err();
        assert_eq!(err.requested, InvalidCount::MAX + 1);
        assert!(err.to_string().contains("8160"));
        assert!(sas.bytes_raw("SAS", usize::MAX).is_err());
    }

    #[test]
    fn low_order_keys_are_refused() {
        for bytes in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            let sas = Sas::from_secret(Curve25519SecretKey::from_bytes(&[7; 32]));
            assert_eq!(
                sas.diffie_hellman(Curve25519PublicKey::from_bytes(bytes)).unwrap_err(),
                KeyError::NonContributoryKey
            );
        }
        let sas = Sas::from_secret(Curve25519SecretKey::from_bytes(&[7; 32]));
        assert_eq!(
            sas.diffie_hellman_with_raw(&base64_encode([0u8; 32])).unwrap_err(),
            KeyError::NonContributoryKey
        );
    }

    #[test]
    fn bad_keys_are_typed_errors() {
        let inputs = [
            "",
            "A",
            "AAAA",
            "!!!!",
            &"A".repeat(42),
            &"A".repeat(44),
            &"A".repeat(1000),
            "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK0",
        ];
        for input in inputs {
            let sas = Sas::from_secret(Curve25519SecretKey::from_bytes(&[7; 32]));
            assert!(sas.diffie_hellman_with_raw(input).is_err(), "{input:?}");
        }
    }

    #[test]
    fn mac_decoding() {
        let mac = alice_established().calculate_mac("Hello world!", "MAC");
        assert_eq!(Mac::from_base64(&mac.to_base64()).unwrap(), mac);
        assert_eq!(Mac::from_base64(&format!("{}=", mac.to_base64())).unwrap(), mac);
        assert_eq!(Mac::from_slice(mac.as_bytes()).unwrap(), mac);
        assert_eq!(Mac::from_bytes(*mac.as_bytes()), mac);
        let b64 = mac.to_base64();
        assert_eq!(
            Mac::from_base64(&b64[..42]).unwrap_err(),
            DecodeError::Length { expected: 32, got: 31 }
        );
        assert!(matches!(Mac::from_base64(&b64[..41]), Err(DecodeError::Length { .. })));
        assert!(matches!(
            Mac::from_base64(&format!("{b64}A")),
            Err(DecodeError::Length { .. })
        ));
        assert!(matches!(Mac::from_base64(&"*".repeat(43)), Err(DecodeError::Base64(_))));
        assert!(matches!(Mac::from_base64(""), Err(DecodeError::Length { .. })));
        assert!(Mac::from_base64("é").is_err());
        // The legacy strings are not the base64 of a MAC.
        #[cfg(feature = "libolm-compat")]
        {
            let legacy = alice_established().calculate_mac_invalid_base64("Hello world!", "MAC");
            if let Ok(decoded) = Mac::from_base64(&legacy) {
                assert_ne!(decoded, mac);
            }
        }
        assert!(Mac::from_slice(&[0; 31]).is_err());
        assert!(Mac::from_slice(&[0; 33]).is_err());
        assert_eq!(format!("{mac:?}"), format!("Mac({b64})"));
    }

    #[test]
    fn verify_rejects_garbage() {
        let sas = alice_established();
        let mut state = 0x1234_5678_9abc_def0u64;
        for len in 0..100 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(mac) = Mac::from_slice(&bytes) {
                assert_eq!(sas.verify_mac("Hello world!", "MAC", &mac), Err(SasError::Mac));
            }
            // Whatever the text, decoding gives a value or a typed error.
            let _ = Mac::from_base64(&text);
            #[cfg(feature = "libolm-compat")]
            {
                assert_eq!(
                    sas.verify_mac_invalid_base64("Hello world!", "MAC", &text),
                    Err(SasError::Mac)
                );
                assert_eq!(
                    sas.verify_mac_long_kdf_invalid_base64("Hello world!", "MAC", &text),
                    Err(SasError::Mac)
                );
            }
        }
        // A correct MAC for other input, and a flipped bit.
        let mut bytes = *sas.calculate_mac("Hello world!", "MAC").as_bytes();
        bytes[31] ^= 1;
        assert_eq!(
            sas.verify_mac("Hello world!", "MAC", &Mac::from_bytes(bytes)),
            Err(SasError::Mac)
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let sas = Sas::from_secret(Curve25519SecretKey::from_bytes(&hex32(RFC7748_ALICE)));
        let shown = format!("{sas:?}");
        assert!(shown.contains("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"), "{shown}");
        assert!(!shown.contains("77076d0a"));
        let established = sas.diffie_hellman_with_raw(BOB_PUBLIC).unwrap();
        let shown = format!("{established:?}");
        assert!(shown.contains(BOB_PUBLIC), "{shown}");
        assert!(shown.ends_with(".. }"), "{shown}");
        assert!(!shown.to_lowercase().contains("4a5d9d5b"));
        assert!(SasError::Mac.to_string().contains("cancel"));
    }
}
