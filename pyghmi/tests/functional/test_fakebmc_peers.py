"""Real IPMI clients (ipmitool, FreeIPMI) and ours against bin/fakebmc."""

import random
import socket
import subprocess
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.ipmi.private.codec import wire
from pyghmi.tests.functional import peers

SUITES = ('1', '2', '3', '15', '16', '17')


def ipmitool(bmc, *args, user='admin', password='password', suite='17',
             priv=None):
    argv = ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p', str(bmc.port),
            '-U', user, '-P', password, '-C', suite, '-R', '1', '-N', '2']
    if priv:
        argv += ['-L', priv]
    args = list(args)
    if args[:1] == ['-k']:          # options must precede the command
        argv += args[:2]
        args = args[2:]
    proc = subprocess.run(argv + args, capture_output=True, text=True,
                          timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def freeipmi(bmc, tool, *args, suite='17', password='password'):
    argv = [tool, '-D', 'LAN_2_0', '-h', '%s:%d' % (bmc.host, bmc.port),
            '-u', 'admin', '-p', password, '-I', suite,
            '--session-timeout', '5000']
    proc = subprocess.run(argv + list(args), capture_output=True, text=True,
                          timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize('suite', SUITES)
def test_ipmitool_login_each_suite(fakebmc, suite):
    rc, out = ipmitool(fakebmc, 'power', 'status', suite=suite)
    assert rc == 0, out
    assert 'Chassis Power is' in out


@pytest.mark.parametrize('suite', ['3', '17'])
def test_ipmitool_power_commands(fakebmc, suite):
    for action, expect in (('on', 'Up/On'), ('cycle', 'Cycle'),
                           ('reset', 'Reset'), ('off', 'Down/Off')):
        rc, out = ipmitool(fakebmc, 'power', action, suite=suite)
        assert rc == 0 and expect in out, out
    rc, out = ipmitool(fakebmc, 'power', 'status', suite=suite)
    assert 'Chassis Power is off' in out
    ipmitool(fakebmc, 'power', 'on', suite=suite)
    rc, out = ipmitool(fakebmc, 'power', 'soft', suite=suite)
    assert rc == 0 and 'Soft' in out, out
    # the default profile's soft-off takes 1 s: poll for the state
    rc, out = peers.poll(
        lambda: ipmitool(fakebmc, 'power', 'status', suite=suite),
        lambda result: 'Chassis Power is off' in result[1], limit=10)
    assert 'Chassis Power is off' in out
    ipmitool(fakebmc, 'power', 'on', suite=suite)


def test_ipmitool_chassis_status(fakebmc):
    ipmitool(fakebmc, 'power', 'on')
    rc, out = ipmitool(fakebmc, 'chassis', 'status')
    assert rc == 0 and 'System Power         : on' in out, out


@pytest.mark.parametrize('device,selector', [('pxe', 'Force PXE'),
                                             ('disk', 'Force Boot from '
                                                      'default Hard-Drive'),
                                             ('bios', 'Force Boot into BIOS '
                                                      'Setup')])
def test_ipmitool_chassis_bootdev(fakebmc, device, selector):
    rc, out = ipmitool(fakebmc, 'chassis', 'bootdev', device,
                       'options=persistent,efiboot')
    assert rc == 0, out
    rc, out = ipmitool(fakebmc, 'chassis', 'bootparam', 'get', '5')
    assert rc == 0, out
    assert selector in out and 'Boot Flag Valid' in out, out
    assert 'all future boots' in out and 'EFI' in out, out
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        assert c.get_bootdev()['persistent'] is True
        assert c.get_bootdev()['uefimode'] is True
    finally:
        c.logout()


def test_ipmitool_bootparam_valid_bit_clearing(fakebmc):
    rc, out = ipmitool(fakebmc, 'raw', '0x00', '0x08', '0x03', '0x1f')
    assert rc == 0, out
    rc, out = ipmitool(fakebmc, 'raw', '0x00', '0x09', '0x03', '0x00', '0x00')
    assert out.split() == ['01', '03', '1f'], out


def test_ipmitool_identify(fakebmc):
    rc, out = ipmitool(fakebmc, 'chassis', 'identify', '20')
    assert rc == 0 and '20 seconds' in out, out
    rc, out = ipmitool(fakebmc, 'chassis', 'identify', 'force')
    assert rc == 0 and 'indefinite' in out, out


def test_ipmitool_mc_info_and_guid(fakebmc):
    rc, out = ipmitool(fakebmc, 'mc', 'info')
    assert rc == 0, out
    assert 'Manufacturer ID           : 343' in out
    assert 'Product ID                : 1287' in out
    assert 'Firmware Revision         : 2.41' in out
    rc, out = ipmitool(fakebmc, 'mc', 'guid')
    assert rc == 0 and 'System GUID' in out, out
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        assert c.get_system_guid() == '4c4c4544-0047-3510-8031-c8c04f4d5331'
    finally:
        c.logout()


def test_ipmitool_raw_device_id(fakebmc):
    rc, out = ipmitool(fakebmc, 'raw', '0x06', '0x01')
    assert rc == 0, out
    # manufacturer 343 (0x000157) least significant byte first
    assert out.split()[:11] == ['20', '01', '02', '41', '02', 'bf', '57',
                                '01', '00', '07', '05'], out


def test_ipmitool_mc_reset_cold_then_relogin(fakebmc):
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port,
                        timeout=0.3, retries=1)
    try:
        assert c.get_power()['powerstate'] in ('on', 'off')
        rc, out = ipmitool(fakebmc, 'mc', 'reset', 'cold')
        assert rc == 0 and 'Sent cold reset' in out, out
        c.reset_bmc()           # our own session is forgotten too
        assert c.get_power()['powerstate'] in ('on', 'off')
        assert c.ipmi_session._shared.core.logins == 2
    finally:
        c.logout()


def test_ipmitool_wrong_password_fails(fakebmc):
    start = time.monotonic()
    rc, out = ipmitool(fakebmc, 'power', 'status', password='nope')
    assert rc != 0 and 'Chassis Power is' not in out
    assert time.monotonic() - start < 10


def test_ipmitool_user_level_cannot_power_off(fakebmc):
    rc, out = ipmitool(fakebmc, 'power', 'status', user='viewer',
                       password='vpass', priv='USER')
    assert rc == 0 and 'Chassis Power is' in out, out
    rc, out = ipmitool(fakebmc, 'power', 'off', user='viewer',
                       password='vpass', priv='USER')
    assert rc != 0 and 'Insufficient privilege' in out, out
    rc, out = ipmitool(fakebmc, 'power', 'status', user='viewer',
                       password='vpass', priv='ADMINISTRATOR')
    assert rc != 0, out


def test_ipmitool_operator_can_power(fakebmc):
    rc, out = ipmitool(fakebmc, 'power', 'on', user='op', password='oppass',
                       priv='OPERATOR')
    assert rc == 0 and 'Up/On' in out, out


@pytest.mark.parametrize('suite', SUITES)
def test_freeipmi_ipmipower_each_suite(fakebmc, suite):
    rc, out = freeipmi(fakebmc, 'ipmipower', '--stat', suite=suite)
    assert rc == 0 and out.strip().endswith(('on', 'off')), out


def test_freeipmi_ipmipower_on_off(fakebmc):
    rc, out = freeipmi(fakebmc, 'ipmipower', '--off')
    assert rc == 0 and 'ok' in out, out
    rc, out = freeipmi(fakebmc, 'ipmipower', '--stat')
    assert out.strip().endswith('off'), out
    rc, out = freeipmi(fakebmc, 'ipmipower', '--on')
    assert rc == 0 and 'ok' in out, out
    rc, out = freeipmi(fakebmc, 'ipmipower', '--stat')
    assert out.strip().endswith('on'), out


def test_freeipmi_wrong_password(fakebmc):
    rc, out = freeipmi(fakebmc, 'ipmipower', '--stat', password='nope')
    assert 'password invalid' in out, out


def test_freeipmi_bmc_info(fakebmc):
    rc, out = freeipmi(fakebmc, 'bmc-info')
    assert rc == 0, out
    assert 'Firmware Revision     : 2.41' in out
    assert 'Manufacturer ID       : ' in out and '(343)' in out
    assert 'Medium Type          : 802.3 LAN' in out, out


def test_freeipmi_chassis_status(fakebmc):
    rc, out = freeipmi(fakebmc, 'ipmi-chassis', '--get-chassis-status')
    assert rc == 0 and 'System Power' in out, out


def test_freeipmi_chassis_config_boot_flags(fakebmc):
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        c.set_bootdev('network', persist=True)
    finally:
        c.logout()
    rc, out = freeipmi(fakebmc, 'ipmi-chassis-config', '--checkout',
                       '--section', 'Chassis_Boot_Flags')
    assert rc == 0, out
    lines = {line.split()[0]: line.split()[-1] for line in out.splitlines()
             if line.strip() and not line.strip().startswith('#')
             and len(line.split()) >= 2}
    assert lines.get('Boot_Device') == 'PXE', out
    assert lines.get('Boot_Flags_Persistent') == 'Yes', out


@pytest.mark.parametrize('suite', [3, 17])
def test_pyghmi_client_foundation_commands(fakebmc, suite):
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port,
                        cipher=suite)
    try:
        assert c.ipmi_session._shared.core.suite == suite
        assert c.set_power('on', wait=5) == {'powerstate': 'on'}
        assert c.set_power('off', wait=5) == {'powerstate': 'off'}
        assert c.set_power('boot') == {'pendingpowerstate': 'on'}
        assert c.get_power() == {'powerstate': 'on'}
        assert c.set_power('shutdown', wait=5) == {'powerstate': 'off'}
        c.set_power('on')
        for dev in ('network', 'hd', 'safe', 'optical', 'setup', 'floppy'):
            assert c.set_bootdev(dev, uefiboot=True) == {'bootdev': dev}
            assert c.get_bootdev() == {'bootdev': dev, 'persistent': False,
                                       'uefimode': True}
        c.set_bootdev('default')
        assert c.get_bootdev()['bootdev'] == 'default'
        c.set_identify(on=True)
        assert c.get_chassis_status()['identify_state'] == 'on'
        c.set_identify(on=False)
        assert c.get_device_id()['manufacturer_id'] == 343
        assert c.get_device_id()['aux_firmware'] == b'\x01\x00\x00\x00'
        assert c.raw_command(6, 0x99)['code'] == 0xC1
        assert c.raw_command(0x30, 0x01)['code'] == 0xC1
    finally:
        c.logout()


