"""Firmware: the UpdateService's inventory, its readiness, and updates
pushed to it (multipart or plain HTTP push) followed to their end
through the task they start."""

import os
import typing

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base
from pyghmi.redfish.areas import eventlog
from pyghmi.redfish.client import flow as rfflow
from pyghmi.util import forms

# SoftwareInventory Status.State -> pyghmi's firmware state
FIRMWARE_STATES = {'StandbyOffline': 'pending', 'Enabled': 'active',
                   'StandbySpare': 'backup'}
TASK_FAILED = ('Cancelled', 'Exception', 'Interrupted', 'Killed',
               'Suspended')
TASK_POLL = 1.0               # seconds between reads of a task
TASK_WAIT = 3600.0            # seconds an update may take at most
UPLOAD_TIMEOUT = 1800.0       # seconds an image upload may take


class Firmware(base.Base):
    """Firmware flows."""

    @base.listing
    def get_firmware(self, components=(), category=None):
        """``(name, info)`` of each firmware of the UpdateService's
        inventory: ``info`` has ``name``, ``id``, ``version``, ``date``
        (a datetime, or None), ``software_id`` and, when known,
        ``state`` ('active', 'pending', 'backup').

        :param components: kept for pyghmi's signature (all are listed)
        :raises UnsupportedFunctionality: no firmware inventory
        """
        _, service = yield from self.service('UpdateService')
        inventory = base.link(service, 'FirmwareInventory')
        if not inventory:
            raise exc.UnsupportedFunctionality(
                'BMC does not implement extended firmware information')
        seen: typing.Set[str] = set()
        try:
            members = yield from self.conn.members(inventory)
        except exc.PyghmiException as err:
            if getattr(err, 'status', None) not in base.NOT_THERE:
                raise
            raise exc.UnsupportedFunctionality(
                'BMC does not implement extended firmware information '
                '(its FirmwareInventory answers HTTP %s)'
                % getattr(err, 'status', None))
        for info in members:
            name, out = firmware_info(info, seen)
            if name is not None:
                yield name, out

    @base.call
    def get_update_status(self):
        """'ready' when the UpdateService is healthy (or enabled with an
        unknown health), else 'unavailable'."""
        uri, service = yield from self.service('UpdateService')
        if uri:
            service = yield from self.conn.get(uri, cache=False)
        health = base.obj(service, 'Status').get('Health', 'Unknown')
        if health == 'OK' or (health == 'Unknown' and
                              service.get('ServiceEnabled')):
            return 'ready'
        return 'unavailable'

    @base.call
    def update_firmware(self, file, data=None, progress=None, bank=None,
                        otherfields=()):
        """Push a firmware image to the UpdateService (multipart where it
        offers MultipartHttpPushUri, else HttpPushUri) and follow the
        task it starts to its end.

        :param file: the image's path (its name is sent with it)
        :param data: the image's bytes (or a readable file), instead of
            reading ``file``
        :param progress: ``callable({'phase', 'progress'})`` told of the
            upload and of the task's percentage
        :param bank: kept for pyghmi's signature
        :param otherfields: extra ``(name, value)`` form fields of a
            multipart push
        :returns: 'pending' (pyghmi's answer: the image is accepted and
            its task completed; when it takes effect is the BMC's
            affair, often at its next restart)
        :raises UnsupportedFunctionality: the service takes no push
        :raises TemporaryError: another push is under way
        :raises RedfishError: the service refused the image or the task
            failed (its messages)
        """
        image = _image_bytes(file, data)
        uri, service = yield from self.service('UpdateService')
        if uri:
            service = yield from self.conn.get(uri, cache=False)
        target = base.text(service, 'MultipartHttpPushUri')
        busy_flag = False
        if target:
            body, kind = _multipart(os.path.basename(str(file)), image,
                                    otherfields)
        else:
            target = base.text(service, 'HttpPushUri')
            if not target:
                raise exc.UnsupportedFunctionality(
                    'Redfish firmware update only supported for '
                    'implementations with push update support')
            if service.get('HttpPushUriTargetsBusy'):
                raise exc.TemporaryError('Cannot run multiple updates to '
                                         'same target concurrently')
            if 'HttpPushUriTargetsBusy' in service:
                yield from self.conn.write(
                    'PATCH', uri, {'HttpPushUriTargetsBusy': True})
                busy_flag = True
            body, kind = image, 'application/octet-stream'
        try:
            reply = yield from self.conn.request(
                'POST', target, body, headers={'Content-Type': kind},
                timeout=UPLOAD_TIMEOUT)
        finally:
            if busy_flag:
                yield from self.conn.write(
                    'PATCH', uri, {'HttpPushUriTargetsBusy': False})
        if progress:
            progress({'phase': 'upload', 'progress': 100.0})
        return (yield from self._follow(reply, progress))

    def _follow(self, reply, progress):
        """Flow: follow the task a push answered with to its end."""
        monitor = reply.headers.get('location')
        try:
            answer = reply.json()
        except exc.DecodeError:
            answer = {}
        if isinstance(answer, dict) and isinstance(
                answer.get('@odata.id'), str):
            monitor = answer['@odata.id']
        if not monitor:
            return 'pending'          # accepted at once: nothing to follow
        waited = 0.0
        while waited < TASK_WAIT:
            task = yield from self.conn.get(monitor, cache=False)
            state = task.get('TaskState')
            messages = base.objects(task, 'Messages')
            if state in TASK_FAILED:
                raise exc.RedfishError(
                    format_messages(messages) or 'update %s' % state,
                    msgid=','.join(str(m.get('MessageId', ''))
                                   for m in messages))
            percent = task.get('PercentComplete')
            if progress and isinstance(percent, (int, float)):
                progress({'phase': 'apply', 'progress': float(percent)})
            if state == 'Completed':
                if progress:
                    progress({'phase': 'complete', 'progress': 100.0})
                return 'pending'
            yield rfflow.Sleep(TASK_POLL)
            waited += TASK_POLL
        raise exc.IpmiTimeoutError('The firmware update task did not '
                                   'finish within %d s' % TASK_WAIT)


