"""The consumers of pyghmi.ipmi.bmc, unchanged, on this package.

virtualbmc (its latest release, in .venv-vbmc with this package
installed in place of pyghmi, built by ``make ecosystem-deps``): the
unit tests of its sdist, then ``vbmc add`` / ``vbmc start`` for a domain
of libvirt's test driver and ipmitool through it.  And the pattern of
OpenStack Virtual Baremetal's openstackbmc.py: an IPv4-mapped listening
address, a boolean power state, 0xD5 answers.
"""

import os
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import bmc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers

VBMC_VENV = os.path.join(peers.TOP, '.venv-vbmc')
VBMC_BIN = os.path.join(VBMC_VENV, 'bin')


def _sdist():
    src = os.path.join(VBMC_VENV, 'src')
    names = [n for n in os.listdir(src)
             if os.path.isdir(os.path.join(src, n))]
    assert len(names) == 1, names
    return os.path.join(src, names[0])


def test_virtualbmc_runs_on_this_package(tmp_path):
    where = subprocess.run(
        [os.path.join(VBMC_BIN, 'python'), '-c',
         'import pyghmi.ipmi.bmc, virtualbmc.vbmc; '
         'print(pyghmi.ipmi.bmc.__file__)'],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == os.path.join(
        peers.TOP, 'pyghmi', 'ipmi', 'bmc.py')


def test_virtualbmc_unit_tests_pass(tmp_path):
    tree = str(tmp_path / 'virtualbmc')
    shutil.copytree(_sdist(), tree)
    run = subprocess.run(
        [os.path.join(VBMC_BIN, 'python'), '-m', 'stestr', '--test-path',
         'virtualbmc/tests/unit', 'run'], cwd=tree, capture_output=True,
        text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    passed = [line for line in run.stdout.splitlines()
              if line.strip().startswith('- Passed:')]
    assert passed and int(passed[0].split(':')[1]) >= 60, run.stdout
    assert ' - Failed: 0' in run.stdout


def _free(kind):
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class _Vbmcd:
    """vbmcd in the foreground with a configuration of its own."""

    def __init__(self, tmp_path):
        conf = tmp_path / 'virtualbmc.conf'
        (tmp_path / 'vbmc').mkdir()
        conf.write_text(
            '[default]\nconfig_dir = %s\npid_file = %s\nserver_port = %d\n'
            % (tmp_path / 'vbmc', tmp_path / 'vbmcd.pid',
               _free(socket.SOCK_STREAM)))
        self.env = dict(os.environ, VIRTUALBMC_CONFIG=str(conf))
        self.proc = subprocess.Popen(
            [os.path.join(VBMC_BIN, 'vbmcd'), '--foreground'],
            env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def vbmc(self, *args):
        """Run ``vbmc ARGS``; the CompletedProcess (text)."""
        return subprocess.run([os.path.join(VBMC_BIN, 'vbmc')] + list(args),
                              env=self.env, capture_output=True, text=True,
                              timeout=60)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_vbmc_in_front_of_a_libvirt_domain(tmp_path):
    with peers.LibvirtTestDaemon() as libvirtd:
        daemon = _Vbmcd(tmp_path)
        try:
            port = _free(socket.SOCK_DGRAM)
            # vbmc itself retries until vbmcd answers (bounded)
            added = daemon.vbmc('add', 'test', '--port', str(port),
                                '--address', '127.0.0.1', '--libvirt-uri',
                                libvirtd.uri)
            assert added.returncode == 0, added.stderr
            started = daemon.vbmc('start', 'test')
            assert started.returncode == 0, started.stderr
            target = peers.Target('127.0.0.1', port)
            assert _eventually_ok(target)
            assert 'Power is on' in peers.ipmitool_ok(
                target, 'power', 'status')
            peers.ipmitool_ok(target, 'power', 'off')
            assert not libvirtd.is_active()
            assert 'Power is off' in peers.ipmitool_ok(
                target, 'power', 'status')
            peers.ipmitool_ok(target, 'power', 'on')
            assert libvirtd.is_active()
            peers.ipmitool_ok(target, 'power', 'reset')
            assert libvirtd.is_active()
            peers.ipmitool_ok(target, 'chassis', 'bootdev', 'pxe')
            assert _first_boot(libvirtd) == 'network'
            # virtualbmc reports the running definition: the new boot
            # device shows once the domain restarted
            peers.ipmitool_ok(target, 'power', 'off')
            peers.ipmitool_ok(target, 'power', 'on')
            assert 'Force PXE' in peers.ipmitool_ok(
                target, 'chassis', 'bootparam', 'get', '5')
            peers.ipmitool_ok(target, 'chassis', 'bootdev', 'disk')
            assert _first_boot(libvirtd) == 'hd'
            peers.ipmitool_ok(target, 'power', 'off')
            peers.ipmitool_ok(target, 'power', 'on')
            assert 'Force Boot from default Hard-Drive' in \
                peers.ipmitool_ok(target, 'chassis', 'bootparam', 'get',
                                  '5')
        finally:
            daemon.stop()


def _first_boot(libvirtd):
    return ElementTree.fromstring(libvirtd.domain_xml()).find(
        './os/boot').get('dev')


def _eventually_ok(target, tries=20):
    """vbmc start returns before the BMC process listens: try a session
    until one works (each try is itself bounded by ipmitool's time-out)."""
    for _ in range(tries):
        out = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-H', target.host, '-p',
             str(target.port), '-U', 'admin', '-P', 'password', '-R', '1',
             '-N', '1', 'mc', 'guid'], capture_output=True, timeout=60)
        if out.returncode == 0:
            return True
    return False


class _OpenStackStyleBmc(bmc.Bmc):
    """openstackbmc.py's shape: IPv4-mapped address, a bool power state,
    0xD5 when the instance is not in a state for the request."""

    def __init__(self):
        super().__init__({'admin': 'password'}, port=0,
                         address='::ffff:127.0.0.1')
        self.active = True
        self.boot = 'hd'

    def get_power_state(self):
        return self.active

    def power_off(self):
        if not self.active:
            return 0xd5
        self.active = False

    def power_on(self):
        if self.active:
            return 0xd5
        self.active = True

    def power_shutdown(self):
        return self.power_off()

    def power_reset(self):
        if not self.active:
            return 0xd5

    def get_boot_device(self):
        return self.boot

    def set_boot_device(self, bootdevice):
        if bootdevice not in ('network', 'hd'):
            return 0xd5
        self.boot = bootdevice


def test_openstackbmc_pattern():
    server = _OpenStackStyleBmc()
    server.start()
    try:
        target = peers.Target('127.0.0.1', server.port)
        assert 'Power is on' in peers.ipmitool_ok(target, 'power', 'status')
        peers.ipmitool_ok(target, 'power', 'off')
        assert server.active is False
        assert 'Power is off' in peers.ipmitool_ok(target, 'power',
                                                   'status')
        ipmi = command.Command('127.0.0.1', 'admin', 'password',
                               port=server.port)
        try:
            # Chassis Control power down again: the BMC's 0xD5 reaches
            # the caller as the IPMI completion code
            with pytest.raises(exc.IpmiException) as err:
                ipmi.xraw_command(netfn=0, command=2, data=[0])
            assert err.value.ipmicode == 0xd5
            assert ipmi.set_power('on', wait=True)['powerstate'] == 'on'
            ipmi.set_bootdev('network')
            assert server.boot == 'network'
            with pytest.raises(exc.IpmiException) as err:
                ipmi.set_bootdev('cd')
            assert err.value.ipmicode == 0xd5
            assert server.boot == 'network'
        finally:
            ipmi.ipmi_session.logout()
    finally:
        server.stop()
