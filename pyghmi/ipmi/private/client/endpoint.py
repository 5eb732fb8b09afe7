"""The client's UDP sockets: one per address family, shared by every
session of the process (and one of its own for a session to a BMC that
keys sessions by the console's port), with the routing of received
datagrams to the sessions by session id.

A caller waiting for its own reply reads the socket itself when no
other caller does (one blocking receive bounded by :data:`READ_SLICE`);
otherwise the process's I/O loop reads it.  Datagrams no session takes
are counted in ``Endpoint.stray``.
"""

import collections
import logging
import os
import socket
import struct
import threading
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import loop as ioloop
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.codec import wire

LOG = logging.getLogger(__name__)

# Longest one receive of a caller reading its own reply blocks (see
# Endpoint._read_until): also how late it may notice that a timer ended
# its wait, or its own deadline.
READ_SLICE = 0.05
_endpoints: typing.Dict[int, 'Endpoint'] = {}
_endpoint_lock = threading.Lock()
# BMCs that have had a session from the shared socket.  Some BMCs (pyghmi
# 1.6.19's Bmc, hence virtualbmc on it, and older firmware) key sessions
# by the console's address and port and ignore a second Open Session from
# the same port, even after a Close Session: every later session to such
# a peer gets a socket of its own (closed with the session), so the
# socket count stays bounded by the sessions open at once.
PEERS_REMEMBERED = 65536


class Endpoint:
    """One UDP socket of an address family: the one shared by all client
    sessions, or a dedicated one (``dedicated``) for one session."""

    def __init__(self, family, dedicated=False):
        self.family = family
        self.dedicated = dedicated
        self.pid = os.getpid()
        self.used_peers = lru.LRU(PEERS_REMEMBERED)
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                 4 * 1024 * 1024)
        except OSError:
            pass
        self.sock.bind(('::', 0) if family == socket.AF_INET6
                       else ('0.0.0.0', 0))
        # whether a caller may read its own reply (see _read_until)
        self.caller_reads = _read_in_slices(self.sock)
        self.by_sid = {}
        self.by_peer = {}
        self.lock = threading.Lock()     # guards by_sid / by_peer writes
        self.reader = threading.Lock()   # held by a caller reading itself
        # Sessions awaiting a datagram (SharedLogin.run keeps this), and
        # whether a caller left the loop's reading paused (see exchange).
        self.expecting = set()
        self.parked = False
        self._park_lock = threading.Lock()
        # datagrams no session took: 'undecodable', 'no session'
        self.stray: typing.Counter[str] = collections.Counter()
        self.loop = ioloop.get_loop()
        self.loop.add_reader(self.sock, self._readable)

    def new_sid(self, shared):
        """Register ``shared`` under a fresh random non-zero session id."""
        with self.lock:
            while True:
                sid = struct.unpack('<I', os.urandom(4))[0]
                if sid and sid not in self.by_sid:
                    self.by_sid[sid] = shared
                    peers = set(self.by_peer.get(shared.peer, ()))
                    peers.add(shared)
                    self.by_peer[shared.peer] = frozenset(peers)
                    return sid

    def renew_sid(self, shared):
        """Give ``shared`` a fresh session id (a restarted handshake);
        datagrams for the old one are no longer routed to it."""
        with self.lock:
            self.by_sid.pop(shared.core.local_sid, None)
            while True:
                sid = struct.unpack('<I', os.urandom(4))[0]
                if sid and sid not in self.by_sid:
                    self.by_sid[sid] = shared
                    return sid

    def close(self):
        """Stop reading and close the socket (dedicated endpoints)."""
        self.loop.remove_reader(self.sock)
        self.loop.call_soon(self.sock.close)

    def forget(self, shared):
        """Stop routing datagrams to ``shared``; a dedicated endpoint is
        closed with its session."""
        with self.lock:
            self.by_sid.pop(shared.core.local_sid, None)
            peers = self.by_peer.get(shared.peer, frozenset()) - {shared}
            if peers:
                self.by_peer[shared.peer] = peers
            else:
                self.by_peer.pop(shared.peer, None)
        self.expecting.discard(shared)
        if self.dedicated and not self.by_sid:
            self.close()

    def exchange(self, send, waiter, timeout):
        """Run ``send()`` and wait for ``waiter``.

        When no other caller is reading, this thread reads the socket
        itself (the loop thread stops reading it first, so it cannot take
        the reply): a synchronous request then costs no thread hand-off.
        Otherwise it waits, taking over as reader if the current one
        leaves first.  The loop thread still fires timers meanwhile.

        The loop's reading stays paused ("parked") after the caller
        leaves while no session awaits a datagram, so back-to-back
        requests cost no epoll change each; whoever then expects one
        (a send outside a reader, a timer's retransmission, a payload
        sink) resumes it, see :meth:`unpark`.

        :returns: True when the waiter completed in time
        """
        deadline = time.monotonic() + timeout
        sent = False
        while True:
            if self.reader.acquire(False):
                try:
                    if self.parked or self._park():
                        if not sent:
                            send()
                        return self._read_until(waiter, deadline)
                finally:
                    self.reader.release()
                    if self.expecting:
                        self.unpark()
            if not sent:
                send()
                sent = True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return waiter.done
            if waiter.wait(min(remaining, 0.05)):
                return True

    def _park(self):
        """Make sure the loop thread is not reading (the reader holds
        ``reader``); False where its reading cannot be paused."""
        if self.parked:
            return True
        if not self.caller_reads:
            return False
        with self._park_lock:
            if not self.parked:
                self.parked = self.loop.pause_reader(self.sock)
            return self.parked

    def unpark(self):
        """Have the loop thread read again unless a caller is reading
        (that one calls this when it leaves, if a session still awaits
        a datagram)."""
        with self._park_lock:
            if self.parked and not self.reader.locked():
                self.loop.resume_reader(self.sock)
                self.parked = False

    def _read_until(self, waiter, deadline):
        recvfrom, monotonic = self.sock.recvfrom, time.monotonic
        while not waiter.done:
            if monotonic() >= deadline:
                return False
            try:
                # Blocks READ_SLICE at most (SO_RCVTIMEO): a timer in the
                # loop thread may finish the waiter (time-out) without
                # any datagram arriving.
                data, addr = recvfrom(2048)
            except BlockingIOError:
                continue        # the slice ended
            except OSError:
                # an ICMP report, a socket closed under us: wait out the
                # slice on the waiter rather than spin on the error
                waiter.wait(READ_SLICE)
                continue
            self._handle(data, addr, monotonic())
        # done is set after the outcome: nothing to wait for
        return True

    def _readable(self):
        now = time.monotonic()
        for data, addr in ioloop.recv_burst(self.sock):
            self._handle(data, addr, now)

    def _handle(self, data, addr, now):
        try:
            dgram = wire.parse_datagram(data)
        except exc.DecodeError:
            self.stray['undecodable'] += 1
            return
        targets = self._route(dgram, addr[:2])
        if not targets:
            self.stray['no session'] += 1
        for shared in targets:
            shared.deliver(dgram, now)

    def _route(self, dgram, peer):
        return route(dgram, peer, self.by_sid, self.by_peer)


