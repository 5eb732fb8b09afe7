"""The Lenovo handler against fakebmc's ThinkServer TSM profile, beside
pyghmi 1.6.19's own Lenovo handler reading the same BMC."""

import ast
import json
import os
import re
import subprocess
import tempfile

import pytest

from pyghmi import exceptions as exc
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.ipmi.oem import lookup
from pyghmi.ipmi.oem.lenovo import handler as lenovo
from pyghmi.ipmi.oem.lenovo import nextscale
from pyghmi.tests.functional import peers

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
ORIG_PY = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'python')
TSM_PROFILE = os.path.join(TOP, 'pyghmi', 'fakebmc',
                           'lenovo_tsm_profile.json')
TSM_COMPONENT = re.compile(r'(CPU|DIMM|PCI|Drive|Power Supply|RAID Drive|'
                           r'RAID Controller) [0-9]+$')
ORIGINAL = '''
import json, re, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
def text(v):
    return v.decode() if isinstance(v, bytes) else v
def plain(d):
    return d if d is None else {k: text(v) for k, v in d.items()}
names = [n for n in c.get_inventory_descriptions()
         if re.match(r'(CPU|DIMM|PCI|Drive|Power Supply|RAID Drive|'
                     r'RAID Controller) [0-9]+$', n)]
def event(e):
    return {k: (bytes(v).hex() if isinstance(v, (bytes, bytearray)) else v)
            for k, v in e.items() if k != 'timestamp'}
print(json.dumps({
    'events': [event(e) for e in c.get_event_log()],
    'firmware': [[n, text(v['version'])] for n, v in c.get_firmware()],
    'leds': [[n, v['status']] for n, v in c.get_leds()],
    'inventory': {n: plain(c.get_inventory_of_component(n)) for n in names},
}))
'''


def _original(script, *args):
    """Run ``script`` with pyghmi 1.6.19 (its own virtualenv, never
    this tree) and return the JSON its last line prints."""
    if not os.path.exists(ORIG_PY):
        pytest.fail('pyghmi 1.6.19 is not installed in .venv-pyghmi-1.6.19 '
                    '(make test-deps installs it)')
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([ORIG_PY, '-c', script] + [str(a) for a in args],
                             capture_output=True, text=True, timeout=120,
                             env=env, cwd=tmp)
    assert out.returncode == 0, out.stderr[-800:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope='module')
def tsm():
    with peers.FakeBmcProcess(['--profile', TSM_PROFILE]) as bmc:
        yield bmc


def test_lenovo_ids_have_the_handler():
    for mfg in (19046, 20301, 7154):
        handler, vendor = lookup.get_oem_handler(
            {'manufacturer_id': mfg, 'product_id': 1, 'device_id': 32},
            None)
        assert vendor and isinstance(handler, lenovo.OEMHandler)


def test_tsm_firmware_leds_capping(tsm):
    c = peers.connect(tsm)
    try:
        assert c._handler.kind == 'tsm'
        firmware = dict(c.get_firmware())
        assert firmware['BMC'] == {'version': '1.42'}
        assert firmware['Bios'] == {'version': '1.50'}
        assert firmware['Operational ME'] == {'version': '4.1.4.296'}
        assert firmware['RAID 1'] == {'version': ''}
        assert firmware['Bios_bundle_ver'] == {'version': '1.50.1234'}
        assert firmware['Bios_current_ver'] == {'version': '1.49.1200'}
        assert c.get_leds() == [
            ('BMC_UID', {'status': 'On'}),
            ('BMC_HEARTBEAT', {'status': 'Blink'}),
            ('SYSTEM_FAULT', {'status': 'Off'}),
            ('PSU1_FAULT', {'status': 'Off'}),
            ('PSU2_FAULT', {'status': 'On'})]
        assert c.get_capping_enabled() is True
        assert c.set_capping_enabled(False) is None
        assert c.get_remote_kvm_available() is True
        assert c.get_inventory_of_component('System')['oem_parser'] == \
            'lenovo'
        inventory = dict(c.get_inventory())
        assert [n for n in inventory if TSM_COMPONENT.match(n)] == [
            'CPU 1', 'CPU 2', 'DIMM 1', 'DIMM 2', 'PCI 1', 'Drive 1',
            'Power Supply 1',          # PCI 2 empty, PSU 2 absent
            'RAID Drive 1', 'RAID Controller 1']
        assert inventory['RAID Controller 1']['FlashComponent2Version'] == \
            '51.16.0-4076'
        assert inventory['CPU 1']['Maximum Frequency'] == '3600 MHz'
        assert inventory['DIMM 2']['serial'] == 'a0b0c0d'
        assert inventory['DIMM 1']['capacity_mb'] == 16384
        assert inventory['Drive 1']['InterfaceType'] == 'SATA'
        assert inventory['Power Supply 1']['DMTF Power Supply Type'] == \
            'Switching'
    finally:
        c.logout()


