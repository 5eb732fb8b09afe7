"""``Command``'s sensors and health (sections 35-36, 43), drop-in with
pyghmi 1.6.19's methods and result shapes. A mixin of
:class:`pyghmi.ipmi.command.Command`; what it takes of the facade is
declared on the class.
"""

import typing
from typing import Any, Dict, Iterator, List

from pyghmi import constants as pyconst
from pyghmi import exceptions as exc
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import window

# Sensor readings requested together: whole windows of the pipelining
# session, as for chunked.AHEAD_BATCH.
_SWEEP_CHUNK = 2 * window.GROWTH_CAP


class SensorCommands(CommandParts):
    """Sensor methods of ``Command`` (see the module text)."""

    def init_sdr(self) -> sdrmod.SDR:
        """Read the SDR repository (or take it from the cache) once.

        :returns: the :class:`pyghmi.ipmi.sdr.SDR`
        """
        if self._sdr is None:
            self._sdr = sdrmod.SDR(self, self._sdrcachedir)
        return typing.cast(sdrmod.SDR, self._sdr)

    def _read_sensor(self, rec):
        return sdrmod.read_sensor(self.xraw_command, rec)

    def get_sensor_data(self) -> Iterator[sdrrecords.SensorReading]:
        """Read every sensor.

        :returns: iterator of :class:`pyghmi.ipmi.sdr.SensorReading`
            (``name``, ``value``, ``units``, ``imprecision``, ``states``,
            ``state_ids``, ``health``, ``type``, ``unavailable``)
        """
        sdr = self.init_sdr()
        recs = [sdr.sensors[key] for key in sdr.get_sensor_numbers()]
        # in chunks, read pipelined: a caller that stops early does not
        # pay for the whole sweep
        for start in range(0, len(recs), _SWEEP_CHUNK):
            for _, outcome in sdrmod.read_sensors(
                    self.xraw_commands, self.xraw_command,
                    recs[start:start + _SWEEP_CHUNK]):
                if isinstance(outcome, exc.IpmiException):
                    if outcome.ipmicode in const.NOT_PRESENT_CODES:
                        continue     # sensor absent (optional device), off
                    raise outcome
                yield outcome
        yield from self._handler.get_sensor_data()

    def get_sensor_reading(self, sensorname: str
                           ) -> sdrrecords.SensorReading:
        """Read one sensor by name.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises InvalidParameterValue: no sensor has that name
        """
        args.text('sensorname', sensorname, 255)
        sdr = self.init_sdr()
        for rec in sdr.readable_sensors():
            if rec.name == sensorname:
                return self._read_sensor(rec)
        return self._handler.get_sensor_reading(sensorname)

    def get_sensor_descriptions(self) -> Iterator[Dict[str, str]]:
        """Iterate ``{'name': ..., 'type': ...}`` for every sensor."""
        sdr = self.init_sdr()
        for rec in sdr.readable_sensors():
            yield {'name': rec.name, 'type': rec.sensor_type}
        yield from self._handler.get_sensor_descriptions()

    def get_health(self) -> Dict[str, Any]:
        """Summarize the health of the managed system.

        :returns: ``{'health': combined Health value, 'badreadings':
            [readings whose health is not Ok]}``
        """
        summary: Dict[str, Any] = {'badreadings': [],
                                   'health': pyconst.Health.Ok}
        fallback: List[Any] = []
        try:
            # the vendor's view first; it may skip the sensor sweep
            fallback = self._handler.get_health(summary) or []
            for reading in self.get_sensor_data():
                if reading.health != pyconst.Health.Ok:
                    summary['health'] |= reading.health
                    summary['badreadings'].append(reading)
        except exc.BypassGenericBehavior:
            pass
        if not summary['badreadings']:
            summary['badreadings'] = list(fallback)
        return summary
