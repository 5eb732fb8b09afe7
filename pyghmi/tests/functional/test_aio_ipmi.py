"""The asyncio IPMI client (pyghmi.aio.ipmi.command) beside the blocking
one: the same flows give the same results on fakebmc and ipmi_sim;
logins and calls survive the lossy proxy; a BMC keying sessions by the
console's port (pyghmi 1.6.19's) gets consecutive sessions; cancelled
calls leave the session usable; no thread is started."""

import asyncio
import os
import subprocess
import tempfile
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.aio.ipmi import command as aiocommand
from pyghmi.aio.ipmi import engine
from pyghmi.ipmi import command
from pyghmi.ipmi import fru
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade import flows
from pyghmi.tests.functional import both
from pyghmi.tests.functional import peers
from pyghmi.tests.support import netem

ORIG_FAKEBMC = os.path.join(peers.TOP, '.venv-pyghmi-1.6.19', 'bin',
                            'fakebmc')


READS = [('get_power', ()), ('get_bootdev', ()),
         ('get_chassis_status', ())]
# the areas read through the SDR, the SEL and FRU devices, pipelined
AREA_READS = [('get_device_id', ()), ('get_system_guid', ()),
              ('get_firmware', ()), ('get_description', ()),
              ('get_sensor_descriptions', ()), ('get_sensor_data', ()),
              ('get_health', ()), ('get_event_log', ()),
              ('get_inventory_descriptions', ()), ('get_inventory', ()),
              ('get_inventory_of_component', ('System',)),
              ('get_power_statistics', ()), ('get_system_power_watts', ()),
              ('get_server_capping', ()), ('get_capping_enabled', ()),
              ('get_asset_tag', ()), ('get_mci', ()), ('get_hostname', ()),
              ('get_inlet_temperature', ()),
              ('get_average_processor_temperature', ()),
              ('get_ntp_servers', ()), ('get_bmc_configuration', ()),
              ('get_system_configuration', ()), ('get_ikvm_methods', ())]


def test_same_results_on_fakebmc(fakebmc):
    writes = [('set_bootdev', ('network',)), ('get_bootdev', ()),
              ('set_bootdev', ('default',)), ('get_bootdev', ())]
    mine, theirs = both.run_both(fakebmc, READS + writes)
    assert mine == theirs
    assert mine[4] == {'bootdev': 'network', 'persistent': False,
                       'uefimode': False}


def test_users_through_both_drivers(fresh_fakebmc):
    """Users written by the asyncio driver are read back by the blocking
    one and by ipmitool (independent reader)."""
    bmc = fresh_fakebmc
    calls = [('create_user', (5, 'aio-op', 'aio-pass-1')),
             ('set_user_access', (5,)), ('get_user', (5,)),
             ('get_users', ()), ('get_channel_info', ()),
             ('get_channel_access', ()), ('get_name_uids', ('aio-op',))]
    mine, theirs = both.run_both(bmc, calls)
    assert mine == theirs
    assert mine[2]['name'] == 'aio-op' and mine[6] == [5]
    listed = peers.ipmitool_ok(bmc, 'user', 'list', '1')
    assert [line for line in listed.splitlines()
            if line.split()[:2] == ['5', 'aio-op']]
    peers.ipmitool_ok(bmc, 'user', 'test', '5', '16', 'aio-pass-1')

    async def remove():
        async with await aiocommand.Command.create(
                bmc.host, 'admin', 'password', port=bmc.port) as c:
            assert await c.user_delete(5) is True
            return await c.get_users()
    assert 5 not in asyncio.run(remove())


def _printed(text):
    """``ipmitool lan print`` style output as {field: value}."""
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(':')
        out.setdefault(key.strip(), value.strip())
    return out


def test_lan_and_alerts_through_both_drivers(fresh_fakebmc):
    """LAN and alert writes and reads give the same results through
    both drivers, and ipmitool reads what they wrote."""
    bmc = fresh_fakebmc
    calls = [('set_net_configuration', ('192.0.2.10/24', 'Static',
                                        '192.0.2.1')),
             ('get_net_configuration', ()), ('get_vlan_priority', ()),
             ('get_cipher_suite_privileges', ()),
             ('get_alert_destination_count', ()),
             ('set_alert_destination', ('192.0.2.50', True, 5, 3, 1)),
             ('get_alert_destination', (1,)),
             ('set_alert_community', ('aio-traps',)),
             ('get_alert_community', ())]
    mine, theirs = both.run_both(bmc, calls)
    assert mine == theirs
    assert mine[1]['ipv4_address'] == '192.0.2.10/24'
    assert mine[6] == {'acknowledge_required': True,
                       'acknowledge_timeout': 5, 'retries': 3,
                       'address_format': 'ipv4', 'address': '192.0.2.50'}
    channel = command.Command(bmc.host, 'admin', 'password',
                              port=bmc.port).get_network_channel()
    lan = _printed(peers.ipmitool_ok(bmc, 'lan', 'print', str(channel)))
    assert lan['IP Address'] == '192.0.2.10'
    assert lan['Default Gateway IP'] == '192.0.2.1'
    assert lan['SNMP Community String'] == 'aio-traps'
    alerts = peers.ipmitool_ok(bmc, 'lan', 'alert', 'print', str(channel),
                               '1')
    assert '192.0.2.50' in alerts


