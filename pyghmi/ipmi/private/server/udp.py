"""IpmiServer: the serving half of a BMC (socket, sessions, Get Device ID).

pyghmi 1.6.19 calls this class ``serversession.IpmiServer`` and builds
``Bmc`` on it; so does this package (``serversession.IpmiServer`` is this
class, imported on first use so that the protocol module stays free of
sockets).  The protocol is :class:`serversession.ServerCore`; this class
binds the UDP socket, feeds the core from the process's one I/O loop and
sends what it answers.  Subclasses answer requests in
:meth:`IpmiServer.handle_raw_request`.
"""

import asyncio
import logging
import socket
import threading
import time
import uuid
import weakref
from typing import Any, Dict, Optional, Union

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import loop as ioloop
from pyghmi.ipmi.private.codec import device
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server import core as serversession

LOG = logging.getLogger(__name__)

_PRIVILEGES = dict(const.PRIVILEGE_NAMES)
# What a handler receives: {'netfn': int, 'command': int, 'data': bytes},
# and the object it answers through (send_ipmi_response).
Request = Dict[str, Any]
Responder = serversession.Responder
# Every server constructed in this process, for the class-level listen().
_SERVERS: 'weakref.WeakSet[IpmiServer]' = weakref.WeakSet()
# A Get Channel Authentication Capabilities request body (22.13): the
# current channel, administrator; what send_auth_cap answers for.
_AUTH_CAPS_REQUEST = bytes((const.CURRENT_CHANNEL, const.PRIV_ADMINISTRATOR))


def accounts_from_authdata(authdata):
    """Build the account table from pyghmi-style ``authdata``.

    Each value is a password (such users are administrators, as in
    pyghmi), or ``(password, privilege)``, or ``{'password': ...,
    'privilege': ...}`` with privilege 1-4 or a name ('operator'...).
    """
    accounts = {}
    for name, value in authdata.items():
        privilege = const.PRIV_ADMINISTRATOR
        if isinstance(value, dict):
            password = value.get('password', '')
            privilege = value.get('privilege', privilege)
        elif isinstance(value, (tuple, list)):
            password, privilege = value[0], value[1]
        else:
            password = value
        if isinstance(privilege, str):
            privilege = _PRIVILEGES[privilege.lower()]
        account = serversession.Account(name, password or '', privilege)
        accounts[account.name] = account
    return accounts


