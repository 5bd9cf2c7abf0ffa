"""Damaged and random input to every parser and every decryption: each
either succeeds or raises its documented exception, never anything else
(a Rust panic would surface as pyo3's PanicException, a BaseException)."""

import base64
import random

import pytest

ROUNDS = 300


def b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def mutations(rng, data):
    """Truncations, extensions, bit flips and random bytes of `data`."""
    yield b""
    yield data[:-1]
    yield data + b"\x00"
    for _ in range(ROUNDS):
        choice = rng.randrange(4)
        if choice == 0 and data:
            cut = rng.randrange(len(data))
            yield data[:cut]
        elif choice == 1 and data:
            flipped = bytearray(data)
            flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            yield bytes(flipped)
        elif choice == 2:
            yield data + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        else:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))


def only(expected, call, *args):
    """Calls; returns the result or None if `expected` was raised."""
    try:
        return call(*args)
    except expected:
        return None
    except BaseException as error:  # noqa: BLE001 - anything else fails the test
        pytest.fail(f"{call.__qualname__} raised {type(error).__name__}: {error}")


def test_olm_messages(vz):
    rng = random.Random(1)
    alice, bob = vz.Account(), vz.Account()
    bob.generate_one_time_keys(1)
    (otk,) = bob.one_time_keys.values()
    session = alice.create_outbound_session(bob.curve25519_key, otk)
    _, pre_key = session.encrypt(b"first").to_parts()
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, vz.AnyOlmMessage.pre_key(pre_key).to_pre_key())
    _, normal = bob_session.encrypt(b"reply").to_parts()
    for data in mutations(rng, pre_key):
        message = only(vz.DecodeException, vz.AnyOlmMessage.pre_key, data)
        only(vz.DecodeException, vz.PreKeyMessage.from_base64, b64(data))
        if message is not None:
            only(vz.SessionCreationException, bob.create_inbound_session, alice.curve25519_key, message.to_pre_key())
    for data in mutations(rng, normal):
        message = only(vz.DecodeException, vz.AnyOlmMessage.normal, data)
        only(vz.DecodeException, vz.AnyOlmMessage.from_parts, rng.randrange(3), data)
        if message is not None:
            only(vz.OlmDecryptionException, session.decrypt, message)
    # The genuine message still decrypts: failures changed nothing.
    assert session.decrypt(vz.AnyOlmMessage.normal(normal)) == b"reply"


def test_megolm_messages_and_keys(vz):
    rng = random.Random(2)
    outbound = vz.GroupSession()
    inbound = vz.InboundGroupSession(outbound.session_key)
    message = outbound.encrypt(b"room").to_bytes()
    for data in mutations(rng, message):
        parsed = only(vz.DecodeException, vz.MegolmMessage.from_bytes, data)
        only(vz.DecodeException, vz.MegolmMessage.from_base64, b64(data))
        if parsed is not None:
            only(vz.MegolmDecryptionException, inbound.decrypt, parsed)
    key = base64.b64decode(outbound.session_key.to_base64() + "==")
    exported = base64.b64decode(inbound.export_at(0).to_base64() + "==")
    for data in mutations(rng, key):
        only(vz.SessionKeyDecodeException, vz.SessionKey, b64(data))
    for data in mutations(rng, exported):
        only(vz.SessionKeyDecodeException, vz.ExportedSessionKey, b64(data))
    assert inbound.decrypt(vz.MegolmMessage.from_bytes(message)).plaintext == b"room"


def test_keys_and_signatures(vz):
    rng = random.Random(3)
    account = vz.Account()
    signature = base64.b64decode(account.sign(b"m").to_base64() + "==")
    for data in mutations(rng, account.curve25519_key.to_bytes()):
        only(vz.KeyException, vz.Curve25519PublicKey.from_bytes, data)
        only(vz.KeyException, vz.Curve25519PublicKey.from_base64, b64(data))
        only(vz.KeyException, vz.Curve25519SecretKey.from_bytes, data)
        only(vz.KeyException, vz.Ed25519PublicKey.from_base64, b64(data))
    for data in mutations(rng, signature):
        parsed = only(vz.SignatureException, vz.Ed25519Signature.from_base64, b64(data))
        if parsed is not None and data != signature:
            with pytest.raises(vz.SignatureException):
                account.ed25519_key.verify_signature(b"m", parsed)


def test_sas_macs(vz):
    rng = random.Random(4)
    alice, bob = vz.Sas(), vz.Sas()
    bob_key = bob.public_key
    alice = alice.diffie_hellman(bob_key)
    mac = base64.b64decode(alice.calculate_mac("in", "info") + "==")
    for data in mutations(rng, mac):
        if data != mac:
            with pytest.raises(vz.SasException):
                alice.verify_mac("in", "info", b64(data))


def test_pk_messages(vz):
    """The backup scheme authenticates nothing but its fixed MAC: a changed
    MAC always fails, while a changed ciphertext whose padding happens to be
    valid, or an ephemeral key that X25519 reads the same (the top bit is
    ignored), may decrypt."""
    rng = random.Random(5)
    decryption = vz.PkDecryption()
    message = vz.PkEncryption.from_key(decryption.public_key).encrypt(b"backup")
    parts = [message.ciphertext, message.mac, message.ephemeral_key]
    errors = (vz.PkDecodeException, vz.PkInvalidKeySizeException)
    for index in range(3):
        for data in mutations(rng, parts[index]):
            changed = list(parts)
            changed[index] = data
            if changed == parts:
                continue
            if index == 1:
                with pytest.raises(errors):
                    decryption.decrypt(vz.Message(*changed))
            else:
                result = only(errors, decryption.decrypt, vz.Message(*changed))
                assert result is None or isinstance(result, bytes)
    assert decryption.decrypt(message) == b"backup"


@pytest.mark.parametrize("name", ["Account", "Session", "GroupSession", "InboundGroupSession"])
def test_pickles(vz, name):
    rng = random.Random(6)
    alice, bob = vz.Account(), vz.Account()
    bob.generate_one_time_keys(1)
    (otk,) = bob.one_time_keys.values()
    outbound = vz.GroupSession()
    obj = {
        "Account": bob,
        "Session": alice.create_outbound_session(bob.curve25519_key, otk),
        "GroupSession": outbound,
        "InboundGroupSession": vz.InboundGroupSession(outbound.session_key),
    }[name]
    cls = getattr(vz, name)
    key = bytes(range(32))
    pickle = base64.b64decode(obj.pickle(key) + "==")
    libolm = base64.b64decode(obj.to_libolm_pickle(b"k") + "==")
    for data in mutations(rng, pickle):
        if data != pickle:
            with pytest.raises(vz.PickleException):
                cls.from_pickle(b64(data), key)
    for data in mutations(rng, libolm):
        if data != libolm:
            with pytest.raises(vz.LibolmPickleException):
                cls.from_libolm_pickle(b64(data), b"k")
