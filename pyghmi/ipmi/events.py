"""System event log: fetching, decoding and clearing (IPMI v2.0 ch. 31-32).

Rules of this module:

* :class:`SelReader` takes an ``xraw_command``-like callable; decoding
  (:func:`decode_record`) is pure and never raises anything but
  :class:`pyghmi.exceptions.DecodeError`;
* the walk of the record chain re-takes a cancelled reservation and
  resumes at the same record, so nothing is lost or repeated; every loop
  is bounded;
* times are corrected by :mod:`pyghmi.ipmi.private.seltime`.

Event dicts keep pyghmi's keys: ``record_id``, ``component``,
``component_id``, ``component_type``, ``component_type_id``, ``event``,
``event_id``, ``event_type_byte``, ``event_data`` (text, when the
specification defines event data 2/3), ``event_data_bytes``,
``severity`` (``pyghmi.constants.Health``), ``deassertion``,
``timecode`` and ``timestamp`` (local time, ``%Y-%m-%dT%H:%M:%S``, absent
when unknown), plus ``timestamp_source`` ('corrected', 'verbatim' or
'unknown'), ``triggered_value`` / ``threshold_value`` (converted through
the sensor's SDR) for threshold events, and ``oemid`` / ``oemdata`` for
OEM records.
"""

import struct
import time

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private import chunked
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import sensortables as tables
from pyghmi.ipmi.private import seltime

SYSTEM_EVENT = 0x02
SENSOR_TYPE_SYSTEM_EVENT = 0x12
CLOCK_SYNC_OFFSET = 0x05
RECORD_SIZE = 16
LAST_RECORD = 0xFFFF
MAX_RECORDS = 65536
# 0xFF reads a whole entry; BMCs that refuse get two 8-byte halves.
CHUNK_SIZES = (0xFF, 8)
# Clear SEL (31.9): the 'CLR' signature, then initiate or poll.
CLEAR_SIGNATURE = b'CLR'
CLEAR_INITIATE, CLEAR_STATUS = 0xAA, 0x00
ERASURE_COMPLETED = 0x01
_CLEAR_WAIT = 10.0


def _time_string(seconds):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.localtime(seconds))


def _event_text(sensor_type, reading_type, offset):
    if reading_type == sdrrecords.THRESHOLD_READING_TYPE:
        return tables.THRESHOLD_EVENTS.get(
            offset, ('Unknown threshold event %d' % offset, tables.OK))
    if reading_type == sdrrecords.SENSOR_SPECIFIC:
        table = tables.SPECIFIC_STATES.get(sensor_type, {})
    else:
        table = tables.GENERIC_STATES.get(reading_type, {})
    return table.get(offset, ('Unknown event %d' % offset, tables.OK))


# --------------------------------------------- event data 2/3 (table 42-3)
def _firmware(offset, data):
    if offset == 0:
        return tables.FIRMWARE_ERRORS.get(data[1])
    return tables.FIRMWARE_PROGRESS.get(data[1])


def _logging_disabled(offset, data):
    if offset == 0:
        return 'Memory module %d' % data[1]
    if offset == 1:
        return 'Event/reading type %02Xh, offset %d%s' % (
            data[1], data[2] & 0x0F,
            ', all events' if data[2] & 0x20 else '')
    return None


def _clock_sync(offset, data):
    if offset == CLOCK_SYNC_OFFSET:
        return ('second of pair (new time)' if data[1] & 0x80
                else 'first of pair (old time)')
    return None


def _session(offset, data):
    return 'User ID %d, channel %d' % (data[1] & 0x3F, data[2] & 0x0F)


_EVENT_DATA = {
    0x0C: lambda offset, data: 'Module %d' % data[2],
    0x0F: _firmware,
    0x10: _logging_disabled,
    0x12: _clock_sync,
    0x2A: _session,
    0x23: lambda offset, data: 'Timer use %d, interrupt type %d' % (
        data[1] & 0x0F, data[1] >> 4),
}


def _event_data_text(sensor_type, data):
    """Text for event data 2/3 where the specification defines it."""
    if (data[0] >> 6) != 3 and ((data[0] >> 4) & 3) != 3:
        if sensor_type not in (0x12, 0x0F):
            return None
    func = _EVENT_DATA.get(sensor_type)
    return func(data[0] & 0x0F, data) if func else None


