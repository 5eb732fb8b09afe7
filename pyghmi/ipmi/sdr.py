"""Reading the SDR repository of a BMC, with a safe cache.

Rules of this module:

* :class:`SDR` takes a ``Command`` (pyghmi 1.6.19's way: the constructor
  reads Get Device ID and the repository at once) or an
  ``xraw_command``-like callable (then the constructor does no I/O and
  :meth:`SDR.fetch` reads the repository);
* ``SDR.sensors`` is keyed by pyghmi's sensor id string
  ``'owner.number.lun'`` (:func:`sensor_id`); a second record with the
  same id is not indexed and its id lands in ``broken_sensor_ids``;
* reads go through :class:`pyghmi.ipmi.private.client.chunked.ChunkedReader`:
  they step down in size when the BMC says a read is too large and keep
  the smaller size, re-reserve and resume when the reservation is
  cancelled (0xC5); every loop is bounded;
* the cache (in memory, an LRU of :data:`MEMORY_CACHE_SIZE` repositories,
  and on disk with ``Command.set_sdr_cachedir``) is
  keyed by the BMC's identity and the repository's addition and erase
  timestamps; a BMC that reports no timestamps is never served from a
  cache filled in another session;
* decoding lives in :mod:`pyghmi.ipmi.sdrrecords`.
"""

import hashlib
import json
import logging
import os
import struct
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.facade import device as devicearea
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.client import chunked
from pyghmi.ipmi.private.codec import device
from pyghmi.ipmi.private.codec import typelen

LOG = logging.getLogger(__name__)

# (netfn, command) of the repository and of Device SDR commands.
_REPO_CMDS = {
    'info': (const.NETFN_STORAGE, const.CMD_GET_SDR_REPOSITORY_INFO),
    'reserve': (const.NETFN_STORAGE, const.CMD_RESERVE_SDR_REPOSITORY),
    'get': (const.NETFN_STORAGE, const.CMD_GET_SDR)}
_DEVICE_CMDS = {
    'info': (const.NETFN_SENSOR_EVENT, const.CMD_GET_DEVICE_SDR_INFO),
    'reserve': (const.NETFN_SENSOR_EVENT, const.CMD_RESERVE_DEVICE_SDR),
    'get': (const.NETFN_SENSOR_EVENT, const.CMD_GET_DEVICE_SDR)}
# 0xFF asks for the whole record; BMCs that refuse get smaller reads.
CHUNK_SIZES = (0xFF, 32, 16, 8)
LAST_RECORD = chunked.LAST_ID
MAX_RECORDS = 4096             # a chain longer than this is a loop
HEADER_SIZE = 5
# Repositories kept in memory per process; the oldest goes first.
MEMORY_CACHE_SIZE = 64

SensorReading = sdrrecords.SensorReading


class CacheKey(typing.NamedTuple):
    """What identifies one reading of a repository.

    ``trustworthy`` is False when the BMC reports no addition timestamp:
    such a repository is never served from a cache filled earlier.
    """

    identity: str
    info: str
    added: int
    erased: int
    trustworthy: bool

    @property
    def stored(self):
        """The part of the key that is stored with a cached repository."""
        return (self.identity, self.info, self.added, self.erased)


_MEMORY = lru.LRU(MEMORY_CACHE_SIZE)


def sensor_id(owner, number, lun):
    """pyghmi's id of a sensor: ``'owner.number.lun'`` (e.g. '32.116.0').

    The same id names a sensor in ``SDR.sensors`` and in the
    ``component_id`` of events.
    """
    return '%d.%d.%d' % (owner, number, lun)


