"""The areas of the Redfish client, one module each: what each public
method of :class:`pyghmi.redfish.command.Command` reads and writes, and
how its result is shaped.

Every public method here is a *flow* (:mod:`pyghmi.redfish.client.flow`)
marked :func:`.base.call` or :func:`.base.listing`; the generic OEM
handler (:class:`pyghmi.redfish.oem.generic.OEMHandler`) is made of these
areas, vendors override single flows, and the blocking ``Command`` (or
an asyncio one) only drives them.  May import ``pyghmi.redfish.client``;
never ``command`` or ``oem``.
"""
