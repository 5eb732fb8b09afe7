"""What pyghmiutil's commands do over Redfish (``--redfish``): the same
command names and result shapes as over IPMI where Redfish has the
thing, a clear refusal where it does not (raw IPMI, PEF alerts...)."""

from pyghmi import exceptions as exc

# pyghmiutil command -> what it needs that only IPMI has
IPMI_ONLY = {'raw': 'raw IPMI requests', 'alert': 'PEF alert destinations',
             'net': 'LAN parameters by channel (use the Redfish client '
                    'from Python for get/set_net_configuration)'}
SEVERITY = {0: 'ok', 1: 'warning', 2: 'critical'}


def _reading(reading):
    health = getattr(reading, 'health', 0)
    return {'name': reading.name, 'value': reading.value,
            'units': reading.units, 'states': getattr(reading, 'states', []),
            'health': SEVERITY.get(health, 'critical'),
            'type': getattr(reading, 'type', None),
            'unavailable': bool(reading.unavailable)}


def _event(number, event):
    return {'record_id': number, 'timestamp': event.get('timestamp'),
            'component': event.get('log_id'),
            'event': event.get('message') or '',
            'severity': SEVERITY.get(event.get('severity'), 'critical')}


def _identify(cmd, state):
    if state in ('on', 'off', 'blink'):
        cmd.set_identify(on=state != 'off', blink=state == 'blink')
        return {'identify': state}
    raise exc.InvalidParameterValue(
        'identify over Redfish takes on, off or blink')


def _user(cmd, args):
    if getattr(args, 'action', None) not in (None, 'list'):
        raise exc.InvalidParameterValue(
            'over Redfish, pyghmiutil lists users only')
    return {'users': {str(uid): {k: v for k, v in info.items()
                                 if k != 'uid'}
                      for uid, info in sorted(cmd.get_users().items())}}


def run(cmd, args):
    """Run the parsed command on a Redfish Command; returns a dict.

    :raises InvalidParameterValue: a command Redfish cannot serve
    """
    name = args.command
    if name in IPMI_ONLY:
        raise exc.InvalidParameterValue('%s: %s need IPMI' % (
            name, IPMI_ONLY[name]))
    if name == 'power':
        if args.action is None:
            return cmd.get_power()
        return cmd.set_power(args.action, wait=bool(args.wait))
    if name == 'bootdev':
        if args.device is None:
            return cmd.get_bootdev()
        return cmd.set_bootdev(args.device, persist=args.persist,
                               uefiboot=True if args.uefi else None)
    if name == 'identify':
        return _identify(cmd, args.state)
    if name == 'sensors':
        readings = [cmd.get_sensor_reading(n) for n in args.names] \
            if args.names else list(cmd.get_sensor_data())
        return {'sensors': [_reading(r) for r in readings]}
    if name == 'health':
        summary = cmd.get_health()
        return {'health': SEVERITY.get(summary['health'], 'critical'),
                'badreadings': [_reading(r)
                                for r in summary['badreadings']]}
    if name == 'inventory':
        if args.component:
            return {'inventory': {args.component:
                                  cmd.get_inventory_of_component(
                                      args.component)}}
        return {'inventory': dict(cmd.get_inventory())}
    if name == 'power-reading':
        return {'watts': cmd.get_system_power_watts()}
    if name == 'events':
        return {'events': [_event(n + 1, e) for n, e in enumerate(
            cmd.get_event_log(clear=args.clear))]}
    if name == 'info':
        return {'firmware': {name_: info.get('version') for name_, info in
                             cmd.get_firmware()}}
    if name == 'guid':
        return {'guid': cmd.get_inventory_of_component('System')['UUID']}
    if name == 'reset-bmc':
        cmd.reset_bmc()
        return {'reset': 'sent'}
    if name == 'user':
        return _user(cmd, args)
    raise exc.InvalidParameterValue('%s is not available over Redfish'
                                    % name)
