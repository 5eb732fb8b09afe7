#!/usr/bin/env python3
"""Redfish clients side by side on one of DMTF's public mockups: this
package's ``redfish.command.Command``, pyghmi 1.6.19's (its virtualenv)
and sushy (OpenStack's Redfish library).

The mockup (``--mockup``, default public-rackmount1, read from
``../shared/redfish/mockups``) is served over HTTPS with keep-alive, as
BMCs serve, by a small server in this script that waits ``--delay``
seconds before each answer (a BMC's own work: 5 ms by default) and
counts the TCP connections clients open.  Each client runs in its own
process, once per operation:

* ``constructor``: login and discovery (``Command(...)``; for sushy,
  ``Sushy(...)`` and its system);
* ``get_sensor_data``: every reading (sushy: the chassis' Thermal and
  Power, what it offers: fewer readings than the Sensors collection);
* ``get_inventory``: the system's parts (sushy: processors, storage
  and Ethernet interfaces; it has no memory collection);
* ``get_firmware``: the UpdateService's firmware inventory.

Prints, per operation and client, the wall time of the operation alone
(the constructor's subtracted) and the connections it opened.

    bench/redfish_client_bench.py --delay 0.005 --runs 3
"""

import argparse
import http.server
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pyghmi.redfish.service import http as rfhttp  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOCKUPS = os.path.join(TOP, '..', 'shared', 'redfish', 'mockups')
ORIGINAL = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'python')
OPERATIONS = ('constructor', 'get_sensor_data', 'get_inventory',
              'get_firmware')

# One operation in a client process: prints seconds for the constructor
# and for the operation.
PYGHMI_CLIENT = r'''
import json, sys, time, warnings
warnings.simplefilter('ignore')
from pyghmi.redfish import command
port, op = int(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=port)
built = time.perf_counter()
if op != 'constructor':
    result = getattr(c, op)()
    count = len(list(result))
else:
    count = 0
done = time.perf_counter()
print(json.dumps([built - start, done - built, count]))
'''

SUSHY_CLIENT = r'''
import json, sys, time, warnings
warnings.simplefilter('ignore')
import sushy
port, op = int(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
root = sushy.Sushy('https://127.0.0.1:%d/redfish/v1' % port, verify=False,
                   auth=sushy.auth.BasicAuth('admin', 'password'))
system = root.get_system()
built = time.perf_counter()
count = 0
if op == 'get_sensor_data':
    for chassis in root.get_chassis_collection().get_members():
        thermal, power = chassis.thermal, chassis.power
        count += len(thermal.temperatures or []) + len(thermal.fans or [])
        count += len(power.power_supplies or [])
elif op == 'get_inventory':
    count = len(system.processors.get_members())
    for part in ('simple_storage', 'storage', 'ethernet_interfaces'):
        try:
            count += len(getattr(system, part).get_members())
        except Exception:
            pass
elif op == 'get_firmware':
    count = len(root.get_update_service().firmware_inventory.get_members())
done = time.perf_counter()
print(json.dumps([built - start, done - built, count]))
'''


class MockupServer:
    """The mockup over HTTPS/1.1 with keep-alive, each answer delayed,
    accepted connections counted."""

    def __init__(self, root, delay):
        self.root = root
        self.delay = delay
        self.connections = 0
        cert, key = rfhttp.self_signed()
        self._dir = tempfile.TemporaryDirectory()
        paths = [os.path.join(self._dir.name, n) for n in ('c.pem', 'k.pem')]
        for path, data in zip(paths, (cert, key)):
            with open(path, 'wb') as stream:
                stream.write(data)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*paths)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            # headers and body leave at once, as a BMC's server sends
            # them (else Nagle and delayed ACKs add 40 ms to each answer)
            disable_nagle_algorithm = True

            def setup(self):
                server.connections += 1
                super().setup()

            def log_message(self, *args):
                pass

            def do_GET(self):
                time.sleep(server.delay)
                self._send(*server.lookup(self.path))

            def do_POST(self):
                self.rfile.read(int(self.headers.get('Content-Length') or 0))
                time.sleep(server.delay)
                self._send(405, b'{}')      # no sessions: Basic auth

            do_PATCH = do_DELETE = do_POST

            def _send(self, status, body):
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._http = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                     Handler)
        self._http.daemon_threads = True
        self._http.socket = context.wrap_socket(self._http.socket,
                                                server_side=True)
        self.port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def lookup(self, path):
        path = path.split('?', 1)[0].rstrip('/')
        if not path.startswith('/redfish/v1'):
            return 404, b'{}'
        local = os.path.join(self.root, path[len('/redfish/v1'):].lstrip('/'),
                             'index.json')
        try:
            with open(local, 'rb') as stream:
                return 200, stream.read()
        except OSError:
            return 404, b'{}'

    def close(self):
        self._http.shutdown()
        self._dir.cleanup()


def measure(server, python, script, op, runs):
    """(median seconds of the operation, connections it opened)."""
    seconds, opened = [], []
    env = dict(os.environ)
    env.pop('REQUESTS_CA_BUNDLE', None)
    for _ in range(runs):
        before = server.connections
        out = subprocess.run([python, '-c', script, str(server.port), op],
                             capture_output=True, text=True, cwd='/',
                             env=env, timeout=600)
        if out.returncode:
            return None, out.stderr.strip().splitlines()[-1]
        built, took, _ = json.loads(out.stdout)
        seconds.append(built if op == 'constructor' else took)
        opened.append(server.connections - before)
    return statistics.median(seconds), max(opened)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mockup', default='public-rackmount1')
    parser.add_argument('--delay', type=float, default=0.005,
                        help='seconds each answer waits (default 0.005)')
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--compare', default=ORIGINAL,
                        help='python with pyghmi 1.6.19')
    args = parser.parse_args()
    root = os.path.join(MOCKUPS, args.mockup)
    if not os.path.isdir(root):
        sys.exit('no mockup at %s (DMTF mockups live in ../shared/redfish)'
                 % root)
    clients = [('this package', sys.executable, PYGHMI_CLIENT)]
    if os.path.exists(args.compare):
        clients.append(('pyghmi 1.6.19', args.compare, PYGHMI_CLIENT))
    clients.append(('sushy', sys.executable, SUSHY_CLIENT))
    server = MockupServer(root, args.delay)
    print('%s over HTTPS, %.1f ms per answer, median of %d runs'
          % (args.mockup, args.delay * 1000, args.runs))
    print('%-16s %-14s %10s %12s' % ('operation', 'client', 'seconds',
                                     'connections'))
    try:
        for op in OPERATIONS:
            figures = {}
            for name, python, script in clients:
                took, opened = measure(server, python, script, op,
                                       args.runs)
                figures[name] = took
                if took is None:
                    print('%-16s %-14s failed: %s' % (op, name, opened))
                    continue
                print('%-16s %-14s %10.3f %12d' % (op, name, took, opened))
            ours, theirs = figures.get('this package'), figures.get(
                'pyghmi 1.6.19')
            if ours and theirs:
                print('%-16s %-14s %9.2fx' % ('', 'ours/original',
                                              ours / theirs))
    finally:
        server.close()


if __name__ == '__main__':
    main()
