"""Command: the public client facade, drop-in with pyghmi's.

Each method checks its arguments, sends what a feature module builds,
and returns pyghmi-shaped results (plain dicts).  Errors are raised as
:mod:`pyghmi.exceptions`; only :meth:`Command.raw_command` keeps pyghmi's
convention of returning ``{'error': ..., 'code': ...}``.
"""

import threading
import time
import typing
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi import dcmi as dcmiops
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade.alerts import AlertCommands
from pyghmi.ipmi.facade.chassis import ChassisCommands
from pyghmi.ipmi.facade.dcmi import DcmiCommands
from pyghmi.ipmi.facade.device import DeviceCommands
from pyghmi.ipmi.facade.eventlog import EventCommands
from pyghmi.ipmi.facade.inventory import InventoryCommands
from pyghmi.ipmi.facade.lan import NetCommands
from pyghmi.ipmi.facade.oem import OemCommands
from pyghmi.ipmi.facade.parts import Bridge, ByteData, Secret
from pyghmi.ipmi.facade.sensors import SensorCommands
from pyghmi.ipmi.facade.users import UserCommands
from pyghmi.ipmi.oem import generic as genericoem
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import localsession
from pyghmi.ipmi.private.client import session
from pyghmi.ipmi.private.client import shared as logins
from pyghmi.ipmi.private.codec import chassis

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


_SESSION_OPTIONS = ('cipher', 'timeout', 'retries', 'allow_no_auth',
                    'ipmi_version', 'max_inflight')


def check_raw_arguments(netfn, command, bridge_request, data, delay_xmit,
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


def check_raw_requests(requests):
    """Check the requests of ``xraw_commands``; returns their
    ``(netfn, command, data, bridge, retry, timeout, rslun)`` tuples.

    :raises InvalidParameterValue: a bad request (naming its index)
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
        data, bridge = check_raw_arguments(
            request['netfn'], request['command'],
            request.get('bridge_request', ()), request.get('data', ()),
            None, request.get('retry', True), request.get('timeout'),
            request.get('rslun', 0))
        checked.append((request['netfn'], request['command'], data,
                        bridge, request.get('retry', True),
                        request.get('timeout'), request.get('rslun', 0)))
    return checked


def raw_results(bmc, checked, outcomes, return_exceptions):
    """``xraw_commands``' result list from the session's outcomes
    (``(code, data)`` or an exception, one per checked request).

    :raises IpmiException: the first failure, unless
        ``return_exceptions``
    """
    results: List[Any] = []
    for item, outcome in zip(checked, outcomes):
        netfn, command, bridged = item[0], item[1], bool(item[3])
        if not isinstance(outcome, Exception):
            code, rdata = outcome
            try:
                raise_for(netfn, command, code, bmc, bridged)
                outcome = {'netfn': netfn + 1, 'command': command,
                           'code': code,
                           'data': memoryview(bytearray(rdata))}
            except exc.IpmiException as err:
                outcome = err
        if isinstance(outcome, Exception) and not return_exceptions:
            raise outcome
        results.append(outcome)
    return results


def raise_for(netfn, command, code, bmc, bridged=False):
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


class Command(ChassisCommands, DeviceCommands, SensorCommands, EventCommands,
              InventoryCommands, DcmiCommands, OemCommands, UserCommands,
              NetCommands, AlertCommands):
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
        logins.use_login_cache(path)

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
        data, bridge_request = check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry, timeout,
            rslun)
        if delay_xmit:
            time.sleep(min(float(delay_xmit), 60.0))
        code, rdata = self.ipmi_session.request(
            netfn, command, data, bridge_request, retry, timeout, rslun)
        raise_for(netfn, command, code, self.bmc, bool(bridge_request))
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
        checked = check_raw_requests(requests)
        return raw_results(self.bmc, checked,
                           self.ipmi_session.request_many(checked),
                           return_exceptions)

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
        data, bridge_request = check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry, timeout,
            rslun)
        return self.ipmi_session.raw_command(
            netfn, command, bridge_request=bridge_request, data=data,
            retry=retry, delay_xmit=delay_xmit, timeout=timeout, rslun=rslun)

    def _xraw(self, netfn, command, data=(), **kwargs):
        return self.xraw_command(netfn, command, data=data, **kwargs)['data']

    # ------------------------------------------------------- identity / OEM
    def oem_init(self) -> None:
        """Find the vendor handler for this BMC (once)."""
        if self._oemknown:
            return
        self._oem = flows.run(self, self._find_vendor_handler())
        self._oemknown = True

    @property
    def _handler(self) -> genericoem.OEMHandler:
        """The vendor handler, found on first use."""
        self.oem_init()
        return typing.cast(genericoem.OEMHandler, self._oem)
