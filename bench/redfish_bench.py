#!/usr/bin/env python3
"""Redfish service load, side by side: fakebmc's Redfish side and
sushy-tools' emulator (``sushy-emulator --fake``) on this machine.

For each service, over HTTPS with keep-alive connections (one
``requests.Session`` per client thread), for ``--seconds``:

* GET of the ComputerSystem, by ``--threads`` clients at once;
* session logins (POST to SessionService/Sessions, then DELETE of the
  session), by one client, where the service offers sessions.

Prints requests per second (and the median latency) of each.  Only
loopback is used.  sushy-emulator comes from ``--sushy`` (default: the
``sushy-emulator`` of .venv-sushy, made by ``make bench-deps``).

    bench/redfish_bench.py --seconds 3 --threads 4
"""

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import time

import requests
import urllib3

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pyghmi.redfish.service import http  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUSHY = os.path.join(TOP, '.venv-sushy', 'bin', 'sushy-emulator')
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def _hammer(url, auth, seconds, threads):
    """GETs of ``url`` by ``threads`` clients: (requests/s, median s)."""
    def client(_):
        session = requests.Session()
        # (verify=False on each call: requests lets REQUESTS_CA_BUNDLE
        # override a session's verify setting)
        session.auth = auth
        latencies, end = [], time.monotonic() + seconds
        while time.monotonic() < end:
            start = time.monotonic()
            assert session.get(url, timeout=30,
                               verify=False).status_code == 200
            latencies.append(time.monotonic() - start)
        session.close()
        return latencies
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(client, range(threads)))
    everything = [t for result in results for t in result]
    return len(everything) / seconds, statistics.median(everything)


def _logins(base, user, password, seconds):
    """Session logins and logouts by one client: (per s, median s), or
    None when the service has no session service."""
    session = requests.Session()
    uri = base + '/redfish/v1/SessionService/Sessions'
    latencies, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        reply = session.post(uri, json={'UserName': user,
                                        'Password': password}, timeout=30,
                             verify=False)
        if reply.status_code != 201:
            return None
        token = reply.headers['X-Auth-Token']
        location = reply.headers['Location']
        if location.startswith('/'):
            location = base + location
        session.delete(location, headers={'X-Auth-Token': token},
                       timeout=30, verify=False)
        latencies.append(time.monotonic() - start)
    return len(latencies) / seconds, statistics.median(latencies)


def _sushy_emulator(program, port, cert, key):
    proc = subprocess.Popen(
        [program, '--fake', '-i', '127.0.0.1', '-p', str(port),
         '--ssl-certificate', cert, '--ssl-key', key],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = 'https://127.0.0.1:%d' % port
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + '/redfish/v1/', verify=False,
                            timeout=2).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError('sushy-emulator did not start')


def _first_system(base, auth):
    members = requests.get(base + '/redfish/v1/Systems', auth=auth,
                           verify=False, timeout=10).json()['Members']
    return base + members[0]['@odata.id']


def _report(name, base, auth, args):
    system = _first_system(base, auth)
    rate, median = _hammer(system, auth, args.seconds, args.threads)
    print('  %-28s GET system: %7.0f req/s (median %.1f ms, %d clients)'
          % (name, rate, median * 1000, args.threads), flush=True)
    logins = _logins(base, auth[0], auth[1], args.seconds)
    if logins is None:
        print('  %-28s session login: not offered' % name)
    else:
        print('  %-28s session login+logout: %5.0f /s (median %.1f ms)'
              % (name, logins[0], logins[1] * 1000), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=3.0)
    parser.add_argument('--threads', type=int, default=4)
    parser.add_argument('--sushy', default=SUSHY,
                        help='sushy-emulator program (default: %s)' % SUSHY)
    args = parser.parse_args()
    print('Redfish services over HTTPS on loopback, %g s each' %
          args.seconds)
    with peers.FakeBmcProcess(['--redfish-port', '0']) as bmc:
        _report('fakebmc (this package)', bmc.redfish[0][0],
                ('admin', 'password'), args)
    if not os.path.exists(args.sushy):
        print('  sushy-emulator: not installed (make bench-deps)')
        return
    cert, key = http.self_signed()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (('cert.pem', cert), ('key.pem', key)):
            paths.append(os.path.join(tmp, name))
            with open(paths[-1], 'wb') as stream:
                stream.write(data)
        proc, base = _sushy_emulator(args.sushy, peers.free_tcp_port(),
                                     *paths)
        try:
            _report('sushy-emulator --fake', base, ('admin', 'password'),
                    args)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == '__main__':
    main()
