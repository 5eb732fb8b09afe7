"""The one I/O loop of the process: sockets, timers and cross-thread calls.

Rules of this module:

* one :class:`Loop` per process, started lazily by :func:`get_loop` and
  created afresh in a child after ``fork`` (the parent's thread does not
  exist there);
* the loop thread only waits, reads sockets and fires timers; protocol
  work happens in the objects it calls, each under its own lock;
* per-event work is O(log n): timers are a heap with lazy deletion, so no
  scan over all sessions ever happens;
* the select wait is capped so that a deadline pushed by another thread
  without a wake-up is never missed by more than ``MAX_WAIT`` seconds;
  earlier deadlines wake the loop at once;
* readiness comes from a :class:`_Poller`: our own ``epoll`` object on
  Linux, whose interest list other threads may change while the loop
  waits (that is what lets a synchronous caller read its own reply, see
  :meth:`Loop.pause_reader`), else a ``selectors`` selector without that
  ability.
"""

import collections
import heapq
import itertools
import logging
import os
import select
import selectors
import socket
import threading
import time
from typing import Any, Callable, Deque, Dict, Tuple

LOG = logging.getLogger(__name__)
MAX_WAIT = 0.5
_RECV_BURST = 64
# Flag that makes one receive or send return at once even on a socket in
# blocking mode (the client endpoint's, see client.endpoint.Endpoint); 0 where
# the platform has none (such sockets are then never made blocking).
DONTWAIT = getattr(socket, 'MSG_DONTWAIT', 0)

_loop = None
_loop_lock = threading.Lock()


class _Poller:
    """Readiness of sockets: register, unregister, pause, resume, wait.

    With ``select.epoll`` (Linux) the interest list may be changed from
    any thread, so pausing is supported; elsewhere a ``selectors``
    selector is used and :meth:`pause` always refuses.
    """

    def __init__(self):
        # one of the two, by platform
        self._epoll: Any = select.epoll() if hasattr(select, 'epoll') \
            else None
        self._selector: Any = None if self._epoll \
            else selectors.DefaultSelector()
        self._callbacks: Dict[int, Callable[[], None]] = {}

    @property
    def can_pause(self):
        """True when :meth:`pause` works."""
        return self._epoll is not None

    def register(self, sock, callback):
        fd = sock.fileno()
        self._callbacks[fd] = callback
        if self._epoll is not None:
            self._epoll.register(fd, select.EPOLLIN)
        else:
            self._selector.register(fd, selectors.EVENT_READ)

    def unregister(self, sock):
        try:
            fd = sock.fileno()
            if self._epoll is not None:
                self._epoll.unregister(fd)
            else:
                self._selector.unregister(fd)
        except (KeyError, ValueError, OSError):
            return
        self._callbacks.pop(fd, None)

    def pause(self, sock):
        """Stop reporting ``sock``; False when that is not possible."""
        if self._epoll is None:
            return False
        try:
            self._epoll.modify(sock.fileno(), 0)
        except OSError:
            return False
        return True

    def resume(self, sock):
        """Report ``sock`` again after :meth:`pause`."""
        try:
            self._epoll.modify(sock.fileno(), select.EPOLLIN)
        except (OSError, AttributeError):
            pass

    def wait(self, timeout):
        """The callbacks of the sockets readable within ``timeout`` s."""
        if self._epoll is not None:
            events = self._epoll.poll(timeout)
            fds = [fd for fd, _ in events]
        else:
            fds = [key.fd for key, _ in self._selector.select(timeout)]
        return [self._callbacks[fd] for fd in fds if fd in self._callbacks]

    def close(self):
        if self._epoll is not None:
            self._epoll.close()
        else:
            self._selector.close()


