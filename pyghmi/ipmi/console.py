"""Serial over LAN consoles, drop-in with pyghmi 1.6.19's ``console``.

:class:`Console` is the remote console (the operator's end): it logs in
(sharing the process's I/O loop, and the session itself, with
``Command`` objects for the same BMC and credentials), activates the SOL
payload and carries characters both ways through a
:class:`~pyghmi.ipmi.private.codec.sol.SolStream`.  :class:`ServerConsole` is
the BMC's end, for :class:`pyghmi.ipmi.bmc.Bmc` implementations.

As in pyghmi, progress is reported through callbacks that run in the
thread calling :meth:`Console.main_loop` (or ``Command.eventloop()`` /
``Session.wait_for_rsp()``): console output reaches the ``iohandler`` as
bytes, in order and once each; status as ``{'info': text}`` and errors as
``{'error': text}``.  After an error the console is ``broken``; with
``reconnect=True`` a lost SOL session is activated again instead (up to
``MAX_RECONNECTS`` times in a row).
"""

import logging
import os
import threading
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import session
from pyghmi.ipmi.private.codec import sol
from pyghmi.ipmi.private.secure import crypto

LOG = logging.getLogger(__name__)
# Seconds close() waits for written characters to be acknowledged.
CLOSE_DRAIN = 2.0


def activate_request(suite, instance):
    """Activate Payload (SOL) data for a session of cipher suite
    ``suite``: encrypted and authenticated as the suite allows."""
    _, integrity, confidentiality = crypto.suite_algorithms(suite)
    return sol.ACTIVATE_REQUEST.encode(
        payload_type=const.PAYLOAD_SOL, instance=instance,
        encrypt=bool(confidentiality), authenticate=bool(integrity),
        alerts=sol.ALERTS_DEFERRED)


def deactivate_request(instance):
    """Deactivate Payload (SOL) data."""
    return sol.DEACTIVATE_REQUEST.encode(payload_type=const.PAYLOAD_SOL,
                                         instance=instance)


def payload_port(info, session_port):
    """The UDP port the BMC says SOL uses (Activate Payload's answer),
    or None for the session's own."""
    port = info['port']
    swapped = int.from_bytes(port.to_bytes(2, 'little'), 'big')
    if not port or session_port in (port, swapped) or \
            const.RMCP_PORT in (port, swapped):
        # The session's port: the same, byte-swapped (some BMCs), or the
        # standard one, which a BMC behind port forwarding reports while
        # it is reached on another.
        return None
    return port


def detacher(core, sink):
    """A call for the session core: detach ``sink`` if it is still the
    SOL sink (a newer activation may have replaced it)."""
    def detach(now):
        if core.payload_sinks.get(const.PAYLOAD_SOL) is sink:
            core.detach_payload(const.PAYLOAD_SOL)
    return detach


def new_stream(info):
    """The SOL stream for the payload sizes of Activate Payload's
    answer."""
    size = info['inbound_size'] - sol.HEADER_SIZE
    return sol.SolStream(max_data=size if size > 0 else sol.MAX_CHARS)


class _Handler:
    """The iohandler in every form pyghmi accepts, as two functions:
    ``output(bytes or status dict)`` and the input file, if any."""

    def __init__(self, iohandler):
        self.input = None
        self._out: typing.Any = None
        self._call = None
        if callable(iohandler):
            self._call = iohandler
        elif isinstance(iohandler, (tuple, list)) and len(iohandler) == 2:
            self.input, self._out = iohandler
        elif hasattr(iohandler, 'write'):
            self.input = iohandler if hasattr(iohandler, 'fileno') else None
            self._out = iohandler
        else:
            raise exc.InvalidParameterValue(
                'iohandler: a callable, a file object or an (input, '
                'output) pair, not %r' % (type(iohandler).__name__,))

    def emit(self, item):
        """Hand console bytes or a status dict to the user."""
        if self._call is not None:
            self._call(item)
            return
        if isinstance(item, dict):
            key = 'error' if 'error' in item else 'info'
            item = ('\r\n[%s: %s]\r\n' % (key, item[key])).encode()
        try:
            self._out.write(item)
        except TypeError:      # a text file
            self._out.write(item.decode('utf-8', 'replace'))
        flush = getattr(self._out, 'flush', None)
        if flush is not None:
            flush()


