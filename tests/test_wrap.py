"""``agentguard wrap``: a team's own hook passes through until it loops, then escalates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.commands.wrap import blocked
from agentguard.state import log

ROOT = str(Path(__file__).resolve().parent.parent)


class Wrapped:
    """Runs ``agentguard wrap`` in a subprocess around a stub hook written in shell."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.home = tmp_path / "state"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("AGENTGUARD_", "CLAUDE_"))
        }
        self.env.update(AGENTGUARD_HOME=str(self.home), PYTHONPATH=ROOT, AGENTGUARD_AGENT="dev")

    def run(
        self, stub: str, event: dict[str, Any] | None = None, cap: int | None = 2
    ) -> subprocess.CompletedProcess[str]:
        """Pipe ``event`` into ``agentguard wrap [--cap] -- sh -c stub``."""
        payload = {
            "session_id": "s1",
            "cwd": str(self.tmp),
            "hook_event_name": "PostToolUse",
            "tool_name": "Write",
            "tool_input": {"file_path": str(self.tmp / "a.ts"), "content": "x"},
        }
        payload.update(event or {})
        argv = [sys.executable, "-m", "agentguard", "wrap"]
        if cap is not None:
            argv += ["--cap", str(cap)]
        argv += ["--", "sh", "-c", stub]
        return subprocess.run(
            argv,
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.tmp,
            check=False,
        )

    def records(self) -> list[dict[str, Any]]:
        """The decision log."""
        return log.read(str(self.home))


@pytest.fixture
def wrapped(tmp_path: Path) -> Wrapped:
    """A state folder and an environment for wrapped stub hooks."""
    return Wrapped(tmp_path)


EXIT2 = "cat >/dev/null; echo 'prettier: src/a.ts:3:1 unexpected token' >&2; exit 2"


def test_output_and_exit_code_pass_through(wrapped: Wrapped) -> None:
    """A non-blocking hook: its stdout, stderr and exit status come back unchanged."""
    stub = "cat > seen.json; printf '{\"suppressOutput\": true}'; echo warn >&2; exit 1"
    done = wrapped.run(stub)
    assert (done.returncode, done.stdout, done.stderr) == (1, '{"suppressOutput": true}', "warn\n")
    # The wrapped hook saw the event exactly as Claude Code sent it.
    assert json.loads((wrapped.tmp / "seen.json").read_text())["session_id"] == "s1"
    assert [r["wrap_result"] for r in wrapped.records()] == ["pass"]


def test_exit_2_blocks_pass_through_then_escalate(wrapped: Wrapped) -> None:
    """cap 2: two exit-2 blocks pass through, the third same block becomes an escalation."""
    runs = [wrapped.run(EXIT2) for _ in range(3)]
    assert [r.returncode for r in runs[:2]] == [2, 2]
    assert all("unexpected token" in r.stderr for r in runs[:2])
    final = runs[2]
    assert final.returncode == 0 and final.stderr == ""
    message = json.loads(final.stdout)
    assert list(message) == ["systemMessage"]
    assert "blocked 2 times" in message["systemMessage"]
    results = [(r["wrap_result"], r.get("count")) for r in wrapped.records()]
    assert results == [("block", 1), ("block", 2), ("escalated", 2)]
    assert wrapped.records()[-1]["escalation"] == "wrap"
    # After an escalation the streak starts again.
    assert wrapped.run(EXIT2).returncode == 2


def test_json_block_counts_as_a_block(wrapped: Wrapped) -> None:
    """A Stop hook printing decision: block (exit 0) is capped like exit 2."""
    # The duration differs every run: the signature must not.
    stub = (
        'cat >/dev/null; printf \'{"decision":"block","reason":"3 tests failed in'
        " 0.%ss\"}' $(date +%N)"
    )
    event = {"hook_event_name": "Stop", "stop_hook_active": True}
    first = wrapped.run(stub, event, cap=1)
    assert json.loads(first.stdout)["decision"] == "block"
    second = wrapped.run(stub, event, cap=1)
    assert "decision" not in json.loads(second.stdout)
    assert [r["wrap_result"] for r in wrapped.records()] == ["block", "escalated"]


def test_a_different_block_or_a_pass_restarts_the_streak(wrapped: Wrapped) -> None:
    """Only the same signature in a row escalates."""
    mode = wrapped.tmp / "mode"
    stub = (
        "cat >/dev/null; case $(cat mode) in"
        " a) echo 'src/a.ts:3:1 unexpected token' >&2; exit 2;;"
        " b) echo 'src/a.ts: missing semicolon' >&2; exit 2;;"
        " *) exit 0;; esac"
    )
    for step in "ababpaa":
        mode.write_text(step)
        wrapped.run(stub)
    assert [r["wrap_result"] for r in wrapped.records()] == [
        "block", "block", "block", "block", "pass", "block", "block",
    ]  # fmt: skip
    mode.write_text("a")
    assert wrapped.run(stub).returncode == 0
    assert wrapped.records()[-1]["wrap_result"] == "escalated"


def test_missing_hook_command_is_non_blocking(wrapped: Wrapped) -> None:
    """A wrapped command that does not exist fails open with a clear line (as Claude Code would)."""
    env = dict(wrapped.env)
    done = subprocess.run(
        [sys.executable, "-m", "agentguard", "wrap", "--", "/no/such/hook"],
        input="{}",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1 and "cannot run '/no/such/hook'" in done.stderr


@pytest.mark.parametrize(
    ("code", "stdout", "stderr", "expected"),
    [
        (2, b"", b"boom", "boom"),
        (2, b'{"decision":"approve"}', b"", "(no stderr)"),
        (0, b'{"decision":"block","reason":"r"}', b"", "r"),
        (0, b'{"hookSpecificOutput":{"permissionDecision":"deny"}}', b"", "Denied by hook"),
        (0, b'{"hookSpecificOutput":{"permissionDecision":"ask"}}', b"", None),
        (1, b"", b"error", None),
        (0, b"not json {", b"", None),
        (0, b"", b"", None),
    ],
)
def test_what_counts_as_a_block(
    code: int, stdout: bytes, stderr: bytes, expected: str | None
) -> None:
    """Exit 2 and JSON block/deny are blocks; exit 1, ask and plain text are not."""
    assert blocked(code, stdout, stderr) == expected


def test_a_block_passes_through_when_the_state_folder_is_unusable(wrapped: Wrapped) -> None:
    """Bookkeeping that fails must not swallow the team hook's block (exit 2 stays exit 2)."""
    blocker = wrapped.tmp / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    wrapped.env["AGENTGUARD_HOME"] = str(blocker)
    done = wrapped.run(EXIT2)
    assert done.returncode == 2
    assert "unexpected token" in done.stderr
    assert "agentguard wrap: could not record this run" in done.stderr
    assert "Traceback" not in done.stderr
