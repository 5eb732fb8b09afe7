"""LAN configuration parameters (IPMI v2.0 section 23): the codecs of
Get/Set LAN Configuration Parameters and the BMC side's parameter store.

Parameters used here (table 23-4): 0 set in progress, 1 authentication
type support (read only), 3 IP address, 4 IP address source, 5 MAC
address, 6 subnet mask, 12 default gateway, 13 its MAC, 14 backup
gateway, 15 its MAC, 20 802.1q VLAN id (bit 15: enabled), 21 VLAN
priority.  Every answer starts with the parameter revision, 11h.
"""

import ipaddress
from typing import Any, Dict

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U
from pyghmi.ipmi.private.server import paramstore

CMD_SET_LAN_CONFIG = const.CMD_SET_LAN_CONFIG
CMD_GET_LAN_CONFIG = const.CMD_GET_LAN_CONFIG
# Shared with every configuration parameter command (paramstore.py).
REVISION = paramstore.REVISION
SET_COMPLETE, SET_IN_PROGRESS, COMMIT_WRITE = (
    paramstore.SET_COMPLETE, paramstore.SET_IN_PROGRESS,
    paramstore.COMMIT_WRITE)
CC_NOT_SUPPORTED, CC_SET_IN_PROGRESS, CC_READ_ONLY = (
    paramstore.CC_NOT_SUPPORTED, paramstore.CC_SET_IN_PROGRESS,
    paramstore.CC_READ_ONLY)
P_SET_IN_PROGRESS, P_AUTH_SUPPORT, P_IP, P_IP_SOURCE, P_MAC = 0, 1, 3, 4, 5
P_NETMASK, P_GATEWAY, P_GATEWAY_MAC = 6, 12, 13
P_BACKUP_GATEWAY, P_BACKUP_GATEWAY_MAC, P_VLAN, P_VLAN_PRIORITY = (
    14, 15, 20, 21)
# RMCP+ cipher suites: entry count (22), suite ids (23: a reserved byte,
# then one id per entry), and per entry the highest privilege allowed
# (24: a reserved byte, then one nibble per entry, low nibble first).
P_SUITE_COUNT, P_SUITE_IDS, P_SUITE_PRIVILEGES = 22, 23, 24
SUITE_ENTRIES = 16
# IPv6 (table 23-4, parameters 50-80): support (50, read only), enables
# (51: 0 IPv4 only, 1 IPv6 only, 2 both), status (55, read only: static
# address slots, dynamic address slots, DHCPv6/SLAAC support bits),
# static addresses (56, one per set selector: selector, source (bit 7
# enabled), 16-byte address, prefix length, status),
# static router configuration (64, bit 0 uses router 1), static router 1
# address (65).
P_IP6_SUPPORT, P_IP6_ENABLES, P_IP6_STATIC_COUNT = 50, 51, 55
P_IP6_STATIC, P_IP6_ROUTER_CONFIG, P_IP6_ROUTER1 = 56, 64, 65
IP6_ROUTER1_ENABLED = 0x01
# The rest of the static router parameters: router 1's MAC (66), prefix
# length (67) and prefix (68), then the same four for router 2 (69-72).
IP6_ROUTER_SIZES = {66: 6, 67: 1, 68: 16, 69: 16, 70: 6, 71: 1, 72: 16}
IP6_STATIC_SIZE = 20           # selector, source, address, prefix, status
IP6_ENABLED = 0x80
# LAN alerting: the SNMP community of traps (16, 18 bytes, NUL padded),
# the number of destinations (17, read only, bits 3:0; selector 0 is the
# volatile one, 1..N non-volatile), per destination its type (18:
# selector, bit 7 acknowledge + bits 2:0 type, acknowledge time-out in
# seconds, retries bits 2:0) and address (19: selector, format bits 7:4
# (0 IPv4 + MAC, 1 IPv6), gateway selector, then IPv4 + MAC or IPv6).
P_COMMUNITY, P_ALERT_COUNT, P_ALERT_TYPE, P_ALERT_ADDRESS = 16, 17, 18, 19
COMMUNITY_SIZE = 18
ALERT_ACK = 0x80
ALERT_TYPES = {0: 'pet', 6: 'oem1', 7: 'oem2'}
ALERT_IPV4, ALERT_IPV6 = 0, 1
ALERT_ADDRESS_SIZES = {ALERT_IPV4: 13, ALERT_IPV6: 18}
IP_SOURCES = {0: 'Unspecified', 1: 'Static', 2: 'DHCP', 3: 'BIOS',
              4: 'Other'}
