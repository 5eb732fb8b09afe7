"""``Command``'s DCMI power and identity, and the temperatures DCMI names
(DCMI 1.5), drop-in with pyghmi 1.6.19's methods and result shapes. A
mixin of :class:`pyghmi.ipmi.command.Command`; what it takes of the
facade is declared on the class.
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi import dcmi as dcmiops
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade import sensors
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private.codec import dcmi


class DcmiFlows(CommandParts):
    """DCMI methods as flows (:mod:`.flows`), which both Commands run
    (see the module text).  Where the vendor handler has its own hook,
    it answers; the generic hooks' answers are the flows here."""

    @property
    def _dcmi(self):
        if self._dcmi_ops is None:
            self._dcmi_ops = dcmiops.Dcmi(
                flows.blocking_callables(self)[0], self.bmc)
        return self._dcmi_ops

    def dcmi_operations(self) -> dcmiops.Dcmi:
        """The DCMI operations of this BMC (for vendor handlers)."""
        return self._dcmi

    @flows.public
    def get_system_power_watts(self):
        """Current system power draw in watts (DCMI Get Power Reading).

        :raises UnsupportedFunctionality: no DCMI power management
        """
        watts = yield from flows.vendor_answer('get_system_power_watts', self)
        if watts is not flows.STANDARD:
            return watts
        return (yield from self._dcmi.power_statistics())['current']

    @flows.public
    def get_power_statistics(self):
        """DCMI system power statistics: current, minimum, maximum and
        average watts, reporting period (ms) and whether active."""
        return (yield from self._dcmi.power_statistics())

    @flows.public
    def get_server_capping(self):
        """The active power cap in watts, or None when capping is off
        (generically the DCMI power limit)."""
        cap = yield from flows.vendor_answer('get_server_capping')
        if cap is not flows.STANDARD:
            return cap
        limit, active = yield from self._dcmi.power_limit()
        return limit['limit'] if active else None

    @flows.public
    def set_server_capping(self, value: int):
        """Set the power cap to ``value`` watts (DCMI generically)."""
        args.integer('value', value, 0, 0xFFFF)
        done = yield from flows.vendor_answer('set_server_capping', value)
        if done is not flows.STANDARD:
            return None
        yield from self._dcmi.set_power_limit(value)
        return None

    @flows.public
    def get_capping_enabled(self):
        """True when the power cap is active (DCMI generically)."""
        enabled = yield from flows.vendor_answer('get_oem_capping_enabled')
        if enabled is not flows.STANDARD:
            return enabled
        return (yield from self._dcmi.power_limit())[1]

    @flows.public
    def set_capping_enabled(self, enable: bool):
        """Activate or deactivate the power cap (DCMI generically)."""
        args.flag('enable', enable)
        done = yield from flows.vendor_answer(
            'set_oem_capping_enabled', enable)
        if done is not flows.STANDARD:
            return None
        yield from self._dcmi.activate_power_limit(enable)
        return None

    @flows.public
    def get_asset_tag(self):
        """The DCMI asset tag (text)."""
        return (yield from self._dcmi.get_string(dcmi.GET_ASSET_TAG))

    @flows.public
    def set_asset_tag(self, tag: str):
        """Set the DCMI asset tag (at most 63 bytes)."""
        args.text('tag', tag, 63)
        yield from self._dcmi.set_string(dcmi.SET_ASSET_TAG, tag)

    @flows.public
    def get_mci(self):
        """The DCMI management controller identifier string."""
        return (yield from self._dcmi.get_string(dcmi.GET_MC_ID))

    @flows.public
    def set_mci(self, mci: str):
        """Set the management controller identifier (at most 63 bytes)."""
        args.text('mci', mci, 63)
        yield from self._dcmi.set_string(dcmi.SET_MC_ID, mci)

    def _dcmi_temperatures(self, entity):
        try:
            ids = yield from self._dcmi.temperature_record_ids(entity)
        except exc.UnsupportedFunctionality:
            return []       # no DCMI: the SDR fallback decides
        sdr = yield from sensors.SensorFlows.init_sdr(self)
        readings = []
        for rec in sdr.readable_sensors():
            if rec.record_id in ids:
                readings.append((yield from sdrmod.read_sensor_flow(rec)))
        return readings

    def _temperature_sensors(self, entities):
        """Readable threshold temperature sensors of the given entity
        names, in SDR order (the SDR fallback of the DCMI lookups)."""
        sdr = yield from sensors.SensorFlows.init_sdr(self)
        return [rec for rec in sdr.readable_sensors()
                if rec.threshold_based and rec.baseunit
                and rec.sensor_type == 'Temperature'
                and rec.entity in entities]

    @flows.public
    def get_inlet_temperature(self):
        """The inlet (ambient) temperature reading, as the vendor handler
        finds it (generically: :meth:`standard_inlet_temperature`).

        :raises UnsupportedFunctionality: no inlet sensor
        """
        reading = yield from flows.vendor_answer('get_inlet_temperature', self)
        if reading is not flows.STANDARD:
            return reading
        return (yield from _flow.standard_inlet_temperature(self))

    @flows.public
    def get_average_processor_temperature(self):
        """Average processor temperature, as the vendor handler finds it
        (generically: :meth:`standard_processor_temperature`)."""
        reading = yield from flows.vendor_answer(
            'get_average_processor_temperature', self)
        if reading is not flows.STANDARD:
            return reading
        return (yield from _flow.standard_processor_temperature(self))

    @flows.public
    def standard_inlet_temperature(self):
        """The inlet (ambient) temperature reading.

        The DCMI inlet sensor when the BMC names one (Get DCMI Sensor
        Info, entity 40h); otherwise the first SDR temperature sensor of
        an 'Air inlet' entity (37h, 40h), else of 'External environment'
        whose name does not say exhaust.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises UnsupportedFunctionality: no inlet sensor found
        """
        readings = yield from self._dcmi_temperatures(dcmi.ENTITY_INLET)
        if readings:
            return readings[0]
        recs = yield from self._temperature_sensors(('Air inlet',))
        if not recs:
            recs = [rec for rec in (yield from self._temperature_sensors(
                ('External environment',)))
                if 'exhaust' not in rec.name.lower()]
        if not recs:
            raise exc.UnsupportedFunctionality(
                'Unable to detect inlet sensor name for this platform')
        return (yield from sdrmod.read_sensor_flow(recs[0]))

    @flows.public
    def standard_processor_temperature(self):
        """Average of the processor temperature sensors.

        The DCMI processor sensors (entity 41h) when the BMC names them,
        otherwise the SDR temperature sensors of 'Processor' entities.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading` named 'Average
            Processor Temperature'; with no sensor (or none readable)
            its ``value`` is None and ``unavailable`` 1, as pyghmi
        """
        readings = yield from self._dcmi_temperatures(dcmi.ENTITY_CPU)
        if not readings:
            readings = []
            for rec in (yield from self._temperature_sensors(
                    ('Processor',))):
                try:
                    readings.append(
                        (yield from sdrmod.read_sensor_flow(rec)))
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


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods)
_flow = DcmiFlows


@flows.drives(DcmiFlows)
class DcmiCommands(DcmiFlows):
    """DCMI methods of the blocking ``Command``."""
