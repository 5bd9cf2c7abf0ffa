"""matrix-nio 0.26's own crypto classes on this package, when matrix-nio is
installed (`pip install "matrix-nio[e2e]"` beside it; scripts/python-vodozemac
does): Olm and Megolm sessions, their pickles, and libolm pickle import,
exercised through nio's code rather than ours."""

import pytest

sessions = pytest.importorskip("nio.crypto.sessions")


def test_nio_olm_and_megolm(vz):
    alice, bob = sessions.OlmAccount(), sessions.OlmAccount()
    assert isinstance(alice._account, vz.Account)
    bob.generate_one_time_keys(1)
    (one_time_key,) = bob.one_time_keys["curve25519"].values()
    outbound = sessions.OutboundSession(alice, bob.identity_keys["curve25519"], one_time_key)
    message = outbound.encrypt("hello bob")
    inbound = sessions.InboundSession(bob, message, alice.identity_keys["curve25519"])
    assert inbound.decrypt(message) == "hello bob"
    assert outbound.decrypt(inbound.encrypt("hello alice")) == "hello alice"
    bob.mark_keys_as_published()
    assert bob.one_time_keys == {"curve25519": {}}

    # Pickles through nio's passphrase handling, both formats.
    restored = sessions.OlmAccount.from_pickle(alice.pickle("secret"), "secret")
    assert restored.identity_keys == alice.identity_keys and not restored.upgrade_pickle
    libolm = alice._account.to_libolm_pickle(b"secret").encode()
    upgraded = sessions.OlmAccount.from_pickle(libolm, "secret")
    assert upgraded.identity_keys == alice.identity_keys and upgraded.upgrade_pickle
    session = sessions.Session.from_pickle(inbound.pickle("pw"), 0, "pw")
    assert outbound.decrypt(session.encrypt("after")) == "after"

    group = sessions.OutboundGroupSession()
    group.mark_as_shared()
    keys = alice.identity_keys
    members = sessions.InboundGroupSession(group.session_key, keys["ed25519"], keys["curve25519"], "!room")
    ciphertext = group.encrypt("to the room")
    assert members.decrypt(ciphertext) == ("to the room", 0)
    again = sessions.InboundGroupSession.from_pickle(members.pickle("pw"), keys["ed25519"], keys["curve25519"], "!room", "pw")
    assert again.decrypt(group.encrypt("second")) == ("second", 1)
    exported = sessions.InboundGroupSession.import_session(
        members.export_session(1), keys["ed25519"], keys["curve25519"], "!room"
    )
    assert exported.first_known_index == 1
    assert sessions.OutboundGroupSession.from_pickle(group.pickle("pw"), "pw").id == group.id


def test_nio_sas_verification(vz):
    from nio.crypto import OlmDevice, Sas
    from nio.events import KeyVerificationAccept, KeyVerificationKey, KeyVerificationMac, KeyVerificationStart

    alice_account, bob_account = sessions.OlmAccount(), sessions.OlmAccount()
    alice_keys, bob_keys = alice_account.identity_keys, bob_account.identity_keys
    alice_device = OlmDevice("@alice:example.org", "ALICE", dict(alice_keys))
    bob_device = OlmDevice("@bob:example.org", "BOB", dict(bob_keys))

    def event(cls, sender, message):
        return cls.from_dict({"sender": sender, "content": message.content})

    alice = Sas("@alice:example.org", "ALICE", alice_keys["ed25519"], bob_device)
    start = event(KeyVerificationStart, "@alice:example.org", alice.start_verification())
    bob = Sas.from_key_verification_start("@bob:example.org", "BOB", bob_keys["ed25519"], alice_device, start)
    alice.receive_accept_event(event(KeyVerificationAccept, "@bob:example.org", bob.accept_verification()))
    bob.receive_key_event(event(KeyVerificationKey, "@alice:example.org", alice.share_key()))
    alice.receive_key_event(event(KeyVerificationKey, "@bob:example.org", bob.share_key()))
    assert isinstance(alice.established_sas, vz.EstablishedSas)
    assert alice.get_emoji() == bob.get_emoji()
    assert alice.get_decimals() == bob.get_decimals()
    alice.accept_sas()
    bob.accept_sas()
    bob.receive_mac_event(event(KeyVerificationMac, "@alice:example.org", alice.get_mac()))
    alice.receive_mac_event(event(KeyVerificationMac, "@bob:example.org", bob.get_mac()))
    assert alice.verified and bob.verified
