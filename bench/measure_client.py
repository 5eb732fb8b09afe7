#!/usr/bin/env python3
"""Measure one pyghmi-API client against a BMC; print JSON figures.

Runs with whichever ``pyghmi`` the interpreter imports, so the driver
(session_bench.py) can run it for this tree and for another install side
by side.  Datagrams are counted by wrapping ``socket.socket.sendto``.

    measure_client.py HOST PORT USER PASSWORD [OPERATIONS] [RUNS]
"""
import json
import socket
import statistics
import sys
import time

SENT = [0]
_orig_sendto = socket.socket.sendto


def _counting_sendto(self, *args):
    SENT[0] += 1
    return _orig_sendto(self, *args)


socket.socket.sendto = _counting_sendto

from pyghmi.ipmi import command  # noqa: E402


def _timed(func, count):
    wall0, cpu0, sent0 = time.perf_counter(), time.process_time(), SENT[0]
    for _ in range(count):
        func()
    wall = (time.perf_counter() - wall0) / count
    cpu = (time.process_time() - cpu0) / count
    return wall * 1e6, cpu * 1e6, (SENT[0] - sent0) / count


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
        func()          # warm up
        samples = [_timed(func, ops) for _ in range(runs)]
        figures[name + '_wall_us'] = statistics.median(s[0] for s in samples)
        figures[name + '_cpu_us'] = statistics.median(s[1] for s in samples)
        figures[name + '_packets'] = statistics.median(s[2] for s in samples)
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
