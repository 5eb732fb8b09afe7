"""The asyncio IPMI ``Command``: ``cmd = await Command.create(bmc, userid,
password, ...)`` with the blocking constructor's session arguments, then
``await cmd.get_power()`` and the other methods written as flows
(:mod:`pyghmi.ipmi.facade.flows`), which the blocking
:class:`pyghmi.ipmi.command.Command` runs too (listings are async
generators); ``raw_command``, ``xraw_command`` and ``xraw_commands``;
``await cmd.logout()`` or ``async with``.

The session is the same sans-IO core as the blocking client's, driven by
:mod:`.engine` on the running loop: one UDP endpoint per loop, the same
pipelining window, retransmission, re-login and suite memory.  Methods
of the blocking ``Command`` whose area is not a flow yet are not here
(:data:`METHODS` lists those that are: all but the blocking session's
loop helpers).  The vendor handler is found as the blocking ``Command``
finds it, when a method first needs it (Get Device ID, then its
``prepare`` hook: a Lenovo controller's probes); its flow hooks run on
the loop, while a plain hook that sends blocking IPMI (a third-party
handler written for pyghmi) cannot work here.
"""

import asyncio
import ipaddress
import socket

from pyghmi import exceptions as exc
from pyghmi.aio.ipmi import engine
from pyghmi.ipmi import command as blocking
from pyghmi.ipmi.facade import alerts
from pyghmi.ipmi.facade import chassis
from pyghmi.ipmi.facade import dcmi
from pyghmi.ipmi.facade import device
from pyghmi.ipmi.facade import eventlog
from pyghmi.ipmi.facade import inventory
from pyghmi.ipmi.facade import lan
from pyghmi.ipmi.facade import oem
from pyghmi.ipmi.facade import sensors
from pyghmi.ipmi.facade import users
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private.client import rawresult
from pyghmi.ipmi.private.client import session as clientsession
from pyghmi.util import flows as utilflows

# the areas whose flows this Command runs
AREAS = (chassis.ChassisFlows, device.DeviceFlows, sensors.SensorFlows,
         eventlog.EventFlows, inventory.InventoryFlows, dcmi.DcmiFlows,
         oem.OemFlows, users.UserFlows, lan.NetFlows, alerts.AlertFlows)
METHODS = tuple(sorted(flows.PUBLIC))


