"""``Command``'s DCMI power and identity, and the temperatures DCMI names
(DCMI 1.5), drop-in with pyghmi 1.6.19's methods and result shapes. A
mixin of :class:`pyghmi.ipmi.command.Command`; what it takes of the
facade is declared on the class.
"""

from typing import Any, Dict, Optional

from pyghmi import exceptions as exc
from pyghmi.ipmi import dcmi as dcmiops
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private.codec import dcmi


class DcmiCommands(CommandParts):
    """Dcmi methods of ``Command`` (see the module text)."""

    @property
    def _dcmi(self):
        if self._dcmi_ops is None:
            self._dcmi_ops = dcmiops.Dcmi(self.xraw_command, self.bmc)
        return self._dcmi_ops

    def get_system_power_watts(self) -> float:
        """Current system power draw in watts (DCMI Get Power Reading).

        :raises UnsupportedFunctionality: no DCMI power management
        """
        return self._handler.get_system_power_watts(self)

    def get_power_statistics(self) -> Dict[str, Any]:
        """DCMI system power statistics: current, minimum, maximum and
        average watts, reporting period (ms) and whether active."""
        return self._dcmi.power_statistics()

    def dcmi_operations(self) -> dcmiops.Dcmi:
        """The DCMI operations of this BMC (for vendor handlers)."""
        return self._dcmi

    def get_server_capping(self) -> Optional[int]:
        """The active power cap in watts, or None when capping is off
        (the generic handler reads the DCMI power limit)."""
        return self._handler.get_server_capping()

    def set_server_capping(self, value: int) -> None:
        """Set the power cap to ``value`` watts (DCMI generically)."""
        args.integer('value', value, 0, 0xFFFF)
        self._handler.set_server_capping(value)

    def get_capping_enabled(self) -> bool:
        """True when the power cap is active (DCMI generically)."""
        return self._handler.get_oem_capping_enabled()

    def set_capping_enabled(self, enable: bool) -> None:
        """Activate or deactivate the power cap (DCMI generically)."""
        args.flag('enable', enable)
        self._handler.set_oem_capping_enabled(enable)

    def get_asset_tag(self) -> str:
        """The DCMI asset tag (text)."""
        return self._dcmi.get_string(dcmi.GET_ASSET_TAG)

    def set_asset_tag(self, tag: str) -> None:
        """Set the DCMI asset tag (at most 63 bytes)."""
        args.text('tag', tag, 63)
        self._dcmi.set_string(dcmi.SET_ASSET_TAG, tag)

    def get_mci(self) -> str:
        """The DCMI management controller identifier string."""
        return self._dcmi.get_string(dcmi.GET_MC_ID)

    def set_mci(self, mci: str) -> None:
        """Set the management controller identifier (at most 63 bytes)."""
        args.text('mci', mci, 63)
        self._dcmi.set_string(dcmi.SET_MC_ID, mci)

    def _dcmi_temperatures(self, entity):
        try:
            ids = self._dcmi.temperature_record_ids(entity)
        except exc.UnsupportedFunctionality:
            return []       # no DCMI: the SDR fallback decides
        return [self._read_sensor(rec)
                for rec in self.init_sdr().readable_sensors()
                if rec.record_id in ids]

    def _temperature_sensors(self, entities):
        """Readable threshold temperature sensors of the given entity
        names, in SDR order (the SDR fallback of the DCMI lookups)."""
        return [rec for rec in self.init_sdr().readable_sensors()
                if rec.threshold_based and rec.baseunit
                and rec.sensor_type == 'Temperature'
                and rec.entity in entities]

    def get_inlet_temperature(self) -> sdrrecords.SensorReading:
        """The inlet (ambient) temperature reading, as the vendor handler
        finds it (generically: :meth:`standard_inlet_temperature`).

        :raises UnsupportedFunctionality: no inlet sensor
        """
        return self._handler.get_inlet_temperature(self)

    def get_average_processor_temperature(self
                                          ) -> sdrrecords.SensorReading:
        """Average processor temperature, as the vendor handler finds it
        (generically: :meth:`standard_processor_temperature`)."""
        return self._handler.get_average_processor_temperature(self)

    def standard_inlet_temperature(self) -> sdrrecords.SensorReading:
        """The inlet (ambient) temperature reading.

        The DCMI inlet sensor when the BMC names one (Get DCMI Sensor
        Info, entity 40h); otherwise the first SDR temperature sensor of
        an 'Air inlet' entity (37h, 40h), else of 'External environment'
        whose name does not say exhaust.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises UnsupportedFunctionality: no inlet sensor found
        """
        readings = self._dcmi_temperatures(dcmi.ENTITY_INLET)
        if readings:
            return readings[0]
        recs = self._temperature_sensors(('Air inlet',)) or [
            rec for rec in self._temperature_sensors(
                ('External environment',))
            if 'exhaust' not in rec.name.lower()]
        if not recs:
            raise exc.UnsupportedFunctionality(
                'Unable to detect inlet sensor name for this platform')
        return self._read_sensor(recs[0])

    def standard_processor_temperature(self) -> sdrrecords.SensorReading:
        """Average of the processor temperature sensors.

        The DCMI processor sensors (entity 41h) when the BMC names them,
        otherwise the SDR temperature sensors of 'Processor' entities.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading` named 'Average
            Processor Temperature'; with no sensor (or none readable)
            its ``value`` is None and ``unavailable`` 1, as pyghmi
        """
        readings = self._dcmi_temperatures(dcmi.ENTITY_CPU)
        if not readings:
            readings = []
            for rec in self._temperature_sensors(('Processor',)):
                try:
                    readings.append(self._read_sensor(rec))
                except exc.IpmiException:
                    continue    # one unreadable processor sensor
        readings = [r for r in readings if r.value is not None]
        average = sdrrecords.SensorReading(
            {'name': 'Average Processor Temperature', 'type': 'Temperature'},
            readings[0].units if readings else '°C')
        if not readings:
            average.unavailable = 1
            return average
        average.value = sum(r.value for r in readings) / len(readings)
        average.health = max(r.health for r in readings)
        return average
