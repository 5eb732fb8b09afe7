"""Power, the boot override and the identify LED of the system, and the
BMC's own reset."""

import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.client import flow as rfflow

# pyghmi's power request -> ResetType
POWER_REQUESTS = {
    'on': 'On', 'off': 'ForceOff', 'softoff': 'GracefulShutdown',
    'shutdown': 'GracefulShutdown', 'reset': 'ForceRestart', 'boot': None,
}
# BootSourceOverrideTarget -> pyghmi's boot device name
BOOT_DEVICES_READ = {
    'BiosSetup': 'setup', 'Cd': 'optical', 'Floppy': 'floppy', 'Hdd': 'hd',
    'None': 'default', 'Pxe': 'network', 'Usb': 'usb', 'SDCard': 'sdcard',
    'UefiHttp': 'http',
}
# pyghmi's boot device names (and their aliases) -> the target
BOOT_DEVICES_WRITE = {
    'net': 'Pxe', 'network': 'Pxe', 'pxe': 'Pxe', 'http': 'UefiHttp',
    'hd': 'Hdd', 'usb': 'Usb', 'cd': 'Cd', 'cdrom': 'Cd', 'optical': 'Cd',
    'dvd': 'Cd', 'floppy': 'Floppy', 'default': 'None', 'setup': 'BiosSetup',
    'bios': 'BiosSetup', 'f1': 'BiosSetup',
}
IDENTIFY_STATES = {'Blinking': 'blink', 'Lit': 'on', 'Off': 'off'}
POWER_WAIT = 300.0            # seconds set_power(wait=True) waits at most
POWER_POLL = 1.0
# Manager.Reset types, the gentlest first
BMC_RESETS = ('GracefulRestart', 'ForceRestart', 'ColdReset')