class Command(chassis.ChassisFlows, device.DeviceFlows, sensors.SensorFlows,
              eventlog.EventFlows, inventory.InventoryFlows, dcmi.DcmiFlows,
              oem.OemFlows, users.UserFlows, lan.NetFlows, alerts.AlertFlows):
    """An IPMI BMC from an asyncio event loop; build it with
    :meth:`create`.  It derives from the flows' areas for their helpers;
    each public flow is replaced below by its coroutine (or async
    generator) method."""

    _netchannel = None      # the LAN channel, once found (users flows)
    _sdr = None             # the SDR, once read (sensors flows)
    _sdrcachedir = None     # where SDRs are cached on disk (None: not)
    _dcmi_ops = None        # DCMI capabilities, once read (dcmi flows)
    _oem = None             # the vendor handler, once found
    _oem_lock = None        # held while it is found

    def __init__(self, bmc, session):
        self.bmc = bmc
        self.ipmi_session = session

    # the suite memory is shared with the blocking client's logins
    use_login_cache = staticmethod(blocking.Command.use_login_cache)

    @property
    def _handler(self):
        """The vendor handler, once a flow has asked for it
        (:meth:`_find_handler`)."""
        if self._oem is None:
            raise RuntimeError('the vendor handler is found when a method '
                               'first needs it')
        return self._oem

    async def _find_handler(self):
        """The vendor handler, found and prepared when a flow first asks
        for it (``flows.VENDOR``), as the blocking ``Command`` finds it
        on first need.  Concurrent first asks wait for the one finding
        it; a cancelled search is taken up by the next ask."""
        if self._oem is not None:
            return self._oem
        if self._oem_lock is None:
            self._oem_lock = asyncio.Lock()
        async with self._oem_lock:
            if self._oem is None:
                self._oem = await self._run(self._find_vendor_handler())
        return self._oem

    def __repr__(self):
        return 'Command(%r)' % (self.bmc,)

    @classmethod
    async def create(cls, bmc, userid, password, port=623, kg=None,
                     privlevel=None, keepalive=True, cipher=None,
                     timeout=None, retries=None, allow_no_auth=False,
                     ipmi_version=None, max_inflight=None):
        """Log in (RMCP+, or IPMI 1.5 where the BMC has only that), as
        the blocking ``Command(bmc, userid, password, ...)`` does.

        :returns: a logged-in :class:`Command`
        :raises InvalidParameterValue: a bad argument (nothing sent)
        :raises IpmiException: the login failed (subclasses say why)
        """
        if not bmc:
            raise exc.InvalidParameterValue(
                'bmc: the asyncio API needs a BMC (no in-band access)')
        params = clientsession.login_params(
            bmc, userid, password, port, kg, privlevel, keepalive, cipher,
            timeout, retries, allow_no_auth, ipmi_version, max_inflight)
        family, sockaddr = await _resolve(bmc, port)
        endpoint = await engine.endpoint_for(family, sockaddr[:2])
        session = engine.Session(endpoint, params, sockaddr)
        try:
            await session.login()
        except BaseException:
            await session.close()
            raise
        return cls(bmc, session)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.logout()

    async def logout(self):
        """Close the session.

        :returns: ``{'success': True}``
        """
        await self.ipmi_session.close()
        return {'success': True}

    async def xraw_command(  # type: ignore[override]
            self, netfn, command, bridge_request=(), data=(), delay_xmit=None,
            retry=True, timeout=None, rslun=0):
        """Send a raw request; raise on any error (the blocking
        ``xraw_command``'s arguments and result).

        :raises IpmiException: non-zero completion code, or no answer
        :raises InvalidParameterValue: a bad argument (nothing is sent)
        """
        data, bridge_request = blocking.check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry,
            timeout, rslun)
        if delay_xmit:
            await asyncio.sleep(min(float(delay_xmit), 60.0))
        code, rdata = await self.ipmi_session.request(
            netfn, command, data, bridge_request, retry, timeout, rslun)
        blocking.raise_for(netfn, command, code, self.bmc,
                           bool(bridge_request))
        return {'netfn': netfn + 1, 'command': command, 'code': code,
                'data': memoryview(bytearray(rdata))}

    async def raw_command(  # type: ignore[override]
            self, netfn, command, bridge_request=(), data=(), delay_xmit=None,
            retry=True, timeout=None, rslun=0):
        """Send a raw request, pyghmi style: errors in the dict
        (``{'netfn', 'command', 'code', 'data'[, 'error']}``)."""
        data, bridge_request = blocking.check_raw_arguments(
            netfn, command, bridge_request, data, delay_xmit, retry,
            timeout, rslun)
        if delay_xmit:
            await asyncio.sleep(min(float(delay_xmit), 60.0))
        try:
            code, rdata = await self.ipmi_session.request(
                netfn, command, data, bridge_request, retry, timeout, rslun)
        except exc.IpmiException as err:
            return rawresult.error_dict(err)
        return rawresult.response_dict(netfn, command, code, rdata,
                                       bool(bridge_request))

    async def xraw_commands(  # type: ignore[override]
            self, requests, return_exceptions=False):
        """Send many raw requests at once (pipelined, up to the session's
        window) and collect their results in order (the blocking
        ``xraw_commands``'s arguments and result).

        :raises IpmiException: the first failure, unless
            ``return_exceptions``
        :raises InvalidParameterValue: a bad request (nothing is sent)
        """
        checked = blocking.check_raw_requests(requests)
        outcomes = await asyncio.gather(
            *(self.ipmi_session.request(netfn, cmd, data, bridge, retry,
                                        timeout, rslun)
              for netfn, cmd, data, bridge, retry, timeout, rslun
              in checked), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and \
                    not isinstance(outcome, Exception):
                raise outcome       # cancelled: not an answer
        return blocking.raw_results(self.bmc, checked, outcomes,
                                    return_exceptions)

    async def _perform(self, step):
        """``(value, error)`` of one request of a flow."""
        try:
            if isinstance(step, flows.Xraw):
                return await self.xraw_command(
                    step.netfn, step.command, data=step.data,
                    bridge_request=step.bridge_request or (),
                    retry=step.retry, timeout=step.timeout,
                    rslun=step.rslun), None
            if isinstance(step, flows.XrawMany):
                return await self.xraw_commands(step.requests, True), None
            if isinstance(step, flows.Sleep):
                await asyncio.sleep(step.seconds)
                return None, None
            if isinstance(step, flows.Vendor):
                return (await self._find_handler()), None
        except Exception as err:       # thrown into the flow, as raised
            return None, err
        raise TypeError('not an IPMI request: %r' % (step,))

    async def _run(self, flow):
        """Run an IPMI flow with ``await`` (the blocking API's
        :func:`flows.run`, on the loop)."""
        value, error = None, None
        try:
            while True:
                going, step = utilflows.step(flow, value, error)
                if not going:
                    return step
                value, error = await self._perform(step)
        finally:
            flow.close()

    async def _iterate(self, flow):
        """Run a listing flow: an async generator of its items."""
        value, error = None, None
        try:
            while True:
                going, step = utilflows.step(flow, value, error)
                if not going:
                    return
                if isinstance(step, flows.REQUESTS):
                    value, error = await self._perform(step)
                else:
                    value, error = None, None
                    yield step
        finally:
            flow.close()


def _method(name, flow_function):
    if flows.is_listing(flow_function):
        def listing(self, *args, **kwargs):
            return self._iterate(flow_function(self, *args, **kwargs))
        return utilflows.describe(listing, 'Command', name, flow_function)

    async def method(self, *args, **kwargs):
        result = await self._run(flow_function(self, *args, **kwargs))
        if isinstance(result, flows.Items):
            return [item async for item in self._iterate(result.flow)]
        return result
    return utilflows.describe(method, 'Command', name, flow_function)


for _area in AREAS:
    for _name, _function in vars(_area).items():
        if _name in flows.PUBLIC and flows.PUBLIC[_name] is _function:
            setattr(Command, _name, _method(_name, _function))


async def _resolve(bmc, port):
    """``(family, sockaddr)`` of the BMC.  An address needs no resolver
    (so no thread: asyncio resolves names in its executor's threads)."""
    try:
        address = ipaddress.ip_address(bmc.split('%')[0])
    except ValueError:
        address = None
    if address is not None and '%' not in bmc:
        if address.version == 6:
            return socket.AF_INET6, (bmc, port, 0, 0)
        return socket.AF_INET, (bmc, port)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(bmc, port, type=socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as err:
        raise exc.IpmiException('Cannot resolve BMC %s: %s' % (bmc, err),
                                bmc=bmc) from None
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr
