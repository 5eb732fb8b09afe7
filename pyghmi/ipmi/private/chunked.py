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
from pyghmi.ipmi.private import constants as const

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
    """Runs the read requests of one fetcher.

    :param sizes: chunk sizes to try, largest first
    :param reserve: ``reserve()`` returns a fresh reservation id (int), or
        None when the data needs no reservation (FRU devices)
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
    def reservation(self):
        """The current reservation id, taken on first use."""
        if self._reservation is None:
            self._renew()
        return self._reservation

    def _renew(self):
        self.reserves += 1
        self._reservation = (self._reserve() if self._reserve is not None
                             else NO_RESERVATION)

    def step_down(self):
        """Use the next smaller chunk size; False when none is left."""
        if self._index + 1 >= len(self.sizes):
            return False
        self._index += 1
        return True

    def request(self, send):
        """Call ``send(reservation, size)`` until the BMC accepts it.

        :returns: what ``send`` returned
        :raises IpmiException: any other error, a "too large" answer at
            the smallest size, or too many reservation losses in a row
        """
        losses = 0
        while True:
            try:
                return send(self.reservation, self.size)
            except exc.IpmiException as err:
                code = err.ipmicode
                if code == const.CC_RESERVATION_CANCELLED and \
                        self._reserve is not None and \
                        losses < self.max_reserves:
                    losses += 1
                    self._renew()
                    continue
                if code in const.RESPONSE_TOO_LARGE and self.step_down():
                    continue
                raise