def firmware_info(info, seen):
    """``(name, dict)`` of one SoftwareInventory, or ``(None, None)``
    without a version or a date."""
    name = base.text(info, 'Name', 'Unknown')
    if name in seen:
        name = base.text(info, 'Id', name)
    seen.add(name)
    out = {'name': name, 'id': info.get('Id'),
           'version': info.get('Version', 'Unknown'),
           'date': eventlog.parse_time(info.get('ReleaseDate')),
           'software_id': info.get('SoftwareId', '')}
    if not (out['version'] or out['date']):
        return None, None
    state = base.obj(info, 'Status').get('State')
    if isinstance(state, str) and state in FIRMWARE_STATES:
        out['state'] = FIRMWARE_STATES[state]
    return name, out


def format_messages(messages):
    """'Severity: text' of each Redfish message, joined by ';'."""
    out = []
    for message in messages:
        severity = message.get('MessageSeverity', message.get('Severity'))
        text = message.get('Message', message.get('MessageId', ''))
        out.append('%s: %s' % (severity, text) if severity else str(text))
    return ';'.join(out)


def _image_bytes(file, data):
    if data is None:
        if not isinstance(file, (str, bytes, os.PathLike)):
            raise exc.InvalidParameterValue('file: a path, or give data')
        try:
            with open(file, 'rb') as stream:
                return stream.read()
        except OSError as err:
            raise exc.InvalidParameterValue('file: %s' % err.strerror)
    if hasattr(data, 'read'):
        data = data.read()
    if not isinstance(data, (bytes, bytearray)):
        raise exc.InvalidParameterValue('data: bytes or a readable file')
    return bytes(data)


def _multipart(filename, image, otherfields):
    """``(body, content type)`` of a multipart/form-data push: the
    caller's ``otherfields`` (a dict or pairs), an ``UpdateParameters``
    JSON part unless they hold one (Targets empty: the service decides,
    as DSP0266's MultipartHttpPushUri asks for the part), and the
    ``UpdateFile`` part."""
    fields = list(otherfields.items() if isinstance(otherfields, dict)
                  else otherfields)
    if 'UpdateParameters' not in [name for name, _ in fields]:
        fields.insert(0, ('UpdateParameters', {'Targets': []}))
    body, boundary = forms.multipart(fields, 'UpdateFile',
                                     filename or 'image', image)
    return body, 'multipart/form-data; boundary=' + boundary.decode('ascii')
