"""FreeIPMI's bmc-config against fakebmc: its checkout of the User,
Lan_Conf, Lan_Channel and Lan6_Conf sections agrees with what our client
reads and wrote, and what it commits our client reads back."""

import subprocess

from pyghmi.tests.functional import peers


def _bmc_config(bmc, *args):
    out = subprocess.run(
        ['bmc-config', '-D', 'LAN_2_0', '-h', '%s:%d' % (bmc.host, bmc.port),
         '-u', 'admin', '-p', 'password'] + list(args),
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def _checkout(bmc, *sections):
    """{section: {key: value}} of the sections asked for."""
    argv = ['--checkout']
    for name in sections:
        argv += ['-S', name]
    result, current = {}, None
    for line in _bmc_config(bmc, *argv).splitlines():
        line = line.strip()
        if line.startswith('Section '):
            current = result.setdefault(line.split()[1], {})
        elif line and not line.startswith('#') and current is not None \
                and line != 'EndSection':
            key, _, value = line.partition(' ')
            current[key] = value.strip()
    return result


def test_checkout_agrees_with_our_client(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        c.create_user(3, 'cfguser', 'cfg-pass-3', privilege_level='operator')
        c.set_net_configuration(ipv4_address='192.0.2.33/22',
                                ipv4_gateway='192.0.2.3')
        c.set_net6_configuration(['fd00::33/80'])
        # pyghmi 1.6.19's wire effect: True sets the "PEF alerting
        # disabled" bit, the other flags (False) leave the
        # authentications enabled
        c.set_channel_access(access_mode='always', alerting=True,
                             privilege_level='operator')
        net = c.get_net_configuration()
    finally:
        c.logout()
    got = _checkout(bmc, 'User3', 'Lan_Conf', 'Lan_Channel', 'Lan6_Conf')
    assert got['User3']['Username'] == 'cfguser'
    assert got['User3']['Lan_Privilege_Limit'] == 'Operator'
    assert got['User3']['Enable_User'] == 'Yes'
    assert got['User3']['SOL_Payload_Access'] == 'Yes'
    assert got['Lan_Conf']['IP_Address'] == '192.0.2.33'
    assert got['Lan_Conf']['Subnet_Mask'] == '255.255.252.0'
    assert got['Lan_Conf']['Default_Gateway_IP_Address'] == '192.0.2.3'
    assert got['Lan_Conf']['MAC_Address'].lower() == net['mac_address']
    assert got['Lan_Conf']['IP_Address_Source'] == 'Static'
    channel = got['Lan_Channel']
    assert channel['Non_Volatile_Access_Mode'] == 'Always_Available'
    assert channel['Non_Volatile_Enable_Pef_Alerting'] == 'No'
    assert channel['Non_Volatile_Enable_Per_Message_Auth'] == 'Yes'
    assert channel['Non_Volatile_Enable_User_Level_Auth'] == 'Yes'
    assert channel['Non_Volatile_Channel_Privilege_Limit'] == 'Operator'
    assert got['Lan6_Conf']['IPv6_Static_Address'] == 'fd00::33'
    assert got['Lan6_Conf']['IPv6_Static_Address_Prefix_Length'] == '80'
    assert got['Lan6_Conf']['IPv6_Static_Address_Enable'] == 'Yes'


def test_commit_is_read_by_our_client(fresh_fakebmc):
    bmc = fresh_fakebmc
    _bmc_config(bmc, '--commit',
                '-e', 'Lan_Conf:IP_Address=192.0.2.71',
                '-e', 'Lan_Conf:IP_Address_Source=Use_DHCP',
                '-e', 'User4:Username=committed',
                '-e', 'User4:Lan_Privilege_Limit=User',
                '-e', 'User4:SOL_Payload_Access=No',
                '-e', 'Lan6_Conf:IPv6_Static_Address=fd00::71',
                '-e', 'Lan6_Conf:IPv6_Static_Address_Enable=Yes')
    c = peers.connect(bmc)
    try:
        net = c.get_net_configuration()
        assert net['ipv4_address'] == '192.0.2.71/24'
        assert net['ipv4_configuration'] == 'DHCP'
        assert c.get_user_name(4) == 'committed'
        assert c.get_user_access(4)['access']['privilege_level'] == 'user'
        # Get User Payload Access (24.7): SOL (bit 1) now off for user 4
        assert c.xraw_command(6, 0x4D, data=(1, 4))['data'][0] & 2 == 0
        assert c.xraw_command(6, 0x4D, data=(1, 2))['data'][0] & 2
        assert c.get_net6_configuration()['static_addrs'] == \
            ['fd00::71/64']
    finally:
        c.logout()
