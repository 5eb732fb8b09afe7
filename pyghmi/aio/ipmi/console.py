"""The asyncio Serial over LAN console: ``cons = await
Console.create(bmc, userid, password, ...)``, then ``await
cons.send_data(...)`` and ``async for data in cons`` (or ``await
cons.read()``), or an ``iohandler`` callback as in pyghmi; ``await
cons.close()`` or ``async with``.

It runs the blocking console's pieces unchanged: the session is the
asyncio engine's (the same client core), the SOL payload sink and its
:class:`~pyghmi.ipmi.private.codec.sol.SolStream` are
:mod:`pyghmi.ipmi.console`'s, called on the loop instead of queued for
a console thread.  No thread is started.
"""

import asyncio
import time
import typing

from pyghmi import exceptions as exc
from pyghmi.aio.ipmi import command as aiocommand
from pyghmi.ipmi import console as blocking
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import sol

# seconds close() waits for written characters to be acknowledged
CLOSE_DRAIN = blocking.CLOSE_DRAIN
# chunks of console output kept for read() before the oldest go
QUEUE_LIMIT = 4096


def _now(function, argument):
    """The sink's ``defer``: on the loop, at once."""
    function(argument)


class Console:
    """A Serial over LAN console of a BMC on the running event loop;
    build it with :meth:`create`.

    Console output goes to ``iohandler(bytes)`` when one was given
    (status as ``{'info': text}`` / ``{'error': text}``, as pyghmi's
    console), else to :meth:`read` and ``async for``.
    """

    def __init__(self, command, instance, force, iohandler):
        self.command = command
        self.instance = instance
        self.force_session = force
        self.connected = False
        self.broken = None          # the error text once it is lost
        self._iohandler = iohandler
        self._chunks: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)
        self._stream: typing.Any = None
        self._sink: typing.Any = None
        self._closed = False

    def __repr__(self):
        return 'Console(bmc=%r, connected=%r)' % (self.command.bmc,
                                                  self.connected)

    @classmethod
    async def create(cls, bmc, userid, password, iohandler=None, port=623,
                     force=False, kg=None, instance=1, **session_options):
        """Log in and activate SOL.

        :param iohandler: None (read with :meth:`read` / ``async for``),
            or a callable receiving output bytes and status dicts
        :param force: take SOL over when another session holds it
        :param instance: the SOL payload instance (1-15)
        :param session_options: what ``aio Command.create`` takes besides
            (``privlevel``, ``timeout``...)
        :returns: a connected :class:`Console`
        :raises InvalidParameterValue: a bad argument (nothing sent)
        :raises IpmiException: the login or the activation failed (the
            BMC's reason: already active, disabled, no privilege...)
        """
        if not isinstance(instance, int) or not 1 <= instance <= 15:
            raise exc.InvalidParameterValue(
                'instance: a payload instance 1-15, not %r' % (instance,))
        if iohandler is not None and not callable(iohandler):
            raise exc.InvalidParameterValue(
                'iohandler: a callable or None, not %r'
                % (type(iohandler).__name__,))
        command = await aiocommand.Command.create(
            bmc, userid, password, port=port, kg=kg, **session_options)
        console = cls(command, instance, force, iohandler)
        try:
            await console._activate()
        except BaseException:
            await command.logout()
            raise
        return console

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.close()

    # ----------------------------------------------------------- output
    async def read(self):
        """The next console output (bytes, at least one).

        :raises IpmiException: the console was lost (the reason), or is
            closed, once what arrived before is read
        """
        if self._chunks.empty() and (self.broken or self._closed):
            raise exc.IpmiException(self.broken or 'the console is closed')
        item = await self._chunks.get()
        if isinstance(item, Exception):
            raise item
        return item

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.read()
        except exc.IpmiException:
            raise StopAsyncIteration from None

    # ------------------------------------------------------------ input
    async def send_data(self, data):
        """Send characters to the system's serial port (bytes or str);
        the stream retransmits until the BMC acknowledges them."""
        if isinstance(data, str):
            data = data.encode('utf-8')
        if not self.connected:
            raise exc.IpmiException(self.broken or 'the console is closed')
        self.command.ipmi_session.run(self._stream.write, bytes(data))

    async def send_break(self):
        """Send a serial break to the system."""
        if self.connected:
            self.command.ipmi_session.run(self._stream.send_control,
                                          sol.OP_BREAK)

    async def close(self):
        """Deactivate SOL (after written characters are delivered,
        within ``CLOSE_DRAIN`` seconds) and log out."""
        if self._closed:
            return
        self._closed = True
        if self.connected:
            deadline = time.monotonic() + CLOSE_DRAIN
            while not self._stream.idle and not self._stream.failed and \
                    time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            self._detach()
            self.connected = False
            await self.command.raw_command(
                const.NETFN_APP, sol.CMD_DEACTIVATE,
                data=blocking.deactivate_request(self.instance),
                retry=False)
        self._put(exc.IpmiException('the console is closed'))
        await self.command.logout()

    # ------------------------------------------------------- activation
    async def _activate(self):
        session = self.command.ipmi_session
        if session.core.ipmi_version == 1.5:
            raise exc.IpmiException(
                'Serial over LAN needs an IPMI 2.0 (RMCP+) session')
        request = blocking.activate_request(session.core.suite,
                                            self.instance)
        response = await self.command.raw_command(
            const.NETFN_APP, sol.CMD_ACTIVATE, data=request)
        code = response.get('code', 0)
        if code == sol.CC_ALREADY_ACTIVE and self.force_session:
            await self.command.raw_command(
                const.NETFN_APP, sol.CMD_DEACTIVATE,
                data=blocking.deactivate_request(self.instance))
            response = await self.command.raw_command(
                const.NETFN_APP, sol.CMD_ACTIVATE, data=request)
            code = response.get('code', 0)
        if code in sol.ACTIVATE_ERRORS:
            text = sol.ACTIVATE_ERRORS[code]
            if code == sol.CC_ALREADY_ACTIVE:
                text += ' (force=True takes it over)'
            raise exc.IpmiException(text, code=code)
        if 'error' in response:
            raise exc.IpmiException(response['error'], code=code)
        try:
            info = sol.ACTIVATE_RESPONSE.decode(bytes(response['data']))
        except exc.DecodeError as err:
            raise exc.IpmiException(
                'Malformed Activate Payload answer: %s' % err) from None
        self._stream = blocking.new_stream(info)
        port = blocking.payload_port(info, session.sockaddr[1])
        if port is not None:        # SOL answers from a port of its own
            session.alt_peers = session.alt_peers | {(session.peer[0],
                                                      port)}
        self._sink = blocking._SolSink(self, self._stream, port, defer=_now)
        session.run(session.core.attach_payload, const.PAYLOAD_SOL,
                    self._sink)
        self.connected = True

    def _detach(self):
        sink, self._sink = self._sink, None
        if sink is None:
            return
        session = self.command.ipmi_session
        session.run(blocking.detacher(session.core, sink))

    # ------------------------------------- the sink's calls, on the loop
    def _put(self, item):
        if self._iohandler is not None:
            if isinstance(item, Exception):
                item = {'error': str(item)}
            self._iohandler(item)
            return
        if self._chunks.full():
            self._chunks.get_nowait()   # a reader that stopped reading
        self._chunks.put_nowait(item)

    def _deliver(self, data):
        if not self._closed:
            self._put(bytes(data))

    def _notice(self, text):
        if not self._closed and self._iohandler is not None:
            self._iohandler({'info': text})

    def _lost(self, args):
        sink, reason = args
        if sink is not self._sink or self._closed:
            return
        self._detach()
        self.connected = False
        self.broken = reason
        self._put(exc.IpmiException(reason))
