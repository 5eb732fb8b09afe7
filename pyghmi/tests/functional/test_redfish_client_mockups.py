"""The Redfish client reading DMTF's public mockups (served over TLS by
sushy-tools' sushy-static), beside pyghmi 1.6.19's own and beside
independent readers (sushy, DMTF's redfish library).

The mockups are DMTF's data (BSD-3) kept in ``../shared/redfish``: read
there, never copied; without them these tests skip, saying so."""

import datetime
import json
import os
import subprocess
import sys

import pytest

from pyghmi.redfish import command
from pyghmi.tests.functional import peers

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')

MOCKUPS = os.path.join(peers.TOP, '..', 'shared', 'redfish', 'mockups')
needs_mockups = pytest.mark.skipif(
    not os.path.isdir(MOCKUPS),
    reason='DMTF mockups not found at ../shared/redfish/mockups')

_READS = r'''
import json, sys
from pyghmi.redfish import command
kw = {'sysurl': sys.argv[2]} if len(sys.argv) > 2 else {}
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=int(sys.argv[1]), **kw)
''' + peers.REDFISH_RECORDER + r'''
for name in ('get_power', 'get_bootdev', 'get_identify', 'get_health',
             'get_sensor_descriptions', 'get_sensor_data', 'get_event_log',
             'get_firmware', 'get_users', 'get_net_configuration',
             'get_net6_configuration', 'get_hostname', 'get_ntp_enabled',
             'get_ntp_servers', 'get_inventory', 'get_inventory_descriptions',
             'get_description', 'get_location_information',
             'list_network_interface_names', 'get_system_configuration',
             'list_media', 'get_update_status', 'get_inlet_temperature',
             'get_system_power_watts', 'get_average_processor_temperature',
             'get_trusted_cas', 'get_bmc_configuration'):
    record(name, getattr(c, name))
record('user 1', lambda: c.get_user(1))
record('cpu', lambda: c.get_inventory_of_component('CPU1'))
print(json.dumps(out, default=repr))
'''

# Where pyghmi 1.6.19 is wrong on these mockups (each is listed on the
# migration page): the original's KeyError/TypeError are not compared.
_ORIGINAL_FAULTS = ('KeyError', 'TypeError')


@pytest.fixture(params=['public-rackmount1', 'public-localstorage',
                        'public-bladed'])
def mockup(request, tmp_path):
    """A DMTF mockup served over HTTPS: ``(port, sysurl)``."""
    import requests

    from pyghmi.redfish.service import http
    if not os.path.isdir(MOCKUPS):
        pytest.skip('DMTF mockups not found at ../shared/redfish/mockups')
    cert, key = http.self_signed()
    (tmp_path / 'cert.pem').write_bytes(cert)
    (tmp_path / 'key.pem').write_bytes(key)
    port = peers.free_tcp_port()
    program = os.path.join(os.path.dirname(sys.executable), 'sushy-static')
    proc = subprocess.Popen(
        [program, '-i', '127.0.0.1', '-p', str(port), '-m',
         os.path.join(MOCKUPS, request.param), '-c',
         str(tmp_path / 'cert.pem'), '-k', str(tmp_path / 'key.pem')],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def up():
        try:
            return requests.get('https://127.0.0.1:%d/redfish/v1/' % port,
                                verify=False, timeout=2).ok
        except requests.RequestException:
            return False
    try:
        assert peers.poll(up, bool, limit=30)
        sysurl = None
        if request.param == 'public-bladed':    # four systems, one BMC
            sysurl = '/redfish/v1/Systems/529QB9451R6'
        yield request.param, port, sysurl
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _reads(port, sysurl, ours):
    python = sys.executable if ours else peers.original_python()
    args = ['-c', _READS, str(port)] + ([sysurl] if sysurl else [])
    env = dict(os.environ)
    env.pop('REQUESTS_CA_BUNDLE', None)
    out = subprocess.run([python] + args, capture_output=True, text=True,
                         timeout=120, env=env, cwd='/')
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@needs_mockups
def test_every_read_matches_the_original_or_fixes_it(mockup):
    name, port, sysurl = mockup
    theirs = _reads(port, sysurl, ours=False)
    ours = _reads(port, sysurl, ours=True)
    assert [n for n, _ in ours] == [n for n, _ in theirs]
    for (call, mine), (_, original) in zip(ours, theirs):
        assert not (isinstance(mine, dict) and mine.get('raised') in
                    _ORIGINAL_FAULTS), call
        if isinstance(original, dict) and \
                original.get('raised') in _ORIGINAL_FAULTS:
            continue          # the original's fault, fixed here
        if call == 'get_event_log':
            # the same entries; times shifted by the BMC's (frozen)
            # clock, read a moment apart by the two clients
            assert [(e['log_id'], e['message'], e['severity'])
                    for e in mine] == [(e['log_id'], e['message'],
                                        e['severity']) for e in original]
            for a, b in zip(mine, original):
                gap = datetime.datetime.fromisoformat(a['timestamp']) - \
                    datetime.datetime.fromisoformat(b['timestamp'])
                assert abs(gap) < datetime.timedelta(seconds=60)
        elif call == 'get_net6_configuration':
            # the original read VLANEnabled (not in the schema): 'off'
            assert dict(mine, vlan_id='off') == original
        elif call == 'list_media' and original == []:
            # the original looked at the manager's slots only
            assert all(set(m) == {'name', 'url'} for m in mine)
        else:
            assert mine == original, call
    found = dict(ours)
    assert found['get_sensor_data'] or name == 'public-bladed'
    assert found['get_inventory'][0][0] == 'System'
    assert found['get_power']['powerstate'] in ('on', 'off')


@needs_mockups
def test_independent_readers_agree(mockup):
    """sushy and DMTF's redfish library read the same resources."""
    import redfish
    import sushy
    name, port, sysurl = mockup
    url = 'https://127.0.0.1:%d' % port
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=port, sysurl=sysurl)
    root = sushy.Sushy(url + '/redfish/v1', verify=False,
                       auth=sushy.auth.BasicAuth('admin', 'password'))
    system = root.get_system(c.sysurl)
    assert c.get_power()['powerstate'] == str(
        system.power_state.value).lower()
    inventory = dict(c.get_inventory())
    assert inventory['System']['Serial Number'] == system.serial_number
    assert inventory['System']['Manufacturer'] == system.manufacturer
    processors = [n for n, i in c.get_inventory() if i and 'Model' in i
                  and len(i) == 1]
    assert len(processors) == len(system.processors.get_members())
    dmtf = redfish.redfish_client(base_url=url, username='admin',
                                  password='password')
    for sensor in c.get_sensor_descriptions():
        if sensor.get('generic'):
            body = dmtf.get(sensor['url']).dict
            assert c.get_sensor_reading(sensor['name']).value == \
                body.get('Reading'), sensor['name']
    manager = dmtf.get(c.oem._bmcurl).dict
    nics = dmtf.get(manager['EthernetInterfaces']['@odata.id']).dict
    assert sorted(c.list_network_interface_names()) == sorted(
        m['@odata.id'].rstrip('/').rsplit('/', 1)[1]
        for m in nics['Members'])
    c.logout()
