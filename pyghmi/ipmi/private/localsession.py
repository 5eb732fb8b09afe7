"""pyghmi 1.6.19's module path for in-band sessions.

The module is :mod:`pyghmi.ipmi.private.client.localsession`; this name
is the very same module object (``sys.modules``).
"""

import sys

from pyghmi.ipmi.private.client import localsession as _localsession

sys.modules[__name__] = _localsession
