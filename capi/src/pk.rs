//! `OlmPkEncryption`, `OlmPkDecryption` and `OlmPkSigning`: the key backup
//! scheme and cross-signing keys (olm/pk.h).

use std::ffi::c_void;

use olm_core::{
    Curve25519PublicKey,
    pk::{PkDecryption, PkEncryption, PkMessage, PkSigning},
};
use zeroize::Zeroizing;

use crate::{
    buf::{In, Out},
    encoding::{self, KEY_B64, SIGNATURE_B64, b64_decoded_len, b64_len, cbc_len},
    envelope,
    error::OlmErrorCode,
    object::{Kind, Object, call, lifecycle, query},
    rng::Replay,
};

/// The opaque encryption type of the C API.
#[repr(C)]
pub struct OlmPkEncryption {
    _private: [u8; 0],
}

/// The opaque decryption type of the C API.
#[repr(C)]
pub struct OlmPkDecryption {
    _private: [u8; 0],
}

/// The opaque signing type of the C API.
#[repr(C)]
pub struct OlmPkSigning {
    _private: [u8; 0],
}

/// The encryption kind of object: a recipient key once set.
pub enum EncryptionKind {}

impl Kind for EncryptionKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmPKENC");
    const EMPTY: OlmErrorCode = OlmErrorCode::InvalidBase64;
    type State = PkEncryption;
}

/// The decryption kind of object.
pub enum DecryptionKind {}

impl Kind for DecryptionKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmPKDEC");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = PkDecryption;
}

/// The signing kind of object.
pub enum SigningKind {}

impl Kind for SigningKind {
    const MAGIC: u64 = u64::from_le_bytes(*b"olmPKSIG");
    const EMPTY: OlmErrorCode = OlmErrorCode::NotEnoughRandom;
    type State = PkSigning;
}

lifecycle!(
    EncryptionKind,
    OlmPkEncryption,
    olm_pk_encryption,
    olm_clear_pk_encryption,
    olm_pk_encryption_size,
    olm_pk_encryption_last_error,
    olm_pk_encryption_last_error_code
);

lifecycle!(
    DecryptionKind,
    OlmPkDecryption,
    olm_pk_decryption,
    olm_clear_pk_decryption,
    olm_pk_decryption_size,
    olm_pk_decryption_last_error,
    olm_pk_decryption_last_error_code
);

lifecycle!(
    SigningKind,
    OlmPkSigning,
    olm_pk_signing,
    olm_clear_pk_signing,
    olm_pk_signing_size,
    olm_pk_signing_last_error,
    olm_pk_signing_last_error_code
);

const MAC_LEN: usize = 8;
const KEY_LEN: usize = 32;
/// The pickle of an empty decryption object: version and key pair.
const EMPTY_BODY_LEN: usize = 4 + 32 + 32;

fn empty_body() -> Zeroizing<Vec<u8>> {
    envelope::empty_body(1, EMPTY_BODY_LEN)
}

/// The first 43 characters of `input` as a Curve25519 key, as libolm reads
/// the keys of these functions.
fn leading_key(input: &[u8]) -> Result<Curve25519PublicKey, OlmErrorCode> {
    let key = input.get(..KEY_B64).ok_or(OlmErrorCode::InputBufferTooSmall)?;
    encoding::curve25519_key(key)
}

// Encryption.

/// Sets the recipient's public key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_encryption_set_recipient_key(
    encryption: *mut OlmPkEncryption,
    public_key: *const c_void,
    public_key_length: usize,
) -> usize {
    // SAFETY: the key is readable for its length (the crate's contract).
    let key = unsafe { In::new(public_key, public_key_length) };
    call!(EncryptionKind, encryption, |object: &mut Object<EncryptionKind>| {
        let recipient = PkEncryption::from_key(leading_key(key.bytes())?).map_err(|_| OlmErrorCode::InvalidBase64)?;
        object.replace(Some(recipient));
        Ok(0)
    })
}

/// The length of the base64 ciphertext of `plaintext_length` bytes.
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_ciphertext_length(_encryption: *const OlmPkEncryption, plaintext_length: usize) -> usize {
    b64_len(cbc_len(plaintext_length))
}

/// The length of the base64 MAC (11).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_mac_length(_encryption: *const OlmPkEncryption) -> usize {
    b64_len(MAC_LEN)
}

/// The length of a base64 public key (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_key_length() -> usize {
    KEY_B64
}

/// Random bytes `olm_pk_encrypt` needs (32).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_encrypt_random_length(_encryption: *const OlmPkEncryption) -> usize {
    KEY_LEN
}

