"""Who decided each call, and the human's answer to an ``ask``, in the decision log.

PreToolUse records ``decided_by`` (``rule``, ``hook`` or ``human``) and leaves its decision
in the call's marker (:mod:`agentguard.state.seen`); the PostToolUse (or PostToolUseFailure) that
takes an ``ask`` marker records ``answer: approved, decided_by: human``. A post event that
takes no marker (forged, replayed, another session's, another call's) records no answer:
an agent cannot make the log say a human approved what no human was asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_loops import Guard

from agentguard.commands import logs
from agentguard.decision import Evaluation, Match
from agentguard.hook import session as hook
from agentguard.observe import views
from agentguard.state import ledger, seen

POLICY = """\
version: 1
defaults: {on_error: deny, unknown_command: allow}
agents:
  dev: {worktree: ., owns: ["**"]}
commands:
  - id: release
    ask: ["sh release.sh"]
    justification: Releases need a human.
  - id: scripts
    allow: ["sh unit.sh"]
    justification: The project's scripts.
  - id: wipe
    deny: ["sh wipe.sh"]
    justification: Never.
"""
RELEASE = {"command": "sh release.sh"}
OK = {"stdout": "ok", "stderr": "", "interrupted": False}


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """A project whose caller is ``dev``; ``sh release.sh`` asks."""
    return Guard(tmp_path, POLICY)


def _pre(guard: Guard, tool_use_id: str, tool_input: dict[str, Any] = RELEASE) -> dict[str, Any]:
    """A PreToolUse of a Bash call; its log record."""
    guard.call("PreToolUse", tool_name="Bash", tool_input=tool_input, tool_use_id=tool_use_id)
    return guard.records("PreToolUse")[-1]


def _post(
    guard: Guard,
    tool_use_id: str,
    name: str = "PostToolUse",
    tool_input: dict[str, Any] = RELEASE,
) -> dict[str, Any]:
    """A post event of a Bash call; its log record."""
    fields: dict[str, Any] = {"tool_response": OK} if name == "PostToolUse" else {"error": "boom"}
    guard.call(name, tool_name="Bash", tool_input=tool_input, tool_use_id=tool_use_id, **fields)
    return guard.records(name)[-1]


def test_an_ask_is_decided_by_a_human(guard: Guard) -> None:
    """PreToolUse ``ask``: logged ``decided_by: human``, and no answer yet."""
    record = _pre(guard, "toolu_1")
    assert (record["decision"], record["decided_by"]) == ("ask", "human")
    assert "answer" not in record


@pytest.mark.parametrize(
    ("command", "decision", "by"),
    [("sh unit.sh", "allow", "rule"), ("sh wipe.sh", "deny", "rule"), ("ls", "allow", None)],
)
def test_rules_decide_allow_and_deny(
    guard: Guard, command: str, decision: str, by: str | None
) -> None:
    """A granted allow or a deny is the rule's; a silent allow names nobody (Claude Code's)."""
    record = _pre(guard, "toolu_1", {"command": command})
    assert (record["decision"], record.get("decided_by")) == (decision, by)


def test_an_approved_ask_is_recorded_on_its_post_event(guard: Guard) -> None:
    """PostToolUse with the ask's tool_use_id and session: ``answer: approved`` by a human."""
    _pre(guard, "toolu_1")
    record = _post(guard, "toolu_1")
    assert (record["answer"], record["decided_by"]) == ("approved", "human")
    assert record.get("evidence") is None


def test_an_approved_ask_that_failed_is_still_approved(guard: Guard) -> None:
    """PostToolUseFailure of an asked call: the human approved it; it then failed."""
    _pre(guard, "toolu_1")
    record = _post(guard, "toolu_1", "PostToolUseFailure")
    assert (record["answer"], record["decided_by"]) == ("approved", "human")
    assert record["failure"] is True


def test_an_allowed_call_records_no_answer(guard: Guard) -> None:
    """A call agentguard allowed: its PostToolUse names no human."""
    _pre(guard, "toolu_1", {"command": "sh unit.sh"})
    record = _post(guard, "toolu_1", tool_input={"command": "sh unit.sh"})
    assert "answer" not in record and "decided_by" not in record


def test_a_refused_ask_stays_unanswered(guard: Guard) -> None:
    """Refusing sends no event: nothing says ``refused`` or ``approved``; the marker waits."""
    _pre(guard, "toolu_1")
    guard.call("Stop", stop_hook_active=False)
    assert all("answer" not in r for r in guard.records())
    assert Path(seen.marker(str(guard.home), guard.session, "toolu_1")).exists()


@pytest.mark.parametrize(
    ("tool_use_id", "session", "tool_input"),
    [
        ("toolu_forged", "sess-1", RELEASE),  # no PreToolUse of this id
        ("toolu_1", "sess-other", RELEASE),  # another session's marker
        ("toolu_1", "sess-1", {"command": "sh release.sh --all"}),  # another call
    ],
)
def test_a_forged_post_event_is_no_approval(
    guard: Guard, tool_use_id: str, session: str, tool_input: dict[str, Any]
) -> None:
    """A PostToolUse bound to no ask marker records no answer, whatever it claims."""
    _pre(guard, "toolu_1")
    guard.session = session
    record = _post(guard, tool_use_id, tool_input=tool_input)
    assert record["evidence"] == "unbound"
    assert "answer" not in record and "decided_by" not in record


