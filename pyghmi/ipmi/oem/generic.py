"""The OEM hook interface, and what a BMC without a vendor handler does.

``Command`` hands every vendor-specific matter to a handler: the
instance of :class:`OEMHandler` (or of a vendor subclass, see
:mod:`pyghmi.ipmi.oem.lookup`) that matches the BMC's Get Device ID.
A vendor handler overrides only what its hardware does differently.

Each hook below documents what it is for, its parameters, the shape of
its answer and the ``Command`` method that calls it.  For a BMC without
a vendor handler the hooks answer as pyghmi 1.6.19's generic handler
did (callers depend on it: empty results for some, and
:class:`pyghmi.exceptions.UnsupportedFunctionality` for features that
need vendor commands, with a message naming the manufacturer and the
feature), except where standard IPMI or DCMI has the answer: then the
generic handler gives it (the BMC firmware from Get Device ID, power
and temperatures and capping through DCMI, inlet and processor
temperatures through the SDR).

Three hooks let a handler step aside: ``set_identify`` raising
UnsupportedFunctionality means "use Chassis Identify"; raising
:class:`pyghmi.exceptions.BypassGenericBehavior` from ``get_health``
skips the generic sensor sweep.

A hook that asks the BMC is best written as a *flow hook*
(:func:`pyghmi.ipmi.facade.flows.hook`): a generator yielding
``flows.Xraw`` requests, which both the blocking and the asyncio
``Command`` run; a flow hook of the DCMI power methods may return
``flows.STANDARD`` to leave a method to the standard way.  A plain hook
that calls ``self.ipmicmd.xraw_command`` (pyghmi's way) works on the
blocking ``Command`` only.  ``process_event`` stays plain: it refines
an event in place, without asking the BMC.
"""

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as event_const

# Names of the manufacturers (IANA enterprise numbers) that messages
# mention; others are named by number.
MANUFACTURERS = {
    2: 'IBM', 9: 'Cisco', 11: 'Hewlett-Packard', 343: 'Intel',
    674: 'Dell', 2011: 'Huawei', 10876: 'Supermicro', 19046: 'Lenovo',
    20301: 'IBM System x / Lenovo', 20974: 'American Megatrends',
}


