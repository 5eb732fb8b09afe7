"""Lenovo (and IBM System x) BMCs: the features reachable over IPMI."""
