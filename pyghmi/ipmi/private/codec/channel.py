"""Channel discovery messages (IPMI v2.0 section 22): one codec for both
ends.

Get Channel Authentication Capabilities (22.13), Get Channel Cipher Suites
(22.15, records of table 22-18) and Get Channel Info (22.24).  The client
core (``clientcore``) builds the requests and reads the answers; the BMC
core (``serversession``) and ``Bmc`` read the requests and build the
answers, all from the layouts below.
"""

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U
from pyghmi.ipmi.private.secure import crypto

# Get Channel Authentication Capabilities request (table 22-14).
AUTH_CAPS_REQUEST = Layout('Get Channel Auth Capabilities request', [
    B('channel', 0, 0, 4),
    F('ipmi20', 0, 7),
    B('privilege', 1, 0, 4),
])
# ... and response (table 22-15).
AUTH_CAPS_RESPONSE = Layout('Get Channel Auth Capabilities response', [
    U('channel', 0),
    B('auth_types', 1, 0, 6),          # IPMI 1.5: bit 0 none, 1 MD2...
    F('extended', 1, 7),               # bytes 4.. carry IPMI 2.0 data
    B('anonymous', 2, 0, 3),           # anonymous / null / non-null names
    F('user_auth_disabled', 2, 3),
    F('per_message_auth_disabled', 2, 4),
    F('kg_set', 2, 5),
    F('ipmi15', 3, 0),
    F('ipmi20', 3, 1),
    U('oem_id', 4, 3),
    U('oem_aux', 7),
])
NON_NULL_USER_NAMES = 0x04

# Get Channel Cipher Suites request and response (table 22-17).
CIPHER_SUITES_REQUEST = Layout('Get Channel Cipher Suites request', [
    B('channel', 0, 0, 4),
    U('payload_type', 1),
    B('index', 2, 0, 6),
    F('by_suite', 2, 7),
])
CIPHER_SUITES_RESPONSE = Layout('Get Channel Cipher Suites response', [
    U('channel', 0),
    Raw('records', 1),
])
RECORDS_PER_PAGE = 16            # bytes of record data in one response
MAX_PAGES = 64                   # the list index has six bits
STANDARD_RECORD, OEM_RECORD = 0xC0, 0xC1
_INTEGRITY_TAG, _CONF_TAG = 0x40, 0x80

# Get Channel Info response (table 22-29).
CHANNEL_INFO = Layout('Get Channel Info response', [
    B('channel', 0, 0, 4),
    B('medium', 1, 0, 7),
    B('protocol', 2, 0, 5),
    B('active_sessions', 3, 0, 6),
    B('session_support', 3, 6, 2),
    U('vendor_id', 4, 3),
    U('aux', 7, 2),
])
# Set / Get Channel Access (22.22, 22.23): the access byte has the
# "disable" sense for alerting and both authentications.
CMD_SET_CHANNEL_ACCESS = const.CMD_SET_CHANNEL_ACCESS
CMD_GET_CHANNEL_ACCESS = const.CMD_GET_CHANNEL_ACCESS
_ACCESS_BYTE = [B('access_mode', 1, 0, 3), F('user_auth_disabled', 1, 3),
                F('per_msg_disabled', 1, 4), F('alerting_disabled', 1, 5)]
SET_CHANNEL_ACCESS = Layout('Set Channel Access request (22.22)', [
    B('channel', 0, 0, 4), *_ACCESS_BYTE, B('access_update', 1, 6, 2),
    B('privilege', 2, 0, 4), B('privilege_update', 2, 6, 2)])
GET_CHANNEL_ACCESS_REQUEST = Layout('Get Channel Access request (22.23)', [
    B('channel', 0, 0, 4), B('read_mode', 1, 6, 2)])
GET_CHANNEL_ACCESS = Layout('Get Channel Access response (22.23)', [
    B('access_mode', 0, 0, 3), F('user_auth_disabled', 0, 3),
    F('per_msg_disabled', 0, 4), F('alerting_disabled', 0, 5),
    B('privilege', 1, 0, 4)])
ACCESS_MODES = {'disabled': 0, 'pre_boot': 1, 'always': 2, 'shared': 3}
UPDATE_MODES = {'dont_change': 0, 'non_volatile': 1, 'volatile': 2}
READ_MODES = {'non_volatile': 1, 'volatile': 2}
MEDIUM_LAN = 0x04
# Channel medium types (table 6-3) and session support (table 22-29).
MEDIUM_NAMES = {
    0: 'reserved', 1: 'IPMB', 2: 'ICMB v1.0', 3: 'ICMB v0.9',
    4: '802.3 LAN', 5: 'Asynch. Serial/Modem (RS-232)', 6: 'Other LAN',
    7: 'PCI SMBus', 8: 'SMBus v1.0/1.1', 9: 'SMBus v2.0',
    0x0A: 'reserved for USB 1.x', 0x0B: 'reserved for USB 2.x',
    0x0C: 'System Interface (KCS, SMIC, or BT)'}
