"""The Lenovo handler against fakebmc's ThinkServer TSM profile, beside
pyghmi 1.6.19's own Lenovo handler reading the same BMC."""

import ast
import json
import os
import re
import struct
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
        assert list(c.get_leds()) == [
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
            assert c._handler.has_xcc and c._handler.has_imm
            with pytest.raises(exc.UnsupportedFunctionality) as info:
                c.get_licenses()
            assert 'HTTPS' in str(info.value)
            # its build command (3Ah 50h) is not in this profile: the
            # firmware list fails as pyghmi 1.6.19's does
            with pytest.raises(exc.IpmiException):
                list(c.get_firmware())
            leds = [[n, v['status']] for n, v in c.get_leds()]
        finally:
            c.logout()
        # the TSM's LED command, asked of every Lenovo BMC as the
        # original asks it
        assert leds == [n for n in _original(ORIGINAL_LEDS_ONLY, bmc.port)]
        assert leds[0] == ['BMC_UID', 'On']


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


def _profile_with(tmp_path, base, commands, product=None):
    """``base`` (a profile path) with ``commands`` answered first (and
    another product id), written under ``tmp_path``; its path."""
    profile = profiles.load(base)
    if product is not None:
        profile['identity']['product_id'] = product
    profile['oem_commands'][:0] = commands
    path = tmp_path / ('with-%d.json' % len(list(tmp_path.iterdir())))
    path.write_text(json.dumps(profile))
    return str(path)


def _oem(command, request, response=None, code=0):
    spec = {'netfn': 0x3A, 'command': command, 'request': request,
            'code': code}
    if response is not None:
        spec['response'] = response
    return spec


ORIGINAL_LEDS_ONLY = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
print(json.dumps([[n, v['status']] for n, v in c.get_leds()]))
'''
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
            # pyghmi 1.6.19's names of the kinds
            handler = c._handler
            assert (handler.has_ami, handler.is_sd350) == (
                kind == 'ami',) * 2
            assert (handler.has_asrock, handler.isTS460) == (
                kind == 'asrock',) * 2
            assert not (handler.has_tsm or handler.has_imm)
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


ORIGINAL_INVENTORY = '''
import json, re, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
def text(v):
    return bytes(v).decode() if isinstance(v, (bytes, memoryview)) else v
print(json.dumps({n: {k: text(v) for k, v in d.items()}
                  for n, d in c.get_inventory() if re.match(sys.argv[2], n)}))
'''


def _oem_inventory(c):
    return {n: d for n, d in c.get_inventory() if TSM_COMPONENT.match(n)}


def _tsm_answer(request):
    """The TSM profile's answer to Get System Info Parameters
    ``request`` (hex), as bytes."""
    for spec in profiles.load(TSM_PROFILE)['oem_commands']:
        if (spec['netfn'], spec['command'], spec.get('request')) == \
                (6, 0x59, request):
            return bytes.fromhex(spec['response'])
    raise KeyError(request)


def _split(answer):
    """The entries of a counted category answer."""
    size = (len(answer) - 2) // answer[1]
    return [answer[2 + n * size:2 + (n + 1) * size]
            for n in range(answer[1])]


def _inventory_variants(empty_dimm_slot=False):
    """OEM commands giving the TSM profile's CPUs and DIMMs the way AMI
    (SD350) and ASRock (TS460) firmware hand them out."""
    cpu, pci = _split(_tsm_answer('00c10100')), _split(_tsm_answer('00c10300'))
    dimm = [_tsm_answer('00c1020%d' % n) for n in (1, 2)]
    # the second DIMM on channel 2: ASRock names it DIMM 2 + 2
    dimm[1] = dimm[1][:3] + b'\x02' + dimm[1][4:]

    def get_info(request, response=None, code=0):
        spec = {'netfn': 6, 'command': 0x59, 'request': request,
                'code': code}
        if response is not None:
            spec['response'] = response.hex()
        return spec
    tsm_rest = [spec for spec in profiles.load(TSM_PROFILE)['oem_commands']
                if spec['netfn'] == 6 and spec['command'] == 0x59 and
                spec.get('request', '').startswith(('00c102', '00c104',
                                                    '00c6', '00c5', '00c4'))]
    # CPUs and PCI devices one per request (PCI 2 is an empty slot)
    ami = VARIANTS[13616] + [
        get_info('00c10%d0%d' % (selector, n + 1), b'\x01' + entries[n])
        for selector, entries in ((1, cpu), (3, pci)) for n in (0, 1)
    ] + [get_info('00c101', code=0xCC), get_info('00c103', code=0xCC)] + \
        tsm_rest
    slots = [_oem(0x50, '01020%d' % (n + 1), response=dimm[n].hex())
             for n in (0, 1)]
    if empty_dimm_slot:
        slots.append(_oem(0x50, '010203',
                          response='01' + 'ff' * (len(dimm[0]) - 1)))
    asrock = VARIANTS[1184] + [
        # no revision byte; a count the firmware gets wrong (ignored)
        _oem(0x50, '010100', response=(b'\x05' + b''.join(cpu)).hex())
    ] + slots + [_oem(0x50, '0102', code=0xCC)]
    return {13616: ami, 1184: asrock}


@pytest.mark.parametrize('product, kind, names', [
    (13616, 'ami', ['CPU 1', 'CPU 2', 'DIMM 1', 'DIMM 2', 'PCI 1',
                    'Drive 1', 'Power Supply 1', 'RAID Drive 1',
                    'RAID Controller 1']),
    (1184, 'asrock', ['CPU 1', 'CPU 2', 'DIMM 1', 'DIMM 4']),
])
def test_ami_and_asrock_inventory_beside_pyghmi_1_6_19(tmp_path, product,
                                                       kind, names):
    path = _variant_profile(tmp_path, product,
                            _inventory_variants()[product])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c._handler.kind == kind
            ours = _oem_inventory(c)
            assert c.get_inventory_of_component('DIMM 1') == ours['DIMM 1']
        finally:
            c.logout()
        theirs = _original(ORIGINAL_INVENTORY, bmc.port,
                           TSM_COMPONENT.pattern)
    assert list(ours) == names
    assert ours == theirs
    assert ours['CPU 2']['Maximum Frequency'] == '3600 MHz'
    assert ours['DIMM 1']['capacity_mb'] == 16384


def test_asrock_empty_dimm_slot_is_left_out(tmp_path):
    """A slot answered with index FFh is empty (pyghmi 1.6.19 meant to
    skip it, but its check compares a byte with a str on Python 3)."""
    path = _variant_profile(tmp_path, 1184,
                            _inventory_variants(empty_dimm_slot=True)[1184])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert list(_oem_inventory(c)) == [
                'CPU 1', 'CPU 2', 'DIMM 1', 'DIMM 4']
        finally:
            c.logout()


ORIGINAL_SYSTEM = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
def text(v):
    return bytes(v).decode() if isinstance(v, (bytes, bytearray)) else v
system = c.get_inventory_of_component('System')
print(json.dumps({k: text(system[k]) for k in sys.argv[2].split(',')
                  if k in system}))
'''
GUID = bytes(range(16)).hex()
# what Lenovo's handler adds to the 'System' component
LENOVO_KEYS = ('UUID', 'WWN 1', 'WWN 2', 'MAC Address 1', 'MAC Address 2',
               'FRU Number', 'Revision', 'Serial Number', 'Model',
               'Manufacturer', 'Product name', 'oem_parser')


def _system_beside_original(bmc):
    """Lenovo's keys of 'System', ours and pyghmi 1.6.19's."""
    c = peers.connect(bmc)
    try:
        system = c.get_inventory_of_component('System')
    finally:
        c.logout()
    ours = {k: system[k] for k in LENOVO_KEYS if k in system}
    return ours, _original(ORIGINAL_SYSTEM, bmc.port, ','.join(LENOVO_KEYS))


@pytest.mark.parametrize('product, command, uuid', [
    # SD350: Get Device GUID, big-endian (its System GUID is ignored)
    (13616, 0x08, '00010203-0405-0607-0809-0A0B0C0D0E0F'),
    # TS460: Get System GUID, big-endian
    (1184, 0x37, '00010203-0405-0607-0809-0A0B0C0D0E0F'),
    # a TSM: its FRU's product extra field, before Get System GUID
    (None, 0x37, '00112233-4455-6677-8899-AABBCCDDEEFF'),
])
def test_system_uuid_quirks_beside_pyghmi_1_6_19(tmp_path, product,
                                                 command, uuid):
    guid = {'netfn': 6, 'command': command, 'response': GUID}
    if product is None:
        profile = profiles.load(TSM_PROFILE)
        profile['oem_commands'].append(guid)
        path = tmp_path / 'tsm.json'
        path.write_text(json.dumps(profile))
        path = str(path)
    else:
        path = _variant_profile(tmp_path, product,
                                VARIANTS[product] + [guid])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        ours, theirs = _system_beside_original(bmc)
    assert ours == theirs
    assert ours['UUID'] == uuid
    if product is None:
        # the TSM's board extra fields; all-zero ones left out
        assert ours['WWN 1'] == '5000C50012345678'
        assert ours['MAC Address 1'] == '08:94:ef:12:34:56'
        assert 'WWN 2' not in ours and 'MAC Address 2' not in ours


def test_smmv2_system_beside_pyghmi_1_6_19(tmp_path):
    """An SMMv2 (product 1360) gives its enclosure model (32h B0h, 05h
    0Bh), serial number (05h 01h) and model (05h 00h) past two leading
    bytes: 'System' takes them, with Lenovo as the manufacturer."""
    # (the original strips only blanks from the enclosure model, so it
    # has no NUL after it here; ours also drops NULs)
    smm = [('050b', b'7X20CTO1WW  '), ('0501', b'J30012AB\xff\xff\x00'),
           ('0500', b'7X21 \x00')]
    path = _profile_with(tmp_path, FPC_PROFILE, [
        {'netfn': 0x32, 'command': 0xB0, 'request': request,
         'response': '0000' + value.hex()} for request, value in smm],
        product=1360)
    assert nextscale.decode_model(b'\x00\x007X20 \x00\x00') == '7X20'
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c._handler.is_fpc == 0x22
        finally:
            c.logout()
        ours, theirs = _system_beside_original(bmc)
    assert ours == theirs
    assert ours['Product name'] == '7X20CTO1WW'
    assert ours['Manufacturer'] == 'Lenovo'
    assert ours['Serial Number'] == 'J30012AB'
    assert ours['Model'] == '7X21'
    with peers.FakeBmcProcess(['--profile', FPC_PROFILE]) as bmc:
        ours, theirs = _system_beside_original(bmc)
    assert ours == theirs      # an FPC: its FRU's own fields
    assert ours['Model'] == '7D75CTO1WW'


def test_imm_fru_fields_beside_pyghmi_1_6_19(tmp_path):
    """An IMM's board extra fields: FRU number, revision, MAC addresses
    (same vendor prefix, up to an all-zero one)."""
    profile = profiles.load(TSM_PROFILE)
    # an IMM (3Ah C1h), and not a TSM (3Ah 0Fh refused)
    profile['oem_commands'][:2] = [
        {'netfn': 0x3a, 'command': 0xc1, 'response': '000100'},
        {'netfn': 0x3a, 'command': 0x0f, 'code': 0xC1}]
    board = profile['fru'][0]['board']
    macs = ('0894ef000001' '0894ef000002' '001122334455' '000000000000')
    board['fields'] = board['fields'][:5] + [
        '00FJ123', 'xx', 'yy', 'zz', 'A3', 'ww', macs]
    board['kinds'] = {'11': 'binary'}
    path = tmp_path / 'imm.json'
    path.write_text(json.dumps(profile))
    with peers.FakeBmcProcess(['--profile', str(path)]) as bmc:
        ours, theirs = _system_beside_original(bmc)
        theirs.update(_original(
            ORIGINAL_SYSTEM, bmc.port, 'MAC Address 1.0,MAC Address 2.0'))
    assert ours['FRU Number'] == '00FJ123' and ours['Revision'] == 'A3'
    assert ours['MAC Address 1'] == '08:94:ef:00:00:01'
    assert ours['MAC Address 2'] == '08:94:ef:00:00:02'
    assert 'MAC Address 3' not in ours      # another vendor's prefix
    # the original numbers them 1.0, 2.0 on Python 3 (documented)
    for n in (1, 2):
        theirs['MAC Address %d' % n] = theirs.pop('MAC Address %d.0' % n)
    assert ours == theirs


def _imm_profile(tmp_path, caps, properties):
    """The TSM profile turned into an IMM (``caps`` 000100) or XCC
    (001000) with a build, the IMM ``properties`` and an FPGA."""
    from pyghmi.ipmi.oem.lenovo import imm
    profile = profiles.load(TSM_PROFILE)
    commands = [{'netfn': 0x3a, 'command': 0xc1, 'response': caps},
                {'netfn': 0x3a, 'command': 0x0f, 'code': 0xC1},
                {'netfn': 0x3a, 'command': 0x50, 'response': (
                    b'TCOO62A  2019/08/22\x0014:39:51\x00').hex()},
                {'netfn': 0x3a, 'command': 0x6b, 'request': '00',
                 'response': '030102'}]
    for name, value in properties.items():
        raw = value.encode()
        commands.append({'netfn': 0x3a, 'command': 0xc4,
                         'request': imm.property_request(name).hex(),
                         'response': '000000' + bytes(
                             (0x80 | len(raw),)).hex() + raw.hex()})
    # any other property: status 1, not there
    commands.append({'netfn': 0x3a, 'command': 0xc4, 'response': '01'})
    profile['oem_commands'] = commands
    path = tmp_path / 'imm.json'
    path.write_text(json.dumps(profile))
    return str(path)


ORIGINAL_IMM_FIRMWARE = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
out = []
try:
    for name, info in c.get_firmware():
        out.append([name, {k: (v.isoformat() if hasattr(v, 'isoformat')
                               else v) for k, v in info.items()}])
except Exception as err:   # its HTTPS part, after the IPMI one
    out.append(['error', type(err).__name__])
print(json.dumps(out))
'''
IMM_PROPERTIES = {
    '/v2/ibmc/dm/fw/imm2/backup_build_id': 'TCOO61B',
    '/v2/ibmc/dm/fw/imm2/backup_build_version': '4.10',
    '/v2/ibmc/dm/fw/imm2/backup_build_date': '2019/05/01',
    '/v2/ibmc/trusted_buildid': 'TCOO55X',
    '/v2/bios/build_id': 'TCE140J',
    '/v2/bios/build_version': '3.10',
    '/v2/bios/build_date': '2019-07-30',
    '/v2/ibmc/dm/fw/bios/backup_build_id': 'TCE138E',
    '/v2/ibmc/dm/fw/bios/backup_build_version': '3.00',
}


def test_imm_firmware_beside_pyghmi_1_6_19(tmp_path):
    """IMM firmware over IPMI: the build (3Ah 50h), IMM properties
    (3Ah C4h) and the FPGA (3Ah 6Bh), as the original lists them before
    it turns to HTTPS for adapters."""
    path = _imm_profile(tmp_path, '000100', IMM_PROPERTIES)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c._handler.kind == 'imm'
            ours = [[n, {k: (v.isoformat() if hasattr(v, 'isoformat')
                             else v) for k, v in info.items()}]
                    for n, info in c.get_firmware()]
            bmcver = c.get_device_id()['firmware_version']
            only_uefi = [n for n, _ in c.get_firmware(components=['uefi'])]
        finally:
            c.logout()
        theirs = _original(ORIGINAL_IMM_FIRMWARE, bmc.port)
    assert ours == [
        ['IMM', {'version': imm_version(bmcver), 'build': 'TCOO62A',
                 'date': '2019-08-22T14:39:51'}],
        ['IMM Backup', {'build': 'TCOO61B', 'version': '4.10',
                        'date': '2019-05-01T00:00:00'}],
        ['IMM Trusted Image', {'build': 'TCOO55X'}],
        ['UEFI', {'build': 'TCE140J', 'version': '3.10',
                  'date': '2019-07-30T00:00:00'}],
        ['UEFI Backup', {'build': 'TCE138E', 'version': '3.00'}],
        ['FPGA', {'version': '3.1.2'}]]
    assert only_uefi == ['UEFI', 'UEFI Backup']
    # the original lists the same, then fails on its HTTPS part (or lists
    # nothing more without it)
    if theirs[-1][0] == 'error':
        theirs.pop()
    assert ours == theirs


def imm_version(bmcver):
    major, minor = bmcver.split('.')
    return '%d.%02d' % (int(major), int(minor))


def test_xcc_firmware_over_ipmi(tmp_path):
    """An XCC: a pending backup stands for the backup; LXPM and its
    driver bundles; UEFI without a backup entry."""
    properties = {
        '/v2/ibmc/dm/fw/imm3/backup_pending_build_id': 'TGBT99Z',
        '/v2/ibmc/dm/fw/imm3/backup_build_id': 'TGBT10A',
        '/v2/ibmc/trusted_buildid': 'TGBT05T',
        '/v2/ibmc/dm/fw/imm3/primary_pending_build_version': '9.0',
        '/v2/bios/build_version': '1.20',
        '/v2/bios/pending_build_id': 'IVE199Z',
        '/v2/tdm/build_version': '2.0',
        '/v2/drvln/build_id': 'DRVLN1',
    }
    path = _imm_profile(tmp_path, '001000', properties)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            names = [(n, info) for n, info in c.get_firmware()]
            adapters = list(c.get_firmware(category='adapters'))
        finally:
            c.logout()
    assert [n for n, _ in names] == [
        'XCC', 'XCC Backup', 'XCC Trusted Image', 'XCC Pending Update',
        'UEFI', 'UEFI Pending Update', 'LXPM', 'LXPM Linux Driver Bundle',
        'FPGA']
    assert dict(names)['XCC Backup'] == {'build': 'TGBT99Z'}
    assert dict(names)['XCC Pending Update'] == {'version': '9.0'}
    assert adapters == []       # an HTTPS service


ORIGINAL_CLEAR = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
c.clear_bmc_configuration()
print(json.dumps('done'))
'''


def test_xcc_factory_reset_beside_pyghmi_1_6_19(tmp_path):
    """The profile takes only the exact request bytes (anything else on
    2Eh CCh is refused): ours and the original's both succeed."""
    path = _profile_with(tmp_path, _imm_profile(tmp_path, '001000', {}), [
        {'netfn': 0x2e, 'command': 0xcc, 'request': '5e2b000a01ff000000'},
        {'netfn': 0x2e, 'command': 0xcc, 'code': 0xCC}])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c.clear_bmc_configuration() is None
        finally:
            c.logout()
        assert _original(ORIGINAL_CLEAR, bmc.port) == 'done'
    with peers.FakeBmcProcess(['--profile', TSM_PROFILE]) as bmc:
        c = peers.connect(bmc)
        try:
            with pytest.raises(exc.UnsupportedFunctionality):
                c.clear_bmc_configuration()       # not an XCC
        finally:
            c.logout()


ORIGINAL_FIXUP = '''
import json, sys
from pyghmi.ipmi.oem.lenovo import imm
print(json.dumps([imm.fixup_uuid(sys.argv[1]), imm.fixup_str(sys.argv[2]),
                  imm.fixup_str(sys.argv[3]),
                  hex(int(sys.argv[4])).replace('0x', '')]))
'''


def test_xcc_enclosure_inventory(tmp_path):
    """A dense node's enclosure from IMM properties; the values as
    pyghmi 1.6.19's own conversion functions give them from the same
    property texts (its inventory reaches them only after HTTPS)."""
    uuid_text = '00112233 4455 6677 8899 AABBCCDDEEFF'
    serial, model, bay = '4a 33 30 30 31 ff 00', '37 58 32 31 20', '11'
    path = _imm_profile(tmp_path, '001000', {
        '/v2/ibmc/smm/chassis/uuid': uuid_text,
        '/v2/ibmc/smm/chassis/sn': serial,
        '/v2/ibmc/smm/chassis/mtm': model, '/v2/cmm/sp/7': bay})
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert [n for n, _ in c.get_inventory()][-1] == 'Enclosure'
            box = c.get_inventory_of_component('Enclosure')
        finally:
            c.logout()
    want = _original(ORIGINAL_FIXUP, uuid_text, model, serial, bay)
    assert box == {'UUID': want[0], 'Model': want[1], 'Serial': want[2],
                   'Bay': want[3]}
    assert box['UUID'] == '33221100-5544-7766-8899-AABBCCDDEEFF'
    assert (box['Model'], box['Serial'], box['Bay']) == ('7X21', 'J3001',
                                                         'b')
    # not in an enclosure: no component
    path = _imm_profile(tmp_path, '001000', {})
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c.get_inventory_of_component('Enclosure') is None
        finally:
            c.logout()


ORIGINAL_NET = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
print(json.dumps(c.get_net_configuration().get('ipv6_addresses')))
'''


def test_tsm_ipv6_address_beside_pyghmi_1_6_19(tmp_path):
    """A TSM gives its IPv6 address in OEM LAN parameters C5h/C6h of
    channel 1; get_net_configuration adds it as the original does."""
    address = '20010db8000000000000000000000042'
    path = _profile_with(tmp_path, TSM_PROFILE, [
        {'netfn': 0x0c, 'command': 0x02, 'request': '01c50000',
         'response': '11' + address},
        {'netfn': 0x0c, 'command': 0x02, 'request': '01c60000',
         'response': '1140'}])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            ours = c.get_net_configuration().get('ipv6_addresses')
        finally:
            c.logout()
        theirs = _original(ORIGINAL_NET, bmc.port)
    assert ours == theirs == ['2001:db8::42/64']
    # without those parameters (the plain TSM profile): nothing added
    # (pyghmi 1.6.19's get_net_configuration raises IpmiException there)
    with peers.FakeBmcProcess(['--profile', TSM_PROFILE]) as bmc:
        c = peers.connect(bmc)
        try:
            assert 'ipv6_addresses' not in c.get_net_configuration()
        finally:
            c.logout()


ORIGINAL_CONSOLE = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
print(json.dumps([c.get_graphical_console(), c.get_ikvm_methods()]))
'''


@pytest.mark.parametrize('caps, methods', [(None, None),
                                           ('001000', ['url'])])
def test_console_methods_beside_pyghmi_1_6_19(tmp_path, caps, methods):
    path = TSM_PROFILE if caps is None else _imm_profile(tmp_path, caps, {})
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            ours = [c.get_graphical_console(), c.get_ikvm_methods()]
            if caps:
                with pytest.raises(exc.UnsupportedFunctionality):
                    c.get_ikvm_launchdata()
            else:
                assert c.get_ikvm_launchdata() == {}
        finally:
            c.logout()
        theirs = _original(ORIGINAL_CONSOLE, bmc.port)
    assert ours == theirs == [None, methods]


ORIGINAL_FPC_RESET = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
status = c.get_update_status()
c.clear_bmc_configuration()
print(json.dumps(status))
'''


def test_fpc_factory_reset_and_update_status_beside_pyghmi_1_6_19(
        tmp_path):
    """32h ADh resets an FPC/SMM (the plain FPC profile refuses it, so
    the call succeeds only through it); its update status is pyghmi's
    constant 'ready'; its HTTPS-only settings say so."""
    path = _profile_with(tmp_path, FPC_PROFILE, [
        {'netfn': 0x32, 'command': 0xad, 'request': ''}])
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            assert c.get_update_status() == 'ready'
            assert c.clear_bmc_configuration() is None
            for call in (c.get_bmc_configuration, c.get_ntp_servers,
                         c.get_domain_name):
                with pytest.raises(exc.UnsupportedFunctionality) as info:
                    call()
                assert 'HTTPS' in str(info.value)
        finally:
            c.logout()
        assert _original(ORIGINAL_FPC_RESET, bmc.port) == 'ready'


ORIGINAL_METERS = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
names = ('AC Energy', 'DC Energy', 'Node Power', 'GPU Power', 'Total Power')
print(json.dumps({
    'data': [[r.name, r.value, r.units, r.type, r.health]
             for r in c.get_sensor_data() if r.name in names],
    'descriptions': [d for d in c.get_sensor_descriptions()
                     if d['name'] in names]}))
'''
METER_NAMES = ('AC Energy', 'DC Energy', 'Node Power', 'GPU Power',
               'Total Power')


def _meter_profile(tmp_path, caps, commands):
    return _profile_with(tmp_path, _imm_profile(tmp_path, caps, {}),
                         commands)


# 2 kWh and 1.5 kWh in millijoules, 64-bit big-endian after 3 bytes
AC_MJ, DC_MJ = 7200000000, 5400000000
ENERGY_MODULE = [
    {'netfn': 0x3a, 'command': 0x32, 'code': 0xC1},      # not FAPM
    {'netfn': 0x2e, 'command': 0x82, 'request': '664a00000001',
     'response': '664a00' + '00' + '0206' + '05'},
    {'netfn': 0x2e, 'command': 0x81, 'request': '664a000501820108',
     'response': '664a00' + '%016x' % AC_MJ},
    {'netfn': 0x2e, 'command': 0x81, 'request': '664a000501820008',
     'response': '664a00' + '%016x' % DC_MJ}]
# FAPM: 3600000 J + 500 mJ of DC energy; node 250 W, GPU 300 W
FAPM = [
    {'netfn': 0x3a, 'command': 0x32, 'request': '0402000000',
     'response': '0000' + struct.pack('<IH', 3600000, 500).hex()},
    {'netfn': 0x3a, 'command': 0x32, 'request': '0408000000',
     'response': '000000000000' + struct.pack('<HHHH', 250, 300, 7,
                                              8).hex()}]


@pytest.mark.parametrize('caps, commands, names', [
    ('000100', ENERGY_MODULE, ['AC Energy', 'DC Energy']),
    ('001000', FAPM, ['DC Energy', 'GPU Power', 'Node Power',
                      'Total Power']),
])
def test_imm_energy_meters_beside_pyghmi_1_6_19(tmp_path, caps,
                                                commands, names):
    """IMM/XCC energy meters: the energy module on netfn 2Eh (AC and DC
    counters) or a FAPM controller's 3Ah 32h (DC energy, node/GPU/total
    power); the original reads the same names, values and units."""
    path = _meter_profile(tmp_path, caps, commands)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            data = [[r.name, r.value, r.units, r.type, r.health]
                    for r in c.get_sensor_data() if r.name in METER_NAMES]
            descriptions = [d for d in c.get_sensor_descriptions()
                            if d['name'] in METER_NAMES]
            one = c.get_sensor_reading(names[-1])
        finally:
            c.logout()
        theirs = _original(ORIGINAL_METERS, bmc.port)
    assert [row[0] for row in data] == names
    assert data == theirs['data']
    assert descriptions == theirs['descriptions']
    assert [one.name, one.value] == data[-1][:2]
    values = {row[0]: row[1] for row in data}
    if caps == '000100':
        assert values == {'AC Energy': 2.0, 'DC Energy': 1.5}
    else:
        assert values['Total Power'] == 550 and values['Node Power'] == 250
        assert values['DC Energy'] == pytest.approx(1.0, abs=1e-6)


ORIGINAL_RESEAT = '''
import json, sys
from pyghmi.ipmi import command
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
out = {}
for bay in (-1, 1, 2, 4):
    try:
        c.reseat_bay(bay)
        out[bay] = 'done'
    except Exception as err:
        out[bay] = str(err)
print(json.dumps(out))
'''


def test_smm_reseat_beside_pyghmi_1_6_19(tmp_path):
    """32h F5h reseats the SMM itself, 32h A4h (bay, 02h) a node; bay 4
    shares its I/O with bay 3, which is on: refused.  The profile takes
    only these requests, so each success proves its bytes."""
    path = _profile_with(tmp_path, FPC_PROFILE, [
        {'netfn': 0x32, 'command': 0xf5},
        {'netfn': 0x32, 'command': 0xa4, 'request': '0102'},
        {'netfn': 0x32, 'command': 0xa4, 'request': '0202'},
        {'netfn': 0x32, 'command': 0xa4, 'code': 0xCC},
        {'netfn': 0x32, 'command': 0xc5, 'request': '01',
         'response': '02'},
        {'netfn': 0x32, 'command': 0xa7, 'request': '01',
         'response': '0000'},
        {'netfn': 0x32, 'command': 0xa7, 'request': '03',
         'response': '0080'}], product=1360)         # an SMMv2
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            c.reseat_bay(-1)
            c.reseat_bay(1)
            c.reseat_bay(2)                # partner bay 1 is off
            with pytest.raises(exc.BmcErrorException) as info:
                c.reseat_bay(4)
            with pytest.raises(exc.InvalidParameterValue):
                c.reseat_bay(-2)
        finally:
            c.logout()
        theirs = _original(ORIGINAL_RESEAT, bmc.port)
    assert theirs == {'-1': 'done', '1': 'done', '2': 'done',
                      '4': str(info.value)}
