"""The Redfish client (pyghmi.redfish.command) against fakebmc's Redfish
side, beside pyghmi 1.6.19's own (in its virtualenv): the same calls
give the same result shapes; the connection is pooled and pinned, the
cache follows the client's writes, and the session is logged out."""

import datetime
import hashlib

import pytest

from pyghmi import exceptions as exc
from pyghmi.redfish import command
from pyghmi.tests.functional import peers

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')

_CALLS = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=int(sys.argv[1]))
out = []
def record(name, call):
    try:
        value = call()
    except Exception as err:
        value = {'raised': type(err).__name__}
    if isinstance(value, dict) and 'badreadings' in value:
        value = dict(value, badreadings=[vars(r) for r in
                                         value['badreadings']])
    out.append([name, value])
record('get_power', c.get_power)
record('set_power off', lambda: c.set_power('off'))
record('set_power on wait', lambda: c.set_power('on', wait=True))
record('set_power on again', lambda: c.set_power('on'))
record('set_power boot', lambda: c.set_power('boot'))
record('set_power bad', lambda: c.set_power('sideways'))
record('set_bootdev network', lambda: c.set_bootdev('network'))
record('set_bootdev hd persist uefi',
       lambda: c.set_bootdev('hd', persist=True, uefiboot=True))
record('set_bootdev bad', lambda: c.set_bootdev('toaster'))
record('get_identify', c.get_identify)
record('set_identify', lambda: c.set_identify(on=True))
record('set_identify off', lambda: c.set_identify(on=False))
record('get_health', c.get_health)
record('sensor descriptions', lambda: list(c.get_sensor_descriptions()))
record('sensor data', lambda: [vars(r) for r in c.get_sensor_data()])
record('sensor Fan1', lambda: vars(c.get_sensor_reading('Fan1')))
record('sensor missing', lambda: c.get_sensor_reading('No such'))
record('event log', lambda: list(c.get_event_log()))
record('firmware', lambda: list(c.get_firmware()))
record('users', c.get_users)
record('net configuration', c.get_net_configuration)
record('ntp before', lambda: [c.get_ntp_enabled(), list(c.get_ntp_servers())])
record('ntp set', lambda: [c.set_ntp_server('192.0.2.1'),
                           c.set_ntp_server('192.0.2.2', 5),
                           c.set_ntp_server('192.0.2.1'),
                           c.set_ntp_enabled(True)])
record('ntp after', lambda: [c.get_ntp_enabled(), list(c.get_ntp_servers())])
record('ntp reset', lambda: [c.set_ntp_server('', 1),
                             c.set_ntp_server('', 0),
                             c.set_ntp_enabled(False)])
