"""The manager's SEL as a Redfish LogService: its entries are the IPMI
SEL's records (decoded by :mod:`pyghmi.ipmi.events`, as the client
decodes them), and ClearLog empties the same SEL ``ipmitool sel clear``
does.  Served when the Bmc has an event log (fakebmc's ``sel``: see
:meth:`pyghmi.redfish.service.machine.BmcMachine.event_log`).
"""

import datetime

from pyghmi import constants as pyghmi_constants
from pyghmi import exceptions as exc
from pyghmi.ipmi import events
from pyghmi.redfish.service import auth
from pyghmi.redfish.service import errors
from pyghmi.redfish.service.common import (
    MANAGER, collection, link, route, status)
from pyghmi.redfish.service.errors import RedfishError

SERVICES = MANAGER + '/LogServices'
SEL = SERVICES + '/SEL'
# SEL timestamps below this are seconds since the BMC started (33.2)
_PRE_INIT = 0x20000000
_SEVERITY = {pyghmi_constants.Health.Ok: 'OK',
             pyghmi_constants.Health.Warning: 'Warning',
             pyghmi_constants.Health.Critical: 'Critical',
             pyghmi_constants.Health.Failed: 'Critical'}


def _log(ctx):
    log = ctx.machine.event_log()
    if log is None:
        raise RedfishError(404, 'ResourceNotFound', 'LogService', 'SEL')
    return log


def log_services(ctx):
    """The manager's log services: the SEL."""
    _log(ctx)
    return collection(SERVICES, 'LogService', 'Log Service Collection',
                      [SEL])


def sel_service(ctx):
    """The SEL LogService."""
    log = _log(ctx)
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        '@odata.id': SEL, '@odata.type': '#LogService.v1_2_0.LogService',
        'Id': 'SEL', 'Name': 'System Event Log', 'ServiceEnabled': True,
        'LogEntryType': 'SEL', 'OverWritePolicy': 'NeverOverWrites',
        'MaxNumberOfRecords': log.capacity,
        'DateTime': now.strftime('%Y-%m-%dT%H:%M:%S+00:00'),
        'DateTimeLocalOffset': '+00:00', 'Status': status(),
        'Entries': link(SEL + '/Entries'),
        'Actions': {'#LogService.ClearLog': {
            'target': SEL + '/Actions/LogService.ClearLog'}},
    }


def entries(ctx):
    """The SEL records, oldest first, each whole (the schema auto-expands
    the members of a LogEntry collection)."""
    log = _log(ctx)
    body = collection(SEL + '/Entries', 'LogEntry', 'SEL Entries', [])
    body['Members'] = [entry_body(record_id, raw)
                       for record_id, raw in _records(log)]
    body['Members@odata.count'] = len(body['Members'])
    return body


def _records(log):
    for raw in log.records:
        yield int.from_bytes(raw[:2], 'little'), raw


def entry(ctx):
    """One SEL record as a LogEntry."""
    log = _log(ctx)
    for record_id, raw in _records(log):
        if str(record_id) == ctx.ids[0]:
            return entry_body(record_id, raw)
    raise RedfishError(404, 'ResourceNotFound', 'LogEntry', ctx.ids[0])


def entry_body(record_id, raw):
    """The LogEntry of one 16-byte SEL record."""
    try:
        event = events.finish_event(events.decode_record(raw))
    except exc.DecodeError:
        event = {}
    body = {'@odata.id': '%s/Entries/%d' % (SEL, record_id),
            '@odata.type': '#LogEntry.v1_9_0.LogEntry',
            'Id': str(record_id), 'Name': 'SEL entry %d' % record_id,
            'EntryType': 'SEL',
            'Severity': _SEVERITY.get(event.get('severity', 0), 'OK'),
            'Message': _message(event),
            'EntryCode': 'Deassert' if event.get('deassertion')
            else 'Assert'}
    stamp = event.get('_raw_time')
    if stamp is not None and stamp >= _PRE_INIT and stamp != 0xFFFFFFFF:
        created = datetime.datetime.fromtimestamp(stamp,
                                                  datetime.timezone.utc)
        body['Created'] = created.strftime('%Y-%m-%dT%H:%M:%S+00:00')
    if 'component_id' in event:
        body['SensorNumber'] = raw[11]
    return body


def _message(event):
    text = event.get('event') or 'OEM record'
    component = event.get('component')
    data = event.get('event_data')
    parts = [component, text] if component else [text]
    if data:
        parts.append(str(data))
    return ': '.join(parts[:2]) + (' (%s)' % parts[2] if len(parts) > 2
                                   else '')


def clear(ctx, body):
    """#LogService.ClearLog: empties the SEL (as IPMI's Clear SEL)."""
    for key in body:
        raise RedfishError(400, 'ActionParameterUnknown',
                           'LogService.ClearLog', key)
    _log(ctx).erase()
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


ROUTES = (
    route(SERVICES, GET=(auth.LOGIN, log_services)),
    route(SEL, GET=(auth.LOGIN, sel_service)),
    route(SEL + '/Entries', GET=(auth.LOGIN, entries)),
    route(SEL + '/Entries/([^/]+)', GET=(auth.LOGIN, entry)),
    route(SEL + '/Actions/LogService.ClearLog', guarded_by=SEL,
          POST=(auth.CONFIGURE_MANAGER, clear)),
)
