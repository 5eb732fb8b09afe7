"""Our client against OpenIPMI's ipmi_sim (a real RMCP+ implementation)."""

import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.ipmi.private.client import shared
from pyghmi.ipmi.private.codec import wire


def connect(sim, user='admin', password='password', **kwargs):
    return command.Command(sim.host, user, password, port=sim.port, **kwargs)


@pytest.fixture
def cmd(ipmisim):
    c = connect(ipmisim)
    yield c
    c.logout()


def core_of(cmd):
    return cmd.ipmi_session._shared.core


def test_ipmisim_login_discovers_suite_3(ipmisim):
    shared._suite_memory.clear()
    c = connect(ipmisim)
    try:
        core = core_of(c)
        assert core.suite == 3          # ipmi_sim offers 3, not 17
        assert core.privlevel == 4
        # auth caps + cipher list pages + open + RAKP1 + RAKP3 + set priv
        assert core.packets_sent >= 6
    finally:
        c.logout()


def test_ipmisim_known_suite_login_costs_four_round_trips(ipmisim):
    shared._suite_memory.put((ipmisim.host, ipmisim.port), 3)
    c = connect(ipmisim)
    try:
        # four exchanges (a loaded machine may make ipmi_sim slower than
        # the retransmission time-out: those tries are not exchanges)
        core = core_of(c)
        assert core.packets_sent - core.retransmits == 4
        assert core._restarts == 0
    finally:
        c.logout()


def test_ipmisim_falls_back_from_17_to_3(ipmisim):
    # A remembered 17 makes the client try it first; ipmi_sim refuses it.
    shared._suite_memory.put((ipmisim.host, ipmisim.port), 17)
    c = connect(ipmisim)
    try:
        assert core_of(c).suite == 3
        assert c.get_power()['powerstate'] in ('on', 'off')
    finally:
        c.logout()


def test_ipmisim_explicit_suite_17_is_not_silently_replaced(ipmisim):
    with pytest.raises(exc.IpmiException):
        connect(ipmisim, cipher=17, timeout=0.3, retries=1)


def test_ipmisim_explicit_suite_3(ipmisim):
    c = connect(ipmisim, cipher=3)
    try:
        assert core_of(c).suite == 3
    finally:
        c.logout()


def test_ipmisim_power_cycle_of_states(ipmisim, cmd):
    assert cmd.set_power('off', wait=10) == {'powerstate': 'off'}
    assert ipmisim.chassis_file('power') == '0'
    assert cmd.set_power('on', wait=10) == {'powerstate': 'on'}
    assert cmd.get_power() == {'powerstate': 'on'}
    assert ipmisim.chassis_file('power') == '1'
    assert cmd.set_power('off', wait=10) == {'powerstate': 'off'}
    assert cmd.get_power() == {'powerstate': 'off'}
    assert cmd.set_power('off') == {'powerstate': 'off'}
    assert cmd.set_power('boot') == {'pendingpowerstate': 'on'}
    assert cmd.get_power() == {'powerstate': 'on'}
    assert cmd.set_power('reset') == {'pendingpowerstate': 'reset'}
    assert ipmisim.chassis_file('reset') == '1'


def test_ipmisim_power_rejects_unknown_state(cmd):
    with pytest.raises(exc.InvalidParameterValue):
        cmd.set_power('sideways')


def test_ipmisim_bootdev_network(ipmisim, cmd):
    assert cmd.set_bootdev('network') == {'bootdev': 'network'}
    assert ipmisim.chassis_file('boot') == 'pxe'
    # ipmi_sim keeps the selector but never sets the valid bit, so by the
    # specification no override is in force.
    assert cmd.get_bootdev() == {'bootdev': 'default', 'persistent': True}
    rsp = cmd.xraw_command(0, 9, data=(5, 0, 0))
    assert (rsp['data'][3] >> 2) & 0xF == 1


def test_ipmisim_bootdev_setup_and_default(ipmisim, cmd):
    cmd.set_bootdev('setup')
    assert ipmisim.chassis_file('boot') == 'bios'
    cmd.set_bootdev('default')
    assert ipmisim.chassis_file('boot') == 'none'


def test_ipmisim_bootdev_unknown(cmd):
    with pytest.raises(exc.InvalidParameterValue):
        cmd.set_bootdev('tape')


