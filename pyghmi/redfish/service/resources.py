"""The resources of the service: how each is built from the machine and
what a PATCH or an action does to it.

Each handler takes a :class:`Ctx` (the machine, the session table, the
requester, the time and the path's captured ids) and returns the body of
the resource (a dict), or for a change ``(status, body, headers)``.
The table :data:`ROUTES` at the bottom says which path serves which
handler for which method, with the privilege each method needs.
"""

import datetime
import typing

from pyghmi.redfish.service import auth
from pyghmi.redfish.service import bios
from pyghmi.redfish.service import errors
from pyghmi.redfish.service import inventory
from pyghmi.redfish.service import logs
from pyghmi.redfish.service import media
from pyghmi.redfish.service import network
from pyghmi.redfish.service import protocol
from pyghmi.redfish.service import sensors
from pyghmi.redfish.service import update
from pyghmi.redfish.service.common import (
    ACCOUNTS, CHASSIS, MANAGER, NAME_MAX, PASSWORD_MAX, REDFISH_VERSION,
    ROLES_URI, ROOT, SESSIONS, SYSTEM, Ctx, Route, choice, collection,
    json_object, link, only, route, status)
from pyghmi.redfish.service.errors import RedfishError
from pyghmi.redfish.service.machine import (
    MANAGER_RESET_TYPES, OVERRIDE_ENABLED, OVERRIDE_MODES)

__all__ = ['Ctx', 'Route', 'ROUTES']

# -------------------------------------------------------------- the root


def versions(ctx):
    """``/redfish``: the protocol versions."""
    return {'v1': ROOT + '/'}


def service_root(ctx):
    """The service root (readable without credentials)."""
    return {
        '@odata.id': ROOT + '/', '@odata.type':
        '#ServiceRoot.v1_11_0.ServiceRoot', 'Id': 'RootService',
        'Name': 'Root Service', 'RedfishVersion': REDFISH_VERSION,
        'UUID': ctx.machine.uuid(), 'Vendor': 'pyghmi',
        'Product': ctx.service.product,
        'Systems': link(ROOT + '/Systems'),
        'Chassis': link(ROOT + '/Chassis'),
        'Managers': link(ROOT + '/Managers'),
        'SessionService': link(ROOT + '/SessionService'),
        'AccountService': link(ROOT + '/AccountService'),
        'Registries': link(ROOT + '/Registries'),
        'UpdateService': link(update.SERVICE),
        'Links': {'Sessions': link(SESSIONS)},
        'ProtocolFeaturesSupported': {
            'ExpandQuery': {'ExpandAll': False, 'Levels': False,
                            'Links': False, 'NoLinks': False},
            'FilterQuery': False, 'SelectQuery': False,
            'OnlyMemberQuery': False, 'ExcerptQuery': False},
    }


SCHEMAS = ('ProcessorCollection', 'Processor', 'ManagerNetworkProtocol',
           'Bios', 'AttributeRegistry', 'Settings',
           'VirtualMediaCollection', 'VirtualMedia', 'MemoryCollection',
           'Memory', 'UpdateService',
           'SoftwareInventoryCollection',
           'SoftwareInventory', 'EthernetInterfaceCollection',
           'EthernetInterface', 'LogServiceCollection', 'LogService',
           'LogEntryCollection', 'LogEntry', 'SensorCollection', 'Sensor',
           'Thermal', 'Power', 'ServiceRoot', 'ComputerSystemCollection',
           'ComputerSystem',
           'ChassisCollection', 'Chassis', 'ManagerCollection', 'Manager',
           'SessionService', 'SessionCollection', 'Session',
           'AccountService', 'ManagerAccountCollection', 'ManagerAccount',
           'RoleCollection', 'Role', 'MessageRegistryFileCollection',
           'MessageRegistryFile', 'ActionInfo', 'Message', 'Resource')


def metadata(ctx):
    """``$metadata``: the CSDL document naming the schemas used."""
    refs = ''.join(
        '<edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/%s_v1.xml">'
        '<edmx:Include Namespace="%s"/></edmx:Reference>' % (name, name)
        for name in SCHEMAS)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/'
            'edmx" Version="4.0">%s<edmx:DataServices><Schema xmlns='
            '"http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">'
            '<EntityContainer Name="Service" Extends="ServiceRoot.v1_11_0.'
            'ServiceContainer"/></Schema></edmx:DataServices></edmx:Edmx>'
            % refs)


