"""ThinkServer TSM extended inventory: CPUs, DIMMs, PCI devices, drives
and power supplies, as tables (the codecs; no I/O).

Each category is an OEM parameter of Get System Info Parameters (netfn
06h command 59h, request ``00 <parameter> <set> 00``) whose answer is the
parameter revision, an entry count, then fixed-size entries described by
a field table below (layouts as pyghmi 1.6.19 reads them from TSM
firmware).  DIMMs come one per request: the set selector walks 1, 2...
until the BMC refuses, each answer holding the revision and one entry.
An entry whose presence field is zero is left out.
"""

import struct

from pyghmi.exceptions import DecodeError

# Value conversions of some fields.
_MHZ = '%d MHz'.__mod__
_MB = '%d MB'.__mod__

PCI_TYPES = {0: 'On board slot', 1: 'Riser Type 1', 2: 'Riser Type 2',
             3: 'Riser Type 3', 4: 'Riser Type 4', 5: 'Riser Type 5',
             6: 'Riser Type 6a', 7: 'Riser Type 6b', 8: 'ROC', 9: 'Mezz'}
MEDIA_TYPES = {0: 'HDD', 1: 'SSD'}
DRIVE_INTERFACES = {0: 'Unknown', 1: 'ParallelSCSI', 2: 'SAS', 3: 'SATA',
                    4: 'FC'}
FORM_FACTORS = {0: 'Unknown', 1: '2.5in', 2: '3.5in'}
LINK_SPEEDS = {0: 'Unknown', 1: '1.5 Gb/s', 2: '3.0 Gb/s', 3: '6.0 Gb/s',
               4: '12.0 Gb/s'}
DRIVE_STATES = {0: 'active', 1: 'stopped', 0xFF: 'transitioning'}
# PSU status word (DMTF power supply fields), bits 13:10, 6:3, 2, 0.
PSU_TYPES = {1: 'Other', 2: 'Unknown', 3: 'Linear', 4: 'Switching',
             5: 'Battery', 6: 'UPS', 7: 'Converter', 8: 'Regulator'}
PSU_RANGES = {1: 'Other', 2: 'Unknown', 3: 'Manual', 4: 'Auto-switch',
              5: 'Wide range', 6: 'Not applicable'}


def _psu_word(word):
    return {'DMTF Power Supply Type': PSU_TYPES.get((word >> 10) & 0xF,
                                                    'Invalid'),
            'DMTF Input Voltage Range': PSU_RANGES.get((word >> 3) & 0xF,
                                                       'Invalid'),
            'Unplugged': bool(word & 0x4),
            'Hot Replaceable': bool(word & 0x1)}


def F(name, fmt, mapper=None, value=None, include=True, presence=False,
      merge=False):
    """One field: ``name``, struct format, and how its value is given:
    through ``mapper`` (unknown codes stay numbers), ``value`` (a
    function), left out (``include``), as presence (``presence``: zero
    drops the entry) or merged into the entry (``merge``: a dict)."""
    return (name, fmt, mapper, value, include, presence, merge)


CPU = (F('index', 'B'), F('Cores', 'B'), F('Threads', 'B'),
       F('Manufacturer', '13s'), F('Family', '30s'), F('Model', '30s'),
       F('Stepping', '3s'), F('Maximum Frequency', '<I', value=_MHZ),
       F('Reserved', 'h', include=False))
DIMM = (F('index', 'B'), F('manufacture_location', 'B'),
        F('channel_number', 'B'), F('module_type', '10s'),
        F('ddr_voltage', '10s'), F('speed', '<h', value=_MHZ),
        F('capacity_mb', '<h', value=lambda v: v * 1024),
        F('manufacturer', '30s'),
        F('serial', '>I', value=lambda v: '%x' % v), F('model', '21s'),
        F('reserved', 'h', include=False))
PCI = (F('index', 'B'), F('PCIType', 'B', mapper=PCI_TYPES),
       F('BusNumber', 'B'), F('DeviceFunction', 'B'),
       F('VendorID', '<H', presence=True), F('DeviceID', '<H'),
       F('SubSystemVendorID', '<H'), F('SubSystemID', '<H'),
       F('InterfaceType', 'B'), F('SubClassCode', 'B'),
       F('BaseClassCode', 'B'), F('LinkSpeed', 'B'), F('LinkWidth', 'B'),
       F('Reserved', '<h'))
