"""fakebmc: serve one or many simulated BMCs over RMCP+ (IPMI 2.0).

    fakebmc [--port P] [--address A] [--user U --password W] [--kg KEY]
            [--password-file F] [--kg-file F] [--hide-unknown-users]
            [--account NAME:PASSWORD:PRIVILEGE]... [--profile FILE]
            [--state FILE] [--count N] [--sol-command CMD
            [--sol-allow-remote]] [--trap-port P [--alert-allow-remote]]
            [--redfish-port P [--redfish-address A] [--cert F --key F]]
            [-v]

The administrator password and Kg may also come from the environment
(``FAKEBMC_PASSWORD``, ``FAKEBMC_KG``) or a file (first line), which
keeps them out of the process list; the command line wins, then the
file, then the environment.  ``-v`` logs every request, except the data
of commands that carry secrets (Set User Password...).

With ``--count N`` the BMCs listen on ports P..P+N-1 (with ``--port 0``
each on a free port).  One line per BMC, ``listening on ADDRESS:PORT``,
is printed once all are up.  SIGINT / SIGTERM stop it cleanly (exit 0).

With ``--redfish-port P`` (0: a free port) each BMC also serves Redfish
over HTTPS (``--redfish-address``, loopback by default; port P+index),
from the same machine as IPMI: ``redfish on https://ADDRESS:PORT
sha256$<fingerprint>`` is printed for each.  Without ``--cert`` and
``--key`` a self-signed certificate is made at start-up.

A SOL console of the fake machine gets an echoing terminal, or with
``--sol-command`` a program run on a pseudo-terminal (``/bin/sh``...).
That program is a shell for anyone who knows the password, so
``--sol-command`` is refused on an address that is not loopback unless
``--sol-allow-remote`` says so.

Events added to the SEL are sent as Platform Event Traps to the alert
destinations the PEF alert policies name (``--trap-port`` moves the
port from 162), to loopback addresses only unless
``--alert-allow-remote``.
"""

import argparse
import ipaddress
import logging
import os
import signal
import sys
import threading

from pyghmi import exceptions as exc
from pyghmi.fakebmc import machine
from pyghmi.fakebmc import profile as profiles

PRIVILEGES = ('callback', 'user', 'operator', 'administrator')


def _account(text):
    parts = text.split(':')
    if len(parts) != 3 or parts[2].lower() not in PRIVILEGES + ('admin',):
        raise argparse.ArgumentTypeError(
            'expected NAME:PASSWORD:PRIVILEGE with privilege one of %s'
            % ', '.join(PRIVILEGES))
    return parts[0], parts[1], parts[2].lower()


def build_parser():
    """The argument parser."""
    parser = argparse.ArgumentParser(
        prog='fakebmc', description='Serve simulated BMCs over IPMI 2.0.')
    parser.add_argument('--port', type=int, default=623,
                        help='UDP port of the first BMC (0: any free port)')
    parser.add_argument('--address', default='127.0.0.1',
                        help='address to bind (default 127.0.0.1)')
    parser.add_argument('--user', default='admin',
                        help='administrator user name (default admin)')
    parser.add_argument('--password', default=None,
                        help='administrator password (default: '
                             'FAKEBMC_PASSWORD, else "password")')
    parser.add_argument('--password-file', default=None,
                        help='read the administrator password from FILE')
    parser.add_argument('--account', type=_account, action='append',
                        default=[], metavar='NAME:PASSWORD:PRIVILEGE',
                        help='another user (repeatable)')
    parser.add_argument('--kg', default=None,
                        help='BMC key (Kg) required of every client '
                             '(default: FAKEBMC_KG, else none)')
    parser.add_argument('--kg-file', default=None,
                        help='read the BMC key (Kg) from FILE')
    parser.add_argument('--hide-unknown-users', action='store_true',
                        help='answer an unknown user as a wrong password '
                             '(the specification says "unauthorized '
                             'name", which lets user names be probed)')
    parser.add_argument('--profile', help='machine profile (JSON, schema '
                                          'pyghmi-fakebmc/1)')
    parser.add_argument('--state', help='JSON file keeping power, boot, '
                                        'identify state and the user table '
                                        '(with its passwords: written with '
                                        'mode 0600) across restarts')
    parser.add_argument('--sol-command',
                        help='program behind the SOL console, run on a '
                             'pseudo-terminal (default: an echo console)')
    parser.add_argument('--sol-allow-remote', action='store_true',
                        help='allow --sol-command on an address that is '
                             'not loopback')
    parser.add_argument('--trap-port', type=int, default=162,
                        help='UDP port alert traps are sent to (default '
                             '162)')
    parser.add_argument('--alert-allow-remote', action='store_true',
                        help='send alert traps to destinations that are '
                             'not loopback (default: loopback only)')
    parser.add_argument('--redfish-port', type=int, default=None,
                        help='also serve Redfish over HTTPS on this TCP '
                        'port (0: any free port)')
    parser.add_argument('--redfish-address', default='127.0.0.1',
                        help='address of the Redfish service (default '
                        '127.0.0.1)')
    parser.add_argument('--cert', default=None,
                        help='PEM certificate of the Redfish service '
                        '(default: a self-signed one made at start-up)')
    parser.add_argument('--key', default=None,
                        help='PEM key of --cert')
    parser.add_argument('--count', type=int, default=1,
                        help='number of BMCs to serve (default 1)')
    parser.add_argument('-v', '--verbose', action='count', default=0,
                        help='log every request (-v)')
    return parser


