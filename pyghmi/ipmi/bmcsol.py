"""Serial over LAN in the Bmc framework: the payload commands (IPMI v2.0
section 24) and the SOL configuration parameters (26.2, 26.3).

A ``Bmc`` offers SOL when its ``iohandler`` is set: it is called with
the characters the remote console types, and ``bmc.sol.send_data(...)``
(a :class:`pyghmi.ipmi.console.ServerConsole`) sends the system's serial
output to it.  One instance of the SOL payload exists; activating it
while it is active answers 0x80, and a console that deactivates it
(pyghmi's and ipmitool's "force") takes it over: the previous holder is
told with the "SOL deactivated" status.
"""

import struct
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi import console
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import sol
from pyghmi.ipmi.private.server import paramstore

CMD_CHANNEL_PAYLOAD_SUPPORT = const.CMD_GET_CHANNEL_PAYLOAD_SUPPORT
# Get Channel Payload Support answer (24.8): IPMI and SOL; the six
# session setup payloads (10h-15h); no OEM payloads.
PAYLOAD_SUPPORT = b'\x03\x00\x3f\x00\x00\x00\x00\x00'
# Payload sizes offered at activation: 4-byte header + 252 characters.
PAYLOAD_SIZE = 256
NO_VLAN = 0xFFFF


def sol_parameters(channel, port):
    """Default SOL configuration: enabled, user privilege, 60 ms / 96
    characters accumulation, 7 retries every 500 ms, 115200 bit/s."""
    return {1: b'\x01', 2: b'\x02', 3: b'\x0c\x60', 4: b'\x07\x32',
            5: b'\x0a', 6: b'\x0a', sol.P_PAYLOAD_CHANNEL: bytes((channel,)),
            sol.P_PAYLOAD_PORT: struct.pack('<H', port)}


class SolStore(paramstore.ParamStore):
    """The SOL configuration parameters (table 26-4)."""

    SIZES = {paramstore.P_SET_IN_PROGRESS: 1, sol.P_ENABLE: 1, 2: 1, 3: 2,
             4: 2, 5: 1, 6: 1}
    READ_ONLY = (sol.P_PAYLOAD_CHANNEL, sol.P_PAYLOAD_PORT)
    GET_REQUEST = sol.CONFIG_GET_REQUEST
    SET_REQUEST = sol.CONFIG_SET_REQUEST

    @property
    def enabled(self):
        """Parameter 1, bit 0: SOL may be activated."""
        return bool(self.values[sol.P_ENABLE][0] & 1)


