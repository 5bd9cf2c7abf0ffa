"""Sas, EstablishedSas and SasBytes."""

import pytest


def established(vz):
    alice, bob = vz.Sas(), vz.Sas()
    alice_key, bob_key = alice.public_key, bob.public_key
    return alice.diffie_hellman(bob_key), bob.diffie_hellman(alice_key)


def test_both_sides_agree(vz):
    alice, bob = established(vz)
    assert isinstance(alice, vz.EstablishedSas)
    a, b = alice.bytes("info"), bob.bytes("info")
    assert a.emoji_indices == b.emoji_indices
    assert a.decimals == b.decimals
    assert isinstance(a.emoji_indices, bytes) and len(a.emoji_indices) == 7
    assert all(i < 64 for i in a.emoji_indices)
    assert all(1000 <= d <= 9191 for d in a.decimals)
    assert alice.bytes("other").decimals != a.decimals or alice.bytes("other").emoji_indices != a.emoji_indices


def test_macs(vz):
    alice, bob = established(vz)
    mac = alice.calculate_mac("ed25519:DEVICE", "info")
    assert mac == bob.calculate_mac("ed25519:DEVICE", "info")
    bob.verify_mac("ed25519:DEVICE", "info", mac)
    legacy = alice.calculate_mac_invalid_base64("ed25519:DEVICE", "info")
    assert legacy == bob.calculate_mac_invalid_base64("ed25519:DEVICE", "info")
    assert legacy != mac and len(legacy) == 43


@pytest.mark.parametrize("tag", ["***", "AAAA", ""])
def test_bad_mac_raises_sas_exception(vz, tag):
    alice, bob = established(vz)
    with pytest.raises(vz.SasException):
        bob.verify_mac("input", "info", tag)


def test_wrong_mac_raises_sas_exception(vz):
    alice, bob = established(vz)
    mac = alice.calculate_mac("input", "info")
    with pytest.raises(vz.SasException):
        bob.verify_mac("other input", "info", mac)
    with pytest.raises(vz.SasException):
        bob.verify_mac("input", "other info", mac)
    other, _ = established(vz)
    with pytest.raises(vz.SasException):
        other.verify_mac("input", "info", mac)


def test_sas_is_used_once(vz):
    sas = vz.Sas()
    key = sas.public_key
    sas.diffie_hellman(vz.Sas().public_key)
    with pytest.raises(vz.SasException):
        sas.diffie_hellman(vz.Sas().public_key)
    assert sas.public_key == key


def test_low_order_key_raises_key_exception(vz):
    with pytest.raises(vz.KeyException):
        vz.Sas().diffie_hellman(vz.Curve25519PublicKey.from_bytes(bytes(32)))
