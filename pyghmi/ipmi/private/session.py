"""pyghmi 1.6.19's module path for the client session.

The module is :mod:`pyghmi.ipmi.private.client.session`; this name is
the very same module object (``sys.modules``), so callers that read or
patch its attributes reach the real ones.
"""

import sys

from pyghmi.ipmi.private.client import session as _session

sys.modules[__name__] = _session