class SDR:
    """The sensor data records of one BMC.

    :param ipmicmd: a :class:`pyghmi.ipmi.command.Command`: Get Device ID
        and the records are read at once (as pyghmi 1.6.19 does), the
        device attributes below are filled; or a callable like
        ``Command.xraw_command``: nothing is read until :meth:`fetch`
    :param cachedir: directory for the on-disk cache, or None
    :param identity: text identifying the BMC (manufacturer, product,
        firmware, GUID...) used in cache keys; derived from Get Device ID
        when a Command is given
    :param device_sdrs: read Device SDRs (Get Device SDR) instead of the
        SDR repository; derived from Get Device ID when a Command is given

    Attributes as pyghmi 1.6.19 has them: ``sensors`` (sensor id -> record),
    ``broken_sensor_ids``, and from Get Device ID ``device_id``,
    ``device_rev``, ``fw_major``, ``fw_minor`` (two hex digits of the BCD
    byte), ``ipmiversion``, ``mfg_id``, ``prod_id``, ``aux_fw`` (text).
    """

    def __init__(self, ipmicmd, cachedir=None, identity='',
                 device_sdrs=False):
        is_command = hasattr(ipmicmd, 'xraw_command')
        self.ipmicmd: typing.Any = ipmicmd if is_command else None
        self._xraw = ipmicmd.xraw_command if is_command else ipmicmd
        # records requested ahead, pipelined, through a Command
        self._xraw_many: typing.Any = getattr(ipmicmd, 'xraw_commands', None) \
            if is_command else None
        self._ahead = chunked.ReadAhead(self._xraw_many is not None)
        self._count = None      # records the repository says it holds
        self.identity = identity
        self.cachedir = cachedir
        self.cmds = _DEVICE_CMDS if device_sdrs else _REPO_CMDS
        self.records = []
        self.sensors = {}
        self.broken_sensor_ids = {}
        self.fru = {}
        self.device_id = self.device_rev = self.fw_major = 0
        self.fw_minor = '00'
        self.ipmiversion = self.mfg_id = self.prod_id = 0
        self.aux_fw = ''
        self.fru_locators = []
        self.damaged = 0
        self.round_trips = 0
        self.reader = chunked.ChunkedReader(CHUNK_SIZES, self._reserve)
        if is_command:
            self.read_info()

    @classmethod
    def unread(cls, command, cachedir=None):
        """An SDR of ``command`` (blocking or asyncio) with nothing read
        yet: its reads are flows (:meth:`read_info_flow`), which the
        Command's driver runs, pipelined."""
        sdr = cls(None, cachedir)
        sdr.ipmicmd = command
        sdr._ahead = chunked.ReadAhead(True)
        # pyghmi's SDR methods (get_sdr_reservation...) stay usable on
        # a blocking Command
        sdr._xraw, sdr._xraw_many = flows.blocking_callables(command)
        return sdr

    def _run(self, flow):
        """Run one of the flows below with the blocking callables."""
        return flows.Blocking(self._xraw, self._xraw_many).run(flow)

    def read_info(self):
        """Read Get Device ID into the attributes, then the records.

        Only for an SDR built on a Command.

        :raises IpmiException: the BMC refused
        """
        self._run(self.read_info_flow())

    def read_info_flow(self):
        """Flow of :meth:`read_info`."""
        rsp = yield flows.Xraw(const.NETFN_APP, const.CMD_GET_DEVICE_ID)
        data = bytes(rsp['data'])
        fields = device.DEVICE_ID.decode(data)
        info = device.decode_device_id(data)
        self.device_id = fields['device_id']
        self.device_rev = fields['device_revision']
        self.fw_major = fields['firmware_major']
        self.fw_minor = '%02X' % fields['firmware_minor']
        self.ipmiversion = data[4]
        self.mfg_id, self.prod_id = (fields['manufacturer_id'],
                                     fields['product_id'])
        self.aux_fw = self.decode_aux(fields['aux_firmware'])
        if not self.identity:
            try:
                guid = yield from devicearea.DeviceFlows.get_system_guid(
                    self.ipmicmd)
            except exc.IpmiException:
                guid = ''
            session = getattr(self.ipmicmd, 'ipmi_session', None)
            self.identity = '%s:%s|%d|%d|%d|%s|%s' % (
                getattr(self.ipmicmd, 'bmc', ''),
                getattr(session, 'port', ''), self.mfg_id, self.prod_id,
                self.device_id, info['firmware_version'], guid)
        if info['provides_device_sdrs'] and \
                'sdr-repository' not in info['additional_support']:
            self.cmds = _DEVICE_CMDS
        yield from self.fetch_flow()

    def _call(self, name, data=b''):
        netfn, cmd = self.cmds[name]
        self.round_trips += 1
        rsp = yield flows.Xraw(netfn, cmd, data=data)
        return rsp['data']

    # ------------------------------------------------------------- fetch
    def fetch(self):
        """Read (or take from cache) every record and index the sensors.

        :returns: self
        :raises IpmiException: the BMC refused the repository commands
        """
        return self._run(self.fetch_flow())

    def fetch_flow(self):
        """Flow of :meth:`fetch`."""
        key = yield from self._cache_key()
        raws = self._cached(key)
        if raws is None:
            raws = yield from self._read_all()
            self._store(key, raws)
        self._index(raws)
        return self

    def _cache_key(self):
        info = bytes((yield from self._call('info')))
        if self.cmds is _REPO_CMDS:
            if len(info) < 14:
                raise exc.BmcErrorException('short SDR repository info')
            added, erased = struct.unpack_from('<II', info, 5)
            self._count = struct.unpack_from('<H', info, 1)[0]
        else:
            added = struct.unpack_from('<I', info, 2)[0] \
                if len(info) >= 6 else 0
            erased = 0
        return CacheKey(self.identity, info.hex(), added, erased,
                        added not in (0, 0xFFFFFFFF))

    def _cached(self, key):
        if not key.trustworthy:
            return None     # no timestamps: never trust an older reading
        raws = _MEMORY.get(key.stored)
        if raws is None and self.cachedir:
            raws = self._load_disk(key)
        return raws

    def _cache_path(self, key):
        digest = hashlib.sha256(json.dumps(key.stored).encode()).hexdigest()
        return os.path.join(self.cachedir, 'sdr-%s.json' % digest[:32])

    def _load_disk(self, key):
        try:
            with open(self._cache_path(key)) as f:
                stored = json.load(f)
            if stored.get('key') != list(key.stored):
                return None
            return [bytes.fromhex(r) for r in stored['records']]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, key, raws):
        if not key.trustworthy:
            return
        _MEMORY.put(key.stored, raws)
        if not self.cachedir:
            return
        path = self._cache_path(key)
        tmp = '%s.%d.tmp' % (path, os.getpid())
        try:
            os.makedirs(self.cachedir, exist_ok=True)
            with open(tmp, 'w') as f:
                json.dump({'key': list(key.stored),
                           'records': [r.hex() for r in raws]}, f)
            os.replace(tmp, path)      # atomic for concurrent readers
        except OSError as err:
            LOG.warning('cannot write SDR cache %s: %s', path, err)

    def _reserve(self):
        return chunked.reservation_id(bytes((yield from self._call(
            'reserve'))))

    def _read_all(self):
        raws = []
        record_id, seen = 0, set()  # type: int, typing.Set[int]
        while record_id != LAST_RECORD:
            if record_id in seen or len(seen) > MAX_RECORDS:
                LOG.warning('SDR chain loops at record %d', record_id)
                break
            seen.add(record_id)
            next_id, raw = yield from self._read_record(record_id)
            raws.append(raw)
            record_id = next_id
            if self._ahead.enabled and self._count:
                sent = self._ahead.sent
                record_id = yield from self._ahead.follow(
                    record_id, self._count - len(raws), self._first_chunk,
                    self._accept, seen, raws, MAX_RECORDS + 1,
                    self._with_tails)
                self.round_trips += self._ahead.sent - sent
        return raws

    def _first_chunk(self, record_id):
        """Get SDR of a record's first chunk, in the chunk size and
        under the reservation that worked."""
        return self._chunk_request(record_id, 0, self.reader.size)

    def _chunk_request(self, record_id, offset, size):
        """An xraw request dict: Get SDR of ``size`` bytes of a record
        from ``offset``, under the reservation that worked."""
        netfn, cmd = self.cmds['get']
        return {'netfn': netfn, 'command': cmd,
                'data': chunked.pack_reservation(self.reader.held) +
                struct.pack('<HBB', record_id, offset, size)}

    def _with_tails(self, guesses, results):
        """First chunks completed with their tails: where a BMC cannot
        return a whole record at once (ipmi_sim), the rest of each
        record, whose length its header gives, is requested for the
        whole batch together rather than one record after the other.
        A record whose tail fails keeps its first chunk only, and
        :meth:`_accept` reads the rest itself."""
        wanted = []         # (index in results, offset, size)
        for index, result in enumerate(results):
            if isinstance(result, Exception):
                continue
            have = len(result['data']) - 2
            if have < HEADER_SIZE:
                continue
            total = HEADER_SIZE + result['data'][2 + 4]
            for offset in range(have, total, self.reader.size):
                wanted.append((index, offset,
                               min(self.reader.size, total - offset)))
        if not wanted:
            return results
        tails = yield flows.XrawMany([
            self._chunk_request(guesses[index], offset, size)
            for index, offset, size in wanted])
        self.round_trips += len(wanted)
        pieces: typing.Dict[int, typing.Any] = {}
        failed = set()
        for (index, _, size), tail in zip(wanted, tails):
            # a piece of another length would shift those after it
            if isinstance(tail, Exception) or len(tail['data']) != 2 + size:
                failed.add(index)
            else:
                pieces.setdefault(index, []).append(bytes(tail['data'])[2:])
        completed = list(results)
        for index, parts in pieces.items():
            if index not in failed:
                completed[index] = {'data': bytes(results[index]['data']) +
                                    b''.join(parts)}
        return completed

    def _accept(self, record_id, result):
        """A guessed record as ``(next id, record bytes)``, its tail read
        when the first chunk did not hold it all; None when unusable."""
        rsp = bytes(result['data'])
        if len(rsp) < 2 + HEADER_SIZE:
            return None
        next_id = struct.unpack_from('<H', rsp)[0]
        data = rsp[2:]
        total = HEADER_SIZE + data[4]
        try:
            while len(data) < total:
                _, chunk = yield from self._read_chunk(
                    record_id, len(data), total - len(data))
                if not chunk:
                    break
                data += chunk
        except exc.IpmiException:
            return None
        return next_id, data[:total]

    def _read_chunk(self, record_id, offset, remaining):
        def send(reservation, size):
            if remaining is not None:
                size = min(size, remaining)
            return bytes((yield from self._call(
                'get', chunked.pack_reservation(reservation) +
                struct.pack('<HBB', record_id, offset, size))))
        rsp = yield from self.reader.request(send)
        if len(rsp) < 2:
            raise exc.BmcErrorException('empty Get SDR response')
        return struct.unpack_from('<H', rsp)[0], rsp[2:]

    def _read_record(self, record_id):
        """Read one record in chunks: ``(next record id, bytes)``."""
        data = b''
        total = None
        next_id = LAST_RECORD
        while total is None or len(data) < total:
            remaining = None if total is None else total - len(data)
            next_id, chunk = yield from self._read_chunk(
                record_id, len(data), remaining)
            if not chunk:
                break       # record shorter than declared: left to decode
            data += chunk
            if total is None and len(data) >= HEADER_SIZE:
                total = HEADER_SIZE + data[4]
            elif total is None:
                raise exc.BmcErrorException('Get SDR returned no header')
        return next_id, data[:total] if total else data

    def _index(self, raws):
        self.records, self.sensors, self.fru_locators = [], {}, []
        self.broken_sensor_ids, self.fru = {}, {}
        for raw in raws:
            try:
                rec = sdrrecords.decode_record(raw)
            except exc.DecodeError as err:
                self.damaged += 1
                LOG.warning('skipping damaged SDR: %s', err)
                continue
            self._add_record(rec)

    def _add_record(self, rec):
        self.records.append(rec)
        if self.mfg_id or self.prod_id:
            # the context pyghmi 1.6.19's records carried
            rec.mfg_id, rec.prod_id = self.mfg_id, self.prod_id
        if rec.kind == sdrrecords.FRU_LOCATOR:
            self.fru_locators.append(rec)
            if rec.logical:
                # pyghmi 1.6.19's ``fru``: FRU id -> locator record
                self.fru.setdefault(rec.fru_id, rec)
        if rec.sdrtype == sdrrecords.TYPE_SENSOR:
            # event-only records too (readable False), as pyghmi
            for sensor in sdrrecords.expand_shared(rec):
                self._add_sensor(sensor)

    def _add_sensor(self, sensor):
        key = sensor_id(sensor.owner, sensor.number, sensor.lun)
        if key in self.sensors:
            # Two records claim one sensor: keep the first, as pyghmi did.
            self.broken_sensor_ids[key] = True
            LOG.warning('SDR: more than one record for sensor %s', key)
            return
        self.sensors[key] = sensor

    # ------------------------------------------- pyghmi 1.6.19's methods
    def decode_aux(self, auxdata):
        """Text of the auxiliary firmware revision bytes (vendor
        defined: each byte in hex, as pyghmi wrote them)."""
        return ''.join(hex(b) for b in bytes(auxdata))

    def get_sdr_reservation(self):
        """Reserve the repository: the reservation id (int).

        :raises IpmiException: the BMC refused
        """
        return self._run(self._reserve())

    def get_sdr(self):
        """Read (or take from the cache) every record: :meth:`fetch`."""
        self.fetch()

    def make_sdr_entry(self, sdrbytes):
        """Decode one whole record as an :class:`SDREntry`."""
        return SDREntry(sdrbytes, const_module(), False, self.mfg_id,
                        self.prod_id)

    def add_sdr(self, sdrbytes):
        """Decode one whole record and index it (sensors, FRU).

        :raises DecodeError: a damaged record
        """
        self._add_record(self.make_sdr_entry(sdrbytes))

    def get_sensor_numbers(self):
        """The ids (``'owner.number.lun'``) of the readable sensors, in
        record order (``sensors`` also holds event-only records)."""
        return [key for key, rec in self.sensors.items() if rec.readable]

    def readable_sensors(self):
        """The records of the sensors that have a reading."""
        return [rec for rec in self.sensors.values() if rec.readable]


