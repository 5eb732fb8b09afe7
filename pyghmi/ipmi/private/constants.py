"""Tables from the IPMI 2.0 specification, as plain data.

Each table names the section of the IPMI v2.0 (rev. 1.1) specification it
was written from.  Nothing here has behaviour; modules look values up.
"""

import typing

from pyghmi.ipmi.private import sensortables as _tables

# Network functions (section 5.1, table 5-1).  Responses use netfn + 1.
NETFN_CHASSIS = 0x00
NETFN_BRIDGE = 0x02
NETFN_SENSOR_EVENT = 0x04
NETFN_APP = 0x06
NETFN_FIRMWARE = 0x08
NETFN_STORAGE = 0x0A
NETFN_TRANSPORT = 0x0C
NETFN_GROUP_EXTENSION = 0x2C

# Command numbers by name: the only place they are written (COMMANDS
# below holds every standard one; tests hold both to each other).
# Application commands (table G-1).
CMD_GET_DEVICE_ID = 0x01
CMD_COLD_RESET = 0x02
CMD_GET_DEVICE_GUID = 0x08
CMD_SEND_MESSAGE = 0x34
CMD_GET_SYSTEM_GUID = 0x37
CMD_GET_CHANNEL_AUTH_CAPABILITIES = 0x38
CMD_SET_SESSION_PRIVILEGE = 0x3B
CMD_CLOSE_SESSION = 0x3C
CMD_GET_CHANNEL_CIPHER_SUITES = 0x54

CMD_GET_SESSION_CHALLENGE = 0x39
CMD_ACTIVATE_SESSION = 0x3A
CMD_SET_CHANNEL_ACCESS = 0x40
CMD_GET_CHANNEL_ACCESS = 0x41
CMD_GET_CHANNEL_INFO = 0x42
CMD_SET_USER_ACCESS = 0x43
CMD_GET_USER_ACCESS = 0x44
CMD_SET_USER_NAME = 0x45
CMD_GET_USER_NAME = 0x46
CMD_SET_USER_PASSWORD = 0x47
CMD_ACTIVATE_PAYLOAD = 0x48
CMD_DEACTIVATE_PAYLOAD = 0x49
CMD_GET_PAYLOAD_ACTIVATION_STATUS = 0x4A
CMD_GET_PAYLOAD_INSTANCE_INFO = 0x4B
CMD_SET_USER_PAYLOAD_ACCESS = 0x4C
CMD_GET_USER_PAYLOAD_ACCESS = 0x4D
CMD_GET_CHANNEL_PAYLOAD_SUPPORT = 0x4E

# Chassis commands (section 28).
CMD_GET_CHASSIS_STATUS = 0x01
CMD_CHASSIS_CONTROL = 0x02
CMD_CHASSIS_IDENTIFY = 0x04
CMD_SET_BOOT_OPTIONS = 0x08
CMD_GET_BOOT_OPTIONS = 0x09

# Sensor/event commands (section 29, 30 PEF, 35; table G-1).
CMD_PLATFORM_EVENT = 0x02
CMD_GET_PEF_CAPABILITIES = 0x10
CMD_SET_PEF_CONFIG = 0x12
CMD_GET_PEF_CONFIG = 0x13
CMD_GET_DEVICE_SDR_INFO = 0x20
CMD_GET_DEVICE_SDR = 0x21
CMD_RESERVE_DEVICE_SDR = 0x22
CMD_GET_SENSOR_READING_FACTORS = 0x23
CMD_GET_SENSOR_THRESHOLDS = 0x27
CMD_GET_SENSOR_READING = 0x2D

