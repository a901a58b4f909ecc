"""The verification gate: what counts as running a check, and Stop/SubagentStop decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_loops import Guard

from agentguard.engine import loops
from agentguard.shell import checks

WT = "/work/repo-agent-search"
CHECKS = {
    "check": "npm run check",
    "build": "ASTRO_TELEMETRY_DISABLED=1 npm run build",
    "unit": "sh unit.sh",
}


@pytest.mark.parametrize(
    ("command", "cwd", "expected"),
    [
        ("npm run check", WT, ["check"]),
        ("npm   run   check", WT, ["check"]),
        ("'npm' run \"check\"", WT, ["check"]),
        ("npm run check 2>&1", WT, ["check"]),
        ("npm run check > /tmp/check.log 2>&1", WT, ["check"]),
        (f"cd {WT} && npm run check", "/elsewhere", ["check"]),
        (f"cd {WT}/src && cd .. && npm run check", "/", ["check"]),
        ("npm run check && ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, ["build", "check"]),
        ("git status && npm run check", WT, ["check"]),
        ("ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, ["build"]),
        # The exit status is not the check's own.
        ("npm run check || true", WT, []),
        ("npm run check; true", WT, []),
        ("npm run check ; exit 0", WT, []),
        ("npm run check | tee check.log", WT, []),
        ("npm run check 2>&1 | tail -50", WT, []),
        ("! npm run check", WT, []),
        ("npm run check &", WT, []),
        ("npm run check || npm run check", WT, []),
        ("false || npm run check", WT, []),
        ("npm run check\ntrue", WT, []),
        # Another worktree, another folder, another program.
        ("cd ../repo-agent-metadata && npm run check", WT, []),
        ("npm run check", "/work/repo-agent-metadata", []),
        ("cd src && npm run check", WT, []),
        ("cd && npm run check", WT, []),
        ("cd - && npm run check", WT, []),
        ("npm --prefix ../other run check", WT, []),
        ("git -C ../other status && npm run checks", WT, []),
        # The env prefix must be exactly the check's.
        ("npm run build", WT, []),
        ("ASTRO_TELEMETRY_DISABLED=0 npm run build", WT, []),
        ("CI=1 ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, []),
        ("env ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, []),
        # Anything the fast lexer refuses proves nothing.
        ("npm run $CHECK", WT, []),
        ("npm run check$(true)", WT, []),
        ("(npm run check)", WT, []),
        ("{ npm run check; }", WT, []),
        ("bash -c 'npm run check || true'", WT, []),
        ("npm run check <<EOF\nx\nEOF", WT, []),
        ('npm run "check$X"', WT, []),
        ("sh unit.sh", WT, ["unit"]),
        ("sh ./unit.sh", WT, []),
    ],
)
def test_which_commands_prove_a_check(command: str, cwd: str, expected: list[str]) -> None:
    """Only a plain && chain running the check as written, in the own worktree, counts."""
    assert sorted(checks.check_positions(command, cwd, WT, CHECKS)) == expected


@pytest.mark.parametrize(
    ("command", "writes"),
    [
        ("ls -la src", False),
        ("git status && git diff --stat", False),
        # Writes the shell analyser sees.
        ("sort -o src/a.ts src/a.ts", True),
        ("echo x >& src/a.ts", True),
        ("git diff --output=src/a.ts", True),
        ("cat a | grep b | wc -l", False),
        ("echo hi > /dev/null 2>&1", False),
        ("git branch --show-current", False),
        ("pytest -q tests", False),
        ("echo x > src/a.ts", True),
        ("echo x >> notes.md", True),
        ("sed -i s/a/b/ src/a.ts", True),
        ("rm -rf dist", True),
        ("git checkout -- src/a.ts", True),
        ("git stash", True),
        ("find . -name '*.tmp' -delete", True),
        ("npx prettier --write src", True),
        ("eslint --fix src", True),
        ("python3 tools/gen.py", True),
    ],
)
def test_which_commands_count_as_edits(command: str, writes: bool) -> None:
    """A conservative guess: read-only programs do not edit; anything unknown may."""
    assert (checks.writes(command, WT, {}) is not None) is writes


def test_a_check_is_not_an_edit_but_a_write_after_it_is() -> None:
    """``npm run build`` writes dist/ but is a check; ``&& touch x`` after it is an edit."""
    spans = checks.check_positions("npm run check && touch x", WT, WT, CHECKS)
    skip = {i for a, b in spans.values() for i in range(a, b + 1)}
    assert checks.writes("npm run check && touch x", WT, {}, skip) == 1
    spans = checks.check_positions("ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, WT, CHECKS)
    skip = {i for a, b in spans.values() for i in range(a, b + 1)}
    assert checks.writes("ASTRO_TELEMETRY_DISABLED=1 npm run build", WT, {}, skip) is None


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """A project whose caller is agent ``dev`` with the single check ``sh unit.sh``."""
    return Guard(tmp_path)


def _gate(guard: Guard) -> list[Any]:
    return [r.get("gate") for r in guard.records("Stop")]


def test_no_edit_no_gate(guard: Guard) -> None:
    """A session that changed nothing may stop without running checks."""
    assert guard.call("Stop", stop_hook_active=False) is None
    assert _gate(guard) == ["no-edits"]


def test_stop_after_an_edit_is_blocked_with_the_checks_to_run(guard: Guard) -> None:
    """An edit and no check: block, listing the command and its description."""
    guard.write("src/a.ts")
    output = guard.call("Stop", stop_hook_active=False)
    assert output is not None and output["decision"] == "block"
    assert "`sh unit.sh`" in output["reason"] and "The unit tests." in output["reason"]
    assert "not run since your last edit" in output["reason"]
    assert set(output) == {"decision", "reason"}


def test_checks_passing_after_the_last_edit_let_it_stop(guard: Guard) -> None:
    """Edit, run the check, stop: allowed (no output)."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    assert guard.call("Stop", stop_hook_active=False) is None
    assert _gate(guard) == ["passed"]


