#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// `macro_use` puts `vec!` and `format!` in scope everywhere, as in a std crate:
// the code names them by path anyway, but mutation testing's replacements
// (`Ok(vec![])`) must build to be tested (docs/testing.md).
#[allow(unused_imports)] // used only by those replacements
#[macro_use]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod cipher;
#[cfg(feature = "ct-check")]
pub mod ct;
#[cfg(not(feature = "ct-check"))]
mod ct;
pub mod ecies;
mod encoding;
#[cfg(feature = "hazmat")]
pub mod hazmat;
pub mod hpke;
pub mod megolm;
pub mod olm;
pub mod pickle;
pub mod pk;
pub mod sas;
#[cfg(feature = "serde")]
mod serde_impls;
mod session_config;
mod stack;
#[cfg(test)]
mod test_rng;
mod types;

pub use encoding::{Base64DecodeError, DecodeError, base64_decode, base64_encode};
pub use pickle::PickleError;
pub(crate) use types::{Curve25519Keypair, Ed25519Keypair};
pub use types::{
    Curve25519PublicKey, Curve25519SecretKey, Ed25519PublicKey, Ed25519SecretKey, Ed25519Signature, KeyError, KeyId,
    SignatureError,
};