def test_pyghmi_1_6_19_reads_the_same(tsm):
    theirs = _original(ORIGINAL, tsm.port)
    c = peers.connect(tsm)
    try:
        names = [n for n in c.get_inventory_descriptions()
                 if TSM_COMPONENT.match(n)]
        ours = {'firmware': [[n, v['version']] for n, v in c.get_firmware()],
                'leds': [[n, v['status']] for n, v in c.get_leds()],
                'inventory': {n: c.get_inventory_of_component(n)
                              for n in names}}
    finally:
        c.logout()
    theirs_events = {e['record_id']: e for e in theirs.pop('events')}
    assert ours == theirs
    # Lenovo's OEM records and ME event, refined alike; the drive bay
    c = peers.connect(tsm)
    try:
        events = c.get_event_log()
    finally:
        c.logout()
    lenovo = [e for e in events if e['record_id'] >= 10]
    assert len(lenovo) == 6
    for mine in lenovo[:5]:
        mine = {k: (bytes(v).hex() if isinstance(v, bytearray) else v)
                for k, v in mine.items() if k != 'timestamp'}
        assert mine == theirs_events[mine['record_id']]
    assert lenovo[0]['component'] == 'UEFI/BIOS 1'
    assert lenovo[0]['event'] == 'Update succeeded'
    assert lenovo[2]['event_data'] == ('User 3 on channel 1 had privilege '
                                       'changed from 2 to 4')
    assert lenovo[3]['event'] == 'OEM event: 09 08 07 06 05 04'
    assert lenovo[4]['event'] == 'ME update'
    assert lenovo[5]['component'] == 'Drive 0 5' == \
        theirs_events[lenovo[5]['record_id']]['component']


def test_xcc_features_over_https_are_refused_clearly(tmp_path):
    data = profiles.load(TSM_PROFILE)
    data['oem_commands'][0] = {'netfn': 0x3a, 'command': 0xc1,
                               'response': '001000'}      # an XCC
    path = tmp_path / 'xcc.json'
    path.write_text(json.dumps(data))
    with peers.FakeBmcProcess(['--profile', str(path)]) as bmc:
        c = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        try:
            assert c._handler.kind == 'xcc'
            with pytest.raises(exc.UnsupportedFunctionality) as info:
                c.get_licenses()
            assert 'HTTPS' in str(info.value)
            assert [n for n, _ in c.get_firmware()] == ['BMC Version']
            assert c.get_leds() == ()
        finally:
            c.logout()


def test_tsm_ntp_and_domain_name(tsm):
    """The profile accepts only the exact set requests the layouts in
    oem/lenovo/tsm.py give (any other byte is refused), so each set
    below succeeds only when its bytes are right."""
    c = peers.connect(tsm)
    try:
        assert c.get_ntp_enabled() is True
        assert c.get_ntp_servers() == ['pool.ntp.org', '']
        assert c.set_ntp_enabled(True) is True
        assert c.set_ntp_enabled(False) is True
        assert c.set_ntp_server('time.example.net', 1) is True
        with pytest.raises(exc.IpmiException):
            c.set_ntp_server('other.example.net', 1)   # refused by the BMC
        with pytest.raises(exc.InvalidParameterValue):
            c.set_ntp_server('x' * 129, 0)             # never sent
        with pytest.raises(exc.InvalidParameterValue):
            c.set_ntp_server('pool.ntp.org', 2)
        assert c.get_domain_name() == 'lab.example.com'
        c.set_domain_name('ops.example.org')
        with pytest.raises(exc.InvalidParameterValue):
            c.set_domain_name('d\u00e9j\u00e0.example')
    finally:
        c.logout()


ORIGINAL_NTP = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
out = {}
for name in ('get_ntp_enabled', 'get_ntp_servers', 'get_domain_name'):
    try:
        out[name] = repr(getattr(c, name)())
    except Exception as err:
        out[name] = type(err).__name__
