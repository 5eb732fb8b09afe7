"""The asyncio HTTPS transport of the Redfish client: the same rules as
:mod:`.transport` (kept-alive connections, at most ``maxsize`` at once,
the certificate pinned by the caller's ``verifycallback`` before anything
is sent, TLS 1.2+, gzip, every request bounded in time and size), on
asyncio streams, with h11 parsing HTTP/1.1 (no HTTP parsing by hand).

Rules of this module:

* a connection is checked out for one request and goes back to the idle
  list only when its exchange ended cleanly; a time-out, a cancellation
  or a protocol error closes it (nothing half-read is ever reused);
* no thread is started, no secret is logged or put in an exception.
"""

import asyncio
import collections
import json
import typing
import zlib

import h11

from pyghmi import exceptions as exc
from pyghmi.redfish.client import transport as rftransport
from pyghmi.util import aiotime

READ_SIZE = 1 << 16


class _Connection:
    """One TLS connection and its h11 state."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT)

    async def exchange(self, method, target, headers, body):
        """``(status, headers, raw body)`` of one request."""
        wire = self.h11.send(h11.Request(method=method, target=target,
                                         headers=headers))
        if body:
            wire += self.h11.send(h11.Data(data=body))
        wire += self.h11.send(h11.EndOfMessage())
        self.writer.write(wire)
        await self.writer.drain()
        status, answer, chunks, size = None, [], [], 0
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(READ_SIZE)
                self.h11.receive_data(data)
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
                answer = [(k.decode('latin-1').lower(),
                           v.decode('latin-1')) for k, v in event.headers]
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if size > rftransport.MAX_BODY:
                    raise exc.DecodeError('the BMC sent more than %d bytes'
                                          % rftransport.MAX_BODY)
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return status, dict(answer), b''.join(chunks)
            elif isinstance(event, h11.ConnectionClosed):
                raise exc.PyghmiException('the BMC closed the connection')

    def reusable(self):
        if self.h11.our_state is h11.DONE and \
                self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
            return True
        return False

    def close(self):
        self.writer.close()


class AsyncTransport:
    """Requests to one Redfish service from an asyncio event loop.

    :param host: the BMC's name or address
    :param port: its HTTPS port
    :param verifycallback: ``callable(der) -> bool`` pinning the
        certificate, or None for CA and host name checks
    :param timeout: seconds a request may take
    :param maxsize: connections open at once
    """

    def __init__(self, host, port=443, verifycallback=None, timeout=60.0,
                 maxsize=4):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.maxsize = maxsize
        self.connections = 0          # TCP connections opened
        self._verify = verifycallback
        self._context = rftransport.tls_context(bool(verifycallback))
        self._idle: typing.Deque[_Connection] = collections.deque()
        self._busy: typing.Set[_Connection] = set()
        self._slots: typing.Optional[asyncio.Semaphore] = None

    def __repr__(self):
        return 'AsyncTransport(%r, %r)' % (self.host, self.port)

    @property
    def open_connections(self):
        """Connections open now (idle or in use)."""
        return len(self._idle) + len(self._busy)

    async def _connect(self):
        reader, writer = await asyncio.open_connection(
            self.host.strip('[]'), self.port, ssl=self._context,
            server_hostname=self.host.strip('[]'))
        self.connections += 1
        if self._verify:
            der = writer.get_extra_info('ssl_object').getpeercert(
                binary_form=True)
            if not der or not self._verify(der):
                writer.close()
                raise exc.UnrecognizedCertificate(
                    'the certificate of %s was not accepted' % self.host,
                    certdata=der)
        return _Connection(reader, writer)

    async def request(self, method, path, body=None, headers=None,
                      timeout=None):
        """Send one request; returns a :class:`.transport.Response`.

        :raises UnrecognizedCertificate: the callback refused the BMC
        :raises IpmiTimeoutError: no whole answer within the time-out
        :raises PyghmiException: the connection failed
        """
        body, sent = _prepare(self.host, body, headers)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.maxsize)
        seconds = self.timeout if timeout is None else timeout
        async with self._slots:
            try:
                return await aiotime.bounded(
                    self._exchange(method, path, sent, body), seconds)
            except asyncio.TimeoutError:
                raise exc.IpmiTimeoutError(
                    'Redfish request to %s timed out' % self.host)

    async def _exchange(self, method, path, headers, body):
        conn = self._idle.popleft() if self._idle else None
        try:
            if conn is None:
                conn = await self._connect()
            self._busy.add(conn)
            status, answer, raw = await conn.exchange(method, path, headers,
                                                      body)
        except BaseException as err:
            # cancelled, timed out or failed: never reuse it
            if conn is not None:
                self._busy.discard(conn)
                conn.close()
            if isinstance(err, (exc.PyghmiException,
                                exc.UnrecognizedCertificate,
                                asyncio.CancelledError)):
                raise
            if isinstance(err, (OSError, h11.ProtocolError, EOFError)):
                raise exc.PyghmiException(
                    'Redfish request to %s failed: %s'
                    % (self.host, type(err).__name__))
            raise
        self._busy.discard(conn)
        if conn.reusable():
            self._idle.append(conn)
        else:
            conn.close()
        return rftransport.Response(status, answer,
                                    _decoded(answer, raw))

    async def close(self):
        """Close every connection (idle ones, and any still in use)."""
        for conn in list(self._idle) + list(self._busy):
            conn.close()
        self._idle.clear()
        self._busy.clear()


def _prepare(host, body, headers):
    """``(body bytes, h11 headers)`` of a request."""
    sent = {'host': host if ':' not in host or host.startswith('[')
            else '[%s]' % host, 'accept-encoding': 'gzip'}
    for key, value in (headers or {}).items():
        sent[key.lower()] = str(value)
    if isinstance(body, dict):
        body = json.dumps(body).encode('utf-8')
        sent.setdefault('content-type', 'application/json')
    if body or 'content-type' in sent:
        sent['content-length'] = str(len(body or b''))
    return body, list(sent.items())


def _decoded(headers, raw):
    """The body, gunzipped when the BMC said gzip (bounded by
    MAX_BODY)."""
    if headers.get('content-encoding', '').lower() != 'gzip' or not raw:
        return raw
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflate.decompress(raw, rftransport.MAX_BODY)
    except zlib.error:
        raise exc.DecodeError('the BMC sent a damaged gzip body')
    if inflate.unconsumed_tail:
        raise exc.DecodeError('the BMC sent more than %d bytes'
                              % rftransport.MAX_BODY)
    return out
