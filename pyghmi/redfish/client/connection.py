"""A logged-in Redfish connection, without I/O of its own (its methods
are flows, :mod:`.flow`): the login (a session where the service offers
one, else Basic), JSON requests with the service's errors raised as
:class:`pyghmi.exceptions.RedfishError`, a short read cache that the
client's own writes invalidate, and the logout.

Rules of this module:

* a read is cached for ``cache_seconds`` (30, as pyghmi's) unless the
  caller asks for a fresh one; any write (PATCH, POST, DELETE) drops
  the cached copy of what it wrote and of the resource an action
  belongs to, so a read after a write sees the write;
* a 401 on a session logs in again once, then the request is retried;
* a PATCH carries ``If-Match``: the caller's ETag, else the one of the
  last read, else ``*``; a 412 re-reads and retries once;
* an answer that is not a JSON object is a DecodeError, never a
  KeyError or TypeError further on.
"""

import base64
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.client import flow as rfflow

CACHE_SECONDS = 30.0


class Connection:
    """Requests to one Redfish service as one user.  Every method that
    talks to the service is a flow (:mod:`.flow`): run it with a driver.

    :param host: the BMC's name (for messages)
    :param userid: user name (str or bytes)
    :param password: password (str or bytes)
    """

    def __init__(self, host, userid, password):
        self.host = host
        self._user = _text(userid)
        self._password = _text(password)
        self.token = None
        self.session_uri = None
        self.root = {}
        self._cache = {}
        self._etags = {}

    def __repr__(self):
        return 'Connection(host=%r, session=%r)' % (self.host,
                                                    self.session_uri)

    # ------------------------------------------------------------- login
    def open(self):
        """Flow: read the service root (unauthenticated), then log in
        with a session where the service offers them, else use Basic.

        :raises PyghmiException: no Redfish service answers there
        """
        reply = yield from self._send('GET', '/redfish/v1/', auth=False)
        if reply.status != 200:
            raise exc.PyghmiException(
                '%s answered HTTP %d for the Redfish service root'
                % (self.host, reply.status))
        self.root = _object(reply)
        if 'SessionService' in self.root or 'Sessions' in _dict(
                self.root.get('Links')):
            yield from self._login()

    def _basic(self):
        raw = ('%s:%s' % (self._user, self._password)).encode('utf-8')
        return 'Basic ' + base64.b64encode(raw).decode('ascii')

    def _login(self):
        reply = yield rfflow.Http(
            'POST', self._sessions_uri(),
            {'UserName': self._user, 'Password': self._password},
            headers=dict(_HEADERS))
        token = reply.headers.get('x-auth-token')
        self.token = None      # Basic authentication unless it worked
        if reply.status in (200, 201) and token:
            self.token = token
            location = reply.headers.get('location')
            if not location:
                try:
                    location = _object(reply).get('@odata.id')
                except exc.DecodeError:
                    location = None
            self.session_uri = _path(location) if isinstance(
                location, str) else None

    def _sessions_uri(self):
        link = _dict(_dict(self.root.get('Links')).get('Sessions'))
        uri = link.get('@odata.id')
        return uri if isinstance(uri, str) else \
            '/redfish/v1/SessionService/Sessions'

    def logout(self):
        """Flow: end the session (DELETE of it).  Safe to run twice."""
        if self.token and self.session_uri:
            try:
                yield from self._send('DELETE', self.session_uri)
            except exc.PyghmiException:
                pass           # it may have expired: nothing to end
        self.token = None
        self.session_uri = None
        self._cache.clear()

    # ---------------------------------------------------------- requests
    def _headers(self, auth, etag=None, extra=None):
        headers = dict(_HEADERS)
        if auth:
            if self.token:
                headers['X-Auth-Token'] = self.token
            else:
                headers['Authorization'] = self._basic()
        if etag:
            headers['If-Match'] = etag
        if extra:
            headers.update(extra)
        return headers

    def _send(self, method, path, body=None, auth=True, etag=None,
              headers=None, timeout=None):
        """Flow: one request, logging in again once on a 401 of an
        expired session; returns the reply whatever its status."""
        reply = yield rfflow.Http(method, path, body,
                                  self._headers(auth, etag, headers),
                                  timeout)
        if reply.status == 401 and auth and self.token:
            yield from self._login()           # the session expired
            reply = yield rfflow.Http(method, path, body,
                                      self._headers(auth, etag, headers),
                                      timeout)
        return reply

    def request(self, method, path, body=None, etag=None, headers=None,
                timeout=None):
        """Flow: a request that must succeed; returns the reply.

        :raises RedfishError: the service refused (its message and id)
        :raises PyghmiException: access denied, or an HTTP error
        """
        reply = yield from self._send(method, path, body, etag=etag,
                                      headers=headers, timeout=timeout)
        if not 200 <= reply.status < 300:
            raise _error(path, reply)
        return reply

    def get(self, path, cache=True):
        """Flow: the JSON object of ``path``, from the cache when
        ``cache`` and fresh: read less than 30 s ago (``cache`` True) or
        less than ``cache`` seconds ago (a number).

        :raises RedfishError: the service refused (its message and id)
        :raises DecodeError: the answer is not a JSON object
        """
        now = time.monotonic()
        if cache:
            limit = CACHE_SECONDS if cache is True else float(cache)
            kept = self._cache.get(path)
            if kept is not None and now - kept[0] < limit:
                return kept[1]
        reply = yield from self.request('GET', path)
        body = _object(reply)
        self._cache[path] = (now, body)
        etag = reply.headers.get('etag') or body.get('@odata.etag')
        if isinstance(etag, str):
            self._etags[path] = etag
        return body

    def members(self, uri, cache=True):
        """Flow: the members of the collection at ``uri`` (each read, in
        parallel, unless the service expanded them).  A member that
        cannot be read is left out, unless none can be.

        :returns: a list of JSON objects (empty without ``uri``)
        """
        if not uri:
            return []
        collection = yield from self.get(uri, cache)
        links = [m for m in _list(collection.get('Members'))
                 if isinstance(m, dict)]
        found: typing.List[typing.Any] = [None] * len(links)
        wanted = []
        for index, member in enumerate(links):
            if set(member) - {'@odata.id'}:
                found[index] = member           # expanded already
            elif isinstance(member.get('@odata.id'), str):
                wanted.append(index)
        reads = yield rfflow.Parallel(
            self.get(links[i]['@odata.id'], cache) for i in wanted)
        errors = []
        for index, read in zip(wanted, reads):
            if isinstance(read, Exception):
                errors.append(read)
            else:
                found[index] = read
        out = [m for m in found if m is not None]
        if errors and not out:
            raise errors[0]
        return out

    def read_many(self, uris, cache=True):
        """Flow: ``{uri: JSON object or the exception reading it}`` of
        each of ``uris``, read in parallel."""
        uris = list(dict.fromkeys(uris))
        reads = yield rfflow.Parallel(self.get(uri, cache) for uri in uris)
        return dict(zip(uris, reads))

    def write(self, method, path, body=None, etag=None, headers=None,
              timeout=None):
        """Flow: PATCH, POST, PUT or DELETE ``path``; returns the
        reply's JSON object (``{}`` when there is none).  A PATCH
        carries ``If-Match`` (``etag``, else the one last read, else
        ``*``); a 412 is retried once after a fresh read.  The cached
        copies of ``path`` and of the resource it belongs to are
        dropped."""
        if method == 'PATCH' and etag is None:
            etag = self._etags.get(path, '*')
        try:
            reply = yield from self.request(method, path, body, etag,
                                            headers, timeout)
        except exc.PyghmiException as err:
            if method != 'PATCH' or getattr(err, 'status', None) != 412:
                raise
            self._forget(path)
            yield from self.get(path, cache=False)
            reply = yield from self.request(
                method, path, body, self._etags.get(path, '*'), headers,
                timeout)
        self._forget(path)
        try:
            out = reply.json()
        except exc.DecodeError:
            return {}
        return out if isinstance(out, dict) else {}

    def _forget(self, path):
        path = _path(path)
        owner = path.split('/Actions/', 1)[0]
        self._etags.pop(path, None)
        for key in list(self._cache):
            if key in (path, owner) or key.startswith(owner + '/'):
                del self._cache[key]


