"""IPMI client (``command``) and server framework (``bmc``)."""
