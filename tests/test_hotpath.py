"""The hook's hot path imports only the standard library (and no heavy stdlib modules)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pydantic", "yaml", "jsonschema", "structlog", "pathspec", "tree_sitter")
# Standard-library modules that cost milliseconds each and that the hook avoids.
SLOW_STDLIB = ("typing", "dataclasses", "hashlib", "argparse", "inspect", "pathlib")
NOT_FOR_PRE_TOOL_USE = (
    "agentguard.hook.post_tool_use",
    "agentguard.hook.stop",
    "agentguard.hook.pre_skill_shell_command",
    "agentguard.state.evidence",
    "agentguard.shell.checks",
)

DRIVER = """
import sys, json
from agentguard.hook.run import main
code = main(sys.argv[1:])
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
raise SystemExit(code)
"""


def _modules(event: dict[str, object], env: dict[str, str], cwd: Path) -> tuple[str, list[str]]:
    name = str(event.get("hook_event_name", "PreToolUse"))
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, name],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )
    modules = json.loads(proc.stderr.rsplit("MODULES ", 1)[1])
    return proc.stdout, modules


def _ours(modules: list[str], env: dict[str, str]) -> set[str]:
    """Top-level modules the hook loaded beyond what a bare interpreter here loads.

    Whatever a bare interpreter of this environment loads (site, .pth finders) is not ours.
    """
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    baseline = {m.split(".")[0] for m in json.loads(bare.stdout)} - {"json"}
    return {m.split(".")[0] for m in modules} - baseline


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Write", {"file_path": "src/a.ts", "content": "x"}),
        ("Read", {"file_path": ".env"}),
        ("Edit", {"file_path": "package-lock.json", "old_string": "a", "new_string": "b"}),
        ("mcp__github__get_issue", {"number": 1}),
        ("Bash", {"command": "git status && npm run check | tee out.log"}),
        ("mcp__filesystem__read_file", {"path": ".env.production"}),
        ("Monitor", {"description": "watch", "timeout_ms": 1000, "command": "git status"}),
    ],
)
def test_hook_imports_no_heavy_module(
    tool: str, tool_input: dict[str, object], tmp_path: Path
) -> None:
    """With a warm cache, a PreToolUse call loads none of the cold-path libraries."""
    env = dict(os.environ, AGENTGUARD_HOME=str(tmp_path / "home"))
    env.pop("AGENTGUARD_POLICY", None)
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "s",
        "cwd": str(tmp_path),
        "tool_name": tool,
        "tool_input": tool_input,
    }
    _modules(event, env, tmp_path)  # the first call compiles the cache (cold path, allowed)
    stdout, modules = _modules(event, env, tmp_path)
    loaded = _ours(modules, env)
    assert sorted(loaded & set(HEAVY)) == []
    assert sorted(loaded & set(SLOW_STDLIB)) == []
    # Each event imports its own handler only: a PreToolUse pays for no post or stop code.
    assert sorted(set(modules) & set(NOT_FOR_PRE_TOOL_USE)) == []
    if stdout:
        assert json.loads(stdout)["hookSpecificOutput"]["hookEventName"] == "PreToolUse"


def test_cold_path_does_load_the_compiler(tmp_path: Path) -> None:
    """The first call on a new policy builds the cache, which is the only place pydantic runs."""
    env = dict(os.environ, AGENTGUARD_HOME=str(tmp_path / "home"))
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "s",
        "cwd": str(tmp_path),
        "tool_name": "Read",
        "tool_input": {"file_path": "x"},
    }
    _, modules = _modules(event, env, tmp_path)
    assert "pydantic" in {m.split(".")[0] for m in modules}
    assert list((tmp_path / "home" / "cache").glob("policy-*.json"))


@pytest.mark.parametrize(
    "fields",
    [
        {
            "hook_event_name": "PostToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": "git status && sort -o out.txt out.txt"},
            "tool_response": {"stdout": "", "stderr": "", "interrupted": False},
        },
        {
            "hook_event_name": "PostToolUseFailure",
            "tool_name": "Bash",
            "tool_input": {"command": "npm run check"},
            "error": "Exit code 1\nsrc/a.ts(3,1): error TS2322",
        },
        {"hook_event_name": "Stop", "stop_hook_active": False},
        {
            "hook_event_name": "PreSkillShellCommand",
            "tool_name": "Bash",
            "tool_input": {"command": "git status"},
            "command_name": "status",
            "command_source": "project",
            "invoked_by": "user",
        },
    ],
    ids=lambda f: str(f["hook_event_name"]),
)
def test_loop_and_gate_events_import_no_heavy_module(
    fields: dict[str, object], tmp_path: Path
) -> None:
    """PostToolUse, PostToolUseFailure, Stop and PreSkillShellCommand stay on the stdlib too."""
    env = dict(os.environ, AGENTGUARD_HOME=str(tmp_path / "home"))
    env.pop("AGENTGUARD_POLICY", None)
    event = {"session_id": "s", "cwd": str(tmp_path), **fields}
    _modules(event, env, tmp_path)  # the first call compiles the cache
    _, modules = _modules(event, env, tmp_path)
    loaded = _ours(modules, env)
    assert sorted(loaded & set(HEAVY)) == []
    assert sorted(loaded & set(SLOW_STDLIB)) == []
