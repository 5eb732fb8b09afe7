#!/usr/bin/env python3
"""measure_client.py for FreeIPMI's C library: the same figures, same
JSON keys, so session_bench.py can print the best C client in one
process beside ours.

Calls libfreeipmi (Debian package ``libfreeipmi17``, pulled in by
``freeipmi-tools``) through ctypes: ``ipmi_ctx_open_outofband_2_0`` logs
in, ``ipmi_cmd_raw`` sends each request and waits for its answer, all in
C; the Python loop around it costs well under a microsecond a call.
Two settings follow what ipmi_sim needs from FreeIPMI's own tools:

* cipher suite 3 (ipmi_sim here offers no HMAC-SHA256, so our client
  also ends up with suite 3 against it);
* the "open session privilege" workaround (``ipmi-raw -W
  opensesspriv``): without it libfreeipmi refuses ipmi_sim's Open
  Session answer ("privilege level cannot be obtained").

Datagrams are sent from C, where they cannot be counted from here: those
rows stay empty.

    measure_freeipmi.py HOST PORT USER PASSWORD [OPERATIONS] [RUNS]
"""
import ctypes
import ctypes.util
import json
import sys
import time

import measuring

PRIVILEGE_ADMINISTRATOR = 4
SUITE = 3
# IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE (ipmi-api.h)
WORKAROUND_OPEN_SESSION_PRIVILEGE = 0x10
NETFN_CHASSIS, CMD_GET_CHASSIS_STATUS = 0x00, 0x01
NETFN_APP, CMD_GET_DEVICE_ID = 0x06, 0x01


def library():
    """libfreeipmi with the prototypes used here; exits when missing."""
    name = ctypes.util.find_library('freeipmi')
    if name is None:
        sys.exit('libfreeipmi not found (apt-get install freeipmi-tools)')
    lib = ctypes.CDLL(name)
    ctx, text, uint = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint
    lib.ipmi_ctx_create.restype = ctx
    lib.ipmi_ctx_open_outofband_2_0.argtypes = [
        ctx, text, text, text, text, uint, ctypes.c_uint8, ctypes.c_uint8,
        uint, uint, uint, uint]
    lib.ipmi_cmd_raw.argtypes = [
        ctx, ctypes.c_uint8, ctypes.c_uint8, ctypes.c_void_p, uint,
        ctypes.c_void_p, uint]
    lib.ipmi_ctx_errormsg.restype = text
    lib.ipmi_ctx_errormsg.argtypes = [ctx]
    lib.ipmi_ctx_close.argtypes = [ctx]
    lib.ipmi_ctx_destroy.argtypes = [ctx]
    return lib


class Connection:
    """One logged-in libfreeipmi context."""

    def __init__(self, lib, host, port, user, password):
        self.lib = lib
        self.ctx = lib.ipmi_ctx_create()
        if not self.ctx:
            sys.exit('ipmi_ctx_create failed')
        if lib.ipmi_ctx_open_outofband_2_0(
                self.ctx, ('%s:%d' % (host, port)).encode(), user.encode(),
                password.encode(), None, 0, PRIVILEGE_ADMINISTRATOR, SUITE,
                0, 0, WORKAROUND_OPEN_SESSION_PRIVILEGE, 0) < 0:
            sys.exit('login failed: %s' % lib.ipmi_ctx_errormsg(
                self.ctx).decode())
        self._request = (ctypes.c_uint8 * 1)()
        self._answer = (ctypes.c_uint8 * 64)()

    def call(self, netfn, cmd):
        """One request without data: its answer data, after the
        command byte and completion code (which must be 0)."""
        self._request[0] = cmd
        got = self.lib.ipmi_cmd_raw(self.ctx, 0, netfn, self._request, 1,
                                    self._answer, len(self._answer))
        if got < 2 or self._answer[1]:
            sys.exit('netfn %d command %d failed: %s' % (
                netfn, cmd, self.lib.ipmi_ctx_errormsg(self.ctx).decode()))
        return bytes(self._answer[2:got])

    def get_power(self):
        """Get Chassis Status, decoded as get_power decodes it."""
        return 'on' if self.call(NETFN_CHASSIS,
                                 CMD_GET_CHASSIS_STATUS)[0] & 1 else 'off'

    def close(self):
        self.lib.ipmi_ctx_close(self.ctx)
        self.lib.ipmi_ctx_destroy(self.ctx)


def main(argv):
    host, port, user, password = argv[1], int(argv[2]), argv[3], argv[4]
    ops = int(argv[5]) if len(argv) > 5 else 200
    runs = int(argv[6]) if len(argv) > 6 else 5
    lib = library()
    start = time.perf_counter()
    conn = Connection(lib, host, port, user, password)
    figures = {'login_ms': (time.perf_counter() - start) * 1e3}
    uncounted = [0]
    for name, func in (('get_power', conn.get_power),
                       ('device_id', lambda: conn.call(NETFN_APP,
                                                       CMD_GET_DEVICE_ID))):
        measuring.measure_calls(figures, name, func, ops, runs, uncounted)
        del figures[name + '_packets']
    conn.close()
    start = time.perf_counter()
    Connection(lib, host, port, user, password).close()
    figures['second_login_ms'] = (time.perf_counter() - start) * 1e3
    print(json.dumps(figures))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
