"""FRU devices of the fake machine, built from the profile.

Profile key ``fru``: a list of devices, each with ``id`` (0 is the
system's FRU), ``name`` (for the FRU device locator record of ids other
than 0), ``entity`` (default 0x07, 0x20 for memory), and either ``raw``
(hex image), ``spd`` (``{"kind": "ddr3"|"ddr4"|"ddr5", "capacity_mb",
"speed", "manufacturer": [bank, code], "model", "serial" (hex)}``) or the
areas ``chassis``/``board``/``product`` (``fields`` list and ``kinds``
{index: "latin1"|"ascii6"|"bcd"|"binary"}; chassis ``type``; board
``minutes`` since 1996-01-01) plus ``multirecords`` ([type, hex]) and
``corrupt`` (an area whose checksum is broken on purpose).  Read FRU
Data answers at most ``fru_max_read`` bytes (profile key, default 32).
"""

import struct

from pyghmi.ipmi import fru
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import spd
from pyghmi.ipmi.private.codec import typelen

_KINDS = {'latin1': typelen.LATIN1, 'ascii6': typelen.ASCII6,
          'bcd': typelen.BCD_PLUS, 'binary': typelen.BINARY}
_SPD_KINDS = {'ddr3': spd.DDR3, 'ddr4': spd.DDR4, 'ddr5': spd.DDR5}


def _area(spec):
    if spec is None:
        return None
    out = dict(spec)
    kinds = spec.get('kinds', {})
    out['kinds'] = {int(k): _KINDS[v] for k, v in kinds.items()}
    return out


def build_image(device):
    """The bytes of one profile FRU device."""
    if 'raw' in device:
        return bytes.fromhex(device['raw'])
    if 'spd' in device:
        s = device['spd']
        return spd.encode(_SPD_KINDS[s['kind']], s['capacity_mb'],
                          s['speed'], tuple(s.get('manufacturer', (1, 0x2C))),
                          s.get('model', ''),
                          bytes.fromhex(s.get('serial', '00000001')))
    return fru.encode(
        chassis=_area(device.get('chassis')), board=_area(device.get('board')),
        product=_area(device.get('product')),
        multirecords=[(kind, bytes.fromhex(body))
                      for kind, body in device.get('multirecords', ())],
        corrupt=device.get('corrupt'))


class Inventory:
    """FRU images by id, and Get FRU Inventory Area Info / Read FRU Data."""

    def __init__(self, profile):
        self.devices = {}
        self.names = {}
        self.spd = set()
        self.max_read = int(profile.get('fru_max_read', 32))
        for device in profile.get('fru', ()):
            self.devices[int(device['id'])] = build_image(device)
            self.names[int(device['id'])] = (device.get('name', ''),
                                             device.get('entity', 0x07))
            if 'spd' in device:
                self.spd.add(int(device['id']))

    def locators(self, first_record_id):
        """FRU device locator SDRs for every device but FRU 0."""
        out: list = []
        for fru_id in sorted(self.devices):
            if fru_id == 0:
                continue
            name, entity = self.names[fru_id]
            out.append(sdrrecords.encode_fru_locator(
                first_record_id + len(out), fru_id, name, entity=entity,
                device_modifier=1 if fru_id in self.spd else 0))
        return out

    def area_info(self, data):
        """Get FRU Inventory Area Info (34.1): size, byte access."""
        image = self.devices.get(data[0] if data else -1)
        if image is None:
            return const.CC_NOT_PRESENT, b''
        return 0, struct.pack('<HB', len(image), 0)

    def read(self, data):
        """Read FRU Data (34.2): count + bytes."""
        if len(data) < 4:
            return const.CC_DATA_LENGTH_INVALID, b''
        fru_id, offset, count = struct.unpack_from('<BHB', data)
        image = self.devices.get(fru_id)
        if image is None:
            return const.CC_NOT_PRESENT, b''
        if count > self.max_read:
            return const.CC_CANNOT_RETURN_BYTES, b''
        chunk = image[offset:offset + count]
        return 0, bytes((len(chunk),)) + chunk
