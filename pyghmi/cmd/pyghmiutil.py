"""pyghmiutil: run one IPMI (or, with ``--redfish``, Redfish) operation
against one or more BMCs.

    pyghmiutil [options] BMC[,BMC...] USER COMMAND [ARGS]

The password comes from the IPMIPASSWORD environment variable, or from a
prompt when it is unset and standard input is a terminal.  Each BMC gets
one result line (``--json``: one JSON object per line).  The exit status
is 0 when every BMC succeeded, 1 when any failed, 2 for usage errors.
"""

import argparse
import concurrent.futures
import getpass
import json
import logging
import os
import sys

from pyghmi import exceptions as exc
from pyghmi.cmd import configcmds
from pyghmi.cmd import redfishcmds
from pyghmi.ipmi import command as ipmicommand
from pyghmi.ipmi.private.codec import chassis
from pyghmi.redfish import command as redfishcommand
from pyghmi.util import webclient

POWER_ACTIONS = sorted(k for k in chassis.POWER_STATES)
BOOT_DEVICES = ('network', 'hd', 'safe', 'optical', 'setup', 'floppy',
                'default', 'pxe', 'disk', 'cdrom', 'bios', 'usb')


def _int(text):
    return int(text, 0)


def build_parser():
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog='pyghmiutil',
        description='Run an IPMI operation against one or more BMCs. The '
                    'password is read from IPMIPASSWORD (or prompted).')
    parser.add_argument('bmc', help='BMC address, or several separated '
                                    'by commas')
    parser.add_argument('user', help='user name on the BMC(s)')
    parser.add_argument('-p', '--port', type=int, default=None,
                        help='UDP port (default 623), or HTTPS port with '
                             '--redfish (default 443)')
    parser.add_argument('--redfish', action='store_true',
                        help='speak Redfish over HTTPS instead of IPMI')
    parser.add_argument('--fingerprint', default=None,
                        help='with --redfish: accept only the certificate '
                             'with this SHA-256 fingerprint (sha256$HEX); '
                             'without it the system CAs must accept it')
    parser.add_argument('-C', '--cipher', type=int, default=None,
                        help='cipher suite (default: 17 if offered, else 3)')
    parser.add_argument('-L', '--privilege', default=None,
                        choices=('callback', 'user', 'operator',
                                 'administrator'),
                        help='privilege level (default: highest granted)')
    parser.add_argument('-k', '--kg', default=None,
                        help='BMC key (Kg); IPMIKG is read when unset')
    parser.add_argument('-t', '--timeout', type=float, default=None,
                        help='seconds to wait for each reply (default 1)')
    parser.add_argument('-r', '--retries', type=int, default=None,
                        help='retransmissions per request (default 3)')
    parser.add_argument('--json', action='store_true',
                        help='print one JSON object per BMC')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='log warnings (damaged records...) to stderr')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    sub.required = True
    _add_commands(sub)
    return parser


def _add_commands(sub):
    """One sub-parser per COMMAND."""
    power = sub.add_parser('power', help='show or change the power state')
    power.add_argument('action', nargs='?', choices=POWER_ACTIONS)
    power.add_argument('--wait', type=float, default=None,
                       help='seconds to wait for on/off to take effect')
    boot = sub.add_parser('bootdev', help='show or set the next boot device')
    boot.add_argument('device', nargs='?', choices=BOOT_DEVICES)
    boot.add_argument('--persist', action='store_true',
                      help='apply to all future boots')
    boot.add_argument('--uefi', action='store_true', help='UEFI boot')
    ident = sub.add_parser('identify', help='identify light: on, off or '
                                            'SECONDS')
    ident.add_argument('state', nargs='?', default='on')
    raw = sub.add_parser('raw', help='send a raw request: NETFN CMD [BYTE..]')
    raw.add_argument('netfn', type=_int)
    raw.add_argument('cmd', type=_int)
    raw.add_argument('data', nargs='*', type=_int)
    sens = sub.add_parser('sensors', help='read sensors (all, or NAME...)')
    sens.add_argument('names', nargs='*', metavar='NAME')
    sub.add_parser('health', help='overall health and the bad readings')
    inv = sub.add_parser('inventory', help='FRU inventory (all, or one '
                                           'COMPONENT)')
    inv.add_argument('component', nargs='?')
    sub.add_parser('power-reading', help='DCMI power statistics (watts)')
    evs = sub.add_parser('events', help='read the system event log')
    evs.add_argument('--clear', action='store_true',
                     help='clear the log after reading it')
    sub.add_parser('info', help='show device id and firmware version')
    sub.add_parser('guid', help='show the system GUID')
    sub.add_parser('reset-bmc', help='cold-reset the BMC')
    configcmds.add_commands(sub)


