"""Every remaining decoder takes arbitrary bytes and raises only
DecodeError (DESIGN: property-based fuzzing of every decoder)."""

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private import spd
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.codec import dcmi
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import typelen

DECODERS = [
    rakp.decode_open_request, rakp.decode_open_response, rakp.decode_rakp1,
    lambda d: rakp.decode_rakp2(d, 20), rakp.decode_rakp3,
    lambda d: rakp.decode_rakp4(d, 12),
    dcmi.decode_capabilities, dcmi.decode_power_reading,
    dcmi.decode_power_limit, dcmi.parse_set_power_limit,
    dcmi.decode_string_chunk,
    chassis.decode_chassis_status, chassis.decode_boot_flags,
    chassis.power_state, chassis.decode_identify,
    chassis.decode_set_boot_options, channel.decode_cipher_suites_page,
    channel.supports_rmcp_plus, channel.requested_channel,
    lambda d: sdrrecords.Factors.decode(d),
    lambda d: typelen.read_field(d, 0),
    channel.parse_suite_records,
]


@pytest.mark.parametrize('index', range(len(DECODERS)))
@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=64))
def test_decoder_raises_only_decode_error(index, data):
    try:
        DECODERS[index](data)
    except exc.DecodeError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([spd.DDR3, spd.DDR4, spd.DDR5]),
       st.binary(min_size=600, max_size=1100))
def test_spd_decode_of_noise(kind, noise):
    data = bytearray(noise)
    data[2] = kind
    info = spd.decode(bytes(data))      # any bytes of the right size decode
    assert info['memory_type'] == spd.MEMORY_TYPES[kind]