# Storage commands (sections 34 FRU, 33 SDR, 31 SEL; table G-1).
CMD_GET_FRU_AREA_INFO = 0x10
CMD_READ_FRU_DATA = 0x11
CMD_GET_SDR_REPOSITORY_INFO = 0x20
CMD_RESERVE_SDR_REPOSITORY = 0x22
CMD_GET_SDR = 0x23
CMD_GET_SEL_INFO = 0x40
CMD_RESERVE_SEL = 0x42
CMD_GET_SEL_ENTRY = 0x43
CMD_ADD_SEL_ENTRY = 0x44
CMD_CLEAR_SEL = 0x47
CMD_GET_SEL_TIME = 0x48
CMD_SET_SEL_TIME = 0x49

# Transport commands (sections 23 LAN, 26 SOL).
CMD_SET_LAN_CONFIG = 0x01
CMD_GET_LAN_CONFIG = 0x02

# Addresses (section 5.5): the BMC's responder address and the software
# ID remote consoles use on the LAN.
BMC_SLAVE_ADDR = 0x20
REMOTE_SWID = 0x81

# Channel number meaning "the channel this request arrived on" (6.3).
CURRENT_CHANNEL = 0x0E

# Privilege levels (table 6-6 / 22-7).
PRIV_CALLBACK = 1
PRIV_USER = 2
PRIV_OPERATOR = 3
PRIV_ADMINISTRATOR = 4
PRIV_OEM = 5
PRIVILEGE_NAMES = {
    'callback': PRIV_CALLBACK,
    'user': PRIV_USER,
    'operator': PRIV_OPERATOR,
    'administrator': PRIV_ADMINISTRATOR,
    'admin': PRIV_ADMINISTRATOR,
}

# RMCP+ payload types (table 13-16).
# The IPMI (RMCP) UDP port (13.1.1).
RMCP_PORT = 623
PAYLOAD_IPMI = 0x00
PAYLOAD_SOL = 0x01
PAYLOAD_OEM = 0x02
PAYLOAD_OPEN_SESSION_REQUEST = 0x10
PAYLOAD_OPEN_SESSION_RESPONSE = 0x11
PAYLOAD_RAKP1 = 0x12
PAYLOAD_RAKP2 = 0x13
PAYLOAD_RAKP3 = 0x14
PAYLOAD_RAKP4 = 0x15

# Generic completion codes (table 5-2), by name ...
CC_OK = 0x00
CC_NODE_BUSY = 0xC0
CC_INVALID_COMMAND = 0xC1
CC_TIMEOUT = 0xC3
CC_OUT_OF_SPACE = 0xC4
CC_RESERVATION_CANCELLED = 0xC5
CC_DATA_TRUNCATED = 0xC6
CC_DATA_LENGTH_INVALID = 0xC7
CC_DATA_FIELD_LENGTH_EXCEEDED = 0xC8
CC_PARAMETER_OUT_OF_RANGE = 0xC9
CC_CANNOT_RETURN_BYTES = 0xCA
CC_NOT_PRESENT = 0xCB
CC_INVALID_DATA_FIELD = 0xCC
CC_ILLEGAL_FOR_SENSOR = 0xCD
CC_DUPLICATE_REQUEST = 0xCF
CC_INSUFFICIENT_PRIVILEGE = 0xD4
CC_NOT_IN_PRESENT_STATE = 0xD5
CC_SUBFUNCTION_DISABLED = 0xD6
CC_UNSPECIFIED = 0xFF
# ... and the pseudo code pyghmi reports for "no answer at all".
CC_NO_RESPONSE = 0xFFFF

# Answers that mean "ask for fewer bytes": the spec's 0xCA, and what
# real BMCs send instead (0xC7 length invalid, 0xC8 field length
# exceeded, 0xFF unspecified).  Every chunked reader steps down on these.
RESPONSE_TOO_LARGE = frozenset((CC_CANNOT_RETURN_BYTES,
                                CC_DATA_LENGTH_INVALID,
                                CC_DATA_FIELD_LENGTH_EXCEEDED,
                                CC_UNSPECIFIED))
# Answers that mean "this record, sensor or device is not there".
NOT_PRESENT_CODES = frozenset((CC_NOT_PRESENT, CC_ILLEGAL_FOR_SENSOR,
                               CC_NOT_IN_PRESENT_STATE))

