"""Account, Session, AnyOlmMessage and PreKeyMessage."""

import pytest


def pair(vz):
    """Alice's outbound session to Bob and Bob's one-time key."""
    alice, bob = vz.Account(), vz.Account()
    bob.generate_one_time_keys(1)
    (one_time_key,) = bob.one_time_keys.values()
    session = alice.create_outbound_session(bob.curve25519_key, one_time_key)
    return alice, bob, session


def test_account_keys_and_signing(vz):
    account = vz.Account()
    assert isinstance(account.ed25519_key, vz.Ed25519PublicKey)
    assert isinstance(account.curve25519_key, vz.Curve25519PublicKey)
    assert account.max_number_of_one_time_keys == 50
    signature = account.sign(b"{}")
    assert isinstance(signature, vz.Ed25519Signature)
    account.ed25519_key.verify_signature(b"{}", signature)


def test_one_time_keys_use_vodozemacs_ids(vz):
    account = vz.Account()
    assert account.one_time_keys == {}
    assert account.generate_one_time_keys(3) is None
    keys = account.one_time_keys
    assert sorted(keys) == ["AAAAAAAAAAA", "AAAAAAAAAAE", "AAAAAAAAAAI"]
    assert all(isinstance(k, vz.Curve25519PublicKey) for k in keys.values())
    assert len({k.to_base64() for k in keys.values()}) == 3
    assert account.mark_keys_as_published() is None
    assert account.one_time_keys == {}
    account.generate_one_time_keys(1)
    assert list(account.one_time_keys) == ["AAAAAAAAAAM"]


def test_fallback_key(vz):
    account = vz.Account()
    assert account.fallback_key == {}
    assert account.generate_fallback_key() is None
    (key_id,) = account.fallback_key
    assert key_id == "AAAAAAAAAAA"
    account.mark_keys_as_published()
    assert account.fallback_key == {}
    account.generate_fallback_key()
    assert list(account.fallback_key) == ["AAAAAAAAAAE"]


def test_generate_one_time_keys_refuses_negative_counts(vz):
    with pytest.raises(OverflowError):
        vz.Account().generate_one_time_keys(-1)


def test_olm_conversation(vz):
    alice, bob, alice_session = pair(vz)
    message = alice_session.encrypt(b"hello")
    assert isinstance(message, vz.AnyOlmMessage)
    message_type, body = message.to_parts()
    assert message_type == 0 and isinstance(body, bytes)
    pre_key = message.to_pre_key()
    assert isinstance(pre_key, vz.PreKeyMessage)
    assert pre_key.session_id() == alice_session.session_id
    assert alice_session.session_matches(pre_key)

    bob_session, plaintext = bob.create_inbound_session(alice.curve25519_key, pre_key)
    assert plaintext == b"hello" and isinstance(plaintext, bytes)
    assert bob_session.session_id == alice_session.session_id
    assert bob_session.session_matches(pre_key)

    reply = bob_session.encrypt(b"hi alice")
    assert reply.to_parts()[0] == 1
    assert reply.to_pre_key() is None
    assert alice_session.decrypt(reply) == b"hi alice"
    answer = alice_session.encrypt(b"how are you")
    assert answer.to_parts()[0] == 1
    assert bob_session.decrypt(answer) == b"how are you"


def test_one_time_key_is_used_once(vz):
    alice, bob, session = pair(vz)
    pre_key = session.encrypt(b"x").to_pre_key()
    bob.create_inbound_session(alice.curve25519_key, pre_key)
    with pytest.raises(vz.SessionCreationException):
        bob.create_inbound_session(alice.curve25519_key, pre_key)


def test_inbound_session_from_fallback_key(vz):
    alice, bob = vz.Account(), vz.Account()
    bob.generate_fallback_key()
    (fallback,) = bob.fallback_key.values()
    session = alice.create_outbound_session(bob.curve25519_key, fallback)
    pre_key = session.encrypt(b"via fallback").to_pre_key()
    _, plaintext = bob.create_inbound_session(alice.curve25519_key, pre_key)
    assert plaintext == b"via fallback"


def test_session_matches_only_its_own_messages(vz):
    _, _, one = pair(vz)
    _, _, two = pair(vz)
    assert not one.session_matches(two.encrypt(b"x").to_pre_key())


def test_message_conversions(vz):
    _, _, session = pair(vz)
    message = session.encrypt(b"x")
    message_type, body = message.to_parts()
    assert vz.AnyOlmMessage.from_parts(message_type, body).to_parts() == (message_type, body)
    assert vz.AnyOlmMessage.pre_key(body).to_parts() == (0, body)
    pre_key = message.to_pre_key()
    assert pre_key.to_any().to_parts() == (0, body)
    import base64

    text = base64.b64encode(body).decode().rstrip("=")
    assert vz.PreKeyMessage.from_base64(text).session_id() == session.session_id


