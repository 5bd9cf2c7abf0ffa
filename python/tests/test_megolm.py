"""GroupSession, InboundGroupSession, SessionKey, ExportedSessionKey and
MegolmMessage."""

import pytest


def test_group_session_and_inbound_session(vz):
    outbound = vz.GroupSession()
    assert outbound.message_index == 0
    key = outbound.session_key
    assert isinstance(key, vz.SessionKey)
    inbound = vz.InboundGroupSession(vz.SessionKey(key.to_base64()))
    assert inbound.session_id == outbound.session_id
    assert inbound.first_known_index == 0

    first = outbound.encrypt(b"first")
    second = outbound.encrypt(b"second")
    assert outbound.message_index == 2
    assert (first.message_index(), second.message_index()) == (0, 1)

    decrypted = inbound.decrypt(second)
    assert isinstance(decrypted, vz.vodozemac.DecryptedMessage)
    assert (decrypted.plaintext, decrypted.message_index) == (b"second", 1)
    assert inbound.decrypt(first).plaintext == b"first"
    # Decrypting twice is allowed, as in vodozemac: replays are the caller's
    # to detect by index.
    assert inbound.decrypt(first).message_index == 0


def test_megolm_message_conversions(vz):
    outbound = vz.GroupSession()
    message = outbound.encrypt(b"x")
    assert isinstance(message.to_bytes(), bytes)
    again = vz.MegolmMessage.from_bytes(message.to_bytes())
    assert again.to_base64() == message.to_base64()
    again = vz.MegolmMessage.from_base64(message.to_base64())
    assert again.to_bytes() == message.to_bytes()
    assert isinstance(message.signature(), vz.Ed25519Signature)
    assert message.signature().to_base64() == again.signature().to_base64()


def test_export_and_import(vz):
    outbound = vz.GroupSession()
    inbound = vz.InboundGroupSession(outbound.session_key)
    messages = [outbound.encrypt(bytes([i])) for i in range(4)]
    exported = inbound.export_at(2)
    assert isinstance(exported, vz.ExportedSessionKey)
    imported = vz.InboundGroupSession.import_session(vz.ExportedSessionKey(exported.to_base64()))
    assert imported.session_id == outbound.session_id
    assert imported.first_known_index == 2
    assert imported.decrypt(messages[3]).plaintext == b"\x03"
    with pytest.raises(vz.MegolmDecryptionException):
        imported.decrypt(messages[1])
    assert imported.export_at(1) is None
    assert imported.export_at(3) is not None


def test_session_key_mid_session(vz):
    outbound = vz.GroupSession()
    early = outbound.encrypt(b"early")
    inbound = vz.InboundGroupSession(outbound.session_key)
    assert inbound.first_known_index == 1
    with pytest.raises(vz.MegolmDecryptionException):
        inbound.decrypt(early)
    assert inbound.decrypt(outbound.encrypt(b"late")).plaintext == b"late"


def test_tampered_message_raises(vz):
    outbound = vz.GroupSession()
    inbound = vz.InboundGroupSession(outbound.session_key)
    raw = bytearray(outbound.encrypt(b"secret").to_bytes())
    raw[12] ^= 1
    with pytest.raises(vz.MegolmDecryptionException):
        inbound.decrypt(vz.MegolmMessage.from_bytes(bytes(raw)))


def test_message_from_another_session_raises(vz):
    inbound = vz.InboundGroupSession(vz.GroupSession().session_key)
    with pytest.raises(vz.MegolmDecryptionException):
        inbound.decrypt(vz.GroupSession().encrypt(b"x"))


@pytest.mark.parametrize("text", ["", "AAAA", "not base64!", "Ag" + "A" * 300])
def test_bad_session_keys_raise(vz, text):
    with pytest.raises(vz.SessionKeyDecodeException):
        vz.SessionKey(text)
    with pytest.raises(vz.SessionKeyDecodeException):
        vz.ExportedSessionKey(text)


def test_session_key_and_export_are_not_interchangeable(vz):
    outbound = vz.GroupSession()
    exported = vz.InboundGroupSession(outbound.session_key).export_at(0).to_base64()
    with pytest.raises(vz.SessionKeyDecodeException):
        vz.SessionKey(exported)
    with pytest.raises(vz.SessionKeyDecodeException):
        vz.ExportedSessionKey(outbound.session_key.to_base64())


def test_session_key_with_bad_signature_raises(vz):
    import base64

    key = vz.GroupSession().session_key.to_base64()
    raw = bytearray(base64.b64decode(key + "=" * (-len(key) % 4)))
    raw[-1] ^= 1
    with pytest.raises(vz.SessionKeyDecodeException):
        vz.SessionKey(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize(
    "call",
    [
        lambda vz: vz.MegolmMessage.from_bytes(b""),
        lambda vz: vz.MegolmMessage.from_bytes(b"\x03" + b"\x00" * 10),
        lambda vz: vz.MegolmMessage.from_bytes(b"\x04" * 200),
        lambda vz: vz.MegolmMessage.from_base64("AAAA"),
        lambda vz: vz.MegolmMessage.from_base64("not base64!"),
    ],
)
def test_malformed_megolm_messages_raise_decode_exception(vz, call):
    with pytest.raises(vz.DecodeException):
        call(vz)


def test_export_at_refuses_negative_index(vz):
    with pytest.raises(OverflowError):
        vz.InboundGroupSession(vz.GroupSession().session_key).export_at(-1)


def test_decrypt_batch_extra(vz):
    outbound = vz.GroupSession()
    inbound = vz.InboundGroupSession(outbound.session_key)
    messages = [outbound.encrypt(bytes([i])) for i in range(5)]
    foreign = vz.GroupSession().encrypt(b"x")
    results = inbound.decrypt_batch(messages[::-1] + [foreign])
    assert [r.plaintext for r in results[:5]] == [bytes([i]) for i in range(4, -1, -1)]
    assert [r.message_index for r in results[:5]] == [4, 3, 2, 1, 0]
    assert isinstance(results[5], vz.MegolmDecryptionException)
