"""The asyncio Redfish ``Command``: ``cmd = await Command.create(bmc,
userid, password, verifycallback, ...)``, then every method of
:class:`pyghmi.redfish.command.Command` as a coroutine with the same
arguments and results, listings (``get_sensor_data``, ``get_inventory``,
``get_firmware``, ``get_event_log``, ``list_media``...) as async
generators, and ``await cmd.logout()`` or ``async with``.

It runs the very flows the blocking ``Command`` runs (the vendor
handler's, :mod:`pyghmi.redfish.oem`) with the asyncio driver
(:mod:`pyghmi.redfish.client.aiodriver`) over an asyncio transport with
the same pooling, pinning, time-out and cache rules; no thread is
started.
"""

from pyghmi import exceptions as exc
from pyghmi.redfish import command as blocking
from pyghmi.redfish.areas import base
from pyghmi.redfish.client import aiodriver
from pyghmi.redfish.client import aiotransport
from pyghmi.redfish.client import connection as rfconnection
from pyghmi.redfish.oem import generic
from pyghmi.util import flows as utilflows

SensorReading = blocking.SensorReading


class Command:
    """A Redfish BMC from an asyncio event loop; build it with
    :meth:`create`."""

    def __init__(self, bmc, transport, driver, oem):
        self.bmc = bmc
        self.transport = transport
        self._driver = driver
        self._oem = oem

    @classmethod
    async def create(cls, bmc, userid, password, verifycallback,
                     sysurl=None, bmcurl=None, chassisurl=None, pool=None,
                     port=443, *, timeout=blocking.TIMEOUT):
        """Log in and discover the system, as the blocking constructor.

        :returns: a ready :class:`Command`
        :raises InvalidParameterValue: a bad ``bmc``, ``port`` or
            ``timeout``
        :raises UnrecognizedCertificate: the callback refused the BMC
        :raises PyghmiException: no Redfish service, or the login failed
        """
        blocking.check_target(bmc, port)
        blocking.check_timeout(timeout)
        transport = aiotransport.AsyncTransport(bmc, port, verifycallback,
                                                timeout=timeout)
        driver = aiodriver.AsyncDriver(transport)
        conn = rfconnection.Connection(bmc, userid, password)
        try:
            oem = await driver.run(blocking.open_handler(conn, sysurl, bmcurl,
                                                         chassisurl))
        except BaseException:
            await transport.close()
            raise
        return cls(bmc, transport, driver, oem)

    def __repr__(self):
        return 'Command(%r)' % (self.bmc,)

    def __getattr__(self, name):
        # the handler's plain attributes (sysurl, powerurl...)
        if name.startswith('__') or name == '_oem':
            raise AttributeError(name)
        return getattr(self._oem, name)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.logout()

    @property
    def oem(self):
        """The vendor handler (the blocking API's)."""
        return self._oem

    async def _run(self, name, flow):
        try:
            return await self._driver.run(flow)
        except blocking.SURPRISES as err:
            raise exc.DecodeError('%s: the BMC answered something '
                                  'unexpected (%s)'
                                  % (name, type(err).__name__)) from err

    async def _iterate(self, name, flow):
        try:
            async for item in self._driver.iterate(flow):
                yield item
        except blocking.SURPRISES as err:
            raise exc.DecodeError('%s: the BMC answered something '
                                  'unexpected (%s)'
                                  % (name, type(err).__name__)) from err

    async def logout(self):
        """End the Redfish session and close the connections.

        :returns: ``{'success': True}``
        """
        try:
            return await self._run('logout', self._oem.logout())
        finally:
            await self.transport.close()


def _coroutine(name, kind):
    """Method ``name``: a coroutine running the handler's flow (an async
    generator for a listing)."""
    flow = getattr(generic.OEMHandler, name)

    def listing(self, *args, **kwargs):
        return self._iterate(name, getattr(self._oem, name)(*args,
                                                            **kwargs))

    async def call(self, *args, **kwargs):
        return await self._run(name, getattr(self._oem, name)(*args,
                                                              **kwargs))
    return utilflows.describe(listing if kind == 'listing' else call,
                              'Command', name, flow)


for _name, _kind in base.PUBLIC.items():
    if _name not in Command.__dict__:
        setattr(Command, _name, _coroutine(_name, _kind))
