//! Curve25519 keys for X25519 Diffie-Hellman.

use alloc::{boxed::Box, string::String, vec::Vec};
use core::fmt;

use curve25519_dalek::montgomery::MontgomeryPoint;
use rand::CryptoRng;
use x25519_dalek::{PublicKey, SharedSecret, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::KeyError;
use crate::{
    ct,
    encoding::base64::{base64_decode_array, base64_encode},
};

/// A Curve25519 public key: an identity key, one-time key, base key or
/// ratchet key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Curve25519PublicKey {
    bytes: [u8; 32],
}

impl Curve25519PublicKey {
    /// The length of a key in bytes.
    pub const LENGTH: usize = 32;

    /// The key with these bytes. Any 32 bytes are accepted here; keys that
    /// cannot give a contributory exchange are refused when they are used.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self { bytes }
    }

    /// The key from a slice that must hold exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::InvalidKeyLength {
            key_type: "Curve25519 public key",
            expected: Self::LENGTH,
            length: bytes.len(),
        })?;
        Ok(Self { bytes })
    }

    /// The key's bytes.
    pub const fn to_bytes(&self) -> [u8; 32] {
        self.bytes
    }

    /// The key's bytes, borrowed.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The key's bytes in a new vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes.to_vec()
    }

    /// Parses unpadded (or padded) base64 of exactly 32 bytes.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes = base64_decode_array::<32>(input)
            .map_err(|e| KeyError::from_fixed("Curve25519 public key", Self::LENGTH, e))?;
        Ok(Self { bytes: *bytes })
    }

    /// The key as unpadded base64 (43 characters), as Matrix publishes it.
    pub fn to_base64(&self) -> String {
        base64_encode(self.bytes)
    }

    /// Whether the most significant bit is set. X25519 ignores that bit, so
    /// two encodings name the same key; honest peers never set it.
    pub(crate) const fn has_top_bit(&self) -> bool {
        self.bytes[31] & 0x80 != 0
    }

    /// Whether every exchange with this key yields the all-zero secret, i.e.
    /// whether the point's order divides the cofactor 8. X25519 clamps its
    /// scalar to a multiple of 8, so an exchange with this key is contributory
    /// exactly when `[8]P` is not the identity (encoded as u = 0).
    pub(crate) fn is_low_order(&self) -> bool {
        let eight = [true, false, false, false].into_iter();
        let multiple = MontgomeryPoint(self.bytes).mul_bits_be(eight);
        bool::from(subtle::ConstantTimeEq::ct_eq(multiple.0.as_slice(), &[0u8; 32]))
    }

    pub(crate) fn as_dalek(&self) -> PublicKey {
        PublicKey::from(self.bytes)
    }
}

impl From<[u8; 32]> for Curve25519PublicKey {
    fn from(bytes: [u8; 32]) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&Curve25519SecretKey> for Curve25519PublicKey {
    fn from(secret: &Curve25519SecretKey) -> Self {
        secret.public_key()
    }
}

impl fmt::Display for Curve25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Curve25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "curve25519:{}", self.to_base64())
    }
}

/// A Curve25519 secret key.
///
/// The bytes are kept as given (X25519 clamps them when used), which is what
/// libolm stores and pickles. Wiped on drop; `Debug` does not show them.
#[derive(Clone)]
pub struct Curve25519SecretKey(Box<StaticSecret>);

impl Curve25519SecretKey {
    /// A new random key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new random key: exactly 32 bytes drawn from `rng`, used as they are.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| {
            let mut bytes = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(bytes.as_mut_slice());
            Self::from_bytes(&bytes)
        })
    }

    /// The key with these bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(Box::new(StaticSecret::from(*bytes)))
    }

    /// A copy of the key's bytes, wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// Parses base64 of exactly 32 bytes, in constant time.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes =
            base64_decode_array::<32>(input).map_err(|e| KeyError::from_fixed("Curve25519 secret key", 32, e))?;
        Ok(Self::from_bytes(&bytes))
    }

    /// The key as unpadded base64, encoded in constant time and wiped when
    /// dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(base64_encode(self.0.as_bytes()))
    }

    /// The matching public key (one fixed-base scalar multiplication).
    pub fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey::from_bytes(ct::public_array(PublicKey::from(&*self.0).to_bytes()))
    }

    /// The raw X25519 shared secret with `their_key`, wiped when dropped;
    /// [`KeyError::NonContributoryKey`] for a low-order key (an all-zero
    /// secret). For protocols built outside this crate: Olm, Megolm, SAS
    /// and the rest derive their keys from it internally and never hand it
    /// out.
    pub fn shared_secret(&self, their_key: &Curve25519PublicKey) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        // Scrubbed: the copy out of dalek's secret passes through the stack.
        crate::stack::scrubbed(|| {
            self.diffie_hellman(their_key)
                .map(|shared| Zeroizing::new(shared.to_bytes()))
        })
    }

    /// X25519 with `their_key`, refusing an all-zero result.
    pub(crate) fn diffie_hellman(&self, their_key: &Curve25519PublicKey) -> Result<SharedSecret, KeyError> {
        let shared = self.0.diffie_hellman(&their_key.as_dalek());
        // Whether the exchange was contributory depends on their key alone.
        if ct::public_bool(shared.was_contributory()) {
            Ok(shared)
        } else {
            Err(KeyError::NonContributoryKey)
        }
    }

    /// X25519 with `their_key` without the all-zero check, for keys that
    /// already passed it (or the low-order check): callers justify each use.
    pub(crate) fn diffie_hellman_unchecked(&self, their_key: &Curve25519PublicKey) -> SharedSecret {
        self.0.diffie_hellman(&their_key.as_dalek())
    }
}

