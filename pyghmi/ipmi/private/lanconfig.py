"""LAN configuration parameters (IPMI v2.0 section 23): the codecs of
Get/Set LAN Configuration Parameters and the BMC side's parameter store.

Parameters used here (table 23-4): 0 set in progress, 1 authentication
type support (read only), 3 IP address, 4 IP address source, 5 MAC
address, 6 subnet mask, 12 default gateway, 13 its MAC, 14 backup
gateway, 15 its MAC, 20 802.1q VLAN id (bit 15: enabled), 21 VLAN
priority.  Every answer starts with the parameter revision, 11h.
"""

import ipaddress

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.layout import B, F, Layout, Raw, U

CMD_SET_LAN_CONFIG = 0x01
CMD_GET_LAN_CONFIG = 0x02
REVISION = 0x11
P_SET_IN_PROGRESS, P_AUTH_SUPPORT, P_IP, P_IP_SOURCE, P_MAC = 0, 1, 3, 4, 5
P_NETMASK, P_GATEWAY, P_GATEWAY_MAC = 6, 12, 13
P_BACKUP_GATEWAY, P_BACKUP_GATEWAY_MAC, P_VLAN, P_VLAN_PRIORITY = (
    14, 15, 20, 21)
# RMCP+ cipher suites: entry count (22), suite ids (23: a reserved byte,
# then one id per entry), and per entry the highest privilege allowed
# (24: a reserved byte, then one nibble per entry, low nibble first).
P_SUITE_COUNT, P_SUITE_IDS, P_SUITE_PRIVILEGES = 22, 23, 24
SUITE_ENTRIES = 16
# Set In Progress values (parameter 0, bits 1:0).
SET_COMPLETE, SET_IN_PROGRESS, COMMIT_WRITE = 0, 1, 2
# Completion codes of these commands (tables 23-2, 23-3).
CC_NOT_SUPPORTED = 0x80
CC_SET_IN_PROGRESS = 0x81      # "set in progress" held by someone else
CC_READ_ONLY = 0x82
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
         P_VLAN_PRIORITY: 1, P_SUITE_PRIVILEGES: 9}
READ_ONLY = (P_AUTH_SUPPORT, P_SUITE_COUNT, P_SUITE_IDS)


def get_request(channel, parameter):
    """Request data reading ``parameter`` of ``channel``."""
    return GET_REQUEST.encode(channel=channel, parameter=parameter)


def set_request(channel, parameter, data):
    """Request data writing ``data`` to ``parameter`` of ``channel``."""
    return bytes((channel & 0x0F, parameter)) + bytes(data)


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


class LanStore:
    """A BMC's LAN parameters (one LAN channel), with "set in progress".

    :param values: ``{parameter: bytes}`` initial values
    """

    def __init__(self, values):
        self.values = dict(values)
        self.values.setdefault(P_SET_IN_PROGRESS, bytes((SET_COMPLETE,)))
        self.values.setdefault(P_AUTH_SUPPORT, b'\x00')

    def get(self, data):
        """Answer Get LAN Configuration Parameters: (code, data)."""
        req = GET_REQUEST.decode(data)
        if req['revision_only']:
            return const.CC_OK, bytes((REVISION,))
        value = self.values.get(req['parameter'])
        if value is None:
            return CC_NOT_SUPPORTED, b''
        return const.CC_OK, bytes((REVISION,)) + value

    def set(self, data):
        """Answer Set LAN Configuration Parameters: (code, data)."""
        req = SET_REQUEST.decode(data)
        param, value = req['parameter'], bytes(req['data'])
        if param in READ_ONLY:
            return CC_READ_ONLY, b''
        if param not in SIZES:
            return CC_NOT_SUPPORTED, b''
        if len(value) != SIZES[param]:
            return const.CC_DATA_LENGTH_INVALID, b''
        if param == P_SET_IN_PROGRESS:
            return self._set_in_progress(value[0] & 3)
        if param == P_IP_SOURCE and value[0] & 0x0F not in IP_SOURCES:
            return const.CC_INVALID_DATA_FIELD, b''
        self.values[param] = value
        return const.CC_OK, b''

    def _set_in_progress(self, state):
        current = self.values[P_SET_IN_PROGRESS][0] & 3
        if state == SET_IN_PROGRESS and current == SET_IN_PROGRESS:
            return CC_SET_IN_PROGRESS, b''
        if state == COMMIT_WRITE:
            return const.CC_OK, b''       # values apply as written
        if state not in (SET_COMPLETE, SET_IN_PROGRESS):
            return const.CC_INVALID_DATA_FIELD, b''
        self.values[P_SET_IN_PROGRESS] = bytes((state,))
        return const.CC_OK, b''