# the profile accepts only the bytes 03 03 00 00 00 for this command
out['rights'] = c.set_extended_privilleges(3)
print(json.dumps(out))
'''


def test_what_pyghmi_1_6_19_makes_of_the_same_answers(tsm):
    """The original sends the same requests but cannot decode the
    answers on Python 3 (it compares bytes with text): recorded here,
    and listed in the migration page, so the difference is known."""
    original = _original(ORIGINAL_NTP, tsm.port)
    assert original == {'get_ntp_enabled': 'False',
                        'get_ntp_servers': 'AttributeError',
                        'get_domain_name': 'TypeError', 'rights': True}
    c = peers.connect(tsm)
    try:
        # the same request bytes as the original's (the profile takes
        # no other), and a refusal for another user reaches the caller
        assert c.set_extended_privilleges(3) is True
        with pytest.raises(exc.IpmiException):
            c.set_extended_privilleges(4)
    finally:
        c.logout()


FPC_PROFILE = os.path.join(TOP, 'pyghmi', 'fakebmc', 'lenovo_fpc_profile.json')
FPC_NAMES = re.compile(r'(AC Power|DC Power|Fan Power|PSU Fan Speed \d+|'
                       r'Total Power Capacity|Node Power Permission \d+|'
                       r'Power Supply \d+)$')
ORIGINAL_FPC = '''
import json, re, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
names = re.compile(sys.argv[2])
print(json.dumps({
    'firmware': [[n, v] for n, v in c.get_firmware()],
    'sensors': [[r.name, r.value, r.units, r.states, r.health, r.type]
                for r in c.get_sensor_data() if names.match(r.name)],
    'descriptions': [d for d in c.get_sensor_descriptions()
                     if names.match(d['name'])],
    'one': repr(c.get_sensor_reading('Power Supply 2')),
    'description': c.get_description(),
}))
'''


def test_nextscale_fpc_beside_pyghmi_1_6_19():
    with peers.FakeBmcProcess(['--profile', FPC_PROFILE]) as fpc:
        c = peers.connect(fpc)
        try:
            assert c._handler.is_fpc == 6
            ours = {
                'firmware': [[n, v] for n, v in c.get_firmware()],
                'sensors': [[r.name, r.value, r.units, r.states, r.health,
                             r.type] for r in c.get_sensor_data()
                            if FPC_NAMES.match(r.name)],
                'descriptions': [d for d in c.get_sensor_descriptions()
                                 if FPC_NAMES.match(d['name'])],
                'one': repr(c.get_sensor_reading('Power Supply 2')),
                'description': c.get_description()}
            with pytest.raises(exc.InvalidParameterValue):
                c.get_sensor_reading('Power Supply 7')
        finally:
            c.logout()
        original = _original(ORIGINAL_FPC, fpc.port, FPC_NAMES.pattern)
    # the BMC firmware, then the controller's: the same list
    assert ours['firmware'][-2:] == [
        ['FPC', {'version': '2.41', 'build': '2AA'}],
        ['PSOC', {'version': '3.7'}]]
    assert ours['firmware'] == original['firmware']
    assert len(ours['sensors']) == 3 + 6 + 1 + 12 + 6
    assert ours['sensors'] == original['sensors']
    assert ours['descriptions'] == original['descriptions']
    assert ours['description'] == original['description'] == {
        'height': 6, 'slot': 0}
    # repr orders the keys differently; the dicts are the same
    assert ast.literal_eval(ours['one']) == \
        ast.literal_eval(original['one'])
    by_name = {s[0]: s for s in ours['sensors']}
    assert by_name['Fan Power'][1] == 123.45
    assert by_name['Node Power Permission 2'][3:5] == [
        ['Insufficient Power'], 4]
    assert by_name['Power Supply 3'][3] == ['Throttled', 'Present']
    assert by_name['Power Supply 6'][3:5] == [['Absent'], 2]


ORIGINAL_SMM = '''
import json
from pyghmi.ipmi.oem.lenovo import nextscale
build = bytes(range(0x30, 0x30 + 16))
class Cmd:
    def __init__(self, data):
        self.data = data
    def xraw_command(self, netfn, command, data=()):
        return {'data': self.data}
out = {}
for variant in (2, 0x22, 0x26):
    b = bytearray(build)
    b[13] = 3
    out[str(variant)] = {
        'names': list(nextscale.get_sensor_names(Cmd(bytes(b)), variant)),
        'firmware': list(nextscale.get_fpc_firmware('1.7', Cmd(bytes(b)),
                                                    variant))}
status = {}
for raw in ('001f1d0004ff', '001f1d000400', '0102030405060708090a0b',
            '000300001122'):
    for n in (1, 2, 3):
        r = nextscale.fpc_get_psustatus(Cmd(bytes.fromhex(raw)), n, 6)
        status['%s/%d' % (raw, n)] = list(r)
