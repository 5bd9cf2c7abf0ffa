//! Megolm: vodozemac's `GroupSession`, `InboundGroupSession` and the keys
//! and messages they exchange.

use olm::megolm::SessionConfig;
use pyo3::{
    prelude::*,
    types::{PyBytes, PyList, PyString, PyType},
};

use crate::{
    errors::{
        DecodeException, MegolmDecryptionException, PickleException, SessionKeyDecodeException, libolm_pickle_error,
        to_py, vodozemac_key,
    },
    keys::Ed25519Signature,
};

/// A Megolm session key, as an outbound session shares it.
#[pyclass(module = "vodozemac", frozen)]
pub struct SessionKey {
    inner: olm::megolm::SessionKey,
}

#[pymethods]
impl SessionKey {
    #[new]
    fn new(session_key: &str) -> PyResult<Self> {
        let inner = olm::megolm::SessionKey::from_base64(session_key).map_err(to_py::<SessionKeyDecodeException>)?;
        Ok(Self { inner })
    }

    fn to_base64<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.inner.to_base64())
    }
}

/// A Megolm session key exported from an inbound session.
#[pyclass(module = "vodozemac", frozen)]
pub struct ExportedSessionKey {
    inner: olm::megolm::ExportedSessionKey,
}

#[pymethods]
impl ExportedSessionKey {
    #[new]
    fn new(session_key: &str) -> PyResult<Self> {
        let inner =
            olm::megolm::ExportedSessionKey::from_base64(session_key).map_err(to_py::<SessionKeyDecodeException>)?;
        Ok(Self { inner })
    }

    fn to_base64<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &self.inner.to_base64())
    }
}

/// A Megolm message.
#[pyclass(module = "vodozemac", frozen)]
pub struct MegolmMessage {
    inner: olm::megolm::MegolmMessage,
}

#[pymethods]
impl MegolmMessage {
    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, message: &str) -> PyResult<Self> {
        let inner = olm::megolm::MegolmMessage::from_base64(message).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner })
    }

    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, message: &[u8]) -> PyResult<Self> {
        let inner = olm::megolm::MegolmMessage::from_bytes(message).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner })
    }

    fn to_base64(&self) -> String {
        self.inner.to_base64()
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.as_bytes())
    }

    fn message_index(&self) -> u32 {
        self.inner.message_index()
    }

    fn signature(&self) -> Ed25519Signature {
        Ed25519Signature {
            inner: self.inner.signature(),
        }
    }
}

/// An outbound Megolm session.
#[pyclass(module = "vodozemac")]
pub struct GroupSession {
    inner: olm::megolm::GroupSession,
}

#[pymethods]
impl GroupSession {
    #[new]
    fn new() -> Self {
        Self {
            inner: olm::megolm::GroupSession::new(SessionConfig::version_1()),
        }
    }

    /// Reads vodozemac's encrypted pickle (a 32-byte key).
    #[classmethod]
    fn from_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::megolm::GroupSession::from_vodozemac_pickle(pickle, vodozemac_key(pickle_key)?)
            .map_err(to_py::<PickleException>)?;
        Ok(Self { inner })
    }

    /// Extra: reads libolm's pickle (a key of any length).
    #[classmethod]
    fn from_libolm_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::megolm::GroupSession::from_libolm_pickle(pickle, pickle_key).map_err(libolm_pickle_error)?;
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

    #[getter]
    fn message_index(&self) -> u32 {
        self.inner.message_index()
    }

    /// The key at the current index, to share with the room.
    #[getter]
    fn session_key(&self) -> SessionKey {
        SessionKey {
            inner: self.inner.session_key(),
        }
    }

    fn encrypt(&mut self, plaintext: &[u8]) -> MegolmMessage {
        MegolmMessage {
            inner: self.inner.encrypt(plaintext),
        }
    }
}

/// A decrypted Megolm message: its plaintext and index.
#[pyclass(module = "vodozemac", frozen, get_all)]
pub struct DecryptedMessage {
    plaintext: Py<PyBytes>,
    message_index: u32,
}

impl DecryptedMessage {
    fn new(py: Python<'_>, message: olm::megolm::DecryptedMessage) -> Self {
        let plaintext = zeroize::Zeroizing::new(message.plaintext);
        Self {
            plaintext: PyBytes::new(py, &plaintext).unbind(),
            message_index: message.message_index,
        }
    }
}

/// An inbound Megolm session.
#[pyclass(module = "vodozemac")]
pub struct InboundGroupSession {
    inner: olm::megolm::InboundGroupSession,
}

#[pymethods]
impl InboundGroupSession {
    #[new]
    fn new(session_key: &SessionKey) -> Self {
        Self {
            inner: olm::megolm::InboundGroupSession::new(&session_key.inner, SessionConfig::version_1()),
        }
    }

    #[classmethod]
    fn import_session(_cls: &Bound<'_, PyType>, session_key: &ExportedSessionKey) -> Self {
        Self {
            inner: olm::megolm::InboundGroupSession::import(&session_key.inner, SessionConfig::version_1()),
        }
    }

    /// Reads vodozemac's encrypted pickle (a 32-byte key).
    #[classmethod]
    fn from_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner = olm::megolm::InboundGroupSession::from_vodozemac_pickle(pickle, vodozemac_key(pickle_key)?)
            .map_err(to_py::<PickleException>)?;
        Ok(Self { inner })
    }

    /// Reads libolm's pickle (a key of any length).
    #[classmethod]
    fn from_libolm_pickle(_cls: &Bound<'_, PyType>, pickle: &str, pickle_key: &[u8]) -> PyResult<Self> {
        let inner =
            olm::megolm::InboundGroupSession::from_libolm_pickle(pickle, pickle_key).map_err(libolm_pickle_error)?;
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

    #[getter]
    fn first_known_index(&self) -> u32 {
        self.inner.first_known_index()
    }

    /// The session exported at `index`, or None before the first known one.
    fn export_at(&self, index: u32) -> Option<ExportedSessionKey> {
        self.inner.export_at(index).map(|inner| ExportedSessionKey { inner })
    }

    fn decrypt(&mut self, py: Python<'_>, message: &MegolmMessage) -> PyResult<DecryptedMessage> {
        let decrypted = self
            .inner
            .decrypt(&message.inner)
            .map_err(to_py::<MegolmDecryptionException>)?;
        Ok(DecryptedMessage::new(py, decrypted))
    }

    /// Extra: decrypts many messages at once, sharing the ratchet's work;
    /// each item is a `DecryptedMessage` or the `MegolmDecryptionException`
    /// that decrypting that message alone would have raised.
    fn decrypt_batch<'py>(
        &mut self,
        py: Python<'py>,
        messages: Vec<PyRef<'py, MegolmMessage>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let messages: Vec<olm::megolm::MegolmMessage> = messages.iter().map(|m| m.inner.clone()).collect();
        let results = PyList::empty(py);
        for result in self.inner.decrypt_batch(&messages) {
            match result {
                Ok(decrypted) => results.append(DecryptedMessage::new(py, decrypted))?,
                Err(error) => results.append(to_py::<MegolmDecryptionException>(error).into_value(py))?,
            }
        }
        Ok(results)
    }
}
