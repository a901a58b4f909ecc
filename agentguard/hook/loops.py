"""Loops and the verification gate: the PostToolUse, PostToolUseFailure, Stop and
SubagentStop handlers, and the loop check PreToolUse adds to its evaluation. Hot path.

Per (session, agent), in :mod:`agentguard.state.records`:

- ``attempt:<subject signature>``: the failures of one command (or path) in the current
  episode, ``sigs = {failure signature: {count, line}}``. Each failure bumps its
  signature; a success of the same subject ends the episode (the record is reset).
  PreToolUse reads this one record: a signature at ``loops.same_failure`` or more makes
  the next identical attempt ``ask``.
- ``evidence``: the last edit and each check's last result (:mod:`agentguard.state.evidence`).
- ``stop:<event>[:<agent_id>]``: how many times Stop was blocked per reason signature.
  Tools running in between do not reset it (Claude Code's own cap does reset); a Stop
  that passes the gate does, and so does an escalation.

Every handler returns an :class:`agentguard.hook.run.Outcome`; failures raise and are turned
into ``on_error`` by :func:`agentguard.hook.run.main`.
"""

from __future__ import annotations

import os
import time

from agentguard.claude import tools, wire
from agentguard.decision import ASK, Match
from agentguard.state import records as counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.engine.evaluate import Call
    from agentguard.hook.run import Outcome, Session
    from agentguard.state import evidence

_SUBJECT_FIELDS = (*tools.PATH_FIELDS, "url", "pattern")
UNASSIGNED = "(unassigned)"
CLAUDE_CAP_ENV = "CLAUDE_CODE_STOP_HOOK_BLOCK_CAP"
# Claude Code overrides a Stop hook after 8 consecutive blocks (claude-code-hooks.md §7).
CLAUDE_CAP = 8
_MAX_SIGS = 16


def agent_key(agent: str | None) -> str:
    """The counters' agent name for an identity (unassigned callers share one)."""
    return agent or UNASSIGNED


def subject_of(tool: str, tool_input: Any) -> str:
    """What an attempt is about: the command for Bash, else the path or URL it names."""
    if not isinstance(tool_input, dict):
        return ""
    if tool == "Bash":
        command = tool_input.get("command")
        return command if isinstance(command, str) else ""
    for field in _SUBJECT_FIELDS:
        value = tool_input.get(field)
        if isinstance(value, str) and value:
            return value
    if tool.startswith("mcp__") or not tool_input:
        import json

        return json.dumps(tool_input, sort_keys=True, default=str)[:2000]
    return ""


def attempt_key(tool: str, subject: str) -> str:
    """The counters key of an attempt's failure record."""
    from agentguard.signature import subject_signature

    return "attempt:" + subject_signature(tool, subject)


class _Context:
    """What the post/stop handlers establish once: policy, agent, worktree, event."""

    __slots__ = (
        "agent",
        "checks",
        "env",
        "event",
        "home",
        "key",
        "policy",
        "session",
        "worktree",
    )

    def __init__(self, session: Session) -> None:
        from agentguard.engine.identity import identify

        policy = session.load_policy()
        identity = identify(policy, session.cwd, session.env, session.files)
        session.record["agent"] = identity.agent
        session.record["identity"] = identity.source
        self.policy = policy
        self.agent = identity.agent
        self.key = agent_key(identity.agent)
        self.worktree = identity.worktree
        self.home = session.home
        self.event = session.event
        self.session = str(session.record.get("session") or "")
        self.env = session.env
        spec = policy["agents"].get(identity.agent) if identity.agent else None
        names = list(spec.get("checks") or []) if spec else []
        self.checks: dict[str, str] = {}
        for name in names:
            check: Mapping[str, Any] = policy["checks"].get(name) or {}
            self.checks[name] = str(check.get("run") or name)


def _cap(policy: Mapping[str, Any], field: str) -> int:
    value = (policy.get("loops") or {}).get(field)
    return value if isinstance(value, int) and value > 0 else 3


def _started(event: Mapping[str, Any], now: float) -> float:
    """When the tool started: now minus its reported duration."""
    duration = event.get("duration_ms")
    if isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration > 0:
        return now - duration / 1000.0
    return now


def _inside(path: str, folder: str, cwd: str) -> bool:
    full = os.path.normpath(os.path.join(cwd, os.path.expanduser(path)))
    root = os.path.normpath(folder)
    if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
        return True
    real, real_root = os.path.realpath(full), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