def test_normal_message_from_bytes(vz):
    alice, bob, session = pair(vz)
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, session.encrypt(b"x").to_pre_key())
    message_type, body = bob_session.encrypt(b"y").to_parts()
    assert message_type == 1
    assert session.decrypt(vz.AnyOlmMessage.normal(body)) == b"y"


def test_replayed_message_raises_and_session_continues(vz):
    alice, bob, session = pair(vz)
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, session.encrypt(b"x").to_pre_key())
    reply = bob_session.encrypt(b"once")
    assert session.decrypt(reply) == b"once"
    with pytest.raises(vz.OlmDecryptionException):
        session.decrypt(reply)
    assert session.decrypt(bob_session.encrypt(b"twice")) == b"twice"


def test_tampered_message_raises_and_leaves_session_unchanged(vz):
    alice, bob, session = pair(vz)
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, session.encrypt(b"x").to_pre_key())
    message_type, body = bob_session.encrypt(b"secret").to_parts()
    tampered = bytearray(body)
    tampered[-1] ^= 1
    with pytest.raises(vz.OlmDecryptionException):
        session.decrypt(vz.AnyOlmMessage.from_parts(message_type, bytes(tampered)))
    assert session.decrypt(vz.AnyOlmMessage.from_parts(message_type, body)) == b"secret"


def test_message_from_another_session_raises(vz):
    alice, bob, session = pair(vz)
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, session.encrypt(b"x").to_pre_key())
    _, _, other = pair(vz)
    with pytest.raises(vz.OlmDecryptionException):
        other.decrypt(bob_session.encrypt(b"not for you"))


def test_inbound_session_with_wrong_identity_key_keeps_the_one_time_key(vz):
    alice, bob, session = pair(vz)
    pre_key = session.encrypt(b"x").to_pre_key()
    with pytest.raises(vz.SessionCreationException):
        bob.create_inbound_session(vz.Account().curve25519_key, pre_key)
    _, plaintext = bob.create_inbound_session(alice.curve25519_key, pre_key)
    assert plaintext == b"x"


def test_tampered_pre_key_message_raises_session_creation_exception(vz):
    alice, bob, session = pair(vz)
    body = bytearray(session.encrypt(b"x").to_parts()[1])
    body[-1] ^= 1
    with pytest.raises(vz.SessionCreationException):
        bob.create_inbound_session(alice.curve25519_key, vz.AnyOlmMessage.pre_key(bytes(body)).to_pre_key())


@pytest.mark.parametrize(
    "call",
    [
        lambda vz: vz.AnyOlmMessage.pre_key(b""),
        lambda vz: vz.AnyOlmMessage.pre_key(b"\x03"),
        lambda vz: vz.AnyOlmMessage.pre_key(b"AAAA"),
        lambda vz: vz.AnyOlmMessage.normal(b""),
        lambda vz: vz.AnyOlmMessage.normal(b"\x03\x0a"),
        lambda vz: vz.AnyOlmMessage.normal(b"\xff" * 100),
        lambda vz: vz.AnyOlmMessage.from_parts(2, b"\x03"),
        lambda vz: vz.AnyOlmMessage.from_parts(1, b"junk"),
        lambda vz: vz.PreKeyMessage.from_base64("AAAA"),
        lambda vz: vz.PreKeyMessage.from_base64("not base64!"),
        lambda vz: vz.PreKeyMessage.from_base64(""),
    ],
)
def test_malformed_messages_raise_decode_exception(vz, call):
    with pytest.raises(vz.DecodeException):
        call(vz)


def test_low_order_keys_are_refused(vz):
    zero = vz.Curve25519PublicKey.from_bytes(bytes(32))
    account = vz.Account()
    with pytest.raises(vz.SessionCreationException):
        account.create_outbound_session(zero, zero)
    with pytest.raises(vz.SessionCreationException):
        account.create_outbound_session(vz.Account().curve25519_key, zero)


def test_argument_types_are_checked(vz):
    alice, bob, session = pair(vz)
    with pytest.raises(TypeError):
        session.encrypt("text")
    with pytest.raises(TypeError):
        bob.create_inbound_session(alice.curve25519_key, session.encrypt(b"x"))
    with pytest.raises(OverflowError):
        vz.AnyOlmMessage.from_parts(-1, b"")
