"""What the areas of ``Command`` take from the facade, typed once.

``Command`` is built from one mixin per area (chassis, sensors, event
log, inventory, DCMI, users, LAN, alerts, OEM); each calls the raw
request methods and the vendor handler of the facade.  This base names
them, with their types, so that every area is checked on its own (the
way a Protocol describes what a caller needs); ``Command`` provides
them.
"""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from pyghmi import exceptions as exc
from pyghmi.ipmi.facade import flows

# Argument types of the public API.
Secret = Union[str, bytes]
ByteData = Union[bytes, bytearray, Sequence[int]]
Bridge = Union[Dict[str, int], Tuple[()], None]   # () is pyghmi's "none"


class CommandParts:
    """Types of the facade members that the area mixins use."""

    bmc: Optional[str]
    ipmi_session: Any
    _sdr: Any
    _sdrcachedir: Optional[str]
    _dcmi_ops: Any
    xraw_command: Callable[..., Dict[str, Any]]
    xraw_commands: Callable[..., List[Any]]
    raw_command: Callable[..., Dict[str, Any]]
    _xraw: Callable[..., Any]
    oem_init: Callable[[], None]
    get_device_id: Callable[[], Dict[str, Any]]
    _get_device_id: Callable[[], Dict[str, Any]]
    get_system_guid: Callable[[], str]
    # one area's methods that another calls
    init_sdr: Callable[[], Any]
    _read_sensor: Callable[..., Any]

    @property
    def _handler(self) -> Any:
        """The vendor handler (the facade's)."""
        raise NotImplementedError

    def _oem_handles(self, hook, *args):
        """Flow: offer an operation to the vendor handler first.

        :returns: True when the handler did it (or asked that the generic
            code be skipped), False when the generic IPMI code should run
        """
        try:
            yield from flows.vendor(hook, *args)
        except exc.UnsupportedFunctionality:
            return False
        except exc.BypassGenericBehavior:
            pass
        return True
