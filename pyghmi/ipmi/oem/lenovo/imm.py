"""IMM and XCC firmware inventory over IPMI: the codecs and tables, and
the reads as flows (:mod:`pyghmi.ipmi.facade.flows`: they yield their
requests, so that both Commands run them).

Facts from the wire behaviour of pyghmi 1.6.19's IMM/XCC support:

* netfn 3Ah command 50h answers the BMC's build: a 9-byte build id, then
  its build date as text (NULs and runs of blanks between the parts);
* netfn 3Ah command C4h reads an "IMM property" by name: request
  ``00h 00h <length + 1> <80h | length> <name>``; the answer's byte 0 is
  0 when the property exists, byte 3 its type: bit 7 set for text (the
  rest of the answer, blanks and NULs trimmed), 44h for a 4-byte value;
* netfn 3Ah command 6Bh data 00h: the FPGA version, three bytes printed
  in hexadecimal (C1h where there is none);
* an XCC resets its settings to factory defaults on netfn 2Eh command
  CCh with :data:`FACTORY_RESET_REQUEST`.

Dates are parsed from the forms these controllers use; a date in another
form is left out (None), as there.
"""

import datetime
import uuid

from pyghmi.exceptions import DecodeError
from pyghmi.exceptions import IpmiException
from pyghmi.ipmi.facade import flows

NETFN_IMM = 0x3A
# XCC: back to factory settings (netfn 2Eh command CCh, as pyghmi 1.6.19
# sends it)
NETFN_OEM_GROUP = 0x2E
CMD_FACTORY_RESET = 0xCC
FACTORY_RESET_REQUEST = bytes((0x5E, 0x2B, 0x00, 0x0A, 0x01, 0xFF, 0x00,
                               0x00, 0x00))
CMD_BUILD_INFO = 0x50
CMD_PROPERTY = 0xC4
CMD_FPGA = 0x6B
FPGA_REQUEST = b'\x00'
_DATE_FORMATS = ('%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d',
                 '%m/%d/%Y', '%Y-%m-%d', '%m %d %Y')


def _props(prefix, with_date=True):
    keys = (('build', 'build_id'), ('version', 'build_version')) + (
        (('date', 'build_date'),) if with_date else ())
    return tuple((key, prefix + suffix) for key, suffix in keys)


# (name, properties) of the firmware an IMM (IMM2) and an XCC list after
# their own, in order; {bmc} is 'IMM' or 'XCC'.  A group whose
# properties are all missing is left out.
IMM_BACKUP = _props('/v2/ibmc/dm/fw/imm2/backup_')
XCC_BACKUP_PENDING = _props('/v2/ibmc/dm/fw/imm3/backup_pending_')
XCC_BACKUP = _props('/v2/ibmc/dm/fw/imm3/backup_')
XCC_PRIMARY_PENDING = _props('/v2/ibmc/dm/fw/imm3/primary_pending_')
TRUSTED = (('build', '/v2/ibmc/trusted_buildid'),)
UEFI = _props('/v2/bios/')
UEFI_BACKUP = _props('/v2/ibmc/dm/fw/bios/backup_', with_date=False)
UEFI_PENDING = (('build', '/v2/bios/pending_build_id'),)
XCC_TOOLS = (('LXPM', _props('/v2/tdm/')),
             ('LXPM Windows Driver Bundle', _props('/v2/drvwn/')),
             ('LXPM Linux Driver Bundle', _props('/v2/drvln/')))


def property_request(name):
    """The 3Ah C4h request data reading property ``name``."""
    raw = name.encode('utf-8')
    if len(raw) > 0x7F:
        raise ValueError('property name too long')
    return bytes((0x00, 0x00, len(raw) + 1, 0x80 | len(raw))) + raw


def read_property(name):
    """Flow: the value of property ``name`` (:func:`decode_property`)."""
    rsp = yield flows.Xraw(NETFN_IMM, CMD_PROPERTY, property_request(name))
    return decode_property(rsp['data'])


def decode_property(data):
    """The value of a 3Ah C4h answer: text, 4 raw bytes, or None when
    the controller has no such property.

    :raises DecodeError: an answer of another form
    """
    data = bytes(data)
    if not data or data[0] != 0:
        return None
    if len(data) < 4:
        raise DecodeError('IMM property answer too short')
    kind, value = data[3], data[4:]
    if kind & 0x80:
        return value.rstrip(b' \x00').decode('utf-8', 'replace')
    if kind == 0x44:
        if len(value) < 4:
            raise DecodeError('IMM property value truncated')
        return value[:4]
    raise DecodeError('IMM property of unknown type %02Xh' % kind)


def parse_date(text):
    """A build date in one of the controllers' forms, or None."""
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    if not isinstance(text, str):
        return None
    for form in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form)
        except ValueError:
            continue
    return None


def decode_build_info(data):
    """``(build id, build date or None)`` of a 3Ah 50h answer."""
    data = bytes(data)
    build = data[:9].rstrip(b' \x00').decode('utf-8', 'replace')
    date = b' '.join(data[9:].replace(b'\x00', b' ').split())
    return build, parse_date(date)


def bmc_version(bmcver):
    """'major.minor' with two minor digits, as these controllers print
    it ('4.1' -> '4.01')."""
    major, _, minor = str(bmcver).partition('.')
    try:
        return '%d.%02d' % (int(major), int(minor or 0))
    except ValueError:
        return str(bmcver)


