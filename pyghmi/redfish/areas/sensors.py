"""Sensors (the Sensors collection of each chassis, else its Thermal and
Power readings), health, and the environment readings pyghmi sums up
(inlet temperature, system power, processor temperature)."""

import re
import typing

from pyghmi import constants as const
from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base

HEALTH = {'Critical': const.Health.Critical,
          'Unknown': const.Health.Warning,
          'Warning': const.Health.Warning, 'OK': const.Health.Ok,
          None: const.Health.Ok}
# ReadingUnits -> pyghmi's units text
UNITS = {'Cel': '°C', 'cft_i/min': 'CFM'}
# seconds a reading stays current: get_sensor_data's first call reads
# each sensor to map it, and uses those reads rather than asking twice
FRESH = 1.0
# Thermal/Power arrays -> (sensor type, reading property, units)
LEGACY_READINGS = {
    'Fans': ('Fan', 'Reading', None),
    'Temperatures': ('Temperature', 'ReadingCelsius', '°C'),
    'Voltages': ('Voltage', 'ReadingVolts', 'V'),
}


def health_value(health):
    """pyghmi's health constant of a Redfish Health text (Warning for
    anything it does not know, OK when absent)."""
    if health is not None and not isinstance(health, str):
        return const.Health.Warning
    return HEALTH.get(health, const.Health.Warning)


class SensorReading:
    """A sensor reading, or an unhealthy component of
    ``get_health()['badreadings']``, with pyghmi's attributes (``name``,
    ``health``, ``states``, ``value``, ``units``, ``imprecision``,
    ``state_ids``, ``unavailable``).

    :param info: the Redfish object it describes (its Name and Status)
    :param value: the reading, or None
    :param units: pyghmi's units text ('°C', 'V', 'RPM'...)
    :param name: the name of a reading that has no health of its own
        (a Thermal/Power entry, a computed mean): as pyghmi's, such a
        reading has no ``health`` attribute and no states
    """

    def __init__(self, info, value=None, units=None, unavailable=False,
                 name=None):
        self.states = []
        if name is not None:
            self.name = name
        else:
            health = base.obj(info, 'Status').get('Health')
            self.name = base.text(info, 'Name', '')
            self.health = health_value(health)
            if self.health != const.Health.Ok:
                self.states = [health if isinstance(health, str)
                               else 'Unknown']
        self.value = value
        self.state_ids = None
        self.imprecision = None
        self.units = units
        self.unavailable = unavailable

    def __repr__(self):
        # (the attributes above and the keys of this text are pyghmi's:
        # callers read them)
        return repr({'value': self.value, 'state_ids': self.state_ids,
                     'units': self.units, 'imprecision': self.imprecision,
                     'name': self.name, 'unavailable': self.unavailable})


