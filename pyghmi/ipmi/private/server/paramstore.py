"""The BMC side of the "configuration parameters" commands: LAN (IPMI
v2.0 section 23), PEF (30.3/30.4) and SOL (26.2/26.3) share one shape.

Rules of this module:

* a store holds ``{parameter: bytes}``, and for parameters with one
  block per set selector (the first data byte of a write)
  ``{(parameter, selector): bytes}``; a subclass declares the writable
  sizes (one size, or a tuple of allowed sizes), the read-only
  parameters and the selected ones, and may check values in
  :meth:`ParamStore.check`;
* parameter 0 is "set in progress": taking it twice answers 81h, commit
  write is accepted (values apply as they are written);
* answers start with the parameter revision (11h);
* :meth:`ParamStore.to_state` / :meth:`load_state` give JSON-friendly
  state for BMCs that keep settings across restarts.
"""

from typing import Any

from pyghmi.ipmi.private import constants as const

REVISION = 0x11
P_SET_IN_PROGRESS = 0
SET_COMPLETE, SET_IN_PROGRESS, COMMIT_WRITE = 0, 1, 2
CC_NOT_SUPPORTED = 0x80
CC_SET_IN_PROGRESS = 0x81      # "set in progress" held by someone else
CC_READ_ONLY = 0x82


class ParamStore:
    """Configuration parameters with "set in progress".

    :param values: ``{parameter or (parameter, selector): bytes}``
    """

    SIZES: dict = {}
    READ_ONLY: tuple = ()
    SELECTED: tuple = ()
    # the command's request layouts (fields parameter, set_selector,
    # revision_only / parameter, data)
    GET_REQUEST: Any = None
    SET_REQUEST: Any = None

    def __init__(self, values):
        self.values = dict(values)
        self.values.setdefault(P_SET_IN_PROGRESS, bytes((SET_COMPLETE,)))

    def __repr__(self):
        return '%s(%d values)' % (type(self).__name__, len(self.values))

    def get(self, data):
        """Answer a Get ... Configuration Parameters request: (code,
        data).

        :raises DecodeError: a request too short for its layout
        """
        req = self.GET_REQUEST.decode(data)
        return self.get_param(req['parameter'], req['set_selector'],
                              req['revision_only'])

    def set(self, data):
        """Answer a Set ... Configuration Parameters request: (code,
        data)."""
        req = self.SET_REQUEST.decode(data)
        return self.set_param(req['parameter'], req['data'])

    def get_param(self, param, selector=0, revision_only=False):
        """Answer a get: ``(code, data)``."""
        if revision_only:
            return const.CC_OK, bytes((REVISION,))
        if param in self.SELECTED:
            value = self.values.get((param, selector))
            if value is None:
                return (const.CC_PARAMETER_OUT_OF_RANGE
                        if self._has_blocks(param) else CC_NOT_SUPPORTED), b''
            return const.CC_OK, bytes((REVISION,)) + value
        value = self.values.get(param)
        if value is None:
            return CC_NOT_SUPPORTED, b''
        return const.CC_OK, bytes((REVISION,)) + value

    def set_param(self, param, value):
        """Answer a set: ``(code, data)``."""
        value = bytes(value)
        if param in self.READ_ONLY:
            return CC_READ_ONLY, b''
        if param not in self.SIZES:
            return CC_NOT_SUPPORTED, b''
        sizes = self.SIZES[param]
        if len(value) not in (sizes if isinstance(sizes, tuple)
                              else (sizes,)):
            return const.CC_DATA_LENGTH_INVALID, b''
        if param == P_SET_IN_PROGRESS:
            return self._set_in_progress(value[0] & 3)
        key = (param, value[0]) if param in self.SELECTED else param
        if param in self.SELECTED and key not in self.values:
            return const.CC_PARAMETER_OUT_OF_RANGE, b''
        value = self.check(param, value)
        if value is None:
            return const.CC_INVALID_DATA_FIELD, b''
        self.values[key] = value
        return const.CC_OK, b''

    def check(self, param, value):
        """A subclass's validation: the value to store, or None to
        refuse it with "invalid data field"."""
        return value

    def to_state(self):
        """The values as JSON-friendly ``{key: hex}``; a per selector
        block is keyed ``'parameter.selector'``.  Set In Progress is left
        out: a restarted BMC starts unlocked."""
        return {'.'.join(map(str, k)) if isinstance(k, tuple) else str(k):
                v.hex() for k, v in self.values.items()
                if k != P_SET_IN_PROGRESS}

    def load_state(self, state):
        """Restore values saved by :meth:`to_state`."""
        for key, value in state.items():
            parts = tuple(int(part) for part in key.split('.'))
            self.values[parts if len(parts) > 1 else parts[0]] = \
                bytes.fromhex(value)

    def _has_blocks(self, param):
        return any(isinstance(key, tuple) and key[0] == param
                   for key in self.values)

    def _set_in_progress(self, state):
        current = self.values[P_SET_IN_PROGRESS][0] & 3
        if state == SET_IN_PROGRESS and current == SET_IN_PROGRESS:
            return CC_SET_IN_PROGRESS, b''
        if state == COMMIT_WRITE:
            return const.CC_OK, b''       # values apply as written
        if state not in (SET_COMPLETE, SET_IN_PROGRESS):
            return const.CC_INVALID_DATA_FIELD, b''
        self.values[P_SET_IN_PROGRESS] = bytes((state,))
        return const.CC_OK, b''
