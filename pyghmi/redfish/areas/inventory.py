"""Inventory: the system, its processors, memory, PCIe devices (with
their functions), network adapters and drives; the chassis' height and
location."""

import logging
import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.client import flow as rfflow

LOG = logging.getLogger(__name__)


class Inventory(base.Base):
    """Inventory and location flows."""

    # ---------------------------------------------------------- system
    def _node_info(self):
        """Flow: the system, else the only chassis."""
        info = yield from self.system()
        if info:
            return info
        uris = yield from self.chassis_uris()
        return (yield from self.conn.get(uris[0])) if len(uris) == 1 \
            else {}

    def _system_entry(self):
        node = yield from self._node_info()
        uuid = base.text(node, 'UUID', '')
        if uuid and '-' not in uuid and len(uuid) == 32:
            uuid = '-'.join((uuid[:8], uuid[8:12], uuid[12:16],
                             uuid[16:20], uuid[20:]))
        return {'UUID': uuid.lower(),
                'Serial Number': node.get('SerialNumber', ''),
                'Manufacturer': node.get('Manufacturer', ''),
                'Product name': node.get('Model', ''),
                'Model': node.get('SKU', node.get('PartNumber', ''))}

    def _systems(self):
        """Flow: every system this handler covers."""
        if self.sysurl:
            return [(yield from self.system())]
        uri = base.link(self.root, 'Systems')
        return (yield from self.conn.members(uri)) if uri else []

    def _collection_members(self, key):
        """Flow: the members of each system's ``key`` collection."""
        out = []
        for system in (yield from self._systems()):
            try:
                out.extend((yield from self.conn.members(
                    base.link(system, key))))
            except exc.PyghmiException as err:
                if not base.refused(err):
                    raise
                # a part the service links to but cannot list: the rest
                # of the inventory is still worth having
                LOG.warning('%s: %s of %s unreadable: %s', self.conn.host,
                            key, system.get('@odata.id'), err)
        return out

    # ------------------------------------------------------- the parts
    def _processors(self, withids):
        # (an empty socket is listed too, its Model None, as pyghmi does)
        for info in (yield from self._collection_members('Processors')):
            yield base.text(info, 'Name', 'CPU'), {'Model': info.get('Model')}

    def _memory(self, withids):
        for info in (yield from self._collection_members('Memory')):
            name = base.text(info, 'Name', 'Memory')
            if base.obj(info, 'Status').get('State', 'Absent') == 'Absent':
                yield name, None
                continue
            speed = info.get('OperatingSpeedMhz')
            if isinstance(speed, (int, float)) and speed:
                # MT/s of the module's name (DDR: 8 bytes a transfer)
                speed = int(speed) * 8 - (int(speed) * 8 % 100)
            else:
                speed = None
            entry = {'capacity_mb': info.get('CapacityMiB'),
                     'manufacturer': info.get('Manufacturer'),
                     'memory_type': info.get('MemoryDeviceType'),
                     'model': info.get('PartNumber'),
                     'module_type': info.get('BaseModuleType'),
                     'serial': info.get('SerialNumber'),
                     'speed': speed}
            yield name, entry

    def _adapter_macs(self):
        """Flow: adapter name -> {'MAC Address N': mac} from the
        system's NetworkInterfaces and their adapters' ports."""
        out = {}
        for nif in (yield from self._collection_members(
                'NetworkInterfaces')):
            adapter_uri = base.link(nif, 'Links', 'NetworkAdapter')
            if not adapter_uri:
                continue
            adapter = yield from self.conn.get(adapter_uri)
            name = base.text(adapter, 'Name')
            if not name:
                continue
            if name == 'NetworkAdapter':
                name = base.text(adapter, 'Model', name)
            ports = yield from self.conn.members(base.link(adapter, 'Ports'))
            if not ports:
                uris = []
                for controller in base.objects(adapter, 'Controllers'):
                    uris += base.links(base.seq(controller, 'Links',
                                                'Ports'))
                reads = yield from self.conn.read_many(uris)
                ports = [r for r in reads.values() if isinstance(r, dict)]
            found: typing.Dict[str, str] = {}
            for port in ports:
                for mac in base.seq(port, 'Ethernet',
                                    'AssociatedMACAddresses'):
                    found['MAC Address %d' % (len(found) + 1)] = \
                        normalize_mac(mac)
                for guid in base.seq(port, 'InfiniBand',
                                     'AssociatedPortGUIDs'):
                    found['Port GUID %d' % (len(found) + 1)] = guid
            out[name] = found
        return out

    def _adapters(self, withids, names_only=False):
        """Flow yielding ``(name, info)`` of each PCIe device."""
        system = yield from self.system()
        macs = {} if names_only else (yield from self._adapter_macs())
        uris = base.links(base.seq(system, 'PCIeDevices'))
        reads = yield from self.conn.read_many(uris)
        seen = set()
        any_mac = any(macs.values())
        for uri in uris:
            info = reads.get(uri)
            if not isinstance(info, dict):
                continue
            name = base.text(info, 'Name', 'Unknown')
            if name in seen:
                name = base.text(info, 'Id', name)
            seen.add(name)
            if names_only:
                yield name, info.get('Id', name)
                continue
            entry = {'Id': info.get('Id', name)} if withids else {}
            port_macs = macs.pop(name, None)
            entry.update(port_macs or {})
            functions = yield from self._functions(info)
            for function in functions:
                for key, field in (('PCI Device ID', 'DeviceId'),
                                   ('PCI Vendor ID', 'VendorId'),
                                   ('PCI Subsystem Device ID', 'SubsystemId'),
                                   ('PCI Subsystem Vendor ID',
                                    'SubsystemVendorId')):
                    entry[key] = str(function.get(field, '')).replace(
                        '0x', '')
                entry['Type'] = function.get('DeviceClass')
                if port_macs is not None:
                    continue      # the adapter's ports said already
                for nic_uri in base.links(base.seq(
                        function, 'Links', 'EthernetInterfaces')):
                    mac = base.text((yield from self.conn.get(nic_uri)),
                                    'MACAddress')
                    if mac:
                        count = sum(k.startswith('MAC Address')
                                    for k in entry)
                        entry['MAC Address %d' % (count + 1)] = \
                            normalize_mac(mac)
                        any_mac = True
            yield name, entry
        if names_only:
            return
        for name, found in macs.items():
            yield name, found
        if not any_mac:
            # no adapter inventory: the system's Ethernet interfaces
            seen_names: typing.Dict[str, int] = {}
            for nic in (yield from self._collection_members(
                    'EthernetInterfaces')):
                mac = base.text(nic, 'MACAddress') or \
                    base.text(nic, 'PermanentAddress')
                if not mac:
                    continue
                nicname = base.text(nic, 'Name') or 'NIC'
                seen_names[nicname] = seen_names.get(nicname, 0) + 1
                yield nicname, {'MAC Address %d' % seen_names[nicname]:
                                normalize_mac(mac)}

    def _functions(self, device):
        """Flow: the PCIe functions of a PCIe device (linked, or its
        PCIeFunctions collection)."""
        uris = base.links(base.seq(device, 'Links', 'PCIeFunctions'))
        if not uris and base.link(device, 'PCIeFunctions'):
            return (yield from self.conn.members(base.link(
                device, 'PCIeFunctions')))
        reads = yield from self.conn.read_many(uris)
        return [reads[u] for u in uris if isinstance(reads.get(u), dict)]

    def _drives(self, withids):
        uris = []
        for controller in (yield from self._collection_members('Storage')):
            uris += base.links(base.seq(controller, 'Drives'))
        reads = yield from self.conn.read_many(uris)
        for uri in uris:
            info = reads.get(uri)
            if not isinstance(info, dict):
                continue
            where = base.obj(info, 'PhysicalLocation').get('Info')
            name = 'Disk %s' % where if where else base.text(
                info, 'Id', 'Disk')
            entry = {'Model': info.get('Model'),
                     'Serial Number': info.get('SerialNumber'),
                     'Description': info.get('Name')}
            yield name, entry

    # --------------------------------------------------------- public
    @base.listing
    def get_inventory(self, withids=False):
        """``(name, info)`` of the system ('System': UUID, serial,
        manufacturer, product name, model), then each processor, memory
        module (info None when the slot is empty), PCIe adapter and
        drive.

        :param withids: add each part's Redfish ``Id`` to its info
        """
        yield 'System', (yield from self._system_entry())
        for part in (self._processors, self._memory, self._adapters,
                     self._drives):
            yield from part(withids)

    @base.listing
    def get_inventory_descriptions(self, withids=False):
        """The names :meth:`get_inventory` would list ('System', the
        processors, memory and adapters), without their data;
        ``withids`` gives ``(name, id)`` for adapters."""
        yield 'System'
        for name, _ in (yield from rfflow.collect(self._processors(False))):
            yield name
        for name, _ in (yield from rfflow.collect(self._memory(False))):
            yield name
        for name, ident in (yield from rfflow.collect(
                self._adapters(False, names_only=True))):
            yield (name, ident) if withids else name

    @base.call
    def get_inventory_of_component(self, component):
        """The info :meth:`get_inventory` gives for ``component`` (case
        ignored), None when there is no such part."""
        if not isinstance(component, str):
            raise exc.InvalidParameterValue('component: a name')
        if component.lower() == 'system':
            return (yield from self._system_entry())
        for name, info in (yield from rfflow.collect(self.get_inventory())):
            if name.lower() == component.lower():
                return info
        return None

    @base.call
    def get_description(self):
        """``{'height': rack units}`` from the chassis' HeightMm ({}
        when unknown)."""
        for uri in (yield from self.chassis_uris()):
            height = (yield from self.conn.get(uri)).get('HeightMm')
            if isinstance(height, (int, float)) and height:
                return {'height': height / 44.45}
        return {}

    # -------------------------------------------------------- location
    @base.call
    def get_location_information(self):
        """Where the system is: ``room``, ``location``, ``building``,
        ``rack`` and ``contactnames`` (a list), each only when set."""
        out = {}
        for uri in (yield from self.chassis_uris()):
            where = base.obj((yield from self.conn.get(uri)), 'Location')
            postal = base.obj(where, 'PostalAddress')
            for key, value in (('room', postal.get('Room')),
                               ('location', postal.get('Location')),
                               ('building', postal.get('Building')),
                               ('rack', base.obj(where, 'Placement').get(
                                   'Rack'))):
                if value:
                    out[key] = value
            for contact in base.objects(where, 'Contacts'):
                if contact.get('ContactName'):
                    out.setdefault('contactnames', []).append(
                        contact['ContactName'])
        return out

    @base.call
    def set_location_information(self, room=None, contactnames=None,
                                 location=None, building=None, rack=None):
        """Set where the system is, on each of its chassis; what is None
        stays."""
        where: typing.Dict[str, typing.Any] = {}
        postal = {k: v for k, v in (('Room', room), ('Location', location),
                                    ('Building', building))
                  if v is not None}
        if contactnames is not None:
            if isinstance(contactnames, str):
                raise exc.InvalidParameterValue('contactnames: a list')
            where['Contacts'] = [{'ContactName': n} for n in contactnames]
        if postal:
            where['PostalAddress'] = postal
        if rack is not None:
            where['Placement'] = {'Rack': rack}
        if where:
            for uri in (yield from self.chassis_uris()):
                yield from self.conn.write('PATCH', uri, {'Location': where})


def normalize_mac(mac):
    """'aa:bb:cc:dd:ee:ff' of a MAC in any usual spelling."""
    mac = str(mac).lower().replace('-', ':')
    if ':' not in mac and len(mac) == 12:
        mac = ':'.join(mac[i:i + 2] for i in range(0, 12, 2))
    return mac
