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


def scenario_outcomes(mod):
    """The outcomes of one script of failing calls, run in one package."""
    results = []
    alice, bob = mod.Account(), mod.Account()
    bob.generate_one_time_keys(1)
    (otk,) = bob.one_time_keys.values()
    session = alice.create_outbound_session(bob.curve25519_key, otk)
    t, body = session.encrypt(b"first").to_parts()
    pre_key = mod.AnyOlmMessage.from_parts(t, body).to_pre_key()
    results.append(outcome(bob.create_inbound_session, mod.Account().curve25519_key, pre_key))
    tampered = mod.AnyOlmMessage.pre_key(body[:-1] + bytes([body[-1] ^ 1])).to_pre_key()
    results.append(outcome(bob.create_inbound_session, alice.curve25519_key, tampered))
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, pre_key)
    results.append(outcome(bob.create_inbound_session, alice.curve25519_key, pre_key))
    reply = bob_session.encrypt(b"reply")
    t, body = reply.to_parts()
    results.append(outcome(session.decrypt, mod.AnyOlmMessage.from_parts(t, body[:-1] + bytes([body[-1] ^ 1]))))
    results.append(outcome(session.decrypt, reply))
    results.append(outcome(session.decrypt, reply))
    other = mod.Account()
    bob.generate_one_time_keys(1)
    (otk,) = bob.one_time_keys.values()
    stranger = other.create_outbound_session(bob.curve25519_key, otk)
    results.append(outcome(stranger.decrypt, bob_session.encrypt(b"x")))

    outbound = mod.GroupSession()
    early = outbound.encrypt(b"early")
    inbound = mod.InboundGroupSession(outbound.session_key)
    results.append(outcome(inbound.decrypt, early))
    raw = outbound.encrypt(b"x").to_bytes()
    results.append(outcome(inbound.decrypt, mod.MegolmMessage.from_bytes(raw[:10] + bytes([raw[10] ^ 1]) + raw[11:])))
    results.append(outcome(inbound.decrypt, mod.GroupSession().encrypt(b"x")))
    results.append(outcome(inbound.export_at, 0))

    sas, other_sas = mod.Sas(), mod.Sas()
    key = other_sas.public_key
    established = sas.diffie_hellman(key)
    results.append(outcome(sas.diffie_hellman, key))
    mac = established.calculate_mac("in", "info")
    results.append(outcome(established.verify_mac, "in", "other", mac))
    results.append(outcome(established.verify_mac, "in", "info", "!!"))

    decryption = mod.PkDecryption()
    message = mod.PkEncryption.from_key(decryption.public_key).encrypt(b"backup")
    c, m, e = message.ciphertext, message.mac, message.ephemeral_key
    for parts in [(c, m, e[:31]), (c, bytes([m[0] ^ 1]) + m[1:], e), (c[:-1], m, e), (c, b"", e)]:
        results.append(outcome(decryption.decrypt, mod.Message(*parts)))
    results.append(outcome(mod.PkDecryption().decrypt, message))

    pickle = alice.pickle(bytes(32))
    results.append(outcome(mod.Account.from_pickle, pickle, bytes([1]) * 32))
    results.append(outcome(mod.Session.from_pickle, pickle, bytes(32)))
    results.append(outcome(mod.Account.from_libolm_pickle, pickle, b"key"))
    results.append(outcome(alice.pickle, b"short"))
    return results


def test_same_exceptions_in_the_same_situations(vz, real):
    ours, theirs = scenario_outcomes(vz), scenario_outcomes(real)
    assert ours == theirs
    # The first decryption of the reply, and export_at(0) on a session known
    # from index 1 (which gives None).
    assert ours.count("ok") == 2


def test_truncated_pk_mac_is_refused_here_only(vz, real):
    """A documented difference: vodozemac's package accepts a PK message
    whose MAC is a prefix of the right one (down to one byte), we require
    all 8 bytes."""
    outcomes = []
    for mod in (vz, real):
        decryption = mod.PkDecryption()
        message = mod.PkEncryption.from_key(decryption.public_key).encrypt(b"backup")
        for length in (4, 1):
            short = mod.Message(message.ciphertext, message.mac[:length], message.ephemeral_key)
            outcomes.append(outcome(decryption.decrypt, short))
    assert outcomes == ["PkDecodeException", "PkDecodeException", "ok", "ok"]
