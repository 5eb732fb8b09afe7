"""System event log: fetching, decoding and clearing (IPMI v2.0 ch. 31-32).

Rules of this module:

* :class:`SelReader` takes an ``xraw_command``-like callable; decoding
  (:func:`decode_record`) is pure and never raises anything but
  :class:`pyghmi.exceptions.DecodeError`;
* the walk of the record chain re-takes a cancelled reservation and
  resumes at the same record, so nothing is lost or repeated; every loop
  is bounded;
* times are corrected by :mod:`pyghmi.ipmi.private.seltime`.

Event dicts have pyghmi 1.6.19's keys, with the same types and meanings
(callers compare them whole):

* system events: ``record_id``, ``timecode`` (the raw SEL timestamp),
  ``timestamp`` (corrected local time, ``%Y-%m-%dT%H:%M:%S``, absent when
  unknown), ``component_id`` (``'owner.number.lun'``, as in
  ``SDR.sensors``), ``component`` (the sensor's name, or ``'Sensor
  <component_id>'`` when the SDR has no such sensor),
  ``component_type``, ``component_type_id``, ``event``, ``event_id``,
  ``severity`` (``pyghmi.constants.Health``), ``deassertion``,
  ``oem_handler`` (None: no vendor handler refined it), and when present
  ``event_data`` (text for event data 2/3), ``triggered_value`` /
  ``threshold_value`` (the raw reading bytes of event data 2/3),
  ``oem_byte2`` / ``oem_byte3`` (OEM event data bytes);
* OEM timestamped records (C0h-DFh): ``record_id``, ``timecode``,
  ``timestamp``, ``oemid`` (3 bytes) and ``oemdata`` (6 bytes), as
  bytearrays, and ``oem_handler``; non-timestamped OEM records (E0h-FFh):
  ``record_id``, ``oemdata`` (13 bytes), ``oem_handler``; a Linux kernel
  panic record (F0h): ``record_id``, ``event``, ``severity``.

``details=True`` (``Command.get_event_log(details=True)``) adds what the
time correction knows: ``epoch`` (corrected seconds since 1970, absent
when unknown) and ``timestamp_source`` ('corrected', 'verbatim' or
'unknown'), the raw ``generator_id``, ``event_type_byte`` and
``event_data_bytes``, and ``triggered_reading`` / ``threshold_reading``
(the trigger values converted to units through the sensor's SDR).
Clock-sync records, kept with ``keep_sync``, carry ``clock_sync``
('before' or 'after').
"""

import struct
import time
from typing import Any, Callable, Dict, List, Optional, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import seltime
from pyghmi.ipmi.private import sensortables as tables
from pyghmi.ipmi.private.client import chunked
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U
from pyghmi.ipmi.sdr import sensor_id

# An event as the public API returns it (keys in the module docstring).
Event = Dict[str, Any]
SYSTEM_EVENT = 0x02
SENSOR_TYPE_SYSTEM_EVENT = 0x12
CLOCK_SYNC_OFFSET = 0x05
RECORD_SIZE = 16
LAST_RECORD = chunked.LAST_ID
MAX_RECORDS = 65536
# 0xFF reads a whole entry; BMCs that refuse get two 8-byte halves.
CHUNK_SIZES = (0xFF, 8)
# Clear SEL (31.9): the 'CLR' signature, then initiate or poll.
CLEAR_SIGNATURE = b'CLR'
CLEAR_INITIATE, CLEAR_STATUS = 0xAA, 0x00
ERASURE_COMPLETED = 0x01
_CLEAR_WAIT = 10.0
EVM_REV = 0x04               # IPMI 1.5 / 2.0 event message format
LINUX_PANIC_RECORD = 0xF0    # OEM record type Linux writes on a panic
GENERIC_READING_TYPES = 0x0C  # 00h-0Ch: threshold and generic (42.1)
DATA_USAGE_READING = 1       # event data 1 bits 7:6 / 5:4: a reading
DATA_USAGE_OEM = 2           # event data 1 bits 7:6 / 5:4: OEM code