DRIVE = (F('index', 'B'), F('VendorID', '64s'), F('Size', '<I', value=_MB),
         F('MediaType', 'B', mapper=MEDIA_TYPES),
         F('InterfaceType', 'B', mapper=DRIVE_INTERFACES),
         F('FormFactor', 'B', mapper=FORM_FACTORS),
         F('LinkSpeed', 'B', mapper=LINK_SPEEDS), F('SlotNumber', 'B'),
         F('ControllerIndex', 'B'),
         F('DeviceState', 'B', mapper=DRIVE_STATES))
RAID_MEDIA_TYPES = {**MEDIA_TYPES, 2: 'SSM_FLASH'}
RAID_DRIVE = ((F('index', 'B'), F('VendorID', '64s'),
               F('Size', '<I', value=_MB),
               F('MediaType', 'B', mapper=RAID_MEDIA_TYPES)) + DRIVE[4:])
RAID_CONTROLLER = (
    F('ControllerID', '<I'),
    F('AdapterType', 'B', mapper={0: 'Unknown', 1: 'RAIDController'}),
    F('SupercapPresence', 'B', mapper={0: 'Absent', 1: 'Present'}),
) + tuple(field for n in range(1, 9) for field in (
    F('FlashComponent%dName' % n, '16s'),
    F('FlashComponent%dVersion' % n, '64s')))
PSU = (F('index', 'B'), F('Presence State', 'B', presence=True),
       F('Capacity W', '<H'), F('Board manufacturer', '18s'),
       F('Board model', '18s'), F('Board manufacture date', '10s'),
       F('Board serial number', '34s'),
       F('Board manufacturer revision', '5s'),
       F('Board product name', '10s'), F('PSU Asset Tag', '10s'),
       F('PSU Redundancy Status', 'B',
         value=lambda v: 'Redundant' if v else 'Not redundant'),
       F('PSU Status Word', '<H', value=_psu_word, merge=True))

# (component name pattern, parameter, set selector, fields, one per
# request, counted) in the order the components are listed; a category
# not "counted" has no count byte and numbers its entries from 1.
CATEGORIES = (
    ('CPU {0}', 0xC1, 0x01, CPU, False, True),
    ('DIMM {0}', 0xC1, 0x02, DIMM, True, True),
    ('PCI {0}', 0xC1, 0x03, PCI, False, True),
    ('Drive {0}', 0xC1, 0x04, DRIVE, False, True),
    ('Power Supply {0}', 0xC6, 0x00, PSU, False, True),
    ('RAID Drive {0}', 0xC5, 0x00, RAID_DRIVE, False, True),
    ('RAID Controller {0}', 0xC4, 0x00, RAID_CONTROLLER, False, False),
)
MAX_PER_REQUEST_ENTRIES = 0xFE


def request(parameter, set_selector, index=0):
    """Get System Info Parameters request data for a category."""
    return bytes((0x00, parameter, set_selector, index))


def entry_size(fields):
    """Bytes of one entry."""
    return sum(struct.calcsize(f[1]) for f in fields)


def decode_entry(fields, raw):
    """One entry as a dict (with 'index'), or None when absent.

    :raises DecodeError: shorter than the entry
    """
    if len(raw) < entry_size(fields):
        raise DecodeError('TSM inventory entry truncated')
    out, offset, present = {}, 0, True
    for name, fmt, mapper, value, include, presence, merge in fields:
        item = struct.unpack_from(fmt, raw, offset)[0]
        offset += struct.calcsize(fmt)
        if presence and not item:
            present = False
        if not include:
            continue
        if isinstance(item, bytes):
            item = item.rstrip(b'\x00\xff').decode('latin-1')
        if mapper is not None:
            item = mapper.get(item, item)
        if value is not None:
            item = value(item)
        if merge:
            out.update(item)
        else:
            out[name] = item
    return out if present else None


def decode_category(fields, data, counted=True):
    """The entries of a category answer (revision, count, entries; or
    revision and entries, numbered from 1 in 'index', when not
    ``counted``).

    :returns: list of dicts, absent entries left out
    :raises DecodeError: the answer is not whole entries, or their count
        disagrees with the announced one
    """
    data = bytes(data)
    if len(data) < 2:
        raise DecodeError('TSM inventory answer too short')
    body = data[2:] if counted else data[1:]
    size = entry_size(fields)
    count = data[1] if counted else len(body) // size
    if len(body) % size or len(body) // size != count:
        raise DecodeError('TSM inventory answer does not hold %d entries'
                          % count)
    entries = []
    for number, offset in enumerate(range(0, len(body), size), 1):
        entry = decode_entry(fields, body[offset:offset + size])
        if entry is not None:
            entry.setdefault('index', number)
            entries.append(entry)
    return entries
