"""``Command``'s power, boot device, identify and BMC reset (IPMI v2.0
section 28), drop-in with pyghmi 1.6.19's methods and result shapes. A
mixin of :class:`pyghmi.ipmi.command.Command`; what it takes of the
facade is declared on the class.
"""

import time
import typing
from typing import Optional, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade.parts import Bridge, CommandParts
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import chassis

# Seconds between power state polls of set_power(wait=...).
_POWER_POLL = 0.5


class ChassisFlows(CommandParts):
    """Power, chassis status, boot device and BMC reset as flows
    (:mod:`.flows`): the blocking ``Command`` and the asyncio one run
    these same generators."""

    def _power_state(self, bridge_request=None):
        rsp = yield flows.Xraw(const.NETFN_CHASSIS,
                               const.CMD_GET_CHASSIS_STATUS,
                               bridge_request=bridge_request)
        return chassis.power_state(rsp['data'])

    @flows.public
    def get_power(self, bridge_request: Bridge = None):
        """Current power state.

        :returns: ``{'powerstate': 'on'}`` or ``{'powerstate': 'off'}``
        """
        args.bridge('bridge_request', bridge_request)
        return {'powerstate': (yield from self._power_state(
            bridge_request))}

    @flows.public
    def get_chassis_status(self):
        """Get Chassis Status, fully decoded (table 28-3).

        :returns: dict with ``powerstate`` ('on'/'off'),
            ``power_overload``, ``interlock``, ``power_fault``,
            ``power_control_fault``, ``restore_policy``, ``last_event``
            (list of causes), ``intrusion``, ``front_panel_lockout``,
            ``drive_fault``, ``cooling_fault``, ``identify_supported``
            and ``identify_state``
        :raises IpmiException: the BMC refused the command
        """
        rsp = yield flows.Xraw(const.NETFN_CHASSIS,
                               const.CMD_GET_CHASSIS_STATUS)
        return chassis.decode_chassis_status(rsp['data'])

    @flows.public
    def set_power(self, powerstate: str,
                  wait: Union[bool, float] = False,
                  bridge_request: Bridge = None):
        """Change the power state.

        :param powerstate: 'on', 'off', 'reset', 'cycle', 'diag',
            'shutdown'/'softoff', or 'boot' (on if off, else reset)
        :param wait: True to wait up to 300 s for 'on'/'off'/'shutdown' to
            take effect, or a number of seconds
        :param bridge_request: target of a bridged request
        :returns: ``{'powerstate': state}`` when already there or after a
            wait, else ``{'pendingpowerstate': requested}``
        :raises InvalidParameterValue: unknown state, bad ``wait`` or
            ``bridge_request`` (checked before anything is sent)
        :raises IpmiException: the BMC refused, or the wait ran out
        """
        args.one_of('powerstate', powerstate, chassis.POWER_STATES)
        if not isinstance(wait, bool):
            args.number('wait', wait)
        args.bridge('bridge_request', bridge_request)
        powerstate = yield from flows.vendor(
            'process_power_state', powerstate,
            bridge_request=bridge_request)
        if powerstate not in chassis.POWER_STATES:
            raise exc.InvalidParameterValue(
                'powerstate: unknown power state %r requested (one of %s)'
                % (powerstate, ', '.join(chassis.POWER_STATES)))
        current = yield from self._power_state(bridge_request)
        if current == powerstate:
            return {'powerstate': current}
        if powerstate == 'boot':
            powerstate = 'on' if current == 'off' else 'reset'
        action = typing.cast(int, chassis.POWER_STATES[powerstate])
        yield flows.Xraw(const.NETFN_CHASSIS, const.CMD_CHASSIS_CONTROL,
                         data=(action,), bridge_request=bridge_request)
        target = {'on': 'on', 'off': 'off', 'shutdown': 'off',
                  'softoff': 'off'}.get(powerstate)
        if not wait or target is None:
            return {'pendingpowerstate': powerstate}
        limit = 300 if wait is True else float(wait)
        return {'powerstate': (yield from self._wait_power(
            target, limit, bridge_request))}

    def _wait_power(self, target, limit, bridge_request):
        deadline = time.monotonic() + limit
        while True:
            state = yield from self._power_state(bridge_request)
            if state == target:
                return state
            if time.monotonic() >= deadline:
                raise exc.IpmiException(
                    'System did not accomplish power state change',
                    bmc=self.bmc)
            yield flows.Sleep(min(_POWER_POLL,
                                  max(0, deadline - time.monotonic())))

    @flows.public
    def reset_bmc(self):
        """Cold-reset the BMC (it may reset before it answers)."""
        try:
            yield flows.Xraw(const.NETFN_APP, const.CMD_COLD_RESET,
                             retry=False)
        except exc.IpmiTimeoutError:
            pass

    @flows.public
    def get_bootdev(self):
        """Boot device override for the next boot.

        :returns: ``{'bootdev': name, 'persistent': bool,
            'uefimode': bool}``; ``{'bootdev': 'default', 'persistent':
            True}`` (no ``uefimode``) when no override is set
        """
        rsp = yield flows.Xraw(const.NETFN_CHASSIS,
                               const.CMD_GET_BOOT_OPTIONS,
                               data=(chassis.BOOT_PARAM_FLAGS, 0, 0))
        return chassis.decode_boot_flags(rsp['data'])

    @flows.public
    def set_bootdev(self, bootdev: str, persist: bool = False,
                    uefiboot: bool = False):
        """Set the boot device for the next boot (or all, with persist).

        :param bootdev: 'network', 'hd', 'safe', 'optical', 'setup',
            'floppy' or 'default' (and pyghmi's aliases: pxe, cd, bios...)
        :param persist: ask firmware to keep it beyond the next boot
        :param uefiboot: request a UEFI boot
        :returns: ``{'bootdev': bootdev}``
        :raises InvalidParameterValue: unknown device
        :raises IpmiException: the BMC refused
        """
        args.one_of('bootdev', bootdev, chassis.BOOT_DEVICE_SELECTORS)
        args.flag('persist', persist)
        args.flag('uefiboot', uefiboot)
        flags = chassis.encode_boot_flags(bootdev, persist, uefiboot)
        try:
            # Keep the valid bit over a watchdog reset; optional parameter.
            yield flows.Xraw(const.NETFN_CHASSIS, const.CMD_SET_BOOT_OPTIONS,
                             data=(chassis.BOOT_PARAM_VALID_BIT_CLEARING,
                                   0x08))
        except exc.IpmiException as err:
            if err.ipmicode not in (const.CC_PARAMETER_NOT_SUPPORTED,
                                    const.CC_INVALID_COMMAND,
                                    const.CC_INVALID_DATA_FIELD):
                raise
        yield flows.Xraw(const.NETFN_CHASSIS, const.CMD_SET_BOOT_OPTIONS,
                         data=flags)
        return {'bootdev': bootdev}

    @flows.public
    def set_identify(self, on: bool = True,
                     duration: Optional[float] = None,
                     blink: bool = False):
        """Turn the identify light on, off, or on for ``duration`` seconds.

        :param on: True for on, False for off
        :param duration: seconds (capped to 0-255) instead of indefinitely
        :param blink: vendor blink mode (not available generically)
        :raises IpmiException: the BMC refused, or blink was asked of a
            generic BMC
        """
        args.flag('on', on)
        args.number('duration', duration, float('-inf'), allow_none=True)
        args.flag('blink', blink)
        if (yield from self._oem_handles('set_identify', on, duration,
                                         blink)):
            return None
        if blink:
            raise exc.IpmiException('Blink not supported with generic IPMI')
        yield flows.Xraw(const.NETFN_CHASSIS, const.CMD_CHASSIS_IDENTIFY,
                         data=chassis.encode_identify(on, duration))
        return None


@flows.drives(ChassisFlows)
class ChassisCommands(ChassisFlows):
    """Chassis methods of ``Command`` (see the module text): the flows
    above, run by the blocking driver."""
