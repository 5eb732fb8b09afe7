"""The BMC's network: its interfaces (IPv4, IPv6, VLAN), host name and
NTP client."""

import ipaddress
import socket
import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base


class Network(base.Base):
    """BMC network flows."""

    hostnic = None          # a vendor's id of the host's interface

    def _nic_collection(self):
        manager = yield from self.manager()
        uri = base.link(manager, 'EthernetInterfaces')
        if not uri:
            raise exc.UnsupportedFunctionality(
                'The BMC lists no network interface')
        return base.links(base.seq((yield from self.conn.get(uri)),
                                   'Members'))

    @base.listing
    def list_network_interface_names(self):
        """The ids of the BMC's network interfaces."""
        try:
            uris = yield from self._nic_collection()
        except exc.UnsupportedFunctionality:
            return
        for uri in uris:
            yield base.last_part(uri)

    def _nic_url(self, name=None):
        """Flow: the URI of interface ``name``, else of the one interface
        of the BMC (the one with the address we talk to, when several:
        host interfaces and disabled ones left out).

        :raises InvalidParameterValue: no interface ``name``
        :raises PyghmiException: several interfaces and none chosen
        """
        uris = yield from self._nic_collection()
        if name is not None:
            for uri in uris:
                if base.last_part(uri) == str(name):
                    return uri
            raise exc.InvalidParameterValue('name: no interface %r'
                                            % (name,))
        reads = yield from self.conn.read_many(
            [u for u in uris if not (self.hostnic and
                                     u.endswith('/%s' % self.hostnic))])
        ours = _addresses(self.conn.host)
        found = []
        for uri, info in reads.items():
            if not isinstance(info, dict):
                continue
            if base.obj(info, 'Links').get('HostInterface'):
                continue          # the host's interface, not the BMC's
            if info.get('InterfaceEnabled', True) is False:
                continue
            for key in ('IPv4Addresses', 'IPv6Addresses'):
                for entry in base.objects(info, key):
                    if _address(entry.get('Address')) in ours:
                        return uri
            found.append(uri)
        if len(found) != 1:
            raise exc.PyghmiException(
                'BMC does not have exactly one interface')
        return found[0]

    @base.call
    def get_net_configuration(self, name=None):
        """The BMC's IPv4 settings.

        :param name: the interface's id, when the BMC has several
        :returns: ``{'ipv4_address': 'a.b.c.d/prefix', 'mac_address',
            'ipv4_gateway', 'ipv4_configuration': 'Static' | 'DHCP'...,
            'vlan_id': id or 'off'}``
        :raises PyghmiException: no (or several) IPv4 addresses
        """
        nic = yield from self.conn.get((yield from self._nic_url(name)),
                                       cache=False)
        addresses = base.objects(nic, 'IPv4Addresses')
        if len(addresses) != 1:
            addresses = [a for a in addresses
                         if a.get('Address') != '0.0.0.0']
        if not addresses:
            raise exc.PyghmiException('Unable to locate network information')
        if len(addresses) != 1:
            raise exc.PyghmiException('Multiple IP addresses not supported')
        current = addresses[0]
        gateway = current.get('Gateway')
        return {
            'ipv4_address': '%s/%d' % (current.get('Address'),
                                       _prefix(current.get('SubnetMask'))),
            'mac_address': nic.get('MACAddress'),
            'ipv4_gateway': gateway if gateway and _prefix(gateway) else None,
            'ipv4_configuration': current.get('AddressOrigin'),
            'vlan_id': _vlan(nic)}

    @base.call
    def set_net_configuration(self, ipv4_address=None,
                              ipv4_configuration=None, ipv4_gateway=None,
                              vlan_id=None, name=None):
        """Change the BMC's IPv4 settings; what is None stays.

        :param ipv4_address: 'a.b.c.d' or 'a.b.c.d/prefix' (static)
        :param ipv4_configuration: 'dhcp' or 'static'
        :param ipv4_gateway: the default gateway (static)
        :param vlan_id: a VLAN id (1-4094), or 'off' / 0
        :param name: the interface's id, when the BMC has several
        :raises InvalidParameterValue: a malformed value, before
            anything is sent
        """
        patch, static = _ipv4_patch(ipv4_address, ipv4_configuration,
                                    ipv4_gateway, vlan_id)
        if not patch:
            return
        uri = yield from self._nic_url(name)
        try:
            yield from self.conn.write('PATCH', uri, patch)
        except exc.RedfishError:
            if not static:
                raise
            # services before IPv4StaticAddresses take IPv4Addresses
            legacy = dict(static)
            legacy['AddressOrigin'] = 'Static'
            fallback = {k: v for k, v in patch.items()
                        if k not in ('IPv4StaticAddresses', 'DHCPv4')}
            fallback['IPv4Addresses'] = [legacy]
            yield from self.conn.write('PATCH', uri, fallback)

    @base.call
    def get_net6_configuration(self, name=None):
        """The BMC's static IPv6 settings.

        :returns: ``{'static_addrs': ['addr/prefix'...], 'vlan_id': id
            or 'off'[, 'static_gateway': address]}``
        """
        nic = yield from self.conn.get((yield from self._nic_url(name)),
                                       cache=False)
        out = {'static_addrs': [
            '%s/%s' % (a.get('Address'), a.get('PrefixLength'))
            for a in base.objects(nic, 'IPv6StaticAddresses')
            if a.get('Address')]}
        for gateway in base.objects(nic, 'IPv6StaticDefaultGateways'):
            if gateway.get('Address'):
                out['static_gateway'] = gateway['Address']
        out['vlan_id'] = _vlan(nic)
        return out

    @base.call
    def set_net6_configuration(self, static_addresses=None,
                               static_gateway=None, name=None):
        """Set the BMC's static IPv6 addresses ('addr' or 'addr/prefix',
        64 when not given) and default gateway; what is None stays.

        :raises InvalidParameterValue: a malformed address
        """
        patch = {}
        if static_addresses is not None:
            patch['IPv6StaticAddresses'] = [
                _ipv6_entry(a) for a in static_addresses]
        if static_gateway:
            _check_ip(static_gateway, 6, 'static_gateway')
            patch['IPv6StaticDefaultGateways'] = [{'Address':
                                                   static_gateway}]
        if patch:
            yield from self.conn.write('PATCH',
                                       (yield from self._nic_url(name)),
                                       patch)

    @base.call
    def get_hostname(self):
        """The BMC's host name (its interface's HostName).

        :raises PyghmiException: the BMC reports none
        """
        nic = yield from self.conn.get((yield from self._nic_url()))
        hostname = base.text(nic, 'HostName')
        if hostname is None:
            raise exc.PyghmiException('The BMC reports no host name')
        return hostname

    @base.call
    def set_hostname(self, hostname):
        """Set the BMC's host name."""
        if not isinstance(hostname, str):
            raise exc.InvalidParameterValue('hostname: a text')
        yield from self.conn.write('PATCH', (yield from self._nic_url()),
                                   {'HostName': hostname})

    # ------------------------------------------------------------- NTP
    def _protocol_url(self):
        return base.link((yield from self.manager()), 'NetworkProtocol')

    @base.call
    def get_ntp_enabled(self):
        """Whether the BMC's NTP client is on (False when it has none)."""
        uri = yield from self._protocol_url()
        if not uri:
            return False
        return base.obj((yield from self.conn.get(uri)), 'NTP').get(
            'ProtocolEnabled', False)

    @base.call
    def set_ntp_enabled(self, enable):
        """Turn the BMC's NTP client on or off."""
        uri = yield from self._protocol_url()
        if uri:
            yield from self.conn.write(
                'PATCH', uri, {'NTP': {'ProtocolEnabled': bool(enable)}})

    @base.call
    def get_ntp_servers(self):
        """The NTP servers (a new list each call)."""
        uri = yield from self._protocol_url()
        if not uri:
            return []
        return list(base.seq((yield from self.conn.get(uri)), 'NTP',
                             'NTPServers'))

    @base.call
    def set_ntp_server(self, server, index=None):
        """Put ``server`` first (``index`` None: unless listed already),
        or at ``index`` (appended past the end); an empty ``server``
        removes the one at ``index``."""
        if index is not None and (not isinstance(index, int) or index < 0):
            raise exc.InvalidParameterValue('index: 0 or more, or None')
        uri = yield from self._protocol_url()
        servers = yield from self.get_ntp_servers()
        if index is None:
            if server in servers:
                return
            servers.insert(0, server)
        elif index >= len(servers):
            if not server:
                return
            servers.append(server)
        elif server:
            servers[index] = server
        else:
            del servers[index]
        if uri:
            yield from self.conn.write('PATCH', uri,
                                       {'NTP': {'NTPServers': servers}})