# ---------------------------------------------------------------- decoding
def decode_record(raw, sdr=None):
    """Decode one 16-byte SEL record (32.1).

    :param raw: the record bytes
    :param sdr: an :class:`pyghmi.ipmi.sdr.SDR` for sensor names and
        threshold value conversion, or None
    :returns: an event dict (see module docstring) without times yet, and
        ``_raw_time`` / ``_sync`` for the corrector
    :raises DecodeError: not 16 bytes
    """
    raw = bytes(raw)
    if len(raw) < 16:
        raise exc.DecodeError('SEL record shorter than 16 bytes')
    record_id, kind = struct.unpack_from('<HB', raw)
    event = {'record_id': record_id, '_sync': None}
    if kind == SYSTEM_EVENT:
        _decode_system_event(event, raw, sdr)
    elif 0xC0 <= kind <= 0xDF:
        event.update(_raw_time=struct.unpack_from('<I', raw, 3)[0],
                     oemid=int.from_bytes(raw[7:10], 'little'),
                     oemdata=list(raw[10:16]), event='OEM record',
                     severity=tables.OK, component=None,
                     event_type_byte=kind)
    else:
        event.update(_raw_time=None, oemdata=list(raw[3:16]),
                     event='OEM record', severity=tables.OK,
                     component=None, event_type_byte=kind)
    return event


def _decode_system_event(event, raw, sdr):
    stamp, generator, _, stype, number, dirtype = struct.unpack_from(
        '<IHBBBB', raw, 3)
    data = list(raw[13:16])
    reading_type = dirtype & 0x7F
    offset = data[0] & 0x0F
    text, severity = _event_text(stype, reading_type, offset)
    deassertion = bool(dirtype & 0x80)
    rec = _find_sensor(sdr, generator, number)
    event.update(
        _raw_time=stamp, component_id=number,
        component=rec.name if rec is not None else (
            'Sensor %d' % number if number else None),
        component_type=tables.SENSOR_TYPES.get(stype, ''),
        component_type_id=stype, event=text,
        event_id='%d.%d' % (reading_type, offset),
        event_type_byte=reading_type, event_data_bytes=data,
        severity=tables.OK if deassertion else severity,
        deassertion=deassertion, generator_id=generator)
    if stype == SENSOR_TYPE_SYSTEM_EVENT and offset == CLOCK_SYNC_OFFSET \
            and reading_type == sdrrecords.SENSOR_SPECIFIC:
        event['_sync'] = (seltime.SYNC_AFTER if data[1] & 0x80
                          else seltime.SYNC_BEFORE)
    extra = _event_data_text(stype, data)
    if extra:
        event['event_data'] = extra
    if reading_type == sdrrecords.THRESHOLD_READING_TYPE:
        _threshold_values(event, data, rec)


def _find_sensor(sdr, generator, number):
    if sdr is None:
        return None
    owner, lun = generator & 0xFE, (generator >> 8) & 3
    return sdr.sensors.get((owner, lun, number))


def _threshold_values(event, data, rec):
    factors = rec.factors if rec is not None else None
    for usage, index, key in (((data[0] >> 6) & 3, 1, 'triggered_value'),
                              ((data[0] >> 4) & 3, 2, 'threshold_value')):
        if usage != 1:
            continue
        value = data[index]
        if factors is not None:
            value = factors.convert(value)
        event[key] = value


def apply_times(events, bmc_now, manager_now, keep_sync=False):
    """Correct the times of decoded events, in place and oldest first.

    :param keep_sync: keep the clock-sync records in the result (marked
        ``clock_sync``); by default they are removed from the list
    :returns: the events to report
    """
    records = [seltime.TimeRecord(e['_raw_time'], e['_sync'])
               for e in events]
    times = seltime.correct_timeline(records, bmc_now, manager_now)
    out = []
    for event, (seconds, source) in zip(events, times):
        raw = event.pop('_raw_time')
        sync = event.pop('_sync')
        event['timestamp_source'] = source
        event['raw_timestamp'] = raw
        if seconds is not None:
            event['timecode'] = seconds
            event['timestamp'] = _time_string(seconds)
        if sync is not None:
            event['clock_sync'] = sync
            if not keep_sync:
                continue
        out.append(event)
    return out