def test_a_pass_before_the_last_edit_does_not_count(guard: Guard) -> None:
    """Check, then edit, then stop: the check is stale."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    guard.write("src/b.ts")
    output = guard.call("Stop")
    assert output is not None and output["decision"] == "block"


def test_a_check_that_started_before_the_edit_finished_does_not_count(guard: Guard) -> None:
    """A check whose run overlapped an edit (parallel calls) did not see it."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh", duration_ms=60_000)
    output = guard.call("Stop")
    assert output is not None and output["decision"] == "block"


def test_shell_edits_count_and_writes_outside_the_worktree_do_not(guard: Guard) -> None:
    """``echo > file`` is an edit; a Write under /tmp is not."""
    guard.call(
        "PostToolUse",
        tool_name="Write",
        tool_input={"file_path": "/tmp/scratch-notes.md", "content": "x"},
        tool_response={},
    )
    assert guard.call("Stop") is None
    guard.ok("echo x > src/gen.ts")
    assert guard.call("Stop") is not None


def test_failing_check_is_reported_with_its_error(guard: Guard) -> None:
    """A failed check is listed as failed with its first error line."""
    guard.write("src/a.ts")
    guard.fail("sh unit.sh", "Exit code 1\nFAILED tests/test_a.py::test_b - assert 1 == 2")
    output = guard.call("Stop")
    assert output is not None
    assert "failed: FAILED tests/test_a.py::test_b - assert 1 == 2" in output["reason"]


@pytest.mark.parametrize("trick", ["sh unit.sh || true", "sh unit.sh; true", "sh unit.sh | cat"])
def test_masked_checks_do_not_open_the_gate(guard: Guard, trick: str) -> None:
    """A success of a masked check proves nothing."""
    guard.write("src/a.ts")
    guard.ok(trick)
    output = guard.call("Stop")
    assert output is not None and output["decision"] == "block"


def test_blocks_escalate_after_stop_blocks_even_with_tools_in_between(guard: Guard) -> None:
    """3 blocks for the same checks, tools between them, then a systemMessage and a log record."""
    guard.write("src/a.ts")
    outputs = []
    for n in range(4):
        outputs.append(guard.call("Stop", stop_hook_active=n > 0))
        guard.fail("sh unit.sh", "Exit code 1\nError: boom")
    assert [o and o.get("decision") for o in outputs[:3]] == ["block"] * 3
    last = outputs[3]
    assert last is not None and "decision" not in last
    assert "systemMessage" in last and "`sh unit.sh`" in last["systemMessage"]
    stops = guard.records("Stop")
    assert [r.get("gate") for r in stops] == ["blocked", "blocked", "blocked", "escalated"]
    assert stops[-1]["escalation"] == "stop" and stops[-1]["count"] == 3
    assert len({r["signature"] for r in stops}) == 1
    # The escalation starts a fresh count: the next Stop is gated again.
    assert (guard.call("Stop") or {}).get("decision") == "block"


