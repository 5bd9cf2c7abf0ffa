//! Olm messages: vodozemac's `AnyOlmMessage` (either kind, as the type and
//! raw bytes of Matrix's `m.olm.v1` content) and `PreKeyMessage`.

use olm::olm::{Message as NormalMessage, OlmMessage};
use pyo3::{
    prelude::*,
    types::{PyBytes, PyType},
};

use crate::errors::{DecodeException, to_py};

/// An Olm message of either kind.
#[pyclass(module = "vodozemac", frozen)]
pub struct AnyOlmMessage {
    pub(crate) inner: OlmMessage,
}

#[pymethods]
impl AnyOlmMessage {
    /// A pre-key message from its raw (not base64) bytes.
    #[classmethod]
    fn pre_key(_cls: &Bound<'_, PyType>, message: &[u8]) -> PyResult<Self> {
        let message = olm::olm::PreKeyMessage::from_bytes(message).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner: message.into() })
    }

    /// A normal message from its raw (not base64) bytes.
    #[classmethod]
    fn normal(_cls: &Bound<'_, PyType>, message: &[u8]) -> PyResult<Self> {
        let message = NormalMessage::from_bytes(message).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner: message.into() })
    }

    /// A message from its type (0: pre-key, 1: normal) and raw bytes.
    #[classmethod]
    fn from_parts(_cls: &Bound<'_, PyType>, message_type: usize, ciphertext: &[u8]) -> PyResult<Self> {
        let inner = OlmMessage::from_parts(message_type, ciphertext).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner })
    }

    fn to_pre_key(&self) -> Option<PreKeyMessage> {
        match &self.inner {
            OlmMessage::PreKey(message) => Some(PreKeyMessage { inner: message.clone() }),
            OlmMessage::Normal(_) => None,
        }
    }

    /// The type (0: pre-key, 1: normal) and the raw bytes.
    fn to_parts<'py>(&self, py: Python<'py>) -> (usize, Bound<'py, PyBytes>) {
        let message_type = usize::from(self.inner.message_type());
        (message_type, PyBytes::new(py, self.inner.as_bytes()))
    }
}

/// A pre-key message: the first messages of an outbound Olm session.
#[pyclass(module = "vodozemac", frozen)]
pub struct PreKeyMessage {
    pub(crate) inner: olm::olm::PreKeyMessage,
}

#[pymethods]
impl PreKeyMessage {
    #[classmethod]
    fn from_base64(_cls: &Bound<'_, PyType>, message: &str) -> PyResult<Self> {
        let inner = olm::olm::PreKeyMessage::from_base64(message).map_err(to_py::<DecodeException>)?;
        Ok(Self { inner })
    }

    fn to_any(&self) -> AnyOlmMessage {
        AnyOlmMessage {
            inner: self.inner.clone().into(),
        }
    }

    /// The id of the session the message opens.
    fn session_id(&self) -> String {
        self.inner.session_id()
    }
}
