"""Chassis commands (IPMI v2.0 section 28) as pure encoders and decoders.

``command.py`` sends what these functions build and hands back what they
decode; ``bmc.py`` uses the same tables to answer, so both ends agree.
"""

from pyghmi import exceptions as exc

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

BOOT_PARAM_VALID_BIT_CLEARING = 3
BOOT_PARAM_FLAGS = 5
FLAG_VALID = 0x80
FLAG_PERSISTENT = 0x40
FLAG_EFI = 0x20


def power_state(status):
    """Decode Get Chassis Status data: 'on' or 'off'.

    :raises DecodeError: empty response
    """
    if not status:
        raise exc.DecodeError('empty chassis status response')
    return 'on' if status[0] & 1 else 'off'


def decode_chassis_status(data):
    """Decode the whole Get Chassis Status response (table 28-3).

    :returns: dict with ``powerstate``, ``power_overload``, ``interlock``,
        ``power_fault``, ``power_control_fault``, ``restore_policy``,
        ``last_event`` (list of causes) and ``misc`` flags
    """
    if len(data) < 3:
        raise exc.DecodeError('truncated chassis status response')
    cur, last, misc = data[0], data[1], data[2]
    policy = ('always-off', 'previous', 'always-on', 'unknown')
    causes = [name for bit, name in (
        (0x01, 'ac-failed'), (0x02, 'overload'), (0x04, 'interlock'),
        (0x08, 'fault'), (0x10, 'command')) if last & bit]
    return {
        'powerstate': 'on' if cur & 1 else 'off',
        'power_overload': bool(cur & 0x02),
        'interlock': bool(cur & 0x04),
        'power_fault': bool(cur & 0x08),
        'power_control_fault': bool(cur & 0x10),
        'restore_policy': policy[(cur >> 5) & 3],
        'last_event': causes,
        'intrusion': bool(misc & 0x01),
        'front_panel_lockout': bool(misc & 0x02),
        'drive_fault': bool(misc & 0x04),
        'cooling_fault': bool(misc & 0x08),
        'identify_supported': bool(misc & 0x40),
        'identify_state': ('off', 'temporary', 'on', 'reserved')[
            (misc >> 4) & 3],
    }


def encode_boot_flags(bootdev, persist=False, uefiboot=False):
    """Data of Set System Boot Options for the boot flags parameter.

    :param bootdev: a name from :data:`BOOT_DEVICE_SELECTORS`
    :returns: bytes starting with the parameter selector
    :raises InvalidParameterValue: unknown device name
    """
    if bootdev not in BOOT_DEVICE_SELECTORS:
        raise exc.InvalidParameterValue(
            'Unknown boot device %r requested' % (bootdev,))
    selector = BOOT_DEVICE_SELECTORS[bootdev]
    flags = 0
    if selector:
        flags = FLAG_VALID
        if persist:
            flags |= FLAG_PERSISTENT
        if uefiboot:
            flags |= FLAG_EFI
    return bytes((BOOT_PARAM_FLAGS, flags, selector << 2, 0, 0, 0))


def decode_boot_flags(data):
    """Decode Get System Boot Options for parameter 5 (table 28-14).

    :returns: ``{'bootdev', 'persistent', 'uefimode'}``; ``bootdev`` is a
        name, or the selector number when it has none
    :raises DecodeError: truncated or for another parameter
    """
    if len(data) < 4 or data[1] & 0x7F != BOOT_PARAM_FLAGS:
        raise exc.DecodeError('unexpected boot options response')
    flags, device = data[2], data[3]
    if data[1] & 0x80 or not flags & FLAG_VALID:
        return {'bootdev': 'default', 'persistent': True, 'uefimode': False}
    selector = (device >> 2) & 0xF
    return {'bootdev': BOOT_DEVICE_NAMES.get(selector, selector),
            'persistent': bool(flags & FLAG_PERSISTENT),
            'uefimode': bool(flags & FLAG_EFI)}


def encode_identify(on=True, duration=None):
    """Data of Chassis Identify (28.5).

    :param on: force on indefinitely (True) or turn off (False)
    :param duration: seconds (0-255) instead of indefinitely
    """
    if duration is not None:
        return bytes((max(0, min(255, int(duration))),))
    return bytes((0, 1 if on else 0))
