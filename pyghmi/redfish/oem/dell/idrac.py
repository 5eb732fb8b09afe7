"""Dell iDRAC: its virtual floppy and CD boot through the iDRAC's own
attributes (the standard's Floppy and Cd name physical drives there)."""

from pyghmi.redfish.areas import base
from pyghmi.redfish.oem import generic

ATTRIBUTES = '/redfish/v1/Managers/iDRAC.Embedded.1/Attributes'
VIRTUAL_DEVICES = {'floppy': 'vFDD', 'cd': 'VCD-DVD'}


class OEMHandler(generic.OEMHandler):
    """iDRAC."""

    vendor = 'Dell'

    @base.call
    def set_bootdev(self, bootdev, persist=False, uefiboot=None):
        """As the generic one, but 'floppy' and 'cd' boot the iDRAC's
        virtual floppy and CD (ServerBoot.1 attributes)."""
        if bootdev not in VIRTUAL_DEVICES:
            return (yield from super().set_bootdev(bootdev, persist,
                                                   uefiboot))
        yield from self.conn.write('PATCH', ATTRIBUTES, {'Attributes': {
            'ServerBoot.1.BootOnce': 'Disabled' if persist else 'Enabled',
            'ServerBoot.1.FirstBootDevice': VIRTUAL_DEVICES[bootdev]}})
        return {'bootdev': bootdev}