def test_pyghmi_client_default_picks_17(fakebmc):
    from pyghmi.ipmi.private.client import shared
    shared._suite_memory.clear()
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        assert c.ipmi_session._shared.core.suite == 17
    finally:
        c.logout()


def test_pyghmi_client_autopriv_steps_down(fakebmc):
    c = command.Command(fakebmc.host, 'op', 'oppass', port=fakebmc.port)
    try:
        assert c.ipmi_session._shared.core.privlevel == 3
    finally:
        c.logout()
    with pytest.raises(exc.IpmiAuthenticationError):
        command.Command(fakebmc.host, 'op', 'oppass', port=fakebmc.port,
                        privlevel=4)


def test_pyghmiutil_json_against_fakebmc(fakebmc):
    out = peers.pyghmiutil(fakebmc, '--json',
                           '%s,%s' % (fakebmc.host, fakebmc.host), 'admin',
                           'guid')
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2
    assert '4c4c4544-0047-3510-8031-c8c04f4d5331' in lines[0]
    bad = peers.pyghmiutil(fakebmc, fakebmc.host, 'admin', 'power',
                           password='wrong')
    assert bad.returncode == 1
    assert 'Traceback' not in bad.stderr and 'password' in bad.stderr


def _mutations(rng, seeds):
    for _ in range(3000):
        kind = rng.random()
        if kind < 0.3:
            yield bytes(rng.getrandbits(8) for _ in range(rng.randrange(64)))
        else:
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 4)):
                if data and rng.random() < 0.7:
                    data[rng.randrange(len(data))] = rng.getrandbits(8)
                elif data:
                    del data[rng.randrange(len(data)):]
            if rng.random() < 0.1:
                data += bytes(rng.getrandbits(8) for _ in range(1200))
            yield bytes(data)


