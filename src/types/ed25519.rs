//! Ed25519 keys and signatures.

use alloc::{boxed::Box, string::String};
use core::{fmt, hash::Hash};

use ed25519_dalek::{
    Signature, Signer, SigningKey, VerifyingKey,
    hazmat::{ExpandedSecretKey, raw_sign},
};
use rand::CryptoRng;
use sha2::{Digest, Sha512};
use zeroize::{ZeroizeOnDrop, Zeroizing};

mod batch;

#[cfg(all(test, feature = "std", feature = "libolm-compat"))]
pub(crate) use batch::small_order_y_coordinates;

use super::{KeyError, SecretBox, SignatureError};
use crate::{
    ct,
    encoding::base64::{base64_decode_array, base64_encode},
};

/// Whether `bytes` is the encoding a point on the curve compresses to, if
/// it is one: y below p = 2^255 − 19, and no sign on x where x = 0 (y = ±1).
/// The same answer as decompressing and compressing again, without the
/// field inversion that compressing costs.
fn is_canonical_encoding(bytes: &[u8; 32]) -> bool {
    let [low, middle @ .., high] = bytes;
    let y_high = high & 0x7f;
    let sign = high >> 7;
    let middle_all_ones = middle.iter().all(|&b| b == 0xff);
    let middle_all_zeros = middle.iter().all(|&b| b == 0);
    // p's bytes, little-endian: ed ff … ff 7f.
    let at_least_p = y_high == 0x7f && middle_all_ones && *low >= 0xed;
    let y_is_one = y_high == 0 && middle_all_zeros && *low == 1;
    let y_is_minus_one = y_high == 0x7f && middle_all_ones && *low == 0xec;
    !at_least_p && !(sign == 1 && (y_is_one || y_is_minus_one))
}

/// An Ed25519 public key: a device's fingerprint key or a Megolm session's
/// signing key.
///
/// Only canonical encodings of curve points are accepted, so a key has one
/// byte representation (and one Megolm session id).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ed25519PublicKey(VerifyingKey);

impl Ed25519PublicKey {
    /// The length of a key in bytes.
    pub const LENGTH: usize = 32;

    /// The key with these bytes, which must be the canonical encoding of a
    /// point on the curve.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        // A public key is public, wherever its bytes came from.
        let bytes = &ct::public_array(*bytes);
        // `from_bytes` reduces y modulo p and ignores a sign on x = 0;
        // accept only the encoding the point compresses back to.
        if !is_canonical_encoding(bytes) {
            return Err(KeyError::InvalidEd25519Key);
        }
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::InvalidEd25519Key)?;
        Ok(Self(key))
    }

    /// The key from a slice that must hold exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| KeyError::InvalidKeyLength {
            key_type: "Ed25519 public key",
            expected: Self::LENGTH,
            length: bytes.len(),
        })?;
        Self::from_bytes(bytes)
    }

    /// Parses unpadded (or padded) base64 of exactly 32 bytes.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes = base64_decode_array::<32>(input)
            .map_err(|e| KeyError::from_fixed("Ed25519 public key", Self::LENGTH, e))?;
        Self::from_bytes(&bytes)
    }

    /// The key's bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The key's bytes, borrowed.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// The key as unpadded base64 (43 characters).
    pub fn to_base64(&self) -> String {
        base64_encode(self.as_bytes())
    }

    /// Checks `signature` over `message`, strictly: it rejects `S ≥ ℓ`,
    /// non-canonical `R` and small-order `R` or keys, so signatures cannot be
    /// altered into other valid ones (libolm accepted such; CVE-2024-45193).
    pub fn verify(&self, message: &[u8], signature: &Ed25519Signature) -> Result<(), SignatureError> {
        self.verify_bytes(message, &signature.0)
    }

    /// [`verify`](Self::verify) on the signature's bytes.
    pub(crate) fn verify_bytes(&self, message: &[u8], signature: &[u8; 64]) -> Result<(), SignatureError> {
        let signature = Signature::from_bytes(signature);
        self.0.verify_strict(message, &signature).map_err(|_| SignatureError)
    }
}

impl Hash for Ed25519PublicKey {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl fmt::Display for Ed25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Ed25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ed25519:{}", self.to_base64())
    }
}

/// An Ed25519 signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ed25519Signature([u8; 64]);

impl Ed25519Signature {
    /// The length of a signature in bytes.
    pub const LENGTH: usize = 64;

    /// The signature with these bytes. Malformed signatures are refused when
    /// they are verified.
    pub const fn from_bytes(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }

