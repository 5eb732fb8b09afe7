"""Platform Event Traps (PET v1.0, carried in SNMPv1 Trap-PDUs): what a
BMC sends to an alert destination for a logged event.  The decoder of
the PET data is ``pyghmi.ipmi.events.decode_pet``; this module builds
traps (for the Bmc framework and fakebmc) with the minimal BER encoding
SNMPv1 needs.

PET data (47 bytes, PET 1.0 table "variable bindings"): GUID (16),
sequence number (2, big-endian), local timestamp (4, seconds since
1998-01-01), UTC offset (2), trap source type, event source type, event
severity, sensor device (generator id), sensor number, entity, entity
instance, event data (8), language code, manufacturer IANA (4), system
id (2), then the OEM custom field terminator C1h.  The specific trap
number packs the sensor type (bits 23:16), event type (15:8) and the
offset (3:0, bit 7 set for a deassertion).
"""

import struct

# OIDs of the PET trap (the IPMI forum's enterprise 3183).
ENTERPRISE = (1, 3, 6, 1, 4, 1, 3183, 1, 1)
VARBIND = (1, 3, 6, 1, 4, 1, 3183, 1, 1, 1)
ENTERPRISE_SPECIFIC = 6
PET_EPOCH = 883612800        # 1998-01-01 UTC
TRAP_PORT = 162
SOURCE_BMC = 0x20            # trap / event source type: a BMC
UNKNOWN_SEVERITY = 0x00     # event severity: not given
NO_OEM_FIELDS = 0xC1


# -------------------------------------------------------------- BER
def _length(size):
    if size < 0x80:
        return bytes((size,))
    body = size.to_bytes((size.bit_length() + 7) // 8, 'big')
    return bytes((0x80 | len(body),)) + body


def tlv(tag, body):
    """One BER type-length-value."""
    return bytes((tag,)) + _length(len(body)) + bytes(body)


def integer(value, tag=0x02):
    """A BER INTEGER (or an application type sharing its encoding)."""
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), 'big',
                          signed=True)
    return tlv(tag, body)


def unsigned(value, tag):
    """TimeTicks, Counter...: non-negative, encoded as INTEGER."""
    return integer(value, tag)


def oid(parts):
    """A BER OBJECT IDENTIFIER."""
    body = bytearray((40 * parts[0] + parts[1],))
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


# -------------------------------------------------------------- PET
def pet_data(record, guid, sequence, manufacturer=0, system_id=0,
             timestamp=None):
    """The 47-byte PET variable binding of a SEL system event record.

    :param record: the 16-byte SEL record (type 02h)
    :param guid: the system GUID (16 bytes, as Get System GUID gives)
    :param sequence: the trap sequence number (the record id)
    :param timestamp: Unix seconds of the event (the record's if None)
    """
    record = bytes(record)
    if timestamp is None:
        timestamp = struct.unpack_from('<I', record, 3)[0]
    stamp = max(0, timestamp - PET_EPOCH) & 0xFFFFFFFF
    generator, sensor_number = record[7], record[11]
    data = bytes(guid)[:16].ljust(16, b'\x00')
    data += struct.pack('>HIH', sequence & 0xFFFF, stamp, 0xFFFF)
    data += bytes((SOURCE_BMC, SOURCE_BMC, UNKNOWN_SEVERITY, generator,
                   sensor_number, 0, 0))
    data += record[13:16] + b'\xff' * 5        # event data 1-3, unused
    data += b'\x19'                            # language: English
    data += struct.pack('>IH', manufacturer, system_id)
    return data + bytes((NO_OEM_FIELDS,))


def specific_trap(record):
    """The specific trap number of a SEL system event record."""
    record = bytes(record)
    offset = record[13] & 0x0F
    if record[12] & 0x80:
        offset |= 0x80                          # a deassertion
    return (record[10] << 16) | ((record[12] & 0x7F) << 8) | offset


def trap(record, guid, community, agent_address, uptime_ticks,
         manufacturer=0, system_id=0):
    """The SNMPv1 Trap-PDU datagram carrying a PET for ``record``.

    :param community: bytes (LAN parameter 16, NULs removed)
    :param agent_address: the BMC's IPv4 address (4 bytes)
    :param uptime_ticks: hundredths of a second since the BMC started
    """
    sequence = struct.unpack_from('<H', bytes(record), 0)[0]
    varbind = tlv(0x30, oid(VARBIND) + tlv(0x04, pet_data(
        record, guid, sequence, manufacturer, system_id)))
    pdu = tlv(0xA4, oid(ENTERPRISE) + tlv(0x40, bytes(agent_address)[:4])
              + integer(ENTERPRISE_SPECIFIC)
              + integer(specific_trap(record))
              + unsigned(uptime_ticks & 0xFFFFFFFF, 0x43)
              + tlv(0x30, varbind))
    return tlv(0x30, integer(0) + tlv(0x04, community) + pdu)
