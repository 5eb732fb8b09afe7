#!/usr/bin/env python3
"""Measure one pyghmi-API client against a BMC; print JSON figures.

Runs with whichever ``pyghmi`` the interpreter imports, so the driver
(session_bench.py) can run it for this tree and for another install side
by side.  Datagrams are counted by wrapping ``socket.socket.sendto``.

    measure_client.py HOST PORT USER PASSWORD [OPERATIONS] [RUNS]
"""
import json
import sys
import time

import measuring

SENT = measuring.count_datagrams('sendto')

from pyghmi.ipmi import command  # noqa: E402


def main(argv):
    host, port, user, password = argv[1], int(argv[2]), argv[3], argv[4]
    ops = int(argv[5]) if len(argv) > 5 else 200
    runs = int(argv[6]) if len(argv) > 6 else 5
    sent0 = SENT[0]
    start = time.perf_counter()
    cmd = command.Command(host, user, password, port=port)
    login_ms = (time.perf_counter() - start) * 1e3
    login_packets = SENT[0] - sent0
    figures = {'login_ms': login_ms, 'login_packets': login_packets}
    for name, func in (('get_power', cmd.get_power),
                       ('device_id', lambda: cmd.raw_command(6, 1))):
        measuring.measure_calls(figures, name, func, ops, runs, SENT)
    cmd.ipmi_session.logout()
    sent0 = SENT[0]
    start = time.perf_counter()
    cmd2 = command.Command(host, user, password, port=port)
    figures['second_login_ms'] = (time.perf_counter() - start) * 1e3
    figures['second_login_packets'] = SENT[0] - sent0
    cmd2.ipmi_session.logout()
    print(json.dumps(figures))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
