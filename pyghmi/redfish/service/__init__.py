"""A Redfish service in front of a :class:`pyghmi.ipmi.bmc.Bmc`.

Rules of this package:

* :mod:`.core` is sans-IO: ``RedfishService.handle(request)`` takes a
  parsed HTTP request (method, path, headers, body, client address,
  time) and returns a response (status, headers, body); the HTTP(S)
  server of :mod:`.http` is a thin shell around it, as the UDP server
  is around the IPMI core;
* the machine is the Bmc: power, boot, identify, GUID, firmware version
  and the user table are read and changed through the same hooks and
  state IPMI uses (:mod:`.machine`), under the Bmc's lock, so a change
  through one protocol is seen through the other at once;
* resources are built on demand from that state (:mod:`.resources`);
  every GET carries an ETag, and a PATCH or action with a stale
  ``If-Match`` gets 412;
* errors have Redfish's extended-error shape with messages of the
  service's own registry (:mod:`.errors`);
* accounts and roles are the IPMI user table's: privilege 4 is
  Administrator, 3 Operator, 2 ReadOnly (:mod:`.auth`).
"""