def odata(ctx):
    """The OData service document."""
    names = ('Systems', 'Chassis', 'Managers', 'SessionService',
             'AccountService', 'Registries')
    return {'@odata.context': ROOT + '/$metadata', 'value': [
        {'name': name, 'kind': 'Singleton', 'url': '%s/%s' % (ROOT, name)}
        for name in names] + [{'name': 'Service', 'kind': 'Singleton',
                               'url': ROOT + '/'}]}


# ------------------------------------------------------------ the system
def systems(ctx):
    return collection(ROOT + '/Systems', 'ComputerSystem',
                      'Computer System Collection', [SYSTEM])


def system(ctx):
    """The ComputerSystem: power, boot override, indicator."""
    machine = ctx.machine
    boot = machine.boot()
    boot['BootSourceOverrideTarget@Redfish.AllowableValues'] = \
        machine.boot_targets()
    boot['BootSourceOverrideEnabled@Redfish.AllowableValues'] = list(
        OVERRIDE_ENABLED)
    boot['BootSourceOverrideMode@Redfish.AllowableValues'] = list(
        OVERRIDE_MODES)
    body = {
        '@odata.id': SYSTEM,
        '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
        'Id': 'system', 'Name': 'System', 'SystemType': 'Physical',
        'UUID': machine.uuid(), 'Status': status(),
        'IndicatorLED': machine.indicator(),
        'LocationIndicatorActive': machine.indicator() != 'Off',
        'Boot': boot,
        'Actions': {'#ComputerSystem.Reset': {
            'target': SYSTEM + '/Actions/ComputerSystem.Reset',
            '@Redfish.ActionInfo': SYSTEM + '/ResetActionInfo',
            'ResetType@Redfish.AllowableValues': machine.reset_types()}},
        'Links': {'Chassis': [link(CHASSIS)],
                  'ManagedBy': [link(MANAGER)]},
        **inventory.system_properties(machine),
    }
    if machine.bios() is not None:
        body['Bios'] = link(bios.BIOS)
    power = machine.power_state()
    if power is not None:
        body['PowerState'] = power
    return body


def patch_system(ctx, body):
    """PATCH of the system: the Boot override and the indicator
    (IndicatorLED, or LocationIndicatorActive of newer clients)."""
    only(body, ('Boot', 'IndicatorLED', 'LocationIndicatorActive'),
         readonly=('Id', 'Name', 'UUID', 'PowerState', 'Status',
                   'SystemType', 'Links', 'Actions'))
    boot = body.get('Boot')
    if boot is not None:
        _patch_boot(ctx.machine, json_object(boot, 'Boot'))
    _patch_indicator(ctx, body)
    return 200, system(ctx), {}


def _patch_indicator(ctx, body):
    if 'IndicatorLED' in body:
        ctx.machine.set_indicator(choice(body['IndicatorLED'],
                                         ('Lit', 'Blinking', 'Off'),
                                         'IndicatorLED'))
    if 'LocationIndicatorActive' in body:
        value = body['LocationIndicatorActive']
        if not isinstance(value, bool):
            raise RedfishError(400, 'PropertyValueTypeError', value,
                               'LocationIndicatorActive')
        ctx.machine.set_indicator('Lit' if value else 'Off')


def _patch_boot(machine, boot):
    names = ('BootSourceOverrideTarget', 'BootSourceOverrideEnabled',
             'BootSourceOverrideMode')
    only(boot, names)
    current = machine.boot()
    target = choice(boot.get(names[0], current[names[0]]),
                    machine.boot_targets(), names[0])
    enabled = choice(boot.get(names[1], current[names[1]]),
                     OVERRIDE_ENABLED, names[1])
    mode = choice(boot.get(names[2], current[names[2]]), OVERRIDE_MODES,
                  names[2])
    if names[0] in boot and names[1] not in boot and target != 'None' \
            and enabled == 'Disabled':
        enabled = 'Once'        # a target alone means "boot it next"
    if target == 'None':
        enabled = 'Disabled'
    machine.set_boot(target, enabled, mode)


def system_reset(ctx, body):
    """#ComputerSystem.Reset."""
    _only_parameters(body, 'ComputerSystem.Reset', ('ResetType',))
    reset_type = body.get('ResetType')
    if reset_type is None:
        raise RedfishError(400, 'ActionParameterMissing',
                           'ComputerSystem.Reset', 'ResetType')
    ctx.machine.reset(reset_type)
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


