"""The asyncio Redfish transport (h11 over asyncio streams) against a
broken or hostile HTTPS server: the blocking transport's errors, within
the time-out, and a connection never reused after a failed exchange."""

import asyncio
import gzip
import socket
import ssl
import threading
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.aio.redfish import command as aiocommand
from pyghmi.tests.support import hostile_https
from pyghmi.tests.support.hostile_https import Answer


async def _client(server, **kwargs):
    return await aiocommand.Command.create(
        '127.0.0.1', 'admin', 'password', lambda der: True,
        port=server.port, **kwargs)


def test_bodies_cut_slow_or_too_big():
    routes = hostile_https.minimal_service()

    async def scenario(server):
        c = await _client(server, timeout=2)
        routes['/redfish/v1/Systems/1'] = Answer(b'{"PowerState": "O')
        with pytest.raises(exc.DecodeError):
            await c.get_power()
        routes['/redfish/v1/Systems/1'] = Answer(b'{"PowerState": "On"}',
                                                 length=400)
        with pytest.raises(exc.PyghmiException):
            await c.get_power()
        routes['/redfish/v1/Systems/1'] = Answer(
            {'PowerState': 'On', 'Padding': 'x' * 64}, trickle=0.2)
        start = time.monotonic()
        with pytest.raises(exc.IpmiTimeoutError):
            await c.get_power()
        assert time.monotonic() - start < 4
        # a gzip body that inflates past the limit
        bomb = gzip.compress(b'{"a": "' + b'x' * (65 << 20) + b'"}')
        routes['/redfish/v1/Systems/1'] = Answer(
            bomb, headers={'Content-Encoding': 'gzip'})
        with pytest.raises(exc.DecodeError):
            await c.get_power()
        routes['/redfish/v1/Systems/1'] = Answer(
            {'PowerState': 'Off', 'Id': '1'})
        assert await c.get_power() == {'powerstate': 'off'}
        assert c.transport.open_connections <= c.transport.maxsize
        await c.logout()
    with hostile_https.HostileServer(routes) as server:
        asyncio.run(scenario(server))


def test_redirects_errors_and_certificates():
    routes = hostile_https.minimal_service()

    async def scenario(server):
        c = await _client(server)
        routes['/redfish/v1/Systems/1'] = Answer(
            b'', status=302,
            headers={'Location': 'https://192.0.2.1/redfish/v1/Systems/1'})
        with pytest.raises(exc.PyghmiException) as caught:
            await c.get_power()
        assert '302' in str(caught.value)
        routes['/redfish/v1/Systems/1'] = Answer({'error': {
            '@Message.ExtendedInfo': [{
                'MessageId': 'Base.1.8.InternalError',
                'Message': 'The service hit an internal error.'}]}},
            status=500)
        with pytest.raises(exc.RedfishError) as caught:
            await c.get_power()
        assert caught.value.msgid == 'Base.1.8.InternalError'
        await c.logout()
        with pytest.raises(exc.UnrecognizedCertificate):
            await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', lambda der: False,
                port=server.port)
        with pytest.raises(exc.PyghmiException):       # system CAs
            await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', None, port=server.port)
    with hostile_https.HostileServer(routes) as server:
        asyncio.run(scenario(server))
        assert ('GET', '/redfish/v1/Systems/1') in server.requests


def test_a_server_that_does_not_speak_http():
    """TLS, then bytes that are no HTTP response: a clear error."""
    from pyghmi.redfish.service import http
    pem, key = http.self_signed()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        with open(tmp + '/c.pem', 'wb') as f:
            f.write(pem)
        with open(tmp + '/k.pem', 'wb') as f:
            f.write(key)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp + '/c.pem', tmp + '/k.pem')
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                tls = context.wrap_socket(conn, server_side=True)
                tls.recv(4096)
                tls.sendall(b'SSH-2.0-OpenSSH\r\n\x00\xff garbage\r\n\r\n')
                tls.close()
            except OSError:
                conn.close()
    threading.Thread(target=serve, daemon=True).start()

    async def scenario():
        start = time.monotonic()
        with pytest.raises(exc.PyghmiException):
            await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', lambda der: True,
                port=port, timeout=5)
        assert time.monotonic() - start < 5
    try:
        asyncio.run(scenario())
    finally:
        listener.close()
