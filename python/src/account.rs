//! vodozemac's `Account`.

use std::collections::HashMap;

use olm::olm::SessionConfig;
use pyo3::{
    prelude::*,
    types::{PyBytes, PyString, PyType},
};

use crate::{
    errors::{PickleException, SessionCreationException, libolm_pickle_error, to_py, vodozemac_key},
    keys::{Curve25519PublicKey, Ed25519PublicKey, Ed25519Signature},
    messages::PreKeyMessage,
    session::Session,
};

/// An Olm account. New accounts number their keys as vodozemac does (8-byte
/// ids from 0), so the ids published are those vodozemac would publish.
#[pyclass(module = "vodozemac")]
pub struct Account {
    inner: olm::olm::Account,
}

fn key_map(
    keys: impl IntoIterator<Item = (olm::KeyId, olm::Curve25519PublicKey)>,
) -> HashMap<String, Curve25519PublicKey> {
    keys.into_iter()
        .map(|(id, key)| (id.to_base64(), Curve25519PublicKey { inner: key }))
        .collect()
}

#[pymethods]
impl Account {
    #[new]
    fn new() -> Self {
        Self {
            inner: olm::olm::Account::new_with_wide_key_ids(),
        }
    }

    /// Reads vodozemac's encrypted pickle (a 32-byte key).
    #[classmethod]
    fn from_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let key = vodozemac_key(pickle_key)?;
        let inner = olm::olm::Account::from_vodozemac_pickle(pickle, key).map_err(to_py::<PickleException>)?;
        Ok(Self { inner })
    }

    /// Reads libolm's pickle (a key of any length).
    #[classmethod]
    fn from_libolm_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::olm::Account::from_libolm_pickle(pickle, pickle_key).map_err(libolm_pickle_error)?;
        Ok(Self { inner })
    }

    /// vodozemac's encrypted pickle (a 32-byte key).
    fn pickle(&self, pickle_key: &[u8]) -> PyResult<String> {
        Ok(self.inner.to_vodozemac_pickle(vodozemac_key(pickle_key)?))
    }

    /// Extra: libolm's pickle (a key of any length), which libolm and
    /// `from_libolm_pickle` read.
    fn to_libolm_pickle<'py>(&self, py: Python<'py>, pickle_key: &[u8]) -> PyResult<Bound<'py, PyString>> {
        let pickle = self.inner.to_libolm_pickle(pickle_key).map_err(libolm_pickle_error)?;
        Ok(PyString::new(py, &pickle))
    }

    #[getter]
    fn ed25519_key(&self) -> Ed25519PublicKey {
        Ed25519PublicKey {
            inner: self.inner.ed25519_key(),
        }
    }

    #[getter]
    fn curve25519_key(&self) -> Curve25519PublicKey {
        Curve25519PublicKey {
            inner: self.inner.curve25519_key(),
        }
    }

    /// The unpublished one-time keys by their base64 id.
    #[getter]
    fn one_time_keys(&self) -> HashMap<String, Curve25519PublicKey> {
        key_map(self.inner.one_time_keys())
    }

    #[getter]
    fn max_number_of_one_time_keys(&self) -> usize {
        self.inner.max_number_of_one_time_keys()
    }

    /// The unpublished fallback key, if any, by its base64 id.
    #[getter]
    fn fallback_key(&self) -> HashMap<String, Curve25519PublicKey> {
        key_map(self.inner.fallback_key())
    }

    fn sign(&self, message: &[u8]) -> Ed25519Signature {
        Ed25519Signature {
            inner: self.inner.sign(message),
        }
    }

    fn generate_one_time_keys(&mut self, count: usize) {
        self.inner.generate_one_time_keys(count);
    }

    fn generate_fallback_key(&mut self) {
        self.inner.generate_fallback_key();
    }

    fn mark_keys_as_published(&mut self) {
        self.inner.mark_keys_as_published();
    }

    /// Raises `SessionCreationException` for a low-order key, as
    /// vodozemac's package does.
    fn create_outbound_session(
        &self,
        identity_key: &Curve25519PublicKey,
        one_time_key: &Curve25519PublicKey,
    ) -> PyResult<Session> {
        let inner = self
            .inner
            .create_outbound_session(SessionConfig::version_1(), identity_key.inner, one_time_key.inner)
            .map_err(to_py::<SessionCreationException>)?;
        Ok(Session { inner })
    }

    /// The new session and the message's plaintext. On failure the account
    /// is unchanged (the one-time key is kept).
    fn create_inbound_session<'py>(
        &mut self,
        py: Python<'py>,
        identity_key: &Curve25519PublicKey,
        message: &PreKeyMessage,
    ) -> PyResult<(Session, Bound<'py, PyBytes>)> {
        let result = self
            .inner
            .create_inbound_session(identity_key.inner, &message.inner)
            .map_err(to_py::<SessionCreationException>)?;
        let plaintext = zeroize::Zeroizing::new(result.plaintext);
        Ok((Session { inner: result.session }, PyBytes::new(py, &plaintext)))
    }
}
