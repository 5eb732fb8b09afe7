"""Bmc: a framework for writing a BMC, drop-in with pyghmi's.

Subclass :class:`Bmc` and override the plain methods (``get_power_state``,
``power_on``, ``set_boot_device``...) or ``handle_raw_request`` for any
other command.  Requests arrive with a ``session`` object whose
``send_ipmi_response(data=..., code=...)`` answers them.  An override that
returns an integer completion code makes that code reach the client.

Every Bmc of a process is served by the one shared I/O loop; ``listen()``
blocks its caller while the loop serves and returns when ``stop()`` is
called from another thread.  The protocol itself lives in
``private/server/core.py`` and works without a socket.
"""

import uuid
from typing import Any, Dict, Optional, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi import bmcsol
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.codec import users
from pyghmi.ipmi.private.server import core as serversession
from pyghmi.ipmi.private.server import lanconfig
from pyghmi.ipmi.private.server import pefconfig
from pyghmi.ipmi.private.server import udp as server
from pyghmi.ipmi.private.server import usertable
from pyghmi.redfish.service import core as redfishcore
from pyghmi.redfish.service import http as redfishhttp
from pyghmi.redfish.service import machine as redfishmachine

# What a handler receives: {'netfn': int, 'command': int, 'data': bytes},
# and the object it answers through (send_ipmi_response).
Request = server.Request
Responder = server.Responder
accounts_from_authdata = server.accounts_from_authdata


def _unimplemented(what: str) -> Any:
    # Handlers turn this into a completion code (0xC1, or 0xCC for a
    # chassis control action the machine cannot do).
    raise NotImplementedError(what)