/// Encrypts `plaintext` to the recipient. Returns 8, as libolm does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_encrypt(
    encryption: *mut OlmPkEncryption,
    plaintext: *const c_void,
    plaintext_length: usize,
    ciphertext: *mut c_void,
    ciphertext_length: usize,
    mac: *mut c_void,
    mac_length: usize,
    ephemeral_key: *mut c_void,
    ephemeral_key_size: usize,
    random: *const c_void,
    random_length: usize,
) -> usize {
    // SAFETY: the plaintext and random bytes are readable and the three
    // output buffers writable for their lengths.
    let (plaintext, ciphertext, mac, ephemeral, random) = unsafe {
        (
            In::new(plaintext, plaintext_length),
            Out::new(ciphertext, ciphertext_length),
            Out::new(mac, mac_length),
            Out::new(ephemeral_key, ephemeral_key_size),
            In::new(random, random_length),
        )
    };
    call!(EncryptionKind, encryption, |object: &mut Object<EncryptionKind>| {
        ciphertext.check(b64_len(cbc_len(plaintext.len())))?;
        mac.check(b64_len(MAC_LEN))?;
        ephemeral.check(KEY_B64)?;
        if random.len() < KEY_LEN {
            return Err(OlmErrorCode::NotEnoughRandom);
        }
        let mut rng = Replay::new(random.bytes());
        let message = object.state()?.encrypt_with_rng(plaintext.bytes(), &mut rng);
        ciphertext.write(message.ciphertext_base64().as_bytes())?;
        mac.write(message.mac_base64().as_bytes())?;
        ephemeral.write(message.ephemeral_key_base64().as_bytes())?;
        Ok(MAC_LEN)
    })
}

// Decryption.

/// The length of a raw private key (32).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_private_key_length() -> usize {
    KEY_LEN
}

/// Deprecated name of `olm_pk_private_key_length`.
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_generate_key_random_length() -> usize {
    KEY_LEN
}

/// Sets the private key from 32 bytes and writes the public key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_key_from_private(
    decryption: *mut OlmPkDecryption,
    pubkey: *mut c_void,
    pubkey_length: usize,
    privkey: *const c_void,
    privkey_length: usize,
) -> usize {
    // SAFETY: the private key is readable and the public key buffer writable
    // for their lengths.
    let (out, private) = unsafe { (Out::new(pubkey, pubkey_length), In::new(privkey, privkey_length)) };
    call!(DecryptionKind, decryption, |object: &mut Object<DecryptionKind>| {
        out.check(KEY_B64)?;
        let secret: Zeroizing<[u8; KEY_LEN]> = Zeroizing::new(
            private
                .bytes()
                .get(..KEY_LEN)
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or(OlmErrorCode::InputBufferTooSmall)?,
        );
        let key = PkDecryption::from_bytes(&secret);
        let public = key.public_key().to_base64();
        object.replace(Some(key));
        out.write(public.as_bytes())?;
        Ok(0)
    })
}

/// Deprecated name of `olm_pk_key_from_private`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_generate_key(
    decryption: *mut OlmPkDecryption,
    pubkey: *mut c_void,
    pubkey_length: usize,
    privkey: *const c_void,
    privkey_length: usize,
) -> usize {
    // SAFETY: the same arguments, under the same contract.
    unsafe { olm_pk_key_from_private(decryption, pubkey, pubkey_length, privkey, privkey_length) }
}

/// The exact length of `olm_pickle_pk_decryption`'s output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_pk_decryption_length(decryption: *const OlmPkDecryption) -> usize {
    query!(DecryptionKind, decryption, usize::MAX, |object: &Object<
        DecryptionKind,
    >| {
        match object.state() {
            Ok(key) => key.libolm_pickle_len(),
            Err(_) => envelope::encrypted_len(EMPTY_BODY_LEN),
        }
    })
}

/// Writes the object as libolm's pickle, encrypted with `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pickle_pk_decryption(
    decryption: *mut OlmPkDecryption,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
) -> usize {
    // SAFETY: the key is readable and the pickle buffer writable for their
    // lengths.
    let (key, pickled) = unsafe { (In::new(key, key_length), Out::new(pickled, pickled_length)) };
    call!(DecryptionKind, decryption, |object: &mut Object<DecryptionKind>| {
        let live = object
            .state()
            .ok()
            .map(|decryption| decryption.to_libolm_pickle(key.bytes()));
        let pickle = envelope::pickle(key.bytes(), &empty_body(), live)?;
        pickled.write(pickle.as_bytes())
    })
}

/// Restores the object from a libolm pickle and writes its public key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_unpickle_pk_decryption(
    decryption: *mut OlmPkDecryption,
    key: *const c_void,
    key_length: usize,
    pickled: *mut c_void,
    pickled_length: usize,
    pubkey: *mut c_void,
    pubkey_length: usize,
) -> usize {
    // SAFETY: the key and the pickle are readable and the public key buffer
    // writable for their lengths.
    let (key, pickled, out) = unsafe {
        (
            In::new(key, key_length),
            In::new(pickled, pickled_length),
            Out::new(pubkey, pubkey_length),
        )
    };
    let want_public_key = !pubkey.is_null();
    call!(DecryptionKind, decryption, |object: &mut Object<DecryptionKind>| {
        if want_public_key {
            out.check(KEY_B64)?;
        }
        let restored = envelope::unpickle(key.bytes(), pickled.bytes(), &empty_body(), |text, _| {
            PkDecryption::from_libolm_pickle(text, key.bytes())
        })?;
        // The public key an empty object stores: all zeros.
        let public = restored
            .as_ref()
            .map_or(Curve25519PublicKey::from_bytes([0; 32]), PkDecryption::public_key);
        object.replace(restored);
        if want_public_key {
            out.write(public.to_base64().as_bytes())?;
        }
        Ok(pickled_length)
    })
}

