"""Sensor Data Records: decoding, encoding and reading conversion (pure).

Rules of this module:

* no I/O: functions take record bytes or reading bytes;
* every decoder raises :class:`pyghmi.exceptions.DecodeError` for
  truncated or malformed input, never ``IndexError``;
* every record type is one :class:`~pyghmi.ipmi.private.codec.layout.Layout`
  below, written from its table; the decoders and the encoders (used by
  fakebmc) both go through it, so a field can only be misplaced once, and
  byte vectors from ipmi_sim and ipmitool check the declarations.

Layouts are from IPMI v2.0 section 43 (full 43.1, compact 43.2, event-only
43.3, FRU device locator 43.8, management controller locator 43.9, OEM
43.12); conversion from section 36.3; Get Sensor Reading from 35.14.
"""

import copy
import math
from typing import Any, Dict, List, Optional

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import sdrattrs
from pyghmi.ipmi.private import sensortables as tables
from pyghmi.ipmi.private.codec import typelen
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, S, U
from pyghmi.ipmi.private.sdrattrs import RecordAttributes

FULL, COMPACT, EVENT_ONLY = 0x01, 0x02, 0x03
FRU_LOCATOR, MC_LOCATOR, OEM = 0x11, 0x12, 0xC0
# pyghmi 1.6.19's record kinds (``SdrRecord.sdrtype``)
TYPE_UNKNOWN, TYPE_SENSOR, TYPE_FRU = (
    sdrattrs.TYPE_UNKNOWN, sdrattrs.TYPE_SENSOR, sdrattrs.TYPE_FRU)
THRESHOLD_READING_TYPE = 0x01
SENSOR_SPECIFIC = 0x6F

_LINEAR = {
    0: lambda x: x, 1: math.log, 2: math.log10, 3: math.log2,
    4: math.exp, 5: lambda x: 10 ** x, 6: lambda x: 2 ** x,
    7: lambda x: 1 / x, 8: lambda x: x * x, 9: lambda x: x ** 3,
    10: math.sqrt, 11: lambda x: math.copysign(abs(x) ** (1 / 3), x),
}
THRESHOLD_NAMES = ('upper non-recoverable', 'upper critical',
                   'upper non-critical', 'lower non-recoverable',
                   'lower critical', 'lower non-critical')


SDR_VERSION = 0x51
# Threshold order of full records, bytes 37-42 (table 43-1), which is
# also the order of the readable-threshold mask bits from bit 5 down.
THRESHOLD_BYTES = 36

# The header every record starts with (section 43).
_HEADER = [U('record_id', 0, 2), U('version', 2, default=SDR_VERSION),
           U('record_type', 3), U('length', 4)]
HEADER = Layout('SDR header (43)', _HEADER)
# Sensor owner and number, common to full, compact and event-only.
_SENSOR_KEY = [U('owner', 5), B('lun', 6, 0, 2), B('channel', 6, 4, 4),
               U('number', 7), U('entity', 8), U('instance', 9)]

# Conversion factors, bytes 25-30 of a full record (table 43-1), also
# bytes 2-7 of Get Sensor Reading Factors (35.5).
FACTORS = Layout('conversion factors (table 43-1)', [
    S('m', (0, 0, 8), (1, 6, 2), signed=True),
    B('tolerance', 1, 0, 6),
    S('b', (2, 0, 8), (3, 6, 2), signed=True),
    S('accuracy', (3, 0, 6), (4, 4, 4)),
    B('accuracy_exp', 4, 2, 2),
    B('direction', 4, 0, 2),
    B('bexp', 5, 0, 4, signed=True),
    B('rexp', 5, 4, 4, signed=True),
])

