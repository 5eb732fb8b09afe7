"""pyghmi's HTTPS client class, :class:`SecureHTTPConnection`, for callers
that use it directly (vendor web APIs, confluent): an
``http.client.HTTPConnection`` whose TLS certificate is accepted by a
``verifycallback(der_bytes)`` (pinning) or else by the system's CAs and
the host name, with standing headers, cookies, JSON requests, downloads
and form uploads with progress.

Its JSON requests (``grab_json_response*``) ride the pooled, kept-alive
transport of the Redfish client (:mod:`pyghmi.redfish.client.transport`,
urllib3 underneath), shared by every :meth:`~SecureHTTPConnection.dupe`:
pyghmi 1.6.19 opened a new connection for each.  ``request`` and
``getresponse`` keep ``http.client``'s own behaviour on this object's
socket.
"""

import base64
import hashlib
import http.client
import http.cookies
import io
import json
import os
import socket
import ssl
import threading

from pyghmi import exceptions as exc
from pyghmi.redfish.client import transport as rftransport
from pyghmi.util import forms

# the boundary pyghmi used for its forms (any unlikely bytes do)
BND = b'pyghmi-form-boundary-7c0b1f9e2d4a4e58a9d6c3b5f1e2a7d4'


def fingerprint_verifier(fingerprint):
    """A ``verifycallback`` accepting only the certificate whose SHA-256
    fingerprint is ``fingerprint`` ('sha256$<hex>', as fakebmc and
    confluent print it, or the bare hex; colons and case ignored).

    :raises InvalidParameterValue: not a SHA-256 fingerprint
    """
    text = str(fingerprint).lower()
    if text.startswith('sha256$'):
        text = text[len('sha256$'):]
    text = text.replace(':', '')
    if len(text) != 64 or any(c not in '0123456789abcdef' for c in text):
        raise exc.InvalidParameterValue(
            'fingerprint: sha256$ and 64 hex digits')

    def verify(der):
        return hashlib.sha256(der).hexdigest() == text
    return verify


def get_upload_form(filename, data, formname, otherfields, boundary=BND):
    """``(body, boundary)`` of a form uploading ``data`` (bytes or a
    readable file) as ``filename`` in field ``formname`` (the file's
    name when None), with ``otherfields`` ({name: value}) before it."""
    if hasattr(data, 'read'):
        data = data.read()
    base = os.path.basename(filename)
    return forms.multipart(otherfields or {}, formname or base, base, data,
                           boundary or None)