# Command-specific completion codes used by the engine.
CC_PRIV_NOT_AVAILABLE = 0x80          # Set Session Privilege Level
CC_PRIV_EXCEEDS_LIMIT = 0x81          # Set Session Privilege Level
CC_INVALID_SESSION_ID = 0x87          # Close Session
CC_NAK_ON_WRITE = 0x83                # Send Message
CC_PARAMETER_NOT_SUPPORTED = 0x80     # Get/Set System Boot Options

COMPLETION_CODES = {
    0x00: 'Command completed normally',
    0xC0: 'Node busy',
    0xC1: 'Invalid command',
    0xC2: 'Command invalid for given LUN',
    0xC3: 'Timeout while processing command',
    0xC4: 'Out of space',
    0xC5: 'Reservation cancelled or invalid reservation ID',
    0xC6: 'Request data truncated',
    0xC7: 'Request data length invalid',
    0xC8: 'Request data field length limit exceeded',
    0xC9: 'Parameter out of range',
    0xCA: 'Cannot return number of requested data bytes',
    0xCB: 'Requested sensor, data, or record not present',
    0xCC: 'Invalid data field in request',
    0xCD: 'Command illegal for specified sensor or record type',
    0xCE: 'Command response could not be provided',
    0xCF: 'Cannot execute duplicated request',
    0xD0: 'SDR repository in update mode',
    0xD1: 'Device in firmware update mode',
    0xD2: 'BMC initialization or initialization agent in progress',
    0xD3: 'Destination unavailable',
    0xD4: 'Insufficient privilege level',
    0xD5: 'Command not supported in present state',
    0xD6: 'Command sub-function has been disabled or is unavailable',
    0xFF: 'Unspecified error',
}

# Completion code meanings that several commands of COMMANDS (below)
# share, as the specification's tables give them.
_CONFIG_SET = {
    0x80: 'Parameter not supported',
    0x81: 'Attempt to set the set-in-progress value while not in '
          'set-complete state',
    0x82: 'Attempt to write a read-only parameter',
}
_CONFIG_GET = {0x80: 'Parameter not supported'}
_CONFIG_SET_WO = dict(_CONFIG_SET)
_CONFIG_SET_WO[0x83] = 'Attempt to read a write-only parameter'
_SEL_ERASING = 'Cannot execute command, SEL erase in progress'
_NOT_FOR_RECORD = 'Operation not supported for this record type'

# RMCP+ and RAKP message status codes (table 13-15), by name ...
RMCP_OK = 0x00
RMCP_NO_RESOURCES = 0x01
RMCP_INVALID_SESSION_ID = 0x02
RMCP_INVALID_AUTH_ALGORITHM = 0x04
RMCP_INVALID_INTEGRITY_ALGORITHM = 0x05
RMCP_INVALID_ROLE = 0x09
RMCP_UNAUTHORIZED_ROLE = 0x0A
RMCP_INVALID_NAME_LENGTH = 0x0C
RMCP_UNAUTHORIZED_NAME = 0x0D
RMCP_INVALID_INTEGRITY_VALUE = 0x0F
RMCP_INVALID_CONF_ALGORITHM = 0x10
RMCP_NO_CIPHER_SUITE_MATCH = 0x11
# ... and their meanings.
RMCP_STATUS_CODES = {
    0x00: 'No errors',
    0x01: 'Insufficient resources to create a session',
    0x02: 'Invalid session ID',
    0x03: 'Invalid payload type',
    0x04: 'Invalid authentication algorithm',
    0x05: 'Invalid integrity algorithm',
    0x06: 'No matching authentication payload',
    0x07: 'No matching integrity payload',
    0x08: 'Inactive session ID',
    0x09: 'Invalid role',
    0x0A: 'Unauthorized role or privilege level requested',
    0x0B: 'Insufficient resources to create a session at the requested role',
    0x0C: 'Invalid name length',
    0x0D: 'Unauthorized name',
    0x0E: 'Unauthorized GUID',
    0x0F: 'Invalid integrity check value',
    0x10: 'Invalid confidentiality algorithm',
    0x11: 'No cipher suite match with proposed security algorithms',
    0x12: 'Illegal or unrecognized parameter',
}

