"""DCMI 1.5 messages: one codec for the client and fakebmc (pure).

Every DCMI request and response starts with the group extension id DCh
(netfn 2Ch).  Command numbers and layouts are from the DCMI 1.5
specification, section 6.
"""

import struct

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const

NETFN = const.NETFN_GROUP_EXTENSION
GROUP = 0xDC
GET_CAPABILITIES = 0x01
GET_POWER_READING = 0x02
GET_POWER_LIMIT = 0x03
SET_POWER_LIMIT = 0x04
ACTIVATE_POWER_LIMIT = 0x05
GET_ASSET_TAG = 0x06
GET_SENSOR_INFO = 0x07
SET_ASSET_TAG = 0x08
GET_MC_ID = 0x09
SET_MC_ID = 0x0A
NO_ACTIVE_LIMIT = 0x80          # Get Power Limit completion code
ENTITY_INLET, ENTITY_CPU, ENTITY_BASEBOARD = 0x40, 0x41, 0x42
CHUNK = 16                       # asset tag / MC id strings per request

_POWER = struct.Struct('<HHHHIIB')
_LIMIT = struct.Struct('<HBHIHH')


def strip_group(data):
    """Check and remove the leading DCh of a DCMI message."""
    if not data or data[0] != GROUP:
        raise exc.DecodeError('DCMI message without the DCh group id')
    return bytes(data[1:])


def decode_capabilities(data):
    """Get DCMI Capabilities Info, parameter 1 (supported capabilities).

    :returns: ``{'version': '1.5', 'power_management': bool, ...}``
    """
    data = strip_group(data)
    if len(data) < 6:
        raise exc.DecodeError('short DCMI capabilities response')
    mandatory, optional, access = data[4], data[5], data[6] if \
        len(data) > 6 else 0
    return {'version': '%d.%d' % (data[0], data[1]),
            'identification': bool(mandatory & 0x01),
            'sel_logging': bool(mandatory & 0x02),
            'chassis_power': bool(mandatory & 0x04),
            'temperature_monitoring': bool(mandatory & 0x08),
            'power_management': bool(optional & 0x01),
            'lan_access': bool(access & 0x08)}


def encode_capabilities(power_management=True):
    """The BMC side of :func:`decode_capabilities`."""
    return bytes((GROUP, 1, 5, 2, 0, 0x0F, 1 if power_management else 0,
                  0x08))


def decode_power_reading(data):
    """Get Power Reading (system power statistics).

    :returns: dict with 'current', 'minimum', 'maximum', 'average'
        (watts), 'timestamp', 'period' (ms) and 'active'
    """
    data = strip_group(data)
    if len(data) < _POWER.size:
        raise exc.DecodeError('short DCMI power reading response')
    cur, low, high, avg, stamp, period, state = _POWER.unpack_from(data)
    return {'current': cur, 'minimum': low, 'maximum': high,
            'average': avg, 'timestamp': stamp, 'period': period,
            'active': bool(state & 0x40)}


def encode_power_reading(current, minimum, maximum, average, stamp,
                         period=60000, active=True):
    """The BMC side of :func:`decode_power_reading`."""
    return bytes((GROUP,)) + _POWER.pack(current, minimum, maximum, average,
                                         stamp, period,
                                         0x40 if active else 0)


def decode_power_limit(data):
    """Get Power Limit: ``{'limit', 'exception_action', 'correction_ms',
    'sampling_s'}``."""
    data = strip_group(data)
    if len(data) < _LIMIT.size:
        raise exc.DecodeError('short DCMI power limit response')
    _, action, limit, correction, _, sampling = _LIMIT.unpack_from(data)
    return {'limit': limit, 'exception_action': action,
            'correction_ms': correction, 'sampling_s': sampling}


def encode_power_limit(limit, exception_action=0, correction_ms=1000,
                       sampling_s=1):
    """The BMC side of :func:`decode_power_limit`."""
    return bytes((GROUP,)) + _LIMIT.pack(0, exception_action, limit,
                                         correction_ms, 0, sampling_s)


def set_power_limit_request(limit, exception_action=0, correction_ms=1000,
                            sampling_s=1):
    """Set Power Limit request data."""
    return bytes((GROUP, 0, 0, 0)) + struct.pack(
        '<BHIHH', exception_action, limit, correction_ms, 0, sampling_s)


def parse_set_power_limit(data):
    """The BMC side of :func:`set_power_limit_request`."""
    data = strip_group(data)
    if len(data) < 14:
        raise exc.DecodeError('short Set Power Limit request')
    action, limit, correction, _, sampling = struct.unpack_from(
        '<BHIHH', data, 3)
    return {'limit': limit, 'exception_action': action,
            'correction_ms': correction, 'sampling_s': sampling}


def string_chunks(text):
    """(offset, bytes) pieces of at most 16 bytes, for Set commands."""
    raw = text.encode('utf-8')
    return [(pos, raw[pos:pos + CHUNK]) for pos in range(0, len(raw) or 1,
                                                         CHUNK)]


def decode_string_chunk(data):
    """Get Asset Tag / Get MC ID String reply: ``(total length, bytes)``."""
    data = strip_group(data)
    if not data:
        raise exc.DecodeError('short DCMI string response')
    return data[0], data[1:]
