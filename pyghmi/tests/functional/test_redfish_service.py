"""fakebmc's Redfish side, read and driven by software that is not ours:
OpenStack's sushy, DMTF's redfish library and service validator, and
ipmitool on the IPMI side of the same machine."""

import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys

import pytest
import redfish
import requests
import sushy
import sushy.auth
import urllib3

from pyghmi.tests.functional import peers

# the certificate is fakebmc's self-signed one; the test of its
# fingerprint checks what is served
pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

SYSTEM = '/redfish/v1/Systems/system'


@pytest.fixture
def bmc():
    with peers.FakeBmcProcess(['--redfish-port', '0', '--account',
                               'viewer:viewpass:user']) as proc:
        proc.url, proc.fingerprint = proc.redfish[0]
        yield proc


def _sushy(bmc):
    # Basic authentication: sushy closes a session from its destructor,
    # which would retry against a BMC the fixture has already stopped
    return sushy.Sushy(bmc.url + '/redfish/v1', verify=False,
                       auth=sushy.auth.BasicAuth('admin', 'password'))


def _ipmitool(bmc, *args, user='admin', password='password'):
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-C', '17', '-H', '127.0.0.1', '-p',
         str(bmc.port), '-U', user, '-P', password] + list(args),
        capture_output=True, text=True, timeout=60, errors='replace')
    return out.returncode, out.stdout + out.stderr


def _get(bmc, path, auth=('admin', 'password'), **kwargs):
    return requests.get(bmc.url + path, auth=auth, verify=False, timeout=30,
                        **kwargs)


def test_certificate_fingerprint_is_the_served_ones(bmc):
    host, port = bmc.url[len('https://'):].rsplit(':', 1)
    pem = ssl.get_server_certificate((host, int(port)))
    der = ssl.PEM_cert_to_DER_cert(pem)
    assert bmc.fingerprint == 'sha256$' + hashlib.sha256(der).hexdigest()


def test_sushy_sets_power_and_boot_that_ipmitool_reads(bmc):
    from sushy.resources import constants as rc
    from sushy.resources.system import constants as sc
    root = _sushy(bmc)
    system = root.get_system(SYSTEM)
    assert system.power_state == rc.PowerState.ON
    system.reset_system(rc.ResetType.FORCE_OFF)
    assert _ipmitool(bmc, 'power', 'status')[1].strip() == \
        'Chassis Power is off'
    system.set_system_boot_options(sc.BootSource.PXE,
                                   enabled=sc.BootSourceOverrideEnabled.ONCE,
                                   mode=sc.BootSourceOverrideMode.UEFI)
    code, out = _ipmitool(bmc, 'chassis', 'bootparam', 'get', '5')
    assert code == 0 and 'Force PXE' in out and 'BIOS EFI boot' in out
    assert 'Options apply to only next boot' in out


def test_ipmitool_changes_are_seen_by_sushy_at_once(bmc):
    from sushy.resources import constants as rc
    from sushy.resources.system import constants as sc
    root = _sushy(bmc)
    system = root.get_system(SYSTEM)
    assert _ipmitool(bmc, 'power', 'off')[0] == 0
    assert _ipmitool(bmc, 'chassis', 'bootdev', 'disk',
                     'options=persistent')[0] == 0
    system.refresh()
    assert system.power_state == rc.PowerState.OFF
    assert system.boot.target == sc.BootSource.HDD
    assert system.boot.enabled == sc.BootSourceOverrideEnabled.CONTINUOUS
    assert system.boot.mode == sc.BootSourceOverrideMode.LEGACY
    assert _ipmitool(bmc, 'chassis', 'identify', 'force')[0] == 0
    assert _get(bmc, SYSTEM).json()['IndicatorLED'] == 'Lit'


def _sessions(bmc):
    return _get(bmc, '/redfish/v1/SessionService/Sessions').json()[
        'Members@odata.count']


