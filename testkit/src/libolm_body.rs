//! The secret fields of libolm's pickle bodies (decrypted), by object kind,
//! as libolm 3.2 lays them out: what a residue test searches freed memory
//! for. Each field comes back named, in a `Vec` the caller owns.
//!
//! Layouts (big-endian `u32`s, one-byte booleans), from libolm's
//! `src/pickle.cpp`, `account.cpp`, `session.cpp`, `megolm.c`,
//! `outbound_group_session.c`, `inbound_group_session.c` and `pk.cpp`.

/// A named secret.
pub type Secret = (String, Vec<u8>);

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        assert!(n <= self.bytes.len(), "a libolm pickle body ends early");
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        head
    }

    fn u32(&mut self) -> u32 {
        let mut be = [0u8; 4];
        be.copy_from_slice(self.take(4));
        u32::from_be_bytes(be)
    }

    fn u8(&mut self) -> u8 {
        self.take(1)[0]
    }

    fn secret(&mut self, out: &mut Vec<Secret>, name: String, n: usize) {
        let field = self.take(n).to_vec();
        out.push((name, field));
    }
}

/// An account (version 4): the Ed25519 expanded key, the Curve25519
/// identity secret, every one-time key's and fallback key's secret.
pub fn account(body: &[u8], when: &str) -> Vec<Secret> {
    let mut r = Reader { bytes: body };
    let mut out = Vec::new();
    assert_eq!(r.u32(), 4, "an account pickle of version 4");
    r.take(32);
    r.secret(&mut out, format!("{when}: Ed25519 expanded key"), 64);
    r.take(32);
    r.secret(&mut out, format!("{when}: Curve25519 identity secret"), 32);
    for i in 0..r.u32() {
        r.take(4 + 1 + 32);
        r.secret(&mut out, format!("{when}: one-time key {i}"), 32);
    }
    for i in 0..r.u8() {
        r.take(4 + 1 + 32);
        r.secret(&mut out, format!("{when}: fallback key {i}"), 32);
    }
    out
}

/// A session (version 1): the root key, the sending ratchet secret, every
/// chain key (named `… chain key`), every skipped message key (named
/// `… skipped message key …`).
pub fn session(body: &[u8], when: &str) -> Vec<Secret> {
    let mut r = Reader { bytes: body };
    let mut out = Vec::new();
    assert_eq!(r.u32(), 1, "a session pickle of version 1");
    r.take(1 + 3 * 32);
    r.secret(&mut out, format!("{when}: root key"), 32);
    for _ in 0..r.u32() {
        r.take(32);
        r.secret(&mut out, format!("{when}: sending ratchet secret"), 32);
        r.secret(&mut out, format!("{when}: sending chain key"), 32);
        r.take(4);
    }
    for i in 0..r.u32() {
        r.take(32);
        r.secret(&mut out, format!("{when}: receiving {i} chain key"), 32);
        r.take(4);
    }
    for i in 0..r.u32() {
        r.take(32);
        r.secret(&mut out, format!("{when}: skipped message key {i}"), 32);
        r.take(4);
    }
    out
}

/// An outbound group session (version 1): the ratchet and the Ed25519
/// expanded signing key.
pub fn group_session(body: &[u8], when: &str) -> Vec<Secret> {
    let mut r = Reader { bytes: body };
    let mut out = Vec::new();
    assert_eq!(r.u32(), 1, "an outbound group session pickle of version 1");
    r.secret(&mut out, format!("{when}: Megolm ratchet"), 128);
    r.take(4 + 32);
    r.secret(&mut out, format!("{when}: Megolm signing expanded key"), 64);
    out
}

/// An inbound group session (version 2): the first known and the latest
/// ratchet.
pub fn inbound_group_session(body: &[u8], when: &str) -> Vec<Secret> {
    let mut r = Reader { bytes: body };
    let mut out = Vec::new();
    assert_eq!(r.u32(), 2, "an inbound group session pickle of version 2");
    r.secret(&mut out, format!("{when}: first known Megolm ratchet"), 128);
    r.take(4);
    r.secret(&mut out, format!("{when}: latest Megolm ratchet"), 128);
    out
}

/// A PK decryption key (version 1): its Curve25519 secret.
pub fn pk_decryption(body: &[u8], when: &str) -> Vec<Secret> {
    let mut r = Reader { bytes: body };
    let mut out = Vec::new();
    assert_eq!(r.u32(), 1, "a PK decryption pickle of version 1");
    r.take(32);
    r.secret(&mut out, format!("{when}: PK secret key"), 32);
    out
}

/// The body of a libolm pickle: HMAC-SHA-256 (truncated to 8 bytes) of the
/// ciphertext checked, then AES-256-CBC decrypted, under the keys HKDF-SHA-256
/// derives from `key` with the label `Pickle`. Written here, from the
/// RustCrypto crates, rather than taken from the crate under test: a test
/// that reads secrets out of pickles must not trust the pickle code it checks.
/// Panics on a pickle that does not open. The caller wipes the body.
pub fn open(key: &[u8], pickle: &str) -> Vec<u8> {
    use aes::Aes256;
    use base64ct::{Base64Unpadded, Encoding};
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
    use hmac::{KeyInit, Mac};
    use sha2::Sha256;

    let bytes = Base64Unpadded::decode_vec(pickle).expect("a libolm pickle is unpadded base64");
    let split = bytes.len().checked_sub(8).expect("a libolm pickle holds its MAC");
    let (ciphertext, mac) = bytes.split_at(split);
    // Wiped on drop, so that the residue tests do not find it.
    let mut okm = zeroize::Zeroizing::new([0u8; 80]);
    hkdf::Hkdf::<Sha256>::new(None, key)
        .expand(b"Pickle", okm.as_mut_slice())
        .expect("80 bytes is a valid HKDF length");
    let (aes_key, rest) = okm.split_at(32);
    let (mac_key, iv) = rest.split_at(32);
    let mut hmac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(mac_key).expect("HMAC takes any key length");
    hmac.update(ciphertext);
    hmac.verify_truncated_left(mac).expect("the pickle's MAC matches");
    cbc::Decryptor::<Aes256>::new_from_slices(aes_key, iv)
        .expect("key and IV lengths")
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .expect("the pickle's padding is valid")
}