# SEL records (section 32): system event (table 32-1), OEM timestamped
# (32-2) and OEM non-timestamped (32-3).  fakebmc builds its records with
# :func:`encode_system_event`, from the same declaration.
_RECORD_HEAD = [U('record_id', 0, 2), U('record_type', 2)]
SYSTEM_EVENT_RECORD = Layout('SEL system event record (table 32-1)', [
    *_RECORD_HEAD,
    U('timestamp', 3, 4),
    U('generator_id', 7, 2),
    U('evm_rev', 9, default=EVM_REV),
    U('sensor_type', 10), U('sensor_number', 11),
    B('event_type', 12, 0, 7), F('deassertion', 12, 7),
    B('offset', 13, 0, 4),
    B('data3_usage', 13, 4, 2), B('data2_usage', 13, 6, 2),
    U('data2', 14, default=0xFF), U('data3', 15, default=0xFF),
])
OEM_TIMESTAMPED_RECORD = Layout('SEL OEM timestamped record (32-2)', [
    *_RECORD_HEAD, U('timestamp', 3, 4), U('manufacturer_id', 7, 3),
    Raw('oem_data', 10, 6),
])
OEM_RECORD = Layout('SEL OEM non-timestamped record (32-3)', [
    *_RECORD_HEAD, Raw('oem_data', 3, 13),
])


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


def _deasserted_severity(sensor_type, reading_type, offset):
    if reading_type == sdrrecords.SENSOR_SPECIFIC:
        table = tables.DEASSERTED_SPECIFIC.get(sensor_type, {})
    else:
        table = tables.DEASSERTED_GENERIC.get(reading_type, {})
    return table.get(offset, tables.OK)


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


def _system_event(offset, data):
    if offset == CLOCK_SYNC_OFFSET:
        return ('second of pair (new time)' if data[1] & 0x80
                else 'first of pair (old time)')
    if offset == 3:                               # auxiliary log entry
        return '%s, %s' % (
            tables.AUX_LOG_ACTIONS.get(data[1] >> 4, 'action %d'
                                       % (data[1] >> 4)),
            tables.AUX_LOG_TYPES.get(data[1] & 0x0F, 'log type %d'
                                     % (data[1] & 0x0F)))
    return None


def _session(offset, data):
    return 'User ID %d, channel %d' % (data[1] & 0x3F, data[2] & 0x0F)


def _named(table, value, what):
    return table.get(value, '%s %d' % (what, value))


def _power_supply(offset, data):
    if offset == 6 and (data[0] >> 4) & 3 == 3:   # configuration error
        return _named(tables.PSU_CONFIG_ERRORS, data[2] & 0x0F,
                      'configuration error')
    return None


def _restart(offset, data):
    if offset == 7:
        return _named(tables.RESTART_CAUSES, data[1] & 0x0F,
                      'restart cause')
    return None


def _slot(offset, data):
    return '%s slot %d' % (_named(tables.SLOT_TYPES, data[1] & 0x7F,
                                  'slot type'), data[2])


def _watchdog(offset, data):
    return 'Timer use %s, interrupt %s' % (
        _named(tables.WATCHDOG_TIMER_USES, data[1] & 0x0F, 'type'),
        _named(tables.WATCHDOG_INTERRUPTS, data[1] >> 4, 'type'))


def _version_change(offset, data):
    return _named(tables.VERSION_CHANGES, data[1], 'change type')


def _fru_state(offset, data):
    return 'Previous state: %s; %s' % (
        tables.SPECIFIC_STATES[0x2C].get(data[1] & 0x0F, ('unknown',))[0],
        _named(tables.FRU_STATE_CAUSES, data[1] >> 4, 'cause'))


_EVENT_DATA = {
    0x08: _power_supply,
    0x0C: lambda offset, data: 'Module %d' % data[2],
    0x0F: _firmware,
    0x10: _logging_disabled,
    0x12: _system_event,
    0x1D: _restart,
    0x21: _slot,
    0x23: _watchdog,
    0x2A: _session,
    0x2B: _version_change,
    0x2C: _fru_state,
}


