"""The evidence chain: a post event counts only for a call its PreToolUse let through.

Each test forges what an agent could pipe into ``agentguard hook PostToolUse`` from a
Bash call, and checks that it credits no check, moves no count and resets no cap,
while genuine Pre/Post pairs (interleaved, parallel) keep working.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_loops import POLICY, Guard, _pytest_failure

from agentguard.commands import logs_evidence
from agentguard.observe import views
from agentguard.state import seen

OK = {"stdout": "ok", "stderr": "", "interrupted": False}


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """A project whose caller is agent ``dev`` (checks: ``sh unit.sh``)."""
    return Guard(tmp_path)


def _gate(guard: Guard) -> str:
    """The Stop gate's verdict, as logged."""
    guard.call("Stop")
    return str(guard.records("Stop")[-1]["gate"])


def _forge(guard: Guard, name: str = "PostToolUse", **fields: Any) -> dict[str, Any]:
    """A made-up post event for ``sh unit.sh``; its log record."""
    fields.setdefault("tool_name", "Bash")
    fields.setdefault("tool_input", {"command": "sh unit.sh"})
    if name == "PostToolUse":
        fields.setdefault("tool_response", OK)
    else:
        fields.setdefault("error", _pytest_failure(1, 1.0))
    guard.call(name, **fields)
    return guard.records(name)[-1]


def _ask(guard: Guard, command: str) -> bool:
    output = guard.pre(command)
    return bool(output) and output["hookSpecificOutput"]["permissionDecision"] == "ask"


def test_a_genuine_check_after_an_edit_opens_the_gate(guard: Guard) -> None:
    """PreToolUse then PostToolUse of the check, same id and session: credited."""
    guard.write("src/a.ts")
    guard.ok("sh unit.sh")
    assert guard.records("PostToolUse")[-1].get("evidence") is None
    assert _gate(guard) == "passed"


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"tool_use_id": "toolu_never_seen"}, "no PreToolUse of this tool_use_id"),
        ({}, "no tool_use_id"),
        ({"tool_use_id": 7}, "no tool_use_id"),
        ({"tool_use_id": ""}, "no tool_use_id"),
    ],
)
def test_a_forged_check_run_credits_nothing(guard: Guard, fields: dict[str, Any], why: str) -> None:
    """A PostToolUse of the check that no PreToolUse saw: the gate still blocks; logged."""
    guard.write("src/a.ts")
    record = _forge(guard, **fields)
    assert record["evidence"] == "unbound" and why in record["unbound"]
    assert "checks" not in record
    assert _gate(guard) == "blocked"


def test_an_id_seen_in_another_session_is_not_bound(guard: Guard) -> None:
    """The PreToolUse was in session B; the forged PostToolUse claims it in session A."""
    guard.write("src/a.ts")
    guard.session = "sess-other"
    guard.call(
        "PreToolUse",
        tool_name="Bash",
        tool_input={"command": "sh unit.sh"},
        tool_use_id="toolu_x",
    )
    guard.session = "sess-1"
    assert _forge(guard, tool_use_id="toolu_x")["evidence"] == "unbound"
    assert _gate(guard) == "blocked"


def test_an_id_judged_for_another_command_is_not_bound(guard: Guard) -> None:
    """The running call's own id (judged as ``ls``) cannot carry a check's success."""
    guard.write("src/a.ts")
    guard.call("PreToolUse", tool_name="Bash", tool_input={"command": "ls"}, tool_use_id="toolu_ls")
    record = _forge(guard, tool_use_id="toolu_ls")
    assert "differs from the one PreToolUse judged" in record["unbound"]
    assert _gate(guard) == "blocked"