def _only_parameters(body, action, allowed):
    for key in body:
        if key not in allowed:
            raise RedfishError(400, 'ActionParameterUnknown', action, key)


def reset_action_info(ctx):
    return {'@odata.id': SYSTEM + '/ResetActionInfo',
            '@odata.type': '#ActionInfo.v1_1_2.ActionInfo',
            'Id': 'ResetActionInfo', 'Name': 'Reset Action Info',
            'Parameters': [{'Name': 'ResetType', 'Required': True,
                            'DataType': 'String',
                            'AllowableValues': ctx.machine.reset_types()}]}


# ----------------------------------------------------- chassis, manager
def chassis_collection(ctx):
    return collection(ROOT + '/Chassis', 'Chassis', 'Chassis Collection',
                      [CHASSIS])


def chassis(ctx):
    body = {'@odata.id': CHASSIS, '@odata.type': '#Chassis.v1_14_0.Chassis',
            'Id': 'chassis', 'Name': 'Chassis', 'ChassisType': 'RackMount',
            'Status': status(), 'IndicatorLED': ctx.machine.indicator(),
            'LocationIndicatorActive': ctx.machine.indicator() != 'Off',
            'Links': {'ComputerSystems': [link(SYSTEM)],
                      'ManagedBy': [link(MANAGER)]},
            **sensors.chassis_links(ctx.machine),
            **inventory.chassis_properties(ctx.machine)}
    power = ctx.machine.power_state()
    if power is not None:
        body['PowerState'] = power
    location = ctx.machine.location()
    if location:
        body['Location'] = location
    return body


# the writable parts of a chassis' Location, and their writable texts
LOCATION_PARTS = {'PostalAddress': ('Room', 'Location', 'Building',
                                    'Street', 'City', 'Country',
                                    'PostalCode'),
                  'Placement': ('Rack', 'Row', 'RackOffset')}


def patch_chassis(ctx, body):
    """PATCH of the chassis: its indicator (the same as the system's)
    and its Location (address, placement and contacts)."""
    only(body, ('IndicatorLED', 'LocationIndicatorActive', 'Location'),
         readonly=('Id', 'Name', 'ChassisType', 'PowerState', 'Status',
                   'Links'))
    if 'Location' in body:
        ctx.machine.set_location(_location(ctx.machine.location(),
                                           body['Location']))
    _patch_indicator(ctx, body)
    return 200, chassis(ctx), {}


def _location(current, change):
    """``current`` Location with ``change`` merged in (checked)."""
    if not isinstance(change, dict):
        raise RedfishError(400, 'PropertyValueTypeError', change,
                           'Location')
    only(change, tuple(LOCATION_PARTS) + ('Contacts',))
    out = dict(current)
    for part, fields in LOCATION_PARTS.items():
        if part not in change:
            continue
        values = change[part]
        if not isinstance(values, dict):
            raise RedfishError(400, 'PropertyValueTypeError', values, part)
        only(values, fields)
        for key, value in values.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise RedfishError(400, 'PropertyValueTypeError', value,
                                   key)
        out[part] = dict(out.get(part, {}), **values)
    if 'Contacts' in change:
        contacts = change['Contacts']
        if not isinstance(contacts, list) or not all(
                isinstance(c, dict) and
                set(c) <= {'ContactName', 'EmailAddress', 'PhoneNumber'}
                for c in contacts):
            raise RedfishError(400, 'PropertyValueTypeError', contacts,
                               'Contacts')
        out['Contacts'] = [dict(c) for c in contacts]
    return out


def managers(ctx):
    return collection(ROOT + '/Managers', 'Manager', 'Manager Collection',
                      [MANAGER])


def manager(ctx):
    now = datetime.datetime.now(datetime.timezone.utc)
    body = {
        '@odata.id': MANAGER, '@odata.type': '#Manager.v1_10_0.Manager',
        'Id': 'bmc', 'Name': 'Manager', 'ManagerType': 'BMC',
        'FirmwareVersion': ctx.machine.firmware_version(),
        'UUID': ctx.machine.uuid(), 'Status': status(),
        'DateTime': now.strftime('%Y-%m-%dT%H:%M:%S+00:00'),
        'DateTimeLocalOffset': '+00:00',
        'Actions': {'#Manager.Reset': {
            'target': MANAGER + '/Actions/Manager.Reset',
            'ResetType@Redfish.AllowableValues': list(MANAGER_RESET_TYPES)}},
        'Links': {'ManagerForServers': [link(SYSTEM)],
                  'ManagerForChassis': [link(CHASSIS)]},
    }
    if ctx.machine.event_log() is not None:
        body['LogServices'] = link(logs.SERVICES)
    if getattr(ctx.machine.bmc, 'lan', None) is not None:
        body['EthernetInterfaces'] = link(network.INTERFACES)
    body['VirtualMedia'] = link(media.MEDIA)
    body['NetworkProtocol'] = link(protocol.PROTOCOL)
    return body


