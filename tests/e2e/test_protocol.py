"""Real payloads from the Claude Code binary satisfy agentguard's hook-event schemas.

A capture hook stores every event the binary sends for the five events agentguard
handles, during a scripted session that reads, writes, fails a command, runs a
subagent and stops. A protocol change in a new Claude Code version shows up here as a
schema violation, before it shows up as a silent misjudgement in the guard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude.events import problems

from .fakeapi import Block, count_tool_results, first_user_text, text, tool_use
from .harness import ClaudeProject, hook_group

pytestmark = pytest.mark.e2e

EVENTS = ("PreToolUse", "PostToolUse", "PostToolUseFailure", "Stop", "SubagentStop")
SUBAGENT_MARKER = "capture-subagent-task"


def _capture_command(folder: Path, event: str) -> str:
    # One file per invocation: hooks of parallel calls run at once.
    return f'cat > "{folder}/{event}-$$.json"'


def test_captured_events_match_the_schemas(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """Every captured event of every kind validates; each of the five kinds was seen."""
    project = claude_project
    captured = tmp_path / "captured"
    captured.mkdir()
    project.write("notes.txt", "hello\n")
    project.configure(
        {
            event: [hook_group(_capture_command(captured, event), matcher="*")]
            if event.startswith(("Pre", "Post"))
            else [{"hooks": [{"type": "command", "command": _capture_command(captured, event)}]}]
            for event in EVENTS
        },
        allow=["Read", "Write", "Edit", "Bash", "Agent"],
    )
    project.init_git()

    def script(body: dict[str, Any]) -> list[Block]:
        if SUBAGENT_MARKER in first_user_text(body):
            step = count_tool_results(body)
            if step == 0:
                return [tool_use("Read", {"file_path": str(project.path("notes.txt"))})]
            return [text("subagent done")]
        step = count_tool_results(body)
        if step == 0:
            return [tool_use("Read", {"file_path": str(project.path("notes.txt"))})]
        if step == 1:
            return [tool_use("Write", {"file_path": str(project.path("new.txt")), "content": "x"})]
        if step == 2:
            return [tool_use("Bash", {"command": "exit 3", "description": "fail on purpose"})]
        if step == 3:
            return [
                tool_use(
                    "Agent",
                    {
                        "description": "look",
                        "prompt": f"{SUBAGENT_MARKER}: read notes.txt",
                        "subagent_type": "general-purpose",
                    },
                )
            ]
        return [text("all done")]

    result = project.run("exercise every hook", script)
    assert result.returncode == 0, result.describe()

    seen: dict[str, int] = {}
    for path in sorted(captured.glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        name = path.name.split("-", 1)[0]
        assert event.get("hook_event_name") == name
        assert problems(event) == [], f"{path.name}: {json.dumps(event)[:400]}"
        seen[name] = seen.get(name, 0) + 1
    assert sorted(seen) == sorted(EVENTS), f"captured {seen}; {result.describe()}"
