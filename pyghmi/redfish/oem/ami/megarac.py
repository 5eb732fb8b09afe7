"""AMI MegaRAC: the system named Self (or System_0) where the BMC lists
several, the firmware update that keeps the BMC's configuration, and the
auxiliary power cycle of the chassis."""

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.oem import generic

# what MegaRAC keeps across a firmware update (everything but the SDR)
PRESERVED = {'Syslog': True, 'NTP': True, 'Network': True,
             'Authentication': True, 'EXTLOG': True, 'FRU': True,
             'IPMI': True, 'KVM': True, 'REDFISH': True, 'SDR': False,
             'SEL': True, 'SNMP': True, 'SSH': True, 'WEB': True}
AUX_RESET = '/redfish/v1/Chassis/Chassis_0/Actions/Oem/' \
    'NvidiaChassis.AuxPowerReset'


class OEMHandler(generic.OEMHandler):
    """MegaRAC."""

    vendor = 'AMI'

    def _member(self, collection, wanted, strict=True):
        if collection != 'Systems' or wanted:
            return (yield from super()._member(collection, wanted, strict))
        uri = base.link(self.root, 'Systems')
        members = base.links(base.seq((yield from self.conn.get(uri)),
                                      'Members')) if uri else []
        for member in members:
            if member.endswith(('/Self', '/System_0')):
                return member
        return (yield from super()._member(collection, wanted, strict))

    @base.call
    def update_firmware(self, file, data=None, progress=None, bank=None,
                        otherfields=()):
        """As the generic one, after asking the BMC to keep its
        configuration through the update."""
        uri, _ = yield from self.service('UpdateService')
        if uri:
            yield from self.conn.write('PATCH', uri, {'Oem': {
                'AMIUpdateService': {
                    '@odata.type':
                    '#AMIUpdateService.v1_0_0.AMIUpdateService',
                    'PreserveConfiguration': PRESERVED}}}, etag='*')
        return (yield from super().update_firmware(file, data, progress,
                                                   bank, otherfields))

    @base.call
    def reseat_bay(self, bay):
        """Cycle the chassis' auxiliary power (``bay`` -1: this
        machine's own).

        :raises UnsupportedFunctionality: any other bay
        """
        if bay != -1:
            raise exc.UnsupportedFunctionality(
                'This is not an enclosure manager')
        yield from self.conn.write('POST', AUX_RESET,
                                   {'ResetType': 'AuxPowerCycle'})