def manager_reset(ctx, body):
    _only_parameters(body, 'Manager.Reset', ('ResetType',))
    reset_type = body.get('ResetType', 'GracefulRestart')
    if reset_type not in MANAGER_RESET_TYPES:
        raise RedfishError(400, 'ActionParameterValueNotInList', reset_type,
                           'ResetType', 'Manager.Reset')
    ctx.machine.manager_reset()
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


# ------------------------------------------------------------- sessions
def session_service(ctx):
    return {'@odata.id': ROOT + '/SessionService',
            '@odata.type': '#SessionService.v1_1_8.SessionService',
            'Id': 'SessionService', 'Name': 'Session Service',
            'ServiceEnabled': True, 'Status': status(),
            'SessionTimeout': ctx.service.sessions.timeout,
            'Sessions': link(SESSIONS)}


def patch_session_service(ctx, body):
    only(body, ('SessionTimeout',), readonly=('Id', 'Name', 'Sessions',
                                              'ServiceEnabled'))
    if 'SessionTimeout' in body:
        value = body['SessionTimeout']
        if not isinstance(value, int) or isinstance(value, bool):
            raise RedfishError(400, 'PropertyValueTypeError', value,
                               'SessionTimeout')
        if not 30 <= value <= 86400:
            raise RedfishError(400, 'PropertyValueNotInList', value,
                               'SessionTimeout')
        ctx.service.sessions.timeout = value
    return 200, session_service(ctx), {}


def _visible_sessions(ctx):
    live = ctx.service.sessions.sessions(ctx.now)
    if ctx.principal.may(auth.CONFIGURE_MANAGER):
        return live
    return [s for s in live if s.user == ctx.principal.user]


def sessions(ctx):
    return collection(SESSIONS, 'Session', 'Session Collection',
                      ['%s/%s' % (SESSIONS, s.id)
                       for s in _visible_sessions(ctx)])


def _session_body(session):
    return {'@odata.id': '%s/%s' % (SESSIONS, session.id),
            '@odata.type': '#Session.v1_3_0.Session', 'Id': session.id,
            'Name': 'User Session', 'UserName': session.user}


def login(ctx, body):
    """POST to the Sessions collection: a new session (no credentials
    needed but these)."""
    only(body, ('UserName', 'Password'))
    user, password = body.get('UserName'), body.get('Password')
    for name, value in (('UserName', user), ('Password', password)):
        if value is None:
            raise RedfishError(400, 'PropertyMissing', name)
        if not isinstance(value, str):
            raise RedfishError(400, 'PropertyValueTypeError', value, name)
    auth.check_password(ctx.machine.accounts(), ctx.machine.guard(), user,
                        password, ctx.now)
    session = ctx.service.sessions.open(user, ctx.now, ctx.address)
    uri = '%s/%s' % (SESSIONS, session.id)
    return 201, _session_body(session), {'X-Auth-Token': session.token,
                                         'Location': uri}


def _session_of(ctx):
    session = ctx.service.sessions.get(ctx.ids[0], ctx.now)
    if session is None or session not in _visible_sessions(ctx):
        raise RedfishError(404, 'ResourceNotFound', 'Session', ctx.ids[0])
    return session


def session(ctx):
    return _session_body(_session_of(ctx))


def logout(ctx):
    ctx.service.sessions.close(_session_of(ctx))
    return 204, None, {}


# ------------------------------------------------------------- accounts
def account_service(ctx):
    guard_config = ctx.machine.bmc.config
    return {'@odata.id': ROOT + '/AccountService',
            '@odata.type': '#AccountService.v1_10_0.AccountService',
            'Id': 'AccountService', 'Name': 'Account Service',
            'ServiceEnabled': True, 'Status': status(),
            'MinPasswordLength': 1, 'MaxPasswordLength': PASSWORD_MAX,
            'AccountLockoutThreshold': guard_config.lockout_threshold or 0,
            'AccountLockoutDuration': int(guard_config.lockout_seconds),
            'Accounts': link(ACCOUNTS), 'Roles': link(ROLES_URI)}


