"""Serial over LAN against real peers: our Console with ipmi_sim (its SOL
connected to a TCP socket of the test), ipmitool's console with our
Bmc (fakebmc's serial port echoes), take-over and deactivation across
both, and pyghmicons with pipes."""

import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

import pytest

from pyghmi.fakebmc import profile as fakeprofile
from pyghmi.ipmi import bmc as bmc_module
from pyghmi.ipmi import console
from pyghmi.tests.functional import peers
from pyghmi.tests.support import netem

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class _Collector:
    """A console iohandler that keeps what it is given."""

    def __init__(self):
        self.items = []

    def __call__(self, item):
        self.items.append(item)

    @property
    def data(self):
        return b''.join(i for i in self.items if isinstance(i, bytes))

    @property
    def errors(self):
        return [i['error'] for i in self.items
                if isinstance(i, dict) and 'error' in i]


def _run_until(cons, done, limit=20.0):
    """Run callbacks until ``done()`` or ``limit`` seconds."""
    end = time.monotonic() + limit
    while not done() and time.monotonic() < end:
        console.Console.wait_for_rsp(0.1)
    return done()


def _open(bmc, out, **options):
    """A Console of ``bmc`` to ``out``, once it is up or has failed."""
    cons = console.Console(bmc.host, 'admin', 'password', out,
                           port=bmc.port, **options)
    _run_until(cons, lambda: cons.connected or cons.broken)
    return cons


def _ipmitool_sol(bmc, *args, stdin=b''):
    return subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p', str(bmc.port),
         '-U', 'admin', '-P', 'password', 'sol'] + list(args),
        input=stdin, capture_output=True, timeout=60)


def test_console_with_ipmi_sim_both_ways():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    listener.settimeout(30)
    port = listener.getsockname()[1]
    sim = peers.IpmiSim(extra_conf='  sol "tcp:127.0.0.1:%d" 115200\n'
                        % port).start()
    out = _Collector()
    cons = None
    try:
        serial, _ = listener.accept()       # ipmi_sim's serial device
        serial.settimeout(30)
        cons = console.Console(sim.host, 'admin', 'password', out,
                               port=sim.port)
        assert _run_until(cons, lambda: cons.connected or cons.broken)
        assert cons.connected, out.errors
        typed = b''.join(b'line %03d of typing\r' % n for n in range(40))
        cons.send_data(typed)
        received = b''
        while len(received) < len(typed):
            chunk = serial.recv(4096)
            assert chunk
            received += chunk
        assert received == typed
        system = b''.join(b'boot message %04d\r\n' % n for n in range(300))
        serial.sendall(system)
        assert _run_until(cons, lambda: len(out.data) >= len(system))
        assert out.data == system and not out.errors
    finally:
        if cons is not None:
            cons.close()
        sim.stop()
        listener.close()


