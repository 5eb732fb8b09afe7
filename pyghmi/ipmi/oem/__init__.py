"""Vendor (OEM) extensions of the generic IPMI behaviour."""
