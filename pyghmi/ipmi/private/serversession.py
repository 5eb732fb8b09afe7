"""pyghmi 1.6.19's module path for the server side of sessions.

Its names now live in two modules of the BMC engine: the sans-IO core
(:mod:`pyghmi.ipmi.private.server.core`: ``ServerSession``,
``ServerCore``...) and the socket around it
(:mod:`pyghmi.ipmi.private.server.udp`: ``IpmiServer``, the base of
``Bmc``).  This module only gathers them for the original's callers.
"""

from pyghmi.ipmi.private.server.core import (
    SERVER_SUITES, Account, Responder, ServerConfig, ServerCore,
    ServerSession)
from pyghmi.ipmi.private.server.udp import IpmiServer

__all__ = ['Account', 'IpmiServer', 'Responder', 'SERVER_SUITES',
           'ServerConfig', 'ServerCore', 'ServerSession']
