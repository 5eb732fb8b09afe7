"""Message codecs shared by the client and the BMC side.

Each module declares its messages once (``layout``) and encodes and
decodes them from that declaration, so the two ends cannot disagree.
Pure functions and data: no sockets, no clock, no state between calls
(``sol`` also holds the sans-IO SOL transfer, driven by both ends).
May import: other ``codec`` modules, ``secure`` (the IPMI 1.5 packet
rules), the shared ``constants``/``sensortables``/``lru`` and
:mod:`pyghmi.exceptions`.
"""
