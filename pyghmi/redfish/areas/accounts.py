"""Users and roles: the AccountService's accounts."""

import base64
import os

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base

DEFAULT_ROLES = ('Administrator', 'Operator', 'ReadOnly')
PASSWORD_MODES = ('set_password', 'disable', 'enable')


class Accounts(base.Base):
    """User flows."""

    def _accounts(self):
        """Flow: the URI of the Accounts collection.

        :raises UnsupportedFunctionality: no AccountService
        """
        _, service = yield from self.service('AccountService')
        uri = base.link(service, 'Accounts')
        if not uri:
            raise exc.UnsupportedFunctionality(
                'The BMC has no AccountService accounts')
        return uri

    def _account(self, uid):
        """Flow: the account whose Id is ``uid`` (as text), or None."""
        for info in (yield from self.conn.members(
                (yield from self._accounts()), cache=False)):
            if str(info.get('Id')) == str(uid):
                return info
        return None

    def _existing(self, uid):
        info = yield from self._account(uid)
        if info is None or not base.text(info, '@odata.id'):
            raise exc.InvalidParameterValue('uid: no account %r' % (uid,))
        return info

    def _roles(self):
        """Flow: the role ids the service lists (Administrator, Operator
        and ReadOnly when it lists none)."""
        _, service = yield from self.service('AccountService')
        roles = base.link(service, 'Roles')
        found = []
        if roles:
            found = [base.last_part(u) for u in base.links(base.seq(
                (yield from self.conn.get(roles)), 'Members'))]
        return found or list(DEFAULT_ROLES)

    def _role(self, privilege_level):
        if not isinstance(privilege_level, str) or not privilege_level:
            raise exc.InvalidParameterValue(
                'privilege_level: a role name such as Administrator')
        if privilege_level.startswith('custom.'):
            privilege_level = privilege_level[len('custom.'):]
        for role in (yield from self._roles()):
            if role.lower() == privilege_level.lower():
                return role
        return privilege_level

    def get_user_expiration(self, uid):
        """Flow (a hook for vendors): when the account ``uid`` expires;
        None (never) unless a vendor knows better."""
        return None
        yield   # pragma: no cover  (a flow)

    def _user_dict(self, info):
        uid = info.get('Id')
        return {'name': base.text(info, 'UserName', ''), 'uid': uid,
                'expiration': (yield from self.get_user_expiration(uid)),
                'access': {'privilege_level': info.get('RoleId',
                                                       'Unknown')}}

    @base.call
    def get_users(self):
        """The accounts that have a name.

        :returns: ``{id: {'name', 'uid', 'expiration', 'access':
            {'privilege_level': role}}}`` ({} without an AccountService)
        """
        names: dict = {}
        try:
            accounts = yield from self._accounts()
        except exc.UnsupportedFunctionality:
            return names
        for info in (yield from self.conn.members(accounts)):
            if base.text(info, 'UserName'):
                names[info.get('Id')] = yield from self._user_dict(info)
        return names

    @base.call
    def get_user(self, uid):
        """The account ``uid`` as :meth:`get_users` shapes it (its
        ``uid`` as given), or None when there is none."""
        info = yield from self._account(uid)
        if info is None:
            return None
        out = yield from self._user_dict(info)
        out['uid'] = uid
        return out

    @base.call
    def create_user(self, uid, name, password, privilege_level='ReadOnly'):
        """Make sure account ``uid`` exists with this name, password and
        role (PATCH of an existing account, else POST to Accounts).

        :param privilege_level: a role (Administrator, Operator,
            ReadOnly...; 'custom.X' for a custom role X)
        :returns: True
        :raises InvalidParameterValue: no name or password
        :raises UnsupportedFunctionality: no AccountService
        """
        if not name or not isinstance(name, str):
            raise exc.InvalidParameterValue('name: a user name')
        if not isinstance(password, (str, bytes)):
            raise exc.InvalidParameterValue('password: a text')
        role = yield from self._role(privilege_level)
        body = {'UserName': name, 'Password': _text(password),
                'RoleId': role}
        info = yield from self._account(uid)
        if info is not None and base.text(info, '@odata.id'):
            yield from self.conn.write('PATCH', info['@odata.id'], body,
                                       etag=_etag(info))
        else:
            yield from self.conn.write('POST',
                                       (yield from self._accounts()), body)
        return True

    @base.call
    def set_user_password(self, uid, mode='set_password', password=None):
        """Set the password of account ``uid`` ('set_password'), or
        disable or enable the account.

        :returns: True
        :raises InvalidParameterValue: an unknown mode or account, or no
            password to set
        """
        if mode not in PASSWORD_MODES:
            raise exc.InvalidParameterValue('mode: one of %s'
                                            % ', '.join(PASSWORD_MODES))
        if mode == 'set_password' and not isinstance(password,
                                                     (str, bytes)):
            raise exc.InvalidParameterValue('password: a text')
        info = yield from self._existing(uid)
        body = {'Password': _text(password)} if mode == 'set_password' \
            else {'Enabled': mode == 'enable'}
        yield from self.conn.write('PATCH', info['@odata.id'], body,
                                   etag=_etag(info))
        return True

    @base.call
    def disable_user(self, uid, mode):
        """Disable (``mode`` 'disable') or enable ('enable') account
        ``uid`` without touching its password or role.

        :returns: True
        """
        if mode not in ('disable', 'enable'):
            raise exc.InvalidParameterValue("mode: 'disable' or 'enable'")
        return (yield from self.set_user_password(uid, mode))

    @base.call
    def set_user_access(self, uid, privilege_level='ReadOnly'):
        """Give account ``uid`` the role ``privilege_level``."""
        role = yield from self._role(privilege_level)
        info = yield from self._existing(uid)
        yield from self.conn.write('PATCH', info['@odata.id'],
                                   {'RoleId': role}, etag=_etag(info))

    @base.call
    def set_user_name(self, uid, name):
        """Rename account ``uid``.

        :returns: True
        """
        if not isinstance(name, str):
            raise exc.InvalidParameterValue('name: a user name')
        info = yield from self._existing(uid)
        yield from self.conn.write('PATCH', info['@odata.id'],
                                   {'UserName': name}, etag=_etag(info))
        return True

    @base.call
    def user_delete(self, uid):
        """Delete account ``uid``; where the service refuses DELETE (many
        keep fixed slots), give it a random password and a blank name.

        :raises InvalidParameterValue: no such account
        """
        info = yield from self._existing(uid)
        try:
            yield from self.conn.write('DELETE', info['@odata.id'])
        except exc.PyghmiException:
            yield from self.set_user_password(
                uid, 'set_password',
                base64.b64encode(os.urandom(15)).decode('ascii'))
            yield from self.set_user_name(uid, '')


def _text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _etag(info):
    etag = info.get('@odata.etag')
    return etag if isinstance(etag, str) else None