def accounts(ctx):
    return collection(ACCOUNTS, 'ManagerAccount', 'Accounts Collection',
                      ['%s/%d' % (ACCOUNTS, uid)
                       for uid, _ in ctx.machine.user_slots()])


def _account_body(uid, slot):
    role = auth.ROLE_OF_PRIVILEGE.get(slot.privilege, 'NoAccess')
    return {'@odata.id': '%s/%d' % (ACCOUNTS, uid),
            '@odata.type': '#ManagerAccount.v1_7_0.ManagerAccount',
            'Id': str(uid), 'Name': 'User Account',
            'UserName': slot.name.decode('utf-8', 'replace'),
            'RoleId': role, 'Enabled': slot.enabled, 'Locked': False,
            'Password': None, 'AccountTypes': ['Redfish', 'IPMI'],
            'Links': {'Role': link('%s/%s' % (ROLES_URI, role))}
            if role in auth.ROLES else {}}


def _account_of(ctx):
    try:
        uid = int(ctx.ids[0])
    except ValueError:
        uid = 0
    slot = ctx.machine.user_slot(uid)
    if slot is None:
        raise RedfishError(404, 'ResourceNotFound', 'ManagerAccount',
                           ctx.ids[0])
    own = slot.name.decode('utf-8', 'replace') == ctx.principal.user
    if not own and not ctx.principal.may(auth.CONFIGURE_USERS):
        raise RedfishError(403, 'InsufficientPrivilege')
    return uid, slot


def account(ctx):
    return _account_body(*_account_of(ctx))


def _account_values(ctx, body, creating):
    names = ('UserName', 'Password', 'RoleId', 'Enabled')
    only(body, names, readonly=('Id', 'Name', 'Locked', 'Links'))
    values: typing.Dict[str, typing.Any] = {}
    for key, limit in (('UserName', NAME_MAX), ('Password', PASSWORD_MAX)):
        if key in body:
            value = body[key]
            if not isinstance(value, str):
                raise RedfishError(400, 'PropertyValueTypeError', value, key)
            if not 1 <= len(value.encode('utf-8')) <= limit or \
                    (key == 'UserName' and ':' in value):
                raise RedfishError(400, 'PropertyValueNotInList', '***'
                                   if key == 'Password' else value, key)
            values[key] = value
        elif creating:
            raise RedfishError(400, 'PropertyMissing', key)
    if 'RoleId' in body:
        values['RoleId'] = choice(body['RoleId'], tuple(auth.ROLES),
                                  'RoleId')
    if 'Enabled' in body:
        if not isinstance(body['Enabled'], bool):
            raise RedfishError(400, 'PropertyValueTypeError',
                               body['Enabled'], 'Enabled')
        values['Enabled'] = body['Enabled']
    return values


def _name_taken(ctx, name, uid):
    for other, slot in ctx.machine.user_slots():
        if other != uid and slot.name == name.encode('utf-8'):
            raise RedfishError(409, 'ResourceAlreadyExists',
                               'ManagerAccount', 'UserName', name)


def create_account(ctx, body):
    values = _account_values(ctx, body, True)
    _name_taken(ctx, values['UserName'], None)
    uid = ctx.machine.free_uid()
    if uid is None:
        raise RedfishError(400, 'CreateLimitReachedForResource')
    ctx.machine.store_user(uid, values['UserName'], values['Password'],
                           values.get('RoleId', 'ReadOnly'),
                           values.get('Enabled', True))
    uri = '%s/%d' % (ACCOUNTS, uid)
    slot = ctx.machine.user_slot(uid)
    return 201, _account_body(uid, slot), {'Location': uri}


def patch_account(ctx, body):
    uid, slot = _account_of(ctx)
    values = _account_values(ctx, body, False)
    if not ctx.principal.may(auth.CONFIGURE_USERS) and \
            set(values) - {'Password'}:
        raise RedfishError(403, 'InsufficientPrivilege')
    old = slot.name.decode('utf-8', 'replace')
    if 'UserName' in values:
        _name_taken(ctx, values['UserName'], uid)
    ctx.machine.store_user(uid, values.get('UserName'),
                           values.get('Password'), values.get('RoleId'),
                           values.get('Enabled'))
    if set(values) & {'UserName', 'RoleId', 'Enabled'}:
        ctx.service.sessions.close_user(old)
    return 200, _account_body(uid, slot), {}


