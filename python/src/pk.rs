//! vodozemac's `PkEncryption`, `PkDecryption` and `Message`: the
//! `m.megolm_backup.v1.curve25519-aes-sha2` backup scheme, which encrypts
//! but does not authenticate.

use olm::pk::PkMessage;
use pyo3::{
    prelude::*,
    types::{PyBytes, PyString, PyType},
};

use crate::{
    errors::{KeyException, PkDecodeException, PkInvalidKeySizeException, libolm_pickle_error, to_py},
    keys::{Curve25519PublicKey, Curve25519SecretKey},
};

/// The length of the scheme's truncated MAC.
const MAC_LENGTH: usize = 8;

/// A backup message's three raw parts. Lengths are checked when it is
/// decrypted, as in vodozemac's package.
#[pyclass(module = "vodozemac", frozen, get_all)]
pub struct Message {
    ciphertext: Py<PyBytes>,
    mac: Py<PyBytes>,
    ephemeral_key: Py<PyBytes>,
}

#[pymethods]
impl Message {
    #[new]
    fn new(ciphertext: Vec<u8>, mac: Vec<u8>, ephemeral_key: Vec<u8>, py: Python<'_>) -> Self {
        Self {
            ciphertext: PyBytes::new(py, &ciphertext).unbind(),
            mac: PyBytes::new(py, &mac).unbind(),
            ephemeral_key: PyBytes::new(py, &ephemeral_key).unbind(),
        }
    }

    /// The parts from base64 (padded or not); raises `PkDecodeException`.
    #[classmethod]
    fn from_base64(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        ciphertext: &str,
        mac: &str,
        ephemeral_key: &str,
    ) -> PyResult<Self> {
        let decode = |part: &str| olm::base64_decode(part).map_err(to_py::<PkDecodeException>);
        let (ciphertext, mac, ephemeral_key) = (decode(ciphertext)?, decode(mac)?, decode(ephemeral_key)?);
        Ok(Self::new(ciphertext, mac, ephemeral_key, py))
    }

    /// Unpadded base64 of the parts, in vodozemac's package's order:
    /// `(ephemeral_key, mac, ciphertext)`, the reverse of `from_base64`'s.
    fn to_base64(&self, py: Python<'_>) -> (String, String, String) {
        (
            olm::base64_encode(self.ephemeral_key.as_bytes(py)),
            olm::base64_encode(self.mac.as_bytes(py)),
            olm::base64_encode(self.ciphertext.as_bytes(py)),
        )
    }
}

/// The recipient's side: a Curve25519 key pair.
#[pyclass(module = "vodozemac", frozen)]
pub struct PkDecryption {
    inner: olm::pk::PkDecryption,
}

#[pymethods]
impl PkDecryption {
    #[new]
    fn new() -> Self {
        Self {
            inner: olm::pk::PkDecryption::new(),
        }
    }

    #[classmethod]
    fn from_key(_cls: &Bound<'_, PyType>, key: &Curve25519SecretKey) -> Self {
        Self {
            inner: olm::pk::PkDecryption::from_key(key.inner.clone()),
        }
    }

    /// Extra: reads libolm's pickle of a PK decryption key (a key of any length).
    #[classmethod]
    fn from_libolm_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::pk::PkDecryption::from_libolm_pickle(pickle, pickle_key).map_err(libolm_pickle_error)?;
        Ok(Self { inner })
    }

    /// Extra: libolm's pickle (a key of any length).
    fn to_libolm_pickle<'py>(&self, py: Python<'py>, pickle_key: &[u8]) -> PyResult<Bound<'py, PyString>> {
        let pickle = self.inner.to_libolm_pickle(pickle_key).map_err(libolm_pickle_error)?;
        Ok(PyString::new(py, &pickle))
    }

    /// The secret key, to store as the recovery key.
    #[getter]
    fn key(&self) -> Curve25519SecretKey {
        Curve25519SecretKey {
            inner: olm::Curve25519SecretKey::from_bytes(&self.inner.to_bytes()),
        }
    }

    #[getter]
    fn public_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey {
            inner: self.inner.public_key(),
        }
    }

    /// The plaintext. Raises `PkInvalidKeySizeException` for an ephemeral
    /// key that is not 32 bytes, `PkDecodeException` for anything else.
    fn decrypt<'py>(&self, py: Python<'py>, message: &Message) -> PyResult<Bound<'py, PyBytes>> {
        let ephemeral_key = message.ephemeral_key.as_bytes(py);
        let ephemeral_key = olm::Curve25519PublicKey::from_slice(ephemeral_key).map_err(|_| {
            PkInvalidKeySizeException::new_err(format!(
                "the ephemeral key must be 32 bytes long, got {}",
                ephemeral_key.len()
            ))
        })?;
        let mac = message.mac.as_bytes(py);
        let mac: [u8; MAC_LENGTH] = mac.try_into().map_err(|_| {
            PkDecodeException::new_err(format!("the MAC must be {MAC_LENGTH} bytes long, got {}", mac.len()))
        })?;
        let message = PkMessage::new(message.ciphertext.as_bytes(py).to_vec(), mac, ephemeral_key);
        let plaintext = self.inner.decrypt(&message).map_err(to_py::<PkDecodeException>)?;
        let plaintext = zeroize::Zeroizing::new(plaintext);
        Ok(PyBytes::new(py, &plaintext))
    }
}

/// The sender's side: encryption to a public key.
#[pyclass(module = "vodozemac", frozen)]
pub struct PkEncryption {
    inner: olm::pk::PkEncryption,
}

#[pymethods]
impl PkEncryption {
    /// Raises `KeyException` for a low-order key, to which nothing can be
    /// encrypted secretly.
    #[classmethod]
    fn from_key(_cls: &Bound<'_, PyType>, key: &Curve25519PublicKey) -> PyResult<Self> {
        let inner = olm::pk::PkEncryption::from_key(key.inner).map_err(to_py::<KeyException>)?;
        Ok(Self { inner })
    }

    fn encrypt(&self, py: Python<'_>, message: &[u8]) -> Message {
        let encrypted = self.inner.encrypt(message);
        Message {
            ciphertext: PyBytes::new(py, encrypted.ciphertext()).unbind(),
            mac: PyBytes::new(py, encrypted.mac()).unbind(),
            ephemeral_key: PyBytes::new(py, encrypted.ephemeral_key().as_bytes()).unbind(),
        }
    }
}
