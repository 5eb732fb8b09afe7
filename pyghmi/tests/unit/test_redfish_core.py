"""The Redfish service's sans-IO core: requests in, responses out, on a
fake clock (no HTTP; the peers read the real thing in
functional/test_redfish_service.py)."""

import base64
import json

from hypothesis import given, settings, strategies as st

from pyghmi.ipmi import bmc as bmcmodule
from pyghmi.redfish.service import core
from pyghmi.redfish.service import machine

ADMIN = 'Basic ' + base64.b64encode(b'admin:password').decode()


class _Machine(bmcmodule.Bmc):
    """A Bmc whose power and boot live in memory (never started)."""

    def __init__(self, **kwargs):
        super().__init__({'admin': 'password', 'viewer': ('view', 'user')},
                         port=0, address='127.0.0.1', **kwargs)
        self.power, self.device = 'on', 'default'

    def get_power_state(self):
        return self.power

    def power_off(self):
        self.power = 'off'

    def power_on(self):
        self.power = 'on'

    def get_boot_device(self):
        return self.device

    def set_boot_device(self, bootdevice):
        self.device = bootdevice


def _service(**kwargs):
    server = _Machine(**kwargs)
    service = core.RedfishService(machine.BmcMachine(server, bmcmodule.Bmc),
                                  session_limit=3, session_timeout=60)
    return server, service


def _call(service, method, path, body=None, now=100.0, **headers):
    data = json.dumps(body).encode() if isinstance(body, dict) else \
        (body or b'')
    reply = service.handle(core.Request(
        method, path, {k.lower().replace('_', '-'): v
                       for k, v in headers.items()}, data,
        ('127.0.0.1', 5000), now))
    return reply, (json.loads(reply.body) if reply.body and
                   reply.body.startswith(b'{') else None)


def _login(service, now=100.0, user='admin', password='password'):
    reply, body = _call(service, 'POST', '/redfish/v1/SessionService/'
                        'Sessions', {'UserName': user, 'Password': password},
                        now=now)
    return dict(reply.headers).get('X-Auth-Token'), reply.status


def test_session_table_is_bounded_and_evicts_the_idle_longest():
    _, service = _service()
    tokens = [_login(service, now=100.0 + n)[0] for n in range(3)]
    # the first session is used again: the second is now idle longest
    assert _call(service, 'GET', '/redfish/v1/Systems', now=110.0,
                 x_auth_token=tokens[0])[0].status == 200
    fourth, status = _login(service, now=111.0)
    assert status == 201 and len(service.sessions) == 3
    assert _call(service, 'GET', '/redfish/v1/Systems', now=112.0,
                 x_auth_token=tokens[1])[0].status == 401
    for token in (tokens[0], tokens[2], fourth):
        assert _call(service, 'GET', '/redfish/v1/Systems', now=112.0,
                     x_auth_token=token)[0].status == 200


def test_idle_session_expires_and_logout_ends_it():
    _, service = _service()
    token, _ = _login(service)
    assert _call(service, 'GET', '/redfish/v1/Systems', now=159.0,
                 x_auth_token=token)[0].status == 200
    assert _call(service, 'GET', '/redfish/v1/Systems', now=220.0,
                 x_auth_token=token)[0].status == 401
    token, _ = _login(service, now=300.0)
    reply, body = _call(service, 'GET', '/redfish/v1/SessionService/'
                        'Sessions', now=300.0, x_auth_token=token)
    uri = body['Members'][0]['@odata.id']
    assert _call(service, 'DELETE', uri, now=301.0,
                 x_auth_token=token)[0].status == 204
    assert _call(service, 'GET', uri, now=302.0,
                 authorization=ADMIN)[0].status == 404


def test_lockout_is_the_ipmi_sides():
    server, service = _service(lockout_threshold=2, lockout_seconds=30)
    bad = 'Basic ' + base64.b64encode(b'admin:wrong').decode()
    for _ in range(2):
        assert _call(service, 'GET', '/redfish/v1/Systems',
                     authorization=bad)[0].status == 401
    # locked: the right password is refused too, and IPMI's guard says so
    assert _call(service, 'GET', '/redfish/v1/Systems',
                 authorization=ADMIN)[0].status == 401
    assert server.core.guard.locked(b'admin', 100.0)
    assert _call(service, 'GET', '/redfish/v1/Systems', now=131.0,
                 authorization=ADMIN)[0].status == 200


