//! The thirteen exception classes of vodozemac's package, all `ValueError`
//! subclasses, and the one place where the core crate's errors become them.

use pyo3::{PyErr, create_exception, exceptions::PyValueError};

create_exception!(
    vodozemac,
    KeyException,
    PyValueError,
    "A key could not be decoded or used."
);
create_exception!(
    vodozemac,
    SignatureException,
    PyValueError,
    "A signature could not be decoded or did not verify."
);
create_exception!(
    vodozemac,
    DecodeException,
    PyValueError,
    "A message could not be decoded."
);
create_exception!(
    vodozemac,
    LibolmPickleException,
    PyValueError,
    "A libolm pickle could not be read or written."
);
create_exception!(
    vodozemac,
    SessionKeyDecodeException,
    PyValueError,
    "A Megolm session key could not be decoded."
);
create_exception!(
    vodozemac,
    PickleException,
    PyValueError,
    "A pickle could not be read or written."
);
create_exception!(
    vodozemac,
    SessionCreationException,
    PyValueError,
    "An Olm session could not be created."
);
create_exception!(vodozemac, SasException, PyValueError, "A SAS step failed.");
create_exception!(
    vodozemac,
    OlmEncryptionException,
    PyValueError,
    "An Olm message could not be encrypted."
);
create_exception!(
    vodozemac,
    OlmDecryptionException,
    PyValueError,
    "An Olm message could not be decrypted."
);
create_exception!(
    vodozemac,
    MegolmDecryptionException,
    PyValueError,
    "A Megolm message could not be decrypted."
);
create_exception!(
    vodozemac,
    PkInvalidKeySizeException,
    PyValueError,
    "A PK message's ephemeral key has the wrong size."
);
create_exception!(
    vodozemac,
    PkDecodeException,
    PyValueError,
    "A PK message could not be decoded or decrypted."
);

/// The error as exception `E`, with the core crate's message (which names
/// no secret).
pub(crate) fn to_py<E: pyo3::type_object::PyTypeInfo>(error: impl core::fmt::Display) -> PyErr {
    PyErr::new::<E, _>(error.to_string())
}

/// vodozemac's encrypted pickles take a key of exactly 32 bytes; any other
/// length is a `PickleException`, as there.
pub(crate) fn vodozemac_key(key: &[u8]) -> Result<&[u8; 32], PyErr> {
    key.try_into()
        .map_err(|_| PickleException::new_err(format!("the pickle key must be 32 bytes long, got {}", key.len())))
}

/// A libolm pickle that could not be read or written, as
/// `LibolmPickleException`. A pickle of a version that cannot be read says
/// "unsupported version", as vodozemac's package does: matrix-nio looks for
/// those words to decide whether to upgrade the pickle with python-olm.
pub(crate) fn libolm_pickle_error(error: olm::PickleError) -> PyErr {
    match error {
        olm::PickleError::Version(_) | olm::PickleError::LegacyAccount => {
            LibolmPickleException::new_err(format!("unsupported version: {error}"))
        }
        _ => to_py::<LibolmPickleException>(error),
    }
}
