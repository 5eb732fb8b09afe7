"""The read-ahead source of random bytes (IVs, RAKP numbers)."""

import os
import threading

from pyghmi.ipmi.private.secure import randpool


def test_sizes_and_uniqueness():
    assert len(randpool.urandom(4)) == 4
    assert len(randpool.urandom(20)) == 20
    # several batches: every 16-byte piece is handed out once
    pieces = [randpool.urandom(16) for _ in range(1000)]
    assert all(len(piece) == 16 for piece in pieces)
    assert len(set(pieces)) == len(pieces)


def test_threads_never_share_a_piece():
    got = []

    def draw():
        mine = [randpool.urandom(16) for _ in range(500)]
        got.extend(mine)
    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 2000 and len(set(got)) == 2000


def test_forked_child_does_not_repeat_its_parents_bytes():
    randpool.urandom(16)       # a batch is read ahead now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:       # pragma: no cover - the child
        try:
            os.write(write, randpool.urandom(16))
        finally:
            os._exit(0)
    os.close(write)
    child = os.read(read, 16)
    os.close(read)
    os.waitpid(pid, 0)
    assert len(child) == 16
    # the parent's next piece is what the child would have taken had it
    # kept the inherited batch
    assert randpool.urandom(16) != child
