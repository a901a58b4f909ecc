"""Evidence that cannot be written is not evidence of nothing.

When the state folder takes no writes (disk full, no inodes, read-only, a file where a
folder should be), an edit that was not recorded must keep the Stop gate shut, and a
failure that was not counted must not let the loop cap forget it. Faults are injected
in-process (``os.open``/``os.write``/``os.mkdir`` raising for paths under a prefix) and,
for the real entry point, by putting a file where a folder should be.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_loops import POLICY, Guard, _pytest_failure

from agentguard.commands import logs_evidence
from agentguard.hook import post_tool_use
from agentguard.hook import run as hook
from agentguard.state import ledger

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CODES = {"disk-full": errno.ENOSPC, "no-inodes": errno.ENOSPC, "read-only": errno.EROFS}


class Faults:
    """Writes under the given folders fail with one errno while ``on`` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, code: int, creates_only: bool) -> None:
        self.prefixes: list[str] = []
        self.code = code
        self.creates_only = creates_only  # no inodes: new files fail, existing ones grow
        self.on = False
        real_open, real_write, real_mkdir = os.open, os.write, os.mkdir

        def hit(path: Any) -> bool:
            text = os.path.abspath(os.fsdecode(path))
            return self.on and any(text.startswith(p) for p in self.prefixes)

        def fail() -> OSError:
            return OSError(self.code, os.strerror(self.code))

        def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if hit(path) and flags & WRITE_FLAGS:
                creates = flags & os.O_CREAT and not os.path.exists(path)
                if creates or not self.creates_only:
                    raise fail()
            return real_open(path, flags, *args, **kwargs)

        def fake_write(fd: int, data: Any) -> int:
            if not self.creates_only and hit(os.readlink(f"/proc/self/fd/{fd}")):
                raise fail()
            return real_write(fd, data)

        def fake_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if hit(path):
                raise fail()
            real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(os, "mkdir", fake_mkdir)


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """Agent ``dev`` (checks: ``sh unit.sh``), its temporary folder inside the test's."""
    guard = Guard(tmp_path)
    (tmp_path / "tmp").mkdir()
    guard.env["TMPDIR"] = str(tmp_path / "tmp")
    return guard


@pytest.fixture(params=sorted(CODES))
def faults(
    request: pytest.FixtureRequest, guard: Guard, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Faults]:
    """The state folder fails writes the way a full disk, no inodes or a read-only mount do."""
    kind = str(request.param)
    injected = Faults(monkeypatch, CODES[kind], creates_only=kind == "no-inodes")
    injected.prefixes.append(str(guard.home))
    yield injected
    injected.on = False


def _stop(guard: Guard, **fields: Any) -> dict[str, Any]:
    output = guard.call("Stop", **fields)
    assert output is not None, "the Stop was let through"
    return output


def _blocked(output: dict[str, Any]) -> str:
    assert output.get("decision") == "block", output
    return str(output["reason"])


def test_an_unrecorded_edit_blocks_the_next_stop_until_the_checks_run(
    guard: Guard, faults: Faults
) -> None:
    """The edit's record fails; the state heals; Stop blocks naming the gap; checks open it."""
    guard.call("Stop")  # no edits yet: the gate has nothing to verify
    faults.on = True
    told = guard.write("src/a.ts")
    assert told is not None and "could not record this call" in told["systemMessage"]
    faults.on = False
    reason = _blocked(_stop(guard))
    assert "could not be recorded" in reason and "incomplete" in reason
    guard.ok("sh unit.sh")
    assert guard.call("Stop") is None