    /// The signature from a slice that must hold exactly 64 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, KeyError> {
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| KeyError::InvalidKeyLength {
            key_type: "Ed25519 signature",
            expected: Self::LENGTH,
            length: bytes.len(),
        })?;
        Ok(Self(bytes))
    }

    /// Parses unpadded (or padded) base64 of exactly 64 bytes.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let bytes =
            base64_decode_array::<64>(input).map_err(|e| KeyError::from_fixed("Ed25519 signature", Self::LENGTH, e))?;
        Ok(Self(*bytes))
    }

    /// The signature's bytes.
    pub const fn to_bytes(&self) -> [u8; 64] {
        self.0
    }

    /// The signature's bytes, borrowed.
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// The signature as unpadded base64 (86 characters).
    pub fn to_base64(&self) -> String {
        base64_encode(self.0)
    }
}

impl fmt::Display for Ed25519Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl fmt::Debug for Ed25519Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ed25519Signature({})", self.to_base64())
    }
}

/// An Ed25519 secret key: the 32-byte seed of RFC 8032.
///
/// Wiped on drop; `Debug` does not show it.
#[derive(Clone)]
pub struct Ed25519SecretKey(Box<SigningKey>);

impl Ed25519SecretKey {
    /// A new random key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn new() -> Self {
        Self::new_with_rng(&mut rand::rng())
    }

    /// A new random key: a 32-byte seed drawn from `rng`.
    pub fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| {
            let mut seed = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(seed.as_mut_slice());
            Self::from_bytes(&seed)
        })
    }

    /// The key with this seed.
    pub fn from_bytes(seed: &[u8; 32]) -> Self {
        Self(Box::new(SigningKey::from_bytes(seed)))
    }

    /// A copy of the seed, wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// Parses base64 of a 32-byte seed, in constant time.
    pub fn from_base64(input: &str) -> Result<Self, KeyError> {
        let seed = base64_decode_array::<32>(input).map_err(|e| KeyError::from_fixed("Ed25519 secret key", 32, e))?;
        Ok(Self::from_bytes(&seed))
    }

    /// The seed as unpadded base64, encoded in constant time and wiped when
    /// dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(base64_encode(self.0.as_bytes()))
    }

    /// The matching public key.
    pub fn public_key(&self) -> Ed25519PublicKey {
        let public = self.0.verifying_key();
        ct::public_bytes(public.as_bytes());
        Ed25519PublicKey(public)
    }

    /// Signs `message` (deterministic RFC 8032 signature).
    pub fn sign(&self, message: &[u8]) -> Ed25519Signature {
        crate::stack::scrubbed(|| Ed25519Signature(self.0.sign(message).to_bytes()))
    }
}

#[cfg(feature = "std")]
impl Default for Ed25519SecretKey {
    fn default() -> Self {
        Self::new()
    }
}

impl ZeroizeOnDrop for Ed25519SecretKey {}

impl fmt::Debug for Ed25519SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ed25519SecretKey { .. }")
    }
}

/// The secret half of a signing key pair, in the forms we meet.
enum SecretForm {
    /// A seed, as we generate keys.
    Seed(Ed25519SecretKey),
    /// A seed with its expansion computed once, for keys that sign often:
    /// signing skips the SHA-512 of the seed, and pickles still store only
    /// the 32-byte seed.
    ExpandedSeed {
        seed: Ed25519SecretKey,
        key: Box<ExpandedSecretKey>,
    },
    /// libolm's 64-byte expanded key (the clamped SHA-512 of a seed it no
    /// longer keeps). Kept byte for byte so it can be written back unchanged.
    Expanded {
        bytes: SecretBox<64>,
        key: Box<ExpandedSecretKey>,
    },
}

/// An Ed25519 key pair with its public key computed once, able to hold
/// libolm's expanded secret keys as well as seeds.
pub(crate) struct Ed25519Keypair {
    secret: SecretForm,
    public: Ed25519PublicKey,
}