def test_a_demoted_users_session_ends():
    server, service = _service()
    token, _ = _login(service, user='viewer', password='view')
    assert _call(service, 'GET', '/redfish/v1/Systems',
                 x_auth_token=token)[0].status == 200
    reply, _ = _call(service, 'PATCH', '/redfish/v1/AccountService/'
                     'Accounts/3', {'Enabled': False}, authorization=ADMIN)
    assert reply.status == 200
    assert _call(service, 'GET', '/redfish/v1/Systems',
                 x_auth_token=token)[0].status == 401
    assert b'viewer' not in server.users.accounts()


def test_token_and_password_stay_out_of_reprs_and_bodies():
    _, service = _service()
    token, _ = _login(service)
    session = service.sessions.sessions(100.0)[0]
    assert token not in repr(session)
    reply, body = _call(service, 'GET', '/redfish/v1/AccountService/'
                        'Accounts/2', authorization=ADMIN)
    assert body['Password'] is None and b'password' not in reply.body


def test_protocol_rules_odata_version_queries_and_empty_patches():
    server, service = _service()
    reply, body = _call(service, 'GET', '/redfish/v1/', odata_version='4.1')
    assert reply.status == 412 and body['error']['code'].endswith(
        'HeaderInvalid')
    assert _call(service, 'GET', '/redfish/v1/Systems?$expand=*',
                 authorization=ADMIN)[0].status == 501
    assert _call(service, 'GET', '/redfish/v1/Systems?other=1',
                 authorization=ADMIN)[0].status == 200
    before = server.identify_state
    reply, body = _call(service, 'PATCH', '/redfish/v1/Systems/system',
                        {'@odata.id': 'x'}, authorization=ADMIN)
    assert reply.status == 200 and server.identify_state == before
    assert body['@Message.ExtendedInfo'][0]['MessageId'].endswith(
        'NoOperation')
    reply, _ = _call(service, 'GET', '/redfish/v1/Systems/system',
                     authorization=ADMIN)
    headers = dict(reply.headers)
    assert headers['Allow'] == 'GET, PATCH, HEAD'
    assert headers['Link'] == ('<http://redfish.dmtf.org/schemas/v1/'
                               'ComputerSystem.v1_13_0.json>; '
                               'rel=describedby')
    # a POST to a collection's Members creates a member
    reply, _ = _call(service, 'POST', '/redfish/v1/SessionService/'
                     'Sessions/Members', {'UserName': 'admin',
                                          'Password': 'password'})
    assert reply.status == 201


_METHODS = st.sampled_from(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE',
                            'OPTIONS', 'BREW'])
_PATHS = st.one_of(st.sampled_from([
    '/redfish/v1/', '/redfish/v1/Systems/system',
    '/redfish/v1/Systems/system/Actions/ComputerSystem.Reset',
    '/redfish/v1/AccountService/Accounts', '/redfish/v1/AccountService/'
    'Accounts/2', '/redfish/v1/SessionService/Sessions',
    '/redfish/v1/Managers/bmc/Actions/Manager.Reset']),
    st.text(max_size=60).map(lambda t: '/redfish/v1/' + t))
_BODIES = st.one_of(st.binary(max_size=200), st.dictionaries(
    st.sampled_from(['Boot', 'ResetType', 'UserName', 'Password', 'RoleId',
                     'IndicatorLED', 'Enabled', 'x']),
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
              st.lists(st.integers(), max_size=3),
              st.dictionaries(st.text(max_size=30), st.text(max_size=10),
                              max_size=3))).map(
                                  lambda d: json.dumps(d).encode()))


@settings(max_examples=300, deadline=None)
@given(_METHODS, _PATHS, _BODIES, st.booleans(),
       st.text(max_size=40))
def test_any_request_gets_an_answer_never_a_crash(method, path, body, admin,
                                                  if_match):
    _, service = _SHARED
    headers = {'authorization': ADMIN} if admin else {}
    if if_match:
        headers['if-match'] = if_match
    reply = service.handle(core.Request(method, path, headers, body,
                                        ('127.0.0.1', 1), 100.0))
    assert 200 <= reply.status < 600 and reply.status != 500, reply.body
    if reply.status >= 400:
        assert json.loads(reply.body)['error']['@Message.ExtendedInfo']


_SHARED = _service()
