"""LAN configuration: our client and ipmitool on fakebmc, both
directions (IPv4, VLAN id and priority, IPv6 static addresses, cipher
suite privileges), "set in progress" held by another manager, bad
values refused before sending, settings kept across a restart, and our
client on ipmi_sim's IPv4 settings."""

import subprocess

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


_ipmitool = peers.ipmitool_ok


def _lan_print(bmc, channel):
    fields = {}
    for line in _ipmitool(bmc, 'lan', 'print', str(channel)).splitlines():
        if ':' in line:
            key, _, value = line.partition(':')
            fields.setdefault(key.strip(), value.strip())
    return fields


def test_read_agrees_with_ipmitool_lan_print(fakebmc):
    c = peers.connect(fakebmc)
    try:
        channel = c.get_network_channel()
        net = c.get_net_configuration()
    finally:
        c.logout()
    printed = _lan_print(fakebmc, channel)
    address, prefix = net['ipv4_address'].split('/')
    assert printed['IP Address'] == address
    assert printed['Subnet Mask'] == '255.255.255.0' and prefix == '24'
    assert printed['MAC Address'] == net['mac_address']
    assert printed['Default Gateway IP'] == net['ipv4_gateway']
    assert printed['Default Gateway MAC'] == net['ipv4_gateway_mac']
    assert printed['IP Address Source'] == 'Static Address' and \
        net['ipv4_configuration'] == 'Static'
    assert net['vlan_id'] == 'off' and printed['802.1q VLAN ID'] == \
        'Disabled'
    assert net['ipv4_backup_gateway'] is None


def test_changes_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        c.set_net_configuration(ipv4_address='192.0.2.50/16',
                                ipv4_gateway='192.0.2.254', vlan_id=300)
        printed = _lan_print(bmc, channel)
        assert printed['IP Address'] == '192.0.2.50'
        assert printed['Subnet Mask'] == '255.255.0.0'
        assert printed['Default Gateway IP'] == '192.0.2.254'
        assert printed['802.1q VLAN ID'] == '300'
        assert printed['Set in Progress'] == 'Set Complete'   # released
        _ipmitool(bmc, 'lan', 'set', str(channel), 'ipsrc', 'dhcp')
        _ipmitool(bmc, 'lan', 'set', str(channel), 'vlan', 'id', 'off')
        net = c.get_net_configuration(gateway_macs=False)
        assert net['ipv4_configuration'] == 'DHCP'
        assert net['vlan_id'] == 'off'
        assert 'ipv4_gateway_mac' not in net
        assert net['ipv4_address'] == '192.0.2.50/16'
    finally:
        c.logout()


def test_set_in_progress_held_elsewhere_writes_nothing(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        # another manager takes "set in progress" (parameter 0 = 1)
        _ipmitool(bmc, 'raw', '0x0c', '0x01', str(channel), '0x00', '0x01')
        with pytest.raises(exc.IpmiException) as info:
            c.set_net_configuration(ipv4_address='192.0.2.99')
        assert 'set in progress' in str(info.value)
        assert c.get_net_configuration()['ipv4_address'] != \
            '192.0.2.99/24'
        assert _lan_print(bmc, channel)['Set in Progress'] == \
            'Set In Progress'                  # theirs, left alone
        _ipmitool(bmc, 'raw', '0x0c', '0x01', str(channel), '0x00', '0x00')
        c.set_net_configuration(ipv4_address='192.0.2.99')
        assert c.get_net_configuration()['ipv4_address'] == \
            '192.0.2.99/24'
    finally:
        c.logout()


def test_lan_changes_survive_a_restart(tmp_path):
    state = str(tmp_path / 'state.json')
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        c = peers.connect(bmc)
        c.set_net_configuration(ipv4_address='192.0.2.61/25', vlan_id=12)
        c.set_net6_configuration(['fd00::61/48'])
        c.logout()
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        c = peers.connect(bmc)
        try:
            net = c.get_net_configuration()
            net6 = c.get_net6_configuration()
        finally:
            c.logout()
    assert (net['ipv4_address'], net['vlan_id']) == ('192.0.2.61/25', 12)
    assert net6['static_addrs'] == ['fd00::61/48']


def test_cipher_suite_privileges_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        assert c.get_cipher_suite_privileges() == {
            s: 'administrator' for s in (1, 2, 3, 15, 16, 17)}
        # (suites 1 and 2: ipmitool logs in with 17, which must keep
        # allowing administrator for the rest of this test)
        c.set_cipher_suite_privileges({1: 'user', 2: 'operator'})
        assert _lan_print(bmc, channel)['Cipher Suite Priv Max'] == \
            'uoaaaaXXXXXXXXX'
        # ipmitool's letters: a admin, o operator, u user, X unused
        _ipmitool(bmc, 'lan', 'set', str(channel), 'cipher_privs',
                  'uaaaaaXXXXXXXXX')
        privileges = c.get_cipher_suite_privileges()
        assert privileges[1] == 'user' and privileges[2] == 'administrator'
        with pytest.raises(exc.InvalidParameterValue):
            c.set_cipher_suite_privileges({42: 'user'})
        with pytest.raises(exc.InvalidParameterValue):
            c.set_cipher_suite_privileges({3: 'root'})
    finally:
        c.logout()


def test_suite_privilege_limits_new_sessions(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        c.set_cipher_suite_privileges({17: 'user'})
    finally:
        c.logout()
    # suite 17 now allows user sessions only; suite 3 still anything
    with pytest.raises(exc.IpmiAuthenticationError):
        command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                        cipher=17, privlevel=4)
    limited = command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                              cipher=17)
    assert limited.ipmi_session._shared.core.privlevel == 2  # stepped down
    limited.logout()
    full = command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                           cipher=3, privlevel=4)
    full.logout()
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-C', '17', '-L', 'ADMINISTRATOR',
         '-H', bmc.host, '-p', str(bmc.port), '-U', 'admin', '-P',
         'password', 'chassis', 'power', 'status'],
        capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert 'Chassis Power' in _ipmitool(bmc, '-C', '17', '-L', 'USER',
                                        'chassis', 'power', 'status')


