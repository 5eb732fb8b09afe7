"""The fake machine's BIOS setup: attribute checks, pending settings
applied at boot, and the profile's validation."""

import pytest

from pyghmi import exceptions as exc
from pyghmi.fakebmc import bios

SPECS = [
    {'name': 'Mode', 'type': 'Enumeration', 'value': 'UEFI',
     'values': ['UEFI', 'Legacy']},
    {'name': 'HT', 'type': 'Boolean', 'value': True},
    {'name': 'Limit', 'type': 'Integer', 'value': 4, 'min': 1, 'max': 9},
    {'name': 'Tag', 'type': 'String', 'value': '', 'max_length': 3},
    {'name': 'Version', 'type': 'String', 'value': '1', 'read_only': True},
]


@pytest.mark.parametrize('name,value,why', [
    ('Mode', 'Legacy', None), ('Mode', 'Floppy', 'value'),
    ('HT', False, None), ('HT', 'false', 'type'), ('Limit', 9, None),
    ('Limit', 10, 'value'), ('Limit', True, 'type'), ('Tag', 'abc', None),
    ('Tag', 'abcd', 'value'), ('Version', '2', 'read only'),
    ('Nope', 1, 'unknown'),
])
def test_each_attribute_is_checked_against_its_spec(name, value, why):
    assert bios.BiosSetup(SPECS).check(name, value) == why


def test_pending_settings_apply_at_boot_and_survive_in_state():
    setup = bios.BiosSetup(SPECS)
    setup.set_pending({'HT': False})
    assert setup.current['HT'] is True
    saved = setup.to_state()
    again = bios.BiosSetup(SPECS)
    again.load_state(dict(saved, pending=dict(saved['pending'], Gone=1)))
    again.apply()
    assert again.current['HT'] is False and again.pending == {}
    again.defaults()
    again.apply()
    assert again.current['HT'] is True


@pytest.mark.parametrize('profile_bios', [
    [], {'attributes': [{'name': 'X', 'type': 'Float', 'value': 1}]},
    {'attributes': [{'name': 'X', 'type': 'Enumeration', 'value': 'a'}]},
    {'attributes': [{'name': 'X', 'type': 'Integer', 'value': 'a'}]},
])
def test_a_bad_profile_bios_is_refused(profile_bios):
    with pytest.raises(exc.InvalidParameterValue):
        bios.validate(profile_bios)
