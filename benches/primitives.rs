//! The primitives every operation is built from (`cargo bench --bench
//! primitives`), to compute each operation's floor in docs/performance.md:
//! X25519 base-point multiplication and Diffie-Hellman, Ed25519 key
//! derivation, signing, strict and batch verification, HMAC-SHA-256 of one byte (keying
//! included), HKDF-SHA-256 to 80 bytes, AES-256-CBC of 100 B and 4 KiB.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_main};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hmac::{KeyInit, Mac};
use support::quick;
use x25519_dalek::{PublicKey, StaticSecret};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn x25519(c: &mut Criterion) {
    let mut group = c.benchmark_group("primitive_x25519");
    let secret = StaticSecret::from([0x11; 32]);
    let public = PublicKey::from(&StaticSecret::from([0x22; 32]));
    group.bench_function("base_mult", |b| b.iter(|| PublicKey::from(&secret)));
    group.bench_function("diffie_hellman", |b| b.iter(|| secret.diffie_hellman(&public)));
    group.finish();
}

fn ed25519(c: &mut Criterion) {
    let mut group = c.benchmark_group("primitive_ed25519");
    let key = SigningKey::from_bytes(&[0x33; 32]);
    let public: VerifyingKey = key.verifying_key();
    let message = [0x44u8; 1100];
    let signature = key.sign(&message);
    group.bench_function("key_from_seed", |b| b.iter(|| SigningKey::from_bytes(&[0x34; 32])));
    group.bench_function("sign_1100B", |b| b.iter(|| key.sign(&message)));
    group.bench_function("verify_strict_1100B", |b| {
        b.iter(|| public.verify_strict(&message, &signature).unwrap())
    });
    group.bench_function("decompress_point", |b| {
        b.iter(|| curve25519_dalek::edwards::CompressedEdwardsY(signature.r_bytes().to_owned()).decompress())
    });
    for n in [64usize, 1000] {
        let messages: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                let mut m = message.to_vec();
                m[..8].copy_from_slice(&(i as u64).to_le_bytes());
                m
            })
            .collect();
        let signatures: Vec<Signature> = messages.iter().map(|m| key.sign(m)).collect();
        let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let keys = vec![public; n];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("verify_batch_1100B", n), |b| {
            b.iter(|| ed25519_dalek::verify_batch(&refs, &signatures, &keys).unwrap())
        });
    }
    group.finish();
}

fn symmetric(c: &mut Criterion) {
    let mut group = c.benchmark_group("primitive_symmetric");
    let key = [0x55u8; 32];
    group.bench_function("hmac_sha256_1B", |b| {
        b.iter(|| {
            let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&key).unwrap();
            mac.update(&[1]);
            mac.finalize().into_bytes()
        })
    });
    group.bench_function("hkdf_sha256_80B", |b| {
        b.iter(|| {
            let mut okm = [0u8; 80];
            hkdf::Hkdf::<sha2::Sha256>::new(None, &key)
                .expand(b"OLM_KEYS", &mut okm)
                .unwrap();
            okm
        })
    });
    group.bench_function("hkdf_sha256_80B_from_128B", |b| {
        let ikm = [0x66u8; 128];
        b.iter(|| {
            let mut okm = [0u8; 80];
            hkdf::Hkdf::<sha2::Sha256>::new(None, &ikm)
                .expand(b"MEGOLM_KEYS", &mut okm)
                .unwrap();
            okm
        })
    });
    for size in [100usize, 1024, 4096] {
        use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
        let input = vec![0x77u8; size];
        group.bench_function(BenchmarkId::new("aes256_cbc_encrypt", size), |b| {
            b.iter(|| {
                cbc::Encryptor::<aes::Aes256>::new(&key.into(), &[0u8; 16].into()).encrypt_padded_vec::<Pkcs7>(&input)
            })
        });
        let ciphertext =
            cbc::Encryptor::<aes::Aes256>::new(&key.into(), &[0u8; 16].into()).encrypt_padded_vec::<Pkcs7>(&input);
        group.bench_function(BenchmarkId::new("aes256_cbc_decrypt", size), |b| {
            b.iter_batched(
                || ciphertext.clone(),
                |ciphertext| {
                    cbc::Decryptor::<aes::Aes256>::new(&key.into(), &[0u8; 16].into())
                        .decrypt_padded_vec::<Pkcs7>(&ciphertext)
                        .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
        group.bench_function(BenchmarkId::new("hmac_sha256", size), |b| {
            b.iter(|| {
                let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&key).unwrap();
                mac.update(&input);
                mac.finalize().into_bytes()
            })
        });
    }
    group.finish();
}

fn all(c: &mut Criterion) {
    x25519(c);
    ed25519(c);
    symmetric(c);
}

/// The generated group function has no doc comment of its own.
#[allow(missing_docs)]
mod group {
    use super::{all, quick};

    criterion::criterion_group! {
        name = benches;
        config = quick();
        targets = all
    }
}

criterion_main!(group::benches);
