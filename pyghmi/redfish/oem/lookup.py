"""Which vendor handler serves a Redfish service: the root's ``Vendor``,
else the ``Oem`` keys of the system, its ``Links.OEM``, else the ``Oem``
keys of the manager."""

from pyghmi.redfish.areas import base
from pyghmi.redfish.oem import generic
from pyghmi.redfish.oem.ami import megarac
from pyghmi.redfish.oem.dell import idrac
from pyghmi.redfish.oem.lenovo import xcc

# Vendor (or Oem key) -> handler class
OEMMAP = {
    'Lenovo': xcc.OEMHandler,
    'Dell': idrac.OEMHandler,
    'AMI': megarac.OEMHandler,
    'Ami': megarac.OEMHandler,
}


def handler_class(root, system, manager):
    """The handler class for a service with these root, system and
    manager resources (the generic one when no vendor is known)."""
    vendor = root.get('Vendor') if isinstance(root, dict) else None
    if isinstance(vendor, str) and vendor in OEMMAP:
        return OEMMAP[vendor]
    names = list(base.obj(system, 'Oem'))
    names += [n for n in base.seq(system, 'Links', 'OEM')
              if isinstance(n, str)]
    names += list(base.obj(manager, 'Oem'))
    for name in names:
        if name in OEMMAP:
            return OEMMAP[name]
    return generic.OEMHandler


def get_oem_handler(probe):
    """Flow: the handler for the service ``probe`` (a started generic
    handler) talks to: ``probe`` itself, or a vendor's built from it."""
    system = yield from probe.system()
    manager = yield from probe.manager()
    cls = handler_class(probe.root, system, manager)
    if cls is type(probe):
        return probe
    handler = cls.from_handler(probe)
    yield from handler.adopt()
    return handler