# Status codes that mean "these credentials are not accepted".
RMCP_AUTH_FAILURES = frozenset((0x09, 0x0A, 0x0C, 0x0D, 0x0E, 0x0F))
# Status codes that mean "ask again with a lower role".
RMCP_ROLE_REFUSALS = frozenset((RMCP_INVALID_ROLE, RMCP_UNAUTHORIZED_ROLE))
# Status codes that mean "this cipher suite is not accepted".
RMCP_SUITE_REJECTIONS = frozenset((0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12))


def completion_text(netfn, command, code, bridged=False):
    """Return the meaning of completion ``code`` for a request.

    :param netfn: the request's network function (even number)
    :param command: the command number
    :param code: the completion code from the response
    :param bridged: the request went through Send Message (a bridge
        request), whose own refusal comes back with the same code field
    :returns: a short English description, never empty
    """
    specific = COMMAND_COMPLETION_CODES.get((netfn & 0xFE, command), {})
    relay = COMMAND_COMPLETION_CODES[NETFN_APP, CMD_SEND_MESSAGE]
    if bridged and code in relay:
        text = 'Send Message (bridging the request): %s' % relay[code]
        if code in specific:
            text = '%s, or %s' % (specific[code], text)
        return text
    if code in specific:
        return specific[code]
    if code in COMPLETION_CODES:
        return COMPLETION_CODES[code]
    if 0x01 <= code <= 0x7E:
        return 'Device specific (OEM) completion code 0x%02x' % code
    return 'Unknown completion code 0x%02x' % code


# Commands whose data carries secrets (passwords, keys): their data is
# never logged.  Set User Password (22.30), Activate Session (22.17,
# IPMI 1.5 challenge response), Set Channel Security Keys (22.25), Set
# LAN Configuration Parameters (23.1: community strings, and OEM keys).
SECRET_COMMANDS = frozenset((
    (NETFN_APP, 0x47), (NETFN_APP, 0x3A), (NETFN_APP, 0x56),
    (NETFN_TRANSPORT, 0x01),
))

# Requests a BMC may take long to answer, whose tries wait the caller's
# whole time-out instead of the measured round trip (client/rto.py):
# reservations and Clear SEL (the BMC may first finish a sweep or an
# erase), and Cold Reset; with them every request of the firmware
# (08h) and OEM (2Eh, 30h-3Fh) network functions, whose cost nobody can
# know.
SLOW_COMMANDS = frozenset((
    (NETFN_SENSOR_EVENT, CMD_RESERVE_DEVICE_SDR),
    (NETFN_STORAGE, CMD_RESERVE_SDR_REPOSITORY),
    (NETFN_STORAGE, CMD_RESERVE_SEL), (NETFN_STORAGE, CMD_CLEAR_SEL),
    (NETFN_APP, CMD_COLD_RESET),
))
NETFN_OEM_GROUP = 0x2E


def answered_slowly(netfn, cmd):
    """True for a request a BMC may take long to answer (see
    :data:`SLOW_COMMANDS`)."""
    return (netfn, cmd) in SLOW_COMMANDS or netfn == NETFN_FIRMWARE or \
        netfn == NETFN_OEM_GROUP or 0x30 <= netfn <= 0x3F


class Command(typing.NamedTuple):
    """One standard command: its numbers, its name in the specification,
    the privilege a session needs for it (None where this package does
    not check one: sessionless or not served), and its own completion
    codes (80h-BEh)."""

    netfn: int
    cmd: int
    name: str
    privilege: typing.Optional[int] = None
    codes: typing.Mapping[int, str] = {}