def test_passing_the_gate_resets_the_block_count(guard: Guard) -> None:
    """Blocked twice, passed, edited again: the count starts from one."""
    guard.write("src/a.ts")
    guard.call("Stop")
    guard.call("Stop")
    guard.ok("sh unit.sh")
    assert guard.call("Stop") is None
    guard.write("src/b.ts")
    guard.call("Stop")
    assert [r.get("count") for r in guard.records("Stop")] == [1, 2, None, 1]


@pytest.mark.parametrize(("claude_cap", "expected"), [("2", 2), ("0", 3), ("", 3), ("x", 3)])
def test_stop_cap_never_exceeds_claude_codes_own(claude_cap: str, expected: int) -> None:
    """CLAUDE_CODE_STOP_HOOK_BLOCK_CAP lowers the effective cap; 0 disables Claude's cap."""
    policy = {"loops": {"stop_blocks": 3}}
    assert loops.effective_stop_cap(policy, {"CLAUDE_CODE_STOP_HOOK_BLOCK_CAP": claude_cap}) == (
        expected
    )
    assert loops.effective_stop_cap({"loops": {"stop_blocks": 20}}, {}) == 8


def test_unassigned_caller_and_agent_without_checks_have_no_gate(tmp_path: Path) -> None:
    """No identity, or no checks: Stop is not gated."""
    for agent in (None, "other"):
        guard = Guard(tmp_path / str(agent), agent=agent)
        guard.write("src/a.ts")
        assert guard.call("Stop") is None
        assert _gate(guard) == ["none"]


def test_subagent_stop_is_gated_only_for_its_own_edits(guard: Guard) -> None:
    """A research subagent stops freely; one that edited must see the checks pass."""
    guard.write("src/a.ts")  # the parent's edit
    assert guard.call("SubagentStop", agent_id="a1", agent_type="Explore") is None
    guard.call(
        "PostToolUse",
        tool_name="Edit",
        tool_input={"file_path": str(guard.root / "src/b.ts"), "old_string": "a"},
        tool_response={},
        agent_id="a2",
        agent_type="general-purpose",
    )
    blocked = guard.call("SubagentStop", agent_id="a2", agent_type="general-purpose")
    assert blocked is not None and blocked["decision"] == "block"
    guard.ok("sh unit.sh", agent_id="a2")
    assert guard.call("SubagentStop", agent_id="a2", agent_type="general-purpose") is None


@pytest.mark.parametrize(
    "command",
    [
        "sh unit.sh && grep -q PASSED unit.sh",
        "sh unit.sh && diff unit.sh unit.sh",
        "sh unit.sh && test -f unit.sh",
        "sh unit.sh && git diff --quiet",
    ],
)
def test_a_check_followed_by_a_lenient_command_proves_nothing(guard: Guard, command: str) -> None:
    """Claude Code reads exit 1 of a trailing grep/diff/test as success: no credit."""
    guard.write("src/a.ts")
    guard.ok(command)
    output = guard.call("Stop")
    assert output is not None and output["decision"] == "block"


@pytest.mark.parametrize(
    ("tool_input", "response"),
    [
        ({"command": "sh unit.sh", "run_in_background": True}, {"stdout": ""}),
        ({"command": "sh unit.sh"}, {"stdout": "", "backgroundTaskId": "bg1"}),
        ({"command": "sh unit.sh"}, {"stdout": "", "interrupted": True}),
        ({"command": "sh unit.sh"}, {"stdout": "", "returnCodeInterpretation": "No matches"}),
    ],
)
def test_a_check_that_did_not_finish_in_the_foreground_proves_nothing(
    guard: Guard, tool_input: dict[str, Any], response: dict[str, Any]
) -> None:
    """Background, interrupted or reinterpreted runs are not evidence of a pass."""
    guard.write("src/a.ts")
    guard.call("PostToolUse", tool_name="Bash", tool_input=tool_input, tool_response=response)
    output = guard.call("Stop")
    assert output is not None and output["decision"] == "block"


