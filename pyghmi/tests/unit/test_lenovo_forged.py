"""The Lenovo handler fed forged OEM answers (empty, short, long,
random): every read path ends in a documented pyghmi exception or an
answer, never IndexError, struct.error, ValueError or TypeError."""

import random

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.oem.lenovo import handler as lenovo

IDENTITIES = {
    'tsm': (19046, 32, 1),
    'ami': (19046, 32, 13616),
    'asrock': (19046, 32, 1184),
    'fpc': (19046, 32, 1063),
    'smmv2': (19046, 32, 1360),
    'imm': (20301, 32, 1),
    'xcc': (19046, 32, 2),
}
# the probe answers that make each kind: 3Ah C1h (IMM, XCC), 3Ah 0Fh
# (TSM), 3Ah 80h (AMI), 3Ah 50h 00 00 00 (ASRock)
PROBES = {'imm': b'\x00\x01\x00', 'xcc': b'\x00\x10\x00'}
KIND_PROBES = {(0x3A, 0x0F, b''): 'tsm', (0x3A, 0x80, b''): 'ami',
               (0x3A, 0x50, b'\x00\x00\x00'): 'asrock'}


class ForgedBmc:
    """Stands in for a Command: probes answered so the handler takes
    ``kind``, everything else answered with ``forge(netfn, cmd)``."""

    def __init__(self, kind, forge):
        self.kind = kind
        self.forge = forge

    def xraw_command(self, netfn, command, data=(), **kwargs):
        if (netfn, command) == (0x3A, 0xC1):
            if self.kind in PROBES:
                return {'data': PROBES[self.kind]}
            raise exc.IpmiException('Invalid command', code=0xC1)
        probe = KIND_PROBES.get((netfn, command, bytes(data)))
        if probe is not None:
            if probe == self.kind:
                return {'data': b'\x01'}
            raise exc.IpmiException('Invalid command', code=0xC1)
        return {'data': self.forge(netfn, command)}

    def raw_command(self, netfn, command, data=(), **kwargs):
        return {'data': self.forge(netfn, command)}


def _reads(handler):
    """Each read hook, run through the blocking flow driver."""
    driver = flows.Blocking(handler.ipmicmd.xraw_command,
                            vendor=lambda: handler)

    def listed(hook, *args):
        return list(driver.iterate(flows.vendor_items(hook, *args)))

    def answered(hook, *args):
        return driver.run(flows.vendor(hook, *args))
    yield lambda: listed('get_oem_firmware', '1.2', (), None)
    yield lambda: listed('get_leds')
    yield lambda: listed('get_oem_inventory')
    yield lambda: answered('process_zero_fru', {
        'board_extra': ['a', 'b', 'c', 'd', 'e', 'f', bytearray(b'\xff')],
        'product_extra': [bytearray(b'\x01\x02')]})
    yield lambda: answered('process_fru', {'board_extra': [None] * 7})
    yield lambda: answered('add_extra_net_configuration', {})
    yield lambda: answered('get_ntp_servers')
    yield lambda: answered('get_oem_domain_name')
    yield lambda: listed('get_sensor_data')


FORGERIES = {
    'empty': lambda n, c: b'',
    'one byte': lambda n, c: b'\x00',
    'short': lambda n, c: b'\x00\x01\x02',
    'all FFh': lambda n, c: b'\xff' * 40,
    'long': lambda n, c: bytes(range(256)) * 2,
}


@pytest.mark.parametrize('kind', sorted(IDENTITIES))
@pytest.mark.parametrize('forgery', sorted(FORGERIES))
def test_forged_answers(kind, forgery):
    _exercise(kind, FORGERIES[forgery])


@pytest.mark.parametrize('kind', sorted(IDENTITIES))
def test_random_answers(kind):
    rng = random.Random(kind)
    for _ in range(30):
        _exercise(kind, lambda n, c: bytes(rng.randrange(256) for _ in
                                           range(rng.randrange(0, 80))))


def _exercise(kind, forge):
    mfg, device, product = IDENTITIES[kind]
    handler = lenovo.OEMHandler(
        {'manufacturer_id': mfg, 'device_id': device, 'product_id': product,
         'device_revision': 0, 'firmware_version': '1.2'},
        ForgedBmc(kind, forge))
    assert handler.kind == {'fpc': 'nextscale', 'smmv2': 'nextscale'}.get(
        kind, kind)
    for read in _reads(handler):
        try:
            read()
        except (exc.PyghmiException, exc.UnsupportedFunctionality):
            pass
