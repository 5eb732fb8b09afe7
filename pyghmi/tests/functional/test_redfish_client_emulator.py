"""The Redfish client against a Redfish service that is not ours:
sushy-tools' emulator (its fake driver), over HTTPS on loopback.  In a
file of its own: the emulator takes seconds to start."""

import pytest

from pyghmi import exceptions as exc
from pyghmi.redfish import command
from pyghmi.tests.functional import peers

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')


@pytest.fixture
def emulator(tmp_path):
    """sushy-tools' Redfish emulator (its fake driver) over HTTPS."""
    import os
    import subprocess
    import sys
    import time

    import requests

    from pyghmi.redfish.service import http
    cert, key = http.self_signed()
    (tmp_path / 'cert.pem').write_bytes(cert)
    (tmp_path / 'key.pem').write_bytes(key)
    port = peers.free_tcp_port()
    program = os.path.join(os.path.dirname(sys.executable),
                           'sushy-emulator')
    proc = subprocess.Popen(
        [program, '--fake', '-i', '127.0.0.1', '-p', str(port),
         '--ssl-certificate', str(tmp_path / 'cert.pem'), '--ssl-key',
         str(tmp_path / 'key.pem')], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)

    def up():
        try:
            return requests.get('https://127.0.0.1:%d/redfish/v1/' % port,
                                verify=False, timeout=2).ok
        except requests.RequestException:
            time.sleep(0.1)
            return False
    try:
        assert peers.poll(up, bool, limit=30)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sushy_tools_emulator_is_driven_and_read(emulator):
    """A service that is not ours: power, boot, health, and sensors from
    Thermal and Power (it has no Sensors collection)."""
    import requests
    systems = requests.get('https://127.0.0.1:%d/redfish/v1/Systems'
                           % emulator, verify=False, timeout=10).json()
    sysurl = systems['Members'][0]['@odata.id']
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=emulator, sysurl=sysurl)
    # its fake driver applies a power change 1 to 11 s after the request
    assert c.set_power('off', wait=True) == {'powerstate': 'off'}
    assert c.set_power('on') == {'pendingpowerstate': 'on'}
    assert peers.poll(lambda: c.get_power()['powerstate'],
                      lambda state: state == 'on', limit=20) == 'on'
    assert c.set_bootdev('optical') == {'bootdev': 'optical'}
    assert c.get_bootdev()['bootdev'] == 'optical'
    assert c.get_health()['health'] == 0
    readings = {r.name: r for r in c.get_sensor_data()}
    temperatures = [r for r in readings.values() if r.units == '°C']
    fans = [r for r in readings.values() if r.units == 'RPM']
    assert temperatures and fans
    assert all(isinstance(r.value, (int, float)) for r in fans)
    described = {d['name']: d['type'] for d in c.get_sensor_descriptions()}
    assert set(described) == set(readings)
    c.logout()


def test_sushy_tools_emulator_identify_and_virtual_media(emulator,
                                                         tmp_path):
    """Its virtual media fetch the image they are given: served here,
    on loopback, from a file the test writes."""
    import functools
    import http.server
    import threading

    import requests
    (tmp_path / 'boot.iso').write_bytes(b'\0' * 4096)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(tmp_path))
    images = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=images.serve_forever, daemon=True).start()
    url = 'http://127.0.0.1:%d/boot.iso' % images.server_address[1]
    systems = requests.get('https://127.0.0.1:%d/redfish/v1/Systems'
                           % emulator, verify=False, timeout=10).json()
    c = command.Command('127.0.0.1', 'admin', 'password', lambda der: True,
                        port=emulator,
                        sysurl=systems['Members'][0]['@odata.id'])
    try:
        c.set_identify(on=True)
        assert c.get_identify() == {'identifystate': 'on'}
        c.set_identify(on=False)
        assert c.get_identify() == {'identifystate': 'off'}
        assert list(c.list_media()) == []
        c.attach_remote_media(url)
        media = [(m.name, m.url) for m in c.list_media()]
        assert media == [('boot.iso', url.rsplit('/', 1)[0])]
        # the CD slot took the .iso (read by another reader)
        slot = requests.get(
            'https://127.0.0.1:%d%s/VirtualMedia/Cd' % (
                emulator, c.sysurl), verify=False, timeout=10).json()
        assert slot['Inserted'] and slot['Image'] == url
        c.detach_remote_media()
        assert list(c.list_media()) == []
        # links it cannot serve: the readable rest, or a clear refusal
        assert dict(c.get_inventory())['System']['UUID']
        with pytest.raises(exc.UnsupportedFunctionality):
            list(c.get_firmware())
    finally:
        c.logout()
        images.shutdown()
