"""pyghmi's Redfish ``Command``: the same method names and result shapes
as the IPMI one, over HTTPS/Redfish.

``Command`` only drives: each public method runs the flow of the same
name of its vendor handler (:mod:`pyghmi.redfish.oem`, made of the areas
of :mod:`pyghmi.redfish.areas`) with the blocking driver
(:mod:`pyghmi.redfish.client.driver`), whose requests go through one
pool of kept-alive, pinned connections
(:mod:`pyghmi.redfish.client.transport`).  The asyncio ``Command`` drives
the very same flows.
"""

import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.areas import sensors
from pyghmi.redfish.client import connection as rfconnection
from pyghmi.redfish.client import driver as rfdriver
from pyghmi.redfish.client import transport as rftransport
from pyghmi.redfish.oem import generic
from pyghmi.redfish.oem import lookup
from pyghmi.util import flows as utilflows

SensorReading = sensors.SensorReading
# what a surprising answer may raise deep in a flow: turned into a
# DecodeError naming the method, never handed to the caller as is
# seconds a request may take, by default
TIMEOUT = 60.0
SURPRISES = (KeyError, TypeError, IndexError, AttributeError, ValueError)


def check_target(bmc, port):
    """Validate the constructor's ``bmc`` and ``port``.

    :raises InvalidParameterValue: naming the argument
    """
    if not bmc or not isinstance(bmc, str):
        raise exc.InvalidParameterValue('bmc: a host name or address')
    if isinstance(port, bool) or not isinstance(port, int) or \
            not 0 < port < 65536:
        raise exc.InvalidParameterValue('port: 1-65535, not %r' % (port,))


def check_timeout(timeout):
    """Validate the constructor's ``timeout`` (seconds, at most an hour).

    :raises InvalidParameterValue: naming the argument
    """
    if isinstance(timeout, bool) or not isinstance(
            timeout, (int, float)) or not 0 < timeout <= 3600:
        raise exc.InvalidParameterValue('timeout: seconds, 0-3600')


def open_handler(conn, sysurl, bmcurl, chassisurl):
    """Flow: log in, find the system and manager, pick the vendor
    handler.  The connection is logged out again when that fails."""
    try:
        yield from conn.open()
        probe = generic.OEMHandler(conn, sysurl, bmcurl, chassisurl)
        yield from probe.start()
        return (yield from lookup.get_oem_handler(probe))
    except BaseException:
        yield from conn.logout()
        raise


class Command:
    """A Redfish BMC, as pyghmi 1.6.19's ``redfish.command.Command``.

    :param bmc: the BMC's name or address
    :param userid: user name
    :param password: password
    :param verifycallback: ``callable(der_bytes) -> bool`` accepting the
        BMC's certificate (pinning); a false value checks it against the
        system's CAs and the host name
    :param sysurl: the system's URI or id, when the BMC manages several
    :param bmcurl: the manager's URI
    :param chassisurl: the chassis' URI
    :param pool: kept for pyghmi's signature (requests go through one
        connection pool whatever it is)
    :param port: the HTTPS port
    :param timeout: seconds a request may take (keyword only, not in
        pyghmi 1.6.19: its requests waited as long as the socket did)
    :raises InvalidParameterValue: a bad ``bmc``, ``port`` or ``timeout``
    :raises UnrecognizedCertificate: the callback refused the certificate
    :raises PyghmiException: no Redfish service, or the login failed
    """

    def __init__(self, bmc, userid, password, verifycallback, sysurl=None,
                 bmcurl=None, chassisurl=None, pool=None, port=443, *,
                 timeout=TIMEOUT):
        check_target(bmc, port)
        check_timeout(timeout)
        self.bmc = bmc
        self.transport = rftransport.Transport(bmc, port, verifycallback,
                                               timeout=timeout)
        self._driver = rfdriver.Driver(self.transport,
                                       self.transport.maxsize)
        conn = rfconnection.Connection(bmc, userid, password)
        try:
            self._oem = self._driver.run(open_handler(conn, sysurl, bmcurl,
                                                      chassisurl))
        except BaseException:
            self.transport.close()
            raise

    def __repr__(self):
        return 'Command(%r)' % (self.bmc,)

    def __getattr__(self, name) -> typing.Any:
        # the handler's plain attributes (sysurl, powerurl...)
        if name.startswith('__') or name == '_oem':
            raise AttributeError(name)
        return getattr(self._oem, name)

    @property
    def oem(self):
        """The vendor handler (:class:`pyghmi.redfish.oem.generic.OEMHandler`
        or a vendor's subclass)."""
        return self._oem

    @property
    def sysinfo(self):
        """The ComputerSystem resource ({} without one; cached 30 s)."""
        return self._run('sysinfo', self._oem.system())

    @property
    def bmcinfo(self):
        """The Manager resource ({} without one; cached 30 s)."""
        return self._run('bmcinfo', self._oem.manager())

    def _do_web_request(self, url, payload=None, method=None, cache=True,
                        etag=None):
        """pyghmi's raw request: the JSON of ``url`` (GET, cached unless
        ``cache`` is false), or of the write ``method`` (POST when a
        ``payload`` is given without one)."""
        conn = self._oem.conn
        if method is None:
            method = 'GET' if payload is None else 'POST'
        if method == 'GET':
            return self._run('GET', conn.get(url, cache=bool(cache)))
        return self._run(method, conn.write(method, url, payload, etag))

    def _run(self, name, flow):
        try:
            return self._driver.run(flow)
        except SURPRISES as err:
            raise exc.DecodeError('%s: the BMC answered something '
                                  'unexpected (%s)'
                                  % (name, type(err).__name__)) from err

    def _iterate(self, name, flow):
        try:
            yield from self._driver.iterate(flow)
        except SURPRISES as err:
            raise exc.DecodeError('%s: the BMC answered something '
                                  'unexpected (%s)'
                                  % (name, type(err).__name__)) from err

    def logout(self):
        """End the Redfish session and close the connections.

        :returns: ``{'success': True}``
        """
        try:
            return self._run('logout', self._oem.logout())
        finally:
            self.transport.close()


def _blocking(name, kind):
    """The blocking method ``name`` of ``Command``: it runs the handler's
    flow of that name (a generator of results for a listing)."""
    flow = getattr(generic.OEMHandler, name)

    def listing(self, *args, **kwargs):
        return self._iterate(name, getattr(self._oem, name)(*args,
                                                            **kwargs))

    def call(self, *args, **kwargs):
        return self._run(name, getattr(self._oem, name)(*args, **kwargs))
    return utilflows.describe(listing if kind == 'listing' else call,
                              'Command', name, flow)


for _name, _kind in base.PUBLIC.items():
    if _name not in Command.__dict__:
        setattr(Command, _name, _blocking(_name, _kind))