impl Ed25519Keypair {
    pub(crate) fn new_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        crate::stack::scrubbed(|| Self::from_seed(Ed25519SecretKey::new_with_rng(rng)))
    }

    pub(crate) fn from_seed(seed: Ed25519SecretKey) -> Self {
        let public = seed.public_key();
        Self {
            secret: SecretForm::Seed(seed),
            public,
        }
    }

    /// A pair from libolm's expanded secret key. The public key is derived
    /// from it rather than trusted from storage.
    #[allow(dead_code)]
    pub(crate) fn from_expanded(bytes: &[u8; 64]) -> Self {
        let key = Box::new(ExpandedSecretKey::from_bytes(bytes));
        let public = Ed25519PublicKey(VerifyingKey::from(&*key));
        ct::public_bytes(public.0.as_bytes());
        Self {
            secret: SecretForm::Expanded {
                bytes: SecretBox::new(bytes),
                key,
            },
            public,
        }
    }

    pub(crate) fn public_key(&self) -> Ed25519PublicKey {
        self.public
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Ed25519Signature {
        crate::stack::scrubbed(|| match &self.secret {
            SecretForm::Seed(seed) => seed.sign(message),
            SecretForm::ExpandedSeed { key, .. } | SecretForm::Expanded { key, .. } => {
                Ed25519Signature(raw_sign::<Sha512>(key, message, &self.public.0).to_bytes())
            }
        })
    }

    /// The seed, if the pair was made from one.
    #[allow(dead_code)]
    pub(crate) fn seed(&self) -> Option<&Ed25519SecretKey> {
        match &self.secret {
            SecretForm::Seed(seed) | SecretForm::ExpandedSeed { seed, .. } => Some(seed),
            SecretForm::Expanded { .. } => None,
        }
    }

    /// The 64-byte expanded secret key as libolm stores it: SHA-512 of the
    /// seed with the scalar half clamped.
    #[allow(dead_code)]
    pub(crate) fn expanded_bytes(&self) -> SecretBox<64> {
        match &self.secret {
            SecretForm::Seed(seed) | SecretForm::ExpandedSeed { seed, .. } => {
                // Hashed straight into the box: no copy on the stack.
                let mut out = SecretBox::<64>::zeroed();
                let bytes = out.as_mut_bytes();
                Sha512::new()
                    .chain_update(seed.0.as_bytes())
                    .finalize_into(bytes.into());
                bytes[0] &= 248;
                bytes[31] &= 63;
                bytes[31] |= 64;
                out
            }
            SecretForm::Expanded { bytes, .. } => bytes.clone(),
        }
    }

    /// The same pair holding its expanded secret key, so that signing no
    /// longer re-derives it from the seed (a SHA-512 and a scalar reduction
    /// per signature). For keys that sign often, like a Megolm session's.
    pub(crate) fn into_expanded(self) -> Self {
        match self.secret {
            SecretForm::Seed(seed) => {
                let key = Box::new(ExpandedSecretKey::from(seed.0.as_bytes()));
                Self {
                    secret: SecretForm::ExpandedSeed { seed, key },
                    public: self.public,
                }
            }
            secret @ (SecretForm::ExpandedSeed { .. } | SecretForm::Expanded { .. }) => Self {
                secret,
                public: self.public,
            },
        }
    }
}

impl ZeroizeOnDrop for Ed25519Keypair {}

