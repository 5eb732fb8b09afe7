"""Logins shared by handles: one client core per BMC address and
credentials, driven over the endpoint and the process's I/O loop.

A :class:`SharedLogin` holds the core under a lock, sends what it leaves
in its outbox, tells the loop of its deadlines and lets callers wait
for its login and close (:class:`Waiter`).  The suite each BMC took is
remembered for the next login; every login still open is closed at
exit within a bounded wait.
"""

import atexit
import logging
import os
import threading
import time
import typing

from pyghmi.ipmi.private import loop as ioloop
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client import endpoint
from pyghmi.ipmi.private.client import suitememory
from pyghmi.ipmi.private.secure import crypto

LOG = logging.getLogger(__name__)

# credentials and address -> the login every handle with them shares
registry: typing.Dict[tuple, 'SharedLogin'] = {}
registry_lock = threading.Lock()
# (host, port) -> the cipher suite that worked, so the next login skips
# discovery; bounded for processes that meet many BMCs over time.
SUITE_MEMORY_SIZE = 4096
_suite_memory = suitememory.SuiteMemory(SUITE_MEMORY_SIZE)


def _suite_hint(peer):
    """The remembered suite of ``peer`` when it is one the client
    would choose itself: a suite someone asked for explicitly (or an
    edited cache file) never weakens a default login."""
    suite = _suite_memory.get(peer)
    return suite if suite in crypto.DEFAULT_SUITE_PREFERENCE else None


def suite_hint(peer):
    """The suite to try first with ``peer`` (any driver's logins)."""
    return _suite_hint(peer)


def remember_suite(peer, suite):
    """Remember the suite ``peer`` took (any driver's logins)."""
    _suite_memory.put(peer, suite)


def use_login_cache(directory):
    """Remember the cipher suite of each BMC in ``directory`` too, so
    a new process logs in with 4 round trips (None: memory only)."""
    _suite_memory.use_directory(directory)


class Waiter:
    """A one-shot lock a synchronous caller blocks on."""

    __slots__ = ('_lock', 'value', 'done')

    def __init__(self):
        self._lock = threading.Lock()
        self._lock.acquire()
        self.value = None
        self.done = False

    def __call__(self, value=None):
        self.value = value
        self.done = True
        self._lock.release()

    def wait(self, timeout):
        return self._lock.acquire(timeout=timeout)


class CountWaiter(Waiter):
    """A waiter released by the last of ``count`` completions."""

    __slots__ = ('left',)

    def __init__(self, count):
        super().__init__()
        self.left = count

    def __call__(self, value=None):
        # called from the thread driving the core, under its lock
        self.left -= 1
        if self.left == 0:
            super().__call__(value)


class SharedLogin:
    """A logged-in (or logging-in) session, shared by several handles."""

    def __init__(self, key, params, sockaddr, family):
        self.key = key
        self.family = family
        self.sockaddr = sockaddr
        self.peer = sockaddr[:2]
        # other (address, port)s of the BMC: a payload moved elsewhere
        # by Activate Payload
        self.alt_peers = set()
        self.lock = threading.Lock()
        self.refs = 0
        self.endpoint = endpoint.for_peer(family, self.peer)
        self.loop = self.endpoint.loop
        self.login_waiters = []
        self.close_waiters = []
        with self.lock:
            self.core = clientcore.ClientCore(
                params, 0, suite_hint=_suite_hint(self.peer))
            self.core.local_sid = self.endpoint.new_sid(self)
            self.core.sid_source = lambda: self.endpoint.renew_sid(self)
            self.core.on_login = self._logged_in
            self.core.on_closed = self._closed

    def __repr__(self):
        return 'SharedLogin(%r)' % self.core

    # Loop timer protocol.
    def timer_deadline(self):
        """The core's next deadline, its payloads' included (read
        without the lock: a hint)."""
        return self.core.wake_at

    def on_timer(self, now):
        """Loop thread: let the core act on its deadline."""
        self.run(self.core.tick, now=now)

    def deliver(self, dgram, now):
        """Hand a routed datagram to the core."""
        self.run(self.core.receive, dgram, now=now)

    def run(self, func, *args, now=None):
        """Call ``func(*args, now)`` on the core, then send and schedule."""
        if now is None:
            now = time.monotonic()
        core, endpoint = self.core, self.endpoint
        with self.lock:
            before = core.deadline
            func(*args, now)
            if core.payload_sinks:
                core.flush_payloads()
            out = core.outbox
            if out:
                core.outbox = []
                sendto = endpoint.sock.sendto
                for packet in out:
                    address = self.sockaddr
                    if type(packet) is tuple:
                        packet, address = self._elsewhere(packet)
                    try:
                        sendto(packet, ioloop.DONTWAIT, address)
                    except OSError as err:
                        LOG.debug('send to %s failed: %s', self.peer, err)
            after = core.deadline
            # kept under the lock, so the set follows this core's order
            awaits = core.expecting
            if awaits:
                endpoint.expecting.add(self)
            else:
                endpoint.expecting.discard(self)
        if awaits and endpoint.parked and not endpoint.reader.locked():
            endpoint.unpark()       # nobody reads: the loop must
        # The loop needs telling only when the deadline moved earlier: a
        # later one is found when the earlier timer fires (the loop then
        # schedules it again); payload sinks have deadlines of their own.
        if core.payload_sinks or after is not None and (
                before is None or after < before):
            self.loop.schedule(self)

    def _elsewhere(self, packet):
        """``(datagram, address)`` of a payload the BMC wants on another
        port (Activate Payload), queued by the core as a pair."""
        packet, port = packet
        address = self.sockaddr
        return packet, (address[0], port) + tuple(address[2:])

    def _logged_in(self, error):
        if error is None:
            _suite_memory.put(self.peer, self.core.suite)
        waiters, self.login_waiters = self.login_waiters, []
        for waiter in waiters:
            waiter(error)

    def _closed(self):
        waiters, self.close_waiters = self.close_waiters, []
        for waiter in waiters:
            waiter()


def close_shared(shared, wait):
    waiter = Waiter()
    with shared.lock:
        shared.close_waiters.append(waiter)
    shared.run(shared.core.close)
    if not waiter.wait(wait):
        LOG.debug('close of %r timed out', shared)
        shared.run(shared.core.abandon)
    shared.loop.unschedule(shared)
    shared.endpoint.forget(shared)


@atexit.register
def _close_all(wait=2.0):
    """Close every session still open: BMCs have few session slots.

    All Close Session requests go out at once and the whole wait is
    bounded, however many sessions (or unreachable BMCs) there are.
    """
    with registry_lock:
        pending = [s for s in registry.values()
                   if s.endpoint.pid == os.getpid()]
        registry.clear()
    waiters = []
    for shared in pending:
        waiter = Waiter()
        with shared.lock:
            shared.close_waiters.append(waiter)
        shared.run(shared.core.close)
        waiters.append(waiter)
    deadline = time.monotonic() + wait
    for waiter in waiters:
        if not waiter.wait(max(0.0, deadline - time.monotonic())):
            break
    for shared in pending:
        shared.run(shared.core.abandon)     # no more retries at exit


def _after_fork_in_child():
    global registry_lock
    registry.clear()
    registry_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
