"""``Command``'s inventory: FRU devices and DIMM SPDs (FRU 1.0, section
34), drop-in with pyghmi 1.6.19's methods and result shapes. A mixin of
:class:`pyghmi.ipmi.command.Command`; what it takes of the facade is
declared on the class.
"""

from typing import Optional

from pyghmi import exceptions as exc
from pyghmi.ipmi import fru as frumod
from pyghmi.ipmi.facade import device
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade import sensors
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const


class InventoryFlows(CommandParts):
    """Inventory methods as flows (:mod:`.flows`), which both Commands
    run (see the module text)."""

    def _fru_locators(self):
        try:
            sdr = yield from sensors.SensorFlows.init_sdr(self)
        except exc.IpmiException:
            return []
        return [rec for rec in sdr.fru_locators if rec.logical]

    def _read_fru(self, fru_id=0, locator=None, details=False, name=None):
        info = yield from frumod.read_inventory_flow(fru_id, locator)
        return (yield from flows.vendor('process_fru',
                                        self._details(info, details), name))

    @staticmethod
    def _details(info, details):
        # checksum warnings and multirecords are details
        if not details and info is not None:
            info.pop('warnings', None)
            info.pop('multirecords', None)
        return info

    def _zero_fru(self, details=False):
        try:
            info = yield from frumod.read_inventory_flow(0)
        except exc.IpmiException as err:
            if err.ipmicode not in (const.CC_NOT_PRESENT,
                                    const.CC_INVALID_COMMAND,
                                    const.CC_INVALID_DATA_FIELD):
                raise
            info = {}
        devicedata = yield from device.DeviceFlows.get_device_id(self)
        info.update({'Device ID': devicedata['device_id'],
                     'Device Revision': devicedata['device_revision'],
                     'Manufacturer ID': devicedata['manufacturer_id'],
                     'Product ID': devicedata['product_id'],
                     'firmware_version': devicedata['firmware_version']})
        multirecords = info.get('multirecords', ())
        info = yield from flows.vendor('process_zero_fru',
                                       self._details(info, details))
        if info is not None and 'UUID' not in info:
            # Get System GUID's (pyghmi wrote it in upper case); the FRU's
            # management access record stands in without it.
            guid: Optional[str]
            try:
                guid = yield from device.DeviceFlows.get_system_guid(self)
            except exc.IpmiException:
                guid = next((r['system_uuid'] for r in multirecords
                             if 'system_uuid' in r), None)
            if guid:
                info['UUID'] = guid.upper()
        return info

    @flows.listing
    def get_inventory_descriptions(self):
        """Iterate the names of inventory components ('System' first)."""
        yield 'System'
        for rec in (yield from self._fru_locators()):
            yield rec.name
        yield from flows.vendor_items('get_oem_inventory_descriptions')

    @flows.public
    def get_inventory_of_component(self, component: str,
                                   details: bool = False):
        """Inventory dict of one component ('System' is FRU 0).

        :param details: also return ``warnings`` (checksum mismatches)
            and ``multirecords`` (decoded FRU multirecord area)
        :returns: dict of fields, or None when the component has no data
        """
        args.text('component', component, 255)
        if component == 'System':
            return (yield from self._zero_fru(details))
        for rec in (yield from self._fru_locators()):
            if rec.name == component:
                return (yield from self._read_fru(rec.fru_id, rec, details,
                                                  rec.name))
        return (yield from flows.vendor(
            'get_inventory_of_component', component))

    @flows.listing
    def get_inventory(self, details: bool = False):
        """Iterate ``(name, dict)`` for FRU 0, every FRU device locator
        of the SDR whose device answers (absent ones are left out, as
        pyghmi did), then the vendor handler's components.

        FRU fields keep pyghmi's names; 'System' adds the Get Device ID
        fields ('Device ID', 'Device Revision', 'Manufacturer ID',
        'Product ID', 'firmware_version') and 'UUID'.

        :param details: as in :meth:`get_inventory_of_component`
        """
        yield ('System', (yield from self._zero_fru(details)))
        for rec in (yield from self._fru_locators()):
            try:
                info = yield from self._read_fru(rec.fru_id, rec, details,
                                                 rec.name)
            except (exc.IpmiException, exc.DecodeError) as err:
                if isinstance(err, exc.DecodeError) or err.ipmicode in (
                        const.CC_NOT_PRESENT, const.CC_NOT_IN_PRESENT_STATE):
                    continue        # absent or unreadable: not listed
                raise
            if info:                # a vendor handler may hide one
                yield (rec.name, info)
        yield from flows.vendor_items('get_oem_inventory')


@flows.drives(InventoryFlows)
class InventoryCommands(InventoryFlows):
    """Inventory methods of the blocking ``Command``."""
