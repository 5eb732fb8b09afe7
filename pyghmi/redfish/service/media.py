"""Virtual media of the manager: a CD and a floppy slot whose insertions
and ejections are recorded (the URL is kept, never fetched: a fake BMC
has no drive to feed, and a test must not reach out).  InsertMedia,
EjectMedia and the PATCH of Image/Inserted that older clients send;
credentials given with an image are kept out of every answer.
"""

from pyghmi.redfish.service import auth
from pyghmi.redfish.service import errors
from pyghmi.redfish.service.common import (
    MANAGER, collection, only, route)
from pyghmi.redfish.service.errors import RedfishError

MEDIA = MANAGER + '/VirtualMedia'
SLOTS = {'Cd': ('CD', 'DVD'), 'Floppy': ('Floppy', 'USBStick')}
PROTOCOLS = ('CIFS', 'FTP', 'SFTP', 'HTTP', 'HTTPS', 'NFS', 'SCP', 'TFTP',
             'OEM')
_INSERT = ('Image', 'Inserted', 'WriteProtected', 'TransferProtocolType',
           'TransferMethod', 'UserName', 'Password')


def _slot(ctx):
    name = ctx.ids[0]
    if name not in SLOTS:
        raise RedfishError(404, 'ResourceNotFound', 'VirtualMedia', name)
    return name, ctx.machine.media(name)


def media_collection(ctx):
    return collection(MEDIA, 'VirtualMedia', 'Virtual Media',
                      ['%s/%s' % (MEDIA, name) for name in SLOTS])


def media(ctx):
    """One slot: what is inserted (its URL), or nothing."""
    name, state = _slot(ctx)
    uri = '%s/%s' % (MEDIA, name)
    image = state.get('image')
    body = {
        '@odata.id': uri, '@odata.type': '#VirtualMedia.v1_3_0.VirtualMedia',
        'Id': name, 'Name': 'Virtual %s' % name,
        'MediaTypes': list(SLOTS[name]),
        'Image': image, 'ImageName': image.rsplit('/', 1)[-1] if image
        else None,
        'Inserted': bool(image and state.get('inserted', True)),
        'WriteProtected': state.get('write_protected', True),
        'ConnectedVia': 'URI' if image else 'NotConnected',
        'Actions': {
            '#VirtualMedia.InsertMedia': {
                'target': uri + '/Actions/VirtualMedia.InsertMedia'},
            '#VirtualMedia.EjectMedia': {
                'target': uri + '/Actions/VirtualMedia.EjectMedia'}},
    }
    if image and state.get('protocol'):
        body['TransferProtocolType'] = state['protocol']
    return body


def _insert_values(body, action):
    for key in body:
        if key not in _INSERT:
            raise RedfishError(400, 'ActionParameterUnknown', action, key)
    image = body.get('Image')
    if not isinstance(image, str) or '://' not in image:
        raise RedfishError(400, 'ActionParameterValueNotInList',
                           image, 'Image', action)
    protocol = body.get('TransferProtocolType')
    if protocol is not None and protocol not in PROTOCOLS:
        raise RedfishError(400, 'ActionParameterValueNotInList', protocol,
                           'TransferProtocolType', action)
    for key in ('Inserted', 'WriteProtected'):
        if key in body and not isinstance(body[key], bool):
            raise RedfishError(400, 'ActionParameterValueNotInList',
                               body[key], key, action)
    return {'image': image, 'inserted': body.get('Inserted', True),
            'write_protected': body.get('WriteProtected', True),
            'protocol': protocol or image.split('://', 1)[0].upper(),
            'user': body.get('UserName'),
            'has_password': 'Password' in body}


def insert(ctx, body):
    """#VirtualMedia.InsertMedia: record the image (not fetched)."""
    name, state = _slot(ctx)
    if state.get('image'):
        raise RedfishError(400, 'GeneralError', 'media is inserted in %s: '
                           'eject it first' % name)
    ctx.machine.set_media(name, _insert_values(body,
                                               'VirtualMedia.InsertMedia'))
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


def eject(ctx, body):
    """#VirtualMedia.EjectMedia."""
    name, _ = _slot(ctx)
    for key in body:
        raise RedfishError(400, 'ActionParameterUnknown',
                           'VirtualMedia.EjectMedia', key)
    ctx.machine.set_media(name, {})
    return 200, {'@Message.ExtendedInfo': [
        errors.extended_info('Success')]}, {}


def patch_media(ctx, body):
    """PATCH of Image (and Inserted), as clients before the actions do:
    an Image inserts it, null (or Inserted false) ejects."""
    name, state = _slot(ctx)
    only(body, ('Image', 'Inserted', 'WriteProtected',
                'TransferProtocolType', 'UserName', 'Password'),
         readonly=('Id', 'Name', 'MediaTypes', 'ConnectedVia',
                   'ImageName', 'Actions'))
    if body.get('Image', '') is None or body.get('Inserted') is False:
        ctx.machine.set_media(name, {})
    elif 'Image' in body:
        ctx.machine.set_media(name, _insert_values(body, 'PATCH'))
    return 200, media(ctx), {}


ROUTES = (
    route(MEDIA, GET=(auth.LOGIN, media_collection)),
    route(MEDIA + '/([^/]+)', GET=(auth.LOGIN, media),
          PATCH=(auth.CONFIGURE_MANAGER, patch_media)),
    route(MEDIA + '/([^/]+)/Actions/VirtualMedia.InsertMedia',
          guarded_by=None, POST=(auth.CONFIGURE_MANAGER, insert)),
    route(MEDIA + '/([^/]+)/Actions/VirtualMedia.EjectMedia',
          guarded_by=None, POST=(auth.CONFIGURE_MANAGER, eject)),
)
