"""The installed package's version, as pyghmi 1.6.19 exposed it.

``version_info`` is a ``pbr.version.VersionInfo``: ``version_string()``
gives ``'1.7.0'``; ``release_string()`` the full release.  Where pbr is
not installed (the RPM requires only cryptography at run time) it is a
small object with the same two methods, read from the package metadata.
"""

try:
    import pbr.version
    _HAVE_PBR = True
except ImportError:     # pragma: no cover - depends on the installation
    _HAVE_PBR = False


class _MetadataVersion:
    """``version_string()`` / ``release_string()`` from the installed
    distribution's metadata (pbr's VersionInfo without pbr)."""

    def __init__(self, package):
        self.package = package

    def release_string(self):
        """The full version of the installed package."""
        from importlib import metadata
        return metadata.version(self.package)

    def version_string(self):
        """The version without pre-release or local parts."""
        return self.release_string().split('.dev')[0].split('+')[0]

    def __str__(self):
        return self.version_string()


version_info = (pbr.version.VersionInfo('pyghmi') if _HAVE_PBR
                else _MetadataVersion('pyghmi'))
