"""The cipher suite that worked with each BMC, so a login skips
discovery: 4 round trips instead of 5 or 6.

In memory for the process (an LRU), and optionally in a small JSON file
in a directory the caller names (next to the SDR cache), so a new
process logs in at the warm cost too.  The file holds addresses, ports
and suite ids only: nothing secret.
"""

import json
import logging
import os
import tempfile
import threading
from typing import Optional

from pyghmi.ipmi.private import lru

LOG = logging.getLogger(__name__)
FILENAME = 'login-suites.json'


class SuiteMemory(lru.LRU):
    """(host, port) -> suite id; :meth:`use_directory` adds the file."""

    def __init__(self, size):
        super().__init__(size)
        self.directory: Optional[str] = None
        self._file_lock = threading.Lock()

    def use_directory(self, directory):
        """Keep the memory in ``directory`` (created if missing): what it
        holds is loaded now, and every new suite is written back.  None
        stops writing."""
        self.directory = directory
        if directory is None:
            return
        os.makedirs(directory, mode=0o700, exist_ok=True)
        for host, port, suite in self._read():
            if self.get((host, port)) is None:
                super().put((host, port), suite)

    def put(self, key, value):
        """Remember ``value`` for ``key``; written to the file when it
        is new."""
        changed = self.get(key) != value
        super().put(key, value)
        if changed and self.directory is not None:
            self._write()

    def _path(self):
        # only called while a directory is in use
        return os.path.join(self.directory or os.curdir, FILENAME)

    def _read(self):
        try:
            with open(self._path()) as source:
                entries = json.load(source)
        except (OSError, ValueError):
            return []
        if not isinstance(entries, list):
            return []
        # a damaged or foreign file is ignored entry by entry
        return [tuple(e) for e in entries
                if isinstance(e, list) and len(e) == 3 and
                isinstance(e[0], str) and isinstance(e[1], int) and
                isinstance(e[2], int) and 0 <= e[2] <= 255]

    def _write(self):
        with self._lock:
            entries = [[host, port, suite]
                       for (host, port), suite in self.items.items()]
        with self._file_lock:
            try:
                handle, temp = tempfile.mkstemp(dir=self.directory,
                                                prefix='.suites-')
                with os.fdopen(handle, 'w') as out:
                    json.dump(entries, out)
                os.replace(temp, self._path())
            except OSError as err:
                LOG.debug('cannot save login suites: %s', err)