VLAN_ENABLED = 0x8000

GET_REQUEST = Layout('Get LAN Configuration Parameters request (23.2)', [
    B('channel', 0, 0, 4), F('revision_only', 0, 7), U('parameter', 1),
    U('set_selector', 2), U('block_selector', 3)])
SET_REQUEST = Layout('Set LAN Configuration Parameters request (23.1)', [
    B('channel', 0, 0, 4), U('parameter', 1), Raw('data', 2)],
    min_length=3)
# Sizes of the writable parameters this module knows.
SIZES = {P_SET_IN_PROGRESS: 1, P_IP: 4, P_IP_SOURCE: 1, P_MAC: 6,
         P_NETMASK: 4, P_GATEWAY: 4, P_GATEWAY_MAC: 6,
         P_BACKUP_GATEWAY: 4, P_BACKUP_GATEWAY_MAC: 6, P_VLAN: 2,
         P_VLAN_PRIORITY: 1, P_SUITE_PRIVILEGES: 9, P_IP6_ENABLES: 1,
         P_IP6_STATIC: IP6_STATIC_SIZE, P_IP6_ROUTER_CONFIG: 1,
         P_IP6_ROUTER1: 16, **IP6_ROUTER_SIZES,
         P_COMMUNITY: COMMUNITY_SIZE, P_ALERT_TYPE: 4,
         P_ALERT_ADDRESS: tuple(ALERT_ADDRESS_SIZES.values())}
READ_ONLY = (P_AUTH_SUPPORT, P_SUITE_COUNT, P_SUITE_IDS, P_IP6_SUPPORT,
             P_IP6_STATIC_COUNT, P_ALERT_COUNT)
# Parameters holding one block per set selector (the first data byte).
SELECTED = (P_IP6_STATIC, P_ALERT_TYPE, P_ALERT_ADDRESS)


def get_request(channel, parameter, selector=0):
    """Request data reading ``parameter`` of ``channel`` (set
    ``selector`` for the parameters that have one)."""
    return GET_REQUEST.encode(channel=channel, parameter=parameter,
                              set_selector=selector)


def set_request(channel, parameter, data):
    """Request data writing ``data`` to ``parameter`` of ``channel``."""
    return bytes((channel & 0x0F, parameter)) + bytes(data)


def ipv6_parameters(slots=2):
    """IPv6 parameters of a BMC with ``slots`` static addresses, IPv6
    and IPv4 both enabled, nothing configured yet."""
    values: Dict[Any, bytes] = {
        P_IP6_SUPPORT: b'\x03', P_IP6_ENABLES: b'\x02',
        P_IP6_STATIC_COUNT: bytes((slots, 0, 0)),
        P_IP6_ROUTER_CONFIG: b'\x00', P_IP6_ROUTER1: bytes(16),
        **{param: bytes(size) for param, size in IP6_ROUTER_SIZES.items()}}
    for selector in range(slots):
        values[(P_IP6_STATIC, selector)] = ip6_static_block(selector)
    return values


def alert_parameters(destinations=4, community=b'public'):
    """LAN alerting of a BMC with ``destinations`` non-volatile
    destinations (plus the volatile one), all unset PET traps."""
    values: Dict[Any, bytes] = {
        P_COMMUNITY: community.ljust(COMMUNITY_SIZE, b'\x00'),
        P_ALERT_COUNT: bytes((destinations,))}
    for selector in range(destinations + 1):
        values[(P_ALERT_TYPE, selector)] = bytes((selector, 0, 0, 0))
        values[(P_ALERT_ADDRESS, selector)] = alert_address(selector)
    return values


