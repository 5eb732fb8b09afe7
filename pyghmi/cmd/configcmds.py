"""pyghmiutil's BMC configuration commands: ``user``, ``net``, ``alert``.

    user list | add UID NAME [--privilege P] | delete UID |
         password UID | priv UID PRIVILEGE | enable UID | disable UID
    net show | set [--ip A/P] [--source static|dhcp] [--gateway G]
                   [--vlan ID|off] [--vlan-priority 0-7] [--ipv6 A/P]...
                   [--ipv6-gateway G]
    alert show | set DEST [--ip A] [--ack|--no-ack] [--ack-timeout S]
                   [--retries N] | clear DEST | community [NAME]

Every sub-command takes ``--channel N`` (default: the LAN channel).  A
new password (``user add``, ``user password``) is never taken from the
command line: it comes from ``IPMI_NEW_PASSWORD`` or, on a terminal,
from a prompt asked twice; it is read once for all the BMCs.
"""

import getpass
import os
import sys

from pyghmi import exceptions as exc

PRIVILEGES = ('callback', 'user', 'operator', 'administrator',
              'no_access')
NEW_PASSWORD_VARIABLE = 'IPMI_NEW_PASSWORD'


def add_commands(sub):
    """Add the ``user``, ``net`` and ``alert`` sub-parsers."""
    _user_parser(sub.add_parser('user', help='list or change BMC users'))
    _net_parser(sub.add_parser('net', help='show or change the LAN '
                                           'settings'))
    _alert_parser(sub.add_parser('alert', help='show or change alert '
                                               'destinations'))


def _channel(parser):
    parser.add_argument('--channel', type=int, default=None,
                        help='channel (default: the LAN channel)')


def _user_parser(user):
    actions = user.add_subparsers(dest='action', metavar='ACTION')
    actions.required = True
    _channel(actions.add_parser('list', help='list the users'))
    add = actions.add_parser('add', help='create user UID named NAME '
                                         '(password: %s or a prompt)'
                             % NEW_PASSWORD_VARIABLE)
    add.add_argument('uid', type=int)
    add.add_argument('name')
    # (dest differs from pyghmiutil's own --privilege, the session's)
    add.add_argument('--privilege', dest='user_privilege',
                     choices=PRIVILEGES, default='user')
    _channel(add)
    for name, text in (('delete', 'remove user UID'),
                       ('password', 'set the password of UID (from %s or '
                                    'a prompt)' % NEW_PASSWORD_VARIABLE),
                       ('enable', 'enable user UID'),
                       ('disable', 'disable user UID')):
        action = actions.add_parser(name, help=text)
        action.add_argument('uid', type=int)
        _channel(action)
    priv = actions.add_parser('priv', help='set the privilege of UID')
    priv.add_argument('uid', type=int)
    priv.add_argument('level', metavar='PRIVILEGE', choices=PRIVILEGES)
    _channel(priv)


def _net_parser(net):
    actions = net.add_subparsers(dest='action', metavar='ACTION')
    actions.required = True
    _channel(actions.add_parser('show', help='show IPv4, VLAN and IPv6 '
                                             'settings'))
    change = actions.add_parser('set', help='change the given settings')
    change.add_argument('--ip', help='IPv4 address, optionally /prefix')
    change.add_argument('--source', choices=('static', 'dhcp'))
    change.add_argument('--gateway', help='IPv4 default gateway')
    change.add_argument('--vlan', help='VLAN id 1-4094, or off')
    change.add_argument('--vlan-priority', type=int, help='0-7')
    change.add_argument('--ipv6', action='append', metavar='ADDR/PREFIX',
                        help='static IPv6 address (repeat for several; '
                             'the list replaces the current one)')
    change.add_argument('--ipv6-gateway', help='static IPv6 router')
    _channel(change)


def _alert_parser(alert):
    actions = alert.add_subparsers(dest='action', metavar='ACTION')
    actions.required = True
    _channel(actions.add_parser('show', help='community and destinations'))
    change = actions.add_parser('set', help='change destination DEST')
    change.add_argument('destination', type=int, metavar='DEST')
    change.add_argument('--ip', help='IPv4 or IPv6 trap receiver')
    change.add_argument('--ack', dest='ack', action='store_true',
                        default=None, help='receiver acknowledges')
    change.add_argument('--no-ack', dest='ack', action='store_false',
                        help='receiver does not acknowledge')
    change.add_argument('--ack-timeout', type=int, help='seconds')
    change.add_argument('--retries', type=int, help='0-7')
    _channel(change)
    clear = actions.add_parser('clear', help='reset destination DEST')
    clear.add_argument('destination', type=int, metavar='DEST')
    _channel(clear)
    community = actions.add_parser('community',
                                   help='show, or set to NAME, the SNMP '
                                        'community of traps')
    community.add_argument('name', nargs='?')
    _channel(community)


