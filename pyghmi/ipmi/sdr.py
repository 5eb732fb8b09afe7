"""Reading the SDR repository of a BMC, with a safe cache.

Rules of this module:

* :class:`SDR` takes an ``xraw_command``-like callable; its constructor
  does no I/O, :meth:`SDR.fetch` reads the repository;
* reads step down in size when the BMC says a read is too large (0xCA,
  0xC7, 0xFF), re-reserve and resume when the reservation is cancelled
  (0xC5); every loop is bounded;
* the cache (in memory, and on disk with :meth:`SDR.set_cachedir`) is
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

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdrrecords

LOG = logging.getLogger(__name__)

NETFN_STORAGE, NETFN_SENSOR = 0x0A, 0x04
BMC_ADDRESS = 0x20
_REPO_CMDS = {'info': (NETFN_STORAGE, 0x20), 'reserve': (NETFN_STORAGE, 0x22),
              'get': (NETFN_STORAGE, 0x23)}
_DEVICE_CMDS = {'info': (NETFN_SENSOR, 0x20), 'reserve': (NETFN_SENSOR, 0x22),
                'get': (NETFN_SENSOR, 0x21)}
_CHUNKS = (0xFF, 32, 16, 8)
_TOO_BIG = (0xCA, 0xC7, 0xFF)
_MAX_RESERVE = 8
_MEMORY = {}

SensorReading = sdrrecords.SensorReading


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
        self._chunk_index = 0       # kept across records once stepped down

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
        trustworthy = added not in (0, 0xFFFFFFFF)
        return (self.identity, info.hex(), added, erased, trustworthy)

    def _cached(self, key):
        if not key[4]:
            return None     # no timestamps: never trust an older reading
        raws = _MEMORY.get(key[:4])
        if raws is None and self.cachedir:
            raws = self._load_disk(key)
        return raws

    def _cache_path(self, key):
        digest = hashlib.sha256(json.dumps(key[:4]).encode()).hexdigest()
        return os.path.join(self.cachedir, 'sdr-%s.json' % digest[:32])

    def _load_disk(self, key):
        try:
            with open(self._cache_path(key)) as f:
                stored = json.load(f)
            if stored.get('key') != list(key[:4]):
                return None
            return [bytes.fromhex(r) for r in stored['records']]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, key, raws):
        if not key[4]:
            return
        _MEMORY[key[:4]] = raws
        if not self.cachedir:
            return
        path = self._cache_path(key)
        tmp = '%s.%d.tmp' % (path, os.getpid())
        try:
            os.makedirs(self.cachedir, exist_ok=True)
            with open(tmp, 'w') as f:
                json.dump({'key': list(key[:4]),
                           'records': [r.hex() for r in raws]}, f)
            os.replace(tmp, path)      # atomic for concurrent readers
        except OSError as err:
            LOG.warning('cannot write SDR cache %s: %s', path, err)

    def _reserve(self):
        return bytes(self._call('reserve')[:2])

    def _read_all(self):
        raws = []
        reservation = self._reserve()
        record_id, seen = 0, set()
        while record_id != 0xFFFF:
            if record_id in seen or len(seen) > 4096:
                LOG.warning('SDR chain loops at record %d', record_id)
                break
            seen.add(record_id)
            reservation, next_id, raw = self._read_record(reservation,
                                                          record_id)
            raws.append(raw)
            record_id = next_id
        return raws

    def _read_record(self, reservation, record_id):
        reserves = 0
        data = b''
        total = None
        next_id = 0xFFFF
        while total is None or len(data) < total:
            size = _CHUNKS[self._chunk_index]
            if total is not None:
                size = min(size, total - len(data))
            try:
                rsp = bytes(self._call('get', reservation + struct.pack(
                    '<HBB', record_id, len(data), size)))
            except exc.IpmiException as err:
                if err.ipmicode == 0xC5 and reserves < _MAX_RESERVE:
                    reserves += 1
                    reservation = self._reserve()
                    continue
                if err.ipmicode in _TOO_BIG and \
                        self._chunk_index + 1 < len(_CHUNKS):
                    self._chunk_index += 1
                    continue
                raise
            if len(rsp) < 2:
                raise exc.BmcErrorException('empty Get SDR response')
            next_id = struct.unpack_from('<H', rsp)[0]
            if len(rsp) == 2:
                break       # record shorter than declared: left to decode
            data += rsp[2:]
            if total is None and len(data) >= 5:
                total = 5 + data[4]
            elif total is None:
                raise exc.BmcErrorException('Get SDR returned no header')
        return reservation, next_id, data[:total] if total else data

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
    if rec.owner != BMC_ADDRESS:
        bridge = {'addr': rec.owner, 'channel': rec.channel}
    data = bytes(xraw(NETFN_SENSOR, 0x2D, data=(rec.number,), rslun=rec.lun,
                      bridge_request=bridge)['data'])
    factors = None
    if rec.factors is not None and rec.factors.linearization >= 0x70 \
            and data:
        # Non-linear sensor: the factors depend on the reading (35.5).
        fdata = bytes(xraw(NETFN_SENSOR, 0x23, data=(rec.number, data[0]),
                           rslun=rec.lun, bridge_request=bridge)['data'])
        factors = sdrrecords.Factors.decode(fdata[1:7], 0, rec.factors.fmt)
    return sdrrecords.decode_reading(rec, data, factors)


def clear_memory_cache():
    """Forget every SDR cached in this process (for tests)."""
    _MEMORY.clear()
