"""``Command``'s IPv4 LAN configuration (IPMI v2.0 section 23), drop-in
with pyghmi 1.6.19's ``get_net_configuration`` /
``set_net_configuration``.

A change of several parameters is made under "set in progress"
(parameter 0): taken first, committed, and always released, also when a
write fails; if another manager holds it, nothing is written and the
caller is told so.  Arguments are checked before anything is sent.
"""

import ipaddress
from typing import Any, Callable, Dict, Optional, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import users
from pyghmi.ipmi.private.server import lanconfig as lan


def _check_ipv4(name, value, prefix_allowed=False):
    try:
        if prefix_allowed and '/' in value:
            return ipaddress.IPv4Interface(value)
        return ipaddress.IPv4Address(value)
    except (ValueError, TypeError):
        raise exc.InvalidParameterValue(
            '%s: an IPv4 address%s, not %r' % (
                name, ' (optionally /prefix)' if prefix_allowed else '',
                value)) from None


def _check_ipv6_list(addresses):
    """``addresses`` as IPv6Interface objects (prefix 64 by default);
    None stays None."""
    if addresses is None:
        return None
    if isinstance(addresses, str):
        addresses = [addresses]
    out = []
    for value in addresses:
        text = value if isinstance(value, str) and '/' in value \
            else '%s/64' % (value,)
        try:
            out.append(ipaddress.IPv6Interface(text))
        except (ValueError, TypeError):
            raise exc.InvalidParameterValue(
                'static_addresses: an IPv6 address[/prefix], not %r'
                % (value,)) from None
    return out


