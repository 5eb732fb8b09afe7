"""LAN alerting: our client and ipmitool on fakebmc both ways (alert
destinations, community, PEF alert policies), and our client on
ipmi_sim (community, and a BMC without LAN alert destinations)."""

import os
import re
import select
import subprocess
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


_ipmitool = peers.ipmitool_ok


def _alerts_printed(bmc, channel):
    """ipmitool lan alert print as {destination: {field: value}}."""
    dests, current = {}, None
    for line in _ipmitool(bmc, 'lan', 'alert', 'print',
                          str(channel)).splitlines():
        key, _, value = line.partition(':')
        key, value = key.strip(), value.strip()
        if key == 'Alert Destination':
            current = dests.setdefault(int(value), {})
        elif current is not None and key:
            current[key] = value
    return dests


def _policies(bmc):
    """Enabled rows of ipmitool pef policy list: (channel, destination,
    address)."""
    rows = []
    for line in _ipmitool(bmc, 'pef', 'policy', 'list').splitlines():
        cells = [cell.strip() for cell in line.split('|')]
        if len(cells) > 10 and cells[2] == 'enabled':
            rows.append((int(cells[4]), cells[10]))
    return rows


def test_destinations_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        assert c.get_alert_destination_count() == 4
        c.set_alert_destination('192.0.2.77', True, 5, 3, destination=1)
        printed = _alerts_printed(bmc, channel)[1]
        assert printed['Alert IP Address'] == '192.0.2.77'
        assert printed['Alert Acknowledge'] == 'Acknowledged'
        assert printed['Acknowledge Timeout'] == '5'
        assert printed['Number of Retries'] == '3'
        assert printed['Destination Type'] == 'PET Trap'
        assert _policies(bmc) == [(channel, '192.0.2.77')]
        # again: the policy is kept, not added twice
        c.set_alert_destination(retries=2, destination=1)
        assert _policies(bmc) == [(channel, '192.0.2.77')]
        # ipmitool writes destination 3, we read it
        for setting in (['ipaddr', '198.51.100.3'], ['ack', 'off'],
                        ['retry', '6']):
            _ipmitool(bmc, 'lan', 'alert', 'set', str(channel), '3',
                      *setting)
        assert c.get_alert_destination(3) == {
            'acknowledge_required': False, 'retries': 6,
            'address_format': 'ipv4', 'address': '198.51.100.3'}
        c.clear_alert_destination(1)
        assert c.get_alert_destination(1) == {
            'acknowledge_required': False, 'retries': 0,
            'address_format': 'ipv4', 'address': '0.0.0.0'}
        assert _alerts_printed(bmc, channel)[1]['Alert IP Address'] == \
            '0.0.0.0'
        c.set_alert_destination('2001:db8::9', destination=2)
        assert c.get_alert_destination(2)['address'] == '2001:db8::9'
    finally:
        c.logout()


def test_community_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        assert c.get_alert_community() == 'public'
        c.set_alert_community('ops-traps')
        printed = [line for line in _ipmitool(
            bmc, 'lan', 'print', str(channel)).splitlines()
            if line.startswith('SNMP Community String')]
        assert printed[0].split(':', 1)[1].strip() == 'ops-traps'
        _ipmitool(bmc, 'lan', 'set', str(channel), 'snmp', 'from-tool')
        assert c.get_alert_community() == 'from-tool'
    finally:
        c.logout()


@pytest.mark.parametrize('method,kwargs', [
    ('set_alert_destination', {'ip': '192.0.2.300'}),
    ('set_alert_destination', {'ip': 'alerts.example'}),
    ('set_alert_destination', {'retries': 8}),
    ('set_alert_destination', {'acknowledge_timeout': 256}),
    ('set_alert_destination', {'acknowledge_required': 'yes'}),
    ('set_alert_community', {'community': 'x' * 19}),
    ('set_alert_community', {'community': 'caf\u00e9'}),
    ('set_alert_community', {'community': ''})])
def test_bad_values_send_nothing(fakebmc, method, kwargs):
    peers.refused_before_sending(fakebmc, method, kwargs)