# Every standard command this package sends or serves: the one registry
# behind the privilege checks of the BMC side, the meaning of refusals
# and the tests that hold the modules' command numbers to it.  Sections
# are the specification's chapters; privileges as its Appendix G gives
# them (DCMI reads are user level).
COMMANDS = (
    # Chassis (28)
    Command(NETFN_CHASSIS, 0x00, 'Get Chassis Capabilities', PRIV_USER),
    Command(NETFN_CHASSIS, 0x01, 'Get Chassis Status', PRIV_USER),
    Command(NETFN_CHASSIS, 0x02, 'Chassis Control', PRIV_OPERATOR),
    Command(NETFN_CHASSIS, 0x03, 'Chassis Reset', PRIV_OPERATOR),
    Command(NETFN_CHASSIS, 0x04, 'Chassis Identify', PRIV_OPERATOR),
    Command(NETFN_CHASSIS, 0x06, 'Set Power Restore Policy', PRIV_OPERATOR),
    Command(NETFN_CHASSIS, 0x07, 'Get System Restart Cause', PRIV_USER),
    Command(NETFN_CHASSIS, 0x08, 'Set System Boot Options',
            PRIV_OPERATOR, _CONFIG_SET),
    Command(NETFN_CHASSIS, 0x09, 'Get System Boot Options',
            PRIV_OPERATOR, _CONFIG_GET),
    Command(NETFN_CHASSIS, 0x0F, 'Get POH Counter', PRIV_USER),
    # Sensor/Event (29-30, 35)
    Command(NETFN_SENSOR_EVENT, 0x02, 'Platform Event Message', PRIV_OPERATOR),
    Command(NETFN_SENSOR_EVENT, 0x10, 'Get PEF Capabilities', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x11, 'Arm PEF Postpone', PRIV_ADMINISTRATOR),
    Command(NETFN_SENSOR_EVENT, 0x12, 'Set PEF Configuration Parameters',
            PRIV_ADMINISTRATOR, _CONFIG_SET),
    Command(NETFN_SENSOR_EVENT, 0x13, 'Get PEF Configuration Parameters',
            PRIV_OPERATOR, _CONFIG_GET),
    Command(NETFN_SENSOR_EVENT, 0x20, 'Get Device SDR Info', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x21, 'Get Device SDR', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x22,
            'Reserve Device SDR Repository', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x23, 'Get Sensor Reading Factors', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x27, 'Get Sensor Thresholds', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x29, 'Get Sensor Event Enable', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x2B, 'Get Sensor Event Status', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x2D, 'Get Sensor Reading', PRIV_USER),
    Command(NETFN_SENSOR_EVENT, 0x2F, 'Get Sensor Type', PRIV_USER),
    # Application (20-27)
    Command(NETFN_APP, 0x01, 'Get Device ID', PRIV_USER),
    Command(NETFN_APP, 0x02, 'Cold Reset', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x03, 'Warm Reset', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x04, 'Get Self Test Results', PRIV_USER),
    Command(NETFN_APP, 0x08, 'Get Device GUID', PRIV_USER),
    Command(NETFN_APP, 0x22, 'Reset Watchdog Timer', PRIV_OPERATOR, {
        0x80: 'Attempt to start an un-initialized watchdog',
    }),
    Command(NETFN_APP, 0x24, 'Set Watchdog Timer', PRIV_OPERATOR),
    Command(NETFN_APP, 0x25, 'Get Watchdog Timer', PRIV_USER),
    Command(NETFN_APP, 0x33, 'Get Message', None, {
        0x80: 'Data not available (queue or buffer empty)',
    }),
    Command(NETFN_APP, 0x34, 'Send Message', PRIV_USER, {
        0x80: 'Invalid session handle',
        0x81: 'Lost arbitration',
        0x82: 'Bus error',
        0x83: 'NAK on write',
    }),
    Command(NETFN_APP, 0x35, 'Read Event Message Buffer', None, {
        0x80: 'Data not available (queue or buffer empty)',
    }),
    Command(NETFN_APP, 0x37, 'Get System GUID', PRIV_USER),
    Command(NETFN_APP, 0x38, 'Get Channel Authentication Capabilities', 0),
    Command(NETFN_APP, 0x39, 'Get Session Challenge', None, {
        0x81: 'Invalid user name',
        0x82: 'Null user name (user ID 1) not enabled',
    }),
    Command(NETFN_APP, 0x3A, 'Activate Session', None, {
        0x81: 'No session slot available',
        0x82: 'No slot available for the given user',
        0x83: 'No slot available to support the user at its maximum privilege',
        0x84: 'Session sequence number out of range',
        0x85: 'Invalid session ID in request',
        0x86: 'Requested maximum privilege level exceeds the user '
              'and/or channel privilege limit',
    }),
    Command(NETFN_APP, 0x3B, 'Set Session Privilege Level', PRIV_CALLBACK, {
        0x80: 'Requested level not available for this user',
        0x81: 'Requested level exceeds channel and/or user privilege limit',
        0x82: 'Cannot disable user level authentication',
    }),
    Command(NETFN_APP, 0x3C, 'Close Session', PRIV_CALLBACK, {
        0x87: 'Invalid session ID in request',
        0x88: 'Invalid session handle in request',
    }),
    Command(NETFN_APP, 0x3D, 'Get Session Info', PRIV_USER),
    Command(NETFN_APP, 0x40, 'Set Channel Access', PRIV_ADMINISTRATOR, {
        0x82: 'Set not supported on selected channel',
        0x83: 'Access mode not supported',
    }),
    Command(NETFN_APP, 0x41, 'Get Channel Access', PRIV_USER, {
        0x82: 'Command not supported for selected channel',
    }),
    Command(NETFN_APP, 0x42, 'Get Channel Info', PRIV_USER),
    Command(NETFN_APP, 0x43, 'Set User Access', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x44, 'Get User Access', PRIV_OPERATOR),
    Command(NETFN_APP, 0x45, 'Set User Name', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x46, 'Get User Name', PRIV_OPERATOR),
    Command(NETFN_APP, 0x47, 'Set User Password', PRIV_ADMINISTRATOR, {
        0x80: 'Password test failed',
        0x81: 'Password test failed: wrong password size',
    }),
    Command(NETFN_APP, 0x48, 'Activate Payload', PRIV_USER, {
        0x80: 'Payload already active on another session',
        0x81: 'Payload type is disabled',
        0x82: 'Payload activation limit reached',
        0x83: 'Cannot activate payload with encryption',
        0x84: 'Cannot activate payload without encryption',
    }),
    Command(NETFN_APP, 0x49, 'Deactivate Payload', PRIV_USER, {
        0x80: 'Payload already deactivated',
        0x81: 'Payload type is disabled',
    }),
    Command(NETFN_APP, 0x4A, 'Get Payload Activation Status', PRIV_USER),
    Command(NETFN_APP, 0x4B, 'Get Payload Instance Info', PRIV_USER),
    Command(NETFN_APP, 0x4C, 'Set User Payload Access', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x4D, 'Get User Payload Access', PRIV_OPERATOR),
    Command(NETFN_APP, 0x4E, 'Get Channel Payload Support', PRIV_USER),
    Command(NETFN_APP, 0x52, 'Master Write-Read', None, {
        0x81: 'Lost arbitration',
        0x82: 'Bus error',
        0x83: 'NAK on write',
        0x84: 'Truncated read',
    }),
    Command(NETFN_APP, 0x54, 'Get Channel Cipher Suites', 0),
    Command(NETFN_APP, 0x58, 'Set System Info Parameters', PRIV_ADMINISTRATOR),
    Command(NETFN_APP, 0x59, 'Get System Info Parameters', PRIV_USER),
    # Storage (31-34)
    Command(NETFN_STORAGE, 0x10, 'Get FRU Inventory Area Info', PRIV_USER),
    Command(NETFN_STORAGE, 0x11, 'Read FRU Data', PRIV_USER, {
        0x81: 'FRU device busy',
    }),
    Command(NETFN_STORAGE, 0x12, 'Write FRU Data', PRIV_OPERATOR, {
        0x80: 'Write-protected offset',
        0x81: 'FRU device busy',
    }),
    Command(NETFN_STORAGE, 0x20, 'Get SDR Repository Info', PRIV_USER),
    Command(NETFN_STORAGE, 0x21,
            'Get SDR Repository Allocation Info', PRIV_USER),
    Command(NETFN_STORAGE, 0x22, 'Reserve SDR Repository', PRIV_USER),
    Command(NETFN_STORAGE, 0x23, 'Get SDR', PRIV_USER),
    Command(NETFN_STORAGE, 0x40, 'Get SEL Info', PRIV_USER),
    Command(NETFN_STORAGE, 0x41, 'Get SEL Allocation Info', PRIV_USER),
    Command(NETFN_STORAGE, 0x42, 'Reserve SEL', PRIV_USER, {
        0x81: _SEL_ERASING,
    }),
    Command(NETFN_STORAGE, 0x43, 'Get SEL Entry', PRIV_USER, {
        0x81: _SEL_ERASING,
    }),
    Command(NETFN_STORAGE, 0x44, 'Add SEL Entry', PRIV_OPERATOR, {
        0x80: _NOT_FOR_RECORD,
        0x81: _SEL_ERASING,
    }),
    Command(NETFN_STORAGE, 0x46, 'Delete SEL Entry', PRIV_OPERATOR, {
        0x80: _NOT_FOR_RECORD,
        0x81: _SEL_ERASING,
    }),
    Command(NETFN_STORAGE, 0x47, 'Clear SEL', PRIV_OPERATOR),
    Command(NETFN_STORAGE, 0x48, 'Get SEL Time', PRIV_USER),
    Command(NETFN_STORAGE, 0x49, 'Set SEL Time', PRIV_OPERATOR),
    Command(NETFN_STORAGE, 0x5C, 'Get SEL Time UTC Offset', PRIV_USER),
    # Transport (23, 26)
    Command(NETFN_TRANSPORT, 0x01, 'Set LAN Configuration Parameters',
            PRIV_ADMINISTRATOR, _CONFIG_SET_WO),
    Command(NETFN_TRANSPORT, 0x02, 'Get LAN Configuration Parameters',
            PRIV_OPERATOR, _CONFIG_GET),
    Command(NETFN_TRANSPORT, 0x21, 'Set SOL Configuration Parameters',
            PRIV_ADMINISTRATOR, _CONFIG_SET_WO),
    Command(NETFN_TRANSPORT, 0x22, 'Get SOL Configuration Parameters',
            PRIV_USER, _CONFIG_GET),
    # DCMI, group extension DCh (DCMI 1.5 table 6-1)
    Command(NETFN_GROUP_EXTENSION, 0x01, 'Get DCMI Capabilities', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x02, 'Get Power Reading', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x03, 'Get Power Limit', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x04,
            'Set Power Limit', PRIV_ADMINISTRATOR),
    Command(NETFN_GROUP_EXTENSION, 0x05,
            'Activate/Deactivate Power Limit', PRIV_ADMINISTRATOR),
    Command(NETFN_GROUP_EXTENSION, 0x06, 'Get Asset Tag', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x07, 'Get DCMI Sensor Info', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x08, 'Set Asset Tag', PRIV_ADMINISTRATOR),
    Command(NETFN_GROUP_EXTENSION, 0x09,
            'Get Management Controller ID String', PRIV_USER),
    Command(NETFN_GROUP_EXTENSION, 0x0A,
            'Set Management Controller ID String', PRIV_ADMINISTRATOR),
)