def test_dmtf_redfish_library_logs_in_with_a_session_and_out(bmc):
    client = redfish.redfish_client(base_url=bmc.url, username='admin',
                                    password='password')
    client.login(auth='session')
    assert _sessions(bmc) == 1
    reply = client.get(SYSTEM)
    assert reply.status == 200 and reply.dict['Id'] == 'system'
    assert reply.getheader('ETag') == reply.dict['@odata.etag']
    manager = client.get('/redfish/v1/Managers/bmc').dict
    assert manager['FirmwareVersion'] and manager['ManagerType'] == 'BMC'
    client.logout()
    assert _sessions(bmc) == 0


def test_accounts_are_the_ipmi_user_table(bmc):
    created = requests.post(
        bmc.url + '/redfish/v1/AccountService/Accounts',
        json={'UserName': 'ops', 'Password': 'opspass1',
              'RoleId': 'Operator'},
        auth=('admin', 'password'), verify=False, timeout=30)
    assert created.status_code == 201, created.text
    uri = created.headers['Location']
    # ipmitool logs in with it, at operator level and not above
    assert _ipmitool(bmc, '-L', 'OPERATOR', 'power', 'status',
                     user='ops', password='opspass1')[0] == 0
    assert _ipmitool(bmc, '-L', 'ADMINISTRATOR', 'power', 'status',
                     user='ops', password='opspass1')[0] != 0
    # a password set over IPMI is the Redfish one
    uid = uri.rsplit('/', 1)[1]
    assert _ipmitool(bmc, 'user', 'set', 'password', uid, 'newpass2')[0] == 0
    assert _get(bmc, SYSTEM, auth=('ops', 'newpass2')).status_code == 200
    assert _get(bmc, SYSTEM, auth=('ops', 'opspass1')).status_code == 401
    # the viewer (IPMI user level) is ReadOnly: may read, not change
    assert _get(bmc, uri.replace(uid, '3'), auth=('viewer', 'viewpass')
                ).json()['RoleId'] == 'ReadOnly'
    refused = requests.patch(bmc.url + SYSTEM, json={'IndicatorLED': 'Lit'},
                             auth=('viewer', 'viewpass'), verify=False,
                             timeout=30)
    assert refused.status_code == 403
    assert requests.delete(bmc.url + uri, auth=('admin', 'password'),
                           verify=False, timeout=30).status_code == 204
    assert _ipmitool(bmc, 'power', 'status', user='ops',
                     password='newpass2')[0] != 0


def _extended(reply):
    info = reply.json()['error']['@Message.ExtendedInfo'][0]
    return info['MessageId'].rsplit('.', 1)[1]


def test_etags_guard_changes_and_errors_are_extended_errors(bmc):
    first = _get(bmc, SYSTEM)
    etag = first.headers['ETag']
    patch = {'Boot': {'BootSourceOverrideTarget': 'Cd'}}

    def send(method, path=SYSTEM, **kwargs):
        kwargs.setdefault('auth', ('admin', 'password'))
        return requests.request(method, bmc.url + path, verify=False,
                                timeout=30, **kwargs)
    assert send('PATCH', json=patch, headers={'If-Match': etag}
                ).status_code == 200
    stale = send('PATCH', json=patch, headers={'If-Match': etag})
    assert stale.status_code == 412
    assert _extended(stale) == 'PreconditionFailed'
    assert _extended(send('PATCH', json={'PowerState': 'Off'})) == \
        'PropertyNotWritable'
    bad = send('PATCH', data=b'{not json',
               headers={'Content-Type': 'application/json'})
    assert (bad.status_code, _extended(bad)) == (400, 'MalformedJSON')
    gone = send('GET', '/redfish/v1/Nowhere')
    assert (gone.status_code, _extended(gone)) == (404, 'ResourceNotFound')
    refused = send('DELETE')
    assert refused.status_code == 405 and 'PATCH' in refused.headers['Allow']
    anonymous = send('GET', auth=None)
    assert anonymous.status_code == 401
    assert 'Basic' in anonymous.headers['WWW-Authenticate']
    assert send('GET', '/redfish/v1/', auth=None).status_code == 200
    assert send('GET', auth=None, headers={'X-Auth-Token': 'forged'}
                ).status_code == 401
    big = send('PATCH', data=b'{' + b' ' * (2 << 20) + b'}')
    assert big.status_code == 413
    wrong = send('POST', SYSTEM + '/Actions/ComputerSystem.Reset',
                 json={'ResetType': 'Explode'})
    assert _extended(wrong) == 'ActionParameterValueNotInList'


