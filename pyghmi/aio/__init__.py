"""The asyncio API: ``await Command.create(...)`` with the blocking
``Command``'s arguments, every public method a coroutine (listings
async generators), driving the same method logic as the blocking API.

* :mod:`pyghmi.aio.redfish.command`: Redfish (needs the ``aio`` extra:
  ``pip install pyghmi[aio]``, for h11).
"""