def decode_fpga(data):
    """The FPGA version text of a 3Ah 6Bh answer."""
    data = bytes(data)
    if len(data) < 3:
        raise DecodeError('FPGA version answer too short')
    return '%x.%x.%x' % tuple(data[:3])


def group(values):
    """The dict of a property group (dates parsed, missing values left
    out), or None when nothing is there."""
    out = {}
    for key, value in values:
        if key == 'date':
            value = parse_date(value)
        if value not in (None, ''):
            out[key] = value
    return out or None


# The enclosure a dense node sits in (its SMM's data), as properties:
# the UUID as hex text, the bay as a decimal number, serial and model as
# hex bytes of text.
ENCLOSURE_UUID = '/v2/ibmc/smm/chassis/uuid'
ENCLOSURE_BAY = '/v2/cmm/sp/7'
ENCLOSURE_SERIAL = '/v2/ibmc/smm/chassis/sn'
ENCLOSURE_MODEL = '/v2/ibmc/smm/chassis/mtm'


def hex_text(value):
    """Text given as hex bytes ('37 58 32 30' -> '7X20'), trimmed."""
    if not value:
        return ''
    try:
        raw = bytes(int(part, 16) for part in value.split())
    except ValueError:
        raise DecodeError('not hex bytes: %r' % (value,)) from None
    return raw.decode('latin-1').strip(' \xff\x00')


def enclosure():
    """Flow: the 'Enclosure' inventory component of a dense node
    ({'UUID', 'Bay', 'Model', 'Serial'}), or None outside an enclosure.

    :raises DecodeError: a malformed property
    """
    text = yield from read_property(ENCLOSURE_UUID)
    if not text:
        return None
    try:
        guid = uuid.UUID(bytes_le=bytes.fromhex(''.join(text.split())))
    except (ValueError, TypeError):
        raise DecodeError('malformed enclosure UUID') from None
    bay = yield from read_property(ENCLOSURE_BAY)
    try:
        bay = '%x' % int(bay) if bay is not None else None
    except (ValueError, TypeError):
        raise DecodeError('malformed enclosure bay') from None
    model = yield from read_property(ENCLOSURE_MODEL)
    serial = yield from read_property(ENCLOSURE_SERIAL)
    return {'UUID': str(guid).upper(), 'Bay': bay,
            'Model': hex_text(model), 'Serial': hex_text(serial)}


def _wants(components, *names):
    return not components or bool(set(names) & components)


def firmware(kind, bmcver, components, category):
    """Listing flow: ``(name, dict)`` for the firmware of an IMM
    (``kind`` 'imm') or XCC ('xcc') that IPMI reaches: the BMC (version, build,
    date), its backup and trusted images, its pending update (XCC),
    UEFI, UEFI backup (IMM) and pending update, LXPM and its driver
    bundles (XCC), the FPGA.  Adapters, drives, power supplies and LXUM
    are HTTPS services, left out.

    :param components: names wanted ('bmc', 'imm', 'xcc', 'uefi',
        'bios', 'lxpm', 'fpga', 'core'); empty for all
    :param category: 'all', 'core' or None (XCC: others list nothing)
    """
    components = set(components or ())
    if kind == 'xcc' and (category or 'all') not in ('all', 'core') and \
            'core' not in components:
        return
    bmc = kind.upper()

    if _wants(components, 'imm', 'xcc', 'bmc', 'core'):
        rsp = yield flows.Xraw(NETFN_IMM, CMD_BUILD_INFO)
        build, date = decode_build_info(rsp['data'])
        yield bmc, {'version': bmc_version(bmcver), 'build': build,
                    'date': date}
        if kind == 'imm':
            backup = yield from _read_group(IMM_BACKUP)
        else:
            backup = (yield from _read_group(XCC_BACKUP_PENDING)) or \
                (yield from _read_group(XCC_BACKUP))
        if backup:
            yield bmc + ' Backup', backup
            trusted = yield from _read_group(TRUSTED)
            if trusted:
                yield bmc + ' Trusted Image', trusted
        if kind == 'xcc':
            pending = yield from _read_group(XCC_PRIMARY_PENDING)
            if pending:
                yield bmc + ' Pending Update', pending
    if _wants(components, 'uefi', 'bios', 'core'):
        uefi = yield from _read_group(UEFI)
        if uefi or kind == 'imm':
            yield 'UEFI', uefi or {'version': 'unknown'}
        if kind == 'imm':
            backup = yield from _read_group(UEFI_BACKUP)
            if backup:
                yield 'UEFI Backup', backup
        pending = yield from _read_group(UEFI_PENDING)
        if pending:
            yield 'UEFI Pending Update', pending
    if kind == 'xcc' and _wants(components, 'lxpm', 'core'):
        for name, table in XCC_TOOLS:
            tool = yield from _read_group(table)
            if tool:
                yield name, tool
    if _wants(components, 'fpga', 'core'):
        try:
            rsp = yield flows.Xraw(NETFN_IMM, CMD_FPGA, FPGA_REQUEST)
        except IpmiException as err:
            if err.ipmicode != 0xC1:    # no FPGA: invalid command
                raise
            return
        yield 'FPGA', {'version': decode_fpga(rsp['data'])}


def _read_group(table):
    """Flow: the properties of ``table`` read and grouped
    (:func:`group`)."""
    values = []
    for key, name in table:
        values.append((key, (yield from read_property(name))))
    return group(values)
