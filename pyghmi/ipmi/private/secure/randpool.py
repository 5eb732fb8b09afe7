"""Random bytes from the operating system, the small ones read ahead.

Every encrypted packet needs a fresh 16-byte AES IV (IPMI v2.0 section
13.29) and ``os.urandom`` costs a system call each time.  Sixteen-byte
requests are served from a batch of ``os.urandom`` output read at once;
other sizes go straight to ``os.urandom``.  The bytes are the operating
system's either way, each handed out once.  A forked child starts with
an empty batch, so it never repeats its parent's IVs.
"""

import collections
import os

_SIZE = 16
_BATCH = 64

# deque.popleft is atomic, so threads never receive the same piece
_pool: 'collections.deque[bytes]' = collections.deque()


def urandom(size):
    """``size`` random bytes, like :func:`os.urandom`."""
    if size != _SIZE:
        return os.urandom(size)
    while True:
        try:
            return _pool.popleft()
        except IndexError:
            block = os.urandom(_SIZE * _BATCH)
            _pool.extend(block[pos:pos + _SIZE]
                         for pos in range(0, len(block), _SIZE))


os.register_at_fork(after_in_child=_pool.clear)
