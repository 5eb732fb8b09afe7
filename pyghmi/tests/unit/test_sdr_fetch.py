"""The SDR reader against a scripted repository (IPMI v2.0 section 33)."""

import struct

import pytest

from pyghmi import exceptions as exc
from pyghmi.fakebmc import sensors as fakesensors
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi.private.client import chunked

PROFILE = {'sensors': [
    {'name': 'T%d' % i, 'type': 'Temperature', 'unit': '°C', 'value': i}
    for i in range(5)], 'sdr_max_read': 16}


class Repo:
    """xraw_command stand-in over fakebmc's SensorSet, with hooks."""

    def __init__(self, profile=PROFILE, info_override=None):
        self.set = fakesensors.SensorSet(profile)
        self.calls = []
        self.cancel_after = None
        self.info_override = info_override

    def __call__(self, netfn, cmd, data=b''):
        self.calls.append(cmd)
        if cmd == 0x20:
            info = self.info_override or self.set.repository_info()
            return {'data': info}
        if cmd == 0x22:
            return {'data': self.set.reserve()}
        if self.cancel_after is not None and \
                self.calls.count(0x23) == self.cancel_after:
            self.set.reserve()          # someone else reserved: ours dies
        code, out = self.set.get_sdr(bytes(data))
        if code:
            raise exc.IpmiException('code', code=code)
        return {'data': out}


def setup_function(_):
    sdrmod.clear_memory_cache()


def test_33_12_steps_down_when_reads_are_too_large():
    repo = Repo()
    sdr = sdrmod.SDR(repo, identity='bmc-a').fetch()
    assert sorted(r.name for r in sdr.sensors.values()) == \
        ['T0', 'T1', 'T2', 'T3', 'T4']
    # 255 and 32 bytes refused once each; 16 kept for later records
    assert sdr.reader.size == 16
    assert repo.calls.count(0x23) <= 2 + 5 * 4


def test_33_11_reservation_cancelled_mid_record_is_retaken():
    repo = Repo()
    repo.cancel_after = 6
    sdr = sdrmod.SDR(repo, identity='bmc-b').fetch()
    assert len(sdr.sensors) == 5
    assert repo.calls.count(0x22) >= 2


def test_cache_reused_only_for_the_same_identity_and_timestamps():
    repo = Repo()
    sdrmod.SDR(repo, identity='bmc-c').fetch()
    again = Repo()
    sdr = sdrmod.SDR(again, identity='bmc-c').fetch()
    assert again.calls == [0x20] and len(sdr.sensors) == 5
    other = Repo()
    sdrmod.SDR(other, identity='bmc-d').fetch()
    assert 0x23 in other.calls          # a foreign cache is never used


def test_no_timestamps_means_no_cache_across_sessions(tmp_path):
    info = bytes.fromhex('51050000800000000000000000' '22')
    repo = Repo(info_override=info)
    sdrmod.SDR(repo, identity='bmc-e', cachedir=str(tmp_path)).fetch()
    again = Repo(info_override=info)
    sdrmod.SDR(again, identity='bmc-e', cachedir=str(tmp_path)).fetch()
    assert 0x23 in again.calls
    assert not list(tmp_path.iterdir())


def test_disk_cache_survives_process_and_rejects_garbage(tmp_path):
    sdrmod.SDR(Repo(), identity='bmc-f', cachedir=str(tmp_path)).fetch()
    sdrmod.clear_memory_cache()
    again = Repo()
    sdrmod.SDR(again, identity='bmc-f', cachedir=str(tmp_path)).fetch()
    assert again.calls == [0x20]
    for path in tmp_path.iterdir():
        path.write_text('{not json')
    sdrmod.clear_memory_cache()
    third = Repo()
    sdr = sdrmod.SDR(third, identity='bmc-f', cachedir=str(tmp_path)).fetch()
    assert 0x23 in third.calls and len(sdr.sensors) == 5


def test_refusal_other_than_size_is_raised():
    class Refusing(Repo):
        def __call__(self, netfn, cmd, data=b''):
            if cmd == 0x23:
                raise exc.IpmiException('busy', code=0xC0)
            return super().__call__(netfn, cmd, data)
    with pytest.raises(exc.IpmiException):
        sdrmod.SDR(Refusing(), identity='bmc-g').fetch()


def test_tails_read_together_make_whole_records_or_are_left_alone():
    # SDR._with_tails completes a read-ahead batch's first chunks with
    # the rest of each record, requested together.  A piece that comes
    # back short would shift the pieces after it: that record is left
    # with its first chunk, for the one-at-a-time reader.
    chain = sdrmod.SDR(Repo(), identity='tails-chain').fetch()
    whole = {struct.unpack_from('<H', r.raw)[0]: r.raw
             for r in chain.records}
    repo = Repo()
    sdr = sdrmod.SDR(repo, identity='tails')
    sdr.reader = chunked.ChunkedReader((16,), sdr._reserve)
    ids = sorted(whole)
    results = [repo(0x0A, 0x23, sdr._first_chunk(i)['data']) for i in ids]
    short = ids[1]

    def xraw_many(requests, return_exceptions=False):
        out = []
        for req in requests:
            rsp = repo(req['netfn'], req['command'], req['data'])
            record_id, offset = struct.unpack_from('<HB', req['data'], 2)
            if record_id == short and offset == 16:
                rsp = {'data': bytes(rsp['data'])[:-3]}
            out.append(rsp)
        return out
    sdr._xraw_many = xraw_many
    completed = sdr._run(sdr._with_tails(ids, results))
    for record_id, result, done in zip(ids, results, completed):
        if record_id == short:
            assert done is result           # left to the chain reader
        else:
            assert bytes(done['data'])[2:] == whole[record_id]
    assert len(whole[short]) > 32           # it did need two tails