def needs_new_password(args):
    """True when the command sets a password."""
    return args.command == 'user' and args.action in ('add', 'password')


def new_password():
    """The new password: the environment, else a prompt asked twice.

    :returns: the password, or None when neither is available
    :raises InvalidParameterValue: the two entries differ
    """
    password = os.environ.get(NEW_PASSWORD_VARIABLE)
    if password is not None or not sys.stdin.isatty():
        return password
    first = getpass.getpass('New password: ')
    if getpass.getpass('Again: ') != first:
        raise exc.InvalidParameterValue('the passwords differ')
    return first


def run(cmd, args, password=None):
    """Run a configuration command; returns a result dict."""
    return _RUNNERS[args.command](cmd, args, password)


def _user(cmd, args, password):
    action, channel = args.action, args.channel
    if action == 'list':
        return {'users': {str(uid): _user_line(info) for uid, info in
                          sorted(cmd.get_users(channel).items())}}
    if action == 'add':
        cmd.create_user(args.uid, args.name, password, channel=channel,
                        privilege_level=args.user_privilege)
    elif action == 'delete':
        cmd.user_delete(args.uid, channel)
    elif action == 'password':
        cmd.set_user_password(args.uid, password=password)
    elif action in ('enable', 'disable'):
        cmd.disable_user(args.uid, action)
    elif action == 'priv':
        cmd.set_user_access(args.uid, channel, privilege_level=args.level)
    return {'user': args.uid, 'done': action}


def _user_line(info):
    access = info.get('access', {})
    return {'name': info.get('name'),
            'privilege': access.get('privilege_level'),
            'link_auth': access.get('link_auth'),
            'ipmi_msg': access.get('ipmi_msg'),
            'callback': access.get('callback')}


def _net(cmd, args, password):
    if args.action == 'show':
        result = dict(cmd.get_net_configuration(args.channel))
        result['vlan_priority'] = cmd.get_vlan_priority(args.channel)
        try:
            result.update(cmd.get_net6_configuration(args.channel))
        except exc.UnsupportedFunctionality:
            pass
        return result
    ipv4 = (args.ip, args.source, args.gateway, args.vlan,
            args.vlan_priority)
    if not any(v is not None for v in ipv4 + (args.ipv6,
                                              args.ipv6_gateway)):
        raise exc.InvalidParameterValue('net set: nothing to change')
    if any(v is not None for v in ipv4):
        cmd.set_net_configuration(
            ipv4_address=args.ip, ipv4_configuration=args.source,
            ipv4_gateway=args.gateway, vlan_id=args.vlan,
            channel=args.channel, vlan_priority=args.vlan_priority)
    if args.ipv6 is not None or args.ipv6_gateway:
        cmd.set_net6_configuration(args.ipv6, args.ipv6_gateway,
                                   channel=args.channel)
    return {'net': 'changed'}


def _alert(cmd, args, password):
    action, channel = args.action, args.channel
    if action == 'show':
        count = cmd.get_alert_destination_count(channel) & 0x0F
        return {'community': cmd.get_alert_community(channel),
                'destinations': {
                    str(n): cmd.get_alert_destination(n, channel)
                    for n in range(count + 1)}}
    if action == 'set':
        cmd.set_alert_destination(args.ip, args.ack, args.ack_timeout,
                                  args.retries, args.destination, channel)
    elif action == 'clear':
        cmd.clear_alert_destination(args.destination, channel)
    elif args.name is not None:
        cmd.set_alert_community(args.name, channel)
    else:
        return {'community': cmd.get_alert_community(channel)}
    return {'alert': action, 'done': True}


_RUNNERS = {'user': _user, 'net': _net, 'alert': _alert}
COMMANDS = tuple(_RUNNERS)


def format_lines(result):
    """Readable lines for the nested results (users, destinations), or
    None to use pyghmiutil's plain ``key: value`` line."""
    if 'users' in result:
        return ['%s %s: %s' % (uid, info['name'], ', '.join(
            '%s=%s' % (k, v) for k, v in info.items() if k != 'name'))
            for uid, info in result['users'].items()] or ['(no users)']
    if 'destinations' in result:
        lines = ['community: %s' % result['community']]
        for number, info in result['destinations'].items():
            lines.append('destination %s: %s' % (number, ', '.join(
                '%s=%s' % item for item in info.items())))
        return lines
    return None
