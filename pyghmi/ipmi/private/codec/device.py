"""Get Device ID (IPMI v2.0 section 20.1, table 20-2): one codec for both
ends.  The client decodes with :func:`decode_device_id`; ``Bmc`` answers
with :func:`encode_device_id`.
"""

from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, S, U

# Response data after the completion code (table 20-2).
DEVICE_ID = Layout('Get Device ID response (table 20-2)', [
    U('device_id', 0),
    B('device_revision', 1, 0, 4),
    F('provides_device_sdrs', 1, 7),
    B('firmware_major', 2, 0, 7),
    F('update_in_progress', 2, 7),
    U('firmware_minor', 3),            # BCD
    B('ipmi_major', 4, 0, 4),
    B('ipmi_minor', 4, 4, 4),
    U('additional_support', 5),
    S('manufacturer_id', (6, 0, 8), (7, 0, 8), (8, 0, 4)),   # 20 bits
    U('product_id', 9, 2),
    Raw('aux_firmware', 11, 4, optional=True),
])

# Additional device support bits (table 20-2, byte 6), bit 0 first.
ADDITIONAL_SUPPORT = ('sensor', 'sdr-repository', 'sel', 'fru',
                      'ipmb-event-receiver', 'ipmb-event-generator',
                      'bridge', 'chassis')


def firmware_text(major, minor):
    """'major.minor' with the BCD minor as two digits, as ipmitool prints."""
    return '%d.%02x' % (major, minor)


def decode_device_id(data):
    """Decode Get Device ID response data.

    :returns: dict with ``device_id``, ``device_revision``,
        ``firmware_version`` ('1.23'), ``ipmi_version`` ('2.0'),
        ``manufacturer_id``, ``product_id``, ``device_available``,
        ``provides_device_sdrs``, ``additional_support`` (list of names)
        and ``aux_firmware`` (bytes, may be empty)
    :raises DecodeError: shorter than 11 bytes
    """
    f = DEVICE_ID.decode(data)
    return {
        'device_id': f['device_id'],
        'device_revision': f['device_revision'],
        'provides_device_sdrs': f['provides_device_sdrs'],
        'device_available': not f['update_in_progress'],
        'firmware_version': firmware_text(f['firmware_major'],
                                          f['firmware_minor']),
        'ipmi_version': '%d.%d' % (f['ipmi_major'], f['ipmi_minor']),
        'additional_support': [name for bit, name in
                               enumerate(ADDITIONAL_SUPPORT)
                               if f['additional_support'] & (1 << bit)],
        'manufacturer_id': f['manufacturer_id'],
        'product_id': f['product_id'],
        'aux_firmware': f['aux_firmware'],
    }


def encode_device_id(device_id=0, revision=0, firmware_major=1,
                     firmware_minor=0, ipmi_version=0x02,
                     additional_support=0, manufacturer_id=0, product_id=0,
                     aux_firmware=None):
    """Build Get Device ID response data.

    :param revision: device revision; bit 7 set means "provides Device
        SDRs" (pyghmi's ``Bmc.revision`` carries it that way)
    :param ipmi_version: the BCD byte (0x02 for 2.0, 0x51 for 1.5)
    :param aux_firmware: 4 bytes, or None to leave them out
    """
    extra = {} if aux_firmware is None else {'aux_firmware': aux_firmware}
    return DEVICE_ID.encode(
        device_id=device_id & 0xFF, device_revision=revision & 0x0F,
        provides_device_sdrs=bool(revision & 0x80),
        firmware_major=firmware_major & 0x7F,
        firmware_minor=firmware_minor & 0xFF,
        ipmi_major=ipmi_version & 0x0F, ipmi_minor=(ipmi_version >> 4) & 0xF,
        additional_support=additional_support & 0xFF,
        manufacturer_id=manufacturer_id & 0xFFFFF,
        product_id=product_id & 0xFFFF, **extra)
