"""SDR decoding and sensor conversion (IPMI v2.0 sections 36 and 43)."""

import fractions
import math

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords as sr
from pyghmi.ipmi.private.codec import typelen

DEG_C = (0, 1, 0)


def full(**kw):
    args = dict(record_id=1, number=5, name='CPU1 Temp', sensor_type=1,
                units=DEG_C)
    args.update(kw)
    return sr.decode_record(sr.encode_full(**args))


def test_43_1_full_record_round_trip():
    rec = full(factors=sr.Factors(m=2, b=-10, bexp=1, rexp=-1, tolerance=3),
               thresholds={'upper critical': 200, 'lower non-critical': 7})
    assert (rec.kind, rec.record_id, rec.number, rec.name) == \
        (1, 1, 5, 'CPU1 Temp')
    assert rec.units == '°C' and rec.type_name == 'Temperature'
    f = rec.factors
    assert (f.m, f.b, f.bexp, f.rexp, f.tolerance) == (2, -10, 1, -1, 3)
    assert rec.thresholds == {'upper critical': 200,
                              'lower non-critical': 7}


@pytest.mark.parametrize('fmt,raw,expected', [
    (0, 0xFF, 255), (1, 0xFE, -1), (1, 0x80, -127), (2, 0xFE, -2),
    (2, 0x80, -128), (2, 0x7F, 127)])
def test_36_3_analog_data_formats(fmt, raw, expected):
    assert sr.Factors(fmt=fmt).convert(raw) == expected


def test_36_3_linear_formula():
    # y = (M*x + B*10^Bexp) * 10^Rexp = (2*50 + -10*10) * 0.1 = 0
    f = sr.Factors(m=2, b=-10, bexp=1, rexp=-1)
    assert f.convert(50) == pytest.approx(0.0)
    assert f.convert(60) == pytest.approx(2.0)


@pytest.mark.parametrize('lin,x,expected', [
    (1, 10, math.log(10)), (2, 100, 2.0), (3, 8, 3.0), (4, 1, math.e),
    (5, 2, 100.0), (6, 3, 8.0), (7, 4, 0.25), (8, 3, 9.0), (9, 2, 8.0),
    (10, 16, 4.0), (11, 27, 3.0)])
def test_36_3_linearization_functions(lin, x, expected):
    assert sr.Factors(linearization=lin).convert(x) == \
        pytest.approx(expected)


def test_36_3_undefined_results_are_none():
    assert sr.Factors(linearization=7).convert(0) is None     # 1/0
    assert sr.Factors(linearization=1).convert(0) is None     # ln 0


def test_36_3_imprecision_from_tolerance():
    # +/- (half a count + tolerance of 2 half counts) = 1.5 counts of 0.4
    f = sr.Factors(m=4, rexp=-1, tolerance=2)
    assert f.imprecision(10) == pytest.approx(0.6)
    # a non-linear sensor: measured on the low side, 1/x at x = 4 - 0.5
    f = sr.Factors(m=1, linearization=7)
    assert f.imprecision(4) == pytest.approx(1 / 3.5 - 1 / 4)


def test_35_14_threshold_reading_and_states():
    rec = full(factors=sr.Factors(m=1))
    reading = sr.decode_reading(rec, bytes((95, 0xC0, 0x18)))
    assert reading.value == 95 and reading.units == '°C'
    assert reading.states == ['upper non-critical threshold',
                              'upper critical threshold']
    assert reading.health == 2 | 1
    assert reading.state_ids == [(1 << 16) + (1 << 8) + 4,
                                 (1 << 16) + (1 << 8) + 5]


def test_35_14_one_over_x_swaps_threshold_direction():
    rec = full(factors=sr.Factors(m=1, linearization=7))
    reading = sr.decode_reading(rec, bytes((4, 0xC0, 0x01)))
    assert reading.value == pytest.approx(0.25)
    assert reading.states == ['upper non-critical threshold']


@pytest.mark.parametrize('flags', [0x20 | 0x40, 0x00])
def test_35_14_unavailable_or_scanning_disabled_has_no_value(flags):
    rec = full()
    reading = sr.decode_reading(rec, bytes((0, flags, 0)))
    assert reading.value is None and reading.unavailable == 1


def test_42_3_sensor_specific_states():
    raw = sr.encode_compact(2, 9, 'PSU1', 0x08, 0x6F)
    rec = sr.decode_record(raw)
    reading = sr.decode_reading(rec, bytes((0, 0xC0, 0x03, 0x00)))
    assert reading.states == ['Presence detected',
                              'Power Supply Failure detected']
    assert reading.health == 2 and reading.value is None


def test_42_2_generic_discrete_states():
    rec = sr.decode_record(sr.encode_compact(3, 10, 'Redund', 0x08, 0x0B))
    reading = sr.decode_reading(rec, bytes((0, 0xC0, 0x02, 0)))
    assert reading.states == ['Redundancy Lost'] and reading.health == 2