class Bmc(bmcsol.SolCommands, server.IpmiServer):
    """A BMC answering IPMI 2.0 (RMCP+) on a UDP port: chassis power,
    boot device, identify, system GUID, channel info and cold reset, on
    top of :class:`pyghmi.ipmi.private.server.udp.IpmiServer` (the
    socket, the sessions and Get Device ID).

    :param authdata: dict of user name -> password (administrators), or
        -> ``(password, privilege)`` for other privilege limits
    :param port: UDP port to listen on (623; 0 picks a free one)
    :param bmcuuid: the system GUID (``uuid.UUID``); random if None
    :param address: address to bind ('::' for every address)
    :param kwargs: as ``IpmiServer``'s (``session_limit``, ``suites``,
        ``kg``, ``hide_unknown_users``, ``login_rate``,
        ``lockout_threshold`` / ``lockout_seconds``)
    """

    # pyghmi 1.6.19's class attribute: what a Serial over LAN console
    # of this BMC reads and writes (set by subclasses that offer SOL).
    iohandler: Any = None

    def __init__(self, authdata: Dict[str, Any], port: int = 623,
                 bmcuuid: Optional[uuid.UUID] = None, address: str = '::',
                 **kwargs: Any) -> None:
        super().__init__(authdata, port, bmcuuid, address, **kwargs)
        # The user ids: logins use what the table allows, so user
        # commands (Set User Password...) apply to the next login.
        self.users = usertable.UserTable(self.config.accounts,
                                         serversession.Account)
        self.config.accounts = self.users.accounts()
        # Channel access of the LAN channel (22.22): what Set Channel
        # Access last stored, per kind (volatile, non-volatile).
        access = {'access_mode': 2, 'user_auth_disabled': False,
                  'per_msg_disabled': False, 'alerting_disabled': False,
                  'privilege': const.PRIV_ADMINISTRATOR}
        self.channel_access = {1: dict(access), 2: dict(access)}
        # LAN configuration parameters of the LAN channel (section 23)
        self.lan = lanconfig.LanStore({
            **lanconfig.suite_parameters(self.config.suites),
            **lanconfig.ipv6_parameters(),
            **lanconfig.alert_parameters(),
            **kwargs.get('lan_parameters', {})})
        # Platform event filtering (section 30): alert policies
        self.pef = pefconfig.PefStore(pefconfig.pef_parameters())
        self._apply_suite_privileges()
        self.boot_flags = 0             # persistent / UEFI bits, param 5
        self.boot_options = {0: b'\x00', 3: b'\x00', 4: b'\x00\x00'}
        self.identify_state = (0, 0)    # (interval, force)
        self.redfish: Optional[redfishhttp.RedfishServer] = None

    # ------------------------------------------------------------ Redfish
    def serve_redfish(self, port: int = 0, address: str = '127.0.0.1',
                      certfile: Optional[str] = None,
                      keyfile: Optional[str] = None,
                      product: str = 'pyghmi BMC'
                      ) -> redfishhttp.RedfishServer:
        """Serve this BMC over Redfish (HTTPS) too, from the same hooks
        and state as IPMI: power, boot override, identify, GUID, the
        firmware version and the user table (accounts, roles from the
        IPMI privilege levels).  A change through either protocol is
        seen through the other at once.

        :param port: TCP port (0: a free one, read ``.port`` of the
            result)
        :param address: address to bind (loopback unless told)
        :param certfile: PEM certificate; None makes a self-signed one
            (its ``fingerprint`` is ``sha256$<hex>`` of the DER)
        :param keyfile: the certificate's PEM key
        :returns: the running :class:`pyghmi.redfish.service.http.
            RedfishServer` (stopped by :meth:`stop`)
        """
        service = redfishcore.RedfishService(
            redfishmachine.BmcMachine(self, Bmc), product=product)
        server = redfishhttp.RedfishServer(service, port, address, certfile,
                                           keyfile)
        server.start()
        self.redfish = server
        return server

    def stop(self) -> None:
        """Stop serving IPMI, and Redfish when it was started."""
        super().stop()
        if self.redfish is not None:
            self.redfish.stop()
            self.redfish = None

    # ---------------------------------------------------- override points
    # Each returns None (done) or a completion code; one that is not
    # overridden makes the command answer "not implemented".

    def get_power_state(self) -> Union[str, int, bool]:
        """'on' or 'off' (or 1 / 0)."""
        return _unimplemented('get_power_state')

    def power_on(self) -> Optional[int]:
        """Chassis Control 1: power up."""
        return _unimplemented('power_on')

    def power_off(self) -> Optional[int]:
        """Chassis Control 0: power down without waiting for the OS."""
        return _unimplemented('power_off')

    def power_shutdown(self) -> Optional[int]:
        """Chassis Control 5: ask the OS to shut down (soft off)."""
        return _unimplemented('power_shutdown')

    def power_cycle(self) -> Optional[int]:
        """Chassis Control 2: power cycle."""
        return _unimplemented('power_cycle')

    def power_reset(self) -> Optional[int]:
        """Chassis Control 3: hard reset."""
        return _unimplemented('power_reset')

    def pulse_diag(self) -> Optional[int]:
        """Chassis Control 4: pulse a diagnostic interrupt (NMI)."""
        return _unimplemented('pulse_diag')

    def get_boot_device(self) -> Union[str, int]:
        """Current boot device name ('network', 'hd'...), or 'default'."""
        return _unimplemented('get_boot_device')

    def set_boot_device(self, bootdevice: str) -> Optional[int]:
        """Set the boot device by pyghmi name ('network', 'hd'...)."""
        return _unimplemented('set_boot_device')

    def get_system_guid(self) -> Union[uuid.UUID, bytes]:
        """The system GUID as a ``uuid.UUID`` (default: ``self.uuid``)."""
        return self.uuid

    def cold_reset(self) -> Optional[int]:
        """Reset the BMC itself."""
        return _unimplemented('cold_reset')

    def is_active(self) -> bool:
        """Whether a console can be attached (for SOL)."""
        return _unimplemented('is_active')

    def identify(self, interval: int, force: bool) -> Optional[int]:
        """Chassis Identify: light for ``interval`` s, or on if ``force``.

        The default records the state for Get Chassis Status.
        """
        self.identify_state = (interval, force)
        return None

    # ------------------------------------------------------ handlers
    def get_chassis_status(self, session: Responder) -> None:
        """Answer Get Chassis Status from ``get_power_state``."""
        try:
            power = self.get_power_state()
        except NotImplementedError:
            return session.send_ipmi_response(code=const.CC_INVALID_COMMAND)
        if power in ('on', 'off'):
            power = 1 if power == 'on' else 0
        if power not in (0, 1):
            return session.send_ipmi_response(code=const.CC_UNSPECIFIED)
        interval, force = self.identify_state
        ident = 'on' if force else ('temporary' if interval else 'off')
        session.send_ipmi_response(
            data=chassis.encode_chassis_status(power, ident))

    def control_chassis(self, request: Request,
                        session: Responder) -> None:
        """Answer Chassis Control by calling the power overrides."""
        action = chassis.CHASSIS_CONTROL.decode(request['data'])['action']
        handler = {
            chassis.POWER_DOWN: self.power_off,
            chassis.POWER_UP: self.power_on,
            chassis.POWER_CYCLE: self.power_cycle,
            chassis.HARD_RESET: self.power_reset,
            chassis.PULSE_DIAG: self.pulse_diag,
            chassis.SOFT_SHUTDOWN: self.power_shutdown,
        }.get(action)
        if handler is None:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        try:
            code = handler()
        except NotImplementedError:
            code = const.CC_INVALID_DATA_FIELD
        session.send_ipmi_response(code=code or 0)

    def chassis_identify(self, request: Request,
                         session: Responder) -> None:
        """Answer Chassis Identify (default interval 15 s)."""
        interval, force = chassis.decode_identify(request['data'])
        try:
            code = self.identify(interval, force)
        except NotImplementedError:
            code = const.CC_INVALID_COMMAND
        session.send_ipmi_response(code=code or 0)

    def _boot_flags_data(self):
        try:
            device = self.get_boot_device()
        except NotImplementedError:
            device = 0
        if isinstance(device, int):
            selector = (device >> 2) & 0x0F   # pyghmi's data-2 byte form
        else:
            selector = chassis.BOOT_DEVICE_SELECTORS.get(device, 0)
        return chassis.BOOT_FLAGS.encode(
            valid=bool(selector), selector=selector,
            persistent=bool(selector and
                            self.boot_flags & chassis.FLAG_PERSISTENT),
            efi=bool(selector and self.boot_flags & chassis.FLAG_EFI))

    def get_system_boot_options(self, request: Request,
                                session: Responder) -> None:
        """Answer Get System Boot Options (boot flags from overrides)."""
        param = chassis.GET_BOOT_OPTIONS.decode(request['data'])['parameter']
        if param == chassis.BOOT_PARAM_FLAGS:
            body = self._boot_flags_data()
        elif param in self.boot_options:
            body = self.boot_options[param]
        else:
            return session.send_ipmi_response(
                code=const.CC_PARAMETER_NOT_SUPPORTED)
        session.send_ipmi_response(
            data=chassis.encode_boot_options_response(param, body))

    def set_system_boot_options(self, request: Request,
                                session: Responder) -> None:
        """Answer Set System Boot Options; boot flags go to overrides."""
        param, data = chassis.decode_set_boot_options(request['data'])
        if param == chassis.BOOT_PARAM_FLAGS:
            return self._set_boot_flags(data, session)
        if param in self.boot_options:
            size = len(self.boot_options[param])
            if len(data) < size:
                return session.send_ipmi_response(
                    code=const.CC_DATA_LENGTH_INVALID)
            self.boot_options[param] = bytes(data[:size])
            return session.send_ipmi_response()
        session.send_ipmi_response(code=const.CC_PARAMETER_NOT_SUPPORTED)

    def _set_boot_flags(self, data, session):
        flags = chassis.BOOT_FLAGS.decode(data)
        name = chassis.BOOT_DEVICE_NAMES.get(flags['selector'])
        if name is None:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        if not flags['valid']:
            name = 'default'
        previous = self.boot_flags
        # Flags first, so an override that saves state sees the new ones.
        self.boot_flags = ((chassis.FLAG_PERSISTENT if flags['persistent']
                            else 0) |
                           (chassis.FLAG_EFI if flags['efi'] else 0))
        try:
            code = self.set_boot_device(name)
        except NotImplementedError:
            code = const.CC_INVALID_COMMAND
        if code:
            self.boot_flags = previous
        session.send_ipmi_response(code=code or 0)

    def handle_raw_request(self, request: Request,
                           session: Responder) -> None:
        """Dispatch a request to the handler of its (netfn, command).

        Override to add commands; call ``super()`` for the rest.
        """
        handler = _DISPATCH.get((request['netfn'], request['command']))
        if handler is None:
            return self.handle_missing_command(session)
        try:
            handler(self, request, session)
        except NotImplementedError:
            session.send_ipmi_response(code=const.CC_INVALID_COMMAND)
        except exc.DecodeError:
            # A request too short for its layout (every standard handler
            # decodes through one): request data length invalid.
            session.send_ipmi_response(code=const.CC_DATA_LENGTH_INVALID)

    def _supports(self, netfn, cmd):
        """Whether a command outside the privilege table is implemented.

        A subclass with its own ``handle_raw_request`` may implement
        anything, unless it sets ``standard_commands_only``.
        """
        own = type(self).handle_raw_request not in (
            Bmc.handle_raw_request, server.IpmiServer.handle_raw_request)
        if own and not getattr(self, 'standard_commands_only', False):
            return True
        return (netfn, cmd) in _DISPATCH

    def _channel_info(self, request, session):
        # Get Channel Info (22.24): only our LAN channel exists.
        number = channel.requested_channel(request['data'])
        if number == channel.IPMB_CHANNEL:
            return session.send_ipmi_response(
                data=channel.encode_ipmb_channel_info())
        if number not in (const.CURRENT_CHANNEL, self.config.channel):
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        active = sum(1 for s in self.core.sessions.values() if s.active)
        session.send_ipmi_response(
            data=channel.encode_channel_info(self.config.channel, active))

    def _user_command(self, request, session):
        # Set/Get User Access, Set/Get User Name, Set User Password,
        # Set/Get User Payload Access
        code, data = self.users.handle(request['command'], request['data'])
        if not code and request['command'] in (
                users.CMD_SET_USER_ACCESS, users.CMD_SET_USER_NAME,
                users.CMD_SET_USER_PASSWORD,
                users.CMD_SET_USER_PAYLOAD_ACCESS):
            self.config.accounts = self.users.accounts()
            self.users_changed()
        session.send_ipmi_response(data=data, code=code)

    def _set_channel_access(self, request, session):
        req = channel.SET_CHANNEL_ACCESS.decode(request['data'])
        if req['channel'] not in (const.CURRENT_CHANNEL,
                                  self.config.channel) or \
                req['privilege_update'] and not \
                const.PRIV_CALLBACK <= req['privilege'] <= const.PRIV_OEM:
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        for kind in (1, 2):
            stored = self.channel_access[kind]
            if req['access_update'] == kind:
                stored.update({k: req[k] for k in (
                    'access_mode', 'user_auth_disabled', 'per_msg_disabled',
                    'alerting_disabled')})
            if req['privilege_update'] == kind:
                stored['privilege'] = req['privilege']
        session.send_ipmi_response()

    def _get_channel_access(self, request, session):
        req = channel.GET_CHANNEL_ACCESS_REQUEST.decode(request['data'])
        if req['channel'] not in (const.CURRENT_CHANNEL,
                                  self.config.channel) or \
                req['read_mode'] not in (1, 2):
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        session.send_ipmi_response(data=channel.GET_CHANNEL_ACCESS.encode(
            **self.channel_access[req['read_mode']]))

    def _lan_command(self, request, session):
        req_channel = request['data'][0] & 0x0F if request['data'] else 0
        if req_channel not in (const.CURRENT_CHANNEL, self.config.channel):
            return session.send_ipmi_response(
                code=const.CC_INVALID_DATA_FIELD)
        if request['command'] == lanconfig.CMD_GET_LAN_CONFIG:
            code, data = self.lan.get(request['data'])
        else:
            code, data = self.lan.set(request['data'])
            if not code:
                self._apply_suite_privileges()
                self.lan_changed()
        session.send_ipmi_response(data=data, code=code)

    def _pef_command(self, request, session):
        # Get PEF Capabilities, Get/Set PEF Configuration Parameters
        if request['command'] == pefconfig.CMD_GET_CAPABILITIES:
            code, data = self.pef.capabilities()
        elif request['command'] == pefconfig.CMD_GET_CONFIG:
            code, data = self.pef.get(request['data'])
        else:
            code, data = self.pef.set(request['data'])
            if not code:
                self.pef_changed()
        session.send_ipmi_response(data=data, code=code)

    def _apply_suite_privileges(self):
        """Make LAN parameter 24 limit the roles of new sessions."""
        self.config.suite_privileges = lanconfig.suite_privileges(
            self.lan.values)

    def lan_changed(self) -> None:
        """Called after Set LAN Configuration Parameters changed
        ``self.lan`` (a subclass may save or apply it)."""

    def pef_changed(self) -> None:
        """Called after a PEF parameter was set (a subclass may save
        ``self.pef``)."""

    def users_changed(self) -> None:
        """Called after a user command changed the user table (a
        subclass may save it)."""

    def _cold_reset(self, request, session):
        session.send_ipmi_response(code=self.cold_reset() or 0)

    def _guid(self, request, session):
        guid = self.get_system_guid()
        data = guid.bytes_le if isinstance(guid, uuid.UUID) else bytes(guid)
        session.send_ipmi_response(data=data)


