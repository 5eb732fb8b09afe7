"""The public API of pyghmi 1.6.19 exists here, with compatible signatures.

The recorded surface comes from the released package, introspected in its
own virtualenv by scripts/gen_api_surface.py (see api_surface.py).
"""

import inspect

from pyghmi.tests.unit import api_surface


def test_every_name_and_signature_of_the_original_is_here():
    problems, _ = api_surface.problems()
    assert problems == [], '\n'.join(why for _, why in problems)


def test_pending_marks_cover_something_missing():
    # A pending mark must not outlive the work: once every name under it
    # exists with a compatible signature, the mark goes.
    entries, pending = api_surface.load()
    waiting = {name for name, _ in api_surface.problems()[1]}
    stale = [mark for mark in pending
             if not any(api_surface.pending_reason(name, {mark: 1})
                        for name in waiting)]
    assert stale == []


def test_the_checker_catches_incompatible_signatures():
    def original(self, a, b=1, *args, **kw):
        pass
    theirs = [[p.name, p.kind.name, p.default is not p.empty]
              for p in inspect.signature(original).parameters.values()]

    def same(self, a, b=1, *args, c=2, **kw):
        pass

    def reordered(self, b, a=1, *args, **kw):
        pass

    def no_default(self, a, b, *args, **kw):
        pass

    def no_varargs(self, a, b=1, **kw):
        pass

    def extra_required(self, a, b=1, c=None, *args, d, **kw):
        pass

    assert api_surface.signature_problem(theirs, same) is None
    assert 'parameter 1 is b' in api_surface.signature_problem(
        theirs, reordered)
    assert 'no default' in api_surface.signature_problem(theirs, no_default)
    assert '*args' in api_surface.signature_problem(theirs, no_varargs)
    assert 'extra required keyword d' in api_surface.signature_problem(
        theirs, extra_required)


def test_the_checker_catches_missing_names_and_wrong_kinds():
    assert 'missing' in api_surface.check(
        {'name': 'pyghmi.ipmi.command.Command.no_such_method',
         'kind': 'function', 'params': None})
    assert 'not a class' in api_surface.check(
        {'name': 'pyghmi.ipmi.command.Command.get_power', 'kind': 'class'})
    assert 'module missing' in api_surface.check(
        {'name': 'no_such_package.thing', 'kind': 'module'})
