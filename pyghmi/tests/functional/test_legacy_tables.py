"""pyghmi 1.6.19's module-level tables, beside the released package.

The tables are dumped by the original in its own virtualenv (a separate
interpreter; it is never imported here) and compared with ours: the
same keys with the same values for codes and names, the same keys for
tables whose values are text (which may follow the specification's
wording here).
"""

import pytest

from pyghmi.ipmi import events
from pyghmi.ipmi.private import constants
from pyghmi.ipmi.private import localsession
from pyghmi.tests.functional import peers

DUMP = '''
import json
from pyghmi.ipmi import events
from pyghmi.ipmi.private import constants as c
from pyghmi.ipmi.private import localsession as l
def keys(d):
    return sorted(d)
print(json.dumps({
    'payload_types': c.payload_types, 'netfn_codes': c.netfn_codes,
    'priv_levels': c.priv_levels,
    'rmcp_codes': keys(c.rmcp_codes),
    'sensor_type_codes': keys(c.sensor_type_codes),
    'entity_ids': keys(c.entity_ids),
    'generic_type_offsets': {k: keys(v) for k, v in
                             c.generic_type_offsets.items()},
    'sensor_type_offsets': {k: keys(v) for k, v in
                            c.sensor_type_offsets.items()},
    'offset_keys': keys(c.generic_type_offsets[1][0]),
    'restart_causes': keys(events.restart_causes),
    'slot_types': keys(events.slot_types),
    'ioctls': [l.IPMICTL_SEND_COMMAND, l.IPMICTL_RECV,
               l.IPMICTL_SET_MY_ADDRESS_CMD],
}))
'''


@pytest.fixture(scope='module')
def original():
    return peers.run_json(peers.original_python(), ['-c', DUMP], ours=False)


def _int_keys(table):
    return {int(k): v for k, v in table.items()}


def test_code_tables_are_equal(original):
    assert constants.payload_types == original['payload_types']
    assert constants.netfn_codes == original['netfn_codes']
    assert constants.priv_levels == original['priv_levels']
    assert sorted(constants.rmcp_codes) == original['rmcp_codes']


def test_text_tables_cover_the_originals_codes(original):
    # every code the original names is named here (the spec may add more)
    assert set(original['sensor_type_codes']) - \
        set(constants.sensor_type_codes) <= {0xC6}   # an OEM code of theirs
    assert set(original['entity_ids']) <= set(constants.entity_ids)
    assert set(original['restart_causes']) <= set(events.restart_causes)
    assert set(original['slot_types']) <= set(events.slot_types)


def test_offset_tables_have_the_originals_shape(original):
    assert sorted(constants.generic_type_offsets[1][0]) == \
        original['offset_keys']
    generic = _int_keys(original['generic_type_offsets'])
    assert set(generic) == set(constants.generic_type_offsets)
    for reading_type, offsets in generic.items():
        assert set(offsets) <= set(constants.generic_type_offsets[
            reading_type]), reading_type
    specific = _int_keys(original['sensor_type_offsets'])
    missing = set(specific) - set(constants.sensor_type_offsets)
    assert not missing, missing


def test_in_band_ioctl_numbers_are_the_originals(original):
    # the structure sizes behind them (ipmi_req, ipmi_recv) agree too
    assert original['ioctls'] == [localsession.IPMICTL_SEND_COMMAND,
                                  localsession.IPMICTL_RECEIVE_MSG_TRUNC,
                                  localsession.IPMICTL_SET_MY_ADDRESS_CMD]
