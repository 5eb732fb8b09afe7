"""Command: the public client facade, drop-in with pyghmi's.

Each method checks its arguments, sends what a feature module builds,
and returns pyghmi-shaped results (plain dicts).  Errors are raised as
:mod:`pyghmi.exceptions`; only :meth:`Command.raw_command` keeps pyghmi's
convention of returning ``{'error': ..., 'code': ...}``.
"""

import threading
import time
import typing
import uuid
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Optional,
                    Sequence, Tuple, Union)

from pyghmi import constants as pyconst
from pyghmi import exceptions as exc
from pyghmi.ipmi import dcmi as dcmiops
from pyghmi.ipmi import events as eventsmod
from pyghmi.ipmi import fru as frumod
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.alertcommands import AlertCommands
from pyghmi.ipmi.netcommands import NetCommands
from pyghmi.ipmi.oem import generic as genericoem
from pyghmi.ipmi.oem.lookup import get_oem_handler
from pyghmi.ipmi.oemcommands import OemCommands
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import localsession
from pyghmi.ipmi.private.client import session
from pyghmi.ipmi.private.client import window
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.codec import dcmi
from pyghmi.ipmi.private.codec import device
from pyghmi.ipmi.usercommands import UserCommands

# Kept for callers that used pyghmi's module-level tables.
# (name -> data 2 byte, selector number -> name), as pyghmi exposed them.
_BootKey = typing.Union[str, int]
boot_devices: typing.Dict[_BootKey, _BootKey] = {}
for _name, _selector in chassis.BOOT_DEVICE_SELECTORS.items():
    boot_devices[_name] = _selector << 2
for _selector, _name in chassis.BOOT_DEVICE_NAMES.items():
    boot_devices[_selector] = _name
power_states = {k: (-1 if v is None else v)
                for k, v in chassis.POWER_STATES.items()}

# Argument types of the public API.
Secret = Union[str, bytes]
ByteData = Union[bytes, bytearray, Sequence[int]]
Bridge = Union[Dict[str, int], Tuple[()], None]   # () is pyghmi's "none"

_SESSION_OPTIONS = ('cipher', 'timeout', 'retries', 'allow_no_auth',
                    'ipmi_version', 'max_inflight')
_POWER_POLL = 0.5
# Sensor readings requested together: whole windows of the pipelining
# session, as for chunked.AHEAD_BATCH.
_SWEEP_CHUNK = 2 * window.GROWTH_CAP


def _check_login_arguments(bmc, userid, password, port, kg, keepalive,
                           kwargs):
    args.text('bmc', bmc, 255)
    args.text('userid', userid, 16, allow_none=True)
    args.text('password', password, 20, secret=True, allow_none=True)
    args.text('kg', kg, 20, secret=True, allow_none=True)
    args.integer('port', port, 1, 65535)
    args.flag('keepalive', keepalive)
    if kwargs.get('cipher') is not None:
        args.integer('cipher', kwargs['cipher'], 0, 255)
    args.positive('timeout', kwargs.get('timeout'))
    if kwargs.get('retries') is not None:
        args.integer('retries', kwargs['retries'], 0, 20)
    args.flag('allow_no_auth', kwargs.get('allow_no_auth', False))
    if kwargs.get('ipmi_version') not in (None, 1.5, 2, 2.0):
        raise exc.InvalidParameterValue(
            'ipmi_version must be 1.5, 2.0 or None, not %r'
            % (kwargs['ipmi_version'],))
    if kwargs.get('max_inflight') is not None:
        args.integer('max_inflight', kwargs['max_inflight'], 1,
                     window.CAP)


def _check_raw_arguments(netfn, command, bridge_request, data, delay_xmit,
                         retry, timeout, rslun):
    """Check a raw request's arguments; returns ``(data, bridge)``."""
    if type(netfn) is int and type(command) is int and \
            0 <= netfn <= 0x3F and 0 <= command <= 255 and \
            (bridge_request is None or bridge_request == ()) and \
            delay_xmit is None and retry is True \
            and timeout is None and type(rslun) is int and rslun == 0:
        # the usual internal call: only the data is left to check
        return args.byte_data('data', data), None
    args.integer('netfn', netfn, 0, 0x3F)
    args.integer('command', command, 0, 255)
    data = args.byte_data('data', data)
    bridge = args.bridge('bridge_request', bridge_request)
    args.number('delay_xmit', delay_xmit, allow_none=True)
    args.flag('retry', retry)
    args.positive('timeout', timeout)
    args.integer('rslun', rslun, 0, 3)
    return data, bridge


def _raise_for(netfn, command, code, bmc, bridged=False):
    if code:
        raise exc.IpmiException(
            const.completion_text(netfn, command, code, bridged), code=code,
            bmc=bmc, netfn=netfn, command=command)


class Housekeeper(threading.Thread):
    """A thread that runs the callbacks of asynchronous use (``onlogon``,
    ``raw_command(callback=...)``) forever, for callers that do not run
    :meth:`Command.eventloop` or :meth:`Command.wait_for_rsp` themselves:
    ``Housekeeper(daemon=True).start()``."""

    def run(self):
        Command.eventloop()