def test_ipmitool_console_with_our_bmc(fakebmc):
    proc = _ipmitool_sol(fakebmc, 'activate', stdin=b'')
    # with input closed at once ipmitool leaves; activation must work
    assert b'SOL Session operational' in proc.stdout + proc.stderr, \
        proc.stdout + proc.stderr
    script = subprocess.Popen(
        ['ipmitool', '-I', 'lanplus', '-H', fakebmc.host, '-p',
         str(fakebmc.port), '-U', 'admin', '-P', 'password', 'sol',
         'activate'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        script.stdin.write(b'echo-me-please\r')
        script.stdin.flush()
        seen = b''
        end = time.monotonic() + 20
        while b'echo-me-please' not in seen and time.monotonic() < end:
            seen += os.read(script.stdout.fileno(), 4096)
        assert b'echo-me-please\r\n' in seen
        script.stdin.write(b'~.')
        script.stdin.close()
        assert script.wait(timeout=20) == 0
    finally:
        if script.poll() is None:
            script.kill()
            script.wait()


def test_taking_over_and_deactivation_notice(fakebmc):
    bmc = fakebmc
    first = _Collector()
    cons = _open(bmc, first)
    assert cons.connected
    # ipmitool is refused while we hold SOL...
    proc = _ipmitool_sol(bmc, 'activate', 'usesolkeepalive')
    assert b'already active' in (proc.stdout + proc.stderr).lower()
    # ...and a second console of ours too, unless it forces
    second = _Collector()
    other = console.Console(bmc.host, 'viewer', 'vpass', second,
                            port=bmc.port)
    assert _run_until(other, lambda: other.broken)
    assert 'already active' in second.errors[0]
    other.close()
    # ipmitool deactivates it: our console is told and ends
    proc = _ipmitool_sol(bmc, 'deactivate')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _run_until(cons, lambda: cons.broken)
    assert 'deactivated' in first.errors[0]
    cons.close()
    # with force, a console takes SOL from a holder
    holder = console.Console(bmc.host, 'admin', 'password', _Collector(),
                             port=bmc.port)
    assert _run_until(holder, lambda: holder.connected)
    taker_out = _Collector()
    taker = console.Console(bmc.host, 'viewer', 'vpass', taker_out,
                            port=bmc.port, force=True)
    try:
        assert _run_until(taker, lambda: taker.connected or taker.broken)
        assert taker.connected, taker_out.errors
        assert _run_until(holder, lambda: holder.broken)
        taker.send_data(b'mine now\r')
        assert _run_until(taker, lambda: b'mine now\r\n' in taker_out.data)
    finally:
        taker.close()
        holder.close()


def _pyghmicons(bmc, stdin, password='password'):
    env = dict(os.environ, IPMIPASSWORD=password, PYTHONPATH=TOP)
    return subprocess.run(
        [sys.executable, os.path.join(TOP, 'bin', 'pyghmicons'), '--port',
         str(bmc.port), bmc.host, 'admin'], input=stdin,
        capture_output=True, timeout=60, env=env)


def test_pyghmicons_with_pipes(fakebmc):
    proc = _pyghmicons(fakebmc, b'first\rsecond\r')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b'first\r\nsecond\r\n'


def test_pyghmicons_escape_leaves_and_bad_password_fails(fakebmc):
    # ~. leaves at once: what follows it is never sent (so never echoed)
    proc = _pyghmicons(fakebmc, b'typed\r~.ignored\r')
    assert proc.returncode == 0, proc.stderr
    assert b'ignored' not in proc.stdout
    proc = _pyghmicons(fakebmc, b'', password='wrong')
    assert proc.returncode == 1
    assert b'pyghmicons:' in proc.stderr and b'password' in proc.stderr


@pytest.mark.parametrize('bad', [0, 16, 'one'])
def test_bad_instance_is_refused(bad):
    with pytest.raises(Exception) as err:
        console.Console('127.0.0.1', 'a', 'b', print, instance=bad)
    assert 'instance' in str(err.value)


def _free_port_below_32768():
    # ipmiconsole keeps "host:port" ports in a signed 16-bit integer
    for port in random.sample(range(20000, 32768), 200):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError('no free UDP port below 32768')


def test_freeipmi_ipmiconsole_with_our_bmc():
    with peers.FakeBmcProcess(port=_free_port_below_32768()) as bmc:
        seen, status = peers.pty_run(
            ['ipmiconsole', '-h', '%s:%d' % (bmc.host, bmc.port),
             '-u', 'admin', '-p', 'password', '-I', '17'],
            [(b'[SOL established]', b'from-freeipmi\r'),
             (b'from-freeipmi\r\n', b'&.')])
    assert status == 0, seen          # left through its &. escape


def test_ipmitool_sol_info_and_disable(fresh_fakebmc):
    bmc = fresh_fakebmc
    info = _ipmitool_sol(bmc, 'info', '1').stdout.decode()
    fields = dict(line.split(':', 1) for line in info.splitlines()
                  if ':' in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert fields['Enabled'] == 'true'
    assert fields['Payload Port'] == str(bmc.port)
    assert fields['Volatile Bit Rate (kbps)'] == '115.2'
    proc = _ipmitool_sol(bmc, 'set', 'enabled', 'false', '1')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = _Collector()
    cons = console.Console(bmc.host, 'admin', 'password', out,
                           port=bmc.port)
    assert _run_until(cons, lambda: cons.broken)
    assert out.errors == ['SOL is disabled on this BMC']
    cons.close()


def _forwarded_profile(tmp_path):
    """A profile whose BMC reports SOL on 623 while it is reached on
    another port (through the proxy), as one behind port forwarding."""
    profile = json.load(open(fakeprofile.DEFAULT_PROFILE))
    profile['sol'] = {'port': 623}
    path = tmp_path / 'profile.json'
    path.write_text(json.dumps(profile))
    return str(path)


def _connected_via(proxy, out):
    cons = console.Console('127.0.0.1', 'admin', 'password', out,
                           port=proxy.port)
    if not _run_until(cons, lambda: cons.connected or cons.broken,
                      limit=60) or not cons.connected:
        cons.close()
        raise AssertionError('no console: %s' % out.errors)
    return cons


def test_console_through_a_hostile_network(tmp_path):
    path = _forwarded_profile(tmp_path)
    impair = netem.Impairments(loss=0.15, duplicate=0.15, reorder=0.2,
                               jitter=0.002)
    with peers.FakeBmcProcess(['--profile', path]) as bmc, \
            netem.HostileProxy((bmc.host, bmc.port), impair,
                               seed=7) as proxy:
        out = _Collector()
        cons = _connected_via(proxy, out)
        try:
            started = time.monotonic()
            text = b''.join(b'<%05d>' % n for n in range(300))
            for offset in range(0, len(text), 70):
                cons.send_data(text[offset:offset + 70])
            assert _run_until(cons, lambda: len(out.data) >= len(text),
                              limit=120)
            print('transfer took %.1f s' % (time.monotonic() - started))
            assert out.data == text and not out.errors
            assert sum(n for kind, n in proxy.counts.items()
                       if kind.startswith(('dropped', 'duplicated')))
            assert cons._stream.stats['resent'] > 0
        finally:
            cons.close()


def _shell_bmc(extra=()):
    """A fakebmc whose serial port runs /bin/sh on a pseudo-terminal."""
    return peers.FakeBmcProcess(['--sol-command', '/bin/sh',
                                 '--account', 'viewer:vpass:user']
                                + list(extra))


def test_ipmitool_runs_a_command_in_the_program():
    with _shell_bmc() as bmc:
        seen, status = peers.pty_run(
            ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
             str(bmc.port), '-U', 'admin', '-P', 'password', 'sol',
             'activate'],
            [(b'SOL Session operational', b'echo sum=$((40+2))\r'),
             (b'sum=42', b'~.')])
    assert status == 0, seen


def test_freeipmi_steals_sol_from_our_console():
    with peers.FakeBmcProcess(port=_free_port_below_32768()) as bmc:
        out = _Collector()
        cons = console.Console(bmc.host, 'admin', 'password', out,
                               port=bmc.port)
        try:
            assert _run_until(cons, lambda: cons.connected)
            seen, status = peers.pty_run(
                ['ipmiconsole', '-h', '%s:%d' % (bmc.host, bmc.port),
                 '-u', 'admin', '-p', 'password', '-I', '17'],
                [(b'[SOL established]', b'stolen\r'),
                 (b'stolen\r\n', b'&.')])
            assert status == 0, seen
            assert _run_until(cons, lambda: cons.broken)
            assert 'deactivated' in out.errors[0]
        finally:
            cons.close()


def test_break_interrupts_the_program():
    with _shell_bmc() as bmc:
        out = _Collector()
        cons = console.Console(bmc.host, 'admin', 'password', out,
                               port=bmc.port)
        try:
            assert _run_until(cons, lambda: cons.connected)
            # the marker is printed by the very process that then sleeps
            cons.send_data("sh -c 'echo started-$((3+4)); exec sleep 60'; "
                           "echo slept-$((1+1))\r")
            assert _run_until(cons, lambda: b'started-7' in out.data)
            started = time.monotonic()
            cons.send_break()
            cons.send_data('echo after-$((2+3))\r')
            assert _run_until(cons, lambda: b'after-5' in out.data)
            assert time.monotonic() - started < 30
            assert b'slept-2' not in out.data
        finally:
            cons.close()


def test_break_reaches_the_echo_port(fakebmc):
    out = _Collector()
    cons = console.Console(fakebmc.host, 'admin', 'password', out,
                           port=fakebmc.port)
    try:
        assert _run_until(cons, lambda: cons.connected)
        cons.send_break()
        assert _run_until(cons, lambda: b'[break]' in out.data)
    finally:
        cons.close()


def _pyghmicons_on_pty(bmc, steps, during=None):
    """pyghmicons on a pseudo-terminal: returns (output, status, terminal
    settings before, after)."""
    import termios
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    env = dict(os.environ, IPMIPASSWORD='password', PYTHONPATH=TOP)
    proc = subprocess.Popen(
        [sys.executable, os.path.join(TOP, 'bin', 'pyghmicons'), '--port',
         str(bmc.port), bmc.host, 'admin'], stdin=slave, stdout=slave,
        stderr=slave, env=env)
    seen = b''
    try:
        end = time.monotonic() + 30
        for wait_for, then_write in steps:
            while wait_for not in seen and time.monotonic() < end:
                seen += os.read(master, 4096)
            assert wait_for in seen, seen
            if then_write:
                os.write(master, then_write)
        if during is not None:
            during()
        status = proc.wait(timeout=30)
        after = termios.tcgetattr(slave)
        return seen, status, before, after
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)


def test_pyghmicons_terminal_restored_after_escape(fakebmc):
    seen, status, before, after = _pyghmicons_on_pty(fakebmc, [
        (b'connected to', b'raw-mode\r'), (b'raw-mode\r\n', b'~.')])
    assert status == 0, seen
    assert after == before


def test_pyghmicons_terminal_restored_when_stolen(fresh_fakebmc):
    bmc = fresh_fakebmc
    seen, status, before, after = _pyghmicons_on_pty(
        bmc, [(b'connected to', None)],
        during=lambda: _ipmitool_sol(bmc, 'deactivate'))
    assert status == 1
    assert after == before


def test_100kb_out_10kb_in_through_a_lossy_network(tmp_path):
    path = _forwarded_profile(tmp_path)
    typed_file = tmp_path / 'typed.txt'
    typed = b''.join(b'%04d:' % n + b'x' * 94 + b'\n' for n in range(100))
    expected = b''.join(b'%d\r\n' % n for n in range(1, 20001))
    impair = netem.Impairments(loss=0.1, duplicate=0.05)
    with _shell_bmc(['--profile', path]) as bmc, \
            netem.HostileProxy((bmc.host, bmc.port), impair,
                               seed=11) as proxy:
        out = _Collector()
        cons = _connected_via(proxy, out)
        try:
            cons.send_data(b'stty -echo; cat > %s\r' % str(
                typed_file).encode())
            cons.send_data(typed + b'\x04')
            cons.send_data(b'stty echo; seq 1 20000; echo END-$((6*7))\r')
            assert _run_until(cons, lambda: b'END-42\r\n' in out.data,
                              limit=240), out.errors
            assert expected in out.data
            assert typed_file.read_bytes() == typed
            assert cons._stream.stats['resent'] > 0
        finally:
            cons.close()


class _VirshStyleBmc(bmc_module.Bmc):
    """SOL the way pyghmi 1.6.19's virshbmc does it: iohandler as a
    method, activate/deactivate_payload overridden around super(), the
    output pushed with self.sol.send_data from another thread."""

    def __init__(self):
        super().__init__({'admin': 'password'}, port=0,
                         address='127.0.0.1')
        self.events = []
        self.feeder = None

    def is_active(self):
        return True

    def iohandler(self, data):
        self.events.append(bytes(data))
        threading.Thread(target=self._answer, args=(bytes(data),)).start()

    def _answer(self, data):
        if self.sol:
            self.sol.send_data(data.upper())

    def activate_payload(self, request, session):
        super().activate_payload(request, session)
        self.events.append('activated')

    def deactivate_payload(self, request, session):
        self.events.append('deactivated')
        super().deactivate_payload(request, session)


def test_virshbmc_style_subclass_with_ipmitool():
    server = _VirshStyleBmc()
    server.start()
    try:
        peers.ipmitool_sol_typing(server.port, b'shout\r', b'SHOUT')
        assert server.events[0] == 'activated'
        assert b''.join(e for e in server.events
                        if isinstance(e, bytes)) == b'shout\r'
        assert server.events[-1] == 'deactivated' and server.sol is None
    finally:
        server.stop()


def test_a_bmc_without_sol_refuses_it_cleanly():
    server = bmc_module.Bmc({'admin': 'password'}, port=0,
                            address='127.0.0.1')
    server.start()
    try:
        proc = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-H', '127.0.0.1', '-p',
             str(server.port), '-U', 'admin', '-P', 'password', 'sol',
             'activate'], input=b'', capture_output=True, timeout=60)
        assert proc.returncode != 0
        out = _Collector()
        cons = console.Console('127.0.0.1', 'admin', 'password', out,
                               port=server.port)
        assert _run_until(cons, lambda: cons.broken)
        cons.close()
        assert out.errors == ['SOL is disabled on this BMC']
    finally:
        server.stop()


