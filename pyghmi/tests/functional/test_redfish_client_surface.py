"""The rest of the Redfish client's surface (inventory, users, network,
location, BIOS settings, virtual media, environment readings) against
fakebmc's Redfish side, beside pyghmi 1.6.19's own in its virtualenv:
reads give the original's values, and what our client writes is read
back by the original (a second, independent client)."""

import json

import pytest

from pyghmi import exceptions as exc
from pyghmi.redfish import command
from pyghmi.tests.functional import peers

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')

_PRELUDE = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=int(sys.argv[1]))
''' + peers.REDFISH_RECORDER

_READS = _PRELUDE + r'''
record('inventory', lambda: c.get_inventory())
record('inventory withids', lambda: c.get_inventory(withids=True))
record('descriptions', lambda: c.get_inventory_descriptions())
record('descriptions withids',
       lambda: c.get_inventory_descriptions(withids=True))
record('system', lambda: c.get_inventory_of_component('System'))
record('cpu', lambda: c.get_inventory_of_component('cpu1'))
record('no such part', lambda: c.get_inventory_of_component('Toaster'))
record('description', c.get_description)
record('location', c.get_location_information)
record('nic names', lambda: c.list_network_interface_names())
record('net6', c.get_net6_configuration)
record('user 2', lambda: c.get_user(2))
record('user 99', lambda: c.get_user(99))
record('system configuration', c.get_system_configuration)
record('media', lambda: c.list_media())
record('update status', c.get_update_status)
record('inlet', c.get_inlet_temperature)
record('watts', c.get_system_power_watts)
record('cpu temperature', c.get_average_processor_temperature)
record('trusted cas', lambda: c.get_trusted_cas())
record('ikvm methods', c.get_ikvm_methods)
record('ikvm launch data', c.get_ikvm_launchdata)
record('bmc configuration', c.get_bmc_configuration)
record('licenses', lambda: c.get_licenses())
record('screenshot', lambda: c.get_screenshot('/dev/null'))
record('storage', c.get_storage_configuration)
print(json.dumps(out, default=repr))
'''

_STATE = _PRELUDE + r'''
record('users', c.get_users)
record('location', c.get_location_information)
record('media', lambda: [(m.name, m.url) for m in c.list_media()])
record('net6', c.get_net6_configuration)
record('bios', lambda: {k: v['value'] for k, v in
                        c.get_system_configuration().items()})