class OEMHandler:
    """The generic handler: standard IPMI answers, no vendor commands.

    :param oemid: the BMC's Get Device ID in pyghmi's shape
        (``Command._get_device_id()``: ``device_id``,
        ``device_revision``, ``manufacturer_id``, ``product_id``,
        ``firmware_version``), or None when unknown
    :param ipmicmd: the :class:`pyghmi.ipmi.command.Command` served
    """

    def __init__(self, oemid, ipmicmd):
        self.oemid = oemid
        self.ipmicmd = ipmicmd

    def __repr__(self):
        return '%s(manufacturer=%s)' % (type(self).__name__,
                                        self.manufacturer)

    @flows.hook
    def prepare(self):
        """Flow hook: learn what the handler needs of the BMC before its
        other hooks run (a vendor's controller probes, which pyghmi's
        handlers made in their constructor).  Both Commands run it once,
        when they find the handler; if it raises, the generic handler
        serves instead (logged).  Generically nothing."""
        return None
        yield   # (a flow)

    @property
    def manufacturer(self):
        """The BMC's manufacturer, as text for messages."""
        mfg = (self.oemid or {}).get('manufacturer_id')
        if mfg is None:
            return 'unknown manufacturer'
        name = MANUFACTURERS.get(mfg)
        return '%s (IANA %d)' % (name, mfg) if name else 'IANA %d' % mfg

    def unsupported(self, feature):
        """The error for a feature this handler cannot offer."""
        return exc.UnsupportedFunctionality(
            '%s is not available over IPMI on this BMC (%s, no vendor '
            'handler offers it)' % (feature, self.manufacturer))

    def _dcmi(self):
        return self.ipmicmd.dcmi_operations()

    # ------------------------------------------------------------ identity
    def is_valid(self, name):
        """Whether a name (user, host...) is acceptable to this BMC.

        :returns: bool; generically any name that is not None
        """
        return name is not None

    def get_description(self):
        """Physical description (``Command.get_description``).

        :returns: dict, e.g. ``{'height': 1, 'slot': 0}``; generically {}
        """
        return {}

    def get_oem_identifier(self):
        """A vendor's name for the machine (``Command.get_hostname`` when
        the BMC has no standard one); generically None."""
        return None

    def set_oem_identifier(self, name):
        """Set the vendor name of the machine; False when not possible."""
        return False

    def get_hostname(self):
        """The BMC's host name (``Command.get_hostname``).

        :raises UnsupportedFunctionality: no standard command holds it
        """
        raise self.unsupported('Reading the host name')

    def set_hostname(self, hostname):
        """Set the BMC's host name (``Command.set_hostname``).

        :raises UnsupportedFunctionality: no standard command holds it
        """
        raise self.unsupported('Setting the host name')

    def get_oem_domain_name(self):
        """The BMC's DNS domain (``Command.get_domain_name``); pyghmi's
        generic answer is an empty tuple."""
        return ()

    def set_oem_domain_name(self, name):
        """Set the DNS domain (``Command.set_domain_name``); generically
        nothing is done and an empty tuple returned, as pyghmi did."""
        return ()

    # ------------------------------------------------------------ firmware
    def get_oem_firmware(self, bmcver, components, category):
        """Yield ``(name, {'version': ...})`` per firmware
        (``Command.get_firmware``).

        :param bmcver: the BMC version from Get Device ID ('2.41')
        :param components: names the caller wants (an optimisation hint;
            more may be yielded)
        :param category: a category the caller wants, or None
        """
        yield 'BMC Version', {'version': bmcver}

    def update_firmware(self, filename, data=None, progress=None, bank=None):
        """Update a firmware (``Command.update_firmware``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Firmware update')

    def get_update_status(self):
        """State of a firmware update (``Command.get_update_status``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Firmware update status')

    # --------------------------------------------------------- inventory
    def process_fru(self, fru, name=None):
        """Refine one FRU's inventory dict (``Command.get_inventory``...).

        A vendor that decodes the ``*_extra`` fields sets ``oem_parser``
        to its name; the generic handler sets it to None.

        :returns: the dict (possibly the same object), or None to hide
            the component
        """
        if fru is None:
            return fru
        fru['oem_parser'] = None
        return fru

    def process_zero_fru(self, zerofru):
        """Refine the 'System' inventory (FRU 0 + Get Device ID); may set
        'UUID' (the generic code then leaves it)."""
        return self.process_fru(zerofru)

    def get_oem_inventory_descriptions(self):
        """Names of vendor inventory components, after the FRU ones
        (``Command.get_inventory_descriptions``); generically none."""
        return ()

    def get_oem_inventory(self):
        """Yield ``(name, dict or None)`` for vendor components
        (``Command.get_inventory``)."""
        for desc in self.get_oem_inventory_descriptions():
            yield (desc, self.get_inventory_of_component(desc))

    def get_inventory_of_component(self, component):
        """The dict of a vendor component, or None when there is no such
        component (``Command.get_inventory_of_component``)."""
        return None

    def get_leds(self):
        """Yield ``(category, {led name: state})`` (``Command.get_leds``);
        generically none: the standard has no LED inventory."""
        return ()

    # ------------------------------------------------------------ sensors
    def get_sensor_data(self):
        """Vendor readings after the SDR ones (``Command.get_sensor_data``):
        an iterable of :class:`pyghmi.ipmi.sdr.SensorReading`."""
        return ()

    def get_sensor_descriptions(self):
        """``{'name', 'type'}`` of the vendor sensors
        (``Command.get_sensor_descriptions``)."""
        return ()

    def get_sensor_reading(self, sensorname):
        """A vendor sensor by name, when the SDR has none of that name
        (``Command.get_sensor_reading``).

        :raises InvalidParameterValue: no such sensor
        """
        raise exc.InvalidParameterValue(
            'Unable to find sensor named %r' % (sensorname,))

    def get_health(self, summary):
        """Add vendor health data to ``summary`` (``{'health': int,
        'badreadings': [...]}``) before the sensor sweep
        (``Command.get_health``).

        :returns: readings to report when the sweep finds nothing bad
        :raises BypassGenericBehavior: skip the sensor sweep
        """
        return []

    def get_inlet_temperature(self, ipmicmd):
        """The inlet temperature (``Command.get_inlet_temperature``): the
        DCMI inlet sensor, else an SDR 'Air inlet' (or non-exhaust
        'External environment') temperature sensor.

        :returns: a :class:`pyghmi.ipmi.sdr.SensorReading`
        :raises UnsupportedFunctionality: no inlet sensor
        """
        return ipmicmd.standard_inlet_temperature()

    def get_average_processor_temperature(self, ipmicmd):
        """Average of the processor temperatures
        (``Command.get_average_processor_temperature``): DCMI processor
        sensors, else SDR 'Processor' temperature sensors; value None and
        ``unavailable`` 1 when there are none."""
        return ipmicmd.standard_processor_temperature()

    def get_system_power_watts(self, ipmicmd):
        """Present power draw in watts (``Command.get_system_power_watts``):
        DCMI Get Power Reading.

        :raises UnsupportedFunctionality: no DCMI power management
        """
        return ipmicmd.get_power_statistics()['current']

    # -------------------------------------------------------------- power
    def process_power_state(self, powerstate, bridge_request=None):
        """Translate a requested power state before it is sent
        (``Command.set_power``); generically unchanged."""
        return powerstate

    def get_oem_capping_enabled(self):
        """Whether the power cap is active (``Command.get_capping_enabled``):
        the DCMI power limit's state."""
        dcmi = self._dcmi()
        return dcmi.run(dcmi.power_limit())[1]

    def set_oem_capping_enabled(self, enable):
        """Activate or deactivate the power cap
        (``Command.set_capping_enabled``): DCMI Activate Power Limit."""
        dcmi = self._dcmi()
        dcmi.run(dcmi.activate_power_limit(enable))

    def get_server_capping(self):
        """The active power cap in watts, or None when capping is off
        (``Command.get_server_capping``): the DCMI power limit."""
        dcmi = self._dcmi()
        limit, active = dcmi.run(dcmi.power_limit())
        return limit['limit'] if active else None

    def set_server_capping(self, value):
        """Set the power cap in watts (``Command.set_server_capping``):
        DCMI Set Power Limit."""
        dcmi = self._dcmi()
        dcmi.run(dcmi.set_power_limit(value))

    def reseat_bay(self, bay):
        """Reseat a bay of an enclosure (``Command.reseat_bay``).

        :raises UnsupportedFunctionality: enclosure managers only
        """
        raise self.unsupported('Bay reseat')

    def set_identify(self, on, duration, blink):
        """Vendor identify control (``Command.set_identify``).

        :raises UnsupportedFunctionality: use the standard Chassis Identify
            (the generic answer)
        """
        raise exc.UnsupportedFunctionality()

    # ----------------------------------------------------------- event log
    def process_event(self, event, ipmicmd, seldata):
        """Refine one decoded event in place (``Command.get_event_log``;
        traps are not refined, as in pyghmi): vendor event data,
        ``oem_handler`` set to the handler's name.  Events arrive with
        pyghmi's keys (``oem_handler`` None, ``oem_byte2`` /
        ``oem_byte3`` for OEM data bytes); the generic handler leaves
        them so.

        :param seldata: the raw 16-byte SEL record (or trap data)
        """
        return None

    def get_oem_event_const(self):
        """The tables events are decoded with (``Command
        .get_event_constants``): pyghmi's ``private.constants`` module."""
        return event_const

    # ------------------------------------------------------ configuration
    def get_system_configuration(self, hideadvanced=True):
        """System (BIOS/UEFI) settings: ``{name: {'value': ...,
        'help': ..., 'possible': [...]}}`` (``Command
        .get_system_configuration``); generically {}."""
        return {}

    def set_system_configuration(self, changeset):
        """Change system settings (``Command.set_system_configuration``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('System configuration')

    def clear_system_configuration(self):
        """Reset system settings to defaults.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Resetting the system configuration')

    def get_bmc_configuration(self):
        """Vendor BMC settings as ``{name: {'value': ...}}``
        (``Command.get_bmc_configuration``); generically {}."""
        return {}

    def get_extended_bmc_configuration(self, hideadvanced=True):
        """Further vendor BMC settings
        (``Command.get_extended_bmc_configuration``); generically {}."""
        return {}

    def set_bmc_configuration(self, changeset):
        """Change vendor BMC settings (``Command.set_bmc_configuration``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('BMC configuration')

    def clear_bmc_configuration(self):
        """Reset the BMC to factory settings.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Resetting the BMC configuration')

    def get_ntp_enabled(self):
        """Whether the BMC's clock follows NTP; None when unknown."""
        return None

    def set_ntp_enabled(self, enabled):
        """Turn NTP on or off; True on success, None when unsupported."""
        return None

    def get_ntp_servers(self):
        """The NTP servers (iterable of text); generically none."""
        return ()

    def set_ntp_server(self, server, index=0):
        """Set NTP server ``index``; True on success, None when
        unsupported."""
        return None

    def add_extra_net_configuration(self, netdata, channel=None):
        """Add vendor network settings to ``netdata`` in place
        (``Command.get_net_configuration``)."""
        return None

    def set_alert_ipv6_destination(self, ip, destination, channel):
        """Set an IPv6 alert destination the vendor way.

        :returns: True when done (the standard parameters are then not
            written), False to use the standard ones
        """
        return False

    # ------------------------------------------------------------- users
    def process_password(self, password, data):
        """Adjust Set User Password request ``data`` for ``password``
        (vendor password rules); generically unchanged."""
        return data

    def set_user_access(self, uid, channel, callback, link_auth, ipmi_msg,
                        privilege_level):
        """Vendor part of ``Command.set_user_access``: only vendor
        privilege names ('custom.*') need it.

        :raises UnsupportedFunctionality: a 'custom.' privilege
        """
        if str(privilege_level).startswith('custom.'):
            raise self.unsupported('Custom privilege %r' % (privilege_level,))
        return None

    def get_user_expiration(self, uid):
        """Days until the user's password expires; None when unknown."""
        return None

    def get_user_privilege_level(self, uid):
        """A vendor privilege name of the user; None for the standard."""
        return None

    def set_oem_extended_privilleges(self, uid):
        """Give user ``uid`` the vendor's remote console and media rights
        (``Command.set_extended_privilleges``, pyghmi's spelling).

        :returns: True when done, False when the BMC has no such rights
        """
        return False

    # -------------------------------------------------- storage and media
    def get_storage_configuration(self):
        """Disks, arrays and volumes (``pyghmi.storage.ConfigSpec``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Storage configuration')

    def check_storage_configuration(self, cfgspec):
        """Whether ``cfgspec`` could be applied.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Storage configuration')

    def apply_storage_configuration(self, cfgspec):
        """Create the arrays and volumes of ``cfgspec``.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Storage configuration')

    def remove_storage_configuration(self, cfgspec):
        """Delete the arrays and volumes of ``cfgspec``.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Storage configuration')

    def clear_storage_arrays(self):
        """Delete every array.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Storage configuration')

    def list_media(self):
        """Yield the attached remote media (``pyghmi.media.Media``).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Remote media')

    def attach_remote_media(self, imagename, username, password):
        """Attach an image at a URL as virtual media.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Remote media')

    def detach_remote_media(self):
        """Detach every virtual medium.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Remote media')

    def upload_media(self, filename, progress, data):
        """Upload an image to the BMC as virtual media.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Media upload')

    # ---------------------------------------------------------- licenses
    def get_licenses(self):
        """Yield the BMC's feature licenses ({'name', 'state'}).

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('License management')

    def apply_license(self, filename, progress=None, data=None):
        """Install a license key.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('License management')

    def delete_license(self, name):
        """Remove a license.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('License management')

    def save_licenses(self, directory):
        """Write the license keys to files in ``directory``.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('License management')

    # ------------------------------------------------ consoles and service
    def get_video_launchdata(self):
        """Data to start a remote video session; generically {}."""
        return {}

    def get_graphical_console(self):
        """How to reach the graphical console; generically an empty
        tuple, as pyghmi gave."""
        return ()

    def get_ikvm_methods(self):
        """Names of the remote KVM methods offered; generically []."""
        return []

    def get_ikvm_launchdata(self):
        """Launch data of a remote KVM method; generically {}."""
        return {}

    def get_oem_remote_kvm_available(self):
        """Whether a remote KVM can be launched; generically False."""
        return False

    def get_screenshot(self, outfile):
        """Save a screenshot of the console to ``outfile``; generically
        nothing is saved and {} returned, as pyghmi did."""
        return {}

    def get_diagnostic_data(self, savefile, progress=None,
                            autosuffix=False):
        """Save the vendor's service data to ``savefile``.

        :raises UnsupportedFunctionality: vendor specific
        """
        raise self.unsupported('Diagnostic data collection')
