"""Result shapes beside pyghmi 1.6.19, on the same fakebmc.

Runs ``scripts/compare_shapes.py`` (``make compat``): each public call of
``scripts/shape_worker.py`` once with this package and once with the
released pyghmi in its own virtualenv, keys and value types compared.
Any difference not listed as deliberate (and described in
doc/source/migration.rst) fails.
"""

import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def test_every_call_has_pyghmis_shape():
    out = subprocess.run(
        [sys.executable, os.path.join(TOP, 'scripts', 'compare_shapes.py')],
        capture_output=True, text=True, timeout=600, cwd=TOP)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report
    assert '0 unexplained difference(s)' in report, report
    # every call ran on both sides (a crash of either is a difference)
    assert report.count(' same\n') >= 20, report
