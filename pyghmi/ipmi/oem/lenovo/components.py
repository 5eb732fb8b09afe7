"""What Lenovo controllers report as inventory over IPMI: the extended
inventory of ThinkServers (:mod:`.tsminventory`), an IMM/XCC's
enclosure (:mod:`.imm`), the system UUID quirks and the custom FRU
fields (:mod:`.fru`).  The base of :class:`.handler.OEMHandler`, which
provides ``kind``, ``is_fpc``, ``has_tsm``, ``has_imm``, ``_probe`` and
``_ask`` (declared here).  The hooks that ask the BMC are flow hooks
(:func:`pyghmi.ipmi.facade.flows.hook`).
"""

import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.oem import generic
from pyghmi.ipmi.oem.lenovo import fru as lenovofru
from pyghmi.ipmi.oem.lenovo import imm
from pyghmi.ipmi.oem.lenovo import nextscale
from pyghmi.ipmi.oem.lenovo import tsm
from pyghmi.ipmi.oem.lenovo import tsminventory
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import util

# Lenovo products whose BMC sends the system UUID big-endian, and the
# command that gives it (the SD350's FRU UUID follows its device GUID).
BIG_ENDIAN_GUID = {tsm.AMI_PRODUCT: const.CMD_GET_DEVICE_GUID,
                   **{product: const.CMD_GET_SYSTEM_GUID
                      for product in tsm.ASROCK_PRODUCTS}}


