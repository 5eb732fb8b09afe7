"""FRU inventory data: decoding, encoding and reading (pure + reader).

Layout from the IPMI Platform Management FRU Information Storage
Definition v1.0: common header (8), chassis info (10), board info (11),
product info (12) and multirecord (16) areas; type/length fields via
:mod:`pyghmi.ipmi.private.codec.typelen`.

Rules: :func:`decode` takes untrusted bytes and returns a dict or raises
:class:`pyghmi.exceptions.DecodeError`; a bad area checksum is reported in
``warnings`` with the data still returned; :class:`FruReader` reads the
device (chunk step-down shared with the SDR and SEL readers, and
word-addressed devices).
"""

import logging
import struct
import time
import uuid
from typing import Any, Dict, List

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import spd
from pyghmi.ipmi.private.client import chunked
from pyghmi.ipmi.private.codec import typelen
from pyghmi.ipmi.private.codec.layout import B, F, Layout, S, U

LOG = logging.getLogger(__name__)
FRU_EPOCH = 820454400          # 1996-01-01 00:00 UTC
END_OF_FIELDS = 0xC1

CHASSIS_TYPES = {
    1: 'Other', 2: 'Unknown', 3: 'Desktop', 4: 'Low Profile Desktop',
    5: 'Pizza Box', 6: 'Mini Tower', 7: 'Tower', 8: 'Portable',
    9: 'Laptop', 0x0A: 'Notebook', 0x0B: 'Hand Held',
    0x0C: 'Docking Station', 0x0D: 'All in One', 0x0E: 'Sub Notebook',
    0x0F: 'Space-saving', 0x10: 'Lunch Box', 0x11: 'Main Server Chassis',
    0x12: 'Expansion Chassis', 0x13: 'SubChassis',
    0x14: 'Bus Expansion Chassis', 0x15: 'Peripheral Chassis',
    0x16: 'RAID Chassis', 0x17: 'Rack Mount Chassis',
    0x18: 'Sealed-case PC', 0x19: 'Multi-system chassis',
    0x1A: 'Compact PCI', 0x1B: 'Advanced TCA', 0x1C: 'Blade',
    0x1D: 'Blade Enclosure', 0x1E: 'Tablet', 0x1F: 'Convertible',
    0x20: 'Detachable', 0x21: 'IoT Gateway', 0x22: 'Embedded PC',
    0x23: 'Mini PC', 0x24: 'Stick PC',
}
# Field names of each area, in order, as pyghmi reported them.
CHASSIS_FIELDS = ('Chassis part number', 'Chassis serial number')
BOARD_FIELDS = ('Board manufacturer', 'Board product name',
                'Board serial number', 'Board model', 'Board FRU Id')
PRODUCT_FIELDS = ('Manufacturer', 'Product name', 'Model',
                  'Hardware Version', 'Serial Number', 'Asset Number',
                  'FRU ID')
# Common header (FRU spec section 8): offsets count 8-byte units.
COMMON_HEADER = Layout('FRU common header (FRU spec 8)', [
    B('format', 0, 0, 4, default=1),
    U('internal_offset', 1), U('chassis_offset', 2), U('board_offset', 3),
    U('product_offset', 4), U('multirecord_offset', 5), U('pad', 6),
    U('checksum', 7),
])
HEADER_AREAS = (('chassis_offset', 'chassis'), ('board_offset', 'board'),
                ('product_offset', 'product'))
# Area heads (sections 10, 11, 12): format, length in 8-byte units, then
# area-specific bytes; type/length fields follow at FIELDS_AT.
_AREA = [B('format', 0, 0, 4, default=1), U('length', 1)]
CHASSIS_HEAD = Layout('chassis info area (FRU spec 10)', [
    *_AREA, U('chassis_type', 2, default=0x17)])
BOARD_HEAD = Layout('board info area (FRU spec 11)', [
    *_AREA, U('language', 2), U('minutes', 3, 3)])
