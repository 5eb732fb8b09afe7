"""FRU inventory: our client, ipmitool and FreeIPMI read fakebmc's FRUs."""

import subprocess

import pytest

from pyghmi.ipmi import command
from pyghmi.ipmi import sdr as sdrmod


@pytest.fixture(scope='module')
def inventory(fakebmc):
    sdrmod.clear_memory_cache()
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        yield dict(c.get_inventory(details=True)), \
            list(c.get_inventory_descriptions())
    finally:
        c.logout()


def _run(argv):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                         errors='replace')
    return out.stdout + out.stderr


def test_inventory_components(inventory):
    items, names = inventory
    assert names == ['System', 'PSU1 FRU', 'DIMM A1', 'DIMM B1', 'Riser 1']
    system = items['System']
    assert system['Board product name'] == 'SYSTEM BOARD'       # 6-bit
    assert system['Chassis serial number'] == '12345-678'       # BCD plus
    assert system['Board manufacture date'] == '2024-03-15T10:30'
    # Get System GUID, upper case as pyghmi wrote it
    assert system['UUID'] == '4C4C4544-0047-3510-8031-C8C04F4D5331'
    assert system['Manufacturer ID'] == 343
    assert items['DIMM A1']['capacity_mb'] == 16384
    assert items['DIMM A1']['manufacturer'] == 'Samsung'
    assert items['DIMM B1']['memory_type'] == 'DDR5 SDRAM'
    assert items['Riser 1']['warnings'] == ['board area checksum mismatch']
    assert items['Riser 1']['Board serial number'] == 'R1SN0001'


def test_default_shape_is_pyghmis(fakebmc, inventory):
    # Without details: pyghmi 1.6.19's keys (no warnings, no multirecords;
    # oem_parser None; System with the Get Device ID firmware version).
    detailed, _ = inventory
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        plain = dict(c.get_inventory())
    finally:
        c.logout()
    assert plain.keys() == detailed.keys()
    for name, info in plain.items():
        assert 'warnings' not in info and 'multirecords' not in info
        assert info['oem_parser'] is None
        extra = set(detailed[name]) - set(info)
        assert extra <= {'warnings', 'multirecords'}, extra
    assert plain['System']['firmware_version'] == '2.41'
    dimm = plain['DIMM A1']
    assert isinstance(dimm['model'], bytes) and dimm['ecc'] in (True, False)
    assert isinstance(dimm['capacity_mb'], float)


def test_ipmitool_fru_print_agrees(fakebmc, inventory):
    items, _ = inventory
    text = _run(['ipmitool', '-I', 'lanplus', '-H', fakebmc.host, '-p',
                 str(fakebmc.port), '-U', 'admin', '-P', 'password', 'fru',
                 'print'])
    system = items['System']
    for label, key in (('Chassis Part Number', 'Chassis part number'),
                       ('Chassis Serial', 'Chassis serial number'),
                       ('Board Product', 'Board product name'),
                       ('Board Serial', 'Board serial number'),
                       ('Board Part Number', 'Board model'),
                       ('Product Name', 'Product name'),
                       ('Product Serial', 'Serial Number'),
                       ('Product Asset Tag', 'Asset Number')):
        line = [ln for ln in text.splitlines()
                if ln.strip().startswith(label)][0]
        assert line.split(':', 1)[1].strip() == system[key], line
    assert 'Fri Mar 15 10:30:00 2024' in text
    assert 'Memory size           : 16384 MB' in text
    assert 'Serial Number         : 12345678' in text
    assert 'Product Name          : PSU 750W Platinum' in text


def test_freeipmi_ipmi_fru_agrees(fakebmc, inventory, tmp_path):
    items, _ = inventory
    text = _run(['ipmi-fru', '-D', 'LAN_2_0', '-h',
                 '%s:%d' % (fakebmc.host, fakebmc.port), '-u', 'admin', '-p',
                 'password', '-I', '17', '--quiet-cache',
                 '--sdr-cache-directory', str(tmp_path)])
    system = items['System']
    # FreeIPMI 1.6.10 refuses the BCD-plus chassis serial that ipmitool
    # and we read as '12345-678', and prints the UUID as raw bytes.
    for value in (system['Board product name'], system['Product name'],
                  system['Board serial number'], system['Asset Number'],
                  system['Chassis part number'], system['Model']):
        assert ': %s\n' % value in text, value
    assert 'Manufacturing Date/Time: 03/15/24 - 10:30:00' in text
    assert 'Power Supply Overall Capacity: 750 Watts' in text
    assert 'PSU 750W Platinum' in text
    assert 'board info area checksum invalid' in text    # Riser 1, as ours
