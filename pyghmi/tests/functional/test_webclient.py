"""pyghmi.util.webclient.SecureHTTPConnection, the original's HTTPS
class, against fakebmc's Redfish side: pinned by fingerprint, JSON
requests over one kept-alive connection, downloads, and a form upload
that the service parses with Python's email parser."""

import hashlib
import json

import pytest

from pyghmi import exceptions as exc
from pyghmi.tests.functional import peers
from pyghmi.util import webclient

pytestmark = pytest.mark.filterwarnings(
    'ignore::urllib3.exceptions.InsecureRequestWarning')


@pytest.fixture
def bmc():
    with peers.redfish_fakebmc() as proc:
        yield proc


def _client(bmc, fingerprint=None):
    wc = webclient.SecureHTTPConnection(
        '127.0.0.1', bmc.https_port, verifycallback=(
            webclient.fingerprint_verifier(fingerprint or bmc.fingerprint)))
    wc.set_basic_credentials('admin', 'password')
    wc.set_header('Accept', 'application/json')
    return wc


def test_json_requests_share_one_pinned_connection(bmc):
    wc = _client(bmc)
    root = wc.grab_json_response('/redfish/v1/')
    assert 'Systems' in root
    other = wc.dupe()
    for _ in range(10):
        body, status = other.grab_json_response_with_status(
            '/redfish/v1/Systems')
        assert status == 200 and body['Members']
    assert wc._transport().connections == 1
    body, status, headers = wc.grab_json_response_with_status(
        '/redfish/v1/NoSuchThing', returnheaders=True)
    assert status == 404 and 'NoSuchThing' in body
    assert headers
    assert wc.grab_json_response('/redfish/v1/NoSuchThing') == {}
    assert 'NoSuchThing' in wc.lastjsonerror


def test_http_client_surface_and_download(bmc, tmp_path):
    wc = _client(bmc)
    wc.request('GET', '/redfish/v1/Managers')
    response = wc.getresponse()
    assert response.status == 200
    assert json.loads(response.read())['Members']
    raw = wc.grab_rsp('/redfish/v1/')
    assert raw.status == 200 and b'Systems' in raw.read()
    target = tmp_path / 'systems.json'
    wc.download('/redfish/v1/Systems', str(target))
    assert json.loads(target.read_bytes())['Members']
    assert wc.get_download_progress() is None          # finished


def test_form_upload_is_parsed_by_the_service(bmc, tmp_path):
    image = bytes(range(256)) * 64
    (tmp_path / 'fw.bin').write_bytes(image)
    wc = _client(bmc)
    uploader = webclient.FileUploader(
        wc, '/redfish/v1/UpdateService/update-multipart',
        str(tmp_path / 'fw.bin'), formname='UpdateFile',
        otherfields={'UpdateParameters': {'Targets': []}},
        excepterror=False)
    uploader.start()
    uploader.join(30)
    assert not uploader.isAlive() and uploader.exc is None
    assert uploader.rspstatus == 202, uploader.rsp
    task = json.loads(uploader.rsp)
    assert hashlib.sha256(image).hexdigest()[:16] in \
        task['Messages'][0]['Message']
    assert wc.get_upload_progress() == 1.0


def test_a_wrong_fingerprint_is_refused(bmc):
    wrong = 'sha256$' + '00' * 32
    wc = _client(bmc, wrong)
    with pytest.raises(exc.UnrecognizedCertificate):
        wc.grab_json_response('/redfish/v1/')
    with pytest.raises(exc.UnrecognizedCertificate):
        wc.request('GET', '/redfish/v1/')
    for bad in ('md5$00', 'sha256$xyz', ''):
        with pytest.raises(exc.InvalidParameterValue):
            webclient.fingerprint_verifier(bad)
    spelled = bmc.fingerprint.split('$')[1].upper()
    assert webclient.fingerprint_verifier(
        ':'.join(spelled[i:i + 2] for i in range(0, 64, 2)))
