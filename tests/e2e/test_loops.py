"""Loop caps and the verification gate, honoured by the real Claude Code binary.

agentguard is registered for all five events as ``python -m agentguard hook <Event>``;
the fake model (re)runs tiny shell scripts as its failing command and as its checks.
What is checked is what a user would see: which calls ran, what the model was told,
how the run ended, and what the decision log holds.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from agentguard.observe.views import loop_episodes
from agentguard.state import log

from .fakeapi import Block, Body, count_tool_results, stop_feedback, text, tool_use
from .harness import ClaudeProject, ClaudeResult

pytestmark = pytest.mark.e2e

EVENTS = ("PreToolUse", "PostToolUse", "PostToolUseFailure", "Stop", "SubagentStop")


def _policy(
    checks: dict[str, str],
    *,
    scripts: Sequence[str] = (),
    same_failure: int = 3,
    stop_blocks: int = 3,
) -> str:
    # ``sh x.sh`` is opaque to the shell analyser (ask); the project allows its own scripts.
    allowed = ", ".join(f'"sh {name}"' for name in scripts)
    lines = [
        "version: 1",
        "defaults: {on_error: deny, unknown_command: allow}",
        "agents:",
        "  dev:",
        "    worktree: .",
        '    owns: ["**"]',
        f"    checks: [{', '.join(checks)}]",
        "checks:",
    ]
    for name, run in checks.items():
        lines += [f"  {name}:", f"    run: {run}", f"    description: The {name} check."]
    if not checks:
        lines[-1] = "checks: {}"
    lines += ["loops:", f"  same_failure: {same_failure}", f"  stop_blocks: {stop_blocks}"]
    lines += ["commands:", "  - id: scripts", f"    allow: [{allowed}]", "    justification: Ours."]
    return "\n".join(lines) + "\n"


def _setup(
    project: ClaudeProject, tmp_path: Path, policy: str, scripts: dict[str, str]
) -> tuple[dict[str, str], Path]:
    """Write the policy and scripts, register every hook; the run's env and the state home."""
    project.write("agentguard.yaml", policy)
    for name, body in scripts.items():
        project.write(name, body)
    hooks: dict[str, list[dict[str, Any]]] = {}
    for event in EVENTS:
        command = f"{shlex.quote(sys.executable)} -m agentguard hook {event}"
        group: dict[str, Any] = {"hooks": [{"type": "command", "command": command, "timeout": 30}]}
        if event.startswith("Pre") or event.startswith("Post"):
            group["matcher"] = "*"
        hooks[event] = [group]
    project.configure(hooks, allow=["Read", "Write", "Edit", "Bash"])
    project.init_git()
    home = tmp_path / "agentguard-home"
    env = {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(home),
        "AGENTGUARD_AGENT": "dev",
    }
    return env, home


def _bash(command: str) -> Block:
    return tool_use("Bash", {"command": command, "description": "run it"})


def _records(home: Path, event: str | None = None) -> list[dict[str, Any]]:
    return [r for r in log.read(str(home)) if event is None or r.get("event") == event]


def _texts(run: ClaudeResult, needle: str) -> list[str]:
    return [t for t in run.hook_texts if needle in t]


