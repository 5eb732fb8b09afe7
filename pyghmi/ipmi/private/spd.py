"""DIMM SPD decoding for DDR3, DDR4 and DDR5 (JEDEC SPD annexes, pure).

Only the fields an inventory needs: memory type, module type, capacity,
speed, manufacturer (JEDEC JEP106 id), part number, serial number and
manufacturing date.  Truncated images raise DecodeError.
"""

from pyghmi.exceptions import DecodeError

DDR3, DDR4, DDR5 = 0x0B, 0x0C, 0x12
MEMORY_TYPES = {DDR3: 'DDR3 SDRAM', DDR4: 'DDR4 SDRAM', DDR5: 'DDR5 SDRAM'}
MODULE_TYPES = {1: 'RDIMM', 2: 'UDIMM', 3: 'SO-DIMM', 4: 'LRDIMM',
                5: 'Mini-RDIMM', 6: 'Mini-UDIMM', 8: '72b-SO-RDIMM',
                9: '72b-SO-UDIMM', 0x0C: '16b-SO-DIMM', 0x0D: '32b-SO-DIMM'}
# JEP106 (bank, code without parity) -> manufacturer, a few common ones.
JEDEC_MANUFACTURERS = {
    (1, 0x2C): 'Micron Technology', (1, 0x4E): 'Samsung',
    (1, 0x2D): 'SK Hynix', (1, 0x0B): 'Nanya Technology',
    (2, 0x18): 'Kingston', (1, 0x7F): 'Unknown',
    (6, 0x1B): 'Crucial Technology', (3, 0x0B): 'Nanya Technology',
    (5, 0x1D): 'Smart Modular', (1, 0x18): 'Toshiba',
}
_MIN_SIZE = {DDR3: 146, DDR4: 349, DDR5: 551}


def is_spd(data):
    """True when ``data`` looks like an SPD image of a known generation."""
    return (len(data) > 2 and data[2] in _MIN_SIZE and
            len(data) >= _MIN_SIZE[data[2]])


def _manufacturer(bank_byte, code):
    bank = (bank_byte & 0x7F) + 1
    name = JEDEC_MANUFACTURERS.get((bank, code & 0x7F))
    return name or 'JEDEC bank %d id 0x%02x' % (bank, code & 0x7F)


def _odd_parity(value):
    """JEP106 bytes carry an odd-parity bit in bit 7."""
    value &= 0x7F
    return value | (0x80 if bin(value).count('1') % 2 == 0 else 0)


def _bcd(value):
    return (value >> 4) * 10 + (value & 0x0F)


def _part(raw):
    # The part number stays bytes (pyghmi's shape): ASCII by JEDEC, but
    # modules in the field carry 0xFF padding and vendor bytes.
    return bytes(raw).strip(b' \x00\xff')


def _ecc(bus_width_byte):
    # Bits 4:3 of the bus width byte: width of the ECC extension (0: none)
    return bool((bus_width_byte >> 3) & 3)


def _speed(tck_ps):
    """Data rate in MT/s from the minimum clock period in picoseconds."""
    if tck_ps <= 0:
        return None
    return int(round(2e6 / tck_ps / 100.0) * 100) or None


def speed_from_clock(clock):
    """Module bandwidth in MB/s, the 'PC4-25600' rating pyghmi reports
    as ``speed``: the data rate (MT/s) times 8 bytes of a 64-bit module,
    rounded down to a multiple of 100."""
    bandwidth = int(clock * 8)
    return bandwidth - bandwidth % 100


def decode_spd_date(year, week):
    """'YYYY-Www' from the BCD year and week bytes ('Unknown' if 0)."""
    if year == week == 0:
        return 'Unknown'
    return '%04d-W%02d' % (2000 + _bcd(year), _bcd(week))


def _signed8(value):
    return value - 256 if value > 127 else value


# DDR3/DDR4 organisation codes (JEDEC SPD bytes 4, 7/12 and 8/13):
# SDRAM capacity in Mbit, device width, module bus width, rank count.
ddr3_module_capacity = {code: 256 << code for code in range(8)}
ddr3_dev_width = {code: 4 << code for code in range(4)}
ddr3_bus_width = {code: 8 << code for code in range(4)}
ddr3_ranks = {code: code + 1 for code in range(4)}