def test_fuzz_fakebmc_then_ipmitool_still_works():
    rng = random.Random(623)
    seeds = [
        wire.encode_asf_ping(1),
        wire.encode_v15(wire.encode_request(6, 0x38, b'\x8e\x04', seq=1)),
        wire.encode_v15(wire.encode_request(6, 0x54, b'\x0e\x00\x80', seq=2)),
        wire.encode_v2(0x10, 0, 0, bytes(8) + bytes.fromhex(
            '0000000803000000' '0100000804000000' '0200000801000000')),
        wire.encode_v2(0x12, 0, 0, bytes(28) + b'admin'),
        wire.encode_v2(0x14, 0, 0, bytes(40)),
        wire.encode_v2(0, 0x12345678, 3, bytes(48),
                       signer=lambda body: bytes(16), encrypted=True),
    ]
    with peers.FakeBmcProcess() as bmc:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        deadline = time.monotonic() + 30
        sent = 0
        for packet in _mutations(rng, seeds):
            if time.monotonic() > deadline:
                break
            sock.sendto(packet, (bmc.host, bmc.port))
            sent += 1
        sock.close()
        assert sent >= 1000
        rc, out = ipmitool(bmc, 'power', 'status')
        assert rc == 0 and 'Chassis Power is' in out, out
        assert bmc.proc.poll() is None
        assert bmc.stop() == 0      # SIGTERM exits cleanly