def _event_data_text(sensor_type, data):
    """Text for event data 2/3 where the specification defines it."""
    if (data[0] >> 6) != 3 and ((data[0] >> 4) & 3) != 3:
        if sensor_type not in (0x12, 0x0F):
            return None
    func = _EVENT_DATA.get(sensor_type)
    return func(data[0] & 0x0F, data) if func else None


# ---------------------------------------------------------------- decoding
def decode_record(raw: bytes, sdr: Optional[Any] = None) -> Event:
    """Decode one 16-byte SEL record (32.1).

    :param raw: the record bytes
    :param sdr: an :class:`pyghmi.ipmi.sdr.SDR` for sensor names and
        threshold value conversion, or None
    :returns: an event dict (see module docstring) without times yet, and
        ``_raw_time`` / ``_sync`` for the corrector
    :raises DecodeError: not 16 bytes
    """
    raw = bytes(raw)
    if len(raw) < RECORD_SIZE:
        raise exc.DecodeError('SEL record shorter than 16 bytes')
    head = OEM_RECORD.decode(raw)
    kind = head['record_type']
    event = {'record_id': head['record_id'], '_sync': None}
    if kind == SYSTEM_EVENT:
        _decode_system_event(event, SYSTEM_EVENT_RECORD.decode(raw), sdr)
    elif 0xC0 <= kind <= 0xDF:
        oem = OEM_TIMESTAMPED_RECORD.decode(raw)
        event.update(_raw_time=oem['timestamp'],
                     oemid=bytearray(raw[7:10]),
                     oemdata=bytearray(oem['oem_data']))
    elif kind == LINUX_PANIC_RECORD:
        # The kernel's ipmi_msghandler logs the panic string in the record.
        text = head['oem_data'][2:].partition(b'\x00')[0]
        event.update(_raw_time=None, _plain=True,
                     event='Linux kernel panic: %s' % text.decode(
                         'utf-8', 'replace'),
                     severity=tables.CRITICAL)
    else:
        event.update(_raw_time=None, oemdata=bytearray(head['oem_data']))
    return event


# Keys only ``details=True`` keeps (raw fields and converted readings).
_DETAIL_KEYS = ('event_type_byte', 'event_data_bytes', 'generator_id',
                'triggered_reading', 'threshold_reading')


def finish_event(event: Event, details: bool = False) -> Event:
    """Give a decoded, time-corrected event its public keys.

    What a vendor handler would refine is marked ``oem_handler`` None;
    OEM event data bytes are exposed as ``oem_byte2`` / ``oem_byte3``;
    the raw fields stay only with ``details``.
    """
    if event.pop('_plain', False):
        return event
    event['oem_handler'] = None
    data = event.get('event_data_bytes')
    if data:
        if (data[0] >> 6) & 3 == DATA_USAGE_OEM:
            event['oem_byte2'] = data[1]
        if (data[0] >> 4) & 3 == DATA_USAGE_OEM:
            event['oem_byte3'] = data[2]
    if not details:
        for key in _DETAIL_KEYS:
            event.pop(key, None)
    return event


def encode_system_event(timestamp, sensor_type, sensor_number, event_type,
                        offset, deassertion=False, generator_id=0x20,
                        data2=None, data3=None, data2_usage=0,
                        data3_usage=0, record_id=0):
    """Build a 16-byte system event record (the BMC side of
    :func:`decode_record`).

    :param data2: event data 2 (0xFF, "unspecified", when None)
    :param data2_usage: bits 7:6 of event data 1 (3: sensor-specific,
        1: trigger reading for threshold events)
    """
    return SYSTEM_EVENT_RECORD.encode(
        record_id=record_id, record_type=SYSTEM_EVENT,
        timestamp=timestamp & 0xFFFFFFFF, generator_id=generator_id,
        sensor_type=sensor_type, sensor_number=sensor_number,
        event_type=event_type & 0x7F, deassertion=deassertion,
        offset=offset & 0x0F, data2_usage=data2_usage & 3,
        data3_usage=data3_usage & 3,
        data2=0xFF if data2 is None else data2,
        data3=0xFF if data3 is None else data3)


