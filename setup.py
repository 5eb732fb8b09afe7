"""Build with pbr; all metadata lives in setup.cfg.

Versioning: the release number is the ``version`` of ``setup.cfg`` and
does not depend on git tags (a clone without tags, or a tarball, builds
the same version).  pbr would otherwise derive a ``.devN`` pre-release
from the git history, which pip refuses to use for consumers' version
requirements such as virtualbmc's ``pyghmi>=1.2.0``.  See
doc/source/versioning.rst for the policy.  An explicit ``PBR_VERSION`` in
the environment still wins.
"""
import configparser
import os

import setuptools

_config = configparser.ConfigParser()
_config.read(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'setup.cfg'))
os.environ.setdefault('PBR_VERSION', _config['metadata']['version'])

setuptools.setup(setup_requires=['pbr>=2.0.0'], pbr=True)