class SecureHTTPConnection(http.client.HTTPConnection):
    """An HTTPS connection to ``host``.

    :param host: name or address (an IPv6 scope, ``fe80::1%eth0``, kept)
    :param port: the port (443)
    :param verifycallback: ``callable(der) -> bool`` accepting the
        certificate; None checks CAs and the host name
    :param clone: another instance whose callback, cookies, headers and
        connection pool this one shares
    :param timeout: seconds (60)
    :param key_file, cert_file, ca_certs, strict: kept for pyghmi's
        signature (unused, as in pyghmi 1.6.19)
    """

    default_port = http.client.HTTPS_PORT

    def __init__(self, host, port=None, key_file=None, cert_file=None,
                 ca_certs=None, strict=None, verifycallback=None, clone=None,
                 **kwargs):
        timeout = kwargs.pop('timeout', 60)
        super().__init__(host, port or self.default_port, timeout=timeout,
                         **kwargs)
        self.mytimeout = timeout
        self.thehost = host
        self.theport = port or self.default_port
        self.lastjsonerror = None
        self.broken = False
        self.rspstatus = None
        self.ulsize = 0
        self._currdl = None
        self._dlfile = None
        self._upbuffer = None
        if clone is not None:
            self._certverify = clone._certverify
            self.cookies = clone.cookies
            self.stdheaders = dict(clone.stdheaders)
            self._shared = clone._shared
        else:
            self._certverify = verifycallback
            self.cookies = {}
            self.stdheaders = {}
            self._shared = {'lock': threading.Lock(), 'transport': None}
        if '%' in host and '[' not in host:
            self.stdheaders.setdefault('Host',
                                       '[%s]' % host[:host.find('%')])

    def __repr__(self):
        return 'SecureHTTPConnection(%r, %r)' % (self.thehost, self.theport)

    def dupe(self, timeout=None):
        """Another connection to the same BMC sharing this one's
        settings, cookies and pool."""
        return SecureHTTPConnection(
            self.thehost, self.theport, clone=self,
            timeout=self.mytimeout if timeout is None else timeout)

    def set_header(self, key, value):
        """A header sent with every request."""
        self.stdheaders[key] = value

    def set_basic_credentials(self, username, password):
        """Send HTTP Basic credentials with every request."""
        if isinstance(username, bytes):
            username = username.decode('utf-8')
        if isinstance(password, bytes):
            password = password.decode('utf-8')
        token = base64.b64encode(('%s:%s' % (username, password)).encode(
            'utf-8')).decode('ascii')
        self.stdheaders['Authorization'] = 'Basic ' + token

    # -------------------------------------------------- http.client's
    def connect(self):
        """TCP, then TLS; the callback (or the CAs) must accept the
        certificate before anything is sent.

        :raises UnrecognizedCertificate: the callback refused it
        """
        plain = socket.create_connection((self.host, self.port),
                                         self.mytimeout)
        try:
            if self._certverify:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                self.sock = context.wrap_socket(plain)
                der = self.sock.getpeercert(binary_form=True)
                if not self._certverify(der):
                    raise exc.UnrecognizedCertificate('Unknown certificate',
                                                      der)
            else:
                context = ssl.create_default_context()
                self.sock = context.wrap_socket(
                    plain, server_hostname=self.thehost.split('%')[0])
        except BaseException:
            plain.close()
            self.sock = None
            raise

    def request(self, method, url, body=None,
                headers=None, referer=None, *, encode_chunked=False):
        """Send a request with the standing headers and cookies (see
        ``http.client.HTTPConnection.request``)."""
        try:
            super().request(method, url, body,
                            self._headers(method, body, headers, referer),
                            encode_chunked=encode_chunked)
        except http.client.CannotSendRequest:
            self.broken = True
            raise

    def getresponse(self):
        """The response; its cookies are kept for later requests."""
        try:
            response = super().getresponse()
        except http.client.BadStatusLine:
            self.broken = True
            raise
        self._keep_cookies(response.headers.get_all('Set-Cookie') or [])
        return response

    def _headers(self, method, body, headers, referer):
        out = dict(self.stdheaders if headers is None else headers)
        if method == 'GET':
            out.pop('Content-Type', None)
        if method == 'POST' and body and 'Content-Type' not in out:
            out['Content-Type'] = 'application/x-www-form-urlencoded'
        if self.cookies:
            jar = '; '.join('%s=%s' % kv for kv in self.cookies.items())
            out['Cookie'] = '%s; %s' % (out['Cookie'], jar) \
                if out.get('Cookie') else jar
        if referer:
            out['Referer'] = referer
        return out

    def _keep_cookies(self, values):
        for value in values:
            jar = http.cookies.SimpleCookie()
            try:
                jar.load(value)
            except http.cookies.CookieError:
                continue
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    # ------------------------------------------------------------ JSON
    def _transport(self):
        with self._shared['lock']:
            if self._shared['transport'] is None:
                self._shared['transport'] = rftransport.Transport(
                    self.thehost, self.theport, self._certverify,
                    timeout=self.mytimeout)
            return self._shared['transport']

    def grab_json_response(self, url, data=None, referer=None, headers=None):
        """The JSON of ``url`` (POST of ``data`` when given), ``{}`` when
        the status is not 200 (its body then in ``lastjsonerror``)."""
        answer, status = self.grab_json_response_with_status(
            url, data=data, referer=referer, headers=headers)
        good = status == 200
        self.lastjsonerror = None if good else answer
        return answer if good else {}

    def grab_json_response_with_status(self, url, data=None, referer=None,
                                       headers=None, method=None,
                                       returnheaders=False):
        """``(JSON, status)`` of a request (GET, or POST of ``data``, or
        ``method``); the body as text when the status is not 2xx;
        ``('Target Unavailable', 500)`` when the BMC does not answer.
        With ``returnheaders`` the response headers come third.

        :raises UnrecognizedCertificate: the callback refused the BMC
        """
        if isinstance(data, dict):
            data = json.dumps(data)
        if isinstance(data, str):
            data = data.encode('utf-8')
        method = method or ('POST' if data else 'GET')
        sent = self._headers(method, data, headers, referer)
        try:
            reply = self._transport().request(method, url, data, sent)
        except exc.UnrecognizedCertificate:
            raise
        except exc.PyghmiException:
            return ('Target Unavailable', 500, {}) if returnheaders else \
                ('Target Unavailable', 500)
        cookies = reply.headers.get('set-cookie')
        if cookies:
            self._keep_cookies([cookies])
        if 200 <= reply.status < 300:
            try:
                body = json.loads(reply.body.decode('utf-8')) \
                    if reply.body else {}
            except (UnicodeDecodeError, ValueError):
                body = reply.body.decode('utf-8', 'replace')
        else:
            body = reply.body.decode('utf-8', 'replace')
        if returnheaders:
            return body, reply.status, dict(reply.headers)
        return body, reply.status

    def grab_rsp(self, url, data=None, referer=None, headers=None,
                 method=None):
        """The ``http.client`` response of a request on a new
        connection (its body unread)."""
        if isinstance(data, dict):
            data = json.dumps(data)
        other = self.dupe()
        other.request(method or ('POST' if data else 'GET'), url,
                      data or None, referer=referer, headers=headers)
        return other.getresponse()

    # ------------------------------------------------- files, progress
    def download(self, url, file):
        """Save the body of ``url`` to ``file`` (a path or a writable
        file, closed at the end).

        :raises PyghmiException: the BMC answered an error
        """
        if isinstance(file, str):
            file = open(file, 'wb')
        other = self.dupe()
        headers = dict(self.stdheaders)
        headers.pop('Accept-Encoding', None)
        other.request('GET', url, headers=headers)
        response = other.getresponse()
        try:
            if not 200 <= response.status < 300:
                raise exc.PyghmiException('download of %s: HTTP %d'
                                          % (url, response.status))
            self._currdl, self._dlfile = response, file
            for chunk in iter(lambda: response.read(16384), b''):
                file.write(chunk)
        finally:
            self._currdl = None
            file.close()
            other.close()

    def get_download_progress(self):
        """The share of the current download written (0-1), or None."""
        if not self._currdl or self._dlfile is None:
            return None
        length = self._currdl.getheader('content-length')
        if not length or not int(length):
            return None
        return float(self._dlfile.tell()) / float(length)

    def upload(self, url, filename, data=None, formname=None,
               otherfields=(), formwrap=True, excepterror=True):
        """POST a file (``data``, else the file at ``filename``) to
        ``url``: as a form (``formwrap``, field ``formname``, with
        ``otherfields``) or as the raw body.

        :returns: the response body (bytes)
        :raises PyghmiException: a non-2xx status with ``excepterror``
        """
        if data is None:
            with open(filename, 'rb') as stream:
                data = stream.read()
        elif hasattr(data, 'read'):
            data = data.read()
        headers = dict(self.stdheaders)
        if formwrap:
            data, boundary = get_upload_form(
                filename, data, formname, dict(otherfields or {}),
                boundary=None)
            headers['Content-Type'] = \
                'multipart/form-data; boundary=' + boundary.decode('ascii')
        else:
            headers['Content-Type'] = 'application/octet-stream'
        self.ulsize = len(data)
        headers['Content-Length'] = str(self.ulsize)
        self._upbuffer = io.BytesIO(data)
        other = self.dupe()
        try:
            other.request('POST', url, self._upbuffer, headers)
            response = other.getresponse()
            self.rspstatus = response.status
            body = response.read()
        finally:
            other.close()
        if excepterror and not 200 <= response.status < 300:
            raise exc.PyghmiException('Unexpected response in file upload: '
                                      'HTTP %d' % response.status)
        return body

    def get_upload_progress(self):
        """The share of the current upload sent (0-1)."""
        if self._upbuffer is None or not self.ulsize:
            return 0.0
        return float(self._upbuffer.tell()) / float(self.ulsize)


