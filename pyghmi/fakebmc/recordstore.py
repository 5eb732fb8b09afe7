"""A list of records read in pieces under a reservation (SDR and SEL).

Both the SDR repository (Get SDR, 33.12) and the SEL (Get SEL Entry,
31.5) serve records the same way: each record starts with its 16-bit id,
id 0000h means the first and FFFFh the last, partial reads (non-zero
offset) need the current reservation, and the reply is the next record id
followed by the requested bytes.
"""

import struct
from pyghmi.ipmi.private import constants as const


class RecordStore:
    """Records (bytes, each starting with its id) and a reservation."""

    def __init__(self, max_read=255):
        self.records = []
        self.reservation = 0
        self.max_read = max_read

    def reserve(self):
        """A new reservation id (cancelling the previous one)."""
        self.reservation = (self.reservation % 0xFFFF) + 1
        return struct.pack('<H', self.reservation)

    def read(self, data):
        """Answer a Get SDR / Get SEL Entry request: ``(code, data)``."""
        if len(data) < 6:
            return const.CC_DATA_LENGTH_INVALID, b''
        reservation, record_id, offset, count = struct.unpack_from(
            '<HHBB', data)
        if offset and reservation != self.reservation:
            return const.CC_RESERVATION_CANCELLED, b''
        if not self.records:
            return const.CC_NOT_PRESENT, b''
        ids = [struct.unpack_from('<H', r)[0] for r in self.records]
        if record_id == 0:
            index = 0
        elif record_id == 0xFFFF:
            index = len(ids) - 1
        elif record_id in ids:
            index = ids.index(record_id)
        else:
            return const.CC_NOT_PRESENT, b''
        record = self.records[index]
        if count > self.max_read and (count != 0xFF or
                                      len(record) > self.max_read):
            return const.CC_CANNOT_RETURN_BYTES, b''
        next_id = ids[index + 1] if index + 1 < len(ids) else 0xFFFF
        return 0, struct.pack('<H', next_id) + record[offset:offset + count]
