"""The BMC's certificates (its own and the CAs it trusts), licenses, and
what generic Redfish has no standard for (vendors override these)."""

import base64
import os

from pyghmi import exceptions as exc
from pyghmi.redfish.areas import base

# certificate collections that are not the BMC's own HTTPS certificate
NOT_HTTPS = ('TrustedCertificates', 'LDAP', 'KMIP', 'Boot/Certificates')


class Services(base.Base):
    """Certificate, license and vendor-only flows."""

    def _trusted_collection(self):
        manager = yield from self.manager()
        policy = base.link(manager, 'SecurityPolicy')
        if not policy:
            return None
        info = yield from self.conn.get(policy)
        return base.link(info, 'TLS', 'Client', 'TrustedCertificates')

    @base.listing
    def get_trusted_cas(self):
        """The CAs the BMC trusts for its TLS clients: ``{'id', 'name',
        'pem', 'subject', 'sans', 'issuer', 'validfrom', 'validto'}``."""
        uri = yield from self._trusted_collection()
        for cert in (yield from self.conn.members(uri, cache=False)):
            subject = base.obj(cert, 'Subject')
            yield {'id': cert.get('Id', ''), 'name': cert.get('Name', ''),
                   'pem': cert.get('CertificateString'),
                   'subject': subject.get('CommonName', ''),
                   'sans': subject.get('AlternativeNames', []),
                   'issuer': base.obj(cert, 'Issuer').get('CommonName', ''),
                   'validfrom': cert.get('ValidNotBefore', ''),
                   'validto': cert.get('ValidNotAfter', '')}

    @base.call
    def add_trusted_ca(self, pemdata):
        """Add a CA (PEM) to the BMC's trusted ones.

        :returns: True
        :raises PyghmiException: the BMC has no such store
        """
        uri = yield from self._trusted_collection()
        if not uri:
            raise exc.PyghmiException(
                'Platform does not support adding trusted CAs')
        yield from self.conn.write('POST', uri, _pem_body(pemdata))
        return True

    @base.call
    def del_trusted_ca(self, certid):
        """Remove the trusted CA whose id is ``certid``.

        :returns: True
        :raises PyghmiException: no such certificate
        """
        uri = yield from self._trusted_collection()
        for cert in (yield from self.conn.members(uri, cache=False)):
            if cert.get('Id') == certid and base.text(cert, '@odata.id'):
                yield from self.conn.write('DELETE', cert['@odata.id'])
                return True
        raise exc.PyghmiException('No such certificate found: %s' % certid)

    def _certificate_service(self):
        uri, service = yield from self.service('CertificateService')
        if not uri:
            raise exc.UnsupportedFunctionality(
                'No CertificateService found on platform')
        return service

    def _https_certificate(self, service):
        """Flow: the URI of the BMC's own HTTPS certificate."""
        where = base.link(service, 'CertificateLocations')
        found = set()
        if where:
            found = set(base.links(base.seq(
                (yield from self.conn.get(where)), 'Links', 'Certificates')))
        if len(found) > 1:
            found = {u for u in found if not any(n in u for n in NOT_HTTPS)}
        if len(found) != 1:
            raise exc.PyghmiException(
                'Unable to tell which certificate is the BMC\'s own (%d '
                'candidates)' % len(found))
        return found.pop()

    @base.call
    def install_bmc_certificate(self, certdata):
        """Replace the BMC's HTTPS certificate (PEM, the key with it
        where the BMC made no CSR).

        :raises UnsupportedFunctionality: no CertificateService
        """
        service = yield from self._certificate_service()
        target = base.text(base.obj(
            service, 'Actions', '#CertificateService.ReplaceCertificate'),
            'target')
        if not target:
            raise exc.UnsupportedFunctionality(
                'The CertificateService cannot replace certificates')
        body = _pem_body(certdata)
        body['CertificateUri'] = {'@odata.id': (
            yield from self._https_certificate(service))}
        yield from self.conn.write('POST', target, body)

    @base.call
    def get_bmc_csr(self, keytype=None, keylength=None, cn=None, city=None,
                    state=None, country=None, org=None, orgunit=None):
        """A certificate signing request for the BMC's HTTPS certificate
        (CertificateService.GenerateCSR), as PEM text.

        :raises UnsupportedFunctionality: no CertificateService
        """
        service = yield from self._certificate_service()
        target = base.text(base.obj(
            service, 'Actions', '#CertificateService.GenerateCSR'), 'target')
        if not target:
            raise exc.UnsupportedFunctionality(
                'The CertificateService cannot make a CSR')
        certificate = yield from self._https_certificate(service)
        body = {'CertificateCollection': {'@odata.id': certificate.rsplit(
            '/', 1)[0]}, 'CommonName': cn or self.conn.host}
        for key, value in (('KeyPairAlgorithm', keytype),
                           ('KeyBitLength', keylength), ('City', city),
                           ('State', state), ('Country', country),
                           ('Organization', org),
                           ('OrganizationalUnit', orgunit)):
            if value is not None:
                body[key] = value
        answer = yield from self.conn.write('POST', target, body)
        csr = base.text(answer, 'CSRString')
        if csr is None:
            raise exc.PyghmiException('The BMC answered no CSRString')
        return csr

    # -------------------------------------------------------- licenses
    def _license_collection(self):
        _, service = yield from self.service('LicenseService')
        uri = base.link(service, 'Licenses')
        if not uri:
            raise exc.UnsupportedFunctionality(
                'The BMC has no LicenseService licenses')
        return uri

    def _active_licenses(self):
        uri = yield from self._license_collection()
        return [info for info in (yield from self.conn.members(uri,
                                                               cache=False))
                if base.obj(info, 'Status').get('State') == 'Enabled']

    @base.listing
    def get_licenses(self):
        """``{'name', 'state': 'Active'}`` of each enabled license."""
        for info in (yield from self._active_licenses()):
            yield {'name': info.get('Name'), 'state': 'Active'}

    @base.call
    def delete_license(self, name):
        """Delete the enabled licenses named ``name``."""
        for info in (yield from self._active_licenses()):
            if info.get('Name') == name and base.text(info, '@odata.id'):
                yield from self.conn.write('DELETE', info['@odata.id'])

    @base.call
    def apply_license(self, filename, progress=None, data=None):
        """Install a license (its file, or ``data``), sent base64 as
        LicenseString."""
        uri = yield from self._license_collection()
        if data is None:
            try:
                with open(filename, 'rb') as stream:
                    raw = stream.read()
            except (OSError, TypeError) as err:
                raise exc.InvalidParameterValue('filename: %s' % err)
        else:
            raw = data.read() if hasattr(data, 'read') else data
        yield from self.conn.write('POST', uri, {
            'LicenseString': base64.b64encode(raw).decode('ascii')})

    @base.listing
    def save_licenses(self, directory):
        """Save each enabled license that has a DownloadURI in
        ``directory``, yielding the paths written."""
        for info in (yield from self._active_licenses()):
            where = base.text(info, 'DownloadURI')
            if not where:
                continue
            reply = yield from self.conn.request('GET', where)
            path = os.path.join(directory, os.path.basename(where))
            with open(path, 'wb') as stream:
                stream.write(reply.body)
            yield path

    # ------------------------------------- what generic Redfish lacks
    @base.call
    def get_bmc_configuration(self):
        """Vendor settings of the BMC ({} in generic Redfish)."""
        return {}
        yield   # pragma: no cover  (a flow)

    @base.call
    def set_bmc_configuration(self, changeset):
        """Change vendor settings of the BMC.

        :raises UnsupportedFunctionality: generic Redfish has none
        """
        raise exc.UnsupportedFunctionality(
            'Platform does not support setting bmc attributes')
        yield   # pragma: no cover  (a flow)

    @base.call
    def get_extended_bmc_configuration(self, hideadvanced=True):
        """Vendor settings of the BMC, advanced ones included.

        :raises UnsupportedFunctionality: generic Redfish has none
        """
        raise exc.UnsupportedFunctionality(
            'Extended BMC configuration needs a vendor handler')
        yield   # pragma: no cover  (a flow)

    @base.call
    def get_ikvm_methods(self):
        """The remote console kinds the BMC offers ([] generically)."""
        return []
        yield   # pragma: no cover  (a flow)

    @base.call
    def get_ikvm_launchdata(self):
        """What a console client needs to start ({} generically)."""
        return {}
        yield   # pragma: no cover  (a flow)


def _unsupported(name, what):
    def flow(self, *args, **kwargs):
        raise exc.UnsupportedFunctionality(
            '%s not supported on this platform' % what)
        yield   # pragma: no cover  (a flow)
    flow.__name__ = name
    flow.__doc__ = ('%s: a vendor feature.\n\n:raises '
                    'UnsupportedFunctionality: in generic Redfish' % what)
    return base.call(flow)


for _name, _what in (
        ('get_screenshot', 'Retrieving screenshot'),
        ('get_storage_configuration', 'Remote storage configuration'),
        ('remove_storage_configuration', 'Remote storage configuration'),
        ('apply_storage_configuration', 'Remote storage configuration'),
        ('check_storage_configuration', 'Remote storage configuration'),
        ('get_diagnostic_data', 'Retrieving diagnostic data'),
        ('reseat_bay', 'Reseat')):
    setattr(Services, _name, _unsupported(_name, _what))


def _pem_body(pem):
    if isinstance(pem, bytes):
        pem = pem.decode('utf-8', 'replace')
    if not isinstance(pem, str) or 'BEGIN' not in pem:
        raise exc.InvalidParameterValue('a PEM certificate')
    return {'CertificateString': pem, 'CertificateType': 'PEM'}
