"""Who is asking: Basic credentials or a session token, checked against
the BMC's IPMI user table, and what their role lets them do.

Roles come from IPMI privilege levels: 4 (administrator) is
Administrator, 3 (operator) Operator, 2 (user) ReadOnly; callback and
no-access users cannot use Redfish.  Failed logins count in the IPMI
side's login guard, so one lockout covers both protocols.

Sessions live in a bounded table: at most ``limit`` at once (the one
idle longest is evicted for a new login), each ended by logout or after
``timeout`` seconds without a request.
"""

import base64
import binascii
import hmac
import secrets

from pyghmi.ipmi.private import constants as const
from pyghmi.redfish.service.errors import RedfishError

LOGIN = 'Login'
CONFIGURE_MANAGER = 'ConfigureManager'
CONFIGURE_USERS = 'ConfigureUsers'
CONFIGURE_COMPONENTS = 'ConfigureComponents'
CONFIGURE_SELF = 'ConfigureSelf'

# Role id -> its privileges (the standard roles of the Redfish schema)
ROLES = {
    'Administrator': (LOGIN, CONFIGURE_MANAGER, CONFIGURE_USERS,
                      CONFIGURE_COMPONENTS, CONFIGURE_SELF),
    'Operator': (LOGIN, CONFIGURE_COMPONENTS, CONFIGURE_SELF),
    'ReadOnly': (LOGIN, CONFIGURE_SELF),
}
ROLE_OF_PRIVILEGE = {const.PRIV_ADMINISTRATOR: 'Administrator',
                     const.PRIV_OEM: 'Administrator',
                     const.PRIV_OPERATOR: 'Operator',
                     const.PRIV_USER: 'ReadOnly'}
PRIVILEGE_OF_ROLE = {'Administrator': const.PRIV_ADMINISTRATOR,
                     'Operator': const.PRIV_OPERATOR,
                     'ReadOnly': const.PRIV_USER}


class Session:
    """One Redfish login session (the token stays out of ``repr``)."""

    __slots__ = ('id', 'token', 'user', 'created', 'last_used', 'address')

    def __init__(self, sid, token, user, now, address):
        self.id = sid
        self.token = token
        self.user = user
        self.created = now
        self.last_used = now
        self.address = address

    def __repr__(self):
        return 'Session(id=%r, user=%r)' % (self.id, self.user)


class Principal:
    """An authenticated requester: user name, role, and the session the
    request came in (None for Basic authentication)."""

    __slots__ = ('user', 'role', 'session')

    def __init__(self, user, role, session=None):
        self.user = user
        self.role = role
        self.session = session

    def may(self, privilege):
        """True when the role grants ``privilege``."""
        return privilege in ROLES[self.role]


class SessionTable:
    """The open sessions of one service.

    :param limit: sessions at once
    :param timeout: seconds of inactivity that end a session
    """

    def __init__(self, limit=64, timeout=1800):
        self.limit = limit
        self.timeout = timeout
        self._by_token = {}
        self._by_id = {}
        self._next_id = 1

    def __len__(self):
        return len(self._by_id)

    def sessions(self, now):
        """The live sessions, oldest first."""
        self._expire(now)
        return sorted(self._by_id.values(), key=lambda s: s.created)

    def get(self, sid, now):
        """The session of id ``sid`` (a string), or None."""
        self._expire(now)
        return self._by_id.get(sid)

    def open(self, user, now, address):
        """A new session of ``user``; the one idle longest goes when the
        table is full."""
        self._expire(now)
        if len(self._by_id) >= self.limit:
            oldest = min(self._by_id.values(), key=lambda s: s.last_used)
            self.close(oldest)
        sid = str(self._next_id)
        self._next_id += 1
        session = Session(sid, secrets.token_urlsafe(32), user, now, address)
        self._by_id[sid] = session
        self._by_token[session.token] = session
        return session

    def close(self, session):
        """End ``session`` (logout)."""
        self._by_id.pop(session.id, None)
        self._by_token.pop(session.token, None)

    def close_user(self, user):
        """End every session of ``user`` (deleted, renamed, disabled)."""
        for session in list(self._by_id.values()):
            if session.user == user:
                self.close(session)

    def by_token(self, token, now):
        """The live session of ``token``, its idle time restarted."""
        session = self._by_token.get(token)
        if session is None:
            return None
        if now - session.last_used > self.timeout:
            self.close(session)
            return None
        session.last_used = now
        return session

    def _expire(self, now):
        for session in list(self._by_id.values()):
            if now - session.last_used > self.timeout:
                self.close(session)


def role_of(account):
    """The role of an IPMI account, or None when it may not log in."""
    return ROLE_OF_PRIVILEGE.get(account.privilege)


def check_password(accounts, guard, user, password, now):
    """The role of ``user`` when ``password`` is right; raises
    :class:`RedfishError` 401 otherwise (also while the user is locked
    out; the guard counts the failure)."""
    name = user.encode('utf-8')
    account = accounts.get(name)
    if guard.locked(name, now):
        raise RedfishError(401, 'NoValidSession')
    role = role_of(account) if account is not None else None
    if account is None or role is None or not hmac.compare_digest(
            account.password, password.encode('utf-8')):
        guard.failed(name, now)
        raise RedfishError(401, 'NoValidSession')
    guard.succeeded(name)
    return role


def basic_credentials(header):
    """``(user, password)`` of an ``Authorization: Basic`` header, or
    None when it is not one."""
    scheme, _, value = header.partition(' ')
    if scheme.lower() != 'basic':
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode(
            'utf-8')
    except (binascii.Error, UnicodeDecodeError):
        raise RedfishError(401, 'NoValidSession')
    user, sep, password = decoded.partition(':')
    if not sep:
        raise RedfishError(401, 'NoValidSession')
    return user, password
