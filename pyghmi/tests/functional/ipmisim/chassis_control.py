#!/usr/bin/env python3
"""chassis_control program for ipmi_sim: keeps power/boot state in files.

ipmi_sim runs ``PROG MC get NAME...`` and expects ``NAME:VALUE`` lines,
or ``PROG MC set NAME VALUE...`` (values may be quoted).  State lives in
the directory given by the PYGHMI_SIM_STATE environment variable, or
beside this script.
"""
import os
import sys

STATE = os.environ.get('PYGHMI_SIM_STATE') or os.path.dirname(
    os.path.abspath(__file__))
DEFAULTS = {'power': '1', 'reset': '0', 'boot': 'none', 'shutdown': '0',
            'identify': '0 0'}


def _path(name):
    return os.path.join(STATE, 'chassis.' + name)


def get(name):
    try:
        with open(_path(name)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return DEFAULTS.get(name, '0')


def put(name, value):
    with open(_path(name), 'w') as f:
        f.write(value)
    if name == 'shutdown' and value == '1':
        put('power', '0')


def main(argv):
    ops = [i for i, arg in enumerate(argv) if arg in ('get', 'set', 'check')]
    if not ops:
        return 1
    op, args = argv[ops[0]], argv[ops[0] + 1:]
    if op == 'get':
        for name in args:
            print('%s:%s' % (name, get(name)))
        return 0
    if op == 'set':
        for name, value in zip(args[::2], args[1::2]):
            put(name, value)
        return 0
    return 0 if op == 'check' else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
