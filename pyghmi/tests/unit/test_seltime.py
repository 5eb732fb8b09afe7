"""The SEL timeline corrector, scenario by scenario.

Every expected time below is worked out by hand from the module's rules;
M is the manager's clock, B the BMC's SEL time when the log was read.
"""

import pytest

from pyghmi.ipmi.private import seltime as st
from pyghmi.ipmi.private.seltime import TimeRecord as R

BEFORE, AFTER = st.SYNC_BEFORE, st.SYNC_AFTER
C, V, U = st.CORRECTED, st.VERBATIM, st.UNKNOWN

SCENARIOS = {
    'empty log': ([], 1_700_000_000, 1_700_000_000, []),
    # B is still pre-init (5000 s after start): offset M - B links it.
    'pre-init only, BMC clock still pre-init': (
        [R(1000), R(2000), R(4000)], 5000, 1_700_000_000,
        [(1_699_996_000, C), (1_699_997_000, C), (1_699_999_000, C)]),
    # B is wall clock and no sync pair exists: nothing links the pre-init.
    'pre-init only, never linked': (
        [R(1000), R(2000)], 1_700_000_000, 1_700_000_000,
        [(None, U), (None, U)]),
    # The module docstring's worked example.
    'pre-init then a sync to wall clock': (
        [R(300), R(400, BEFORE), R(1_699_999_900, AFTER),
         R(1_699_999_950)], 1_700_000_000, 1_700_000_100,
        [(1_699_999_900, C), (1_700_000_000, C), (1_700_000_000, C),
         (1_700_000_050, C)]),
    # NTP moved the clock forward by 3600 s; older entries move with it.
    'forward NTP step': (
        [R(1_699_990_000), R(1_699_995_000, BEFORE),
         R(1_699_998_600, AFTER), R(1_700_000_000)],
        1_700_010_000, 1_700_010_000,
        [(1_699_993_600, C), (1_699_998_600, C), (1_699_998_600, C),
         (1_700_000_000, C)]),
    # The clock was 600 s ahead and stepped back: a negative jump.
    'backward step with a pair': (
        [R(1_700_001_000), R(1_700_002_000, BEFORE),
         R(1_700_001_400, AFTER), R(1_700_001_500)],
        1_700_002_000, 1_700_002_000,
        [(1_700_000_400, C), (1_700_001_400, C), (1_700_001_400, C),
         (1_700_001_500, C)]),
    # Pre-init -> wrong wall clock (2020) -> NTP fix; offsets add up:
    # 99,999,800 after the second pair, 1,699,999,600 after the first.
    'several syncs': (
        [R(100), R(200, BEFORE), R(1_600_000_000, AFTER),
         R(1_600_000_100), R(1_600_000_200, BEFORE),
         R(1_700_000_000, AFTER), R(1_700_000_050)],
        1_700_000_100, 1_700_000_100,
        [(1_699_999_700, C), (1_699_999_800, C), (1_699_999_800, C),
         (1_699_999_900, C), (1_700_000_000, C), (1_700_000_000, C),
         (1_700_000_050, C)]),
    # Offset +100; the 3rd record is older than the 2nd's timestamp says.
    'backwards jump without a pair': (
        [R(1_700_000_500), R(1_700_000_600), R(1_700_000_100),
         R(1_700_000_200)], 1_700_000_300, 1_700_000_400,
        [(1_700_000_500, V), (1_700_000_600, V), (1_700_000_200, C),
         (1_700_000_300, C)]),
    # Rebooted into pre-init: the wall-clock record before it is verbatim.
    'BMC reboot into pre-init without a pair': (
        [R(1_700_000_000), R(50), R(80)], 100, 1_700_001_000,
        [(1_700_000_000, V), (1_700_000_950, C), (1_700_000_980, C)]),
    # Rebooted and restarted the pre-init count: the old count is unknown.
    'reboot restarting the pre-init count': (
        [R(5000), R(6000), R(30)], 60, 1_700_000_000,
        [(None, U), (None, U), (1_699_999_970, C)]),
    '0xFFFFFFFF entries': (
        [R(1_700_000_000), R(0xFFFFFFFF), R(1_700_000_010)],
        1_700_000_020, 1_700_000_020,
        [(1_700_000_000, C), (None, U), (1_700_000_010, C)]),
    'OEM records without timestamps': (
        [R(1_700_000_000), R(None), R(None), R(1_700_000_010)],
        1_700_000_020, 1_700_000_030,
        [(1_700_000_010, C), (None, U), (None, U), (1_700_000_020, C)]),
    # A second half with no first: the jump is unknown, older is verbatim.
    'sync second half without its first': (
        [R(1_700_000_000), R(1_700_000_100, AFTER), R(1_700_000_200)],
        1_700_000_300, 1_700_000_300,
        [(1_700_000_000, V), (1_700_000_100, C), (1_700_000_200, C)]),
    # Corruption under a pre-init segment: pre-init values get no time.
    'corruption then pre-init values are unknown': (
        [R(7000), R(1_700_000_500), R(1_700_000_100)],
        1_700_000_100, 1_700_000_100,
        [(None, U), (1_700_000_500, V), (1_700_000_100, C)]),
}


@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_scenario(name):
    records, bmc_now, manager_now, expected = SCENARIOS[name]
    assert st.correct_timeline(records, bmc_now, manager_now) == expected
