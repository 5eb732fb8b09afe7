"""Time limits for asyncio code that work the same on every supported
Python and do not lose cancellations."""

import asyncio


async def bounded(awaitable, seconds):
    """``await awaitable``, cancelled after ``seconds``
    (``asyncio.TimeoutError`` then).  Not ``asyncio.wait_for``: before
    Python 3.12 it returns the result of an inner call that finished
    just as the caller was cancelled, and the cancellation is lost."""
    if hasattr(asyncio, 'timeout'):                  # Python 3.11+
        async with asyncio.timeout(seconds):
            return await awaitable
    task = asyncio.current_task()
    fired = []

    def expire():
        fired.append(True)
        if task is not None:
            task.cancel()
    timer = asyncio.get_running_loop().call_later(seconds, expire)
    try:
        return await awaitable
    except asyncio.CancelledError:
        if fired:
            raise asyncio.TimeoutError() from None
        raise
    finally:
        timer.cancel()