class FileUploader(threading.Thread):
    """:meth:`SecureHTTPConnection.upload` in a thread: ``rsp`` and
    ``rspstatus`` once it ends (``isAlive`` as pyghmi spelled it)."""

    def __init__(self, webclient, url, filename, data=None, formname=None,
                 otherfields=(), formwrap=True, excepterror=True):
        super().__init__(daemon=True)
        self.wc = webclient
        # what upload() is called with, kept until the thread runs
        self._upload = ((url, filename, data, formname),
                        {'otherfields': otherfields, 'formwrap': formwrap,
                         'excepterror': excepterror})
        self.rsp, self.rspstatus, self.exc = '', 500, None

    def isAlive(self):
        """Whether the upload still runs."""
        return self.is_alive()

    def run(self):
        positional, keywords = self._upload
        try:
            self.rsp = self.wc.upload(*positional, **keywords)
        except Exception as err:       # kept for the caller to see
            self.exc = err
        if self.wc.rspstatus is not None:
            self.rspstatus = self.wc.rspstatus


class FileDownloader(threading.Thread):
    """:meth:`SecureHTTPConnection.download` in a thread (its error, if
    any, in ``exc``)."""

    def __init__(self, webclient, url, savefile):
        super().__init__(daemon=True)
        self.wc = webclient
        self.url = url
        self.savefile = savefile
        self.exc = None

    def isAlive(self):
        """Whether the download still runs."""
        return self.is_alive()

    def run(self):
        try:
            self.wc.download(self.url, self.savefile)
        except Exception as err:       # kept for the caller to see
            self.exc = err