def _entries(bmc):
    return _get(bmc, '/redfish/v1/Managers/bmc/LogServices/SEL/Entries'
                ).json()['Members']


def test_sel_entries_are_the_ipmi_sels_and_clear_either_way(bmc):
    code, listing = _ipmitool(bmc, 'sel', 'list')
    assert code == 0
    rows = [line.split('|') for line in listing.strip().splitlines()]
    entries = _entries(bmc)
    # the same records, in the same order, with the same ids, times and
    # assertion direction
    assert [int(row[0], 16) for row in rows] == \
        [int(entry['Id']) for entry in entries]
    for row, entry in zip(rows, entries):
        direction = {'Asserted': 'Assert', 'Deasserted': 'Deassert'}.get(
            row[-1].strip())
        if direction is not None:
            assert entry['EntryCode'] == direction
        if 'UTC' in row[2]:
            month, day, year = row[1].split('/')
            assert entry['Created'] == '20%s-%s-%sT%s+00:00' % (
                year.strip(), month.strip(), day.strip(),
                row[2].replace('UTC', '').strip())
    cleared = requests.post(
        bmc.url + '/redfish/v1/Managers/bmc/LogServices/SEL/Actions/'
        'LogService.ClearLog', json={}, auth=('admin', 'password'),
        verify=False, timeout=30)
    assert cleared.status_code == 200
    assert 'no entries' in _ipmitool(bmc, 'sel', 'list')[1].lower()
    # an event added over IPMI is a Redfish entry at once
    assert _ipmitool(bmc, 'event', '1')[0] == 0
    (added,) = _entries(bmc)
    assert 'upper critical' in added['Message'].lower(), added
    assert _ipmitool(bmc, 'sel', 'clear')[0] == 0
    assert _entries(bmc) == []


def test_sensor_readings_are_what_ipmitool_reads(bmc):
    code, out = _ipmitool(bmc, 'sensor')
    assert code == 0
    rows = {}
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.split('|')]
        if len(cells) >= 4:
            rows[cells[0]] = (cells[1], cells[3])
    members = _get(bmc, '/redfish/v1/Chassis/chassis/Sensors').json()[
        'Members']
    assert len(members) >= 15
    health = {'ok': 'OK', 'nc': 'Warning', 'cr': 'Critical',
              'nr': 'Critical'}
    compared = 0
    for member in members:
        sensor = _get(bmc, member['@odata.id']).json()
        if sensor['Name'] not in rows:
            # ipmitool prints a 6-bit packed name (43.15) raw: only the
            # profile's "PCIE SLOT TEMP" is stored so
            assert sensor['Name'] == 'PCIE SLOT TEMP'
            continue
        value, state = rows[sensor['Name']]
        if value == 'na':
            assert sensor['Reading'] is None
            continue
        assert abs(sensor['Reading'] - float(value)) < 0.0015, sensor
        assert sensor['Status']['Health'] == health[state], sensor
        compared += 1
    assert compared >= 15
    thermal = _get(bmc, '/redfish/v1/Chassis/chassis/Thermal').json()
    fans = {fan['Name']: fan['Reading'] for fan in thermal['Fans']}
    assert fans['Fan1'] == int(float(rows['Fan1'][0]))


_ORIGINAL_READER = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]),
                    verifycallback=lambda der: True)
out = {}
for name, call in [
        ('power', c.get_power), ('bootdev', c.get_bootdev),
        ('sensors', lambda: sorted((s.name, s.value, s.units, s.health)
                                   for s in c.get_sensor_data())),
        ('firmware', lambda: list(c.get_firmware())),
        ('events', lambda: [(e['message'], e['severity'])
                            for e in c.get_event_log()]),
        ('users', c.get_users), ('net', c.get_net_configuration),
        ('inventory', lambda: dict(c.get_inventory())),
        ('set_bootdev', lambda: c.set_bootdev('network')),
        ('set_power', lambda: c.set_power('off')),
        ('power_after', c.get_power)]:
    try:
        out[name] = call()
    except Exception as err:
        out[name] = 'FAILED %s: %s' % (type(err).__name__, err)
