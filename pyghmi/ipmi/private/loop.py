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
  earlier deadlines wake the loop at once.
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

LOG = logging.getLogger(__name__)
MAX_WAIT = 0.5
_RECV_BURST = 64

_loop = None
_loop_lock = threading.Lock()


class Loop:
    """A selector thread with a timer heap.

    Timer targets are objects with a ``timer_deadline()`` method returning
    their current deadline (or None) and an ``on_timer(now)`` method.
    """

    def __init__(self):
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        self._lock = threading.Lock()
        self._heap = []
        self._scheduled = {}
        self._counter = itertools.count()
        self._calls = collections.deque()
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

    def add_reader(self, sock, callback):
        """Call ``callback()`` in the loop thread when ``sock`` is readable."""
        self.call_soon(self._sel.register, sock, selectors.EVENT_READ,
                       callback)

    def remove_reader(self, sock):
        """Stop watching ``sock``; the caller closes it."""
        def _remove():
            try:
                self._sel.unregister(sock)
            except (KeyError, ValueError):
                pass
        self.call_soon(_remove)

    def pause_reader(self, sock):
        """Stop the loop thread reading ``sock`` (a caller will).

        Only with epoll, whose interest list may be changed from any
        thread; returns False (and changes nothing) elsewhere or when the
        socket is not registered yet.
        """
        epoll = getattr(self._sel, '_selector', None)
        if not isinstance(self._sel, selectors.EpollSelector) or epoll is None:
            return False
        try:
            epoll.modify(sock.fileno(), 0)
        except OSError:
            return False
        return True

    def resume_reader(self, sock):
        """Undo :meth:`pause_reader`."""
        try:
            self._sel._selector.modify(sock.fileno(), select.EPOLLIN)
        except OSError:
            pass

    def call_soon(self, func, *args):
        """Run ``func(*args)`` in the loop thread, soon (thread-safe)."""
        self._calls.append((func, args))
        self._wake()

    def schedule(self, target):
        """Make sure ``target.on_timer`` runs at its current deadline."""
        deadline = target.timer_deadline()
        if deadline is None:
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
            for key, _ in self._sel.select(timeout):
                if key.data is None:
                    self._drain_wake()
                else:
                    self._guard(key.data)

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
    """Read up to a burst of datagrams from a non-blocking socket.

    :returns: a list of ``(data, address)`` pairs, possibly empty
    """
    out = []
    for _ in range(_RECV_BURST):
        try:
            out.append(sock.recvfrom(2048))
        except (BlockingIOError, InterruptedError):
            break
        except OSError:
            # ICMP errors (port unreachable) surface here; nothing to read.
            break
    return out


def get_loop():
    """Return the process's loop, starting it on first use or after fork."""
    global _loop
    loop = _loop
    if loop is not None and loop.pid == os.getpid():
        return loop
    with _loop_lock:
        if _loop is None or _loop.pid != os.getpid():
            _loop = Loop()
        return _loop


def _after_fork_in_child():
    global _loop, _loop_lock
    _loop = None
    _loop_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
