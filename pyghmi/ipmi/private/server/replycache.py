"""The BMC side's memory of a session's recent answers.

A console that hears no answer sends its request again with the same
IPMI sequence number (rqSeq), and gives every new request the next
number.  So (rqSeq, netfn, command, data) names one request: when it
comes again the BMC must answer it again from here, never run it a
second time (a repeated "power cycle" would cycle twice).  The cache
keeps the last :data:`SIZE` requests of a session because a console may
keep that many in flight at once (pipelining), and any of their replies
may be the one the network lost.  A request whose handler has not
answered yet is remembered as pending, so that a retransmission arriving
meanwhile is not run either.

Pure data, no I/O; one per server session.
"""

import collections

# The largest window a console keeps in flight (the client's cap is
# 32), and fewer than the 64 sequence numbers, so that a number is never
# taken for the request that used it one lap earlier.
SIZE = 32
PENDING = None      # the reply of a request still being handled


class ReplyCache:
    """Replies to the last :data:`SIZE` requests of one session."""

    __slots__ = ('_entries',)

    def __init__(self):
        # key -> [reply or PENDING, time of the request or last answer]
        self._entries = collections.OrderedDict()

    def __len__(self):
        return len(self._entries)

    def lookup(self, key):
        """``(reply, answered_at)`` of a request seen before (``reply``
        is :data:`PENDING` while its handler works), or None."""
        entry = self._entries.get(key)
        return None if entry is None else (entry[0], entry[1])

    def started(self, key, now):
        """Remember a request handed to its handler at ``now``."""
        self._entries[key] = [PENDING, now]
        self._entries.move_to_end(key)
        while len(self._entries) > SIZE:
            self._entries.popitem(last=False)

    def answered(self, key, reply):
        """Keep the reply to ``key``; its time stays the request's, from
        which a copy is told from a retransmission.  A request evicted
        while it was handled (:data:`SIZE` newer ones came meanwhile) is
        not kept: its number is no longer in any window."""
        entry = self._entries.get(key)
        if entry is not None:
            entry[0] = reply

    def resent(self, key, now):
        """Note that the reply to ``key`` went out again at ``now``."""
        self._entries[key][1] = now
