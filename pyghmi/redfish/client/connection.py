"""A logged-in Redfish connection: the login (a session where the
service offers one, else Basic), JSON requests with the service's
errors raised as :class:`pyghmi.exceptions.RedfishError`, a short read
cache that the client's own writes invalidate, and the logout.

Rules of this module:

* a read is cached for ``cache_seconds`` (30, as pyghmi's) unless the
  caller asks for a fresh one; any write (PATCH, POST, DELETE) drops
  the cached copy of what it wrote and of the resource an action
  belongs to, so a read after a write sees the write;
* a 401 on a session logs in again once, then the request is retried;
* a PATCH carries ``If-Match`` (the caller's ETag, else ``*``).
"""

import base64
import time

from pyghmi import exceptions as exc

CACHE_SECONDS = 30.0


class Connection:
    """Requests to one Redfish service as one user.

    :param transport: a :class:`.transport.Transport`
    :param userid: user name (str or bytes)
    :param password: password (str or bytes)
    """

    def __init__(self, transport, userid, password):
        self.transport = transport
        self._user = _text(userid)
        self._password = _text(password)
        self.token = None
        self.session_uri = None
        self._cache = {}
        self.root = self._request('GET', '/redfish/v1/', auth=False).json()
        if 'SessionService' in self.root:
            self._login()

    def __repr__(self):
        return 'Connection(host=%r, session=%r)' % (
            self.transport.host, self.session_uri)

    # ------------------------------------------------------------- login
    def _basic(self):
        raw = ('%s:%s' % (self._user, self._password)).encode('utf-8')
        return 'Basic ' + base64.b64encode(raw).decode('ascii')

    def _login(self):
        reply = self.transport.request(
            'POST', self._sessions_uri(),
            {'UserName': self._user, 'Password': self._password},
            headers=_HEADERS)
        token = reply.headers.get('x-auth-token')
        if reply.status in (200, 201) and token:
            self.token = token
            location = reply.headers.get('location') or \
                reply.json().get('@odata.id')
            self.session_uri = _path(location)
        else:
            self.token = None      # Basic authentication then

    def _sessions_uri(self):
        links = self.root.get('Links', {}).get('Sessions', {})
        return links.get('@odata.id',
                         '/redfish/v1/SessionService/Sessions')

    def logout(self):
        """End the session (DELETE of it); the transport's connections
        are closed.  Safe to call twice."""
        if self.token and self.session_uri:
            try:
                self._request('DELETE', self.session_uri)
            except exc.PyghmiException:
                pass           # it may have expired: nothing to end
        self.token = None
        self.session_uri = None
        self.transport.close()

    # ---------------------------------------------------------- requests
    def _headers(self, auth):
        headers = dict(_HEADERS)
        if auth:
            if self.token:
                headers['X-Auth-Token'] = self.token
            else:
                headers['Authorization'] = self._basic()
        return headers

    def _request(self, method, path, body=None, auth=True, etag=None):
        headers = self._headers(auth)
        if etag:
            headers['If-Match'] = etag
        reply = self.transport.request(method, path, body, headers)
        if reply.status == 401 and auth and self.token:
            self._login()                  # the session expired
            headers = self._headers(auth)
            if etag:
                headers['If-Match'] = etag
            reply = self.transport.request(method, path, body, headers)
        if not 200 <= reply.status < 300:
            raise _error(path, reply)
        return reply

    def get(self, path, cache=True):
        """The JSON of ``path``, from the cache when ``cache`` and fresh.

        :raises RedfishError: the service refused (its message and id)
        """
        now = time.monotonic()
        if cache:
            kept = self._cache.get(path)
            if kept is not None and now - kept[0] < CACHE_SECONDS:
                return kept[1]
        body = self._request('GET', path).json()
        self._cache[path] = (now, body)
        return body

    def write(self, method, path, body=None, etag=None):
        """PATCH, POST or DELETE ``path``; returns the reply's JSON (or
        ``{}``).  The cached copies of ``path`` and of the resource it
        belongs to are dropped."""
        if method == 'PATCH' and etag is None:
            etag = '*'
        reply = self._request(method, path, body, etag=etag)
        self._forget(path)
        try:
            return reply.json()
        except exc.DecodeError:
            return {}

    def _forget(self, path):
        path = _path(path)
        owner = path.split('/Actions/', 1)[0]
        for key in list(self._cache):
            if key in (path, owner) or key.startswith(owner + '/'):
                del self._cache[key]


_HEADERS = {'Accept': 'application/json', 'OData-Version': '4.0',
            'User-Agent': 'pyghmi'}


def _text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _path(uri):
    """The path of ``uri`` (a full URL or a path)."""
    if uri and '://' in uri:
        uri = '/' + uri.split('://', 1)[1].split('/', 1)[1]
    return uri


def _error(path, reply):
    try:
        info = reply.json().get('error', {})
    except (exc.DecodeError, AttributeError):
        info = {}
    extended = info.get('@Message.ExtendedInfo', []) if isinstance(
        info, dict) else []
    messages = [str(m.get('Message', m.get('MessageId', '')))
                for m in extended if isinstance(m, dict)]
    ids = [str(m.get('MessageId', '')) for m in extended
           if isinstance(m, dict)]
    if messages:
        return exc.RedfishError(','.join(messages), msgid=','.join(ids))
    if reply.status == 401:
        return exc.PyghmiException('Access Denied')
    return exc.PyghmiException('%s: HTTP %d' % (path, reply.status))