def _ddr3(data):
    density_mbit = 256 << (data[4] & 0x0F)
    ranks = ((data[7] >> 3) & 7) + 1
    width = 4 << (data[7] & 7)
    bus = 8 << (data[8] & 7)
    mtb_ps = 1000.0 * data[10] / data[11] if data[11] else 125.0
    tck = data[12] * mtb_ps + _signed8(data[34])
    return {'capacity_mb': density_mbit // 8 * bus // width * ranks,
            'speed': _speed(tck), 'module_type': data[3] & 0x0F,
            'manufacturer': _manufacturer(data[117], data[118]),
            'serial': bytes(data[122:126]).hex(),
            'model': _part(data[128:146]),
            'ecc': _ecc(data[8]), 'location': data[119],
            'date': (data[120], data[121])}


def _ddr4(data):
    density_mbit = 256 << (data[4] & 0x0F)
    dies = ((data[6] >> 4) & 7) + 1 if data[6] & 0x80 else 1
    ranks = ((data[12] >> 3) & 7) + 1
    width = 4 << (data[12] & 7)
    bus = 8 << (data[13] & 7)
    tck = data[18] * 125 + _signed8(data[125])
    return {'capacity_mb': density_mbit // 8 * bus // width * ranks * dies,
            'speed': _speed(tck), 'module_type': data[3] & 0x0F,
            'manufacturer': _manufacturer(data[320], data[321]),
            'serial': bytes(data[325:329]).hex(),
            'model': _part(data[329:349]),
            'ecc': _ecc(data[13]), 'location': data[322],
            'date': (data[323], data[324])}


_DDR5_DENSITY_GBIT = {1: 4, 2: 8, 3: 12, 4: 16, 5: 24, 6: 32, 7: 48, 8: 64}


def _ddr5(data):
    density_gbit = _DDR5_DENSITY_GBIT.get(data[4] & 0x1F, 0)
    dies = ((data[4] >> 5) & 7) + 1
    width = 4 << ((data[6] >> 5) & 7)
    ranks = ((data[234] >> 3) & 7) + 1
    channel_bus = 8 << (data[235] & 7)
    channels = ((data[235] >> 5) & 3) + 1
    tck = data[20] | data[21] << 8
    capacity = (density_gbit * 1024 // 8 * dies * channel_bus // width *
                ranks * channels)
    return {'capacity_mb': capacity, 'speed': _speed(tck),
            'module_type': data[3] & 0x0F,
            'manufacturer': _manufacturer(data[512], data[513]),
            'serial': bytes(data[517:521]).hex(),
            'model': _part(data[521:551]),
            'ecc': _ecc(data[235]), 'location': data[514],
            'date': (data[515], data[516])}


_DECODERS = {DDR3: _ddr3, DDR4: _ddr4, DDR5: _ddr5}


def decode(data):
    """Decode an SPD image into inventory fields.

    :returns: dict with 'memory_type', 'module_type', 'capacity_mb'
        (a float, as pyghmi), 'speed' (module bandwidth in MB/s, e.g.
        25600 for DDR4-3200, as pyghmi; 'Unknown'), 'ecc' (bool),
        'manufacturer', 'manufacture_location' (the JEDEC location byte),
        'model' (part number bytes, padding stripped, as pyghmi), 'serial',
        'manufacture_date' ('YYYY-Www', 'Unknown' when unset)
    :raises DecodeError: unknown generation or truncated image
    """
    data = bytes(data)
    if not is_spd(data):
        raise DecodeError('not a DDR3/DDR4/DDR5 SPD image (or truncated)')
    kind = data[2]
    fields = _DECODERS[kind](data)
    year, week = fields.pop('date')
    return {
        'memory_type': MEMORY_TYPES[kind],
        'module_type': MODULE_TYPES.get(fields['module_type'],
                                        'type %d' % fields['module_type']),
        'capacity_mb': float(fields['capacity_mb']),
        'speed': speed_from_clock(fields['speed']) if fields['speed']
        else 'Unknown',
        'ecc': fields['ecc'],
        'manufacturer': fields['manufacturer'],
        'manufacture_location': fields['location'],
        'model': fields['model'],
        'serial': fields['serial'],
        'manufacture_date': decode_spd_date(year, week),
    }