class Loop:
    """A poller thread with a timer heap.

    Timer targets are objects with a ``timer_deadline()`` method returning
    their current deadline (or None) and an ``on_timer(now)`` method.
    """

    def __init__(self):
        self._poller = _Poller()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._poller.register(self._wake_r, self._drain_wake)
        self._lock = threading.Lock()
        self._heap = []
        self._scheduled = {}
        self._counter = itertools.count()
        self._calls: Deque[Tuple[Callable, tuple]] = collections.deque()
        self._wake_at = float('inf')
        self._woken = False
        self._stopping = False
        self.pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name='pyghmi-io',
                                        daemon=True)
        self._thread.start()

    @property
    def in_loop_thread(self):
        """True when called from the loop's own thread."""
        return threading.current_thread() is self._thread

    @property
    def running(self):
        """True until :meth:`stop` has ended the loop thread."""
        return self._thread.is_alive()

    def add_reader(self, sock, callback):
        """Call ``callback()`` in the loop thread when ``sock`` is readable."""
        self.call_soon(self._poller.register, sock, callback)

    def remove_reader(self, sock):
        """Stop watching ``sock``; the caller closes it."""
        self.call_soon(self._poller.unregister, sock)

    def pause_reader(self, sock):
        """Stop the loop thread reading ``sock`` (a caller will).

        Safe from any thread (epoll's interest list is); returns False and
        changes nothing where the poller cannot pause or ``sock`` is not
        registered yet.
        """
        return self._poller.pause(sock)

    def resume_reader(self, sock):
        """Undo :meth:`pause_reader`."""
        self._poller.resume(sock)

    def stop(self, timeout=2.0):
        """End the loop thread (tests, embedding applications).

        Pending calls and timers are dropped; sockets stay open and belong
        to their owners.  :func:`get_loop` starts a new loop afterwards.

        :returns: True when the thread ended within ``timeout`` seconds
        """
        self._stopping = True
        self._woken = False
        self._wake()
        if not self.in_loop_thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def call_soon(self, func, *args):
        """Run ``func(*args)`` in the loop thread, soon (thread-safe)."""
        self._calls.append((func, args))
        self._wake()

    def schedule(self, target):
        """Make sure ``target.on_timer`` runs at its current deadline."""
        deadline = target.timer_deadline()
        if deadline is None:
            return
        # The usual case, read without the lock: an earlier entry is
        # pending.  Should the loop be firing it right now, its
        # on_timer runs after this deadline was set and schedules again.
        known = self._scheduled.get(target)
        if known is not None and known <= deadline:
            return
        with self._lock:
            known = self._scheduled.get(target)
            if known is not None and known <= deadline:
                return          # an earlier entry will reschedule it
            self._scheduled[target] = deadline
            heapq.heappush(self._heap,
                           (deadline, next(self._counter), target))
            wake = deadline < self._wake_at
        if wake:
            self._wake()

    def unschedule(self, target):
        """Forget ``target``'s pending timer entries."""
        with self._lock:
            self._scheduled.pop(target, None)

    def _wake(self):
        if self._woken:
            return
        self._woken = True
        try:
            self._wake_w.send(b'\0')
        except (BlockingIOError, OSError):
            pass

    def _due_timers(self, now):
        due = []
        with self._lock:
            heap = self._heap
            while heap and heap[0][0] <= now:
                deadline, _, target = heapq.heappop(heap)
                if self._scheduled.get(target) == deadline:
                    del self._scheduled[target]
                    due.append(target)
            self._wake_at = min(heap[0][0] if heap else now + MAX_WAIT,
                                now + MAX_WAIT)
            self._woken = False
        return due

    def _run(self):
        while not self._stopping:
            now = time.monotonic()
            for target in self._due_timers(now):
                self._guard(target.on_timer, now)
                self.schedule(target)
            while self._calls:
                func, args = self._calls.popleft()
                self._guard(func, *args)
            timeout = max(0.0, self._wake_at - time.monotonic())
            if self._calls:
                timeout = 0.0
            for callback in self._poller.wait(timeout):
                self._guard(callback)
        self._poller.close()
        self._wake_r.close()
        self._wake_w.close()

    def _drain_wake(self):
        try:
            while self._wake_r.recv(256):
                pass
        except (BlockingIOError, OSError):
            pass

    @staticmethod
    def _guard(func, *args):
        # A bug in one session must not stop the loop serving the others.
        try:
            func(*args)
        except Exception:   # noqa: BLE001 - logged, loop keeps running
            LOG.exception('pyghmi I/O loop callback failed')


def recv_burst(sock):
    """Read up to a burst of datagrams from a socket, without blocking.

    :returns: a list of ``(data, address)`` pairs, possibly empty
    """
    out = []
    for _ in range(_RECV_BURST):
        try:
            out.append(sock.recvfrom(2048, DONTWAIT))
        except (BlockingIOError, InterruptedError):
            break
        except OSError:
            # ICMP errors (port unreachable) surface here; nothing to read.
            break
    return out


def get_loop():
    """Return the process's loop, starting it on first use, after fork,
    or after :meth:`Loop.stop`."""
    global _loop
    loop = _loop
    if loop is not None and loop.pid == os.getpid() and not loop._stopping:
        return loop
    with _loop_lock:
        if _loop is None or _loop.pid != os.getpid() or _loop._stopping:
            _loop = Loop()
        return _loop


def _after_fork_in_child():
    global _loop, _loop_lock
    _loop = None
    _loop_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