def test_unknown_destination_writes_nothing(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        with pytest.raises(exc.InvalidParameterValue) as err:
            c.set_alert_destination('192.0.2.5', destination=5)
        assert 'destination' in str(err.value)
        assert _policies(fresh_fakebmc) == []
    finally:
        c.logout()


def test_no_free_policy_entry_is_reported(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        for entry in range(1, 16):      # every entry: channel 1, dest 0
            c.xraw_command(4, 0x12, data=(9, entry, 0x18, 0x10, 0))
        with pytest.raises(exc.PyghmiException) as err:
            c.set_alert_destination('192.0.2.8', destination=2)
        assert 'No free alert policy entry' in str(err.value)
    finally:
        c.logout()


def test_alerting_survives_a_restart(tmp_path):
    state = str(tmp_path / 'state.json')
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        c = peers.connect(bmc)
        c.set_alert_destination('192.0.2.90', destination=4)
        c.set_alert_community('kept')
        c.logout()
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        c = peers.connect(bmc)
        try:
            assert c.get_alert_destination(4)['address'] == '192.0.2.90'
            assert c.get_alert_community() == 'kept'
        finally:
            c.logout()
        assert _policies(bmc) == [(1, '192.0.2.90')]


def test_ipmi_sim_community_and_no_destinations(ipmisim):
    c = command.Command(ipmisim.host, 'admin', 'password',
                        port=ipmisim.port)
    try:
        assert c.get_alert_community() == 'public'
        assert c.get_alert_destination_count() == 0
        with pytest.raises(exc.UnsupportedFunctionality):
            c.set_alert_destination('192.0.2.1')
        # ipmi_sim answers the write and keeps its string (ipmitool's
        # "lan set 1 snmp" reports it too): said, not hidden
        with pytest.raises(exc.BmcErrorException) as err:
            c.set_alert_community('simtraps')
        assert "kept 'public'" in str(err.value)
        printed = _ipmitool(ipmisim, 'lan', 'print', '1')
        assert 'SNMP Community String   : public' in printed
    finally:
        c.logout()


class _TrapReceiver:
    """snmptrapd on a free loopback port, printing each trap as
    ``TRAP generic specific varbinds``."""

    def __init__(self, tmp_path):
        conf = tmp_path / 'snmptrapd.conf'
        conf.write_text('disableAuthorization yes\n')
        self.port = peers.free_udp_port()
        self.proc = subprocess.Popen(
            ['snmptrapd', '-f', '-Lo', '-On', '-m', '', '-M', '/nonexistent',
             '-C', '-c', str(conf), '-F', 'TRAP %w %q %v\\n',
             'udp:127.0.0.1:%d' % self.port],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.text = b''
        self._read_until(b'NET-SNMP version', 10)     # it listens

    def _read_until(self, marker, limit):
        end = time.monotonic() + limit
        while marker not in self.text and time.monotonic() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                self.text += os.read(self.proc.stdout.fileno(), 4096)
        return marker in self.text

    def next_trap(self, limit=20):
        """(specific trap, PET bytes) of the first complete trap."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            match = re.search(rb'TRAP 6 \.(\d+) \S+ = Hex-STRING: '
                              rb'((?:[0-9A-F]{2}\s+){47})', self.text)
            if match:
                return int(match.group(1)), bytes.fromhex(
                    match.group(2).decode().replace('\n', ' '))
            self._read_until(b'\xff', 0.3)         # read what comes
        raise AssertionError('no trap: %r' % self.text[-300:])

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def test_an_event_reaches_the_destination_as_a_pet(tmp_path):
    receiver = _TrapReceiver(tmp_path)
    try:
        with peers.FakeBmcProcess(['--trap-port', str(receiver.port)]) \
                as bmc:
            c = peers.connect(bmc)
            try:
                c.set_alert_destination('127.0.0.1', destination=1)
                # ipmitool logs an event: Temperature, upper critical
                _ipmitool(bmc, 'event', '1')
                specific, data = receiver.next_trap()
                ours = c.decode_pet(specific, data)
            finally:
                c.logout()
            # FreeIPMI's PET interpreter, with the SDR read from the BMC
            peer = subprocess.run(
                ['ipmi-pet', '-D', 'LAN_2_0', '-h',
                 '%s:%d' % (bmc.host, bmc.port), '-u', 'admin', '-p',
                 'password', '--sdr-cache-directory', str(tmp_path),
                 str(specific)] + ['%02x' % b for b in data],
                capture_output=True, text=True, timeout=60)
    finally:
        receiver.stop()
    assert specific == 0x010109     # temperature, threshold, offset 9
    assert peer.returncode == 0, peer.stdout + peer.stderr
    row = [cell.strip() for cell in peer.stdout.splitlines()[-1].split('|')]
    assert row[3] == 'Temperature' and row[-1] == \
        'Upper Critical - going high'
    assert (ours['component_type'], ours['event']) == (
        'Temperature', 'Upper Critical - going high')
    assert ours['timestamp'].replace('T', ' ')[11:19] == row[1]
