"""An ``ask`` in the interactive client: the human sees agentguard's reason and answers.

``claude -p`` treats ``ask`` as ``deny``, so these tests drive the interactive client in
a tmux pane (:meth:`ClaudeProject.interactive`). The fake model runs ``sh release.sh``,
which the policy asks about. The permission dialog must show agentguard's reason;
``Enter`` (Yes) runs the script, whose file appears, and the decision log records the
human's approval on the call's PostToolUse; ``Escape`` refuses, nothing runs, and the
log's ask stays unanswered (Claude Code sends no event for a refusal).
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from agentguard.state import log

from .fakeapi import text, tool_use
from .harness import ClaudeProject, hook_group

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults: {on_error: deny, unknown_command: allow}
agents:
  dev: {worktree: ., owns: ["**"]}
commands:
  - id: release
    ask: ["sh release.sh"]
    justification: Releases need a human.
"""
REASON = "[agentguard:release] Releases need a human."
COMMAND = "sh release.sh"
RELEASE = "echo shipped > released.txt\n"
EVENTS = ("PreToolUse", "PostToolUse", "PostToolUseFailure", "Stop")


def _start(project: ClaudeProject, home: Path) -> dict[str, str]:
    """Write the policy, the script and the hooks; the environment of the run."""
    project.write("agentguard.yaml", POLICY)
    project.write("release.sh", RELEASE)
    hooks = {
        event: [hook_group(f"{shlex.quote(sys.executable)} -m agentguard hook {event}")]
        for event in EVENTS
    }
    project.configure(hooks, allow=["Read"])
    return {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(home),
        "AGENTGUARD_AGENT": "dev",
    }


def _records(home: Path, event: str) -> list[dict[str, Any]]:
    return [r for r in log.read(str(home)) if r.get("event") == event]


def _wait_for_record(home: Path, event: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _records(home, event)
        if found:
            return found[-1]
        time.sleep(0.3)
    raise AssertionError(f"no {event} record in the decision log within {timeout:.0f}s")


SCRIPT = [[tool_use("Bash", {"command": COMMAND, "description": "Release"})]]


def test_approving_an_ask_runs_the_tool_and_logs_the_human(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """The dialog shows the reason; Enter runs the script; the log says a human approved."""
    home = tmp_path / "agentguard-home"
    env = _start(claude_project, home)
    with claude_project.interactive("release it", SCRIPT, env=env) as terminal:
        dialog = terminal.wait_for(REASON, "Do you want to proceed?")
        assert COMMAND in dialog
        assert not claude_project.path("released.txt").exists(), "ran before the answer"
        terminal.press("Enter")
        post = _wait_for_record(home, "PostToolUse")
        terminal.wait_for("done")
    assert claude_project.read("released.txt") == "shipped\n"
    pre = _records(home, "PreToolUse")[-1]
    assert (pre["decision"], pre["decided_by"]) == ("ask", "human")
    assert pre["reason"].startswith(REASON)
    assert (post["answer"], post["decided_by"]) == ("approved", "human")
    assert post["tool_use_id"] == pre["tool_use_id"]
    assert post.get("evidence") is None


def test_refusing_an_ask_runs_nothing_and_logs_no_answer(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """The dialog shows the reason; Escape refuses: no file, no post event, no answer."""
    home = tmp_path / "agentguard-home"
    env = _start(claude_project, home)
    with claude_project.interactive("release it", SCRIPT, env=env) as terminal:
        terminal.wait_for(REASON, "Do you want to proceed?")
        terminal.press("Escape")
        terminal.wait_for("Interrupted")
        pre = _wait_for_record(home, "PreToolUse")
        # Give a late post event the time to arrive, were there one.
        time.sleep(2)
    assert not claude_project.path("released.txt").exists()
    assert (pre["decision"], pre["decided_by"]) == ("ask", "human")
    assert _records(home, "PostToolUse") == []
    assert all("answer" not in r for r in log.read(str(home)))


def test_the_same_ask_under_print_mode_is_the_rules(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """``claude -p``: nobody is asked (ask acts as deny), so the log says the rule decided."""
    home = tmp_path / "agentguard-home"
    env = _start(claude_project, home)
    run = claude_project.run("release it", [*SCRIPT, [text("done")]], env=env)
    assert [d["tool_input"]["command"] for d in run.permission_denials] == [COMMAND]
    assert not claude_project.path("released.txt").exists()
    pre = _records(home, "PreToolUse")[-1]
    assert (pre["decision"], pre["decided_by"]) == ("ask", "rule")
