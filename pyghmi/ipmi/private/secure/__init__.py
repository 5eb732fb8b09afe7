"""Session security, for both ends.

``crypto``: cipher suites as data, RAKP HMACs, key derivation,
integrity and confidentiality; ``packet``: sealing and opening RMCP+
session packets; ``replay``: the sequence number window; ``randpool``:
random bytes read ahead, reset after fork.
May import: ``codec.wire``, the shared ``constants`` and
:mod:`pyghmi.exceptions`; never the engines.
"""
