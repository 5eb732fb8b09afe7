#!/usr/bin/env python3
"""Write the public API surface of an installed pyghmi as JSON.

Run it with the interpreter of the virtualenv that holds the released
package, from a directory where this tree is not importable, so that the
released package (never ours) is introspected::

    cd /tmp && /path/.venv-pyghmi-1.6.19/bin/python \
        /path/scripts/gen_api_surface.py > api_surface.json

The result is the data file ``pyghmi/tests/unit/data/api_surface_1.6.19.json``
read by ``test_api_surface.py``.  Entries are sorted; each one is::

    {"name": "pyghmi.ipmi.command.Command.get_power",
     "kind": "function" | "class" | "module" | "data" | "property",
     "params": [[name, kind, has_default], ...]   (functions only)
     "type": "dict"                                (data only)}

Modules out of scope (HTTPS, Redfish, the Lenovo web internals, the
IPMI 1.5-only "simple session") are not listed; private module globals of
the session module are not part of the contract and are skipped.
"""

import importlib
import inspect
import json
import sys
import types

MODULES = (
    'pyghmi', 'pyghmi.constants', 'pyghmi.exceptions', 'pyghmi.version',
    'pyghmi.ipmi.bmc', 'pyghmi.ipmi.command', 'pyghmi.ipmi.console',
    'pyghmi.ipmi.events', 'pyghmi.ipmi.fru', 'pyghmi.ipmi.sdr',
    'pyghmi.ipmi.oem.generic', 'pyghmi.ipmi.oem.lookup',
    'pyghmi.ipmi.private.constants', 'pyghmi.ipmi.private.localsession',
    'pyghmi.ipmi.private.serversession', 'pyghmi.ipmi.private.session',
    'pyghmi.ipmi.private.spd', 'pyghmi.ipmi.private.util',
)
# Globals of these modules are implementation detail of the original.
CLASSES_ONLY = ('pyghmi.ipmi.private.session',
                'pyghmi.ipmi.private.localsession')
DATA_TYPES = (dict, list, tuple, int, str, bytes, float, frozenset, set)


def params_of(func):
    """[[name, kind, has_default], ...] of a callable, or None."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, p.default is not p.empty]
            for p in sig.parameters.values()]


def class_members(cls):
    """Public methods and properties of ``cls`` and of the package's own
    base classes (a caller reaches inherited ones the same way: the
    original's ServerConsole is a Console), the nearest definition
    first."""
    members = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith('pyghmi'):
            continue
        for attr, value in vars(klass).items():
            if attr.startswith('_') and attr != '__init__':
                continue
            members.setdefault(attr, value)
    return members


def describe_class(prefix, cls, out):
    out.append({'name': prefix, 'kind': 'class'})
    for attr, value in sorted(class_members(cls).items()):
        name = '%s.%s' % (prefix, attr)
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if inspect.isfunction(value):
            out.append({'name': name, 'kind': 'function',
                        'params': params_of(value)})
        elif isinstance(value, property):
            out.append({'name': name, 'kind': 'property'})


def describe_module(modname, out):
    module = importlib.import_module(modname)
    out.append({'name': modname, 'kind': 'module'})
    for attr, value in sorted(vars(module).items()):
        if attr.startswith('_'):
            continue
        name = '%s.%s' % (modname, attr)
        home = getattr(value, '__module__', modname)
        if inspect.isclass(value) and home == modname:
            describe_class(name, value, out)
        elif modname in CLASSES_ONLY:
            continue
        elif inspect.isfunction(value) and home == modname:
            out.append({'name': name, 'kind': 'function',
                        'params': params_of(value)})
        elif isinstance(value, DATA_TYPES) and not isinstance(value, bool):
            out.append({'name': name, 'kind': 'data',
                        'type': type(value).__name__})
        elif isinstance(value, types.ModuleType):
            continue


def main():
    out = []
    for modname in MODULES:
        describe_module(modname, out)
    json.dump(sorted(out, key=lambda e: e['name']), sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
