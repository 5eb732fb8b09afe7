"""What Lenovo controllers put in the custom ("extra") fields of their
FRU data, read into the inventory dicts (no I/O).

Facts from pyghmi 1.6.19's Lenovo handler, which reads them so:

* ThinkServer TSM: six board extra fields, the third to sixth being WWN
  1, WWN 2, MAC address 1 and MAC address 2 (text; all-zero values mean
  none); the first product extra field, when binary, is the system UUID
  as SMBIOS presents it (IPMI wire order, padded to 16 bytes; all 20h,
  00h or FFh means none);
* IMM / XCC: board extra field 1 is the FRU number, field 5 the
  revision, field 7 (binary) the MAC addresses, six bytes each, until an
  all-zero one or one with another vendor prefix (first three bytes);
* SMM / SMMv2 enclosure managers: the serial number and model of every
  FRU come from netfn 32h command B0h data (05h, 01h) and (05h, 00h),
  text from offset 0 (SMM) or 2 (SMMv2), blanks and FFh removed.

pyghmi 1.6.19 gives these values as bytes on Python 3 (and numbers the
IMM MAC addresses 1.0, 2.0...); here they are text, numbered 1, 2...
"""

from typing import Any, Sequence

from pyghmi.ipmi.oem.lenovo import nextscale
from pyghmi.ipmi.private import util

TSM_BOARD_EXTRA = (('WWN 1', '0000000000000000'),
                   ('WWN 2', '0000000000000000'),
                   ('MAC Address 1', '00:00:00:00:00:00'),
                   ('MAC Address 2', '00:00:00:00:00:00'))
_BLANK_UUIDS = (b' ' * 16, b'\x00' * 16, b'\xff' * 16)


def refine_tsm(fru):
    """Name a TSM FRU's WWNs, MAC addresses and UUID (in place)."""
    fru['oem_parser'] = 'lenovo'
    extra: Sequence[Any] = fru.get('board_extra') or ()
    if len(extra) == 6:
        for (name, blank), value in zip(TSM_BOARD_EXTRA, extra[2:]):
            if isinstance(value, str) and value not in (blank, ''):
                fru[name] = value
    product = fru.get('product_extra') or ()
    if product and isinstance(product[0], (bytes, bytearray)) and \
            len(product[0]) <= 16:
        guid = bytes(product[0]).ljust(16, b'\x00')
        if guid not in _BLANK_UUIDS:
            fru['UUID'] = util.decode_wireformat_uuid(guid)
    return fru


def refine_imm(fru):
    """Name an IMM/XCC FRU's number, revision and MAC addresses."""
    fru['oem_parser'] = 'lenovo'
    extra: Sequence[Any] = fru.get('board_extra') or ()
    if len(extra) > 0:
        fru['FRU Number'] = extra[0]
    if len(extra) > 4:
        fru['Revision'] = extra[4]
    if len(extra) > 6 and isinstance(extra[6], (bytes, bytearray)):
        for number, mac in enumerate(_macs(bytes(extra[6])), 1):
            fru['MAC Address %d' % number] = mac
    return fru


def _macs(data):
    prefix = None
    for offset in range(0, len(data) - 5, 6):
        mac = data[offset:offset + 6]
        if mac == b'\x00' * 6 or (prefix is not None and
                                  mac[:3] != prefix):
            return
        prefix = mac[:3]
        yield ':'.join('%02x' % b for b in mac)


def refine_smm(fru, serial, model, variant):
    """Name an SMM FRU's serial number and model from the two answers
    (either None when refused)."""
    fru['oem_parser'] = 'lenovo'
    if serial is not None:
        fru['Serial Number'] = nextscale.smm_text(serial, variant)
    if model is not None:
        fru['Model'] = nextscale.smm_text(model, variant)
    return fru