# --- PostToolUse ---------------------------------------------------------------------


def _bash_failure(response: Any) -> str | None:
    """The error text when a PostToolUse Bash response reports a failure, else None."""
    if not isinstance(response, dict):
        return None
    for field in ("exitCode", "exit_code", "returncode", "code"):
        value = response.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value != 0:
            stderr = str(response.get("stderr") or "")
            stdout = str(response.get("stdout") or "")
            return f"Exit code {value}\n{stderr or stdout}"
    return None


def post_tool_use(session: Session) -> Outcome:
    """Record edits and check results; a Bash response reporting failure is a failure."""
    from agentguard.hook.run import Outcome
    from agentguard.state import evidence  # only PostToolUse and Stop need it

    ctx = _Context(session)
    event = ctx.event
    tool = str(event.get("tool_name") or "")
    tool_input = event.get("tool_input")
    extra: dict[str, Any] = {}
    bound = _bind(ctx, tool, tool_input, extra)
    if tool == "Bash":
        error = _bash_failure(event.get("tool_response"))
        if error is not None:
            return _failure(session, ctx, tool, tool_input, error, extra)
    now = evidence.now()
    if tool == "Bash" and isinstance(tool_input, dict):
        command = tool_input.get("command")
        if isinstance(command, str):
            unfinished = _unfinished(tool_input, event.get("tool_response"))
            if unfinished:
                extra["uncredited"] = unfinished
            credit = bound and not unfinished
            _bash_evidence(session, ctx, command, True, now, "", extra, credit=credit)
    elif tools.kind(tool) == tools.WRITE and isinstance(tool_input, dict):
        path = tool_input.get(tools.path_field(tool))
        if isinstance(path, str) and path and _inside(path, ctx.worktree, session.cwd):
            _note(ctx, extra, edit_at=now, sub=_sub(event))
            extra["edit"] = True
    subject = subject_of(tool, tool_input)
    if subject and bound:
        key = attempt_key(tool, subject)
        try:
            if counters.read_record(ctx.home, ctx.session, ctx.key, key):
                # The same attempt succeeded: that failure episode is over.
                counters.reset(ctx.home, ctx.session, ctx.key, key)
                extra["episode_closed"] = True
        except OSError as exc:
            # The count stays as it was: the next attempt may be asked, never let through.
            extra["episode_kept"] = _why(exc)
        from agentguard.state import ledger

        ledger.clear_uncounted(ctx.home, ctx.session, ctx.key, key, ctx.env)
    return Outcome(_told(None, extra), extra=extra)


def _why(exc: BaseException) -> str:
    from agentguard.state import ledger

    return ledger.describe(exc)


def _note(ctx: _Context, extra: dict[str, Any], **fields: Any) -> None:
    """Record evidence; a record that cannot be written is noted as lost, never dropped."""
    from agentguard.state import evidence, ledger

    try:
        evidence.note(ctx.home, ctx.session, ctx.key, **fields)
    except OSError as exc:
        why = _why(exc)
        extra["unrecorded"] = why
        extra["unrecorded_kept"] = ledger.note_edit(ctx.home, ctx.session, why, ctx.env)


def _told(output: dict[str, Any] | None, extra: dict[str, Any]) -> dict[str, Any] | None:
    """``output`` with a word to the human when the call's record or count was lost."""
    if "unrecorded" in extra:
        text = (
            f"agentguard could not record this call ({extra['unrecorded']}); the verification"
            " gate counts it as an edit, so every check must pass again before Stop."
        )
    elif "uncounted" in extra:
        text = (
            f"agentguard could not count this failure ({extra['uncounted']}); the next"
            " identical attempt will need a human's approval."
        )
    else:
        return output
    if output is None:
        return wire.message(f"agentguard: {text}")
    return {**output, "systemMessage": f"agentguard: {text}"}


