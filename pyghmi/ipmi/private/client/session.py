"""Client sessions: the thread-safe facade over the sans-IO core.

Rules of this module:

* a :class:`Session` is a light handle; the login itself is a
  :class:`SharedLogin` (one :class:`clientcore.ClientCore`) shared by every
  handle with the same BMC address, user, password, Kg, privilege and
  cipher suite, and closed when its last handle logs out or at exit;
* the core is only touched under its shared lock; the calling thread
  encodes and sends, and reads the reply itself when no other caller is
  reading (the loop thread's reading is paused meanwhile, and stays so
  until some session awaits a datagram again); otherwise the loop thread
  receives; timers always fire in the loop thread;
* UDP sockets are per address family and shared by all sessions; replies
  are routed by our session id, which is unique in the process;
* every wait is bounded; synchronous callers block on a per-request lock.
"""

import atexit
import collections
import logging
import os
import queue
import socket
import struct
import threading
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import loop as ioloop
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client import rawresult
from pyghmi.ipmi.private.client import suitememory
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import crypto

LOG = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1.0
DEFAULT_RETRIES = 3

# This process's id, kept current across fork: os.getpid() is a system
# call, and every request checks that its session belongs here.
_pid = os.getpid()
_registry: typing.Dict[tuple, 'SharedLogin'] = {}
_registry_lock = threading.Lock()
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


def use_login_cache(directory):
    """Remember the cipher suite of each BMC in ``directory`` too, so
    a new process logs in with 4 round trips (None: memory only)."""
    _suite_memory.use_directory(directory)


# Added to the core's own worst case before a caller gives up waiting:
# the bound only matters if a completion were lost (a bug), and keeps
# every call finite even then.
WAIT_SLACK = 1.0
# Longest one receive of a caller reading its own reply blocks (see
# Endpoint._read_until): also how late it may notice that a timer ended
# its wait, or its own deadline.
READ_SLICE = 0.05
_endpoints: typing.Dict[int, 'Endpoint'] = {}
_endpoint_lock = threading.Lock()
_callbacks: 'queue.Queue[tuple]' = queue.Queue()


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
        if not dgram.v2:
            # IPMI 1.5: the BMC's session id, not ours, is in the header;
            # each session of the peer checks its own id and auth code.
            return self.by_peer.get(peer, ())
        sid = dgram.session_id
        if not sid:
            sid = clientcore.console_session_id(dgram)
        if sid:
            shared = self.by_sid.get(sid)
            if shared is not None and (shared.peer == peer or
                                       peer in shared.alt_peers):
                return (shared,)
            return ()
        # Sessionless replies (discovery) carry no session id: offer them
        # to every session to that peer; each checks its own sequence.
        return self.by_peer.get(peer, ())


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


def _endpoint(family, peer=None):
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
        self.endpoint = _endpoint(family, self.peer)
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


def _to_bytes(value, name, limit):
    if value is None:
        value = b''
    if isinstance(value, str):
        value = value.encode('utf-8')
    if not isinstance(value, (bytes, bytearray)):
        # bytes(5) would be five NUL bytes: never guess.
        raise exc.InvalidParameterValue('%s must be a string' % name)
    value = bytes(value)
    if len(value) > limit:
        raise exc.InvalidParameterValue(
            '%s is longer than %d bytes' % (name, limit))
    return value


def _privilege(privlevel):
    if privlevel is None:
        return None
    if isinstance(privlevel, str):
        if privlevel.lower() not in const.PRIVILEGE_NAMES:
            raise exc.InvalidParameterValue(
                'Unknown privilege level %r' % privlevel)
        return const.PRIVILEGE_NAMES[privlevel.lower()]
    if privlevel not in (1, 2, 3, 4):
        raise exc.InvalidParameterValue(
            'Privilege level must be 1-4, not %r' % privlevel)
    return privlevel


def _resolve(bmc, port):
    # An ASCII name or address goes in as bytes: a str makes the socket
    # module load the IDNA codec (over 1 ms, on the first login of every
    # process, pyghmiutil's included), which only non-ASCII names need.
    host = bmc.encode('ascii') if isinstance(bmc, str) and bmc.isascii() \
        else bmc
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as err:
        raise exc.IpmiException('Cannot resolve BMC %s: %s' % (bmc, err),
                                bmc=bmc) from None
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


class _Waiter:
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


class _CountWaiter(_Waiter):
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


