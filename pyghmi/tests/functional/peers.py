"""Start and stop real IPMI peers (OpenIPMI's ipmi_sim) on loopback.

Used by the functional tests and by the demo.  Every peer binds a free
UDP port on 127.0.0.1 and is killed when stopped.
"""

import collections
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import termios
import time

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private.codec import wire

HERE = os.path.dirname(os.path.abspath(__file__))
SIM_DIR = os.path.join(HERE, 'ipmisim')

# Accounts configured in ipmisim/lan.conf.in: name -> (password, privilege)
SIM_ACCOUNTS = {
    'admin': ('password', 'administrator'),
    'operator': ('oppass', 'operator'),
    'viewer': ('viewpass', 'user'),
}


TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

# Where a BMC listens, for helpers that take a peer (host, port).
Target = collections.namedtuple('Target', 'host port')
# The released pyghmi, in a virtualenv of its own (make test-deps).
ORIG_PY = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'python')


def original_python():
    """The interpreter of pyghmi 1.6.19's own virtualenv (the original
    is never imported into ours); fails the calling test when absent."""
    if not os.path.exists(ORIG_PY):
        import pytest
        pytest.fail('pyghmi 1.6.19 is not installed in .venv-pyghmi-1.6.19 '
                    '(make test-deps installs it)')
    return ORIG_PY


def run_json(python, argv, ours, timeout=300):
    """Run ``python argv...`` from an empty directory, with this package
    importable only when ``ours``, and return the JSON of the last line
    it prints (``argv`` starts with a script path or ``-c``, program)."""
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    if ours:
        env['PYTHONPATH'] = TOP
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([python] + list(argv), capture_output=True,
                             text=True, env=env, cwd=tmp, timeout=timeout)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def pyghmiutil(bmc, *args, password='password', env=None):
    """Run bin/pyghmiutil against ``bmc`` (a peer with host and port).

    :param env: more environment variables
    :returns: the CompletedProcess (text output)
    """
    env = dict(os.environ, IPMIPASSWORD=password, **(env or {}))
    return subprocess.run(
        [sys.executable, os.path.join(TOP, 'bin', 'pyghmiutil'), '--port',
         str(bmc.port)] + list(args), capture_output=True, text=True,
        env=env, timeout=60, stdin=subprocess.DEVNULL)


def ipmitool_ok(bmc, *args):
    """Run ``ipmitool -I lanplus`` against ``bmc`` as admin; assert it
    succeeded and return its standard output."""
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p', str(bmc.port),
         '-U', 'admin', '-P', 'password'] + list(args),
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def refused_before_sending(bmc, method, kwargs):
    """Assert that ``Command.<method>(**kwargs)`` raises
    InvalidParameterValue without sending a single datagram."""
    c = connect(bmc)
    try:
        sent = c.ipmi_session._shared.core.packets_sent
        try:
            getattr(c, method)(**kwargs)
        except exc.InvalidParameterValue:
            pass
        else:
            raise AssertionError('%s(%r) was accepted' % (method, kwargs))
        assert c.ipmi_session._shared.core.packets_sent == sent
    finally:
        c.logout()


def connect(bmc, user='admin', password='password', **kwargs):
    """A logged-in Command to a peer started here."""
    from pyghmi.ipmi import command
    return command.Command(bmc.host, user, password, port=bmc.port,
                           **kwargs)


def free_udp_port(host='127.0.0.1'):
    """A UDP port that was free a moment ago on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def free_tcp_port(host='127.0.0.1'):
    """A TCP port that was free a moment ago on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def ipv6_available():
    """Whether this machine has an IPv6 loopback (::1) to bind."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(('::1', 0))
        return True
    except OSError:
        return False


def poll(read, done, limit=10.0, step=0.05):
    """Call ``read()`` until ``done(value)`` or ``limit`` seconds pass:
    synchronises a test on observable state instead of a guessed sleep.

    :returns: the last value read (the caller asserts on it)
    """
    deadline = time.monotonic() + limit
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(step)
        value = read()
    return value


def wait_for_ipmi(host, port, limit=10.0):
    """Poll with Get Channel Authentication Capabilities until answered.

    :returns: True when the peer answered within ``limit`` seconds
    """
    probe = wire.encode_v15(wire.encode_request(
        6, 0x38, bytes((0x8E, 4)), seq=1))
    deadline = time.monotonic() + limit
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        while time.monotonic() < deadline:
            sock.sendto(probe, (host, port))
            try:
                if sock.recv(512):
                    return True
            except OSError:
                time.sleep(0.05)
    return False


def ipmi_sim_sdr_line(raw):
    """The ipmi_sim configuration line that adds SDR ``raw`` to the
    BMC's repository."""
    return 'main_sdr_add 0x20 ' + ' '.join('0x%02x' % b for b in raw)