def route(dgram, peer, by_sid, by_peer):
    """The sessions a datagram from ``peer`` is for (any driver's):
    ``by_sid`` maps our session ids to sessions (each with ``peer`` and
    ``alt_peers``), ``by_peer`` a peer to its sessions."""
    if not dgram.v2:
        # IPMI 1.5: the BMC's session id, not ours, is in the header;
        # each session of the peer checks its own id and auth code.
        return by_peer.get(peer, ())
    sid = dgram.session_id
    if not sid:
        sid = clientcore.console_session_id(dgram)
    if sid:
        shared = by_sid.get(sid)
        if shared is not None and (shared.peer == peer or
                                   peer in shared.alt_peers):
            return (shared,)
        return ()
    # Sessionless replies (discovery) carry no session id: offer them
    # to every session to that peer; each checks its own sequence.
    return by_peer.get(peer, ())


def _read_in_slices(sock):
    """Put ``sock`` in blocking mode with receives bounded by READ_SLICE
    (SO_RCVTIMEO): a caller reading its own reply then makes one system
    call where a poll and a receive were two.  Everything else passes
    ``DONTWAIT``.  Where the platform lacks either option the socket is
    left non-blocking and only the loop thread reads it.

    :returns: True when callers may read the socket
    """
    sock.setblocking(False)
    if not ioloop.DONTWAIT or not hasattr(socket, 'SO_RCVTIMEO'):
        return False
    seconds, micros = divmod(int(READ_SLICE * 1e6), 1000000)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                        struct.pack('@ll', seconds, micros))
    except OSError:
        return False
    sock.setblocking(True)
    return True


def for_peer(family, peer=None):
    """The shared endpoint of ``family``, or a dedicated one when ``peer``
    already had a session from the shared socket (see PEERS_REMEMBERED)."""
    pid = os.getpid()
    with _endpoint_lock:
        ep = _endpoints.get(family)
        if ep is None or ep.pid != pid:
            ep = Endpoint(family)
            _endpoints[family] = ep
        if peer is None:
            return ep
        if ep.used_peers.get(peer):
            try:
                return Endpoint(family, dedicated=True)
            except OSError as err:       # out of file descriptors
                LOG.debug('no socket of its own for %s (%s): sharing',
                          peer, err)
                return ep
        ep.used_peers.put(peer, True)
        return ep


def _after_fork_in_child():
    global _endpoint_lock
    _endpoints.clear()
    _endpoint_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