def _vlan(nic):
    vlan = base.obj(nic, 'VLAN')
    return vlan.get('VLANId') if vlan.get('VLANEnable') else 'off'


def _prefix(mask):
    """The prefix length of a dotted IPv4 mask (leading one bits)."""
    try:
        value = int(ipaddress.IPv4Address(mask))
    except (ipaddress.AddressValueError, ValueError):
        raise exc.PyghmiException('Unrecognized address %r' % (mask,))
    prefix = 32
    while prefix and not value & 1:
        value >>= 1
        prefix -= 1
    return prefix


def _address(text):
    try:
        return ipaddress.ip_address(str(text).split('%')[0])
    except ValueError:
        return None


def _addresses(host):
    """The addresses ``host`` names (empty when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host.strip('[]'), 0, 0,
                                   socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return set()
    return {_address(info[4][0]) for info in infos} - {None}


def _check_ip(text, version, argument):
    try:
        address = ipaddress.ip_address(text)
    except (ValueError, TypeError):
        raise exc.InvalidParameterValue('%s: not an IPv%d address: %r'
                                        % (argument, version, text))
    if address.version != version:
        raise exc.InvalidParameterValue('%s: not an IPv%d address: %r'
                                        % (argument, version, text))


def _ipv4_patch(address, configuration, gateway, vlan_id):
    """``(patch, static entry)`` of set_net_configuration's arguments."""
    patch: typing.Dict[str, typing.Any] = {}
    static: typing.Dict[str, str] = {}
    if address:
        if not isinstance(address, str):
            raise exc.InvalidParameterValue('ipv4_address: a text')
        host, _, prefix = address.partition('/')
        _check_ip(host, 4, 'ipv4_address')
        static['Address'] = host
        if prefix:
            try:
                network = ipaddress.IPv4Network('0.0.0.0/%s' % prefix)
            except ValueError:
                raise exc.InvalidParameterValue(
                    'ipv4_address: a bad prefix %r' % prefix)
            static['SubnetMask'] = str(network.netmask)
        configuration = 'static'
    if gateway:
        _check_ip(gateway, 4, 'ipv4_gateway')
        static['Gateway'] = gateway
        configuration = 'static'
    if static:
        patch['IPv4StaticAddresses'] = [static]
    if configuration is not None:
        if not isinstance(configuration, str) or \
                configuration.lower() not in ('dhcp', 'static'):
            raise exc.InvalidParameterValue(
                "ipv4_configuration: 'dhcp' or 'static'")
        patch['DHCPv4'] = {'DHCPEnabled': configuration.lower() == 'dhcp'}
    if vlan_id in ('off', 0, '0'):
        patch['VLAN'] = {'VLANEnable': False}
    elif vlan_id is not None:
        try:
            number = int(vlan_id)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 4094:
            raise exc.InvalidParameterValue(
                "vlan_id: 1-4094 or 'off', not %r" % (vlan_id,))
        patch['VLAN'] = {'VLANEnable': True, 'VLANId': number}
    return patch, static


def _ipv6_entry(text):
    if not isinstance(text, str):
        raise exc.InvalidParameterValue('static_addresses: texts')
    address, _, prefix = text.partition('/')
    _check_ip(address, 6, 'static_addresses')
    try:
        length = int(prefix or 64)
    except ValueError:
        length = -1
    if not 0 <= length <= 128:
        raise exc.InvalidParameterValue(
            'static_addresses: a bad prefix in %r' % text)
    return {'Address': address, 'PrefixLength': length}
