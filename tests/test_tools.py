"""claude/tools.py: the one table of Claude Code's tools, and that the modules read it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from agentguard.claude import tools

PACKAGE = Path(__file__).resolve().parent.parent / "agentguard"
KINDS = {
    tools.WRITE,
    tools.READ,
    tools.SEARCH,
    tools.SHELL,
    tools.WEB,
    tools.IDENTITY,
    tools.NEUTRAL,
}
# The modules that once listed tool fields themselves; they read the table now.
READERS = (
    "engine",
    "hook",
    "observe",
    "redact.py",
    "claude/events.py",
    "commands/policytest.py",
    "commands/explain.py",
    "commands/logs.py",
)


def test_every_entry_has_a_known_kind_and_a_path_field_where_it_acts_on_a_path() -> None:
    """Write and read tools name their path field; shell, web, identity and neutral none."""
    for tool, (kind, field) in tools.TOOLS.items():
        assert kind in KINDS, tool
        assert bool(field) == (kind in (tools.WRITE, tools.READ, tools.SEARCH)), tool


def test_path_fields_are_the_tables_fields_in_order() -> None:
    """PATH_FIELDS is every distinct path field of TOOLS, first use first."""
    fields = [field for _, field in tools.TOOLS.values() if field]
    assert tuple(dict.fromkeys(fields)) == tools.PATH_FIELDS


@pytest.mark.parametrize(
    ("tool", "kind", "field"),
    [
        ("Write", "write", "file_path"),
        ("NotebookEdit", "write", "notebook_path"),
        ("NotebookRead", "read", "notebook_path"),
        ("Grep", "search", "path"),
        ("Bash", "shell", "file_path"),
        ("EnterWorktree", "identity", "file_path"),
        ("mcp__github__get_issue", None, "file_path"),
    ],
)
def test_kind_and_path_field(tool: str, kind: str | None, field: str) -> None:
    """kind() is None for a tool the table lacks; path_field() falls back to file_path."""
    assert (tools.kind(tool), tools.path_field(tool)) == (kind, field)


def _literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value}


@pytest.mark.parametrize("where", READERS)
def test_no_reader_spells_a_tool_path_field(where: str) -> None:
    """The modules that need tool fields take them from claude/tools.py, not a list of their own."""
    root = PACKAGE / where
    files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
    for file in files:
        spelled = _literals(file) & {"file_path", "notebook_path"}
        assert not spelled, f"{file.relative_to(PACKAGE)} spells {sorted(spelled)}"
