"""The UpdateService, its firmware inventory and the tasks of pushed
updates.

The inventory is the BMC's firmware as Get Device ID reports it (the
version ``ipmitool mc info`` shows).  An image pushed to HttpPushUri
(the body) or MultipartHttpPushUri (``UpdateParameters`` and
``UpdateFile`` parts) is checked (not empty, targets in the inventory),
recorded (size, SHA-256) and answered 202 with a Task whose progress
runs to Completed in a second or so: a fake BMC flashes nothing, but a
client's upload and task monitoring are exercised as on a real one.
"""

import datetime
import email.parser
import email.policy
import hashlib
import json

from pyghmi.redfish.service import auth
from pyghmi.redfish.service.common import ROOT, collection, link, route
from pyghmi.redfish.service.errors import RedfishError

SERVICE = ROOT + '/UpdateService'
INVENTORY = SERVICE + '/FirmwareInventory'
BMC_FIRMWARE = INVENTORY + '/bmc'
PUSH = SERVICE + '/upload'
MULTIPART = SERVICE + '/update-multipart'
TASKS_SERVICE = ROOT + '/TaskService'
TASKS = TASKS_SERVICE + '/Tasks'
MAX_IMAGE = 64 << 20          # bytes of a pushed image
TASK_SECONDS = 1.0            # how long a pushed update "runs"


def update_service(ctx):
    return {'@odata.id': SERVICE,
            '@odata.type': '#UpdateService.v1_8_0.UpdateService',
            'Id': 'UpdateService', 'Name': 'Update Service',
            'ServiceEnabled': True, 'Status': {'State': 'Enabled',
                                               'Health': 'OK'},
            'HttpPushUri': PUSH, 'MultipartHttpPushUri': MULTIPART,
            'MaxImageSizeBytes': MAX_IMAGE,
            'FirmwareInventory': link(INVENTORY)}


def inventory(ctx):
    return collection(INVENTORY, 'SoftwareInventory', 'Firmware Inventory',
                      [BMC_FIRMWARE])


def firmware(ctx):
    if ctx.ids[0] != 'bmc':
        raise RedfishError(404, 'ResourceNotFound', 'SoftwareInventory',
                           ctx.ids[0])
    return {'@odata.id': BMC_FIRMWARE,
            '@odata.type': '#SoftwareInventory.v1_3_0.SoftwareInventory',
            'Id': 'bmc', 'Name': 'BMC Firmware',
            'Version': ctx.machine.firmware_version(), 'Updateable': False,
            'Status': {'State': 'Enabled', 'Health': 'OK'}}


def _accept(ctx, image, targets):
    if not image:
        raise RedfishError(400, 'PropertyMissing', 'UpdateFile')
    for target in targets:
        if target not in (BMC_FIRMWARE, INVENTORY + '/bmc/'):
            raise RedfishError(400, 'ActionParameterValueNotInList', target,
                               'Targets', 'UpdateService')
    task = ctx.service.tasks.start(ctx.now, len(image),
                                   hashlib.sha256(image).hexdigest())
    uri = '%s/%s' % (TASKS, task['id'])
    return 202, task_body(task, ctx.now), {'Location': uri}


def push(ctx, body):
    """POST of an image to HttpPushUri (the request body is the image)."""
    return _accept(ctx, body, ())


def multipart(ctx, body):
    """POST of ``multipart/form-data`` to MultipartHttpPushUri."""
    kind = ctx.headers.get('content-type', '')
    if not kind.lower().startswith('multipart/form-data'):
        raise RedfishError(400, 'GeneralError',
                           'expected multipart/form-data')
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b'Content-Type: ' + kind.encode('latin-1') + b'\r\n\r\n' + body)
    parts = {}
    for part in message.iter_parts():
        name = part.get_param('name', header='content-disposition')
        payload = part.get_payload(decode=True)
        if name:
            parts[name] = payload if isinstance(payload, bytes) else b''
    parameters = {}
    if parts.get('UpdateParameters'):
        try:
            parameters = json.loads(parts['UpdateParameters'])
        except ValueError:
            raise RedfishError(400, 'MalformedJSON')
        if not isinstance(parameters, dict):
            raise RedfishError(400, 'MalformedJSON')
    targets = parameters.get('Targets', [])
    if not isinstance(targets, list):
        raise RedfishError(400, 'PropertyValueTypeError', targets,
                           'Targets')
    return _accept(ctx, parts.get('UpdateFile', b''), targets)


class Tasks:
    """The tasks of pushed updates (the last 32 kept)."""

    def __init__(self):
        self.tasks = {}
        self._next = 1

    def start(self, now, size, digest):
        task = {'id': str(self._next), 'started': now, 'size': size,
                'sha256': digest,
                'wall': datetime.datetime.now(datetime.timezone.utc)}
        self._next += 1
        self.tasks[task['id']] = task
        while len(self.tasks) > 32:
            self.tasks.pop(next(iter(self.tasks)))
        return task


def task_body(task, now):
    """A Task, its progress following the time since it started."""
    done = min(100, int(100 * (now - task['started']) / TASK_SECONDS))
    state = 'Completed' if done >= 100 else 'Running'
    return {'@odata.id': '%s/%s' % (TASKS, task['id']),
            '@odata.type': '#Task.v1_4_3.Task', 'Id': task['id'],
            'Name': 'Firmware update', 'TaskState': state,
            'TaskStatus': 'OK', 'PercentComplete': done,
            'StartTime': task['wall'].strftime('%Y-%m-%dT%H:%M:%S+00:00'),
            'Messages': [{'MessageId': 'Base.1.8.Success',
                          'Message': 'Image of %d bytes (SHA-256 %s) '
                          'accepted' % (task['size'], task['sha256'][:16]),
                          'Severity': 'OK', 'MessageSeverity': 'OK'}]}


def task_service(ctx):
    return {'@odata.id': TASKS_SERVICE,
            '@odata.type': '#TaskService.v1_1_4.TaskService',
            'Id': 'TaskService', 'Name': 'Task Service',
            'ServiceEnabled': True, 'Tasks': link(TASKS)}


def tasks(ctx):
    return collection(TASKS, 'Task', 'Task Collection', [
        '%s/%s' % (TASKS, ident) for ident in ctx.service.tasks.tasks])


def task(ctx):
    found = ctx.service.tasks.tasks.get(ctx.ids[0])
    if found is None:
        raise RedfishError(404, 'ResourceNotFound', 'Task', ctx.ids[0])
    return task_body(found, ctx.now)


ROUTES = (
    route(PUSH, raw_limit=MAX_IMAGE,
          POST=(auth.CONFIGURE_COMPONENTS, push)),
    route(MULTIPART, raw_limit=MAX_IMAGE + (1 << 16),
          POST=(auth.CONFIGURE_COMPONENTS, multipart)),
    route(TASKS_SERVICE, GET=(auth.LOGIN, task_service)),
    route(TASKS, GET=(auth.LOGIN, tasks)),
    route(TASKS + '/([^/]+)', GET=(auth.LOGIN, task)),
    route(SERVICE, GET=(auth.LOGIN, update_service)),
    route(INVENTORY, GET=(auth.LOGIN, inventory)),
    route(INVENTORY + '/([^/]+)', GET=(auth.LOGIN, firmware)),
)