_DISPATCH = {
    (const.NETFN_APP, const.CMD_GET_DEVICE_ID):
        lambda self, req, sess: self.send_device_id(sess),
    (const.NETFN_APP, const.CMD_COLD_RESET): Bmc._cold_reset,
    (const.NETFN_APP, const.CMD_GET_SYSTEM_GUID): Bmc._guid,
    (const.NETFN_APP, const.CMD_GET_CHANNEL_INFO): Bmc._channel_info,
    (const.NETFN_TRANSPORT, lanconfig.CMD_GET_LAN_CONFIG): Bmc._lan_command,
    (const.NETFN_TRANSPORT, lanconfig.CMD_SET_LAN_CONFIG): Bmc._lan_command,
    **{(const.NETFN_SENSOR_EVENT, cmd): Bmc._pef_command for cmd in (
        pefconfig.CMD_GET_CAPABILITIES, pefconfig.CMD_GET_CONFIG,
        pefconfig.CMD_SET_CONFIG)},
    (const.NETFN_APP, channel.CMD_SET_CHANNEL_ACCESS):
        Bmc._set_channel_access,
    (const.NETFN_APP, channel.CMD_GET_CHANNEL_ACCESS):
        Bmc._get_channel_access,
    **{(const.NETFN_APP, cmd): Bmc._user_command for cmd in (
        users.CMD_SET_USER_ACCESS, users.CMD_GET_USER_ACCESS,
        users.CMD_SET_USER_NAME, users.CMD_GET_USER_NAME,
        users.CMD_SET_USER_PASSWORD, users.CMD_SET_USER_PAYLOAD_ACCESS,
        users.CMD_GET_USER_PAYLOAD_ACCESS)},
    (const.NETFN_CHASSIS, const.CMD_GET_CHASSIS_STATUS):
        lambda self, req, sess: self.get_chassis_status(sess),
    (const.NETFN_CHASSIS, const.CMD_CHASSIS_CONTROL):
        lambda self, req, sess: self.control_chassis(req, sess),
    (const.NETFN_CHASSIS, const.CMD_CHASSIS_IDENTIFY):
        lambda self, req, sess: self.chassis_identify(req, sess),
    (const.NETFN_CHASSIS, const.CMD_SET_BOOT_OPTIONS):
        lambda self, req, sess: self.set_system_boot_options(req, sess),
    (const.NETFN_CHASSIS, const.CMD_GET_BOOT_OPTIONS):
        lambda self, req, sess: self.get_system_boot_options(req, sess),
    **bmcsol.SOL_DISPATCH,
}
