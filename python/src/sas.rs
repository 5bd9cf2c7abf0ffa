//! SAS verification: vodozemac's `Sas`, `EstablishedSas` and `SasBytes`.

use pyo3::prelude::*;

use crate::{
    errors::{KeyException, SasException, to_py},
    keys::Curve25519PublicKey,
};

/// The first step of a SAS verification: our ephemeral key pair.
#[pyclass(module = "vodozemac")]
pub struct Sas {
    /// Taken by `diffie_hellman`: the secret is used once.
    inner: Option<olm::sas::Sas>,
    public_key: olm::Curve25519PublicKey,
}

#[pymethods]
impl Sas {
    #[new]
    fn new() -> Self {
        let inner = olm::sas::Sas::new();
        let public_key = inner.public_key();
        Self {
            inner: Some(inner),
            public_key,
        }
    }

    #[getter]
    fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey { inner: self.public_key }
    }

    /// The shared secret with the other side's key. Raises `SasException`
    /// when called a second time, `KeyException` for a low-order key.
    fn diffie_hellman(&mut self, key: &Curve25519PublicKey) -> PyResult<EstablishedSas> {
        let sas = self
            .inner
            .take()
            .ok_or_else(|| SasException::new_err("the Sas object has already been used once"))?;
        let inner = sas.diffie_hellman(key.inner).map_err(to_py::<KeyException>)?;
        Ok(EstablishedSas { inner })
    }
}

/// A SAS verification after the key exchange.
#[pyclass(module = "vodozemac", frozen)]
pub struct EstablishedSas {
    inner: olm::sas::EstablishedSas,
}

#[pymethods]
impl EstablishedSas {
    /// The short authentication string for `info`.
    fn bytes(&self, info: &str) -> SasBytes {
        SasBytes {
            inner: self.inner.bytes(info),
        }
    }

    /// libolm's legacy MAC encoding (Matrix's `hkdf-hmac-sha256`).
    fn calculate_mac_invalid_base64(&self, input: &str, info: &str) -> String {
        self.inner.calculate_mac_invalid_base64(input, info)
    }

    /// The MAC of `input` (Matrix's `hkdf-hmac-sha256.v2`), in base64.
    fn calculate_mac(&self, input: &str, info: &str) -> String {
        self.inner.calculate_mac(input, info).to_base64()
    }

    /// Raises `SasException` unless `tag` is the MAC of `input`.
    fn verify_mac(&self, input: &str, info: &str, tag: &str) -> PyResult<()> {
        let tag = olm::sas::Mac::from_base64(tag).map_err(to_py::<SasException>)?;
        self.inner.verify_mac(input, info, &tag).map_err(to_py::<SasException>)
    }
}

/// The short authentication string, as emoji indices or decimals.
#[pyclass(module = "vodozemac", frozen)]
pub struct SasBytes {
    inner: olm::sas::SasBytes,
}

#[pymethods]
impl SasBytes {
    /// Seven indices into Matrix's emoji table, as bytes.
    #[getter]
    fn emoji_indices(&self) -> [u8; 7] {
        self.inner.emoji_indices()
    }

    #[getter]
    fn decimals(&self) -> (u16, u16, u16) {
        self.inner.decimals()
    }
}
