//! Declassification points for the constant-time check.
//!
//! `scripts/constant-time` runs the crate under valgrind memcheck with every
//! secret marked undefined, so that each branch or memory index depending on
//! a secret is reported (the ctgrind technique). Some values computed from
//! secrets are public by design: a public key, whether a MAC matched,
//! whether a Diffie-Hellman exchange was contributory, the framing of a
//! decrypted pickle (counts, versions, flags, indices, which its length and
//! the protocol already reveal), the plaintext length. The crate passes each
//! of them through one of the functions here at the point where it becomes
//! public, so that the check can tell those branches from leaks, and a
//! reader can see every such point by searching for `ct::public`.
//!
//! Without the `ct-check` feature these functions return their argument
//! and compile to nothing. With it, they hand the value's bytes to the
//! function installed by [`set_declassifier`] (the check installs one that
//! marks them defined for memcheck).

#[cfg(feature = "ct-check")]
static DECLASSIFIER: std::sync::OnceLock<fn(&[u8])> = std::sync::OnceLock::new();

/// Installs the function that marks bytes as public. Only the first call
/// has an effect. For the constant-time check only.
#[cfg(feature = "ct-check")]
pub fn set_declassifier(declassify: fn(&[u8])) {
    let _ = DECLASSIFIER.set(declassify);
}

/// Declares `bytes` public in place.
#[inline(always)]
pub(crate) fn public_bytes(bytes: &[u8]) {
    #[cfg(feature = "ct-check")]
    if let Some(declassify) = DECLASSIFIER.get() {
        declassify(bytes);
    }
    #[cfg(not(feature = "ct-check"))]
    let _ = bytes;
}

/// `bytes`, declared public: a copy whose every later read sees what the
/// declassifier marked (the compiler must reload it after `black_box`).
#[inline(always)]
pub(crate) fn public_array<const N: usize>(bytes: [u8; N]) -> [u8; N] {
    #[cfg(feature = "ct-check")]
    {
        let mut bytes = bytes;
        public_bytes(&bytes);
        core::hint::black_box(&mut bytes);
        bytes
    }
    #[cfg(not(feature = "ct-check"))]
    bytes
}

/// `value`, declared public.
#[inline(always)]
pub(crate) fn public_u8(value: u8) -> u8 {
    let [byte] = public_array([value]);
    byte
}

/// `value`, declared public.
#[inline(always)]
pub(crate) fn public_usize(value: usize) -> usize {
    usize::from_ne_bytes(public_array(value.to_ne_bytes()))
}

/// `value`, declared public (a verdict: a MAC matched, a key was valid).
#[inline(always)]
pub(crate) fn public_bool(value: bool) -> bool {
    public_u8(u8::from(value)) != 0
}
