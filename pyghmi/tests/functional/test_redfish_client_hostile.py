"""The Redfish client against a broken or hostile HTTPS server: every
failure is a documented pyghmi exception, within the time-out, never a
KeyError/TypeError/IndexError or a hang; secrets stay out of errors."""

import hashlib
import inspect
import ssl
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.redfish import command
from pyghmi.tests.functional import peers
from pyghmi.tests.support import hostile_https
from pyghmi.tests.support.hostile_https import Answer

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')

PASSWORD = 'sekrit-Pa55'
DOCUMENTED = (exc.PyghmiException, exc.UnrecognizedCertificate)


def _client(server, **kwargs):
    return command.Command('127.0.0.1', 'admin', PASSWORD, lambda der: True,
                           port=server.port, **kwargs)


def _no_argument_calls():
    """The public methods that need no argument (each one a read or a
    harmless write of nothing)."""
    out = []
    for name in dir(command.Command):
        method = getattr(command.Command, name)
        if name.startswith('_') or not callable(method) or name in (
                'logout', 'reset_bmc', 'clear_bmc_configuration',
                'clear_system_configuration', 'detach_remote_media'):
            continue
        parameters = list(inspect.signature(method).parameters.values())[1:]
        if all(p.default is not p.empty for p in parameters):
            out.append(name)
    return out


def _call(c, name):
    value = getattr(c, name)()
    if hasattr(value, '__next__'):
        value = list(value)
    return value


def test_a_server_that_is_not_redfish():
    routes = {'/redfish/v1/': Answer(b'<html>Welcome</html>')}
    with hostile_https.HostileServer(routes) as server:
        with pytest.raises(exc.DecodeError):
            _client(server)
        routes['/redfish/v1/'] = Answer({'Name': 'not a service root'})
        with pytest.raises(exc.PyghmiException) as caught:
            _client(server)
        assert 'Redfish not ready' in str(caught.value)
        del routes['/redfish/v1/']
        with pytest.raises(exc.PyghmiException) as caught:
            _client(server)
        assert '404' in str(caught.value)


def test_wrong_types_everywhere_give_documented_errors_only():
    routes = hostile_https.minimal_service()
    weird = {'@odata.id': '/redfish/v1/Systems/1', 'Id': ['1'],
             'PowerState': 5, 'Boot': [], 'Status': 'bad', 'Links': {
                 'ManagedBy': [{'@odata.id': '/redfish/v1/Managers/1'}],
                 'Chassis': 'x'},
             'Processors': 7, 'Memory': {'@odata.id': 12},
             'PCIeDevices': {'a': 1}, 'IndicatorLED': ['x'],
             'EthernetInterfaces': {'@odata.id': '/redfish/v1/Bad'},
             'Bios': {'@odata.id': '/redfish/v1/Bad'},
             'VirtualMedia': {'@odata.id': '/redfish/v1/Bad'},
             'ProcessorSummary': 'x', 'MemorySummary': {'Status': 3}}
    routes['/redfish/v1/Systems/1'] = Answer(weird)
    routes['/redfish/v1/Managers/1'] = Answer({
        '@odata.id': '/redfish/v1/Managers/1', 'DateTime': 17,
        'LogServices': {'@odata.id': '/redfish/v1/Bad'},
        'EthernetInterfaces': {'@odata.id': '/redfish/v1/Bad'},
        'NetworkProtocol': {'@odata.id': '/redfish/v1/Bad'},
        'Actions': []})
    routes['/redfish/v1/Bad'] = Answer({'Members': [
        3, None, 'x', {'@odata.id': 5}, {'@odata.id': '/redfish/v1/Bad2'},
        {'Name': ['x'], 'Status': 'x', 'Id': {}}],
        'Attributes': [], 'NTP': 'x', 'IPv4Addresses': {'Address': 1}})
    routes['/redfish/v1/Bad2'] = Answer([1, 2, 3])
    calls = _no_argument_calls()
    assert len(calls) > 30
    with hostile_https.HostileServer(routes) as server:
        c = _client(server)
        outcomes = {}
        for name in calls:
            try:
                _call(c, name)
                outcomes[name] = 'value'
            except DOCUMENTED as err:
                outcomes[name] = type(err).__name__
                assert PASSWORD not in str(err)
        c.logout()
    # not all of them fail: a forgiving reader still reads what it can
    assert 'value' in outcomes.values()
    assert outcomes['get_power'] == 'PyghmiException'