def reading_factors_flow(rec, raw_value, bridge=None):
    """Flow: the factors converting ``raw_value`` of a sensor: None
    (the record's apply), or for a non-linear sensor (linearization
    70h-7Fh) the ones Get Sensor Reading Factors (35.5) gives for that
    value."""
    if rec.factors is None or rec.factors.linearization < 0x70:
        return None
    rsp = yield flows.Xraw(const.NETFN_SENSOR_EVENT,
                           const.CMD_GET_SENSOR_READING_FACTORS,
                           data=(rec.number, raw_value), rslun=rec.lun,
                           bridge_request=bridge)
    return sdrrecords.Factors.decode(bytes(rsp['data'])[1:7], 0,
                                     rec.factors.fmt)


def reading_factors(xraw, rec, raw_value, bridge=None):
    """:func:`reading_factors_flow` through an ``xraw_command``-like
    callable."""
    return flows.Blocking(xraw).run(
        reading_factors_flow(rec, raw_value, bridge))


def read_sensor_flow(rec):
    """Flow: read one sensor (Get Sensor Reading, bridged when another
    controller owns it; Get Sensor Reading Factors for non-linear ones).

    :param rec: the sensor's :class:`pyghmi.ipmi.sdrrecords.SdrRecord`
    :returns: a :class:`SensorReading`
    :raises IpmiException: the BMC refused (0xCB: sensor absent)
    """
    request = _reading_request(rec)
    rsp = yield flows.Xraw(**request)
    return (yield from _decode(rec, bytes(rsp['data']),
                               request['bridge_request']))