_FULL_FIELDS = [
    U('initialization', 10, default=0x7F),
    U('capabilities', 11, default=0x68),
    U('sensor_type', 12), U('reading_type', 13),
    U('assertion_mask', 14, 2), U('deassertion_mask', 16, 2),
    B('readable_thresholds', 18, 0, 6), B('settable_thresholds', 19, 0, 6),
    B('units1', 20, 0, 6), B('analog_format', 20, 6, 2),
    U('base_unit', 21), U('modifier_unit', 22),
    B('linearization', 23, 0, 7),
    Raw('factors', 24, 6),
    U('analog_flags', 30), U('nominal', 31), U('normal_max', 32),
    U('normal_min', 33), U('sensor_max', 34, default=0xFF),
    U('sensor_min', 35),
    Raw('thresholds', THRESHOLD_BYTES, 6),
    U('hysteresis_pos', 42), U('hysteresis_neg', 43), U('oem', 46),
    Raw('id_string', 47),
]
FULL_SENSOR = Layout('full sensor record (table 43-1)',
                     _HEADER + _SENSOR_KEY + _FULL_FIELDS, min_length=48)


def _sharing(offset):
    """Record sharing fields of compact and event-only records."""
    return [B('share_count', offset, 0, 4, default=1),
            B('modifier_type', offset, 4, 2),
            B('direction', offset, 6, 2),
            B('modifier_offset', offset + 1, 0, 7),
            F('instance_sharing', offset + 1, 7)]


_COMPACT_FIELDS = [
    U('initialization', 10, default=0x7F),
    U('capabilities', 11, default=0x40),
    U('sensor_type', 12), U('reading_type', 13),
    U('assertion_mask', 14, 2, default=0x7FFF),
    U('deassertion_mask', 16, 2, default=0x7FFF),
    U('reading_mask', 18, 2, default=0x7FFF),
    B('units1', 20, 0, 8), U('base_unit', 21), U('modifier_unit', 22),
    *_sharing(23),
    U('hysteresis_pos', 25), U('hysteresis_neg', 26), U('oem', 30),
    Raw('id_string', 31),
]
COMPACT_SENSOR = Layout('compact sensor record (table 43-2)',
                        _HEADER + _SENSOR_KEY + _COMPACT_FIELDS,
                        min_length=32)

EVENT_ONLY_SENSOR = Layout(
    'event-only record (table 43-3)',
    _HEADER + _SENSOR_KEY + [U('sensor_type', 10), U('reading_type', 11)]
    + _sharing(12) + [U('oem', 15), Raw('id_string', 16)],
    min_length=17)

FRU_DEVICE_LOCATOR = Layout('FRU device locator (table 43-7)', [
    *_HEADER,
    U('access_address', 5),            # 8-bit form; bit 0 reserved
    U('fru_id', 6),
    B('private_bus', 7, 0, 3), B('access_lun', 7, 3, 2), F('logical', 7, 7),
    B('channel', 8, 4, 4),
    U('device_type', 10, default=0x10), U('device_modifier', 11),
    U('entity', 12), U('instance', 13), U('oem', 14),
    Raw('id_string', 15),
], min_length=16)

MC_DEVICE_LOCATOR = Layout('management controller locator (table 43-8)', [
    *_HEADER,
    U('slave_address', 5),             # 8-bit form; bit 0 reserved
    B('channel', 6, 0, 4),
    U('power_state', 7), U('capabilities', 8, default=0xBF),
    U('entity', 12, default=0x2E), U('instance', 13, default=1),
    U('oem', 14), Raw('id_string', 15),
], min_length=16)

OEM_RECORD = Layout('OEM record (table 43-11)', [
    *_HEADER, U('manufacturer_id', 5, 3), Raw('oem_data', 8),
], min_length=8)

# Get Sensor Reading response data (table 35-15).
SENSOR_READING = Layout('Get Sensor Reading response (table 35-15)', [
    U('raw', 0),
    F('unavailable', 1, 5),
    F('scanning_enabled', 1, 6, default=True),
    F('events_enabled', 1, 7, default=True),
    U('states', 2, optional=True),
    B('states_high', 3, 0, 7, optional=True),
], min_length=2)


def twos_complement(value, bits):
    """Signed value of a ``bits``-wide two's complement field."""
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


def ones_complement(value, bits):
    """Signed value of a ``bits``-wide one's complement field."""
    if value & (1 << (bits - 1)):
        return -((~value) & ((1 << bits) - 1))
    return value