def _task(ident: str, kind: str = "subagent", status: str = "running") -> dict[str, Any]:
    return {"id": ident, "type": kind, "status": status, "description": "edit the page"}


def test_a_stop_with_a_subagent_in_flight_is_provisional(guard: Guard) -> None:
    """Work still running in the background: no block, no pass, logged as pending with its id."""
    guard.write("src/a.ts")
    assert guard.call("Stop", background_tasks=[_task("a1b2")]) is None
    stops = guard.records("Stop")
    assert stops[-1]["gate"] == "pending"
    assert stops[-1]["pending_tasks"] == ["a1b2"]
    # The Stop after the work finished decides, and it is the first block of the cap.
    output = guard.call("Stop", background_tasks=[])
    assert output is not None and output["decision"] == "block"
    assert "(Stop refused 1 of" in output["reason"]


def test_provisional_stops_neither_count_toward_the_cap_nor_escalate(guard: Guard) -> None:
    """Any number of pending Stops leaves the block count where it was."""
    guard.write("src/a.ts")
    for _ in range(6):
        assert guard.call("Stop", background_tasks=[_task("t1", status="pending")]) is None
    assert _gate(guard) == ["pending"] * 6
    output = guard.call("Stop")
    assert output is not None and "(Stop refused 1 of" in output["reason"]


def test_a_provisional_stop_does_not_reset_earlier_blocks(guard: Guard) -> None:
    """Blocks before a pending Stop still count after it."""
    guard.write("src/a.ts")
    assert guard.call("Stop") is not None
    assert guard.call("Stop", background_tasks=[_task("t1")]) is None
    output = guard.call("Stop", stop_hook_active=True)
    assert output is not None and "(Stop refused 2 of" in output["reason"]


def test_a_subagent_listing_itself_is_not_waiting_for_itself(guard: Guard) -> None:
    """SubagentStop excludes its own agent_id from the work in flight, and decides."""
    guard.call(
        "PostToolUse",
        tool_name="Write",
        tool_input={"file_path": str(guard.root / "src/sub.ts"), "content": "x"},
        tool_response={"type": "create"},
        agent_id="sub-1",
    )
    output = guard.call(
        "SubagentStop", agent_id="sub-1", agent_type="general", background_tasks=[_task("sub-1")]
    )
    assert output is not None and output["decision"] == "block"
    pending = guard.call(
        "SubagentStop",
        agent_id="sub-1",
        agent_type="general",
        background_tasks=[_task("sub-1"), _task("sub-2")],
    )
    assert pending is None
    assert guard.records("SubagentStop")[-1]["pending_tasks"] == ["sub-2"]


@pytest.mark.parametrize("kind", ["shell", "local_bash", "monitor"])
def test_a_background_shell_never_defers_the_gate(guard: Guard, kind: str) -> None:
    """`sleep infinity &` cannot keep every Stop provisional: shells and monitors don't defer."""
    guard.write("src/a.ts")
    output = guard.call("Stop", background_tasks=[_task("b1", kind=kind)])
    assert output is not None and output["decision"] == "block"


@pytest.mark.parametrize("status", ["completed", "failed", "killed"])
def test_finished_background_work_does_not_defer_the_gate(guard: Guard, status: str) -> None:
    """Only work in flight makes a Stop provisional; a finished task is history."""
    guard.write("src/a.ts")
    output = guard.call("Stop", background_tasks=[_task("t1", status=status)])
    assert output is not None and output["decision"] == "block"


@pytest.mark.parametrize(
    "tasks",
    [[{"id": "t1"}], [{"id": "t1", "type": "workflow", "status": 3}], [{"type": "subagent"}]],
)
def test_an_unreadable_task_counts_as_in_flight(guard: Guard, tasks: list[Any]) -> None:
    """A task whose status cannot be read is not taken as finished."""
    guard.write("src/a.ts")
    assert guard.call("Stop", background_tasks=tasks) is None
    assert _gate(guard) == ["pending"]