class SolCommands:
    """Mixin of Bmc: SOL activation and configuration."""

    # pyghmi's: a method iohandler(data) to offer SOL, None to refuse
    iohandler: typing.Optional[typing.Callable[..., typing.Any]] = None
    sol_port: typing.Optional[int] = None   # at activation (None: ours)
    sol: typing.Any = None  # the active ServerConsole, or None
    activated = False
    # what the Bmc provides
    config: typing.Any
    port: int
    is_active: typing.Callable[[], bool]

    def activate_payload(self, request, session):
        """Activate Payload (24.1): start a ServerConsole for ``session``
        (0x80 when active elsewhere, 0x81 when SOL is not offered)."""
        req = sol.ACTIVATE_REQUEST.decode(bytes(request['data']))
        if req['payload_type'] != const.PAYLOAD_SOL or req['instance'] != 1:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        if self.iohandler is None or not self.is_active() or \
                not self._sol_config.enabled:
            return session.send_ipmi_response(code=sol.CC_DISABLED)
        if self.activated and self.sol is not None:
            return session.send_ipmi_response(code=sol.CC_ALREADY_ACTIVE)
        keys = getattr(session._session.packets, 'keys', None)
        if keys is None:
            # an IPMI 1.5 session: payloads exist only in RMCP+ ones
            return session.send_ipmi_response(code=sol.CC_DISABLED)
        if keys.conf and not req['encrypt']:
            return session.send_ipmi_response(
                code=sol.CC_NEEDS_ENCRYPTION)
        session.send_ipmi_response(data=sol.ACTIVATE_RESPONSE.encode(
            aux=0, inbound_size=PAYLOAD_SIZE, outbound_size=PAYLOAD_SIZE,
            port=self.sol_port or self.port, vlan=NO_VLAN))
        self.sol = console.ServerConsole(session, self.iohandler)
        self.sol.on_close = self._sol_closed
        self.sol.on_break = self.sol_break
        self.sol.on_control = self.sol_control
        self.sol.stream.max_data = PAYLOAD_SIZE - sol.HEADER_SIZE
        self.activated = True
        self.sol_activated()

    def sol_activated(self):
        """Called once a console activated SOL (``self.sol`` is its
        ServerConsole); override to start what feeds it."""

    def sol_break(self):
        """Called when the console sends a serial break; override to
        pass it to the system's serial port."""

    def sol_control(self, lines):
        """Called when the console changes the serial lines it asks for:
        ``{'cts_paused', 'dcd_dsr_dropped', 'ring'}`` (bools, table
        15-2); override to apply them to the system's serial port."""

    def deactivate_payload(self, request, session):
        """Deactivate Payload (24.2): end the active console (0x80 when
        none is active); another session's console is told."""
        req = sol.DEACTIVATE_REQUEST.decode(bytes(request['data']))
        if req['payload_type'] != const.PAYLOAD_SOL or req['instance'] != 1:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        current = self.sol
        if not self.activated or current is None:
            return session.send_ipmi_response(code=sol.CC_ALREADY_ACTIVE)
        session.send_ipmi_response()
        current.close(notify=current._session is not session._session)

    def sol_deactivated(self):
        """Called once the console's SOL session ended (deactivated,
        taken over or timed out); override to stop what feeds it."""

    def _sol_closed(self, server_console):
        if self.sol is server_console:
            self.sol = None
            self.activated = False
            self.sol_deactivated()

    def _payload_status(self, request, session):
        # Get Payload Activation Status (24.4): one SOL instance
        req = sol.STATUS_REQUEST.decode(bytes(request['data']))
        if req['payload_type'] != const.PAYLOAD_SOL:
            return session.send_ipmi_response(data=b'\x00\x00\x00')
        session.send_ipmi_response(data=sol.STATUS_RESPONSE.encode(
            capacity=1, active=1 if self.sol is not None else 0))

    def _instance_info(self, request, session):
        # Get Payload Instance Info (24.5): who holds SOL instance 1
        req = sol.INSTANCE_REQUEST.decode(bytes(request['data']))
        if req['payload_type'] != const.PAYLOAD_SOL or req['instance'] != 1:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        holder = self.sol.session_id if self.sol is not None else 0
        session.send_ipmi_response(data=sol.INSTANCE_RESPONSE.encode(
            session_id=holder, port=self.config.channel if holder else 0,
            reserved=bytes(7)))

    def _payload_support(self, request, session):
        # Get Channel Payload Support (24.8), of our LAN channel
        data = bytes(request['data'])
        if not data:
            raise exc.DecodeError('Get Channel Payload Support: no channel')
        if data[0] & 0x0F not in (const.CURRENT_CHANNEL,
                                  self.config.channel):
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        session.send_ipmi_response(data=PAYLOAD_SUPPORT)

    @property
    def _sol_config(self):
        if getattr(self, '_sol_store', None) is None:
            self._sol_store = SolStore(sol_parameters(
                self.config.channel, self.sol_port or self.port))
        return self._sol_store

    def _sol_configuration(self, request, session):
        # Get / Set SOL Configuration Parameters (26.2, 26.3)
        data = bytes(request['data'])
        if request['command'] == sol.CMD_GET_CONFIG:
            code, answer = self._sol_config.get(data)
        else:
            code, answer = self._sol_config.set(data)
        session.send_ipmi_response(data=answer, code=code)


SOL_DISPATCH = {
    (const.NETFN_APP, sol.CMD_ACTIVATE):
        lambda self, req, sess: self.activate_payload(req, sess),
    (const.NETFN_APP, sol.CMD_DEACTIVATE):
        lambda self, req, sess: self.deactivate_payload(req, sess),
    (const.NETFN_APP, sol.CMD_ACTIVATION_STATUS): SolCommands._payload_status,
    (const.NETFN_APP, sol.CMD_INSTANCE_INFO): SolCommands._instance_info,
    (const.NETFN_APP, CMD_CHANNEL_PAYLOAD_SUPPORT):
        SolCommands._payload_support,
    (const.NETFN_TRANSPORT, sol.CMD_GET_CONFIG):
        SolCommands._sol_configuration,
    (const.NETFN_TRANSPORT, sol.CMD_SET_CONFIG):
        SolCommands._sol_configuration,
}
