"""``Command``'s user management and channel information (IPMI v2.0
section 22), drop-in with pyghmi 1.6.19's methods and result shapes.

Arguments are checked before anything is sent (``InvalidParameterValue``
naming the argument): user ids 1-63, names of at most 16 bytes,
passwords of at most 20 bytes (never truncated; more than 16 uses the
IPMI 2.0 20-byte form), known privilege names.
"""

from typing import Any, Callable, Dict, Optional

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import args
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import channel as chan
from pyghmi.ipmi.private.codec import users

# Channel medium types of LAN channels (table 6-3): 802.3 LAN, other LAN.
_LAN_MEDIA = (0x04, 0x06)


def _uid(uid):
    return args.integer('uid', uid, 1, 63)


def _privilege(privilege_level):
    if not isinstance(privilege_level, str) or (
            privilege_level not in users.PRIVILEGES and
            not privilege_level.startswith('custom.')):
        raise exc.InvalidParameterValue(
            'privilege_level: one of %s (or custom.<name>), not %r' % (
                ', '.join(sorted(users.PRIVILEGES)), privilege_level))
    return privilege_level


class UserFlows:
    """User methods as flows (:mod:`.flows`): the blocking ``Command``
    and the asyncio one run these same generators."""

    _netchannel: Optional[int] = None
    xraw_command: Callable[..., Dict[str, Any]]     # Command's

    # ------------------------------------------------------------ channel
    @flows.public
    def get_network_channel(self):
        """The LAN channel to configure: the channel of this session if it
        is a LAN one, else the first LAN channel of 1-11 (Get Channel
        Info); remembered.

        :raises IpmiException: no LAN channel found
        """
        if self._netchannel is None:
            for channel in (const.CURRENT_CHANNEL,) + tuple(range(1, 12)):
                try:
                    data = (yield flows.Xraw(
                        const.NETFN_APP, const.CMD_GET_CHANNEL_INFO,
                        data=(channel,)))['data']
                except exc.IpmiException as err:
                    if err.ipmicode in (const.CC_INVALID_DATA_FIELD,
                                        const.CC_PARAMETER_OUT_OF_RANGE):
                        continue            # no such channel
                    raise
                if len(data) >= 2 and data[1] & 0x7F in _LAN_MEDIA:
                    self._netchannel = data[0] & 0x0F
                    break
            else:
                raise exc.IpmiException('No LAN channel found on this BMC')
        return self._netchannel

    @flows.public
    def get_channel_info(self, channel: Optional[int] = None):
        """Get Channel Info (22.24), with pyghmi 1.6.19's keys.

        :returns: ``{'Actual channel', 'Channel Medium type' (text),
            '5-bit Channel IPMI Messaging Protocol Type',
            'session_support' ('no_session', 'single', 'multi', 'auto'),
            'active_session_count', 'Vendor ID' (3 ints),
            'Auxiliary Channel Info' (2 ints)}``
        """
        channel = (yield from self._channel_flow(channel))
        data = bytes((yield flows.Xraw(const.NETFN_APP,
                                       const.CMD_GET_CHANNEL_INFO,
                                       data=(channel,)))['data'])
        try:
            f = chan.CHANNEL_INFO.decode(data)
        except exc.DecodeError as err:
            raise exc.BmcErrorException('Get Channel Info: %s' % err)
        medium = f['medium']
        return {
            'Actual channel': f['channel'],
            'Channel Medium type': chan.MEDIUM_NAMES.get(
                medium, 'OEM %02X' % medium if medium >= 0x60
                else 'reserved'),
            '5-bit Channel IPMI Messaging Protocol Type': f['protocol'],
            'session_support': chan.SESSION_SUPPORT[f['session_support']],
            'active_session_count': f['active_sessions'],
            'Vendor ID': list(data[4:7]),
            'Auxiliary Channel Info': list(data[7:9])}

    @flows.public
    def get_channel_access(self, channel: Optional[int] = None,
                           read_mode: str = 'volatile'):
        """Get Channel Access (22.23), read as the specification means
        it.

        The flags are True when the feature is *enabled* (the "disabled"
        bit clear).  :meth:`set_channel_access` keeps pyghmi 1.6.19's
        wire effect, in which its ``False`` arguments leave these
        enabled, so they read back as True here.  (pyghmi 1.6.19 read
        bits 7, 6 and 5 instead, of which 7 and 6 are reserved: its
        ``alerting`` and ``per_msg_auth`` were always False and its
        ``user_level_auth`` was the alerting bit; the migration page has
        the table.)

        :param channel: channel number 0-15 (default: the LAN channel)
        :param read_mode: 'volatile' (in force) or 'non_volatile'
        :returns: ``{'alerting', 'per_msg_auth', 'user_level_auth'`` (True
            when enabled), ``'access_mode'`` ('disabled', 'pre_boot',
            'always', 'shared'), ``'privilege_level'}``
        :raises InvalidParameterValue: a bad channel or read mode
        :raises IpmiException: the BMC refused the request
        """
        channel = (yield from self._channel_flow(channel))
        if read_mode not in chan.READ_MODES:
            raise exc.InvalidParameterValue(
                "read_mode: 'volatile' or 'non_volatile', not %r"
                % (read_mode,))
        data = bytes((yield flows.Xraw(
            const.NETFN_APP, chan.CMD_GET_CHANNEL_ACCESS,
            data=chan.GET_CHANNEL_ACCESS_REQUEST.encode(
                channel=channel,
                read_mode=chan.READ_MODES[read_mode])))['data'])
        try:
            f = chan.GET_CHANNEL_ACCESS.decode(data)
        except exc.DecodeError as err:
            raise exc.BmcErrorException('Get Channel Access: %s' % err)
        modes = {v: k for k, v in chan.ACCESS_MODES.items()}
        return {'alerting': not f['alerting_disabled'],
                'per_msg_auth': not f['per_msg_disabled'],
                'user_level_auth': not f['user_auth_disabled'],
                'access_mode': modes.get(f['access_mode'], 'reserved'),
                'privilege_level': users.PRIVILEGE_NAMES.get(
                    f['privilege'], 'reserved')}

    @flows.public
    def set_channel_access(self, channel: Optional[int] = None,
                           access_update_mode: str = 'non_volatile',
                           alerting: bool = False,
                           per_msg_auth: bool = False,
                           user_level_auth: bool = False,
                           access_mode: str = 'always',
                           privilege_update_mode: str = 'non_volatile',
                           privilege_level: str = 'administrator'):
        """Set Channel Access (22.22), writing the bits pyghmi 1.6.19
        writes for the same arguments.

        Read the three flags with care.  Each sets one bit of request
        byte 2, and the specification names those bits by what they
        *disable*: ``alerting=True`` sets bit 5 ("PEF alerting
        disabled"), ``per_msg_auth=True`` bit 4 ("per-message
        authentication disabled"), ``user_level_auth=True`` bit 3
        ("user level authentication disabled").  So the defaults
        (False) leave alerting, per-message and user-level
        authentication *enabled*, and True turns each off.  The
        original's docstring said the opposite, but its requests did
        this, and every deployment that called it relies on what the
        requests did; a replacement must not quietly switch a BMC's
        authentication off (see the migration page).
        :meth:`get_channel_access` reports the specification's meaning
        (True when enabled), so what this call sets with ``False`` reads
        back as ``True`` there.

        :param channel: channel number 0-15 (default: the LAN channel,
            :meth:`get_network_channel`)
        :param access_update_mode: 'non_volatile', 'volatile' or
            'dont_change' (bits 7:6 of byte 2: 1, 2, 0)
        :param alerting: True sets the "PEF alerting disabled" bit
        :param per_msg_auth: True sets the "per-message authentication
            disabled" bit
        :param user_level_auth: True sets the "user level authentication
            disabled" bit
        :param access_mode: 'disabled', 'pre_boot', 'always', 'shared'
            (bits 2:0 of byte 2: 0-3)
        :param privilege_update_mode: as ``access_update_mode``, for the
            privilege limit (bits 7:6 of byte 3)
        :param privilege_level: the channel's privilege limit: 'callback',
            'user', 'operator', 'administrator', 'proprietary' (OEM, 5)
            or 'reserved' (0), as the original accepts (bits 3:0 of
            byte 3)
        :returns: True
        :raises InvalidParameterValue: an argument out of those ranges,
            before anything is sent
        :raises IpmiException: the BMC refused the request
        """
        channel = (yield from self._channel_flow(channel))
        for name, value, table in (
                ('access_update_mode', access_update_mode, chan.UPDATE_MODES),
                ('privilege_update_mode', privilege_update_mode,
                 chan.UPDATE_MODES),
                ('access_mode', access_mode, chan.ACCESS_MODES)):
            if value not in table:
                raise exc.InvalidParameterValue('%s: one of %s, not %r' % (
                    name, ', '.join(sorted(table)), value))
        for flag_name, flag in (('alerting', alerting),
                                ('per_msg_auth', per_msg_auth),
                                ('user_level_auth', user_level_auth)):
            args.flag(flag_name, flag)
        if privilege_level not in users.PRIVILEGES or \
                privilege_level == 'no_access':
            raise exc.InvalidParameterValue(
                'privilege_level: a privilege name, not %r'
                % (privilege_level,))
        # The flags go to the "disabled" bits as they are (see above).
        (yield flows.Xraw(
            const.NETFN_APP, chan.CMD_SET_CHANNEL_ACCESS,
            data=chan.SET_CHANNEL_ACCESS.encode(
                channel=channel,
                access_update=chan.UPDATE_MODES[access_update_mode],
                alerting_disabled=bool(alerting),
                per_msg_disabled=bool(per_msg_auth),
                user_auth_disabled=bool(user_level_auth),
                access_mode=chan.ACCESS_MODES[access_mode],
                privilege_update=chan.UPDATE_MODES[privilege_update_mode],
                privilege=users.PRIVILEGES[privilege_level])))
        return True

    def _channel_flow(self, channel):
        if channel is None:
            return (yield from _flow.get_network_channel(self))
        return args.integer('channel', channel, 0, 15)

    # ------------------------------------------------------------- access
    @flows.public
    def get_user_access(self, uid: int, channel: Optional[int] = None):
        """Get User Access (22.27).

        :returns: ``{'channel_info': {'max_user_count', 'enabled_users',
            'users_with_fixed_names'}, 'access': {'callback',
            'link_auth', 'ipmi_msg', 'privilege_level'}}`` with pyghmi's
            privilege names ('user', 'administrator', 'no_access'...)
        """
        uid = _uid(uid)
        channel = (yield from self._channel_flow(channel))
        data = bytes((yield flows.Xraw(
            const.NETFN_APP, users.CMD_GET_USER_ACCESS,
            data=users.GET_USER_ACCESS_REQUEST.encode(
                channel=channel, uid=uid)))['data'])
        try:
            f = users.GET_USER_ACCESS.decode(data)
        except exc.DecodeError as err:
            raise exc.BmcErrorException('Get User Access: %s' % err)
        privilege = (yield from flows.vendor(
            'get_user_privilege_level', uid)) or \
            users.PRIVILEGE_NAMES.get(f['privilege'], 'reserved')
        return {'channel_info': {'max_user_count': f['max_users'],
                                 'enabled_users': f['enabled_users'],
                                 'users_with_fixed_names': f['fixed_names']},
                'access': {'callback': f['callback'],
                           'link_auth': f['link_auth'],
                           'ipmi_msg': f['ipmi_msg'],
                           'privilege_level': privilege}}

    @flows.public
    def set_user_access(self, uid: int, channel: Optional[int] = None,
                        callback: bool = False, link_auth: bool = True,
                        ipmi_msg: bool = True,
                        privilege_level: str = 'user'):
        """Set User Access (22.26): the user's privilege limit and
        callback / link authentication / IPMI messaging flags on a
        channel ('custom.<name>' privileges go to the vendor handler).

        :returns: True
        """
        uid = _uid(uid)
        channel = (yield from self._channel_flow(channel))
        for name, value in (('callback', callback), ('link_auth', link_auth),
                            ('ipmi_msg', ipmi_msg)):
            args.flag(name, value)
        _privilege(privilege_level)
        yield from flows.vendor('set_user_access', uid, channel,
                                callback, link_auth, ipmi_msg,
                                privilege_level)
        if privilege_level.startswith('custom.'):
            return True
        (yield flows.Xraw(const.NETFN_APP, users.CMD_SET_USER_ACCESS,
                          data=users.SET_USER_ACCESS.encode(
                              channel=channel, callback=callback,
                              link_auth=link_auth, ipmi_msg=ipmi_msg,
                              uid=uid, session_limit=0,
                              privilege=users.PRIVILEGES[privilege_level])))
        if privilege_level == 'administrator':
            yield from flows.vendor('set_oem_extended_privilleges', uid)
        return True

    @flows.public
    def get_channel_max_user_count(self, channel: Optional[int] = None):
        """How many user ids the channel has."""
        access = yield from _flow.get_user_access(self, 1, channel)
        return access['channel_info']['max_user_count']

    # -------------------------------------------------------------- names
    @flows.public
    def get_user_name(self, uid: int, return_none_on_error: bool = True):
        """The user's name, or None when empty (or refused, unless
        ``return_none_on_error`` is False)."""
        uid = _uid(uid)
        try:
            data = (yield flows.Xraw(const.NETFN_APP,
                                     users.CMD_GET_USER_NAME,
                                     data=(uid,)))['data']
        except exc.IpmiException:
            if return_none_on_error:
                return None
            raise
        return users.unpad_name(data[:users.NAME_SIZE])

    @flows.public
    def set_user_name(self, uid: int, name: str):
        """Set User Name (22.28); '' clears it.

        :raises InvalidParameterValue: more than 16 bytes
        """
        uid = _uid(uid)
        args.text('name', name, users.NAME_SIZE)
        (yield flows.Xraw(const.NETFN_APP, users.CMD_SET_USER_NAME,
                          data=users.SET_USER_NAME.encode(
                              uid=uid, name=users.pad_name(name))))
        return True

    @flows.public
    def get_name_uids(self, name: str, channel: Optional[int] = None):
        """The user ids whose name is ``name``."""
        args.text('name', name, users.NAME_SIZE)
        count = yield from _flow.get_channel_max_user_count(self, channel)
        found = []
        for uid in range(1, count + 1):
            if (yield from _flow.get_user_name(self, uid)) == name:
                found.append(uid)
        return found

    # ---------------------------------------------------------- passwords
    @flows.public
    def set_user_password(self, uid: int, mode: str = 'set_password',
                          password: Optional[str] = None):
        """Set User Password (22.30): ``mode`` 'set_password',
        'test_password', 'enable' or 'disable'.

        :returns: True; for 'test_password' False when the password is
            not the user's
        :raises InvalidParameterValue: unknown mode, no password where
            one is needed, a password over 20 bytes
        """
        uid = _uid(uid)
        if mode not in users.PASSWORD_MODES:
            raise exc.InvalidParameterValue(
                'mode: one of %s, not %r' % (
                    ', '.join(sorted(users.PASSWORD_MODES)), mode))
        args.text('password', password, 20, secret=True,
                  allow_none=mode in ('enable', 'disable'))
        twenty, field = (False, b'') if password is None else \
            users.password_field(password)
        data = users.SET_USER_PASSWORD.encode(
            uid=uid, twenty=twenty, operation=users.PASSWORD_MODES[mode],
            password=field)
        data = yield from flows.vendor('process_password',
                                       password, data)
        try:
            (yield flows.Xraw(const.NETFN_APP, users.CMD_SET_USER_PASSWORD,
                              data=data))
        except exc.IpmiException as err:
            if mode == 'test_password' and err.ipmicode in (
                    users.CC_WRONG_PASSWORD, users.CC_WRONG_PASSWORD_SIZE):
                return False
            if mode in ('enable', 'disable') and \
                    err.ipmicode == const.CC_INVALID_DATA_FIELD:
                return True     # some BMCs refuse a repeated enable
            raise
        return True

    @flows.public
    def disable_user(self, uid: int, mode: str):
        """Enable or disable a user (``mode`` 'enable' or 'disable')."""
        if mode not in ('enable', 'disable'):
            raise exc.InvalidParameterValue(
                "mode: 'enable' or 'disable', not %r" % (mode,))
        return (yield from _flow.set_user_password(self, uid, mode))

    # -------------------------------------------------------------- users
    @flows.public
    def get_user(self, uid: int, channel: Optional[int] = None):
        """``{'name', 'uid', 'channel', 'access', 'expiration'}`` of a
        user (``access`` as in :meth:`get_user_access`; ``expiration``
        None when unknown)."""
        uid = _uid(uid)
        channel = (yield from self._channel_flow(channel))
        name = yield from _flow.get_user_name(self, uid)
        access = yield from _flow.get_user_access(self, uid, channel)
        expiration = yield from flows.vendor('get_user_expiration', uid)
        return {'name': name, 'uid': uid, 'channel': channel,
                'access': access['access'], 'expiration': expiration}

    @flows.public
    def get_users(self, channel: Optional[int] = None):
        """``{uid: get_user(uid)}`` for every user id with a name."""
        channel = (yield from self._channel_flow(channel))
        found = {}
        count = yield from _flow.get_channel_max_user_count(self, channel)
        for uid in range(1, count + 1):
            name = yield from _flow.get_user_name(self, uid)
            if (yield from flows.vendor('is_valid', name)):
                found[uid] = yield from _flow.get_user(self, uid, channel)
        return found

    @flows.public
    def create_user(self, uid: int, name: str, password: str,
                    channel: Optional[int] = None, callback: bool = False,
                    link_auth: bool = True, ipmi_msg: bool = True,
                    privilege_level: str = 'user'):
        """Name a user id, set and enable its password, set its access.

        Every argument is checked before the first command is sent.
        """
        _uid(uid)
        args.text('name', name, users.NAME_SIZE)
        args.text('password', password, 20, secret=True)
        _privilege(privilege_level)
        channel = (yield from self._channel_flow(channel))
        yield from _flow.set_user_name(self, uid, name)
        yield from _flow.set_user_password(self, uid, password=password)
        yield from _flow.set_user_password(self, uid, mode='enable',
                                           password=password)
        return (yield from _flow.set_user_access(
            self, uid, channel, callback=callback, link_auth=link_auth,
            ipmi_msg=ipmi_msg, privilege_level=privilege_level))

    @flows.public
    def update_user(self, user: Dict[str, Any]):
        """Apply a user dict: ``uid`` (required), and any of
        ``username``, ``privilege_level``, ``password``, ``enabled``
        ('yes' / 'no'), as pyghmi 1.6.19 did."""
        if not isinstance(user, dict) or 'uid' not in user:
            raise exc.InvalidParameterValue(
                "user: a dict with at least 'uid'")
        _uid(user['uid'])
        if 'username' in user:
            yield from _flow.set_user_name(self, user['uid'],
                                           user['username'])
        privilege_level = user.get('privilege_level')
        if privilege_level == 'no_access':
            return (yield from _flow.upate_user_no_access(self, user,
                                                          privilege_level))
        return (yield from _flow.update_user_default(self, user,
                                                     privilege_level))

    @flows.public
    def update_user_default(self, user: Dict[str, Any],
                            privilege_level: Optional[str]):
        """The part of :meth:`update_user` for a user keeping access:
        privilege, then password (set and enable), then enabled state."""
        if privilege_level:
            yield from _flow.set_user_access(self, user['uid'],
                                             privilege_level=privilege_level)
        if 'password' in user:
            yield from _flow.set_user_password(self, user['uid'],
                                               password=user['password'])
            yield from _flow.set_user_password(self, user['uid'],
                                               mode='enable',
                                               password=user['password'])
        if 'enabled' in user:
            yield from _flow.disable_user(
                self, user['uid'],
                'enable' if user['enabled'] == 'yes' else 'disable')
        return True

    @flows.public
    def upate_user_no_access(self, user: Dict[str, Any],
                             privilege_level: str):
        """The part of :meth:`update_user` removing access (pyghmi's
        spelling): the password first, then the privilege."""
        if 'password' in user:
            yield from _flow.set_user_password(self, user['uid'],
                                               password=user['password'])
        yield from _flow.set_user_access(self, user['uid'],
                                         privilege_level=privilege_level)
        return True

    @flows.public
    def user_delete(self, uid: int, channel: Optional[int] = None):
        """Disable a user, remove its access and clear its name."""
        uid = _uid(uid)
        channel = (yield from self._channel_flow(channel))
        yield from _flow.set_user_password(self, uid, mode='disable')
        yield from _flow.set_user_access(self, uid, channel, callback=False,
                                         link_auth=False, ipmi_msg=False,
                                         privilege_level='no_access')
        yield from _flow.set_user_name(self, uid, '')
        return True


# (a flow calls another through the class: on the Commands the public
# names are the drivers' methods, not the flows)
_flow = UserFlows


@flows.drives(UserFlows)
class UserCommands(UserFlows):
    """User methods of ``Command`` (see the module text): the flows
    above, run by the blocking driver."""