class Components(generic.OEMHandler):
    """Inventory components and FRU refinements of Lenovo controllers."""

    _inventory: typing.Any = None

    # What handler.OEMHandler answers (its controller detection).
    @property
    def kind(self) -> typing.Optional[str]:
        raise NotImplementedError

    @property
    def is_fpc(self) -> typing.Optional[int]:
        raise NotImplementedError

    @property
    def has_tsm(self) -> bool:
        raise NotImplementedError

    @property
    def has_imm(self) -> bool:
        raise NotImplementedError

    def _probe(self, netfn, command, data=b''):
        """Flow: the answer data of a probe, or None."""
        raise NotImplementedError

    def _ask(self, netfn, command, data=b''):
        """Flow: the answer data of a request."""
        raise NotImplementedError

    def _collect_inventory(self):
        """Flow: ``{component name: dict}`` of the extended inventory of a TSM,
        AMI or ASRock ThinkServer (a category the BMC refuses or garbles
        is left out), or an IMM/XCC's 'Enclosure' (its other components
        are HTTPS services)."""
        found = {}
        if self.has_imm:
            try:
                box = yield from imm.enclosure()
            except (exc.IpmiException, exc.DecodeError):
                box = None
            if box is not None:
                found['Enclosure'] = box
        for category in tsminventory.CATEGORIES_BY_KIND.get(self.kind or '',
                                                            ()):
            try:
                data = yield from self._category_data(category)
                entries = tsminventory.decode_category(
                    category.fields, data, category.counted,
                    category.strict_count)
            except (exc.IpmiException, exc.DecodeError):
                continue
            for entry in entries:
                name = category.pattern.format(category.number(entry))
                del entry['index']
                found[name] = entry
        self._inventory = found
        return found

    def _category_data(self, category):
        """Flow: the category's answer as revision, count, entries."""
        if not category.one_each:
            data = yield from self._ask(category.netfn, category.command,
                                        category.request)
            return data if category.revision else b'\x00' + data
        # one entry per request, the index in the last byte, until refused
        revision, entries = 0, b''
        for index in range(1, tsminventory.MAX_PER_REQUEST_ENTRIES + 1):
            try:
                part = bytes((yield flows.Xraw(
                    category.netfn, category.command,
                    tsminventory.one_each_request(category, index),
                    retry=False))['data'])
            except exc.IpmiException:
                break
            if not part:
                break           # an empty answer holds no entry
            if category.skip_empty and part[1:2] == b'\xff':
                continue
            revision, entries = part[0], entries + part[1:]
        count = len(entries) // tsminventory.entry_size(category.fields)
        if not 0 < count < 256:
            raise exc.DecodeError('%d entries' % count)
        return bytes((revision, count)) + entries

    def _inventory_cache(self):
        """Flow: the extended inventory, read once."""
        if self._inventory is None:
            yield from self._collect_inventory()
        return self._inventory

    @property
    def _has_oem_inventory(self):
        return self.kind in tsminventory.CATEGORIES_BY_KIND or \
            self.has_imm

    @flows.hook
    def get_oem_inventory_descriptions(self):
        """TSM, AMI and ASRock ThinkServers: 'CPU 1', 'DIMM 1', 'PCI 1',
        'Drive 1', 'Power Supply 1'... (the components the BMC
        reports); an IMM/XCC in an enclosure: 'Enclosure'."""
        if not self._has_oem_inventory:
            return ()
        return list((yield from self._inventory_cache()))

    @flows.listing_hook
    def get_oem_inventory(self):
        """TSM, AMI and ASRock ThinkServers, IMM/XCC: ``(component,
        dict)`` read afresh from the BMC."""
        if not self._has_oem_inventory:
            return
        yield from (yield from self._collect_inventory()).items()

    @flows.hook
    def get_inventory_of_component(self, component):
        """TSM, AMI and ASRock ThinkServers, IMM/XCC: the dict of one
        extended inventory component, or None."""
        if not self._has_oem_inventory:
            return None
        return (yield from self._inventory_cache()).get(component)

    @flows.hook
    def process_zero_fru(self, zerofru):
        """The 'System' component: the SD350 takes its UUID from Get
        Device GUID and ASRock ThinkServers from Get System GUID, both
        sent big-endian (pyghmi 1.6.19's reading); an SMMv2 names its
        enclosure model (32h B0h) and Lenovo as manufacturer."""
        if zerofru is not None:
            guid = yield from self._big_endian_uuid()
            if guid is not None:
                zerofru['UUID'] = guid
            if nextscale.is_smmv2(self.is_fpc):
                model = yield from self._probe(
                    nextscale.NETFN_FPC, nextscale.CMD_SMM_SETTING,
                    nextscale.ENCLOSURE_MODEL_REQUEST)
                if model is not None:
                    zerofru['Product name'] = nextscale.decode_model(model)
                    zerofru['Manufacturer'] = 'Lenovo'
        return (yield from self.process_fru(zerofru))

    def _big_endian_uuid(self):
        """Flow: the system UUID of a model that sends it big-endian,
        or None."""
        oemid: typing.Dict[str, typing.Any] = self.oemid or {}
        if oemid.get('manufacturer_id') != tsm.LENOVO:
            return None
        command = BIG_ENDIAN_GUID.get(oemid.get('product_id', -1))
        if command is None:
            return None
        data = yield from self._probe(const.NETFN_APP, command)
        if data is None or len(data) < 16:
            return None
        return util.decode_wireformat_uuid(data, bigendian=True)

    @flows.hook
    def process_fru(self, fru, name=None):
        """Lenovo's custom FRU fields (:mod:`.fru`): TSM WWNs, MAC
        addresses and UUID; IMM/XCC FRU number, revision and MAC
        addresses; SMM serial number and model; ASRock: marked only.
        These are marked ``oem_parser`` 'lenovo'."""
        fru = super().process_fru(fru, name)
        if fru is None:
            return fru
        if self.has_tsm:
            return lenovofru.refine_tsm(fru)
        if self.has_imm:
            return lenovofru.refine_imm(fru)
        if self.is_fpc and self.is_fpc != nextscale.FPC:
            serial = yield from self._probe(nextscale.NETFN_FPC,
                                            nextscale.CMD_SMM_SETTING,
                                            nextscale.SERIAL_REQUEST)
            model = yield from self._probe(nextscale.NETFN_FPC,
                                           nextscale.CMD_SMM_SETTING,
                                           nextscale.MODEL_REQUEST)
            return lenovofru.refine_smm(fru, serial, model, self.is_fpc)
        if self.kind == 'asrock':
            fru['oem_parser'] = 'lenovo'
        return fru