def encode(kind, capacity_mb, speed, manufacturer=(1, 0x2C), model='',
           serial=b'\x00\x00\x00\x01', year=0x24, week=0x10, module=1):
    """Build a minimal SPD image that :func:`decode` reads back (tests and
    fakebmc): one rank of x8 devices on a 64-bit bus, density chosen to
    match ``capacity_mb``."""
    tck = int(round(2e6 / speed))
    size = {DDR3: 256, DDR4: 512, DDR5: 1024}[kind]
    data = bytearray(size)
    data[2], data[3] = kind, module
    bank, code = manufacturer
    if kind == DDR5:
        density = capacity_mb // 1024        # Gbit per die: x8, 2 x 32 bit
        data[4] = {v: k for k, v in _DDR5_DENSITY_GBIT.items()}[density]
        data[6] = 1 << 5                                # x8
        data[235] = 1 << 5 | 2                          # 2 x 32-bit
        data[20], data[21] = tck & 0xFF, tck >> 8
        base_m, base_s, base_p, base_d = 512, 517, 521, 515
        part_len = 30
    else:
        # one rank of x8 devices on 64 bits: 8 devices of capacity/8 each
        data[4] = (capacity_mb // 256).bit_length() - 1
        if kind == DDR3:
            data[7], data[8], data[10], data[11] = 1, 3, 1, 8
            data[12] = tck // 125
            data[34] = (tck - data[12] * 125) & 0xFF
            base_m, base_s, base_p, base_d = 117, 122, 128, 120
            part_len = 18
        else:
            data[12], data[13] = 1, 3
            data[18] = tck // 125
            data[125] = (tck - data[18] * 125) & 0xFF
            base_m, base_s, base_p, base_d = 320, 325, 329, 323
            part_len = 20
    data[base_m], data[base_m + 1] = _odd_parity(bank - 1), _odd_parity(code)
    data[base_s:base_s + 4] = serial
    data[base_p:base_p + part_len] = model.encode().ljust(part_len)[
        :part_len]
    data[base_d], data[base_d + 1] = year, week
    return bytes(data)


# ------------------------------------------------- pyghmi 1.6.19's names
# JEDEC SPD byte 2, DRAM device type.
memory_types = {
    1: 'STD FPM DRAM', 2: 'EDO', 3: 'Pipelined Nibble', 4: 'SDRAM',
    5: 'ROM', 6: 'DDR SGRAM', 7: 'DDR SDRAM', 8: 'DDR2 SDRAM',
    9: 'DDR2 SDRAM FB-DIMM', 10: 'DDR2 SDRAM FB-DIMM PROBE',
    11: 'DDR3 SDRAM', 12: 'DDR4 SDRAM', 14: 'DDR4E SDRAM',
    15: 'LPDDR3 SDRAM', 16: 'LPDDR4 SDRAM', 17: 'LPDDR4X SDRAM',
    18: 'DDR5 SDRAM', 19: 'LPDDR5 SDRAM',
}
module_types = MODULE_TYPES
# JEP106 banks as pyghmi kept them: one dict per bank, keyed by the id
# byte with its odd-parity bit.
jedec_ids = [{_odd_parity(code): name for (bank, code), name
              in JEDEC_MANUFACTURERS.items() if bank == number}
             for number in range(1, 1 + max(
                 bank for bank, _ in JEDEC_MANUFACTURERS))]


def decode_manufacturer(index, mfg):
    """Manufacturer name of a JEP106 id (continuation count, id byte)."""
    return _manufacturer(index, mfg)


class SPD:
    """pyghmi 1.6.19's SPD decoder: ``SPD(bytes).info`` is the dict
    :func:`decode` returns (only ``memory_type`` for other generations).

    :param bytedata: the SPD image
    """

    def __init__(self, bytedata):
        self.rawdata = bytearray(bytedata)
        try:
            self.info = decode(self.rawdata)
        except DecodeError:
            kind = self.rawdata[2] if len(self.rawdata) > 2 else 0
            self.info = {'memory_type': memory_types.get(kind, 'Unknown')}
