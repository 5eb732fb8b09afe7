"""Sensor Data Records: decoding, encoding and reading conversion (pure).

Rules of this module:

* no I/O: functions take record bytes or reading bytes;
* every decoder raises :class:`pyghmi.exceptions.DecodeError` for
  truncated or malformed input, never ``IndexError``;
* the encoders (used by fakebmc) produce records that the decoders read
  back identically (round-trip tested).

Layouts are from IPMI v2.0 section 43 (full 43.1, compact 43.2, event-only
43.3, FRU device locator 43.8, management controller locator 43.9, OEM
43.12); conversion from section 36.3; Get Sensor Reading from 35.14.
"""

import math
import struct

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import sensortables as tables
from pyghmi.ipmi.private import typelen

FULL, COMPACT, EVENT_ONLY = 0x01, 0x02, 0x03
FRU_LOCATOR, MC_LOCATOR, OEM = 0x11, 0x12, 0xC0
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


def _signed(value, bits):
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


class Factors:
    """Conversion factors of an analog sensor (36.3)."""

    __slots__ = ('m', 'b', 'bexp', 'rexp', 'tolerance', 'accuracy',
                 'linearization', 'fmt')

    def __init__(self, m=1, b=0, bexp=0, rexp=0, tolerance=0, accuracy=0,
                 linearization=0, fmt=0):
        self.m, self.b, self.bexp, self.rexp = m, b, bexp, rexp
        self.tolerance, self.accuracy = tolerance, accuracy
        self.linearization, self.fmt = linearization, fmt

    @classmethod
    def decode(cls, data, linearization=0, fmt=0):
        """Decode the six factor bytes (record bytes 25-30, table 43-1)."""
        if len(data) < 6:
            raise DecodeError('truncated conversion factors')
        m = _signed(data[0] | (data[1] & 0xC0) << 2, 10)
        b = _signed(data[2] | (data[3] & 0xC0) << 2, 10)
        accuracy = (data[3] & 0x3F) | (data[4] & 0xF0) << 2
        return cls(m, b, _signed(data[5] & 0x0F, 4), _signed(data[5] >> 4, 4),
                   data[1] & 0x3F, accuracy, linearization, fmt)

    def encode(self, direction=0):
        """The six factor bytes (inverse of :meth:`decode`)."""
        m, b = self.m & 0x3FF, self.b & 0x3FF
        return bytes((m & 0xFF, (m >> 2) & 0xC0 | self.tolerance & 0x3F,
                      b & 0xFF, (b >> 2) & 0xC0 | self.accuracy & 0x3F,
                      (self.accuracy >> 2) & 0xF0 | direction & 3,
                      (self.rexp & 0xF) << 4 | self.bexp & 0xF))

    def raw_value(self, raw):
        """The signed raw count per the analog data format."""
        if self.fmt == 1:
            return -((~raw) & 0x7F) if raw & 0x80 else raw
        if self.fmt == 2:
            return _signed(raw, 8)
        return raw

    def convert(self, raw):
        """Reading in units: L[(M*x + B*10^Bexp) * 10^Rexp] (36.3).

        :returns: a float, or None where the function is undefined
        """
        x = self.raw_value(raw)
        y = (self.m * x + self.b * 10.0 ** self.bexp) * 10.0 ** self.rexp
        func = _LINEAR.get(self.linearization)
        if func is None:
            return None
        try:
            return float(func(y))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None

    def imprecision(self, raw):
        """How far the true value may be from :meth:`convert` (tolerance
        is in +/- half raw counts)."""
        value = self.convert(raw)
        if value is None:
            return None
        step = abs(self.m) * self.tolerance / 2.0 * 10.0 ** self.rexp
        if self.linearization == 0:
            return step
        y = (self.m * self.raw_value(raw) + self.b * 10.0 ** self.bexp) * \
            10.0 ** self.rexp
        try:
            return abs(float(_LINEAR[self.linearization](y + step)) - value)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None


