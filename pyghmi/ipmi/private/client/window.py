"""How many requests one session keeps in flight (pipelining).

IPMI matches a response to its request by the 6-bit sequence number of
the message (section 13.8), so a console may have several requests
outstanding; BMCs queue a few and answer "node busy" (0xC0) or drop what
they cannot take.  The window starts small, grows by about one request
per window of successful answers up to :data:`GROWTH_CAP`, and halves
on a time-out or a "node busy", as TCP's congestion window does; a
caller may pin it (1 is strictly one request at a time, at most
:data:`CAP`).
"""

START = 4
# Half the sequence space: a late answer to a retired sequence number
# cannot be taken for the answer to a new request with the same number
# until 32 more requests have been sent.
CAP = 32
# The most the window grows to by itself.  A BMC takes a session
# sequence number only within a window behind the highest it has seen
# (IPMI v2.0 section 6.12.13; ipmi_sim drops a packet 15 behind).  With
# at most 15 requests in flight a request can be overtaken by at most 14
# sent after it, so a network that reorders a burst never makes such a
# BMC drop one, which would cost a whole time-out (a second by default).
GROWTH_CAP = 15


class Window:
    """The in-flight limit of one session.

    :param pinned: a fixed limit (1..CAP), or None to adapt
    """

    # ``limit``: how many requests may be in flight now (read on every
    # request, so kept as a plain attribute beside ``size``).
    __slots__ = ('pinned', 'size', 'limit')

    def __init__(self, pinned=None):
        self.pinned = pinned
        self.size = float(pinned or START)
        self.limit = int(self.size)

    def __repr__(self):
        pinned = ', pinned' if self.pinned else ''
        return 'Window(limit=%d%s)' % (self.limit, pinned)

    def answered(self):
        """A request completed normally: grow (additive increase)."""
        if self.pinned is None and self.size < GROWTH_CAP:
            self.size = min(float(GROWTH_CAP), self.size + 1.0 / self.size)
            self.limit = int(self.size)

    def congested(self):
        """A time-out or "node busy": halve (multiplicative decrease)."""
        if self.pinned is None:
            self.size = max(1.0, self.size / 2.0)
            self.limit = int(self.size)
