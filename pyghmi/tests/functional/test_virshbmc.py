"""virshbmc end to end: ipmitool and our client drive bin/virshbmc in
front of libvirt's test driver, served by a private libvirtd; what the
BMC did is read back through libvirt on another connection."""

import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ElementTree

import libvirt
import pytest

from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


@pytest.fixture(scope='module')
def libvirtd():
    with peers.LibvirtTestDaemon() as daemon:
        yield daemon


@pytest.fixture
def virshbmc(libvirtd):
    proc = peers.FakeBmcProcess(
        ['--connect', libvirtd.uri, '--domain', 'test'],
        program='virshbmc')
    with proc:
        yield proc
    # leave the domain as the next test expects it
    dom = libvirtd.held.lookupByName('test')
    if not dom.isActive():
        dom.create()


def _boot_devs(xml):
    return [b.get('dev') for b in ElementTree.fromstring(xml).iter('boot')]


def test_power_through_ipmitool_seen_by_libvirt(virshbmc, libvirtd):
    assert 'Power is on' in peers.ipmitool_ok(virshbmc, 'power', 'status')
    peers.ipmitool_ok(virshbmc, 'power', 'off')
    assert not libvirtd.is_active()
    assert 'Power is off' in peers.ipmitool_ok(virshbmc, 'power', 'status')
    # off again: "not in present state" from the BMC, not a crash
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', virshbmc.host, '-p',
         str(virshbmc.port), '-U', 'admin', '-P', 'password', 'raw',
         '0x00', '0x02', '0x00'], capture_output=True, text=True,
        timeout=60)
    assert 'rsp=0xd5' in out.stderr, out.stderr
    peers.ipmitool_ok(virshbmc, 'power', 'on')
    assert libvirtd.is_active()
    peers.ipmitool_ok(virshbmc, 'power', 'reset')
    assert libvirtd.is_active()
    peers.ipmitool_ok(virshbmc, 'power', 'soft')
    assert not libvirtd.is_active()
    peers.ipmitool_ok(virshbmc, 'power', 'cycle')    # on from off
    assert libvirtd.is_active()


def test_boot_device_written_into_the_domain_xml(virshbmc, libvirtd):
    peers.ipmitool_ok(virshbmc, 'chassis', 'bootdev', 'pxe')
    assert _boot_devs(libvirtd.domain_xml()) == ['network']
    assert 'Force PXE' in peers.ipmitool_ok(
        virshbmc, 'chassis', 'bootparam', 'get', '5')
    peers.ipmitool_ok(virshbmc, 'chassis', 'bootdev', 'cdrom',
                      'options=persistent')
    assert _boot_devs(libvirtd.domain_xml()) == ['cdrom']
    peers.ipmitool_ok(virshbmc, 'chassis', 'bootdev', 'disk')
    assert _boot_devs(libvirtd.domain_xml()) == ['hd']
    out = peers.ipmitool_ok(virshbmc, 'chassis', 'bootparam', 'get', '5')
    assert 'Force Boot from default Hard-Drive' in out
    # BIOS setup has no libvirt equivalent: refused, XML untouched
    bad = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', virshbmc.host, '-p',
         str(virshbmc.port), '-U', 'admin', '-P', 'password', 'chassis',
         'bootdev', 'bios'], capture_output=True, text=True, timeout=60)
    assert 'Invalid data field' in bad.stderr, bad.stderr
    assert _boot_devs(libvirtd.domain_xml()) == ['hd']


def test_our_client_and_the_system_guid(virshbmc, libvirtd):
    ipmi = command.Command(virshbmc.host, 'admin', 'password',
                           port=virshbmc.port)
    try:
        assert ipmi.get_power() == {'powerstate': 'on'}
        ipmi.set_bootdev('network')
        assert ipmi.get_bootdev()['bootdev'] == 'network'
        assert _boot_devs(libvirtd.domain_xml()) == ['network']
        assert ipmi.set_power('off', wait=True)['powerstate'] == 'off'
        assert not libvirtd.is_active()
        guid = ipmi.get_system_guid()
        assert guid.lower() == libvirtd.held.lookupByName(
            'test').UUIDString()
    finally:
        ipmi.ipmi_session.logout()


def test_cold_reset_stops_it(virshbmc):
    peers.ipmitool_ok(virshbmc, 'mc', 'reset', 'cold')
    assert virshbmc.proc.wait(timeout=30) == 0