def alert_address(selector, address=None):
    """Parameter 19 data: ``address`` (an ``ipaddress`` address, or
    None for 0.0.0.0) of destination ``selector``, default gateway, no
    MAC (the BMC resolves it)."""
    if address is not None and address.version == 6:
        return bytes((selector, ALERT_IPV6 << 4)) + address.packed
    packed = address.packed if address is not None else bytes(4)
    return bytes((selector, ALERT_IPV4 << 4, 0)) + packed + bytes(6)


def ip6_static_block(selector, address=None, prefix=64):
    """Parameter 56 data for slot ``selector``: ``address`` (an
    ``ipaddress.IPv6Address``) enabled as a static address of
    ``prefix`` bits, or the slot disabled when ``address`` is None."""
    if address is None:                 # status 1: disabled
        return bytes((selector, 0)) + bytes(16) + bytes((prefix, 1))
    return bytes((selector, IP6_ENABLED)) + address.packed + \
        bytes((prefix, 0))


def suite_parameters(suites, privilege=4):
    """Parameters 22-24 for the cipher suites ``suites``, each allowed
    up to ``privilege`` (administrator)."""
    suites = list(suites)[:SUITE_ENTRIES]
    nibbles = [privilege] * len(suites) + [0] * (SUITE_ENTRIES - len(suites))
    return {P_SUITE_COUNT: bytes((len(suites),)),
            P_SUITE_IDS: b'\x00' + bytes(suites),
            P_SUITE_PRIVILEGES: b'\x00' + pack_nibbles(nibbles)}


def suite_privileges(values):
    """``{suite id: highest privilege}`` from parameters 22-24 in a
    ``{parameter: bytes}`` store (unused entries left out)."""
    count = values.get(P_SUITE_COUNT, b'\x00')[0]
    ids = values.get(P_SUITE_IDS, b'\x00')[1:1 + count]
    levels = unpack_nibbles(values.get(P_SUITE_PRIVILEGES, b'\x00')[1:])
    return {suite: level for suite, level in zip(ids, levels) if level}


def pack_nibbles(values):
    """Bytes holding 4-bit ``values``, the first in the low nibble."""
    values = list(values) + [0] * (len(values) % 2)
    return bytes(values[i] | values[i + 1] << 4
                 for i in range(0, len(values), 2))


def unpack_nibbles(data):
    """The 4-bit values of ``data``, low nibble first."""
    return [n for b in bytes(data) for n in (b & 0x0F, b >> 4)]


def prefix_to_mask(prefix):
    """The 4-byte subnet mask of a prefix length (0-32)."""
    return ipaddress.IPv4Network('0.0.0.0/%d' % prefix).netmask.packed


def mask_to_prefix(mask):
    """The prefix length of a 4-byte subnet mask (contiguous ones)."""
    value = int.from_bytes(bytes(mask), 'big')
    ones = bin(value).count('1')
    if value != (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF:
        raise ValueError('subnet mask %s is not contiguous'
                         % ipaddress.IPv4Address(value))
    return ones


class LanStore(paramstore.ParamStore):
    """A BMC's LAN parameters (one LAN channel), with "set in progress".

    :param values: ``{parameter or (parameter, selector): bytes}``
    """

    SIZES = SIZES
    READ_ONLY = READ_ONLY
    SELECTED = SELECTED
    GET_REQUEST = GET_REQUEST
    SET_REQUEST = SET_REQUEST

    def __init__(self, values):
        super().__init__(values)
        self.values.setdefault(P_AUTH_SUPPORT, b'\x00')

    def check(self, param, value):
        """Refuse what the specification does not allow (None)."""
        if param == P_IP_SOURCE and value[0] & 0x0F not in IP_SOURCES:
            return None
        if param == P_VLAN_PRIORITY and value[0] & 0xF8:
            return None
        if param == P_IP6_STATIC:
            if value[18] > 128 or value[1] & 0x0F:
                return None
            # the status byte is the BMC's: active or disabled
            return value[:19] + (b'\x00' if value[1] & IP6_ENABLED
                                 else b'\x01')
        if param == P_ALERT_TYPE and value[1] & 0x07 not in ALERT_TYPES:
            return None
        if param == P_ALERT_ADDRESS and len(value) != \
                ALERT_ADDRESS_SIZES.get(value[1] >> 4):
            return None
        return value