def test_fakebmc_count_serves_distinct_ports_async_clients():
    with peers.FakeBmcProcess(['--count', '40']) as bmc:
        assert len(set(bmc.ports)) == 40
        results = {}

        def on_logon(rsp, cmd):
            assert 'error' not in rsp, rsp
            cmd.ipmi_session.raw_command(
                6, 1, callback=lambda r: results.__setitem__(cmd.port, r))
        cmds = []
        for port in bmc.ports:
            cmd = command.Command(bmc.host, 'admin', 'password', port=port,
                                  onlogon=on_logon)
            cmd.port = port
            cmds.append(cmd)
        deadline = time.monotonic() + 30
        while len(results) < 40 and time.monotonic() < deadline:
            command.Command.wait_for_rsp(timeout=0.2)
        try:
            assert len(results) == 40
            assert all(r['code'] == 0 and r['data'][0] == 0x20
                       for r in results.values())
        finally:
            for cmd in cmds:
                cmd.logout()


def test_fakebmc_state_file_survives_restart(tmp_path):
    state = str(tmp_path / 'state.json')
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--state', state], port=port) as first:
        c = command.Command(first.host, 'admin', 'password', port=port)
        c.set_power('off')
        c.set_bootdev('hd', persist=True)
        c.logout()
    with peers.FakeBmcProcess(['--state', state], port=port) as second:
        c = command.Command(second.host, 'admin', 'password', port=port)
        try:
            assert c.get_power() == {'powerstate': 'off'}
            assert c.get_bootdev() == {'bootdev': 'hd', 'persistent': True,
                                       'uefimode': False}
        finally:
            c.logout()


def test_rmcp_ping_answered_by_fakebmc(fakebmc):
    out = subprocess.run(['rmcp_ping', '-p', str(fakebmc.port), '-t', '3',
                          fakebmc.host], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0 and 'IPMI' in out.stdout, out


def test_ipmitool_and_pyghmi_with_kg():
    with peers.FakeBmcProcess(['--kg', 'bmckey123']) as bmc:
        rc, out = ipmitool(bmc, 'power', 'status')
        assert rc != 0, out                 # no Kg: refused
        argv_ok = ipmitool(bmc, '-k', 'bmckey123', 'power', 'status')
        assert argv_ok[0] == 0 and 'Chassis Power is' in argv_ok[1]
        c = command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                            kg='bmckey123')
        try:
            assert c.get_power()['powerstate'] in ('on', 'off')
        finally:
            c.logout()
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                            kg='wrongkey')