def delete_account(ctx):
    uid, slot = _account_of(ctx)
    if not ctx.principal.may(auth.CONFIGURE_USERS):
        raise RedfishError(403, 'InsufficientPrivilege')
    ctx.service.sessions.close_user(slot.name.decode('utf-8', 'replace'))
    ctx.machine.clear_user(uid)
    return 204, None, {}


def roles(ctx):
    return collection(ROLES_URI, 'Role', 'Roles Collection',
                      ['%s/%s' % (ROLES_URI, r) for r in auth.ROLES])


def role(ctx):
    name = ctx.ids[0]
    if name not in auth.ROLES:
        raise RedfishError(404, 'ResourceNotFound', 'Role', name)
    return {'@odata.id': '%s/%s' % (ROLES_URI, name),
            '@odata.type': '#Role.v1_3_1.Role', 'Id': name, 'Name': name,
            'RoleId': name, 'IsPredefined': True,
            'AssignedPrivileges': list(auth.ROLES[name])}


# ------------------------------------------------------------ registries
def registries(ctx):
    files = [errors.registry_file()['@odata.id']]
    if ctx.machine.bios() is not None:
        files.append(bios.REGISTRY_FILE)
    return collection(ROOT + '/Registries', 'MessageRegistryFile',
                      'Registry File Collection', files)


def registry(ctx):
    body = errors.registry_file()
    if ctx.ids[0] != body['Id']:
        raise RedfishError(404, 'ResourceNotFound', 'MessageRegistryFile',
                           ctx.ids[0])
    return body


_ID = '([^/]+)'
_OWN_ROUTES = (
    route('/redfish', GET=(None, versions)),
    route(ROOT, GET=(None, service_root)),
    route(ROOT + r'/\$metadata', GET=(None, metadata)),
    route(ROOT + '/odata', GET=(None, odata)),
    route(ROOT + '/Systems', GET=(auth.LOGIN, systems)),
    route(SYSTEM, GET=(auth.LOGIN, system),
          PATCH=(auth.CONFIGURE_COMPONENTS, patch_system)),
    route(SYSTEM + '/Actions/ComputerSystem.Reset', guarded_by=SYSTEM,
          POST=(auth.CONFIGURE_COMPONENTS, system_reset)),
    route(SYSTEM + '/ResetActionInfo', GET=(auth.LOGIN, reset_action_info)),
    route(ROOT + '/Chassis', GET=(auth.LOGIN, chassis_collection)),
    route(CHASSIS, GET=(auth.LOGIN, chassis),
          PATCH=(auth.CONFIGURE_COMPONENTS, patch_chassis)),
    route(ROOT + '/Managers', GET=(auth.LOGIN, managers)),
    route(MANAGER, GET=(auth.LOGIN, manager)),
    route(MANAGER + '/Actions/Manager.Reset', guarded_by=MANAGER,
          POST=(auth.CONFIGURE_MANAGER, manager_reset)),
    route(ROOT + '/SessionService', GET=(auth.LOGIN, session_service),
          PATCH=(auth.CONFIGURE_MANAGER, patch_session_service)),
    route(SESSIONS, GET=(auth.LOGIN, sessions), POST=(None, login)),
    route(SESSIONS + '/' + _ID, GET=(auth.LOGIN, session),
          DELETE=(auth.LOGIN, logout)),
    route(ROOT + '/AccountService', GET=(auth.LOGIN, account_service)),
    route(ACCOUNTS, GET=(auth.LOGIN, accounts),
          POST=(auth.CONFIGURE_USERS, create_account)),
    route(ACCOUNTS + '/' + _ID, GET=(auth.LOGIN, account),
          PATCH=(auth.CONFIGURE_SELF, patch_account),
          DELETE=(auth.CONFIGURE_USERS, delete_account)),
    route(ROLES_URI, GET=(auth.LOGIN, roles)),
    route(ROLES_URI + '/' + _ID, GET=(auth.LOGIN, role)),
    route(ROOT + '/Registries', GET=(auth.LOGIN, registries)),
    route(ROOT + '/Registries/' + _ID, GET=(auth.LOGIN, registry)),
)
# (BIOS first: its registry is under Registries/, whose id route would
# take it)
ROUTES = bios.ROUTES + _OWN_ROUTES + logs.ROUTES + sensors.ROUTES + \
    network.ROUTES + update.ROUTES + inventory.ROUTES + media.ROUTES + \
    protocol.ROUTES