def test_truncated_and_cut_bodies():
    routes = hostile_https.minimal_service()
    with hostile_https.HostileServer(routes) as server:
        c = _client(server, timeout=5)
        routes['/redfish/v1/Systems/1'] = Answer(b'{"PowerState": "O')
        with pytest.raises(exc.DecodeError):
            c.get_power()
        # a body shorter than its Content-Length, then the end
        routes['/redfish/v1/Systems/1'] = Answer(b'{"PowerState": "On"}',
                                                 length=400)
        start = time.monotonic()
        with pytest.raises(exc.PyghmiException):
            c.get_power()
        assert time.monotonic() - start < 6
        routes['/redfish/v1/Systems/1'] = Answer(
            {'PowerState': 'Off', 'Id': '1'})
        assert c.get_power() == {'powerstate': 'off'}   # and recovers


def test_errors_of_the_service():
    routes = hostile_https.minimal_service()
    with hostile_https.HostileServer(routes) as server:
        c = _client(server)
        routes['/redfish/v1/Systems/1'] = Answer(b'<h1>oops</h1>',
                                                 status=500)
        with pytest.raises(exc.PyghmiException) as caught:
            c.get_power()
        assert 'HTTP 500' in str(caught.value)
        routes['/redfish/v1/Systems/1'] = Answer({'error': {
            'code': 'Base.1.8.GeneralError', '@Message.ExtendedInfo': [{
                'MessageId': 'Base.1.8.InternalError',
                'Message': 'The service hit an internal error.'}]}},
            status=500)
        with pytest.raises(exc.RedfishError) as caught:
            c.get_power()
        assert caught.value.msgid == 'Base.1.8.InternalError'
        assert 'internal error' in str(caught.value)


def test_a_redirect_elsewhere_is_not_followed():
    routes = hostile_https.minimal_service()
    routes['/redfish/v1/Systems/1'] = Answer(
        b'', status=302,
        headers={'Location': 'https://192.0.2.1/redfish/v1/Systems/1'})
    with hostile_https.HostileServer(routes) as server:
        with pytest.raises(exc.PyghmiException) as caught:
            _client(server)
        assert '302' in str(caught.value)


def test_a_slow_body_times_out_in_bound():
    routes = hostile_https.minimal_service()
    with hostile_https.HostileServer(routes) as server:
        c = _client(server, timeout=2)
        routes['/redfish/v1/Systems/1'] = Answer(
            {'PowerState': 'On', 'Padding': 'x' * 64}, trickle=0.2)
        start = time.monotonic()
        with pytest.raises(exc.IpmiTimeoutError):
            c.get_power()
        assert time.monotonic() - start < 4


def test_a_different_certificate_is_refused():
    from pyghmi.redfish.service import http
    other_pem, _ = http.self_signed()
    other = ssl.PEM_cert_to_DER_cert(other_pem.decode('ascii'))
    pin = 'sha256$' + hashlib.sha256(other).hexdigest()

    def verify(der):
        return 'sha256$' + hashlib.sha256(der).hexdigest() == pin
    with hostile_https.HostileServer(hostile_https.minimal_service()) as \
            server:
        with pytest.raises(exc.UnrecognizedCertificate):
            command.Command('127.0.0.1', 'admin', PASSWORD, verify,
                            port=server.port)
        # no callback: the system's CAs, which do not know it
        with pytest.raises(exc.PyghmiException) as caught:
            command.Command('127.0.0.1', 'admin', PASSWORD, None,
                            port=server.port)
        assert PASSWORD not in repr(caught.value)
        assert server.requests == []       # nothing was sent


def test_nothing_listening_fails_at_once():
    port = peers.free_tcp_port()
    start = time.monotonic()
    with pytest.raises(exc.PyghmiException):
        command.Command('127.0.0.1', 'admin', PASSWORD, lambda der: True,
                        port=port, timeout=5)
    assert time.monotonic() - start < 5
    for bad in (0, True, 'x', float('nan'), -1, 10000):
        with pytest.raises(exc.InvalidParameterValue):
            command.Command('127.0.0.1', 'admin', PASSWORD, None, port=443,
                            timeout=bad)


def test_secrets_stay_out_of_repr():
    with hostile_https.HostileServer(hostile_https.minimal_service()) as \
            server:
        c = _client(server)
        for text in (repr(c), repr(c.oem), repr(c.oem.conn),
                     repr(c.transport)):
            assert PASSWORD not in text and 'Basic' not in text
        c.logout()