class Command(OemCommands, UserCommands, NetCommands, AlertCommands):
    """Send IPMI commands to one BMC over a persistent session.

    :param bmc: host name or address of the BMC
    :param userid: user name
    :param password: password
    :param port: UDP port (623)
    :param onlogon: ``onlogon(response, command)`` to log in in the
        background; callbacks run from :meth:`eventloop` or
        :meth:`wait_for_rsp`
    :param kg: BMC key (Kg), if the BMC has one
    :param privlevel: privilege level 1-4 (None: highest the user has)
    :param verifycallback: certificate check for OEM HTTPS extensions
    :param keepalive: keep the idle session alive (False: log out when
        idle and log in again on demand)
    :param bmc: None for in-band access to the local BMC through the
        kernel's IPMI device (``/dev/ipmi0``, or ``devnode=`` in kwargs)
    :param kwargs: ``cipher`` (suite id), ``timeout`` (seconds per try),
        ``retries``, ``allow_no_auth`` (permit suite 0 and IPMI 1.5 auth
        type none), ``ipmi_version`` (2.0: RMCP+ only; 1.5: IPMI 1.5
        sessions only; None, the default: RMCP+, and IPMI 1.5 with MD5
        or straight password authentication for BMCs without RMCP+),
        ``max_inflight`` (requests kept in flight at once by
        :meth:`xraw_commands` and the sweeps that use it, 1-32; None,
        the default: a window that starts at 4 and adapts up to 15; 1:
        strictly one at a time)
    :raises IpmiException: login failed (IpmiAuthenticationError,
        IpmiTimeoutError... say why)
    """

    def __init__(self, bmc: Optional[str] = None,
                 userid: Optional[Secret] = None,
                 password: Optional[Secret] = None, port: int = 623,
                 onlogon: Optional[Callable[[Dict[str, Any], 'Command'],
                                            None]] = None,
                 kg: Optional[Secret] = None,
                 privlevel: Optional[Union[int, str]] = None,
                 verifycallback: Optional[Callable[..., bool]] = None,
                 keepalive: bool = True, **kwargs: Any) -> None:
        if bmc is not None:
            _check_login_arguments(bmc, userid, password, port, kg,
                                   keepalive, kwargs)
        self.onlogon = onlogon
        self.bmc = bmc
        self.certverify = verifycallback
        self.kwargs = kwargs
        self._sdrcachedir: Optional[str] = None
        self._sdr: Optional[sdrmod.SDR] = None
        self._dcmi_ops: Optional[dcmiops.Dcmi] = None
        self._oem: Optional[genericoem.OEMHandler] = None
        self._oemknown = False
        if bmc is None:
            # In-band: the local BMC through the kernel's IPMI device.
            devnode = kwargs.get('devnode', '/dev/ipmi0')
            args.text('devnode', devnode, 4096)
            self.ipmi_session: Any = localsession.Session(devnode)
            if onlogon is not None:
                session.Session.queue_callback(self.logged,
                                               {'success': True})
            return
        options = {k: kwargs[k] for k in _SESSION_OPTIONS if k in kwargs}
        self.ipmi_session = session.Session(
            bmc=bmc, userid=userid, password=password, port=port, kg=kg,
            onlogon=self.logged if onlogon is not None else None,
            privlevel=privlevel, keepalive=keepalive, **options)

    def __repr__(self):
        return 'Command(bmc=%r)' % (self.bmc,)

    # ------------------------------------------------------ session control
    def logged(self, response: Dict[str, Any]) -> None:
        """Internal: forward the login outcome to the ``onlogon`` callback."""
        callback, self.onlogon = self.onlogon, None
        if callback is not None:
            callback(response, self)

    @classmethod
    def eventloop(cls) -> None:
        """Run callbacks forever (for the ``onlogon`` style of use)."""
        while True:
            session.Session.wait_for_rsp()

    @classmethod
    def wait_for_rsp(cls, timeout: Optional[float]) -> int:
        """Run callbacks that arrive within ``timeout`` seconds.

        :returns: how many callbacks ran
        """
        args.number('timeout', timeout, allow_none=True)
        return session.Session.wait_for_rsp(timeout=timeout)

    def logout(self) -> Dict[str, Any]:
        """Release the session; the BMC session closes when unused."""
        return self.ipmi_session.logout()

    def set_sdr_cachedir(self, path: Optional[str]) -> None:
        """Keep SDR caches in ``path`` between runs."""
        args.text('path', path, 4096, allow_none=True)
        self._sdrcachedir = path

    @staticmethod
    def use_login_cache(path: Optional[str]) -> None:
        """Remember, in ``path`` (a directory; for example the SDR cache
        directory), the cipher suite each BMC accepted, for the whole
        process and the next ones: a login then costs 4 round trips
        instead of 5 or 6.  Call it before the first ``Command``; None
        keeps the memory in the process only.

        :raises InvalidParameterValue: ``path`` is not a string or None
        """
        args.text('path', path, 4096, allow_none=True)
        session.use_login_cache(path)

    def register_key_handler(self, callback: Callable[..., bool],
                             type: str = 'tls') -> None:
        """Set the certificate verification callback for OEM HTTPS use."""
        if type == 'tls':
            self.certverify = callback

    # --------------------------------------------------------- raw access
    def xraw_command(self, netfn: int, command: int,
                     bridge_request: Bridge = (),
                     data: ByteData = (), delay_xmit: Optional[float] = None,
                     retry: bool = True, timeout: Optional[float] = None,
                     rslun: int = 0) -> Dict[str, Any]:
        """Send a raw request; raise on any error.

        :param netfn: network function
        :param command: command number
        :param bridge_request: ``{'addr': ..., 'channel': ...}`` to reach a
            controller behind the BMC
        :param data: request data (bytes or sequence of ints)
        :param delay_xmit: seconds to wait before sending
        :param retry: retransmit when unanswered
        :param timeout: seconds to wait for the first reply
        :param rslun: responder LUN
        :returns: ``{'netfn', 'command', 'code': 0, 'data': memoryview}``;
            the view is over a writable bytearray of its own, as in pyghmi
            1.6.19 (callers edit replies in place)
        :raises IpmiException: non-zero completion code (``ipmicode``), or
            a subclass for time-outs and session failures
        :raises InvalidParameterValue: a bad argument (nothing is sent)
        """
        data, bridge_request = _check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry, timeout,
            rslun)
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        code, rdata = self.ipmi_session.request(
            netfn, command, data, bridge_request, retry, timeout, rslun)
        _raise_for(netfn, command, code, self.bmc, bool(bridge_request))
        return {'netfn': netfn + 1, 'command': command, 'code': code,
                'data': memoryview(bytearray(rdata))}

    def xraw_commands(self, requests: Sequence[Dict[str, Any]],
                      return_exceptions: bool = False) -> List[Any]:
        """Send many raw requests at once (pipelined) and collect their
        results in order.

        The requests go out together, up to the session's in-flight
        window (``max_inflight``); answers are matched by sequence
        number, so the BMC may answer in any order.  Over a 20 ms link a
        hundred requests cost a few round trips instead of a hundred.

        :param requests: dicts of :meth:`xraw_command` keyword arguments:
            ``netfn`` and ``command``, optionally ``data``,
            ``bridge_request``, ``retry``, ``timeout``, ``rslun``
        :param return_exceptions: put each failure (an IpmiException) in
            its place in the result list instead of raising the first
        :returns: one :meth:`xraw_command` result dict per request
        :raises IpmiException: the first failure, unless
            ``return_exceptions``
        :raises InvalidParameterValue: a bad request (nothing is sent)

        Example::

            sensors = [1, 2, 3]
            results = ipmi.xraw_commands(
                [{'netfn': 4, 'command': 0x2d, 'data': [n]}
                 for n in sensors], return_exceptions=True)
        """
        if not isinstance(requests, (list, tuple)):
            raise exc.InvalidParameterValue(
                'requests: a list of request dicts, not %r' % (requests,))
        checked = []
        for index, request in enumerate(requests):
            if not isinstance(request, dict) or not {
                    'netfn', 'command'} <= set(request) or set(request) - {
                    'netfn', 'command', 'data', 'bridge_request', 'retry',
                    'timeout', 'rslun'}:
                raise exc.InvalidParameterValue(
                    'requests[%d]: a dict with netfn, command and '
                    'optionally data, bridge_request, retry, timeout, '
                    'rslun, not %r' % (index, request))
            data, bridge = _check_raw_arguments(
                request['netfn'], request['command'],
                request.get('bridge_request', ()), request.get('data', ()),
                None, request.get('retry', True), request.get('timeout'),
                request.get('rslun', 0))
            checked.append((request['netfn'], request['command'], data,
                            bridge, request.get('retry', True),
                            request.get('timeout'), request.get('rslun', 0)))
        outcomes = self.ipmi_session.request_many(checked)
        results: List[Any] = []
        for item, outcome in zip(checked, outcomes):
            netfn, command, bridged = item[0], item[1], bool(item[3])
            if not isinstance(outcome, Exception):
                code, rdata = outcome
                try:
                    _raise_for(netfn, command, code, self.bmc, bridged)
                    outcome = {'netfn': netfn + 1, 'command': command,
                               'code': code,
                               'data': memoryview(bytearray(rdata))}
                except exc.IpmiException as err:
                    outcome = err
            if isinstance(outcome, Exception) and not return_exceptions:
                raise outcome
            results.append(outcome)
        return results

    def raw_command(self, netfn: int, command: int,
                    bridge_request: Bridge = (),
                    data: ByteData = (), delay_xmit: Optional[float] = None,
                    retry: bool = True, timeout: Optional[float] = None,
                    rslun: int = 0) -> Dict[str, Any]:
        """Send a raw request, pyghmi style.

        :returns: ``{'netfn', 'command', 'code', 'data'}``; when the
            completion code is not zero or the request failed, also
            ``'error'`` with its meaning (``code`` 0xFFFF for time-outs)
        :raises InvalidParameterValue: a bad argument (nothing is sent)
        """
        data, bridge_request = _check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry, timeout,
            rslun)
        return self.ipmi_session.raw_command(
            netfn, command, bridge_request=bridge_request, data=data,
            retry=retry, delay_xmit=delay_xmit, timeout=timeout, rslun=rslun)

    def _xraw(self, netfn, command, data=(), **kwargs):
        return self.xraw_command(netfn, command, data=data, **kwargs)['data']

    # ------------------------------------------------------- identity / OEM
    def get_device_id(self) -> Dict[str, Any]:
        """Decode Get Device ID (20.1).

        :returns: dict with ``device_id``, ``device_revision``,
            ``firmware_version`` ('1.23'), ``ipmi_version`` ('2.0'),
            ``manufacturer_id``, ``product_id``, ``device_available``,
            ``provides_device_sdrs``, ``additional_support`` (list) and
            ``aux_firmware`` (bytes, may be empty)
        """
        data = self._xraw(const.NETFN_APP, const.CMD_GET_DEVICE_ID)
        return self.decode_device_id(data)

    def _get_device_id(self) -> Dict[str, Any]:
        """Get Device ID in the shape pyghmi's OEM code uses: only
        ``device_id``, ``device_revision``, ``manufacturer_id``,
        ``product_id`` and ``firmware_version``."""
        info = self.get_device_id()
        return {key: info[key] for key in (
            'device_id', 'device_revision', 'manufacturer_id',
            'product_id', 'firmware_version')}

    @staticmethod
    def decode_device_id(data: bytes) -> Dict[str, Any]:
        """Decode Get Device ID response data (table 20-2).

        :raises BmcErrorException: the response is too short
        """
        try:
            return device.decode_device_id(bytes(data))
        except exc.DecodeError as err:
            raise exc.BmcErrorException(str(err)) from None

    def oem_init(self) -> None:
        """Find the vendor handler for this BMC (once)."""
        if self._oemknown:
            return
        try:
            self._oem, _ = get_oem_handler(self._get_device_id(), self)
        except exc.IpmiException:
            self._oem = genericoem.OEMHandler(None, self)
        self._oemknown = True

    @property
    def _handler(self) -> genericoem.OEMHandler:
        """The vendor handler, found on first use."""
        self.oem_init()
        return typing.cast(genericoem.OEMHandler, self._oem)

    def _oem_handles(self, hook, *args):
        """Offer an operation to the vendor handler first.

        :returns: True when the handler did it (or asked that the generic
            code be skipped), False when the generic IPMI code should run
        """
        try:
            getattr(self._handler, hook)(*args)
        except exc.UnsupportedFunctionality:
            return False
        except exc.BypassGenericBehavior:
            pass
        return True

    def get_firmware(self, components: Iterable[str] = (),
                     category: Optional[str] = None
                     ) -> Iterator[Tuple[str, Dict[str, Any]]]:
        """Yield ``(name, {'version': ...})`` for the BMC and OEM parts."""
        bmcver = self.get_device_id()['firmware_version']
        return self._handler.get_oem_firmware(bmcver, components, category)

    def get_system_guid(self) -> str:
        """Read the system GUID (Get System GUID, 22.14).

        :returns: the GUID as a lower-case string in the SMBIOS byte
            order, as dmidecode prints it
        """
        data = self._xraw(const.NETFN_APP, const.CMD_GET_SYSTEM_GUID)
        if len(data) < 16:
            raise exc.BmcErrorException('Get System GUID response too short')
        return str(uuid.UUID(bytes_le=bytes(data[:16])))

    def get_description(self) -> Dict[str, Any]:
        """Physical attributes of the system (OEM specific)."""
        return self._handler.get_description()

    def get_video_launchdata(self) -> Any:
        """Data to launch a remote video session (OEM specific)."""
        return self._handler.get_video_launchdata()

    def reseat_bay(self, bay: int) -> None:
        """Ask the enclosure manager to reseat ``bay`` (OEM specific;
        -1: the management controller itself, as pyghmi)."""
        args.integer('bay', bay, -1, 255)
        self._handler.reseat_bay(bay)

    # ---------------------------------------------------------------- power
    def _get_power_state(self, bridge_request=None, delay_xmit=None):
        data = self.xraw_command(
            const.NETFN_CHASSIS, const.CMD_GET_CHASSIS_STATUS,
            bridge_request=bridge_request, delay_xmit=delay_xmit)['data']
        return chassis.power_state(data)

    def get_power(self, bridge_request: Bridge = None
                  ) -> Dict[str, str]:
        """Current power state.

        :returns: ``{'powerstate': 'on'}`` or ``{'powerstate': 'off'}``
        """
        args.bridge('bridge_request', bridge_request)
        return {'powerstate': self._get_power_state(bridge_request)}

    def get_chassis_status(self) -> Dict[str, Any]:
        """Get Chassis Status, fully decoded (table 28-3).

        :returns: dict with ``powerstate`` ('on'/'off'),
            ``power_overload``, ``interlock``, ``power_fault``,
            ``power_control_fault``, ``restore_policy``, ``last_event``
            (list of causes), ``intrusion``, ``front_panel_lockout``,
            ``drive_fault``, ``cooling_fault``, ``identify_supported``
            and ``identify_state``
        :raises IpmiException: the BMC refused the command
        """
        data = self._xraw(const.NETFN_CHASSIS, const.CMD_GET_CHASSIS_STATUS)
        return chassis.decode_chassis_status(data)

    def set_power(self, powerstate: str,
                  wait: Union[bool, float] = False,
                  bridge_request: Bridge = None
                  ) -> Dict[str, str]:
        """Change the power state.

        :param powerstate: 'on', 'off', 'reset', 'cycle', 'diag',
            'shutdown'/'softoff', or 'boot' (on if off, else reset)
        :param wait: True to wait up to 300 s for 'on'/'off'/'shutdown' to
            take effect, or a number of seconds
        :param bridge_request: target of a bridged request
        :returns: ``{'powerstate': state}`` when already there or after a
            wait, else ``{'pendingpowerstate': requested}``
        :raises InvalidParameterValue: unknown state, bad ``wait`` or
            ``bridge_request`` (checked before anything is sent)
        :raises IpmiException: the BMC refused, or the wait ran out
        """
        args.one_of('powerstate', powerstate, chassis.POWER_STATES)
        if not isinstance(wait, bool):
            args.number('wait', wait)
        args.bridge('bridge_request', bridge_request)
        powerstate = self._handler.process_power_state(
            powerstate, bridge_request=bridge_request)
        if powerstate not in chassis.POWER_STATES:
            raise exc.InvalidParameterValue(
                'powerstate: unknown power state %r requested (one of %s)'
                % (powerstate, ', '.join(chassis.POWER_STATES)))
        current = self._get_power_state(bridge_request)
        if current == powerstate:
            return {'powerstate': current}
        if powerstate == 'boot':
            powerstate = 'on' if current == 'off' else 'reset'
        action = typing.cast(int, chassis.POWER_STATES[powerstate])
        self.xraw_command(const.NETFN_CHASSIS, const.CMD_CHASSIS_CONTROL,
                          data=(action,), bridge_request=bridge_request)
        target = {'on': 'on', 'off': 'off', 'shutdown': 'off',
                  'softoff': 'off'}.get(powerstate)
        if not wait or target is None:
            return {'pendingpowerstate': powerstate}
        limit = 300 if wait is True else float(wait)
        return {'powerstate': self._wait_power(target, limit,
                                               bridge_request)}

    def _wait_power(self, target, limit, bridge_request):
        deadline = time.monotonic() + limit
        while True:
            state = self._get_power_state(bridge_request)
            if state == target:
                return state
            if time.monotonic() >= deadline:
                raise exc.IpmiException(
                    'System did not accomplish power state change',
                    bmc=self.bmc)
            time.sleep(min(_POWER_POLL, max(0, deadline - time.monotonic())))

    def reset_bmc(self) -> None:
        """Cold-reset the BMC (it may reset before it answers)."""
        try:
            self.xraw_command(const.NETFN_APP, const.CMD_COLD_RESET,
                              retry=False)
        except exc.IpmiTimeoutError:
            pass

    # ---------------------------------------------------------------- boot
    def get_bootdev(self) -> Dict[str, Any]:
        """Boot device override for the next boot.

        :returns: ``{'bootdev': name, 'persistent': bool,
            'uefimode': bool}``; ``{'bootdev': 'default', 'persistent':
            True}`` (no ``uefimode``) when no override is set
        """
        data = self._xraw(const.NETFN_CHASSIS, const.CMD_GET_BOOT_OPTIONS,
                          data=(chassis.BOOT_PARAM_FLAGS, 0, 0))
        return chassis.decode_boot_flags(data)

    def set_bootdev(self, bootdev: str, persist: bool = False,
                    uefiboot: bool = False) -> Dict[str, str]:
        """Set the boot device for the next boot (or all, with persist).

        :param bootdev: 'network', 'hd', 'safe', 'optical', 'setup',
            'floppy' or 'default' (and pyghmi's aliases: pxe, cd, bios...)
        :param persist: ask firmware to keep it beyond the next boot
        :param uefiboot: request a UEFI boot
        :returns: ``{'bootdev': bootdev}``
        :raises InvalidParameterValue: unknown device
        :raises IpmiException: the BMC refused
        """
        args.one_of('bootdev', bootdev, chassis.BOOT_DEVICE_SELECTORS)
        args.flag('persist', persist)
        args.flag('uefiboot', uefiboot)
        flags = chassis.encode_boot_flags(bootdev, persist, uefiboot)
        try:
            # Keep the valid bit over a watchdog reset; optional parameter.
            self.xraw_command(const.NETFN_CHASSIS, const.CMD_SET_BOOT_OPTIONS,
                              data=(chassis.BOOT_PARAM_VALID_BIT_CLEARING,
                                    0x08))
        except exc.IpmiException as err:
            if err.ipmicode not in (const.CC_PARAMETER_NOT_SUPPORTED,
                                    const.CC_INVALID_COMMAND,
                                    const.CC_INVALID_DATA_FIELD):
                raise
        self.xraw_command(const.NETFN_CHASSIS, const.CMD_SET_BOOT_OPTIONS,
                          data=flags)
        return {'bootdev': bootdev}

    # ------------------------------------------------------------- identify
    def set_identify(self, on: bool = True,
                     duration: Optional[float] = None,
                     blink: bool = False) -> None:
        """Turn the identify light on, off, or on for ``duration`` seconds.

        :param on: True for on, False for off
        :param duration: seconds (capped to 0-255) instead of indefinitely
        :param blink: vendor blink mode (not available generically)
        :raises IpmiException: the BMC refused, or blink was asked of a
            generic BMC
        """
        args.flag('on', on)
        args.number('duration', duration, float('-inf'), allow_none=True)
        args.flag('blink', blink)
        if self._oem_handles('set_identify', on, duration, blink):
            return
        if blink:
            raise exc.IpmiException('Blink not supported with generic IPMI')
        self.xraw_command(const.NETFN_CHASSIS, const.CMD_CHASSIS_IDENTIFY,
                          data=chassis.encode_identify(on, duration))

    # -------------------------------------------------------------- sensors
    def init_sdr(self) -> sdrmod.SDR:
        """Read the SDR repository (or take it from the cache) once.

        :returns: the :class:`pyghmi.ipmi.sdr.SDR`
        """
        if self._sdr is None:
            self._sdr = sdrmod.SDR(self, self._sdrcachedir)
        return typing.cast(sdrmod.SDR, self._sdr)

    def _read_sensor(self, rec):
        return sdrmod.read_sensor(self.xraw_command, rec)

    def get_sensor_data(self) -> Iterator[sdrrecords.SensorReading]:
        """Read every sensor.

        :returns: iterator of :class:`pyghmi.ipmi.sdr.SensorReading`
            (``name``, ``value``, ``units``, ``imprecision``, ``states``,
            ``state_ids``, ``health``, ``type``, ``unavailable``)
        """
        sdr = self.init_sdr()
        recs = [sdr.sensors[key] for key in sdr.get_sensor_numbers()]
        # in chunks, read pipelined: a caller that stops early does not
        # pay for the whole sweep
        for start in range(0, len(recs), _SWEEP_CHUNK):
            for _, outcome in sdrmod.read_sensors(
                    self.xraw_commands, self.xraw_command,
                    recs[start:start + _SWEEP_CHUNK]):
                if isinstance(outcome, exc.IpmiException):
                    if outcome.ipmicode in const.NOT_PRESENT_CODES:
                        continue     # sensor absent (optional device), off
                    raise outcome
                yield outcome
        yield from self._handler.get_sensor_data()

    def get_sensor_reading(self, sensorname: str
                           ) -> sdrrecords.SensorReading:
        """Read one sensor by name.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises InvalidParameterValue: no sensor has that name
        """
        args.text('sensorname', sensorname, 255)
        sdr = self.init_sdr()
        for rec in sdr.readable_sensors():
            if rec.name == sensorname:
                return self._read_sensor(rec)
        return self._handler.get_sensor_reading(sensorname)

    def get_sensor_descriptions(self) -> Iterator[Dict[str, str]]:
        """Iterate ``{'name': ..., 'type': ...}`` for every sensor."""
        sdr = self.init_sdr()
        for rec in sdr.readable_sensors():
            yield {'name': rec.name, 'type': rec.sensor_type}
        yield from self._handler.get_sensor_descriptions()

    def get_health(self) -> Dict[str, Any]:
        """Summarize the health of the managed system.

        :returns: ``{'health': combined Health value, 'badreadings':
            [readings whose health is not Ok]}``
        """
        summary: Dict[str, Any] = {'badreadings': [],
                                   'health': pyconst.Health.Ok}
        fallback: List[Any] = []
        try:
            # the vendor's view first; it may skip the sensor sweep
            fallback = self._handler.get_health(summary) or []
            for reading in self.get_sensor_data():
                if reading.health != pyconst.Health.Ok:
                    summary['health'] |= reading.health
                    summary['badreadings'].append(reading)
        except exc.BypassGenericBehavior:
            pass
        if not summary['badreadings']:
            summary['badreadings'] = list(fallback)
        return summary

    # ------------------------------------------------------------ event log
    def get_event_log(self, clear: bool = False, clock_sync: bool = False,
                      details: bool = False) -> List[Dict[str, Any]]:
        """Read the system event log, oldest first.

        :param clear: clear the log after reading it
        :param clock_sync: also return the Timestamp Clock Sync records
            (marked ``clock_sync``) that the time correction used
        :param details: add ``epoch`` (corrected seconds),
            ``timestamp_source`` and the raw event fields to each event
        :returns: list of event dicts with pyghmi 1.6.19's keys (see
            :mod:`pyghmi.ipmi.events`); ``timecode`` is the raw SEL time,
            ``timestamp`` the corrected local time where the log allows
            (absent where it is unknown)
        """
        args.flag('clear', clear)
        args.flag('clock_sync', clock_sync)
        args.flag('details', details)
        try:
            sdr = self.init_sdr()
        except exc.IpmiException:
            sdr = None          # events still decode, without names
        handler = self._handler
        return eventsmod.fetch_events(
            self.xraw_command, sdr, clear=clear, keep_sync=clock_sync,
            details=details,
            refine=lambda event, raw: handler.process_event(event, self,
                                                            raw),
            xraw_many=self.xraw_commands)

    def decode_pet(self, specifictrap: Union[int, bytes],
                   petdata: bytes) -> Dict[str, Any]:
        """Decode an SNMP Platform Event Trap from this BMC.

        :param specifictrap: the trap's specific number (int or 4 bytes)
        :param petdata: the PET binary variable binding
        :returns: an event dict like those of :meth:`get_event_log`
        """
        try:
            sdr = self.init_sdr()
        except exc.IpmiException:
            sdr = None
        return eventsmod.decode_pet(specifictrap, petdata, sdr)

    # ------------------------------------------------------------ inventory
    def _fru_locators(self):
        try:
            sdr = self.init_sdr()
        except exc.IpmiException:
            return []
        return [rec for rec in sdr.fru_locators if rec.logical]

    def _read_fru(self, fru_id=0, locator=None, details=False, name=None):
        info = self._read_fru_data(fru_id, locator)
        return self._handler.process_fru(self._details(info, details), name)

    @staticmethod
    def _details(info, details):
        # checksum warnings and multirecords are details
        if not details and info is not None:
            info.pop('warnings', None)
            info.pop('multirecords', None)
        return info

    def _zero_fru(self, details=False):
        try:
            info = self._read_fru_data(0)
        except exc.IpmiException as err:
            if err.ipmicode not in (const.CC_NOT_PRESENT,
                                    const.CC_INVALID_COMMAND,
                                    const.CC_INVALID_DATA_FIELD):
                raise
            info = {}
        device = self._get_device_id()
        info.update({'Device ID': device['device_id'],
                     'Device Revision': device['device_revision'],
                     'Manufacturer ID': device['manufacturer_id'],
                     'Product ID': device['product_id'],
                     'firmware_version': device['firmware_version']})
        multirecords = info.get('multirecords', ())
        info = self._handler.process_zero_fru(self._details(info, details))
        if info is not None and 'UUID' not in info:
            # Get System GUID's (pyghmi wrote it in upper case); the FRU's
            # management access record stands in without it.
            guid: Optional[str]
            try:
                guid = self.get_system_guid()
            except exc.IpmiException:
                guid = next((r['system_uuid'] for r in multirecords
                             if 'system_uuid' in r), None)
            if guid:
                info['UUID'] = guid.upper()
        return info

    def _read_fru_data(self, fru_id, locator=None):
        return frumod.read_inventory(self.xraw_command, fru_id, locator,
                                     self.xraw_commands)

    def get_inventory_descriptions(self) -> Iterator[str]:
        """Iterate the names of inventory components ('System' first)."""
        yield 'System'
        for rec in self._fru_locators():
            yield rec.name
        yield from self._handler.get_oem_inventory_descriptions()

    def get_inventory_of_component(self, component: str,
                                   details: bool = False
                                   ) -> Optional[Dict[str, Any]]:
        """Inventory dict of one component ('System' is FRU 0).

        :param details: also return ``warnings`` (checksum mismatches)
            and ``multirecords`` (decoded FRU multirecord area)
        :returns: dict of fields, or None when the component has no data
        """
        args.text('component', component, 255)
        if component == 'System':
            return self._zero_fru(details)
        for rec in self._fru_locators():
            if rec.name == component:
                return self._read_fru(rec.fru_id, rec, details, rec.name)
        return self._handler.get_inventory_of_component(component)

    def get_inventory(self, details: bool = False
                      ) -> Iterator[Tuple[str, Optional[Dict[str, Any]]]]:
        """Iterate ``(name, dict)`` for FRU 0, every FRU device locator
        of the SDR whose device answers (absent ones are left out, as
        pyghmi did), then the vendor handler's components.

        FRU fields keep pyghmi's names; 'System' adds the Get Device ID
        fields ('Device ID', 'Device Revision', 'Manufacturer ID',
        'Product ID', 'firmware_version') and 'UUID'.

        :param details: as in :meth:`get_inventory_of_component`
        """
        yield ('System', self._zero_fru(details))
        for rec in self._fru_locators():
            try:
                info = self._read_fru(rec.fru_id, rec, details, rec.name)
            except (exc.IpmiException, exc.DecodeError) as err:
                if isinstance(err, exc.DecodeError) or err.ipmicode in (
                        const.CC_NOT_PRESENT, const.CC_NOT_IN_PRESENT_STATE):
                    continue        # absent or unreadable: not listed
                raise
            if info:                # a vendor handler may hide one
                yield (rec.name, info)
        yield from self._handler.get_oem_inventory()

    # ----------------------------------------------------------------- DCMI
    @property
    def _dcmi(self):
        if self._dcmi_ops is None:
            self._dcmi_ops = dcmiops.Dcmi(self.xraw_command, self.bmc)
        return self._dcmi_ops

    def get_system_power_watts(self) -> float:
        """Current system power draw in watts (DCMI Get Power Reading).

        :raises UnsupportedFunctionality: no DCMI power management
        """
        return self._handler.get_system_power_watts(self)

    def get_power_statistics(self) -> Dict[str, Any]:
        """DCMI system power statistics: current, minimum, maximum and
        average watts, reporting period (ms) and whether active."""
        return self._dcmi.power_statistics()

    def dcmi_operations(self) -> dcmiops.Dcmi:
        """The DCMI operations of this BMC (for vendor handlers)."""
        return self._dcmi

    def get_server_capping(self) -> Optional[int]:
        """The active power cap in watts, or None when capping is off
        (the generic handler reads the DCMI power limit)."""
        return self._handler.get_server_capping()

    def set_server_capping(self, value: int) -> None:
        """Set the power cap to ``value`` watts (DCMI generically)."""
        args.integer('value', value, 0, 0xFFFF)
        self._handler.set_server_capping(value)

    def get_capping_enabled(self) -> bool:
        """True when the power cap is active (DCMI generically)."""
        return self._handler.get_oem_capping_enabled()

    def set_capping_enabled(self, enable: bool) -> None:
        """Activate or deactivate the power cap (DCMI generically)."""
        args.flag('enable', enable)
        self._handler.set_oem_capping_enabled(enable)

    def get_asset_tag(self) -> str:
        """The DCMI asset tag (text)."""
        return self._dcmi.get_string(dcmi.GET_ASSET_TAG)

    def set_asset_tag(self, tag: str) -> None:
        """Set the DCMI asset tag (at most 63 bytes)."""
        args.text('tag', tag, 63)
        self._dcmi.set_string(dcmi.SET_ASSET_TAG, tag)

    def get_mci(self) -> str:
        """The DCMI management controller identifier string."""
        return self._dcmi.get_string(dcmi.GET_MC_ID)

    def set_mci(self, mci: str) -> None:
        """Set the management controller identifier (at most 63 bytes)."""
        args.text('mci', mci, 63)
        self._dcmi.set_string(dcmi.SET_MC_ID, mci)

    def _dcmi_temperatures(self, entity):
        try:
            ids = self._dcmi.temperature_record_ids(entity)
        except exc.UnsupportedFunctionality:
            return []       # no DCMI: the SDR fallback decides
        return [self._read_sensor(rec)
                for rec in self.init_sdr().readable_sensors()
                if rec.record_id in ids]

    def _temperature_sensors(self, entities):
        """Readable threshold temperature sensors of the given entity
        names, in SDR order (the SDR fallback of the DCMI lookups)."""
        return [rec for rec in self.init_sdr().readable_sensors()
                if rec.threshold_based and rec.baseunit
                and rec.sensor_type == 'Temperature'
                and rec.entity in entities]

    def get_inlet_temperature(self) -> sdrrecords.SensorReading:
        """The inlet (ambient) temperature reading, as the vendor handler
        finds it (generically: :meth:`standard_inlet_temperature`).

        :raises UnsupportedFunctionality: no inlet sensor
        """
        return self._handler.get_inlet_temperature(self)

    def get_average_processor_temperature(self
                                          ) -> sdrrecords.SensorReading:
        """Average processor temperature, as the vendor handler finds it
        (generically: :meth:`standard_processor_temperature`)."""
        return self._handler.get_average_processor_temperature(self)

    def standard_inlet_temperature(self) -> sdrrecords.SensorReading:
        """The inlet (ambient) temperature reading.

        The DCMI inlet sensor when the BMC names one (Get DCMI Sensor
        Info, entity 40h); otherwise the first SDR temperature sensor of
        an 'Air inlet' entity (37h, 40h), else of 'External environment'
        whose name does not say exhaust.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises UnsupportedFunctionality: no inlet sensor found
        """
        readings = self._dcmi_temperatures(dcmi.ENTITY_INLET)
        if readings:
            return readings[0]
        recs = self._temperature_sensors(('Air inlet',)) or [
            rec for rec in self._temperature_sensors(
                ('External environment',))
            if 'exhaust' not in rec.name.lower()]
        if not recs:
            raise exc.UnsupportedFunctionality(
                'Unable to detect inlet sensor name for this platform')
        return self._read_sensor(recs[0])

    def standard_processor_temperature(self) -> sdrrecords.SensorReading:
        """Average of the processor temperature sensors.

        The DCMI processor sensors (entity 41h) when the BMC names them,
        otherwise the SDR temperature sensors of 'Processor' entities.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading` named 'Average
            Processor Temperature'; with no sensor (or none readable)
            its ``value`` is None and ``unavailable`` 1, as pyghmi
        """
        readings = self._dcmi_temperatures(dcmi.ENTITY_CPU)
        if not readings:
            readings = []
            for rec in self._temperature_sensors(('Processor',)):
                try:
                    readings.append(self._read_sensor(rec))
                except exc.IpmiException:
                    continue    # one unreadable processor sensor
        readings = [r for r in readings if r.value is not None]
        average = sdrrecords.SensorReading(
            {'name': 'Average Processor Temperature', 'type': 'Temperature'},
            readings[0].units if readings else '°C')
        if not readings:
            average.unavailable = 1
            return average
        average.value = sum(r.value for r in readings) / len(readings)
        average.health = max(r.health for r in readings)
        return average
