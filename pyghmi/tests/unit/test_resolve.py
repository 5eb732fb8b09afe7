"""How a BMC's name becomes a socket address (session._resolve)."""

import socket
import subprocess
import sys

from pyghmi.ipmi.private.client import session

CHILD = r'''
import socket, sys
from pyghmi.ipmi.private.client import session
assert 'encodings.idna' not in sys.modules, 'loaded before resolving'
family, address = session._resolve('127.0.0.1', 623)
print(int(family), address)
print(session._resolve('localhost', 624)[0] in (socket.AF_INET,
                                                 socket.AF_INET6))
print('encodings.idna' in sys.modules)
'''


def test_ascii_names_resolve_without_the_idna_codec():
    # A fresh interpreter: the codec, once loaded, stays loaded.
    out = subprocess.run([sys.executable, '-c', CHILD], check=True,
                         capture_output=True, text=True).stdout.split('\n')
    assert out[0] == "%d ('127.0.0.1', 623)" % socket.AF_INET
    assert out[1] == 'True'
    assert out[2] == 'False'


def test_a_non_ascii_name_is_still_handed_over_as_text(monkeypatch):
    seen = []

    def getaddrinfo(host, port, *args):
        seen.append(host)
        return [(socket.AF_INET, socket.SOCK_DGRAM, 0, '',
                 ('192.0.2.1', port))]
    monkeypatch.setattr(socket, 'getaddrinfo', getaddrinfo)
    assert session._resolve('bmc-\u00e4.example', 623) == (
        socket.AF_INET, ('192.0.2.1', 623))
    session._resolve('bmc1.example', 623)
    assert seen == ['bmc-\u00e4.example', b'bmc1.example']
