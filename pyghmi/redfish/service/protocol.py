"""The manager's network protocol settings over Redfish: which services
the BMC offers (IPMI on its UDP port, HTTPS on the Redfish port) and its
NTP client (enabled, servers), kept on the Bmc as ``ntp`` (fakebmc saves
it in ``--state`` through ``ntp_changed()``).
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import (
    MANAGER, json_object, only, route, status)
from pyghmi.redfish.service.errors import RedfishError

PROTOCOL = MANAGER + '/NetworkProtocol'
MAX_NTP_SERVERS = 4


def network_protocol(ctx):
    """The services and the NTP client."""
    ntp = ctx.machine.ntp()
    return {
        '@odata.id': PROTOCOL,
        '@odata.type': '#ManagerNetworkProtocol.v1_5_0.'
                       'ManagerNetworkProtocol',
        'Id': 'NetworkProtocol', 'Name': 'Manager Network Protocol',
        'Status': status(),
        'IPMI': {'ProtocolEnabled': True, 'Port': ctx.machine.ipmi_port()},
        'HTTPS': {'ProtocolEnabled': True,
                  'Port': ctx.service.port or None},
        'NTP': {'ProtocolEnabled': bool(ntp.get('enabled')),
                'NTPServers': list(ntp.get('servers', ()))},
    }


def patch_network_protocol(ctx, body):
    """PATCH of NTP (ProtocolEnabled, NTPServers); the other services
    cannot be turned off from here."""
    only(body, ('NTP',), readonly=('Id', 'Name', 'IPMI', 'HTTPS',
                                   'Status'))
    ntp = json_object(body.get('NTP', {}), 'NTP')
    only(ntp, ('ProtocolEnabled', 'NTPServers'))
    current = ctx.machine.ntp()
    if 'ProtocolEnabled' in ntp:
        if not isinstance(ntp['ProtocolEnabled'], bool):
            raise RedfishError(400, 'PropertyValueTypeError',
                               ntp['ProtocolEnabled'], 'ProtocolEnabled')
        current['enabled'] = ntp['ProtocolEnabled']
    if 'NTPServers' in ntp:
        current['servers'] = _patch_servers(current.get('servers', []),
                                            ntp['NTPServers'])
    ctx.machine.set_ntp(current)
    return 200, network_protocol(ctx), {}


def _patch_servers(current, patch):
    """An array PATCH as the specification has it: a string sets the
    element, ``{}`` leaves it unchanged, null removes it."""
    if not isinstance(patch, list) or len(patch) > MAX_NTP_SERVERS:
        raise RedfishError(400, 'PropertyValueTypeError', patch,
                           'NTPServers')
    out = []
    for index, item in enumerate(patch):
        if item == {}:
            if index < len(current):
                out.append(current[index])
        elif isinstance(item, str) and 0 < len(item) <= 255:
            out.append(item)
        elif item is not None:
            raise RedfishError(400, 'PropertyValueTypeError', item,
                               'NTPServers')
    return out


ROUTES = (
    route(PROTOCOL, GET=(auth.LOGIN, network_protocol),
          PATCH=(auth.CONFIGURE_MANAGER, patch_network_protocol)),
)
