"""How long to wait for an answer before sending again: a retransmission
time-out that follows the BMC's measured round trip.

The estimator is RFC 6298's (TCP's): a smoothed round-trip time and its
mean deviation, updated from each exchange answered at its first try,
give ``rto = srtt + 4 * rttvar``.  What differs, and why:

* the first wait, before any answer was timed, is the caller's
  ``timeout`` (1 s by default), and ``timeout`` is also the ceiling of
  every wait: a caller who asked for a 1 s time-out never waits longer
  for one try (a SOL stream starts from its own ``retry_interval``);
* the floor is RTO_FLOOR (0.25 s), not TCP's 1 s: a BMC answers in
  milliseconds to tens of milliseconds, and a fixed 1 s wait is what
  made every lost datagram cost a second;
* back-off is per exchange: try ``n`` waits ``rto * 2**n`` (capped at
  the ceiling), and the next exchange starts from the estimate again.
  On a lossy path (the case that matters here) a loss says nothing
  about congestion, so TCP's persistent back-off would only slow the
  exchanges that follow;
* Karn's rule: an exchange that was sent more than once gives no
  sample, since its answer may be to any of the tries.

Commands a BMC is known to answer slowly (firmware, reservations, OEM,
bridged requests: :func:`pyghmi.ipmi.private.constants.answered_slowly`)
do not follow the estimate: each of their tries waits the ceiling, so a
300 ms command is not sent again while it runs, and they give no sample
(their time is the BMC's work, not the network's).  A late answer to an
earlier try completes the request either way, because every try carries
the same IPMI sequence number.

Used by the client session core (requests and login steps) and by the
SOL stream of both ends (:mod:`pyghmi.ipmi.private.codec.sol`).
"""

import typing

RTO_FLOOR = 0.25
RTT_GAIN = 0.125        # gain of the smoothed round trip (RFC 6298)
RTTVAR_GAIN = 0.25      # gain of its deviation
RTTVAR_WEIGHT = 4       # deviations added to the smoothed round trip


class RetransmitTimer:
    """The round-trip estimate of one BMC, and the waits it gives.

    :param floor: shortest wait for an answer, in seconds
    :param initial: the time-out before any sample (None: the ceiling
        each caller gives)
    """

    __slots__ = ('floor', 'initial', 'srtt', 'rttvar', 'samples')

    def __init__(self, floor=RTO_FLOOR, initial=None):
        self.floor = floor
        self.initial = initial
        self.srtt: typing.Optional[float] = None
        self.rttvar = 0.0
        self.samples = 0

    def __repr__(self):
        if self.srtt is None:
            return 'RetransmitTimer(no sample)'
        return 'RetransmitTimer(srtt=%.4f, rttvar=%.4f, samples=%d)' % (
            self.srtt, self.rttvar, self.samples)

    def sample(self, rtt):
        """Take the round trip ``rtt`` (seconds) of an exchange answered
        at its first try (RFC 6298, 2.2 and 2.3)."""
        rtt = max(float(rtt), 0.0)
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar += RTTVAR_GAIN * (abs(self.srtt - rtt) - self.rttvar)
            self.srtt += RTT_GAIN * (rtt - self.srtt)
        self.samples += 1

    def rto(self, ceiling):
        """The current time-out: the estimate between the floor and
        ``ceiling``; before any sample, ``initial`` (at most ``ceiling``)
        or ``ceiling``."""
        if self.srtt is None:
            return ceiling if self.initial is None else \
                min(self.initial, ceiling)
        estimate = self.srtt + RTTVAR_WEIGHT * self.rttvar
        return min(max(estimate, self.floor), ceiling)

    def wait(self, attempt, ceiling, slow=False):
        """Seconds try number ``attempt`` (0 first) waits for an answer:
        the time-out doubled per earlier try, at most ``ceiling``; always
        ``ceiling`` for a ``slow`` command."""
        if slow:
            return ceiling
        return min(self.rto(ceiling) * (2 ** min(attempt, 16)), ceiling)