def _bind(ctx: _Context, tool: str, tool_input: Any, extra: dict[str, Any]) -> bool:
    """Whether this post event belongs to a call PreToolUse let through (:mod:`seen`).

    An unbound event proves nothing: it credits no check, counts no failure and closes
    no failure episode. The edits it reports are still recorded, because an edit can
    only raise the bar the Stop gate sets.
    """
    from agentguard.state import seen

    raw_id = ctx.event.get("tool_use_id")
    tool_use_id = raw_id if isinstance(raw_id, str) else ""
    bound_to = seen.digest(tool, subject_of(tool, tool_input))
    why, decision = seen.take(ctx.home, ctx.session, tool_use_id, bound_to)
    if why.startswith("no PreToolUse"):
        from agentguard.state import ledger

        kept = ledger.take_seen(ctx.home, ctx.session, tool_use_id, ctx.env)
        if kept is not None:
            why, decision = seen.check(kept, bound_to)
    if why:
        # Unbound: not even a human's approval of an ask can be read from it.
        extra["evidence"] = "unbound"
        extra["unbound"] = why
        return False
    extra.update(seen.answer(decision))
    return True


def _sub(event: Mapping[str, Any]) -> str | None:
    value = event.get("agent_id")
    return value if isinstance(value, str) and value else None


def _unfinished(tool_input: Mapping[str, Any], response: Any) -> str:
    """Why a Bash PostToolUse proves nothing about the command's exit status, or ``""``.

    A run sent to the background is still going (its PostToolUse reports the start), an
    interrupted or timed-out one did not finish, and a ``returnCodeInterpretation`` means
    Claude Code read a non-zero exit as success.
    """
    if tool_input.get("run_in_background"):
        return "run in the background"
    if isinstance(response, dict):
        if response.get("backgroundTaskId") or response.get("backgroundedByUser"):
            return "moved to the background"
        if response.get("interrupted"):
            return "interrupted"
        if response.get("returnCodeInterpretation"):
            return "exit status reinterpreted by Claude Code"
    return ""


def _bash_evidence(
    session: Session,
    ctx: _Context,
    command: str,
    ok: bool,
    now: float,
    line: str,
    extra: dict[str, Any],
    credit: bool = True,
) -> None:
    """Credit (or fail) the checks ``command`` ran and record an edit if it may write.

    With ``credit`` false (a run that did not finish in the foreground) no check is
    credited or failed; edits are still recorded.
    """
    from agentguard.shell import checks  # only PostToolUse needs it

    spans = (
        checks.check_positions(command, session.cwd, ctx.worktree, ctx.checks)
        if ctx.checks and credit
        else {}
    )
    skip = {i for first, last in spans.values() for i in range(first, last + 1)}
    wrote = checks.writes(command, session.cwd, session.env, skip)
    started = _started(ctx.event, now)
    results: dict[str, dict[str, Any]] = {}
    for name, (_first, last) in spans.items():
        # A write after the check in the same line makes the check stale at once.
        stale = wrote is not None and wrote > last
        result: dict[str, Any] = {"ok": ok and not stale, "at": started}
        if not ok:
            result["line"] = line
        tool_use_id = ctx.event.get("tool_use_id")
        if isinstance(tool_use_id, str):
            result["tool_use_id"] = tool_use_id
        results[name] = result
    edit_at: float | None = None
    if wrote is not None:
        # A write before the checks in the line happened before they started.
        edit_at = now if any(wrote > last for _f, last in spans.values()) or not spans else started
        extra["edit"] = True
    if results:
        extra["checks"] = {name: ("passed" if r["ok"] else "failed") for name, r in results.items()}
    if results or edit_at is not None:
        _note(ctx, extra, edit_at=edit_at, checks=results, sub=_sub(ctx.event))


# --- PostToolUseFailure ----------------------------------------------------------------


def post_tool_use_failure(session: Session) -> Outcome:
    """Count the failure's signature; at ``loops.same_failure`` tell the agent to diagnose."""
    from agentguard.hook.run import Outcome

    ctx = _Context(session)
    event = ctx.event
    tool = str(event.get("tool_name") or "")
    extra: dict[str, Any] = {}
    _bind(ctx, tool, event.get("tool_input"), extra)
    if event.get("is_interrupt") is True:
        extra["interrupt"] = True
        return Outcome(None, extra=extra)
    error = event.get("error")
    text = error if isinstance(error, str) else str(error or "")
    return _failure(session, ctx, tool, event.get("tool_input"), text, extra)


