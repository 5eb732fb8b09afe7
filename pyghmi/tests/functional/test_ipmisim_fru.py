"""FRU data written into ipmi_sim by the test, read by our client."""

import subprocess

from pyghmi.ipmi import command
from pyghmi.ipmi import fru
from pyghmi.ipmi.private.codec import typelen
from pyghmi.tests.functional import peers

MINUTES = (1700000000 - fru.FRU_EPOCH) // 60


def test_ipmisim_fru0_read_and_decoded():
    image = fru.encode(
        chassis={'type': 0x11, 'fields': ['SIM-CH', 'SIMSERIAL1']},
        board={'minutes': MINUTES,
               'fields': ['OpenIPMI', 'SIM BOARD', 'B-SN-1', 'B-PN-1', ''],
               'kinds': {1: typelen.ASCII6}},
        product={'fields': ['OpenIPMI', 'Simulated Server', 'SIM-1', '2.0',
                            'P-SN-77', 'TAG-9', '']})
    emu = 'mc_add_fru_data 0x20 0 %d data %s' % (
        len(image), ' '.join('0x%02x' % b for b in image))
    with peers.IpmiSim(extra_emu=emu) as sim:
        c = command.Command(sim.host, 'admin', 'password', port=sim.port)
        try:
            info = c.get_inventory_of_component('System', details=True)
        finally:
            c.logout()
        assert info['Chassis type'] == 'Main Server Chassis'
        assert info['Board product name'] == 'SIM BOARD'
        assert info['Board manufacture date'] == '2023-11-14T22:13'
        assert info['Product name'] == 'Simulated Server'
        assert info['Asset Number'] == 'TAG-9'
        assert info['Manufacturer ID'] == 0x1291
        assert info['warnings'] == []
        out = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-H', sim.host, '-p',
             str(sim.port), '-U', 'admin', '-P', 'password', '-C', '3',
             'fru', 'print', '0'], capture_output=True, text=True,
            timeout=60).stdout
        assert 'Product Name          : Simulated Server' in out
        assert 'Board Product         : SIM BOARD' in out