out['psu'] = status
print(json.dumps(out))
'''


def test_smm_sensor_names_and_firmware_beside_pyghmi_1_6_19():
    """The SMM and SMMv2 variants (no fakebmc profile): names, firmware
    and PSU states computed by pyghmi 1.6.19's functions and ours from
    the same answer bytes."""
    original = _original(ORIGINAL_SMM)
    build = bytearray(range(0x30, 0x30 + 16))
    build[13] = 3
    for variant in (2, 0x22, 0x26):
        psus = nextscale.psu_count(variant, bytes(build))
        names = [entry[0] for entry in nextscale.sensor_names(variant,
                                                              psus)]
        assert names == original[str(variant)]['names']
        assert [list(x) for x in nextscale.firmware(
            '1.7', variant, bytes(build))] == \
            original[str(variant)]['firmware']
    assert 'Drip Sensor 2' in original['38']['names']
    for key, want in original['psu'].items():
        raw, number = key.split('/')
        health, states = nextscale.psu_status(bytes.fromhex(raw),
                                              int(number))
        assert [health, states] == want, key
    # an answer too short to hold the masks: a clear error (the
    # original raises IndexError)
    with pytest.raises(exc.BmcErrorException):
        nextscale.psu_status(bytes.fromhex('0000030100'), 1)


def _variant_profile(tmp_path, product, commands):
    profile = profiles.load(TSM_PROFILE)
    profile['identity']['product_id'] = product
    # keep the firmware table (Get System Info Parameters C7h)
    table = [c for c in profile['oem_commands']
             if (c['netfn'], c['command'], c.get('request')) ==
             (6, 0x59, '00c70000')]
    profile['oem_commands'] = [{'netfn': 0x3A, 'command': 0xC1,
                                'code': 0xC1}] + table + commands
    path = tmp_path / ('lenovo-%d.json' % product)
    path.write_text(json.dumps(profile))
    return str(path)


def _oem(command, request, response=None, code=0):
    spec = {'netfn': 0x3A, 'command': command, 'request': request,
            'code': code}
    if response is not None:
        spec['response'] = response
    return spec


ORIGINAL_LEDS = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
def plain(v):
    return bytes(v).decode() if isinstance(v, (bytes, memoryview)) else v
print(json.dumps({
    'leds': [[n, v] for n, v in c.get_leds()],
    'firmware': [[n, {k: plain(x) for k, x in v.items()}]
                 for n, v in c.get_firmware()]}))
'''

VARIANTS = {
    # TS460 (ASRock Rack): 3Ah 50h, state in byte 1; LED 3 refused
    1184: [_oem(0x50, '000000', '00'), _oem(0x50, '030000', '0001'),
           _oem(0x50, '020001', '021505000000'),
           _oem(0x50, '020101', b'TS460-1.07'.hex()),
           _oem(0x50, '030100', '0000'), _oem(0x50, '030200', '0002'),
           _oem(0x50, '030300', code=0xC9), _oem(0x50, '030400', '0001'),
           _oem(0x50, '030500', '0000')],
    # SD350 (AMI MegaRAC): 3Ah 80h probe, 3Ah 05h LED states
    # (its identify command answers D6h, which only that command can give)
    13616: [_oem(0x80, '', '02'), _oem(0x06, '0101', code=0xD6),
            _oem(0x05, '00', '01'),
            _oem(0x05, '01', '00'), _oem(0x05, '02', '05'),
            _oem(0x05, '03', '00')],
}


@pytest.mark.parametrize('product, kind, leds', [
    (1184, 'asrock', [['SYSTEM_EVENT', 'On'], ['BMC_UID', 'Off'],
                      ['LED_FAN_FAULT_1', 'Blink'], ['LED_FAN_CPU', 'On'],
                      ['LED_FAN_REAR', 'Off']]),
    (13616, 'ami', [['BMC_HEARTBEAT', 'On'], ['BMC_UID', 'Off'],
                    ['SYSTEM_FAULT', 'Blink'], ['HDD_FAULT', 'Off']]),
])
def test_asrock_and_ami_leds_beside_pyghmi_1_6_19(tmp_path, product, kind,
                                                  leds):
    path = _variant_profile(tmp_path, product, VARIANTS[product])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c._handler.kind == kind
            ours = [[n, v['status']] for n, v in c.get_leds()]
            # bytes as text on both sides: the original gives bytes for
            # the table's versions too (text here, a documented choice)
            firmware = [[n, {k: x.decode() if isinstance(x, bytes) else x
                             for k, x in v.items()}]
                        for n, v in c.get_firmware()]
            # identify on: the SD350's own command, the standard one
            # elsewhere and for a duration
            if kind == 'ami':
                with pytest.raises(exc.IpmiException) as err:
                    c.set_identify(on=True)
                assert err.value.ipmicode == 0xD6
            else:
                c.set_identify(on=True)
            c.set_identify(on=True, duration=5)
        finally:
            c.logout()
        original = _original(ORIGINAL_LEDS, bmc.port)
    assert ours == leds
    assert [[n, v['status']] for n, v in original['leds']] == leds
    assert firmware == original['firmware']
    if kind == 'asrock':
        assert firmware[-2:] == [['BMC', {'version': '2.15.5'}],
                                 ['Bios', {'version': 'TS460-1.07'}]]
    else:
        assert ['BMC', {'version': '1.42'}] in firmware
