"""A small thread-safe LRU mapping, for the process-wide caches.

Process-wide state must not grow without bound in a process that talks
to thousands of BMCs over days: the cipher-suite memory of the session
module and the SDR cache both keep at most ``size`` entries and forget
the least recently used first.
"""

import threading


class LRU:
    """At most ``size`` entries; :meth:`get` refreshes an entry.

    :param items: the plain dict to keep the entries in (insertion order
        is recency order), for a cache that is also published as a dict
    """

    def __init__(self, size, items=None):
        if size < 1:
            raise ValueError('an LRU needs room for one entry')
        self.size = size
        self.items = {} if items is None else items
        self._lock = threading.Lock()

    def __repr__(self):
        return 'LRU(%d/%d)' % (len(self.items), self.size)

    def __len__(self):
        return len(self.items)

    def get(self, key, default=None):
        """The value for ``key`` (now the most recent), or ``default``."""
        with self._lock:
            try:
                value = self.items.pop(key)
            except KeyError:
                return default
            self.items[key] = value
            return value

    def put(self, key, value):
        """Store ``value``, dropping the oldest entries beyond ``size``."""
        with self._lock:
            self.items.pop(key, None)
            self.items[key] = value
            while len(self.items) > self.size:
                del self.items[next(iter(self.items))]

    def clear(self):
        """Forget everything."""
        with self._lock:
            self.items.clear()