def test_43_2_compact_shared_record_expands():
    rec = sr.decode_record(sr.encode_compact(
        4, 20, 'DIMM ', 0x0C, 0x6F, share_count=4, modifier_alpha=True,
        instance_sharing=True))
    sensors = sr.expand_shared(rec)
    assert [s.name for s in sensors] == ['DIMM A', 'DIMM B', 'DIMM C',
                                         'DIMM D']
    assert [s.number for s in sensors] == [20, 21, 22, 23]
    assert [s.instance for s in sensors] == [1, 2, 3, 4]
    numeric = sr.expand_shared(sr.decode_record(sr.encode_compact(
        5, 30, 'Fan', 4, 0x6F, share_count=2, modifier_offset=1)))
    assert [s.name for s in numeric] == ['Fan1', 'Fan2']


def test_43_15_six_bit_packed_name():
    raw = sr.encode_full(record_id=6, number=1, name='SYS FAN 1',
                         sensor_type=4, name_kind=typelen.ASCII6)
    assert sr.decode_record(raw).name == 'SYS FAN 1'


def test_43_other_record_types():
    rec = sr.decode_record(sr.encode_fru_locator(7, 2, 'PSU FRU'))
    assert (rec.kind, rec.fru_id, rec.logical, rec.name) == \
        (0x11, 2, True, 'PSU FRU')
    rec = sr.decode_record(sr.encode_mc_locator(8, 0x22, 'ME'))
    assert (rec.kind, rec.slave_address, rec.name) == (0x12, 0x22, 'ME')
    rec = sr.decode_record(sr.encode_oem(9, 19046, b'\x01\x02'))
    assert rec.manufacturer_id == 19046 and rec.oem_data == b'\x01\x02'
    rec = sr.decode_record(sr.encode_event_only(10, 40, 'SEL', 0x10, 0x6F))
    assert (rec.kind, rec.sensor_type_number, rec.name) == (3, 0x10, 'SEL')
    assert not rec.is_sensor


def test_damaged_records_raise_decode_error():
    raw = sr.encode_full(record_id=1, number=1, name='X', sensor_type=1)
    with pytest.raises(exc.DecodeError):
        sr.decode_record(raw[:20])
    bad = bytearray(raw)
    bad[4] = 30                 # claims 30 bytes: too short for a full SDR
    with pytest.raises(exc.DecodeError):
        sr.decode_record(bytes(bad))


@settings(max_examples=1500, deadline=None)
@given(st.integers(0, 255), st.binary(max_size=70))
def test_decode_record_raises_only_decode_error(kind, body):
    raw = bytes((1, 0, 0x51, kind, len(body))) + body
    try:
        rec = sr.decode_record(raw)
        if rec.is_sensor:
            sr.expand_shared(rec)
            sr.decode_reading(rec, body[:4])
    except exc.DecodeError:
        pass


def test_compact_threshold_sensor_reads_threshold_states():
    rec = sr.decode_record(sr.encode_compact(11, 50, 'Ambient', 1, 0x01))
    reading = sr.decode_reading(rec, bytes((0, 0xC0, 0x02)))
    assert reading.value is None
    assert reading.states == ['lower critical threshold']
    assert reading.health == 2


@settings(max_examples=400, deadline=None)
@given(m=st.integers(-512, 511), b=st.integers(-512, 511),
       bexp=st.integers(-8, 7), rexp=st.integers(-8, 7),
       tolerance=st.integers(0, 63), fmt=st.integers(0, 2),
       raw=st.integers(0, 255))
def test_linear_conversion_is_the_exact_value_rounded_once(
        m, b, bexp, rexp, tolerance, fmt, raw):
    """IPMI 36.3's formula in exact rational arithmetic, rounded once:
    the reading prints as the formula's decimal (3.3, not
    3.3000000000000003) and the imprecision is |M| (1 + tol) / 2 10^R."""
    factors = sr.Factors(m=m, b=b, bexp=bexp, rexp=rexp,
                         tolerance=tolerance, fmt=fmt)
    x = {0: raw, 1: sr.ones_complement(raw, 8),
         2: sr.twos_complement(raw, 8)}[fmt]
    ten = fractions.Fraction(10)
    exact = (m * x + b * ten ** bexp) * ten ** rexp
    assert factors.convert(raw) == float(exact)
    assert factors.imprecision(raw) == float(
        abs(m) * fractions.Fraction(1 + tolerance, 2) * ten ** rexp)


def test_linear_readings_print_as_decimals():
    assert repr(sr.Factors(m=33, rexp=-3).convert(100)) == '3.3'
    assert repr(sr.Factors(m=3, rexp=-2).convert(120)) == '3.6'
    assert repr(sr.Factors(m=2, rexp=-2, tolerance=1).imprecision(151)) \
        == '0.02'
    # a float raw value (pyghmi's decode_value took one) is exact too
    assert sr.Factors(m=2, b=-20).convert(40.5) == 61.0
