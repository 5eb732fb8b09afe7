"""A hostile network between a client and a BMC, on loopback, for tests.

:class:`HostileProxy` listens on a free loopback port and relays UDP
datagrams to a target (ipmi_sim, fakebmc) and the answers back, through
a seeded random number generator that drops, duplicates, reorders,
delays and corrupts them.  Each client address gets its own upstream
socket, so BMCs that key sessions by source address see distinct
consoles.  Every test that needs loss, duplication, reordering or delay
uses this one class (the reliability, console and speed work alike).

Only loopback addresses are accepted as target and listening address;
the relay thread ends by itself after ``lifetime`` seconds at the latest.
"""

import collections
import heapq
import ipaddress
import random
import selectors
import socket
import threading
import time

_MAX_DATAGRAM = 65535


def _check_loopback(host):
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError('the test proxy only talks to loopback, not %s'
                         % host)


class Impairments:
    """What happens to each datagram, as probabilities and seconds.

    :param loss: chance a datagram is dropped
    :param duplicate: chance it is sent twice
    :param reorder: chance it is held back until the next datagram in the
        same direction has passed (or ``hold`` seconds)
    :param delay: fixed one-way delay in seconds
    :param jitter: extra uniform random delay, 0..jitter seconds
    :param corrupt: chance one random byte is flipped
    :param hold: longest a reordered datagram waits for the next one
    :param directions: where the impairments apply: 'up' (toward the
        BMC), 'down' (toward the client), or both
    :param duplicate_directions: where duplication applies (default: the
        same as ``directions``)
    """

    def __init__(self, loss=0.0, duplicate=0.0, reorder=0.0, delay=0.0,
                 jitter=0.0, corrupt=0.0, hold=0.05,
                 directions=('up', 'down'), duplicate_directions=None):
        self.loss = loss
        self.duplicate = duplicate
        self.reorder = reorder
        self.delay = delay
        self.jitter = jitter
        self.corrupt = corrupt
        self.hold = hold
        self.directions = tuple(directions)
        self.duplicate_directions = tuple(duplicate_directions or
                                          directions)

    def __repr__(self):
        return ('Impairments(loss=%g, duplicate=%g, reorder=%g, delay=%g, '
                'jitter=%g, corrupt=%g)' % (
                    self.loss, self.duplicate, self.reorder, self.delay,
                    self.jitter, self.corrupt))


class HostileProxy:
    """Relay datagrams to ``target`` through :class:`Impairments`.

    :param target: ``(host, port)`` of the BMC, a loopback address
    :param impairments: what to do to datagrams (both directions)
    :param seed: seed of the random choices, so a run can be replayed
    :param lifetime: seconds after which the relay stops by itself
    """

    def __init__(self, target, impairments=None, seed=0, lifetime=600.0,
                 host='127.0.0.1'):
        _check_loopback(target[0])
        _check_loopback(host)
        self.target = (target[0], target[1])
        self.impairments = impairments or Impairments()
        self.rng = random.Random(seed)
        self.host = host
        self.counts = collections.Counter()
        self._lifetime = lifetime
        self._family = socket.AF_INET6 if ':' in host else socket.AF_INET
        self._front = socket.socket(self._family, socket.SOCK_DGRAM)
        self._front.bind((host, 0))
        self._front.setblocking(False)
        self.port = self._front.getsockname()[1]
        self._upstream = {}          # client address -> socket
        self._clients = {}           # socket -> client address
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._front, selectors.EVENT_READ)
        self._timers = []            # (when, n, sock, data, address)
        self._held = {}              # direction -> held datagram
        self._n = 0
        self._blackout_until = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='hostile-proxy')

    def __repr__(self):
        return 'HostileProxy(port=%d, %r)' % (self.port, self.impairments)

    # ------------------------------------------------------------ control
    def start(self):
        """Start relaying; returns self."""
        self._thread.start()
        return self

    def stop(self):
        """Stop relaying and close every socket."""
        self._stop.set()
        self._thread.join(5)
        for sock in [self._front] + list(self._upstream.values()):
            sock.close()
        self._sel.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def blackout(self, seconds):
        """Drop everything, both ways, for ``seconds`` from now."""
        with self._lock:
            self._blackout_until = time.monotonic() + seconds

    def set_impairments(self, impairments):
        """Change what happens to the next datagrams."""
        with self._lock:
            self.impairments = impairments

    # -------------------------------------------------------------- relay
    def _run(self):
        end = time.monotonic() + self._lifetime
        while not self._stop.is_set() and time.monotonic() < end:
            wait = 0.05
            if self._timers:
                wait = max(0.0, min(wait, self._timers[0][0]
                                    - time.monotonic()))
            for key, _ in self._sel.select(wait):
                self._readable(key.fileobj)
            self._release_due()

    def _readable(self, sock):
        try:
            data, addr = sock.recvfrom(_MAX_DATAGRAM)
        except OSError:
            return
        if sock is self._front:
            self._impair('up', self._upstream_for(addr), data, self.target)
        else:
            self._impair('down', self._front, data, self._clients[sock])

    def _upstream_for(self, client):
        sock = self._upstream.get(client)
        if sock is None:
            sock = socket.socket(self._family, socket.SOCK_DGRAM)
            sock.bind((self.host, 0))
            sock.setblocking(False)
            self._upstream[client] = sock
            self._clients[sock] = client
            self._sel.register(sock, selectors.EVENT_READ)
        return sock

    def _impair(self, direction, sock, data, address):
        imp, rng = self.impairments, self.rng
        self.counts['received ' + direction] += 1
        if direction not in imp.directions:
            self._schedule(0.0, sock, data, address)
            return
        if time.monotonic() < self._blackout_until or rng.random() < imp.loss:
            self.counts['dropped ' + direction] += 1
            return
        if rng.random() < imp.corrupt and data:
            pos = rng.randrange(len(data))
            data = data[:pos] + bytes((data[pos] ^ 0xFF,)) + data[pos + 1:]
            self.counts['corrupted ' + direction] += 1
        copies = 1
        if rng.random() < imp.duplicate and \
                direction in imp.duplicate_directions:
            copies = 2
        self.counts['duplicated ' + direction] += copies - 1
        if rng.random() < imp.reorder and direction not in self._held:
            self._held[direction] = (sock, data, address)
            self._schedule(imp.hold, None, direction, None)
            self.counts['reordered ' + direction] += 1
            return
        for _ in range(copies):
            self._schedule(self._delay(), sock, data, address)
        held = self._held.pop(direction, None)
        if held is not None:           # the held one now goes after this
            self._schedule(self._delay(), *held)

    def _delay(self):
        imp = self.impairments
        return imp.delay + (self.rng.uniform(0, imp.jitter)
                            if imp.jitter else 0.0)

    def _schedule(self, delay, sock, data, address):
        self._n += 1
        heapq.heappush(self._timers, (time.monotonic() + delay, self._n,
                                      sock, data, address))

    def _release_due(self):
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, sock, data, address = heapq.heappop(self._timers)
            if sock is None:                # a hold ran out: release it
                held = self._held.pop(data, None)
                if held is not None:
                    self._send(*held)
                continue
            self._send(sock, data, address)

    def _send(self, sock, data, address):
        try:
            sock.sendto(data, address)
            self.counts['sent'] += 1
        except OSError:
            self.counts['send errors'] += 1
