"""``Command``'s sensors and health (sections 35-36, 43), drop-in with
pyghmi 1.6.19's methods and result shapes. A mixin of
:class:`pyghmi.ipmi.command.Command`; what it takes of the facade is
declared on the class.
"""

import typing
from typing import Any, Dict, List

from pyghmi import constants as pyconst
from pyghmi import exceptions as exc
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import window

# Sensor readings requested together: whole windows of the pipelining
# session, as for chunked.AHEAD_BATCH.
_SWEEP_CHUNK = 2 * window.GROWTH_CAP


class SensorFlows(CommandParts):
    """Sensor methods as flows (:mod:`.flows`), which both Commands run
    (see the module text)."""

    def set_sdr_cachedir(self, path):
        """Keep SDR caches in ``path`` between runs (a plain method of
        both Commands: it sends nothing)."""
        args.text('path', path, 4096, allow_none=True)
        self._sdrcachedir = path

    @flows.public
    def init_sdr(self):
        """Read the SDR repository (or take it from the cache) once.

        :returns: the :class:`pyghmi.ipmi.sdr.SDR`
        """
        if self._sdr is None:
            sdr = sdrmod.SDR.unread(self, self._sdrcachedir)
            yield from sdr.read_info_flow()
            self._sdr = sdr
        return typing.cast(sdrmod.SDR, self._sdr)

    @flows.listing
    def get_sensor_data(self):
        """Read every sensor.

        :returns: iterator of :class:`pyghmi.ipmi.sdr.SensorReading`
            (``name``, ``value``, ``units``, ``imprecision``, ``states``,
            ``state_ids``, ``health``, ``type``, ``unavailable``)
        """
        sdr = yield from _flow.init_sdr(self)
        recs = [sdr.sensors[key] for key in sdr.get_sensor_numbers()]
        # in chunks, read pipelined: a caller that stops early does not
        # pay for the whole sweep
        for start in range(0, len(recs), _SWEEP_CHUNK):
            pairs = yield from sdrmod.read_sensors_flow(
                recs[start:start + _SWEEP_CHUNK])
            for _, outcome in pairs:
                if isinstance(outcome, exc.IpmiException):
                    if outcome.ipmicode in const.NOT_PRESENT_CODES:
                        continue     # sensor absent (optional device), off
                    raise outcome
                yield outcome
        yield from flows.vendor_items('get_sensor_data')

    @flows.public
    def get_sensor_reading(self, sensorname: str):
        """Read one sensor by name.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises InvalidParameterValue: no sensor has that name
        """
        args.text('sensorname', sensorname, 255)
        sdr = yield from _flow.init_sdr(self)
        for rec in sdr.readable_sensors():
            if rec.name == sensorname:
                return (yield from sdrmod.read_sensor_flow(rec))
        return (yield from flows.vendor('get_sensor_reading',
                                        sensorname))

    @flows.listing
    def get_sensor_descriptions(self):
        """Iterate ``{'name': ..., 'type': ...}`` for every sensor."""
        sdr = yield from _flow.init_sdr(self)
        for rec in sdr.readable_sensors():
            yield {'name': rec.name, 'type': rec.sensor_type}
        yield from flows.vendor_items('get_sensor_descriptions')

    @flows.public
    def get_health(self):
        """Summarize the health of the managed system.

        :returns: ``{'health': combined Health value, 'badreadings':
            [readings whose health is not Ok]}``
        """
        summary: Dict[str, Any] = {'badreadings': [],
                                   'health': pyconst.Health.Ok}
        fallback: List[Any] = []
        try:
            # the vendor's view first; it may skip the sensor sweep
            fallback = (yield from flows.vendor('get_health',
                                                summary)) or []
            readings = yield from flows.collect(_flow.get_sensor_data(self))
            for reading in readings:
                if reading.health != pyconst.Health.Ok:
                    summary['health'] |= reading.health
                    summary['badreadings'].append(reading)
        except exc.BypassGenericBehavior:
            pass
        if not summary['badreadings']:
            summary['badreadings'] = list(fallback)
        return summary


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods)
_flow = SensorFlows


@flows.drives(SensorFlows)
class SensorCommands(SensorFlows):
    """Sensor methods of the blocking ``Command``."""

    def _read_sensor(self, rec):
        return sdrmod.read_sensor(self.xraw_command, rec)
