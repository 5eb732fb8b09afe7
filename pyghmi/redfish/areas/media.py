"""Virtual media: the slots of the manager (or the system), what is
inserted in them, and inserting or ejecting an image by URL."""

from pyghmi import exceptions as exc
from pyghmi import media as pygmedia
from pyghmi.redfish.areas import base

# image name endings -> the media types a slot must take for them
MEDIA_FOR = (('.iso', ('CD', 'DVD')), ('.img', ('USBStick', 'Floppy')),
             ('.ima', ('Floppy', 'USBStick')))


class Media(base.Base):
    """Virtual media flows."""

    def _slots(self, cache=True):
        """Flow: the virtual media resources (the system's, else the
        manager's)."""
        uri = base.link((yield from self.system()), 'VirtualMedia') or \
            base.link((yield from self.manager()), 'VirtualMedia')
        return (yield from self.conn.members(uri, cache)) if uri else []

    @base.listing
    def list_media(self):
        """A :class:`pyghmi.media.Media` (name, url) of each inserted
        image."""
        for slot in (yield from self._slots(cache=False)):
            image = base.text(slot, 'Image')
            name = base.text(slot, 'ImageName') or (
                image.rsplit('/', 1)[-1] if image else None)
            if image and name:
                url = image[:-len(name) - 1] if image.endswith(
                    '/' + name) else image
                yield pygmedia.Media(name, url)
            elif slot.get('Inserted') and name:
                yield pygmedia.Media(name)

    @base.call
    def attach_remote_media(self, url, username=None, password=None):
        """Insert the image at ``url`` (protocols as the BMC takes them)
        in a free slot that takes its kind (CD for .iso...), by the
        InsertMedia action, else by PATCH of Image.

        :raises InvalidParameterValue: no URL
        :raises PyghmiException: no free slot (every one in use)
        :raises UnsupportedFunctionality: no virtual media
        """
        if not url or not isinstance(url, str):
            raise exc.InvalidParameterValue('url: the image\'s URL')
        slots = yield from self._slots(cache=False)
        if not slots:
            raise exc.UnsupportedFunctionality(
                'The BMC has no virtual media')
        slot = _free_slot(slots, url)
        body = {'Image': url, 'Inserted': True}
        if username is not None:
            body['UserName'] = username
        if password is not None:
            body['Password'] = password
        target = base.text(base.obj(slot, 'Actions',
                                    '#VirtualMedia.InsertMedia'), 'target')
        if target:
            yield from self.conn.write('POST', target, body)
            return
        try:
            yield from self.conn.write('PATCH', slot['@odata.id'], body)
        except exc.RedfishError as err:
            if not str(err.msgid or '').endswith('PropertyUnknown'):
                raise
            yield from self.conn.write('PATCH', slot['@odata.id'],
                                       {'Image': url})

    @base.call
    def detach_remote_media(self):
        """Eject every inserted image."""
        for slot in (yield from self._slots(cache=False)):
            if not (slot.get('Image') or slot.get('Inserted')):
                continue
            target = base.text(base.obj(slot, 'Actions',
                                        '#VirtualMedia.EjectMedia'), 'target')
            if target:
                yield from self.conn.write('POST', target, {})
                continue
            uri = base.text(slot, '@odata.id')
            if not uri:
                continue
            try:
                yield from self.conn.write('PATCH', uri, {'Image': None,
                                                          'Inserted': False})
            except exc.RedfishError as err:
                if not str(err.msgid or '').endswith('PropertyUnknown'):
                    raise
                yield from self.conn.write('PATCH', uri, {'Image': None})

    @base.call
    def upload_media(self, filename, progress=None, data=None):
        """Upload an image to the BMC's own storage: a vendor feature.

        :raises UnsupportedFunctionality: always, in generic Redfish
        """
        raise exc.UnsupportedFunctionality(
            'Remote media upload not supported on this platform')
        yield   # pragma: no cover  (a flow)


def _free_slot(slots, url):
    """The first free slot taking ``url``'s kind, else the first free
    one.

    :raises PyghmiException: every slot holds an image
    """
    # (ConnectedVia says how a slot is or would be fed: URI and
    # NotConnected slots are free when empty; an Applet's or a vendor's
    # console holds its slot)
    free = [s for s in slots if base.text(s, '@odata.id') and
            not s.get('Inserted') and not s.get('Image') and
            s.get('ConnectedVia') not in ('Applet', 'Oem')]
    if not free:
        raise exc.PyghmiException(
            'No free virtual media slot: detach an image first')
    path = url.split('?', 1)[0].lower()
    for ending, kinds in MEDIA_FOR:
        if path.endswith(ending):
            for slot in free:
                if set(kinds) & set(base.seq(slot, 'MediaTypes')):
                    return slot
    return free[0]