def _secret(value, path, variable, default=None):
    """A secret from the option, else a file's first line, else the
    environment, else ``default``."""
    if value is not None:
        return value
    if path is not None:
        with open(path) as f:
            return f.readline().rstrip('\r\n')
    return os.environ.get(variable, default)


def _authdata(args):
    password = _secret(args.password, args.password_file,
                       'FAKEBMC_PASSWORD', 'password')
    authdata = {args.user: (password, 'administrator')}
    for name, password, privilege in args.account:
        authdata[name] = (password, privilege)
    return authdata


def _loopback(address):
    if address == 'localhost':
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def main(argv=None):
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format='%(asctime)s %(name)s: %(message)s', stream=sys.stderr)
    if args.count < 1:
        print('fakebmc: --count must be at least 1', file=sys.stderr)
        return 2
    if args.sol_command and not args.sol_allow_remote and \
            not _loopback(args.address):
        print('fakebmc: --sol-command gives the program (a shell, often) '
              'to anyone who can reach %s and knows the password; it is '
              'allowed on a loopback address only, unless '
              '--sol-allow-remote is given' % args.address,
              file=sys.stderr)
        return 2
    if (args.cert is None) != (args.key is None):
        print('fakebmc: --cert and --key go together', file=sys.stderr)
        return 2
    try:
        profile = profiles.load(args.profile)
        statefile = machine.StateFile(args.state)
        bmcs = []
        for index in range(args.count):
            port = args.port + index if args.port else 0
            bmc = machine.FakeBmc(_authdata(args), profile, port=port,
                                  address=args.address, statefile=statefile,
                                  hide_unknown_users=args.hide_unknown_users,
                                  sol_command=args.sol_command,
                                  trap_port=args.trap_port,
                                  alert_allow_remote=args.alert_allow_remote)
            bmc.kg = _secret(args.kg, args.kg_file, 'FAKEBMC_KG')
            bmcs.append(bmc)
    except (exc.PyghmiException, OSError, ValueError) as err:
        print('fakebmc: %s' % err, file=sys.stderr)
        return 1
    done = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    for index, bmc in enumerate(bmcs):
        bmc.start()
        print('listening on %s:%d' % (args.address, bmc.port))
        if args.redfish_port is not None:
            try:
                served = bmc.serve_redfish(
                    args.redfish_port + index if args.redfish_port else 0,
                    args.redfish_address, args.cert, args.key,
                    product='fakebmc')
            except (OSError, ValueError) as err:
                print('fakebmc: Redfish: %s' % err, file=sys.stderr)
                for started in bmcs[:index + 1]:
                    started.stop()
                return 1
            print('redfish on %s %s' % (served.url, served.fingerprint))
    sys.stdout.flush()
    while not done.wait(1.0):
        pass
    for bmc in bmcs:
        bmc.stop()
        bmc.serial.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
