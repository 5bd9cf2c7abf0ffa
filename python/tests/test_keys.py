"""Ed25519 and Curve25519 keys and signatures."""

import base64

import pytest


def test_curve25519_public_key_round_trips(vz):
    key = vz.Curve25519SecretKey().public_key()
    assert len(key.to_bytes()) == 32
    assert vz.Curve25519PublicKey.from_bytes(key.to_bytes()) == key
    assert vz.Curve25519PublicKey.from_base64(key.to_base64()) == key
    assert key.to_base64() == base64.b64encode(key.to_bytes()).decode().rstrip("=")


def test_curve25519_public_key_reads_padded_base64(vz):
    key = vz.Curve25519SecretKey().public_key()
    assert vz.Curve25519PublicKey.from_base64(key.to_base64() + "=") == key


def test_public_keys_compare_by_value_and_are_unhashable(vz):
    one, two = vz.Account(), vz.Account()
    assert one.curve25519_key == vz.Curve25519PublicKey.from_bytes(one.curve25519_key.to_bytes())
    assert one.curve25519_key != two.curve25519_key
    assert one.ed25519_key == vz.Ed25519PublicKey.from_base64(one.ed25519_key.to_base64())
    assert one.ed25519_key != two.ed25519_key
    assert (one.curve25519_key == "not a key") is False
    with pytest.raises(TypeError):
        hash(one.curve25519_key)
    with pytest.raises(TypeError):
        hash(one.ed25519_key)


def test_curve25519_secret_key_round_trips(vz):
    secret = vz.Curve25519SecretKey()
    assert len(secret.to_bytes()) == 32
    again = vz.Curve25519SecretKey.from_bytes(secret.to_bytes())
    assert again.public_key() == secret.public_key()
    again = vz.Curve25519SecretKey.from_base64(secret.to_base64())
    assert again.to_bytes() == secret.to_bytes()
    assert vz.Curve25519SecretKey().to_bytes() != secret.to_bytes()


def test_signatures_verify_and_round_trip(vz):
    account = vz.Account()
    signature = account.sign(b"message")
    account.ed25519_key.verify_signature(b"message", signature)
    again = vz.Ed25519Signature.from_base64(signature.to_base64())
    assert again.to_base64() == signature.to_base64()
    account.ed25519_key.verify_signature(b"message", again)


@pytest.mark.parametrize(
    "call",
    [
        lambda vz: vz.Curve25519PublicKey.from_bytes(b"\x01" * 31),
        lambda vz: vz.Curve25519PublicKey.from_bytes(b"\x01" * 33),
        lambda vz: vz.Curve25519PublicKey.from_base64("AAAA"),
        lambda vz: vz.Curve25519PublicKey.from_base64("not base64!"),
        lambda vz: vz.Curve25519SecretKey.from_bytes(b""),
        lambda vz: vz.Curve25519SecretKey.from_bytes(b"\x01" * 64),
        lambda vz: vz.Curve25519SecretKey.from_base64("AAAA"),
        lambda vz: vz.Curve25519SecretKey.from_base64("***"),
        lambda vz: vz.Ed25519PublicKey.from_base64("AAAA"),
        lambda vz: vz.Ed25519PublicKey.from_base64("***"),
        # Not a canonical point encoding (y = p).
        lambda vz: vz.Ed25519PublicKey.from_base64(base64.b64encode(bytes([0xED] + [0xFF] * 30 + [0x7F])).decode()),
    ],
)
def test_bad_keys_raise_key_exception(vz, call):
    with pytest.raises(vz.KeyException):
        call(vz)


@pytest.mark.parametrize("text", ["AAAA", "***", "A" * 85, ""])
def test_bad_signatures_raise_signature_exception(vz, text):
    with pytest.raises(vz.SignatureException):
        vz.Ed25519Signature.from_base64(text)


def test_wrong_signature_raises_signature_exception(vz):
    account = vz.Account()
    signature = account.sign(b"message")
    with pytest.raises(vz.SignatureException):
        account.ed25519_key.verify_signature(b"other message", signature)
    with pytest.raises(vz.SignatureException):
        vz.Account().ed25519_key.verify_signature(b"message", signature)
    raw = bytearray(base64.b64decode(signature.to_base64() + "=="))
    raw[0] ^= 1
    tampered = vz.Ed25519Signature.from_base64(base64.b64encode(bytes(raw)).decode())
    with pytest.raises(vz.SignatureException):
        account.ed25519_key.verify_signature(b"message", tampered)


def test_str_is_refused_where_bytes_are_expected(vz):
    account = vz.Account()
    with pytest.raises(TypeError):
        account.sign("message")
    with pytest.raises(TypeError):
        account.ed25519_key.verify_signature("message", account.sign(b"message"))
