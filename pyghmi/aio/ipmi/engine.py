"""The asyncio driver of the IPMI client core: the same sans-IO
:class:`~pyghmi.ipmi.private.client.core.ClientCore` the threaded client
drives (login, pipelining window, retransmission at the network's pace,
re-login), fed from an asyncio datagram endpoint.

Rules (the core's driver boundary, as ``client/shared.py`` keeps it):

* one UDP endpoint per event loop and address family serves every
  session of that loop, routed by our session id with the threaded
  client's routing function; a BMC that had a session from it gets a
  socket of its own for later sessions (BMCs that key sessions by the
  console's port ignore a second Open Session from the same port);
* after every call into the core its outbox is sent and its wake-up time
  scheduled with ``loop.call_at``; a datagram is handed to the core as
  it arrives;
* no thread; every wait is bounded by the core's own budget (plus
  slack); a cancelled caller leaves its request to finish or fail in
  the core, and the session usable.
"""

import asyncio
import collections
import logging
import os
import socket
import struct
import time
import typing
import weakref

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import loop as ioloop
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client import endpoint as threadendpoint
from pyghmi.ipmi.private.client import shared as logins
from pyghmi.ipmi.private.codec import wire
from pyghmi.util import aiotime

LOG = logging.getLogger(__name__)
WAIT_SLACK = 1.0
CLOSE_WAIT = 2.0

# event loop -> {family: the opening (a future) of its shared endpoint}
_endpoints: 'weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]' = \
    weakref.WeakKeyDictionary()


# datagrams waiting to be sent when the socket's buffer is full; past
# this many, more are dropped (retransmission recovers them)
SEND_QUEUE = 16384


class BurstSocket:
    """A non-blocking UDP socket on the loop, read in bursts.

    asyncio's datagram transport reads one datagram per wake-up, so the
    answers of a thousand sessions cost a thousand turns of the loop
    (each with its poll and timer work); this reads every datagram
    waiting (``loop.recv_burst``, as the threaded client does) in one.
    Sending is immediate; when the socket's buffer is full, datagrams
    wait in a bounded queue for the socket to be writable.

    :param protocol: ``protocol.datagram_received(data, address)`` is
        called for each datagram
    """

    def __init__(self, loop, sock, protocol):
        self.loop = loop
        self.sock = sock
        self.protocol = protocol
        self.fd = sock.fileno()
        self._pending: typing.Deque[tuple] = collections.deque()
        self._closing = False
        loop.add_reader(self.fd, self._readable)

    def _readable(self):
        for data, address in ioloop.recv_burst(self.sock):
            self.protocol.datagram_received(data, address)

    def sendto(self, data, address):
        """Send one datagram (queued while the buffer is full).

        :raises OSError: the system refused it (unreachable...)
        """
        if self._closing:
            return
        if not self._pending:
            try:
                self.sock.sendto(data, address)
                return
            except (BlockingIOError, InterruptedError):
                self.loop.add_writer(self.fd, self._writable)
        if len(self._pending) < SEND_QUEUE:
            self._pending.append((data, address))

    def _writable(self):
        while self._pending:
            data, address = self._pending[0]
            try:
                self.sock.sendto(data, address)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as err:
                LOG.debug('send to %s failed: %s', address, err)
            self._pending.popleft()
        self.loop.remove_writer(self.fd)

    def is_closing(self):
        """Whether :meth:`close` was called."""
        return self._closing

    def close(self):
        """Stop reading and writing, and close the socket."""
        if self._closing:
            return
        self._closing = True
        self.loop.remove_reader(self.fd)
        if self._pending:
            self.loop.remove_writer(self.fd)
            self._pending.clear()
        self.sock.close()


