#!/usr/bin/env python3
"""measure_client.py for python-ipmi: the same figures, same JSON keys.

Runs in an interpreter that has ``python-ipmi`` (and ``cryptography``)
installed, never this tree's pyghmi.  python-ipmi's RMCP+ session uses
cipher suite 3 here: its suite 17 derives K1/K2 from 32-byte constants
where the IPMI 2.0 specification, ipmitool and BMCs use 20 bytes, so it
cannot talk to a BMC with that suite.  Its datagrams are counted by
wrapping ``socket.socket.send`` (it uses a connected socket).

    measure_pyipmi.py HOST PORT USER PASSWORD [OPERATIONS] [RUNS]
"""
import json
import sys
import time

import measuring

SENT = measuring.count_datagrams('send')

import pyipmi  # noqa: E402
import pyipmi.interfaces  # noqa: E402


def connect(host, port, user, password):
    """A logged-in python-ipmi connection (cipher suite 3)."""
    interface = pyipmi.interfaces.create_interface('rmcpplus',
                                                   cipher_suite=3)
    ipmi = pyipmi.create_connection(interface)
    ipmi.session.set_session_type_rmcp(host, port=port)
    ipmi.session.set_auth_type_user(user, password)
    ipmi.target = pyipmi.Target(ipmb_address=0x20)
    ipmi.open()
    return ipmi


def _login(host, port, user, password):
    sent0, start = SENT[0], time.perf_counter()
    ipmi = connect(host, port, user, password)
    return ipmi, (time.perf_counter() - start) * 1e3, SENT[0] - sent0


def main(argv):
    host, port, user, password = argv[1], int(argv[2]), argv[3], argv[4]
    ops = int(argv[5]) if len(argv) > 5 else 200
    runs = int(argv[6]) if len(argv) > 6 else 5
    ipmi, login_ms, login_packets = _login(host, port, user, password)
    figures = {'login_ms': login_ms, 'login_packets': login_packets}
    for name, func in (('get_power',
                        lambda: ipmi.get_chassis_status().power_on),
                       ('device_id', ipmi.get_device_id)):
        measuring.measure_calls(figures, name, func, ops, runs, SENT)
    ipmi.close()
    ipmi, figures['second_login_ms'], figures['second_login_packets'] = \
        _login(host, port, user, password)
    ipmi.close()
    print(json.dumps(figures))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