def _number(value):
    """A reading as a number, None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _natural(names):
    """``names`` sorted as people read numbers in them (Fan2 < Fan10)."""
    def key(name):
        return [(0, int(part), '') if part.isdigit() else (1, 0, part.lower())
                for part in re.split('([0-9]+)', name)]
    return sorted(names, key=key)


def _health_of(status):
    status = status if isinstance(status, dict) else {}
    return status.get('HealthRollup', status.get('Health'))


class Sensors(base.Base):
    """Sensor, health and environment flows."""

    _sensors = None

    def _sensormap(self):
        """Flow: name -> {'name', 'type', 'url'[, 'generic']}."""
        if self._sensors is None:
            found: typing.Dict[str, dict] = {}
            for uri in (yield from self.chassis_uris()):
                yield from self._map_chassis(uri, found, set())
            self._sensors = found
        return self._sensors

    def _map_chassis(self, uri, found, seen):
        if uri in seen:
            return            # a chassis that contains itself
        seen.add(uri)
        info = yield from self.conn.get(uri)
        sensors = base.link(info, 'Sensors')
        if sensors:
            for data in (yield from self.conn.members(sensors)):
                name = base.text(data, 'Name')
                member = base.text(data, '@odata.id')
                if name and member:
                    found[name] = {
                        'name': name,
                        'type': data.get('ReadingType', 'Unknown'),
                        'url': member, 'generic': True}
        else:
            for kind in ('Power', 'Thermal'):
                yield from self._map_legacy(base.link(info, kind), found)
        for inner in base.links(base.seq(info, 'Links', 'Contains')):
            yield from self._map_chassis(inner, found, seen)

    def _map_legacy(self, uri, found):
        if not uri:
            return
        data = yield from self.conn.get(uri)
        for group, (kind, _, _) in LEGACY_READINGS.items():
            for item in base.objects(data, group):
                name = base.text(item, 'Name')
                if name:
                    found[name] = {'name': name, 'type': kind, 'url': uri}

    @base.listing
    def get_sensor_descriptions(self):
        """Each sensor's ``{'name', 'type', 'url'[, 'generic']}``, in
        natural order of names."""
        sensors = yield from self._sensormap()
        for name in _natural(sensors):
            yield sensors[name]

    @base.call
    def get_sensor_reading(self, sensorname):
        """The :class:`SensorReading` of sensor ``sensorname``.

        :raises InvalidParameterValue: no such sensor
        :raises PyghmiException: the sensor has no reading any more
        """
        sensors = yield from self._sensormap()
        sensor = sensors.get(sensorname)
        if sensor is None:
            raise exc.InvalidParameterValue('Sensor not found: %r'
                                            % (sensorname,))
        data = yield from self.conn.get(sensor['url'], cache=False)
        return _reading(sensor, data, sensorname)

    @base.listing
    def get_sensor_data(self):
        """Every sensor's :class:`SensorReading`, in natural order; the
        resources are read in parallel, each once."""
        sensors = yield from self._sensormap()
        names = _natural(sensors)
        uris = sorted({sensors[name]['url'] for name in names})
        reads = yield from self.conn.read_many(uris, cache=FRESH)
        for name in names:
            data = reads.get(sensors[name]['url'])
            if isinstance(data, dict):
                yield _reading(sensors[name], data, name)

    # ---------------------------------------------------------- health
    @base.call
    def get_health(self, verbose=True):
        """The system's health.

        :param verbose: list what is not OK when the system is not
        :returns: ``{'health': pyghmi.constants.Health, 'badreadings':
            [SensorReading...]}``
        """
        info = yield from self.system()
        state = _health_of(info.get('Status'))
        health = health_value(state)
        bad = []
        if health and verbose:
            for collection, summary, label in (
                    ('Processors', 'ProcessorSummary', 'Processors'),
                    ('Memory', 'MemorySummary', 'Memory')):
                summed = base.obj(info, summary)
                if summed and _health_of(summed.get('Status')) == 'OK':
                    continue
                found = yield from self._unhealthy(
                    (yield from self.conn.members(base.link(info,
                                                            collection))))
                if not found and summed:
                    found = [SensorReading(dict(summed, Name=label))]
                bad.extend(found)
            for key in ('PCIeDevices', 'PCIeFunctions'):
                uris = base.links(base.seq(info, key))
                reads = yield from self.conn.read_many(uris)
                bad.extend((yield from self._unhealthy(
                    [reads[u] for u in uris if isinstance(reads.get(u),
                                                          dict)])))
            if not bad:
                bad = yield from self._conditions(base.obj(info, 'Status'))
        if state == 'Unknown' and not bad:
            unknown = SensorReading({'Name': 'BMC',
                                     'Status': {'Health': 'Unknown'}})
            unknown.states = ['System does not provide health information']
            bad.append(unknown)
        return {'badreadings': bad, 'health': health}

    def _conditions(self, status):
        """Flow: a reading for each of the status' Conditions (Redfish
        2023.1: what makes a rollup Warning or Critical), named after
        the resource it comes from."""
        out = []
        for condition in base.objects(status, 'Conditions'):
            origin = base.link(condition, 'OriginOfCondition')
            name = base.last_part(origin) if origin else 'System'
            if origin:
                try:
                    name = base.text((yield from self.conn.get(origin)),
                                     'Name', name)
                except exc.PyghmiException:
                    pass            # the id then
            reading = SensorReading({'Name': name, 'Status': {
                'Health': condition.get('Severity', 'Warning')}})
            message = base.text(condition, 'Message')
            if message:
                reading.states = [message]
            out.append(reading)
        return out

    def _unhealthy(self, members):
        return [SensorReading(m) for m in members
                if base.obj(m, 'Status').get('State') != 'Absent' and
                base.obj(m, 'Status').get('Health') not in ('OK', None)]
        yield   # pragma: no cover  (a flow, for overriding handlers)

    # ----------------------------------------------------- environment
    def _environment(self):
        """Flow: ``[(watts, inlet °C)]`` of each chassis' metrics."""
        out = []
        for uri in (yield from self.chassis_uris()):
            info = yield from self.conn.get(uri)
            metrics_uri = base.link(info, 'EnvironmentMetrics')
            if not metrics_uri:
                continue
            metrics = yield from self.conn.get(metrics_uri, cache=False)
            out.append(
                (_number(base.obj(metrics, 'PowerWatts').get('Reading')),
                 _number(base.obj(metrics, 'TemperatureCelsius').get(
                     'Reading'))))
        return out

    @base.call
    def get_inlet_temperature(self):
        """The mean inlet temperature of the system's chassis, a
        :class:`SensorReading` named 'Inlet Temperature' (unavailable
        when none reports one)."""
        inlets = [inlet for _, inlet in (yield from self._environment())
                  if inlet]
        value = sum(inlets) / len(inlets) if inlets else None
        return SensorReading(None, value, '°C', value is None,
                             name='Inlet Temperature')

    @base.call
    def get_system_power_watts(self):
        """The system's power draw in watts (the sum over its chassis).

        :raises UnsupportedFunctionality: no chassis reports power
        """
        watts = [w for w, _ in (yield from self._environment())
                 if w is not None]
        if not watts:
            raise exc.UnsupportedFunctionality(
                'System does not provide Power under redfish '
                'EnvironmentMetrics')
        return sum(watts)

    @base.call
    def get_average_processor_temperature(self):
        """The mean of the processor temperatures (Thermal readings with
        PhysicalContext 'CPU'), a :class:`SensorReading` named 'Average
        Processor Temperature' (unavailable when there are none)."""
        temps = []
        for uri in (yield from self.chassis_uris()):
            thermal = base.link((yield from self.conn.get(uri)), 'Thermal')
            if not thermal:
                continue
            data = yield from self.conn.get(thermal, cache=False)
            for item in base.objects(data, 'Temperatures'):
                value = _number(item.get('ReadingCelsius'))
                if item.get('PhysicalContext') == 'CPU' and \
                        value is not None:
                    temps.append(value)
        value = sum(temps) / len(temps) if temps else None
        reading = SensorReading(None, value, '°C', value is None,
                                name='Average Processor Temperature')
        del reading.states     # pyghmi's reading of this mean has none
        return reading


def _reading(sensor, data, name):
    if sensor.get('generic'):
        value = _number(data.get('Reading'))
        units = data.get('ReadingUnits')
        return SensorReading(data, value, UNITS.get(units, units),
                             value is None)
    for group, (kind, key, units) in LEGACY_READINGS.items():
        if kind != sensor['type']:
            continue
        for item in base.objects(data, group):
            if item.get('Name') == sensor['name']:
                value = _number(item.get(key))
                return SensorReading(
                    item, value, units or item.get('ReadingUnits'),
                    value is None, name=sensor['name'])
    raise exc.PyghmiException('Sensor %r has no reading' % name)
