"""The life of a BMC-side session: its phases and the changes between
them (``state.TRANSITIONS``), walked by real logins in memory."""

import pytest

from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server import state
from pyghmi.ipmi.private.server.state import Drop, Phase
from pyghmi.tests.unit.pair import CONSOLE, Pair


@pytest.fixture
def changes(monkeypatch):
    """Every (from, to) change any session makes while the test runs."""
    seen = []
    advance = state.ServerSession.advance

    def recording(sess, phase):
        seen.append((sess.phase, phase))
        advance(sess, phase)
    monkeypatch.setattr(state.ServerSession, 'advance', recording)
    return seen


def _only_session(pair):
    (sess,) = pair.server.sessions.values()
    return sess


def test_rmcp_plus_login_walks_open_authenticating_active_in_use(changes):
    pair = Pair(cipher=17)
    assert pair.login() is None
    # Set Session Privilege is the first in-session request
    assert changes == [(Phase.OPEN, Phase.AUTHENTICATING),
                       (Phase.AUTHENTICATING, Phase.ACTIVE),
                       (Phase.ACTIVE, Phase.IN_USE)]
    sess = _only_session(pair)
    assert sess.phase is Phase.IN_USE and sess.active and sess.used
    assert sess.rakp is None
    assert 'IN_USE' in repr(sess)


def _exchange_until(pair, held_type):
    """Run the login, delivering every datagram but the first one of
    payload type ``held_type`` sent to the BMC; return what was sent."""
    sent = []
    pair.client.login(pair.clock.now)
    for _ in range(20):
        pair.to_server.extend(pair.client.outbox)
        pair.client.outbox = []
        if pair.to_server:
            data = pair.to_server.pop(0)
            sent.append(data)
            if wire.parse_datagram(data).payload_type == held_type:
                return sent
            pair.server.receive(data, CONSOLE, pair.clock.now)
        elif pair.to_client:
            pair.client.receive(wire.parse_datagram(pair.to_client.pop(0)),
                                pair.clock.now)
    raise AssertionError('payload type 0x%02x never sent' % held_type)


def _again_with_new_tag(pair, sent, ptype):
    """The last datagram of ``ptype`` sent to the BMC again, another
    message tag (so not a copy), a second later."""
    last = [d for d in sent if wire.parse_datagram(d).payload_type == ptype]
    payload = bytearray(wire.parse_datagram(last[-1]).payload)
    payload[0] ^= 0x55
    pair.clock.now += 1
    pair.server.receive(wire.encode_v2(ptype, 0, 0, bytes(payload)),
                        CONSOLE, pair.clock.now)


def test_rakp1_again_while_authenticating_stays_authenticating(changes):
    pair = Pair(cipher=17)
    sent = _exchange_until(pair, 0x14)           # RAKP 3 held back
    sess = _only_session(pair)
    first = sess.rakp.rand_bmc
    _again_with_new_tag(pair, sent, 0x12)
    assert changes[-1] == (Phase.AUTHENTICATING, Phase.AUTHENTICATING)
    assert sess.phase is Phase.AUTHENTICATING
    assert sess.rakp.rand_bmc != first          # fresh random numbers


def test_rakp1_on_an_active_unused_session_goes_back_to_open(changes):
    pair = Pair(cipher=17)
    sent = _exchange_until(pair, 0x00)   # Set Session Privilege held back
    sess = _only_session(pair)
    assert sess.phase is Phase.ACTIVE and not sess.used
    _again_with_new_tag(pair, sent, 0x12)
    assert pair.server.dropped[Drop.AUTHENTICATED_AGAIN] == 1
    assert changes[-2:] == [(Phase.ACTIVE, Phase.OPEN),
                            (Phase.OPEN, Phase.AUTHENTICATING)]
    assert sess.phase is Phase.AUTHENTICATING and sess.packets is None


def test_ipmi15_login_walks_challenged_active_in_use(changes):
    pair = Pair(server_options={'ipmi15': True, 'ipmi20': False})
    assert pair.login() is None
    assert changes == [(Phase.CHALLENGED, Phase.ACTIVE),
                       (Phase.ACTIVE, Phase.IN_USE)]


def test_rakp_messages_for_an_ipmi15_session_are_dropped(changes):
    pair = Pair(server_options={'ipmi15': True, 'ipmi20': False})
    assert pair.login() is None
    sid = _only_session(pair).bmc_sid
    before = list(changes)
    forged = (rakp.encode_rakp1(1, sid, bytes(16), 0x14, b'admin'),
              rakp.encode_rakp3(1, 0, sid, bytes(20)))
    for ptype, payload in zip((0x12, 0x14), forged):
        pair.server.receive(wire.encode_v2(ptype, 0, 0, payload), CONSOLE,
                            pair.clock.now)
    assert pair.server.dropped[Drop.LOGIN_FOR_UNKNOWN] == 2
    assert changes == before and _only_session(pair).used


@pytest.mark.parametrize('start,end', [
    (Phase.OPEN, Phase.ACTIVE),             # RAKP 3 without RAKP 1
    (Phase.IN_USE, Phase.OPEN),             # re-login of a used session
    (Phase.CHALLENGED, Phase.IN_USE),
    (Phase.IN_USE, Phase.ACTIVE),
])
def test_a_change_the_table_does_not_list_raises(start, end):
    sess = state.ServerSession(1, 2, CONSOLE, 17, 4, 0.0, phase=start)
    with pytest.raises(RuntimeError, match='no change from'):
        sess.advance(end)
    assert sess.phase is start


def test_every_listed_change_is_made_by_some_login(changes):
    """No dead rows in the table: the logins above make them all."""
    total = set()
    for scenario in (
            test_rmcp_plus_login_walks_open_authenticating_active_in_use,
            test_rakp1_again_while_authenticating_stays_authenticating,
            test_rakp1_on_an_active_unused_session_goes_back_to_open,
            test_ipmi15_login_walks_challenged_active_in_use):
        del changes[:]
        seen = changes
        scenario(seen)
        total.update(seen)
    assert total == set(state.TRANSITIONS)
