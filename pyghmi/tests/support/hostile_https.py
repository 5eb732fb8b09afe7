"""A small HTTPS server whose answers a test writes path by path: the
hostile or broken Redfish service of the client's robustness tests
(truncated JSON, wrong types, errors, redirects, slow bodies).

Each route is ``path -> Answer``; a path without one answers 404.  The
server speaks HTTP/1.1 with keep-alive on 127.0.0.1, on a free port,
in a thread, and stops with the context manager.
"""

import http.server
import json
import ssl
import tempfile
import threading
import time
import typing


class Answer(typing.NamedTuple):
    """What the server sends for one path.

    :param body: bytes, or a JSON-able value (sent as JSON)
    :param status: the HTTP status
    :param headers: extra headers
    :param trickle: seconds between bytes of the body (a slow server)
    :param length: the Content-Length to claim (None: the real one)
    """

    body: typing.Any = b''
    status: int = 200
    headers: typing.Dict[str, str] = {}
    trickle: float = 0.0
    length: typing.Optional[int] = None


class HostileServer:
    """``with HostileServer(routes) as server: server.port``.

    :param routes: path -> :class:`Answer` (a dict the test may change)
    :param cert: PEM certificate and key (bytes); a new self-signed one
        when None
    """

    def __init__(self, routes, cert=None):
        from pyghmi.redfish.service import http as rfhttp
        self.routes = routes
        self.requests: typing.List[typing.Tuple[str, str]] = []
        pem, key = cert or rfhttp.self_signed()
        self._files = tempfile.TemporaryDirectory()
        certfile = self._files.name + '/cert.pem'
        keyfile = self._files.name + '/key.pem'
        with open(certfile, 'wb') as stream:
            stream.write(pem)
        with open(keyfile, 'wb') as stream:
            stream.write(key)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        handler = self._handler()
        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                       handler)
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket,
                                                  server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        daemon=True)

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split('?', 1)[0]
                server.requests.append((self.command, path))
                answer = server.routes.get(path)
                if answer is None:
                    answer = Answer({'error': {'code': 'Base.1.0.NotFound',
                                               'message': 'no such path'}},
                                    status=404)
                body = answer.body
                if not isinstance(body, bytes):
                    body = json.dumps(body).encode('utf-8')
                self.send_response(answer.status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(
                    len(body) if answer.length is None else answer.length))
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if answer.trickle:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                else:
                    self.wfile.write(body)
                if answer.length is not None and answer.length != len(body):
                    self.close_connection = True

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._files.cleanup()


def root(systems=True):
    """A minimal service root (no SessionService: Basic auth)."""
    body = {'@odata.id': '/redfish/v1/', 'Id': 'RootService',
            'RedfishVersion': '1.15.0',
            'Managers': {'@odata.id': '/redfish/v1/Managers'}}
    if systems:
        body['Systems'] = {'@odata.id': '/redfish/v1/Systems'}
    return body


def minimal_service():
    """Routes of a tiny valid service: one system, one manager."""
    return {
        '/redfish/v1/': Answer(root()),
        '/redfish/v1/Systems': Answer({'Members': [
            {'@odata.id': '/redfish/v1/Systems/1'}]}),
        '/redfish/v1/Systems/1': Answer({
            '@odata.id': '/redfish/v1/Systems/1', 'Id': '1',
            'PowerState': 'On', 'Links': {'ManagedBy': [
                {'@odata.id': '/redfish/v1/Managers/1'}]}}),
        '/redfish/v1/Managers': Answer({'Members': [
            {'@odata.id': '/redfish/v1/Managers/1'}]}),
        '/redfish/v1/Managers/1': Answer({
            '@odata.id': '/redfish/v1/Managers/1', 'Id': '1'}),
    }
