"""A BMC's user table and its user commands (the BMC side, no I/O).

User id slots 1..size; id 1 is the null user (no name).  What logins may
use is derived from the table (:meth:`UserTable.accounts`): an enabled
user with a name, IPMI messaging allowed and a privilege limit other
than "no access".  The Bmc framework answers Set/Get User Access, Set/Get
User Name and Set User Password from here, so a change made over IPMI
(ipmitool ``user set password``) applies to the next login.
"""

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import users

DEFAULT_SIZE = 16


class UserSlot:
    """One user id's settings (a single LAN channel is modelled)."""

    __slots__ = ('name', 'password', 'enabled', 'privilege', 'callback',
                 'link_auth', 'ipmi_msg', 'payloads')

    # A new id allows IPMI messaging, as BMCs ship their slots: setting a
    # name, a password, enabling it and a privilege limit makes a login.
    def __init__(self, name=b'', password=b'', enabled=False,
                 privilege=users.NO_ACCESS, callback=False, link_auth=False,
                 ipmi_msg=True):
        self.name = name
        self.password = password
        self.enabled = enabled
        self.privilege = privilege
        self.callback = callback
        self.link_auth = link_auth
        self.ipmi_msg = ipmi_msg
        self.payloads = users.PAYLOAD_SOL_BIT   # SOL allowed by default

    def __repr__(self):       # never the password
        return 'UserSlot(%r, enabled=%r, privilege=%r)' % (
            self.name, self.enabled, self.privilege)