_HEADERS = {'Accept': 'application/json', 'OData-Version': '4.0',
            'User-Agent': 'pyghmi'}


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def _object(reply):
    """The reply's body as a JSON object.

    :raises DecodeError: not JSON, or JSON that is not an object
    """
    body = reply.json()
    if not isinstance(body, dict):
        raise exc.DecodeError('the BMC answered JSON that is not an '
                              'object (HTTP %d)' % reply.status)
    return body


def _text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _path(uri):
    """The path of ``uri`` (a full URL or a path)."""
    if uri and '://' in uri:
        uri = '/' + uri.split('://', 1)[1].split('/', 1)[1]
    return uri


def _error(path, reply):
    """The exception for a refused request: a RedfishError with the
    service's messages and ids where it gave some; ``status`` is set to
    the HTTP status on every one."""
    try:
        info = _dict(_dict(reply.json()).get('error'))
    except exc.DecodeError:
        info = {}
    extended = [m for m in _list(info.get('@Message.ExtendedInfo'))
                if isinstance(m, dict)]
    messages = [str(m['Message']) for m in extended if 'Message' in m]
    ids = [str(m.get('MessageId', '')) for m in extended]
    if not messages and isinstance(info.get('message'), str):
        messages = [info['message']]      # the text beside bare ids
    if not messages:
        messages = [i for i in ids if i]
    if not ids and info.get('code'):
        ids = [str(info['code'])]
    err: exc.PyghmiException
    if messages:
        err = exc.RedfishError(','.join(messages), msgid=','.join(ids))
    elif reply.status == 401:
        err = exc.PyghmiException('Access Denied')
    else:
        err = exc.PyghmiException('%s: HTTP %d' % (path, reply.status))
    setattr(err, 'status', reply.status)
    return err
