"""Which vendor handler serves a BMC.

``oemmap`` maps a key to a handler: the key is the IANA manufacturer id
(int) from Get Device ID, or ``'<manufacturer id>.<product id>'`` (str)
for a handler of one product; the value is an
:class:`pyghmi.ipmi.oem.generic.OEMHandler` subclass, or a module with
an ``OEMHandler`` class (pyghmi 1.6.19's form).  The product key wins
over the manufacturer key.

Handlers come from three places, in this order (later ones replace
earlier ones with a log line):

* vendor packages in this tree, ``pyghmi/ipmi/oem/<vendor>/handler.py``,
  whose module lists its keys in ``device_type_supported``;
* third-party packages, through the entry point group
  :data:`ENTRY_POINT_GROUP` (``pyghmi.oem_handlers``): each entry point
  named after a key (``"19046"`` or ``"19046.1287"``) loads a handler
  class or module;
* :func:`register` / :func:`register_oem_map` calls at run time.

Building a handler never fails the ``Command``: a vendor handler whose
constructor or ``prepare`` hook raises (for example because its BMC
does not answer an OEM command) is logged and replaced by the generic
handler.
"""

import importlib
import logging
import os
import typing
from importlib import metadata

from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.oem import generic

LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = 'pyghmi.oem_handlers'
oemmap: typing.Dict[typing.Any, typing.Any] = {}


def register_oem_map(type, handler):
    """Use ``handler`` (class or module) for key ``type``
    (manufacturer id, or 'manufacturer.product')."""
    if type in oemmap and oemmap[type] is not handler:
        LOG.info('OEM key %s: %r replaced by %r', type, oemmap[type],
                 handler)
    oemmap[type] = handler


def register(manufacturer_id, product_id, handler_class):
    """Use ``handler_class`` for BMCs with these ids.

    :param manufacturer_id: IANA enterprise number from Get Device ID
    :param product_id: product id, or None for every product
    :param handler_class: an :class:`generic.OEMHandler` subclass
    """
    key = manufacturer_id if product_id is None else '%d.%d' % (
        manufacturer_id, product_id)
    register_oem_map(key, handler_class)


def _handler_class(entry):
    return getattr(entry, 'OEMHandler', entry)


def get_oem_handler(oemid, ipmicmd, *args):
    """The handler for a BMC, as ``(handler, is a vendor's)``.

    :param oemid: Get Device ID in pyghmi's shape (``manufacturer_id``,
        ``product_id``...), or None
    :param ipmicmd: the Command the handler serves
    :returns: a vendor handler, or the generic one when no vendor
        matches or the vendor's cannot be built (logged)
    """
    oemid = oemid or {}
    for key in ('%s.%s' % (oemid.get('manufacturer_id'),
                           oemid.get('product_id')),
                oemid.get('manufacturer_id')):
        entry = oemmap.get(key)
        if entry is None:
            continue
        try:
            return _handler_class(entry)(oemid, ipmicmd, *args), True
        except Exception as err:  # noqa: BLE001 - never fail the Command
            LOG.warning('OEM handler %r for %s could not start (%s); '
                        'using the generic handler', entry, key, err)
            break
    return generic.OEMHandler(oemid, ipmicmd, *args), False


def prepared(handler, oemid, ipmicmd):
    """Flow: ``handler`` once its ``prepare`` hook has run (what it
    learns of the BMC, as pyghmi's handlers did in their constructor);
    the generic handler when that fails (logged), as for a constructor
    that raises.  Cancellation passes through."""
    prepare = getattr(handler, 'prepare', None)
    if prepare is None:
        return handler
    try:
        yield from flows.answer(prepare)
    except Exception as err:  # noqa: BLE001 - never fail the Command
        LOG.warning('OEM handler %r could not prepare (%s); using the '
                    'generic handler', handler, err)
        return generic.OEMHandler(oemid, ipmicmd)
    return handler


# ------------------------------------------------------------ discovery
def make_plugin_name(base_dir, cur_dir):
    """The module name of the handler in vendor directory ``cur_dir``."""
    relative = os.path.relpath(cur_dir, base_dir).replace(os.sep, '.')
    return '%s.%s.handler' % (__package__, relative)


def load_and_register(base_dir, cur_dir):
    """Import ``cur_dir``'s handler module and register its keys."""
    name = make_plugin_name(base_dir, cur_dir)
    try:
        module = importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a broken vendor package is skipped
        LOG.exception('cannot load OEM handler %s', name)
        return
    for key in getattr(module, 'device_type_supported', ()):
        register_oem_map(key, module)


def find_plugin(base_dir, cur_dir):
    """Register every ``handler.py`` found under ``cur_dir``."""
    for item in sorted(os.listdir(cur_dir)):
        path = os.path.join(cur_dir, item)
        if os.path.isdir(path) and not item.startswith(('_', '.')):
            find_plugin(base_dir, path)
        elif item == 'handler.py':
            load_and_register(base_dir, cur_dir)


def load_entry_points():
    """Register the handlers of installed packages (entry point group
    :data:`ENTRY_POINT_GROUP`); a broken one is logged and skipped."""
    found: typing.Any = metadata.entry_points()
    if hasattr(found, 'select'):
        found = found.select(group=ENTRY_POINT_GROUP)
    else:                                       # Python 3.9: a dict
        found = found.get(ENTRY_POINT_GROUP, ())
    for entry in found:
        try:
            key = int(entry.name) if entry.name.isdigit() else entry.name
            register_oem_map(key, entry.load())
        except Exception:  # noqa: BLE001 - a broken plugin is skipped
            LOG.exception('cannot load OEM handler entry point %s', entry)


def load_plugins():
    """Register the vendor packages of this tree, then third-party ones."""
    base = os.path.dirname(os.path.abspath(__file__))
    for item in sorted(os.listdir(base)):
        path = os.path.join(base, item)
        if os.path.isdir(path) and not item.startswith(('_', '.')):
            find_plugin(base, path)
    load_entry_points()


load_plugins()
