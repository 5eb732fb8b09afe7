"""The installed package's version, as pyghmi 1.6.19 exposed it.

``version_info`` is a ``pbr.version.VersionInfo``: ``version_string()``
gives ``'1.7.0'``; ``release_string()`` the full release.
"""

import pbr.version

version_info = pbr.version.VersionInfo('pyghmi')