COMMAND_BY_NUMBER = {(c.netfn, c.cmd): c for c in COMMANDS}
# (request netfn, command) -> the privilege a session needs
COMMAND_PRIVILEGES = {(c.netfn, c.cmd): c.privilege for c in COMMANDS
                      if c.privilege is not None}
# (request netfn, command) -> {code: meaning}; group extension commands
# (2Ch) are left out: their numbers are shared by several groups, so a
# code could be named for the wrong one.
COMMAND_COMPLETION_CODES = {(c.netfn, c.cmd): c.codes for c in COMMANDS
                            if c.codes and c.netfn != NETFN_GROUP_EXTENSION}


# pyghmi 1.6.19's names for the completion code tables (read by callers
# and by private.util.get_ipmi_error): generic codes, and command-specific
# codes keyed by (response netfn, command) as raw_command reports them.
IPMI_BMC_ADDRESS = BMC_SLAVE_ADDR
IPMI_SEND_MESSAGE_CMD = CMD_SEND_MESSAGE
ipmi_completion_codes = dict(COMPLETION_CODES)
command_completion_codes = {(netfn + 1, cmd): dict(codes) for (netfn, cmd),
                            codes in COMMAND_COMPLETION_CODES.items()}

# The rest of pyghmi 1.6.19's tables, as views of the ones above and of
# sensortables (one source each).
payload_types = {'ipmi': PAYLOAD_IPMI, 'sol': PAYLOAD_SOL,
                 'rmcpplusopenreq': PAYLOAD_OPEN_SESSION_REQUEST,
                 'rmcpplusopenresponse': PAYLOAD_OPEN_SESSION_RESPONSE,
                 'rakp1': PAYLOAD_RAKP1, 'rakp2': PAYLOAD_RAKP2,
                 'rakp3': PAYLOAD_RAKP3, 'rakp4': PAYLOAD_RAKP4}