PRODUCT_HEAD = Layout('product info area (FRU spec 12)', [
    *_AREA, U('language', 2)])
FIELDS_AT = {'chassis': 3, 'board': 6, 'product': 3}
# MultiRecord header (section 16.1).
MULTIRECORD_HEADER = Layout('multirecord header (FRU spec 16.1)', [
    U('type', 0), B('format', 1, 0, 4, default=2), F('end_of_list', 1, 7),
    U('length', 2), U('record_checksum', 3), U('header_checksum', 4),
])
# Power supply information, type 00h (FRU spec 18.1).
POWER_SUPPLY = Layout('power supply information (FRU spec 18.1)', [
    B('capacity', 0, 0, 8), B('capacity_high', 1, 0, 4),
    U('peak_va', 2, 2), U('inrush_current', 4), U('inrush_interval', 5),
    U('low_input_1', 6, 2), U('high_input_1', 8, 2),
    U('low_input_2', 10, 2), U('high_input_2', 12, 2),
    U('low_frequency', 14), U('high_frequency', 15),
    U('dropout_tolerance', 16), U('flags', 17), U('peak_wattage', 18, 2),
    U('combined_wattage', 20), U('tach_threshold', 21),
])
# DC output, type 01h (FRU spec 18.2).
DC_OUTPUT = Layout('DC output (FRU spec 18.2)', [
    B('output_number', 0, 0, 4), F('standby', 0, 7),
    S('nominal_voltage', (1, 0, 8), (2, 0, 8), signed=True),
    U('max_negative_deviation', 3, 2), U('max_positive_deviation', 5, 2),
    U('ripple', 7, 2), U('min_current', 9, 2), U('max_current', 11, 2),
])
MANAGEMENT_ACCESS_UUID = 0x07

MULTIRECORD_TYPES = {0x00: 'Power Supply', 0x01: 'DC Output',
                     0x02: 'DC Load', 0x03: 'Management Access',
                     0x04: 'Base Compatibility',
                     0x05: 'Extended Compatibility'}


def _fru_minutes(minutes):
    # Minutes since 1996-01-01 00:00 UTC; 0 means unspecified (FRU 11).
    if minutes == 0:
        return None
    return time.strftime('%Y-%m-%dT%H:%M',
                         time.gmtime(FRU_EPOCH + minutes * 60))


def _field_text(kind, raw):
    # pyghmi's shapes: an empty field is None, a binary field stays raw
    if not raw:
        return None
    if kind == typelen.BINARY:
        return bytearray(raw)
    return typelen.decode_string(kind, raw)


def _fields(data, offset, names, end):
    """Read named fields then custom ones until the 0xC1 marker."""
    values, extra = {}, []
    index = 0
    while offset < end and data[offset] != END_OF_FIELDS:
        kind, raw, offset = typelen.read_field(data, offset)
        text = _field_text(kind, raw)
        if index < len(names):
            values[names[index]] = text
        else:
            extra.append(text)
        index += 1
    for name in names[index:]:
        values[name] = None
    return values, extra


def _area(data, offset, head, what, warnings):
    """Decode an area's head; returns ``(head fields, end offset)``."""
    if offset + 2 > len(data):
        raise exc.DecodeError('%s area starts past the data' % what)
    fields = head.decode(data[offset:])
    length = fields['length'] * 8
    if length == 0 or offset + length > len(data):
        raise exc.DecodeError('%s area runs past the data' % what)
    if sum(data[offset:offset + length]) & 0xFF:
        warnings.append('%s area checksum mismatch' % what)
    return fields, offset + length


def _chassis(data, offset, info, warnings):
    head, end = _area(data, offset, CHASSIS_HEAD, 'chassis', warnings)
    info['Chassis type'] = CHASSIS_TYPES.get(head['chassis_type'],
                                             'Unknown')
    values, extra = _fields(data, offset + FIELDS_AT['chassis'],
                            CHASSIS_FIELDS, end)
    info.update(values)
    info['chassis_extra'] = extra


