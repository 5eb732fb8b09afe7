"""Inventory over Redfish from the Bmc's FRU devices: FRU 0's product
and chassis areas on the ComputerSystem and the Chassis (Manufacturer,
Model, SerialNumber...), and the DIMMs' SPD as the system's Memory.
The same FRU bytes Read FRU Data serves, decoded by the client's own
decoders (:mod:`pyghmi.ipmi.fru`, :mod:`pyghmi.ipmi.private.spd`).
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import SYSTEM, collection, route
from pyghmi.redfish.service.errors import RedfishError

MEMORY = SYSTEM + '/Memory'
_DDR = {'DDR3 SDRAM': 'DDR3', 'DDR4 SDRAM': 'DDR4', 'DDR5 SDRAM': 'DDR5'}


def _text(value):
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode('utf-8', 'replace')
    return str(value).strip() if value is not None else ''


def system_properties(machine):
    """FRU 0's product area as ComputerSystem properties."""
    info = machine.fru(0) or {}
    pairs = (('Manufacturer', 'Manufacturer'), ('Model', 'Product name'),
             ('SKU', 'Model'), ('SerialNumber', 'Serial Number'),
             ('AssetTag', 'Asset Number'))
    out = {key: _text(info[name]) for key, name in pairs
           if _text(info.get(name))}
    if machine.memory():
        out['Memory'] = {'@odata.id': MEMORY}
    return out


def chassis_properties(machine):
    """FRU 0's chassis and board areas as Chassis properties."""
    info = machine.fru(0) or {}
    pairs = (('Manufacturer', 'Board manufacturer'),
             ('PartNumber', 'Chassis part number'),
             ('SerialNumber', 'Chassis serial number'))
    return {key: _text(info[name]) for key, name in pairs
            if _text(info.get(name))}


def _dimm_id(name):
    return ''.join(c if c.isalnum() else '_' for c in name)


def memory(ctx):
    return collection(MEMORY, 'Memory', 'Memory Collection', [
        '%s/%s' % (MEMORY, _dimm_id(name))
        for name, _ in ctx.machine.memory()])


def dimm(ctx):
    for name, info in ctx.machine.memory():
        ident = _dimm_id(name)
        if ident != ctx.ids[0]:
            continue
        body = {'@odata.id': '%s/%s' % (MEMORY, ident),
                '@odata.type': '#Memory.v1_11_0.Memory', 'Id': ident,
                'Name': name, 'DeviceLocator': name,
                'MemoryType': 'DRAM',
                'CapacityMiB': int(info.get('capacity_mb', 0)),
                'Manufacturer': _text(info.get('manufacturer')),
                'PartNumber': _text(info.get('model')),
                'SerialNumber': _text(info.get('serial')),
                'Status': {'State': 'Enabled', 'Health': 'OK'}}
        kind = _DDR.get(info.get('memory_type'))
        if kind:
            body['MemoryDeviceType'] = kind
        if info.get('speed'):
            # PC4-25600 is 25600 MB/s: 3200 MT/s on a 64-bit bus
            body['OperatingSpeedMhz'] = int(info['speed']) // 8
        return body
    raise RedfishError(404, 'ResourceNotFound', 'Memory', ctx.ids[0])


ROUTES = (
    route(MEMORY, GET=(auth.LOGIN, memory)),
    route(MEMORY + '/([^/]+)', GET=(auth.LOGIN, dimm)),
)