def _bind(address, port):
    family, _, _, _, sockaddr = socket.getaddrinfo(
        address, port, 0, socket.SOCK_DGRAM)[0]
    sock = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET6:
        try:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        except OSError:
            pass
    try:
        sock.bind(sockaddr)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class _ClassOrInstanceMethod(classmethod):
    """pyghmi's ``Bmc.listen`` is a classmethod (serve every BMC of the
    process); ours also works on one instance (serve that one)."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return super().__get__(instance, owner)
        return self.__func__.__get__(instance, owner)


class IpmiServer:
    """A UDP IPMI 2.0 (RMCP+) server whose requests go to
    :meth:`handle_raw_request`.

    :param authdata: dict of user name -> password (administrators), or
        -> ``(password, privilege)`` for other privilege limits
    :param port: UDP port to listen on (623; 0 picks a free one)
    :param bmcuuid: the system GUID (``uuid.UUID``); random if None
    :param address: address to bind ('::' for every address)
    :param kwargs: ``session_limit``, ``suites``, ``kg`` (BMC key),
        ``hide_unknown_users`` (answer unknown users like a wrong
        password instead of "unauthorized name"), ``login_rate`` (Open
        Session requests per second per source address),
        ``lockout_threshold`` / ``lockout_seconds`` (lock a user after
        that many failed RAKP 3 in a row); the last three are off unless
        given; ``ipmi15`` (also offer IPMI 1.5 sessions, MD5 or straight
        password) and ``ipmi20`` (offer RMCP+, True by default)
    :raises OSError: the address cannot be bound
    """

    def __init__(self, authdata: Dict[str, Any], port: int = 623,
                 bmcuuid: Optional[uuid.UUID] = None, address: str = '::',
                 **kwargs: Any) -> None:
        # Get Device ID fields, under the attribute names pyghmi used.
        self.deviceid = 0
        self.revision = 0           # bit 7: provides Device SDRs
        self.firmwaremajor = 1
        self.firmwareminor = 0
        self.ipmiversion: Union[int, float] = 2
        self.additionaldevices = 0
        self.mfgid = 0
        self.prodid = 0
        self.aux_firmware: Optional[bytes] = None
        self.uuid = bmcuuid if bmcuuid is not None else uuid.uuid4()
        self.authdata = authdata
        self.kg = kwargs.get('kg')
        self.timeout = 60
        self.port = port
        self.address = address
        self._stopped = threading.Event()
        # reentrant: a request handler may write to a SOL console
        self._lock = threading.RLock()
        self.serversocket = _bind(address, port)
        if port == 0:
            self.port = self.serversocket.getsockname()[1]
        guid = self.uuid.bytes_le if isinstance(self.uuid, uuid.UUID) \
            else bytes(self.uuid)
        self.config = serversession.ServerConfig(
            accounts_from_authdata(authdata), guid,
            suites=kwargs.get('suites', serversession.SERVER_SUITES),
            session_limit=kwargs.get('session_limit', 32),
            hide_unknown_users=kwargs.get('hide_unknown_users', False),
            login_rate=kwargs.get('login_rate'),
            lockout_threshold=kwargs.get('lockout_threshold'),
            lockout_seconds=kwargs.get('lockout_seconds', 300.0),
            ipmi20=kwargs.get('ipmi20', True),
            ipmi15=kwargs.get('ipmi15', False))
        self.core = serversession.ServerCore(
            self.config, self.handle_raw_request, supports=self._supports)
        # Replies a handler sends after receive() returned (from another
        # thread) go out at once too.
        self.core.on_output = self._flush
        self.core.lock = self._lock
        self.core.on_timer_change = self._schedule
        self._loop: Optional[ioloop.Loop] = None
        # (event loop, its stop future, re-arm) while serve_async runs
        self._aio: Optional[tuple] = None
        _SERVERS.add(self)

    def __repr__(self):
        return '%s(port=%r)' % (type(self).__name__, self.port)

    # ---------------------------------------------------------- serving
    def start(self) -> None:
        """Start serving on the shared loop without blocking.

        :raises RuntimeError: already serving on an asyncio loop
        """
        if self._aio is not None:
            raise RuntimeError('%r is serving on an asyncio loop' % self)
        self.set_kg(self.kg)
        if self._loop is None:
            self._stopped.clear()
            loop = self._loop = ioloop.get_loop()
            loop.add_reader(self.serversocket, self._readable)

    @_ClassOrInstanceMethod  # type: ignore[arg-type]
    def listen(cls, timeout=30):
        """Serve until stopped.

        On an instance (``bmc.listen()``): serve it until :meth:`stop` is
        called from another thread.  On the class (``Bmc.listen()``, as
        pyghmi 1.6.19 used it): serve every server of the process until
        all are stopped.

        :param timeout: kept for pyghmi compatibility (how often the
            original's loop woke); serving continues until stopped
        """
        servers = [cls] if isinstance(cls, IpmiServer) else [
            server for server in list(_SERVERS)
            if isinstance(server, cls)]
        for server in servers:
            server.start()
        for server in servers:
            server._stopped.wait()

    async def serve_async(self) -> None:
        """Serve on the running asyncio event loop (no thread) until
        :meth:`stop` is called, from the loop or another thread, or the
        task is cancelled; the socket is closed on the way out.

        The request handlers (``get_power_state``...) run on the loop
        itself, so a handler that blocks holds every BMC of that loop.

        :raises RuntimeError: this server is already serving
        """
        if self._loop is not None or self._aio is not None:
            raise RuntimeError('%r is already serving' % self)
        loop = asyncio.get_running_loop()
        stopped = loop.create_future()
        timer: list = [None]

        def rearm():
            # the SOL payloads' next retransmission, if any
            if timer[0] is not None:
                timer[0].cancel()
                timer[0] = None
            deadline = self.core.payload_deadline()
            if deadline is not None:
                timer[0] = loop.call_later(
                    max(0.0, deadline - time.monotonic()), tick)

        def tick():
            timer[0] = None
            self.on_timer(time.monotonic())
        self.set_kg(self.kg)
        self._stopped.clear()
        self._aio = (loop, stopped, rearm)
        fd = self.serversocket.fileno()
        loop.add_reader(fd, self._readable)
        try:
            await stopped
        finally:
            loop.remove_reader(fd)
            if timer[0] is not None:
                timer[0].cancel()
            self._aio = None
            self.serversocket.close()
            _SERVERS.discard(self)
            self._stopped.set()

    def stop(self) -> None:
        """Stop serving and close the socket; ``listen`` returns."""
        if self._aio is not None:
            loop, stopped, _ = self._aio
            loop.call_soon_threadsafe(
                lambda: stopped.done() or stopped.set_result(None))
            return          # serve_async closes the socket
        if self._loop is not None:
            self._loop.remove_reader(self.serversocket)
            self._loop.call_soon(self.serversocket.close)
            self._loop = None
        else:
            self.serversocket.close()
        _SERVERS.discard(self)
        self._stopped.set()

    # Loop timer protocol (SOL retransmissions of the BMC's consoles).
    def timer_deadline(self):
        """The earliest payload deadline, or None."""
        return self.core.payload_deadline()

    def on_timer(self, now):
        """Loop thread: retransmit what is due."""
        with self._lock:
            self.core.tick_payloads(now)
        self._schedule()

    def _schedule(self):
        serving = self._aio
        if serving is not None:
            serving[0].call_soon_threadsafe(serving[2])
            return
        loop = self._loop
        if loop is not None:
            loop.schedule(self)

    def _readable(self):
        for data, addr in ioloop.recv_burst(self.serversocket):
            self.sessionless_data(data, addr)

    def _flush(self):
        outbox = self.core.outbox
        while outbox:
            data, peer = outbox.popleft()   # atomic against other threads
            try:
                self.serversocket.sendto(data, peer)
            except OSError as err:
                LOG.debug('reply to %s failed: %s', peer, err)

    # -------------------------------------------- pyghmi 1.6.19's methods
    def set_kg(self, kg: Union[str, bytes, None]) -> None:
        """Use ``kg`` as the BMC key (RAKP key generation, 13.31); None
        uses each user's password instead."""
        self.kg = kg
        self.config.kg = kg.encode('utf-8') if isinstance(kg, str) else kg

    def sessionless_data(self, data: bytes, sockaddr: Any) -> None:
        """Handle one datagram from ``sockaddr`` (any kind: the core
        tells logins, in-session requests and sessionless ones apart);
        replies go out at once.  Never raises for bad input."""
        with self._lock:
            self.core.receive(bytes(data), sockaddr, time.monotonic())

    def process_pktqueue(self) -> None:
        """Handle every datagram already waiting on the socket, without
        blocking (for callers that drive the socket themselves)."""
        self._readable()

    def _send_sessionless(self, request, body, sockaddr):
        # A sessionless reply in the IPMI 1.5 format (13.6), as pyghmi's
        reply = wire.encode_response(request, body)
        self.core.outbox.append((wire.encode_v15(reply), sockaddr))
        self._flush()

    def send_auth_cap(self, myaddr, mylun, clientaddr, clientlun, clientseq,
                      sockaddr):
        """Send a Get Channel Authentication Capabilities response (for
        the request with these addresses, LUNs and sequence number)."""
        request = wire.Message(myaddr, const.NETFN_APP, mylun, clientaddr,
                               clientseq, clientlun,
                               const.CMD_GET_CHANNEL_AUTH_CAPABILITIES, b'')
        self._send_sessionless(
            request, self.core.auth_capabilities(_AUTH_CAPS_REQUEST),
            sockaddr)

    def send_cipher_suites(self, myaddr, mylun, clientaddr, clientlun,
                           clientseq, data, sockaddr):
        """Send a Get Channel Cipher Suites response to request ``data``
        (channel, payload type, list index: 22.15)."""
        request = wire.Message(myaddr, const.NETFN_APP, mylun, clientaddr,
                               clientseq, clientlun,
                               const.CMD_GET_CHANNEL_CIPHER_SUITES, b'')
        self._send_sessionless(request,
                               self.core.cipher_suites(bytes(data)),
                               sockaddr)

    def logout(self) -> None:
        """End every session (a BMC that forgets its consoles, as after
        a reset); the socket keeps serving new logins."""
        with self._lock:
            self.core.drop_all_sessions()

    # ------------------------------------------------------ handlers
    @staticmethod
    def handle_missing_command(session: Responder) -> None:
        """Answer 'invalid command'."""
        session.send_ipmi_response(code=const.CC_INVALID_COMMAND)

    def send_device_id(self, session: Responder) -> None:
        """Answer Get Device ID from the ``deviceid``... attributes."""
        version = {2: 0x02, 1.5: 0x51}.get(self.ipmiversion,
                                           self.ipmiversion)
        session.send_ipmi_response(data=device.encode_device_id(
            self.deviceid, self.revision, self.firmwaremajor,
            self.firmwareminor, version, self.additionaldevices,
            self.mfgid, self.prodid, self.aux_firmware))

    def handle_raw_request(self, request: Request,
                           session: Responder) -> None:
        """Answer one in-session request: Get Device ID here, 'invalid
        command' for the rest.  Subclasses (``Bmc``) answer more.

        :param request: ``{'netfn', 'command', 'data'}``
        :param session: what to answer through (``send_ipmi_response``)
        """
        if (request['netfn'], request['command']) == (
                const.NETFN_APP, const.CMD_GET_DEVICE_ID):
            return self.send_device_id(session)
        self.handle_missing_command(session)

    def _supports(self, netfn, cmd):
        """Whether a command outside the privilege table is implemented:
        a subclass may implement anything in handle_raw_request, unless
        it sets ``standard_commands_only``."""
        return not getattr(self, 'standard_commands_only', False)