def _failure(
    session: Session,
    ctx: _Context,
    tool: str,
    tool_input: Any,
    error: str,
    extra: dict[str, Any],
) -> Outcome:
    """Count a failure of a bound call; an unbound one only has its edits recorded."""
    from agentguard import signature
    from agentguard.hook.run import Outcome
    from agentguard.state import evidence

    subject = subject_of(tool, tool_input)
    sig = signature.signature(tool, subject, error)
    line = signature.first_error_line(error)
    key = attempt_key(tool, subject)

    def bump(record: dict[str, Any]) -> dict[str, Any]:
        sigs = record.get("sigs")
        if not isinstance(sigs, dict):
            sigs = {}
        entry = sigs.get(sig) if isinstance(sigs.get(sig), dict) else None
        count = int(entry.get("count") or 0) + 1 if entry else 1
        sigs[sig] = {"count": count, "line": line}
        if len(sigs) > _MAX_SIGS:
            weakest = min((s for s in sigs if s != sig), key=lambda s: sigs[s]["count"])
            del sigs[weakest]
        record["sigs"] = sigs
        record["tool"] = tool
        record["subject"] = subject[:300]
        record["count"] = max(v["count"] for v in sigs.values())
        return record

    bound = extra.get("evidence") != "unbound"
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    extra.update(failure=True, signature=sig, error_line=line)
    if not bound:
        if tool == "Bash" and isinstance(command, str):
            _bash_evidence(session, ctx, command, False, evidence.now(), line, extra, False)
        return Outcome(_told(None, extra), extra=extra)
    try:
        stored = counters.update_record(ctx.home, ctx.session, ctx.key, key, bump)
    except OSError as exc:
        # An uncounted failure is not zero failures: the ledger keeps that it happened,
        # and PreToolUse asks before this exact call runs again.
        from agentguard.state import ledger

        why = _why(exc)
        extra["uncounted"] = why
        extra["uncounted_kept"] = ledger.note_uncounted(
            ctx.home, ctx.session, ctx.key, key, why, ctx.env
        )
        stored = {"sigs": {sig: {"count": 0}}}
    count = int(stored["sigs"][sig]["count"])
    if "uncounted" not in extra:
        extra["count"] = count
    if tool == "Bash" and isinstance(command, str):
        _bash_evidence(session, ctx, command, False, evidence.now(), line, extra)
    cap = _cap(ctx.policy, "same_failure")
    if count < cap:
        return Outcome(_told(None, extra), extra=extra)
    extra["loop"] = True
    what = signature.describe(tool, subject, error)
    text = (
        f"[agentguard:loop] You are repeating the same failure: {what} (signature {sig},"
        f" {count} times in this session). Retrying will not fix it. Stop and diagnose the"
        " root cause (read the full error, the code it points at and what changed) before"
        " running it again; the next identical attempt needs a human's approval."
    )
    name = session.name
    return Outcome(_told(wire.context(name, text), extra), extra=extra)


# --- PreToolUse ------------------------------------------------------------------------


def pre_tool_matches(session: Session, call: Call) -> list[Match]:
    """A ``loop`` ask when this exact attempt already failed ``same_failure`` times."""
    event = session.event
    tool = event.get("tool_name")
    if not isinstance(tool, str):
        return []
    subject = subject_of(tool, event.get("tool_input"))
    if not subject:
        return []
    key = attempt_key(tool, subject)
    sid = str(session.record.get("session") or "")
    agent = agent_key(call.identity.agent)
    what = f"{tool} {subject[:120]}"
    fix = "Diagnose the root cause first; a human decides whether to run it again."
    try:
        record = counters.read_record(session.home, sid, agent, key)
    except OSError as exc:
        # An unreadable count is not zero: it may be at the cap already.
        session.record["count_unreadable"] = _why(exc)
        return [
            Match(
                "loop",
                ASK,
                "agentguard cannot read how often this exact call already failed"
                f" ({_why(exc)}), so it cannot tell whether this repeats a loop.",
                what=what,
                fix="A human checks agentguard's state folder and approves or refuses.",
            )
        ]
    from agentguard.state import ledger

    lost = ledger.uncounted(session.home, sid, agent, key, session.env)
    if lost:
        session.record["uncounted"] = lost
        return [
            Match(
                "loop",
                ASK,
                f"A failure of this exact call could not be counted ({lost}), so agentguard"
                " cannot tell whether this repeats a loop.",
                what=what,
                fix=fix,
            )
        ]
    sigs = record.get("sigs")
    if not isinstance(sigs, dict) or not sigs:
        return []
    cap = _cap(call.policy, "same_failure")
    sig, entry = max(sigs.items(), key=lambda item: int(item[1].get("count") or 0))
    count = int(entry.get("count") or 0)
    if count < cap:
        return []
    session.record["signature"] = sig
    session.record["count"] = count
    return [
        Match(
            "loop",
            ASK,
            f"This exact call already failed {count} times in this session with the same"
            f" failure (signature {sig}): {entry.get('line') or '(no output)'}."
            " Running it again unchanged repeats the loop.",
            what=what,
            fix=fix,
        )
    ]


