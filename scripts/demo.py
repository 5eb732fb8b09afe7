#!/usr/bin/env python3
"""The main job, end to end: manage a BMC with pyghmiutil.

Starts the built-in fake BMC (bin/fakebmc) on a free loopback port, then
runs pyghmiutil against it: device info, GUID, power status and control,
boot device, identify and a raw command; then checks the same BMC with
ipmitool when it is installed.  Exits non-zero if any step fails.
"""
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.tests.functional import peers  # noqa: E402

STEPS = (
    ['info'], ['guid'], ['power'], ['power', 'off', '--wait', '10'],
    ['power', 'on'], ['bootdev', 'network', '--persist'], ['bootdev'],
    ['identify', '15'], ['raw', '0x06', '0x01'],
)


def main():
    with peers.FakeBmcProcess() as bmc:
        print('fakebmc listening on %s:%d' % (bmc.host, bmc.port))
        env = dict(os.environ, IPMIPASSWORD='password')
        failed = 0
        for step in STEPS:
            argv = [sys.executable, os.path.join(TOP, 'bin', 'pyghmiutil'),
                    '--port', str(bmc.port), bmc.host, 'admin'] + step
            print('$ pyghmiutil %s' % ' '.join(step), flush=True)
            failed += subprocess.call(argv, env=env) != 0
        if shutil.which('ipmitool'):
            print('$ ipmitool -I lanplus ... power status', flush=True)
            failed += subprocess.call(
                ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
                 str(bmc.port), '-U', 'admin', '-P', 'password', '-C', '17',
                 'power', 'status']) != 0
        print('demo finished: %d step(s) failed' % failed)
        return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