def _decode_system_event(event, f, sdr):
    generator, stype, number = (f['generator_id'], f['sensor_type'],
                                f['sensor_number'])
    data = [f['data2_usage'] << 6 | f['data3_usage'] << 4 | f['offset'],
            f['data2'], f['data3']]
    reading_type, offset = f['event_type'], f['offset']
    text, severity = _event_text(stype, reading_type, offset)
    deassertion = f['deassertion']
    stamp = f['timestamp']
    rec = _find_sensor(sdr, generator, number)
    component_id = _component_id(generator, number)
    event.update(
        _raw_time=stamp, component_id=component_id,
        component=rec.name if rec is not None else (
            'Sensor %s' % component_id),
        event_type_byte=reading_type, event_data_bytes=data,
        deassertion=deassertion, generator_id=generator)
    if reading_type <= GENERIC_READING_TYPES or \
            reading_type == sdrrecords.SENSOR_SPECIFIC:
        # OEM (70h-7Fh) and reserved reading types have no standard text:
        # their events carry no type, text or severity (as in pyghmi)
        # unless a vendor handler gives them.
        event.update(
            component_type=tables.SENSOR_TYPES.get(stype, ''),
            component_type_id=stype, event=text,
            event_id='%d.%d' % (reading_type, offset),
            severity=_deasserted_severity(stype, reading_type, offset)
            if deassertion else severity)
    if stype == SENSOR_TYPE_SYSTEM_EVENT and offset == CLOCK_SYNC_OFFSET \
            and reading_type == sdrrecords.SENSOR_SPECIFIC:
        event['_sync'] = (seltime.SYNC_AFTER if data[1] & 0x80
                          else seltime.SYNC_BEFORE)
    extra = _event_data_text(stype, data)
    if extra:
        event['event_data'] = extra
    _trigger_values(event, data, rec, reading_type)


def _component_id(generator, number):
    # Generator ID (table 32-1): byte 1 is the owner (slave address or
    # software id), bits 1:0 of byte 2 the LUN.
    return sensor_id(generator & 0xFF, number, (generator >> 8) & 3)


def _find_sensor(sdr, generator, number):
    if sdr is None:
        return None
    return sdr.sensors.get(_component_id(generator, number))


def _trigger_values(event, data, rec, reading_type):
    # Event data 2 is the trigger reading when its usage bits say so
    # (table 29-6); event data 3 the threshold, for threshold events only.
    # Both stay raw bytes as pyghmi gave them; in units they are details.
    factors = rec.factors if rec is not None else None
    fields = [((data[0] >> 6) & 3, 1, 'triggered')]
    if reading_type == sdrrecords.THRESHOLD_READING_TYPE:
        fields.append(((data[0] >> 4) & 3, 2, 'threshold'))
    for usage, index, key in fields:
        if usage != DATA_USAGE_READING:
            continue
        event[key + '_value'] = data[index]
        if factors is not None:
            event[key + '_reading'] = factors.convert(data[index])


def apply_times(events, bmc_now, manager_now, keep_sync=False,
                details=False):
    """Correct the times of decoded events, in place and oldest first.

    :param keep_sync: keep the clock-sync records in the result (marked
        ``clock_sync``); by default they are removed from the list
    :param details: add ``epoch`` and ``timestamp_source``
    :returns: the events to report
    """
    records = [seltime.TimeRecord(e['_raw_time'], e['_sync'])
               for e in events]
    times = seltime.correct_timeline(records, bmc_now, manager_now)
    out = []
    for event, (seconds, source) in zip(events, times):
        raw = event.pop('_raw_time')
        sync = event.pop('_sync')
        if raw is not None:
            event['timecode'] = raw
        if seconds is not None:
            event['timestamp'] = _time_string(seconds)
        if details:
            event['timestamp_source'] = source
            if seconds is not None:
                event['epoch'] = seconds
        if sync is not None:
            if not keep_sync:
                continue
            event['clock_sync'] = sync
        out.append(event)
    return out


