"""The house rules of ``agentguard/``: no import circle, no private name imported across
modules, no module over 500 lines (data modules excepted).

Imports are read from each module's AST, at every depth: module level, inside functions
(the hot path's lazy imports), and inside ``if TYPE_CHECKING:`` blocks, which are kept
apart. A circle is a strongly connected component of the graph of run-time imports
(module level and lazy); edges that exist only under ``TYPE_CHECKING`` are left out of
it, because no such import ever runs (``from __future__ import annotations`` keeps every
annotation a string). Importing ``a.b.c`` counts as an edge to ``a.b.c`` only, not to
the packages ``a`` and ``a.b`` whose ``__init__`` Python also runs: those are kept empty
or import-free on the hot path, and counting them would put every package in a circle
with its own modules.

Today's remaining violations are listed below with their owner. Each list only
shrinks: a new violation fails, and so does an entry that is no longer true, so that
whoever fixes one removes its entry in the same commit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

import agentguard

PACKAGE = Path(agentguard.__file__).resolve().parent
MAX_LINES = 500
# Modules that are data, not logic: a literal table is read, not followed.
DATA_MODULES = frozenset({"agentguard.shell.catalogue"})

# Run-time import circles, each the exact set of modules in one.
ALLOWED_CIRCLES: list[frozenset[str]] = []  # None left.

# (importing module, module imported from, private name). None left.
ALLOWED_PRIVATE: set[tuple[str, str, str]] = set()

# Modules over MAX_LINES that are not data.
ALLOWED_LONG: set[str] = set()


class Import(NamedTuple):
    """One import of an agentguard module by another."""

    source: str  # the importing module
    target: str  # the module imported (or imported from)
    names: tuple[str, ...]  # the names taken from it (empty for ``import x``)
    kind: str  # "top" (module level), "lazy" (in a function) or "typing" (TYPE_CHECKING)
    line: int


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The longest prefix of ``name`` that is one of our modules."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, kind: str) -> Iterator[tuple[ast.AST, str]]:
    """Every node below ``node`` with the kind of import it would be."""
    for child in ast.iter_child_nodes(node):
        inner = kind
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield stmt, "typing"
                yield from _walk(stmt, "typing")
            for stmt in child.orelse:
                yield stmt, kind
                yield from _walk(stmt, kind)
            continue
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inner = "typing" if kind == "typing" else "lazy"
        yield child, inner
        yield from _walk(child, inner)


def imports_of(module: str) -> list[Import]:
    """Every import of an agentguard module that ``module`` makes, at any depth."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node, kind in _walk(tree, "top"):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target and alias.name.split(".")[0] == "agentguard":
                    found.append(Import(module, target, (), kind, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.split(".")[0] != "agentguard":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    found.append(Import(module, full, (), kind, node.lineno))
                else:
                    target = _resolve(base)
                    if target:
                        found.append(Import(module, target, (alias.name,), kind, node.lineno))
    return found


IMPORTS = {module: imports_of(module) for module in MODULES}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def circles() -> list[frozenset[str]]:
    """The strongly connected components (of two or more modules) of run-time imports."""
    graph = {
        module: sorted({i.target for i in found if i.kind != "typing" and i.target != module})
        for module, found in IMPORTS.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []
    # Tarjan's algorithm, iterative: the package is deep enough to matter for recursion.
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if edge < len(graph[node]):
                work.append((node, edge + 1))
                nxt = graph[node][edge]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(frozenset(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def private_imports() -> set[tuple[str, str, str]]:
    """``(importer, module, name)`` for every private name one module takes from another:
    ``from m import _x``, and ``m._x`` on a name bound to an agentguard module."""
    found: set[tuple[str, str, str]] = set()
    for module, imports in IMPORTS.items():
        for imp in imports:
            found.update((module, imp.target, n) for n in imp.names if _private(n))
        aliases: dict[str, str] = {}
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name in MODULES:
                        aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in MODULES:
                        aliases[alias.asname or alias.name] = full
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
                and aliases[node.value.id] != module
            ):
                found.add((module, aliases[node.value.id], node.attr))
    return found


def long_modules() -> dict[str, int]:
    """Modules over :data:`MAX_LINES` lines that are not data, with their length."""
    lengths = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    return {m: n for m, n in lengths.items() if n > MAX_LINES and m not in DATA_MODULES}


def test_the_reader_sees_every_kind_of_import() -> None:
    """The AST reader finds module-level, lazy and TYPE_CHECKING imports, each by its kind."""
    kinds = {(i.target, i.kind) for i in IMPORTS["agentguard.hook.run"]}
    assert ("agentguard.hook.session", "top") in kinds
    assert ("agentguard.hook.pre_tool_use", "lazy") in kinds
    assert ("agentguard.hook.stop", "lazy") in kinds
    assert ("agentguard.engine.call", "typing") in {
        (i.target, i.kind) for i in IMPORTS["agentguard.engine.bash"]
    }


def test_import_circles_are_the_allowed_ones() -> None:
    """No run-time import circle beyond the allowed ones, and each allowed one still exists
    exactly (a fixed or smaller one updates its entry)."""
    found = set(circles())
    new = sorted(sorted(c) for c in found if not any(c <= allowed for allowed in ALLOWED_CIRCLES))
    stale = sorted(sorted(c) for c in ALLOWED_CIRCLES if c not in found)
    # New: break them (move the shared part down a floor). Stale: remove or shrink the entry.
    assert (new, stale) == ([], [])


def test_private_imports_are_the_allowed_ones() -> None:
    """No module takes a ``_private`` name from another beyond the allowed ones, and each
    allowed one still happens (a fixed one removes its entry)."""
    found = private_imports()
    # New: make the name public, or move it to the module that uses it. Stale: remove it.
    assert (sorted(found - ALLOWED_PRIVATE), sorted(ALLOWED_PRIVATE - found)) == ([], [])


def test_long_modules_are_the_allowed_ones() -> None:
    """No module outside the data modules is over 500 lines beyond the allowed ones, and
    each allowed one still is (a split removes its entry)."""
    found = set(long_modules())
    # New: split it by what it holds. Stale: remove the entry.
    assert (sorted(found - ALLOWED_LONG), sorted(ALLOWED_LONG - found)) == ([], [])


@pytest.mark.parametrize("module", sorted(DATA_MODULES))
def test_data_modules_exist(module: str) -> None:
    """Every module excused as data is one of the package's modules."""
    assert module in MODULES