class Factors:
    """Conversion factors of an analog sensor (36.3)."""

    __slots__ = ('m', 'b', 'bexp', 'rexp', 'tolerance', 'accuracy',
                 'linearization', 'fmt', 'accuracy_exp', 'direction')

    def __init__(self, m=1, b=0, bexp=0, rexp=0, tolerance=0, accuracy=0,
                 linearization=0, fmt=0, accuracy_exp=0, direction=0):
        self.m, self.b, self.bexp, self.rexp = m, b, bexp, rexp
        self.tolerance, self.accuracy = tolerance, accuracy
        self.linearization, self.fmt = linearization, fmt
        self.accuracy_exp, self.direction = accuracy_exp, direction

    def __repr__(self):
        return ('Factors(m=%d, b=%d, bexp=%d, rexp=%d, linearization=%d)'
                % (self.m, self.b, self.bexp, self.rexp, self.linearization))

    @classmethod
    def decode(cls, data, linearization=0, fmt=0):
        """Decode the six factor bytes (:data:`FACTORS`)."""
        f = FACTORS.decode(data)
        return cls(f['m'], f['b'], f['bexp'], f['rexp'], f['tolerance'],
                   f['accuracy'], linearization, fmt, f['accuracy_exp'],
                   f['direction'])

    def encode(self, direction=None):
        """The six factor bytes (inverse of :meth:`decode`)."""
        return FACTORS.encode(
            m=self.m, b=self.b, bexp=self.bexp, rexp=self.rexp,
            tolerance=self.tolerance, accuracy=self.accuracy,
            accuracy_exp=self.accuracy_exp,
            direction=self.direction if direction is None else direction)

    def raw_value(self, raw):
        """The signed raw count per the analog data format."""
        if self.fmt == 1:
            return ones_complement(raw, 8)
        if self.fmt == 2:
            return twos_complement(raw, 8)
        return raw

    def _exact(self, num, den=1):
        """(M*x + B*10^Bexp) * 10^Rexp for x = num/den, as an exact
        ratio of two ints: factors and exponents are integers, so the
        formula's value is a decimal, and one correctly rounded
        division at the end makes it print as that decimal (3.3, not
        3.3000000000000003 as step-by-step floats give)."""
        top, bottom = self.m * num, den
        b_top = self.b * den
        if self.bexp >= 0:
            top += b_top * 10 ** self.bexp
        else:
            scale = 10 ** -self.bexp
            top, bottom = top * scale + b_top, bottom * scale
        if self.rexp >= 0:
            return top * 10 ** self.rexp, bottom
        return top, bottom * 10 ** -self.rexp

    def _apply(self, ratio):
        top, bottom = ratio
        if self.linearization == 0:
            return top / bottom     # int / int: correctly rounded
        func = _LINEAR.get(self.linearization)
        if func is None:
            return None
        try:
            return float(func(top / bottom))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None

    def convert(self, raw):
        """Reading in units: L[(M*x + B*10^Bexp) * 10^Rexp] (36.3).
        For a linear sensor the result is the formula's exact decimal
        value rounded once to the nearest float.

        :param raw: the raw count (an int from the BMC; a float is taken
            as it is, as pyghmi's ``decode_value`` took it)
        :returns: a float, or None where the function is undefined
        """
        return self._apply(self._exact(*_ratio(self.raw_value(raw))))

    def imprecision(self, raw):
        """How far the true value may be from :meth:`convert`: half a raw
        count of quantisation plus the tolerance (in +/- half counts,
        table 43-1), taken on the low side as pyghmi does.  For a linear
        sensor that is exactly |M| * (1 + tolerance) / 2 * 10^Rexp,
        rounded once (pyghmi 1.6.19 subtracted two rounded floats, and
        its result went negative with a negative M).

        :returns: a non-negative float, or None where undefined
        """
        value = self.convert(raw)
        if value is None:
            return None
        if self.linearization == 0:
            top, bottom = abs(self.m) * (1 + self.tolerance), 2
            if self.rexp >= 0:
                return top * 10 ** self.rexp / bottom
            return top / (bottom * 10 ** -self.rexp)
        num, den = _ratio(self.raw_value(raw))
        # x - (1 + tolerance) / 2, as a ratio
        low = self._apply(self._exact(2 * num - (1 + self.tolerance) * den,
                                      2 * den))
        return None if low is None else abs(value - low)


