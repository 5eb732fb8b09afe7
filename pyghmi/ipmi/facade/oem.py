"""The ``Command`` methods that only a vendor handler can answer.

pyghmi 1.6.19's ``Command`` hands these to its OEM handler; so does this
package, through :class:`OemCommands`, a mixin of
:class:`pyghmi.ipmi.command.Command`.  Each method checks its arguments
(``InvalidParameterValue`` naming the argument, before anything is sent)
and calls the hook of the same purpose in
:class:`pyghmi.ipmi.oem.generic.OEMHandler`, whose documentation gives
the answer of a BMC without a vendor handler.
"""

import os
from typing import Any, Callable, Dict, Optional

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import dcmi
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import args

Progress = Optional[Callable[[Dict[str, Any]], Any]]


def _no_overwrite(name, path):
    """A path that must not be an existing file (a directory is fine)."""
    args.text(name, path, 4096)
    if os.path.exists(path) and not os.path.isdir(path):
        raise exc.InvalidParameterValue(
            '%s: not allowed to overwrite existing file %s' % (name, path))


def _callable(name, value):
    if value is not None and not callable(value):
        raise exc.InvalidParameterValue('%s: must be callable' % name)


class OemFlows:
    """Vendor-delegated methods as flows (see the module text), which
    both Commands run; a vendor's flow hooks run inside them."""

    def _vendor(self, hook, *args, **kwargs):
        """Flow: the vendor handler's answer to ``hook``
        (:func:`flows.answer`)."""
        return (yield from flows.vendor(hook,
                                        *args, **kwargs))

    # ------------------------------------------------- names and clock
    @flows.public
    def get_hostname(self):
        """The BMC's host name: the vendor's, else the DCMI management
        controller identifier (the closest standard field), as pyghmi."""
        try:
            return (yield from self._vendor('get_hostname'))
        except exc.UnsupportedFunctionality:
            return (yield from dcmi.DcmiFlows.get_mci(self))

    @flows.public
    def set_hostname(self, hostname: str):
        """Set the host name: the vendor's way, else the DCMI management
        controller identifier."""
        args.text('hostname', hostname, 63)
        try:
            return (yield from self._vendor('set_hostname', hostname))
        except exc.UnsupportedFunctionality:
            return (yield from dcmi.DcmiFlows.set_mci(self, hostname))

    @flows.public
    def get_domain_name(self):
        """The BMC's DNS domain (vendor specific; pyghmi's generic
        answer is an empty tuple)."""
        return (yield from self._vendor('get_oem_domain_name'))

    @flows.public
    def set_domain_name(self, name: str):
        """Set the BMC's DNS domain (vendor specific)."""
        args.text('name', name, 255)
        yield from self._vendor('set_oem_domain_name', name)

    @flows.public
    def get_ntp_enabled(self):
        """Whether the BMC's clock follows NTP; None when unknown."""
        return (yield from self._vendor('get_ntp_enabled'))

    @flows.public
    def set_ntp_enabled(self, enable: bool):
        """Turn NTP on or off; None when the BMC cannot."""
        args.flag('enable', enable)
        return (yield from self._vendor('set_ntp_enabled', enable))

    @flows.public
    def get_ntp_servers(self):
        """The BMC's NTP servers (none without a vendor handler)."""
        return (yield from self._vendor('get_ntp_servers'))

    @flows.public
    def set_ntp_server(self, server: str, index: int = 0):
        """Set NTP server ``index``; None when the BMC cannot."""
        args.text('server', server, 255)
        args.integer('index', index, 0, 15)
        return (yield from self._vendor('set_ntp_server', server, index))

    # ----------------------------------------------------------- firmware
    @flows.public
    def update_firmware(self, filename: str, data: Optional[bytes] = None,
                        progress: Progress = None,
                        bank: Optional[str] = None):
        """Update a firmware from ``filename`` (or ``data``).

        :param progress: called with ``{'phase', 'progress'}`` dicts
        :param bank: the firmware bank to write, if the BMC has several
        :raises UnsupportedFunctionality: no vendor support
        """
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return (yield from self._vendor(
            'update_firmware', filename, data,
            progress or (lambda status: True), bank))

    @flows.public
    def get_update_status(self):
        """State of the BMC's firmware update ('ready', 'pending'...)."""
        return (yield from self._vendor('get_update_status'))

    # ------------------------------------------------------------- LEDs
    @flows.public
    def get_leds(self):
        """``(category, {led: state})`` pairs; empty without a vendor
        handler (the standard has no LED inventory).  A vendor that asks
        its BMC gives a generator asking as it is iterated (pyghmi's
        shape) from the blocking ``Command``, a list from asyncio."""
        hook = (yield flows.VENDOR).get_leds
        if flows.is_listing_hook(hook):
            return flows.Items(hook())
        return (yield from self._vendor('get_leds'))

    # ---------------------------------------------------------- licenses
    @flows.public
    def get_licenses(self):
        """The BMC's feature licenses."""
        return (yield from self._vendor('get_licenses'))

    @flows.public
    def apply_license(self, filename: str, progress: Progress = None,
                      data: Optional[bytes] = None):
        """Install the license key in ``filename`` (or ``data``)."""
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return (yield from self._vendor(
            'apply_license', filename, progress, data))

    @flows.public
    def delete_license(self, name: str):
        """Remove the license ``name``."""
        args.text('name', name, 255)
        return (yield from self._vendor('delete_license', name))

    @flows.public
    def save_licenses(self, directory: str):
        """Write the license keys into ``directory``.

        :raises InvalidParameterValue: ``directory`` is an existing file
        """
        _no_overwrite('directory', directory)
        return (yield from self._vendor('save_licenses', directory))

    # ----------------------------------------------------------- storage
    @flows.public
    def get_storage_configuration(self):
        """Disks, arrays and volumes (``pyghmi.storage.ConfigSpec``)."""
        return (yield from self._vendor('get_storage_configuration'))

    @flows.public
    def apply_storage_configuration(self, cfgspec: Any = None):
        """Create the arrays and volumes ``cfgspec`` describes."""
        return (yield from self._vendor(
            'apply_storage_configuration', cfgspec))

    @flows.public
    def check_storage_configuration(self, cfgspec: Any = None):
        """Whether ``cfgspec`` could be applied (and storage set up at
        all, when None)."""
        return (yield from self._vendor(
            'check_storage_configuration', cfgspec))

    @flows.public
    def remove_storage_configuration(self, cfgspec: Any):
        """Delete the arrays and volumes ``cfgspec`` describes."""
        return (yield from self._vendor(
            'remove_storage_configuration', cfgspec))

    @flows.public
    def clear_storage_arrays(self):
        """Delete every storage array."""
        yield from self._vendor('clear_storage_arrays')

    # ------------------------------------------------------------- media
    @flows.public
    def list_media(self):
        """The attached virtual media (``pyghmi.media.Media``)."""
        return (yield from self._vendor('list_media'))

    @flows.public
    def attach_remote_media(self, url: str, username: Optional[str] = None,
                            password: Optional[str] = None):
        """Attach the image at ``url`` as virtual media."""
        args.text('url', url, 4096)
        args.text('username', username, 255, allow_none=True)
        args.text('password', password, 255, secret=True, allow_none=True)
        return (yield from self._vendor(
            'attach_remote_media', url, username, password))

    @flows.public
    def detach_remote_media(self):
        """Detach every virtual medium."""
        return (yield from self._vendor('detach_remote_media'))

    @flows.public
    def upload_media(self, filename: str, progress: Progress = None,
                     data: Optional[bytes] = None):
        """Upload ``filename`` (or ``data``) to the BMC as virtual media."""
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return (yield from self._vendor(
            'upload_media', filename, progress, data))

    # ----------------------------------------------------- configuration
    @flows.public
    def get_system_configuration(self, hideadvanced: bool = True):
        """System (BIOS/UEFI) settings; {} without a vendor handler."""
        args.flag('hideadvanced', hideadvanced)
        return (yield from self._vendor(
            'get_system_configuration', hideadvanced))

    @flows.public
    def set_system_configuration(self, changeset: Dict[str, Any]):
        """Change system settings (``{name: value}``)."""
        if not isinstance(changeset, dict):
            raise exc.InvalidParameterValue('changeset: must be a dict')
        return (yield from self._vendor('set_system_configuration', changeset))

    @flows.public
    def clear_system_configuration(self):
        """Reset the system settings to their defaults."""
        yield from self._vendor('clear_system_configuration')

    @flows.public
    def get_bmc_configuration(self):
        """Vendor BMC settings; {} without a vendor handler."""
        return (yield from self._vendor('get_bmc_configuration'))

    @flows.public
    def set_bmc_configuration(self, changeset: Dict[str, Any]):
        """Change vendor BMC settings (``{name: value}``)."""
        if not isinstance(changeset, dict):
            raise exc.InvalidParameterValue('changeset: must be a dict')
        return (yield from self._vendor('set_bmc_configuration', changeset))

    @flows.public
    def get_extended_bmc_configuration(self, hideadvanced: bool = True):
        """Further vendor BMC settings; {} without a vendor handler."""
        args.flag('hideadvanced', hideadvanced)
        return (yield from self._vendor(
            'get_extended_bmc_configuration', hideadvanced=hideadvanced))

    @flows.public
    def clear_bmc_configuration(self):
        """Reset the BMC to its factory settings."""
        return (yield from self._vendor('clear_bmc_configuration'))

    # --------------------------------------------------------- service
    @flows.public
    def get_diagnostic_data(self, savefile: str, progress: Progress = None,
                            autosuffix: bool = False):
        """Save the vendor's service data to ``savefile``.

        :raises InvalidParameterValue: ``savefile`` is an existing file
        """
        _no_overwrite('savefile', savefile)
        _callable('progress', progress)
        args.flag('autosuffix', autosuffix)
        return (yield from self._vendor(
            'get_diagnostic_data', savefile, progress, autosuffix))

    @flows.public
    def get_screenshot(self, outfile: Any):
        """Save a console screenshot to ``outfile`` (a path or a file);
        {} and nothing saved without a vendor handler."""
        return (yield from self._vendor('get_screenshot', outfile))

    @flows.public
    def get_graphical_console(self):
        """How to reach the graphical console (vendor specific)."""
        return (yield from self._vendor('get_graphical_console'))

    @flows.public
    def get_ikvm_methods(self):
        """Names of the remote KVM methods; [] without a vendor handler."""
        return (yield from self._vendor('get_ikvm_methods'))

    @flows.public
    def get_ikvm_launchdata(self):
        """Launch data of the remote KVM; {} without a vendor handler."""
        return (yield from self._vendor('get_ikvm_launchdata'))

    @flows.public
    def get_remote_kvm_available(self):
        """Whether a remote KVM can be launched now."""
        return (yield from self._vendor('get_oem_remote_kvm_available'))

    @flows.public
    def get_event_constants(self):
        """The tables this BMC's events are decoded with (pyghmi's
        ``private.constants`` module, or a vendor's)."""
        return (yield from self._vendor('get_oem_event_const'))

    @flows.public
    def set_extended_privilleges(self, uid: int):
        """Give user ``uid`` the vendor's remote console and media rights
        (pyghmi's spelling); False when the BMC has none."""
        args.integer('uid', uid, 1, 63)
        return (yield from self._vendor('set_oem_extended_privilleges', uid))


@flows.drives(OemFlows)
class OemCommands(OemFlows):
    """Vendor-delegated methods of the blocking ``Command``."""
