"""The Redfish service without I/O: a parsed HTTP request in, a response
out (see the package text for the rules).

``RedfishService.handle`` routes the path (:data:`resources.ROUTES`),
refuses a method the path lacks (405 with ``Allow``), authenticates
(``X-Auth-Token`` of a session, else ``Authorization: Basic``), checks
the role's privilege, parses a JSON body, checks ``If-Match`` against
the resource's current ETag, runs the handler under the machine's lock,
and shapes the answer: JSON with an ``ETag`` on every resource read,
Redfish's extended error on every refusal.  It never raises for bad
input.
"""

import hashlib
import json
import logging
import typing
import urllib.parse

from pyghmi.redfish.service import auth
from pyghmi.redfish.service import errors
from pyghmi.redfish.service import resources
from pyghmi.redfish.service import update
from pyghmi.redfish.service.errors import RedfishError

LOG = logging.getLogger(__name__)
MAX_BODY = 1 << 20            # bytes of a request body
JSON_TYPE = 'application/json; charset=utf-8'
XML_TYPE = 'application/xml'


class Request(typing.NamedTuple):
    """A parsed HTTP request: ``headers`` keyed by lower-case name."""

    method: str
    path: str
    headers: typing.Mapping[str, str]
    body: bytes
    address: typing.Any
    now: float


class Response(typing.NamedTuple):
    """What to send back: status, headers and body bytes."""

    status: int
    headers: typing.List[typing.Tuple[str, str]]
    body: bytes


