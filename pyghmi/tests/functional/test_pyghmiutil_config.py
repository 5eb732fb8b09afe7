"""pyghmiutil's user, net and alert commands against fakebmc, checked
with ipmitool (both directions where ipmitool can write)."""

import json

from pyghmi.tests.functional import peers


def _util_json(bmc, *args, env=None):
    out = peers.pyghmiutil(bmc, '--json', '127.0.0.1', 'admin', *args,
                           env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)['result']


def test_user_commands(fresh_fakebmc):
    bmc = fresh_fakebmc
    secret = {'IPMI_NEW_PASSWORD': 'first-pass'}
    _util_json(bmc, 'user', 'add', '4', 'ops', '--privilege', 'operator',
               env=secret)
    listed = peers.ipmitool_ok(bmc, 'user', 'list', '1')
    row = [line.split() for line in listed.splitlines()
           if line.split()[:2] == ['4', 'ops']]
    assert row and row[0][-1] == 'OPERATOR'
    users = _util_json(bmc, 'user', 'list')['users']
    assert users['4'] == {'name': 'ops', 'privilege': 'operator',
                          'link_auth': True, 'ipmi_msg': True,
                          'callback': False}
    # the new password is the one a login works with
    peers.ipmitool_ok(bmc, 'user', 'test', '4', '16', 'first-pass')
    _util_json(bmc, 'user', 'password', '4',
               env={'IPMI_NEW_PASSWORD': 'second-pass'})
    peers.ipmitool_ok(bmc, 'user', 'test', '4', '16', 'second-pass')
    _util_json(bmc, 'user', 'priv', '4', 'user')
    assert _util_json(bmc, 'user', 'list')['users']['4']['privilege'] == \
        'user'
    _util_json(bmc, 'user', 'delete', '4')
    assert '4' not in _util_json(bmc, 'user', 'list')['users']


def test_a_new_password_is_never_an_argument(fakebmc):
    out = peers.pyghmiutil(fakebmc, '127.0.0.1', 'admin', 'user', 'add',
                           '5', 'bob')
    assert out.returncode == 2 and 'IPMI_NEW_PASSWORD' in out.stderr
    out = peers.pyghmiutil(fakebmc, '127.0.0.1', 'admin', 'user',
                           'password', '2', 'inline-secret')
    assert out.returncode == 2 and 'unrecognized' in out.stderr


def test_net_commands(fresh_fakebmc):
    bmc = fresh_fakebmc
    _util_json(bmc, 'net', 'set', '--ip', '192.0.2.44/25', '--gateway',
               '192.0.2.1', '--vlan', '12', '--ipv6', 'fd00::44/64')
    printed = peers.ipmitool_ok(bmc, 'lan', 'print', '1')
    assert 'IP Address              : 192.0.2.44' in printed
    assert 'Subnet Mask             : 255.255.255.128' in printed
    assert '802.1q VLAN ID          : 12' in printed
    peers.ipmitool_ok(bmc, 'lan', 'set', '1', 'ipsrc', 'dhcp')
    shown = _util_json(bmc, 'net', 'show')
    assert shown['ipv4_configuration'] == 'DHCP'
    assert shown['ipv4_address'] == '192.0.2.44/25'
    assert shown['static_addrs'] == ['fd00::44/64']
    out = peers.pyghmiutil(bmc, '127.0.0.1', 'admin', 'net', 'set')
    assert out.returncode == 1 and 'nothing to change' in out.stderr


def test_alert_commands(fresh_fakebmc):
    bmc = fresh_fakebmc
    _util_json(bmc, 'alert', 'set', '2', '--ip', '127.0.0.9', '--ack',
               '--ack-timeout', '4', '--retries', '2')
    printed = peers.ipmitool_ok(bmc, 'lan', 'alert', 'print', '1', '2')
    assert 'Alert IP Address        : 127.0.0.9' in printed
    assert 'Number of Retries       : 2' in printed
    shown = _util_json(bmc, 'alert', 'show')
    assert shown['destinations']['2'] == {
        'acknowledge_required': True, 'acknowledge_timeout': 4,
        'retries': 2, 'address_format': 'ipv4', 'address': '127.0.0.9'}
    _util_json(bmc, 'alert', 'community', 'night-shift')
    assert _util_json(bmc, 'alert', 'community') == {
        'community': 'night-shift'}
    _util_json(bmc, 'alert', 'clear', '2')
    printed = peers.ipmitool_ok(bmc, 'lan', 'alert', 'print', '1', '2')
    assert 'Alert IP Address        : 0.0.0.0' in printed