def ipmi_sim_sensors(count):
    """ipmi_sim configuration lines (``IpmiSim(extra_emu=...)``) for
    ``count`` sensors numbered from 1, as the benchmarks' fakebmc
    profile has them: every fourth a discrete slot (compact record), the
    others temperatures with an upper critical threshold of 90 (full
    record, longer than a 32-byte chunk), readings 20-69.  The SDRs are
    our encoder's."""
    sdrs, lines = [], []
    for number in range(1, count + 1):
        if number % 4 == 0:
            record = sdrrecords.encode_compact(number, number,
                                               'Slot %d' % number, 0x21, 0x6F)
            lines += ['sensor_add 0x20 0 %d 0x21 0x6f' % number,
                      'sensor_set_bit 0x20 0 %d 2 1 0' % number]
        else:
            record = sdrrecords.encode_full(
                number, number, 'Sensor %d' % number, 0x01,
                units=(0, 1, 0), thresholds={'upper critical': 90})
            lines += ['sensor_add 0x20 0 %d 0x01 0x01' % number,
                      'sensor_set_threshold 0x20 0 %d settable 010000 '
                      '0 90 0 0 0 0' % number,
                      'sensor_set_value 0x20 0 %d %d 0' % (number,
                                                           20 + number % 50)]
        sdrs.append(ipmi_sim_sdr_line(record))
    return '\n'.join(sdrs + lines)


