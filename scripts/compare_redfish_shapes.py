#!/usr/bin/env python3
"""Compare the Redfish client of this package with pyghmi 1.6.19's, side
by side, on the same services: fakebmc's Redfish side and (where
``../shared/redfish`` holds them) DMTF's public mockups served over TLS
by sushy-tools' sushy-static.

Each package runs the read calls of ``WORKER`` in its own interpreter
(the original from its virtualenv, never imported here).  Prints every
call whose result differs, with the reason when it is one of the
deliberate differences of ``DELIBERATE`` (doc/source/migration.rst
lists them), and exits 1 when a difference is not explained.
``make compat`` runs it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.tests.functional import peers  # noqa: E402

MOCKUPS = os.path.join(TOP, '..', 'shared', 'redfish', 'mockups')
CALLS = ('get_power', 'get_bootdev', 'get_identify', 'get_health',
         'get_sensor_descriptions', 'get_sensor_data', 'get_event_log',
         'get_firmware', 'get_users', 'get_net_configuration',
         'get_net6_configuration', 'get_hostname', 'get_ntp_enabled',
         'get_ntp_servers', 'get_inventory', 'get_inventory_descriptions',
         'get_description', 'get_location_information',
         'list_network_interface_names', 'get_system_configuration',
         'list_media', 'get_update_status', 'get_inlet_temperature',
         'get_system_power_watts', 'get_average_processor_temperature',
         'get_trusted_cas', 'get_licenses', 'get_bmc_configuration',
         'get_ikvm_methods', 'get_ikvm_launchdata')
WORKER = r'''
import json, sys, warnings
warnings.simplefilter('ignore')
from pyghmi.redfish import command
kw = {'sysurl': sys.argv[3]} if len(sys.argv) > 3 else {}
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=int(sys.argv[1]), **kw)
''' + peers.REDFISH_RECORDER + r'''
for name in sys.argv[2].split(','):
    record(name, getattr(c, name))
print(json.dumps(dict(out)))
'''
# (service, call) -> why this package differs on purpose; '*' is any
# service.  "fault" means the original raised KeyError/TypeError there.
_FAULT = "the original's KeyError/TypeError, read around here"
DELIBERATE = {
    ('*', 'get_licenses'): 'UnsupportedFunctionality says what is missing',
    ('*', 'get_event_log'): 'times shifted by the BMC clock skew, '
                            'measured a moment apart by each client',
    ('*', 'get_net6_configuration'): 'VLAN.VLANEnable read (the original '
                                     'read VLANEnabled: always off)',
    ('*', 'get_health'): _FAULT + '; Status.Conditions reported',
    ('*', 'get_system_configuration'): _FAULT,
    ('*', 'get_update_status'): _FAULT,
    ('*', 'get_net_configuration'): _FAULT,
    ('*', 'get_hostname'): _FAULT,
    ('public-rackmount1', 'list_media'): "the system's virtual media too "
                                         '(the original read the '
                                         "manager's only)",
}


def _fault(result):
    return isinstance(result, dict) and result.get('raised') in (
        'KeyError', 'TypeError')


def _serve_mockup(name, tmp):
    from pyghmi.redfish.service import http
    cert, key = http.self_signed()
    paths = [os.path.join(tmp, n) for n in ('cert.pem', 'key.pem')]
    for path, data in zip(paths, (cert, key)):
        with open(path, 'wb') as stream:
            stream.write(data)
    port = peers.free_tcp_port()
    program = os.path.join(os.path.dirname(sys.executable), 'sushy-static')
    proc = subprocess.Popen(
        [program, '-i', '127.0.0.1', '-p', str(port), '-m',
         os.path.join(MOCKUPS, name), '-c', paths[0], '-k', paths[1]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests
    import urllib3
    urllib3.disable_warnings()
    for _ in range(300):
        try:
            requests.get('https://127.0.0.1:%d/redfish/v1/' % port,
                         verify=False, timeout=1)
            return proc, port
        except requests.RequestException:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit('sushy-static did not start for %s' % name)


def _run(python, port, sysurl):
    env = dict(os.environ)
    env.pop('REQUESTS_CA_BUNDLE', None)
    args = [python, '-c', WORKER, str(port), ','.join(CALLS)]
    out = subprocess.run(args + ([sysurl] if sysurl else []),
                         capture_output=True, text=True, timeout=300,
                         cwd='/', env=env)
    if out.returncode:
        raise SystemExit('%s failed: %s' % (python, out.stderr[-2000:]))
    return json.loads(out.stdout)


def compare(service, port, sysurl, original):
    """Print the differences on one service; returns the unexplained
    count."""
    ours = _run(sys.executable, port, sysurl)
    theirs = _run(original, port, sysurl)
    unexplained = 0
    for call in CALLS:
        if ours[call] == theirs[call]:
            continue
        why = DELIBERATE.get((service, call)) or DELIBERATE.get(('*', call))
        mine = ours[call]
        if _fault(mine):
            why = None            # never deliberate
        if why and why.startswith(_FAULT) and not _fault(theirs[call]):
            why = None            # only where the original did fail
        print('%s %s: %s' % (service, call, why or 'UNEXPLAINED'))
        if not why:
            unexplained += 1
            print('   ours:     %s' % json.dumps(mine)[:400])
            print('   original: %s' % json.dumps(theirs[call])[:400])
    return unexplained


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--compare', default=peers.original_python())
    args = parser.parse_args()
    args.compare = os.path.abspath(args.compare)
    unexplained = 0
    with peers.FakeBmcProcess(['--redfish-port', '0']) as bmc:
        url, _ = bmc.redfish[0]
        unexplained += compare('fakebmc', int(url.rsplit(':', 1)[1]), None,
                               args.compare)
    if os.path.isdir(MOCKUPS):
        for name, sysurl in (('public-rackmount1', None),
                             ('public-localstorage', None),
                             ('public-bladed',
                              '/redfish/v1/Systems/529QB9451R6')):
            with tempfile.TemporaryDirectory() as tmp:
                proc, port = _serve_mockup(name, tmp)
                try:
                    unexplained += compare(name, port, sysurl,
                                           args.compare)
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)
    else:
        print('DMTF mockups not found at %s: fakebmc only' % MOCKUPS)
    print('%d unexplained difference(s)' % unexplained)
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
