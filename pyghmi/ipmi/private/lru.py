"""A small thread-safe LRU mapping, for the process-wide caches.

Process-wide state must not grow without bound in a process that talks
to thousands of BMCs over days: the cipher-suite memory of the session
module and the SDR cache both keep at most ``size`` entries and forget
the least recently used first.
"""

import collections
import threading


class LRU:
    """At most ``size`` entries; :meth:`get` refreshes an entry."""

    def __init__(self, size):
        if size < 1:
            raise ValueError('an LRU needs room for one entry')
        self.size = size
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self):
        return 'LRU(%d/%d)' % (len(self._items), self.size)

    def __len__(self):
        return len(self._items)

    def get(self, key, default=None):
        """The value for ``key`` (now the most recent), or ``default``."""
        with self._lock:
            try:
                self._items.move_to_end(key)
            except KeyError:
                return default
            return self._items[key]

    def put(self, key, value):
        """Store ``value``, dropping the oldest entries beyond ``size``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self):
        """Forget everything."""
        with self._lock:
            self._items.clear()