class Session:
    """A client session to one BMC (IPMI 2.0 / RMCP+ over UDP).

    :param bmc: host name or address (IPv4 or IPv6)
    :param userid: user name (str or bytes, at most 16 bytes)
    :param password: password (str or bytes, at most 20 bytes)
    :param port: UDP port, 623 by default
    :param kg: BMC key (Kg), or None
    :param onlogon: if given, log in in the background and call
        ``onlogon(response)`` from :meth:`wait_for_rsp` with
        ``{'success': True}`` or ``{'error': text}``
    :param privlevel: 1-4 or a name ('administrator'...); None asks for
        administrator and steps down to what the BMC grants
    :param keepalive: keep the session alive while idle (else close it and
        log in again on the next request)
    :param cipher: cipher suite id; None picks 17, else 3
    :param timeout: seconds to wait for the first reply to a packet
    :param retries: times a packet is sent again before giving up
    :param allow_no_auth: permit cipher suite 0 when given explicitly (and
        IPMI 1.5 auth type none)
    :param ipmi_version: 2.0 (RMCP+ only), 1.5 (IPMI 1.5 sessions only),
        or None: RMCP+, falling back to IPMI 1.5 for BMCs without it
    :param max_inflight: requests in flight at once (1-32) for
        :meth:`request_many`, or None for an adaptive window
    :raises IpmiException: login failed (subclasses say why)
    :raises InvalidParameterValue: bad arguments
    """

    def __init__(self, bmc, userid, password, port=623, kg=None,
                 onlogon=None, privlevel=None, keepalive=True, cipher=None,
                 timeout=None, retries=None, allow_no_auth=False,
                 ipmi_version=None, max_inflight=None):
        if cipher is not None and cipher not in crypto.CIPHER_SUITES:
            raise exc.InvalidParameterValue(
                'Unsupported cipher suite %r' % (cipher,))
        if ipmi_version not in (None, 1.5, 2.0, 2):
            raise exc.InvalidParameterValue(
                'ipmi_version must be 1.5, 2.0 or None, not %r'
                % (ipmi_version,))
        if cipher == 0 and not allow_no_auth:
            raise exc.InvalidParameterValue(
                'Cipher suite 0 has no authentication; pass '
                'allow_no_auth=True to use it')
        params = clientcore.LoginParams(
            bmc, _to_bytes(userid, 'User name', 16),
            _to_bytes(password, 'Password', 20),
            kg=_to_bytes(kg, 'Kg', 20) or None,
            privlevel=_privilege(privlevel), cipher=cipher,
            timeout=timeout or DEFAULT_TIMEOUT,
            retries=DEFAULT_RETRIES if retries is None else retries,
            keepalive=keepalive, ipmi_version=ipmi_version,
            allow_no_auth=allow_no_auth, max_inflight=max_inflight)
        self.bmc = bmc
        self.port = port
        self.userid = userid
        # This handle's own settings: the shared login may have been made
        # by another Command with other ones.
        self._timeout = params.timeout
        self._retries = params.retries
        self._params = params
        self._closed = False
        family, sockaddr = _resolve(bmc, port)
        self._shared: typing.Any = self._attach(family, sockaddr, params)
        self._onlogon = onlogon
        # (netfn, command) -> asynchronous requests without an answer yet
        self._outstanding: typing.Counter[tuple] = collections.Counter()
        if onlogon is not None:
            self._login_async()
        else:
            self._login_sync()

    def __repr__(self):
        return 'Session(bmc=%r, port=%r)' % (self.bmc, self.port)

    @staticmethod
    def _attach(family, sockaddr, params):
        key = (sockaddr[:2], params.userid,
               crypto.hash_secret(params.password, params.kg),
               params.privlevel, params.cipher, params.keepalive,
               params.ipmi_version, params.max_inflight)
        with _registry_lock:
            shared = _registry.get(key)
            if shared is None or shared.endpoint.pid != os.getpid():
                shared = SharedLogin(key, params, sockaddr, family)
                _registry[key] = shared
            shared.refs += 1
            return shared

    def _max_wait(self, timeout=None):
        """How long a caller blocks at most: the core's own worst case
        for a request (its tries, a re-login, its tries again), plus
        slack; the core always finishes first unless it has a bug."""
        return clientcore.request_budget(
            self._shared.core.params, timeout or self._timeout,
            self._retries) + WAIT_SLACK

    def _login_sync(self):
        shared = self._shared
        waiter = _Waiter()
        with shared.lock:
            if shared.core.active:
                return
            shared.login_waiters.append(waiter)
        shared.run(shared.core.login)
        if not waiter.wait(self._max_wait()):
            self.logout()
            raise exc.IpmiTimeoutError(
                'Login to %s did not complete' % self.bmc,
                code=const.CC_NO_RESPONSE, bmc=self.bmc)
        if waiter.value is not None:
            self.logout()
            raise waiter.value

    def _login_async(self):
        shared = self._shared

        def done(error):
            if error is None:
                _callbacks.put((self.onlogon, {'success': True}))
            else:
                _callbacks.put((self.onlogon, {'error': str(error)}))
        with shared.lock:
            if shared.core.active:
                _callbacks.put((self.onlogon, {'success': True}))
                return
            shared.login_waiters.append(done)
        shared.run(shared.core.login)

    def onlogon(self, parameter):
        """Called from :meth:`wait_for_rsp` when a background login ends:
        hands ``{'success': True}`` or ``{'error': text}`` to the
        ``onlogon`` callable the session was made with."""
        self.lastlogon = parameter
        if self._onlogon is not None:
            self._onlogon(parameter)

    def login(self):
        """Log in now if the session is not established (a no-op when
        it is); waits for the outcome.

        :raises IpmiException: the login failed
        """
        if self._closed:
            # logout() released the shared login: take a fresh one
            shared = self._shared
            self._shared = self._attach(shared.family, shared.sockaddr,
                                        self._params)
            self._closed = False
        self._login_sync()

    @property
    def ipmiversion(self):
        """1.5 or 2.0: the IPMI version of the established session (2.0
        before the first login)."""
        return self._shared.core.ipmi_version or 2.0

    @property
    def logged(self):
        """True while the shared session is established."""
        return not self._closed and self._shared.core.active

    @property
    def broken(self):
        """True when the last login attempt failed."""
        return self._shared.core.state == clientcore.State.FAILED

    def request(self, netfn, command, data=(), bridge_request=None,
                retry=True, timeout=None, rslun=0):
        """Send one IPMI request and wait for its response.

        :param netfn: network function (request, even)
        :param command: command number
        :param data: request data bytes
        :param bridge_request: ``{'addr': target address, 'channel': n}``
            to reach a controller behind the BMC, or None
        :param retry: retransmit and re-login when no answer comes
        :param timeout: seconds to wait for the first reply
        :param rslun: responder LUN
        :returns: ``(completion_code, data_bytes)``
        :raises IpmiTimeoutError: no answer within the retries
        :raises IpmiException: the session could not be (re)established
        """
        if self._closed:
            raise exc.IpmiException('Session is logged out', bmc=self.bmc)
        shared = self._in_this_process()
        waiter = _Waiter()
        req = clientcore.Request(netfn, command, bytes(data),
                                 bridge=bridge_request or None, rslun=rslun,
                                 retry=retry, timeout=timeout or self._timeout,
                                 retries=self._retries, callback=waiter)
        if not shared.endpoint.exchange(
                lambda: shared.run(shared.core.submit, req), waiter,
                self._max_wait(timeout)):
            raise exc.IpmiTimeoutError(
                'No response from %s' % self.bmc, code=const.CC_NO_RESPONSE,
                bmc=self.bmc, netfn=netfn, command=command)
        if req.error is not None:
            raise req.error
        return req.code, req.data_out

    def request_many(self, items):
        """Send several requests at once and wait for all of them.

        They are queued together, so the session keeps up to its window
        in flight (pipelining); each is answered, retried and timed out
        on its own.

        :param items: ``(netfn, command, data, bridge_request, retry,
            timeout, rslun)`` tuples
        :returns: per item, in order, ``(completion_code, data_bytes)``
            or the exception that ended it
        :raises IpmiException: the session is logged out
        """
        if self._closed:
            raise exc.IpmiException('Session is logged out', bmc=self.bmc)
        if not items:
            return []
        shared = self._in_this_process()
        waiter = _CountWaiter(len(items))
        reqs = [clientcore.Request(
            netfn, command, bytes(data), bridge=bridge or None, rslun=rslun,
            retry=retry, timeout=timeout or self._timeout,
            retries=self._retries, callback=waiter)
            for netfn, command, data, bridge, retry, timeout, rslun in items]

        def submit_all(now):
            for req in reqs:
                shared.core.submit(req, now)
        longest = max(req.timeout for req in reqs)
        # the last request may wait behind all the others' tries
        budget = self._max_wait(longest) + len(reqs) * clientcore.step_budget(
            longest, self._retries)
        shared.endpoint.exchange(lambda: shared.run(submit_all), waiter,
                                 budget)
        results = []
        for req in reqs:
            if req.error is not None:
                results.append(req.error)
            elif req.code is None:
                results.append(exc.IpmiTimeoutError(
                    'No response from %s' % self.bmc,
                    code=const.CC_NO_RESPONSE, bmc=self.bmc,
                    netfn=req.netfn, command=req.cmd))
            else:
                results.append((req.code, req.data_out))
        return results

    def raw_command(self, netfn, command, bridge_request=None, data=(),
                    retry=True, delay_xmit=None, timeout=None, callback=None,
                    rslun=0):
        """Send a raw request, pyghmi style: errors come back in the dict.

        :param callback: if given, do not wait: return None at once and
            call ``callback(response)`` later from :meth:`wait_for_rsp`
        :returns: ``{'netfn', 'command', 'code', 'data'}`` plus ``'error'``
            (text) when the completion code is not zero or the request
            failed (then ``code`` is the error's code, 0xFFFF on time-out)
        """
        if callback is not None:
            return self._raw_async(netfn, command, bridge_request, data,
                                   retry, timeout, rslun, callback)
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        return rawresult.raw_result(self.request, netfn, command, data,
                                    bridge_request, retry, timeout, rslun)

    def _raw_async(self, netfn, command, bridge_request, data, retry,
                   timeout, rslun, callback):
        """Submit without waiting; ``callback(dict)`` runs from
        :meth:`wait_for_rsp` in the caller's thread."""
        key = (netfn, command)
        self._outstanding[key] += 1

        def done(req):
            _callbacks.put((self._answered(key, callback),
                            rawresult.request_dict(req)))
        req = clientcore.Request(netfn, command, bytes(data),
                                 bridge=bridge_request or None, rslun=rslun,
                                 retry=retry, timeout=timeout or self._timeout,
                                 retries=self._retries, callback=done)
        shared = self._in_this_process()
        shared.run(shared.core.submit, req)

    def _answered(self, key, callback):
        def deliver(rsp):
            self._outstanding[key] -= 1
            if self._outstanding[key] <= 0:
                del self._outstanding[key]
            callback(rsp)
        return deliver

    def awaitresponse(self, retry, netfn, command):
        """Run callbacks until every asynchronous request of this session
        for ``netfn`` / ``command`` has been answered, within the
        session's worst-case wait.

        :param retry: False waits for one callback round only
        :returns: True when none is outstanding any more
        """
        key = (netfn, command)
        deadline = time.monotonic() + self._max_wait()
        while self._outstanding.get(key):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.wait_for_rsp(timeout=left)
            if not retry:
                break
        return not self._outstanding.get(key)

    def process_pktqueue(self):
        """Run the callbacks whose answers have already arrived, without
        waiting (the I/O thread receives packets; this delivers).

        :returns: how many ran
        """
        return self.wait_for_rsp(timeout=0)

    def _in_this_process(self):
        """The shared login, re-established in a forked child.

        A child inherits the parent's session objects but not its I/O
        thread, and must not send with the parent's session keys and
        sequence numbers: it logs in afresh with its own session (and
        leaves the parent's alone).
        """
        shared = self._shared
        if shared.endpoint.pid == _pid:
            return shared
        self._shared = self._attach(shared.family, shared.sockaddr,
                                    self._params)
        self._login_sync()
        return self._shared

    def send_payload(self, payload=None, payload_type=None, retry=True,
                     delay_xmit=None, needskeepalive=False, timeout=None):
        """Send one payload of a type other than IPMI (SOL: 1, OEM: 2)
        in this session, once: its own protocol acknowledges and resends
        (see :mod:`pyghmi.ipmi.console`).

        :param payload: the payload bytes
        :param payload_type: its type (1 when None)
        :param retry, delay_xmit, needskeepalive, timeout: accepted for
            pyghmi compatibility; ``delay_xmit`` waits that many seconds
            first, the others do not apply to a single datagram
        :raises InvalidParameterValue: an IPMI payload (use
            :meth:`raw_command`) or no payload
        :raises IpmiException: no session is active
        """
        ptype = const.PAYLOAD_SOL if payload_type is None else payload_type
        if payload is None or ptype == const.PAYLOAD_IPMI:
            raise exc.InvalidParameterValue(
                'payload: bytes of a non-IPMI payload type (IPMI '
                'requests go through raw_command)')
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        shared = self._in_this_process()
        sent = []
        shared.run(lambda now: sent.append(shared.core.send_raw_payload(
            ptype, bytes(bytearray(payload)), now)))
        if not sent[0]:
            raise exc.IpmiException('No active session to send in',
                                    bmc=self.bmc)

    def register_keepalive(self, cmd, callback):
        """Have the idle session kept alive by this request (instead of
        Get Device ID): ``cmd`` is ``{'netfn', 'command', 'data'}``;
        ``callback(response)`` runs from :meth:`wait_for_rsp` with the
        ``raw_command``-style answer of each.

        :returns: an id for :meth:`unregister_keepalive`
        """
        netfn, command = cmd['netfn'], cmd['command']
        data = bytes(bytearray(cmd.get('data', ())))

        def done(req):
            _callbacks.put((callback, rawresult.request_dict(req)))
        shared = self._in_this_process()
        with shared.lock:
            return shared.core.register_keepalive(netfn, command, data,
                                                  done)

    def unregister_keepalive(self, regid):
        """Stop a keepalive registered with :meth:`register_keepalive`."""
        with self._shared.lock:
            self._shared.core.unregister_keepalive(regid)

    def run_on_core(self, func, *args):
        """Call ``func(*args, now)`` with the session core locked, then
        send what it (or a payload sink) queued: how a payload handler
        such as the SOL console acts on its session."""
        self._in_this_process().run(func, *args)

    def logout(self, sessionok=True):
        """Release this handle; the last one closes the BMC session.

        :returns: ``{'success': True}``
        """
        if self._closed:
            return {'success': True}
        self._closed = True
        shared = self._shared
        if shared.endpoint.pid != os.getpid():
            return {'success': True}      # the parent's: not ours to close
        with _registry_lock:
            shared.refs -= 1
            last = shared.refs <= 0
            key = shared.key
            if last and _registry.get(key) is shared:
                del _registry[key]
        if last:
            _close_shared(shared, clientcore.step_budget(
                self._params.timeout, self._params.retries) + WAIT_SLACK)
        return {'success': True}

    @classmethod
    def wait_for_rsp(cls, timeout=None, callout=True):
        """Run pending callbacks (``onlogon``...) in the calling thread.

        :param timeout: longest time to wait for one, None for no limit
        :param callout: False waits for a callback to be pending without
            running any
        :returns: the number of callbacks run (with ``callout`` False:
            the number pending)
        """
        count = 0
        if not callout:
            return _pending_callbacks(timeout)
        try:
            func, arg = _callbacks.get(timeout=timeout)
        except queue.Empty:
            return 0
        while True:
            func(arg)
            count += 1
            try:
                func, arg = _callbacks.get_nowait()
            except queue.Empty:
                return count

    @staticmethod
    def queue_callback(func, arg):
        """Have ``func(arg)`` run by the next :meth:`wait_for_rsp`."""
        _callbacks.put((func, arg))

    @classmethod
    def pause(cls, timeout):
        """Run callbacks as they come for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            cls.wait_for_rsp(timeout=left)


def _pending_callbacks(timeout):
    # queue.Queue has no peek: wait on its condition (which holds the
    # queue's mutex, so its deque is read directly) for an item.
    with _callbacks.not_empty:
        if not _callbacks.queue and timeout != 0:
            _callbacks.not_empty.wait(timeout)
        return len(_callbacks.queue)


def _close_shared(shared, wait):
    waiter = _Waiter()
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
    with _registry_lock:
        pending = [s for s in _registry.values()
                   if s.endpoint.pid == os.getpid()]
        _registry.clear()
    waiters = []
    for shared in pending:
        waiter = _Waiter()
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
    global _registry_lock, _endpoint_lock, _callbacks, _pid
    _pid = os.getpid()
    _registry.clear()
    _endpoints.clear()
    _registry_lock = threading.Lock()
    _endpoint_lock = threading.Lock()
    # the same kind of queue as the parent's: wait_for_rsp(callout=False)
    # reads its condition and deque (a SimpleQueue has neither)
    _callbacks = queue.Queue()


os.register_at_fork(after_in_child=_after_fork_in_child)
