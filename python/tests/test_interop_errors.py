"""The same bad input gives the same exception class in both packages (or
succeeds in both): vodozemac's package runs in another process (see
conftest.py), and each case is called on both."""

import json

import pytest

from conftest import REPO, RemoteError

KEY = bytes(32)

CASES = [
    ("Curve25519PublicKey", "from_bytes", [b"\x01" * 31]),
    ("Curve25519PublicKey", "from_bytes", [b"\x01" * 33]),
    ("Curve25519PublicKey", "from_base64", ["AAAA"]),
    ("Curve25519PublicKey", "from_base64", ["!!"]),
    ("Curve25519SecretKey", "from_bytes", [b""]),
    ("Curve25519SecretKey", "from_base64", ["!!"]),
    ("Curve25519SecretKey", "from_base64", ["AAAA"]),
    ("Ed25519PublicKey", "from_base64", ["AAAA"]),
    ("Ed25519PublicKey", "from_base64", ["!!"]),
    ("Ed25519Signature", "from_base64", ["AAAA"]),
    ("Ed25519Signature", "from_base64", ["!!"]),
    ("AnyOlmMessage", "pre_key", [b""]),
    ("AnyOlmMessage", "pre_key", [b"\x03"]),
    ("AnyOlmMessage", "pre_key", [b"\x03\x0a\x20" + b"\x01" * 32]),
    ("AnyOlmMessage", "normal", [b""]),
    ("AnyOlmMessage", "normal", [b"\x03" + b"\x00" * 40]),
    ("AnyOlmMessage", "from_parts", [2, b"\x03"]),
    ("AnyOlmMessage", "from_parts", [1, b"junk"]),
    ("PreKeyMessage", "from_base64", ["AAAA"]),
    ("PreKeyMessage", "from_base64", ["!!"]),
    ("MegolmMessage", "from_bytes", [b""]),
    ("MegolmMessage", "from_bytes", [b"\x03" + b"\x00" * 100]),
    ("MegolmMessage", "from_base64", ["!!"]),
    ("MegolmMessage", "from_base64", ["AAAA"]),
    ("SessionKey", None, ["AAAA"]),
    ("SessionKey", None, ["!!"]),
    ("ExportedSessionKey", None, ["AAAA"]),
    ("ExportedSessionKey", None, ["!!"]),
    ("Message", "from_base64", ["!!", "AA", "AA"]),
    ("Message", "from_base64", ["AA", "!!", "AA"]),
    ("Account", "from_pickle", ["garbage", KEY]),
    ("Account", "from_pickle", ["AAAA", b"short"]),
    ("Account", "from_libolm_pickle", ["AAAA", b"key"]),
    ("Account", "from_libolm_pickle", ["garbage!", b"key"]),
    ("Session", "from_pickle", ["AAAA", KEY]),
    ("Session", "from_libolm_pickle", ["AAAA", b""]),
    ("GroupSession", "from_pickle", ["AAAA", KEY]),
    ("InboundGroupSession", "from_pickle", ["AAAA", KEY]),
    ("InboundGroupSession", "from_libolm_pickle", ["AAAA", b""]),
]


def outcome(call, *args):
    try:
        call(*args)
        return "ok"
    except RemoteError as error:
        return error.name
    except Exception as error:  # noqa: BLE001 - the class is the outcome
        return type(error).__name__


def target(module, cls, method):
    obj = getattr(module, cls)
    return obj if method is None else getattr(obj, method)


@pytest.mark.parametrize("cls, method, args", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_same_exception_class(vz, real, cls, method, args):
    ours = outcome(target(vz, cls, method), *args)
    theirs = outcome(target(real, cls, method), *args)
    assert ours == theirs
    assert ours == "ok" or issubclass(getattr(vz, ours), ValueError)


# libolm's pickles of these with trailing bytes are refused here only
# (README.md, "Differences").
TRAILING = {"account-error-extra-data", "session-error-extra-data", "inbound-group-session-error-extra-data"}


def libolm_error_vectors():
    vectors = json.loads((REPO / "test-vectors" / "libolm_libolm_pickle.json").read_text())["vectors"]
    names = {"account": "Account", "session": "Session", "inbound_group_session": "InboundGroupSession"}
    return [
        pytest.param(names[v["object"]], v, id=v["name"])
        for v in vectors
        if "error" in v and v["object"] in names and v["name"] not in TRAILING
    ]


@pytest.mark.parametrize("cls, vector", libolm_error_vectors())
def test_same_exception_for_damaged_libolm_pickles(vz, real, cls, vector):
    key = bytes.fromhex(vector["pickle_key"])
    ours = outcome(getattr(vz, cls).from_libolm_pickle, vector["pickle"], key)
    theirs = outcome(getattr(real, cls).from_libolm_pickle, vector["pickle"], key)
    assert ours == theirs == "LibolmPickleException"


@pytest.mark.parametrize("name", sorted(TRAILING))
def test_trailing_bytes_in_libolm_pickles_are_refused_here_only(vz, real, name):
    """A documented difference: vodozemac's package ignores trailing bytes."""
    vectors = json.loads((REPO / "test-vectors" / "libolm_libolm_pickle.json").read_text())["vectors"]
    vector = next(v for v in vectors if v["name"] == name)
    cls = {"account": "Account", "session": "Session", "inbound_group_session": "InboundGroupSession"}[
        vector["object"]
    ]
    key = bytes.fromhex(vector["pickle_key"])
    assert outcome(getattr(vz, cls).from_libolm_pickle, vector["pickle"], key) == "LibolmPickleException"
    assert outcome(getattr(real, cls).from_libolm_pickle, vector["pickle"], key) == "ok"


def test_low_order_keys(vz, real):
    """Both refuse a low-order Curve25519 key for an outbound session and for
    SAS; only we refuse it for PK encryption (a documented difference)."""
    zero = bytes(32)
    ours = outcome(
        vz.Account().create_outbound_session,
        vz.Curve25519PublicKey.from_bytes(zero),
        vz.Curve25519PublicKey.from_bytes(zero),
    )
    theirs = outcome(
        real.Account().create_outbound_session,
        real.Curve25519PublicKey.from_bytes(zero),
        real.Curve25519PublicKey.from_bytes(zero),
    )
    assert ours == theirs == "SessionCreationException"
    ours = outcome(vz.PkEncryption.from_key, vz.Curve25519PublicKey.from_bytes(zero))
    theirs = outcome(real.PkEncryption.from_key, real.Curve25519PublicKey.from_bytes(zero))
    assert (ours, theirs) == ("KeyException", "ok")
    # Both refuse it for SAS.
    assert outcome(vz.Sas().diffie_hellman, vz.Curve25519PublicKey.from_bytes(zero)) == "KeyException"
    assert outcome(real.Sas().diffie_hellman, real.Curve25519PublicKey.from_bytes(zero)) == "KeyException"
