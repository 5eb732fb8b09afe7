#!/usr/bin/env python3
"""Make one Command call against a BMC and print the shape of its result.

Run by ``compare_shapes.py`` with each package's own interpreter, from a
directory where only that package is importable::

    python shape_worker.py PORT CALL

Prints JSON: the shape of the result (dict keys and value types, list
element shapes merged, attributes of result objects), or
``{"raises": "ExceptionName"}``; for the calls of ``VALUE_CALLS``,
``{"values": ...}``, the result itself.
"""

import json
import sys
import types


def _sensor_name(cmd):
    return next(iter(cmd.get_sensor_descriptions()))['name']


def _component(cmd):
    return next(iter(cmd.get_inventory_descriptions()))


CALLS = {
    'get_power': lambda c: c.get_power(),
    'set_power_on': lambda c: c.set_power('on'),
    'get_bootdev_none': lambda c: (c.set_bootdev('default'),
                                   c.get_bootdev())[1],
    'set_bootdev': lambda c: c.set_bootdev('network', persist=True),
    'get_bootdev_set': lambda c: (c.set_bootdev('hd', persist=True),
                                  c.get_bootdev())[1],
    'set_identify': lambda c: c.set_identify(on=False),
    'raw_command': lambda c: c.raw_command(6, 1),
    'raw_command_error': lambda c: c.raw_command(0x30, 0x99),
    'xraw_command': lambda c: c.xraw_command(6, 1),
    'get_health': lambda c: c.get_health(),
    'get_sensor_data': lambda c: list(c.get_sensor_data()),
    'get_sensor_descriptions': lambda c: list(c.get_sensor_descriptions()),
    'get_sensor_reading': lambda c: c.get_sensor_reading(_sensor_name(c)),
    'init_sdr': lambda c: c.init_sdr(),
    'get_event_log': lambda c: list(c.get_event_log()),
    'get_inventory': lambda c: dict(c.get_inventory()),
    'get_inventory_descriptions':
        lambda c: list(c.get_inventory_descriptions()),
    'get_inventory_of_component':
        lambda c: c.get_inventory_of_component(_component(c)),
    'get_system_power_watts': lambda c: c.get_system_power_watts(),
    'get_inlet_temperature': lambda c: c.get_inlet_temperature(),
    'get_average_processor_temperature':
        lambda c: c.get_average_processor_temperature(),
    'get_mci': lambda c: c.get_mci(),
    'get_asset_tag': lambda c: c.get_asset_tag(),
    'get_description': lambda c: c.get_description(),
    'get_firmware': lambda c: list(c.get_firmware()),
    'get_users': lambda c: c.get_users(),
    'get_user_access': lambda c: c.get_user_access(2),
    'get_network_channel': lambda c: c.get_network_channel(),
    'get_channel_access': lambda c: c.get_channel_access(),
}
# The methods pyghmi hands to its OEM handler, on a BMC without one.
OEM_CALLS = {
    'get_leds': lambda c: c.get_leds(),
    'get_licenses': lambda c: c.get_licenses(),
    'get_update_status': lambda c: c.get_update_status(),
    'get_storage_configuration': lambda c: c.get_storage_configuration(),
    'check_storage_configuration':
        lambda c: c.check_storage_configuration(),
    'list_media': lambda c: c.list_media(),
    'detach_remote_media': lambda c: c.detach_remote_media(),
    'get_system_configuration': lambda c: c.get_system_configuration(),
    'get_bmc_configuration': lambda c: c.get_bmc_configuration(),
    'clear_bmc_configuration': lambda c: c.clear_bmc_configuration(),
    'clear_system_configuration':
        lambda c: c.clear_system_configuration(),
    'get_graphical_console': lambda c: c.get_graphical_console(),
    'get_ikvm_methods': lambda c: c.get_ikvm_methods(),
    'get_ikvm_launchdata': lambda c: c.get_ikvm_launchdata(),
    'get_remote_kvm_available': lambda c: c.get_remote_kvm_available(),
    'get_screenshot': lambda c: c.get_screenshot('/nonexistent/shot.png'),
    'set_extended_privilleges': lambda c: c.set_extended_privilleges(2),
    'get_event_constants': lambda c: type(c.get_event_constants()).__name__,
    'get_video_launchdata': lambda c: c.get_video_launchdata(),
    'get_capping_enabled': lambda c: c.get_capping_enabled(),
    'get_server_capping': lambda c: c.get_server_capping(),
    'get_hostname': lambda c: c.get_hostname(),
    'get_domain_name': lambda c: c.get_domain_name(),
    'get_ntp_enabled': lambda c: c.get_ntp_enabled(),
    'get_ntp_servers': lambda c: c.get_ntp_servers(),
    'set_ntp_server': lambda c: c.set_ntp_server('192.0.2.123'),
    'get_alert_community': lambda c: c.get_alert_community(),
}
CALLS.update({'oem_' + k: v for k, v in OEM_CALLS.items()})
SCALARS = (bool, int, float, str, bytes, bytearray, memoryview, type(None))
# Attributes of SDR records whose values both packages must agree on
# (pyghmi 1.6.19's SDREntry names).
SDR_ATTRIBUTES = (
    'sensor_name', 'sensor_number', 'sensor_owner', 'sensor_lun',
    'sensor_type', 'sensor_type_number', 'reading_type', 'entity',
    'readable', 'has_thresholds', 'numeric_format', 'linearization',
    'baseunit', 'modunit', 'unit_mod', 'percent', 'unit_suffix', 'm',
    'b', 'tolerance', 'resultexponent', 'rectype', 'sdrtype')