def test_iohandler_as_an_input_output_pair(fakebmc):
    read_end, write_end = os.pipe()
    source = os.fdopen(read_end, 'rb', buffering=0)
    sink = io.BytesIO()
    cons = console.Console(fakebmc.host, 'admin', 'password',
                           (source, sink), port=fakebmc.port)
    try:
        assert _run_until(cons, lambda: cons.connected)
        os.write(write_end, b'from-a-pipe\r')
        assert _run_until(cons, lambda: b'from-a-pipe\r\n' in
                          sink.getvalue())
    finally:
        cons.close()
        os.close(write_end)
        source.close()


def test_iohandler_as_one_file_object(fakebmc):
    ours, theirs = socket.socketpair()
    handle = ours.makefile('rwb', buffering=0)
    cons = console.Console(fakebmc.host, 'admin', 'password', handle,
                           port=fakebmc.port)
    try:
        assert _run_until(cons, lambda: cons.connected)
        theirs.sendall(b'both-ways\r')
        theirs.settimeout(20)
        seen = b''
        while b'both-ways\r\n' not in seen:
            console.Console.wait_for_rsp(0.1)
            try:
                seen += theirs.recv(4096)
            except socket.timeout:
                break
        assert b'both-ways\r\n' in seen
    finally:
        cons.close()
        handle.close()
        ours.close()
        theirs.close()