class _StreamSink:
    """What both ends' payload sinks share: a SolStream, its outbox and
    deadline, and the decoding of received payloads."""

    stream: sol.SolStream

    @property
    def deadline(self):
        """When the stream next needs a retransmission."""
        return self.stream.deadline

    def _take(self, payload, now):
        """``(data, control)`` of a received payload; a malformed one
        gives ``(b'', 0)`` (dropped: the peer will resend)."""
        try:
            return self.stream.receive(payload, now)
        except exc.DecodeError:
            return b'', 0


class _SolSink(_StreamSink):
    """A console's SOL stream as a payload sink of its session core.

    Runs where the core runs (the I/O thread under the session lock, or
    the asyncio console's loop): it only updates the stream and hands
    work to the console through ``defer(function, argument)``, which
    queues it for the console's thread (the blocking console) or calls
    it at once (asyncio's).
    """

    # status bits reported when they appear (not while they stay set)
    NOTICES = ((sol.ST_UNAVAILABLE, 'character transfer unavailable'),
               (sol.ST_OVERRUN, 'the BMC dropped characters (overrun)'),
               (sol.ST_BREAK, 'break detected on the serial port'))

    def __init__(self, console, stream, port,
                 defer=session.Session.queue_callback):
        self.console = console
        self.stream = stream
        self.port = port
        self.outbox = stream.outbox
        self._defer = defer
        self._status = 0

    def receive(self, payload, now):
        """A SOL payload from the BMC."""
        data, control = self._take(payload, now)
        if data:
            self._defer(self.console._deliver, data)
        if control & sol.ST_DEACTIVATED and not control & sol.NACK:
            self.lost('SOL deactivated by the BMC')
        for bit, text in self.NOTICES:
            if control & bit and not self._status & bit:
                self._defer(self.console._notice, text)
        self._status = control

    def tick(self, now):
        """Retransmit, or give up after the last try."""
        self.stream.tick(now)
        if self.stream.failed:
            self.lost(self.stream.failed)

    def lost(self, reason):
        """The session or the payload is gone."""
        self._defer(self.console._lost, (self, reason))


