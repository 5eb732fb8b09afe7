"""BIOS settings over Redfish: the system's Bios resource (current
attributes), its settings object (what the next boot applies: PATCH it),
#Bios.ResetBios, and the attribute registry that describes them.  Served
when the Bmc has a BIOS setup (fakebmc's ``bios``: see
:meth:`machine.BmcMachine.bios`).
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service import errors
from pyghmi.redfish.service.common import (
    ROOT, SYSTEM, json_object, only, route)
from pyghmi.redfish.service.errors import RedfishError

BIOS = SYSTEM + '/Bios'
SETTINGS = BIOS + '/Settings'
REGISTRY = 'BiosAttributeRegistry.1.0.0'
REGISTRY_FILE = ROOT + '/Registries/' + REGISTRY
REGISTRY_URI = REGISTRY_FILE + '/' + REGISTRY
_REFUSALS = {'unknown': 'PropertyUnknown', 'read only': 'PropertyNotWritable',
             'type': 'PropertyValueTypeError',
             'value': 'PropertyValueNotInList'}


def _setup(ctx):
    setup = ctx.machine.bios()
    if setup is None:
        raise RedfishError(404, 'ResourceNotFound', 'Bios', 'Bios')
    return setup


def bios(ctx):
    """Current attributes, and where to change them."""
    setup = _setup(ctx)
    return {
        '@odata.id': BIOS, '@odata.type': '#Bios.v1_1_0.Bios', 'Id': 'Bios',
        'Name': 'BIOS Configuration', 'AttributeRegistry': REGISTRY,
        'Attributes': dict(setup.current),
        '@Redfish.Settings': {
            '@odata.type': '#Settings.v1_3_3.Settings',
            'SettingsObject': {'@odata.id': SETTINGS},
            'SupportedApplyTimes': ['OnReset']},
        'Actions': {'#Bios.ResetBios': {
            'target': BIOS + '/Actions/Bios.ResetBios'}},
    }


def settings(ctx):
    """The settings object: what the next boot applies."""
    setup = _setup(ctx)
    return {'@odata.id': SETTINGS, '@odata.type': '#Bios.v1_1_0.Bios',
            'Id': 'Settings', 'Name': 'BIOS Pending Settings',
            'AttributeRegistry': REGISTRY,
            'Attributes': dict(setup.pending)}


def patch_settings(ctx, body):
    """PATCH of the settings object's Attributes: each checked against
    the registry; nothing is stored unless all pass."""
    setup = _setup(ctx)
    only(body, ('Attributes',), readonly=('Id', 'Name',
                                          'AttributeRegistry'))
    values = json_object(body.get('Attributes', {}), 'Attributes')
    for name, value in values.items():
        why = setup.check(name, value)
        if why is not None:
            args = (name,) if why in ('unknown', 'read only') else (
                value, name)
            raise RedfishError(400, _REFUSALS[why], *args)
    ctx.machine.set_bios(values)
    return 200, settings(ctx), {}


def reset_bios(ctx, body):
    """#Bios.ResetBios: the profile's values at the next boot."""
    for key in body:
        raise RedfishError(400, 'ActionParameterUnknown', 'Bios.ResetBios',
                           key)
    ctx.machine.reset_bios()
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


def registry_file(ctx):
    """The attribute registry's MessageRegistryFile-like locator."""
    _setup(ctx)
    return {'@odata.id': REGISTRY_FILE,
            '@odata.type': '#MessageRegistryFile.v1_1_3.MessageRegistryFile',
            'Id': REGISTRY, 'Name': 'BIOS attribute registry file',
            'Languages': ['en'], 'Registry': REGISTRY,
            'Location': [{'Language': 'en', 'Uri': REGISTRY_URI}]}


def _entry(spec):
    out = {'AttributeName': spec['name'], 'Type': spec['type'],
           'DisplayName': spec.get('display_name', spec['name']),
           'ReadOnly': bool(spec.get('read_only')),
           'DefaultValue': spec.get('value')}
    if spec['type'] == 'Enumeration':
        out['Value'] = [{'ValueName': v, 'ValueDisplayName': v}
                        for v in spec['values']]
    if spec['type'] == 'Integer':
        out.update(LowerBound=spec.get('min', 0),
                   UpperBound=spec.get('max', 2 ** 31 - 1))
    if spec['type'] == 'String':
        out['MaxLength'] = spec.get('max_length', 255)
    return out


def registry(ctx):
    """The attribute registry (types, allowed values, bounds)."""
    setup = _setup(ctx)
    return {'@odata.id': REGISTRY_URI,
            '@odata.type': '#AttributeRegistry.v1_3_6.AttributeRegistry',
            'Id': REGISTRY, 'Name': 'BIOS Attribute Registry',
            'Language': 'en', 'OwningEntity': 'pyghmi',
            'RegistryVersion': '1.0.0',
            'RegistryEntries': {'Attributes': [
                _entry(spec) for spec in setup.specs.values()]}}


ROUTES = (
    route(BIOS, GET=(auth.LOGIN, bios)),
    route(SETTINGS, GET=(auth.LOGIN, settings),
          PATCH=(auth.CONFIGURE_COMPONENTS, patch_settings)),
    route(BIOS + '/Actions/Bios.ResetBios', guarded_by=BIOS,
          POST=(auth.CONFIGURE_COMPONENTS, reset_bios)),
    route(REGISTRY_FILE, GET=(auth.LOGIN, registry_file)),
    route(REGISTRY_URI, GET=(auth.LOGIN, registry)),
)