def _ratio(value):
    """An int or float as (numerator, denominator), exactly."""
    if isinstance(value, int):
        return value, 1
    return float(value).as_integer_ratio()


class SdrRecord(RecordAttributes):
    """One decoded SDR.  ``kind`` is the record type; sensor records have
    ``name``, ``number``, ``owner``, ``lun``, ``channel``, ``entity_id``,
    ``instance``, ``sensor_type_number``, ``reading_type``; full and
    compact records ``units`` and ``unit_codes`` (units 1, base and
    modifier unit bytes); full records also ``factors``, ``thresholds``
    and ``readable_thresholds``;
    compact and event-only records the sharing fields; FRU locators
    ``access_address``, ``fru_id``, ``logical``, ``device_type`` and
    ``device_modifier``; MC locators ``slave_address`` and
    ``capabilities``; OEM records ``manufacturer_id`` and ``oem_data``;
    every record keeps its ``raw`` bytes.  The names pyghmi 1.6.19 gave
    these (``sensor_type`` and ``entity`` as text, ``baseunit``,
    ``sensor_name``...) come from :class:`RecordAttributes`."""

    def __init__(self, record_id, kind, raw):
        self.record_id = record_id
        self.kind = kind
        self.raw = raw
        self.name = ''
        self.number = self.owner = self.lun = self.channel = 0
        self.entity_id = self.instance = 0
        self.sensor_type_number = self.reading_type = 0
        self.factors = None
        self.units = ''
        self.unit_codes = None
        self.thresholds = {}
        self.readable_thresholds = 0
        self.share_count = 1
        self.modifier_type = self.modifier_offset = 0
        self.instance_sharing = False
        self.access_address = self.fru_id = 0
        self.logical = False
        self.device_type = self.device_modifier = 0
        self.slave_address = self.capabilities = 0
        self.manufacturer_id = 0
        self.oem_data = b''

    def __repr__(self):
        return 'SdrRecord(id=%d, type=0x%02x, name=%r)' % (
            self.record_id, self.kind, self.name)

    @property
    def is_sensor(self):
        """True for records that describe readable sensors."""
        return self.kind in (FULL, COMPACT)

    @property
    def threshold_based(self):
        """True when the sensor reports threshold states."""
        return self.reading_type == THRESHOLD_READING_TYPE


def _units(u1, u2, u3):
    base = tables.UNITS.get(u2, '')
    if u1 & 0x01:
        base = '%'
    join = tables.MODIFIER_JOIN.get((u1 >> 1) & 3)
    if join:
        base += join + tables.UNITS.get(u3, '')
    return base + tables.RATE_UNITS.get((u1 >> 3) & 7, '')


def _id_string(raw):
    if not raw:
        return ''
    kind, data, _ = typelen.read_field(raw, 0, 0x1F)
    return typelen.decode_string(kind, data)


def _sensor_common(rec, f):
    rec.owner, rec.lun, rec.channel = f['owner'], f['lun'], f['channel']
    rec.number, rec.entity_id, rec.instance = (f['number'], f['entity'],
                                               f['instance'])
    rec.sensor_type_number = f['sensor_type']
    rec.reading_type = f['reading_type']
    rec.name = _id_string(f['id_string'])


def _sharing_fields(rec, f):
    rec.share_count = max(1, f['share_count'])
    rec.modifier_type = f['modifier_type']
    rec.instance_sharing = f['instance_sharing']
    rec.modifier_offset = f['modifier_offset']