def _board(data, offset, info, warnings):
    head, end = _area(data, offset, BOARD_HEAD, 'board', warnings)
    minutes = head['minutes']
    info['Board manufacture date'] = _fru_minutes(minutes)
    values, extra = _fields(data, offset + FIELDS_AT['board'],
                            BOARD_FIELDS, end)
    info.update(values)
    info['board_extra'] = extra


def _product(data, offset, info, warnings):
    _, end = _area(data, offset, PRODUCT_HEAD, 'product', warnings)
    values, extra = _fields(data, offset + FIELDS_AT['product'],
                            PRODUCT_FIELDS, end)
    info.update(values)
    info['product_extra'] = extra


def _multirecords(data, offset, info, warnings):
    records = []
    for _ in range(256):                       # bounded walk
        head = MULTIRECORD_HEADER.decode(data[offset:offset + 5])
        kind, length = head['type'], head['length']
        if sum(data[offset:offset + 5]) & 0xFF:
            warnings.append('multirecord header checksum mismatch')
        body = bytes(data[offset + 5:offset + 5 + length])
        if len(body) != length:
            raise exc.DecodeError('multirecord runs past the data')
        if (sum(body) + head['record_checksum']) & 0xFF:
            warnings.append('multirecord %d checksum mismatch' % kind)
        records.append(_decode_multirecord(kind, body, info))
        offset += 5 + length
        if head['end_of_list']:
            break
    info['multirecords'] = records


def _decode_multirecord(kind, body, info):
    record = {'type': MULTIRECORD_TYPES.get(kind, 'OEM 0x%02x' % kind),
              'type_id': kind, 'raw': body.hex()}
    if kind == 0x03 and body:                     # management access
        sub = body[0]
        if sub == MANAGEMENT_ACCESS_UUID and len(body) >= 17:
            record['system_uuid'] = str(uuid.UUID(bytes_le=body[1:17]))
        else:
            record['value'] = body[1:].decode('latin-1')
        record['subtype'] = sub
    elif kind == 0x00 and len(body) >= POWER_SUPPLY.min_length:
        ps = POWER_SUPPLY.decode(body)
        record['capacity_watts'] = ps['capacity'] | ps['capacity_high'] << 8
        record['peak_va'] = ps['peak_va']
        record['low_input_voltage_1_10mv'] = ps['low_input_1']
    elif kind == 0x01 and len(body) >= DC_OUTPUT.min_length:
        dc = DC_OUTPUT.decode(body)
        record['output_number'] = dc['output_number']
        record['nominal_voltage_10mv'] = dc['nominal_voltage']
        record['max_current_ma'] = dc['max_current']
    return record


def decode(data):
    """Decode a whole FRU image.

    :returns: dict of pyghmi's field names ('Board manufacturer', ...;
        None when empty, a bytearray when of binary type), ``*_extra``
        custom field lists, ``multirecords`` and ``warnings`` (the last two
        are details: ``Command.get_inventory`` keeps them only when asked)
    :raises DecodeError: no valid common header, or areas out of range
    """
    data = bytes(data)
    header = COMMON_HEADER.decode(data)
    if header['format'] != 1:
        raise exc.DecodeError('unknown FRU common header format')
    warnings: List[str] = []
    if sum(data[:8]) & 0xFF:
        raise exc.DecodeError('FRU common header checksum mismatch')
    info: Dict[str, Any] = {}
    try:
        for name, handler in (('chassis_offset', _chassis),
                              ('board_offset', _board),
                              ('product_offset', _product),
                              ('multirecord_offset', _multirecords)):
            if header[name]:
                handler(data, header[name] * 8, info, warnings)
    except IndexError:
        raise exc.DecodeError('FRU area truncated') from None
    info['warnings'] = warnings
    for warning in warnings:
        LOG.warning('FRU: %s', warning)
    return info