print(json.dumps(out, default=repr))
'''

_BOOTDEV = r'''
import json, sys
from pyghmi.redfish import command
c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                    port=int(sys.argv[1]))
print(json.dumps(c.get_bootdev()))
'''


@pytest.fixture
def bmc():
    with peers.redfish_fakebmc() as proc:
        yield proc


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def _run(bmc, script, ours):
    python = peers.sys.executable if ours else peers.original_python()
    return peers.run_json(python, ['-c', script, str(bmc.https_port)], ours)


def test_each_call_has_the_originals_result_shape(bmc):
    theirs = _run(bmc, _CALLS, ours=False)
    ours = _run(bmc, _CALLS, ours=True)
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    for (name, mine), (_, original) in zip(ours, theirs):
        assert _shape(mine) == _shape(original), name
        if name in ('get_power', 'set_power off', 'set_power on wait',
                    'set_power on again', 'set_power bad',
                    'set_bootdev network', 'set_bootdev bad',
                    'get_identify', 'get_health', 'sensor descriptions',
                    'sensor data', 'sensor Fan1', 'firmware', 'users',
                    'net configuration', 'ntp before', 'ntp set',
                    'ntp after', 'ntp reset'):
            assert mine == original, name
    # the same events; the times may differ by the "clock skew" the
    # original adds: it reads the BMC's DateTime from a manager resource
    # it caches for 30 s, so under load that DateTime is seconds old
    mine = dict(ours)['event log']
    original = dict(theirs)['event log']
    assert [(e['log_id'], e['message'], e['severity']) for e in mine] == \
        [(e['log_id'], e['message'], e['severity']) for e in original]
    assert len(mine) > 5
    for mine_one, original_one in zip(mine, original):
        if not original_one['timestamp']:      # a record with no time
            assert mine_one['timestamp'] == ''
            continue
        gap = abs(datetime.datetime.fromisoformat(mine_one['timestamp']) -
                  datetime.datetime.fromisoformat(original_one['timestamp']))
        assert gap <= datetime.timedelta(seconds=30)
    # both left the boot override as the last set_bootdev asked
    for ours_too in (False, True):
        assert _run(bmc, _BOOTDEV, ours_too) == {
            'bootdev': 'hd', 'persistent': True, 'uefimode': True}


def test_one_pinned_connection_serves_many_calls(bmc):
    pinned = []

    def pin(der):
        pinned.append(der)
        return 'sha256$' + hashlib.sha256(der).hexdigest() == \
            bmc.fingerprint
    c = command.Command('127.0.0.1', 'admin', 'password', pin,
                        port=bmc.https_port)
    for _ in range(20):
        c.get_power()
    assert c.transport.connections == 1 and len(pinned) == 1
    c.logout()
    with pytest.raises(exc.UnrecognizedCertificate):
        command.Command('127.0.0.1', 'admin', 'password',
                        lambda der: False, port=bmc.https_port)


def test_a_read_after_a_write_sees_the_write(bmc):
    """pyghmi 1.6.19 kept reading the old device for 30 s after its own
    set_bootdev; here the write drops the cached system."""
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=bmc.https_port)
    assert c.get_bootdev()['bootdev'] == 'default'
    c.set_bootdev('optical')
    assert c.get_bootdev() == {'bootdev': 'optical', 'persistent': False,
                               'uefimode': True}
    c.set_bootdev('default')
    assert c.get_bootdev() == {'bootdev': 'default', 'persistent': True}
    c.logout()


def test_sensor_data_reuses_a_bounded_pool(bmc):
    """pyghmi 1.6.19 opened a TCP and TLS connection per request: one
    for each sensor read.  Here the readings are read in parallel
    through the bounded pool, whose connections are kept for the next
    calls."""
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=bmc.https_port)
    readings = list(c.get_sensor_data())
    assert len(readings) >= 15
    opened = c.transport.connections
    assert 1 <= opened <= c.transport.maxsize == 4
    assert len(list(c.get_sensor_data())) == len(readings)
    assert c.transport.connections == opened
    fan = c.get_sensor_reading('Fan1')
    assert (fan.value, fan.units, fan.unavailable) == (5400, 'RPM', False)
    with pytest.raises(exc.InvalidParameterValue):
        c.get_sensor_reading('No such sensor')
    c.logout()


def test_event_log_clear_reads_then_empties_the_sel(bmc):
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=bmc.https_port)
    events = list(c.get_event_log(clear=True))
    assert events and all(e['log_id'] == 'SEL' for e in events)
    assert list(c.get_event_log()) == []
    c.logout()


def test_logout_ends_the_session_on_the_bmc(bmc):
    import requests
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=bmc.https_port)

    def sessions():
        return requests.get(
            bmc.url + '/redfish/v1/SessionService/Sessions',
            auth=('admin', 'password'), verify=False,
            timeout=30).json()['Members@odata.count']
    assert sessions() == 1
    c.logout()
    assert sessions() == 0
    c.logout()                      # twice is harmless


def test_a_wrong_password_is_a_clear_error(bmc):
    with pytest.raises(exc.PyghmiException) as caught:
        c = command.Command('127.0.0.1', 'admin', 'wrong', lambda der: True,
                            port=bmc.https_port)
        c.get_power()
    assert 'wrong' not in str(caught.value)
    with pytest.raises(exc.InvalidParameterValue):
        command.Command('127.0.0.1', 'admin', 'password', None, port=0)
