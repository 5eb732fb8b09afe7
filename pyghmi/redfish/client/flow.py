"""The sans-IO shape of the Redfish client: every method is a *flow*, a
generator that yields the I/O it needs and is sent the result.

A flow yields one of the requests below and receives its result (or has
the request's exception thrown into it); a listing flow (``get_sensor_data``
and the like) also yields its items, which are anything that is not a
request.  :mod:`.driver` runs flows with blocking I/O; an asyncio driver
runs the very same flows with ``await``, so the logic of a method (which
resources it reads, in what order, how results are shaped) exists once.

Flows compose with ``yield from``: ``info = yield from conn.get(uri)``.
"""

import typing

from pyghmi.util.flows import step


class Request:
    """The base of what a flow may ask of its driver."""

    __slots__ = ()


class Http(Request):
    """Send one HTTP request; the result is a
    :class:`.transport.Response` (any status: the flow judges it).

    :param method: 'GET', 'POST', 'PATCH', 'DELETE'...
    :param path: the path on the BMC (starting with '/')
    :param body: a dict (sent as JSON), bytes, or None
    :param headers: request headers
    :param timeout: seconds this request may take (None: the
        transport's default)
    """

    __slots__ = ('method', 'path', 'body', 'headers', 'timeout')

    def __init__(self, method, path, body=None, headers=None,
                 timeout=None):
        self.method = method
        self.path = path
        self.body = body
        self.headers = headers or {}
        self.timeout = timeout

    def __repr__(self):
        # never the headers: they carry the credentials
        return 'Http(%s %s)' % (self.method, self.path)


class Sleep(Request):
    """Wait ``seconds`` (polling a task, a power change); result None."""

    __slots__ = ('seconds',)

    def __init__(self, seconds):
        self.seconds = seconds


class Parallel(Request):
    """Run several flows at once (through the same connection pool); the
    result is the list of their results, in order.  A flow that raised
    gives its exception object in its place, so that one unreadable
    member does not hide the others; the caller decides."""

    __slots__ = ('flows',)

    def __init__(self, flows):
        self.flows = list(flows)


Flow = typing.Generator[typing.Any, typing.Any, typing.Any]


def result(value):
    """A flow that asks nothing and returns ``value`` (for hooks that
    may or may not need I/O)."""
    return value
    yield   # pragma: no cover  (makes this a generator)


def collect(flow):
    """Flow: the items a listing ``flow`` yields, as a list (its
    requests passed on, and their errors thrown back into it)."""
    items: typing.List[typing.Any] = []
    value, error = None, None
    while True:
        going, out = step(flow, value, error)
        if not going:
            return items
        value, error = None, None
        if isinstance(out, Request):
            try:
                value = yield out
            except Exception as err:      # the driver's, for ``flow``
                error = err
        else:
            items.append(out)
