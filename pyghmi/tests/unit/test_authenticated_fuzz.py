"""Fuzzing past the integrity check, on both ends.

Random datagrams die at the integrity check; these are sealed with the
real session keys of an established session, so the code after it (the
IPMI message parser, the dispatcher, every fakebmc handler on the BMC
side; reply matching and bridging on the client side) is what gets the
hostile input.  Only the documented outcomes may happen: an answer, a
completion code, or a datagram dropped and counted; the session keeps
working afterwards.
"""

from hypothesis import given, settings, strategies as st

from pyghmi.fakebmc import machine
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.codec import wire
from pyghmi.tests.unit.pair import CONSOLE, Pair

_FAKE = {}


def _fakebmc_pair():
    """A Pair whose BMC side is a whole fakebmc (its handlers), driven in
    memory: its socket is never used."""
    if 'pair' not in _FAKE:
        bmc = machine.FakeBmc({'admin': ('password', 'administrator')},
                              profiles.load(None), port=0,
                              address='127.0.0.1',
                              statefile=machine.StateFile(None))
        pair = Pair(cipher=17, app=bmc.handle_raw_request)
        pair.server.app = bmc.handle_raw_request
        pair.server.supports = bmc._supports
        assert pair.login() is None
        _FAKE['pair'], _FAKE['bmc'] = pair, bmc
    return _FAKE['pair']


def _client_packets(pair):
    return pair.client._packets


def _still_works(pair):
    """Get Device ID on the session after a fuzzed request, at the
    privilege it logged in with: a fuzzed Set Session Privilege Level
    may lower the session's privilege (Callback cannot ask Get Device
    ID), as a BMC must allow, so that is raised back first."""
    pair.request(6, 0x3B, b'\x04')
    return pair.request(6, 1)


@settings(max_examples=400, deadline=None)
@given(netfn=st.integers(0, 0x3F), cmd=st.integers(0, 255),
       body=st.binary(max_size=48), seq=st.integers(0, 63),
       lun=st.integers(0, 3))
def test_bmc_handlers_take_any_authenticated_request(
        netfn, cmd, body, seq, lun):
    pair = _fakebmc_pair()
    msg = wire.encode_message(0x20, netfn, lun, 0x81, seq, 0, cmd, body)
    sealed = _client_packets(pair).seal(pair.client._bmc_sid, msg)
    pair.server.receive(sealed, CONSOLE, pair.clock.now)
    pair.to_client.clear()
    # no handler raised (a crash is answered 0xFF, and counted)
    assert not pair.server.handler_failures
    # the session still works
    req = _still_works(pair)
    assert req.code == 0 and len(req.data_out) >= 11


@settings(max_examples=400, deadline=None)
@given(payload=st.binary(max_size=64))
def test_bmc_takes_any_authenticated_payload(payload):
    pair = _fakebmc_pair()
    sealed = _client_packets(pair).seal(pair.client._bmc_sid, payload)
    pair.server.receive(sealed, CONSOLE, pair.clock.now)
    pair.to_client.clear()
    assert not pair.server.handler_failures
    _still_works(pair)
    assert pair.request(0, 1).code == 0


_CLIENT = {}


def _client_pair():
    if 'pair' not in _CLIENT:
        pair = Pair(cipher=17)
        assert pair.login() is None
        _CLIENT['pair'] = pair
    return _CLIENT['pair']


@settings(max_examples=400, deadline=None)
@given(reply=st.binary(max_size=64), bridged=st.booleans(),
       matching=st.booleans())
def test_client_takes_any_authenticated_reply(reply, bridged, matching):
    pair = _client_pair()
    done = []
    req = clientcore.Request(4, 0x2D, b'\x01', callback=done.append,
                             bridge={'addr': 0x82, 'channel': 7}
                             if bridged else None)
    pair.client.submit(req, pair.clock.now)
    pair.to_server.extend(pair.client.outbox)
    pair.client.outbox = []
    pair.to_server.clear()                    # the BMC never sees it
    server_sess, = pair.server.sessions.values()
    if matching:
        # a well-framed reply to this very request, with a random body
        reply = wire.encode_message(0x81, 5, 0, 0x20, req.seq, 0,
                                    0x34 if bridged else 0x2D, reply)
    sealed = server_sess.packets.seal(pair.client.local_sid, reply)
    pair.client.receive(wire.parse_datagram(sealed), pair.clock.now)
    assert not any(k.startswith('internal') for k in pair.client.dropped)
    pair.run()                                # time-outs, re-login...
    assert len(done) == 1
    assert pair.request(6, 1).code == 0
