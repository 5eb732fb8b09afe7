"""The registry's privilege column beside OpenIPMI's ipmi_sim.

ipmi_sim enforces a privilege per command.  Logged in at user and then
at operator privilege, every registered command that needs more than
that level must be refused with 0xD4 (insufficient privilege), and every
one the level suffices for must not be (ipmi_sim may still refuse it for
another reason: not implemented, no data); commands ipmi_sim does not
implement (0xC1) say nothing.  The requests carry no data and
destructive commands are only sent where they must be refused.  Where
ipmi_sim asks more than the specification, the case is listed with the
evidence.
"""

import pytest

from pyghmi.ipmi import command
from pyghmi.ipmi.private import constants as const
from pyghmi.tests.functional import peers

# Commands ipmi_sim (OpenIPMI 2.0) guards more strictly than the
# specification's Appendix G (user level), with the level it asks;
# OpenBMC's ipmid registers Send Message at user level too.
SIM_STRICTER = {
    (const.NETFN_APP, const.CMD_SEND_MESSAGE): const.PRIV_OPERATOR,
    (const.NETFN_APP, 0x59): const.PRIV_ADMINISTRATOR,   # System Info
    (const.NETFN_STORAGE, 0x5C): const.PRIV_ADMINISTRATOR,  # UTC offset
}
# Never sent where they would be carried out.
DESTRUCTIVE = {(0, 0x02), (0, 0x03), (0, 0x06), (6, 0x02), (6, 0x03),
               (6, 0x22), (6, 0x24), (6, 0x3B), (6, 0x3C), (6, 0x48),
               (6, 0x49), (4, 0x02), (10, 0x44), (10, 0x46), (10, 0x47),
               (10, 0x49), (10, 0x12)}
LEVELS = {'viewer': ('viewpass', const.PRIV_USER),
          'operator': ('oppass', const.PRIV_OPERATOR)}


@pytest.fixture(scope='module')
def answers():
    """(netfn, cmd) -> {level: completion code} from one ipmi_sim."""
    found = {}
    with peers.IpmiSim(chassis_control=False) as sim:
        for user, (password, level) in LEVELS.items():
            cmd = command.Command(sim.host, user, password, port=sim.port,
                                  privlevel=level)
            try:
                for entry in const.COMMANDS:
                    key = (entry.netfn, entry.cmd)
                    if not entry.privilege or \
                            entry.netfn == const.NETFN_GROUP_EXTENSION:
                        continue
                    if key in DESTRUCTIVE and entry.privilege <= level:
                        continue
                    found.setdefault(key, {})[level] = cmd.raw_command(
                        entry.netfn, entry.cmd)['code']
            finally:
                cmd.logout()
    return found


def test_commands_above_a_level_are_refused_at_it(answers):
    wrong, refused = [], 0
    for (netfn, cmd), codes in answers.items():
        entry = const.COMMAND_BY_NUMBER[netfn, cmd]
        for level, code in codes.items():
            if entry.privilege > level:
                refused += 1
                if code != const.CC_INSUFFICIENT_PRIVILEGE:
                    wrong.append('%s at %d: 0x%02X' % (entry.name, level,
                                                       code))
    assert wrong == []
    assert refused > 25


def test_commands_a_level_suffices_for_are_not_refused_for_privilege(
        answers):
    wrong, allowed = [], 0
    for key, codes in answers.items():
        entry = const.COMMAND_BY_NUMBER[key]
        for level, code in codes.items():
            if entry.privilege <= level and code != const.CC_INVALID_COMMAND:
                allowed += 1
                refused = code == const.CC_INSUFFICIENT_PRIVILEGE
                if refused != (level < SIM_STRICTER.get(key, 0)):
                    wrong.append('%s at %d: 0x%02X' % (entry.name, level,
                                                       code))
    assert wrong == []
    assert allowed > 30