_ABSENT = object()


def _attributes(obj, names):
    # an object's attributes; '__object__' lets the comparison accept
    # attributes that only this package's object has
    values = {name: getattr(obj, name, _ABSENT) for name in names}
    values = {k: v for k, v in values.items() if v is not _ABSENT}
    values['__object__'] = True
    return values


def _sdr_values(cmd):
    sensors = cmd.init_sdr().sensors
    return {key: _attributes(rec, SDR_ATTRIBUTES)
            for key, rec in sensors.items()}


# Records as bytes, decoded by each package's sdr.SDREntry: IPMI table
# 43-1 worked example (CPU, M=2, B=-20), a compact power sensor of type
# 0Bh, an event-only record, a DIMM FRU locator, a fan (M=60).
SDR_VECTORS = (
    '010051012e200005070' '17f6801010000000018188001000002' '00ecc000f0'
    '00000000ff0000504600000000000000' '00c3435055',
    '02005102242000090a017f400b01ff7fff7fff7f0006000100000000000000c950'
    '535520506f776572',
    '030051030f2000104001106f01000000c353454c',
    '040051111220038000001001070100c744494d4d204131',
    '050051012f20000607017f680401000000000202001200003c040000000000000000'
    'ff000000000005000000000000c446616e31',
)
FRU_ATTRIBUTES = ('fru_name', 'fru_number', 'fru_logical',
                  'fru_type_and_modifier', 'rectype', 'sdrtype')


def _sdrentry_values(cmd):
    from pyghmi.ipmi import sdr
    from pyghmi.ipmi.private import constants
    out = []
    for vector in SDR_VECTORS:
        entry = sdr.SDREntry(bytearray.fromhex(vector), constants)
        out.append(_attributes(entry, SDR_ATTRIBUTES + FRU_ATTRIBUTES))
    return out


def _reading_values(readings):
    return {r.name: {k: v for k, v in vars(r).items()
                     if k != 'broken_sensor_ids'} for r in readings}


def _health(cmd):
    summary = cmd.get_health()
    return {'health': summary['health'],
            'badreadings': sorted(r.name for r in summary['badreadings'])}


def _channel_access_bytes(cmd):
    """Set Channel Access with the defaults, after a known state, and
    the stored non-volatile and volatile bytes read back raw."""
    for data in ((1, 0x7A, 0x43), (1, 0xBA, 0x83)):
        cmd.xraw_command(6, 0x40, data=data)
    cmd.set_channel_access(channel=1)
    return [list(cmd.xraw_command(6, 0x41, data=(1, mode))['data'])
            for mode in (0x40, 0x80)]


