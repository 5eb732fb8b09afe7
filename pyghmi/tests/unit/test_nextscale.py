"""NextScale codecs on truncated and forged answers: a clear
BmcErrorException, never an IndexError or struct.error."""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.oem.lenovo import nextscale

CALLS = (
    lambda d: nextscale.decode_power(d),
    lambda d: nextscale.decode_psu_fan(d),
    lambda d: nextscale.decode_power_bank(d),
    lambda d: nextscale.psu_status(d, 1),
    lambda d: nextscale.node_permission(d, True),
    lambda d: nextscale.drip_status(d, 1),
    lambda d: nextscale.psu_count(0x26, d),
    lambda d: nextscale.firmware('1.2', nextscale.FPC, d),
    lambda d: nextscale.firmware('1.2', 0x22, d),
)


@pytest.mark.parametrize('call', CALLS)
def test_truncated_answers(call):
    for size in range(0, 2):
        with pytest.raises(exc.BmcErrorException):
            call(bytes(size))


def test_values_from_the_layouts():
    assert nextscale.decode_power(bytes((0, 0, 0, 0xD2, 4, 0, 0))) == 1234
    assert nextscale.decode_power(bytes((0, 0, 0x4C, 4, 0, 0))) == 1100
    assert nextscale.decode_fan_power(bytes((0, 0x39, 0x30))) == 123.45
    assert nextscale.decode_psu_fan(bytes((0x68, 0x10))) == 4200
    assert nextscale.decode_psu_fan(bytes((0, 0, 0x68, 0x10, 0, 0))) == \
        4200
    assert nextscale.psu_count(nextscale.FPC) == 6
    assert nextscale.variant({'manufacturer_id': 20301, 'device_id': 32,
                              'product_id': 462}) == nextscale.FPC
    assert nextscale.variant({'manufacturer_id': 19046, 'device_id': 32,
                              'product_id': 1031}) is None
