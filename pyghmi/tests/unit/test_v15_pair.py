"""IPMI 1.5 sessions (22.15-22.17), client and BMC cores in memory.

The wire format is checked against real peers in
functional/test_ipmi15_peers.py (ipmi_sim as BMC; ipmitool, FreeIPMI
and pyghmi 1.6.19 as clients); here the rules: fallback, choice of auth
type, bounded failure, forged and replayed packets.
"""

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server import core as serversession
from pyghmi.tests.unit.pair import CONSOLE, Pair

OLD_BMC = {'ipmi15': True, 'ipmi20': False}


def test_client_falls_back_to_ipmi15_with_md5():
    pair = Pair(server_options=OLD_BMC)
    assert pair.login() is None
    assert pair.client.ipmi_version == 1.5 and pair.client.suite is None
    assert pair.client._packets.authtype == v15.AUTH_MD5
    # auth caps, challenge, activate, set privilege
    assert pair.client.packets_sent == 4
    req = pair.request(6, 1)
    assert (req.code, req.data_out) == (0, b'\x20\x01\x02\x41\x02')
    assert pair.client.privlevel == 4


def test_rmcp_plus_is_preferred_and_1_5_can_be_forced():
    both = {'ipmi15': True, 'ipmi20': True}
    pair = Pair(server_options=both)
    pair.login()
    assert pair.client.ipmi_version == 2.0
    pair = Pair(server_options=both, ipmi_version=1.5)
    assert pair.login() is None and pair.client.ipmi_version == 1.5
    pair = Pair(server_options=OLD_BMC, ipmi_version=2.0)
    assert isinstance(pair.login(), exc.UnsupportedFunctionality)


def test_straight_password_and_none_only_when_allowed():
    pair = Pair(server_options=dict(
        OLD_BMC, v15_auth_types=(v15.AUTH_STRAIGHT,)))
    assert pair.login() is None
    assert pair.client._packets.authtype == v15.AUTH_STRAIGHT
    none_only = dict(OLD_BMC, v15_auth_types=(v15.AUTH_NONE,))
    assert isinstance(Pair(server_options=none_only).login(),
                      exc.UnsupportedFunctionality)
    pair = Pair(server_options=none_only, allow_no_auth=True)
    assert pair.login() is None and pair.request(6, 1).code == 0


def test_wrong_password_and_unknown_user_fail_within_bound():
    pair = Pair(server_options=OLD_BMC, password=b'wrong')
    start = pair.clock.now
    error = pair.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert pair.clock.now - start < 10           # one round of retries
    error = Pair(server_options=OLD_BMC, userid=b'nobody').login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert 'invalid user name' in str(error)


def test_privilege_limit_of_the_user():
    pair = Pair(server_options=OLD_BMC, userid=b'viewer',
                password=b'vpass')
    assert pair.login() is None
    assert pair.client.privlevel == 2            # stepped down from 4
    assert pair.request(0, 2, b'\x00').code == 0xD4   # chassis control


def test_password_too_long_for_ipmi15():
    error = Pair(server_options=OLD_BMC, password=b'x' * 17).login()
    assert isinstance(error, exc.InvalidParameterValue)


def test_forged_and_replayed_packets_are_dropped():
    pair = Pair(server_options=OLD_BMC)
    pair.login()
    sent = []
    pair.drop_to_server = lambda data: sent.append(data) and False
    pair.request(6, 1)
    request = sent[-1]
    pair.request(6, 1)
    handled = len(pair.handled)
    # an earlier request again: its sequence number is spent
    pair.clock.now += 1
    pair.server.receive(request, CONSOLE, pair.clock.now)
    # a flipped bit in the message: the auth code no longer matches
    forged = bytearray(request)
    forged[-2] ^= 1
    pair.server.receive(bytes(forged), CONSOLE, pair.clock.now)
    assert len(pair.handled) == handled
    assert pair.server.dropped['replayed or stale sequence number'] >= 1
    assert pair.server.dropped['auth code check failed'] == 1
    # and the client drops a reply with a wrong auth code
    sess = next(iter(pair.server.sessions.values()))
    reply = v15.seal(v15.AUTH_MD5, b'\x00' * 16, sess.bmc_sid, 99,
                     wire.encode_request(7, 1, b'\x00'))
    pair.client.receive(wire.parse_datagram(reply), pair.clock.now)
    assert pair.client.dropped['auth code check failed'] == 1


@settings(max_examples=800, deadline=None)
@given(st.binary(max_size=120), st.sampled_from([0, 2, 4, 6]))
def test_v15_server_never_raises(data, authtype):
    pair = Pair(server_options=OLD_BMC)
    pair.client.login(pair.clock.now)
    pair.run()
    sids = list(pair.server.sessions) or [0]
    for sid in sids:
        head = wire.RMCP_HEADER + bytes((authtype,)) + b'\x01\x00\x00\x00' \
            + sid.to_bytes(4, 'little')
        pair.server.receive(head + data, CONSOLE, pair.clock.now)
    assert pair.request(6, 1).code == 0      # the session still works


def test_server_sessionless_challenge_needs_ipmi15():
    pair = Pair()       # RMCP+ only: Get Session Challenge is not served
    msg = wire.encode_request(6, v15.CMD_GET_SESSION_CHALLENGE,
                              b'\x02' + b'admin'.ljust(16, b'\x00'))
    pair.server.receive(wire.encode_v15(msg), CONSOLE, pair.clock.now)
    assert not pair.server.outbox
    assert isinstance(serversession.ServerConfig({}, b'\x00' * 16).ipmi15,
                      bool)


def test_authcode_rules():
    pw = v15.pad(b'password')
    assert v15.authcode(v15.AUTH_STRAIGHT, pw, 1, b'msg', 2) == pw
    assert v15.authcode(v15.AUTH_NONE, pw, 1, b'msg', 2) == b''
    assert len(v15.authcode(v15.AUTH_MD5, pw, 1, b'msg', 2)) == 16
    with pytest.raises(exc.DecodeError):
        v15.authcode(v15.AUTH_MD2, pw, 1, b'msg', 2)
    with pytest.raises(exc.DecodeError):
        v15.pad(b'x' * 17)
    assert v15.choose(0b10110) == v15.AUTH_MD5      # MD5 over straight
    assert v15.choose(0b10000) == v15.AUTH_STRAIGHT
    assert v15.choose(0b00001) is None
    assert v15.choose(0b00001, allow_none=True) == v15.AUTH_NONE