# ------------------------------------------------------------- encoding
def _pad_area(body):
    body = bytes(body) + bytes((END_OF_FIELDS,))
    while (len(body) + 1) % 8:
        body += b'\x00'
    return body + bytes((-sum(body) & 0xFF,))


def _encode_fields(values, kinds=None):
    out = b''
    for index, value in enumerate(values):
        kind = (kinds or {}).get(index, typelen.LATIN1)
        if kind == typelen.BCD_PLUS:
            digits = value + ('' if len(value) % 2 == 0 else ' ')
            raw = bytes(int('0123456789 -.:,_'.index(digits[i]) << 4 |
                            '0123456789 -.:,_'.index(digits[i + 1]))
                        for i in range(0, len(digits), 2))
            out += bytes((0x40 | len(raw),)) + raw
        elif kind == typelen.BINARY:
            raw = bytes.fromhex(value)
            out += bytes((len(raw),)) + raw
        elif kind == typelen.LATIN1 and len(value) == 1:
            # its type/length byte would be C1h, which ends the fields
            # (FRU specification section 13: two bytes at least)
            raise ValueError('a one-character 8-bit FRU field reads as '
                             'the end of the fields (C1h)')
        else:
            out += typelen.encode_field(value, kind)
    return out


def encode(chassis=None, board=None, product=None, multirecords=(),
           corrupt=None):
    """Build a FRU image (used by fakebmc; round-trips with decode).

    :param chassis: ``{'type': code, 'fields': [...], 'kinds': {i: kind}}``
    :param board: ``{'minutes': N, 'fields': [...], 'kinds': {...}}``
    :param product: ``{'fields': [...], 'kinds': {...}}``
    :param multirecords: list of ``(type id, body bytes)``
    :param corrupt: name of an area whose checksum to break, for tests
    """
    areas = {}
    if chassis is not None:
        areas['chassis'] = CHASSIS_HEAD.encode(
            chassis_type=chassis.get('type', 0x17)) + _encode_fields(
                chassis['fields'], chassis.get('kinds'))
    if board is not None:
        areas['board'] = BOARD_HEAD.encode(
            minutes=board.get('minutes', 0)) + _encode_fields(
                board['fields'], board.get('kinds'))
    if product is not None:
        areas['product'] = PRODUCT_HEAD.encode() + _encode_fields(
            product['fields'], product.get('kinds'))
    offsets = {}
    image = b''
    for key, name in HEADER_AREAS:
        if name not in areas:
            continue
        area = bytearray(_pad_area(areas[name]))
        area[1] = len(area) // 8
        area[-1] = -sum(area[:-1]) & 0xFF
        if corrupt == name:
            area[-1] ^= 0x5A
        offsets[key] = (8 + len(image)) // 8
        image += area
    if multirecords:
        offsets['multirecord_offset'] = (8 + len(image)) // 8
        image += _encode_multirecords(multirecords)
    header = bytearray(COMMON_HEADER.encode(**offsets))
    header[7] = -sum(header[:7]) & 0xFF
    return bytes(header) + image


def _encode_multirecords(multirecords):
    out = b''
    for position, (kind, body) in enumerate(multirecords):
        head = bytearray(MULTIRECORD_HEADER.encode(
            type=kind, end_of_list=position == len(multirecords) - 1,
            length=len(body), record_checksum=-sum(body) & 0xFF))
        head[4] = -sum(head[:4]) & 0xFF
        out += bytes(head) + bytes(body)
    return out