def test_every_flow_method_through_both_drivers(fresh_fakebmc, tmp_path):
    """Every method of METHODS, called on one fakebmc through both
    drivers: the same results (or the same exception) from each."""
    result = both.every_method_through_both(fresh_fakebmc, tmp_path)
    assert result['get_asset_tag'] == 'every-tag'
    assert result['get_net_configuration']['ipv4_address'] == \
        '192.0.2.20/24'
    assert result['get_users'] and 6 not in result['get_users']
    assert result['get_bootdev']['bootdev'] == 'network'
    assert result['set_user_password'] is True
    assert result['get_name_uids'] == [6]
    assert result['get_sensor_reading']['name'] == 'CPU1 Temp'
    assert result['get_net6_configuration'] == {
        'static_addrs': ['2001:db8::20/64'], 'static_gateway': '2001:db8::1'}


def test_sensors_events_inventory_through_both_drivers(fakebmc):
    mine, theirs = both.run_both(fakebmc, AREA_READS)
    assert mine == theirs
    names = [d['name'] for d in mine[4]]
    assert len(names) >= 5 and len(mine[5]) == len(names)
    assert mine[9][0][0] == 'System' and mine[9][0][1]['UUID']
    assert isinstance(mine[11]['current'], int)      # fakebmc has DCMI
    one = names[0]
    mine, theirs = both.run_both(fakebmc, [('get_sensor_reading', (one,))])
    assert mine[0]['name'] == one and mine[0]['units'] == \
        theirs[0]['units']


def _sim_emu():
    """ipmi_sim commands: two sensors (SDRs from our encoder) and a FRU
    0 image, so that the SDR, sensor and FRU flows have data."""
    temp = sdrrecords.encode_full(
        1, 2, 'Board Temp', 0x01,
        factors=sdrrecords.Factors(m=2, b=-20, bexp=0, rexp=-1),
        units=(0, 1, 0), thresholds={'upper critical': 0x50})
    psu = sdrrecords.encode_compact(3, 4, 'PSU Status', 0x08, 0x6F)
    image = fru.encode(
        chassis={'type': 0x11, 'fields': ['AIO-CH', 'AIOSERIAL']},
        product={'fields': ['OpenIPMI', 'Simulated', 'SIM-1', '2.0',
                            'P-SN-1', 'TAG-1', '']})
    return '\n'.join([
        peers.ipmi_sim_sdr_line(temp), peers.ipmi_sim_sdr_line(psu),
        'sensor_add 0x20 0 2 0x01 0x01',
        'sensor_set_value 0x20 0 2 0x60 0',
        'sensor_add 0x20 0 4 0x08 0x6f',
        'sensor_set_bit 0x20 0 4 0 1 0',
        'mc_add_fru_data 0x20 0 %d data %s' % (
            len(image), ' '.join('0x%02x' % b for b in image))])


def test_same_results_on_ipmi_sim():
    with peers.IpmiSim(extra_emu=_sim_emu()) as sim:
        mine, theirs = both.run_both(sim, READS + AREA_READS)
    assert mine == theirs
    assert mine[0]['powerstate'] in ('on', 'off')
    # ipmi_sim speaks no DCMI: both drivers say so the same way
    assert mine[3 + 11] == ['raised', 'UnsupportedFunctionality']
    readings = {r['name']: r for r in mine[3 + 5]}
    # 0x60 raw: (2 * 96 - 20) / 10 (36.3), as ipmi_sim holds it
    assert readings['Board Temp']['value'] == pytest.approx(17.2)
    system = dict(mine[3 + 9])['System']
    assert system['Product name'] == 'Simulated'


def test_every_method_is_one_flow():
    """Both Commands run each flow of flows.PUBLIC, neither its own
    copy: a method written twice would fail here."""
    assert set(aiocommand.METHODS) >= {'get_power', 'set_power',
                                       'get_bootdev', 'set_bootdev',
                                       'get_chassis_status', 'reset_bmc',
                                       'get_users', 'create_user',
                                       'user_delete', 'get_channel_info'}
    for name in aiocommand.METHODS:
        flow = flows.PUBLIC[name]
        assert getattr(aiocommand.Command, name).__wrapped__ is flow
        assert getattr(command.Command, name).__wrapped__ is flow


