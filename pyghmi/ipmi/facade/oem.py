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
from typing import Any, Callable, Dict, Iterable, Optional

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
    both Commands run; the vendor's hooks answer at once."""

    _handler: Any

    # ------------------------------------------------- names and clock
    @flows.public
    def get_hostname(self):
        """The BMC's host name: the vendor's, else the DCMI management
        controller identifier (the closest standard field), as pyghmi."""
        try:
            return self._handler.get_hostname()
        except exc.UnsupportedFunctionality:
            return (yield from dcmi.DcmiFlows.get_mci(self))

    @flows.public
    def set_hostname(self, hostname: str):
        """Set the host name: the vendor's way, else the DCMI management
        controller identifier."""
        args.text('hostname', hostname, 63)
        try:
            return self._handler.set_hostname(hostname)
        except exc.UnsupportedFunctionality:
            return (yield from dcmi.DcmiFlows.set_mci(self, hostname))

    @flows.public
    @flows.immediate
    def get_domain_name(self) -> Any:
        """The BMC's DNS domain (vendor specific; pyghmi's generic
        answer is an empty tuple)."""
        return self._handler.get_oem_domain_name()

    @flows.public
    @flows.immediate
    def set_domain_name(self, name: str) -> None:
        """Set the BMC's DNS domain (vendor specific)."""
        args.text('name', name, 255)
        self._handler.set_oem_domain_name(name)

    @flows.public
    @flows.immediate
    def get_ntp_enabled(self) -> Optional[bool]:
        """Whether the BMC's clock follows NTP; None when unknown."""
        return self._handler.get_ntp_enabled()

    @flows.public
    @flows.immediate
    def set_ntp_enabled(self, enable: bool) -> Any:
        """Turn NTP on or off; None when the BMC cannot."""
        args.flag('enable', enable)
        return self._handler.set_ntp_enabled(enable)

    @flows.public
    @flows.immediate
    def get_ntp_servers(self) -> Iterable[str]:
        """The BMC's NTP servers (none without a vendor handler)."""
        return self._handler.get_ntp_servers()

    @flows.public
    @flows.immediate
    def set_ntp_server(self, server: str, index: int = 0) -> Any:
        """Set NTP server ``index``; None when the BMC cannot."""
        args.text('server', server, 255)
        args.integer('index', index, 0, 15)
        return self._handler.set_ntp_server(server, index)

    # ----------------------------------------------------------- firmware
    @flows.public
    @flows.immediate
    def update_firmware(self, filename: str, data: Optional[bytes] = None,
                        progress: Progress = None,
                        bank: Optional[str] = None) -> Any:
        """Update a firmware from ``filename`` (or ``data``).

        :param progress: called with ``{'phase', 'progress'}`` dicts
        :param bank: the firmware bank to write, if the BMC has several
        :raises UnsupportedFunctionality: no vendor support
        """
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return self._handler.update_firmware(
            filename, data, progress or (lambda status: True), bank)

    @flows.public
    @flows.immediate
    def get_update_status(self) -> Any:
        """State of the BMC's firmware update ('ready', 'pending'...)."""
        return self._handler.get_update_status()

    # ------------------------------------------------------------- LEDs
    @flows.public
    @flows.immediate
    def get_leds(self) -> Iterable[Any]:
        """``(category, {led: state})`` pairs; empty without a vendor
        handler (the standard has no LED inventory)."""
        return self._handler.get_leds()

    # ---------------------------------------------------------- licenses
    @flows.public
    @flows.immediate
    def get_licenses(self) -> Iterable[Dict[str, Any]]:
        """The BMC's feature licenses."""
        return self._handler.get_licenses()

    @flows.public
    @flows.immediate
    def apply_license(self, filename: str, progress: Progress = None,
                      data: Optional[bytes] = None) -> Any:
        """Install the license key in ``filename`` (or ``data``)."""
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return self._handler.apply_license(filename, progress, data)

    @flows.public
    @flows.immediate
    def delete_license(self, name: str) -> Any:
        """Remove the license ``name``."""
        args.text('name', name, 255)
        return self._handler.delete_license(name)

    @flows.public
    @flows.immediate
    def save_licenses(self, directory: str) -> Any:
        """Write the license keys into ``directory``.

        :raises InvalidParameterValue: ``directory`` is an existing file
        """
        _no_overwrite('directory', directory)
        return self._handler.save_licenses(directory)

    # ----------------------------------------------------------- storage
    @flows.public
    @flows.immediate
    def get_storage_configuration(self) -> Any:
        """Disks, arrays and volumes (``pyghmi.storage.ConfigSpec``)."""
        return self._handler.get_storage_configuration()

    @flows.public
    @flows.immediate
    def apply_storage_configuration(self, cfgspec: Any = None) -> Any:
        """Create the arrays and volumes ``cfgspec`` describes."""
        return self._handler.apply_storage_configuration(cfgspec)

    @flows.public
    @flows.immediate
    def check_storage_configuration(self, cfgspec: Any = None) -> Any:
        """Whether ``cfgspec`` could be applied (and storage set up at
        all, when None)."""
        return self._handler.check_storage_configuration(cfgspec)

    @flows.public
    @flows.immediate
    def remove_storage_configuration(self, cfgspec: Any) -> Any:
        """Delete the arrays and volumes ``cfgspec`` describes."""
        return self._handler.remove_storage_configuration(cfgspec)

    @flows.public
    @flows.immediate
    def clear_storage_arrays(self) -> None:
        """Delete every storage array."""
        self._handler.clear_storage_arrays()

    # ------------------------------------------------------------- media
    @flows.public
    @flows.immediate
    def list_media(self) -> Iterable[Any]:
        """The attached virtual media (``pyghmi.media.Media``)."""
        return self._handler.list_media()

    @flows.public
    @flows.immediate
    def attach_remote_media(self, url: str, username: Optional[str] = None,
                            password: Optional[str] = None) -> Any:
        """Attach the image at ``url`` as virtual media."""
        args.text('url', url, 4096)
        args.text('username', username, 255, allow_none=True)
        args.text('password', password, 255, secret=True, allow_none=True)
        return self._handler.attach_remote_media(url, username, password)

    @flows.public
    @flows.immediate
    def detach_remote_media(self) -> Any:
        """Detach every virtual medium."""
        return self._handler.detach_remote_media()

    @flows.public
    @flows.immediate
    def upload_media(self, filename: str, progress: Progress = None,
                     data: Optional[bytes] = None) -> Any:
        """Upload ``filename`` (or ``data``) to the BMC as virtual media."""
        args.text('filename', filename, 4096)
        _callable('progress', progress)
        return self._handler.upload_media(filename, progress, data)

    # ----------------------------------------------------- configuration
    @flows.public
    @flows.immediate
    def get_system_configuration(self, hideadvanced: bool = True
                                 ) -> Dict[str, Any]:
        """System (BIOS/UEFI) settings; {} without a vendor handler."""
        args.flag('hideadvanced', hideadvanced)
        return self._handler.get_system_configuration(hideadvanced)

    @flows.public
    @flows.immediate
    def set_system_configuration(self, changeset: Dict[str, Any]) -> Any:
        """Change system settings (``{name: value}``)."""
        if not isinstance(changeset, dict):
            raise exc.InvalidParameterValue('changeset: must be a dict')
        return self._handler.set_system_configuration(changeset)

    @flows.public
    @flows.immediate
    def clear_system_configuration(self) -> None:
        """Reset the system settings to their defaults."""
        self._handler.clear_system_configuration()

    @flows.public
    @flows.immediate
    def get_bmc_configuration(self) -> Dict[str, Any]:
        """Vendor BMC settings; {} without a vendor handler."""
        return self._handler.get_bmc_configuration()

    @flows.public
    @flows.immediate
    def set_bmc_configuration(self, changeset: Dict[str, Any]) -> Any:
        """Change vendor BMC settings (``{name: value}``)."""
        if not isinstance(changeset, dict):
            raise exc.InvalidParameterValue('changeset: must be a dict')
        return self._handler.set_bmc_configuration(changeset)

    @flows.public
    @flows.immediate
    def get_extended_bmc_configuration(self, hideadvanced: bool = True
                                       ) -> Dict[str, Any]:
        """Further vendor BMC settings; {} without a vendor handler."""
        args.flag('hideadvanced', hideadvanced)
        return self._handler.get_extended_bmc_configuration(
            hideadvanced=hideadvanced)

    @flows.public
    @flows.immediate
    def clear_bmc_configuration(self) -> Any:
        """Reset the BMC to its factory settings."""
        return self._handler.clear_bmc_configuration()

    # --------------------------------------------------------- service
    @flows.public
    @flows.immediate
    def get_diagnostic_data(self, savefile: str, progress: Progress = None,
                            autosuffix: bool = False) -> Any:
        """Save the vendor's service data to ``savefile``.

        :raises InvalidParameterValue: ``savefile`` is an existing file
        """
        _no_overwrite('savefile', savefile)
        _callable('progress', progress)
        args.flag('autosuffix', autosuffix)
        return self._handler.get_diagnostic_data(savefile, progress,
                                                 autosuffix)

    @flows.public
    @flows.immediate
    def get_screenshot(self, outfile: Any) -> Any:
        """Save a console screenshot to ``outfile`` (a path or a file);
        {} and nothing saved without a vendor handler."""
        return self._handler.get_screenshot(outfile)

    @flows.public
    @flows.immediate
    def get_graphical_console(self) -> Any:
        """How to reach the graphical console (vendor specific)."""
        return self._handler.get_graphical_console()

    @flows.public
    @flows.immediate
    def get_ikvm_methods(self) -> Any:
        """Names of the remote KVM methods; [] without a vendor handler."""
        return self._handler.get_ikvm_methods()

    @flows.public
    @flows.immediate
    def get_ikvm_launchdata(self) -> Any:
        """Launch data of the remote KVM; {} without a vendor handler."""
        return self._handler.get_ikvm_launchdata()

    @flows.public
    @flows.immediate
    def get_remote_kvm_available(self) -> bool:
        """Whether a remote KVM can be launched now."""
        return self._handler.get_oem_remote_kvm_available()

    @flows.public
    @flows.immediate
    def get_event_constants(self) -> Any:
        """The tables this BMC's events are decoded with (pyghmi's
        ``private.constants`` module, or a vendor's)."""
        return self._handler.get_oem_event_const()

    @flows.public
    @flows.immediate
    def set_extended_privilleges(self, uid: int) -> bool:
        """Give user ``uid`` the vendor's remote console and media rights
        (pyghmi's spelling); False when the BMC has none."""
        args.integer('uid', uid, 1, 63)
        return self._handler.set_oem_extended_privilleges(uid)


@flows.drives(OemFlows)
class OemCommands(OemFlows):
    """Vendor-delegated methods of the blocking ``Command``."""
