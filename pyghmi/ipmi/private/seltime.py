"""The SEL timeline corrector: raw SEL timestamps -> real times (pure).

SEL timestamps (IPMI v2.0 section 37) count seconds.  Values from
0x00000000 to 0x20000000 are *pre-init*: seconds since the controller
started, before it learned the wall clock.  0xFFFFFFFF means unspecified.
A Timestamp Clock Sync event (sensor type 12h, offset 05h) is logged as a
pair: the first record (event data 2 bit 7 = 0) stamped with the clock
before it changed, the second (bit 7 = 1) stamped after; second - first
is the size of the jump, forward or backward.

Algorithm
---------
Walk from the newest record to the oldest, carrying ``offset``, the
number of seconds to add to the BMC clock of that moment to get real
time, and ``domain``, which clock that offset belongs to (wall clock or
pre-init).  Start with ``offset = manager_now - bmc_now`` in the domain
of ``bmc_now``.

* A record with no timestamp (OEM E0h-FFh) or 0xFFFFFFFF: time unknown;
  it does not take part in the walk.
* A record older than the one after it must not carry a higher
  timestamp.  If it does and no clock-sync pair explains it (time went
  backwards, the BMC rebooted and restarted its pre-init count, or
  wall-clock records precede pre-init ones), the timeline is corrupt:
  from that record back, wall-clock values are reported as they stand
  (``verbatim``) and pre-init values without a time (``unknown``).  Older
  entries are never shifted by a stale offset.
* Crossing a sync pair backwards (second record, then first):
  ``offset += second - first`` and ``domain`` becomes the domain of the
  first record's timestamp.  A negative jump is a clock stepped back, not
  corruption.  A second half without its first breaks the link: older
  records are treated as after corruption.
* A record in the offset's domain is ``corrected``: ``raw + offset``.  A
  pre-init record while the offset belongs to the wall clock is not
  linked to real time: ``unknown`` (no made-up date).

Worked example (manager now = 1,700,000,100; BMC SEL time now =
1,700,000,000, so offset = +100):

=====  ==============  =====================  ===========================
 rec   raw timestamp   meaning                result
=====  ==============  =====================  ===========================
  1    300             pre-init               300 + 1,699,999,500 + 100
                                              = 1,699,999,900 (corrected)
  2    400             sync, first half       1,700,000,000 (corrected)
  3    1,699,999,900   sync, second half      1,700,000,000 (corrected)
  4    1,699,999,950   wall clock             1,700,000,050 (corrected)
=====  ==============  =====================  ===========================

Walking back: record 4 uses offset +100.  Crossing the pair, jump =
1,699,999,900 - 400 = 1,699,999,500, so the offset for the pre-init clock
becomes 1,699,999,600 and record 1 lands at 1,699,999,900: 100 s before
the sync, as its raw clock says.
"""

PREINIT_MAX = 0x20000000
UNSPECIFIED = 0xFFFFFFFF

CORRECTED = 'corrected'
VERBATIM = 'verbatim'
UNKNOWN = 'unknown'

SYNC_BEFORE = 'before'      # first record of a clock-sync pair
SYNC_AFTER = 'after'        # second record of a clock-sync pair


class TimeRecord:
    """What the corrector needs of one SEL record.

    :param raw: raw 32-bit timestamp, or None for records without one
    :param sync: None, :data:`SYNC_BEFORE` or :data:`SYNC_AFTER`
    """

    __slots__ = ('raw', 'sync')

    def __init__(self, raw, sync=None):
        self.raw = raw
        self.sync = sync

    def __repr__(self):
        return 'TimeRecord(%r, %r)' % (self.raw, self.sync)


def is_preinit(raw):
    """True for a pre-init timestamp (seconds since the BMC started)."""
    return raw is not None and 0 <= raw <= PREINIT_MAX


def _has_time(raw):
    return raw is not None and raw != UNSPECIFIED


def correct_timeline(records, bmc_now, manager_now):
    """Turn raw SEL timestamps into real times.

    :param records: :class:`TimeRecord` list, oldest first
    :param bmc_now: the BMC's current SEL time (raw)
    :param manager_now: the manager's current time (seconds since epoch)
    :returns: list parallel to ``records`` of ``(seconds since epoch or
        None, source)`` with source 'corrected', 'verbatim' or 'unknown'
    """
    out: list = [None] * len(records)
    state = _Walk(manager_now - bmc_now, is_preinit(bmc_now), bmc_now)
    index = len(records) - 1
    while index >= 0:
        rec = records[index]
        if not _has_time(rec.raw):
            out[index] = (None, UNKNOWN)
        elif state.corrupt:
            out[index] = _verbatim(rec.raw)
        elif rec.sync == SYNC_AFTER:
            index = _cross_pair(records, index, state, out)
            continue
        else:
            out[index] = state.place(rec.raw)
        index -= 1
    return out


class _Walk:
    """Offset, its clock domain, and the last timestamp seen."""

    def __init__(self, offset, preinit, newest):
        self.offset = offset
        self.preinit = preinit
        self.newer = newest
        self.corrupt = False

    def ordered(self, raw):
        """Check raw is not newer than the record after it."""
        if raw > self.newer:
            self.corrupt = True
            return False
        self.newer = raw
        return True

    def place(self, raw):
        if not self.ordered(raw):
            return _verbatim(raw)
        if is_preinit(raw) and not self.preinit:
            return (None, UNKNOWN)      # pre-init clock never linked
        return (raw + self.offset, CORRECTED)


def _verbatim(raw):
    if is_preinit(raw):
        return (None, UNKNOWN)
    return (raw, VERBATIM)


def _cross_pair(records, index, state, out):
    """Handle a sync pair whose second half is at ``index``.

    :returns: the index of the next (older) record to look at
    """
    after = records[index].raw
    out[index] = state.place(after)
    if out[index][1] != CORRECTED:
        state.corrupt = True        # the new clock itself is not linked
    first = index - 1
    while first >= 0 and not _has_time(records[first].raw):
        out[first] = (None, UNKNOWN)
        first -= 1
    if state.corrupt or first < 0 or records[first].sync != SYNC_BEFORE:
        state.corrupt = True        # no first half: nothing links them
        return first
    before = records[first].raw
    state.offset += after - before
    state.preinit = is_preinit(before)
    state.newer = before
    out[first] = (before + state.offset, CORRECTED)
    return first - 1
