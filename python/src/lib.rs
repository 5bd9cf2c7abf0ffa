//! `vodozemac.vodozemac`: the classes of vodozemac's Python package
//! (version 0.10.0), each a thin wrapper around the `olm` crate. The binding
//! converts types and maps errors; every key, message and pickle format is
//! the crate's.

mod account;
mod errors;
mod keys;
mod megolm;
mod messages;
mod pk;
mod sas;
mod session;

use pyo3::prelude::*;

/// The extension module, loaded by the package's `__init__.py`.
#[pymodule(name = "vodozemac")]
fn vodozemac_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<account::Account>()?;
    m.add_class::<session::Session>()?;
    m.add_class::<messages::AnyOlmMessage>()?;
    m.add_class::<messages::PreKeyMessage>()?;
    m.add_class::<sas::Sas>()?;
    m.add_class::<sas::EstablishedSas>()?;
    m.add_class::<sas::SasBytes>()?;
    m.add_class::<megolm::GroupSession>()?;
    m.add_class::<megolm::InboundGroupSession>()?;
    m.add_class::<megolm::DecryptedMessage>()?;
    m.add_class::<megolm::SessionKey>()?;
    m.add_class::<megolm::ExportedSessionKey>()?;
    m.add_class::<megolm::MegolmMessage>()?;
    m.add_class::<keys::Ed25519PublicKey>()?;
    m.add_class::<keys::Ed25519Signature>()?;
    m.add_class::<keys::Curve25519PublicKey>()?;
    m.add_class::<keys::Curve25519SecretKey>()?;
    m.add_class::<pk::PkDecryption>()?;
    m.add_class::<pk::PkEncryption>()?;
    m.add_class::<pk::Message>()?;
    m.add("KeyException", py.get_type::<errors::KeyException>())?;
    m.add("SignatureException", py.get_type::<errors::SignatureException>())?;
    m.add("DecodeException", py.get_type::<errors::DecodeException>())?;
    m.add("LibolmPickleException", py.get_type::<errors::LibolmPickleException>())?;
    m.add(
        "SessionKeyDecodeException",
        py.get_type::<errors::SessionKeyDecodeException>(),
    )?;
    m.add("PickleException", py.get_type::<errors::PickleException>())?;
    m.add(
        "SessionCreationException",
        py.get_type::<errors::SessionCreationException>(),
    )?;
    m.add("SasException", py.get_type::<errors::SasException>())?;
    m.add(
        "OlmEncryptionException",
        py.get_type::<errors::OlmEncryptionException>(),
    )?;
    m.add(
        "OlmDecryptionException",
        py.get_type::<errors::OlmDecryptionException>(),
    )?;
    m.add(
        "MegolmDecryptionException",
        py.get_type::<errors::MegolmDecryptionException>(),
    )?;
    m.add(
        "PkInvalidKeySizeException",
        py.get_type::<errors::PkInvalidKeySizeException>(),
    )?;
    m.add("PkDecodeException", py.get_type::<errors::PkDecodeException>())?;
    Ok(())
}