class Power(base.Base):
    """Power, boot and identify flows."""

    @base.call
    def get_power(self):
        """The system's power, read fresh.

        :returns: ``{'powerstate': 'on' | 'off'}``
        :raises PyghmiException: the system reports no power state
        """
        info = yield from self.system(cache=False)
        state = base.text(info, 'PowerState')
        if state is None:
            raise exc.PyghmiException('The system reports no PowerState')
        return {'powerstate': state.lower()}

    @base.call
    def set_power(self, powerstate, wait=False):
        """Change the power state: 'on', 'off', 'softoff' / 'shutdown',
        'reset', 'boot' (on if off, else reset).

        :param wait: wait (up to 300 s) for 'on' or 'off' to be reached
        :returns: ``{'powerstate': ...}`` when already there or waited,
            else ``{'pendingpowerstate': ...}``
        :raises InvalidParameterValue: an unknown power state
        :raises UnsupportedFunctionality: the system has no Reset action
        """
        if powerstate not in POWER_REQUESTS:
            raise exc.InvalidParameterValue(
                'Unknown power state %s requested' % powerstate)
        if not self.powerurl:
            raise exc.UnsupportedFunctionality(
                'The system has no ComputerSystem.Reset action')
        current = (yield from self.get_power())['powerstate']
        if powerstate == 'boot':
            powerstate = 'on' if current == 'off' else 'reset'
        elif powerstate == current:
            return {'powerstate': powerstate}
        yield from self.conn.write('POST', self.powerurl,
                                   {'ResetType': POWER_REQUESTS[powerstate]})
        if wait and powerstate in ('on', 'off', 'softoff', 'shutdown'):
            wanted = 'on' if powerstate == 'on' else 'off'
            waited = 0.0
            while (yield from self.get_power())['powerstate'] != wanted:
                if waited >= POWER_WAIT:
                    raise exc.PyghmiException(
                        'System did not accomplish power state change')
                yield rfflow.Sleep(POWER_POLL)
                waited += POWER_POLL
            return {'powerstate': wanted}
        return {'pendingpowerstate': powerstate}

    @base.call
    def get_bootdev(self):
        """The boot override.

        :returns: ``{'bootdev', 'persistent', 'uefimode'}``, or
            ``{'bootdev': 'default', 'persistent': True}`` when none
        :raises PyghmiException: a state or target pyghmi does not know
        """
        boot = base.obj((yield from self.system()), 'Boot')
        state = boot.get('BootSourceOverrideEnabled')
        if state == 'Disabled':
            return {'bootdev': 'default', 'persistent': True}
        if state not in ('Once', 'Continuous'):
            raise exc.PyghmiException('Unrecognized Boot state: %r' % state)
        mode = boot.get('BootSourceOverrideMode')
        if mode not in ('UEFI', 'Legacy'):
            raise exc.PyghmiException('Unrecognized mode: %s' % mode)
        target = boot.get('BootSourceOverrideTarget')
        if target not in BOOT_DEVICES_READ:
            raise exc.PyghmiException('Unrecognized boot target: %r'
                                      % (target,))
        return {'bootdev': BOOT_DEVICES_READ[target],
                'persistent': state == 'Continuous',
                'uefimode': mode == 'UEFI'}

    @base.call
    def set_bootdev(self, bootdev, persist=False, uefiboot=None):
        """Boot ``bootdev`` next ('network', 'hd', 'optical', 'setup',
        'http', 'default'... or a Redfish target name), every time with
        ``persist``; ``uefiboot`` True/False asks UEFI/Legacy, None UEFI.
        'http' falls back to PXE where the system lists no UefiHttp.

        :returns: ``{'bootdev': bootdev}``
        :raises InvalidParameterValue: an unknown device
        """
        if bootdev not in BOOT_DEVICES_WRITE and \
                bootdev not in BOOT_DEVICES_READ:
            raise exc.InvalidParameterValue('Unsupported device %r'
                                            % (bootdev,))
        target = BOOT_DEVICES_WRITE.get(bootdev, bootdev)
        if target == 'UefiHttp':
            boot = base.obj((yield from self.system()), 'Boot')
            if target not in base.seq(
                    boot, 'BootSourceOverrideTarget@Redfish.AllowableValues'):
                target = 'Pxe'
        if target == 'None':
            payload = {'BootSourceOverrideEnabled': 'Disabled'}
        else:
            payload = {'BootSourceOverrideEnabled':
                       'Continuous' if persist else 'Once',
                       'BootSourceOverrideTarget': target,
                       'BootSourceOverrideMode':
                       'Legacy' if uefiboot is False else 'UEFI'}
        yield from self.conn.write('PATCH', self.sysurl, {'Boot': payload})
        return {'bootdev': bootdev}

    @base.call
    def get_identify(self):
        """The identify LED, read fresh.

        :returns: ``{'identifystate': 'on' | 'off' | 'blink'}``
        :raises UnsupportedFunctionality: the system has no such LED
        """
        info = yield from self.system(cache=False)
        state = IDENTIFY_STATES.get(info.get('IndicatorLED'))
        if state is None:
            state = {True: 'on', False: 'off'}.get(
                info.get('LocationIndicatorActive'))
        if state is None:
            raise exc.UnsupportedFunctionality(
                'The system reports no identify LED')
        return {'identifystate': state}

    @base.call
    def set_identify(self, on=True, blink=None):
        """Light the identify LED (``on``), blink it, or turn it off.
        Uses IndicatorLED, or LocationIndicatorActive where the system
        has only that (newer schemas: no blinking, lit instead)."""
        info = yield from self.system()
        if 'IndicatorLED' not in info and \
                'LocationIndicatorActive' in info:
            body: typing.Dict[str, typing.Any] = {
                'LocationIndicatorActive': bool(on or blink)}
        else:
            body = {'IndicatorLED': 'Blinking' if blink else 'Lit' if on
                    else 'Off'}
        yield from self.conn.write('PATCH', self.sysurl, body)

    # ------------------------------------------------------------- BMC
    @base.call
    def reset_bmc(self):
        """Restart the BMC (Manager.Reset, the gentlest type it allows).

        :raises UnsupportedFunctionality: no reset action, or none of
            GracefulRestart, ForceRestart, ColdReset allowed
        """
        manager = yield from self.manager()
        action = base.obj(manager, 'Actions', '#Manager.Reset')
        target = base.text(action, 'target')
        if not target:
            raise exc.UnsupportedFunctionality(
                'BMC does not provide reset action')
        allowed = base.seq(action, 'ResetType@Redfish.AllowableValues')
        info_uri = base.text(action, '@Redfish.ActionInfo')
        if not allowed and info_uri:
            info = yield from self.conn.get(info_uri)
            for parameter in base.seq(info, 'Parameters'):
                if isinstance(parameter, dict) and \
                        parameter.get('Name') == 'ResetType':
                    allowed = base.seq(parameter, 'AllowableValues')
        kinds = [k for k in BMC_RESETS if k in allowed] if allowed else \
            ['GracefulRestart']
        if not kinds:
            raise exc.UnsupportedFunctionality(
                'BMC does not accept a recognized reset type')
        yield from self.conn.write('POST', target, {'ResetType': kinds[0]})

    @base.call
    def clear_bmc_configuration(self):
        """Return the BMC to its factory settings
        (Manager.ResetToDefaults, ResetAll).  The BMC may then be
        unreachable on its current address.

        :raises UnsupportedFunctionality: the BMC cannot
        """
        manager = yield from self.manager()
        action = base.obj(manager, 'Actions', '#Manager.ResetToDefaults')
        target = base.text(action, 'target')
        if target and 'ResetAll' in base.seq(
                action, 'ResetType@Redfish.AllowableValues'):
            yield from self.conn.write('POST', target,
                                       {'ResetType': 'ResetAll'})
            return
        raise exc.UnsupportedFunctionality(
            'Clear BMC configuration not supported on this platform')
