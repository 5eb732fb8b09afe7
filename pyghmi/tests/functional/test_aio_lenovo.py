"""The Lenovo handler through both IPMI drivers: every flow method on
fakebmc's Lenovo profiles (ThinkServer TSM, NextScale FPC, and an IMM
with energy meters) gives the same result, or the same exception, from
the asyncio Command as from the blocking one; and the asyncio Command
does use the Lenovo handler (its OEM answers are there)."""

import asyncio
import datetime
import json
import os

from pyghmi.aio.ipmi import command as aiocommand
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi.oem.lenovo import energy
from pyghmi.ipmi.oem.lenovo import handler as lenovo
from pyghmi.ipmi.oem.lenovo import imm
from pyghmi.tests.functional import both
from pyghmi.tests.functional import peers

PROFILES = os.path.join(peers.TOP, 'pyghmi', 'fakebmc')
TSM_PROFILE = os.path.join(PROFILES, 'lenovo_tsm_profile.json')
FPC_PROFILE = os.path.join(PROFILES, 'lenovo_fpc_profile.json')
# FAPM meters: 3,600,000 J (1 kWh) of DC energy; node 200 W, GPU 50 W
FAPM_ENERGY = '0000' + (3600000).to_bytes(4, 'little').hex() + '0000'
FAPM_POWER = '00' * 6 + ''.join(w.to_bytes(2, 'little').hex()
                                for w in (200, 50, 0, 0))


def _imm_profile(tmp_path):
    """The TSM profile turned into an IMM (3Ah C1h) with a build, one
    property, no FPGA and FAPM energy meters."""
    profile = profiles.load(TSM_PROFILE)
    raw = b'TCE140J'
    profile['oem_commands'] = [
        {'netfn': 0x3a, 'command': 0xc1, 'response': '000100'},
        {'netfn': 0x3a, 'command': 0x50, 'response': (
            b'TCOO62A  2019/08/22\x0014:39:51\x00').hex()},
        {'netfn': 0x3a, 'command': 0xc4,
         'request': imm.property_request('/v2/bios/build_id').hex(),
         'response': '000000' + bytes((0x80 | len(raw),)).hex() + raw.hex()},
        {'netfn': 0x3a, 'command': 0xc4, 'response': '01'},
        {'netfn': 0x3a, 'command': 0x32,
         'request': energy.FAPM_ENERGY.hex(), 'response': FAPM_ENERGY},
        {'netfn': 0x3a, 'command': 0x32,
         'request': energy.FAPM_POWER.hex(), 'response': FAPM_POWER}]
    path = tmp_path / 'imm.json'
    path.write_text(json.dumps(profile))
    return str(path)


def _handler_kind(bmc):
    """Whether the asyncio Command found the vendor handler for a method
    that does not need it, then the handler it found and its kind."""
    async def scenario():
        async with await aiocommand.Command.create(
                bmc.host, 'admin', 'password', port=bmc.port) as c:
            await c.get_power()         # needs no vendor handler
            found_early = c._oem is not None
            await c.get_description()   # asks the vendor handler
            return found_early, type(c._handler), c._handler.kind
    return asyncio.run(scenario())


def test_tsm_every_method_through_both_drivers(tmp_path):
    with peers.FakeBmcProcess(['--profile', TSM_PROFILE]) as bmc:
        assert _handler_kind(bmc) == (False, lenovo.OEMHandler, 'tsm')
        result = both.every_method_through_both(bmc, tmp_path)
    firmware = [name for name, _ in result['get_firmware']]
    assert firmware[-2:] == ['Bios_bundle_ver', 'Bios_current_ver']
    assert ['BMC_UID', {'status': 'On'}] in result['get_leds']
    assert any(name.startswith('DIMM ')
               for name in result['get_inventory_descriptions'])
    assert isinstance(result['get_capping_enabled'], bool)


def test_fpc_every_method_through_both_drivers(tmp_path):
    with peers.FakeBmcProcess(['--profile', FPC_PROFILE]) as bmc:
        assert _handler_kind(bmc) == (False, lenovo.OEMHandler, 'nextscale')
        result = both.every_method_through_both(bmc, tmp_path)
    assert result['get_firmware'][-2:] == [
        ['FPC', {'version': '2.41', 'build': '2AA'}],
        ['PSOC', {'version': '3.7'}]]
    readings = {r['name']: r for r in result['get_sensor_data']}
    assert readings['Fan Power']['value'] == 123.45
    assert result['get_description'] == {'height': 6, 'slot': 0}


def test_imm_meters_and_firmware_through_both_drivers(tmp_path):
    with peers.FakeBmcProcess(['--profile', _imm_profile(tmp_path)]) as bmc:
        assert _handler_kind(bmc) == (False, lenovo.OEMHandler, 'imm')
        result = both.every_method_through_both(bmc, tmp_path)
    readings = {r['name']: r for r in result['get_sensor_data']}
    assert readings['DC Energy']['value'] == 1.0
    assert readings['Total Power']['value'] == 250
    assert result['get_firmware'] == [
        ['IMM', {'version': '2.41', 'build': 'TCOO62A',
                 'date': datetime.datetime(2019, 8, 22, 14, 39, 51)}],
        ['UEFI', {'build': 'TCE140J'}]]
    # the licenses are an HTTPS service of an IMM: refused, by both
    assert result['get_licenses'] == ['raised', 'UnsupportedFunctionality']
