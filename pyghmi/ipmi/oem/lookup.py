"""Registry of vendor handlers: (IANA manufacturer id, product id) -> class.

Vendors register with :func:`register`; a product id of None matches every
product of that manufacturer.  Lookup is a dictionary access.
"""

import typing

from pyghmi.ipmi.oem import generic

_HANDLERS: typing.Dict[typing.Tuple[int, typing.Optional[int]],
                       typing.Type[generic.OEMHandler]] = {}


def register(manufacturer_id, product_id, handler_class):
    """Use ``handler_class`` for BMCs with these ids.

    :param manufacturer_id: IANA enterprise number from Get Device ID
    :param product_id: product id, or None for any product
    :param handler_class: an :class:`generic.OEMHandler` subclass
    """
    _HANDLERS[(manufacturer_id, product_id)] = handler_class


def get_oem_handler(oemid, ipmicmd):
    """Return ``(handler, True)`` for a BMC described by ``oemid``.

    :param oemid: dict with ``manufacturer_id`` and ``product_id``
    :param ipmicmd: the Command the handler will serve
    """
    key = (oemid.get('manufacturer_id'), oemid.get('product_id'))
    cls = (_HANDLERS.get(key) or _HANDLERS.get((key[0], None))
           or generic.OEMHandler)
    return cls(oemid, ipmicmd), True
