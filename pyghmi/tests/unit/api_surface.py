"""Compare this package's public API with a recorded surface.

The surface (``data/api_surface_1.6.19.json``) was written by
``scripts/gen_api_surface.py`` from the released pyghmi 1.6.19 in a
virtualenv of its own.  ``problems()`` lists what a caller of that
release would trip over here: a missing module, class, function or table,
or a signature that refuses a call the original accepts.
"""

import importlib
import inspect
import json
import os

DATA = os.path.join(os.path.dirname(__file__), 'data',
                    'api_surface_1.6.19.json')
POSITIONAL = ('POSITIONAL_ONLY', 'POSITIONAL_OR_KEYWORD')


def load(path=DATA):
    """Return ``(entries, pending)`` of the data file.

    ``pending`` maps a name (or a prefix of names) to the open issue that
    will add it; names under ``absent`` are out of scope by decision and
    documented as absent, so they are left out of ``entries``.
    """
    with open(path) as stream:
        data = json.load(stream)
    absent = data.get('absent', {})
    entries = [e for e in data['entries']
               if pending_reason(e['name'], absent) is None]
    return entries, data['pending']


def pending_reason(name, pending):
    """The open issue a name waits for, or None."""
    for prefix, reason in pending.items():
        if name == prefix or name.startswith(prefix + '.'):
            return reason
    return None


def resolve(name):
    """Import the longest module prefix of ``name``, then getattr the rest.

    Returns the object, or raises LookupError naming what is missing.
    """
    parts = name.split('.')
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module('.'.join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            try:
                # a module's names include what its __getattr__ provides
                obj = getattr(obj, attr) if inspect.ismodule(obj) else \
                    inspect.getattr_static(obj, attr)
            except AttributeError:
                raise LookupError('%s: missing' % name)
            if isinstance(obj, (staticmethod, classmethod)):
                obj = obj.__func__
        return obj
    raise LookupError('%s: module missing' % name)


def signature_problem(theirs, func):
    """Why a call valid for the original's parameters fails on ``func``."""
    try:
        ours = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return 'not introspectable'
    by_name = {p.name: p for p in ours}
    var_pos = any(p.kind.name == 'VAR_POSITIONAL' for p in ours)
    var_kw = any(p.kind.name == 'VAR_KEYWORD' for p in ours)
    positional = [p for p in ours if p.kind.name in POSITIONAL]
    index = 0
    for name, kind, has_default in theirs:
        if kind == 'VAR_POSITIONAL':
            if not var_pos:
                return 'does not take *%s' % name
            continue
        if kind == 'VAR_KEYWORD':
            if not var_kw:
                return 'does not take **%s' % name
            continue
        if kind in POSITIONAL:
            if index >= len(positional):
                if not var_pos:
                    return 'parameter %d (%s) missing' % (index, name)
            elif positional[index].name != name and kind != 'POSITIONAL_ONLY':
                return 'parameter %d is %s, not %s' % (
                    index, positional[index].name, name)
            elif has_default and positional[index].default is inspect._empty:
                return '%s has no default' % name
            index += 1
        elif name not in by_name and not var_kw:
            return 'keyword %s missing' % name
        elif has_default and name in by_name and \
                by_name[name].default is inspect._empty:
            return '%s has no default' % name
    for extra in positional[index:]:
        if extra.default is inspect._empty:
            return 'extra required parameter %s' % extra.name
    for extra in ours:
        if extra.kind.name == 'KEYWORD_ONLY' and \
                extra.default is inspect._empty and \
                extra.name not in [t[0] for t in theirs]:
            return 'extra required keyword %s' % extra.name
    return None


def check(entry):
    """A problem string for one entry, or None."""
    try:
        obj = resolve(entry['name'])
    except LookupError as exc:
        return str(exc)
    kind = entry['kind']
    if kind == 'class' and not inspect.isclass(obj):
        return '%s: not a class' % entry['name']
    if kind == 'function':
        if not callable(obj):
            return '%s: not callable' % entry['name']
        if entry.get('params') is not None:
            why = signature_problem(entry['params'], obj)
            if why:
                return '%s: %s' % (entry['name'], why)
    if kind == 'data' and type(obj).__name__ != entry['type']:
        return '%s: %s, not %s' % (entry['name'], type(obj).__name__,
                                   entry['type'])
    return None


def problems(path=DATA):
    """``(problems, pending)``: lists of ``(name, why)``."""
    entries, pending = load(path)
    found, waiting = [], []
    for entry in entries:
        why = check(entry)
        if why is None:
            continue
        reason = pending_reason(entry['name'], pending)
        (waiting if reason else found).append((entry['name'], why))
    return found, waiting


if __name__ == '__main__':
    bad, later = problems()
    for name, why in later:
        print('pending  ', why)
    for name, why in bad:
        print('PROBLEM  ', why)
    print('%d problems, %d pending' % (len(bad), len(later)))
