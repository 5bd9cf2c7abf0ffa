"""The package's surface is vodozemac 0.10.0's: every class, method,
property and exception, with the same names and kinds."""

import inspect

import pytest

# vodozemac 0.10.0's API, from its wheel (vodozemac/__init__.pyi and the
# extension itself): class -> (methods, properties, classmethods).
API = {
    "Account": (
        {"sign", "generate_one_time_keys", "generate_fallback_key", "mark_keys_as_published",
         "create_outbound_session", "create_inbound_session", "pickle"},
        {"ed25519_key", "curve25519_key", "one_time_keys", "max_number_of_one_time_keys", "fallback_key"},
        {"from_pickle", "from_libolm_pickle"},
    ),
    "Session": (
        {"pickle", "session_matches", "encrypt", "decrypt"},
        {"session_id"},
        {"from_pickle", "from_libolm_pickle"},
    ),
    "AnyOlmMessage": ({"to_pre_key", "to_parts"}, set(), {"pre_key", "normal", "from_parts"}),
    "PreKeyMessage": ({"to_any", "session_id"}, set(), {"from_base64"}),
    "GroupSession": ({"encrypt", "pickle"}, {"session_id", "message_index", "session_key"}, {"from_pickle"}),
    "InboundGroupSession": (
        {"export_at", "decrypt", "pickle"},
        {"session_id", "first_known_index"},
        {"import_session", "from_pickle", "from_libolm_pickle"},
    ),
    "SessionKey": ({"to_base64"}, set(), set()),
    "ExportedSessionKey": ({"to_base64"}, set(), set()),
    "MegolmMessage": ({"to_base64", "to_bytes", "message_index", "signature"}, set(), {"from_base64", "from_bytes"}),
    "Sas": ({"diffie_hellman"}, {"public_key"}, set()),
    "EstablishedSas": ({"bytes", "calculate_mac_invalid_base64", "calculate_mac", "verify_mac"}, set(), set()),
    "Ed25519PublicKey": ({"to_base64", "verify_signature"}, set(), {"from_base64"}),
    "Ed25519Signature": ({"to_base64"}, set(), {"from_base64"}),
    "Curve25519PublicKey": ({"to_base64", "to_bytes"}, set(), {"from_base64", "from_bytes"}),
    "Curve25519SecretKey": ({"to_base64", "to_bytes", "public_key"}, set(), {"from_base64", "from_bytes"}),
    "PkDecryption": ({"decrypt"}, {"public_key", "key"}, {"from_key"}),
    "PkEncryption": ({"encrypt"}, set(), {"from_key"}),
    "Message": ({"to_base64"}, {"ciphertext", "mac", "ephemeral_key"}, {"from_base64"}),
}

EXCEPTIONS = [
    "KeyException", "SignatureException", "DecodeException", "LibolmPickleException",
    "SessionKeyDecodeException", "PickleException", "SessionCreationException", "SasException",
    "OlmEncryptionException", "OlmDecryptionException", "MegolmDecryptionException",
    "PkInvalidKeySizeException", "PkDecodeException",
]

# What this package adds under the same classes (see README.md).
EXTRAS = {
    "Account": {"to_libolm_pickle"},
    "Session": {"to_libolm_pickle"},
    "GroupSession": {"to_libolm_pickle", "from_libolm_pickle"},
    "InboundGroupSession": {"to_libolm_pickle", "decrypt_batch"},
    "PkDecryption": {"to_libolm_pickle", "from_libolm_pickle"},
}


def test_all_lists_every_class_and_exception(vz):
    assert set(vz.__all__) == set(API) | set(EXCEPTIONS)
    for name in vz.__all__:
        assert hasattr(vz, name), name


@pytest.mark.parametrize("name", sorted(API))
def test_class_has_exactly_the_api(vz, name):
    methods, properties, classmethods = API[name]
    cls = getattr(vz, name)
    public = {n for n in vars(cls) if not n.startswith("_")}
    assert public == methods | properties | classmethods | EXTRAS.get(name, set())
    for method in methods:
        assert inspect.ismethoddescriptor(vars(cls)[method]), method
    for prop in properties:
        assert inspect.isdatadescriptor(vars(cls)[prop]), prop
    for classmethod in classmethods:
        assert inspect.ismethoddescriptor(vars(cls)[classmethod]), classmethod
        # Bound to the class, as a classmethod is.
        assert getattr(cls, classmethod).__self__ is cls, classmethod


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exceptions_are_value_errors(vz, name):
    exception = getattr(vz, name)
    assert issubclass(exception, ValueError)
    assert exception.__bases__ == (ValueError,)


def test_exceptions_are_distinct(vz):
    assert len({getattr(vz, name) for name in EXCEPTIONS}) == len(EXCEPTIONS)


@pytest.mark.parametrize("name", sorted(API))
def test_names_match_vodozemac(vz, real, name):
    """Against the real package: the same public names on every class."""
    ours = {n for n in dir(getattr(vz, name)) if not n.startswith("_")} - EXTRAS.get(name, set())
    assert ours == set(getattr(real, name)._dir())


def test_module_names_match_vodozemac(vz, real):
    theirs = set(real._dir())
    assert set(vz.__all__) <= theirs
    assert set(real._peer.request(op="get", cls="", attr="__all__")) == set(vz.__all__)


def test_stubs_and_marker_are_installed(vz):
    from pathlib import Path

    package = Path(vz.__file__).parent
    assert (package / "py.typed").exists()
    stubs = (package / "__init__.pyi").read_text()
    for name in list(API) + EXCEPTIONS:
        assert f"class {name}" in stubs, name
