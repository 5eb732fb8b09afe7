"""The BMC engine.

``core``: the sans-IO server core (sessions, RAKP, dispatch to the
application's handlers), with ``v15`` (IPMI 1.5 sessions), ``payloads``
(SOL and other payloads) and ``replycache`` (answers kept for
retransmitted requests) as its pieces; ``udp``: ``IpmiServer``, the
socket around the core; ``usertable``, ``paramstore``, ``lanconfig`` and
``pefconfig``: the stores behind the user, LAN and PEF configuration
commands of ``Bmc``.
May import: ``codec``, ``secure`` and the shared modules; never
``client``.
"""
