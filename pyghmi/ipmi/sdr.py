"""Reading the SDR repository of a BMC, with a safe cache.

Rules of this module:

* :class:`SDR` takes an ``xraw_command``-like callable; its constructor
  does no I/O, :meth:`SDR.fetch` reads the repository;
* reads go through :class:`pyghmi.ipmi.private.chunked.ChunkedReader`:
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
from pyghmi.ipmi.private import chunked
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import lru

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
LAST_RECORD = 0xFFFF
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


class SDR:
    """The sensor data records of one BMC.

    :param xraw: callable like ``Command.xraw_command``
    :param identity: text identifying the BMC (manufacturer, product,
        firmware, GUID...) used in cache keys
    :param cachedir: directory for the on-disk cache, or None
    :param device_sdrs: read Device SDRs (Get Device SDR) instead of the
        SDR repository
    """

    def __init__(self, xraw, identity='', cachedir=None, device_sdrs=False):
        self._xraw = xraw
        self.identity = identity
        self.cachedir = cachedir
        self.cmds = _DEVICE_CMDS if device_sdrs else _REPO_CMDS
        self.records = []
        self.sensors = {}
        self.fru_locators = []
        self.damaged = 0
        self.round_trips = 0
        self.reader = chunked.ChunkedReader(CHUNK_SIZES, self._reserve)

    def _call(self, name, data=b''):
        netfn, cmd = self.cmds[name]
        self.round_trips += 1
        return self._xraw(netfn, cmd, data=data)['data']

    # ------------------------------------------------------------- fetch
    def fetch(self):
        """Read (or take from cache) every record and index the sensors.

        :returns: self
        :raises IpmiException: the BMC refused the repository commands
        """
        key = self._cache_key()
        raws = self._cached(key)
        if raws is None:
            raws = self._read_all()
            self._store(key, raws)
        self._index(raws)
        return self

    def _cache_key(self):
        info = bytes(self._call('info'))
        if self.cmds is _REPO_CMDS:
            if len(info) < 14:
                raise exc.BmcErrorException('short SDR repository info')
            added, erased = struct.unpack_from('<II', info, 5)
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
        return chunked.reservation_id(bytes(self._call('reserve')))

    def _read_all(self):
        raws = []
        record_id, seen = 0, set()
        while record_id != LAST_RECORD:
            if record_id in seen or len(seen) > MAX_RECORDS:
                LOG.warning('SDR chain loops at record %d', record_id)
                break
            seen.add(record_id)
            next_id, raw = self._read_record(record_id)
            raws.append(raw)
            record_id = next_id
        return raws

    def _read_chunk(self, record_id, offset, remaining):
        def send(reservation, size):
            if remaining is not None:
                size = min(size, remaining)
            return bytes(self._call('get', chunked.pack_reservation(
                reservation) + struct.pack('<HBB', record_id, offset, size)))
        rsp = self.reader.request(send)
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
            next_id, chunk = self._read_chunk(record_id, len(data),
                                              remaining)
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
        for raw in raws:
            try:
                rec = sdrrecords.decode_record(raw)
            except exc.DecodeError as err:
                self.damaged += 1
                LOG.warning('skipping damaged SDR: %s', err)
                continue
            self.records.append(rec)
            if rec.kind == sdrrecords.FRU_LOCATOR:
                self.fru_locators.append(rec)
            if rec.is_sensor:
                for sensor in sdrrecords.expand_shared(rec):
                    self.sensors[(sensor.owner, sensor.lun,
                                  sensor.number)] = sensor

    def get_sensor_numbers(self):
        """The sensor keys ``(owner, lun, number)`` in record order."""
        return list(self.sensors)


def read_sensor(xraw, rec):
    """Read one sensor (Get Sensor Reading, bridged when another
    controller owns it; Get Sensor Reading Factors for non-linear ones).

    :param xraw: callable like ``Command.xraw_command``
    :param rec: the sensor's :class:`pyghmi.ipmi.sdrrecords.SdrRecord`
    :returns: a :class:`SensorReading`
    :raises IpmiException: the BMC refused (0xCB: sensor absent)
    """
    bridge = None
    if rec.owner != const.BMC_SLAVE_ADDR:
        bridge = {'addr': rec.owner, 'channel': rec.channel}
    data = bytes(xraw(const.NETFN_SENSOR_EVENT, const.CMD_GET_SENSOR_READING,
                      data=(rec.number,), rslun=rec.lun,
                      bridge_request=bridge)['data'])
    factors = None
    if rec.factors is not None and rec.factors.linearization >= 0x70 \
            and data:
        # Non-linear sensor: the factors depend on the reading (35.5).
        fdata = bytes(xraw(const.NETFN_SENSOR_EVENT,
                           const.CMD_GET_SENSOR_READING_FACTORS,
                           data=(rec.number, data[0]), rslun=rec.lun,
                           bridge_request=bridge)['data'])
        factors = sdrrecords.Factors.decode(fdata[1:7], 0, rec.factors.fmt)
    return sdrrecords.decode_reading(rec, data, factors)


def clear_memory_cache():
    """Forget every SDR cached in this process (for tests)."""
    _MEMORY.clear()
