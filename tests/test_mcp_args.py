"""The paths an MCP call names and how they are judged; mcp_server in the log; lint."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import mcp_args
from agentguard.hook import run as hook
from agentguard.redact import summarise


@pytest.mark.parametrize(
    ("tool", "mode"),
    [
        ("mcp__filesystem__read_file", "read"),
        ("mcp__filesystem__read_multiple_files", "read"),
        ("mcp__fs__readFile", "read"),
        ("mcp__filesystem__list_directory", "read"),
        ("mcp__filesystem__directory_tree", "read"),
        ("mcp__filesystem__search_files", "read"),
        ("mcp__filesystem__get_file_info", "read"),
        ("mcp__filesystem__write_file", "write"),
        ("mcp__filesystem__edit_file", "write"),
        ("mcp__filesystem__move_file", "write"),
        ("mcp__filesystem__create_directory", "write"),
        ("mcp__fs__apply_patch", "write"),
        ("mcp__fs__readonly_mode_off", "write"),
        ("mcp__fs__", "write"),
    ],
)
def test_the_verb_decides_read_or_write(tool: str, mode: str) -> None:
    """Read-like verbs read; every other verb, unknown ones included, writes."""
    assert mcp_args.mode_for(tool, None) == mode


def test_a_class_overrides_the_verb() -> None:
    """A class's ``arguments`` wins over what the verb suggests, both ways."""
    assert mcp_args.mode_for("mcp__x__get_or_create", "write") == "write"
    assert mcp_args.mode_for("mcp__x__sync", "read") == "read"


def _named(tool: str, tool_input: Any) -> list[tuple[str, str, str]]:
    return mcp_args.paths(tool, tool_input, mcp_args.mode_for(tool, None))


def test_path_arguments_are_found_flat_nested_and_in_lists() -> None:
    """path, paths, file_path, filePath, nested files[].path and file:// URIs are all paths."""
    named = _named(
        "mcp__github__push_files",
        {
            "path": "a",
            "paths": ["b", "c", 3],
            "filePath": "d",
            "files": [{"path": "e", "content": "not a path"}],
            "uri": "file:///etc/x%20y",
            "url": "https://example.com/f",
            "content": "/etc/passwd",
        },
    )
    assert [(where, raw) for where, raw, _ in named] == [
        ("path", "a"),
        ("paths", "b"),
        ("paths", "c"),
        ("filePath", "d"),
        ("files[0].path", "e"),
        ("uri", "/etc/x y"),
    ]
    assert {mode for _, _, mode in named} == {"write"}


def test_ambiguous_keys_are_paths_only_where_they_look_like_one() -> None:
    """source/destination of a filesystem verb are paths; elsewhere only when path-shaped."""
    assert _named("mcp__t__create_translation", {"source": "en", "to": "fr"}) == []
    assert _named("mcp__t__create_translation", {"source": "~/.ssh/id_rsa"}) == [
        ("source", "~/.ssh/id_rsa", "write")
    ]
    assert _named("mcp__fs__move_file", {"source": "README", "destination": "X"}) == [
        ("source", "README", "write"),
        ("destination", "X", "write"),
    ]
    assert _named("mcp__fs__copy_file", {"source": "README", "destination": "X"}) == [
        ("source", "README", "read"),
        ("destination", "X", "write"),
    ]


def test_huge_or_deep_arguments_are_bounded() -> None:
    """A thousand paths or a deep tree cost a bounded walk, and the first paths are judged."""
    many = _named("mcp__fs__read_multiple_files", {"paths": [f"f{i}" for i in range(1000)]})
    assert len(many) == mcp_args.MAX_PATHS and many[0][1] == "f0"
    deep: dict[str, Any] = {"path": "bottom"}
    for _ in range(50):
        deep = {"inner": deep}
    assert _named("mcp__fs__write", deep) == []
    assert _named("mcp__fs__write", {"a": {"path": "top"}}) == [("a.path", "top", "write")]


def test_the_log_summary_names_the_paths_redacted() -> None:
    """The summary lists the path arguments, with a credential in one of them hidden."""
    summary = summarise(
        "mcp__fs__read_file", {"path": "https://u:hunter2@h/x", "file": "notes/a.md"}
    )
    assert summary["arguments"] == ["file", "path"]
    assert summary["paths"] == ["file=notes/a.md"]
    ws = summarise("Monitor", {"ws": {"url": "wss://h/feed?token=abc"}, "command": None})
    assert "abc" not in ws["ws_url"]


def test_mcp_server_is_logged(tmp_path: Path) -> None:
    """The log line records the server's name and source, which trust keys on."""
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\n", "utf-8")
    env = {
        "AGENTGUARD_HOME": str(tmp_path / "state"),
        "AGENTGUARD_POLICY": str(policy),
        "HOME": str(tmp_path),
        "CLAUDE_PROJECT_DIR": str(tmp_path),
    }
    event = {
        "session_id": "s",
        "cwd": str(tmp_path),
        "hook_event_name": "PreToolUse",
        "tool_name": "mcp__docs__get_page",
        "tool_input": {},
        "mcp_server": {"name": "docs", "source": "project", "extra": "x"},
    }
    out = io.StringIO()
    hook.main(["PreToolUse"], io.StringIO(json.dumps(event)), out, env)
    log = tmp_path / "state" / "logs" / "decisions.jsonl"
    record = json.loads(log.read_text("utf-8").splitlines()[-1])
    assert record["mcp_server"] == {"name": "docs", "source": "project"}
    # No class in this policy: the unknown-tool default asks.
    assert json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecision"] == "ask"


LAYERED = """\
version: 1
mcp:
  - {id: first, tools: ["mcp__*"], SOURCES decision: ask}
  - {id: second, tools: ["mcp__*__get_*"], decision: allow}
"""


@pytest.mark.parametrize(("sources", "shadowed"), [("sources: [project], ", False), ("", True)])
def test_a_class_limited_to_sources_shadows_nothing(
    tmp_path: Path, sources: str, shadowed: bool
) -> None:
    """lint: a class that lists sources decides only for some servers, so later ones still fire."""
    from agentguard.commands import lint as lint_cmd

    policy = tmp_path / "p.yaml"
    policy.write_text(LAYERED.replace("SOURCES ", sources), "utf-8")
    codes = [f.code for f in lint_cmd.lint_paths([str(policy)])]
    assert ("shadowed-rule" in codes) == shadowed, codes
