"""``agentguard logs``: summary, loop episodes, timeline and the evidence block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_loops import Guard

from agentguard.commands import logs
from agentguard.observe import views

ERROR = "Exit code 1\nFAILED tests/test_a.py::test_b - assert {n} == 0"


@pytest.fixture
def story(tmp_path: Path) -> Guard:
    """One session of agent dev: a loop on ``npm test``, an ask, a gate blocked then passed."""
    guard = Guard(tmp_path)
    guard.write("src/a.ts")
    for n in (1, 2, 3):
        guard.fail("npm test", ERROR.format(n=n))
    guard.pre("npm test")  # the loop ask
    guard.call("Stop")  # blocked: unit not run
    guard.ok("sh unit.sh")
    guard.call("Stop")  # passed
    return guard


def _run(capsys: pytest.CaptureFixture[str], guard: Guard, *argv: str) -> tuple[int, str]:
    code = logs.main(["--home", str(guard.home), *argv])
    return code, capsys.readouterr().out


def test_summary_counts_per_agent(story: Guard) -> None:
    """Calls, asks, failures, loops and Stop blocks of the agent."""
    rows = views.summary(story.records())
    assert list(rows) == ["dev"]
    row = rows["dev"]
    assert (row["failures"], row["ask"], row["stop_blocks"], row["escalations"]) == (3, 1, 1, 0)
    assert row["loops"] == 2  # the failure at the cap, and the ask
    assert row["calls"] == len(story.records())


def test_loop_episodes_group_by_signature(story: Guard) -> None:
    """One failure episode of count 3 with its ask; a single Stop block is no loop."""
    episodes = views.loop_episodes(story.records())
    signature = story.records("PostToolUseFailure")[0]["signature"]
    assert [(e["kind"], e["signature"], e["count"], e["asked"]) for e in episodes] == [
        ("failure", signature, 3, 1)
    ]
    assert episodes[0]["first"] <= episodes[0]["last"]
    assert episodes[0]["subject"] == "npm test"


def test_a_success_in_between_splits_episodes(tmp_path: Path) -> None:
    """Fail twice, pass, fail twice: two episodes of two, not one of four."""
    guard = Guard(tmp_path)
    for step in ("f", "f", "p", "f", "f"):
        if step == "f":
            guard.fail("npm test", ERROR.format(n=1))
        else:
            guard.ok("npm test")
    assert [e["count"] for e in views.loop_episodes(guard.records())] == [2, 2]


def test_stop_escalation_is_an_episode(tmp_path: Path) -> None:
    """Three blocked Stops and the escalation: one stop episode of 3, escalated."""
    guard = Guard(tmp_path)
    guard.write("src/a.ts")
    for _ in range(4):
        guard.call("Stop", stop_hook_active=True)
    episodes = views.loop_episodes(guard.records())
    assert [(e["kind"], e["count"], e["escalated"]) for e in episodes] == [("stop", 3, True)]


def test_timeline_lists_one_session_in_order(
    story: Guard, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every call of the session, oldest first; another session's calls are left out."""
    story.session = "other"
    story.ok("ls")
    code, out = _run(capsys, story, "timeline", "--session", "sess-1", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert {r["session"] for r in records} == {"sess-1"}
    assert [r["ts"] for r in records] == sorted(r["ts"] for r in records)
    assert len(records) == len(story.records()) - 2  # ls: its PreToolUse and PostToolUse


def test_evidence_block_reports_checks_commands_and_risk(
    story: Guard, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Markdown block: checks passed, commands and results, the ask, the loop as risk."""
    monkeypatch.setenv("AGENTGUARD_POLICY", story.env["AGENTGUARD_POLICY"])
    code, out = _run(capsys, story, "evidence", "--agent", "dev", "--session", "sess-1")
    assert code == 0
    assert "| unit | `sh unit.sh` | passed after the last edit |" in out
    assert out.count("| `npm test` | failed: FAILED tests/test_a.py::test_b") == 3
    assert "| `sh unit.sh` | ok |" in out
    assert "- ask: `npm test` [agentguard:loop]" in out
    assert "failure loop `npm test` repeated 3 times" in out


def test_evidence_names_a_check_that_has_not_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit with no check run: the check is a remaining risk."""
    guard = Guard(tmp_path)
    guard.write("src/a.ts")
    monkeypatch.setenv("AGENTGUARD_POLICY", guard.env["AGENTGUARD_POLICY"])
    code, out = _run(capsys, guard, "evidence", "--agent", "dev")
    assert code == 0
    assert "| unit | `sh unit.sh` | not run since the last edit |" in out
    assert "- check `unit` has not passed since the last edit" in out


def test_evidence_without_calls_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No calls for the agent: exit 1 with a hint (the evidence check does not pass)."""
    guard = Guard(tmp_path)
    guard.write("src/a.ts")
    monkeypatch.setenv("AGENTGUARD_POLICY", guard.env["AGENTGUARD_POLICY"])
    code = logs.main(["--home", str(guard.home), "evidence", "--agent", "nobody"])
    assert code == 1
    assert "no guarded calls for agent 'nobody'" in capsys.readouterr().err


def test_summary_and_loops_print(story: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """The text views name the agent and the signature."""
    code, out = _run(capsys, story, "summary")
    assert code == 0 and out.splitlines()[1].split()[0] == "dev"
    signature = story.records("PostToolUseFailure")[0]["signature"]
    code, out = _run(capsys, story, "loops")
    assert code == 0 and signature in out and "x3" in out