class NetFlows:
    """LAN configuration methods as flows (:mod:`.flows`), which both
    Commands run (see the module text)."""

    _channel_flow: Callable[..., Any]               # the users area's

    def _lan_param(self, channel, param, selector=0):
        """A parameter's data (without the revision), or None when the
        BMC does not support it (0x80) or answers another revision."""
        try:
            data = bytes((yield flows.Xraw(
                const.NETFN_TRANSPORT, lan.CMD_GET_LAN_CONFIG,
                data=lan.get_request(channel, param, selector)))['data'])
        except exc.IpmiException as err:
            if err.ipmicode == lan.CC_NOT_SUPPORTED:
                return None
            raise
        if not data or data[0] != lan.REVISION:
            return None
        return data[1:]

    def _lan_address(self, channel, param):
        data = yield from self._lan_param(channel, param)
        if data is None or len(data) != 4:
            return None
        text = str(ipaddress.IPv4Address(data))
        return None if text == '0.0.0.0' else text

    def _lan_mac(self, channel, param):
        data = yield from self._lan_param(channel, param)
        if data is None or len(data) != 6 or not any(data):
            return None
        return ':'.join('%02x' % b for b in data)

    @flows.public
    def get_net_configuration(self, channel: Optional[int] = None,
                              gateway_macs: bool = True):
        """The IPv4 settings of the LAN channel.

        :returns: ``{'ipv4_address': 'a.b.c.d/prefix' or None,
            'ipv4_configuration': 'Static' | 'DHCP' | 'BIOS' | 'Other' |
            'Unspecified', 'mac_address', 'ipv4_gateway',
            'ipv4_backup_gateway', 'ipv4_gateway_mac',
            'ipv4_backup_gateway_mac'`` (the two MACs only with
            ``gateway_macs``)``, 'vlan_id': id or 'off'}``, plus what the
            vendor handler adds
        """
        channel = yield from self._channel_flow(channel)
        out: Dict[str, Any] = {}
        address = yield from self._lan_address(channel, lan.P_IP)
        if address is None:
            out['ipv4_address'] = None
        else:
            mask = yield from self._lan_param(channel, lan.P_NETMASK)
            try:
                prefix = lan.mask_to_prefix(mask)
            except (ValueError, TypeError):
                raise exc.BmcErrorException(
                    'The BMC reports an invalid subnet mask')
            out['ipv4_address'] = '%s/%d' % (address, prefix)
        source = yield from self._lan_param(channel, lan.P_IP_SOURCE)
        out['ipv4_configuration'] = lan.IP_SOURCES.get(
            source[0] & 0x0F if source else 0, 'Unspecified')
        out['mac_address'] = (yield from self._lan_mac(channel, lan.P_MAC))
        out['ipv4_gateway'] = yield from self._lan_address(channel,
                                                           lan.P_GATEWAY)
        out['ipv4_backup_gateway'] = (yield from self._lan_address(
            channel, lan.P_BACKUP_GATEWAY))
        if gateway_macs:
            out['ipv4_gateway_mac'] = yield from self._lan_mac(
                channel, lan.P_GATEWAY_MAC)
            out['ipv4_backup_gateway_mac'] = (yield from self._lan_mac(
                channel, lan.P_BACKUP_GATEWAY_MAC))
        vlan = yield from self._lan_param(channel, lan.P_VLAN)
        if vlan is None or len(vlan) != 2:
            out['vlan_id'] = None
        else:
            value = int.from_bytes(vlan, 'little')
            out['vlan_id'] = value & 0x0FFF \
                if value & lan.VLAN_ENABLED else 'off'
        yield from flows.vendor('add_extra_net_configuration',
                                out, channel)
        return out

    @flows.public
    def set_net_configuration(self, ipv4_address: Optional[str] = None,
                              ipv4_configuration: Optional[str] = None,
                              ipv4_gateway: Optional[str] = None,
                              vlan_id: Union[int, str, None] = None,
                              channel: Optional[int] = None,
                              vlan_priority: Optional[int] = None):
        """Change the given IPv4 settings, leaving the others alone.

        :param ipv4_address: 'a.b.c.d' or 'a.b.c.d/prefix' (the prefix
            sets the subnet mask)
        :param ipv4_configuration: 'Static' or 'DHCP'
        :param ipv4_gateway: 'a.b.c.d'
        :param vlan_id: 1-4094, or 'off' / 0 to disable VLAN tagging
        :param vlan_priority: 802.1q priority 0-7 (LAN parameter 21; an
            addition to pyghmi's arguments)
        :raises InvalidParameterValue: a bad value (nothing is sent)
        :raises IpmiException: another manager holds "set in progress",
            or the BMC refused a value (then the change is released)
        """
        writes = self._net_writes(ipv4_address, ipv4_configuration,
                                  ipv4_gateway, vlan_id)
        if vlan_priority is not None:
            writes.append((lan.P_VLAN_PRIORITY, bytes((args.integer(
                'vlan_priority', vlan_priority, 0, 7),))))
        if not writes:
            return None
        channel = yield from self._channel_flow(channel)
        yield from self._write_locked(channel, writes)
        return None

    @flows.public
    def get_vlan_priority(self, channel: Optional[int] = None):
        """The 802.1q priority of the LAN channel (parameter 21), or
        None when the BMC has no such parameter."""
        channel = yield from self._channel_flow(channel)
        data = yield from self._lan_param(channel, lan.P_VLAN_PRIORITY)
        return data[0] & 0x07 if data else None

    @flows.public
    def get_net6_configuration(self, channel: Optional[int] = None):
        """The static IPv6 settings of the LAN channel (parameters 55,
        56 and 65).

        :returns: ``{'static_addrs': ['address/prefix', ...],
            'static_gateway': 'address'}``; ``static_addrs`` lists the
            enabled static address slots in slot order and is left out
            when none is enabled; the gateway is ``'::'`` when unset
        :raises UnsupportedFunctionality: the BMC has no IPv6 parameters
        :raises BmcErrorException: a malformed answer
        """
        channel = yield from self._channel_flow(channel)
        count = yield from self._lan_param(channel, lan.P_IP6_STATIC_COUNT)
        slots = count[0] if count else 1
        out: Dict[str, Any] = {}
        addresses = []
        for selector in range(slots):
            block = yield from self._lan_param(channel, lan.P_IP6_STATIC,
                                               selector)
            if block is None:
                if selector == 0:
                    raise exc.UnsupportedFunctionality(
                        'This BMC has no static IPv6 address parameters')
                break
            if len(block) < 19:
                raise exc.BmcErrorException(
                    'The BMC answered a short IPv6 address block')
            if block[1] & lan.IP6_ENABLED:
                addresses.append('%s/%d' % (
                    ipaddress.IPv6Address(block[2:18]), block[18]))
        if addresses:
            out['static_addrs'] = addresses
        gateway = yield from self._lan_param(channel, lan.P_IP6_ROUTER1)
        if gateway is None or len(gateway) < 16:
            raise exc.BmcErrorException(
                'The BMC did not answer its IPv6 static router address')
        out['static_gateway'] = str(ipaddress.IPv6Address(gateway[:16]))
        return out

    @flows.public
    def set_net6_configuration(self, static_addresses: Optional[list] = None,
                               static_gateway: Optional[str] = None,
                               channel: Optional[int] = None):
        """Set the static IPv6 addresses and gateway (under "set in
        progress"), leaving what is not given alone.

        :param static_addresses: the whole list of static addresses,
            ``'address/prefix'`` (prefix 64 when left out), one per slot
            of the BMC in order; slots beyond the list are disabled, so
            ``[]`` removes them all
        :param static_gateway: the static router address; ``'::'``
            clears it
        :raises InvalidParameterValue: a bad address, or more addresses
            than the BMC has slots (nothing is sent)
        """
        addresses = _check_ipv6_list(static_addresses)
        gateway = None
        if static_gateway is not None:
            try:
                gateway = ipaddress.IPv6Address(static_gateway)
            except (ValueError, TypeError):
                raise exc.InvalidParameterValue(
                    'static_gateway: an IPv6 address, not %r'
                    % (static_gateway,)) from None
        if addresses is None and gateway is None:
            return None
        channel = yield from self._channel_flow(channel)
        writes = []
        if addresses is not None:
            count = yield from self._lan_param(channel, lan.P_IP6_STATIC_COUNT)
            slots = count[0] if count else 1
            if len(addresses) > slots:
                raise exc.InvalidParameterValue(
                    'static_addresses: this BMC holds %d static IPv6 '
                    'addresses, %d given' % (slots, len(addresses)))
            for selector in range(slots):
                iface = addresses[selector] \
                    if selector < len(addresses) else None
                writes.append((lan.P_IP6_STATIC, lan.ip6_static_block(
                    selector, iface and iface.ip,
                    iface.network.prefixlen if iface else 64)))
        if gateway is not None:
            config = yield from self._lan_param(channel,
                                                lan.P_IP6_ROUTER_CONFIG)
            if config is not None and config:
                flag = lan.IP6_ROUTER1_ENABLED if int(gateway) else 0
                writes.append((lan.P_IP6_ROUTER_CONFIG, bytes((
                    config[0] & ~lan.IP6_ROUTER1_ENABLED | flag,))))
            writes.append((lan.P_IP6_ROUTER1, gateway.packed))
        yield from self._write_locked(channel, writes)
        return None

    @flows.public
    def get_cipher_suite_privileges(self, channel: Optional[int] = None):
        """The highest privilege each RMCP+ cipher suite allows on the
        channel (LAN parameters 22-24).

        :returns: ``{suite id: 'callback' | 'user' | 'operator' |
            'administrator' | 'proprietary' | 'reserved'}``
        :raises UnsupportedFunctionality: the BMC has no such parameters
        """
        channel = yield from self._channel_flow(channel)
        ids = yield from self._lan_param(channel, lan.P_SUITE_IDS)
        privs = yield from self._lan_param(channel, lan.P_SUITE_PRIVILEGES)
        count = yield from self._lan_param(channel, lan.P_SUITE_COUNT)
        if not ids or not privs or not count:
            raise exc.UnsupportedFunctionality(
                'This BMC does not report cipher suite privileges')
        suites = list(ids[1:1 + count[0]])
        levels = lan.unpack_nibbles(privs[1:])
        return {suite: users.PRIVILEGE_NAMES.get(level, 'reserved')
                for suite, level in zip(suites, levels)}

    @flows.public
    def set_cipher_suite_privileges(self, privileges: Dict[int, str],
                                    channel: Optional[int] = None):
        """Set the highest privilege of some cipher suites, leaving the
        others as they are (under "set in progress").

        :param privileges: ``{suite id: privilege name}``
        :raises InvalidParameterValue: an unknown privilege, or a suite
            the BMC does not list
        """
        if not isinstance(privileges, dict) or not privileges:
            raise exc.InvalidParameterValue(
                'privileges: a non-empty {suite id: privilege} dict')
        for suite, name in privileges.items():
            if name not in users.PRIVILEGES or name == 'no_access':
                raise exc.InvalidParameterValue(
                    'privileges: %r is not a privilege name' % (name,))
        current = yield from _flow.get_cipher_suite_privileges(self, channel)
        unknown = set(privileges) - set(current)
        if unknown:
            raise exc.InvalidParameterValue(
                'privileges: suites %s are not offered (offered: %s)' % (
                    sorted(unknown), sorted(current)))
        merged = dict(current)
        merged.update(privileges)
        levels = [users.PRIVILEGES[merged[suite]] for suite in current]
        levels += [0] * (lan.SUITE_ENTRIES - len(levels))
        data = b'\x00' + lan.pack_nibbles(levels)
        channel = yield from self._channel_flow(channel)
        yield from self._write_locked(channel,
                                      [(lan.P_SUITE_PRIVILEGES, data)])

    def _write_locked(self, channel, writes):
        """Write ``[(parameter, data)]`` in order under "set in
        progress": taken first, committed, and released also when a
        write fails (not when the caller is cancelled: a flow closed
        mid-way sends nothing more)."""
        locked = yield from self._set_in_progress(channel,
                                                  lan.SET_IN_PROGRESS)
        try:
            for param, data in writes:
                yield flows.Xraw(const.NETFN_TRANSPORT,
                                 lan.CMD_SET_LAN_CONFIG,
                                 data=lan.set_request(channel, param, data))
            if locked:
                yield from self._set_in_progress(channel, lan.COMMIT_WRITE)
        except Exception:
            if locked:
                yield from self._set_in_progress(channel, lan.SET_COMPLETE)
            raise
        if locked:
            yield from self._set_in_progress(channel, lan.SET_COMPLETE)

    @staticmethod
    def _net_writes(ipv4_address, ipv4_configuration, ipv4_gateway,
                    vlan_id):
        """The ``(parameter, data)`` writes of a change, checked."""
        writes = []
        if ipv4_configuration is not None:
            sources = {'static': 1, 'dhcp': 2}
            key = str(ipv4_configuration).lower()
            if key not in sources:
                raise exc.InvalidParameterValue(
                    "ipv4_configuration: 'Static' or 'DHCP', not %r"
                    % (ipv4_configuration,))
            writes.append((lan.P_IP_SOURCE, bytes((sources[key],))))
        if ipv4_address is not None:
            value = _check_ipv4('ipv4_address', ipv4_address, True)
            if isinstance(value, ipaddress.IPv4Interface):
                writes.append((lan.P_IP, value.ip.packed))
                writes.append((lan.P_NETMASK, value.netmask.packed))
            else:
                writes.append((lan.P_IP, value.packed))
        if ipv4_gateway is not None:
            writes.append((lan.P_GATEWAY, _check_ipv4(
                'ipv4_gateway', ipv4_gateway).packed))
        if vlan_id is not None:
            if vlan_id in ('off', 0, '0'):
                value = 0
            else:
                try:
                    number = int(vlan_id)
                except (TypeError, ValueError):
                    number = -1
                if not 1 <= number <= 4094:
                    raise exc.InvalidParameterValue(
                        "vlan_id: 1-4094 or 'off', not %r" % (vlan_id,))
                value = number | lan.VLAN_ENABLED
            writes.append((lan.P_VLAN, value.to_bytes(2, 'little')))
        return writes

    def _set_in_progress(self, channel, state):
        """Write parameter 0; False when the BMC does not have it.

        :raises IpmiException: another manager holds it (0x81)
        """
        try:
            yield flows.Xraw(const.NETFN_TRANSPORT, lan.CMD_SET_LAN_CONFIG,
                             data=lan.set_request(
                                 channel, lan.P_SET_IN_PROGRESS,
                                 bytes((state,))))
        except exc.IpmiException as err:
            if err.ipmicode == lan.CC_SET_IN_PROGRESS:
                raise exc.IpmiException(
                    'Another manager is changing the LAN settings of '
                    'this BMC (set in progress); nothing was written',
                    code=err.ipmicode) from None
            if err.ipmicode in (lan.CC_NOT_SUPPORTED,
                                const.CC_INVALID_DATA_FIELD):
                return False
            raise
        return True


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods)
_flow = NetFlows


@flows.drives(NetFlows)
class NetCommands(NetFlows):
    """LAN configuration methods of the blocking ``Command``."""
