"""Reservations and chunked reads, shared by the SDR, SEL and FRU readers.

Reading a repository record by record runs into the same two answers on
every BMC: "reservation cancelled" (0xC5: something changed the
repository, or another reader reserved it) and "too large" (0xCA, or what
real BMCs send instead, :data:`constants.RESPONSE_TOO_LARGE`).  A
:class:`ChunkedReader` owns both recoveries so each reader states only
what it asks for: it re-reserves a bounded number of times in a row, and
steps down through the chunk sizes, keeping the smaller size for the rest
of the read (a BMC that refused 32 bytes once will refuse them again).
"""

import struct

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import window

MAX_RESERVES = 8        # reservation losses in a row before giving up
NO_RESERVATION = 0


def pack_reservation(reservation):
    """The two little-endian bytes of a reservation id."""
    return struct.pack('<H', reservation & 0xFFFF)


def reservation_id(data):
    """Read the reservation id from a Reserve ... response.

    :raises BmcErrorException: the answer is shorter than two bytes
    """
    if len(data) < 2:
        raise exc.BmcErrorException('short reservation response')
    return struct.unpack_from('<H', data)[0]


class ChunkedReader:
    """Runs the read requests of one fetcher, as a flow
    (:mod:`pyghmi.ipmi.facade.flows`): :meth:`request` yields the
    requests of ``send`` and ``reserve`` and is sent their results.

    :param sizes: chunk sizes to try, largest first
    :param reserve: a flow function: ``reserve()`` gives a fresh
        reservation id (int); None when the data needs no reservation
        (FRU devices)
    :param max_reserves: reservation losses in a row that are tolerated
    """

    def __init__(self, sizes, reserve=None, max_reserves=MAX_RESERVES):
        self.sizes = tuple(sizes)
        self._index = 0
        self._reserve = reserve
        self._reservation = None
        self.max_reserves = max_reserves
        self.reserves = 0          # reservations taken, for tests/benches

    def __repr__(self):
        return 'ChunkedReader(size=%d)' % self.size

    @property
    def size(self):
        """The chunk size in use now."""
        return self.sizes[self._index]

    @property
    def held(self):
        """The reservation id held now (NO_RESERVATION before the
        first): what requests built ahead are sent under."""
        return self._reservation or NO_RESERVATION

    def _renew(self):
        self.reserves += 1
        self._reservation = NO_RESERVATION
        if self._reserve is not None:
            self._reservation = yield from self._reserve()

    def step_down(self):
        """Use the next smaller chunk size; False when none is left."""
        if self._index + 1 >= len(self.sizes):
            return False
        self._index += 1
        return True

    def request(self, send):
        """Flow: run ``send(reservation, size)`` (a flow function) until
        the BMC accepts it; the reservation is taken on first use.

        :returns: what ``send`` returned
        :raises IpmiException: any other error, a "too large" answer at
            the smallest size, or too many reservation losses in a row
        """
        losses = 0
        if self._reservation is None:
            yield from self._renew()
        while True:
            try:
                return (yield from send(self._reservation, self.size))
            except exc.IpmiException as err:
                code = err.ipmicode
                if code == const.CC_RESERVATION_CANCELLED and \
                        self._reserve is not None and \
                        losses < self.max_reserves:
                    losses += 1
                    yield from self._renew()
                    continue
                if code in const.RESPONSE_TOO_LARGE and self.step_down():
                    continue
                raise


LAST_ID = 0xFFFF        # "no next record" in the SDR and SEL chains
# Records requested ahead at once: whole windows of the pipelining
# session (a batch waits for its last answer, so a batch of 32 at 15 in
# flight would take three round trips where 30 take two).
AHEAD_BATCH = 2 * window.GROWTH_CAP


class ReadAhead:
    """Speculative reading of a record chain (SDR, SEL), as a flow.

    A record's "next id" is known only once it is read, but most BMCs
    number records 1, 2, 3...: so the ids after the current one are
    requested together (pipelined, one :class:`XrawMany`) and each
    answer is kept while the record before it names it as next.  The
    first guess that fails hands back to the caller's one-at-a-time
    chain reader; a batch in which not even the first guess holds turns
    reading ahead off for good (not numbered in sequence, or the
    request refused).

    :param enabled: False: reading ahead off (a reader without
        pipelining)
    """

    def __init__(self, enabled=True):
        self.enabled = bool(enabled)
        self.sent = 0           # requests sent, for round-trip counts

    def follow(self, record_id, left, request, accept, seen, out, limit,
               complete=None):
        """Flow: read ahead from ``record_id`` while the guesses hold.

        :param left: how many records remain at most (the repository's
            count minus those read)
        :param request: ``request(record id)`` -> an xraw request dict
        :param accept: flow function: ``accept(record id, result)`` ->
            ``(next id, record bytes)``, or None when the answer cannot
            be used
        :param seen: ids read so far (extended; a loop stops reading)
        :param out: the records read (extended, in chain order)
        :param limit: most records a chain may have
        :param complete: flow function: ``complete(guesses, results)``
            -> the results with whatever else they need requested
            together (an SDR record's tail past its first chunk), or None
        :returns: the id the chain reader continues with (LAST_ID at
            the end)
        """
        while self.enabled and record_id != LAST_ID and len(seen) < limit:
            count = min(AHEAD_BATCH, left, LAST_ID - record_id)
            if count <= 0:
                break
            guesses = [record_id + n for n in range(count)]
            results = yield flows.XrawMany(
                [request(guess) for guess in guesses])
            self.sent += count
            if complete is not None:
                results = yield from complete(guesses, results)
            taken = 0
            for guess, result in zip(guesses, results):
                if guess != record_id or record_id in seen or \
                        isinstance(result, Exception):
                    break
                record = yield from accept(record_id, result)
                if record is None:
                    break
                seen.add(record_id)
                out.append(record[1])
                record_id = record[0]
                taken += 1
            left -= taken
            if taken == 0:
                self.enabled = False        # the chain alone from here on
            if taken < count:
                break
        return record_id
