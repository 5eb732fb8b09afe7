"""The asyncio Serial over LAN console (pyghmi.aio.ipmi.console): with
ipmi_sim (its serial port a TCP socket of the test) both ways, with
fakebmc's echoing serial port, taken over by a second console, and with
no thread started."""

import asyncio
import socket
import threading

import pytest

from pyghmi import exceptions as exc
from pyghmi.aio.ipmi import console
from pyghmi.tests.functional import peers


async def _read_until(cons, wanted, limit=20.0):
    """Console output until ``wanted`` is in it (bounded)."""
    seen = b''

    async def reading():
        nonlocal seen
        while wanted not in seen:
            seen += await cons.read()
    await asyncio.wait_for(reading(), limit)
    return seen


def test_console_with_ipmi_sim_both_ways():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]

    async def scenario(sim):
        loop = asyncio.get_running_loop()
        serial, _ = await asyncio.wait_for(loop.sock_accept(listener), 30)
        serial.setblocking(False)
        threads = threading.active_count()
        async with await console.Console.create(
                sim.host, 'admin', 'password', port=sim.port) as cons:
            typed = b''.join(b'line %03d of typing\r' % n for n in range(40))
            await cons.send_data(typed)
            received = b''
            while len(received) < len(typed):
                chunk = await asyncio.wait_for(loop.sock_recv(serial, 4096),
                                               20)
                assert chunk
                received += chunk
            system = b''.join(b'boot message %04d\r\n' % n
                              for n in range(300))
            await loop.sock_sendall(serial, system)
            out = await _read_until(cons, b'boot message 0299\r\n')
        assert threading.active_count() == threads
        serial.close()
        return received, typed, out, system
    sim = peers.IpmiSim(extra_conf='  sol "tcp:127.0.0.1:%d" 115200\n'
                        % port).start()
    try:
        received, typed, out, system = asyncio.run(scenario(sim))
    finally:
        sim.stop()
        listener.close()
    assert received == typed
    assert out == system


def test_echo_and_take_over_on_fakebmc(fresh_fakebmc):
    bmc = fresh_fakebmc

    async def scenario():
        first = await console.Console.create(bmc.host, 'admin', 'password',
                                             port=bmc.port)
        await first.send_data('hello aio\r')
        echoed = await _read_until(first, b'hello aio')
        with pytest.raises(exc.IpmiException) as held:
            await console.Console.create(bmc.host, 'admin', 'password',
                                         port=bmc.port)
        status = []
        second = await console.Console.create(
            bmc.host, 'admin', 'password', port=bmc.port, force=True,
            iohandler=status.append)
        # the first console is told SOL went elsewhere, and ends
        chunks = [chunk async for chunk in first]
        await second.send_data('second\r')
        for _ in range(200):
            if b'second' in b''.join(s for s in status
                                     if isinstance(s, bytes)):
                break
            await asyncio.sleep(0.05)
        await first.close()
        await second.close()
        return echoed, held.value, first.broken, chunks, status
    echoed, held, broken, chunks, status = asyncio.run(scenario())
    assert b'hello aio' in echoed
    assert 'already active' in str(held) and 'force=True' in str(held)
    assert broken and 'deactivated' in broken.lower()
    assert b'second' in b''.join(s for s in status if isinstance(s, bytes))


@pytest.mark.parametrize('bad', [{'instance': 0}, {'instance': 'x'},
                                 {'iohandler': 'not callable'}])
def test_bad_arguments_send_nothing(bad):
    with pytest.raises(exc.InvalidParameterValue):
        asyncio.run(console.Console.create('127.0.0.1', 'admin', 'x',
                                           port=9, **bad))