# ---------------------------------------------------------------- fetching
class SelReader:
    """Reads and clears the SEL of a BMC.

    Each read is a flow (:mod:`pyghmi.ipmi.facade.flows`; the ``*_flow``
    methods), which a Command of either driver runs; the plain methods
    run them through the ``xraw`` callables given.  Reservations and
    partial reads go through one
    :class:`pyghmi.ipmi.private.client.chunked.ChunkedReader`, as for the
    SDR.

    :param xraw: ``xraw_command``-like callable (None: flows only)
    :param xraw_many: ``xraw_commands``-like callable: the records after
        the first are requested ahead, pipelined
    :param pipelined: read ahead in the flows (default: when
        ``xraw_many`` is given)
    """

    def __init__(self, xraw=None, xraw_many=None, pipelined=None):
        self._driver = flows.Blocking(xraw, xraw_many)
        self._ahead = chunked.ReadAhead(
            xraw_many is not None if pipelined is None else pipelined)
        self.round_trips = 0
        self.reader = chunked.ChunkedReader(CHUNK_SIZES, self.reserve_flow)

    def _call(self, cmd, data=b''):
        self.round_trips += 1
        rsp = yield flows.Xraw(const.NETFN_STORAGE, cmd, data=data)
        return bytes(rsp['data'])

    def info(self):
        """Get SEL Info: ``{'entries', 'free', 'last_add', 'last_erase'}``."""
        return self._driver.run(self.info_flow())

    def info_flow(self):
        """Flow of :meth:`info`."""
        data = yield from self._call(const.CMD_GET_SEL_INFO)
        if len(data) < 14:
            raise exc.BmcErrorException('short Get SEL Info response')
        _, entries, free, added, erased = struct.unpack_from('<BHHII', data)
        return {'entries': entries, 'free': free, 'last_add': added,
                'last_erase': erased, 'version': data[0]}

    def sel_time(self):
        """Get SEL Time: the BMC's current SEL clock (raw)."""
        return self._driver.run(self.sel_time_flow())

    def sel_time_flow(self):
        """Flow of :meth:`sel_time`."""
        data = yield from self._call(const.CMD_GET_SEL_TIME)
        if len(data) < 4:
            raise exc.BmcErrorException('short Get SEL Time response')
        return struct.unpack_from('<I', data)[0]

    def reserve(self):
        """Reserve SEL; 0 when the BMC does not support reservations."""
        return self._driver.run(self.reserve_flow())

    def reserve_flow(self):
        """Flow of :meth:`reserve`."""
        try:
            return chunked.reservation_id((yield from self._call(
                const.CMD_RESERVE_SEL)))
        except exc.IpmiException as err:
            if err.ipmicode == const.CC_INVALID_COMMAND:
                return chunked.NO_RESERVATION
            raise

    def records(self):
        """Every SEL record (raw bytes), oldest first, following the chain.

        :raises IpmiException: the BMC refused
        """
        return self._driver.run(self.records_flow())

    def records_flow(self):
        """Flow of :meth:`records`."""
        entries = (yield from self.info_flow())['entries']
        if entries == 0:
            return []
        out, record_id, seen = [], 0, set()  # type: list, int, set
        while record_id != LAST_RECORD and len(seen) < MAX_RECORDS:
            if record_id in seen:
                break           # a chain that loops ends here
            try:
                next_id, raw = yield from self._entry(record_id)
            except exc.IpmiException as err:
                if err.ipmicode == const.CC_NOT_PRESENT and not out:
                    return []       # emptied meanwhile
                raise
            seen.add(record_id)
            out.append(raw)
            record_id = next_id
            if self._ahead.enabled:
                sent = self._ahead.sent
                record_id = yield from self._ahead.follow(
                    record_id, entries - len(out), self._whole_entry,
                    self._accept, seen, out, MAX_RECORDS)
                self.round_trips += self._ahead.sent - sent
        return out

    def _whole_entry(self, record_id):
        # whole records (0xFF) need no reservation
        return {'netfn': const.NETFN_STORAGE,
                'command': const.CMD_GET_SEL_ENTRY,
                'data': struct.pack('<HHBB', chunked.NO_RESERVATION,
                                    record_id, 0, 0xFF)}

    @staticmethod
    def _accept(record_id, result):
        data = bytes(result['data'])
        if len(data) < 2 + RECORD_SIZE:
            return None
        return struct.unpack_from('<H', data)[0], data[2:2 + RECORD_SIZE]
        yield   # (a flow)

    def _entry(self, record_id):
        """Flow: one entry, whole or in halves: ``(next id, 16
        bytes)``."""
        data = b''
        next_id = LAST_RECORD
        while len(data) < RECORD_SIZE:
            offset = len(data)

            def send(reservation, size):
                count = size if size == 0xFF else min(
                    size, RECORD_SIZE - offset)
                return (yield from self._call(
                    const.CMD_GET_SEL_ENTRY, struct.pack(
                        '<HHBB', reservation, record_id, offset, count)))
            rsp = yield from self.reader.request(send)
            if len(rsp) < 3:
                raise exc.BmcErrorException('short Get SEL Entry response')
            next_id = struct.unpack_from('<H', rsp)[0]
            data += rsp[2:]
        return next_id, data[:RECORD_SIZE]

    def clear(self, wait=_CLEAR_WAIT):
        """Clear the SEL and wait (bounded) for the erasure to complete.

        :returns: True when the BMC reported completion in time
        """
        return self._driver.run(self.clear_flow(wait))

    def clear_flow(self, wait=_CLEAR_WAIT):
        """Flow of :meth:`clear`."""
        head = chunked.pack_reservation((yield from self.reserve_flow())) \
            + CLEAR_SIGNATURE
        status = yield from self._call(const.CMD_CLEAR_SEL,
                                       head + bytes((CLEAR_INITIATE,)))
        deadline = time.monotonic() + wait
        while not status or status[0] & 0x0F != ERASURE_COMPLETED:
            if time.monotonic() > deadline:
                return False
            yield flows.Sleep(0.1)
            status = yield from self._call(const.CMD_CLEAR_SEL,
                                           head + bytes((CLEAR_STATUS,)))
        return True


