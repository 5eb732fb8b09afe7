"""Chassis commands (IPMI v2.0 section 28): one codec for both ends.

Each message is a :class:`~pyghmi.ipmi.private.codec.layout.Layout`; the client
(``command.py``) encodes requests and decodes responses with it, and
``bmc.py`` decodes the same requests and encodes the same responses, so
a field can only be wrong in one place.
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U

# Chassis Control data byte (table 28-4).
POWER_DOWN = 0
POWER_UP = 1
POWER_CYCLE = 2
HARD_RESET = 3
PULSE_DIAG = 4
SOFT_SHUTDOWN = 5

# pyghmi power state names -> Chassis Control value ('boot' is resolved
# against the current state by the caller).
POWER_STATES = {
    'off': POWER_DOWN,
    'on': POWER_UP,
    'cycle': POWER_CYCLE,
    'reset': HARD_RESET,
    'diag': PULSE_DIAG,
    'softoff': SOFT_SHUTDOWN,
    'shutdown': SOFT_SHUTDOWN,
    'boot': None,
}

# Boot flags parameter 5, data 2 bits 5:2: boot device selector
# (table 28-14).  Names accepted from callers -> selector value.
BOOT_DEVICE_SELECTORS = {
    'default': 0x0, 'none': 0x0,
    'net': 0x1, 'network': 0x1, 'pxe': 0x1, 'http': 0x1,
    'hd': 0x2, 'disk': 0x2,
    'safe': 0x3,
    'cd': 0x5, 'cdrom': 0x5, 'optical': 0x5, 'dvd': 0x5,
    'setup': 0x6, 'bios': 0x6, 'f1': 0x6,
    'floppy': 0xF, 'usb': 0xF,
}
# Selector value -> the name pyghmi reports.
BOOT_DEVICE_NAMES = {
    0x0: 'default', 0x1: 'network', 0x2: 'hd', 0x3: 'safe',
    0x5: 'optical', 0x6: 'setup', 0xF: 'floppy',
}

BOOT_PARAM_IN_PROGRESS = 0
BOOT_PARAM_VALID_BIT_CLEARING = 3
BOOT_PARAM_FLAGS = 5
FLAG_VALID = 0x80
FLAG_PERSISTENT = 0x40
FLAG_EFI = 0x20

RESTORE_POLICIES = ('always-off', 'previous', 'always-on', 'unknown')
IDENTIFY_STATES = ('off', 'temporary', 'on', 'reserved')
# Last power event bits (table 28-3, byte 2), bit 0 first.
LAST_EVENTS = ('ac-failed', 'overload', 'interlock', 'fault', 'command')

# Get Chassis Status response data (table 28-3).
CHASSIS_STATUS = Layout('Get Chassis Status response (table 28-3)', [
    F('power_on', 0, 0),
    F('power_overload', 0, 1),
    F('interlock', 0, 2),
    F('power_fault', 0, 3),
    F('power_control_fault', 0, 4),
    B('restore_policy', 0, 5, 2),
    B('last_event', 1, 0, 5),
    F('intrusion', 2, 0),
    F('front_panel_lockout', 2, 1),
    F('drive_fault', 2, 2),
    F('cooling_fault', 2, 3),
    B('identify_state', 2, 4, 2),
    F('identify_supported', 2, 6),
    U('front_panel_buttons', 3, optional=True),
])

# Chassis Control request data (table 28-4).
CHASSIS_CONTROL = Layout('Chassis Control request (table 28-4)', [
    B('action', 0, 0, 4),
])

# Chassis Identify request data (table 28-5); both bytes optional.
IDENTIFY = Layout('Chassis Identify request (table 28-5)', [
    U('interval', 0, optional=True, default=15),
    F('force', 1, 0, optional=True),
], min_length=0)

# Get System Boot Options request (table 28-13).
GET_BOOT_OPTIONS = Layout('Get System Boot Options request (table 28-13)', [
    B('parameter', 0, 0, 7),
    U('set_selector', 1),
    U('block_selector', 2),
])
# Get System Boot Options response (table 28-13): version, parameter
# (bit 7: invalid / locked), then the parameter data.
BOOT_OPTIONS_RESPONSE = Layout(
    'Get System Boot Options response (table 28-13)', [
        U('version', 0, default=1),
        B('parameter', 1, 0, 7),
        F('invalid', 1, 7),
        Raw('data', 2),
    ])
# Set System Boot Options request (table 28-12).
SET_BOOT_OPTIONS = Layout('Set System Boot Options request (table 28-12)', [
    B('parameter', 0, 0, 7),
    F('invalid', 0, 7),
    Raw('data', 1),
])
# Boot flags, parameter 5 data (table 28-14).
BOOT_FLAGS = Layout('boot flags parameter (table 28-14)', [
    F('valid', 0, 7),
    F('persistent', 0, 6),
    F('efi', 0, 5),
    B('selector', 1, 2, 4),
    U('data3', 2), U('data4', 3), U('data5', 4),
], min_length=2)


def power_state(status):
    """Decode Get Chassis Status data: 'on' or 'off'.

    :raises DecodeError: empty response
    """
    if not status:
        raise exc.DecodeError('empty chassis status response')
    return 'on' if CHASSIS_STATUS['power_on'].read(status) else 'off'


def decode_chassis_status(data):
    """Decode the whole Get Chassis Status response (table 28-3).

    :returns: dict with ``powerstate``, ``power_overload``, ``interlock``,
        ``power_fault``, ``power_control_fault``, ``restore_policy``,
        ``last_event`` (list of causes), ``intrusion``,
        ``front_panel_lockout``, ``drive_fault``, ``cooling_fault``,
        ``identify_supported`` and ``identify_state``
    :raises DecodeError: shorter than 3 bytes
    """
    f = CHASSIS_STATUS.decode(data)
    return {
        'powerstate': 'on' if f['power_on'] else 'off',
        'power_overload': f['power_overload'],
        'interlock': f['interlock'],
        'power_fault': f['power_fault'],
        'power_control_fault': f['power_control_fault'],
        'restore_policy': RESTORE_POLICIES[f['restore_policy']],
        'last_event': [name for bit, name in enumerate(LAST_EVENTS)
                       if f['last_event'] & (1 << bit)],
        'intrusion': f['intrusion'],
        'front_panel_lockout': f['front_panel_lockout'],
        'drive_fault': f['drive_fault'],
        'cooling_fault': f['cooling_fault'],
        'identify_supported': f['identify_supported'],
        'identify_state': IDENTIFY_STATES[f['identify_state']],
    }


def encode_chassis_status(power_on, identify_state='off',
                          identify_supported=True, restore_policy='unknown'):
    """The BMC side of :func:`decode_chassis_status`.

    :param identify_state: a name from :data:`IDENTIFY_STATES`
    :param restore_policy: a name from :data:`RESTORE_POLICIES`
    """
    return CHASSIS_STATUS.encode(
        power_on=bool(power_on),
        identify_state=IDENTIFY_STATES.index(identify_state),
        identify_supported=identify_supported,
        restore_policy=RESTORE_POLICIES.index(restore_policy))


def encode_boot_flags(bootdev, persist=False, uefiboot=False):
    """Data of Set System Boot Options for the boot flags parameter.

    :param bootdev: a name from :data:`BOOT_DEVICE_SELECTORS`
    :returns: bytes starting with the parameter selector
    :raises InvalidParameterValue: unknown device name
    """
    if bootdev not in BOOT_DEVICE_SELECTORS:
        raise exc.InvalidParameterValue(
            'bootdev: unknown boot device %r requested' % (bootdev,))
    selector = BOOT_DEVICE_SELECTORS[bootdev]
    flags = BOOT_FLAGS.encode(valid=bool(selector),
                              persistent=bool(selector and persist),
                              efi=bool(selector and uefiboot),
                              selector=selector)
    return SET_BOOT_OPTIONS.encode(parameter=BOOT_PARAM_FLAGS, data=flags)


def decode_set_boot_options(data):
    """The BMC side of a Set System Boot Options request.

    :returns: ``(parameter, data bytes)``
    :raises DecodeError: empty request
    """
    f = SET_BOOT_OPTIONS.decode(data)
    return f['parameter'], f['data']


def encode_boot_options_response(parameter, data, invalid=False):
    """Get System Boot Options response data for ``parameter``."""
    return BOOT_OPTIONS_RESPONSE.encode(parameter=parameter, invalid=invalid,
                                        data=data)


def decode_boot_flags(data):
    """Decode Get System Boot Options for parameter 5 (table 28-14).

    :returns: ``{'bootdev', 'persistent', 'uefimode'}``; ``bootdev`` is a
        name, or the selector number when it has none.  With no override
        set, ``{'bootdev': 'default', 'persistent': True}`` (two keys, as
        pyghmi 1.6.19 answers: callers compare the dict whole)
    :raises DecodeError: truncated or for another parameter
    """
    rsp = BOOT_OPTIONS_RESPONSE.decode(data)
    if rsp['parameter'] != BOOT_PARAM_FLAGS or len(rsp['data']) < 2:
        raise exc.DecodeError('unexpected boot options response')
    flags = BOOT_FLAGS.decode(rsp['data'])
    if rsp['invalid'] or not flags['valid']:
        return {'bootdev': 'default', 'persistent': True}
    selector = flags['selector']
    return {'bootdev': BOOT_DEVICE_NAMES.get(selector, selector),
            'persistent': flags['persistent'],
            'uefimode': flags['efi']}


def encode_identify(on=True, duration=None):
    """Data of Chassis Identify (28.5).

    :param on: force on indefinitely (True) or turn off (False)
    :param duration: seconds (0-255) instead of indefinitely
    """
    if duration is not None:
        return IDENTIFY.encode(interval=max(0, min(255, int(duration))))
    return IDENTIFY.encode(interval=0, force=bool(on))


def decode_identify(data):
    """The BMC side of :func:`encode_identify`.

    :returns: ``(interval seconds, force)``; an empty request means the
        default interval of 15 s
    """
    f = IDENTIFY.decode(data)
    return f['interval'], f['force']