def test_power_cycle_waits_and_raw(fakebmc):
    async def scenario():
        async with await aiocommand.Command.create(
                fakebmc.host, 'admin', 'password', port=fakebmc.port) as c:
            assert await c.set_power('off', wait=True) == {
                'powerstate': 'off'}
            assert await c.set_power('on', wait=5) == {'powerstate': 'on'}
            raw = await c.raw_command(6, 1)
            assert raw['code'] == 0 and len(raw['data']) >= 11
            refused = await c.raw_command(6, 0x7f)
            assert refused['code'] and 'error' in refused
            with pytest.raises(exc.IpmiException):
                await c.xraw_command(6, 0x7f)
            with pytest.raises(exc.InvalidParameterValue):
                await c.set_power('sideways')
    asyncio.run(scenario())


def test_cancelled_calls_leave_the_session_usable(fakebmc):
    async def scenario():
        c = await aiocommand.Command.create(
            fakebmc.host, 'admin', 'password', port=fakebmc.port)
        before = set(asyncio.all_tasks())
        for delay in (0, 0.0005, 0.002):
            tasks = [asyncio.ensure_future(c.get_power())
                     for _ in range(20)]
            await asyncio.sleep(delay)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        results = await asyncio.gather(*(c.get_power() for _ in range(50)))
        assert {r['powerstate'] for r in results} <= {'on', 'off'}
        assert set(asyncio.all_tasks()) == before
        core = c.ipmi_session.core
        assert not core.busy          # nothing stuck in the core
        await c.logout()
        await engine.close_endpoints()
    asyncio.run(scenario())


@pytest.mark.parametrize('loss', (0.1, 0.2, 0.3))
def test_logins_and_calls_through_loss(fakebmc, loss):
    with netem.HostileProxy((fakebmc.host, fakebmc.port),
                            netem.Impairments(loss=loss,
                                              duplicate=0.05,
                                              reorder=0.05),
                            seed=int(loss * 100)) as proxy:
        async def scenario():
            for _ in range(5):
                async with await aiocommand.Command.create(
                        '127.0.0.1', 'admin', 'password', port=proxy.port,
                        timeout=0.3) as c:
                    assert (await c.get_power())['powerstate'] in (
                        'on', 'off')
            async with await aiocommand.Command.create(
                    '127.0.0.1', 'admin', 'password', port=proxy.port,
                    timeout=0.3) as c:
                results = await asyncio.gather(
                    *(c.get_power() for _ in range(60)))
            assert len(results) == 60
        asyncio.run(scenario())
        assert proxy.counts['dropped up'] + proxy.counts['dropped down'] > 0


def test_a_dead_bmc_ends_the_call_within_the_bound():
    port = peers.free_udp_port()

    async def scenario():
        start = time.monotonic()
        with pytest.raises(exc.IpmiTimeoutError):
            await aiocommand.Command.create('127.0.0.1', 'admin',
                                            'password', port=port,
                                            timeout=0.2)
        return time.monotonic() - start
    # 20 x timeout of first contact (see client/request.py), plus slack
    assert asyncio.run(scenario()) < 0.2 * 20 + 3


def test_consecutive_sessions_to_a_bmc_keyed_by_port():
    """pyghmi 1.6.19's Bmc ignores a second Open Session from the same
    port: the loop's endpoint gives later sessions a socket of their
    own."""
    if not os.path.exists(ORIG_FAKEBMC):
        pytest.fail('pyghmi 1.6.19 is not installed (make test-deps)')
    port = peers.free_udp_port()
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen([ORIG_FAKEBMC, '--port', str(port)],
                                cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            assert peers.wait_for_ipmi('127.0.0.1', port)

            async def scenario():
                for _ in range(4):
                    async with await aiocommand.Command.create(
                            '127.0.0.1', 'admin', 'password', port=port,
                            timeout=0.5) as c:
                        assert (await c.get_power())['powerstate'] in (
                            'on', 'off')
            start = time.monotonic()
            asyncio.run(scenario())
            assert time.monotonic() - start < 8
        finally:
            proc.terminate()
            proc.wait(10)


def test_uvloop_drives_it(fakebmc):
    uvloop = pytest.importorskip('uvloop')

    async def scenario():
        async with await aiocommand.Command.create(
                fakebmc.host, 'admin', 'password', port=fakebmc.port) as c:
            assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
            return await c.get_power()
    assert uvloop.run(scenario())['powerstate'] in ('on', 'off')