class SdrRecord:
    """One decoded SDR.  ``kind`` is the record type; sensor records have
    ``name``, ``number``, ``owner``, ``lun``, ``channel``, ``entity``,
    ``instance``, ``sensor_type``, ``reading_type``; full records also
    ``factors``, ``units`` and ``thresholds``; locators carry their
    addresses; every record keeps its ``raw`` bytes."""

    def __init__(self, record_id, kind, raw):
        self.record_id = record_id
        self.kind = kind
        self.raw = raw
        self.name = ''
        self.number = self.owner = self.lun = self.channel = 0
        self.entity = self.instance = 0
        self.sensor_type = self.reading_type = 0
        self.factors = None
        self.units = ''
        self.thresholds = {}
        self.share_count = 1
        self.readable_thresholds = 0

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

    @property
    def type_name(self):
        """The sensor type as text (pyghmi's ``type``)."""
        return tables.SENSOR_TYPES.get(
            self.sensor_type, 'UNKNOWN type %d' % self.sensor_type)


def _units(u1, u2, u3):
    base = tables.UNITS.get(u2, '')
    if u1 & 0x01:
        base = '%'
    join = tables.MODIFIER_JOIN.get((u1 >> 1) & 3)
    if join:
        base += join + tables.UNITS.get(u3, '')
    return base + tables.RATE_UNITS.get((u1 >> 3) & 7, '')


def _id_string(raw, offset):
    if offset >= len(raw):
        return ''
    kind, data, _ = typelen.read_field(raw, offset, 0x1F)
    return typelen.decode_string(kind, data)


def _sensor_common(rec, raw):
    rec.owner, rec.lun = raw[5], raw[6] & 3
    rec.channel = raw[6] >> 4
    rec.number, rec.entity, rec.instance = raw[7], raw[8], raw[9]


def _decode_full(rec, raw):
    if len(raw) < 48:
        raise DecodeError('truncated full sensor record')
    _sensor_common(rec, raw)
    rec.sensor_type, rec.reading_type = raw[12], raw[13]
    rec.readable_thresholds = raw[18] & 0x3F
    fmt = raw[20] >> 6
    rec.units = _units(raw[20], raw[21], raw[22])
    rec.factors = Factors.decode(raw[24:30], raw[23] & 0x7F, fmt)
    if rec.threshold_based:
        # UNR, UC, UNC, LNR, LC, LNC at bytes 37-42; mask bits 5..0
        for index, name in enumerate(THRESHOLD_NAMES):
            if rec.readable_thresholds & (1 << (5 - index)):
                rec.thresholds[name] = raw[36 + index]
    rec.name = _id_string(raw, 47)


def _decode_sharing(rec, raw, offset):
    rec.share_count = max(1, raw[offset] & 0x0F)
    rec.modifier_type = (raw[offset] >> 4) & 3
    rec.instance_sharing = bool(raw[offset + 1] & 0x80)
    rec.modifier_offset = raw[offset + 1] & 0x7F


def _decode_compact(rec, raw):
    if len(raw) < 32:
        raise DecodeError('truncated compact sensor record')
    _sensor_common(rec, raw)
    rec.sensor_type, rec.reading_type = raw[12], raw[13]
    rec.units = _units(raw[20], raw[21], raw[22])
    _decode_sharing(rec, raw, 23)
    rec.name = _id_string(raw, 31)


def _decode_event_only(rec, raw):
    if len(raw) < 17:
        raise DecodeError('truncated event-only record')
    _sensor_common(rec, raw)
    rec.sensor_type, rec.reading_type = raw[10], raw[11]
    _decode_sharing(rec, raw, 12)
    rec.name = _id_string(raw, 16)