class Console:
    """A Serial over LAN console of a BMC.

    :param bmc: host name or address of the BMC
    :param userid: user name
    :param password: password
    :param iohandler: a callable receiving console output (bytes) and
        status dicts (``{'info': ...}``, ``{'error': ...}``); or a file
        object read for input and written with output; or an ``(input,
        output)`` pair of file objects
    :param port: the BMC's UDP port
    :param force: when another session holds SOL, deactivate it and take
        over (otherwise report an error)
    :param kg: the BMC key, if the BMC requires one
    :param reconnect: activate SOL again when it is lost (BMC reboot,
        session expiry), instead of ending with an error
    :param instance: the SOL payload instance (1 unless the BMC has more)
    :raises InvalidParameterValue: a bad argument (login errors are
        reported to the iohandler, as pyghmi does)
    """

    MAX_RECONNECTS = 5

    def __init__(self, bmc, userid, password, iohandler, port=623,
                 force=False, kg=None, reconnect=False, instance=1):
        if not isinstance(instance, int) or not 1 <= instance <= 15:
            raise exc.InvalidParameterValue(
                'instance: a payload instance 1-15, not %r' % (instance,))
        self._io: typing.Any = _Handler(iohandler)
        self.force_session = force
        self.port = port
        self.reconnect = reconnect
        self.instance = instance
        self.connected = False      # SOL active and attached
        self.broken = False         # ended with an error
        self.activated = False
        self._closed = False
        self._forced = False
        self._reconnects = 0
        self._stream: typing.Any = None
        self._sink = None
        self._keepalive = None
        self._pending = bytearray()
        self.ipmi_session = session.Session(
            bmc=bmc, userid=userid, password=password, port=port, kg=kg,
            onlogon=self._got_session, keepalive=True)
        if self._io.input is not None:
            self._loop().add_reader(self._io.input, self._input_ready)

    def __repr__(self):
        return 'Console(bmc=%r, connected=%r)' % (
            self.ipmi_session.bmc, self.connected)

    # ----------------------------------------------------- public methods
    def send_data(self, data):
        """Send characters to the system's serial port (bytes or str;
        written before SOL is up, they go once it is)."""
        if isinstance(data, str):
            data = data.encode('utf-8')
        if self.broken or self._closed:
            return
        if not self.connected:
            self._pending += data
            return
        self.ipmi_session.run_on_core(self._stream.write, bytes(data))

    def send_break(self):
        """Send a serial break to the system."""
        if self.connected:
            self.ipmi_session.run_on_core(self._stream.send_control,
                                          sol.OP_BREAK)

    def send_payload(self, payload, payload_type=1, retry=True,
                     needskeepalive=False):
        """Send one raw payload in the console's session (pyghmi
        compatibility; the SOL protocol is :meth:`send_data`'s job)."""
        self.ipmi_session.send_payload(payload, payload_type)

    def close(self):
        """Deactivate SOL (after the written characters are delivered,
        within ``CLOSE_DRAIN`` seconds) and log out."""
        if self._closed:
            return
        self._closed = True
        if self._io.input is not None:
            self._loop().remove_reader(self._io.input)
        if self._keepalive is not None:
            self.ipmi_session.unregister_keepalive(self._keepalive)
        if self.connected:
            self._drain()
            self._detach()
            self.ipmi_session.raw_command(
                const.NETFN_APP, sol.CMD_DEACTIVATE,
                data=deactivate_request(self.instance), retry=False)
        self.connected = False
        self.ipmi_session.logout()

    def main_loop(self):
        """Run the console's callbacks until it is closed or broken."""
        while not (self.broken or self._closed):
            session.Session.wait_for_rsp(timeout=1)

    @classmethod
    def wait_for_rsp(cls, timeout):
        """Run pending callbacks of every session for up to ``timeout``
        seconds (as ``Session.wait_for_rsp``)."""
        return session.Session.wait_for_rsp(timeout=timeout)

    # ------------------------------------------------------- activation
    def _got_session(self, response):
        if 'error' in response:
            self._fail(response['error'])
            return
        core = self.ipmi_session._shared.core
        if core.ipmi_version == 1.5:
            self._fail('Serial over LAN needs an IPMI 2.0 (RMCP+) session')
            return
        self._activate()

    def _activate(self):
        self.ipmi_session.raw_command(
            const.NETFN_APP, sol.CMD_ACTIVATE,
            data=activate_request(self.ipmi_session._shared.core.suite,
                                  self.instance),
            callback=self._activated)

    def _activated(self, response):
        if self._closed:
            return
        code = response.get('code', 0)
        if code == sol.CC_ALREADY_ACTIVE and self.force_session and \
                not self._forced:
            self._forced = True
            self.ipmi_session.raw_command(
                const.NETFN_APP, sol.CMD_DEACTIVATE,
                data=deactivate_request(self.instance),
                callback=lambda rsp: self._activate())
            return
        if code in sol.ACTIVATE_ERRORS:
            text = sol.ACTIVATE_ERRORS[code]
            if code == sol.CC_ALREADY_ACTIVE:
                text += ' (force=True takes it over)'
            self._fail(text)
            return
        if 'error' in response:
            self._fail(response['error'])
            return
        try:
            info = sol.ACTIVATE_RESPONSE.decode(bytes(response['data']))
        except exc.DecodeError as err:
            self._fail('Malformed Activate Payload answer: %s' % err)
            return
        self._start(info)

    def _start(self, info):
        port = payload_port(info, self.port)
        if port is not None:
            shared = self.ipmi_session._shared
            shared.alt_peers.add((shared.peer[0], port))
        self._stream = new_stream(info)
        self._sink = _SolSink(self, self._stream, port)
        self.ipmi_session.run_on_core(
            self.ipmi_session._shared.core.attach_payload,
            const.PAYLOAD_SOL, self._sink)
        self.activated = self.connected = True
        self._reconnects = 0
        if self._keepalive is None:
            self._keepalive = self.ipmi_session.register_keepalive(
                {'netfn': const.NETFN_APP, 'command': sol.CMD_INSTANCE_INFO,
                 'data': sol.INSTANCE_REQUEST.encode(
                     payload_type=const.PAYLOAD_SOL,
                     instance=self.instance)},
                self._check_owner)
        if self._pending:
            data, self._pending = bytes(self._pending), bytearray()
            self.ipmi_session.run_on_core(self._stream.write, data)

    # ------------------------------------------------------- callbacks
    def _deliver(self, data):
        if not self._closed:
            self._io.emit(data)

    def _notice(self, text):
        if not self._closed:
            self._io.emit({'info': text})

    def _check_owner(self, response):
        """Keepalive answer: is SOL still ours?"""
        if not self.connected or 'error' in response:
            return
        try:
            owner = sol.INSTANCE_RESPONSE.decode(
                bytes(response['data']))['session_id']
        except exc.DecodeError:
            return
        if owner != self.ipmi_session._shared.core._bmc_sid:
            self._lose('SOL deactivated: another session holds it now')

    def _lost(self, args):
        sink, reason = args
        if sink is self._sink:
            self._lose(reason)

    def _lose(self, reason):
        if self._closed or not self.connected:
            return
        self._detach()
        self.connected = False
        if self.reconnect and self._reconnects < self.MAX_RECONNECTS:
            self._reconnects += 1
            self._io.emit({'info': '%s; reconnecting' % reason})
            self._activate()
            return
        self._fail(reason)

    def _fail(self, text):
        self.broken = True
        self._io.emit({'error': text})

    # ------------------------------------------------------------ helpers
    def _detach(self):
        sink, self._sink = self._sink, None
        if sink is None:
            return
        self.ipmi_session.run_on_core(
            detacher(self.ipmi_session._shared.core, sink))

    def _drain(self):
        deadline = time.monotonic() + CLOSE_DRAIN
        while self._stream is not None and not self._stream.idle and \
                not self._stream.failed and time.monotonic() < deadline:
            time.sleep(0.01)

    def _loop(self):
        return self.ipmi_session._shared.loop

    def _input_ready(self):
        """I/O thread: the input file is readable."""
        try:
            data = os.read(self._io.input.fileno(), 4096)
        except OSError:
            data = b''
        if not data:
            self._loop().remove_reader(self._io.input)
            return
        self.send_data(data)


