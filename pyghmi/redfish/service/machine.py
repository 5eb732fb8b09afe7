"""The machine behind a Redfish service: a :class:`pyghmi.ipmi.bmc.Bmc`,
read and changed through the hooks and state its IPMI side uses.

Every method runs under the Bmc's lock (the one its IPMI handlers hold),
so a Redfish request and an IPMI request never interleave, and what one
protocol changed the other reads at once.  Values are translated between
the Bmc's names (pyghmi's: 'on', 'network', boot flags...) and
Redfish's ('On', 'Pxe', 'UEFI'...) here and nowhere else.
"""

import uuid

from pyghmi import exceptions as exc
from pyghmi.ipmi import fru as frucodec
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private import spd
from pyghmi.ipmi.private.codec import users as usercodec
from pyghmi.redfish.service import auth
from pyghmi.redfish.service.errors import RedfishError

# ResetType -> the Bmc hook (ComputerSystem.Reset)
RESET_HOOKS = {
    'On': 'power_on',
    'ForceOff': 'power_off',
    'GracefulShutdown': 'power_shutdown',
    'ForceRestart': 'power_reset',
    'PowerCycle': 'power_cycle',
    'Nmi': 'pulse_diag',
}
MANAGER_RESET_TYPES = ('ForceRestart', 'GracefulRestart')
# pyghmi boot device name <-> BootSourceOverrideTarget
TARGET_OF_DEVICE = {
    'default': 'None', 'network': 'Pxe', 'hd': 'Hdd', 'safe': 'Hdd',
    'optical': 'Cd', 'setup': 'BiosSetup', 'floppy': 'Floppy',
    'usb': 'Usb', 'diag': 'Diags',
}
DEVICE_OF_TARGET = {
    'None': 'default', 'Pxe': 'network', 'Hdd': 'hd', 'Cd': 'optical',
    'BiosSetup': 'setup', 'Floppy': 'floppy', 'Usb': 'usb',
    'Diags': 'diag',
}
OVERRIDE_ENABLED = ('Disabled', 'Once', 'Continuous')
OVERRIDE_MODES = ('Legacy', 'UEFI')