def test_reconnect_after_the_console_is_taken_away(fresh_fakebmc):
    bmc = fresh_fakebmc
    out = _Collector()
    cons = _open(bmc, out, reconnect=True)
    try:
        assert cons.connected
        proc = _ipmitool_sol(bmc, 'deactivate')
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert _run_until(cons, lambda: any(
            isinstance(i, dict) and 'reconnecting' in i.get('info', '')
            for i in out.items))
        assert _run_until(cons, lambda: cons.connected)
        cons.send_data(b'again\r')
        assert _run_until(cons, lambda: b'again\r\n' in out.data)
        assert not out.errors
    finally:
        cons.close()


def test_pyghmicons_sends_a_break(fakebmc):
    seen, status, before, after = _pyghmicons_on_pty(fakebmc, [
        (b'connected to', b'~B'), (b'[break]', b'\r~.')])
    assert status == 0, seen
    assert after == before


def test_server_console_has_pyghmis_console_methods():
    """pyghmi's ServerConsole is a Console: send_break, main_loop and
    wait_for_rsp are there too, with the BMC side's meaning."""
    server = _VirshStyleBmc()
    server.start()
    out = _Collector()
    cons = console.Console('127.0.0.1', 'admin', 'password', out,
                           port=server.port)
    try:
        assert _run_until(cons, lambda: cons.connected or cons.broken)
        sol_end = server.sol
        ended = threading.Event()
        loop = threading.Thread(
            target=lambda: (sol_end.main_loop(), ended.set()), daemon=True)
        loop.start()
        sol_end.send_break()
        notice = {'info': 'break detected on the serial port'}
        assert _run_until(cons, lambda: notice in out.items), out.items
        assert console.ServerConsole.wait_for_rsp(0) is not None
        assert not ended.is_set()           # still serving
    finally:
        cons.close()
    assert ended.wait(20) and not sol_end.connected
    loop.join(5)
    server.stop()