def read_sensor(xraw, rec):
    """:func:`read_sensor_flow` through a callable like
    ``Command.xraw_command``."""
    return flows.Blocking(xraw).run(read_sensor_flow(rec))


def _reading_request(rec):
    """Get Sensor Reading of ``rec`` as xraw_command keyword arguments
    (bridged when another controller owns the sensor)."""
    bridge = None
    if rec.owner != const.BMC_SLAVE_ADDR:
        bridge = {'addr': rec.owner, 'channel': rec.channel}
    return {'netfn': const.NETFN_SENSOR_EVENT,
            'command': const.CMD_GET_SENSOR_READING, 'data': (rec.number,),
            'rslun': rec.lun, 'bridge_request': bridge}


def _decode(rec, data, bridge):
    factors = (yield from reading_factors_flow(rec, data[0], bridge)) \
        if data else None
    return sdrrecords.decode_reading(rec, data, factors)


def read_sensors_flow(recs):
    """Flow: read many sensors at once: the Get Sensor Reading requests
    go out together (pipelined), the factors of non-linear sensors one
    by one.

    :param recs: the sensors' SDR records
    :returns: list of ``(record, SensorReading or IpmiException)``, in
        the order of ``recs``
    """
    requests = [_reading_request(rec) for rec in recs]
    results = yield flows.XrawMany(
        [{k: v for k, v in request.items() if v is not None}
         for request in requests])
    out = []
    for rec, request, result in zip(recs, requests, results):
        if isinstance(result, exc.IpmiException):
            out.append((rec, result))
            continue
        try:
            out.append((rec, (yield from _decode(
                rec, bytes(result['data']), request['bridge_request']))))
        except exc.IpmiException as err:
            out.append((rec, err))
    return out


