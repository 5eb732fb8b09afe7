"""``multipart/form-data`` bodies (RFC 7578): the firmware pushes of
Redfish and the uploads of :mod:`pyghmi.util.webclient`."""

import json
import os
import uuid


def multipart(fields, filefield, filename, data, boundary=None):
    """The body of a form holding ``fields`` and one file.

    :param fields: ``{name: value}`` or ``[(name, value)]``; a dict value
        is sent as JSON (with its content type), others as text
    :param filefield: the form name of the file part
    :param filename: the file's name (its last path part is sent)
    :param data: the file's bytes
    :param boundary: bytes; a random one when None
    :returns: ``(body, boundary)`` (both bytes)
    """
    if boundary is None:
        boundary = uuid.uuid4().hex.encode('ascii')
    pairs = fields.items() if isinstance(fields, dict) else fields
    chunks = []
    for name, value in pairs:
        kind = None
        if isinstance(value, (dict, list)):
            value, kind = json.dumps(value), 'application/json'
        if not isinstance(value, bytes):
            value = str(value).encode('utf-8')
        chunks.append(_head(boundary, name, None, kind) + value + b'\r\n')
    base = os.path.basename(str(filename)) or 'file'
    chunks.append(_head(boundary, filefield, base,
                        'application/octet-stream') + data + b'\r\n')
    chunks.append(b'--' + boundary + b'--\r\n')
    return b''.join(chunks), boundary


def _head(boundary, name, filename, kind):
    text = 'Content-Disposition: form-data; name="%s"' % _quoted(name)
    if filename is not None:
        text += '; filename="%s"' % _quoted(filename)
    text += '\r\n'
    if kind:
        text += 'Content-Type: %s\r\n' % kind
    return b'--' + boundary + b'\r\n' + text.encode('utf-8') + b'\r\n'


def _quoted(text):
    # a name may not end the quoted string or the header early
    return str(text).replace('"', '%22').replace('\r', '').replace('\n', '')