class BmcMachine:
    """What the Redfish resources need of a Bmc.

    :param bmc: the :class:`pyghmi.ipmi.bmc.Bmc` (its ``_lock``, hooks,
        ``boot_flags``, ``identify_state``, ``users`` and ``config``)
    :param base: the class whose hooks mean "not implemented" (``Bmc``)
    """

    def __init__(self, bmc, base):
        self.bmc = bmc
        self.base = base
        self.lock = bmc._lock

    # ------------------------------------------------------------ power
    def power_state(self):
        """'On', 'Off', or None when the Bmc does not say."""
        try:
            power = self.bmc.get_power_state()
        except NotImplementedError:
            return None
        if power in ('on', 1, True):
            return 'On'
        if power in ('off', 0, False):
            return 'Off'
        return None

    def reset_types(self):
        """The ResetType values this Bmc implements (its hooks that a
        subclass overrode)."""
        return [name for name, hook in RESET_HOOKS.items()
                if self._implements(hook)]

    def _implements(self, hook):
        return getattr(type(self.bmc), hook) is not getattr(self.base, hook)

    def reset(self, reset_type):
        """Run the hook of ``reset_type``; raises RedfishError when the
        Bmc refuses (a completion code, or not implemented)."""
        hook = RESET_HOOKS.get(reset_type)
        if hook is None or not self._implements(hook):
            raise RedfishError(400, 'ActionParameterValueNotInList',
                               reset_type, 'ResetType',
                               'ComputerSystem.Reset')
        try:
            code = getattr(self.bmc, hook)()
        except NotImplementedError:
            code = const.CC_INVALID_COMMAND
        if code:
            raise RedfishError(500, 'GeneralError',
                               'the BMC refused %s (completion code '
                               '0x%02x)' % (reset_type, code))

    def manager_reset(self):
        """Cold reset of the BMC (its ``cold_reset`` hook)."""
        try:
            code = self.bmc.cold_reset()
        except NotImplementedError:
            raise RedfishError(400, 'ActionNotSupported', 'Manager.Reset')
        if code:
            raise RedfishError(500, 'GeneralError', 'the BMC refused the '
                               'reset (completion code 0x%02x)' % code)

    # ------------------------------------------------------------- boot
    def boot(self):
        """The Boot object's override properties."""
        try:
            device = self.bmc.get_boot_device()
        except NotImplementedError:
            device = 'default'
        if isinstance(device, int):
            device = chassis.BOOT_DEVICE_NAMES.get((device >> 2) & 0x0F,
                                                   'default')
        target = TARGET_OF_DEVICE.get(device, 'None')
        flags = self.bmc.boot_flags
        if target == 'None':
            enabled = 'Disabled'
        elif flags & chassis.FLAG_PERSISTENT:
            enabled = 'Continuous'
        else:
            enabled = 'Once'
        mode = 'UEFI' if flags & chassis.FLAG_EFI else 'Legacy'
        return {'BootSourceOverrideTarget': target,
                'BootSourceOverrideEnabled': enabled,
                'BootSourceOverrideMode': mode}

    def boot_targets(self):
        """BootSourceOverrideTarget values that can be set."""
        return sorted(DEVICE_OF_TARGET)

    def set_boot(self, target, enabled, mode):
        """Set the override as IPMI's Set System Boot Options would."""
        device = 'default' if enabled == 'Disabled' else \
            DEVICE_OF_TARGET[target]
        previous = self.bmc.boot_flags
        self.bmc.boot_flags = (
            (chassis.FLAG_PERSISTENT if enabled == 'Continuous' else 0) |
            (chassis.FLAG_EFI if mode == 'UEFI' else 0))
        try:
            code = self.bmc.set_boot_device(device)
        except NotImplementedError:
            code = const.CC_INVALID_COMMAND
        if code:
            self.bmc.boot_flags = previous
            raise RedfishError(500, 'GeneralError', 'the BMC refused the '
                               'boot device (completion code 0x%02x)' % code)

    # -------------------------------------------------- identification
    def uuid(self):
        """The system GUID as a string."""
        guid = self.bmc.get_system_guid()
        if not isinstance(guid, uuid.UUID):
            guid = uuid.UUID(bytes_le=bytes(guid))
        return str(guid)

    def indicator(self):
        """IndicatorLED: 'Lit', 'Blinking' or 'Off' (Chassis Identify)."""
        interval, force = self.bmc.identify_state
        if force:
            return 'Lit'
        return 'Blinking' if interval else 'Off'

    def set_indicator(self, value):
        """Set IndicatorLED through the ``identify`` hook."""
        interval, force = {'Lit': (0, True), 'Blinking': (15, False),
                           'Off': (0, False)}[value]
        code = self.bmc.identify(interval, force)
        if code:
            raise RedfishError(500, 'GeneralError', 'the BMC refused the '
                               'indicator (completion code 0x%02x)' % code)

    def event_log(self):
        """The Bmc's SEL when it keeps one, else None: an object with
        ``records`` (16-byte SEL records, oldest first), ``capacity``
        and ``erase()`` (fakebmc's :class:`pyghmi.fakebmc.sel.EventLog`;
        a subclass of Bmc may offer the same as ``sel``)."""
        log = getattr(self.bmc, 'sel', None)
        if log is None or not hasattr(log, 'erase'):
            return None
        return log

    def sensors(self):
        """The Bmc's sensor readings (:class:`pyghmi.ipmi.sdrrecords.
        SensorReading`), in SDR order, or [] when it has none: each is its
        Get Sensor Reading answer decoded against its SDR record, as an
        IPMI client decodes them (fakebmc's ``sensorset``: ``sensors``
        holding ``rec``, ``reading()`` and ``factors``)."""
        sensorset = getattr(self.bmc, 'sensorset', None)
        if sensorset is None:
            return []
        out = []
        for sensor in sensorset.sensors.values():
            try:
                out.append(sdrrecords.decode_reading(
                    sensor.rec, sensor.reading(), sensor.factors))
            except exc.DecodeError:
                continue
        return out

    def _fru_devices(self):
        """``(id -> image, id -> (name, entity), SPD ids)`` of the Bmc's
        FRU devices (fakebmc's ``inventory``), empty when it has none."""
        inventory = getattr(self.bmc, 'inventory', None)
        return (getattr(inventory, 'devices', {}),
                getattr(inventory, 'names', {}),
                getattr(inventory, 'spd', set()))

    def fru(self, fru_id):
        """FRU device ``fru_id`` decoded as pyghmi's client decodes it
        (a dict), or None (no such device, or not a FRU image).  The
        Bmc's FRU devices are fakebmc's ``inventory.devices``: id ->
        the bytes Read FRU Data serves."""
        devices, _, spd_ids = self._fru_devices()
        image = devices.get(fru_id)
        if image is None or fru_id in spd_ids:
            return None
        try:
            return frucodec.decode(image)
        except exc.DecodeError:
            return None

    def memory(self):
        """``[(name, SPD info dict)]`` of the FRU devices that are DIMM
        SPD images, by FRU id."""
        devices, names, spd_ids = self._fru_devices()
        out = []
        for fru_id in sorted(devices):
            if fru_id in spd_ids:
                try:
                    info = spd.SPD(devices[fru_id]).info
                except exc.DecodeError:
                    continue
                name = names.get(fru_id, ('', 0))[0] or 'DIMM %d' % fru_id
                out.append((name, info))
        return out

    def media(self, slot):
        """What virtual media slot ``slot`` holds (a dict, empty when
        nothing): kept on the Bmc as ``virtual_media``."""
        return dict(getattr(self.bmc, 'virtual_media', {}).get(slot, {}))

    def set_media(self, slot, state):
        """Record what slot ``slot`` holds (``{}``: ejected); a Bmc with
        ``media_changed()`` is told (fakebmc saves it)."""
        store = self.bmc.__dict__.setdefault('virtual_media', {})
        store[slot] = dict(state)
        changed = getattr(self.bmc, 'media_changed', None)
        if changed is not None:
            changed()

    def bios(self):
        """The Bmc's BIOS setup (fakebmc's ``bios``: ``specs``,
        ``current``, ``pending``, ``check(name, value)``), or None."""
        setup = getattr(self.bmc, 'bios', None)
        return setup if setup is not None and hasattr(setup, 'check') \
            else None

    def set_bios(self, values):
        """Settings for the next boot; ``bios_changed()`` is called."""
        self.bios().set_pending(values)
        self._bios_changed()

    def reset_bios(self):
        """The profile's values at the next boot."""
        self.bios().defaults()
        self._bios_changed()

    def _bios_changed(self):
        changed = getattr(self.bmc, 'bios_changed', None)
        if changed is not None:
            changed()

    def ipmi_port(self):
        """The UDP port the IPMI side serves."""
        return self.bmc.port

    def ntp(self):
        """The NTP client settings: ``{'enabled', 'servers'}`` (kept on
        the Bmc as ``ntp``)."""
        return dict(getattr(self.bmc, 'ntp', None) or
                    {'enabled': False, 'servers': []})

    def set_ntp(self, settings):
        """Store NTP settings; ``ntp_changed()`` is called."""
        self.bmc.ntp = dict(settings)
        changed = getattr(self.bmc, 'ntp_changed', None)
        if changed is not None:
            changed()

    def location(self):
        """The chassis' Redfish Location (PostalAddress, Placement,
        Contacts), kept on the Bmc as ``location``."""
        return dict(getattr(self.bmc, 'location', None) or {})

    def set_location(self, location):
        """Store the chassis' Location; ``location_changed()`` is
        called."""
        self.bmc.location = dict(location)
        changed = getattr(self.bmc, 'location_changed', None)
        if changed is not None:
            changed()

    def processors(self):
        """``[{'socket', 'manufacturer', 'model', 'cores', 'threads',
        'max_mhz', 'instruction_set'}]`` the Bmc lists as
        ``processors`` (fakebmc: from its profile), else []."""
        return list(getattr(self.bmc, 'processors', None) or ())

    def firmware_version(self):
        """The BMC firmware version as Get Device ID reports it."""
        return '%d.%02x' % (self.bmc.firmwaremajor, self.bmc.firmwareminor)

    # ------------------------------------------------------------ users
    def accounts(self):
        """``{name: Account}`` of the users who may log in."""
        return self.bmc.config.accounts

    def guard(self):
        """The IPMI side's login guard (lockout shared by both)."""
        return self.bmc.core.guard

    def user_slots(self):
        """``[(uid, slot)]`` of the user ids that hold a name."""
        table = self.bmc.users
        return [(uid, table.slots[uid]) for uid in range(2, table.size + 1)
                if table.slots[uid].name]

    def user_slot(self, uid):
        """The slot of user id ``uid`` (2..size) holding a name, or
        None."""
        table = self.bmc.users
        if not 2 <= uid <= table.size or not table.slots[uid].name:
            return None
        return table.slots[uid]

    def free_uid(self):
        """The first user id without a name, or None."""
        table = self.bmc.users
        for uid in range(2, table.size + 1):
            if not table.slots[uid].name:
                return uid
        return None

    def store_user(self, uid, name=None, password=None, role=None,
                   enabled=None):
        """Change user id ``uid`` (as the IPMI user commands would) and
        apply the table to logins."""
        slot = self.bmc.users.slots[uid]
        if name is not None:
            slot.name = name.encode('utf-8')
        if password is not None:
            slot.password = password.encode('utf-8')
        if role is not None:
            slot.privilege = auth.PRIVILEGE_OF_ROLE[role]
        if enabled is not None:
            slot.enabled = bool(enabled)
        self._users_changed()

    def clear_user(self, uid):
        """Empty user id ``uid``."""
        slot = self.bmc.users.slots[uid]
        slot.name, slot.password, slot.enabled = b'', b'', False
        slot.privilege = usercodec.NO_ACCESS
        self._users_changed()

    def _users_changed(self):
        self.bmc.config.accounts = self.bmc.users.accounts()
        self.bmc.users_changed()
