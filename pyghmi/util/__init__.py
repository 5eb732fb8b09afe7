"""Helpers outside the protocols: HTTP form bodies (:mod:`.forms`) and
pyghmi's HTTPS client class (:mod:`.webclient`)."""
