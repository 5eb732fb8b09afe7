"""DCMI answers of the fake machine.

Profile key ``dcmi`` (absent: the BMC does not do DCMI and answers C1h):
``power`` ({current, minimum, maximum, average} watts), ``asset_tag``,
``mci`` (management controller id string), ``power_limit`` ({limit,
active, exception_action, correction_ms, sampling_s}), ``inlet_sensors``
and ``cpu_sensors`` (sensor names from the profile, reported by Get DCMI
Sensor Info).
"""

import time

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import dcmi


class FakeDcmi:
    """State and handlers; each handler returns ``(code, data)``."""

    def __init__(self, profile, record_ids):
        spec = profile.get('dcmi')
        self.enabled = spec is not None
        spec = spec or {}
        self.power = dict({'current': 0, 'minimum': 0, 'maximum': 0,
                           'average': 0}, **spec.get('power', {}))
        self.strings = {dcmi.GET_ASSET_TAG: spec.get('asset_tag', ''),
                        dcmi.GET_MC_ID: spec.get('mci', '')}
        self.limit = dict({'limit': 0, 'active': False,
                           'exception_action': 0, 'correction_ms': 1000,
                           'sampling_s': 1}, **spec.get('power_limit', {}))
        self.sensors = {
            dcmi.ENTITY_INLET: [record_ids[n] for n in
                                spec.get('inlet_sensors', ())
                                if n in record_ids],
            dcmi.ENTITY_CPU: [record_ids[n] for n in
                              spec.get('cpu_sensors', ()) if n in record_ids]}
        self.started = time.time()

    def handle(self, cmd, data):
        """Dispatch a DCMI command (netfn 2Ch)."""
        if not self.enabled:
            return const.CC_INVALID_COMMAND, b''
        try:
            body = dcmi.strip_group(data)
        except exc.DecodeError:
            # another group extension (PICMG...)
            return const.CC_INVALID_COMMAND, b''
        handler = _HANDLERS.get(cmd)
        if handler is None:
            return const.CC_INVALID_COMMAND, b''
        return handler(self, body)

    def _capabilities(self, body):
        return 0, dcmi.encode_capabilities(True)

    def _reading(self, body):
        p = self.power
        return 0, dcmi.encode_power_reading(
            p['current'], p['minimum'], p['maximum'], p['average'],
            int(time.time()), 60000, True)

    def _get_limit(self, body):
        lim = self.limit
        code = 0 if lim['active'] else dcmi.NO_ACTIVE_LIMIT
        return code, dcmi.encode_power_limit(
            lim['limit'], lim['exception_action'], lim['correction_ms'],
            lim['sampling_s'])

    def _set_limit(self, body):
        try:
            self.limit.update(dcmi.parse_set_power_limit(
                bytes((dcmi.GROUP,)) + body))
        except exc.DecodeError:
            return const.CC_DATA_LENGTH_INVALID, b''
        return 0, bytes((dcmi.GROUP,))

    def _activate(self, body):
        if not body:
            return const.CC_DATA_LENGTH_INVALID, b''
        self.limit['active'] = bool(body[0] & 1)
        return 0, bytes((dcmi.GROUP,))

    def _sensor_info(self, body):
        if len(body) < 4 or body[0] != 0x01:
            return const.CC_INVALID_DATA_FIELD, b''
        ids = self.sensors.get(body[1], [])
        chosen = ids[body[3]:body[3] + 8]
        return 0, bytes((dcmi.GROUP, len(ids), len(chosen))) + b''.join(
            i.to_bytes(2, 'little') for i in chosen)


def _string_getter(cmd):
    """Handler of Get Asset Tag / Get MC ID String for string ``cmd``."""
    def handler(self, body):
        if len(body) < 2 or body[1] > dcmi.CHUNK:
            return const.CC_PARAMETER_OUT_OF_RANGE, b''
        raw = self.strings[cmd].encode('utf-8')
        return 0, bytes((dcmi.GROUP, len(raw))) + \
            raw[body[0]:body[0] + body[1]]
    return handler


def _string_setter(cmd):
    """Handler of Set Asset Tag / Set MC ID String for string ``cmd``."""
    def handler(self, body):
        if len(body) < 2 or len(body) < 2 + body[1]:
            return const.CC_DATA_LENGTH_INVALID, b''
        raw = self.strings[cmd].encode('utf-8')[:body[0]]
        raw += bytes(body[2:2 + body[1]])
        if len(raw) > 63:
            return const.CC_PARAMETER_OUT_OF_RANGE, b''
        self.strings[cmd] = raw.decode('utf-8', 'replace')
        return 0, bytes((dcmi.GROUP, len(raw)))
    return handler


_HANDLERS = {
    dcmi.GET_CAPABILITIES: FakeDcmi._capabilities,
    dcmi.GET_POWER_READING: FakeDcmi._reading,
    dcmi.GET_POWER_LIMIT: FakeDcmi._get_limit,
    dcmi.SET_POWER_LIMIT: FakeDcmi._set_limit,
    dcmi.ACTIVATE_POWER_LIMIT: FakeDcmi._activate,
    dcmi.GET_ASSET_TAG: _string_getter(dcmi.GET_ASSET_TAG),
    dcmi.SET_ASSET_TAG: _string_setter(dcmi.GET_ASSET_TAG),
    dcmi.GET_MC_ID: _string_getter(dcmi.GET_MC_ID),
    dcmi.SET_MC_ID: _string_setter(dcmi.GET_MC_ID),
    dcmi.GET_SENSOR_INFO: FakeDcmi._sensor_info,
}