print(json.dumps(out, default=str))
'''


def test_pyghmi_1_6_19_redfish_command_reads_and_drives_it(bmc):
    port = bmc.url.rsplit(':', 1)[1]
    got = peers.run_json(peers.original_python(),
                         ['-c', _ORIGINAL_READER, port], ours=False)
    failed = {k: v for k, v in got.items()
              if isinstance(v, str) and v.startswith('FAILED')}
    assert failed == {}
    assert got['power'] == {'powerstate': 'on'}
    assert got['power_after'] == {'powerstate': 'off'}
    assert _ipmitool(bmc, 'power', 'status')[1].strip() == \
        'Chassis Power is off'
    assert 'Force PXE' in _ipmitool(bmc, 'chassis', 'bootparam', 'get',
                                    '5')[1]
    code, mc = _ipmitool(bmc, 'mc', 'info')
    version = re.search(r'Firmware Revision\s*:\s*(\S+)', mc).group(1)
    assert got['firmware'][0][1]['version'] == version
    lan = _ipmitool(bmc, 'lan', 'print', '1')[1]
    address = re.search(r'IP Address\s*:\s*(\S+)', lan).group(1)
    assert got['net']['ipv4_address'].split('/')[0] == address
    names = {name for name, _, _, _ in got['sensors']}
    assert {'CPU1 Temp', '12V', 'Fan1'} <= names
    assert len(got['events']) == len(_entries(bmc)) > 0
    assert got['users']['2']['name'] == 'admin'
    fru = _ipmitool(bmc, 'fru', 'print', '0')[1]
    serial = re.search(r'Product Serial\s*:\s*(\S+)', fru).group(1)
    assert got['inventory']['System']['Serial Number'] == serial
    dimms = [name for name in got['inventory'] if name.startswith('DIMM')]
    assert dimms and got['inventory'][dimms[0]]['capacity_mb'] > 0


def test_a_network_change_either_way_is_seen_by_the_other(bmc):
    uri = '/redfish/v1/Managers/bmc/EthernetInterfaces/1'
    changed = requests.patch(
        bmc.url + uri, json={'IPv4StaticAddresses': [
            {'Address': '192.0.2.77', 'SubnetMask': '255.255.255.0',
             'Gateway': '192.0.2.254'}]},
        auth=('admin', 'password'), verify=False, timeout=30)
    assert changed.status_code == 200, changed.text
    lan = _ipmitool(bmc, 'lan', 'print', '1')[1]
    assert re.search(r'IP Address\s*:\s*192\.0\.2\.77', lan)
    assert re.search(r'Default Gateway IP\s*:\s*192\.0\.2\.254', lan)
    assert _ipmitool(bmc, 'lan', 'set', '1', 'ipsrc', 'dhcp')[0] == 0
    nic = _get(bmc, uri).json()
    assert nic['DHCPv4']['DHCPEnabled'] is True
    assert nic['IPv4Addresses'][0]['AddressOrigin'] == 'DHCP'


def test_sushy_inserts_and_ejects_virtual_media_never_fetched(tmp_path):
    state = tmp_path / 'state.json'
    # a listener where the image "is": nothing may connect to it
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    listener.setblocking(False)
    image = 'http://127.0.0.1:%d/never/fetched.iso' % \
        listener.getsockname()[1]
    # the state file is kept per IPMI port: the same one both times
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--redfish-port', '0', '--state',
                               str(state)], port=port) as proc:
        root = sushy.Sushy(proc.redfish[0][0] + '/redfish/v1', verify=False,
                           auth=sushy.auth.BasicAuth('admin', 'password'))
        manager = root.get_manager('/redfish/v1/Managers/bmc')
        slots = {m.identity: m for m in
                 manager.virtual_media.get_members()}
        assert set(slots) == {'Cd', 'Floppy'}
        slots['Cd'].insert_media(image, inserted=True,
                                 write_protected=True)
        slots['Cd'].refresh()
        assert slots['Cd'].image == image and slots['Cd'].inserted
    # kept across a restart (fakebmc --state), and ejected
    with peers.FakeBmcProcess(['--redfish-port', '0', '--state',
                               str(state)], port=port) as proc:
        url = proc.redfish[0][0]
        cd = requests.get(url + '/redfish/v1/Managers/bmc/VirtualMedia/Cd',
                          auth=('admin', 'password'), verify=False,
                          timeout=30).json()
        assert cd['Image'] == image and cd['ConnectedVia'] == 'URI'
        root = sushy.Sushy(url + '/redfish/v1', verify=False,
                           auth=sushy.auth.BasicAuth('admin', 'password'))
        cdrom = root.get_manager('/redfish/v1/Managers/bmc').virtual_media \
            .get_member('/redfish/v1/Managers/bmc/VirtualMedia/Cd')
        cdrom.eject_media()
        cdrom.refresh()
        assert cdrom.image is None and not cdrom.inserted
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()


def test_bios_settings_wait_for_the_next_boot(bmc):
    from sushy.resources import constants as rc
    system = _sushy(bmc).get_system(SYSTEM)
    setup = system.bios
    assert setup.attributes['HyperThreading'] is True
    setup.set_attributes({'HyperThreading': False, 'PowerLimitWatts': 500})
    setup.refresh()
    # pending until the system boots: IPMI's power cycle boots it
    assert setup.pending_attributes == {'HyperThreading': False,
                                        'PowerLimitWatts': 500}
    assert setup.attributes['HyperThreading'] is True
    assert _ipmitool(bmc, 'power', 'cycle')[0] == 0
    setup.refresh()
    assert setup.attributes['HyperThreading'] is False
    assert setup.attributes['PowerLimitWatts'] == 500
    assert setup.pending_attributes == {}
    registry = _get(bmc, '/redfish/v1/Registries/BiosAttributeRegistry.1.0.0'
                    '/BiosAttributeRegistry.1.0.0').json()
    entries = {e['AttributeName']: e
               for e in registry['RegistryEntries']['Attributes']}
    assert entries['PowerLimitWatts']['UpperBound'] == 1500
    for bad in ({'BootMode': 'Floppy'}, {'PowerLimitWatts': 5000},
                {'BiosVersion': '9'}, {'NoSuch': 1}):
        refused = requests.patch(
            bmc.url + SYSTEM + '/Bios/Settings', json={'Attributes': bad},
            auth=('admin', 'password'), verify=False, timeout=30)
        assert refused.status_code == 400, bad
    system.reset_system(rc.ResetType.FORCE_RESTART)
    setup.refresh()
    assert setup.pending_attributes == {}


_ORIGINAL_NTP = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]),
                    verifycallback=lambda der: True)
before = [c.get_ntp_enabled(), list(c.get_ntp_servers())]  # (it aliases)
c.set_ntp_server('192.0.2.123', 0)
c.set_ntp_enabled(True)
print(json.dumps(before + [c.get_ntp_enabled(), c.get_ntp_servers()]))
'''


