"""Session life cycle: IPv6, fork, logout at exit, shared sessions.

The BMC here is our own Bmc framework in this process on a free port,
so the tests can look at its session table.
"""

import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import bmc as bmcmod
from pyghmi.ipmi import command
from pyghmi.ipmi.private.client import session
from pyghmi.tests.functional import peers

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class PowerBmc(bmcmod.Bmc):
    power = 'on'

    def get_power_state(self):
        return self.power

    def power_off(self):
        self.power = 'off'

    def power_on(self):
        self.power = 'on'


@pytest.fixture
def local_bmc():
    bmc = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    bmc.start()
    yield bmc
    bmc.stop()


def active_sessions(bmc):
    return sum(1 for s in bmc.core.sessions.values() if s.active)


@pytest.mark.skipif(not peers.ipv6_available(),
                    reason='no IPv6 loopback here')
def test_ipv6_client_and_bmc():
    bmc = PowerBmc({'admin': 'password'}, port=0, address='::1')
    bmc.start()
    try:
        c = command.Command('::1', 'admin', 'password', port=bmc.port)
        assert c.get_power() == {'powerstate': 'on'}
        c.logout()
    finally:
        bmc.stop()


def test_logout_closes_the_bmc_session(local_bmc):
    c = command.Command('127.0.0.1', 'admin', 'password', port=local_bmc.port)
    assert active_sessions(local_bmc) == 1
    c.logout()
    assert active_sessions(local_bmc) == 0


def test_interpreter_exit_closes_sessions(local_bmc):
    code = textwrap.dedent('''
        import sys
        sys.path.insert(0, %r)
        from pyghmi.ipmi import command
        c = command.Command('127.0.0.1', 'admin', 'password', port=%d)
        print(c.get_power()['powerstate'])
    ''' % (TOP, local_bmc.port))
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == 'on', out.stderr
    deadline = time.monotonic() + 2
    while active_sessions(local_bmc) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert active_sessions(local_bmc) == 0     # no leaked session slot


def test_child_after_fork_gets_its_own_loop(local_bmc):
    c = command.Command('127.0.0.1', 'admin', 'password', port=local_bmc.port)
    try:
        assert c.get_power() == {'powerstate': 'on'}
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                child = command.Command('127.0.0.1', 'admin', 'password',
                                        port=local_bmc.port)
                status = 0 if child.get_power() == {'powerstate': 'on'} \
                    else 2
                child.logout()
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
        assert c.get_power() == {'powerstate': 'on'}   # parent unharmed
    finally:
        c.logout()