def _virshbmc_fails(*args):
    proc = subprocess.run(
        [sys.executable, os.path.join(peers.TOP, 'bin', 'virshbmc'),
         '--port', '0', '--address', '127.0.0.1'] + list(args),
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ''
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.stderr


def test_unknown_domain_is_one_line(libvirtd):
    err = _virshbmc_fails('--connect', libvirtd.uri, '--domain', 'nosuch')
    assert 'nosuch' in err


def test_unreachable_hypervisor_is_one_line(tmp_path):
    err = _virshbmc_fails(
        '--connect', 'test+unix:///default?socket=%s' % (tmp_path / 's'),
        '--domain', 'test')
    assert 'virshbmc:' in err


def test_missing_libvirt_says_what_to_install():
    code = ("import sys; sys.modules['libvirt'] = None; "
            "from pyghmi.cmd import virshbmc; "
            "sys.exit(virshbmc.main(['--domain', 'x']))")
    proc = subprocess.run([sys.executable, '-c', code], cwd=peers.TOP,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert 'libvirt-python' in proc.stderr and 'python3-libvirt' in \
        proc.stderr


class _GuestSerial:
    """A libvirt console stream standing in for a guest's serial port
    (the test driver has none): answers each input line upper-cased,
    non-blocking like libvirt's (recv/send return -2 when they would
    block), events delivered from a thread of its own."""

    def __init__(self):
        self.lock = threading.Lock()
        self.output = b''
        self.callback = None
        self.received = b''
        self.aborted = False

    def eventAddCallback(self, events, callback, opaque):
        self.callback = callback

    def eventUpdateCallback(self, events):
        pass

    def eventRemoveCallback(self):
        self.callback = None

    def abort(self):
        self.aborted = True

    def send(self, data):
        self.received += data
        with self.lock:
            self.output += bytes(data).upper()
        threading.Thread(target=self._readable).start()
        return len(data)

    def recv(self, size):
        with self.lock:
            if not self.output:
                return -2
            data, self.output = self.output[:size], self.output[size:]
        return data

    def _readable(self):
        callback = self.callback
        if callback:
            callback(self, libvirt.VIR_STREAM_EVENT_READABLE, None)


def test_sol_bridges_the_domain_console(libvirtd):
    from pyghmi.cmd import virshbmc as tool
    server = tool.LibvirtBmc({'admin': 'password'}, libvirtd.uri, 'test',
                             port=0, address='127.0.0.1')
    guest = _GuestSerial()
    opened = []

    class Conn:
        def newStream(self, flags):
            assert flags == libvirt.VIR_STREAM_NONBLOCK
            return guest

    class Domain:
        def openConsole(self, dev, stream, flags):
            opened.append(stream)

    server.conn, real_domain = Conn(), server.domain
    server.domain = Domain()
    server.domain.isActive = real_domain.isActive
    server.start()
    try:
        peers.ipmitool_sol_typing(server.port, b'hello\r', b'HELLO')
        assert opened == [guest]
        assert guest.received == b'hello\r'
        assert guest.aborted and server.console is None
    finally:
        server.stop()


def test_redfish_of_the_domain_through_sushy(libvirtd):
    """One virshbmc serves the domain over IPMI and Redfish: sushy
    (OpenStack's client) powers it and sets its boot device; libvirt
    and ipmitool see the result."""
    import sushy
    import sushy.auth
    from sushy.resources import constants as rc
    from sushy.resources.system import constants as sc
    proc = peers.FakeBmcProcess(
        ['--connect', libvirtd.uri, '--domain', 'test', '--redfish-port',
         '0'], program='virshbmc')
    with proc:
        url = proc.redfish[0][0]
        root = sushy.Sushy(url + '/redfish/v1', verify=False,
                           auth=sushy.auth.BasicAuth('admin', 'password'))
        system = root.get_system('/redfish/v1/Systems/system')
        dom = libvirtd.held.lookupByName('test')
        assert system.uuid == dom.UUIDString()
        assert system.power_state == rc.PowerState.ON
        system.reset_system(rc.ResetType.FORCE_OFF)
        assert not libvirtd.is_active()
        assert 'Power is off' in peers.ipmitool_ok(proc, 'power', 'status')
        system.set_system_boot_options(
            sc.BootSource.PXE, enabled=sc.BootSourceOverrideEnabled.ONCE)
        assert _boot_devs(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
                          )[0] == 'network'
        system.reset_system(rc.ResetType.ON)
        assert libvirtd.is_active()
        # virtual media is recorded (never fetched), as on fakebmc
        cd = root.get_manager('/redfish/v1/Managers/bmc').virtual_media \
            .get_member('/redfish/v1/Managers/bmc/VirtualMedia/Cd')
        cd.insert_media('http://127.0.0.1:9/boot.iso', inserted=True)
        cd.refresh()
        assert cd.image == 'http://127.0.0.1:9/boot.iso' and cd.inserted
        cd.eject_media()
        # and redfishtool powers the domain off as well
        env = {k: v for k, v in os.environ.items()
               if k not in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')}
        tool = os.path.join(os.path.dirname(sys.executable), 'redfishtool')
        subprocess.run([tool, '-r', url[len('https://'):], '-u', 'admin',
                        '-p', 'password', '-S', 'Always', 'Systems', '-I',
                        'system', 'reset', 'ForceOff'], check=True,
                       capture_output=True, timeout=60, env=env)
        assert not libvirtd.is_active()
    dom = libvirtd.held.lookupByName('test')
    if not dom.isActive():
        dom.create()
