"""Small helpers that pyghmi 1.6.19 exposed as ``pyghmi.ipmi.private.util``.

Kept for callers that import them; this package's own code uses the
codecs and tables in ``private/`` directly.
"""

import socket
import uuid

from pyghmi.ipmi.private import constants as const


def decode_wireformat_uuid(rawguid, bigendian=False):
    """Text of a 16-byte GUID as sent by a BMC, as dmidecode prints it.

    IPMI and SMBIOS send the first three fields little-endian and the rest
    in order; some BMCs send all of it big-endian (``bigendian=True``).

    :param rawguid: 16 bytes (bytes, bytearray or a list of ints)
    :returns: upper-case text, e.g. ``'00112233-4455-6677-8899-AABBCCDDEEFF'``
    :raises ValueError: not 16 bytes
    """
    raw = bytes(bytearray(rawguid))[:16]
    if len(raw) != 16:
        raise ValueError('a GUID has 16 bytes')
    value = uuid.UUID(bytes=raw) if bigendian else uuid.UUID(bytes_le=raw)
    return str(value).upper()


def urlsplit(url):
    """Split ``proto://host/rest`` for any protocol.

    :returns: ``(proto, host, rest)``; ``host`` is '' without ``//``
    :raises ValueError: no ``:`` in the url
    """
    proto, rest = url.split(':', 1)
    host = ''
    if rest.startswith('//'):
        host, _, path = rest[2:].partition('/')
        rest = '/' + path
    return proto, host, rest


def get_ipv4(hostname):
    """IPv4 addresses of a host name (a list of strings).

    :raises socket.gaierror: the name does not resolve
    """
    infos = socket.getaddrinfo(hostname, None, socket.AF_INET,
                               socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def get_ipmi_error(response, suffix=''):
    """The text of a raw_command response's error, or False when none.

    :param response: a ``raw_command`` result (``netfn`` is the response
        netfn, as there)
    :param suffix: appended to the text
    """
    if 'error' in response:
        return response['error'] + suffix
    code = response['code']
    if code == 0:
        return False
    key = (response['netfn'], response['command'])
    text = const.command_completion_codes.get(key, {}).get(code) or \
        const.ipmi_completion_codes.get(code)
    if text is None:
        return 'Unknown code 0x%2x encountered' % code
    return text + suffix


class protect:
    """Hold a lock around a function (decorator) or a block (``with``)."""

    def __init__(self, lock):
        self.lock = lock

    def __call__(self, func):
        def locked(*args, **kwargs):
            with self.lock:
                return func(*args, **kwargs)
        locked.__name__ = getattr(func, '__name__', 'locked')
        locked.__doc__ = getattr(func, '__doc__', None)
        return locked

    def __enter__(self):
        self.lock.acquire()

    def __exit__(self, exc_type, exc_value, traceback):
        self.lock.release()
