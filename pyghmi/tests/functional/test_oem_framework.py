"""The OEM framework: lookup, fallback and the documented example handler
(doc/examples/acme_oem.py) against fakebmc profiles with its identity."""

import json
import os
import shutil
import sys
import tempfile
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.ipmi.oem import generic
from pyghmi.ipmi.oem import lookup
from pyghmi.tests.functional import both
from pyghmi.tests.functional import peers

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
EXAMPLE = os.path.join(TOP, 'doc', 'examples', 'acme_oem.py')
ACME = 1048574


@pytest.fixture
def acme_installed():
    """The example, installed the way a package would be: a module and a
    dist-info directory announcing its entry point."""
    tmp = tempfile.mkdtemp(prefix='acme-')
    shutil.copy(EXAMPLE, tmp)
    info = os.path.join(tmp, 'acme_oem-1.0.dist-info')
    os.mkdir(info)
    with open(os.path.join(info, 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: acme-oem\nVersion: 1.0\n')
    with open(os.path.join(info, 'entry_points.txt'), 'w') as f:
        f.write('[%s]\n%d = acme_oem:AcmeHandler\n'
                % (lookup.ENTRY_POINT_GROUP, ACME))
    sys.path.insert(0, tmp)
    try:
        lookup.load_entry_points()
        yield sys.modules['acme_oem']
    finally:
        lookup.oemmap.pop(ACME, None)
        sys.path.remove(tmp)
        sys.modules.pop('acme_oem', None)
        shutil.rmtree(tmp)


def _acme_bmc(tmp_path, probe_silent=False):
    data = profiles.load()
    data['identity']['manufacturer_id'] = ACME
    data['oem_commands'] = [
        {'netfn': 0x30, 'command': 1, 'response': '01',
         'silent': probe_silent},
        {'netfn': 0x30, 'command': 2, 'response': '020100'},
        {'netfn': 0x30, 'command': 3, 'response': '312e32332e34'},
    ]
    path = tmp_path / 'acme.json'
    path.write_text(json.dumps(data))
    return peers.FakeBmcProcess(['--profile', str(path)])


def test_entry_point_handler_serves_its_manufacturer(acme_installed,
                                                     tmp_path):
    assert lookup.oemmap[ACME] is acme_installed.AcmeHandler
    with _acme_bmc(tmp_path) as bmc:
        c = peers.connect(bmc)
        try:
            assert c.get_leds() == [('LEDs', {
                'Fault': 'Blinking', 'Identify': 'On', 'Power': 'Off'})]
            firmware = dict(c.get_firmware())
            assert firmware['BIOS'] == {'version': '1.23.4'}
            assert 'BMC Version' in firmware
            # what Acme does not override stays generic
            with pytest.raises(exc.UnsupportedFunctionality) as info:
                c.get_licenses()
            assert 'License management' in str(info.value)
            assert 'IANA %d' % ACME in str(info.value)
        finally:
            c.logout()


def test_the_example_handler_through_both_drivers(acme_installed,
                                                  tmp_path):
    """Its flow hooks run under asyncio as in the blocking Command."""
    calls = [('get_leds', ()), ('get_firmware', ()),
             ('get_licenses', ())]
    with _acme_bmc(tmp_path) as bmc:
        mine, theirs = both.run_both(bmc, calls)
    assert mine == theirs
    assert mine[0] == [['LEDs', {
        'Fault': 'Blinking', 'Identify': 'On', 'Power': 'Off'}]]
    assert mine[1][-1] == ['BIOS', {'version': '1.23.4'}]
    assert mine[2] == ['raised', 'UnsupportedFunctionality']


def test_handler_whose_probe_times_out_falls_back(acme_installed, tmp_path):
    with _acme_bmc(tmp_path, probe_silent=True) as bmc:
        c = command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                            timeout=0.5)
        try:
            start = time.monotonic()
            assert c.get_leds() == ()           # the generic answer
            assert time.monotonic() - start < 5  # one unretried time-out
            assert type(c._handler) is generic.OEMHandler
        finally:
            c.logout()


class _Refusing(generic.OEMHandler):
    def __init__(self, oemid, ipmicmd):
        raise RuntimeError('vendor probe failed')


class _Product(generic.OEMHandler):
    pass


def test_lookup_rules():
    oemid = {'manufacturer_id': 4242, 'product_id': 7}
    handler, vendor = lookup.get_oem_handler(oemid, None)
    assert type(handler) is generic.OEMHandler and vendor is False
    lookup.register(4242, None, _Refusing)
    lookup.register(4242, 7, _Product)
    try:
        handler, vendor = lookup.get_oem_handler(oemid, None)
        assert type(handler) is _Product and vendor is True  # product wins
        handler, _ = lookup.get_oem_handler(
            {'manufacturer_id': 4242, 'product_id': 8}, None)
        assert type(handler) is generic.OEMHandler   # constructor failed
    finally:
        lookup.oemmap.pop(4242, None)
        lookup.oemmap.pop('4242.7', None)
    assert 'unknown manufacturer' in str(generic.OEMHandler(
        None, None).unsupported('X'))
