//! vodozemac's `Session`.

use pyo3::{
    prelude::*,
    types::{PyBytes, PyString, PyType},
};

use crate::{
    errors::{OlmDecryptionException, PickleException, libolm_pickle_error, to_py, vodozemac_key},
    messages::{AnyOlmMessage, PreKeyMessage},
};

/// An Olm session.
#[pyclass(module = "vodozemac")]
pub struct Session {
    pub(crate) inner: olm::olm::Session,
}

#[pymethods]
impl Session {
    /// Reads vodozemac's encrypted pickle (a 32-byte key).
    #[classmethod]
    fn from_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let key = vodozemac_key(pickle_key)?;
        let inner = olm::olm::Session::from_vodozemac_pickle(pickle, key).map_err(to_py::<PickleException>)?;
        Ok(Self { inner })
    }

    /// Reads libolm's pickle (a key of any length).
    #[classmethod]
    fn from_libolm_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::olm::Session::from_libolm_pickle(pickle, pickle_key).map_err(libolm_pickle_error)?;
        Ok(Self { inner })
    }

    /// vodozemac's encrypted pickle (a 32-byte key).
    fn pickle(&self, pickle_key: &[u8]) -> PyResult<String> {
        Ok(self.inner.to_vodozemac_pickle(vodozemac_key(pickle_key)?))
    }

    /// Extra: libolm's pickle (a key of any length).
    fn to_libolm_pickle<'py>(&self, py: Python<'py>, pickle_key: &[u8]) -> PyResult<Bound<'py, PyString>> {
        let pickle = self.inner.to_libolm_pickle(pickle_key).map_err(libolm_pickle_error)?;
        Ok(PyString::new(py, &pickle))
    }

    #[getter]
    fn session_id(&self) -> String {
        self.inner.session_id()
    }

    /// Whether the pre-key message belongs to this session.
    fn session_matches(&self, message: &PreKeyMessage) -> bool {
        self.inner.matches_inbound_session(&message.inner)
    }

    fn encrypt(&mut self, plaintext: &[u8]) -> AnyOlmMessage {
        AnyOlmMessage {
            inner: self.inner.encrypt(plaintext),
        }
    }

    /// The plaintext; on failure the session is unchanged.
    fn decrypt<'py>(&mut self, py: Python<'py>, message: &AnyOlmMessage) -> PyResult<Bound<'py, PyBytes>> {
        let plaintext = self
            .inner
            .decrypt(&message.inner)
            .map_err(to_py::<OlmDecryptionException>)?;
        let plaintext = zeroize::Zeroizing::new(plaintext);
        Ok(PyBytes::new(py, &plaintext))
    }
}
