"""pyghmi 1.6.19's attribute names on a decoded SDR, derived on access.

Callers of the original read ``SDR().sensors[id].sensor_type``,
``.entity``, ``.baseunit``, ``.sensor_name``... (its OEM handlers and
many scripts pick sensors that way).  :class:`RecordAttributes` gives an
:class:`~pyghmi.ipmi.sdrrecords.SdrRecord` those names as properties
computed from the fields the decoder already keeps, so the decoding
path pays nothing for them and there is one decoder, not two.

The text values follow the specification's tables (``ENTITY_IDS``,
``SENSOR_TYPES``, ``UNITS``); where pyghmi computed a value wrongly the
specification wins (``accuracy`` is the 10-bit field of table 43-1).
"""

from typing import Any, Optional, Tuple

from pyghmi.ipmi.private import constants
from pyghmi.ipmi.private import sensortables as tables

# Kinds of record, as the original's sdr.TYPE_* named them.
TYPE_UNKNOWN, TYPE_SENSOR, TYPE_FRU = 0, 1, 2
_SENSOR_KINDS = (0x01, 0x02, 0x03)
_FULL, _COMPACT, _EVENT_ONLY, _FRU_LOCATOR = 0x01, 0x02, 0x03, 0x11
# Sensor type 0Bh ('Other Units-based') in watts is reported as power,
# watt-time products as energy, as the original did.
_OTHER_UNITS, _WATTS, _TIME_UNITS = 0x0B, 6, (22, 23, 24)
# Byte 12 of a full record: sensor capabilities, bits 3:2 threshold
# access support (table 43-1); non-zero means thresholds exist.
_CAPABILITIES_BYTE, _THRESHOLD_ACCESS = 11, 0x0C


class RecordAttributes:
    """Mixin: read-only pyghmi 1.6.19 names over an SdrRecord's fields.

    Context the original took from its SDR object (``mfg_id``,
    ``prod_id``, ``event_consts``, ``reportunsupported``) are plain
    attributes with the original's defaults, set by
    :class:`pyghmi.ipmi.sdr.SDR` when it knows the BMC.
    """

    mfg_id = 0
    prod_id = 0
    event_consts: Any = constants
    reportunsupported = False
    # The fields of SdrRecord these names are computed from.
    kind: int
    raw: bytes
    name: str
    number: int
    owner: int
    lun: int
    entity_id: int
    sensor_type_number: int
    reading_type: int
    factors: Any
    unit_codes: Optional[Tuple[int, int, int]]
    fru_id: int
    logical: bool
    device_type: int
    device_modifier: int

    @property
    def type_name(self):
        """The sensor type as text (pyghmi's ``type``)."""
        return tables.SENSOR_TYPES.get(
            self.sensor_type_number,
            'UNKNOWN type %d' % self.sensor_type_number)

    @property
    def rectype(self):
        """The SDR record type byte."""
        return self.kind

    @property
    def sdrtype(self):
        """TYPE_SENSOR, TYPE_FRU or TYPE_UNKNOWN (MC locators, OEM...)."""
        if self.kind in _SENSOR_KINDS:
            return TYPE_SENSOR
        return TYPE_FRU if self.kind == _FRU_LOCATOR else TYPE_UNKNOWN

    @property
    def readable(self):
        """False for event-only sensors, which have no reading."""
        return self.kind != _EVENT_ONLY

    @property
    def sensor_name(self):
        return self.name

    @property
    def sensor_number(self):
        return self.number

    @property
    def sensor_owner(self):
        return self.owner

    @property
    def sensor_lun(self):
        return self.lun

    @property
    def sensor_type(self):
        """Sensor type as text (the int is ``sensor_type_number``)."""
        text = self.type_name
        if self.sensor_type_number == _OTHER_UNITS and self.unit_codes:
            u1, base, modifier = self.unit_codes
            join = (u1 >> 1) & 3
            if base == _WATTS and join == 0:
                text = 'Power'
            elif base == _WATTS and join == 2 and modifier in _TIME_UNITS:
                text = 'Energy'
        return text

    @property
    def entity(self):
        """Entity as text (the int is ``entity_id``)."""
        return tables.ENTITY_IDS.get(
            self.entity_id, 'Unknown entity %d' % self.entity_id)

    @property
    def has_thresholds(self):
        """True when a full record declares threshold access."""
        return self.kind == _FULL and len(self.raw) > _CAPABILITIES_BYTE \
            and bool(self.raw[_CAPABILITIES_BYTE] & _THRESHOLD_ACCESS)

    @property
    def linearization(self):
        """Linearization code of a full record, else None."""
        return self.factors.linearization if self.factors else None

    @property
    def numeric_format(self):
        """Analog data format (0 unsigned, 1 and 2 complements, 3 none);
        compact records have no numeric reading."""
        if self.factors:
            return self.factors.fmt
        return 3 if self.kind == _COMPACT else None

    # Units exist on full and compact records; the others have None.
    @property
    def percent(self):
        if not self.unit_codes:
            return None
        return '% ' if self.unit_codes[0] & 1 else ''

    @property
    def sensor_rate(self):
        if not self.unit_codes:
            return None
        return tables.RATE_UNITS.get((self.unit_codes[0] >> 3) & 7, '')

    @property
    def unit_mod(self):
        """'/' when the modifier unit divides, ' ' when it multiplies."""
        if not self.unit_codes:
            return None
        return {1: '/', 2: ' '}.get((self.unit_codes[0] >> 1) & 3, '')

    @property
    def baseunit(self):
        if not self.unit_codes:
            return None
        return tables.UNITS.get(self.unit_codes[1], '')

    @property
    def modunit(self):
        if not self.unit_codes:
            return None
        return tables.UNITS.get(self.unit_codes[2], '')

    @property
    def unit_suffix(self):
        if not self.unit_codes:
            return None
        return self.percent + self.baseunit + self.unit_mod + self.modunit

    def _factor(self, name):
        return getattr(self.factors, name) if self.factors else None

    @property
    def m(self):
        return self._factor('m')

    @property
    def b(self):
        """Offset B with its exponent applied (B * 10^Bexp)."""
        if not self.factors:
            return None
        b = self.factors.b * 10 ** self.factors.bexp
        return int(b) if self.factors.bexp >= 0 else b

    @property
    def tolerance(self):
        return self._factor('tolerance')

    @property
    def accuracy(self):
        return self._factor('accuracy')

    @property
    def accuracyexp(self):
        return self._factor('accuracy_exp')

    @property
    def direction(self):
        return self._factor('direction')

    @property
    def resultexponent(self):
        return self._factor('rexp')

    @property
    def fru_name(self):
        return self.name

    @property
    def fru_number(self):
        return self.fru_id

    @property
    def fru_logical(self):
        return self.logical

    @property
    def fru_type_and_modifier(self):
        return (self.device_type << 8) + self.device_modifier

    def assert_trap_value(self, offset):
        """The PET trap value of an event offset of this sensor."""
        return (self.sensor_type_number << 16) + \
            (self.reading_type << 8) + offset
