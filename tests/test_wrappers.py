"""The catalogue's wrappers: every example runs the command it names, every entry is well formed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from agentguard.shell import analyse, entrypoints, feeds, project, shells, wrappers
from agentguard.shell.catalogue import WRAPPERS
from agentguard.shell.shapes import handler

if TYPE_CHECKING:
    from pathlib import Path

_KEYS = {
    "shape",
    "module",
    "flags",
    "values",
    "attached",
    "positionals",
    "lead",
    "nocmd",
    "refuse",
    "cwd_opts",
    "keep_cwd",
    "long_any",
    "bare_opaque",
    "aliases",
    "examples",
}
_MODULES = {
    "wrappers": wrappers,
    "shells": shells,
    "project": project,
    "entrypoints": entrypoints,
    "feeds": feeds,
}
# Handlers of bash's own words (builtins, reserved words): no program of that name runs.
_BASH_ITSELF = set(shells.HANDLERS) - {*shells.SHELLS, "eval", "trap"}
_OPTION_KEYS = ("flags", "values", "attached", "nocmd", "refuse", "cwd_opts", "keep_cwd")
_EXAMPLES = [
    pytest.param(name, line, expected, id=line)
    for name, spec in WRAPPERS.items()
    for line, expected in spec["examples"].items()  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("name", "line", "expected"), _EXAMPLES)
def test_wrapper_example(name: str, line: str, expected: str, tmp_path: Path) -> None:
    """A wrapper's example line runs the command its example names, or is opaque."""
    analysis = analyse(line, str(tmp_path), {})
    assert analysis.errors == []
    commands = [(" ".join(c.argv), sorted(c.classes), c.via) for c in analysis.commands]
    head = line.split(maxsplit=1)[0]
    if expected == "opaque":
        # The wrapper's own words are what the guard cannot see into.
        assert any("opaque" in c.classes and c.argv[0] == head for c in analysis.commands), commands
        return
    last = analysis.commands[-1]
    if expected == line:
        # No command runs (``--help``, ``-p PID``): the wrapper is judged as itself.
        assert (last.argv, last.via) == (line.split(), []), commands
        return
    assert (" ".join(last.argv), "opaque" in last.classes) == (expected, False), commands
    assert last.via[0].split(maxsplit=1)[0] == head, commands


@pytest.mark.parametrize("name", sorted(WRAPPERS))
def test_wrapper_entry_is_well_formed(name: str) -> None:
    """Every entry has a known shape and a handler, known keys, options that look like
    options, and examples."""
    spec = WRAPPERS[name]
    assert spec.get("shape") in ("simple", "strict", "code")
    assert set(spec) <= _KEYS
    for key in _OPTION_KEYS:
        words = str(spec.get(key, "")).split()
        assert all(w.startswith("-") for w in words), (key, words)
    assert spec["examples"]
    if spec["shape"] == "code":
        assert name in _MODULES[str(spec["module"])].HANDLERS
    else:
        assert "module" not in spec
        assert handler(name) is not None


def test_aliases_run_their_wrapper_without_its_lead_operand(tmp_path: Path) -> None:
    """``linux32 CMD`` runs CMD as ``setarch linux32 CMD`` does; an unknown name is no wrapper."""
    aliases = str(WRAPPERS["setarch"]["aliases"]).split()
    assert aliases
    for alias in aliases:
        assert handler(alias) is not None
        last = analyse(f"{alias} -R make", str(tmp_path), {}).commands[-1]
        assert (last.argv, last.via) == (["make"], [alias])
    assert handler("make") is None


def test_every_program_handler_has_a_catalogue_entry() -> None:
    """Every program a code handler reads is in the catalogue, naming that handler's module
    (reserved words and builtins are bash's, not programs)."""
    entries = {n: s.get("module") for n, s in WRAPPERS.items() if s["shape"] == "code"}
    for module_name, module in _MODULES.items():
        names = set(module.HANDLERS) - _BASH_ITSELF
        assert {n for n, m in entries.items() if m == module_name} == names, module_name