rmcp_codes = {code: text for code, text in RMCP_STATUS_CODES.items()
              if code}
netfn_codes = {'chassis': NETFN_CHASSIS, 'bridge': NETFN_BRIDGE,
               'sensorevent': NETFN_SENSOR_EVENT, 'application': NETFN_APP,
               'firmware': NETFN_FIRMWARE, 'storage': NETFN_STORAGE,
               'transport': NETFN_TRANSPORT}
priv_levels = {'callback': PRIV_CALLBACK, 'user': PRIV_USER,
               'operator': PRIV_OPERATOR, 'admin': PRIV_ADMINISTRATOR,
               'oem': PRIV_OEM}
sensor_type_codes = _tables.SENSOR_TYPES
entity_ids = _tables.ENTITY_IDS


def _offset_table(states, deasserted=None):
    """pyghmi's offset -> {'desc', 'severity', 'deassertion_desc',
    'deassertion_severity'} from an offset -> (text, health) table and
    the offset -> severity of its deassertions that are not OK."""
    deasserted = deasserted or {}
    return {offset: {'desc': text, 'severity': health,
                     'deassertion_desc': text + ' deasserted',
                     'deassertion_severity': deasserted.get(
                         offset, _tables.OK)}
            for offset, (text, health) in states.items()}


# reading type -> offset -> dict: threshold (01h) and generic (02h-0Ch)
generic_type_offsets = {1: _offset_table(_tables.THRESHOLD_EVENTS)}
generic_type_offsets.update({
    reading_type: _offset_table(
        states, _tables.DEASSERTED_GENERIC.get(reading_type))
    for reading_type, states in _tables.GENERIC_STATES.items()})
# sensor type -> offset -> dict, for sensor-specific readings (6Fh)
sensor_type_offsets = {
    sensor_type: _offset_table(
        states, _tables.DEASSERTED_SPECIFIC.get(sensor_type))
    for sensor_type, states in _tables.SPECIFIC_STATES.items()}