/// The largest plaintext a base64 ciphertext of `ciphertext_length`
/// characters can decrypt to.
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_max_plaintext_length(_decryption: *const OlmPkDecryption, ciphertext_length: usize) -> usize {
    b64_decoded_len(ciphertext_length).unwrap_or(usize::MAX)
}

/// Decrypts a backup entry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_decrypt(
    decryption: *mut OlmPkDecryption,
    ephemeral_key: *const c_void,
    ephemeral_key_length: usize,
    mac: *const c_void,
    mac_length: usize,
    ciphertext: *mut c_void,
    ciphertext_length: usize,
    plaintext: *mut c_void,
    max_plaintext_length: usize,
) -> usize {
    // SAFETY: the three inputs are readable and the plaintext buffer
    // writable for their lengths.
    let (ephemeral, mac, ciphertext, out) = unsafe {
        (
            In::new(ephemeral_key, ephemeral_key_length),
            In::new(mac, mac_length),
            In::new(ciphertext, ciphertext_length),
            Out::new(plaintext, max_plaintext_length),
        )
    };
    call!(DecryptionKind, decryption, |object: &mut Object<DecryptionKind>| {
        let max = b64_decoded_len(ciphertext.len()).ok_or(OlmErrorCode::InvalidBase64)?;
        out.check(max)?;
        if ephemeral.len() != KEY_B64 || mac.len() != b64_len(MAC_LEN) {
            return Err(OlmErrorCode::InvalidBase64);
        }
        let message = PkMessage::from_base64(utf8(&ciphertext)?, utf8(&mac)?, utf8(&ephemeral)?)
            .map_err(|_| OlmErrorCode::InvalidBase64)?;
        let decrypted = Zeroizing::new(
            object
                .state()
                .map_err(|_| OlmErrorCode::BadMessageMac)?
                .decrypt(&message)
                .map_err(|_| OlmErrorCode::BadMessageMac)?,
        );
        out.write(&decrypted)
    })
}

fn utf8(input: &In) -> Result<&str, OlmErrorCode> {
    std::str::from_utf8(input.bytes()).map_err(|_| OlmErrorCode::InvalidBase64)
}

/// Writes the raw private key. Returns 32.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_get_private_key(
    decryption: *mut OlmPkDecryption,
    private_key: *mut c_void,
    private_key_length: usize,
) -> usize {
    // SAFETY: the output buffer is writable for its length.
    let out = unsafe { Out::new(private_key, private_key_length) };
    call!(DecryptionKind, decryption, |object: &mut Object<DecryptionKind>| {
        out.check(KEY_LEN)?;
        out.write(object.state()?.to_bytes().as_slice())
    })
}

// Signing.

/// Sets the Ed25519 key from a 32-byte seed and writes the public key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_signing_key_from_seed(
    signing: *mut OlmPkSigning,
    pubkey: *mut c_void,
    pubkey_length: usize,
    seed: *const c_void,
    seed_length: usize,
) -> usize {
    // SAFETY: the seed is readable and the public key buffer writable for
    // their lengths.
    let (out, seed) = unsafe { (Out::new(pubkey, pubkey_length), In::new(seed, seed_length)) };
    call!(SigningKind, signing, |object: &mut Object<SigningKind>| {
        out.check(KEY_B64)?;
        let seed: Zeroizing<[u8; KEY_LEN]> = Zeroizing::new(
            seed.bytes()
                .get(..KEY_LEN)
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or(OlmErrorCode::InputBufferTooSmall)?,
        );
        let key = PkSigning::from_seed(&seed);
        let public = key.public_key().to_base64();
        object.replace(Some(key));
        out.write(public.as_bytes())?;
        Ok(0)
    })
}

/// The length of a seed (32).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_signing_seed_length() -> usize {
    KEY_LEN
}

/// The length of a base64 public key (43).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_signing_public_key_length() -> usize {
    KEY_B64
}

/// The length of a base64 signature (86).
#[unsafe(no_mangle)]
pub extern "C" fn olm_pk_signature_length() -> usize {
    SIGNATURE_B64
}

/// Signs `message`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn olm_pk_sign(
    signing: *mut OlmPkSigning,
    message: *const u8,
    message_length: usize,
    signature: *mut u8,
    signature_length: usize,
) -> usize {
    // SAFETY: the message is readable and the signature buffer writable for
    // their lengths.
    let (message, out) = unsafe {
        (
            In::new(message.cast(), message_length),
            Out::new(signature.cast(), signature_length),
        )
    };
    call!(SigningKind, signing, |object: &mut Object<SigningKind>| {
        out.check(SIGNATURE_B64)?;
        let signature = object.state()?.sign(message.bytes());
        out.write(signature.to_base64().as_bytes())
    })
}
