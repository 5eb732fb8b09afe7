"""The event log: the entries of the manager's log services, with the
BMC's clock skew applied to their times."""

import datetime

from pyghmi import constants as const
from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.areas import sensors

# A BMC clock this close to ours is taken as right: its DateTime has a
# resolution of a second, and the request took some time.
CLOCK_NOISE = datetime.timedelta(seconds=2)


class EventLog(base.Base):
    """Event log flows."""

    def log_services(self):
        """Flow: the URIs of the log services to read (the manager's)."""
        manager = yield from self.manager()
        uri = base.link(manager, 'LogServices')
        if not uri:
            return []
        return base.links(base.seq((yield from self.conn.get(uri)),
                                   'Members'))

    @base.listing
    def get_event_log(self, clear=False):
        """The manager's log entries, oldest first per log, as pyghmi's
        dicts: ``log_id`` (the log service's Id), ``timestamp`` (local
        time, corrected by how far the BMC's clock is off ours),
        ``message`` and ``severity`` (pyghmi.constants.Health).

        :param clear: clear each log (ClearLog) once its entries are read
        """
        manager = yield from self.manager(cache=False)
        skew = clock_skew(manager.get('DateTime'))
        for uri in (yield from self.log_services()):
            try:
                info = yield from self.conn.get(uri, cache=not clear)
            except exc.PyghmiException:
                yield {'log_id': base.last_part(uri),
                       'message': 'Could not retrieve log at %s' % uri,
                       'severity': const.Health.Ok,
                       'timestamp': datetime.datetime.now().strftime(
                           '%Y-%m-%dT%H:%M:%S')}
                continue
            entries = base.link(info, 'Entries')
            if not entries:
                continue
            members = base.objects((yield from self.conn.get(
                entries, cache=False)), 'Members')
            if clear:
                yield from self._clear_log(uri)
            for entry in members:
                if set(entry) <= {'@odata.id'} and entry.get('@odata.id'):
                    entry = yield from self.conn.get(entry['@odata.id'])
                record = log_record(base.text(info, 'Id', ''), entry, skew)
                if record is not None:
                    yield record

    def _clear_log(self, uri):
        info = yield from self.conn.get(uri, cache=False)
        target = base.text(base.obj(info, 'Actions', '#LogService.ClearLog'),
                           'target')
        if target:
            yield from self.conn.write('POST', target, {})


def log_record(log_id, entry, skew):
    """pyghmi's dict of one LogEntry, None when it says nothing."""
    if not {'Created', 'Message', 'Severity'} & set(entry):
        return None          # nothing a reader could act on
    when = parse_time(entry.get('Created')) or \
        parse_time(entry.get('EventTimestamp'))
    if when is not None:
        stamp = (when + skew).astimezone().strftime('%Y-%m-%dT%H:%M:%S')
    else:
        stamp = base.text(entry, 'Created', '')
    return {'log_id': log_id, 'timestamp': stamp,
            'message': entry.get('Message'),
            'severity': _severity(entry.get('Severity', 'Warning'))}


def _severity(text):
    # (an unknown severity is OK, as pyghmi reads it)
    if not isinstance(text, str):
        return const.Health.Ok
    return sensors.HEALTH.get(text, const.Health.Ok)


def parse_time(text):
    """An ISO 8601 time with its offset (UTC when none), or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when


def clock_skew(bmc_now):
    """How far the BMC's clock is behind ours (a timedelta), zero when
    within :data:`CLOCK_NOISE` or unknown."""
    when = parse_time(bmc_now)
    if when is None:
        return datetime.timedelta(0)
    skew = datetime.datetime.now(datetime.timezone.utc) - when
    return skew if abs(skew) > CLOCK_NOISE else datetime.timedelta(0)
