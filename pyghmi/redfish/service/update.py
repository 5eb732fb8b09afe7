"""The UpdateService and its firmware inventory: the BMC's firmware as
Get Device ID reports it (the same version ``ipmitool mc info`` shows).
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import ROOT, collection, link, route
from pyghmi.redfish.service.errors import RedfishError

SERVICE = ROOT + '/UpdateService'
INVENTORY = SERVICE + '/FirmwareInventory'
BMC_FIRMWARE = INVENTORY + '/bmc'


def update_service(ctx):
    return {'@odata.id': SERVICE,
            '@odata.type': '#UpdateService.v1_8_0.UpdateService',
            'Id': 'UpdateService', 'Name': 'Update Service',
            'ServiceEnabled': False, 'Status': {'State': 'Disabled'},
            'FirmwareInventory': link(INVENTORY)}


def inventory(ctx):
    return collection(INVENTORY, 'SoftwareInventory', 'Firmware Inventory',
                      [BMC_FIRMWARE])


def firmware(ctx):
    if ctx.ids[0] != 'bmc':
        raise RedfishError(404, 'ResourceNotFound', 'SoftwareInventory',
                           ctx.ids[0])
    return {'@odata.id': BMC_FIRMWARE,
            '@odata.type': '#SoftwareInventory.v1_3_0.SoftwareInventory',
            'Id': 'bmc', 'Name': 'BMC Firmware',
            'Version': ctx.machine.firmware_version(), 'Updateable': False,
            'Status': {'State': 'Enabled', 'Health': 'OK'}}


ROUTES = (
    route(SERVICE, GET=(auth.LOGIN, update_service)),
    route(INVENTORY, GET=(auth.LOGIN, inventory)),
    route(INVENTORY + '/([^/]+)', GET=(auth.LOGIN, firmware)),
)