def fetch_events(xraw: Callable[..., Dict[str, Any]],
                 sdr: Optional[Any] = None, clear: bool = False,
                 keep_sync: bool = False,
                 now: Optional[float] = None,
                 details: bool = False,
                 refine: Optional[Callable[[Event, bytes], Any]] = None,
                 xraw_many: Optional[Callable[..., List[Any]]] = None
                 ) -> List[Event]:
    """:func:`fetch_events_flow` through ``xraw_command``-like callables
    (``xraw_many``: ``xraw_commands``-like, records are then requested
    ahead, pipelined)."""
    return flows.Blocking(xraw, xraw_many).run(fetch_events_flow(
        sdr, clear, keep_sync, now, details, refine,
        pipelined=xraw_many is not None))


def fetch_events_flow(sdr=None, clear=False, keep_sync=False, now=None,
                      details=False, refine=None, pipelined=True):
    """Flow: read, decode and time-correct the whole SEL.

    :param sdr: SDR for sensor names and threshold values (optional)
    :param clear: clear the log after reading it
    :param keep_sync: also return clock-sync records
    :param now: the manager's time (defaults to ``time.time()``)
    :param details: add the time correction's and raw fields (see the
        module docstring)
    :param refine: ``refine(event, raw record)`` called on each finished
        event (the vendor handler's ``process_event``)
    :param pipelined: request records ahead, pipelined
    :returns: list of event dicts, oldest first
    """
    reader = SelReader(pipelined=pipelined)
    raws = yield from reader.records_flow()
    bmc_now = yield from reader.sel_time_flow()
    manager_now = int(time.time() if now is None else now)
    events = []
    for raw in raws:
        try:
            event = decode_record(raw, sdr)
        except exc.DecodeError:
            continue
        event['_record'] = bytes(raw)
        events.append(event)
    events = apply_times(events, bmc_now, manager_now, keep_sync, details)
    for event in events:
        raw = event.pop('_record')
        finish_event(event, details)
        if refine is not None:
            refine(event, raw)
    if clear:
        yield from reader.clear_flow()
    return events


