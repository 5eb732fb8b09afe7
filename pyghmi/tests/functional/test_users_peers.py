"""User management: our client and ipmitool on fakebmc, both directions,
and our client against ipmi_sim."""

import os
import subprocess

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers

TWENTY = 'p' * 12 + '-20bytes'            # a 20-byte password


def _ipmitool(bmc, *args, user='admin', password='password'):
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p', str(bmc.port),
         '-U', user, '-P', password, '-R', '1', '-N', '1'] + list(args),
        capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout + out.stderr


def _listed(bmc, uid):
    rc, out = _ipmitool(bmc, 'user', 'list', '1')
    assert rc == 0, out
    for line in out.splitlines():
        if line.split() and line.split()[0] == str(uid):
            return line
    raise AssertionError(out)


def test_our_changes_read_by_ipmitool_and_used_for_logins(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        assert c.create_user(5, 'bob', TWENTY, privilege_level='operator')
        line = _listed(bmc, 5)
        assert 'bob' in line and 'OPERATOR' in line, line
        assert c.set_user_password(5, 'test_password', TWENTY) is True
        assert c.set_user_password(5, 'test_password', 'wrong') is False
        with pytest.raises(exc.InvalidParameterValue):
            c.set_user_password(5, password='x' * 21)   # never truncated
        user = c.get_user(5)
        assert (user['name'], user['access']['privilege_level']) == \
            ('bob', 'operator')
    finally:
        c.logout()
    rc, out = _ipmitool(bmc, '-L', 'OPERATOR', 'chassis', 'power',
                        'status', user='bob', password=TWENTY)
    assert rc == 0 and 'Chassis Power is' in out, out
    bob = command.Command(bmc.host, 'bob', TWENTY, port=bmc.port)
    assert bob.get_power()['powerstate'] in ('on', 'off')
    bob.logout()
    c = peers.connect(bmc)
    try:
        c.set_user_password(5, password='newpass')
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'bob', TWENTY, port=bmc.port)
        command.Command(bmc.host, 'bob', 'newpass', port=bmc.port).logout()
        assert c.user_delete(5)
        assert c.get_user_name(5) is None
        assert 'NO ACCESS' in _listed(bmc, 5)
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'bob', 'newpass', port=bmc.port)
    finally:
        c.logout()


def test_ipmitool_changes_read_by_us(fresh_fakebmc):
    bmc = fresh_fakebmc
    for args in (('user', 'set', 'name', '6', 'carol'),
                 ('user', 'set', 'password', '6', 'carolpw'),
                 ('user', 'enable', '6'),
                 ('user', 'priv', '6', '2', '1')):
        rc, out = _ipmitool(bmc, *args)
        assert rc == 0, out
    c = peers.connect(bmc)
    try:
        users = c.get_users()
        assert users[6]['name'] == 'carol'
        assert users[6]['access']['privilege_level'] == 'user'
        assert users[2]['name'] == 'admin'
        assert c.get_name_uids('carol') == [6]
        assert c.set_user_password(6, 'test_password', 'carolpw') is True
        assert c.get_channel_max_user_count() == 16
    finally:
        c.logout()
    command.Command(bmc.host, 'carol', 'carolpw', port=bmc.port,
                    privlevel=2).logout()


def test_users_of_ipmi_sim(ipmisim):
    c = command.Command(ipmisim.host, 'admin', 'password',
                        port=ipmisim.port)
    try:
        users = c.get_users()
        names = {uid: u['name'] for uid, u in users.items()}
        assert names[2] == 'admin' and names[3] == 'operator'
        assert users[2]['access']['privilege_level'] == 'administrator'
        assert users[4]['access']['privilege_level'] == 'user'
        # (ipmi_sim answers any password test with success; ipmitool's
        # 'user test' says Success there too, so only the right one is
        # checked here; fakebmc above tells right from wrong.)
        assert c.set_user_password(3, 'test_password', 'oppass') is True
    finally:
        c.logout()


def test_user_changes_survive_a_restart(tmp_path):
    state = str(tmp_path / 'state.json')
    port = peers.free_udp_port()
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        rc, out = _ipmitool(bmc, 'user', 'set', 'password', '2', 'rotated')
        assert rc == 0, out
    assert oct(os.stat(state).st_mode & 0o777) == '0o600'   # passwords
    with peers.FakeBmcProcess(['--state', state], port=port) as bmc:
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        command.Command(bmc.host, 'admin', 'rotated',
                        port=bmc.port).logout()


def test_channel_info_agrees_with_ipmitool(fakebmc, ipmisim):
    for bmc in (fakebmc, ipmisim):
        c = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        try:
            number = c.get_network_channel()
            info = c.get_channel_info(number)
        finally:
            c.logout()
        _, out = _ipmitool(bmc, 'channel', 'info', str(number))
        assert 'Active Session Count  : %d' % info[
            'active_session_count'] in out, out
        assert 'Channel Medium Type   : %s' % info[
            'Channel Medium type'] in out, out
        assert info['Actual channel'] == number
        assert info['session_support'] == 'multi'
        assert 'multi-session' in out


def test_channel_access_both_ways_with_ipmitool(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        number = c.get_network_channel()
        before = c.get_channel_access(number)
        assert before == {'alerting': True, 'per_msg_auth': True,
                          'user_level_auth': True, 'access_mode': 'always',
                          'privilege_level': 'administrator'}
        # pyghmi 1.6.19's wire effect: each True sets the matching
        # "disabled" bit (migration page), so alerting stays enabled and
        # both authentications are turned off
        assert c.set_channel_access(number, access_update_mode='volatile',
                                    alerting=False, per_msg_auth=True,
                                    user_level_auth=True,
                                    access_mode='shared',
                                    privilege_update_mode='volatile',
                                    privilege_level='operator')
        after = c.get_channel_access(number)
        assert after == {'alerting': True, 'per_msg_auth': False,
                         'user_level_auth': False, 'access_mode': 'shared',
                         'privilege_level': 'operator'}
        assert c.get_channel_access(number, 'non_volatile') == before
    finally:
        c.logout()
    rc, out = _ipmitool(bmc, 'channel', 'info', str(number))
    assert rc == 0, out
    volatile = out.split('Volatile(active) Settings')[1].split(
        'Non-Volatile Settings')[0]
    assert 'Alerting            : enabled' in volatile, out
    assert 'Access Mode         : shared' in volatile, out
    assert 'Per-message Auth    : disabled' in volatile, out
    assert 'User Level Auth     : disabled' in volatile, out
    stored = out.split('Non-Volatile Settings')[1]
    assert 'Per-message Auth    : enabled' in stored, out


def test_update_user_and_hostname(fresh_fakebmc):
    bmc = fresh_fakebmc
    c = peers.connect(bmc)
    try:
        assert c.update_user({'uid': 7, 'username': 'dave',
                              'password': 'davepw',
                              'privilege_level': 'operator',
                              'enabled': 'yes'})
        command.Command(bmc.host, 'dave', 'davepw', port=bmc.port,
                        privlevel=3).logout()
        assert c.update_user({'uid': 7, 'privilege_level': 'no_access'})
        with pytest.raises(exc.IpmiAuthenticationError):
            command.Command(bmc.host, 'dave', 'davepw', port=bmc.port)
        # no vendor host name: the DCMI management controller id, as pyghmi
        c.set_hostname('node-7')
        assert c.get_hostname() == 'node-7'
        rc, out = _ipmitool(bmc, 'dcmi', 'get_mc_id_string')
        assert 'node-7' in out, out
        assert c.get_domain_name() == () and c.get_ntp_enabled() is None
    finally:
        c.logout()
