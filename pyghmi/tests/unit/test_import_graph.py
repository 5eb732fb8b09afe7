"""The package's import graph: no cycles, and the engine's layers.

Every ``import`` of a pyghmi module anywhere in a module (at its top or
inside a function: a lazy import hides a cycle, it does not remove it)
is an edge.  The graph must have no cycle, and the folders of
``pyghmi.ipmi.private`` keep their rules (see its ``__init__``): the
codecs and session security never import an engine, and the client and
server engines never import each other.
"""

import ast
import os

import pyghmi

ROOT = os.path.dirname(os.path.abspath(pyghmi.__file__))
PRIVATE = 'pyghmi.ipmi.private.'


def _modules():
    """Module name -> path, for every module of the package but tests."""
    found = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in ('tests', '__pycache__')]
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3]
                module = rel.replace(os.sep, '.')
                if module.endswith('.__init__'):
                    module = module[:-len('.__init__')]
                found[module] = path
    return found


def _edges(path, modules):
    with open(path, encoding='utf-8') as stream:
        tree = ast.parse(stream.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0 and node.module.startswith('pyghmi'):
            for alias in node.names:
                full = '%s.%s' % (node.module, alias.name)
                yield full if full in modules else node.module


def _graph():
    modules = _modules()
    return {name: set(_edges(path, modules)) - {name}
            for name, path in modules.items()}


def _cycles(graph):
    """The strongly connected components of more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle():
    graph = _graph()
    assert len(graph) > 80
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [
        ['a', 'b', 'c']]
    assert _cycles({'a': {'b'}, 'b': set()}) == []


def _folder(module):
    if not module.startswith(PRIVATE):
        return None
    rest = module[len(PRIVATE):].split('.')
    return rest[0] if len(rest) > 1 else None


def test_the_engine_folders_keep_their_rules():
    forbidden = {'codec': {'client', 'server'}, 'secure': {'client', 'server'},
                 'client': {'server'}, 'server': {'client'}}
    broken = []
    for module, targets in _graph().items():
        folder = _folder(module)
        for target in targets:
            if _folder(target) in forbidden.get(folder, ()):
                broken.append('%s imports %s' % (module, target))
    assert broken == []


def test_no_folder_holds_more_than_fifteen_modules():
    counts = {}
    for path in _modules().values():
        if os.path.basename(path) != '__init__.py':
            folder = os.path.relpath(os.path.dirname(path), ROOT)
            counts[folder] = counts.get(folder, 0) + 1
    assert counts['ipmi/private/codec'] >= 10      # the walk sees them
    assert {f: n for f, n in counts.items() if n > 15} == {}