def test_fourth_identical_failing_attempt_is_not_run(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """Three same failures with edits between: the 4th identical run is refused (ask, -p)."""
    # The error line carries a fresh number each run: the signature must still collide.
    failing = (
        'echo "FAILED tests/test_cart.py::test_total - assert $(date +%s%N) == 4" >&2\nexit 1\n'
    )
    env, home = _setup(
        claude_project, tmp_path, _policy({}, scripts=["test.sh"]), {"test.sh": failing}
    )
    marker = claude_project.path("ran.log")
    command = f"echo run >> {marker} && sh test.sh"
    steps: Sequence[Sequence[Block]] = [
        [_bash(command)],
        [tool_use("Write", {"file_path": str(claude_project.path("fix1.txt")), "content": "1"})],
        [_bash(command)],
        [tool_use("Write", {"file_path": str(claude_project.path("fix2.txt")), "content": "2"})],
        [_bash(command)],
        [tool_use("Write", {"file_path": str(claude_project.path("fix3.txt")), "content": "3"})],
        [_bash(command)],
        [text("giving up")],
    ]
    run = claude_project.run("make the cart test pass", steps, env=env)
    bash = run.results_for("Bash")
    assert len(bash) == 4, run.describe()
    assert all(r.is_error for r in bash), run.describe()
    # Three runs reached the shell; the fourth never started.
    assert marker.read_text().count("run") == 3, run.describe()
    refused = bash[3]
    assert "[agentguard:loop]" in refused.content, run.describe()
    failures = _records(home, "PostToolUseFailure")
    assert [r["count"] for r in failures] == [1, 2, 3]
    signature = failures[0]["signature"]
    assert {r["signature"] for r in failures} == {signature}
    assert signature in refused.content, run.describe()
    assert [d["tool_name"] for d in run.permission_denials] == ["Bash"], run.describe()
    # At the cap the model was told, in context, to diagnose instead of retrying.
    assert _texts(run, "You are repeating the same failure"), run.describe()
    episodes = loop_episodes(_records(home))
    assert [(e["signature"], e["count"]) for e in episodes] == [(signature, 3)]
    assert run.result == "giving up"


def test_stop_is_refused_until_the_checks_pass(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """An edit then a stop: blocked with the list of checks; it runs them, they pass, it stops."""
    checks = {"unit": "sh unit.sh", "lint": "sh lint.sh"}
    scripts = {"unit.sh": "echo unit ok\n", "lint.sh": "echo lint ok\n"}
    env, home = _setup(claude_project, tmp_path, _policy(checks, scripts=list(scripts)), scripts)
    page = claude_project.path("src/page.txt")

    def respond(body: Body) -> Sequence[Block]:
        results, feedback = count_tool_results(body), len(stop_feedback(body))
        if results == 0:
            return [tool_use("Write", {"file_path": str(page), "content": "new\n"})]
        if results == 1 and feedback == 0:
            return [text("all done")]
        if results == 1:
            return [_bash("sh unit.sh")]
        if results == 2:
            return [_bash("sh lint.sh")]
        return [text("checks pass, done")]

    run = claude_project.run("change the page", respond, env=env)
    feedback = run.stop_feedback
    assert len(feedback) == 1, run.describe()
    for name, command in checks.items():
        assert f"`{command}`" in feedback[0], feedback[0]
        assert f"The {name} check." in feedback[0], feedback[0]
    assert run.result == "checks pass, done", run.describe()
    assert not run.is_error
    stops = _records(home, "Stop")
    assert [r.get("gate") for r in stops] == ["blocked", "passed"], stops
    assert stops[-1]["checks"] == {"unit": "passed", "lint": "passed"}


def test_a_check_that_keeps_failing_escalates_after_stop_blocks(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """A failing check: Stop refused stop_blocks times (tools in between), then escalated."""
    checks = {"unit": "sh unit.sh"}
    scripts = {"unit.sh": "echo 'FAILED tests/test_x.py::test_a - assert 1 == 2'\nexit 1\n"}
    env, home = _setup(
        claude_project, tmp_path, _policy(checks, scripts=list(scripts), same_failure=9), scripts
    )

    def respond(body: Body) -> Sequence[Block]:
        results, feedback = count_tool_results(body), len(stop_feedback(body))
        if results == 0:
            return [
                tool_use("Write", {"file_path": str(claude_project.path("a.txt")), "content": "x"})
            ]
        if results < feedback + 1:
            return [_bash("sh unit.sh")]
        return [text(f"done (attempt {feedback + 1})")]

    run = claude_project.run("fix x", respond, env=env)
    stops = _records(home, "Stop")
    gates = [r.get("gate") for r in stops]
    assert gates == ["blocked", "blocked", "blocked", "escalated"], run.describe()
    assert len(run.stop_feedback) == 3, run.describe()
    assert all(f.startswith("[agentguard:") for f in run.stop_feedback), run.stop_feedback
    escalation = stops[-1]
    assert escalation["escalation"] == "stop" and escalation["count"] == 3
    # A tool ran between every Stop, so Claude Code's own cap never counted past one.
    assert len(run.results_for("Bash")) == 3, run.describe()
    assert run.result == "done (attempt 4)", run.describe()
    assert not run.is_error