def test_callback_queue_works_in_a_forked_child():
    """After fork the child's callback queue is a new one of the same
    kind: wait_for_rsp(callout=False) reads its condition (a SimpleQueue
    made it raise AttributeError in the child)."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            seen = []
            assert session.Session.wait_for_rsp(0, callout=False) == 0
            session.Session.queue_callback(seen.append, 'x')
            assert session.Session.wait_for_rsp(0, callout=False) == 1
            assert session.Session.wait_for_rsp(0) == 1 and seen == ['x']
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


def test_inherited_command_gets_its_own_session_in_the_child(local_bmc):
    c = command.Command('127.0.0.1', 'admin', 'password', port=local_bmc.port)
    try:
        assert c.get_power() == {'powerstate': 'on'}
        parent_sid = c.ipmi_session._shared.core.local_sid
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(read_end)
                start = time.monotonic()
                ok = c.get_power() == {'powerstate': 'on'}
                elapsed = time.monotonic() - start
                child_sid = c.ipmi_session._shared.core.local_sid
                os.write(write_end, b'%d %f %d' % (ok, elapsed, child_sid))
                c.logout()
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        with os.fdopen(read_end) as report:
            ok, elapsed, child_sid = report.read().split()
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
        assert ok == '1' and float(elapsed) < 2.0      # no long block
        assert int(child_sid) != parent_sid            # its own session
        assert c.get_power() == {'powerstate': 'on'}   # parent unharmed
    finally:
        c.logout()


def test_bmc_stop_ends_listen(local_bmc):
    import threading
    other = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    thread = threading.Thread(target=other.listen, daemon=True)
    thread.start()
    c = command.Command('127.0.0.1', 'admin', 'password', port=other.port)
    assert c.set_power('off') == {'pendingpowerstate': 'off'}
    assert other.power == 'off'
    c.logout()
    other.stop()
    thread.join(5)
    assert not thread.is_alive()


class RefusingBmc(PowerBmc):
    def set_boot_device(self, bootdevice):
        return 0xD5         # e.g. a VM that cannot change it now


def test_override_completion_code_reaches_client():
    from pyghmi import exceptions as exc
    bmc = RefusingBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        with pytest.raises(exc.IpmiException) as info:
            c.set_bootdev('network')
        assert info.value.ipmicode == 0xD5
        assert 'present state' in str(info.value)
        assert c.raw_command(0x2E, 0x01)['code'] == 0xC1
        c.logout()
    finally:
        bmc.stop()


def test_non_linear_sensor_reads_factors_from_the_bmc():
    from pyghmi.fakebmc import machine
    from pyghmi.fakebmc import profile as profiles
    profile = dict(profiles.load(), sensors=[
        {'name': 'NL Temp', 'type': 'Temperature', 'unit': '°C',
         'linearization': 0x70, 'value': 61.5,
         'reading_factors': {'m': 5, 'rexp': -1},
         'thresholds': {'upper critical': 60}}])
    bmc = machine.FakeBmc({'admin': 'password'}, profile, port=0)
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        reading = c.get_sensor_reading('NL Temp')
        assert reading.value == pytest.approx(61.5)
        assert reading.states == ['upper critical threshold']
        c.logout()
    finally:
        bmc.stop()


def test_device_sdrs_are_read_when_there_is_no_repository():
    from pyghmi.fakebmc import machine
    from pyghmi.fakebmc import profile as profiles
    from pyghmi.ipmi import sdr as sdrmod
    sdrmod.clear_memory_cache()
    profile = dict(profiles.load(), sdr_source='device')
    bmc = machine.FakeBmc({'admin': 'password'}, profile, port=0)
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        info = c.get_device_id()
        assert info['provides_device_sdrs']
        assert 'sdr-repository' not in info['additional_support']
        names = {r.name for r in c.get_sensor_data()}
        assert c._sdr.cmds is sdrmod._DEVICE_CMDS
        assert {'Fan1', 'DIMM D', 'CPU1 STATUS'} <= names
        c.logout()
    finally:
        bmc.stop()


def test_sensors_of_another_controller_are_read_by_bridging():
    from pyghmi.fakebmc import machine
    from pyghmi.fakebmc import profile as profiles
    from pyghmi.ipmi import sdr as sdrmod
    sdrmod.clear_memory_cache()
    profile = dict(profiles.load(), satellites=[{
        'address': 0x2C, 'sensors': [
            {'name': 'ME Temp', 'type': 'Temperature', 'unit': '°C',
             'value': 52, 'thresholds': {'upper critical': 50}}]}])
    bmc = machine.FakeBmc({'admin': 'password'}, profile, port=0)
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        reading = c.get_sensor_reading('ME Temp')
        rec = [r for r in c._sdr.sensors.values() if r.name == 'ME Temp'][0]
        assert rec.owner == 0x2C
        assert reading.value == 52
        assert reading.states == ['upper critical threshold']
        assert c.get_sensor_reading('Fan1').value == 5400   # local still
        c.logout()
    finally:
        bmc.stop()


def test_request_to_a_vanished_bmc_times_out_within_bound():
    from pyghmi import exceptions as exc
    bmc = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    bmc.start()
    c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port,
                        timeout=0.2, retries=1)
    assert c.get_power() == {'powerstate': 'on'}
    port = bmc.port
    bmc.stop()
    # Hold the port, silent: with tests running in parallel another
    # test's BMC could otherwise be given it and answer the re-login.
    hold = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    deadline = time.monotonic() + 5
    while True:         # the loop thread closes the BMC's socket soon
        try:
            hold.bind(('127.0.0.1', port))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    try:
        start = time.monotonic()
        with pytest.raises(exc.IpmiTimeoutError):
            c.get_power()       # retries, one re-login attempt, then fails
        assert time.monotonic() - start < 5
        c.logout()
    finally:
        hold.close()


def test_threads_on_separate_commands_share_the_socket_reader():
    import concurrent.futures
    bmcs = [PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
            for _ in range(4)]
    for bmc in bmcs:
        bmc.start()
    try:
        cmds = [command.Command('127.0.0.1', 'admin', 'password',
                                port=b.port) for b in bmcs]

        def hammer(cmd):
            return [cmd.get_power()['powerstate'] for _ in range(50)]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            results = list(pool.map(hammer, cmds))
        assert all(r == ['on'] * 50 for r in results)
        for cmd in cmds:
            cmd.logout()
    finally:
        for bmc in bmcs:
            bmc.stop()


def test_exit_close_is_bounded_even_when_bmcs_vanished():
    from pyghmi.ipmi.private.client import shared
    bmcs = [PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
            for _ in range(20)]
    for bmc in bmcs:
        bmc.start()
    cmds = [command.Command('127.0.0.1', 'admin', 'password', port=b.port)
            for b in bmcs]
    assert all(c.get_power() == {'powerstate': 'on'} for c in cmds)
    for bmc in bmcs:
        bmc.stop()
    start = time.monotonic()
    shared._close_all()
    assert time.monotonic() - start < 3
    assert all(c.ipmi_session._shared.core.state.value == 'closed'
               for c in cmds)


class ProxyBmc(bmcmod.Bmc):
    """A BMC whose power state comes from another BMC, asked with a
    synchronous Command from inside the I/O loop's thread."""

    def __init__(self, inner, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inner = inner

    def get_power_state(self):
        return self.inner.get_power()['powerstate']


def test_bmc_handler_can_make_synchronous_requests():
    # The backend is another process: a BMC in this process could not
    # answer while its loop thread runs the proxy's handler.
    with peers.FakeBmcProcess() as backend:
        inner = command.Command(backend.host, 'admin', 'password',
                                port=backend.port)
        proxy = ProxyBmc(inner, {'admin': 'password'}, port=0,
                         address='127.0.0.1')
        proxy.start()
        try:
            c = command.Command('127.0.0.1', 'admin', 'password',
                                port=proxy.port, timeout=0.5, retries=1)
            assert c.get_power() == {'powerstate': 'on'}
            inner.set_power('off')
            assert c.get_power() == {'powerstate': 'off'}
            c.logout()
        finally:
            inner.logout()
            proxy.stop()


class SilentOemBmc(PowerBmc):
    """Never answers OEM netfn 0x30 (a command the firmware drops)."""

    def handle_raw_request(self, request, session):
        if request['netfn'] == 0x30:
            return
        super().handle_raw_request(request, session)


def test_each_command_keeps_its_own_timeout_and_retries():
    bmc = SilentOemBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    bmc.start()
    try:
        patient = command.Command('127.0.0.1', 'admin', 'password',
                                  port=bmc.port, timeout=1.0, retries=3)
        hasty = command.Command('127.0.0.1', 'admin', 'password',
                                port=bmc.port, timeout=0.1, retries=0)
        assert hasty.ipmi_session._shared is patient.ipmi_session._shared
        start = time.monotonic()
        with pytest.raises(exc.IpmiTimeoutError):
            hasty.xraw_command(0x30, 0x01)
        # one 0.1 s try, a re-login, one more 0.1 s try (the login's own
        # settings are 1 s and 3 retries: that would be seconds)
        assert time.monotonic() - start < 1.0
        assert patient.get_power() == {'powerstate': 'on'}
        hasty.logout()
        patient.logout()
    finally:
        bmc.stop()


def _two_bmcs():
    bmcs = [PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
            for _ in range(2)]
    for bmc in bmcs:
        bmc.start()
    return bmcs


def test_loop_reads_again_after_a_synchronous_caller_parks_it():
    """Back-to-back synchronous requests leave the loop's reading paused
    (no epoll change per request); a request answered asynchronously
    afterwards must still be read by the loop, at once, not after a
    retransmission (the first try waits 1 s)."""
    from pyghmi.ipmi.private.client import session
    bmcs = _two_bmcs()
    try:
        sync, other = [command.Command('127.0.0.1', 'admin', 'password',
                                       port=b.port) for b in bmcs]
        endpoint = sync.ipmi_session._shared.endpoint
        assert other.ipmi_session._shared.endpoint is endpoint
        for _ in range(20):
            assert sync.get_power() == {'powerstate': 'on'}
        assert endpoint.parked and not endpoint.expecting
        for _ in range(5):
            answers = []
            start = time.monotonic()
            other.ipmi_session.raw_command(0, 1, callback=answers.append)
            while not answers and time.monotonic() - start < 5:
                session.Session.wait_for_rsp(timeout=0.1)
            assert answers and 'error' not in answers[0], answers
            assert time.monotonic() - start < 0.5
            assert sync.get_power() == {'powerstate': 'on'}
        sync.logout()
        other.logout()
    finally:
        for bmc in bmcs:
            bmc.stop()


def test_asynchronous_answers_arrive_while_another_thread_reads():
    import threading
    from pyghmi.ipmi.private.client import session
    bmcs = _two_bmcs()
    try:
        sync, other = [command.Command('127.0.0.1', 'admin', 'password',
                                       port=b.port) for b in bmcs]
        stop = threading.Event()
        states = []

        def hammer():
            while not stop.is_set():
                states.append(sync.get_power()['powerstate'])
        thread = threading.Thread(target=hammer)
        thread.start()
        try:
            answers = []
            for _ in range(50):
                other.ipmi_session.raw_command(0, 1, callback=answers.append)
            deadline = time.monotonic() + 5
            while len(answers) < 50 and time.monotonic() < deadline:
                session.Session.wait_for_rsp(timeout=0.1)
        finally:
            stop.set()
            thread.join(10)
        assert len(answers) == 50
        assert all('error' not in a for a in answers)
        assert states and set(states) == {'on'}
        sync.logout()
        other.logout()
    finally:
        for bmc in bmcs:
            bmc.stop()


def test_requests_leave_no_reference_cycles(local_bmc):
    # A cycle per request (the request holding its waiter, the waiter
    # the request) is only freed by the garbage collector: about 1 us a
    # request in collections, and more in a process with many live
    # objects.  Both sides run here, so the BMC's path is covered too.
    import gc
    ipmi = command.Command('127.0.0.1', 'admin', 'password',
                           port=local_bmc.port)

    def requests():
        ipmi.get_power()
        ipmi.raw_command(6, 1)
        ipmi.xraw_commands([{'netfn': 6, 'command': 1}] * 3)
        done = []
        ipmi.ipmi_session.raw_command(6, 1, callback=done.append)
        ipmi.ipmi_session.wait_for_rsp(timeout=5)
        assert done
    requests()
    gc.collect()
    # Objects of earlier tests of this process (a session whose close
    # finishes on the loop thread meanwhile) may become garbage during
    # the rounds: only what the rounds made counts.
    before = {id(o) for o in gc.get_objects()}
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(20):
            requests()
        gc.collect()
        left = sorted({type(o).__qualname__ for o in gc.garbage
                       if type(o).__module__.startswith('pyghmi')
                       and id(o) not in before})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
        ipmi.ipmi_session.logout()
    assert left == []
