"""Calls run through both IPMI drivers (the asyncio Command and the
blocking one) on the same BMC, made comparable: the helpers of the
tests that prove each method is one flow run by both."""

import asyncio
import threading

from pyghmi import exceptions as exc
from pyghmi.aio.ipmi import command as aiocommand
from pyghmi.ipmi import command


def plain(value):
    """Results made comparable: readings as dicts, listings as lists,
    the event log's wall-clock times left out (they follow the clock of
    each call)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()
                if k != 'timestamp'}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, '__dict__') and not isinstance(value, type):
        return plain(vars(value))
    return value


def run_both(bmc, calls):
    """Each ``(name, args[, view])`` through both drivers: (async,
    blocking); ``view(result)`` is what is compared when given."""
    views = {index: call[2] for index, call in enumerate(calls)
             if len(call) > 2}
    calls = [call[:2] for call in calls]

    async def outcome(call):
        try:
            if hasattr(call, '__anext__'):
                return [item async for item in call]
            return await call
        except exc.PyghmiException as err:   # compared too
            return ('raised', type(err).__name__)

    async def asynchronous():
        async with await aiocommand.Command.create(
                bmc.host, 'admin', 'password', port=bmc.port) as c:
            return [await outcome(getattr(c, name)(*args))
                    for name, args in calls]
    threads = threading.active_count()
    mine = asyncio.run(asynchronous())
    assert threading.active_count() == threads       # no thread started
    c = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
    theirs = []
    for name, args in calls:
        try:
            result = getattr(c, name)(*args)
            theirs.append(list(result) if hasattr(result, '__next__')
                          else result)
        except exc.PyghmiException as err:
            theirs.append(('raised', type(err).__name__))
    try:
        c.logout()
    except exc.PyghmiException:
        pass                # a BMC reset by the calls forgot the session
    for index, view in views.items():
        mine[index], theirs[index] = view(mine[index]), view(theirs[index])
    return plain(mine), plain(theirs)


def _sensor_ids(sdr):
    return sorted(sdr.sensors) if hasattr(sdr, 'sensors') else sdr


def _kind(value):
    return type(value).__name__


def every_method_calls(tmp):
    """A call of every flow method (writes first, each setting what the
    reads after it then see, so that both drivers' runs read the same
    state); the BMC reset last."""
    user = {'uid': 6, 'name': 'every', 'password': 'every-pass-1'}
    return [
        ('set_power', ('on',)), ('set_bootdev', ('network',)),
        ('set_identify', (False,)), ('set_asset_tag', ('every-tag',)),
        ('set_mci', ('every-mci',)), ('set_hostname', ('every-host',)),
        ('set_server_capping', (300,)), ('set_capping_enabled', (False,)),
        ('set_net_configuration', ('192.0.2.20/24', 'Static',
                                   '192.0.2.1')),
        ('set_net6_configuration', (['2001:db8::20/64'], '2001:db8::1')),
        ('set_cipher_suite_privileges', ({17: 'administrator'},)),
        ('set_alert_community', ('every',)),
        ('set_alert_destination', ('192.0.2.60', False, 0, 2, 1)),
        ('clear_alert_destination', (2,)),
        ('create_user', (6, 'every', 'every-pass-1')),
        ('set_user_name', (6, 'every2')),
        ('set_user_password', (6, 'set_password', 'every-pass-2')),
        ('set_user_access', (6,)),
        ('set_channel_access', ()),
        ('update_user', (dict(user, name='every3'),)),
        ('update_user_default', (dict(user, name='every4'),
                                 'administrator')),
        ('upate_user_no_access', (dict(user, name='every5'), 'user')),
        ('disable_user', (6, 'disable')),
        ('set_extended_privilleges', (6,)),
        ('get_user', (6,)), ('get_user_access', (6,)),
        ('get_user_name', (6,)), ('get_name_uids', ('every2',)),
        ('user_delete', (6,)), ('get_users', ()),
        ('get_channel_access', ()), ('get_channel_info', ()),
        ('get_channel_max_user_count', ()), ('get_network_channel', ()),
        ('set_domain_name', ('example.org',)),
        ('set_ntp_enabled', (True,)), ('set_ntp_server', ('192.0.2.5',)),
        ('set_bmc_configuration', ({},)),
        ('set_system_configuration', ({},)),
        ('clear_bmc_configuration', ()), ('clear_system_configuration', ()),
        ('apply_storage_configuration', ()),
        ('check_storage_configuration', ()),
        ('remove_storage_configuration', (None,)),
        ('clear_storage_arrays', ()),
        ('attach_remote_media', ('http://192.0.2.9/a.iso',)),
        ('detach_remote_media', ()),
        ('upload_media', (str(tmp / 'none.iso'),)),
        ('update_firmware', (str(tmp / 'none.bin'),)),
        ('apply_license', (str(tmp / 'none.key'),)),
        ('delete_license', ('none',)),
        ('save_licenses', (str(tmp),)),
        ('get_diagnostic_data', (str(tmp / 'diag'),)),
        ('get_screenshot', (str(tmp / 'screen.png'),)),
        ('reseat_bay', (1,)),
        ('decode_pet', (b'\x00\x00\x00\x00', b'\x00' * 47)),
        ('init_sdr', (), _sensor_ids),
        ('get_event_constants', (), _kind),
        ('get_power', ()), ('get_bootdev', ()), ('get_chassis_status', ()),
        ('get_device_id', ()), ('get_system_guid', ()),
        ('get_firmware', ()), ('get_description', ()),
        ('get_video_launchdata', ()), ('get_sensor_descriptions', ()),
        ('get_sensor_reading', ('CPU1 Temp',)), ('get_sensor_data', ()),
        ('get_health', ()), ('get_inventory_descriptions', ()),
        ('get_inventory', ()), ('get_inventory_of_component', ('System',)),
        ('get_power_statistics', ()), ('get_system_power_watts', ()),
        ('get_server_capping', ()), ('get_capping_enabled', ()),
        ('get_asset_tag', ()), ('get_mci', ()), ('get_hostname', ()),
        ('get_domain_name', ()), ('get_inlet_temperature', ()),
        ('get_average_processor_temperature', ()),
        ('standard_inlet_temperature', ()),
        ('standard_processor_temperature', ()),
        ('get_net_configuration', ()), ('get_net6_configuration', ()),
        ('get_vlan_priority', ()), ('get_cipher_suite_privileges', ()),
        ('get_alert_destination_count', ()),
        ('get_alert_destination', (1,)), ('get_alert_community', ()),
        ('get_ntp_enabled', ()), ('get_ntp_servers', ()),
        ('get_bmc_configuration', ()),
        ('get_extended_bmc_configuration', ()),
        ('get_system_configuration', ()), ('get_storage_configuration', ()),
        ('list_media', ()), ('get_licenses', ()), ('get_leds', ()),
        ('get_update_status', ()), ('get_graphical_console', ()),
        ('get_ikvm_methods', ()), ('get_ikvm_launchdata', ()),
        ('get_remote_kvm_available', ()),
        ('get_event_log', ()),
        ('reset_bmc', ())]


def every_method_through_both(bmc, tmp):
    """Every flow method (:func:`every_method_calls`) on ``bmc``
    through both drivers; asserts the results (or exceptions) equal.

    :returns: ``{method name: its result}`` (the event log left out: the
        second run's writes log more)
    """
    calls = every_method_calls(tmp)
    names = [call[0] for call in calls]
    assert len(names) == len(set(names))
    assert set(names) == set(aiocommand.METHODS)     # none left out
    mine, theirs = run_both(bmc, calls)
    log = names.index('get_event_log')
    # the first run's log is the start of the second's
    assert theirs[log][:len(mine[log])] == mine[log]
    mine[log] = theirs[log] = None
    differ = [(name, a, b) for name, a, b in zip(names, mine, theirs)
              if a != b]
    assert not differ
    return dict(zip(names, mine))
