"""How the facade's flows reach vendor hooks (ipmi/facade/flows.py):
flow hooks run inside the method's flow, plain hooks are called, the
handler is asked of the driver only when a hook is reached, and
STANDARD hands a DCMI method back to its standard flow."""

import pytest

from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.oem import generic


class _Vendor(generic.OEMHandler):
    @flows.hook
    def get_ntp_servers(self):
        rsp = yield flows.Xraw(0x32, 0xA7)
        return [bytes(rsp['data']).decode()]

    @flows.listing_hook
    def get_sensor_descriptions(self):
        rsp = yield flows.Xraw(0x32, 0x01)
        yield {'name': bytes(rsp['data']).decode(), 'type': 'Power'}

    def get_description(self):          # a plain hook, pyghmi's way
        return {'height': 2, 'slot': 0}

    @flows.hook
    def get_oem_capping_enabled(self):
        return flows.STANDARD
        yield   # (a flow)


class _Driver(flows.Blocking):
    """Requests answered with 'ntp1' / 'PSU'; how often the handler
    was asked for is counted."""

    def __init__(self):
        super().__init__(self._xraw, vendor=self._vendor)
        self.sent, self.asked = [], 0

    def _xraw(self, netfn, command, data=b'', **options):
        self.sent.append((netfn, command))
        return {'data': b'ntp1' if command == 0xA7 else b'PSU'}

    def _vendor(self):
        self.asked += 1
        return _Vendor(None, None)


def test_flow_plain_and_listing_hooks():
    driver = _Driver()
    assert driver.run(flows.vendor('get_ntp_servers')) == ['ntp1']
    assert driver.run(flows.vendor('get_description')) == {
        'height': 2, 'slot': 0}
    assert list(driver.iterate(flows.vendor_items(
        'get_sensor_descriptions'))) == [{'name': 'PSU', 'type': 'Power'}]
    # a listing hook answered whole where a call wants its items
    assert driver.run(flows.vendor('get_sensor_descriptions')) == [
        {'name': 'PSU', 'type': 'Power'}]
    assert driver.sent == [(0x32, 0xA7), (0x32, 0x01), (0x32, 0x01)]
    assert driver.asked == 4


def test_standard_and_generic_hooks():
    driver = _Driver()
    # the vendor's hook leaves it to DCMI; a hook the vendor does not
    # override is STANDARD too, without being called
    assert driver.run(flows.vendor_answer('get_oem_capping_enabled')) \
        is flows.STANDARD
    assert driver.run(flows.vendor_answer('get_server_capping')) \
        is flows.STANDARD
    assert driver.sent == []


def test_a_driver_without_a_handler_refuses_to_guess():
    with pytest.raises(TypeError):
        flows.Blocking(lambda *a, **k: None).run(
            flows.vendor('get_ntp_servers'))


def test_a_hook_must_be_a_generator():
    with pytest.raises(TypeError) as info:
        flows.hook(lambda self: None)
    assert 'generator' in str(info.value)
