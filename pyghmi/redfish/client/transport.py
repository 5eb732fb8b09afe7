"""The HTTPS transport of the Redfish client: one pool of kept-alive
connections per BMC (urllib3's), the certificate pinned by the caller's
``verifycallback`` when one is given, JSON in and out.

Rules of this module:

* a ``verifycallback(der_bytes) -> bool`` (pyghmi's) decides on every
  new connection, right after the TLS handshake and before a request
  is sent; refusal raises :class:`pyghmi.exceptions.UnrecognizedCertificate`;
  without a callback the system's CAs and the host name are checked;
* connections are reused (``maxsize`` at once); a request never opens
  a connection per call;
* every request is bounded by ``timeout`` seconds, the body included
  (read by pieces: a trickle cannot stretch it), and by MAX_BODY bytes;
* no secret (password, token) is logged or put in an exception.
"""

import json
import socket
import ssl
import time
import typing

import urllib3
from urllib3 import connection as urllib3_connection
from urllib3 import connectionpool

from pyghmi import exceptions as exc


# an answer larger than this is refused (a BMC's largest resources,
# registries and logs, are a few MB)
MAX_BODY = 64 << 20
CHUNK = 1 << 16


def tls_context(pinned):
    """The TLS settings of every Redfish connection: TLS 1.2 at least
    (whatever the system's policy or the urllib3 version would allow);
    with ``pinned`` no CA or host name check (the caller's callback
    decides), else the system's CAs and the host name."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if pinned:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class _PinnedConnection(urllib3_connection.HTTPSConnection):
    """An HTTPS connection whose certificate the pool's callback
    accepts, checked before anything is sent."""

    # set on the subclass made per pool
    verifycallback: typing.Callable[[bytes], bool]

    def connect(self):
        super().connect()
        sock: typing.Any = self.sock
        der = sock.getpeercert(binary_form=True)
        if not der or not type(self).verifycallback(der):
            self.close()
            raise exc.UnrecognizedCertificate(
                'the certificate of %s was not accepted' % self.host,
                certdata=der)
        # the callback verified it (urllib3 would warn otherwise)
        self.is_verified = True


class Response:
    """A finished request: ``status``, ``headers`` (lower-case keys) and
    ``body`` (bytes); :meth:`json` decodes it."""

    __slots__ = ('status', 'headers', 'body')

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        """The body as JSON (``{}`` when empty); DecodeError when it is
        not JSON."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            raise exc.DecodeError('the BMC answered something that is not '
                                  'JSON (HTTP %d)' % self.status)


class Transport:
    """Requests to one Redfish service.

    :param host: the BMC's name or address
    :param port: its HTTPS port
    :param verifycallback: ``callable(der) -> bool`` pinning the
        certificate, or None for CA and host name checks
    :param timeout: seconds a request may take
    :param maxsize: connections kept at once
    """

    def __init__(self, host, port=443, verifycallback=None, timeout=60.0,
                 maxsize=4):
        self.host = host
        self.port = port
        self.maxsize = maxsize
        self.timeout = timeout
        self.connections = 0          # TCP connections opened
        context = tls_context(pinned=bool(verifycallback))
        kwargs: typing.Dict[str, typing.Any] = {'ssl_context': context}
        if verifycallback:
            pinned = type('PinnedConnection', (_PinnedConnection,),
                          {'verifycallback': staticmethod(verifycallback)})
            counting = self._counting(pinned)
            kwargs.update(cert_reqs=ssl.CERT_NONE, assert_hostname=False)
        else:
            counting = self._counting(urllib3_connection.HTTPSConnection)
            kwargs.update(cert_reqs=ssl.CERT_REQUIRED)
        self._pool = connectionpool.HTTPSConnectionPool(
            host.strip('[]'), port, maxsize=maxsize, block=False,
            timeout=urllib3.Timeout(total=timeout),
            retries=False,
            **kwargs)
        self._pool.ConnectionCls = counting

    def _counting(self, base: typing.Any) -> typing.Any:
        """``base`` counting the connections it opens."""
        transport = self

        def connect(conn):
            transport.connections += 1
            base.connect(conn)
        return type('Counting' + base.__name__, (base,),
                    {'connect': connect})

    def request(self, method, path, body=None, headers=None, timeout=None):
        """Send one request; returns a :class:`Response`.

        :param body: a dict (sent as JSON), bytes, or None
        :param timeout: seconds it may take (None: the transport's)
        :raises UnrecognizedCertificate: the callback refused the BMC
        :raises IpmiTimeoutError: no answer within the time-out
        :raises PyghmiException: the connection failed
        """
        headers = dict(headers or {})
        headers.setdefault('Accept-Encoding', 'gzip')
        if isinstance(body, dict):
            body = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        seconds = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + seconds
        try:
            reply = self._pool.urlopen(
                method, path, body=body, headers=headers, redirect=False,
                preload_content=False,
                timeout=urllib3.Timeout(total=seconds))
            data = self._body(reply, deadline)
        except exc.UnrecognizedCertificate:
            raise
        except (urllib3.exceptions.TimeoutError, socket.timeout):
            raise exc.IpmiTimeoutError('Redfish request to %s timed out'
                                       % self.host)
        except (urllib3.exceptions.HTTPError, OSError) as err:
            cause = getattr(err, 'reason', None)
            if isinstance(cause, exc.UnrecognizedCertificate):
                raise cause
            raise exc.PyghmiException('Redfish request to %s failed: %s'
                                      % (self.host, type(err).__name__))
        return Response(reply.status, {k.lower(): v for k, v in
                                       reply.headers.items()}, data)

    def _body(self, reply, deadline):
        """The whole body of ``reply`` (decoded), read by pieces so that
        neither a slow trickle nor an endless body outlives the deadline
        or the size limit; the connection goes back to the pool only
        when the body was read whole."""
        chunks = []
        size = 0
        read = getattr(reply, 'read1', None) or (
            lambda amount: reply.read(amount))
        try:
            while True:
                if time.monotonic() > deadline:
                    raise exc.IpmiTimeoutError(
                        'Redfish request to %s timed out' % self.host)
                chunk = read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BODY:
                    raise exc.DecodeError('the BMC sent more than %d bytes'
                                          % MAX_BODY)
                chunks.append(chunk)
        except BaseException:
            reply.close()          # never reuse a half-read connection
            raise
        reply.release_conn()
        return b''.join(chunks)

    def close(self):
        """Close every kept connection."""
        self._pool.close()
