"""A drop-in for the ``vodozemac`` Python package, built on the pure-Rust
``olm`` crate: the same classes, methods, exceptions and pickle formats.
"""

from .vodozemac import *  # noqa: F401,F403

__all__ = [
    "Account",
    "Session",
    "AnyOlmMessage",
    "PreKeyMessage",
    "Sas",
    "EstablishedSas",
    "GroupSession",
    "InboundGroupSession",
    "SessionKey",
    "ExportedSessionKey",
    "MegolmMessage",
    "Ed25519PublicKey",
    "Ed25519Signature",
    "Curve25519PublicKey",
    "Curve25519SecretKey",
    "PkDecryption",
    "PkEncryption",
    "Message",
    "KeyException",
    "SignatureException",
    "DecodeException",
    "LibolmPickleException",
    "SessionKeyDecodeException",
    "PickleException",
    "SessionCreationException",
    "SasException",
    "OlmEncryptionException",
    "OlmDecryptionException",
    "MegolmDecryptionException",
    "PkInvalidKeySizeException",
    "PkDecodeException",
]
