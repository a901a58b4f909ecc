"""``agentguard explain``: the decision the hook would give, every match, and for Bash the
simple commands the analyser found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.commands.demo_world import build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's repository: the example policy and one worktree per agent."""
    return build_world(tmp_path_factory.mktemp("explain"))


def _explain(world: dict[str, Path], *args: str, cwd: Path | None = None) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env["AGENTGUARD_HOME"] = str(world["integrator"].parent / "state")
    return subprocess.run(
        [sys.executable, "-m", "agentguard", "explain", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or world["integrator"],
        check=False,
    )


def test_command_lists_simple_commands_classes_and_targets(world: dict[str, Path]) -> None:
    """A Bash line is shown command by command, with wrappers, classes and write targets."""
    proc = _explain(
        world, "--agent", "search", "--", "git status && bash -c 'echo x > src/content/config.ts'"
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "commands: 2 simple command(s)" in out
    assert "1. git status" in out
    assert "via:     bash -c" in out
    assert f"writes:  {world['search'] / 'src/content/config.ts'}" in out
    assert "decision: deny" in out
    assert "[cannot-touch]" in out


def test_json_carries_the_analysis_and_the_wire_output(world: dict[str, Path]) -> None:
    """--format json gives the commands, every match and the exact PreToolUse output."""
    proc = _explain(
        world, "--format", "json", "--agent", "search", "--", "git push --force origin HEAD"
    )
    data = json.loads(proc.stdout)
    assert data["agent"] == "search"
    assert data["decision"] == "ask"
    assert {m["rule"] for m in data["matches"]} >= {"history-rewrite", "network"}
    assert data["wire"]["hookSpecificOutput"]["permissionDecision"] == "ask"
    assert "git-destructive" in data["commands"]["commands"][0]["classes"]


def test_agent_path_is_judged_in_the_agents_worktree(world: dict[str, Path]) -> None:
    """Without --cwd, a relative path is the agent's: search may not touch the schema."""
    proc = _explain(
        world, "--format", "json", "--agent", "search", "--path", "src/content/config.ts"
    )
    data = json.loads(proc.stdout)
    assert data["decision"] == "deny"
    assert "cannot-touch" in {m["rule"] for m in data["matches"]}


def test_unknown_agent_is_refused(world: dict[str, Path]) -> None:
    """A misspelled agent is an error naming the agents, not a silent unassigned judgement."""
    proc = _explain(world, "--agent", "serch", "--path", "x")
    assert proc.returncode == 2
    assert "agent 'serch' is not in the policy" in proc.stderr
    assert "metadata, review, search" in proc.stderr


def test_event_file_is_checked_against_the_protocol(world: dict[str, Path], tmp_path: Path) -> None:
    """A captured event that departs from the protocol is reported with the field at fault."""
    event = {
        "hook_event_name": "PreToolUse",
        "session_id": "s",
        "cwd": str(world["search"]),
        "tool_name": "Read",
        "tool_input": {"file_path": str(world["search"] / ".env")},
    }
    good = tmp_path / "good.json"
    good.write_text(json.dumps(event))
    proc = _explain(world, str(good))
    assert proc.returncode == 0 and proc.stderr == ""
    assert "[secrets]" in proc.stdout

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**event, "tool_input": {"file_path": 7}}))
    proc = _explain(world, str(bad))
    assert proc.returncode == 2
    assert "event.tool_input.file_path: 7 is not of type 'string'" in proc.stderr


def test_other_events_are_refused_with_a_pointer(world: dict[str, Path], tmp_path: Path) -> None:
    """explain judges PreToolUse; a Stop event gets a clear refusal."""
    stop = tmp_path / "stop.json"
    stop.write_text(
        json.dumps(
            {
                "hook_event_name": "Stop",
                "session_id": "s",
                "cwd": str(world["search"]),
                "stop_hook_active": False,
            }
        )
    )
    proc = _explain(world, str(stop))
    assert proc.returncode == 2
    assert "explain judges PreToolUse events" in proc.stderr


def test_a_quoted_line_is_judged_as_users_type_it(world: dict[str, Path]) -> None:
    """`explain "git push --force origin HEAD"` judges the line, like `explain -- git push …`."""
    quoted = _explain(
        world, "--format", "json", "--agent", "search", "git push --force origin HEAD"
    )
    dashed = _explain(
        world, "--format", "json", "--agent", "search", "--", "git push --force origin HEAD"
    )
    assert quoted.returncode == 0, quoted.stderr
    assert json.loads(quoted.stdout) == json.loads(dashed.stdout)
    assert json.loads(quoted.stdout)["decision"] == "ask"


def test_a_missing_event_file_is_still_a_file(world: dict[str, Path]) -> None:
    """A positional ending in .json that does not exist is reported missing, not judged."""
    proc = _explain(world, "captured.json")
    assert proc.returncode == 2
    assert "captured.json" in proc.stderr and "No such file" in proc.stderr


def test_a_quoted_line_ending_in_json_is_a_command(world: dict[str, Path]) -> None:
    """A quoted line whose last word ends in .json is judged, not opened as an event file."""
    line = "d=.claude; rm $d/settings.json"
    proc = _explain(world, "--format", "json", "--agent", "search", line)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["decision"] == "deny"


def test_the_old_json_flag_is_gone(world: dict[str, Path]) -> None:
    """--format json replaced --json: the old flag is a usage error naming nothing silently."""
    proc = _explain(world, "--json", "--", "git status")
    assert proc.returncode == 2 and "--json" in proc.stderr