print(json.dumps(dict(out), default=repr))
'''


@pytest.fixture
def bmc():
    with peers.redfish_fakebmc() as proc:
        yield proc


def _run(bmc, script, ours):
    python = peers.sys.executable if ours else peers.original_python()
    return peers.run_json(python, ['-c', script, str(bmc.https_port)], ours)


def _client(bmc):
    return command.Command('127.0.0.1', 'admin', 'password',
                           lambda der: True, port=bmc.https_port)


def test_reads_give_the_originals_values(bmc):
    theirs = _run(bmc, _READS, ours=False)
    ours = _run(bmc, _READS, ours=True)
    assert [n for n, _ in ours] == [n for n, _ in theirs]
    for (name, mine), (_, original) in zip(ours, theirs):
        if name == 'licenses':
            # the original raised UnsupportedFunctionality() with no
            # message; ours names what is missing (the same class)
            assert mine == original == {'raised': 'UnsupportedFunctionality'}
            continue
        assert mine == original, name
    found = dict(ours)
    # what the comparison stands on: fakebmc's FRU and SDR, not empties
    assert len(found['inventory']) >= 5
    assert found['system']['Serial Number']
    assert found['cpu'] == {'Model': found['inventory'][1][1]['Model']}
    assert found['no such part'] is None
    assert found['user 2']['name'] == 'admin'
    assert found['system configuration']


def test_writes_are_read_back_by_the_original(bmc):
    before = _run(bmc, _STATE, ours=False)
    c = _client(bmc)
    assert c.create_user(3, 'bob', 'secret-1234', 'Operator') is True
    assert c.get_user(3)['access']['privilege_level'] == 'Operator'
    c.set_user_access(3, 'readonly')          # role names match any case
    assert c.set_user_name(3, 'rob') is True
    assert c.set_user_password(3, password='other-5678') is True
    c.set_location_information(room='R12', rack='7', contactnames=['Ann'])
    c.attach_remote_media('http://192.0.2.9/images/boot.iso')
    name = sorted(n for n, v in before['bios'].items()
                  if isinstance(v, bool))[0]
    c.set_system_configuration({name: str(not before['bios'][name])})
    after = _run(bmc, _STATE, ours=False)
    assert after['users']['3'] == {
        'name': 'rob', 'uid': '3', 'expiration': None,
        'access': {'privilege_level': 'ReadOnly'}}
    assert after['location'] == dict(before['location'], room='R12',
                                     rack='7', contactnames=['Ann'])
    assert after['media'] == [['boot.iso', 'http://192.0.2.9/images']]
    assert after['bios'][name] is (not before['bios'][name])
    # the new password logs in
    rob = command.Command('127.0.0.1', 'rob', 'other-5678',
                          lambda der: True, port=bmc.https_port)
    assert rob.get_power()['powerstate'] in ('on', 'off')
    rob.logout()
    c.detach_remote_media()
    assert c.user_delete(3) is None
    final = _run(bmc, _STATE, ours=False)
    assert final['media'] == [] and '3' not in final['users']
    c.logout()


def test_bad_arguments_are_refused_before_anything_is_sent(bmc):
    c = _client(bmc)
    sent = c.transport.connections
    for call in (lambda: c.set_net_configuration(ipv4_address='300.1.1.1'),
                 lambda: c.set_net_configuration(vlan_id=5000),
                 lambda: c.set_net_configuration(ipv4_configuration='auto'),
                 lambda: c.set_net6_configuration(static_addresses=['x']),
                 lambda: c.set_ntp_server('192.0.2.1', index=-1),
                 lambda: c.set_user_password(2, mode='explode'),
                 lambda: c.set_bootdev('toaster'),
                 lambda: c.set_power('sideways'),
                 lambda: c.attach_remote_media(''),
                 lambda: c.set_system_configuration(['not', 'a', 'dict'])):
        with pytest.raises(exc.InvalidParameterValue):
            call()
    with pytest.raises(exc.InvalidParameterValue) as caught:
        c.set_system_configuration({'NoSuchSetting': 1})
    assert 'NoSuchSetting' in str(caught.value)
    assert c.transport.connections == sent
    c.logout()


def test_attach_fails_clearly_when_every_slot_is_busy(bmc):
    """pyghmi 1.6.19 did nothing, silently, when no slot was free."""
    c = _client(bmc)
    c.attach_remote_media('http://192.0.2.9/a.iso')
    c.attach_remote_media('http://192.0.2.9/b.img')
    with pytest.raises(exc.PyghmiException) as caught:
        c.attach_remote_media('http://192.0.2.9/c.iso')
    assert 'No free virtual media slot' in str(caught.value)
    assert sorted(m.name for m in c.list_media()) == ['a.iso', 'b.img']
    c.detach_remote_media()
    assert list(c.list_media()) == []
    c.logout()


def test_network_configuration_round_trip(bmc):
    c = _client(bmc)
    before = c.get_net_configuration()
    c.set_net_configuration(ipv4_address='192.0.2.50/24',
                            ipv4_gateway='192.0.2.1')
    other = _client(bmc)
    assert other.get_net_configuration() == dict(
        before, ipv4_address='192.0.2.50/24', ipv4_gateway='192.0.2.1',
        ipv4_configuration='Static')
    # fakebmc's VLAN is read-only: the service's refusal, as it said it
    with pytest.raises(exc.RedfishError) as caught:
        c.set_net_configuration(vlan_id=12)
    assert 'VLAN' in str(caught.value)
    for client in (c, other):
        client.logout()


def test_inventory_is_read_in_parallel_once(bmc):
    c = _client(bmc)
    reads = []
    original = c.transport.request

    def counting(method, path, *args, **kwargs):
        reads.append((method, path))
        return original(method, path, *args, **kwargs)
    c.transport.request = counting
    inventory = list(c.get_inventory())
    assert inventory[0][0] == 'System'
    gets = [p for m, p in reads if m == 'GET']
    assert len(gets) == len(set(gets)), 'a resource was read twice'
    assert c.transport.connections <= c.transport.maxsize
    assert json.dumps(inventory, default=str)
    c.logout()


def test_firmware_update_is_pushed_and_followed(bmc, tmp_path):
    """A multipart push (DSP0266's MultipartHttpPushUri) parsed by the
    service with Python's email parser, its task followed to the end."""
    import hashlib

    import requests
    image = bytes(range(256)) * 40 + b'--boundary-like--\r\n'
    path = tmp_path / 'bmc-fw.bin'
    path.write_bytes(image)
    c = _client(bmc)
    assert c.get_update_status() == 'ready'
    seen = []
    assert c.update_firmware(str(path), progress=seen.append) == 'pending'
    phases = [p['phase'] for p in seen]
    assert phases[0] == 'upload' and phases[-1] == 'complete'
    assert seen[-1]['progress'] == 100.0
    tasks = requests.get(bmc.redfish[0][0] +
                         '/redfish/v1/TaskService/Tasks',
                         auth=('admin', 'password'), verify=False,
                         timeout=30).json()['Members']
    task = requests.get(bmc.redfish[0][0] + tasks[-1]['@odata.id'],
                        auth=('admin', 'password'), verify=False,
                        timeout=30).json()
    assert 'Image of %d bytes (SHA-256 %s)' % (
        len(image), hashlib.sha256(image).hexdigest()[:16]) in \
        task['Messages'][0]['Message']
    with pytest.raises(exc.InvalidParameterValue):
        c.update_firmware(str(tmp_path / 'missing.bin'))
    c.logout()


def test_bios_reset_and_bmc_reset(bmc):
    c = _client(bmc)
    settings = c.get_system_configuration()
    name = next(n for n, v in settings.items() if v.get('possible') and
                len(v['possible']) > 1 and not isinstance(v['value'], bool))
    other = next(p for p in settings[name]['possible']
                 if p != settings[name]['value'])
    c.set_system_configuration({name: other})
    assert _client(bmc).get_system_configuration()[name]['value'] == other
    c.clear_system_configuration()
    assert _client(bmc).get_system_configuration()[name]['value'] == \
        settings[name]['default']
    c.reset_bmc()          # fakebmc's cold reset: it stays up
    assert _client(bmc).get_power()['powerstate'] in ('on', 'off')
    with pytest.raises(exc.UnsupportedFunctionality):
        c.clear_bmc_configuration()
    c.logout()


_SIGNATURES = r'''
import inspect, json
from pyghmi.redfish import command
from pyghmi.util import webclient
out = {}
for prefix, cls in (('Command', command.Command),
                    ('SecureHTTPConnection', webclient.SecureHTTPConnection)):
    for name, member in vars(cls).items():
        if name.startswith('_') and name != '__init__':
            continue
        if isinstance(member, property):
            out[prefix + '.' + name] = 'property'
        elif callable(member):
            out[prefix + '.' + name] = [
                [p.name, p.kind.name, p.default is not p.empty]
                for p in inspect.signature(member).parameters.values()]
print(json.dumps(out))
'''


def test_every_method_of_the_original_with_a_compatible_signature():
    """pyghmi 1.6.19's redfish Command and SecureHTTPConnection, read
    in its own interpreter: each public name exists here, callable with
    the same arguments (or a property where it had one)."""
    from pyghmi.tests.unit import api_surface
    from pyghmi.util import webclient
    theirs = peers.run_json(peers.original_python(), ['-c', _SIGNATURES],
                            False)
    classes = {'Command': command.Command,
               'SecureHTTPConnection': webclient.SecureHTTPConnection}
    problems = []
    for name, signature in sorted(theirs.items()):
        owner, attribute = name.split('.', 1)
        mine = getattr(classes[owner], attribute, None)
        if mine is None:
            problems.append('%s is missing' % name)
        elif signature == 'property':
            if not isinstance(getattr(classes[owner], attribute), property):
                problems.append('%s is not a property' % name)
        else:
            why = api_surface.signature_problem(signature, mine)
            if why:
                problems.append('%s: %s' % (name, why))
    assert len(theirs) > 70
    assert problems == []