def etag_of(body):
    """The (weak) ETag of a resource body: a digest of its JSON."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode())
    return 'W/"%s"' % digest.hexdigest()[:16]


class RedfishService:
    """The service of one machine.

    :param machine: a :class:`pyghmi.redfish.service.machine.BmcMachine`
    :param product: the ``Product`` of the service root
    :param session_limit: sessions at once (the idle-longest is evicted)
    :param session_timeout: seconds of inactivity that end a session
    """

    def __init__(self, machine, product='pyghmi BMC', session_limit=64,
                 session_timeout=1800):
        self.machine = machine
        self.product = product
        self.sessions = auth.SessionTable(session_limit, session_timeout)
        self.requests = 0
        self.port = None        # the HTTPS port, set by the server
        self.tasks = update.Tasks()

    def handle(self, request):
        """The :class:`Response` to ``request``; never raises."""
        self.requests += 1
        try:
            with self.machine.lock:
                return self._handle(request)
        except RedfishError as err:
            return error_response(err)
        except Exception:  # noqa: BLE001 - a bug answers 500, not a crash
            LOG.exception('Redfish request %s %s failed', request.method,
                          request.path)
            return error_response(RedfishError(500, 'GeneralError',
                                               'internal error'))

    # ----------------------------------------------------------- steps
    def _handle(self, request):
        _check_protocol(request)
        path = _normalize(request.path)
        method = 'GET' if request.method == 'HEAD' else request.method
        route, ids = _match(path, method)
        if method not in route.methods:
            raise RedfishError(405, 'OperationNotAllowed', headers={
                'Allow': ', '.join(_allowed(route))})
        privilege, handler = route.methods[method]
        principal = None
        if privilege is not None:
            principal = self._authenticate(request)
            if not principal.may(privilege):
                raise RedfishError(403, 'InsufficientPrivilege')
        ctx = resources.Ctx(self, self.machine, principal, request.now, ids,
                            request.address, request.headers)
        if method == 'GET':
            return self._read(request, route, handler, ctx)
        self._check_if_match(request, route, path, ctx)
        if method == 'DELETE':
            status, body, headers = handler(ctx)
            return _json(status, body, headers)
        if route.raw_limit:
            if len(request.body) > route.raw_limit:
                raise RedfishError(413, 'PayloadTooLarge')
            status, body, headers = handler(ctx, request.body)
            return _json(status, body, headers)
        body = _json_body(request.body)
        if method == 'PATCH':
            # OData annotations of a PATCH are ignored; one that holds
            # nothing else changes nothing
            body = {k: v for k, v in body.items() if not k.startswith('@')}
            if not body:
                return _json(200, {'@Message.ExtendedInfo': [
                    errors.extended_info('NoOperation')]}, {})
        status, body, headers = handler(ctx, body)
        return _json(status, body, headers)

    def _read(self, request, route, handler, ctx):
        body = handler(ctx)
        allow = ('Allow', ', '.join(_allowed(route)))
        if isinstance(body, str):           # $metadata
            data = body.encode('utf-8')
            return Response(200, [('Content-Type', XML_TYPE), allow,
                                  ('OData-Version', '4.0')],
                            b'' if request.method == 'HEAD' else data)
        etag = etag_of(body)
        if request.headers.get('if-none-match') == etag:
            return Response(304, [('ETag', etag), allow], b'')
        if '@odata.id' in body:
            body = dict(body, **{'@odata.etag': etag})
        headers = {'ETag': etag, 'Allow': allow[1]}
        schema = _schema_uri(body.get('@odata.type'))
        if schema:
            headers['Link'] = '<%s>; rel=describedby' % schema
        response = _json(200, body, headers)
        if request.method == 'HEAD':
            return response._replace(body=b'')
        return response

    def _authenticate(self, request):
        token = request.headers.get('x-auth-token')
        if token:
            session = self.sessions.by_token(token, request.now)
            if session is None:
                raise RedfishError(401, 'NoValidSession')
            return self._principal(session.user, session)
        header = request.headers.get('authorization', '')
        credentials = auth.basic_credentials(header) if header else None
        if credentials is None:
            raise RedfishError(401, 'NoValidSession', headers={
                'WWW-Authenticate': 'Basic realm="Redfish"'})
        user, password = credentials
        auth.check_password(self.machine.accounts(), self.machine.guard(),
                            user, password, request.now)
        return self._principal(user, None)

    def _principal(self, user, session):
        account = self.machine.accounts().get(user.encode('utf-8'))
        role = auth.role_of(account) if account is not None else None
        if role is None:            # deleted or demoted since it logged in
            if session is not None:
                self.sessions.close(session)
            raise RedfishError(401, 'NoValidSession')
        return auth.Principal(user, role, session)

    def _check_if_match(self, request, route, path, ctx):
        """412 when ``If-Match`` names another version of the resource a
        PATCH, DELETE or action changes (a POST that creates a member
        has no version to match)."""
        wanted = request.headers.get('if-match')
        if wanted is None or wanted.strip() == '*' or \
                request.method == 'POST' and route.guarded_by is None:
            return
        guarded = route.guarded_by or path
        target, target_ids = _match(guarded)
        getter = target.methods.get('GET')
        if getter is None:
            return
        current = etag_of(getter[1](ctx._replace(ids=target_ids)))
        tags = [tag.strip() for tag in wanted.split(',')]
        # a strong tag of the same value matches a weak comparison
        if current not in tags and current[2:] not in tags:
            raise RedfishError(412, 'PreconditionFailed')


def error_response(err):
    """The :class:`Response` of a :class:`RedfishError`: its status and
    headers, the extended-error body."""
    return _json(err.status, errors.error_body(err.message, *err.args_),
                 dict(err.headers))


def _normalize(path):
    path = path.split('?', 1)[0].split('#', 1)[0]
    while '//' in path:
        path = path.replace('//', '/')
    if len(path) > 1 and path.endswith('/'):
        path = path[:-1]
    return path


def _match(path, method='GET'):
    if method == 'POST' and path.endswith('/Members'):
        # a POST to a collection's Members property creates a member
        route, ids = _match(path[:-len('/Members')])
        if 'POST' in route.methods:
            return route, ids
    for route in resources.ROUTES:
        found = route.pattern.match(path)
        if found:
            return route, found.groups()
    raise RedfishError(404, 'ResourceNotFound', 'resource', path)


def _check_protocol(request):
    """Refuse what this service cannot honour: an OData version other
    than 4.0 (412), a ``$`` query option (501: none is supported)."""
    version = request.headers.get('odata-version')
    if version is not None and version.strip() != '4.0':
        raise RedfishError(412, 'HeaderInvalid', 'OData-Version: %s'
                           % version)
    query = urllib.parse.urlsplit(request.path).query
    for name, _ in urllib.parse.parse_qsl(query, keep_blank_values=True):
        if name.startswith('$'):
            raise RedfishError(501, 'QueryNotSupported')


def _schema_uri(odata_type):
    """The JSON schema of an ``@odata.type`` (for the Link header)."""
    if not odata_type or not odata_type.startswith('#'):
        return None
    namespace = odata_type[1:].rsplit('.', 1)[0]
    return 'http://redfish.dmtf.org/schemas/v1/%s.json' % namespace


def _allowed(route):
    methods = list(route.methods)
    if 'GET' in methods:
        methods.append('HEAD')
    return methods


def body_limit(path):
    """The largest request body the service takes for ``path``: an
    upload route's limit, else :data:`MAX_BODY` (the HTTP shell drops a
    larger body before reading it)."""
    try:
        route, _ = _match(_normalize(path), 'POST')
    except RedfishError:
        return MAX_BODY
    return max(route.raw_limit, MAX_BODY)


def _json_body(data):
    if len(data) > MAX_BODY:
        raise RedfishError(413, 'PayloadTooLarge')
    try:
        body = json.loads(data.decode('utf-8')) if data else {}
    except (UnicodeDecodeError, ValueError):
        raise RedfishError(400, 'MalformedJSON')
    if not isinstance(body, dict):
        raise RedfishError(400, 'MalformedJSON')
    return body


def _json(status, body, headers):
    out = [('Cache-Control', 'no-cache'), ('OData-Version', '4.0')]
    out.extend(headers.items())
    if body is None:
        return Response(status, out, b'')
    out.append(('Content-Type', JSON_TYPE))
    return Response(status, out, json.dumps(body).encode('utf-8'))