# --- Stop / SubagentStop ---------------------------------------------------------------


def effective_stop_cap(policy: Mapping[str, Any], env: Mapping[str, str]) -> int:
    """``loops.stop_blocks``, but never above Claude Code's own cap (0 disables that cap)."""
    cap = _cap(policy, "stop_blocks")
    raw = env.get(CLAUDE_CAP_ENV)
    try:
        claude = int(raw) if raw not in (None, "") else CLAUDE_CAP
    except ValueError:
        claude = CLAUDE_CAP
    return min(cap, claude) if claude > 0 else cap


def stop(session: Session) -> Outcome:
    """The verification gate: every check passed after the last edit, or a block."""
    from agentguard.hook.run import Outcome
    from agentguard.state import evidence  # only PostToolUse and Stop need it

    ctx = _Context(session)
    if not ctx.checks:
        return Outcome(None, extra={"gate": "none"})
    sub = _sub(ctx.event) if session.name == "SubagentStop" else None
    running = in_flight(ctx.event, sub)
    if running:
        # Claude Code 2.1.198+ runs subagents in the background: this Stop fires while they
        # still edit, and another Stop follows their completion. Deciding now would pass work
        # that is not finished, or spend a block of the cap on it, so this one only waits.
        return Outcome(None, extra={"gate": "pending", "pending_tasks": running})
    from agentguard.state import ledger

    # What the gate cannot see is not "nothing happened": each of these keeps it shut.
    missing: list[str] = []
    try:
        record = evidence.read(ctx.home, ctx.session, ctx.key)
    except OSError as exc:
        record = {}
        missing.append(f"the evidence record cannot be read ({_why(exc)})")
    edited = (
        float((record.get("subs") or {}).get(sub) or 0) if sub else float(record.get("edit") or 0)
    )
    since = float(record.get("edit") or 0)
    for at, why in ledger.edits(ctx.home, ctx.session, ctx.env):
        # A lost record counts as an edit at the time it was lost.
        edited, since = max(edited, at), max(since, at)
        when = f"a tool call at {time.strftime('%H:%M:%S', time.gmtime(at))} UTC"
        lost_line = f"{when} could not be recorded ({why.strip() or 'unknown error'})"
        if lost_line not in missing:
            missing.append(lost_line)
    stop_key = "stop:" + session.name + (f":{sub}" if sub else "")
    try:
        # A Stop that lets the agent go must be able to write: an edit made while the
        # state folder takes no writes leaves nothing behind to find.
        counters.update_record(ctx.home, ctx.session, ctx.key, "stop-probe", lambda r: r)
    except OSError as exc:
        missing.append(f"agentguard's state folder takes no writes ({_why(exc)})")
    if not edited and not missing:
        # Nothing changed in this session (or by this subagent): nothing to verify.
        return Outcome(None, extra={"gate": "no-edits"})
    names = list(ctx.checks)
    statuses = evidence.standing(record, names, ctx.policy["checks"], since)
    # Checks that passed after every lost record still stand; a state folder that cannot
    # be read or written leaves nothing that does.
    shut = [m for m in missing if not m.startswith("a tool call at ")]
    pending = [s for s in statuses if s.state != "passed" or shut]
    if not pending:
        if counters.read_record(ctx.home, ctx.session, ctx.key, stop_key):
            counters.reset(ctx.home, ctx.session, ctx.key, stop_key)
        extra_passed: dict[str, Any] = {
            "gate": "passed",
            "checks": {s.name: s.state for s in statuses},
        }
        if missing:
            extra_passed["recovered"] = missing
        return Outcome(None, extra=extra_passed)
    from agentguard.signature import fingerprint

    # The same checks still not passing is the same reason, whether they were skipped
    # or failed: running a failing check again is not progress on the gate.
    reasons = ["stop", session.name, *sorted(s.name for s in pending)]
    sig = fingerprint([*reasons, "missing"] if missing else reasons)
    cap = effective_stop_cap(ctx.policy, session.env)
    verdict: dict[str, Any] = {}

    def bump(rec: dict[str, Any]) -> dict[str, Any]:
        blocks = rec.get("blocks")
        if not isinstance(blocks, dict):
            blocks = {}
        done = int(blocks.get(sig) or 0)
        if done >= cap:
            verdict["escalate"] = done
            blocks.pop(sig, None)
        else:
            blocks[sig] = done + 1
            verdict["block"] = done + 1
        rec["blocks"] = blocks
        return rec

    extra: dict[str, Any] = {
        "signature": sig,
        "checks": {s.name: s.state for s in statuses},
    }
    try:
        counters.update_record(ctx.home, ctx.session, ctx.key, stop_key, bump)
    except OSError as exc:
        # The refusals cannot be counted either: refuse once, and let a Stop that already
        # continued go with word to the human (as on any failure of the guard's own).
        if not any(m.startswith("agentguard's state folder") for m in missing):
            missing.append(f"the refusals cannot be counted ({_why(exc)})")
        done = 1 if session.event.get("stop_hook_active") else 0
        verdict = {"escalate": done} if done else {"block": 1, "uncounted": True}
    listing = "\n".join(_describe(s) for s in pending)
    if missing:
        extra["missing"] = missing
        listing = (
            "agentguard's record of this session is incomplete, so each check must pass"
            " again after the gap: " + "; ".join(missing) + ".\n" + listing
        )
    if "escalate" in verdict:
        count = int(verdict["escalate"])
        extra.update(gate="escalated", escalation="stop", count=count)
        message = (
            f"agentguard: agent {ctx.agent!r} stopped without its checks passing after"
            f" {count} refused Stops (signature {sig}). A human should verify before"
            f" trusting this work:\n{listing}"
        )
        return Outcome(wire.message(message), extra=extra)
    count = int(verdict["block"])
    extra.update(gate="blocked", count=count)
    reason = (
        f"[agentguard:gate] Not done yet: {len(pending)} of {len(statuses)} checks for agent"
        f" {ctx.agent!r} have not passed since your last edit. Run each command exactly as"
        " written, in your worktree, with its own exit status (no `|| true`, `; true`,"
        f" pipes or `cd` elsewhere), fix what fails, then finish:\n{listing}\n"
        + (
            "(The refusals cannot be counted: the next Stop is let through with word to a human.)"
            if "uncounted" in verdict
            else f"(Stop refused {count} of {cap} times for this reason; after that a human"
            " is told.)"
        )
    )
    return Outcome(wire.block(reason, session.name), extra=extra)