def test_ipmisim_identify(ipmisim, cmd):
    cmd.set_identify(on=True)
    assert ipmisim.chassis_file('identify') == '0 1'
    cmd.set_identify(duration=42)
    assert ipmisim.chassis_file('identify') == '42 0'
    cmd.set_identify(on=False)
    assert ipmisim.chassis_file('identify') == '0 0'
    with pytest.raises(exc.IpmiException):
        cmd.set_identify(blink=True)


def test_ipmisim_guid(cmd):
    # lan.conf sets the GUID bytes a1 23 45 67 89 ab cd ef (twice).
    assert cmd.get_system_guid() == '674523a1-ab89-efcd-a123-456789abcdef'


def test_ipmisim_device_id_and_firmware(cmd):
    info = cmd.get_device_id()
    assert info['manufacturer_id'] == 0x1291
    assert info['product_id'] == 0x0F02
    assert info['firmware_version'] == '9.08'
    assert info['ipmi_version'] == '2.0'
    assert list(cmd.get_firmware()) == [('BMC Version', {'version': '9.08'})]


def test_ipmisim_raw_and_xraw(cmd):
    rsp = cmd.raw_command(netfn=6, command=1)
    assert rsp['code'] == 0 and rsp['netfn'] == 7 and rsp['command'] == 1
    assert 'error' not in rsp and len(rsp['data']) >= 11
    bad = cmd.raw_command(netfn=6, command=0x99)
    assert bad['code'] == 0xC1 and bad['error'] == 'Invalid command'
    with pytest.raises(exc.IpmiException) as info:
        cmd.xraw_command(netfn=6, command=0x99)
    assert info.value.ipmicode == 0xC1
    data = cmd.xraw_command(6, 1)['data']
    assert isinstance(data, memoryview)
    # As in pyghmi 1.6.19, a view over a bytearray callers may edit.
    assert isinstance(data.obj, bytearray) and not data.readonly
    data[0] ^= 0xFF


def test_ipmisim_wrong_password(ipmisim):
    start = time.monotonic()
    with pytest.raises(exc.IpmiAuthenticationError) as info:
        connect(ipmisim, password='wrong')
    assert time.monotonic() - start < 2
    assert 'wrong' not in str(info.value)


def test_ipmisim_wrong_user(ipmisim):
    with pytest.raises(exc.IpmiAuthenticationError):
        connect(ipmisim, user='nobody', password='password')


def test_ipmisim_user_privilege_session_cannot_power_off(ipmisim):
    # ipmi_sim does not enforce lan.conf's per-user limit over RMCP+, so
    # ask for user level explicitly and check the BMC holds us to it.
    c = connect(ipmisim, user='viewer', password='viewpass', privlevel=2)
    try:
        assert core_of(c).privlevel == 2
        assert c.get_power()['powerstate'] in ('on', 'off')
        with pytest.raises(exc.IpmiException) as info:
            c.xraw_command(0, 2, data=(0,))
        assert info.value.ipmicode == 0xD4
    finally:
        c.logout()


def test_ipmisim_privilege_by_name(ipmisim):
    c = connect(ipmisim, privlevel='operator')
    try:
        assert core_of(c).privlevel == 3
    finally:
        c.logout()


def test_bad_arguments_are_refused_before_sending():
    for kwargs in ({'privlevel': 9}, {'privlevel': 'king'}, {'cipher': 5},
                   {'cipher': 0}):
        with pytest.raises(exc.InvalidParameterValue):
            command.Command('127.0.0.1', 'admin', 'password', port=9,
                            **kwargs)
    with pytest.raises(exc.InvalidParameterValue):
        command.Command('127.0.0.1', 'a' * 17, 'password', port=9)
    with pytest.raises(exc.InvalidParameterValue):
        command.Command('127.0.0.1', 'admin', 'p' * 21, port=9)


def test_ipmisim_sessions_with_same_credentials_are_shared(ipmisim):
    a = connect(ipmisim)
    b = connect(ipmisim)
    try:
        assert a.ipmi_session._shared is b.ipmi_session._shared
        a.logout()
        assert b.get_power()['powerstate'] in ('on', 'off')
    finally:
        b.logout()
    assert core_of(b).state.value == 'closed'