# ------------------------------------------------------------------ reading
class FruReader:
    """Reads a FRU device.

    :meth:`read_flow` is a flow (:mod:`pyghmi.ipmi.facade.flows`) that a
    Command of either driver runs; :meth:`read` runs it through the
    ``xraw`` callables given.  Chunk step-down goes through
    :class:`pyghmi.ipmi.private.client.chunked.ChunkedReader` (FRU reads
    take no reservation); word-addressed devices count offsets in words.

    :param xraw: ``xraw_command``-like callable (None: flows only)
    :param bridge: bridge request dict for FRUs on other controllers
    :param xraw_many: ``Command.xraw_commands``-like callable: once the
        first chunk shows the size the device takes, the other chunks
        (their offsets are known) are requested at once, pipelined
    :param pipelined: request ahead in the flow (default: when
        ``xraw_many`` is given)
    """

    CHUNKS = (64, 32, 16, 8)

    def __init__(self, xraw=None, fru_id=0, bridge=None, xraw_many=None,
                 pipelined=None):
        self._driver = flows.Blocking(xraw, xraw_many)
        self._pipelined = xraw_many is not None if pipelined is None \
            else pipelined
        self.fru_id = fru_id
        self.bridge = bridge
        self.reader = chunked.ChunkedReader(self.CHUNKS)
        self.round_trips = 0

    def _call(self, cmd, data):
        self.round_trips += 1
        rsp = yield flows.Xraw(const.NETFN_STORAGE, cmd, data=data,
                               bridge_request=self.bridge)
        return bytes(rsp['data'])

    def read(self):
        """The whole FRU image (bytes).

        :raises IpmiException: refused or absent device
        """
        return self._driver.run(self.read_flow())

    def read_flow(self):
        """Flow of :meth:`read`."""
        info = yield from self._call(const.CMD_GET_FRU_AREA_INFO,
                                     bytes((self.fru_id,)))
        if len(info) < 3:
            raise exc.BmcErrorException('short FRU inventory area info')
        size, access = struct.unpack_from('<HB', info)
        unit = 2 if access & 1 else 1
        out = b''
        while len(out) < size:
            if out and self._pipelined:
                more = yield from self._ahead(len(out), size, unit)
                if more:
                    out += more
                    continue
                self._pipelined = False     # one at a time from here
            offset = len(out)

            def send(_reservation, chunk):
                count = min(chunk, size - offset)
                return (yield from self._call(
                    const.CMD_READ_FRU_DATA, struct.pack(
                        '<BHB', self.fru_id, offset // unit,
                        max(1, count // unit))))
            data = yield from self.reader.request(send)
            if not data or data[0] == 0:
                break                   # device returned nothing more
            out += data[1:1 + data[0] * unit]
        return out[:size]

    def _ahead(self, start, size, unit):
        """Flow: request every chunk from ``start`` to ``size`` at once,
        in the chunk size that worked; returns the bytes read in order up
        to the first chunk that failed or came back short."""
        chunk = self.reader.size
        offsets = list(range(start, size, chunk))
        results = yield flows.XrawMany([
            {'netfn': const.NETFN_STORAGE,
             'command': const.CMD_READ_FRU_DATA,
             'data': struct.pack('<BHB', self.fru_id, offset // unit,
                                 max(1, min(chunk, size - offset) // unit)),
             'bridge_request': self.bridge or ()}
            for offset in offsets])
        self.round_trips += len(offsets)
        out = b''
        for offset, result in zip(offsets, results):
            if isinstance(result, Exception):
                break
            data = bytes(result['data'])
            want = min(chunk, size - offset)
            if not data or data[0] * unit < want:
                break
            out += data[1:1 + want]
        return out


def decode_inventory(data):
    """FRU bytes -> inventory dict; DIMM SPD images are decoded as such.

    :raises DecodeError: neither a FRU image nor a known SPD image
    """
    if data and data[0] != 0x01 and spd.is_spd(data):
        return spd.decode(data)
    return decode(data)


def read_inventory_flow(fru_id=0, locator=None):
    """Flow: read and decode one FRU device, its chunks pipelined.

    :param locator: its FRU device locator record, for devices behind
        another controller (read with bridged requests)
    """
    reader = FruReader(None, fru_id, bridge_for(locator), pipelined=True)
    return decode_inventory((yield from reader.read_flow()))


def read_inventory(xraw, fru_id=0, locator=None, xraw_many=None):
    """:func:`read_inventory_flow` through ``xraw_command``-like
    callables (``xraw_many``: ``xraw_commands``-like, to read the chunks
    pipelined)."""
    return decode_inventory(FruReader(xraw, fru_id, bridge_for(locator),
                                      xraw_many).read())


def bridge_for(locator):
    """The bridge request for a FRU device behind another controller
    (its locator's access address), or None for the BMC's own."""
    address = getattr(locator, 'access_address', 0)
    if locator is None or address in (0, const.BMC_SLAVE_ADDR):
        return None
    return {'addr': address, 'channel': locator.channel}


# ------------------------------------------------- pyghmi 1.6.19's names
fruepoch = FRU_EPOCH
enclosure_types = CHASSIS_TYPES


def unpack6bitascii(inputdata):
    """Text of 6-bit packed ASCII bytes (FRU spec 13.3)."""
    return typelen.decode_ascii6(bytes(inputdata))


def decode_fru_date(datebytes):
    """'YYYY-MM-DDTHH:MM' (UTC) of the 3-byte little-endian minute count
    of a board area, or None when unspecified (0)."""
    data = bytes(datebytes)[:3]
    if len(data) < 3:
        return None
    return _fru_minutes(int.from_bytes(data, 'little'))


class FRU:
    """pyghmi 1.6.19's FRU reader: ``FRU(rawdata=...)`` decodes an image,
    ``FRU(ipmicmd=..., fruid=N)`` reads FRU device N first; the decoded
    fields are in ``info`` (None when the device is absent).

    :param rawdata: a FRU or SPD image (bytes), or None
    :param ipmicmd: a :class:`pyghmi.ipmi.command.Command` to read with
    :param fruid: the FRU device id
    :param sdr: the device's FRU locator record (read across a bridge
        when it sits behind another controller)
    :raises TypeError: neither rawdata nor ipmicmd
    :raises BmcErrorException: the image cannot be decoded
    """

    # Get FRU Inventory Area Info / Read FRU Data answers meaning
    # "no such device here" (timeout, out of range, absent, busy).
    ABSENT_CODES = (0xC3, 0xC9, 0xCB, 0x81)

    def __init__(self, rawdata=None, ipmicmd=None, fruid=0, sdr=None):
        self.rawfru = rawdata
        self.databytes: Any = None
        self.info = None
        self.sdr = sdr
        self.ipmicmd = ipmicmd
        if rawdata is None:
            if ipmicmd is None:
                raise TypeError('Either rawdata or ipmicmd must be '
                                'specified')
            try:
                self.fetch_fru(fruid)
            except exc.IpmiException as err:
                if err.ipmicode in self.ABSENT_CODES:
                    return
                raise
        self.parsedata()

    def fetch_fru(self, fruid):
        """Read FRU device ``fruid`` into ``rawfru`` (a bytearray)."""
        self.rawfru = bytearray(FruReader(self.ipmicmd.xraw_command, fruid,
                                          bridge_for(self.sdr)).read())

    def parsedata(self):
        """Decode ``rawfru`` into ``info`` (FRU areas or DIMM SPD)."""
        self.databytes = bytearray(self.rawfru)
        if not self.databytes:
            self.info = {}
            return
        try:
            info = decode_inventory(self.databytes)
        except exc.DecodeError as err:
            raise exc.BmcErrorException('FRU %s' % err) from None
        info.pop('warnings', None)
        info.pop('multirecords', None)
        self.info = info

    def extract_extra(self, target, offset, language=0):
        """Append the fields from ``offset`` up to the end marker (C1h) to
        ``target``; stops quietly at the end of a damaged image."""
        try:
            values, extra = _fields(self.databytes, offset, (),
                                    len(self.databytes))
        except exc.DecodeError:
            return
        target.extend(extra)

    def __repr__(self):
        return repr(self.info)
