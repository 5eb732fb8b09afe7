"""Checks of caller arguments, for the public facade.

Every check raises :class:`pyghmi.exceptions.InvalidParameterValue` naming
the argument and what it accepts, before anything is sent; none of them
ever shows the value of a secret.  ``bool`` is refused where a number is
expected (``True`` is an ``int`` in Python, and a ``timeout=True`` is a
bug, not one second).
"""

import numbers

from pyghmi import exceptions as exc


def _fail(name, expected, value=None, secret=False):
    shown = '' if secret else ' (got %r)' % (value,)
    raise exc.InvalidParameterValue(
        '%s must be %s%s' % (name, expected, shown))


def integer(name, value, low, high):
    """An ``int`` within ``low..high``; returns it."""
    if type(value) is int and low <= value <= high:
        return value        # the common case, without the ABC check
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        _fail(name, 'an integer from %d to %d' % (low, high), value)
    if not low <= value <= high:
        _fail(name, 'from %d to %d' % (low, high), value)
    return int(value)


def number(name, value, low=0.0, high=None, allow_none=False):
    """A real number within ``low..high`` (None allowed if said)."""
    if value is None and allow_none:
        return None
    if type(value) in (int, float) and value >= low and \
            (high is None or value <= high):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _fail(name, 'a number', value)
    if value < low or (high is not None and value > high):
        limit = 'at least %g' % low if high is None else \
            'from %g to %g' % (low, high)
        _fail(name, limit, value)
    return float(value)


def positive(name, value, allow_none=True):
    """A number above zero (a time-out), or None when allowed."""
    if value is None and allow_none:
        return None
    result = number(name, value, 0.0)
    if result <= 0:
        _fail(name, 'above zero', value)
    return result


def flag(name, value):
    """A bool (or 0/1, as older callers pass)."""
    if value is True or value is False:
        return value
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    _fail(name, 'True or False', value)


def byte_data(name, value):
    """Request data: bytes, bytearray or a sequence of ints 0-255."""
    if value == ():
        return b''      # the default of every raw call: no checks to make
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, bool) or \
                    not isinstance(item, numbers.Integral) or \
                    not 0 <= int(item) <= 255:
                _fail(name, 'bytes or a sequence of integers 0-255', value)
        return bytes(value)
    _fail(name, 'bytes or a sequence of integers 0-255', value)


def bridge(name, value):
    """A bridge request: None, () or ``{'addr': 0-255, 'channel': 0-15}``.

    :returns: the dict, or None
    """
    if value is None or value == ():
        return None
    if not isinstance(value, dict) or 'addr' not in value:
        _fail(name, "None or a dict with 'addr' and 'channel'", value)
    integer(name + "['addr']", value['addr'], 0, 255)
    integer(name + "['channel']", value.get('channel', 0), 0, 15)
    return value


def text(name, value, max_bytes, secret=False, allow_none=False):
    """A str (or bytes) of at most ``max_bytes`` bytes in UTF-8."""
    if value is None and allow_none:
        return None
    if isinstance(value, str):
        raw = value.encode('utf-8')
    elif isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    else:
        _fail(name, 'a string', value, secret)
    if len(raw) > max_bytes:
        _fail(name, 'at most %d bytes' % max_bytes, None if secret
              else value, secret)
    return value


def one_of(name, value, choices):
    """One of ``choices`` (hashable values)."""
    try:
        if value in choices:
            return value
    except TypeError:
        pass
    _fail(name, 'one of %s' % ', '.join(sorted(map(str, choices))), value)


def secret_bytes(name, value, max_bytes):
    """A user name, password or key as bytes (None: empty), checked as
    :func:`text` checks it; its value never shown."""
    text(name, value, max_bytes, secret=name != 'userid', allow_none=True)
    if value is None:
        return b''
    return value.encode('utf-8') if isinstance(value, str) \
        else bytes(value)


def privilege(name, value, names):
    """A privilege level: None (the highest granted), 1-4, or one of
    ``names`` (name -> level, any case)."""
    if value is None:
        return None
    if isinstance(value, str):
        level = names.get(value.lower())
        if level is None:
            _fail(name, 'one of %s or 1-4' % ', '.join(sorted(names)),
                  value)
        return level
    return integer(name, value, 1, 4)


def login(bmc, port, keepalive, cipher, timeout, retries, allow_no_auth,
          ipmi_version, max_inflight, suites, window_cap):
    """The checks of a login's plain arguments (the secrets and the
    privilege go through :func:`secret_bytes` and :func:`privilege`),
    made once, where the session is made.

    :param suites: the cipher suite ids this package implements
    :param window_cap: the largest ``max_inflight``
    """
    text('bmc', bmc, 255)
    integer('port', port, 1, 65535)
    flag('keepalive', keepalive)
    flag('allow_no_auth', allow_no_auth)
    if cipher is not None:
        integer('cipher', cipher, 0, 255)
        if cipher not in suites:
            _fail('cipher', 'a cipher suite id of %s' % ', '.join(
                map(str, sorted(suites))), cipher)
        if cipher == 0 and not allow_no_auth:
            _fail('cipher', 'a suite with authentication (suite 0 needs '
                  'allow_no_auth=True)', cipher)
    positive('timeout', timeout)
    if retries is not None:
        integer('retries', retries, 0, 20)
    if ipmi_version not in (None, 1.5, 2, 2.0):
        _fail('ipmi_version', '1.5, 2.0 or None', ipmi_version)
    if max_inflight is not None:
        integer('max_inflight', max_inflight, 1, window_cap)
