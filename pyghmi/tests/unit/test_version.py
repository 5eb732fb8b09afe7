"""pyghmi.version.version_info: pbr's VersionInfo, or the same two
methods from the package metadata where pbr is missing (the RPM)."""

import configparser
import os
import subprocess
import sys

from pyghmi import version

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))


def _declared():
    config = configparser.ConfigParser()
    config.read(os.path.join(TOP, 'setup.cfg'))
    return config['metadata']['version']


def test_version_is_the_declared_one():
    assert version.version_info.version_string() == _declared()
    assert version.version_info.release_string().startswith(_declared())


def test_without_pbr():
    code = ("import sys; sys.modules['pbr'] = None; "
            "sys.modules['pbr.version'] = None; "
            "from pyghmi import version as v; "
            "print(type(v.version_info).__name__, "
            "v.version_info.version_string(), v.version_info)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, timeout=60, cwd=TOP)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['_MetadataVersion', _declared(),
                                  _declared()]