def test_a_forged_post_event_claiming_approval_is_not_believed(guard: Guard) -> None:
    """Fields an agent writes into the event (``answer``, ``decided_by``) are not logged."""
    guard.call(
        "PostToolUse",
        tool_name="Bash",
        tool_input=RELEASE,
        tool_use_id="toolu_forged",
        tool_response=OK,
        answer="approved",
        decided_by="human",
    )
    record = guard.records("PostToolUse")[-1]
    assert "answer" not in record and "decided_by" not in record


def test_a_replayed_approval_counts_once(guard: Guard) -> None:
    """The genuine PostToolUse takes the marker; the same event again is unbound."""
    _pre(guard, "toolu_1")
    assert _post(guard, "toolu_1")["answer"] == "approved"
    again = _post(guard, "toolu_1")
    assert again["evidence"] == "unbound" and "answer" not in again


def test_a_second_pre_tool_use_cannot_turn_an_allow_into_an_ask(guard: Guard) -> None:
    """The first PreToolUse of an id wins: a later ask of the same id rebinds nothing."""
    _pre(guard, "toolu_1", {"command": "sh unit.sh"})
    seen.note(str(guard.home), guard.session, "toolu_1", "x", "ask")  # a late forgery
    record = _post(guard, "toolu_1", tool_input={"command": "sh unit.sh"})
    assert "answer" not in record


def test_a_marker_kept_in_the_ledger_keeps_the_decision(
    guard: Guard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the seen folder cannot be written, the ledger's copy still carries ``ask``."""

    def refuse(*_args: Any, **_kwargs: Any) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(seen, "note", refuse)
    assert "unrecorded" in _pre(guard, "toolu_1")["seen"]
    monkeypatch.undo()
    record = _post(guard, "toolu_1")
    assert (record.get("answer"), record.get("decided_by")) == ("approved", "human")


def test_an_old_marker_without_a_decision_still_binds(guard: Guard) -> None:
    """Markers written before they kept the decision: bound, no answer."""
    _pre(guard, "toolu_1")
    path = Path(seen.marker(str(guard.home), guard.session, "toolu_1"))
    stamp, digest = path.read_text().split(" ")[:2]
    path.write_text(f"{stamp} {digest}")
    record = _post(guard, "toolu_1")
    assert record.get("evidence") is None and "answer" not in record


def test_an_observed_ask_asks_nobody(guard: Guard) -> None:
    """Observe mode prints nothing: no dialog, so no ``decided_by`` and no approval after."""
    guard.env["AGENTGUARD_MODE"] = "observe"
    pre = _pre(guard, "toolu_1")
    assert (pre["would"], pre.get("decided_by")) == ("ask", None)
    post = _post(guard, "toolu_1")
    assert post.get("evidence") is None and "answer" not in post


@pytest.mark.parametrize(
    ("variable", "value", "by"),
    [
        (hook.ATTENDED_ENV, "0", "rule"),
        (hook.ENTRYPOINT_ENV, "sdk-cli", "rule"),
        (hook.ATTENDED_ENV, "1", "human"),
        (hook.ENTRYPOINT_ENV, "cli", "human"),
    ],
)
def test_unattended_sessions_ask_nobody(guard: Guard, variable: str, value: str, by: str) -> None:
    """In ``-p`` (``sdk-cli``, or not attended) ask acts as deny, so the rule decided."""
    guard.env[variable] = value
    assert _pre(guard, "toolu_1")["decided_by"] == by


def test_skill_shell_asks_are_the_rules() -> None:
    """PreSkillShellCommand shows no dialog: its ask keeps the command from running."""
    evaluation = Evaluation("dev")
    evaluation.add(Match("release", "ask", "Releases need a human."))
    assert hook.decided_by("PreSkillShellCommand", evaluation, {}) == "rule"
    assert hook.decided_by("PreToolUse", evaluation, {}) == "human"


def test_on_error_is_the_hooks() -> None:
    """A guard that cannot evaluate decides by its ``on_error``: ``hook`` (ask: ``human``)."""
    for decision, by in (("deny", "hook"), ("ask", "human")):
        evaluation = Evaluation("dev")
        evaluation.add(Match("on-error", decision, "agentguard could not evaluate this call."))
        assert hook.decided_by("PreToolUse", evaluation, {}) == by


def test_logs_show_the_answer(guard: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """timeline marks the ask ``(human)`` and its post event ``approved``; summary counts it."""
    _pre(guard, "toolu_1")
    _post(guard, "toolu_1")
    _pre(guard, "toolu_2")  # asked, never answered
    log_dir = str(guard.home)
    assert logs.main(["--home", log_dir, "timeline"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("ask (human)" in line and "sh release.sh" in line for line in lines)
    assert any("approved" in line and "post" in line for line in lines)
    assert all(len(line) <= 80 for line in lines)
    assert logs.main(["--home", log_dir, "summary"]) == 0
    out = capsys.readouterr().out
    assert "apprvd" in out and all(len(line) <= 80 for line in out.splitlines())
    assert views.summary(guard.records())["dev"]["approved"] == 1
    assert logs.main(["--home", log_dir, "sessions"]) == 0
    out = capsys.readouterr().out
    assert " 2/1 " in out and all(len(line) <= 80 for line in out.splitlines())


def test_ledger_copy_round_trips(tmp_path: Path) -> None:
    """note_seen/take_seen carry ``<digest> <decision>`` for :func:`seen.check`."""
    env = {"HOME": str(tmp_path)}
    assert ledger.note_seen(str(tmp_path), "s", "toolu_1", "abc", env, "ask")
    kept = ledger.take_seen(str(tmp_path), "s", "toolu_1", env)
    assert kept is not None and seen.check(kept, "abc") == ("", "ask")
    assert seen.check(kept, "other")[0].startswith("the tool call differs")
