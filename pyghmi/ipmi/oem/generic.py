"""The default behaviour of every OEM hook.

A vendor handler subclasses :class:`OEMHandler` and overrides only what its
hardware does differently.  A hook that has nothing to add raises
:class:`pyghmi.exceptions.UnsupportedFunctionality` (the generic IPMI code
then runs) or returns the generic answer documented here.
"""

from pyghmi import exceptions as exc


class OEMHandler:
    """Generic handler used when no vendor handler matches.

    :param oemid: the Get Device ID dict of the BMC (see
        ``Command._get_device_id``), or None
    :param ipmicmd: the :class:`pyghmi.ipmi.command.Command` using it
    """

    def __init__(self, oemid, ipmicmd):
        self.oemid = oemid
        self.ipmicmd = ipmicmd

    def set_identify(self, on, duration, blink):
        """Vendor identify LED control.

        :raises UnsupportedFunctionality: use the standard Chassis Identify
        """
        raise exc.UnsupportedFunctionality()

    def get_oem_firmware(self, bmcver, components, category):
        """Yield ``(name, {'version': ...})`` for each firmware known.

        The generic handler only knows the BMC's own version.
        """
        yield 'BMC Version', {'version': bmcver}

    def get_description(self):
        """Physical description of the system (height in U, slot)."""
        return {}

    def get_video_launchdata(self):
        """Data needed to start a remote video session (none generically)."""
        return {}

    def process_power_state(self, powerstate, bridge_request=None):
        """Translate a requested power state before it is sent."""
        return powerstate

    def reseat_bay(self, bay):
        """Ask an enclosure manager to reseat a bay.

        :raises UnsupportedFunctionality: not possible with generic IPMI
        """
        raise exc.UnsupportedFunctionality(
            'Bay reseat not supported on this platform')

    def get_diagnostic_data(self, savefile, progress=None, autosuffix=False):
        """Collect vendor diagnostic data into ``savefile``.

        :raises UnsupportedFunctionality: not possible with generic IPMI
        """
        raise exc.UnsupportedFunctionality(
            'Diagnostic data collection not supported on this platform')