def test_ipmisim_threads_share_one_command(cmd):
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cmd.get_power(), range(64)))
    assert all(r['powerstate'] in ('on', 'off') for r in results)


def test_ipmisim_onlogon_callback(ipmisim):
    seen = []
    c = command.Command(ipmisim.host, 'admin', 'password', port=ipmisim.port,
                        onlogon=lambda rsp, obj: seen.append((rsp, obj)))
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        command.Command.wait_for_rsp(timeout=0.5)
    try:
        assert seen == [({'success': True}, c)]
        assert c.get_power()['powerstate'] in ('on', 'off')
    finally:
        c.logout()


def test_ipmisim_onlogon_reports_failure(ipmisim):
    seen = []
    command.Command(ipmisim.host, 'admin', 'bad', port=ipmisim.port,
                    onlogon=lambda rsp, obj: seen.append(rsp))
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        command.Command.wait_for_rsp(timeout=0.5)
    assert 'error' in seen[0] and 'password' in seen[0]['error']


def test_ipmisim_restart_mid_session_relogs_in(fresh_ipmisim):
    c = connect(fresh_ipmisim, timeout=0.3, retries=1)
    try:
        assert c.get_power()['powerstate'] in ('on', 'off')
        assert core_of(c).logins == 1
        fresh_ipmisim.restart()
        assert c.get_power()['powerstate'] in ('on', 'off')
        assert core_of(c).active
        assert core_of(c).logins == 2
    finally:
        c.logout()


def test_no_bmc_times_out_within_bound():
    from pyghmi.tests.functional.peers import free_udp_port
    start = time.monotonic()
    with pytest.raises(exc.IpmiTimeoutError):
        command.Command('127.0.0.1', 'admin', 'password',
                        port=free_udp_port(), timeout=0.2, retries=1)
    assert time.monotonic() - start < 5


class _Recorder:
    """Wraps SharedLogin.deliver to keep the datagrams a session got."""

    def __init__(self, shared):
        self.shared = shared
        self.seen = []
        self._orig = shared.deliver
        shared.deliver = self._deliver

    def _deliver(self, dgram, now):
        self.seen.append(dgram)
        self._orig(dgram, now)

    def undo(self):
        self.shared.deliver = self._orig


def _reparse(dgram_bytes):
    return wire.parse_datagram(dgram_bytes)


def test_ipmisim_bad_input_is_dropped_and_session_survives(ipmisim, cmd):
    shared = cmd.ipmi_session._shared
    rec = _Recorder(shared)
    try:
        cmd.get_power()
    finally:
        rec.undo()
    good = rec.seen[-1]
    core = shared.core
    before = sum(core.dropped.values())
    # Replay the genuine reply: rejected by the sequence window.
    shared.deliver(good, time.monotonic())
    assert core.dropped['replayed or stale sequence number'] >= 1
    # Forge: flip a payload byte, the integrity code no longer matches.
    forged = wire.Datagram(good.v2, good.authtype, good.payload_type,
                           good.encrypted, good.authenticated,
                           good.session_id, good.seq + 100,
                           bytes([good.payload[0] ^ 1]) + good.payload[1:],
                           good.signed[:-1] + b'\x00', good.authcode)
    shared.deliver(forged, time.monotonic())
    assert core.dropped['integrity check failed'] >= 1
    # Truncated and garbage payloads in a session packet with no auth.
    for junk in (b'', b'\x01', b'\xff' * 40):
        shared.deliver(wire.Datagram(True, 6, 0, False, False,
                                     core.local_sid, 5, junk),
                       time.monotonic())
    assert sum(core.dropped.values()) >= before + 5
    # Garbage on the wire at our socket from a stranger is ignored too.
    # Loopback queues each datagram before sendto returns, ahead of the
    # reply to the next request, whose reader takes them first.
    import socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    port = shared.endpoint.sock.getsockname()[1]
    stray = sum(shared.endpoint.stray.values())
    for junk in (b'', b'\x06\x00\xff\x07',
                 b'\x06\x00\xff\x07\x06' + b'\0' * 11, bytes(range(256))):
        sock.sendto(junk, ('127.0.0.1', port))
    sock.close()
    assert cmd.get_power()['powerstate'] in ('on', 'off')
    assert sum(shared.endpoint.stray.values()) == stray + 4
    assert core.active
