"""DMTF's validators against fakebmc's Redfish side: the Service
Validator (every resource against DMTF's schema files, read offline in
../shared/redfish) and the Protocol Validator (the HTTP, session,
header, query and error rules of the specification).  In a file of
their own: they take about 30 s, run beside the other files."""

import csv
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from pyghmi.tests.functional import peers

CSDL = os.path.join(peers.TOP, '..', 'shared', 'redfish', 'csdl')


@pytest.fixture
def bmc():
    with peers.FakeBmcProcess(['--redfish-port', '0']) as proc:
        proc.url = proc.redfish[0][0]
        yield proc


def test_dmtf_protocol_validator_finds_no_failure(tmp_path):
    tool = shutil.which('rf_protocol_validator') or os.path.join(
        os.path.dirname(sys.executable), 'rf_protocol_validator')
    # requests lets REQUESTS_CA_BUNDLE override --no-cert-check
    env = {k: v for k, v in os.environ.items()
           if k not in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')}
    with peers.FakeBmcProcess(['--redfish-port', '0']) as bmc:
        out = subprocess.run(
            [tool, '-r', bmc.redfish[0][0], '-u', 'admin', '-p',
             'password', '--no-cert-check', '--report-dir', str(tmp_path)],
            capture_output=True, text=True, timeout=600, env=env,
            cwd=str(tmp_path))
    (report,) = glob.glob(str(tmp_path / '*.tsv'))
    with open(report) as stream:
        rows = list(csv.reader(stream, delimiter='\t'))
    results = [row[4] for row in rows if len(row) > 4]
    failed = [row for row in rows if len(row) > 4 and row[4] == 'FAIL']
    assert failed == [], out.stdout[-2000:]
    assert results.count('PASS') > 300, out.stdout[-2000:]


@pytest.mark.skipif(not os.path.isdir(CSDL),
                    reason="DMTF's schema files are not in ../shared/redfish "
                    "(needed offline by the service validator)")
def test_dmtf_service_validator_finds_no_failure(bmc, tmp_path):
    tool = shutil.which('rf_service_validator') or os.path.join(
        os.path.dirname(sys.executable), 'rf_service_validator')
    out = subprocess.run(
        [tool, '--ip', bmc.url, '-u', 'admin', '-p', 'password',
         '--schema_directory', CSDL, '--skipschema', '--logdir',
         str(tmp_path)], capture_output=True, text=True, timeout=600,
        cwd=str(tmp_path))
    table = re.search(r'\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)',
                      out.stdout)
    assert table, out.stdout[-3000:]
    passed, warned, failed, _ = (int(n) for n in table.groups())
    assert failed == 0 and passed > 200, out.stdout[-3000:]
