"""Small pieces of the Redfish client's flows, driven by a scripted
transport (a service written in the test): the login and re-login,
ETags, the cache, collections, parallel reads, and request bodies.
The client against real services is in the functional tests."""

import email.parser
import email.policy
import json

import pytest

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import firmware
from pyghmi.redfish.client import connection
from pyghmi.redfish.client import driver
from pyghmi.redfish.client import flow
from pyghmi.redfish.client import transport


class Scripted:
    """A transport answering ``handler(method, path, body, headers)``
    -> (status, headers, body) and recording every request."""

    def __init__(self, handler):
        self.handler = handler
        self.sent = []

    def request(self, method, path, body=None, headers=None, timeout=None):
        self.sent.append((method, path, body, dict(headers or {})))
        status, head, answer = self.handler(method, path, body,
                                            headers or {})
        if not isinstance(answer, bytes):
            answer = json.dumps(answer).encode('utf-8')
        return transport.Response(status, head, answer)


ROOT = {'SessionService': {'@odata.id': '/redfish/v1/SessionService'},
        'Links': {'Sessions': {
            '@odata.id': '/redfish/v1/SessionService/Sessions'}}}


def _service(state):
    """A service with sessions, one resource with an ETag, and a
    collection; ``state`` says what to do (tokens, etags...)."""
    def handler(method, path, body, headers):
        if path == '/redfish/v1/':
            return 200, {}, ROOT
        if path == '/redfish/v1/SessionService/Sessions':
            state['logins'] += 1
            token = 'token-%d' % state['logins']
            state['token'] = token
            return 201, {'x-auth-token': token, 'location':
                         '/redfish/v1/SessionService/Sessions/1'}, {}
        if headers.get('X-Auth-Token') != state.get('token'):
            return 401, {}, {}
        if path == '/r':
            if method == 'GET':
                return 200, {'etag': state['etag']}, {'Value': state['v']}
            if method == 'PATCH':
                if headers.get('If-Match') not in (state['etag'], '*'):
                    return 412, {}, {}
                state['v'] = body['Value']
                state['etag'] = 'W/"%d"' % state['v']
                return 204, {}, b''
        if path == '/c':
            return 200, {}, {'Members': [
                {'@odata.id': '/c/1'}, {'@odata.id': '/c/2', 'Name': 'two'},
                {'@odata.id': '/c/3'}, 'junk']}
        if path == '/c/1':
            return 200, {}, {'Name': 'one'}
        if path == '/c/3':
            return 500, {}, b'broken'
        if path == '/redfish/v1/SessionService/Sessions/1':
            state['token'] = None
            return 204, {}, b''
        return 404, {}, {}
    return handler


def _open(state):
    service = Scripted(_service(state))
    run = driver.Driver(service, workers=3)
    conn = connection.Connection('bmc', 'admin', 'password')
    run.run(conn.open())
    return service, run, conn


def test_login_then_relogin_once_when_the_session_expires():
    state = {'logins': 0, 'etag': 'W/"1"', 'v': 1}
    service, run, conn = _open(state)
    assert conn.token == 'token-1' and state['logins'] == 1
    login = [s for s in service.sent if s[0] == 'POST'][0]
    assert login[2] == {'UserName': 'admin', 'Password': 'password'}
    state['token'] = 'expired-elsewhere'
    assert run.run(conn.get('/r'))['Value'] == 1
    assert state['logins'] == 2 and conn.token == 'token-2'
    run.run(conn.logout())
    assert service.sent[-1][:2] == ('DELETE',
                                    '/redfish/v1/SessionService/Sessions/1')
    assert 'password' not in repr(conn)


def test_patch_carries_the_etag_read_and_retries_a_412_once():
    state = {'logins': 0, 'etag': 'W/"1"', 'v': 1}
    service, run, conn = _open(state)
    run.run(conn.get('/r'))
    run.run(conn.write('PATCH', '/r', {'Value': 2}))
    assert service.sent[-1][3]['If-Match'] == 'W/"1"'
    # after our write the ETag is unknown until read: '*'
    run.run(conn.write('PATCH', '/r', {'Value': 4}))
    assert service.sent[-1][3]['If-Match'] == '*'
    run.run(conn.get('/r'))
    # someone else changed it: the ETag we hold is stale
    state['v'], state['etag'] = 7, 'W/"7"'
    run.run(conn.write('PATCH', '/r', {'Value': 3}))
    methods = [(m, h.get('If-Match')) for m, p, _, h in service.sent[-3:]]
    assert methods == [('PATCH', 'W/"4"'), ('GET', None),
                       ('PATCH', 'W/"7"')]
    assert state['v'] == 3
    # a read after the write is fresh, not the cached copy
    assert run.run(conn.get('/r'))['Value'] == 3


def test_the_cache_serves_reads_until_a_write():
    state = {'logins': 0, 'etag': 'W/"1"', 'v': 1}
    service, run, conn = _open(state)
    run.run(conn.get('/r'))
    count = len(service.sent)
    run.run(conn.get('/r'))
    assert len(service.sent) == count
    run.run(conn.get('/r', cache=False))
    assert len(service.sent) == count + 1


def test_members_skip_expanded_junk_and_broken_ones():
    state = {'logins': 0, 'etag': 'W/"1"', 'v': 1}
    service, run, conn = _open(state)
    members = run.run(conn.members('/c'))
    assert [m['Name'] for m in members] == ['one', 'two']
    paths = [p for _, p, _, _ in service.sent]
    assert '/c/2' not in paths and '/c/3' in paths


def test_parallel_results_keep_their_order_and_errors_in_place():
    def handler(method, path, body, headers):
        if path == '/bad':
            return 503, {}, b''
        return 200, {}, {'path': path}
    run = driver.Driver(Scripted(handler), workers=4)
    conn = connection.Connection('bmc', 'u', 'p')
    paths = ['/a%d' % i for i in range(10)] + ['/bad']
    found = run.run(conn.read_many(paths))
    assert [found[p]['path'] for p in paths[:-1]] == paths[:-1]
    assert isinstance(found['/bad'], exc.PyghmiException)


def test_collect_passes_errors_back_into_the_listing():
    def listing():
        try:
            yield flow.Http('GET', '/x')
        except exc.PyghmiException:
            yield 'recovered'
        yield 'after'

    def handler(method, path, body, headers):
        return 500, {}, b''

    class Failing(Scripted):
        def request(self, *args, **kwargs):
            raise exc.PyghmiException('connection reset')
    run = driver.Driver(Failing(handler))
    assert run.run(flow.collect(listing())) == ['recovered', 'after']
    assert list(run.iterate(listing())) == ['recovered', 'after']


def test_multipart_push_is_read_by_the_standard_parser():
    image = b'\x00\x01--not-a-boundary--\r\n\xff' * 100
    body, kind = firmware._multipart('fw.bin', image,
                                     [('Oem', {'x': 1}), ('Note', 'hi')])
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b'Content-Type: ' + kind.encode() + b'\r\n\r\n' + body)
    parts = {p.get_param('name', header='content-disposition'):
             p.get_payload(decode=True) for p in message.iter_parts()}
    assert parts['UpdateFile'] == image
    assert json.loads(parts['UpdateParameters']) == {'Targets': []}
    assert json.loads(parts['Oem']) == {'x': 1}
    assert parts['Note'] == b'hi'


def test_a_listing_run_as_a_call_is_a_bug_not_a_result():
    def listing():
        yield 'an item'
    with pytest.raises(TypeError):
        driver.Driver(Scripted(None)).run(listing())
