"""The Redfish client's pieces below :mod:`pyghmi.redfish.command`: the
pooled, pinned HTTPS transport and the logged-in connection."""
