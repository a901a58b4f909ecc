"""Stop and SubagentStop: the verification gate. Hot path.

The agent may stop once every check of its agent section passed after its last edit.
Per (session, agent), in :mod:`agentguard.state.records`, ``stop:<event>[:<agent_id>]``
counts how many times Stop was blocked per reason signature. Tools running in between
do not reset it (Claude Code's own cap does reset); a Stop that passes the gate does,
and so does an escalation.
"""

from __future__ import annotations

import time

from agentguard.claude import wire
from agentguard.engine.loops import effective_stop_cap
from agentguard.hook.session import Context, Outcome, subagent_of
from agentguard.state import records as counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.hook.session import Invocation
    from agentguard.state import evidence

# Background task states that mean the work is over; anything else is in flight.
_SETTLED = frozenset(("completed", "failed", "killed", "stopped", "cancelled", "canceled", "error"))
# Task types (Claude Code's friendly labels and raw discriminants) that run no agent.
_NEVER_DEFERS = frozenset(("shell", "local_bash", "monitor", "bash"))


def stop(invocation: Invocation) -> Outcome:
    """The verification gate: every check passed after the last edit, or a block."""
    from agentguard.state import evidence  # only PostToolUse and Stop need it

    ctx = Context(invocation)
    if not ctx.checks:
        return Outcome(None, extra={"gate": "none"})
    sub = subagent_of(ctx.event) if invocation.name == "SubagentStop" else None
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
        missing.append(f"the evidence record cannot be read ({ledger.describe(exc)})")
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
    stop_key = "stop:" + invocation.name + (f":{sub}" if sub else "")
    try:
        # A Stop that lets the agent go must be able to write: an edit made while the
        # state folder takes no writes leaves nothing behind to find.
        counters.update_record(ctx.home, ctx.session, ctx.key, "stop-probe", lambda r: r)
    except OSError as exc:
        missing.append(f"agentguard's state folder takes no writes ({ledger.describe(exc)})")
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
    reasons = ["stop", invocation.name, *sorted(s.name for s in pending)]
    sig = fingerprint([*reasons, "missing"] if missing else reasons)
    cap = effective_stop_cap(ctx.policy, invocation.env)
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
            missing.append(f"the refusals cannot be counted ({ledger.describe(exc)})")
        done = 1 if invocation.event.get("stop_hook_active") else 0
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
    return Outcome(wire.block(reason, invocation.name), extra=extra)


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


def _describe(status: evidence.Status) -> str:
    state = {
        "missing": "not run since your last edit",
        "failed": f"failed: {status.line}" if status.line else "failed",
    }.get(status.state, status.state)
    about = f" ({status.description})" if status.description else ""
    return f"- {status.name}: `{status.run}`{about} [{state}]"
