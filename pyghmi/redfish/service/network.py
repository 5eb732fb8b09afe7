"""The manager's network interface over Redfish: the IPMI LAN channel's
configuration parameters (section 23: address, source, mask, gateway,
MAC, VLAN), read and changed in the same store Get/Set LAN
Configuration Parameters use, so ``ipmitool lan print`` and Redfish
agree at once.
"""

import ipaddress

from pyghmi.ipmi.private.server import lanconfig
from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import (
    MANAGER, collection, json_object, only, route, status)
from pyghmi.redfish.service.errors import RedfishError

INTERFACES = MANAGER + '/EthernetInterfaces'
INTERFACE = INTERFACES + '/1'
SOURCE_STATIC, SOURCE_DHCP = 1, 2
_ORIGINS = {SOURCE_STATIC: 'Static', SOURCE_DHCP: 'DHCP'}


def _store(ctx):
    lan = getattr(ctx.machine.bmc, 'lan', None)
    if lan is None:
        raise RedfishError(404, 'ResourceNotFound', 'EthernetInterface', '1')
    return lan


def _ip(values, param):
    return str(ipaddress.IPv4Address(values.get(param, b'\0' * 4)[:4]))


def _mac(values):
    return ':'.join('%02x' % b for b in values.get(lanconfig.P_MAC,
                                                   b'\0' * 6)[:6])


def interfaces(ctx):
    _store(ctx)
    return collection(INTERFACES, 'EthernetInterface',
                      'Ethernet Interface Collection', [INTERFACE])


def interface(ctx):
    """The LAN channel as an EthernetInterface."""
    if ctx.ids and ctx.ids[0] != '1':
        raise RedfishError(404, 'ResourceNotFound', 'EthernetInterface',
                           ctx.ids[0])
    values = _store(ctx).values
    source = values.get(lanconfig.P_IP_SOURCE, b'\x01')[0] & 0x0F
    address = {'Address': _ip(values, lanconfig.P_IP),
               'SubnetMask': _ip(values, lanconfig.P_NETMASK),
               'Gateway': _ip(values, lanconfig.P_GATEWAY),
               'AddressOrigin': _ORIGINS.get(source, 'Static')}
    vlan = int.from_bytes(values.get(lanconfig.P_VLAN, b'\0\0')[:2],
                          'little')
    body = {
        '@odata.id': INTERFACE,
        '@odata.type': '#EthernetInterface.v1_6_0.EthernetInterface',
        'Id': '1', 'Name': 'Manager Ethernet Interface',
        'InterfaceEnabled': True, 'LinkStatus': 'LinkUp',
        'Status': status(), 'MACAddress': _mac(values),
        'PermanentMACAddress': _mac(values),
        'IPv4Addresses': [address],
        'DHCPv4': {'DHCPEnabled': source == SOURCE_DHCP},
        'VLAN': {'VLANEnable': bool(vlan & 0x8000),
                 'VLANId': vlan & 0x0FFF},
    }
    if source != SOURCE_DHCP:
        body['IPv4StaticAddresses'] = [
            {k: address[k] for k in ('Address', 'SubnetMask', 'Gateway')}]
    return body


def _address(value, name):
    try:
        return ipaddress.IPv4Address(value).packed
    except (ipaddress.AddressValueError, ValueError, TypeError):
        raise RedfishError(400, 'PropertyValueTypeError', value, name)


def patch_interface(ctx, body):
    """PATCH: IPv4StaticAddresses (the first) and DHCPv4.DHCPEnabled, as
    Set LAN Configuration Parameters 3, 4, 6 and 12 would."""
    store = _store(ctx)
    only(body, ('IPv4StaticAddresses', 'DHCPv4'),
         readonly=('Id', 'Name', 'MACAddress', 'PermanentMACAddress',
                   'IPv4Addresses', 'Status', 'LinkStatus', 'VLAN'))
    changes = {}
    statics = body.get('IPv4StaticAddresses')
    if statics is not None:
        if not isinstance(statics, list) or len(statics) != 1:
            raise RedfishError(400, 'PropertyValueTypeError', statics,
                               'IPv4StaticAddresses')
        item = json_object(statics[0], 'IPv4StaticAddresses')
        only(item, ('Address', 'SubnetMask', 'Gateway'))
        for key, param in (('Address', lanconfig.P_IP),
                           ('SubnetMask', lanconfig.P_NETMASK),
                           ('Gateway', lanconfig.P_GATEWAY)):
            if key in item:
                changes[param] = _address(item[key], key)
        changes[lanconfig.P_IP_SOURCE] = bytes((SOURCE_STATIC,))
    dhcp = body.get('DHCPv4')
    if dhcp is not None:
        only(json_object(dhcp, 'DHCPv4'), ('DHCPEnabled',))
        enabled = dhcp.get('DHCPEnabled')
        if not isinstance(enabled, bool):
            raise RedfishError(400, 'PropertyValueTypeError', enabled,
                               'DHCPEnabled')
        changes[lanconfig.P_IP_SOURCE] = bytes(
            (SOURCE_DHCP if enabled else SOURCE_STATIC,))
    store.values.update(changes)
    if changes:
        ctx.machine.bmc.lan_changed()
    return 200, interface(ctx), {}


ROUTES = (
    route(INTERFACES, GET=(auth.LOGIN, interfaces)),
    route(INTERFACES + '/([^/]+)', GET=(auth.LOGIN, interface),
          PATCH=(auth.CONFIGURE_MANAGER, patch_interface)),
)