def in_flight(event: Mapping[str, Any], own: str | None) -> list[str]:
    """Ids of the event's agent-kind ``background_tasks`` in flight, except the stopper's own.

    A subagent's SubagentStop lists the subagent itself as running; only other work in
    flight makes a Stop provisional. An entry without a readable status counts as running:
    an unknown state is not "finished". Background shells and monitors never defer the
    gate: an agent could start ``sleep infinity`` to keep every Stop provisional, and a
    check run in the background is not credited anyway.
    """
    tasks = event.get("background_tasks")
    if not isinstance(tasks, list):
        return []
    found: list[str] = []
    for task in tasks:
        if not isinstance(task, dict):
            continue
        status = task.get("status")
        if isinstance(status, str) and status in _SETTLED:
            continue
        kind = task.get("type")
        if isinstance(kind, str) and kind in _NEVER_DEFERS:
            continue
        ident = task.get("id")
        name = ident if isinstance(ident, str) and ident else "(no id)"
        if own is not None and name == own:
            continue
        found.append(name)
    return found


# Background task states that mean the work is over; anything else is in flight.
_SETTLED = frozenset(("completed", "failed", "killed", "stopped", "cancelled", "canceled", "error"))
# Task types (Claude Code's friendly labels and raw discriminants) that run no agent.
_NEVER_DEFERS = frozenset(("shell", "local_bash", "monitor", "bash"))


def _describe(status: evidence.Status) -> str:
    state = {
        "missing": "not run since your last edit",
        "failed": f"failed: {status.line}" if status.line else "failed",
    }.get(status.state, status.state)
    about = f" ({status.description})" if status.description else ""
    return f"- {status.name}: `{status.run}`{about} [{state}]"
