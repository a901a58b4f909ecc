"""Failure loops through the real hook entry point: counting, context at the cap, the ask."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.engine import loops
from agentguard.hook import run as hook
from agentguard.state import log
from agentguard.state import records as counters

POLICY = """\
version: 1
defaults: {on_error: deny, unknown_command: allow}
agents:
  dev:
    worktree: .
    owns: ["**"]
    checks: [unit]
  other:
    worktree: ../elsewhere
    checks: []
checks:
  unit: {run: sh unit.sh, description: The unit tests.}
loops: {same_failure: 3, stop_blocks: 3}
commands:
  - id: scripts
    allow: ["sh unit.sh", "sh test.sh", "npm test"]
    justification: The project's scripts.
"""


class Guard:
    """A project with a policy, calling ``agentguard hook`` in-process as Claude Code would."""

    def __init__(self, root: Path, policy: str = POLICY, agent: str | None = "dev") -> None:
        self.root = root / "project"
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "agentguard.yaml").write_text(policy)
        self.home = root / "state"
        self.env = {
            "AGENTGUARD_POLICY": str(self.root / "agentguard.yaml"),
            "AGENTGUARD_HOME": str(self.home),
            "HOME": str(root),
        }
        if agent is not None:
            self.env["AGENTGUARD_AGENT"] = agent
        self.session = "sess-1"
        self.raw: list[str] = []
        self.calls = 0

    def call(self, name: str, **fields: Any) -> dict[str, Any] | None:
        """Run one hook call; its parsed output (None for an empty stdout)."""
        event = {"session_id": self.session, "cwd": str(self.root), "hook_event_name": name}
        event.update(fields)
        out = io.StringIO()
        code = hook.main([name], stdin=io.StringIO(json.dumps(event)), stdout=out, env=self.env)
        assert code == 0
        text = out.getvalue()
        self.raw.append(text)
        if not text:
            return None
        value = json.loads(text)  # exactly one JSON document, nothing else
        assert isinstance(value, dict)
        return value

    def run(
        self, post: str, tool: str, tool_input: dict[str, Any], **fields: Any
    ) -> dict[str, Any] | None:
        """A genuine tool call: its PreToolUse, then ``post`` with the same tool_use_id."""
        self.calls += 1
        tool_use_id = fields.pop("tool_use_id", f"toolu_{self.calls:04d}")
        self.call("PreToolUse", tool_name=tool, tool_input=tool_input, tool_use_id=tool_use_id)
        return self.call(
            post, tool_name=tool, tool_input=tool_input, tool_use_id=tool_use_id, **fields
        )

    def fail(self, command: str, error: str, **fields: Any) -> dict[str, Any] | None:
        """A Bash call that failed with ``error``."""
        return self.run("PostToolUseFailure", "Bash", {"command": command}, error=error, **fields)

    def ok(self, command: str, **fields: Any) -> dict[str, Any] | None:
        """A Bash call that succeeded."""
        fields.setdefault("tool_response", {"stdout": "ok", "stderr": "", "interrupted": False})
        return self.run("PostToolUse", "Bash", {"command": command}, **fields)

    def write(self, relative: str) -> dict[str, Any] | None:
        """A successful Write of ``relative`` in the project."""
        return self.run(
            "PostToolUse",
            "Write",
            {"file_path": str(self.root / relative), "content": "x"},
            tool_response={"type": "create"},
        )

    def pre(self, command: str) -> dict[str, Any] | None:
        """The PreToolUse output for a Bash command."""
        return self.call("PreToolUse", tool_name="Bash", tool_input={"command": command})

    def records(self, event: str | None = None) -> list[dict[str, Any]]:
        """The decision log (of one event)."""
        return [r for r in log.read(str(self.home)) if event in (None, r.get("event"))]


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """A project whose caller is agent ``dev`` (checks: ``sh unit.sh``)."""
    return Guard(tmp_path)


def _pytest_failure(value: int, seconds: float) -> str:
    return (
        "Exit code 1\n"
        "============================= test session starts ==============================\n"
        f"tests/test_cart.py F                                                     [100%]\n"
        "    def test_total():\n"
        f">       assert total() == {value}\n"
        f"E       assert {value + 1} == {value}\n"
        f"tests/test_cart.py:{10 + value}: AssertionError\n"
        f"FAILED tests/test_cart.py::test_total - assert {value + 1} == {value}\n"
        f"========================= 1 failed in {seconds:.2f}s =========================\n"
    )


def _decision(output: dict[str, Any] | None) -> str:
    if output is None:
        return "none"
    return str(output["hookSpecificOutput"]["permissionDecision"])


def test_same_failure_counts_up_and_the_cap_tells_the_agent(guard: Guard) -> None:
    """Volatile numbers differ run to run, yet it is one signature; the 3rd adds context."""
    outputs = [guard.fail("npm test", _pytest_failure(n, 0.1 * n)) for n in (1, 2, 3)]
    assert outputs[:2] == [None, None]
    third = outputs[2]
    assert third is not None
    specific = third["hookSpecificOutput"]
    assert specific["hookEventName"] == "PostToolUseFailure"
    records = guard.records("PostToolUseFailure")
    assert [r["count"] for r in records] == [1, 2, 3]
    signature = records[0]["signature"]
    assert {r["signature"] for r in records} == {signature}
    context = specific["additionalContext"]
    assert "repeating the same failure" in context and signature in context
    assert "3 times" in context
    assert "FAILED tests/test_cart.py::test_total" in context
    assert records[2]["loop"] is True


def test_next_identical_attempt_is_ask_with_signature(guard: Guard) -> None:
    """At the cap the same command is ``ask`` (signature and count in the reason)."""
    assert _decision(guard.pre("npm test")) == "allow"
    for n in (1, 2):
        guard.fail("npm test", _pytest_failure(n, 1.0))
    assert _decision(guard.pre("npm test")) == "allow"  # below the cap: explicit allow stands
    guard.fail("npm test", _pytest_failure(3, 1.0))
    output = guard.pre("npm test")
    assert _decision(output) == "ask"
    assert output is not None
    reason = output["hookSpecificOutput"]["permissionDecisionReason"]
    signature = guard.records("PostToolUseFailure")[0]["signature"]
    assert "[agentguard:loop]" in reason and signature in reason and "3 times" in reason
    # Cosmetic variants are the same attempt; a different command is not.
    assert _decision(guard.pre("npm  test 2>&1")) == "ask"
    assert _decision(guard.pre("npm test -- --bail")) == "allow"


def test_different_failures_do_not_collide(guard: Guard) -> None:
    """Three different errors of one command are three signatures: no loop, no ask."""
    for error in ("Exit code 1\nError: Cannot find module 'x'", "Exit code 2\nSyntaxError: bad",
                  "Exit code 1\nFAILED tests/a.py::test_b - KeyError: 'k'"):  # fmt: skip
        assert guard.fail("npm test", error) is None
    assert [r["count"] for r in guard.records("PostToolUseFailure")] == [1, 1, 1]
    assert _decision(guard.pre("npm test")) == "allow"


def test_success_of_the_same_attempt_ends_the_episode(guard: Guard) -> None:
    """A pass in between resets: two more failures afterwards do not reach the cap."""
    for n in (1, 2, 3):
        guard.fail("npm test", _pytest_failure(n, 1.0))
    guard.ok("npm test")
    assert _decision(guard.pre("npm test")) == "allow"
    assert guard.fail("npm test", _pytest_failure(4, 1.0)) is None
    assert guard.records("PostToolUseFailure")[-1]["count"] == 1


def test_counts_are_per_session_and_agent(tmp_path: Path) -> None:
    """Another session or another agent starts from zero."""
    dev = Guard(tmp_path)
    for n in (1, 2, 3):
        dev.fail("npm test", _pytest_failure(n, 1.0))
    dev.session = "sess-2"
    assert _decision(dev.pre("npm test")) == "allow"
    other = Guard(tmp_path, agent="other")
    assert _decision(other.pre("npm test")) != "ask"


def test_file_tool_failures_loop_on_the_path(guard: Guard) -> None:
    """A failing Edit of one path counts by path; the next Edit of it is asked."""
    path = str(guard.root / "src" / "a.ts")
    for _ in range(3):
        guard.run(
            "PostToolUseFailure",
            "Edit",
            {"file_path": path, "old_string": "x", "new_string": "y"},
            error="String to replace not found in file.\nString: x",
        )
    output = guard.call(
        "PreToolUse",
        tool_name="Edit",
        tool_input={"file_path": path, "old_string": "x", "new_string": "y"},
    )
    assert output is not None
    assert output["hookSpecificOutput"]["permissionDecision"] == "ask"


def test_interrupts_are_not_failures(guard: Guard) -> None:
    """A user interrupt is not the agent failing: nothing counted."""
    for _ in range(4):
        guard.fail("npm test", "Interrupted", is_interrupt=True)
    assert _decision(guard.pre("npm test")) == "allow"
    assert all("signature" not in r for r in guard.records("PostToolUseFailure"))


def test_bash_post_tool_use_reporting_an_exit_code_is_a_failure(guard: Guard) -> None:
    """A PostToolUse whose response carries a non-zero exit code counts as a failure."""
    for _ in range(3):
        guard.ok("npm test", tool_response={"stdout": "", "stderr": "Error: boom", "exitCode": 1})
    assert [r.get("count") for r in guard.records("PostToolUse")] == [1, 2, 3]
    assert _decision(guard.pre("npm test")) == "ask"


@pytest.mark.parametrize(
    "stdin",
    ["", "not json{", "[1, 2]", '{"hook_event_name": "Stop", "cwd": 7}'],
)
@pytest.mark.parametrize("name", ["PostToolUse", "PostToolUseFailure", "Stop", "SubagentStop"])
def test_bad_input_gives_on_error_as_one_json_object(guard: Guard, name: str, stdin: str) -> None:
    """Garbage on stdin: exit 0, exactly one valid JSON object (on_error deny blocks)."""
    out = io.StringIO()
    assert hook.main([name], stdin=io.StringIO(stdin), stdout=out, env=guard.env) == 0
    output = json.loads(out.getvalue())
    assert output["decision"] == "block"
    assert "on-error" in output["reason"]


def test_unreadable_policy_on_stop_lets_a_looping_stop_end(guard: Guard) -> None:
    """A broken policy on a Stop that already continued must not block again (no loop)."""
    (guard.root / "agentguard.yaml").write_text("version: 1\nagents: [\n")
    output = guard.call("Stop", stop_hook_active=True)
    assert output is not None and "decision" not in output
    assert "on-error" in output["systemMessage"]


def test_pre_tool_use_reads_one_small_record(guard: Guard, tmp_path: Path) -> None:
    """The loop check costs one read of the attempt's own record, whatever the history."""
    for n in range(40):
        guard.fail(f"npm test -- shard{n}", _pytest_failure(n, 1.0))
    key = loops.attempt_key("Bash", "npm test")
    assert counters.read_record(str(guard.home), guard.session, "dev", key) == {}
    opened: list[str] = []
    real = counters._read

    def spy(path: str) -> dict[str, Any]:
        opened.append(path)
        return real(path)

    mp = pytest.MonkeyPatch()
    mp.setattr(counters, "_read", spy)
    try:
        guard.pre("npm test")
    finally:
        mp.undo()
    assert len(opened) == 1 and opened[0].endswith(".json")