def read_sensors(xraw_many, xraw, recs):
    """:func:`read_sensors_flow` through callables like
    ``Command.xraw_commands`` and ``Command.xraw_command``; an iterator
    of its pairs."""
    return iter(flows.Blocking(xraw, xraw_many).run(read_sensors_flow(recs)))


def clear_memory_cache():
    """Forget every SDR cached in this process (for tests)."""
    _MEMORY.clear()


# ------------------------------------------------- pyghmi 1.6.19's names
TYPE_UNKNOWN = sdrrecords.TYPE_UNKNOWN
TYPE_SENSOR = sdrrecords.TYPE_SENSOR
TYPE_FRU = sdrrecords.TYPE_FRU
unit_types = sdrrecords.tables.UNITS
sensor_rates = sdrrecords.tables.RATE_UNITS
# The process-wide memory cache itself (clearing it forces a re-read).
shared_sdrs = _MEMORY.items
# Vendor names of OEM discrete states, by manufacturer id, product id,
# sensor type, reading type and offset; none are known to this package.
oem_type_offsets: typing.Dict[int, typing.Any] = {}


def const_module():
    """The event constants module pyghmi passed to its records."""
    return const


ones_complement = sdrrecords.ones_complement
twos_complement = sdrrecords.twos_complement


class SDREntry(sdrrecords.SdrRecord):
    """pyghmi 1.6.19's record class: one whole SDR (header included),
    decoded by :func:`pyghmi.ipmi.sdrrecords.decode_record`, with the
    original's attribute names and methods.

    :param entrybytes: the record bytes
    :param event_consts: the constants module (kept as ``event_consts``)
    :param reportunsupported: raise NotImplementedError for record types
        this package does not decode
    :raises NotImplementedError: not an SDR version 51h record, or an
        unsupported type with ``reportunsupported``
    :raises DecodeError: a damaged record
    """

    _KNOWN = (sdrrecords.FULL, sdrrecords.COMPACT, sdrrecords.EVENT_ONLY,
              sdrrecords.FRU_LOCATOR, sdrrecords.MC_LOCATOR,
              sdrrecords.OEM)

    def __init__(self, entrybytes, event_consts, reportunsupported=False,
                 mfg_id=0, prod_id=0):
        raw = bytes(entrybytes)
        if len(raw) < HEADER_SIZE or raw[2] != sdrrecords.SDR_VERSION:
            raise NotImplementedError('SDR version is not 51h')
        if reportunsupported and raw[3] not in self._KNOWN:
            raise NotImplementedError('SDR type %02Xh' % raw[3])
        vars(self).update(vars(sdrrecords.decode_record(raw)))
        self.event_consts = event_consts
        self.reportunsupported = reportunsupported
        self.mfg_id, self.prod_id = mfg_id, prod_id

    @property
    def name(self):
        """The sensor's name for a sensor record, the FRU's for a FRU
        locator, else ``'UNKNOWN'`` (a property, as pyghmi's: a
        management controller or OEM record has no name there)."""
        # (the decoded id string is kept in the instance's dict: the
        # record's own ``sensor_name`` / ``fru_name`` read it there)
        if self.sdrtype in (TYPE_SENSOR, TYPE_FRU):
            return self.__dict__.get('name', '')
        return 'UNKNOWN'

    @name.setter
    def name(self, value):
        self.__dict__['name'] = value

    def _redecode(self, kind, entry):
        body = bytes(entry)
        raw = struct.pack('<HBBB', self.record_id, sdrrecords.SDR_VERSION,
                          kind, len(body)) + body
        vars(self).update(vars(sdrrecords.decode_record(raw)))

    def full_decode(self, entry):
        """Decode ``entry`` (a record body) as a full sensor record."""
        self._redecode(sdrrecords.FULL, entry)

    def compact_decode(self, entry):
        """Decode ``entry`` as a compact sensor record."""
        self._redecode(sdrrecords.COMPACT, entry)

    def eventonly_decode(self, entry):
        """Decode ``entry`` as an event-only record."""
        self._redecode(sdrrecords.EVENT_ONLY, entry)

    def fru_decode(self, entry):
        """Decode ``entry`` as a FRU device locator."""
        self._redecode(sdrrecords.FRU_LOCATOR, entry)

    def mclocate_decode(self, entry):
        """Decode ``entry`` as a management controller locator."""
        self._redecode(sdrrecords.MC_LOCATOR, entry)

    def oem_decode(self, entry):
        """Decode ``entry`` as an OEM record."""
        self._redecode(sdrrecords.OEM, entry)

    def association_decode(self, entry):
        """Entity association records carry no sensor: kept raw."""
        self._redecode(0x08, entry)

    def decode_formula(self, entry):
        """Take the six conversion factor bytes of ``entry``."""
        self.factors = sdrrecords.Factors.decode(
            bytes(entry)[:6], self.linearization or 0,
            self.numeric_format if self.numeric_format in (0, 1, 2) else 0)

    def tlv_decode(self, tlv, data):
        """Text of a type/length byte and the bytes after it."""
        return typelen.decode_string(tlv >> 6, bytes(data)[:tlv & 0x1F])

    def decode_value(self, ipmicmd, value):
        """A raw reading in units (factors from the BMC when the sensor
        is non-linear)."""
        factors = reading_factors(ipmicmd.xraw_command, self, value) or \
            self.factors
        return factors.convert(value) if factors else None

    def decode_sensor_reading(self, ipmicmd, reading):
        """A :class:`SensorReading` of Get Sensor Reading data."""
        data = bytes(reading)
        factors = reading_factors(ipmicmd.xraw_command, self, data[0]) \
            if data else None
        return sdrrecords.decode_reading(self, data, factors)
