"""The engine behind the public modules; nothing here is public API.

The folders show the architecture:

* ``codec/``: message layouts and codecs shared by both ends (RMCP and
  IPMI framing, RAKP, channel, device, chassis, DCMI, users, IPMI 1.5,
  SOL, PET).  Pure: bytes in, values out, and back.
* ``secure/``: session security (cipher suites and keys, sealing and
  opening packets, the replay window, the random pool).
* ``client/``: the client engine (the sans-IO client core and its pieces,
  the socket endpoint and shared logins, in-band sessions).
* ``server/``: the BMC engine (the sans-IO server core and its pieces,
  the UDP server, the configuration stores).

Beside them, what every part shares: ``constants`` and ``sensortables``
(the specification's tables), ``sdrattrs``, ``seltime`` and ``spd``
(pure decoding logic), ``args`` (argument checks), ``lru`` and ``loop``
(the process's bounded caches and its one I/O loop), ``util``.

Import rules: ``codec`` and ``secure`` import only each other's lower
layers, the shared modules and :mod:`pyghmi.exceptions`; ``client`` and
``server`` import ``codec``, ``secure`` and the shared modules, never
each other.  ``session``, ``serversession`` and ``localsession`` here
are pyghmi 1.6.19's module paths, kept for its callers.
"""
