"""Pickles: vodozemac's encrypted pickles (32-byte key) and libolm's (a key
of any length), including pickles libolm 3.2.7 wrote."""

import pytest

KEY = bytes(range(32))
OTHER_KEY = bytes(32)


def olm_pair(vz):
    alice, bob = vz.Account(), vz.Account()
    bob.generate_one_time_keys(2)
    key = list(bob.one_time_keys.values())[0]
    alice_session = alice.create_outbound_session(bob.curve25519_key, key)
    bob_session, _ = bob.create_inbound_session(alice.curve25519_key, alice_session.encrypt(b"hi").to_pre_key())
    return alice, bob, alice_session, bob_session


def objects(vz):
    alice, bob, alice_session, bob_session = olm_pair(vz)
    alice.generate_fallback_key()
    alice.generate_one_time_keys(2)
    outbound = vz.GroupSession()
    outbound.encrypt(b"advance")
    inbound = vz.InboundGroupSession(outbound.session_key)
    return {
        "Account": alice,
        "Session": bob_session,
        "GroupSession": outbound,
        "InboundGroupSession": inbound,
    }


def same_state(name, one, two):
    if name == "Account":
        assert one.curve25519_key == two.curve25519_key
        assert one.ed25519_key == two.ed25519_key
        assert one.one_time_keys.keys() == two.one_time_keys.keys()
        assert one.fallback_key.keys() == two.fallback_key.keys()
    elif name == "Session":
        assert one.session_id == two.session_id
    elif name == "GroupSession":
        assert (one.session_id, one.message_index) == (two.session_id, two.message_index)
        assert one.session_key.to_base64() == two.session_key.to_base64()
    else:
        assert (one.session_id, one.first_known_index) == (two.session_id, two.first_known_index)


@pytest.mark.parametrize("name", ["Account", "Session", "GroupSession", "InboundGroupSession"])
def test_vodozemac_pickle_round_trip(vz, name):
    obj = objects(vz)[name]
    pickle = obj.pickle(KEY)
    assert isinstance(pickle, str)
    again = getattr(vz, name).from_pickle(pickle, KEY)
    same_state(name, obj, again)
    # vodozemac's pickle cipher takes its IV from the key: equal states give
    # equal pickles under one key.
    assert again.pickle(KEY) == pickle


@pytest.mark.parametrize("name", ["Account", "Session", "GroupSession", "InboundGroupSession"])
def test_vodozemac_pickle_errors(vz, name):
    obj = objects(vz)[name]
    cls = getattr(vz, name)
    pickle = obj.pickle(KEY)
    with pytest.raises(vz.PickleException):
        cls.from_pickle(pickle, OTHER_KEY)
    for key in [b"", b"short", KEY + b"\x00"]:
        with pytest.raises(vz.PickleException):
            obj.pickle(key)
        with pytest.raises(vz.PickleException):
            cls.from_pickle(pickle, key)
    for bad in ["", "not base64!", pickle[:-4], pickle[:20], "A" + pickle[1:] if pickle[0] != "A" else "B" + pickle[1:]]:
        with pytest.raises(vz.PickleException):
            cls.from_pickle(bad, KEY)


def test_pickle_of_another_kind_raises(vz):
    objs = objects(vz)
    names = list(objs)
    for name in names:
        pickle = objs[name].pickle(KEY)
        for other in names:
            if other != name:
                with pytest.raises(vz.PickleException):
                    getattr(vz, other).from_pickle(pickle, KEY)


def test_unpickled_objects_keep_working(vz):
    alice, bob, alice_session, bob_session = olm_pair(vz)
    restored = vz.Session.from_pickle(bob_session.pickle(KEY), KEY)
    assert alice_session.decrypt(restored.encrypt(b"after")) == b"after"
    restored_bob = vz.Account.from_pickle(bob.pickle(KEY), KEY)
    (key,) = restored_bob.one_time_keys.values()
    session = vz.Account().create_outbound_session(restored_bob.curve25519_key, key)
    outbound = vz.GroupSession.from_pickle(vz.GroupSession().pickle(KEY), KEY)
    inbound = vz.InboundGroupSession.from_pickle(vz.InboundGroupSession(outbound.session_key).pickle(KEY), KEY)
    assert inbound.decrypt(outbound.encrypt(b"m")).plaintext == b"m"
    assert session.session_id