# ---------------------------------------------------------------- fetching
class SelReader:
    """Reads and clears the SEL of a BMC through an xraw callable.

    Reservations and partial reads go through one
    :class:`pyghmi.ipmi.private.chunked.ChunkedReader`, as for the SDR.
    """

    def __init__(self, xraw):
        self._xraw = xraw
        self.round_trips = 0
        self.reader = chunked.ChunkedReader(CHUNK_SIZES, self.reserve)

    def _call(self, cmd, data=b''):
        self.round_trips += 1
        return bytes(self._xraw(const.NETFN_STORAGE, cmd, data=data)['data'])

    def info(self):
        """Get SEL Info: ``{'entries', 'free', 'last_add', 'last_erase'}``."""
        data = self._call(const.CMD_GET_SEL_INFO)
        if len(data) < 14:
            raise exc.BmcErrorException('short Get SEL Info response')
        _, entries, free, added, erased = struct.unpack_from('<BHHII', data)
        return {'entries': entries, 'free': free, 'last_add': added,
                'last_erase': erased, 'version': data[0]}

    def sel_time(self):
        """Get SEL Time: the BMC's current SEL clock (raw)."""
        data = self._call(const.CMD_GET_SEL_TIME)
        if len(data) < 4:
            raise exc.BmcErrorException('short Get SEL Time response')
        return struct.unpack_from('<I', data)[0]

    def reserve(self):
        """Reserve SEL; 0 when the BMC does not support reservations."""
        try:
            return chunked.reservation_id(self._call(const.CMD_RESERVE_SEL))
        except exc.IpmiException as err:
            if err.ipmicode == const.CC_INVALID_COMMAND:
                return chunked.NO_RESERVATION
            raise

    def records(self):
        """Every SEL record (raw bytes), oldest first, following the chain.

        :raises IpmiException: the BMC refused
        """
        if self.info()['entries'] == 0:
            return []
        out, record_id, seen = [], 0, set()
        while record_id != LAST_RECORD and len(seen) < MAX_RECORDS:
            if record_id in seen:
                break           # a chain that loops ends here
            try:
                next_id, raw = self._entry(record_id)
            except exc.IpmiException as err:
                if err.ipmicode == const.CC_NOT_PRESENT and not out:
                    return []       # emptied meanwhile
                raise
            seen.add(record_id)
            out.append(raw)
            record_id = next_id
        return out

    def _entry(self, record_id):
        """One entry, whole or in halves: ``(next id, 16 bytes)``."""
        data = b''
        next_id = LAST_RECORD
        while len(data) < RECORD_SIZE:
            offset = len(data)

            def send(reservation, size):
                count = size if size == 0xFF else min(
                    size, RECORD_SIZE - offset)
                return self._call(const.CMD_GET_SEL_ENTRY, struct.pack(
                    '<HHBB', reservation, record_id, offset, count))
            rsp = self.reader.request(send)
            if len(rsp) < 3:
                raise exc.BmcErrorException('short Get SEL Entry response')
            next_id = struct.unpack_from('<H', rsp)[0]
            data += rsp[2:]
        return next_id, data[:RECORD_SIZE]

    def clear(self, wait=_CLEAR_WAIT):
        """Clear the SEL and wait (bounded) for the erasure to complete.

        :returns: True when the BMC reported completion in time
        """
        head = chunked.pack_reservation(self.reserve()) + CLEAR_SIGNATURE
        status = self._call(const.CMD_CLEAR_SEL,
                            head + bytes((CLEAR_INITIATE,)))
        deadline = time.monotonic() + wait
        while not status or status[0] & 0x0F != ERASURE_COMPLETED:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
            status = self._call(const.CMD_CLEAR_SEL,
                                head + bytes((CLEAR_STATUS,)))
        return True


def fetch_events(xraw, sdr=None, clear=False, keep_sync=False, now=None):
    """Read, decode and time-correct the whole SEL.

    :param xraw: ``xraw_command``-like callable
    :param sdr: SDR for sensor names and threshold values (optional)
    :param clear: clear the log after reading it
    :param keep_sync: also return clock-sync records
    :param now: the manager's time (defaults to ``time.time()``)
    :returns: list of event dicts, oldest first
    """
    reader = SelReader(xraw)
    raws = reader.records()
    bmc_now = reader.sel_time()
    manager_now = int(time.time() if now is None else now)
    events = []
    for raw in raws:
        try:
            events.append(decode_record(raw, sdr))
        except exc.DecodeError:
            continue
    events = apply_times(events, bmc_now, manager_now, keep_sync)
    if clear:
        reader.clear()
    return events


PET_EPOCH = 883612800       # PET timestamps count from 1998-01-01 UTC


def decode_pet(specifictrap, petdata, sdr=None):
    """Decode a Platform Event Trap (PET 1.0) into an event dict.

    :param specifictrap: the SNMP specific trap number (int) or its four
        bytes: sensor type in bits 23:16, event type in 15:8, and the
        offset in 3:0 with bit 7 set for a deassertion
    :param petdata: the PET variable binding bytes (at least 34)
    :param sdr: optional SDR for the sensor name
    :returns: an event dict like those of the event log
    :raises DecodeError: short data
    """
    if isinstance(specifictrap, int):
        specifictrap = struct.pack('>I', specifictrap & 0xFFFFFFFF)
    trap, petdata = bytes(specifictrap), bytes(petdata)
    if len(trap) != 4 or len(petdata) < 34:
        raise exc.DecodeError('PET trap or data too short')
    sequence, stamp = struct.unpack_from('>HI', petdata, 16)
    data = bytes((petdata[31] & 0xF0 | trap[3] & 0x0F,)) + petdata[32:34]
    raw = struct.pack('<HBIHBBBB', sequence, SYSTEM_EVENT, 0,
                      petdata[27], 0x04, trap[1], petdata[28],
                      (trap[3] & 0x80) | trap[2] & 0x7F) + data
    event = decode_record(raw, sdr)
    del event['_raw_time'], event['_sync']
    if stamp not in (0, 0xFFFFFFFF):
        event['timecode'] = stamp + PET_EPOCH
        event['timestamp'] = _time_string(stamp + PET_EPOCH)
    return event