class ServerConsole(_StreamSink):
    """The BMC's end of a Serial over LAN session (for ``Bmc``).

    Created by ``Bmc.activate_payload`` for the session that activated
    SOL.  Characters the remote console types reach ``iohandler(bytes)``
    once each and in order; :meth:`send_data` sends the system's serial
    output to the console, retransmitted until acknowledged.

    :param _session: the ``session`` object the Activate Payload request
        came with
    :param iohandler: called with the bytes the remote console sent
    :param force: accepted for pyghmi compatibility
    """

    # Output kept for a slow console; more is dropped ("overrun").
    OUTPUT_BUFFER = 1 << 20

    def __init__(self, _session, iohandler, force=False):
        self._core = _session._core
        self._session = _session._session
        self.out_handler = iohandler
        self.force_session = force
        self.connected = True
        self.on_close = None            # callable(console), for the Bmc
        self.on_break = None            # callable(), a break was asked
        self.on_control = None          # callable(dict), lines changed
        # what the console asked of the serial lines (table 15-2)
        self.lines = {'cts_paused': False, 'dcd_dsr_dropped': False,
                      'ring': False}
        self.stream = sol.SolStream(bmc_side=True)
        self.outbox = self.stream.outbox
        self.port = None
        self._ended = threading.Event()
        with self._core.lock:
            self._core.attach_payload(self._session, const.PAYLOAD_SOL,
                                      self)

    def __repr__(self):
        return 'ServerConsole(session=0x%08x, connected=%r)' % (
            self._session.bmc_sid, self.connected)

    @property
    def session_id(self):
        """The BMC's id of the session that holds this console."""
        return self._session.bmc_sid

    # ------------------------------------------------------- public API
    def send_data(self, data):
        """Send the system's serial output (bytes or str) to the remote
        console; safe from any thread."""
        if isinstance(data, str):
            data = data.encode('utf-8')
        if not self.connected:
            return
        with self._core.lock:
            self.stream.write(bytes(data), time.monotonic(),
                              limit=self.OUTPUT_BUFFER)
            self._core.flush_payloads(self._session)

    def send_break(self):
        """Tell the remote console that a break was detected on the
        system's serial port (the status bit of table 15-3, sent with
        the next packet and retransmitted as data is); safe from any
        thread."""
        if not self.connected:
            return
        with self._core.lock:
            self.stream.send_control(sol.ST_BREAK, time.monotonic())
            self._core.flush_payloads(self._session)

    @classmethod
    def wait_for_rsp(cls, timeout):
        """Run pending callbacks of the client sessions for up to
        ``timeout`` seconds, as :meth:`Console.wait_for_rsp` (pyghmi's
        ServerConsole is a Console; the BMC side itself needs no
        caller's thread)."""
        return session.Session.wait_for_rsp(timeout=timeout)

    def main_loop(self):
        """Block until this console ends (closed, taken over by another
        session, or its session lost).  The BMC serves it from its own
        thread meanwhile; pyghmi's ran its client loop forever here."""
        self._ended.wait()

    def send_payload(self, payload, payload_type=1, retry=True,
                     needskeepalive=False):
        """Send one raw payload in the console's session (pyghmi
        compatibility; :meth:`send_data` is the SOL way)."""
        with self._core.lock:
            if self._session.packets is not None:
                self._core._send(self._session.packets.seal(
                    self._session.console_sid, bytes(payload), payload_type),
                    self._session.peer)

    def close(self, notify=False):
        """Stop serving this console; with ``notify`` the remote console
        is told that SOL was deactivated (another session took it)."""
        if not self.connected:
            return
        self.connected = False
        with self._core.lock:
            if notify:
                self.stream.outbox.append(sol.packet(
                    control=sol.ST_DEACTIVATED))
                self._core.flush_payloads(self._session)
            self._core.detach_payload(self._session, const.PAYLOAD_SOL)
        self._ended.set()
        if self.on_close is not None:
            self.on_close(self)

    # ------------------------------------------- payload sink (core side)
    def receive(self, payload, now):
        """A SOL payload from the remote console."""
        data, control = self._take(payload, now)
        if control & sol.OP_BREAK and self.stream.fresh and \
                self.on_break is not None:
            self.on_break()
        lines = {'cts_paused': bool(control & sol.OP_CTS_PAUSE),
                 'dcd_dsr_dropped': bool(control & sol.OP_DROP_DCD_DSR),
                 'ring': bool(control & sol.OP_RING_WOR)}
        if lines != self.lines:
            self.lines = lines
            if self.on_control is not None:
                self.on_control(dict(lines))
        if data and self.out_handler is not None:
            try:
                self.out_handler(data)
            except Exception:  # noqa: BLE001 - the handler's bug
                LOG.exception('SOL input handler failed')

    def tick(self, now):
        """Retransmit; a console that stopped acknowledging is closed."""
        self.stream.tick(now)
        if self.stream.failed:
            LOG.debug('SOL console gone: %s', self.stream.failed)
            self.lost(self.stream.failed)

    def lost(self, reason):
        """The session ended."""
        if self.connected:
            self.connected = False
            self._core.detach_payload(self._session, const.PAYLOAD_SOL)
            self._ended.set()
            if self.on_close is not None:
                self.on_close(self)