class Endpoint:
    """One UDP socket of an event loop: shared, or a session's own."""

    def __init__(self, family, dedicated=False):
        self.family = family
        self.dedicated = dedicated
        self.transport: typing.Any = None
        self.by_sid: typing.Dict[int, 'Session'] = {}
        self.by_peer: typing.Dict[tuple, frozenset] = {}
        self.used_peers = lru.LRU(threadendpoint.PEERS_REMEMBERED)
        self.stray = {'undecodable': 0, 'no session': 0}

    def datagram_received(self, data, addr):
        """Route one datagram to its session(s)."""
        now = time.monotonic()
        try:
            dgram = wire.parse_datagram(data)
        except exc.DecodeError:
            self.stray['undecodable'] += 1
            return
        targets = threadendpoint.route(dgram, addr[:2], self.by_sid,
                                       self.by_peer)
        if not targets:
            self.stray['no session'] += 1
        for session in targets:
            session.run(session.core.receive, dgram, now=now)

    # sessions
    def new_sid(self, session):
        """Register ``session`` under a fresh random non-zero id."""
        while True:
            sid = struct.unpack('<I', os.urandom(4))[0]
            if sid and sid not in self.by_sid:
                self.by_sid[sid] = session
                peers = set(self.by_peer.get(session.peer, ()))
                peers.add(session)
                self.by_peer[session.peer] = frozenset(peers)
                return sid

    def renew_sid(self, session):
        """A fresh id for a restarted handshake."""
        self.by_sid.pop(session.core.local_sid, None)
        while True:
            sid = struct.unpack('<I', os.urandom(4))[0]
            if sid and sid not in self.by_sid:
                self.by_sid[sid] = session
                return sid

    def forget(self, session):
        """Stop routing to ``session``; a dedicated socket closes."""
        self.by_sid.pop(session.core.local_sid, None)
        peers = self.by_peer.get(session.peer, frozenset()) - {session}
        if peers:
            self.by_peer[session.peer] = peers
        else:
            self.by_peer.pop(session.peer, None)
        if self.dedicated and not self.by_sid and self.transport:
            self.transport.close()


async def _open_endpoint(family, dedicated):
    loop = asyncio.get_running_loop()
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    except OSError:
        pass
    try:
        sock.bind(('::', 0) if family == socket.AF_INET6
                  else ('0.0.0.0', 0))
        sock.setblocking(False)
        endpoint = Endpoint(family, dedicated)
        endpoint.transport = BurstSocket(loop, sock, endpoint)
    except BaseException:
        sock.close()
        raise
    return endpoint


async def endpoint_for(family, peer):
    """The loop's shared endpoint of ``family``, or a new dedicated one
    when ``peer`` already had a session from it."""
    loop = asyncio.get_running_loop()
    mine = _endpoints.setdefault(loop, {})
    opening = mine.get(family)
    if opening is None or (opening.done() and (
            opening.result().transport is None or
            opening.result().transport.is_closing())):
        # one opening for every caller of this moment: a thousand logins
        # started at once share the one socket they wait for
        opening = asyncio.ensure_future(_open_endpoint(family, False))
        mine[family] = opening
    shared = await asyncio.shield(opening)
    if shared.used_peers.get(peer):
        try:
            return await _open_endpoint(family, True)
        except OSError as err:        # out of file descriptors
            LOG.debug('no socket of its own for %s (%s)', peer, err)
            return shared
    shared.used_peers.put(peer, True)
    return shared


async def close_endpoints():
    """Close the running loop's shared endpoints (sessions must be
    closed first)."""
    mine = _endpoints.pop(asyncio.get_running_loop(), {})
    for opening in mine.values():
        endpoint = await opening
        if endpoint.transport is not None:
            endpoint.transport.close()


_NO_PEERS: typing.FrozenSet[tuple] = frozenset()


def _expire(waiter, error):
    """A bounded wait ran out: fail ``waiter`` with ``error()``."""
    if not waiter.done():
        waiter.set_exception(error())


