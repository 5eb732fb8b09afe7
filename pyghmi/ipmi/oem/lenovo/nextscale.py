"""NextScale fan and power controllers (FPC) and System Management
Modules (SMM, SMMv2): their sensors and firmware over OEM IPMI commands
(the codecs and the sensor table; no I/O).

Facts from the wire behaviour of pyghmi 1.6.19's NextScale support:

* variant by (manufacturer, device id, product id): FPC (19046, 32,
  1063) and (20301, 32, 462) = 6; SMM (19046, 32, 1180) = 2; SMMv2 2U
  (19046, 32, 1360) = 22h; SMMv2 6U (19046, 32, 1387) = 26h.  The low
  five bits count the power supplies (and half the node bays); bit 5
  marks an SMMv2;
* netfn 32h command 90h, data 01h / 02h: AC input / DC output watts, a
  16-bit value at offset 3 of a 7-byte answer (2 of a 6-byte one); data
  03h: fan power, 32-bit hundredths of a watt at offset 1;
* 32h A5h (PSU number): PSU fan speed, 16 bits at offset 2 of a longer
  than 5-byte answer, else at offset 0;
* 32h 91h: PSU presence, power good and throttle bit masks (bit n-1 for
  PSU n); 32h A7h (bay number): node power permission (D5h: no node);
* 32h A2h: total power capacity, 16 bits at offset 3;
* 32h A8h: build data (firmware build id, PSOC version, SMMv2 6U PSU
  bank layout at byte 13); 34h 05h: leak (drip) sensors of an SMMv2 6U;
* 32h B0h, data 05h 0Bh: an SMMv2's enclosure model name (text from
  offset 2), which names the 'System' inventory component;
* 32h ADh: back to factory settings;
* reseat: 32h A4h (bay, 02h) cuts and restores a bay's power; an even
  bay whose I/O is shared with the odd one below it (32h C5h data 01h
  answers 02h) is not reseated while that partner is on (32h A7h of the
  partner, byte 1 is 80h); 32h F5h reseats the controller itself.
"""

import struct
from typing import List, Optional, Tuple

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import sensortables as tables

NETFN_FPC = 0x32
NETFN_SMM = 0x34
CMD_POWER = 0x90
CMD_PSU_STATUS = 0x91
CMD_POWER_BANK = 0xA2
CMD_PSU_FAN = 0xA5
CMD_NODE_PERMISSION = 0xA7
CMD_BUILD = 0xA8
CMD_SMM_SETTING = 0xB0
CMD_FACTORY_RESET = 0xAD
CMD_RESEAT = 0xA4
RESEAT_ACTION = 0x02
CMD_RESEAT_SELF = 0xF5
CMD_SHARED_IO = 0xC5
SHARED_IO_REQUEST = b'\x01'
SHARED_IO = 0x02
PARTNER_ON = 0x80
# 32h B0h requests: a FRU's serial number and model, an SMMv2's
# enclosure model
SERIAL_REQUEST = b'\x05\x01'
MODEL_REQUEST = b'\x05\x00'
ENCLOSURE_MODEL_REQUEST = b'\x05\x0b'
CMD_DRIP = 0x05
POWER_AC_INPUT, POWER_DC_OUTPUT, POWER_FANS = 1, 2, 3
CC_NO_NODE = 0xD5

FPC = 6
VARIANTS = {
    (19046, 32, 1063): FPC, (20301, 32, 462): FPC,
    (19046, 32, 1180): 0x02,
    (19046, 32, 1360): 0x22,
    (19046, 32, 1387): 0x26,
}


def partner_is_on(data):
    """True when a 32h A7h answer says the bay is powered on."""
    data = bytes(data)
    return len(data) > 1 and data[1] == PARTNER_ON


def variant(oemid):
    """The controller variant of a Get Device ID dict, or None."""
    return VARIANTS.get((oemid.get('manufacturer_id'),
                         oemid.get('device_id'), oemid.get('product_id')))


def is_smmv2(kind):
    """True for the SMMv2 variants (bit 5)."""
    return bool(kind and kind & 0x20)


def smm_text(data, kind):
    """The text of a 32h B0h answer: from offset 0 (SMM) or 2 (SMMv2),
    blanks, NULs and FFh removed."""
    data = bytes(data)
    if kind & 0xF0:
        data = data[2:]
    return data.strip(b' \x00\xff').replace(b'\xff', b'').decode(
        'ascii', 'replace')


def decode_model(data):
    """The enclosure model name of an SMMv2's 32h B0h (05h 0Bh) answer."""
    return smm_text(data, 0x20)


def _need(data, size, what):
    """``data`` as bytes, at least ``size`` long, else BmcErrorException
    (a forged or truncated answer never becomes an IndexError)."""
    data = bytes(data)
    if len(data) < size:
        raise exc.BmcErrorException('%s answer of %d bytes is too short'
                                    % (what, len(data)))
    return data


def _u16(data, offset):
    return struct.unpack_from('<H', _need(data, offset + 2, 'NextScale'),
                              offset)[0]


def decode_power(data):
    """Watts of a 32h 90h (01h / 02h) answer."""
    data = bytes(data)
    return _u16(data, 2 if len(data) == 6 else 3)


def decode_fan_power(data):
    """Watts (hundredths resolved) of a 32h 90h 03h answer."""
    raw = (bytes(data) + b'\x00' * 5)[1:5]
    return struct.unpack('<I', raw)[0] / 100.0


def decode_psu_fan(data):
    """RPM of a 32h A5h answer."""
    data = bytes(data)
    return _u16(data, 2 if len(data) > 5 else 0)


def decode_power_bank(data):
    """Total power capacity (W) of a 32h A2h answer."""
    return _u16(data, 3)


