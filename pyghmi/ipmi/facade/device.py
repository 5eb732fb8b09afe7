"""``Command``'s device identity: Get Device ID, the system GUID, the
firmware list and the vendor's description (IPMI v2.0 sections 20.1 and
22.14), as flows (:mod:`.flows`) that both Commands run; drop-in with
pyghmi 1.6.19's methods and result shapes.
"""

import uuid

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.facade.parts import CommandParts
from pyghmi.ipmi.oem import generic as genericoem
from pyghmi.ipmi.oem import lookup
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import device

# the keys of Get Device ID that pyghmi's OEM code and inventory use
_SHORT_KEYS = ('device_id', 'device_revision', 'manufacturer_id',
               'product_id', 'firmware_version')


def decode_device_id(data):
    """Decode Get Device ID response data (table 20-2).

    :raises BmcErrorException: the response is too short
    """
    try:
        return device.decode_device_id(bytes(data))
    except exc.DecodeError as err:
        raise exc.BmcErrorException(str(err)) from None


class DeviceFlows(CommandParts):
    """Identity methods as flows (see the module text)."""

    decode_device_id = staticmethod(decode_device_id)

    @flows.public
    def get_device_id(self):
        """Decode Get Device ID (20.1).

        :returns: dict with ``device_id``, ``device_revision``,
            ``firmware_version`` ('1.23'), ``ipmi_version`` ('2.0'),
            ``manufacturer_id``, ``product_id``, ``device_available``,
            ``provides_device_sdrs``, ``additional_support`` (list) and
            ``aux_firmware`` (bytes, may be empty)
        """
        rsp = yield flows.Xraw(const.NETFN_APP, const.CMD_GET_DEVICE_ID)
        return decode_device_id(rsp['data'])

    def _short_device_id(self):
        """Get Device ID in the shape pyghmi's OEM code uses: only
        ``device_id``, ``device_revision``, ``manufacturer_id``,
        ``product_id`` and ``firmware_version``."""
        info = yield from _flow.get_device_id(self)
        return {key: info[key] for key in _SHORT_KEYS}

    def _find_vendor_handler(self):
        """Flow: the vendor handler of this BMC, from Get Device ID
        (:func:`pyghmi.ipmi.oem.lookup.get_oem_handler`), prepared (its
        ``prepare`` hook: what it learns of the BMC, as a Lenovo
        controller's probes); the generic handler when the BMC does not
        answer Get Device ID or the vendor's cannot start."""
        try:
            oemid = yield from self._short_device_id()
        except exc.IpmiException:
            return genericoem.OEMHandler(None, self)
        handler, _ = lookup.get_oem_handler(oemid, self)
        return (yield from lookup.prepared(handler, oemid, self))

    @flows.public
    def get_system_guid(self):
        """Read the system GUID (Get System GUID, 22.14).

        :returns: the GUID as a lower-case string in the SMBIOS byte
            order, as dmidecode prints it
        :raises BmcErrorException: the answer is shorter than 16 bytes
        """
        rsp = yield flows.Xraw(const.NETFN_APP, const.CMD_GET_SYSTEM_GUID)
        data = bytes(rsp['data'])
        if len(data) < 16:
            raise exc.BmcErrorException('Get System GUID response too short')
        return str(uuid.UUID(bytes_le=data[:16]))

    @flows.listing
    def get_firmware(self, components=(), category=None):
        """Yield ``(name, {'version': ...})`` for the BMC and the
        vendor's parts."""
        info = yield from _flow.get_device_id(self)
        yield from flows.vendor_items('get_oem_firmware',
                                      info['firmware_version'], components,
                                      category)

    @flows.public
    def get_description(self):
        """Physical attributes of the system (vendor specific; {} for a
        generic BMC)."""
        return (yield from flows.vendor('get_description'))

    @flows.public
    def get_video_launchdata(self):
        """Data to launch a remote video session (vendor specific)."""
        return (yield from flows.vendor('get_video_launchdata'))

    @flows.public
    def reseat_bay(self, bay):
        """Ask the enclosure manager to reseat ``bay`` (vendor specific;
        -1: the management controller itself, as pyghmi).

        :raises InvalidParameterValue: ``bay`` is not -1 to 255
        :raises UnsupportedFunctionality: not a vendor that can
        """
        args.integer('bay', bay, -1, 255)
        yield from flows.vendor('reseat_bay', bay)
        return None


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods)
_flow = DeviceFlows


@flows.drives(DeviceFlows)
class DeviceCommands(DeviceFlows):
    """Identity methods of the blocking ``Command``."""

    _get_device_id = flows.blocking(DeviceFlows._short_device_id)
