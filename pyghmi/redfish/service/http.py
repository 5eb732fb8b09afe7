"""The HTTPS shell of a Redfish service: sockets, TLS and HTTP/1.1
parsing (the standard library's), nothing of Redfish.

One thread per connection, connections kept alive (HTTP/1.1), a
time-out on every read so a slow or silent client cannot hold a thread
forever, at most ``max_connections`` connections at once (a new one
beyond is closed at once, and counted), a bound on the request body,
loopback unless told otherwise.
A certificate is made at start-up (:func:`self_signed`) when none is
given; its SHA-256 fingerprint is printed by the tools that start one.
"""

import datetime
import hashlib
import http.server
import ipaddress
import logging
import os
import socket
import ssl
import sys
import tempfile
import threading
import time
import typing

from pyghmi.redfish.service import core

LOG = logging.getLogger(__name__)
READ_TIMEOUT = 30.0           # seconds a connection may stay silent
MAX_CONNECTIONS = 64          # connections served at once
# A body over core.MAX_BODY is read and dropped up to this size, so the
# client gets its 413 instead of a connection reset mid-send; beyond it
# the connection is closed at once.
DRAIN_LIMIT = 16 * core.MAX_BODY


def self_signed(host='127.0.0.1', days=365):
    """A new key and self-signed certificate for ``host``: ``(cert PEM,
    key PEM)`` bytes (ECDSA P-256, for localhost and the address)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         'pyghmi Redfish')])
    now = datetime.datetime.now(datetime.timezone.utc)
    alt: list = [x509.DNSName('localhost')]
    try:
        alt.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        alt.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def fingerprint(cert_pem):
    """``sha256$<hex>`` of a PEM certificate's DER form (how pyghmi's
    Redfish callers pin certificates)."""
    der = ssl.PEM_cert_to_DER_cert(cert_pem.decode('ascii'))
    return 'sha256$' + hashlib.sha256(der).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # a request line that cannot be parsed still gets an HTTP/1.1 answer
    default_request_version = 'HTTP/1.1'
    # headers and body go out in two writes: without TCP_NODELAY the
    # body waits for the client's delayed ACK (40 ms a request)
    disable_nagle_algorithm = True
    server_version = 'pyghmi-redfish'
    sys_version = ''

    def setup(self):
        server: typing.Any = self.server
        self.request.settimeout(server.read_timeout)
        super().setup()

    def _serve(self):
        length = self.headers.get('Content-Length')
        try:
            size = int(length) if length else 0
        except ValueError:
            size = -1
        if size < 0 or size > core.body_limit(self.path):
            self.close_connection = True
            if 0 < size <= DRAIN_LIMIT:
                self._drain(size)
            reply = core.error_response(core.RedfishError(
                413 if size > 0 else 400,
                'PayloadTooLarge' if size > 0 else 'MalformedJSON'))
            return self._send(reply)
        body = self.rfile.read(size) if size else b''
        request = core.Request(
            self.command, self.path,
            {key.lower(): value for key, value in self.headers.items()},
            body, self.client_address, time.monotonic())
        server: typing.Any = self.server
        self._send(server.service.handle(request))

    def _drain(self, size):
        while size > 0:
            chunk = self.rfile.read(min(size, 1 << 16))
            if not chunk:
                return
            size -= len(chunk)

    def _send(self, reply):
        self.send_response(reply.status)
        for key, value in reply.headers:
            self.send_header(key, value)
        self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        if reply.body and self.command != 'HEAD':
            self.wfile.write(reply.body)

    do_GET = do_HEAD = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def send_error(self, code, message=None, explain=None):
        """HTTP-level refusals (bad request line, unknown method, header
        too long) as Redfish extended errors, and the connection closed."""
        self.close_connection = True
        self._send(core.error_response(core.RedfishError(
            code, 'GeneralError', message or explain or 'bad request',
            headers={'Connection': 'close'})))

    def log_message(self, fmt, *args):    # headers (tokens) never logged
        LOG.debug('redfish %s: ' + fmt, self.client_address[0], *args)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, service, context, read_timeout,
                 max_connections):
        self.service = service
        self.context = context
        self.read_timeout = read_timeout
        self.slots = threading.BoundedSemaphore(max_connections)
        self.refused = 0
        self.address_family = socket.AF_INET6 if ':' in address[0] \
            else socket.AF_INET
        super().__init__(address, _Handler)

    def get_request(self):
        sock, addr = super().get_request()
        return self.context.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False), addr

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.refused += 1            # a flood: close, serve the rest
            if _power_of_ten(self.refused):   # logged, but not flooded
                LOG.warning('Redfish connections refused: %d so far, '
                            '%s the latest (all slots busy)',
                            self.refused, client_address[0])
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            # the slot is free before the socket closes: a client that
            # sees its connection end may connect again at once
            self.slots.release()
            self.shutdown_request(request)

    def finish_request(self, request, client_address):
        try:
            request.settimeout(self.read_timeout)
            request.do_handshake()
        except (OSError, ssl.SSLError) as err:
            LOG.debug('TLS handshake with %s failed: %s', client_address,
                      err)
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):   # the client's end (reset, TLS)
            LOG.debug('Redfish connection from %s ended with an error',
                      client_address, exc_info=True)
            return
        # anything else is a bug of the shell: its client got no answer
        LOG.warning('Redfish connection from %s closed by an error',
                    client_address[0], exc_info=True)


def _power_of_ten(count):
    """1, 10, 100...: when a running count is worth a log line."""
    while count % 10 == 0:
        count //= 10
    return count == 1


class RedfishServer:
    """Serve ``service`` over HTTPS on ``address``:``port`` (0: a free
    port, then read :attr:`port`) in a thread of its own.

    :param certfile: PEM certificate (None: a self-signed one is made)
    :param keyfile: its PEM key
    :param read_timeout: seconds a connection may stay silent
    :param max_connections: connections served at once
    """

    def __init__(self, service, port=0, address='127.0.0.1', certfile=None,
                 keyfile=None, read_timeout=READ_TIMEOUT,
                 max_connections=MAX_CONNECTIONS):
        self.service = service
        if certfile is None:
            cert, key = self_signed(address)
            certfile, keyfile = _temporary(cert), _temporary(key)
            self._temporaries = [certfile, keyfile]
        else:
            self._temporaries = []
        with open(certfile, 'rb') as stream:
            self.cert_pem = stream.read()
        self.fingerprint = fingerprint(self.cert_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(certfile, keyfile)
        self._server = _Server((address, port), service, context,
                               read_timeout, max_connections)
        self.address = address
        self.port = self._server.server_address[1]
        service.port = self.port
        self._thread = None

    @property
    def refused(self):
        """Connections closed at once because ``max_connections`` were
        being served."""
        return self._server.refused

    @property
    def url(self):
        """The service's base URL."""
        host = '[%s]' % self.address if ':' in self.address else \
            self.address
        return 'https://%s:%d' % (host, self.port)

    def start(self):
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='redfish-%d' % self.port,
                                        daemon=True)
        self._thread.start()

    def stop(self):
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(10)
            self._thread = None
        self._server.server_close()
        for path in self._temporaries:
            try:
                os.unlink(path)
            except OSError:
                pass


def _temporary(data):
    fd, path = tempfile.mkstemp(prefix='pyghmi-redfish-', suffix='.pem')
    with os.fdopen(fd, 'wb') as stream:
        stream.write(data)
    return path
