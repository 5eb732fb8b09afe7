"""Vendor handlers of the Redfish client.

:mod:`.generic` is the standard Redfish behaviour of every method (its
hooks are the public flows of :mod:`pyghmi.redfish.areas`);
:mod:`.lookup` picks a vendor's subclass from what the service says of
itself; a vendor overrides single flows.
"""