class UserTable:
    """The user ids of a BMC.

    :param accounts: initial ``{name: Account}`` (ids 2, 3... in order)
    :param account_class: builds login accounts (``Account(name,
        password, privilege)``)
    :param size: number of user ids
    """

    def __init__(self, accounts, account_class, size=DEFAULT_SIZE):
        self.size = max(size, len(accounts) + 1)
        self._account = account_class
        self.slots = [UserSlot() for _ in range(self.size + 1)]  # 0 unused
        for uid, account in enumerate(accounts.values(), 2):
            self.slots[uid] = UserSlot(
                account.name, account.password, True, account.privilege,
                False, True, True)

    def to_state(self):
        """The table as JSON-able data (it holds the passwords: whoever
        stores it must protect it)."""
        return [{'name': slot.name.hex(), 'password': slot.password.hex(),
                 'enabled': slot.enabled, 'privilege': slot.privilege,
                 'callback': slot.callback, 'link_auth': slot.link_auth,
                 'ipmi_msg': slot.ipmi_msg, 'payloads': slot.payloads}
                for slot in self.slots[1:]]

    def load_state(self, state):
        """Restore what :meth:`to_state` saved (ids beyond the table's
        size are ignored)."""
        for uid, saved in enumerate(state[:self.size], 1):
            self.slots[uid] = UserSlot(
                bytes.fromhex(saved['name']),
                bytes.fromhex(saved['password']), bool(saved['enabled']),
                int(saved['privilege']), bool(saved['callback']),
                bool(saved['link_auth']), bool(saved['ipmi_msg']))
            self.slots[uid].payloads = int(saved.get(
                'payloads', users.PAYLOAD_SOL_BIT))

    def accounts(self):
        """``{name: Account}`` of the users who may log in."""
        out = {}
        for slot in self.slots[1:]:
            if slot.enabled and slot.name and slot.ipmi_msg and \
                    slot.privilege not in (0, users.NO_ACCESS) and \
                    slot.name not in out:
                out[slot.name] = self._account(
                    slot.name, slot.password,
                    min(slot.privilege, const.PRIV_OEM))
        return out

    def _slot(self, uid):
        if not 1 <= uid <= self.size:
            raise ValueError(uid)
        return self.slots[uid]

    # ---------------------------------------------------------- commands
    def handle(self, cmd, data):
        """Answer one user command: ``(completion code, data)``."""
        handler = _COMMANDS.get(cmd)
        if handler is None:
            return const.CC_INVALID_COMMAND, b''
        try:
            return handler(self, bytes(data))
        except DecodeError:
            return const.CC_DATA_LENGTH_INVALID, b''
        except ValueError:
            return const.CC_INVALID_DATA_FIELD, b''

    def _get_access(self, data):
        req = users.GET_USER_ACCESS_REQUEST.decode(data)
        slot = self._slot(req['uid'])
        enabled = sum(1 for s in self.slots[1:] if s.enabled)
        return const.CC_OK, users.GET_USER_ACCESS.encode(
            max_users=self.size, enabled_users=enabled,
            enable_status=(users.ENABLED_VIA_PASSWORD if slot.enabled
                           else users.DISABLED_VIA_PASSWORD),
            fixed_names=1, privilege=slot.privilege,
            ipmi_msg=slot.ipmi_msg, link_auth=slot.link_auth,
            callback=slot.callback)

    def _set_access(self, data):
        req = users.SET_USER_ACCESS.decode(data)
        slot = self._slot(req['uid'])
        if req['privilege'] not in users.PRIVILEGE_NAMES:
            raise ValueError(req['privilege'])
        if req['change']:
            slot.callback, slot.link_auth, slot.ipmi_msg = (
                req['callback'], req['link_auth'], req['ipmi_msg'])
        slot.privilege = req['privilege']
        return const.CC_OK, b''

    def _get_name(self, data):
        slot = self._slot(users.GET_USER_NAME_REQUEST.decode(data)['uid'])
        return const.CC_OK, users.pad_name(slot.name)

    def _set_name(self, data):
        req = users.SET_USER_NAME.decode(data)
        if req['uid'] == 1:
            raise ValueError('the null user has no name')   # fixed name
        slot = self._slot(req['uid'])
        slot.name = bytes(req['name']).split(b'\x00')[0]
        return const.CC_OK, b''

    def _set_password(self, data):
        req = users.SET_USER_PASSWORD.decode(data)
        slot = self._slot(req['uid'])
        operation = req['operation']
        if operation in (0, 1):
            slot.enabled = operation == 1
            return const.CC_OK, b''
        size = 20 if req['twenty'] else 16
        password = bytes(req['password'] or b'')
        if len(password) != size:
            return const.CC_DATA_LENGTH_INVALID, b''
        password = password.rstrip(b'\x00')
        if operation == 2:
            slot.password = password
            return const.CC_OK, b''
        if len(slot.password) > size:
            return users.CC_WRONG_PASSWORD_SIZE, b''
        if password != slot.password:
            return users.CC_WRONG_PASSWORD, b''
        return const.CC_OK, b''


def _get_payload_access(table, data):
    req = users.GET_PAYLOAD_ACCESS_REQUEST.decode(data)
    slot = table._slot(req['uid'])
    return const.CC_OK, users.GET_PAYLOAD_ACCESS.encode(
        standard=slot.payloads, reserved1=0, oem=0, reserved2=0)


def _set_payload_access(table, data):
    req = users.SET_PAYLOAD_ACCESS.decode(data)
    slot = table._slot(req['uid'])
    bits = req['standard'] & 0xFE
    if req['operation'] == users.PAYLOAD_ENABLE:
        slot.payloads |= bits
    elif req['operation'] == users.PAYLOAD_DISABLE:
        slot.payloads &= ~bits
    else:
        raise ValueError(req['operation'])
    return const.CC_OK, b''


_COMMANDS = {
    users.CMD_GET_USER_PAYLOAD_ACCESS: _get_payload_access,
    users.CMD_SET_USER_PAYLOAD_ACCESS: _set_payload_access,
    users.CMD_GET_USER_ACCESS: UserTable._get_access,
    users.CMD_SET_USER_ACCESS: UserTable._set_access,
    users.CMD_GET_USER_NAME: UserTable._get_name,
    users.CMD_SET_USER_NAME: UserTable._set_name,
    users.CMD_SET_USER_PASSWORD: UserTable._set_password,
}