#[cfg(feature = "std")]
impl Default for Curve25519SecretKey {
    fn default() -> Self {
        Self::new()
    }
}

impl ZeroizeOnDrop for Curve25519SecretKey {}

impl fmt::Debug for Curve25519SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Curve25519SecretKey { .. }")
    }
}

/// A secret key with its public key computed once.
///
/// Computing a public key costs a scalar multiplication; keys that are used
/// or shown repeatedly (identity, one-time and ratchet keys) keep it here.
#[derive(Clone)]
pub(crate) struct Curve25519Keypair {
    secret: Curve25519SecretKey,
    public: Curve25519PublicKey,
}

impl Curve25519Keypair {
    pub(crate) fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self::from_secret(Curve25519SecretKey::new_with_rng(rng)))
    }

    pub(crate) fn from_secret(secret: Curve25519SecretKey) -> Self {
        let public = secret.public_key();
        Self { secret, public }
    }

    /// Rebuilds a pair from stored parts without recomputing the public key;
    /// only for authenticated stored state (pickles).
    pub(crate) fn from_parts(secret: Curve25519SecretKey, public: Curve25519PublicKey) -> Self {
        Self { secret, public }
    }

    pub(crate) fn secret(&self) -> &Curve25519SecretKey {
        &self.secret
    }

    pub(crate) const fn public(&self) -> Curve25519PublicKey {
        self.public
    }

    /// The secret half, for owners that keep the public half in another form.
    pub(crate) fn into_secret(self) -> Curve25519SecretKey {
        self.secret
    }
}

impl Zeroize for Curve25519Keypair {
    fn zeroize(&mut self) {
        // The secret wipes itself when dropped; replacing it drops the old one.
        self.secret = Curve25519SecretKey::from_bytes(&[0u8; 32]);
    }
}

impl fmt::Debug for Curve25519Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Curve25519Keypair")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use olm_testkit::hex::array as hex32;

    #[test]
    fn rfc7748_exchange() {
        let alice = Curve25519SecretKey::from_bytes(&hex32(
            "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        ));
        let bob = Curve25519SecretKey::from_bytes(&hex32(
            "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        ));
        assert_eq!(
            alice.public_key().to_bytes(),
            hex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        assert_eq!(
            alice.public_key().to_base64(),
            "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"
        );
        let expected = hex32("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assert_eq!(alice.diffie_hellman(&bob.public_key()).unwrap().to_bytes(), expected);
        assert_eq!(*alice.shared_secret(&bob.public_key()).unwrap(), expected);
        assert_eq!(*bob.shared_secret(&alice.public_key()).unwrap(), expected);
    }

    #[test]
    fn low_order_keys_are_refused() {
        let secret = Curve25519SecretKey::from_bytes(&[0x42; 32]);
        let p = hex32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        let mut p_minus_1 = p;
        p_minus_1[0] -= 1;
        let mut p_plus_1 = p;
        p_plus_1[0] += 1;
        let low_order = [
            [0u8; 32],
            {
                let mut one = [0u8; 32];
                one[0] = 1;
                one
            },
            hex32("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
            hex32("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
            p_minus_1,
            p,
            p_plus_1,
        ];
        for bytes in low_order {
            let key = Curve25519PublicKey::from_bytes(bytes);
            assert!(key.is_low_order(), "{key:?}");
            assert!(matches!(secret.diffie_hellman(&key), Err(KeyError::NonContributoryKey)));
            assert!(matches!(secret.shared_secret(&key), Err(KeyError::NonContributoryKey)));
        }
        let good = Curve25519SecretKey::from_bytes(&[0x43; 32]).public_key();
        assert!(!good.is_low_order());
        assert!(secret.diffie_hellman(&good).is_ok());
    }

    #[test]
    fn base64_lengths() {
        let key = Curve25519SecretKey::from_bytes(&[1; 32]).public_key();
        let b64 = key.to_base64();
        assert_eq!(Curve25519PublicKey::from_base64(&b64).unwrap(), key);
        assert_eq!(Curve25519PublicKey::from_base64(&(b64.clone() + "=")).unwrap(), key);
        assert!(matches!(
            Curve25519PublicKey::from_base64(&(b64.clone() + "A")),
            Err(KeyError::InvalidKeyLength { length: 33, .. })
        ));
        assert!(Curve25519PublicKey::from_base64(&b64[..42]).is_err());
        assert!(Curve25519PublicKey::from_slice(&[0; 31]).is_err());
    }

    #[test]
    fn secret_round_trip_and_debug() {
        let secret = Curve25519SecretKey::from_bytes(&[9; 32]);
        assert_eq!(*secret.to_bytes(), [9; 32]);
        let again = Curve25519SecretKey::from_base64(&secret.to_base64()).unwrap();
        assert_eq!(again.public_key(), secret.public_key());
        assert_eq!(alloc::format!("{secret:?}"), "Curve25519SecretKey { .. }");
    }
}
