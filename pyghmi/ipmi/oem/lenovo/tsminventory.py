"""ThinkServer extended inventory: CPUs, DIMMs, PCI devices, drives
and power supplies, as tables (the codecs; no I/O).

On TSM and AMI firmware each category is an OEM parameter of Get System
Info Parameters (netfn 06h command 59h, request ``00 <parameter> <set>
00``) whose answer is the parameter revision, an entry count, then
fixed-size entries described by a field table below (layouts as pyghmi
1.6.19 reads them from that firmware).  Some categories come one entry
per request: the last request byte walks 1, 2... until the BMC refuses,
each answer holding the revision and one entry.  ASRock Rack firmware
gives CPUs and DIMMs through its own command (:data:`ASROCK_CATEGORIES`).
An entry whose presence field is zero is left out.
"""

import operator
import struct
import typing

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


class Category(typing.NamedTuple):
    """How one inventory category is read and named.

    ``request`` is the request data; when ``one_each``, its last byte is
    replaced by the entry number (1, 2... until the BMC refuses).
    ``counted``: the answer has an entry count (else entries are
    numbered from 1); ``revision``: it starts with a parameter revision
    byte; ``skip_empty``: a one-each answer whose entry index is FFh is an
    empty slot; ``number`` turns an entry into the number in its name;
    ``strict_count``: an answer whose count disagrees with its entries is
    refused (ASRock firmware's count is not trusted, as pyghmi 1.6.19
    does not).
    """
    pattern: str
    fields: tuple
    netfn: int
    command: int
    request: bytes
    one_each: bool = False
    counted: bool = True
    revision: bool = True
    skip_empty: bool = False
    number: typing.Callable[[dict], int] = operator.itemgetter('index')
    strict_count: bool = True


def request(parameter, set_selector):
    """Get System Info Parameters request data for a category."""
    return bytes((0x00, parameter, set_selector, 0x00))


def _tsm(pattern, fields, parameter, selector, **how):
    return Category(pattern, fields, 0x06, 0x59,
                    request(parameter, selector), **how)


def _asrock_dimm_number(entry):
    # RS160/TS460 number DIMMs by slot and channel: slot alone on
    # channel 1, slot + channel otherwise (as pyghmi 1.6.19 keys them)
    channel = entry['channel_number']
    return entry['index'] if channel == 1 else entry['index'] + channel


# Per controller kind, the categories in the order they are listed.
# ThinkServer TSM: OEM parameters of Get System Info Parameters; DIMMs
# one per request.
TSM_CATEGORIES = (
    _tsm('CPU {0}', CPU, 0xC1, 0x01),
    _tsm('DIMM {0}', DIMM, 0xC1, 0x02, one_each=True),
    _tsm('PCI {0}', PCI, 0xC1, 0x03),
    _tsm('Drive {0}', DRIVE, 0xC1, 0x04),
    _tsm('Power Supply {0}', PSU, 0xC6, 0x00),
    _tsm('RAID Drive {0}', RAID_DRIVE, 0xC5, 0x00),
    _tsm('RAID Controller {0}', RAID_CONTROLLER, 0xC4, 0x00, counted=False),
)
# AMI firmware (SD350): the same parameters, CPUs and PCI devices one
# per request too.
AMI_CATEGORIES = tuple(
    category._replace(one_each=True) if category.pattern in (
        'CPU {0}', 'PCI {0}') else category for category in TSM_CATEGORIES)
# ASRock Rack firmware (RS160, TS460): CPUs and DIMMs only, through
# netfn 3Ah command 50h (selector 01h, then 01h CPUs / 02h DIMMs); the
# CPU answer has no revision byte; DIMMs one per request.
ASROCK_CATEGORIES = (
    Category('CPU {0}', CPU, 0x3A, 0x50, b'\x01\x01\x00', revision=False,
             strict_count=False),
    Category('DIMM {0}', DIMM, 0x3A, 0x50, b'\x01\x02\x01', one_each=True,
             skip_empty=True, number=_asrock_dimm_number),
)
CATEGORIES_BY_KIND = {'tsm': TSM_CATEGORIES, 'ami': AMI_CATEGORIES,
                      'asrock': ASROCK_CATEGORIES}
MAX_PER_REQUEST_ENTRIES = 0xFE


def one_each_request(category, index):
    """The request data for entry ``index`` of a one-each category."""
    return category.request[:-1] + bytes((index,))


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


def decode_category(fields, data, counted=True, strict=True):
    """The entries of a category answer (revision, count, entries; or
    revision and entries, numbered from 1 in 'index', when not
    ``counted``).

    :param strict: refuse an answer whose count disagrees with its
        entries
    :returns: list of dicts, absent entries left out
    :raises DecodeError: the answer is not whole entries, or (``strict``)
        their count disagrees with the announced one
    """
    data = bytes(data)
    if len(data) < 2:
        raise DecodeError('TSM inventory answer too short')
    body = data[2:] if counted else data[1:]
    size = entry_size(fields)
    count = data[1] if counted and strict else len(body) // size
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