# Calls whose values (not only shapes) must be equal: the same BMC
# answers both packages, so every decoded field should agree.
VALUE_CALLS = {
    'values_inventory': lambda c: dict(c.get_inventory()),
    'values_sensors': lambda c: _reading_values(c.get_sensor_data()),
    'values_events': lambda c: [{k: v for k, v in e.items()
                                 if k != 'timestamp'}
                                for e in c.get_event_log()],
    'values_sdr': _sdr_values,
    'values_legacy_fru': lambda c: _legacy_fru(c),
    'values_legacy_sdrentry': _sdrentry_values,
    'values_users': lambda c: c.get_users(),
    'values_channel_info': lambda c: c.get_channel_info(),
    'values_net_configuration': lambda c: c.get_net_configuration(),
    'values_net6_configuration': lambda c: c.get_net6_configuration(),
    'values_alert_destination_count':
        lambda c: c.get_alert_destination_count(),
    'values_alert_destination': lambda c: [
        c.get_alert_destination(n) for n in range(2)],
    'values_health': _health,
    'values_channel_access': _channel_access_bytes,
}


def _legacy_fru(cmd):
    # pyghmi 1.6.19's fru.FRU class on FRU 0 and every logical FRU device
    from pyghmi.ipmi import fru
    sdr = cmd.init_sdr()
    out = {0: fru.FRU(ipmicmd=cmd, fruid=0).info}
    for fruid, rec in sdr.fru.items():
        out[fruid] = fru.FRU(ipmicmd=cmd, fruid=fruid, sdr=rec).info
    return out


def plain(value, depth=0):
    """JSON-able copy of a value (bytes as {"bytes": hex})."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {'bytes': bytes(value).hex()}
    if isinstance(value, dict):
        return {key_text(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    return repr(type(value).__name__)


def merge(one, two):
    """One shape covering both (element shapes of a list)."""
    if one == two:
        return one
    for kind in ('dict', 'object'):
        if isinstance(one, dict) and isinstance(two, dict) and \
                one.keys() == {kind} == two.keys():
            keys = dict(one[kind])
            for key, value in two[kind].items():
                keys[key] = merge(keys[key], value) if key in keys \
                    else value
            return {kind: keys}
    alts = set(one.split('|')) if isinstance(one, str) \
        else {json.dumps(one, sort_keys=True)}
    alts |= set(two.split('|')) if isinstance(two, str) \
        else {json.dumps(two, sort_keys=True)}
    return '|'.join(sorted(alts))


def key_text(key):
    if isinstance(key, str):
        return key
    return '<%s>%r' % (type(key).__name__, key)


def shape(value, depth=0):
    """JSON-able description of a value's structure and types."""
    if isinstance(value, SCALARS) or depth > 6:
        return type(value).__name__
    if isinstance(value, dict):
        return {'dict': {key_text(k): shape(v, depth + 1)
                         for k, v in value.items()}}
    if isinstance(value, types.GeneratorType):
        # what a caller gets from iterating it, not its frame
        return {'generator': shape(list(value), depth + 1)['list']}
    if isinstance(value, (list, tuple, set, frozenset)):
        elements = [shape(v, depth + 1) for v in value]
        merged = elements[0] if elements else 'empty'
        for element in elements[1:]:
            merged = merge(merged, element)
        return {type(value).__name__: merged}
    attrs = {k: v for k, v in vars(value).items() if not k.startswith('_')} \
        if hasattr(value, '__dict__') else {}
    attrs.update(_properties(value))
    # Attributes of a result object, but not the objects it refers to
    # (a record's Command, its session...): those are not results.
    return {'object': {k: shape(v, depth + 1) if not _is_object(v)
                       else 'object' for k, v in attrs.items()}}


def _properties(value):
    """Public properties and class-level data of an object: attributes
    to its callers."""
    found = {}
    for klass in type(value).__mro__[:-1]:
        for name, member in vars(klass).items():
            if name.startswith('_') or name in found or callable(member) \
                    or isinstance(member, (staticmethod, classmethod)):
                continue
            try:
                found[name] = getattr(value, name)
            except Exception:  # an attribute that raises has no shape
                pass
    return found


def _is_object(value):
    return hasattr(value, '__dict__') and not isinstance(
        value, (dict, list, tuple))


def main():
    port, call = int(sys.argv[1]), sys.argv[2]
    from pyghmi.ipmi import command
    try:
        cmd = command.Command('127.0.0.1', 'admin', 'password', port=port)
        if call in VALUE_CALLS:
            result = {'values': plain(VALUE_CALLS[call](cmd))}
        else:
            result = shape(CALLS[call](cmd))
    except Exception as err:  # the shape of a failure is its class
        result = {'raises': type(err).__name__}
    print(json.dumps(result, sort_keys=True))


if __name__ == '__main__':
    main()
