"""Pipelined requests against real peers: OpenIPMI's ipmi_sim takes a
burst of Add SEL Entry (ipmitool reads back what we wrote), the SEL read
ahead gives exactly what the one-at-a-time chain gives, and a sensor
sweep, SEL read and inventory (FRU chunks requested together) through a
lossy, duplicating, reordering, delaying network match the clean,
serial ones."""

import json
import struct
import subprocess

import pytest

from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.tests.functional import peers
from pyghmi.tests.support import netem

# a temperature event record (table 32-1): Add SEL Entry's data
EVENT = struct.pack('<HBIHBBBBBBB', 0, 2, 0, 0x20, 4, 1, 0x30, 1, 0x57,
                    0xFF, 0xFF)


def _sel_count(bmc):
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p', str(bmc.port),
         '-U', 'admin', '-P', 'password', '-C', '3', 'sel', 'list'],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return len([line for line in out.stdout.splitlines() if '|' in line])


def test_burst_of_writes_to_ipmi_sim_read_back_by_ipmitool():
    with peers.IpmiSim() as sim:
        c = command.Command(sim.host, 'admin', 'password', port=sim.port)
        try:
            results = c.xraw_commands(
                [{'netfn': 0x0A, 'command': 0x44, 'data': EVENT}] * 120)
            ids = [struct.unpack('<H', bytes(r['data']))[0]
                   for r in results]
            assert len(set(ids)) == 120          # each written once
            assert c.ipmi_session._shared.core.window.limit > 4
            pipelined = c.get_event_log()
        finally:
            c.logout()
        serial = command.Command(sim.host, 'admin', 'password',
                                 port=sim.port, max_inflight=1)
        try:
            chained = serial.get_event_log()
        finally:
            serial.logout()
        assert len(pipelined) == 120 == _sel_count(sim)
        assert _untimed(pipelined) == _untimed(chained)


def test_a_reordering_network_costs_ipmi_sim_no_request():
    # ipmi_sim, as the specification asks of a BMC, drops a packet that
    # arrives too far behind the highest session sequence number seen
    # (15 behind, tried by hand).  Each batch starts with a burst as
    # large as the window (as the SEL read ahead does), which a jitter
    # of 0 to 0.5 ms shuffles; the window that grows by itself keeps few
    # enough requests in flight that none is dropped, so none is sent
    # twice (each drop would cost a one-second time-out).
    with peers.IpmiSim(chassis_control=False) as sim:
        link = netem.Impairments(delay=0.002, jitter=0.0005)
        with netem.HostileProxy((sim.host, sim.port), link,
                                lifetime=300) as proxy:
            c = command.Command(proxy.host, 'admin', 'password',
                                port=proxy.port)
            try:
                core = c.ipmi_session._shared.core
                before = core.packets_sent - core.retransmits
                results = []
                for _ in range(20):
                    results += c.xraw_commands(
                        [{'netfn': 6, 'command': 1}] * 32)
                # requests sent (a loaded machine may add retries)
                sent = core.packets_sent - core.retransmits - before
                grown = core.window.limit
            finally:
                c.logout()
    assert [r['code'] for r in results] == [0] * 640
    assert grown > 8
    assert sent == 640


def test_sdr_tails_from_ipmi_sim_are_read_together():
    # ipmi_sim returns at most 32 bytes of a record at once, so each
    # full sensor record needs a second read; read ahead, those tails
    # go out together too instead of one round trip per record, and
    # the records are those the one-at-a-time chain reads.
    with peers.IpmiSim(extra_emu=peers.ipmi_sim_sensors(40),
                       chassis_control=False) as sim:
        c = command.Command(sim.host, 'admin', 'password', port=sim.port)
        try:
            chain = sdrmod.SDR(c.xraw_command, identity='chain')
            chain.fetch()
            single = []
            xraw = c.xraw_command

            def counted(*args, **kwargs):
                single.append(args)
                return xraw(*args, **kwargs)
            c.xraw_command = counted
            sdrmod.clear_memory_cache()
            ahead = sdrmod.SDR(c)
        finally:
            c.logout()
    assert len(chain.records) == 40
    assert [r.raw for r in ahead.records] == [r.raw for r in chain.records]
    assert ahead._ahead.enabled
    # Get Device ID, SDR info, a reservation, the first record's chunks
    # as the chunk size steps down: never one read per record
    assert len(single) < 12


def _hundred_sensors(tmp_path):
    profile = profiles.load()
    profile['sensors'] = [
        {'name': 'Temp %d' % n, 'type': 'Temperature', 'unit': '°C',
         'value': 20 + n % 50, 'thresholds': {'upper critical': 90}}
        for n in range(100)]
    profile['extra_sdrs'] = []
    path = tmp_path / 'profile.json'
    path.write_text(json.dumps(profile))
    return str(path)


def _untimed(events):
    """Events without the corrected time: it is the manager's clock
    minus the BMC's SEL clock age, so two reads a second apart may
    differ by a second."""
    return [{k: v for k, v in e.items() if k != 'timestamp'}
            for e in events]


def _summary(readings):
    return [(r.name, r.value, r.states, r.health) for r in readings]


@pytest.mark.parametrize('seed', [1, 2])
def test_sweep_and_sel_through_a_hostile_network(tmp_path, seed):
    path = _hundred_sensors(tmp_path)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        clean = command.Command(bmc.host, 'admin', 'password',
                                port=bmc.port, max_inflight=1)
        clean.xraw_commands(
            [{'netfn': 0x0A, 'command': 0x44, 'data': EVENT}] * 80)
        want_sensors = _summary(clean.get_sensor_data())
        want_events = clean.get_event_log()
        want_inventory = dict(clean.get_inventory())
        chain = sdrmod.SDR(clean.xraw_command, identity='chain')
        chain.fetch()
        clean.logout()
        assert len(want_inventory) >= 4
        assert len(want_sensors) == 100 and len(want_events) >= 80
        hostile = netem.Impairments(loss=0.1, duplicate=0.05, reorder=0.1,
                                    delay=0.001, jitter=0.002)
        with netem.HostileProxy((bmc.host, bmc.port),
                                seed=seed) as proxy:
            c = command.Command(proxy.host, 'admin', 'password',
                                port=proxy.port, timeout=0.3)
            # the SDR (read record by record, not pipelined) is read
            # before the network turns hostile: only the readings and
            # the SEL cross it
            c.init_sdr()
            proxy.set_impairments(hostile)
            try:
                assert _summary(c.get_sensor_data()) == want_sensors
                assert _untimed(c.get_event_log()) == _untimed(want_events)
                assert dict(c.get_inventory()) == want_inventory
                # the SDR itself, read ahead through the hostile network,
                # record for record what the chain gives
                sdrmod.clear_memory_cache()
                ahead = sdrmod.SDR(c)
                assert ahead._ahead.enabled    # never fell back
                assert [r.raw for r in ahead.records] == \
                    [r.raw for r in chain.records]
            finally:
                c.logout()