class Session:
    """One logged-in (or logging-in) IPMI session on the running loop.

    :param endpoint: its :class:`Endpoint`
    :param params: :class:`~pyghmi.ipmi.private.client.core.LoginParams`
    :param sockaddr: the BMC's socket address
    """

    # thousands of these live in one process: no per-instance dict
    __slots__ = ('endpoint', 'params', 'sockaddr', 'peer', 'alt_peers',
                 'loop', '_timer', '_timer_at', '_login_waiters',
                 '_close_waiters', 'core')

    def __init__(self, endpoint, params, sockaddr):
        self.endpoint = endpoint
        self.params = params
        self.sockaddr = sockaddr
        self.peer = sockaddr[:2]
        # other (address, port) pairs the BMC answers from (a SOL port
        # of its own); a new frozenset when one is added
        self.alt_peers: typing.FrozenSet[tuple] = _NO_PEERS
        self.loop = asyncio.get_running_loop()
        self._timer: typing.Any = None
        self._timer_at = 0.0
        self._login_waiters: typing.List[asyncio.Future] = []
        self._close_waiters: typing.List[asyncio.Future] = []
        self.core = clientcore.ClientCore(
            params, 0, suite_hint=logins.suite_hint(self.peer))
        self.core.local_sid = endpoint.new_sid(self)
        self.core.sid_source = lambda: endpoint.renew_sid(self)
        self.core.on_login = self._logged_in
        self.core.on_closed = self._closed

    def __repr__(self):
        return 'Session(%r)' % self.core

    def run(self, func, *args, now=None):
        """Call ``func(*args, now)`` on the core, send what it left and
        schedule its next wake-up."""
        if now is None:
            now = time.monotonic()
        core = self.core
        func(*args, now)
        if core.payload_sinks:
            core.flush_payloads()
        out, core.outbox = core.outbox, []
        for packet in out:
            address = self.sockaddr
            if type(packet) is tuple:
                packet, port = packet
                address = (address[0], port) + tuple(address[2:])
            try:
                self.endpoint.transport.sendto(packet, address)
            except (OSError, AttributeError) as err:
                LOG.debug('send to %s failed: %s', self.peer, err)
        self._schedule(now)

    def _schedule(self, now):
        # A timer is set only when the wake-up moved earlier than the one
        # set (or none is): a later one is found when the earlier timer
        # fires, so a busy session does not cancel and re-arm a timer
        # for every datagram.
        wake = self.core.wake_at
        if wake is None or (self._timer is not None and
                            self._timer_at <= wake):
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = wake
        self._timer = self.loop.call_later(max(0.0, wake - now), self._tick)

    def _tick(self):
        self._timer = None
        self.run(self.core.tick)

    def _logged_in(self, error):
        if error is None:
            logins.remember_suite(self.peer, self.core.suite)
        waiters, self._login_waiters = self._login_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(error)

    def _closed(self):
        waiters, self._close_waiters = self._close_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def budget(self, timeout=None):
        """Longest a request may take (the core's worst case + slack)."""
        return clientcore.request_budget(
            self.params, timeout or self.params.timeout,
            self.params.retries) + WAIT_SLACK

    async def login(self):
        """Log in (a no-op when logged in).

        :raises IpmiException: the login failed
        """
        if self.core.active:
            return
        waiter = self.loop.create_future()
        self._login_waiters.append(waiter)
        self.run(self.core.login)
        timer = self.loop.call_later(
            self.budget(), _expire, waiter, lambda: exc.IpmiTimeoutError(
                'Login to %s did not complete' % self.params.bmc,
                code=const.CC_NO_RESPONSE, bmc=self.params.bmc))
        try:
            error = await waiter
        finally:
            timer.cancel()
        if error is not None:
            raise error

    async def request(self, netfn, command, data=b'', bridge=None,
                      retry=True, timeout=None, rslun=0):
        """One request: ``(completion code, response data)``.

        :raises IpmiException: no answer, or the session failed
        """
        waiter = self.loop.create_future()

        def done(request):
            if not waiter.done():
                waiter.set_result(request)
        req = clientcore.Request(
            netfn, command, bytes(data), bridge=bridge or None, rslun=rslun,
            retry=retry, timeout=timeout or self.params.timeout,
            retries=self.params.retries, callback=done)
        self.run(self.core.submit, req)
        # a timer on the waiter itself, not a time-out scope: no task
        # machinery per request, and a cancelled caller cancels the
        # waiter (the request goes on in the core)
        timer = self.loop.call_later(
            self.budget(timeout), _expire, waiter,
            lambda: exc.IpmiTimeoutError(
                'No response from %s' % self.params.bmc,
                code=const.CC_NO_RESPONSE, bmc=self.params.bmc,
                netfn=netfn, command=command))
        try:
            await waiter
        finally:
            timer.cancel()
        if req.error is not None:
            raise req.error
        return req.code, req.data_out

    async def close(self):
        """Close Session (bounded), then forget the session."""
        waiter = self.loop.create_future()
        self._close_waiters.append(waiter)
        self.run(self.core.close)
        try:
            await aiotime.bounded(waiter, CLOSE_WAIT)
        except asyncio.TimeoutError:
            self.run(self.core.abandon)
        finally:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self.endpoint.forget(self)