class IpmiSim:
    """An ipmi_sim process with the test configuration.

    :param statedir: directory for its state (a temporary one if None)
    :param chassis_control: run the tests' chassis control program (state
        files readable with :meth:`chassis_file`); False for benchmarks
    """

    host = '127.0.0.1'

    def __init__(self, statedir=None, extra_emu='', extra_conf='',
                 chassis_control=True):
        self._owndir = statedir is None
        self.extra_conf = extra_conf
        self.chassis_control = chassis_control
        self.statedir = statedir or tempfile.mkdtemp(prefix='pyghmi-sim-')
        self.port = None
        self.proc = None
        self.emu = os.path.join(SIM_DIR, 'sim.emu')
        if extra_emu:
            # Commands must come before mc_enable, the file's last line.
            with open(self.emu) as f:
                base = f.read().replace('mc_enable 0x20', '')
            self.emu = os.path.join(self.statedir, 'test.emu')
            with open(self.emu, 'w') as f:
                f.write(base + extra_emu + '\nmc_enable 0x20\n')

    def chassis_file(self, name):
        """Contents of a chassis state file kept by chassis_control.py."""
        try:
            with open(os.path.join(self.statedir, 'chassis.' + name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return None

    def start(self):
        """Start ipmi_sim on a free port; raises RuntimeError on failure."""
        if shutil.which('ipmi_sim') is None:
            raise RuntimeError('ipmi_sim not installed (Debian: openipmi)')
        self.port = free_udp_port()
        control = '%s %s' % (sys.executable,
                             os.path.join(SIM_DIR, 'chassis_control.py'))
        with open(os.path.join(SIM_DIR, 'lan.conf.in')) as f:
            conf = f.read()
        conf = conf.replace('@PORT@', str(self.port)).replace(
            '@CHASSIS@', 'env PYGHMI_SIM_STATE=%s %s' % (self.statedir,
                                                         control))
        if not self.chassis_control:
            # ipmi_sim then answers chassis commands from its own state,
            # without starting a program per request (benchmarks)
            kept = [line for line in conf.splitlines()
                    if 'chassis_control' not in line]
            conf = '\n'.join(kept) + '\n'
        conf += self.extra_conf
        confpath = os.path.join(self.statedir, 'lan.conf')
        with open(confpath, 'w') as f:
            f.write(conf)
        self.proc = subprocess.Popen(
            ['ipmi_sim', '-n', '-c', confpath, '-f', self.emu, '-s',
             self.statedir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=self.statedir)
        if not wait_for_ipmi(self.host, self.port):
            self.stop()
            raise RuntimeError('ipmi_sim did not start')
        return self

    def restart(self):
        """Kill and start again on the same port (a BMC reboot)."""
        port = self.port
        self._kill()
        self.port = port
        self.proc = subprocess.Popen(
            ['ipmi_sim', '-n', '-c', os.path.join(self.statedir, 'lan.conf'),
             '-f', self.emu, '-s', self.statedir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=self.statedir)
        if not wait_for_ipmi(self.host, self.port):
            raise RuntimeError('ipmi_sim did not restart')

    def _kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self):
        """Kill the process and remove a temporary state directory."""
        self._kill()
        if self._owndir:
            shutil.rmtree(self.statedir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class FakeBmcProcess:
    """bin/fakebmc run as a separate process on free loopback port(s).

    :param extra: more command-line arguments (accounts, --count...)
    :param env: extra environment variables
    :param stderr: a file object for its standard error (logs)
    :param program: the tool of bin/ to run (virshbmc prints the same
        ``listening on`` line)
    """

    host = '127.0.0.1'

    def __init__(self, extra=(), port=0, env=None, stderr=None,
                 program='fakebmc'):
        self.program = program
        self.extra = list(extra)
        self.env = env
        self.stderr = stderr
        self.first_port = port
        self.ports = []
        # with --redfish-port: each BMC's (https URL, sha256$ fingerprint)
        self.redfish = []
        self.proc = None
        self._log = None

    @property
    def port(self):
        """The first BMC's port."""
        return self.ports[0]

    def start(self, timeout=20.0):
        """Start and wait for every ``listening on`` line."""
        count = 1
        if '--count' in self.extra:
            count = int(self.extra[self.extra.index('--count') + 1])
        # its log (warnings and errors) is kept, and printed when the
        # test using it fails (see __exit__)
        self._log = None if self.stderr else tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(TOP, 'bin', self.program),
             '--port', str(self.first_port), '--address', self.host]
            + self.extra,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self.stderr or self._log, text=True,
            env=dict(os.environ, **(self.env or {})))
        redfish = count if '--redfish-port' in self.extra else 0
        deadline = time.monotonic() + timeout
        while (len(self.ports) < count or len(self.redfish) < redfish) \
                and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith('listening on'):
                self.ports.append(int(line.rsplit(':', 1)[1]))
            elif line.startswith('redfish on'):
                self.redfish.append(tuple(line.split()[2:4]))
        if len(self.ports) < count or len(self.redfish) < redfish:
            self.stop()
            raise RuntimeError('%s did not start: %s' % (
                self.program, self.log_tail(800) or 'no log'))
        return self

    def stop(self):
        """SIGTERM, then kill if it does not exit; returns the exit code."""
        if self.proc is None:
            return None
        self.proc.terminate()
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc = None
        return code

    def log_tail(self, size=4000):
        """The end of the process's standard error (its log), as text."""
        if self._log is None:
            return ''
        self._log.seek(0, os.SEEK_END)
        self._log.seek(max(0, self._log.tell() - size))
        return self._log.read().decode('utf-8', 'replace')

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, *exc_info):
        self.stop()
        if exc_type is not None and self.log_tail():
            # pytest shows a failed test's output: the BMC's side of it
            print('--- %s log (end) ---\n%s'
                  % (self.program, self.log_tail()))
        if self._log is not None:
            self._log.close()
            self._log = None


# Source run by Redfish client workers in either interpreter (ours, or
# pyghmi 1.6.19's virtualenv): ``record(name, call)`` appends ``[name,
# plain result]`` to ``out`` (listings as lists, objects as dicts,
# times as ISO text, an exception as ``{'raised': its class name}``).
REDFISH_RECORDER = r'''
out = []
def plain(v):
    if hasattr(v, '__dict__') and not isinstance(v, type):
        return {k: plain(x) for k, x in vars(v).items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if hasattr(v, 'isoformat'):
        return v.isoformat()
    return v
def record(name, call):
    try:
        value = call()
        if hasattr(value, '__next__'):
            value = list(value)
    except Exception as err:
        value = {'raised': type(err).__name__}
    out.append([name, plain(value)])
'''


@contextlib.contextmanager
def redfish_fakebmc(extra=()):
    """A fakebmc serving Redfish too: the process, with ``url``,
    ``fingerprint`` (sha256$...) and ``https_port`` of its first BMC."""
    with FakeBmcProcess(['--redfish-port', '0'] + list(extra)) as proc:
        proc.url, proc.fingerprint = proc.redfish[0]
        proc.https_port = int(proc.url.rsplit(':', 1)[1])
        yield proc


def pty_run(argv, steps, limit=30.0):
    """Run ``argv`` on a pseudo-terminal (FreeIPMI's console wants one):
    for each ``(wait_for, then_write)`` read until ``wait_for`` appears,
    then write.  Returns (all output, exit status)."""
    master, slave = os.openpty()
    # A CR typed before the program puts its terminal in raw mode would
    # reach it as LF (ICRNL): clear that translation from the start, so
    # what is typed arrives as typed whatever the timing.
    attrs = termios.tcgetattr(slave)
    attrs[0] &= ~termios.ICRNL
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                            close_fds=True)
    os.close(slave)
    seen = b''
    try:
        end = time.monotonic() + limit
        for wait_for, then_write in steps:
            while wait_for not in seen and time.monotonic() < end:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    break
            assert wait_for in seen, seen
            os.write(master, then_write)
        status = proc.wait(timeout=max(1.0, end - time.monotonic()))
        return seen, status
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def ipmitool_sol_typing(port, typed, expect):
    """``ipmitool sol activate`` on a pseudo-terminal against the BMC
    on 127.0.0.1:``port`` (admin/password): type ``typed`` once the
    session is up, wait for ``expect``, leave with ``~.``; asserts a
    clean exit and returns all it printed."""
    seen, status = pty_run(
        ['ipmitool', '-I', 'lanplus', '-H', '127.0.0.1', '-p', str(port),
         '-U', 'admin', '-P', 'password', 'sol', 'activate'],
        [(b'SOL Session operational', typed), (expect, b'~.')])
    assert status == 0, seen
    return seen


