"""PkEncryption, PkDecryption and Message (the backup scheme)."""

import base64

import pytest


def test_round_trip(vz):
    decryption = vz.PkDecryption()
    encryption = vz.PkEncryption.from_key(decryption.public_key)
    message = encryption.encrypt(b"backup")
    assert isinstance(message, vz.Message)
    assert len(message.ephemeral_key) == 32 and len(message.mac) == 8
    assert len(message.ciphertext) % 16 == 0
    assert decryption.decrypt(message) == b"backup"


def test_key_round_trip(vz):
    decryption = vz.PkDecryption()
    key = decryption.key
    assert isinstance(key, vz.Curve25519SecretKey)
    again = vz.PkDecryption.from_key(key)
    assert again.public_key == decryption.public_key
    assert key.public_key() == decryption.public_key
    message = vz.PkEncryption.from_key(decryption.public_key).encrypt(b"x")
    assert again.decrypt(message) == b"x"


def test_message_base64_order_is_vodozemacs(vz):
    decryption = vz.PkDecryption()
    message = vz.PkEncryption.from_key(decryption.public_key).encrypt(b"x")
    ephemeral, mac, ciphertext = message.to_base64()
    unpadded = lambda b: base64.b64encode(b).decode().rstrip("=")  # noqa: E731
    assert (ephemeral, mac, ciphertext) == (
        unpadded(message.ephemeral_key),
        unpadded(message.mac),
        unpadded(message.ciphertext),
    )
    again = vz.Message.from_base64(ciphertext, mac, ephemeral)
    assert (again.ciphertext, again.mac, again.ephemeral_key) == (
        message.ciphertext,
        message.mac,
        message.ephemeral_key,
    )
    assert decryption.decrypt(again) == b"x"


def test_message_attributes_are_read_only(vz):
    message = vz.Message(b"c", b"m", b"e")
    assert (message.ciphertext, message.mac, message.ephemeral_key) == (b"c", b"m", b"e")
    with pytest.raises(AttributeError):
        message.mac = b""


def test_bad_base64_raises_pk_decode_exception(vz):
    for args in [("***", "AA", "AA"), ("AA", "***", "AA"), ("AA", "AA", "***")]:
        with pytest.raises(vz.PkDecodeException):
            vz.Message.from_base64(*args)


def test_wrong_ephemeral_key_size_raises(vz):
    decryption = vz.PkDecryption()
    message = vz.PkEncryption.from_key(decryption.public_key).encrypt(b"x")
    for key in [b"", b"\x01" * 31, b"\x01" * 33]:
        with pytest.raises(vz.PkInvalidKeySizeException):
            decryption.decrypt(vz.Message(message.ciphertext, message.mac, key))


def test_tampered_messages_raise_pk_decode_exception(vz):
    decryption = vz.PkDecryption()
    message = vz.PkEncryption.from_key(decryption.public_key).encrypt(b"secret")
    flip = lambda b: bytes([b[0] ^ 1]) + b[1:]  # noqa: E731
    bad = [
        vz.Message(message.ciphertext, flip(message.mac), message.ephemeral_key),
        vz.Message(message.ciphertext, message.mac[:7], message.ephemeral_key),
        vz.Message(message.ciphertext, message.mac + b"\x00", message.ephemeral_key),
        vz.Message(message.ciphertext[:-1], message.mac, message.ephemeral_key),
        vz.Message(message.ciphertext, message.mac, flip(message.ephemeral_key)),
        vz.Message(message.ciphertext, message.mac, bytes(32)),
    ]
    for tampered in bad:
        with pytest.raises(vz.PkDecodeException):
            decryption.decrypt(tampered)
    with pytest.raises(vz.PkDecodeException):
        vz.PkDecryption().decrypt(message)
    assert decryption.decrypt(message) == b"secret"


def test_low_order_key_refused_for_encryption(vz):
    with pytest.raises(vz.KeyException):
        vz.PkEncryption.from_key(vz.Curve25519PublicKey.from_bytes(bytes(32)))