def _identify(cmd, state):
    if state in ('on', 'off'):
        cmd.set_identify(on=state == 'on')
        return {'identify': state}
    try:
        seconds = int(state)
    except ValueError:
        raise exc.InvalidParameterValue(
            'identify takes on, off or a number of seconds') from None
    cmd.set_identify(duration=seconds)
    return {'identify': '%d seconds' % seconds}


def _raw(cmd, args):
    if any(not 0 <= b <= 255 for b in [args.netfn, args.cmd] + args.data):
        raise exc.InvalidParameterValue('raw bytes must be 0-255')
    rsp = cmd.xraw_command(args.netfn, args.cmd, data=bytes(args.data))
    return {'data': ' '.join('%02x' % b for b in rsp['data'])}


_HEALTH_NAMES = {0: 'ok', 1: 'warning', 2: 'critical', 3: 'critical',
                 4: 'failed', 5: 'failed', 6: 'failed', 7: 'failed'}


def _reading(reading):
    return {'name': reading.name, 'value': reading.value,
            'units': reading.units, 'states': reading.states,
            'health': _HEALTH_NAMES.get(reading.health, reading.health),
            'type': reading.type, 'unavailable': bool(reading.unavailable)}


def _json_value(value):
    # Binary FRU fields and SPD part numbers are bytes: text when they
    # are printable ASCII (part numbers), hex otherwise.
    if isinstance(value, (bytes, bytearray)):
        text = bytes(value).decode('ascii', 'replace')
        return text if text.isprintable() else bytes(value).hex()
    return str(value)


def _plain(info):
    # Inventory values are plain data, except a few lists of dicts.
    return json.loads(json.dumps(info, default=_json_value)) \
        if info else info


def _event(event):
    keys = ('record_id', 'timestamp', 'timestamp_source', 'component',
            'component_type', 'event', 'event_data', 'deassertion',
            'severity', 'triggered_value', 'threshold_value', 'oemdata')
    out = {k: event[k] for k in keys if k in event}
    # In units when the SDR converts them, else the raw bytes.
    for key in ('triggered', 'threshold'):
        if key + '_reading' in event:
            out[key + '_value'] = event[key + '_reading']
    if 'oemdata' in out:
        out['oemdata'] = bytes(out['oemdata']).hex()
    out['severity'] = _HEALTH_NAMES.get(out.get('severity', 0), 'ok')
    return out


def _event_line(item):
    parts = [str(item['record_id']), item.get('timestamp', 'unknown time'),
             str(item.get('component') or '-'), item.get('event', '')]
    if item.get('event_data'):
        parts.append(item['event_data'])
    if 'triggered_value' in item:
        parts.append('reading %g, threshold %g' % (
            item['triggered_value'], item.get('threshold_value', 0)))
    if item.get('deassertion'):
        parts.append('deasserted')
    return ' | '.join(parts) + ' [%s]' % item['severity']


def _reading_line(item):
    text = item['name'] + ': '
    if item['unavailable']:
        return text + 'unavailable'
    if item['value'] is not None:
        text += '%g %s' % (item['value'], item['units'])
    if item['states']:
        text += (' ' if item['value'] is not None else '') + \
            ', '.join(item['states'])
    return text + ' [%s]' % item['health']


def run_one(cmd, args, new_password=None):
    """Run the parsed command on a logged-in Command; return a dict."""
    name = args.command
    if name in configcmds.COMMANDS:
        return configcmds.run(cmd, args, new_password)
    if name == 'power':
        if args.action is None:
            return cmd.get_power()
        return cmd.set_power(args.action, wait=args.wait or False)
    if name == 'bootdev':
        if args.device is None:
            return cmd.get_bootdev()
        return cmd.set_bootdev(args.device, persist=args.persist,
                               uefiboot=args.uefi)
    if name == 'identify':
        return _identify(cmd, args.state)
    if name == 'raw':
        return _raw(cmd, args)
    if name == 'sensors':
        if args.names:
            readings = [cmd.get_sensor_reading(n) for n in args.names]
        else:
            readings = list(cmd.get_sensor_data())
        return {'sensors': [_reading(r) for r in readings]}
    if name == 'health':
        summary = cmd.get_health()
        return {'health': _HEALTH_NAMES.get(summary['health'],
                                            summary['health']),
                'badreadings': [_reading(r)
                                for r in summary['badreadings']]}
    if name == 'inventory':
        if args.component:
            items = [(args.component, cmd.get_inventory_of_component(
                args.component, details=True))]
        else:
            items = list(cmd.get_inventory(details=True))
        return {'inventory': {n: _plain(i) for n, i in items}}
    if name == 'power-reading':
        return cmd.get_power_statistics()
    if name == 'events':
        return {'events': [_event(e) for e in
                           cmd.get_event_log(clear=args.clear, details=True)]}
    if name == 'info':
        info = cmd.get_device_id()
        info['aux_firmware'] = info['aux_firmware'].hex()
        return info
    if name == 'guid':
        return {'guid': cmd.get_system_guid()}
    if name == 'reset-bmc':
        cmd.reset_bmc()
        return {'reset': 'sent'}
    raise exc.InvalidParameterValue('unknown command %s' % name)


