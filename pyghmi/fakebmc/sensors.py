"""Sensors of the fake machine: profile -> SDR repository and readings.

The profile's ``sensors`` list describes each sensor in engineering units;
this module builds matching SDRs with the encoders of
:mod:`pyghmi.ipmi.sdrrecords` and answers Get SDR Repository Info, Reserve
SDR Repository, Get SDR (with a configurable largest read, so clients
must step down), Get Sensor Reading, Get Sensor Thresholds and Get Sensor
Reading Factors.

Sensor keys (all optional but ``name``): ``kind`` (full, compact,
event-only), ``type`` (sensor type code or name), ``reading_type``
(1 = threshold, 0x6F sensor-specific, or a generic code), ``unit`` (text
from table 43-15, e.g. "°C"), ``m``, ``b``, ``bexp``, ``rexp``,
``tolerance``, ``format`` (unsigned, ones, twos), ``linearization``
(0-11), ``value`` (units), ``thresholds`` ({"upper critical": units...}),
``states`` (asserted offsets), ``unavailable``, ``share_count``,
``modifier`` (numeric or alpha), ``name_encoding`` (latin1 or ascii6),
``entity`` (entity ID code, table 43-13; default 7, system board),
``reading_factors`` (for non-linear sensors, linearization 0x70-0x7F:
the m/b/bexp/rexp that Get Sensor Reading Factors returns).
Profile key ``satellites`` lists other controllers (``address``, 8-bit,
and their ``sensors``), reached by Send Message (bridging);
``extra_sdrs`` adds raw records (hex), e.g. OEM or damaged;
``sdr_source: "device"`` serves them as Device SDRs (Get Device SDR,
35.3) instead of an SDR repository; ``sdr_max_read`` caps a Get SDR read.
"""

import struct

from pyghmi.fakebmc import recordstore
from pyghmi.ipmi import sdrrecords as sr
from pyghmi.ipmi.private import sensortables as tables
from pyghmi.ipmi.private.codec import typelen

_FORMATS = {'unsigned': 0, 'ones': 1, 'twos': 2}
_TYPES_BY_NAME = {v.lower(): k for k, v in tables.SENSOR_TYPES.items()}
_UNITS_BY_TEXT = {}
for _code, _text in sorted(tables.UNITS.items(), reverse=True):
    _UNITS_BY_TEXT[_text] = _code
# Get Sensor Thresholds reply order (35.9): LNC, LC, LNR, UNC, UC, UNR
_REPLY_ORDER = ('lower non-critical', 'lower critical',
                'lower non-recoverable', 'upper non-critical',
                'upper critical', 'upper non-recoverable')


class FakeSensor:
    """One readable sensor: its record and its current raw reading."""

    def __init__(self, spec, rec, factors):
        self.spec = spec
        self.rec = rec
        if factors is not None and factors.linearization >= 0x70:
            # Non-linear: the real factors come from Get Sensor Reading
            # Factors; the profile gives them as 'reading_factors'.
            factors = _factors(dict(spec.get('reading_factors', {}),
                                    format=spec.get('format', 'unsigned')))
        self.factors = factors
        self.raw = 0
        self.raw_thresholds = {}
        if factors is not None:
            self.raw = to_raw(factors, spec.get('value', 0))
            self.raw_thresholds = {
                name: to_raw(factors, value)
                for name, value in spec.get('thresholds', {}).items()}

    def reading(self):
        """Get Sensor Reading response data (35.14)."""
        if self.spec.get('unavailable'):
            return sr.encode_reading(unavailable=True)
        if self.factors is not None:
            return sr.encode_reading(self.raw, self.threshold_status())
        bits = 0
        for offset in self.spec.get('states', ()):
            bits |= 1 << offset
        return sr.encode_reading(states=bits, discrete=True)

    def threshold_status(self):
        """Comparison bits of the raw reading against raw thresholds."""
        status = 0
        raw = self.factors.raw_value(self.raw)
        for bit, (side, level, _, _) in tables.THRESHOLD_STATES.items():
            limit = self.raw_thresholds.get('%s %s' % (side, level))
            if limit is None:
                continue
            limit = self.factors.raw_value(limit)
            if (side == 'lower' and raw <= limit) or \
                    (side == 'upper' and raw >= limit):
                status |= 1 << bit
        return status

    def thresholds_reply(self):
        """Get Sensor Thresholds response data (35.9)."""
        mask = 0
        values = []
        for index, name in enumerate(_REPLY_ORDER):
            if name in self.raw_thresholds:
                mask |= 1 << index
            values.append(self.raw_thresholds.get(name, 0))
        return bytes([mask] + values)


