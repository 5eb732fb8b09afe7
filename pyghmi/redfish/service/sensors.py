"""The chassis' sensors over Redfish: the Sensors collection and, for
older clients, Thermal and Power.  Served when the Bmc has sensors
(fakebmc's profile: :meth:`machine.BmcMachine.sensors`); the readings
are the IPMI side's Get Sensor Reading answers decoded against the same
SDR records, as an IPMI client decodes them, so both protocols report
the same value and health.
"""

import re

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import (
    CHASSIS, collection, route)
from pyghmi.redfish.service.errors import RedfishError

SENSORS = CHASSIS + '/Sensors'
THERMAL = CHASSIS + '/Thermal'
POWER = CHASSIS + '/Power'
# pyghmi's units text -> (Redfish ReadingType, ReadingUnits, factor)
KINDS = {
    '°C': ('Temperature', 'Cel', 1),
    'V': ('Voltage', 'V', 1),
    'A': ('Current', 'A', 1),
    'W': ('Power', 'W', 1),
    'RPM': ('Rotational', 'RPM', 1),
}
_HEALTH = {0: 'OK', 1: 'Warning'}


def sensor_id(name):
    """A sensor's Id: its name with what is not a letter, digit, '-' or
    '_' made '_' (Redfish ids are path segments)."""
    return re.sub(r'[^A-Za-z0-9_-]', '_', name)


def readings(machine):
    """``[(id, reading)]`` of the numeric sensors Redfish can type (see
    :data:`KINDS`), in SDR order; a name used twice keeps its first."""
    found, seen = [], set()
    for reading in machine.sensors():
        if reading.units not in KINDS:
            continue
        ident = sensor_id(reading.name)
        if ident not in seen:
            seen.add(ident)
            found.append((ident, reading))
    return found


def _value(reading):
    if reading.unavailable or reading.value is None:
        return None
    factor = KINDS[reading.units][2]
    return round(reading.value * factor, 6)


def _whole(value):
    return None if value is None else int(round(value))


def _status(reading):
    if reading.unavailable:
        return {'State': 'UnavailableOffline'}
    return {'State': 'Enabled',
            'Health': _HEALTH.get(reading.health, 'Critical')}


def _sensors_of(ctx):
    if not ctx.machine.sensors():
        raise RedfishError(404, 'ResourceNotFound', 'Sensors', SENSORS)
    return readings(ctx.machine)


def sensors(ctx):
    """The Sensors collection of the chassis."""
    return collection(SENSORS, 'Sensor', 'Sensors', [
        '%s/%s' % (SENSORS, ident) for ident, _ in _sensors_of(ctx)])


def sensor(ctx):
    """One Sensor."""
    for ident, reading in _sensors_of(ctx):
        if ident == ctx.ids[0]:
            kind, units, _ = KINDS[reading.units]
            return {'@odata.id': '%s/%s' % (SENSORS, ident),
                    '@odata.type': '#Sensor.v1_2_0.Sensor', 'Id': ident,
                    'Name': reading.name, 'ReadingType': kind,
                    'ReadingUnits': units, 'Reading': _value(reading),
                    'Status': _status(reading)}
    raise RedfishError(404, 'ResourceNotFound', 'Sensor', ctx.ids[0])


def _members(uri, group, items, build):
    return [dict(build(reading), **{
        '@odata.id': '%s#/%s/%d' % (uri, group, index),
        'MemberId': str(index), 'Name': reading.name,
        'Status': _status(reading)})
        for index, (_, reading) in enumerate(items)]


def _of_kind(ctx, kind):
    return [(ident, reading) for ident, reading in _sensors_of(ctx)
            if KINDS[reading.units][0] == kind]


def thermal(ctx):
    """Thermal: temperatures and fans (for clients before Sensors)."""
    return {
        '@odata.id': THERMAL, '@odata.type': '#Thermal.v1_7_0.Thermal',
        'Id': 'Thermal', 'Name': 'Thermal',
        'Temperatures': _members(THERMAL, 'Temperatures',
                                 _of_kind(ctx, 'Temperature'),
                                 lambda r: {'ReadingCelsius': _value(r)}),
        # (a fan's Reading is an integer in the Thermal schema)
        'Fans': _members(THERMAL, 'Fans', _of_kind(ctx, 'Rotational'),
                         lambda r: {'Reading': _whole(_value(r)),
                                    'ReadingUnits': 'RPM'}),
    }


def power(ctx):
    """Power: voltages and consumed power (for clients before Sensors)."""
    return {
        '@odata.id': POWER, '@odata.type': '#Power.v1_6_0.Power',
        'Id': 'Power', 'Name': 'Power',
        'Voltages': _members(POWER, 'Voltages', _of_kind(ctx, 'Voltage'),
                             lambda r: {'ReadingVolts': _value(r)}),
        'PowerControl': _members(POWER, 'PowerControl',
                                 _of_kind(ctx, 'Power'),
                                 lambda r: {'PowerConsumedWatts':
                                            _value(r)}),
    }


def chassis_links(machine):
    """The properties a chassis with sensors links them by."""
    if not machine.sensors():
        return {}
    return {'Sensors': {'@odata.id': SENSORS},
            'Thermal': {'@odata.id': THERMAL},
            'Power': {'@odata.id': POWER}}


ROUTES = (
    route(SENSORS, GET=(auth.LOGIN, sensors)),
    route(SENSORS + '/([^/]+)', GET=(auth.LOGIN, sensor)),
    route(THERMAL, GET=(auth.LOGIN, thermal)),
    route(POWER, GET=(auth.LOGIN, power)),
)