def _psu_masks(data):
    """(throttle-a, presence, power good, throttle-b) masks of a 32h 91h
    answer; 10-byte and longer answers hold 16-bit masks."""
    data = bytes(data)
    if len(data) >= 10:
        fields = [0] + list(struct.unpack('<HHHHBB', data[:10]))
    elif len(data) == 6:
        fields = [0] + list(data)
    else:
        fields = list(data)
    if len(fields) < 7:
        raise exc.BmcErrorException(
            'PSU status answer of %d bytes is too short' % len(data))
    return fields[2], fields[3], fields[4], fields[6]


def psu_status(data, number):
    """``(health, states)`` of PSU ``number`` (1-based)."""
    mask = 1 << (number - 1)
    throttle_a, present, good, throttle_b = _psu_masks(data)
    health, states = tables.OK, []
    present = bool(present & mask)
    if present and not good & mask:
        health = tables.CRITICAL
        states.append('Power input lost')
    if (throttle_a | throttle_b) & mask:
        health = tables.CRITICAL
        states.append('Throttled')
    if present:
        states.append('Present')
    else:
        states.append('Absent')
        health = tables.CRITICAL
    return health, states


def node_permission(data, fpc):
    """``(health, states)`` of a 32h A7h answer for one node bay."""
    data = _need(data, 4, 'Node power permission')
    if len(data) == 4:           # generations differ in the code byte
        data = b'\x00' + data
    elif len(data) == 6:
        data = data[:2] + data[3:]
    info, level, power = data[1], data[4], data[3:5]
    health, states = tables.OK, []
    if info & 0x20:
        if level in ((2, 3) if fpc else (2,)):
            states.append('Insufficient Power')
            health = tables.FAILED
        elif power != b'\x00\x00' and level not in (0, 1):
            states.append('No Power Permission')
            health = tables.FAILED
    if info & 0x40:
        states.append('Node Fault')
        health = tables.FAILED
    if power == b'\x00\x00' or level == 0:
        states.append('Absent')
    return health, states


def drip_status(data, number):
    """``(health, states)`` of leak sensor ``number`` (34h 05h)."""
    data = _need(data, 2, 'Drip sensor')
    bit = 1 << (number - 1)
    health, states = tables.OK, []
    if not data[0] & bit:
        states.append('Absent')
        health = tables.CRITICAL
    if data[1] & bit:
        states.append('Leak detected')
        health = tables.CRITICAL
    return health, states


def psu_count(kind, build=None):
    """Power supplies of a variant (an SMMv2 6U says in its build data
    whether it has a third bank)."""
    if kind == 0x26:
        return 9 if build is not None and \
            _need(build, 14, 'Build data')[13] in (3, 6) else 6
    return kind & 0x0F


# The sensors, in the order they are reported: (name, type, units, how
# many: None (one), 'psus', 'bays' (two per PSU slot) or 'drips', the
# variants that have it: 'fpc', 'smm', 'smmv2-6u' or 'all').
SENSORS = (
    ('AC Power', 'Power', 'W', None, 'all'),
    ('DC Power', 'Power', 'W', None, 'fpc'),
    ('PSU Power Loss', 'Power', 'W', None, 'smm'),
    ('Fan Power', 'Power', 'W', None, 'fpc'),
    ('PSU Fan Speed', 'Fan', 'RPM', 'psus', 'all'),
    ('Total Power Capacity', 'Power', 'W', None, 'fpc'),
    ('Node Power Permission', 'Management Subsystem Health', None, 'bays',
     'all'),
    ('Power Supply', 'Power Supply', None, 'psus', 'all'),
    ('Drip Sensor', 'Management Subsystem Health', None, 'drips',
     'smmv2-6u'),
)
DRIP_SENSORS = 2


def _has(kind, where):
    return where == 'all' or (where == 'fpc' and kind == FPC) or \
        (where == 'smm' and kind != FPC) or \
        (where == 'smmv2-6u' and kind == 0x26)


def sensor_names(kind, psus):
    """``[(name, type, units, base name, index or None)]`` of a variant
    with ``psus`` power supplies."""
    out: List[Tuple[str, str, Optional[str], str, Optional[int]]] = []
    for name, kind_text, units, count, where in SENSORS:
        if not _has(kind, where):
            continue
        total = {None: 0, 'psus': psus, 'bays': 2 * (kind & 0x1F),
                 'drips': DRIP_SENSORS}[count]
        if count is None:
            out.append((name, kind_text, units, name, None))
        for index in range(1, total + 1):
            out.append(('%s %d' % (name, index), kind_text, units, name,
                        index))
    return out


def firmware(bmc_version, kind, build):
    """``[(name, {'version', 'build'}), ('PSOC', {'version'})]`` from
    the BMC version ('major.minor') and the 32h A8h build data.

    :raises BmcErrorException: an FPC answer that is not 8 bytes, an SMM
        one too short for its fields
    """
    build = _need(build, 8 if kind == FPC else 13, 'Build data')
    if kind == FPC:
        if len(build) != 8:
            raise exc.BmcErrorException('FPC build data of %d bytes'
                                        % len(build))
        build = build[1:]
        name, build_id = 'FPC', '%02X%s' % (build[-2], chr(build[-1]))
        psoc = '%d.%d' % (build[2], build[3])
    else:
        start = 6 if kind >> 5 else 5
        name = 'SMM2' if kind >> 5 else 'SMM'
        build_id = ''.join(chr(b) for b in build[start:start + 7])
        psoc = '%d.%d' % (build[3], build[4])
    major, minor = (int(part) for part in bmc_version.split('.')[:2])
    return [(name, {'version': '%d.%02d' % (major, minor),
                    'build': build_id}),
            ('PSOC', {'version': psoc})]