@pytest.mark.parametrize("name", ["Account", "Session", "GroupSession", "InboundGroupSession"])
@pytest.mark.parametrize("key", [b"", b"k", b"a longer libolm pickle key of any length"])
def test_libolm_pickle_round_trip(vz, name, key):
    obj = objects(vz)[name]
    pickle = obj.to_libolm_pickle(key)
    again = getattr(vz, name).from_libolm_pickle(pickle, key)
    if name != "Account":
        same_state(name, obj, again)
    else:
        # libolm's key ids are 4 bytes: the same keys come back, under ids
        # of libolm's width.
        assert again.curve25519_key == obj.curve25519_key
        assert again.ed25519_key == obj.ed25519_key
        assert sorted(k.to_base64() for k in again.one_time_keys.values()) == sorted(
            k.to_base64() for k in obj.one_time_keys.values()
        )
        assert len(again.one_time_keys) == 2
        assert all(len(key_id) == 6 for key_id in again.one_time_keys)
    with pytest.raises(vz.LibolmPickleException):
        getattr(vz, name).from_libolm_pickle(pickle, key + b"x")


@pytest.mark.parametrize("name", ["Account", "Session", "InboundGroupSession", "GroupSession", "PkDecryption"])
def test_libolm_pickle_errors(vz, name):
    cls = getattr(vz, name)
    for bad in ["", "not base64!", "AAAA", "A" * 200]:
        with pytest.raises(vz.LibolmPickleException):
            cls.from_libolm_pickle(bad, b"key")


def test_pk_decryption_libolm_pickle_extra(vz):
    decryption = vz.PkDecryption()
    pickle = decryption.to_libolm_pickle(b"key")
    again = vz.PkDecryption.from_libolm_pickle(pickle, b"key")
    assert again.public_key == decryption.public_key
    with pytest.raises(vz.LibolmPickleException):
        vz.PkDecryption.from_libolm_pickle(pickle, b"other")


CLASSES = {
    "account": "Account",
    "session": "Session",
    "group_session": "GroupSession",
    "inbound_group_session": "InboundGroupSession",
    "pk_decryption": "PkDecryption",
}


def check_libolm_expectations(vector, obj):
    expect = vector["expect"]
    if vector["object"] == "account":
        assert obj.curve25519_key.to_base64() == expect["curve25519"]
        assert obj.ed25519_key.to_base64() == expect["ed25519"]
    elif vector["object"] in ("session", "group_session", "inbound_group_session"):
        assert obj.session_id == expect["session_id"]
    if vector["object"] == "group_session":
        assert obj.message_index == expect["message_index"]
    if vector["object"] == "inbound_group_session":
        assert obj.first_known_index == expect["first_known_index"]
    if vector["object"] == "pk_decryption":
        assert obj.public_key.to_base64() == expect["public_key"]


def test_pickles_written_by_libolm(vz, libolm_pickles):
    """libolm -> us, and us -> libolm byte for byte: libolm's pickle cipher is
    deterministic, so reading a pickle and writing it again under the same
    key gives the same string."""
    read = 0
    for vector in libolm_pickles:
        cls = getattr(vz, CLASSES[vector["object"]])
        key = bytes.fromhex(vector["pickle_key"])
        if "error" in vector:
            with pytest.raises(vz.LibolmPickleException):
                cls.from_libolm_pickle(vector["pickle"], key)
            continue
        obj = cls.from_libolm_pickle(vector["pickle"], key)
        check_libolm_expectations(vector, obj)
        assert obj.to_libolm_pickle(key) == vector["pickle"], vector["name"]
        read += 1
    assert read == len([v for v in libolm_pickles if "error" not in v]) > 0


def test_unreadable_versions_say_unsupported_version(vz, libolm_pickles):
    """matrix-nio upgrades an account pickle through python-olm when
    from_libolm_pickle's message says "unsupported version", as vodozemac's
    does."""
    cases = [v for v in libolm_pickles if v.get("error") == "version"]
    assert cases
    for vector in cases:
        cls = getattr(vz, CLASSES[vector["object"]])
        with pytest.raises(vz.LibolmPickleException) as error:
            cls.from_libolm_pickle(vector["pickle"], bytes.fromhex(vector["pickle_key"]))
        assert "unsupported version" in error.value.args[0], vector["name"]


def test_pickle_format_fallback_as_matrix_nio_does(vz, libolm_pickles):
    """nio tries vodozemac's format first, then libolm's on PickleException."""
    vector = next(v for v in libolm_pickles if v["object"] == "account" and "error" not in v)
    with pytest.raises(vz.PickleException):
        vz.Account.from_pickle(vector["pickle"], bytes(32))
    account = vz.Account.from_libolm_pickle(vector["pickle"], bytes.fromhex(vector["pickle_key"]))
    assert vz.Account.from_pickle(account.pickle(KEY), KEY).curve25519_key == account.curve25519_key
