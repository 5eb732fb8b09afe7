"""The BMC engine.

``core``: the sans-IO server core (the session table, dispatch to the
application's handlers), with ``rakplogin`` (Open Session and RAKP),
``v15`` (IPMI 1.5 sessions), ``payloads`` (SOL and other payloads),
``replycache`` (answers kept for retransmitted requests) and ``guard``
(login rate and lockout) as its pieces, and ``state`` (configuration,
sessions, datagram kinds, drop reasons) as their shared data.
``udp``: ``IpmiServer``, the socket around the core.  ``usertable``,
``paramstore``, ``lanconfig`` and ``pefconfig``: the stores behind the
user, LAN and PEF configuration commands of ``Bmc``.
May import: ``codec``, ``secure`` and the shared modules; never
``client``.
"""
