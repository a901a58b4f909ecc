"""Loops and the verification gate: the PostToolUse, PostToolUseFailure, Stop and
SubagentStop handlers, and the loop check PreToolUse adds to its evaluation. Hot path.

Per (session, agent), in :mod:`agentguard.counters`:

- ``attempt:<subject signature>``: the failures of one command (or path) in the current
  episode, ``sigs = {failure signature: {count, line}}``. Each failure bumps its
  signature; a success of the same subject ends the episode (the record is reset).
  PreToolUse reads this one record: a signature at ``loops.same_failure`` or more makes
  the next identical attempt ``ask``.
- ``evidence``: the last edit and each check's last result (:mod:`agentguard.evidence`).
- ``stop:<event>[:<agent_id>]``: how many times Stop was blocked per reason signature.
  Tools running in between do not reset it (Claude Code's own cap does reset); a Stop
  that passes the gate does, and so does an escalation.

Every handler returns an :class:`agentguard.hook.Outcome`; failures raise and are turned
into ``on_error`` by :func:`agentguard.hook.main`.
"""

from __future__ import annotations

import os

from agentguard import counters, wire
from agentguard.decision import ASK, Match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard import evidence
    from agentguard.gate import Call
    from agentguard.hook import Outcome, Session

WRITE_TOOLS = {
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}
_SUBJECT_FIELDS = ("file_path", "notebook_path", "path", "url", "pattern")
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

    __slots__ = ("agent", "checks", "event", "home", "key", "policy", "session", "worktree")

    def __init__(self, session: Session) -> None:
        from agentguard.identity import identify

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
        spec = policy["agents"].get(identity.agent) if identity.agent else None
        names = list(spec.get("checks") or []) if spec else []
        self.checks: dict[str, str] = {}
        for name in names:
            check = policy["checks"].get(name) or {}
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
    from agentguard import evidence  # only PostToolUse and Stop need it
    from agentguard.hook import Outcome

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
    elif tool in WRITE_TOOLS and isinstance(tool_input, dict):
        path = tool_input.get(WRITE_TOOLS[tool])
        if isinstance(path, str) and path and _inside(path, ctx.worktree, session.cwd):
            evidence.note(ctx.home, ctx.session, ctx.key, edit_at=now, sub=_sub(event))
            extra["edit"] = True
    subject = subject_of(tool, tool_input)
    if subject and bound:
        key = attempt_key(tool, subject)
        if counters.read_record(ctx.home, ctx.session, ctx.key, key):
            # The same attempt succeeded: that failure episode is over.
            counters.reset(ctx.home, ctx.session, ctx.key, key)
            extra["episode_closed"] = True
    return Outcome(None, extra=extra)


def _bind(ctx: _Context, tool: str, tool_input: Any, extra: dict[str, Any]) -> bool:
    """Whether this post event belongs to a call PreToolUse let through (:mod:`seen`).

    An unbound event proves nothing: it credits no check, counts no failure and closes
    no failure episode. The edits it reports are still recorded, because an edit can
    only raise the bar the Stop gate sets.
    """
    from agentguard import seen

    tool_use_id = ctx.event.get("tool_use_id")
    why = seen.take(
        ctx.home,
        ctx.session,
        tool_use_id if isinstance(tool_use_id, str) else "",
        seen.digest(tool, subject_of(tool, tool_input)),
    )
    if why:
        extra["evidence"] = "unbound"
        extra["unbound"] = why
    return not why


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
    from agentguard import evidence  # only PostToolUse and Stop need it

    spans = (
        evidence.check_positions(command, session.cwd, ctx.worktree, ctx.checks)
        if ctx.checks and credit
        else {}
    )
    skip = {i for first, last in spans.values() for i in range(first, last + 1)}
    wrote = evidence.writes(command, session.cwd, session.env, skip)
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
        evidence.note(
            ctx.home, ctx.session, ctx.key, edit_at=edit_at, checks=results, sub=_sub(ctx.event)
        )


# --- PostToolUseFailure ----------------------------------------------------------------


def post_tool_use_failure(session: Session) -> Outcome:
    """Count the failure's signature; at ``loops.same_failure`` tell the agent to diagnose."""
    from agentguard.hook import Outcome

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
    from agentguard import (
        evidence,  # only PostToolUse and Stop need it
        signature,
    )
    from agentguard.hook import Outcome

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
        return Outcome(None, extra=extra)
    stored = counters.update_record(ctx.home, ctx.session, ctx.key, key, bump)
    count = int(stored["sigs"][sig]["count"])
    extra["count"] = count
    if tool == "Bash" and isinstance(command, str):
        _bash_evidence(session, ctx, command, False, evidence.now(), line, extra)
    cap = _cap(ctx.policy, "same_failure")
    if count < cap:
        return Outcome(None, extra=extra)
    extra["loop"] = True
    what = signature.describe(tool, subject, error)
    text = (
        f"[agentguard:loop] You are repeating the same failure: {what} (signature {sig},"
        f" {count} times in this session). Retrying will not fix it. Stop and diagnose the"
        " root cause (read the full error, the code it points at and what changed) before"
        " running it again; the next identical attempt needs a human's approval."
    )
    name = session.name
    return Outcome(wire.context(name, text), extra=extra)


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
    record = counters.read_record(session.home, sid, agent_key(call.identity.agent), key)
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
            what=f"{tool} {subject[:120]}",
            fix="Diagnose the root cause first; a human decides whether to run it again.",
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
    from agentguard import evidence  # only PostToolUse and Stop need it
    from agentguard.hook import Outcome

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
    record = evidence.read(ctx.home, ctx.session, ctx.key)
    edited = (
        float((record.get("subs") or {}).get(sub) or 0) if sub else float(record.get("edit") or 0)
    )
    if not edited:
        # Nothing changed in this session (or by this subagent): nothing to verify.
        return Outcome(None, extra={"gate": "no-edits"})
    names = list(ctx.checks)
    statuses = evidence.standing(record, names, ctx.policy["checks"])
    pending = [s for s in statuses if s.state != "passed"]
    stop_key = "stop:" + session.name + (f":{sub}" if sub else "")
    if not pending:
        if counters.read_record(ctx.home, ctx.session, ctx.key, stop_key):
            counters.reset(ctx.home, ctx.session, ctx.key, stop_key)
        return Outcome(
            None, extra={"gate": "passed", "checks": {s.name: s.state for s in statuses}}
        )
    from agentguard.signature import fingerprint

    # The same checks still not passing is the same reason, whether they were skipped
    # or failed: running a failing check again is not progress on the gate.
    sig = fingerprint(["stop", session.name, *sorted(s.name for s in pending)])
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

    counters.update_record(ctx.home, ctx.session, ctx.key, stop_key, bump)
    extra: dict[str, Any] = {
        "signature": sig,
        "checks": {s.name: s.state for s in statuses},
    }
    listing = "\n".join(_describe(s) for s in pending)
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
        f"(Stop refused {count} of {cap} times for this reason; after that a human is told.)"
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
