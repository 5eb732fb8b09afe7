"""set_channel_access beside pyghmi 1.6.19: the same stored bytes.

The same program runs with this package and with the original (its own
virtualenv, a separate interpreter): for each argument combination it
first writes a known channel access state with a raw request, then
calls ``set_channel_access`` and reads the stored non-volatile and
volatile bytes back with raw Get Channel Access requests.  Both runs
must leave every byte the same, or both be refused, on fakebmc and on
OpenIPMI's ipmi_sim.  ipmitool then reads, independently, what the
default call left: alerting, per-message and user-level authentication
enabled, as the original always left them.
"""

import json
import subprocess
import sys

import pytest

from pyghmi import exceptions as exc
from pyghmi.tests.functional import peers


# Argument combinations a caller of the original can pass (keyword
# arguments of set_channel_access; channel 1 is the LAN channel of both
# BMCs, None lets each package find it).
CASES = [
    {},
    {'channel': None},
    {'alerting': False, 'per_msg_auth': False, 'user_level_auth': False},
    {'alerting': True, 'per_msg_auth': True, 'user_level_auth': True},
    {'alerting': True},
    {'per_msg_auth': True},
    {'user_level_auth': True},
    {'access_mode': 'disabled'},
    {'access_mode': 'pre_boot'},
    {'access_mode': 'shared'},
    {'access_update_mode': 'volatile'},
    {'access_update_mode': 'dont_change', 'alerting': True},
    {'privilege_update_mode': 'volatile', 'privilege_level': 'operator'},
    {'privilege_update_mode': 'dont_change', 'privilege_level': 'user'},
    {'privilege_level': 'callback'},
    {'privilege_level': 'user'},
    {'privilege_level': 'proprietary'},
    {'access_update_mode': 'volatile', 'privilege_update_mode': 'volatile',
     'alerting': 1, 'user_level_auth': 0, 'access_mode': 'always'},
]
# Before each case: both sets to "always, everything enabled,
# administrator" (22.22), so that a dont_change case shows what it kept.
BASELINE = [(1, 0x42, 0x44), (1, 0x82, 0x84)]

PROGRAM = r'''
import json, sys
from pyghmi.ipmi import command
port, cases, baseline = int(sys.argv[1]), json.loads(sys.argv[2]), \
    json.loads(sys.argv[3])
cmd = command.Command('127.0.0.1', 'admin', 'password', port=port)
out = []
for kwargs in cases:
    kwargs = dict(kwargs)
    if 'channel' not in kwargs:
        kwargs['channel'] = 1
    for data in baseline:
        cmd.xraw_command(6, 0x40, data=data)
    try:
        cmd.set_channel_access(**kwargs)
        result = 'ok'
    except Exception as err:
        result = 'refused'
    stored = [list(cmd.xraw_command(6, 0x41, data=(1, mode))['data'])
              for mode in (0x40, 0x80)]
    out.append([result, stored])
cmd.ipmi_session.logout()
print(json.dumps(out))
'''


def _run(python, port, ours):
    return peers.run_json(python, ['-c', PROGRAM, str(port),
                                   json.dumps(CASES), json.dumps(BASELINE)],
                          ours)


def _compare(port):
    theirs = _run(peers.original_python(), port, False)
    ours = _run(sys.executable, port, True)
    differ = ['%r: here %r, original %r' % (case, a, b)
              for case, a, b in zip(CASES, ours, theirs) if a != b]
    assert differ == []
    return ours


def test_fakebmc_keeps_the_bytes_the_original_leaves():
    with peers.FakeBmcProcess() as bmc:
        results = _compare(bmc.port)
        # The figure: the default call leaves non-volatile access
        # byte 02h (always available, nothing disabled), not 3Ah.
        assert results[0] == ['ok', [[0x02, 0x04], [0x02, 0x04]]]
        assert results[3][1][0][0] == 0x3A      # all three True: disabled
        out = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
             str(bmc.port), '-U', 'admin', '-P', 'password', '-C', '3',
             'channel', 'info', '1'], capture_output=True, text=True,
            timeout=30)
    # the last case left the volatile set with alerting disabled and
    # the non-volatile one as the baseline
    text = out.stdout
    assert out.returncode == 0, out.stderr
    volatile, non_volatile = text.split('Non-Volatile Settings')
    assert 'Alerting            : disabled' in volatile, text
    assert 'Alerting            : enabled' in non_volatile, text
    assert 'Per-message Auth    : enabled' in non_volatile, text
    assert 'User Level Auth     : enabled' in non_volatile, text


def test_ipmi_sim_keeps_the_bytes_the_original_leaves(ipmisim):
    results = _compare(ipmisim.port)
    # ipmi_sim takes the default call (it refused the "disabled" bits
    # this package once wrote for it with 83h)
    assert results[0][0] == 'ok'
    assert any(result == 'ok' for result, _stored in results[1:])


def test_ipmi_sim_refusal_names_the_commands_own_code(ipmisim):
    """ipmi_sim refuses an access mode it does not support with 83h, a
    code of Set Channel Access's own (22.22): the error says so."""
    cmd = peers.connect(ipmisim)
    try:
        with pytest.raises(exc.IpmiException) as info:
            cmd.set_channel_access(channel=1, access_mode='disabled')
        assert info.value.ipmicode == 0x83
        assert str(info.value).endswith('Access mode not supported'), \
            str(info.value)
    finally:
        cmd.ipmi_session.logout()


def test_bridged_refusal_names_send_message(fakebmc):
    """fakebmc answers a Send Message to an empty IPMB address with 83h
    (NAK on write, 22.7); the bridged request's error names Send
    Message, through both raw calls."""
    cmd = peers.connect(fakebmc)
    bridge = {'addr': 0x72, 'channel': 0}
    try:
        with pytest.raises(exc.IpmiException) as info:
            cmd.xraw_command(6, 1, bridge_request=bridge)
        assert info.value.ipmicode == 0x83
        assert 'Send Message (bridging the request): NAK on write' in \
            str(info.value)
        result = cmd.raw_command(6, 1, bridge_request=bridge)
        assert result['code'] == 0x83
        assert result['error'] == \
            'Send Message (bridging the request): NAK on write'
    finally:
        cmd.ipmi_session.logout()
