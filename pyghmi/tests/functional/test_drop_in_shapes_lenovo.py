"""Result shapes beside pyghmi 1.6.19 on the Lenovo fakebmc profiles.

As ``test_drop_in_shapes.py`` (``scripts/compare_shapes.py --profile``),
through the Lenovo handler of both packages; a file of its own so that
the parallel suite runs it beside the default profile's comparison.
"""

import os
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


@pytest.mark.parametrize('profile', ['lenovo_tsm_profile.json',
                                     'lenovo_fpc_profile.json'])
def test_lenovo_calls_have_pyghmis_shape(profile):
    """The same on the Lenovo ThinkServer and NextScale profiles, through
    the Lenovo handler of both packages (deliberate differences: OEM
    strings as text, what the original cannot do on Python 3, and what
    it did over HTTPS)."""
    out = subprocess.run(
        [sys.executable, os.path.join(TOP, 'scripts', 'compare_shapes.py'),
         '--profile', os.path.join(TOP, 'pyghmi', 'fakebmc', profile)],
        capture_output=True, text=True, timeout=900, cwd=TOP)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report
    assert '0 unexplained difference(s)' in report, report
    assert report.count(' same\n') >= 20, report