def _session_options(args):
    options = {}
    for name in ('cipher', 'timeout', 'retries'):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    return options


def _redfish_command(bmc, password, args):
    verify = webclient.fingerprint_verifier(args.fingerprint) \
        if args.fingerprint else None
    options = {'timeout': args.timeout} if args.timeout else {}
    return redfishcommand.Command(bmc, args.user, password, verify,
                                  port=args.port or 443, **options)


def do_bmc(bmc, password, args, new_password=None):
    """Log in to one BMC, run the command, log out.

    :returns: ``(bmc, result dict or None, error text or None)``
    """
    cmd = None
    try:
        if args.redfish:
            cmd = _redfish_command(bmc, password, args)
            return bmc, redfishcmds.run(cmd, args), None
        cmd = ipmicommand.Command(
            bmc, args.user, password, port=args.port or 623,
            kg=args.kg or os.environ.get('IPMIKG') or None,
            privlevel=args.privilege, **_session_options(args))
        return bmc, run_one(cmd, args, new_password), None
    except exc.PyghmiException as err:
        return bmc, None, str(err) or type(err).__name__
    except Exception as err:     # noqa: BLE001 - one line, no traceback
        return bmc, None, 'internal error: %s: %s' % (
            type(err).__name__, err)
    finally:
        if cmd is not None:
            cmd.logout()


def _format(bmc, result, error, as_json):
    if as_json:
        record = {'bmc': bmc}
        record.update({'error': error} if error else {'result': result})
        return json.dumps(record, sort_keys=True)
    if error:
        return '%s: error: %s' % (bmc, error)
    lines = configcmds.format_lines(result)
    if lines is not None:
        return '\n'.join('%s: %s' % (bmc, line) for line in lines)
    if 'inventory' in result:
        lines = []
        for name, info in result['inventory'].items():
            lines.append('%s:' % name if info else '%s: (none)' % name)
            for key, value in sorted((info or {}).items()):
                if value not in (None, '', [], {}) and key != 'multirecords':
                    lines.append('  %s: %s' % (key, value))
        return '\n'.join('%s: %s' % (bmc, line) for line in lines)
    if 'events' in result:
        return '\n'.join('%s: %s' % (bmc, _event_line(item))
                         for item in result['events']) or \
            '%s: (event log empty)' % bmc
    if 'sensors' in result or 'badreadings' in result:
        lines = [_reading_line(item) for item in
                 result.get('sensors', result.get('badreadings', []))]
        if 'health' in result:
            lines.insert(0, 'health: %s' % result['health'])
        return '\n'.join('%s: %s' % (bmc, line) for line in lines)
    text = ', '.join('%s: %s' % (k, v) for k, v in result.items())
    return '%s: %s' % (bmc, text)


def _password():
    password = os.environ.get('IPMIPASSWORD')
    if password is None and sys.stdin.isatty():
        password = getpass.getpass('Password: ')
    return password


def main(argv=None):
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.verbose else logging.ERROR,
        format='pyghmiutil: %(message)s')
    password = _password()
    if password is None:
        print('pyghmiutil: set IPMIPASSWORD (or run from a terminal)',
              file=sys.stderr)
        return 2
    new_password = None
    if configcmds.needs_new_password(args):
        try:
            new_password = configcmds.new_password()
        except exc.InvalidParameterValue as err:
            print('pyghmiutil: %s' % err, file=sys.stderr)
            return 2
        if new_password is None:
            print('pyghmiutil: set %s (or run from a terminal) for the '
                  'new password' % configcmds.NEW_PASSWORD_VARIABLE,
                  file=sys.stderr)
            return 2
    bmcs = [b for b in args.bmc.split(',') if b]
    failed = False
    workers = max(1, min(64, len(bmcs)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(do_bmc, bmc, password, args, new_password)
                   for bmc in bmcs]
        for future in futures:
            bmc, result, error = future.result()
            failed = failed or error is not None
            stream = sys.stderr if error and not args.json else sys.stdout
            print(_format(bmc, result, error, args.json), file=stream)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
