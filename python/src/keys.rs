//! Public keys, signatures and the Curve25519 secret key.

use pyo3::{
    prelude::*,
    types::{PyBytes, PyString, PyType},
};

use crate::errors::{KeyException, SignatureException, to_py};

/// An Ed25519 public key.
#[pyclass(module = "vodozemac", frozen)]
#[derive(Clone)]
pub struct Ed25519PublicKey {
    pub(crate) inner: olm::Ed25519PublicKey,
}

#[pymethods]
impl Ed25519PublicKey {
    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, key: &str) -> PyResult<Self> {
        let inner = olm::Ed25519PublicKey::from_base64(key).map_err(to_py::<KeyException>)?;
        Ok(Self { inner })
    }

    fn to_base64(&self) -> String {
        self.inner.to_base64()
    }

    /// Raises `SignatureException` unless `signature` is this key's over
    /// `message` (strictly: one valid signature per key and message).
    fn verify_signature(&self, message: &[u8], signature: &Ed25519Signature) -> PyResult<()> {
        self.inner
            .verify(message, &signature.inner)
            .map_err(to_py::<SignatureException>)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!("Ed25519PublicKey({})", self.inner.to_base64())
    }
}

/// An Ed25519 signature.
#[pyclass(module = "vodozemac", frozen)]
pub struct Ed25519Signature {
    pub(crate) inner: olm::Ed25519Signature,
}

#[pymethods]
impl Ed25519Signature {
    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, signature: &str) -> PyResult<Self> {
        let inner = olm::Ed25519Signature::from_base64(signature).map_err(to_py::<SignatureException>)?;
        Ok(Self { inner })
    }

    fn to_base64(&self) -> String {
        self.inner.to_base64()
    }
}

/// A Curve25519 public key.
#[pyclass(module = "vodozemac", frozen)]
#[derive(Clone)]
pub struct Curve25519PublicKey {
    pub(crate) inner: olm::Curve25519PublicKey,
}

#[pymethods]
impl Curve25519PublicKey {
    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, key: &str) -> PyResult<Self> {
        let inner = olm::Curve25519PublicKey::from_base64(key).map_err(to_py::<KeyException>)?;
        Ok(Self { inner })
    }

    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, bytes: &[u8]) -> PyResult<Self> {
        let inner = olm::Curve25519PublicKey::from_slice(bytes).map_err(to_py::<KeyException>)?;
        Ok(Self { inner })
    }

    fn to_base64(&self) -> String {
        self.inner.to_base64()
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.as_bytes())
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!("Curve25519PublicKey({})", self.inner.to_base64())
    }
}

/// A Curve25519 secret key. Its bytes leave Rust only through `to_bytes`
/// and `to_base64`, which exist to export it.
#[pyclass(module = "vodozemac", frozen)]
pub struct Curve25519SecretKey {
    pub(crate) inner: olm::Curve25519SecretKey,
}

#[pymethods]
impl Curve25519SecretKey {
    #[new]
    fn new() -> Self {
        Self {
            inner: olm::Curve25519SecretKey::new(),
        }
    }

    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, key: &str) -> PyResult<Self> {
        let inner = olm::Curve25519SecretKey::from_base64(key).map_err(to_py::<KeyException>)?;
        Ok(Self { inner })
    }

    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, bytes: &[u8]) -> PyResult<Self> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| {
            to_py::<KeyException>(olm::KeyError::InvalidKeyLength {
                key_type: "Curve25519 secret key",
                expected: 32,
                length: bytes.len(),
            })
        })?;
        Ok(Self {
            inner: olm::Curve25519SecretKey::from_bytes(bytes),
        })
    }

    fn to_base64<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.inner.to_base64())
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &*self.inner.to_bytes())
    }

    fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey {
            inner: self.inner.public_key(),
        }
    }
}
