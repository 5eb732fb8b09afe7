"""pyghmi 1.6.19's server-side names: serversession.IpmiServer (the base
of Bmc), its methods, and Bmc.listen as a classmethod."""

import select
import socket
import subprocess
import threading

from pyghmi.ipmi import bmc as bmcmod
from pyghmi.ipmi import command
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import serversession
from pyghmi.ipmi.private.codec import wire


class PowerBmc(bmcmod.Bmc):
    power = 'on'

    def get_power_state(self):
        return self.power


def _ipmitool(port, *args, kg=None):
    argv = ['ipmitool', '-I', 'lanplus', '-H', '127.0.0.1', '-p', str(port),
            '-U', 'admin', '-P', 'password', '-R', '1', '-N', '1']
    if kg:
        argv += ['-k', kg]
    return subprocess.run(argv + list(args), capture_output=True, text=True,
                          timeout=60)


def test_bmc_is_an_ipmi_server_and_listen_serves_every_bmc_of_the_class():
    assert issubclass(bmcmod.Bmc, serversession.IpmiServer)

    class ClassBmc(PowerBmc):
        pass
    first = ClassBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    second = ClassBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    # pyghmi's way: Bmc.listen() on the class serves them all
    thread = threading.Thread(target=ClassBmc.listen, daemon=True)
    thread.start()
    try:
        for server in (first, second):
            c = command.Command('127.0.0.1', 'admin', 'password',
                                port=server.port)
            assert c.get_power() == {'powerstate': 'on'}
            c.logout()
    finally:
        first.stop()
        assert thread.is_alive()            # the other one still serves
        second.stop()
        thread.join(5)
    assert not thread.is_alive()


def test_set_kg_is_required_by_ipmitool_afterwards():
    server = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    server.set_kg('sharedkey')
    server.start()
    try:
        good = _ipmitool(server.port, 'chassis', 'power', 'status',
                         kg='sharedkey')
        assert 'Chassis Power is on' in good.stdout, good.stderr
        bad = _ipmitool(server.port, 'chassis', 'power', 'status',
                        kg='otherkey')
        assert bad.returncode != 0
    finally:
        server.stop()


def test_process_pktqueue_serves_a_server_not_on_the_loop():
    # Get Channel Authentication Capabilities, sessionless (IPMI 1.5
    # format, 13.6): channel 0Eh, administrator.
    server = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    request = wire.encode_v15(wire.encode_request(
        const.NETFN_APP, const.CMD_GET_CHANNEL_AUTH_CAPABILITIES,
        b'\x8e\x04', seq=5))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(5)
        client.sendto(request, ('127.0.0.1', server.port))
        assert select.select([server.serversocket], [], [], 5)[0]
        server.process_pktqueue()       # what is waiting, without a loop
        reply = client.recv(2048)
        # and the legacy sender, to the same client
        server.send_auth_cap(0x20, 0, 0x81, 0, 6, client.getsockname())
        legacy = client.recv(2048)
    server.stop()
    for raw, seq in ((reply, 5), (legacy, 6)):
        msg = wire.parse_message(wire.parse_datagram(raw).payload)
        assert (msg.netfn, msg.cmd, msg.seq) == (
            const.NETFN_APP | 1, const.CMD_GET_CHANNEL_AUTH_CAPABILITIES,
            seq)
        # completion 00, channel 1, IPMI 2.0 extended capabilities (80h),
        # extended: IPMI 2.0 supported (02h)
        assert msg.body[0] == 0 and msg.body[2] & 0x80 \
            and msg.body[4] & 0x02, msg.body.hex()


def test_logout_ends_every_session_and_clients_log_in_again():
    server = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    server.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password',
                            port=server.port)
        assert c.get_power() == {'powerstate': 'on'}
        assert server.core.sessions
        server.logout()
        assert not server.core.sessions
        assert c.get_power() == {'powerstate': 'on'}   # a new login
        c.logout()
    finally:
        server.stop()
