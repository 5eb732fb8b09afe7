"""Session sequence-number checking shared by client and server.

RMCP+ packets in a session carry a sequence number that grows by one per
packet; a receiver accepts each number once, within a window behind the
highest seen (IPMI v2.0 section 6.12.13), so replayed packets are
rejected while modest reordering is tolerated.  Memory and time per
packet are constant whatever number a peer sends.
"""


class ReplayWindow:
    """Accept each sequence number once, at most ``size`` behind the top.

    :param size: how far behind the highest number a late packet may be
    """

    __slots__ = ('size', 'high', 'mask')

    def __init__(self, size=32):
        self.size = size
        self.high = 0
        self.mask = 0

    def accept(self, seq):
        """Record ``seq``; return False if it is 0, stale or a replay."""
        if seq == 0:
            return False
        if seq > self.high:
            shift = seq - self.high
            # A jump past the window forgets it: shifting by the raw
            # distance would build an integer of up to 2**32 bits.
            if shift >= self.size:
                self.mask = 1
            else:
                self.mask = ((self.mask << shift) | 1) & \
                    ((1 << self.size) - 1)
            self.high = seq
            return True
        back = self.high - seq
        if back >= self.size or self.mask & (1 << back):
            return False
        self.mask |= 1 << back
        return True