def test_ntp_through_pyghmi_1_6_19_is_kept_in_state(tmp_path):
    state = tmp_path / 'state.json'
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--redfish-port', '0', '--state',
                               str(state)], port=port) as proc:
        url = proc.redfish[0][0]
        got = peers.run_json(peers.original_python(),
                             ['-c', _ORIGINAL_NTP, url.rsplit(':', 1)[1]],
                             ours=False)
        assert got == [False, [], True, ['192.0.2.123']]
        protocol = requests.get(
            url + '/redfish/v1/Managers/bmc/NetworkProtocol',
            auth=('admin', 'password'), verify=False, timeout=30).json()
        assert protocol['IPMI']['Port'] == port
        assert protocol['HTTPS']['Port'] == int(url.rsplit(':', 1)[1])
    with peers.FakeBmcProcess(['--redfish-port', '0', '--state',
                               str(state)], port=port) as proc:
        ntp = requests.get(
            proc.redfish[0][0] + '/redfish/v1/Managers/bmc/NetworkProtocol',
            auth=('admin', 'password'), verify=False, timeout=30).json()[
                'NTP']
        assert ntp == {'ProtocolEnabled': True,
                       'NTPServers': ['192.0.2.123']}


_ORIGINAL_UPDATE = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]),
                    verifycallback=lambda der: True)