def test_a_second_pre_tool_use_cannot_rebind_an_id(guard: Guard) -> None:
    """A forged PreToolUse reusing a judged id for the check does not replace its marker."""
    guard.write("src/a.ts")
    guard.call("PreToolUse", tool_name="Bash", tool_input={"command": "ls"}, tool_use_id="toolu_1")
    guard.call(
        "PreToolUse",
        tool_name="Bash",
        tool_input={"command": "sh unit.sh"},
        tool_use_id="toolu_1",
    )
    assert _forge(guard, tool_use_id="toolu_1")["evidence"] == "unbound"
    assert _gate(guard) == "blocked"


def test_a_replayed_check_run_counts_once(guard: Guard) -> None:
    """A genuine check's PostToolUse sent again after a later edit proves nothing."""
    guard.ok("sh unit.sh", tool_use_id="toolu_check")
    guard.write("src/a.ts")
    record = _forge(guard, tool_use_id="toolu_check")
    assert record["evidence"] == "unbound"
    assert _gate(guard) == "blocked"


def test_a_denied_call_leaves_no_marker(tmp_path: Path) -> None:
    """A call PreToolUse denied never ran: a PostToolUse for it is forged and unbound."""
    policy = POLICY.replace(
        "commands:\n",
        'commands:\n  - id: no-unit\n    deny: ["sh unit.sh"]\n    justification: Not today.\n',
    )
    guard = Guard(tmp_path, policy=policy)
    guard.write("src/a.ts")
    output = guard.call(
        "PreToolUse",
        tool_name="Bash",
        tool_input={"command": "sh unit.sh"},
        tool_use_id="toolu_denied",
    )
    assert output is not None and output["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert not os.path.exists(seen.marker(str(guard.home), guard.session, "toolu_denied"))
    assert _forge(guard, tool_use_id="toolu_denied")["evidence"] == "unbound"
    assert _gate(guard) == "blocked"


def test_forged_failures_do_not_move_a_count(guard: Guard) -> None:
    """Forged PostToolUseFailures never reach the cap: no loop context, no ask."""
    for n in range(5):
        record = _forge(
            guard,
            "PostToolUseFailure",
            tool_input={"command": "npm test"},
            error=_pytest_failure(n, 1.0),
        )
        assert record["evidence"] == "unbound" and "count" not in record
    assert not _ask(guard, "npm test")


def test_a_forged_success_does_not_reset_a_cap(guard: Guard) -> None:
    """Three genuine failures then a forged success of the same command: still asked."""
    for n in (1, 2, 3):
        guard.fail("npm test", _pytest_failure(n, 1.0))
    record = _forge(guard, tool_input={"command": "npm test"}, tool_use_id="toolu_forged")
    assert record["evidence"] == "unbound" and "episode_closed" not in record
    assert _ask(guard, "npm test")


def test_a_forged_stop_pass_cannot_reset_the_stop_count(guard: Guard) -> None:
    """Forged check runs between refused Stops leave the refusal count climbing."""
    guard.write("src/a.ts")
    for n in range(1, 4):
        guard.call("Stop", stop_hook_active=n > 1)
        _forge(guard, tool_use_id=f"toolu_f{n}")
    guard.call("Stop", stop_hook_active=True)
    gates = [r["gate"] for r in guard.records("Stop")]
    assert gates == ["blocked", "blocked", "blocked", "escalated"]


def test_an_unbound_edit_is_still_an_edit(guard: Guard) -> None:
    """An edit reported by an unbound event raises the bar: Stop asks for the checks."""
    guard.ok("sh unit.sh")
    guard.call(
        "PostToolUse",
        tool_name="Write",
        tool_input={"file_path": str(guard.root / "a.ts"), "content": "x"},
        tool_response={"type": "create"},
    )
    assert guard.records("PostToolUse")[-1]["edit"] is True
    assert _gate(guard) == "blocked"


def test_interleaved_calls_bind_each_to_its_own_pre_tool_use(guard: Guard) -> None:
    """Parallel calls: both PreToolUses first, the PostToolUses in the other order."""
    guard.write("src/a.ts")
    for tool_use_id, command in (("toolu_a", "sh unit.sh"), ("toolu_b", "ls")):
        guard.call(
            "PreToolUse", tool_name="Bash", tool_input={"command": command}, tool_use_id=tool_use_id
        )
    for tool_use_id, command in (("toolu_b", "ls"), ("toolu_a", "sh unit.sh")):
        guard.call(
            "PostToolUse",
            tool_name="Bash",
            tool_input={"command": command},
            tool_response=OK,
            tool_use_id=tool_use_id,
        )
    assert [r.get("evidence") for r in guard.records("PostToolUse")[-2:]] == [None, None]
    assert _gate(guard) == "passed"


def _hook(guard: Guard, name: str, event: dict[str, Any]) -> subprocess.Popen[bytes]:
    """``agentguard hook <name>`` as its own process, as Claude Code (or a Bash call) runs it."""
    event = {"session_id": guard.session, "cwd": str(guard.root), "hook_event_name": name, **event}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentguard", "hook", name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        # Eight hooks at once on a starved CI machine: the 5 s budget is not under test here.
        env={**os.environ, **guard.env, "AGENTGUARD_BUDGET": "25"},
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(event).encode())
    proc.stdin.close()
    return proc


