"""What the resource modules share: the URIs, the handler context,
the route record and small body builders and checks."""

import re
import typing

from pyghmi.redfish.service.errors import RedfishError

ROOT = '/redfish/v1'
SYSTEM = ROOT + '/Systems/system'
CHASSIS = ROOT + '/Chassis/chassis'
MANAGER = ROOT + '/Managers/bmc'
SESSIONS = ROOT + '/SessionService/Sessions'
ACCOUNTS = ROOT + '/AccountService/Accounts'
ROLES_URI = ROOT + '/AccountService/Roles'
REDFISH_VERSION = '1.15.0'
PASSWORD_MAX = 20         # the IPMI user table's limit (22.30)
NAME_MAX = 16


class Ctx(typing.NamedTuple):
    """What a handler works with."""

    service: typing.Any     # core.RedfishService
    machine: typing.Any     # machine.BmcMachine
    principal: typing.Any   # auth.Principal or None
    now: float
    ids: typing.Tuple[str, ...]
    address: typing.Any
    headers: typing.Mapping[str, str] = {}


def link(uri):
    """An ``{"@odata.id": uri}`` reference."""
    return {'@odata.id': uri}


def collection(uri, kind, name, members):
    """A resource collection of ``kind`` whose members are these URIs."""
    return {'@odata.id': uri,
            '@odata.type': '#%sCollection.%sCollection' % (kind, kind),
            'Name': name, 'Members@odata.count': len(members),
            'Members': [link(m) for m in members]}


def status():
    """The Status of a resource that works."""
    return {'State': 'Enabled', 'Health': 'OK'}


def json_object(body, what):
    """``body`` must be a JSON object."""
    if not isinstance(body, dict):
        raise RedfishError(400, 'MalformedJSON')
    return body


def only(body, allowed, readonly=()):
    """Refuse properties other than ``allowed`` (read-only ones named as
    such)."""
    for key in body:
        if key in readonly or key.startswith('@odata'):
            raise RedfishError(400, 'PropertyNotWritable', key)
        if key not in allowed:
            raise RedfishError(400, 'PropertyUnknown', key)


def choice(value, allowed, name):
    """``value`` when it is one of ``allowed`` (for property ``name``)."""
    if not isinstance(value, str):
        raise RedfishError(400, 'PropertyValueTypeError', value, name)
    if value not in allowed:
        raise RedfishError(400, 'PropertyValueNotInList', value, name)
    return value


class Route(typing.NamedTuple):
    """One path: its handlers by method, with the privilege each needs
    (None: no credentials needed), and the resource whose ETag guards a
    change (actions are guarded by their resource's)."""

    pattern: typing.Pattern
    methods: typing.Dict[str, typing.Tuple[typing.Optional[str],
                                           typing.Callable]]
    guarded_by: typing.Optional[str] = None
    # the handler takes the request body as bytes (an uploaded image) of
    # up to this many bytes, not JSON; 0: JSON
    raw_limit: int = 0


def route(path, guarded_by=None, raw_limit=0, **methods):
    """A :class:`Route` for ``path`` (a regular expression whose groups
    are the ids handlers get)."""
    return Route(re.compile('^%s$' % path), methods, guarded_by, raw_limit)