impl fmt::Debug for Ed25519Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519Keypair")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_decode;

    use olm_testkit::hex::bytes as unhex;

    #[test]
    fn rfc8032_test_2() {
        let seed: [u8; 32] = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
            .try_into()
            .unwrap();
        let key = Ed25519SecretKey::from_bytes(&seed);
        assert_eq!(
            key.public_key().to_bytes().to_vec(),
            unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        );
        let signature = key.sign(&[0x72]);
        assert_eq!(
            signature.to_bytes().to_vec(),
            unhex(
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da\
                 085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            )
        );
        key.public_key().verify(&[0x72], &signature).unwrap();
        assert!(key.public_key().verify(&[0x73], &signature).is_err());
    }

    #[test]
    fn expanded_key_signs_like_the_seed() {
        let seed = Ed25519SecretKey::from_bytes(&[5; 32]);
        let pair = Ed25519Keypair::from_seed(seed.clone());
        let expanded = Ed25519Keypair::from_expanded(pair.expanded_bytes().as_bytes());
        assert_eq!(expanded.public_key(), pair.public_key());
        assert_eq!(expanded.sign(b"Hello"), pair.sign(b"Hello"));
        assert_eq!(expanded.expanded_bytes().as_bytes(), pair.expanded_bytes().as_bytes());
        assert!(expanded.seed().is_none());
    }

    #[test]
    fn expanding_a_seed_keeps_it() {
        let seed = Ed25519SecretKey::from_bytes(&[6; 32]);
        let pair = Ed25519Keypair::from_seed(seed.clone());
        let expanded = Ed25519Keypair::from_seed(seed.clone()).into_expanded();
        assert_eq!(expanded.public_key(), pair.public_key());
        assert_eq!(expanded.sign(b"Hello"), pair.sign(b"Hello"));
        assert_eq!(expanded.expanded_bytes().as_bytes(), pair.expanded_bytes().as_bytes());
        assert_eq!(*expanded.seed().unwrap().to_bytes(), *seed.to_bytes());
        let again = expanded.into_expanded();
        assert_eq!(again.sign(b"x"), pair.sign(b"x"));
    }

    #[test]
    fn libolm_signature() {
        // libolm 3.2.7 (as test-vectors/generator runs it): Alice's account random starts with 0xA1×32.
        let pair = Ed25519Keypair::from_seed(Ed25519SecretKey::from_bytes(&[0xa1; 32]));
        assert_eq!(
            pair.public_key().to_base64(),
            "vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU"
        );
        assert_eq!(
            pair.sign(b"Hello").to_base64(),
            "OAxbkLXppPPdqiKyoeCbbTHJHtEpWOO3gPVL3TvGTFoYbUYofTwxZcJguaTyo+gTy76lRMVcf7Yc69PfJ4OEBg"
        );
    }

    #[test]
    fn strict_verification() {
        let key = Ed25519SecretKey::from_bytes(&[1; 32]);
        let public = key.public_key();
        let signature = key.sign(b"msg");
        // S + ℓ verifies under lax rules but must be refused.
        let ell = unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        let mut bytes = signature.to_bytes();
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(bytes[32 + i]) + u16::from(ell[i]) + carry;
            bytes[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        if carry == 0 {
            assert!(public.verify(b"msg", &Ed25519Signature::from_bytes(bytes)).is_err());
        }
        // The identity as a key (small order) is refused even with a matching
        // signature shape.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let weak = Ed25519PublicKey::from_bytes(&identity).unwrap();
        assert!(weak.verify(b"msg", &Ed25519Signature::from_bytes([0; 64])).is_err());
    }

    #[test]
    fn non_canonical_and_bad_keys() {
        // y = p encodes the same point as y = 0 ... but y = 0 is not on the
        // curve's canonical list; use y = p + 1 ≡ 1 (the identity).
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xee;
        non_canonical[31] = 0x7f;
        assert!(Ed25519PublicKey::from_bytes(&non_canonical).is_err());
        // The identity with the sign bit set is a non-canonical encoding.
        let mut negative_zero = [0u8; 32];
        negative_zero[0] = 1;
        negative_zero[31] = 0x80;
        assert!(Ed25519PublicKey::from_bytes(&negative_zero).is_err());
        // 44 characters of base64 without padding: an error, never a panic.
        let long = "A".repeat(44);
        assert!(matches!(
            Ed25519PublicKey::from_base64(&long),
            Err(KeyError::InvalidKeyLength { length: 33, .. })
        ));
        assert!(Ed25519Signature::from_base64("AAAA").is_err());
        assert!(base64_decode(&long).is_ok());
    }
}

#[cfg(test)]
mod canonical_tests {
    use alloc::vec::Vec;

    use curve25519_dalek::edwards::CompressedEdwardsY;

    use super::is_canonical_encoding;

    /// The byte check gives the answer of a decompress-compress round trip
    /// on every encoding near the edges (y close to 0, 1, p − 1, p and
    /// 2^255, both signs) and on random ones.
    #[test]
    fn canonical_check_agrees_with_a_round_trip() {
        let round_trip = |bytes: &[u8; 32]| {
            CompressedEdwardsY(*bytes)
                .decompress()
                .map(|point| point.compress().as_bytes() == bytes)
        };
        let mut cases: Vec<[u8; 32]> = Vec::new();
        for low in 0..=255u8 {
            for (middle, high) in [(0x00, 0x00), (0xff, 0x7f), (0xff, 0x00), (0x00, 0x7f)] {
                for sign in [0, 0x80] {
                    let mut bytes = [middle; 32];
                    bytes[0] = low;
                    bytes[31] = high | sign;
                    cases.push(bytes);
                }
            }
        }
        let mut rng = rand::rng();
        for _ in 0..2000 {
            let mut bytes = [0u8; 32];
            rand::Rng::fill_bytes(&mut rng, &mut bytes);
            cases.push(bytes);
        }
        let mut decoded = 0;
        for bytes in &cases {
            if let Some(canonical) = round_trip(bytes) {
                decoded += 1;
                assert_eq!(is_canonical_encoding(bytes), canonical, "{bytes:02x?}");
            }
        }
        assert!(decoded > 1000, "too few encodings decoded to test: {decoded}");
    }
}
