"""Every public Command method refuses bad arguments before sending.

Each case calls one method with a wrong type, an out-of-range value or
an oversized string: it must raise InvalidParameterValue naming the
argument, send nothing (the session's packet counter does not move), and
leave the session usable.
"""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers

LONG = 'x' * 64
CASES = [
    ('xraw_command', (0x40, 1), {}, 'netfn'),
    ('xraw_command', (-1, 1), {}, 'netfn'),
    ('xraw_command', ('6', 1), {}, 'netfn'),
    ('xraw_command', (6, 256), {}, 'command'),
    ('xraw_command', (6, 1), {'data': [300]}, 'data'),
    ('xraw_command', (6, 1), {'data': 'abc'}, 'data'),
    ('xraw_command', (6, 1), {'data': [1.5]}, 'data'),
    ('xraw_command', (6, 1), {'bridge_request': {'addr': 999}},
     'bridge_request'),
    ('xraw_command', (6, 1), {'bridge_request': {'addr': 0x82,
                                                 'channel': 16}},
     'bridge_request'),
    ('xraw_command', (6, 1), {'bridge_request': 'x'}, 'bridge_request'),
    ('xraw_command', (6, 1), {'bridge_request': {}}, 'bridge_request'),
    ('xraw_command', (6, 1), {'retry': 'yes'}, 'retry'),
    ('xraw_command', (6, 1), {'rslun': True}, 'rslun'),
    ('xraw_command', (6, 1), {'timeout': '5'}, 'timeout'),
    ('xraw_command', (6, 1), {'timeout': -1}, 'timeout'),
    ('xraw_command', (6, 1), {'rslun': 4}, 'rslun'),
    ('xraw_command', (6, 1), {'delay_xmit': 'soon'}, 'delay_xmit'),
    ('raw_command', (0x40, 1), {}, 'netfn'),
    ('raw_command', (6, 1), {'data': [256]}, 'data'),
    ('set_power', ('sideways',), {}, 'powerstate'),
    ('set_power', (5,), {}, 'powerstate'),
    ('set_power', ('off',), {'wait': 'abc'}, 'wait'),
    ('set_power', ('off',), {'wait': -3}, 'wait'),
    ('set_power', ('off',), {'bridge_request': {'addr': 'x'}},
     'bridge_request'),
    ('get_power', (), {'bridge_request': 7}, 'bridge_request'),
    ('set_bootdev', ('tape',), {}, 'bootdev'),
    ('set_bootdev', (['hd'],), {}, 'bootdev'),
    ('set_bootdev', ('hd',), {'persist': 'yes'}, 'persist'),
    ('set_bootdev', ('hd',), {'uefiboot': 2}, 'uefiboot'),
    ('set_identify', (), {'duration': 'x'}, 'duration'),
    ('set_identify', ('on',), {}, 'on'),
    ('set_identify', (), {'blink': 'no'}, 'blink'),
    ('get_sensor_reading', (12,), {}, 'sensorname'),
    ('get_event_log', (), {'clear': 'yes'}, 'clear'),
    ('get_inventory_of_component', (None,), {}, 'component'),
    ('set_server_capping', (10 ** 6,), {}, 'value'),
    ('set_server_capping', ('300',), {}, 'value'),
    ('set_capping_enabled', ('on',), {}, 'enable'),
    ('set_asset_tag', (123,), {}, 'tag'),
    ('set_asset_tag', (LONG,), {}, 'tag'),
    ('set_mci', (LONG,), {}, 'mci'),
    ('set_sdr_cachedir', (5,), {}, 'path'),
    ('reseat_bay', ('a',), {}, 'bay'),
]


@pytest.fixture(scope='module')
def bmc_command(fakebmc):
    cmd = peers.connect(fakebmc, timeout=0.5)
    yield cmd
    cmd.logout()


@pytest.mark.parametrize('method,args,kwargs,name', CASES,
                         ids=['%s-%s' % (c[0], i) for i, c in
                              enumerate(CASES)])
def test_bad_argument_is_refused_before_sending(bmc_command, method, args,
                                                kwargs, name):
    core = bmc_command.ipmi_session._shared.core
    bmc_command.get_power()          # logged in and idle
    before = core.packets_sent
    with pytest.raises(exc.InvalidParameterValue) as info:
        result = getattr(bmc_command, method)(*args, **kwargs)
        if hasattr(result, '__next__'):
            next(result)
    assert name in str(info.value)
    assert core.packets_sent == before
    assert bmc_command.get_power()['powerstate'] in ('on', 'off')


@pytest.mark.parametrize('kwargs,name', [
    ({'userid': 5}, 'userid'), ({'password': 5}, 'password'),
    ({'password': 'p' * 21}, 'password'), ({'userid': 'u' * 17}, 'userid'),
    ({'port': 'x'}, 'port'), ({'port': 70000}, 'port'),
    ({'timeout': '5'}, 'timeout'), ({'retries': 'many'}, 'retries'),
    ({'cipher': 'best'}, 'cipher'), ({'kg': 42}, 'kg'),
    ({'bmc': 12}, 'bmc'),
])
def test_bad_constructor_arguments(fakebmc, kwargs, name):
    args = dict(bmc='127.0.0.1', userid='admin', password='password',
                port=fakebmc.port)
    args.update(kwargs)
    with pytest.raises(exc.InvalidParameterValue) as info:
        command.Command(**args)
    assert name in str(info.value)
    if name in ('password', 'kg'):
        assert str(kwargs[name]) not in str(info.value)


def test_unencodable_request_fails_alone(bmc_command):
    # Past the facade (a caller driving the session layer directly): the
    # core refuses the request without touching the next one.
    session = bmc_command.ipmi_session
    with pytest.raises(exc.IpmiProtocolError):
        session.request(0x40, 1)
    assert bmc_command.get_power()['powerstate'] in ('on', 'off')
