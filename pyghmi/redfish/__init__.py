"""Redfish: the BMC side (:mod:`pyghmi.redfish.service`), served by the
same machine model as IPMI."""
