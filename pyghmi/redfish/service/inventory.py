"""Inventory over Redfish from the Bmc's FRU devices: FRU 0's product
and chassis areas on the ComputerSystem and the Chassis (Manufacturer,
Model, SerialNumber...), the DIMMs' SPD as the system's Memory, and the
processors a Bmc lists (fakebmc: the profile's ``processors``; IPMI has
no standard record of them).
The same FRU bytes Read FRU Data serves, decoded by the client's own
decoders (:mod:`pyghmi.ipmi.fru`, :mod:`pyghmi.ipmi.private.spd`).
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import SYSTEM, collection, route
from pyghmi.redfish.service.errors import RedfishError

MEMORY = SYSTEM + '/Memory'
PROCESSORS = SYSTEM + '/Processors'
_ARCHITECTURES = {'x86': 'x86', 'x86-64': 'x86', 'IA-64': 'IA-64',
                  'ARM-A32': 'ARM', 'ARM-A64': 'ARM', 'MIPS32': 'MIPS',
                  'MIPS64': 'MIPS', 'PowerISA': 'Power'}
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
    if machine.processors():
        out['Processors'] = {'@odata.id': PROCESSORS}
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


def processors(ctx):
    return collection(PROCESSORS, 'Processor', 'Processors Collection', [
        '%s/%s' % (PROCESSORS, _dimm_id(spec['socket']))
        for spec in ctx.machine.processors()])


def processor(ctx):
    for spec in ctx.machine.processors():
        ident = _dimm_id(spec['socket'])
        if ident != ctx.ids[0]:
            continue
        body = {'@odata.id': '%s/%s' % (PROCESSORS, ident),
                '@odata.type': '#Processor.v1_10_0.Processor', 'Id': ident,
                'Name': spec['socket'], 'Socket': spec['socket'],
                'ProcessorType': 'CPU',
                'Status': {'State': 'Enabled', 'Health': 'OK'}}
        for key, name in (('Manufacturer', 'manufacturer'),
                          ('Model', 'model'), ('TotalCores', 'cores'),
                          ('TotalThreads', 'threads'),
                          ('MaxSpeedMHz', 'max_mhz'),
                          ('InstructionSet', 'instruction_set')):
            if name in spec:
                body[key] = spec[name]
        architecture = _ARCHITECTURES.get(spec.get('instruction_set'))
        if architecture:
            body['ProcessorArchitecture'] = architecture
        return body
    raise RedfishError(404, 'ResourceNotFound', 'Processor', ctx.ids[0])


ROUTES = (
    route(PROCESSORS, GET=(auth.LOGIN, processors)),
    route(PROCESSORS + '/([^/]+)', GET=(auth.LOGIN, processor)),
    route(MEMORY, GET=(auth.LOGIN, memory)),
    route(MEMORY + '/([^/]+)', GET=(auth.LOGIN, dimm)),
)
