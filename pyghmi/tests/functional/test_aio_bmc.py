"""A pyghmi Bmc served on an asyncio event loop (Bmc.serve_async): no
thread of its own; ipmitool and FreeIPMI's ipmipower drive it, and the
asyncio client talks to it from the same loop."""

import asyncio
import subprocess
import threading

import pytest

from pyghmi.aio.ipmi import command as aiocommand
from pyghmi.ipmi import bmc as bmcmod
from pyghmi.tests.functional import peers


class LoopBmc(bmcmod.Bmc):
    """A BMC whose power and boot device live in memory."""

    def __init__(self, address='127.0.0.1'):
        super().__init__({'admin': 'password'}, port=0, address=address)
        self.host = address
        self.power = 'off'
        self.bootdev = 'default'

    def get_power_state(self):
        return self.power

    def power_on(self):
        self.power = 'on'

    def power_off(self):
        self.power = 'off'

    def get_boot_device(self):
        return self.bootdev

    def set_boot_device(self, bootdevice):
        self.bootdev = bootdevice


def test_ipmitool_and_ipmipower_drive_a_bmc_served_by_asyncio():
    bmc = LoopBmc()
    served = threading.Thread(target=asyncio.run, args=(bmc.serve_async(),))
    served.start()
    try:
        assert 'Chassis Power is off' in peers.ipmitool_ok(
            bmc, 'power', 'status')
        peers.ipmitool_ok(bmc, 'power', 'on')
        assert bmc.power == 'on'
        peers.ipmitool_ok(bmc, 'chassis', 'bootdev', 'pxe')
        assert bmc.bootdev == 'network'
        out = subprocess.run(
            ['ipmipower', '-D', 'LAN_2_0', '-h', '127.0.0.1:%d' % bmc.port,
             '-u', 'admin', '-p', 'password', '-I', '17', '--stat'],
            capture_output=True, text=True, timeout=60).stdout
        assert out.strip().endswith(': on'), out
    finally:
        bmc.stop()                      # from another thread
        served.join(10)
    assert not served.is_alive()
    assert bmc.serversocket.fileno() == -1      # closed on the way out


def test_asyncio_client_and_bmc_on_one_loop_without_a_thread():
    async def scenario():
        bmc = LoopBmc()
        serving = asyncio.ensure_future(bmc.serve_async())
        threads = threading.active_count()
        async with await aiocommand.Command.create(
                '127.0.0.1', 'admin', 'password', port=bmc.port) as c:
            assert await c.get_power() == {'powerstate': 'off'}
            await c.set_power('on')
            assert bmc.power == 'on'
            await c.set_bootdev('network')
            assert (await c.get_bootdev())['bootdev'] == 'network'
        assert threading.active_count() == threads
        bmc.stop()                      # from the loop itself
        await asyncio.wait_for(serving, 5)
        return bmc.serversocket.fileno()
    assert asyncio.run(scenario()) == -1


def test_cancelling_the_serving_task_closes_the_socket():
    async def scenario():
        bmc = LoopBmc()
        serving = asyncio.ensure_future(bmc.serve_async())
        await asyncio.sleep(0)
        serving.cancel()
        try:
            await serving
        except asyncio.CancelledError:
            pass
        return bmc.serversocket.fileno()
    assert asyncio.run(scenario()) == -1


@pytest.mark.skipif(not peers.ipv6_available(),
                    reason='no IPv6 loopback here')
def test_asyncio_client_and_bmc_over_ipv6():
    async def scenario():
        bmc = LoopBmc('::1')
        serving = asyncio.ensure_future(bmc.serve_async())
        async with await aiocommand.Command.create(
                '::1', 'admin', 'password', port=bmc.port) as c:
            await c.set_power('on')
            power = await c.get_power()
        bmc.stop()
        await asyncio.wait_for(serving, 5)
        return power, bmc.power
    assert asyncio.run(scenario()) == ({'powerstate': 'on'}, 'on')
