"""The fake machine's System Event Log and SEL clock.

Profile key ``sel`` (optional):

``clock``
    absent: the SEL clock follows the wall clock; ``{"preinit": N}``: the
    BMC started N seconds ago and has not learned the time (pre-init);
    ``{"start": T}``: the SEL clock reads T now (any value, e.g. a wrong
    wall time) and runs on from there.
``records``
    each either ``{"raw": "<32 hex digits>"}`` (record id rewritten) or a
    system event: ``sensor_type``, ``sensor`` (number), ``event_type``
    (event/reading type, default 6Fh), ``offset``, ``data2``, ``data3``,
    ``byte2``/``byte3`` (event data 1 usage bits, 0-3), ``deassertion``,
    ``generator`` (default 0x20) and ``timestamp`` (raw value) or
    ``ago`` (seconds before now on the current clock; also applies to a
    timestamped ``raw`` record).

Set SEL Time logs a Timestamp Clock Sync pair (sensor type 12h, offset
05h; event data 2 bit 7 clear on the first, set on the second), as BMCs
do, so clients can correct older entries.
"""

import struct
import time
import typing

from pyghmi.fakebmc import recordstore
from pyghmi.ipmi import events
from pyghmi.ipmi.private import constants as const

SEL_VERSION = 0x51
CAPACITY = 512


def _system_event(spec, stamp):
    return events.encode_system_event(
        stamp, spec.get('sensor_type', 0), spec.get('sensor', 0),
        spec.get('event_type', 0x6F), spec.get('offset', 0),
        deassertion=bool(spec.get('deassertion')),
        generator_id=spec.get('generator', 0x20),
        data2=spec.get('data2', 0xFF), data3=spec.get('data3', 0xFF),
        data2_usage=spec.get('byte2', 0), data3_usage=spec.get('byte3', 0))


class EventLog(recordstore.RecordStore):
    """SEL records, reservations and the SEL clock."""

    # called with each record added (not those of the profile)
    on_event: typing.Optional[typing.Callable[..., None]] = None

    def __init__(self, profile):
        super().__init__()
        spec = profile.get('sel', {})
        clock = spec.get('clock')
        self._started = time.monotonic()
        self._wall_offset = None if clock else 0.0
        clock = clock or {}
        self._preinit_base = clock.get('start', clock.get('preinit', 0))
        self.last_add = self.last_erase = 0
        now = self.now()
        for item in spec.get('records', ()):
            if 'raw' in item:
                raw = bytearray.fromhex(item['raw'])
                if 'ago' in item and raw[2] < 0xE0:     # timestamped
                    struct.pack_into('<I', raw, 3, now - item['ago'])
                self._append(bytes(raw), keep_time=True)
            else:
                stamp = item.get('timestamp', now - item.get('ago', 0))
                self._append(_system_event(item, stamp), keep_time=True)

    def now(self):
        """The SEL clock: wall time, or seconds since start in pre-init."""
        if self._wall_offset is not None:
            return int(time.time() + self._wall_offset)
        return int(self._preinit_base + time.monotonic() - self._started)

    def set_time(self, value):
        """Set SEL Time, logging the clock-sync pair around the change."""
        sync = {'sensor_type': 0x12, 'sensor': 0x70, 'offset': 5,
                'byte2': 3}
        self._append(_system_event(dict(sync, data2=0x00), self.now()),
                     keep_time=True)
        self._wall_offset = value - time.time()
        self._append(_system_event(dict(sync, data2=0x80), self.now()),
                     keep_time=True)

    def _append(self, raw, keep_time=False):
        if len(self.records) >= CAPACITY:
            return None
        record = bytearray(raw[:16].ljust(16, b'\xff'))
        record_id = len(self.records) + 1 if not self.records else \
            struct.unpack_from('<H', self.records[-1])[0] + 1
        struct.pack_into('<H', record, 0, record_id)
        if not keep_time and record[2] < 0xE0:
            struct.pack_into('<I', record, 3, self.now())
        self.records.append(bytes(record))
        self.last_add = self.now()
        if self.on_event is not None:
            self.on_event(bytes(record))
        self.reservation += 1          # an addition cancels reservations
        return record_id

    def info(self):
        """Get SEL Info data (31.2)."""
        free = (CAPACITY - len(self.records)) * 16
        return struct.pack('<BHHIIB', SEL_VERSION, len(self.records),
                           min(free, 0xFFFF), self.last_add,
                           self.last_erase, 0x02)

    def get_entry(self, data):
        """Get SEL Entry (31.5): ``(code, data)``."""
        return self.read(data)

    def add_entry(self, data):
        """Add SEL Entry (31.6): the new record id."""
        if len(data) < 16:
            return const.CC_DATA_LENGTH_INVALID, b''
        record_id = self._append(bytes(data))
        if record_id is None:
            return const.CC_OUT_OF_SPACE, b''            # out of space
        return 0, struct.pack('<H', record_id)

    def platform_event(self, data):
        """Platform Event Message (29.3), with or without generator id."""
        if len(data) == 7:
            data = b'\x41' + bytes(data)
        if len(data) < 8:
            return const.CC_DATA_LENGTH_INVALID, b''
        raw = struct.pack('<HBI', 0, 0x02, 0) + bytes(data[:1]) + b'\x00' \
            + bytes(data[1:8])
        self._append(raw)
        return 0, b''

    @property
    def capacity(self):
        """Records the SEL holds at most."""
        return CAPACITY

    def erase(self):
        """Erase every record at once (Clear SEL, or Redfish's
        ClearLog)."""
        self.records = []
        self.last_erase = self.now()
        self.reservation += 1

    def clear(self, data):
        """Clear SEL (31.9): erase at once and report completion."""
        if len(data) < 6 or bytes(data[2:5]) != b'CLR':
            return const.CC_INVALID_DATA_FIELD, b''
        if struct.unpack_from('<H', data)[0] != self.reservation:
            return const.CC_RESERVATION_CANCELLED, b''
        if data[5] == 0xAA:
            self.erase()
        return 0, b'\x01'

    def get_time(self, data):
        """Get SEL Time (31.10)."""
        return 0, struct.pack('<I', self.now() & 0xFFFFFFFF)

    def set_time_command(self, data):
        """Set SEL Time (31.11)."""
        if len(data) < 4:
            return const.CC_DATA_LENGTH_INVALID, b''
        self.set_time(struct.unpack_from('<I', data)[0])
        return 0, b''
