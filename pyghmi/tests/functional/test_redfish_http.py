"""The HTTPS shell of the Redfish service against hostile clients: silent
ones, a connection flood, bytes that are not TLS, malformed HTTP; the
service keeps answering the others."""

import json
import socket
import ssl
import time

import pytest
import requests

from pyghmi.ipmi import bmc as bmcmodule
from pyghmi.redfish.service import core
from pyghmi.redfish.service import http
from pyghmi.redfish.service import machine
from pyghmi.tests.functional import peers

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')


@pytest.fixture
def server():
    bmc = bmcmodule.Bmc({'admin': 'password'}, port=0, address='127.0.0.1')
    service = core.RedfishService(machine.BmcMachine(bmc, bmcmodule.Bmc))
    served = http.RedfishServer(service, read_timeout=0.5,
                                max_connections=2)
    served.start()
    yield served
    served.stop()
    bmc.stop()


def _root(server):
    return requests.get(server.url + '/redfish/v1/', verify=False,
                        timeout=10)


def _read_all(sock):
    data = b''
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def _closed_by_peer(sock, limit=5.0):
    sock.settimeout(limit)
    try:
        return sock.recv(1) == b''
    except (ConnectionResetError, ssl.SSLError):
        return True
    except socket.timeout:
        return False


def test_silent_clients_are_dropped_and_a_flood_is_bounded(server):
    silent = [socket.create_connection(('127.0.0.1', server.port))
              for _ in range(2)]
    # both slots are held by clients that say nothing: the next is
    # closed at once and counted
    extra = socket.create_connection(('127.0.0.1', server.port))
    assert peers.poll(lambda: server.refused, lambda n: n >= 1)
    assert _closed_by_peer(extra)
    # the silent ones go after the read time-out; then others are served
    assert all(_closed_by_peer(sock) for sock in silent)
    assert peers.poll(lambda: _root(server).status_code, lambda s: s == 200)
    for sock in silent + [extra]:
        sock.close()


def test_bytes_that_are_not_tls_or_not_http_get_nowhere(server):
    with socket.create_connection(('127.0.0.1', server.port)) as sock:
        sock.sendall(b'GET / HTTP/1.1\r\n\r\n')      # plain HTTP on TLS
        assert _closed_by_peer(sock)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(('127.0.0.1', server.port)) as raw:
        with context.wrap_socket(raw) as tls:
            tls.sendall(b'\x00\xff garbage\r\n\r\n')
            reply = _read_all(tls)
            assert reply.startswith(b'HTTP/1.1 400 ')
            body = json.loads(reply.split(b'\r\n\r\n', 1)[1])
            assert body['error']['@Message.ExtendedInfo']
    brew = requests.request('BREW', server.url + '/redfish/v1/',
                            verify=False, timeout=10)
    assert brew.status_code == 501 and brew.json()['error']
    started = time.monotonic()
    assert _root(server).status_code == 200
    assert time.monotonic() - started < 5