seen = []
result = c.update_firmware(sys.argv[2], progress=seen.append)
print(json.dumps([result, seen]))
'''


def test_firmware_pushed_by_pyghmi_1_6_19_runs_a_task(bmc, tmp_path):
    image = tmp_path / 'firmware.bin'
    image.write_bytes(bytes(range(256)) * 1000)
    port = bmc.url.rsplit(':', 1)[1]
    result, seen = peers.run_json(
        peers.original_python(),
        ['-c', _ORIGINAL_UPDATE, port, str(image)], ours=False)
    # multipart upload, then the task monitored to Completed
    assert result == 'pending'
    assert seen[-1] == {'phase': 'apply', 'progress': 100.0}
    tasks = _get(bmc, '/redfish/v1/TaskService/Tasks').json()['Members']
    task = _get(bmc, tasks[-1]['@odata.id']).json()
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    assert task['TaskState'] == 'Completed'
    assert '256000 bytes (SHA-256 %s)' % digest[:16] in \
        task['Messages'][0]['Message']
    # the plain push URI: the body is the image
    pushed = requests.post(
        bmc.url + '/redfish/v1/UpdateService/upload', data=b'\x7fELF' * 99,
        headers={'Content-Type': 'application/octet-stream'},
        auth=('admin', 'password'), verify=False, timeout=30)
    assert pushed.status_code == 202
    location = pushed.headers['Location']
    done = peers.poll(lambda: _get(bmc, location).json()['TaskState'],
                      lambda state: state == 'Completed')
    assert done == 'Completed'
    wrong = requests.post(
        bmc.url + '/redfish/v1/UpdateService/update-multipart',
        files={'UpdateParameters': (None, '{"Targets": ["/redfish/v1/x"]}',
                                    'application/json'),
               'UpdateFile': ('f.bin', b'data')},
        auth=('admin', 'password'), verify=False, timeout=30)
    assert wrong.status_code == 400


def _redfishtool(bmc, *args):
    # redfishtool does not verify certificates, but requests lets
    # REQUESTS_CA_BUNDLE turn verification back on
    env = {k: v for k, v in os.environ.items()
           if k not in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')}
    tool = shutil.which('redfishtool') or os.path.join(
        os.path.dirname(sys.executable), 'redfishtool')
    out = subprocess.run(
        [tool, '-r', bmc.url[len('https://'):], '-u', 'admin', '-p',
         'password', '-S', 'Always'] + list(args), capture_output=True,
        text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_redfishtool_drives_power_and_boot_that_ipmitool_reads(bmc):
    _redfishtool(bmc, 'Systems', '-I', 'system', 'reset', 'ForceOff')
    assert _ipmitool(bmc, 'power', 'status')[1].strip() == \
        'Chassis Power is off'
    _redfishtool(bmc, 'Systems', '-I', 'system', 'setBootOverride', 'Once',
                 'Cd')
    assert 'Force Boot from CD/DVD' in _ipmitool(
        bmc, 'chassis', 'bootparam', 'get', '5')[1]
    assert _ipmitool(bmc, 'power', 'on')[0] == 0
    system = json.loads(_redfishtool(bmc, 'Systems', '-I', 'system', 'get'))
    assert system['PowerState'] == 'On'
    assert system['Boot']['BootSourceOverrideTarget'] == 'Cd'


def test_sushy_reads_processors_and_memory_of_the_profile(bmc):
    system = _sushy(bmc).get_system(SYSTEM)
    cpus = {cpu.identity: cpu for cpu in system.processors.get_members()}
    assert set(cpus) == {'CPU1', 'CPU2'}
    assert cpus['CPU1'].total_cores == 32 and cpus['CPU1'].total_threads == 64
    summary = system.processors.summary
    # (sushy's summary counts threads)
    assert summary.count == 128 and summary.architecture.value == 'x86'
    # (sushy has no Memory collection reader: read it raw)
    memory = _get(bmc, SYSTEM + '/Memory').json()['Members']
    dimms = [_get(bmc, m['@odata.id']).json() for m in memory]
    assert dimms and all(dimm['CapacityMiB'] > 0 for dimm in dimms)
    assert system.serial_number and system.manufacturer