def _decode_full(rec, raw):
    f = FULL_SENSOR.decode(raw)
    _sensor_common(rec, f)
    rec.readable_thresholds = f['readable_thresholds']
    rec.unit_codes = (f['units1'], f['base_unit'], f['modifier_unit'])
    rec.units = _units(*rec.unit_codes)
    rec.factors = Factors.decode(f['factors'], f['linearization'],
                                 f['analog_format'])
    if rec.threshold_based:
        for index, name in enumerate(THRESHOLD_NAMES):
            if rec.readable_thresholds & (1 << (5 - index)):
                rec.thresholds[name] = f['thresholds'][index]


def _decode_compact(rec, raw):
    f = COMPACT_SENSOR.decode(raw)
    _sensor_common(rec, f)
    rec.unit_codes = (f['units1'], f['base_unit'], f['modifier_unit'])
    rec.units = _units(*rec.unit_codes)
    _sharing_fields(rec, f)


def _decode_event_only(rec, raw):
    f = EVENT_ONLY_SENSOR.decode(raw)
    _sensor_common(rec, f)
    _sharing_fields(rec, f)


def _decode_fru_locator(rec, raw):
    f = FRU_DEVICE_LOCATOR.decode(raw)
    rec.access_address = f['access_address'] & 0xFE
    rec.fru_id, rec.logical = f['fru_id'], f['logical']
    rec.lun, rec.channel = f['access_lun'], f['channel']
    rec.device_type, rec.device_modifier = (f['device_type'],
                                            f['device_modifier'])
    rec.entity_id, rec.instance = f['entity'], f['instance']
    rec.name = _id_string(f['id_string'])


def _decode_mc_locator(rec, raw):
    f = MC_DEVICE_LOCATOR.decode(raw)
    rec.slave_address = f['slave_address'] & 0xFE
    rec.channel, rec.capabilities = f['channel'], f['capabilities']
    rec.entity_id, rec.instance = f['entity'], f['instance']
    rec.name = _id_string(f['id_string'])


def _decode_oem(rec, raw):
    f = OEM_RECORD.decode(raw)
    rec.manufacturer_id, rec.oem_data = f['manufacturer_id'], f['oem_data']


_DECODERS = {FULL: _decode_full, COMPACT: _decode_compact,
             EVENT_ONLY: _decode_event_only,
             FRU_LOCATOR: _decode_fru_locator,
             MC_LOCATOR: _decode_mc_locator, OEM: _decode_oem}


def decode_record(raw):
    """Decode one whole SDR (header included).

    :returns: an :class:`SdrRecord`; unknown types keep only ``raw``
    :raises DecodeError: truncated or damaged record
    """
    raw = bytes(raw)
    head = HEADER.decode(raw)
    if len(raw) < 5 + head['length']:
        raise DecodeError('SDR shorter than its declared length')
    raw = raw[:5 + head['length']]
    rec = SdrRecord(head['record_id'], head['record_type'], raw)
    decoder = _DECODERS.get(rec.kind)
    if decoder is not None:
        try:
            decoder(rec, raw)
        except DecodeError as err:
            raise DecodeError('damaged SDR %d: %s' % (rec.record_id, err))
        except (ValueError, IndexError) as err:
            raise DecodeError('damaged SDR %d: %s' % (rec.record_id, err))
    return rec


