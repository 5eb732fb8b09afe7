"""The asyncio Redfish client (pyghmi.aio.redfish.command) against
fakebmc's Redfish side, beside the blocking one: the same flows give the
same results; cancellation leaves the client usable and leaks nothing;
no thread is started; uvloop drives it as well."""

import asyncio
import os
import signal
import threading

import pytest

from pyghmi import exceptions as exc
from pyghmi.aio.redfish import command as aiocommand
from pyghmi.redfish import command
from pyghmi.redfish.areas import base
from pyghmi.tests.functional import peers
from pyghmi.util import webclient

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')

# read calls compared whole (the event log's times are compared apart)
READS = ('get_power', 'get_bootdev', 'get_identify', 'get_health',
         'get_sensor_descriptions', 'get_sensor_data', 'get_firmware',
         'get_users', 'get_net_configuration', 'get_net6_configuration',
         'get_ntp_enabled', 'get_ntp_servers', 'get_inventory',
         'get_inventory_descriptions', 'get_description',
         'get_location_information', 'list_network_interface_names',
         'get_system_configuration', 'list_media', 'get_update_status',
         'get_inlet_temperature', 'get_system_power_watts',
         'get_average_processor_temperature', 'get_trusted_cas',
         'get_licenses', 'get_bmc_configuration', 'get_ikvm_methods',
         'get_ikvm_launchdata', 'get_hostname')


@pytest.fixture
def bmc():
    with peers.redfish_fakebmc() as proc:
        yield proc


def _plain(value):
    if hasattr(value, '__dict__') and not isinstance(value, type):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _blocking_results(bmc):
    c = command.Command('127.0.0.1', 'admin', 'password',
                        webclient.fingerprint_verifier(bmc.fingerprint),
                        port=bmc.https_port)
    out = {}
    for name in READS:
        try:
            value = getattr(c, name)()
            if hasattr(value, '__next__'):
                value = list(value)
            out[name] = _plain(value)
        except exc.PyghmiException as err:
            out[name] = ('raised', type(err).__name__, str(err))
    c.logout()
    return out


async def _async_results(bmc):
    c = await aiocommand.Command.create(
        '127.0.0.1', 'admin', 'password',
        webclient.fingerprint_verifier(bmc.fingerprint), port=bmc.https_port)
    out = {}
    async with c:
        for name in READS:
            try:
                method = getattr(c, name)
                if base.PUBLIC[name] == 'listing':
                    value = [item async for item in method()]
                else:
                    value = await method()
                out[name] = _plain(value)
            except exc.PyghmiException as err:
                out[name] = ('raised', type(err).__name__, str(err))
        events = [e async for e in c.get_event_log()]
    return out, events


def test_both_drivers_give_the_same_results(bmc):
    threads = threading.active_count()
    mine, events = asyncio.run(_async_results(bmc))
    assert threading.active_count() == threads      # no thread started
    theirs = _blocking_results(bmc)
    for name in READS:
        assert mine[name] == theirs[name], name
    assert len(mine['get_sensor_data']) >= 15
    assert mine['get_inventory'][0][0] == 'System'
    assert events and all(e['log_id'] == 'SEL' for e in events)


def test_every_method_is_the_blocking_ones_flow():
    """One implementation: each public method of either Command runs
    the handler's flow of that name; neither class writes its own."""
    for name in set(base.PUBLIC) - {'logout'}:     # (closes transports)
        blocking_method = getattr(command.Command, name)
        async_method = getattr(aiocommand.Command, name)
        assert blocking_method.__wrapped__ is async_method.__wrapped__, name
    own = {n for n in vars(aiocommand.Command) if not n.startswith('_')}
    assert own - set(base.PUBLIC) == {'create', 'oem'}


def test_writes_and_cancellation(bmc):
    async def scenario():
        c = await aiocommand.Command.create(
            '127.0.0.1', 'admin', 'password', lambda der: True,
            port=bmc.https_port)
        assert await c.set_bootdev('optical') == {'bootdev': 'optical'}
        assert (await c.get_bootdev())['bootdev'] == 'optical'
        before = set(asyncio.all_tasks())

        async def busy():           # fresh reads: always on the wire
            for _ in range(100):
                await c.get_power()
                await c.get_sensor_reading('Fan1')
        # cancelled in the middle of a request, at different points
        for delay in (0.001, 0.01, 0.03):
            task = asyncio.ensure_future(busy())
            await asyncio.sleep(delay)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            listing = c.get_sensor_data()
            first = await listing.__anext__()
            assert first.name
            await listing.aclose()
        # a time-out while the BMC is stalled (stopped, so the answer
        # cannot race the time-out)
        os.kill(bmc.proc.pid, signal.SIGSTOP)
        try:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.get_sensor_reading('Fan1'), 0.2)
        finally:
            os.kill(bmc.proc.pid, signal.SIGCONT)
        # still usable, nothing left behind
        assert (await c.get_power())['powerstate'] in ('on', 'off')
        assert set(asyncio.all_tasks()) == before
        assert c.transport.open_connections <= c.transport.maxsize
        await c.set_bootdev('default')
        await c.logout()
        assert c.transport.open_connections == 0
    asyncio.run(scenario())


def test_refusals(bmc):
    async def scenario():
        with pytest.raises(exc.UnrecognizedCertificate):
            await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', lambda der: False,
                port=bmc.https_port)
        with pytest.raises(exc.PyghmiException):
            c = await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'wrong', lambda der: True,
                port=bmc.https_port)
            await c.get_power()
        with pytest.raises(exc.InvalidParameterValue):
            await aiocommand.Command.create('127.0.0.1', 'admin', 'x',
                                            None, port=0)
        with pytest.raises(exc.PyghmiException):
            await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', lambda der: True,
                port=peers.free_tcp_port(), timeout=5)
    asyncio.run(scenario())


def test_uvloop_drives_it(bmc):
    uvloop = pytest.importorskip('uvloop')

    async def scenario():
        async with await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', lambda der: True,
                port=bmc.https_port) as c:
            assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
            readings = [r async for r in c.get_sensor_data()]
            assert len(readings) >= 15
            return (await c.get_power())['powerstate']
    assert uvloop.run(scenario()) in ('on', 'off')