def to_raw(factors, value):
    """The raw count whose conversion is closest to ``value``."""
    best, best_err = 0, None
    for raw, converted in _conversions(factors):
        err = abs(converted - value)
        if best_err is None or err < best_err:
            best, best_err = raw, err
    return best


# the 256 conversions of each set of factors: every BMC of a fakebmc
# process has the same sensors, and converting each raw count was most
# of the time it took to start (0.2 s a BMC, 45 s for --count 1000)
_CONVERSIONS: dict = {}


def _conversions(factors):
    key = (factors.m, factors.b, factors.bexp, factors.rexp,
           factors.linearization, factors.fmt)
    table = _CONVERSIONS.get(key)
    if table is None:
        table = [(raw, converted) for raw, converted in
                 ((raw, factors.convert(raw)) for raw in range(256))
                 if converted is not None]
        _CONVERSIONS[key] = table
    return table


def _factors(spec):
    return sr.Factors(m=spec.get('m', 1), b=spec.get('b', 0),
                      bexp=spec.get('bexp', 0), rexp=spec.get('rexp', 0),
                      tolerance=spec.get('tolerance', 0),
                      linearization=spec.get('linearization', 0),
                      fmt=_FORMATS[spec.get('format', 'unsigned')])


def _sensor_type(spec):
    kind = spec.get('type', 1)
    return kind if isinstance(kind, int) else _TYPES_BY_NAME[kind.lower()]


def _units(spec):
    return (0, _UNITS_BY_TEXT.get(spec.get('unit', ''), 0), 0)


def _build(record_id, number, spec, owner=0x20):
    kind = spec.get('kind', 'full')
    name_kind = (typelen.ASCII6 if spec.get('name_encoding') == 'ascii6'
                 else typelen.LATIN1)
    stype = _sensor_type(spec)
    entity = int(spec.get('entity', 7))
    if kind == 'event-only':
        return sr.encode_event_only(record_id, number, spec['name'], stype,
                                    spec.get('reading_type', 0x6F),
                                    entity=entity, owner=owner), None
    if kind == 'compact':
        return sr.encode_compact(
            record_id, number, spec['name'], stype,
            spec.get('reading_type', 0x6F),
            share_count=spec.get('share_count', 1),
            modifier_alpha=spec.get('modifier') == 'alpha',
            instance_sharing=spec.get('share_count', 1) > 1,
            units=_units(spec), name_kind=name_kind, owner=owner,
            entity=entity), None
    factors = _factors(spec)
    raw_thresholds = {n: to_raw(factors, v)
                      for n, v in spec.get('thresholds', {}).items()}
    return sr.encode_full(
        record_id, number, spec['name'], stype,
        spec.get('reading_type', 1), factors=factors, units=_units(spec),
        thresholds=raw_thresholds, name_kind=name_kind, owner=owner,
        entity=entity), factors


class SensorSet(recordstore.RecordStore):
    """The SDR repository and sensors described by a profile."""

    def __init__(self, profile):
        super().__init__(int(profile.get('sdr_max_read', 255)))
        self.sensors = {}
        self.device_sdrs = profile.get('sdr_source') == 'device'
        groups = [(0x20, profile.get('sensors', ()))]
        for satellite in profile.get('satellites', ()):
            groups.append((int(satellite['address']),
                           satellite.get('sensors', ())))
        for owner, specs in groups:
            self._add_group(owner, specs)
        for extra in profile.get('extra_sdrs', ()):
            raw = bytearray.fromhex(extra)
            struct.pack_into('<H', raw, 0, len(self.records) + 1)
            self.records.append(bytes(raw))

    def repository_info(self):
        """Get SDR Repository Info data (33.9)."""
        return struct.pack('<BHHIIB', 0x51, len(self.records), 0x8000,
                           0x5F5E1000, 0x5F5E0000, 0x22)

    def _add_group(self, owner, specs):
        number = 1
        for spec in specs:
            record_id = len(self.records) + 1
            raw, factors = _build(record_id, number, spec, owner)
            self.records.append(raw)
            rec = sr.decode_record(raw)
            for shared in sr.expand_shared(rec) if rec.is_sensor else ():
                self.sensors[(owner, shared.number)] = FakeSensor(
                    spec, shared, factors)
            number += max(1, spec.get('share_count', 1))

    def device_sdr_info(self):
        """Get Device SDR Info data (35.2): count, LUN 0, change stamp."""
        return struct.pack('<BBI', len(self.records), 0x81, 0x5F5E1000)

    def get_sdr(self, data):
        """Get SDR (33.12): ``(completion code, response data)``."""
        return self.read(data)
