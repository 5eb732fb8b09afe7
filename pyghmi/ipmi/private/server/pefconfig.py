"""Platform Event Filtering configuration (IPMI v2.0 section 30): the
codecs of Get PEF Capabilities and Get/Set PEF Configuration Parameters,
the alert policy table entry, and the BMC side's parameter store.

Parameters used here (table 30-6): 0 set in progress, 1 PEF control
(bit 0 enable PEF), 2 PEF action global control (bit 0 alert), 3 PEF
startup delay, 4 alert startup delay, 5 number of event filters (read
only), 8 number of alert policy entries (read only), 9 alert policy
table (one entry per set selector, 1-based: policy number bits 7:4,
bit 3 enabled, bits 2:0 policy (0: always send to this destination);
channel bits 7:4 and destination selector bits 3:0; alert string key).
"""

from typing import Any, Dict

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U
from pyghmi.ipmi.private.server import paramstore

CMD_GET_CAPABILITIES = const.CMD_GET_PEF_CAPABILITIES
CMD_SET_CONFIG = const.CMD_SET_PEF_CONFIG
CMD_GET_CONFIG = const.CMD_GET_PEF_CONFIG
PEF_VERSION = 0x51
P_CONTROL, P_ACTION_CONTROL, P_STARTUP_DELAY, P_ALERT_DELAY = 1, 2, 3, 4
P_FILTER_COUNT, P_POLICY_COUNT, P_POLICY = 5, 8, 9
POLICY_ENABLED = 0x08
POLICY_ALWAYS = 0            # always send an alert to this destination
ACTION_ALERT = 0x01          # PEF capabilities: alert action supported

GET_REQUEST = Layout('Get PEF Configuration Parameters request (30.4)', [
    F('revision_only', 0, 7), B('parameter', 0, 0, 7), U('set_selector', 1),
    U('block_selector', 2)], min_length=3)
SET_REQUEST = Layout('Set PEF Configuration Parameters request (30.3)', [
    B('parameter', 0, 0, 7), Raw('data', 1)], min_length=2)
CAPABILITIES = Layout('Get PEF Capabilities response (30.1)', [
    U('version', 0), U('actions', 1), U('filters', 2)], min_length=3)
POLICY_ENTRY = Layout('Alert policy table entry (table 30-9)', [
    U('selector', 0), B('policy_number', 1, 4, 4), F('enabled', 1, 3),
    B('policy', 1, 0, 3), B('channel', 2, 4, 4), B('destination', 2, 0, 4),
    U('string_key', 3)], min_length=4)


def get_request(parameter, selector=0):
    """Request data reading PEF ``parameter`` (block ``selector``)."""
    return GET_REQUEST.encode(parameter=parameter, set_selector=selector)


def set_request(parameter, data):
    """Request data writing ``data`` to PEF ``parameter``."""
    return SET_REQUEST.encode(parameter=parameter, data=bytes(data))


def policy_entry(selector, channel, destination, policy_number=1):
    """An enabled "always send to this destination" policy entry."""
    return POLICY_ENTRY.encode(
        selector=selector, policy_number=policy_number, enabled=True,
        policy=POLICY_ALWAYS, channel=channel, destination=destination,
        string_key=0)


def pef_parameters(policies=15):
    """PEF of a BMC with ``policies`` empty alert policy entries, PEF
    and its alert action enabled, no event filters."""
    values: Dict[Any, bytes] = {
        P_CONTROL: b'\x01', P_ACTION_CONTROL: b'\x01',
        P_STARTUP_DELAY: b'\x00', P_ALERT_DELAY: b'\x00',
        P_FILTER_COUNT: b'\x00', P_POLICY_COUNT: bytes((policies,))}
    for selector in range(1, policies + 1):
        values[(P_POLICY, selector)] = bytes((selector, 0, 0, 0))
    return values


class PefStore(paramstore.ParamStore):
    """A BMC's PEF configuration parameters."""

    SIZES = {paramstore.P_SET_IN_PROGRESS: 1, P_CONTROL: 1,
             P_ACTION_CONTROL: 1, P_STARTUP_DELAY: 1, P_ALERT_DELAY: 1,
             P_POLICY: 4}
    READ_ONLY = (P_FILTER_COUNT, P_POLICY_COUNT)
    SELECTED = (P_POLICY,)
    GET_REQUEST = GET_REQUEST
    SET_REQUEST = SET_REQUEST

    def capabilities(self):
        """Answer Get PEF Capabilities: (code, data)."""
        return const.CC_OK, CAPABILITIES.encode(
            version=PEF_VERSION, actions=ACTION_ALERT,
            filters=self.values[P_FILTER_COUNT][0])