PET_EPOCH = 883612800       # PET timestamps count from 1998-01-01 UTC


def decode_pet(specifictrap: Union[int, bytes], petdata: bytes,
               sdr: Optional[Any] = None) -> Event:
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
    # The trap carries a SEL system event in pieces: rebuild the record.
    raw = encode_system_event(
        0, trap[1], petdata[28], trap[2], trap[3] & 0x0F,
        deassertion=bool(trap[3] & 0x80), generator_id=petdata[27],
        data2=petdata[32], data3=petdata[33],
        data2_usage=petdata[31] >> 6, data3_usage=(petdata[31] >> 4) & 3,
        record_id=sequence)
    event = decode_record(raw, sdr)
    del event['_raw_time'], event['_sync']
    # As in pyghmi 1.6.19: timecode is the trap's own (raw) time, and the
    # raw event type and data bytes stay in a trap's event.
    event['timecode'] = stamp
    if stamp not in (0, 0xFFFFFFFF):
        event['timestamp'] = _time_string(stamp + PET_EPOCH)
    event.pop('generator_id', None)
    return event


# ------------------------------------------------- pyghmi 1.6.19's names
# Tables of event data meanings (see private.sensortables).
auxlog_actions = tables.AUX_LOG_ACTIONS
firmware_errors = tables.FIRMWARE_ERRORS
firmware_progress = tables.FIRMWARE_PROGRESS
fru_states = tables.FRU_STATE_CAUSES
power_states = tables.POWER_STATES
psucfg_errors = tables.PSU_CONFIG_ERRORS
restart_causes = tables.RESTART_CAUSES
slot_types = tables.SLOT_TYPES
version_changes = tables.VERSION_CHANGES
watchdog_boot_phases = tables.WATCHDOG_TIMER_USES


def decode_eventdata(sensor_type, offset, eventdata, event_consts, sdr):
    """Text for event data 2/3 of a sensor-specific event (table 42-3).

    :param sensor_type: the sensor type code
    :param offset: the event offset (event data 1 bits 3:0)
    :param eventdata: the three event data bytes
    :param event_consts: ignored (pyghmi's per-vendor constants module)
    :param sdr: ignored (kept for pyghmi's signature)
    :returns: text, or None where the data has no defined meaning
    """
    data = bytes(eventdata)
    if len(data) < 3:
        return None
    data = bytes((data[0] & 0xF0 | offset & 0x0F,)) + data[1:3]
    return _event_data_text(sensor_type, data)


class EventHandler:
    """pyghmi 1.6.19's event log reader, over :func:`fetch_events`.

    :param sdr: the BMC's :class:`pyghmi.ipmi.sdr.SDR` (sensor names and
        trigger value conversion), or None
    :param ipmicmd: the :class:`pyghmi.ipmi.command.Command`
    """

    def __init__(self, sdr, ipmicmd):
        self._sdr = sdr
        self._ipmicmd = ipmicmd

    def fetch_sel(self, ipmicmd, clear=False):
        """Read the event log through ``ipmicmd``, oldest first.

        :returns: list of event dicts as ``Command.get_event_log`` gives
        """
        return fetch_events(ipmicmd.xraw_command, self._sdr, clear=clear)

    def decode_pet(self, specifictrap, petdata):
        """Decode a Platform Event Trap (see :func:`decode_pet`)."""
        return decode_pet(specifictrap, petdata, self._sdr)