def test_an_unrecorded_edit_after_passing_checks_still_blocks(guard: Guard, faults: Faults) -> None:
    """Checks passed, then an edit whose record is lost: the old pass does not count."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    faults.on = True
    guard.write("src/b.ts")
    faults.on = False
    assert "could not be recorded" in _blocked(_stop(guard))


def test_a_stop_that_cannot_write_fails_closed_and_escalates(guard: Guard, faults: Faults) -> None:
    """The state stays broken: Stop blocks once, then tells the human instead of looping."""
    guard.write("src/a.ts")
    faults.on = True
    guard.write("src/b.ts")
    reason = _blocked(_stop(guard))
    assert "takes no writes" in reason and "next Stop is let through" in reason
    output = _stop(guard, stop_hook_active=True)
    assert "decision" not in output
    assert "stopped without its checks passing" in output["systemMessage"]
    assert "incomplete" in output["systemMessage"]


def test_nothing_writable_anywhere_still_does_not_pass(
    guard: Guard, faults: Faults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """State folder and every fallback refuse the note: a Stop that cannot write blocks."""
    shm = tmp_path / "shm"
    monkeypatch.setattr(
        ledger, "roots", lambda home, env: [os.path.join(home, ledger.FOLDER), str(shm)]
    )
    faults.prefixes += [str(tmp_path / "tmp"), str(shm)]
    faults.on = True
    guard.write("src/a.ts")
    assert not any(p.is_file() for p in tmp_path.rglob("edit"))
    assert "takes no writes" in _blocked(_stop(guard))


def test_an_uncounted_failure_makes_the_next_attempt_ask(guard: Guard, faults: Faults) -> None:
    """Two failures counted, the third is not: the next identical call asks, with why."""
    for n in (1, 2):
        guard.fail("npm test", _pytest_failure(n, 1.0))
    faults.on = True
    told = guard.fail("npm test", _pytest_failure(3, 1.0))
    assert told is not None and "could not count this failure" in told["systemMessage"]
    faults.on = False
    output = guard.pre("npm test")
    assert output is not None
    specific = output["hookSpecificOutput"]
    assert specific["permissionDecision"] == "ask"
    assert "could not be counted" in specific["permissionDecisionReason"]
    # The failures that were counted are still there: one more reaches the cap.
    guard.fail("npm test", _pytest_failure(4, 1.0))
    assert guard.records("PostToolUseFailure")[-1]["count"] == 3


def test_a_success_of_the_attempt_clears_the_uncounted_note(guard: Guard, faults: Faults) -> None:
    """The same call succeeding ends the episode, lost failure included."""
    faults.on = True
    guard.fail("npm test", _pytest_failure(1, 1.0))
    faults.on = False
    guard.ok("npm test")
    output = guard.pre("npm test")
    assert output is not None and output["hookSpecificOutput"]["permissionDecision"] == "allow"


def test_an_unreadable_count_is_not_zero(guard: Guard) -> None:
    """A file where the counters folder should be: PreToolUse asks instead of allowing."""
    guard.fail("npm test", _pytest_failure(1, 1.0))
    counters_dir = guard.home / "counters"
    os.rename(counters_dir, guard.home / "counters.old")
    counters_dir.write_text("not a folder")
    output = guard.pre("npm test")
    assert output is not None
    specific = output["hookSpecificOutput"]
    assert specific["permissionDecision"] == "ask"
    assert (
        "cannot read how often this exact call already failed"
        in (specific["permissionDecisionReason"])
    )


def test_a_post_event_the_guard_could_not_handle_counts_as_an_edit(
    guard: Guard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any failure of a PostToolUse (here a crash) is kept: the next Stop wants the checks."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")

    def crash(session: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(post_tool_use, "post_tool_use", crash)
    guard.write("src/b.ts")
    monkeypatch.undo()
    assert "could not be recorded (internal error RuntimeError: boom)" in _blocked(_stop(guard))


def test_the_fallback_notes_are_self_protected(tmp_path: Path) -> None:
    """An agent may write /tmp, but not the folder where lost records are noted."""
    policy = POLICY.replace("loops:", "writable_outside: [/tmp/**]\nloops:")
    guard = Guard(tmp_path, policy=policy)
    note = ledger.roots(str(guard.home), {})[1]
    for command in (f"rm -rf {note}", f"echo x > {note}/k/edit"):
        output = guard.pre(command)
        assert output is not None
        assert output["hookSpecificOutput"]["permissionDecision"] == "deny", command
    output = guard.pre("echo x > /tmp/scratch.txt")
    assert output is None or output["hookSpecificOutput"]["permissionDecision"] != "deny"


def _hook(guard: Guard, name: str, **fields: Any) -> dict[str, Any] | None:
    """``agentguard hook <name>`` as its own process, as Claude Code runs it."""
    event = {"session_id": guard.session, "cwd": str(guard.root), "hook_event_name": name}
    event.update(fields)
    proc = subprocess.run(
        [sys.executable, "-m", "agentguard", "hook", name],
        input=json.dumps(event).encode(),
        capture_output=True,
        env={**os.environ, **guard.env},
        check=False,
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else None


@pytest.mark.parametrize("where", ["counters", "home"])
def test_a_file_where_the_state_folder_should_be(guard: Guard, where: str) -> None:
    """Real entry point: the edit cannot be recorded, and the next Stop blocks saying so."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    target = guard.home / "counters" if where == "counters" else guard.home
    os.rename(target, target.with_name(target.name + ".old"))
    target.write_text("a file where a folder should be")
    write = {"file_path": str(guard.root / "src/b.ts"), "content": "x"}
    _hook(guard, "PreToolUse", tool_name="Write", tool_input=write, tool_use_id="toolu_w")
    told = _hook(
        guard,
        "PostToolUse",
        tool_name="Write",
        tool_input=write,
        tool_response={"type": "create"},
        tool_use_id="toolu_w",
    )
    assert told is not None and "could not record this call" in told["systemMessage"]
    output = _hook(guard, "Stop", stop_hook_active=False)
    assert output is not None and output.get("decision") == "block"
    assert "incomplete" in output["reason"]
    output = _hook(guard, "Stop", stop_hook_active=True)
    assert output is not None and "decision" not in output
    assert "A human should verify" in output["systemMessage"]


def test_hook_main_survives_every_fault(guard: Guard, faults: Faults) -> None:
    """Every event still answers with one JSON object or nothing while the state fails."""
    faults.on = True
    for name, fields in (
        ("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": "ls"}}),
        ("PostToolUse", {"tool_name": "Bash", "tool_input": {"command": "ls"}}),
        ("PostToolUseFailure", {"tool_name": "Bash", "tool_input": {"command": "ls"}}),
        ("Stop", {}),
        ("SubagentStop", {"agent_id": "a1"}),
    ):
        event = {"session_id": "s", "cwd": str(guard.root), "hook_event_name": name, **fields}
        out = io.StringIO()
        assert hook.main([name], io.StringIO(json.dumps(event)), out, guard.env) == 0
        text = out.getvalue()
        assert not text or isinstance(json.loads(text), dict)


def test_the_evidence_block_names_lost_records(
    guard: Guard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``logs evidence`` lists a call whose record was lost under remaining risk."""
    from agentguard.state import evidence

    def full(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence, "note", full)
    guard.write("src/a.ts")
    monkeypatch.undo()
    block = logs_evidence.evidence_block(guard.records(), str(guard.home), "dev", guard.session)
    assert "1 calls whose record or failure count could not be written" in block
