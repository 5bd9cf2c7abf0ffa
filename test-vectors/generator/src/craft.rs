//! Building *inputs* that libolm cannot be asked to produce honestly:
//! libolm pickles with edited contents, and edited messages. Nothing here
//! computes an expected value; whatever is built is handed to libolm, which
//! decides what it means.

use aes::Aes256;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::codec::{b64, unb64};

/// libolm's pickle keys: AES key, HMAC key, IV from HKDF("Pickle").
fn pickle_keys(key: &[u8]) -> ([u8; 32], [u8; 32], [u8; 16]) {
    let mut okm = [0u8; 80];
    Hkdf::<Sha256>::new(Some(&[0u8; 32]), key)
        .expand(b"Pickle", &mut okm)
        .expect("80 bytes of HKDF output");
    let (mut aes, mut mac, mut iv) = ([0u8; 32], [0u8; 32], [0u8; 16]);
    aes.copy_from_slice(&okm[..32]);
    mac.copy_from_slice(&okm[32..64]);
    iv.copy_from_slice(&okm[64..]);
    (aes, mac, iv)
}

fn pickle_mac(mac_key: &[u8; 32], ciphertext: &[u8]) -> [u8; 8] {
    let mut hmac = <Hmac<Sha256> as KeyInit>::new_from_slice(mac_key).expect("any HMAC key length");
    hmac.update(ciphertext);
    let tag = hmac.finalize().into_bytes();
    let mut out = [0u8; 8];
    out.copy_from_slice(&tag[..8]);
    out
}

/// Encrypts raw pickle bytes the way libolm does.
pub fn seal_pickle(key: &[u8], raw: &[u8]) -> String {
    let (aes, mac_key, iv) = pickle_keys(key);
    let mut out = cbc::Encryptor::<Aes256>::new(&aes.into(), &iv.into()).encrypt_padded_vec::<Pkcs7>(raw);
    let mac = pickle_mac(&mac_key, &out);
    out.extend_from_slice(&mac);
    b64(&out)
}

/// Decrypts a libolm pickle to its raw bytes (checking its MAC).
pub fn open_pickle(key: &[u8], pickle: &str) -> Vec<u8> {
    let (aes, mac_key, iv) = pickle_keys(key);
    let data = unb64(pickle).expect("pickle base64");
    let (ciphertext, mac) = data.split_at(data.len() - 8);
    assert_eq!(pickle_mac(&mac_key, ciphertext), mac, "pickle MAC");
    cbc::Decryptor::<Aes256>::new(&aes.into(), &iv.into())
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .expect("pickle padding")
}

/// Protobuf-style varint.
pub fn varint(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*pos];
        *pos += 1;
        n |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return n;
        }
    }
}

/// An Olm normal message (type 1) as libolm lays it out.
#[derive(Clone, Debug)]
pub struct OlmMessage {
    pub version: u8,
    pub ratchet_key: Vec<u8>,
    pub counter: u64,
    pub ciphertext: Vec<u8>,
    pub mac: Vec<u8>,
}

impl OlmMessage {
    /// Parses libolm's own encoding (fields in libolm's order).
    pub fn parse(bytes: &[u8]) -> Self {
        let body = &bytes[..bytes.len() - 8];
        let mut pos = 1;
        let (mut ratchet_key, mut counter, mut ciphertext) = (None, None, None);
        while pos < body.len() {
            let tag = body[pos];
            pos += 1;
            match tag {
                0x0a | 0x22 => {
                    let len = read_varint(body, &mut pos) as usize;
                    let value = body[pos..pos + len].to_vec();
                    pos += len;
                    if tag == 0x0a {
                        ratchet_key = Some(value);
                    } else {
                        ciphertext = Some(value);
                    }
                }
                0x10 => counter = Some(read_varint(body, &mut pos)),
                other => panic!("unexpected tag {other:#x} in an Olm message"),
            }
        }
        OlmMessage {
            version: bytes[0],
            ratchet_key: ratchet_key.expect("ratchet key"),
            counter: counter.expect("counter"),
            ciphertext: ciphertext.expect("ciphertext"),
            mac: bytes[bytes.len() - 8..].to_vec(),
        }
    }

    /// The encoding, with whatever MAC the struct holds.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.version, 0x0a];
        out.extend(varint(self.ratchet_key.len() as u64));
        out.extend_from_slice(&self.ratchet_key);
        out.push(0x10);
        out.extend(varint(self.counter));
        out.push(0x22);
        out.extend(varint(self.ciphertext.len() as u64));
        out.extend_from_slice(&self.ciphertext);
        out.extend_from_slice(&self.mac);
        out
    }
}

/// The fields of a pre-key message (type 0) in libolm's order.
#[derive(Clone, Debug)]
pub struct PreKeyMessage {
    pub version: u8,
    pub one_time_key: Vec<u8>,
    pub base_key: Vec<u8>,
    pub identity_key: Vec<u8>,
    pub message: Vec<u8>,
}

impl PreKeyMessage {
    /// Parses libolm's own encoding.
    pub fn parse(bytes: &[u8]) -> Self {
        let mut pos = 1;
        let mut fields: [Option<Vec<u8>>; 4] = Default::default();
        while pos < bytes.len() {
            let tag = bytes[pos];
            pos += 1;
            let slot = match tag {
                0x0a => 0,
                0x12 => 1,
                0x1a => 2,
                0x22 => 3,
                other => panic!("unexpected tag {other:#x} in a pre-key message"),
            };
            let len = read_varint(bytes, &mut pos) as usize;
            fields[slot] = Some(bytes[pos..pos + len].to_vec());
            pos += len;
        }
        let [otk, base, identity, message] = fields.map(|f| f.expect("pre-key field"));
        PreKeyMessage {
            version: bytes[0],
            one_time_key: otk,
            base_key: base,
            identity_key: identity,
            message,
        }
    }

    /// The encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.version];
        for (tag, value) in [
            (0x0a, &self.one_time_key),
            (0x12, &self.base_key),
            (0x1a, &self.identity_key),
            (0x22, &self.message),
        ] {
            out.push(tag);
            out.extend(varint(value.len() as u64));
            out.extend_from_slice(value);
        }
        out
    }
}

/// Flips `bit` of the byte `index` of a base64 blob (negative: from the end).
pub fn flip_bit(blob: &str, index: isize, bit: u8) -> String {
    let mut bytes = unb64(blob).expect("base64");
    let at = if index < 0 {
        bytes.len() - index.unsigned_abs()
    } else {
        index as usize
    };
    bytes[at] ^= 1 << bit;
    b64(&bytes)
}

/// Sets byte `index` of a base64 blob.
pub fn set_byte(blob: &str, index: usize, value: u8) -> String {
    let mut bytes = unb64(blob).expect("base64");
    bytes[index] = value;
    b64(&bytes)
}

/// The first `len` bytes of a base64 blob.
pub fn truncate(blob: &str, len: usize) -> String {
    let bytes = unb64(blob).expect("base64");
    b64(&bytes[..len])
}

/// Base64 blob with `extra` appended.
pub fn append(blob: &str, extra: &[u8]) -> String {
    let mut bytes = unb64(blob).expect("base64");
    bytes.extend_from_slice(extra);
    b64(&bytes)
}