SESSION_SUPPORT = {0: 'no_session', 1: 'single', 2: 'multi', 3: 'auto'}
PROTOCOL_IPMB = 0x01
MULTI_SESSION = 0x02
SESSION_LESS = 0x00
MEDIUM_IPMB = 0x01
IPMB_CHANNEL = 0
IPMI_IANA = 0x001BF2             # the IPMI forum's enterprise number


def encode_auth_caps_request(privilege, channel=const.CURRENT_CHANNEL):
    """Request data asking for IPMI 2.0 extended capabilities."""
    return AUTH_CAPS_REQUEST.encode(channel=channel, ipmi20=True,
                                    privilege=privilege)


def encode_auth_caps(channel, kg_set, auth_types=0, ipmi15=False,
                     ipmi20=True):
    """The BMC's answer: named users, Kg status, the IPMI 1.5 auth types
    (bit mask) and which session kinds are offered; a BMC without RMCP+
    leaves the IPMI 2.0 extended data out."""
    return AUTH_CAPS_RESPONSE.encode(channel=channel, extended=ipmi20,
                                     auth_types=auth_types,
                                     anonymous=NON_NULL_USER_NAMES,
                                     kg_set=bool(kg_set) and ipmi20,
                                     ipmi15=ipmi15 and ipmi20,
                                     ipmi20=ipmi20)


def supports_rmcp_plus(data):
    """True when an auth capabilities answer says IPMI 2.0 is there."""
    caps = AUTH_CAPS_RESPONSE.decode(data)
    return caps['extended'] and caps['ipmi20']


def encode_cipher_suites_request(index, channel=const.CURRENT_CHANNEL):
    """Request page ``index`` of the IPMI payload's suite records."""
    return CIPHER_SUITES_REQUEST.encode(channel=channel,
                                        payload_type=const.PAYLOAD_IPMI,
                                        index=index, by_suite=True)


def encode_suite_records(suites):
    """Record bytes (table 22-18) for the standard suites ``suites``."""
    out = bytearray()
    for suite in suites:
        auth, integrity, conf = crypto.suite_algorithms(suite)
        out += bytes((STANDARD_RECORD, suite, auth,
                      _INTEGRITY_TAG | integrity, _CONF_TAG | conf))
    return bytes(out)


def encode_cipher_suites_page(channel, records, index):
    """One page of a Get Channel Cipher Suites answer."""
    start = index * RECORDS_PER_PAGE
    return CIPHER_SUITES_RESPONSE.encode(
        channel=channel, records=records[start:start + RECORDS_PER_PAGE])


def decode_cipher_suites_page(data):
    """Record bytes of one answer page (possibly empty).

    :raises DecodeError: an empty answer
    """
    return CIPHER_SUITES_RESPONSE.decode(data)['records']


def parse_suite_records(data):
    """Standard suite ids in concatenated record bytes (table 22-18).

    OEM suites (tag C1h, with an IANA number) cannot be used and are
    skipped; algorithm bytes belong to the record before them.
    """
    suites = []
    pos = 0
    while pos < len(data):
        tag = data[pos]
        if tag == STANDARD_RECORD and pos + 1 < len(data):
            suites.append(data[pos + 1])
            pos += 2
        elif tag == OEM_RECORD and pos + 4 < len(data):
            pos += 5
        else:
            pos += 1
    return suites


def encode_channel_info(channel, active_sessions):
    """Get Channel Info answer for a multi-session LAN channel."""
    return CHANNEL_INFO.encode(
        channel=channel, medium=MEDIUM_LAN, protocol=PROTOCOL_IPMB,
        active_sessions=min(active_sessions, 63),
        session_support=MULTI_SESSION, vendor_id=IPMI_IANA)


def encode_ipmb_channel_info():
    """Get Channel Info answer for the primary IPMB (channel 0, the
    session-less bus every BMC has; table 6-1)."""
    return CHANNEL_INFO.encode(
        channel=IPMB_CHANNEL, medium=MEDIUM_IPMB, protocol=PROTOCOL_IPMB,
        active_sessions=0, session_support=SESSION_LESS,
        vendor_id=IPMI_IANA)


def requested_channel(data):
    """Channel number asked for in a Get Channel Info request.

    :raises DecodeError: empty request
    """
    if not data:
        raise DecodeError('empty Get Channel Info request')
    return data[0] & 0x0F