@pytest.mark.parametrize('method,kwargs', [
    ('set_net_configuration', {'ipv4_address': '192.0.2.300'}),
    ('set_net_configuration', {'ipv4_address': '192.0.2.1/33'}),
    ('set_net_configuration', {'ipv4_configuration': 'bootp'}),
    ('set_net_configuration', {'ipv4_gateway': 'gateway'}),
    ('set_net_configuration', {'vlan_id': 4095}),
    ('set_net_configuration', {'vlan_id': 'ten'}),
    ('set_net_configuration', {'vlan_priority': 8}),
    ('set_net6_configuration', {'static_addresses': ['2001:db8::zz']}),
    ('set_net6_configuration', {'static_addresses': ['2001:db8::1/129']}),
    ('set_net6_configuration', {'static_addresses': ['192.0.2.1']}),
    ('set_net6_configuration', {'static_gateway': 'fe80::1::2'})])
def test_bad_values_send_nothing(fakebmc, method, kwargs):
    peers.refused_before_sending(fakebmc, method, kwargs)


def _lan6_print(bmc, channel):
    """ipmitool lan6 print as {'IPv6 Static Address N': {field: value},
    'Router 1': address, 'static router': yes/no}."""
    out, section = {}, None
    for line in _ipmitool(bmc, 'lan6', 'print', str(channel)).splitlines():
        if not line.startswith(' '):
            section = line.rstrip(':')
            continue
        key, _, value = line.strip().partition(':')
        value = value.strip()
        if section.startswith('IPv6 Static Address'):
            out.setdefault(section, {})[key] = value
        elif section == 'IPv6 Static Router 1' and key == 'Address':
            out['Router 1'] = value
        elif key == 'Enable static router address':
            out['static router'] = value
    return out


def test_ipv6_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        assert c.get_net6_configuration() == {'static_gateway': '::'}
        c.set_net6_configuration(['2001:db8::10/56', 'fd00::5'],
                                 '2001:db8::1')
        printed = _lan6_print(bmc, channel)
        assert printed['IPv6 Static Address 0'] == {
            'Enabled': 'yes', 'Address': '2001:db8::10/56',
            'Status': 'active'}
        assert printed['IPv6 Static Address 1']['Address'] == 'fd00::5/64'
        assert printed['Router 1'] == '2001:db8::1'
        assert printed['static router'] == 'yes'
        # ipmitool disables slot 0 and rewrites slot 1; we read it back
        _ipmitool(bmc, 'lan6', 'set', str(channel), 'static_addr', '0',
                  'disable', '::', '64')
        _ipmitool(bmc, 'lan6', 'set', str(channel), 'static_addr', '1',
                  'enable', 'fd00::7', '48')
        assert c.get_net6_configuration() == {
            'static_addrs': ['fd00::7/48'], 'static_gateway': '2001:db8::1'}
        # the list is the whole set: slots beyond it are disabled
        c.set_net6_configuration([], '::')
        printed = _lan6_print(bmc, channel)
        assert printed['IPv6 Static Address 1']['Enabled'] == 'no'
        assert printed['static router'] == 'no'
        assert c.get_net6_configuration() == {'static_gateway': '::'}
    finally:
        c.logout()


def test_more_ipv6_addresses_than_slots_writes_nothing(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        with pytest.raises(exc.InvalidParameterValue) as err:
            c.set_net6_configuration(['fd00::1', 'fd00::2', 'fd00::3'])
        assert 'holds 2' in str(err.value)
        assert 'static_addrs' not in c.get_net6_configuration()
    finally:
        c.logout()


def test_vlan_priority_both_ways(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        channel = c.get_network_channel()
        assert c.get_vlan_priority() == 0
        c.set_net_configuration(vlan_id=40, vlan_priority=5)
        printed = _lan_print(bmc, channel)
        assert printed['802.1q VLAN Priority'] == '5'
        assert printed['802.1q VLAN ID'] == '40'
        _ipmitool(bmc, 'lan', 'set', str(channel), 'vlan', 'priority', '3')
        assert c.get_vlan_priority() == 3
    finally:
        c.logout()


def test_ipv4_settings_of_ipmi_sim(fresh_ipmisim):
    sim = fresh_ipmisim
    c = command.Command(sim.host, 'admin', 'password', port=sim.port)
    try:
        channel = c.get_network_channel()
        c.set_net_configuration(ipv4_address='192.0.2.99/23',
                                ipv4_gateway='192.0.2.254', vlan_id=77,
                                vlan_priority=2)
        net = c.get_net_configuration()
        printed = _lan_print(sim, channel)
    finally:
        c.logout()
    assert net['ipv4_address'] == '192.0.2.99/23'
    assert net['ipv4_gateway'] == '192.0.2.254' and net['vlan_id'] == 77
    assert printed['IP Address'] == '192.0.2.99'
    assert printed['Subnet Mask'] == '255.255.254.0'
    assert printed['Default Gateway IP'] == '192.0.2.254'
    assert printed['802.1q VLAN ID'] == '77'
    assert printed['802.1q VLAN Priority'] == '2'
    assert printed['Set in Progress'] == 'Set Complete'
