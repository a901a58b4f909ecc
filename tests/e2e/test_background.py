"""Background subagents (Claude Code 2.1.198+): the Stop gate waits for work in flight.

Since 2.1.198 an ``Agent`` call returns at once and the subagent works in the background;
the main agent's Stop fires while it still edits, listing it in ``background_tasks``, and
a second Stop follows the task notification. These tests drive the newest binary with a
subagent that edits only after the main agent's first Stop (the fake model holds the
subagent's first answer until that Stop is in the decision log).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from .fakeapi import STOP_FEEDBACK as FEEDBACK
from .fakeapi import Block, Body, count_tool_results, extra_texts, first_user_text, text, tool_use
from .harness import ClaudeProject
from .test_loops import _bash, _policy, _records, _setup

# Background subagents are 2.1.198+: on older versions the Agent call blocks.
pytestmark = [pytest.mark.e2e, pytest.mark.requires_claude("2.1.198")]

MARKER = "SUBAGENT-7f3a: edit the page"


def _wait_for(home: Path, event: str, count: int = 1, timeout: float = 60.0) -> None:
    """Block the fake model (not the test) until ``event`` was logged ``count`` times."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_records(home, event)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {event} in the decision log after {timeout:.0f}s")


def test_a_stop_while_a_subagent_still_edits_is_pending_and_the_next_one_decides(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """Stop #1 (subagent running) is pending; the Stop after its edit blocks, then passes."""
    project = claude_project
    checks = {"unit": "sh unit.sh"}
    scripts = {"unit.sh": "echo unit ok\n"}
    env, home = _setup(
        project, tmp_path, _policy(checks, scripts=list(scripts), stop_blocks=1), scripts
    )
    page = project.path("src/page.txt")

    def respond(body: Body) -> Sequence[Block]:
        results = count_tool_results(body)
        if MARKER in first_user_text(body):
            if results == 0:
                _wait_for(home, "Stop")  # edit only after the main agent's first Stop
                return [tool_use("Write", {"file_path": str(page), "content": "from the sub\n"})]
            return [text("sub done")]
        if results == 0:
            agent = {
                "description": "edit page",
                "prompt": MARKER,
                "subagent_type": "general-purpose",
            }
            return [tool_use("Agent", agent)]
        # 2.1.332 wraps Stop feedback in a <system-reminder>: look for it anywhere.
        feedback = sum(FEEDBACK in t for t in extra_texts(body))
        if feedback == 0:
            return [text("the helper is on it")]
        if results < 2:
            return [_bash("sh unit.sh")]
        return [text("checks pass, done")]

    run = project.run("change the page with a helper", respond, env=env, stream=True)
    stops = _records(home, "Stop")
    gates = [r.get("gate") for r in stops]
    assert gates[0] == "pending", (gates, run.describe())
    assert stops[0]["pending_tasks"], stops[0]
    assert gates[1:] == ["blocked", "passed"], (gates, run.describe())
    assert page.read_text() == "from the sub\n"
    # The block named the check, and it reached the model.
    assert any(FEEDBACK in t and "`sh unit.sh`" in t for t in run.extra_texts), run.describe()