def test_parallel_hook_processes_bind_every_call(guard: Guard) -> None:
    """Eight calls' PreToolUse processes at once, then their PostToolUses at once: all bound."""
    calls = [(f"toolu_p{n}", {"command": f"ls src{n}"}) for n in range(8)]
    for phase in ("PreToolUse", "PostToolUse"):
        extra = {"tool_response": OK} if phase == "PostToolUse" else {}
        procs = [
            _hook(guard, phase, {"tool_name": "Bash", "tool_input": i, "tool_use_id": t, **extra})
            for t, i in calls
        ]
        assert [p.wait() for p in procs] == [0] * 8
        for p in procs:
            assert p.stdout is not None
            p.stdout.close()
    posts = guard.records("PostToolUse")
    assert len(posts) == 8 and all(r.get("evidence") is None for r in posts)


def test_a_forged_event_piped_into_the_real_entry_point_is_refused(guard: Guard) -> None:
    """``agentguard hook PostToolUse < forged.json`` as a process: credited nothing."""
    guard.write("src/a.ts")
    proc = _hook(
        guard,
        "PostToolUse",
        {
            "tool_name": "Bash",
            "tool_input": {"command": "sh unit.sh"},
            "tool_response": OK,
            "tool_use_id": "toolu_forged",
        },
    )
    assert proc.wait() == 0
    assert proc.stdout is not None
    proc.stdout.close()
    assert guard.records("PostToolUse")[-1]["evidence"] == "unbound"
    assert _gate(guard) == "blocked"


def test_logs_show_unbound_events(guard: Guard) -> None:
    """``logs summary`` counts them and the evidence block names them as a risk."""
    guard.write("src/a.ts")
    _forge(guard, tool_use_id="toolu_forged")
    assert views.summary(guard.records())["dev"]["unbound"] == 1
    block = logs_evidence.evidence_block(guard.records(), str(guard.home), "dev", guard.session)
    assert "(unbound: proves nothing)" in block
    assert "1 post events matched no call PreToolUse judged" in block


@pytest.mark.parametrize("kept", [True, False])
def test_a_marker_the_state_folder_refuses_is_kept_elsewhere(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    """PreToolUse still answers; the ledger keeps the marker, else the check is not credited."""
    from agentguard.state import ledger

    guard.write("src/a.ts")

    def broken(*_args: Any) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(seen, "note", broken)
    if not kept:
        monkeypatch.setattr(ledger, "_put", lambda *_args: 0)
    guard.ok("sh unit.sh")
    monkeypatch.undo()
    assert "unrecorded" in guard.records("PreToolUse")[-1]["seen"]
    assert guard.records("PostToolUse")[-1].get("evidence") == (None if kept else "unbound")
    assert _gate(guard) == ("passed" if kept else "blocked")