class LibvirtTestDaemon:
    """A private libvirtd serving libvirt's test driver on a socket in a
    temporary directory.

    Loadable hypervisor drivers are kept out (an empty
    LIBVIRT_DRIVER_DIR: QEMU's would want its system user), and one
    connection stays open, so the test driver's state (power, domain
    XML) persists between the connections of the tools under test.
    """

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='libvirtd-')
        self.socket = os.path.join(self.tmp, 'run', 'libvirt-sock')
        self.uri = 'test+unix:///default?socket=' + self.socket
        self.proc = None
        self.held = None

    def start(self, timeout=30.0):
        """Start libvirtd and wait until a connection succeeds."""
        import libvirt
        os.makedirs(os.path.join(self.tmp, 'run'))
        os.makedirs(os.path.join(self.tmp, 'drivers'))
        conf = os.path.join(self.tmp, 'libvirtd.conf')
        with open(conf, 'w') as out:
            out.write('unix_sock_dir = "%s"\nunix_sock_rw_perms = "0700"\n'
                      'auth_unix_rw = "none"\nauth_unix_ro = "none"\n'
                      % os.path.dirname(self.socket))
        self.proc = subprocess.Popen(
            ['libvirtd', '-f', conf, '-p', os.path.join(self.tmp, 'pid')],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=self.tmp,
            env=dict(os.environ, LIBVIRT_DRIVER_DIR=os.path.join(
                self.tmp, 'drivers')))
        deadline = time.monotonic() + timeout
        libvirt.registerErrorHandler(lambda *_: None, None)
        while self.held is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('libvirtd did not start')
            if os.path.exists(self.socket):
                try:
                    self.held = libvirt.open(self.uri)
                except libvirt.libvirtError:
                    pass
            time.sleep(0.05)
        return self

    def domain_xml(self, name='test'):
        """The persistent XML of domain ``name``, read on the held
        connection."""
        import libvirt
        return self.held.lookupByName(name).XMLDesc(
            libvirt.VIR_DOMAIN_XML_INACTIVE)

    def is_active(self, name='test'):
        """Whether domain ``name`` runs."""
        return bool(self.held.lookupByName(name).isActive())

    def stop(self):
        """Close the held connection, kill libvirtd, remove the files."""
        if self.held is not None:
            try:
                self.held.close()
            except Exception:
                pass
            self.held = None
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