def _decode_fru_locator(rec, raw):
    if len(raw) < 16:
        raise DecodeError('truncated FRU device locator')
    rec.access_address = raw[5] & 0xFE     # 8-bit form, as 0x20
    rec.fru_id = raw[6]
    rec.logical = bool(raw[7] & 0x80)
    rec.lun = (raw[7] >> 3) & 3
    rec.channel = raw[8] >> 4
    rec.device_type, rec.device_modifier = raw[10], raw[11]
    rec.entity, rec.instance = raw[12], raw[13]
    rec.name = _id_string(raw, 15)


def _decode_mc_locator(rec, raw):
    if len(raw) < 16:
        raise DecodeError('truncated management controller locator')
    rec.slave_address = raw[5] & 0xFE      # 8-bit form
    rec.channel = raw[6] & 0x0F
    rec.capabilities = raw[8]
    rec.entity, rec.instance = raw[12], raw[13]
    rec.name = _id_string(raw, 15)


def _decode_oem(rec, raw):
    if len(raw) < 8:
        raise DecodeError('truncated OEM record')
    rec.manufacturer_id = int.from_bytes(raw[5:8], 'little')
    rec.oem_data = bytes(raw[8:])


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
    if len(raw) < 5:
        raise DecodeError('truncated SDR header')
    record_id, _, kind, length = struct.unpack_from('<HBBB', raw)
    if len(raw) < 5 + length:
        raise DecodeError('SDR shorter than its declared length')
    raw = raw[:5 + length]
    rec = SdrRecord(record_id, kind, raw)
    decoder = _DECODERS.get(kind)
    if decoder is not None:
        try:
            decoder(rec, raw)
        except (ValueError, IndexError) as err:
            raise DecodeError('damaged SDR %d: %s' % (record_id, err))
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
        copy = SdrRecord(rec.record_id, rec.kind, rec.raw)
        copy.__dict__.update(rec.__dict__)
        copy.number = rec.number + index
        if rec.instance_sharing:
            copy.instance = rec.instance + index
        value = rec.modifier_offset + index
        if rec.modifier_type == 1:        # alpha: A..Z, AA..ZZ
            suffix = chr(ord('A') + value % 26)
            if value >= 26:
                suffix = chr(ord('A') + value // 26 - 1) + suffix
        else:
            suffix = str(value)
        copy.name = rec.name + suffix
        out.append(copy)
    return out


class SensorReading:
    """A sensor's state, with pyghmi's attributes: ``name``, ``value``,
    ``units``, ``imprecision``, ``states``, ``state_ids``, ``health``,
    ``type`` and ``unavailable``."""

    def __init__(self, name, type_name, units=''):
        self.name = name
        self.type = type_name
        self.units = units
        self.value = None
        self.imprecision = None
        self.states = []
        self.state_ids = []
        self.health = tables.OK
        self.unavailable = 0

    def __repr__(self):
        return repr({'name': self.name, 'value': self.value,
                     'units': self.units, 'imprecision': self.imprecision,
                     'states': self.states, 'state_ids': self.state_ids,
                     'health': self.health, 'type': self.type,
                     'unavailable': self.unavailable})

    def simplestring(self):
        """One line: name, value and units or states."""
        text = '%s: ' % self.name
        if self.value is not None:
            text += '%g %s' % (self.value, self.units)
        return text + ', '.join(self.states)


def _state_id(rec, offset):
    return (rec.sensor_type << 16) + (rec.reading_type << 8) + offset


def _discrete_state(rec, offset):
    if rec.reading_type == SENSOR_SPECIFIC:
        table = tables.SPECIFIC_STATES.get(rec.sensor_type, {})
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
    if len(data) < 2:
        raise DecodeError('truncated sensor reading')
    reading = SensorReading(rec.name, rec.type_name, rec.units)
    if data[1] & 0x20 or not data[1] & 0x40:
        reading.unavailable = 1         # unavailable or scanning disabled
        return reading
    factors = factors or rec.factors
    if factors is not None and rec.threshold_based and factors.fmt != 3:
        reading.value = factors.convert(data[0])
        reading.imprecision = factors.imprecision(data[0])
    status = data[2] if len(data) > 2 else 0
    if rec.threshold_based:
        _threshold_states(rec, reading, status, factors)
    else:
        bits = status | ((data[3] & 0x7F) << 8 if len(data) > 3 else 0)
        for offset in range(15):
            if bits & (1 << offset):
                text, health = _discrete_state(rec, offset)
                reading.states.append(text)
                reading.state_ids.append(_state_id(rec, offset))
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
            reading.state_ids.append(_state_id(rec, offset))
            reading.health |= health


# ------------------------------------------------------------ encoders
def _header(record_id, kind, body):
    return struct.pack('<HBBB', record_id, 0x51, kind, len(body)) + body


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
    u1 = (units[0] & 0x3F) | (factors.fmt & 3) << 6
    body = bytes((owner, lun & 3, number, entity, instance, 0x7F, 0x68,
                  sensor_type, reading_type, 0, 0, 0, 0, readable,
                  readable, u1, units[1], units[2],
                  factors.linearization & 0x7F))
    body += factors.encode() + bytes((0, 0, 0, 0, 0xFF, 0))
    body += bytes(thresholds.get(n, 0) for n in THRESHOLD_NAMES)
    body += bytes((0, 0, 0, 0, 0))
    body += typelen.encode_field(name, name_kind, 0x1F)
    return _header(record_id, FULL, body)


def encode_compact(record_id, number, name, sensor_type, reading_type,
                   share_count=1, modifier_alpha=False, modifier_offset=0,
                   instance_sharing=False, entity=7, instance=1,
                   owner=0x20, lun=0, units=(0, 0, 0),
                   name_kind=typelen.LATIN1):
    """Build a compact sensor record (43.2), possibly shared."""
    body = bytes((owner, lun & 3, number, entity, instance, 0x7F, 0x40,
                  sensor_type, reading_type, 0xFF, 0x7F, 0xFF, 0x7F, 0xFF,
                  0x7F, units[0], units[1], units[2],
                  (1 if modifier_alpha else 0) << 4 | share_count & 0x0F,
                  (0x80 if instance_sharing else 0) | modifier_offset & 0x7F,
                  0, 0, 0, 0, 0, 0))
    body += typelen.encode_field(name, name_kind, 0x1F)
    return _header(record_id, COMPACT, body)


def encode_event_only(record_id, number, name, sensor_type, reading_type,
                      entity=7, instance=1, owner=0x20):
    """Build an event-only record (43.3)."""
    body = bytes((owner, 0, number, entity, instance, sensor_type,
                  reading_type, 1, 0, 0, 0))
    body += typelen.encode_field(name, typelen.LATIN1, 0x1F)
    return _header(record_id, EVENT_ONLY, body)


def encode_fru_locator(record_id, fru_id, name, entity=7, instance=1,
                       access_address=0x20, channel=0, device_modifier=0):
    """Build a FRU device locator for a logical FRU device (43.8);
    device type 10h, modifier 01h for DIMM SPD (table 43-12)."""
    body = bytes((access_address & 0xFE, fru_id, 0x80, channel << 4,
                  0, 0x10, device_modifier, entity, instance, 0))
    body += typelen.encode_field(name, typelen.LATIN1, 0x1F)
    return _header(record_id, FRU_LOCATOR, body)


def encode_mc_locator(record_id, address, name, channel=0):
    """Build a management controller locator (43.9)."""
    body = bytes((address & 0xFE, channel, 0, 0xBF, 0, 0, 0, 0x2E,
                  1, 0))
    body += typelen.encode_field(name, typelen.LATIN1, 0x1F)
    return _header(record_id, MC_LOCATOR, body)


def encode_oem(record_id, manufacturer_id, data):
    """Build an OEM record (43.12)."""
    body = manufacturer_id.to_bytes(3, 'little') + bytes(data)
    return _header(record_id, OEM, body)