def expand_shared(rec):
    """The sensors a compact/event-only record describes (share count).

    :returns: a list of :class:`SdrRecord` (the record itself if alone),
        each with its own number, instance and name suffix
    """
    if rec.share_count <= 1:
        return [rec]
    out = []
    for index in range(rec.share_count):
        shared = copy.copy(rec)
        shared.number = rec.number + index
        if rec.instance_sharing:
            shared.instance = rec.instance + index
        value = rec.modifier_offset + index
        if rec.modifier_type == 1:        # alpha: A..Z, AA..ZZ
            suffix = chr(ord('A') + value % 26)
            if value >= 26:
                suffix = chr(ord('A') + value // 26 - 1) + suffix
        else:
            suffix = str(value)
        shared.name = rec.name + suffix
        out.append(shared)
    return out


class SensorReading:
    """A sensor's state, with pyghmi's attributes: ``name``, ``value``,
    ``units``, ``imprecision``, ``states``, ``state_ids``, ``health``,
    ``type``, ``unavailable`` and ``broken_sensor_ids`` (always empty;
    pyghmi 1.6.19 has it too)."""

    def __init__(self, reading: Dict[str, Any], suffix: str = '') -> None:
        """Build from a dict, as pyghmi 1.6.19 does.

        :param reading: ``name`` and ``type`` (required); ``value``,
            ``imprecision``, ``states``, ``state_ids``, ``health``,
            ``unavailable`` (optional)
        :param suffix: the units text
        """
        self.broken_sensor_ids: Dict[str, Any] = {}
        self.name: str = reading['name']
        self.type: str = reading['type']
        self.units = suffix
        self.value: Optional[float] = reading.get('value')
        self.imprecision: Optional[float] = reading.get('imprecision')
        self.states: List[str] = list(reading.get('states', ()))
        self.state_ids: List[int] = list(reading.get('state_ids', ()))
        self.health: int = reading.get('health', tables.OK)
        self.unavailable = 1 if reading.get('unavailable') else 0

    def __repr__(self):
        return repr({'name': self.name, 'value': self.value,
                     'units': self.units, 'imprecision': self.imprecision,
                     'states': self.states, 'state_ids': self.state_ids,
                     'health': self.health, 'type': self.type,
                     'unavailable': self.unavailable})

    def simplestring(self) -> str:
        """One line: name, value and units or states."""
        text = '%s: ' % self.name
        if self.value is not None:
            text += '%g %s' % (self.value, self.units)
        return text + ', '.join(self.states)


def _discrete_state(rec, offset):
    if rec.reading_type == SENSOR_SPECIFIC:
        table = tables.SPECIFIC_STATES.get(rec.sensor_type_number, {})
    else:
        table = tables.GENERIC_STATES.get(rec.reading_type, {})
    return table.get(offset, ('Unknown state %d' % offset, tables.OK))


def decode_reading(rec, data, factors=None):
    """Decode a Get Sensor Reading response for a sensor record.

    :param rec: the sensor's :class:`SdrRecord`
    :param data: response data (completion code removed)
    :param factors: :class:`Factors` for non-linear sensors, from Get
        Sensor Reading Factors (defaults to the record's)
    :returns: a :class:`SensorReading`
    :raises DecodeError: response too short
    """
    f = SENSOR_READING.decode(data)
    reading = SensorReading({'name': rec.name, 'type': rec.sensor_type},
                            rec.units)
    if f['unavailable'] or not f['scanning_enabled']:
        reading.unavailable = 1
        return reading
    factors = factors or rec.factors
    if factors is not None and rec.threshold_based and factors.fmt != 3:
        reading.value = factors.convert(f['raw'])
        reading.imprecision = factors.imprecision(f['raw'])
    status = f['states']
    if rec.threshold_based:
        _threshold_states(rec, reading, status, factors)
    else:
        bits = status | f['states_high'] << 8
        for offset in range(15):
            if bits & (1 << offset):
                text, health = _discrete_state(rec, offset)
                reading.states.append(text)
                reading.state_ids.append(rec.assert_trap_value(offset))
                reading.health |= health
    return reading


def _threshold_states(rec, reading, status, factors):
    flip = factors is not None and factors.linearization == 7
    for bit, (side, level, health, offset) in \
            tables.THRESHOLD_STATES.items():
        if status & (1 << bit):
            if flip:       # 1/x: raw "upper" is the lower value (36.3)
                side = 'upper' if side == 'lower' else 'lower'
            reading.states.append('%s %s threshold' % (side, level))
            reading.state_ids.append(rec.assert_trap_value(offset))
            reading.health |= health


# ------------------------------------------------------------ encoders
def _encode(layout, kind, record_id, name, name_kind=typelen.LATIN1,
            **fields):
    """A whole record: header, ``fields`` and the ID string, with the
    header's length byte counting what follows the header."""
    raw = bytearray(layout.encode(
        record_id=record_id, record_type=kind,
        id_string=typelen.encode_field(name, name_kind, 0x1F), **fields))
    raw[4] = len(raw) - 5
    return bytes(raw)


def encode_full(record_id, number, name, sensor_type, reading_type=1,
                factors=None, units=(0, 0, 0), thresholds=None, entity=7,
                instance=1, owner=0x20, lun=0, name_kind=typelen.LATIN1):
    """Build a full sensor record (43.1).

    :param units: ``(units1, base unit, modifier unit)`` bytes
    :param thresholds: dict of THRESHOLD_NAMES -> raw value
    """
    factors = factors or Factors()
    thresholds = thresholds or {}
    readable = 0
    for index, name_ in enumerate(THRESHOLD_NAMES):
        if name_ in thresholds:
            readable |= 1 << (5 - index)
    return _encode(
        FULL_SENSOR, FULL, record_id, name, name_kind, owner=owner, lun=lun,
        number=number, entity=entity, instance=instance,
        sensor_type=sensor_type, reading_type=reading_type,
        readable_thresholds=readable, settable_thresholds=readable,
        units1=units[0] & 0x3F, analog_format=factors.fmt & 3,
        base_unit=units[1], modifier_unit=units[2],
        linearization=factors.linearization & 0x7F,
        factors=factors.encode(),
        thresholds=bytes(thresholds.get(n, 0) for n in THRESHOLD_NAMES))


def encode_compact(record_id, number, name, sensor_type, reading_type,
                   share_count=1, modifier_alpha=False, modifier_offset=0,
                   instance_sharing=False, entity=7, instance=1,
                   owner=0x20, lun=0, units=(0, 0, 0),
                   name_kind=typelen.LATIN1):
    """Build a compact sensor record (43.2), possibly shared."""
    return _encode(
        COMPACT_SENSOR, COMPACT, record_id, name, name_kind, owner=owner,
        lun=lun, number=number, entity=entity, instance=instance,
        sensor_type=sensor_type, reading_type=reading_type,
        units1=units[0], base_unit=units[1], modifier_unit=units[2],
        share_count=share_count & 0x0F, modifier_type=int(modifier_alpha),
        modifier_offset=modifier_offset & 0x7F,
        instance_sharing=instance_sharing)


def encode_event_only(record_id, number, name, sensor_type, reading_type,
                      entity=7, instance=1, owner=0x20):
    """Build an event-only record (43.3)."""
    return _encode(EVENT_ONLY_SENSOR, EVENT_ONLY, record_id, name,
                   owner=owner, number=number, entity=entity,
                   instance=instance, sensor_type=sensor_type,
                   reading_type=reading_type)


def encode_fru_locator(record_id, fru_id, name, entity=7, instance=1,
                       access_address=0x20, channel=0, device_modifier=0):
    """Build a FRU device locator for a logical FRU device (43.8);
    device type 10h, modifier 01h for DIMM SPD (table 43-12)."""
    return _encode(FRU_DEVICE_LOCATOR, FRU_LOCATOR, record_id, name,
                   access_address=access_address & 0xFE, fru_id=fru_id,
                   logical=True, channel=channel,
                   device_modifier=device_modifier, entity=entity,
                   instance=instance)


def encode_mc_locator(record_id, address, name, channel=0):
    """Build a management controller locator (43.9)."""
    return _encode(MC_DEVICE_LOCATOR, MC_LOCATOR, record_id, name,
                   slave_address=address & 0xFE, channel=channel)


def encode_oem(record_id, manufacturer_id, data):
    """Build an OEM record (43.12)."""
    raw = bytearray(OEM_RECORD.encode(
        record_id=record_id, record_type=OEM,
        manufacturer_id=manufacturer_id, oem_data=bytes(data)))
    raw[4] = len(raw) - 5
    return bytes(raw)


def encode_reading(raw=0, states=0, unavailable=False, discrete=False):
    """Get Sensor Reading response data (the BMC side of
    :func:`decode_reading`): raw value and state bits (0-5 threshold
    comparisons, or 0-14 discrete states with ``discrete``)."""
    fields = {'raw': raw, 'unavailable': unavailable, 'states': states & 0xFF}
    if discrete:
        fields['states_high'] = (states >> 8) & 0x7F
    return SENSOR_READING.encode(**fields)
