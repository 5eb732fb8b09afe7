"""What every area of the Redfish client shares: the marks of public
flows, the handler's state (connection, system, manager and chassis
URIs) and forgiving readers of JSON.

Readers such as :func:`obj`, :func:`seq` and :func:`link` return an
empty value of the expected type when the service sent another type,
so that a surprising answer gives a clear result or error, never a
KeyError or TypeError in the caller.
"""

import typing

from pyghmi import exceptions as exc

# name -> 'call' | 'listing' for every public flow (filled by the marks)
PUBLIC: typing.Dict[str, str] = {}


def call(function):
    """Mark a flow as a public method returning one result."""
    PUBLIC[function.__name__] = 'call'
    function.pyghmi_kind = 'call'
    return function


def listing(function):
    """Mark a flow as a public method yielding its results (a generator
    for the blocking API, an async generator for asyncio)."""
    PUBLIC[function.__name__] = 'listing'
    function.pyghmi_kind = 'listing'
    return function


def obj(data, *keys):
    """``data[k1][k2]...`` when each step is a JSON object, else {}."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def seq(data, *keys):
    """``data[k1][k2]...`` when it is a list, else []."""
    for key in keys[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    value = data.get(keys[-1]) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def objects(data, *keys):
    """The JSON objects in the list ``data[k1][k2]...`` (others left
    out)."""
    return [item for item in seq(data, *keys) if isinstance(item, dict)]


def link(data, *keys):
    """The ``@odata.id`` of ``data[k1][k2]...``, or None."""
    uri = obj(data, *keys).get('@odata.id')
    return uri if isinstance(uri, str) and uri else None


def links(items):
    """The ``@odata.id`` of each link object of a list."""
    out = []
    for item in items if isinstance(items, list) else []:
        uri = item.get('@odata.id') if isinstance(item, dict) else None
        if isinstance(uri, str) and uri:
            out.append(uri)
    return out


def text(data, key, default=None):
    """``data[key]`` when it is a string, else ``default``."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else default


def refused(err):
    """Whether ``err`` is the service answering with an HTTP error
    status (a link to something it cannot serve), rather than a failed
    connection or time-out."""
    return getattr(err, 'status', None) is not None


# statuses that mean "no such thing here": the service links to a
# resource it does not implement
NOT_THERE = (404, 405, 501)


def last_part(uri):
    """The last segment of a URI path: a member's id."""
    return uri.rstrip('/').rsplit('/', 1)[-1]


class Base:
    """The state the areas share.

    :param conn: a :class:`pyghmi.redfish.client.connection.Connection`
        already open (its ``root`` read)
    :param sysurl: the system's URI or id, when the BMC has several
    :param bmcurl: the manager's URI
    :param chassisurl: the chassis' URI
    """

    def __init__(self, conn, sysurl=None, bmcurl=None, chassisurl=None):
        self.conn = conn
        self.root = conn.root
        self.sysurl = None
        self._wanted_sysurl = sysurl
        self._bmcurl = bmcurl
        self._chassisurl = chassisurl
        self.powerurl = None

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.conn)

    def start(self):
        """Flow: find the system and the manager (run once by the
        constructor).

        :raises PyghmiException: ``sysurl`` names no system, or the
            BMC manages several and none was named
        """
        if 'Systems' not in self.root and 'Managers' not in self.root:
            raise exc.PyghmiException('Redfish not ready')
        self.sysurl = yield from self._member('Systems', self._wanted_sysurl)
        if not self._bmcurl:
            system = yield from self.system()
            managers = links(seq(system, 'Links', 'ManagedBy'))
            self._bmcurl = managers[0] if managers else (
                yield from self._member('Managers', None, strict=False))
        if self.sysurl:
            system = yield from self.system()
            target = obj(system, 'Actions', '#ComputerSystem.Reset').get(
                'target')
            self.powerurl = target if isinstance(target, str) else None

    def _member(self, collection, wanted, strict=True):
        """Flow: the one member of a root collection (or the one
        ``wanted`` names by URI or id)."""
        uri = link(self.root, collection)
        if not uri:
            return None
        listing_ = yield from self.conn.get(uri)
        members = links(seq(listing_, 'Members'))
        if wanted:
            for member in members:
                if wanted in (member, last_part(member)):
                    return member
            raise exc.PyghmiException('Specified sysurl not found: %s'
                                      % wanted)
        if len(members) > 1:
            members = [m for m in members if 'DPU' not in m]
        if len(members) > 1:
            if not strict:
                return None
            raise exc.PyghmiException(
                'Multi system manager, sysurl is required parameter')
        return members[0] if members else None

    # -------------------------------------------------- shared readers
    def system(self, cache=True):
        """Flow: the ComputerSystem resource ({} without a system)."""
        if not self.sysurl:
            return {}
        return (yield from self.conn.get(self.sysurl, cache))

    def manager(self, cache=True):
        """Flow: the Manager resource of the BMC ({} without one)."""
        if not self._bmcurl:
            return {}
        return (yield from self.conn.get(self._bmcurl, cache))

    def chassis_uris(self):
        """Flow: the URIs of the system's chassis (the ``chassisurl``
        given, else the system's links, else the only chassis)."""
        if self._chassisurl:
            return [self._chassisurl]
        system = yield from self.system()
        found = links(seq(system, 'Links', 'Chassis'))
        if found:
            return found
        uri = link(self.root, 'Chassis')
        if not uri:
            return []
        listing_ = yield from self.conn.get(uri)
        members = links(seq(listing_, 'Members'))
        return members if len(members) == 1 else []

    def service(self, name):
        """Flow: the URI and resource of a root service
        ('AccountService', 'UpdateService'...), ``(None, {})`` when the
        BMC has none."""
        uri = link(self.root, name)
        if not uri:
            return None, {}
        return uri, (yield from self.conn.get(uri))

    @call
    def logout(self):
        """End the Redfish session.

        :returns: ``{'success': True}``
        """
        yield from self.conn.logout()
        return {'success': True}
