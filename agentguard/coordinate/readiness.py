"""Whether one agent branch is ready to merge: in its lane against its base, its worktree
clean, its last Stop through the verification gate. Cold path.

Read-only: git is asked (``rev-list``, ``diff``), the decision log is read; nothing moves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentguard.commands.agents import Context, Target
from agentguard.commands.verify import agent_base, fork_point, judge_file
from agentguard.errors import VerifyError
from agentguard.git import command as gitcmd


@dataclass
class Gate:
    """What the decision log says of the agent's last Stop in its worktree."""

    state: str  # passed, no-checks, blocked, escalated, edited, none
    detail: str
    ts: str = ""
    session: str = ""
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the gate counts as passed for readiness."""
        return self.state in ("passed", "no-checks")


@dataclass
class Branch:
    """One agent branch as the plan sees it."""

    agent: str
    branch: str
    worktree: str
    exists: bool = False
    head: str = ""
    merged: bool = False
    base: str = ""
    ahead: int = 0
    behind: int = 0
    changed: list[str] = field(default_factory=list)
    offending: list[tuple[str, str]] = field(default_factory=list)
    dirty: list[str] = field(default_factory=list)
    gate: Gate = field(default_factory=lambda: Gate("none", "no Stop on record"))
    conflicts: list[str] = field(default_factory=list)  # with the integration branch
    reasons: list[str] = field(default_factory=list)  # why it is not ready

    @property
    def ready(self) -> bool:
        """Ready to merge: exists, in its lane, clean, and its gate passed."""
        return self.exists and not self.reasons

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "agent": self.agent,
            "branch": self.branch,
            "worktree": self.worktree,
            "exists": self.exists,
            "head": self.head,
            "merged": self.merged,
            "ready": self.ready,
            "not_ready": self.reasons,
            "base": self.base,
            "ahead": self.ahead,
            "behind": self.behind,
            "changed": self.changed,
            "ownership": {
                "ok": not self.offending,
                "offending": [{"file": f, "why": w} for f, w in self.offending],
            },
            "dirty": self.dirty,
            "gate": {
                "state": self.gate.state,
                "ok": self.gate.ok,
                "detail": self.gate.detail,
                "ts": self.gate.ts,
                "session": self.gate.session,
                "checks": self.gate.checks,
            },
            "conflicts_with_integration": self.conflicts,
        }


def ahead_behind(top: str, base: str, head: str) -> tuple[int, int]:
    """Commits ``head`` has that ``base`` lacks, and the reverse."""
    text = gitcmd.out(top, "rev-list", "--left-right", "--count", f"{base}...{head}")
    behind, ahead = (int(x) for x in text.split())
    return ahead, behind


def _inside(path: Any, folder: str) -> bool:
    if not isinstance(path, str) or not path:
        return False
    real = os.path.realpath(path)
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def gate_of(
    records: Sequence[Mapping[str, Any]], agent: str, worktree: str, checks: Sequence[str]
) -> Gate:
    """The verification gate of ``agent`` in ``worktree``, per the decision log."""
    folder = os.path.realpath(worktree)
    last_edit = -1
    last_stop: tuple[int, Mapping[str, Any]] | None = None
    for i, record in enumerate(records):
        if record.get("agent") != agent or not _inside(record.get("cwd"), folder):
            continue
        if record.get("edit") or record.get("unrecorded"):
            last_edit = i
        if record.get("event") == "Stop" and record.get("gate") in (
            "passed",
            "blocked",
            "escalated",
        ):
            last_stop = (i, record)
    if not checks:
        return Gate("no-checks", "the agent has no checks in the verification matrix")
    if last_stop is None:
        what = "edits but no Stop" if last_edit >= 0 else "no Stop"
        return Gate("none", f"{what} of {agent} in its worktree on record")
    index, stop = last_stop
    ts, session = str(stop.get("ts") or ""), str(stop.get("session") or "")
    raw = stop.get("checks")
    states = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    if stop.get("gate") != "passed":
        pending = sorted(n for n, s in states.items() if s != "passed")
        listed = ", ".join(pending) or "its checks"
        verb = "escalated to a human" if stop.get("gate") == "escalated" else "blocked"
        return Gate(
            str(stop.get("gate")),
            f"the last Stop ({ts}) was {verb}: {listed} not passed after the last edit",
            ts,
            session,
            states,
        )
    if last_edit > index:
        return Gate(
            "edited",
            f"edited after the last passing Stop ({ts}); the checks must pass again",
            ts,
            session,
            states,
        )
    return Gate("passed", f"the last Stop ({ts}) passed: {', '.join(states)}", ts, session, states)


def measure(ctx: Context, target: Target, integration: str, records: Any) -> Branch:
    """The branch of ``target`` measured against ``integration``: lane, worktree, gate."""
    top, policy = ctx.top, ctx.policy
    row = Branch(target.name, target.branch, ctx.shown(target.path))
    ref = f"refs/heads/{target.branch}"
    row.exists = gitcmd.branch_exists(top, target.branch)
    if not row.exists:
        row.reasons.append("the branch does not exist yet (agentguard agents up)")
        return row
    row.head = gitcmd.resolve(top, ref) or ""
    row.merged = gitcmd.is_ancestor(top, ref, integration)
    row.ahead, row.behind = ahead_behind(top, integration, ref)
    try:
        name, base_ref, source = agent_base(top, policy, target.branch)
        row.base, fork = fork_point(top, policy, name, base_ref, source, ref)
    except VerifyError as exc:
        row.reasons.append(f"no base to measure it from: {exc}")
        return row
    row.changed = gitcmd.changed_files(top, fork, ref)
    row.offending = [(f, why) for f in row.changed if (why := judge_file(policy, target.name, f))]
    if row.offending:
        row.reasons.append(
            f"ownership fails against {row.base}: {len(row.offending)} file(s) outside"
            f" {target.name}'s lane ({', '.join(f for f, _ in row.offending[:3])})"
        )
    live = {os.path.realpath(w.path): w for w in gitcmd.worktrees(top)}
    entry = live.get(os.path.realpath(target.path))
    if entry is not None and entry.branch == target.branch:
        row.dirty = gitcmd.status_short(target.path)
        if row.dirty:
            row.reasons.append(
                f"{len(row.dirty)} uncommitted change(s) in {row.worktree}: the branch,"
                " not the worktree, is what merges; commit or discard them"
            )
    agent: Mapping[str, Any] = policy["agents"].get(target.name) or {}
    checks = list(agent.get("checks") or [])
    row.gate = gate_of(records, target.name, target.path, checks)
    if not row.gate.ok:
        row.reasons.append(f"gate: {row.gate.detail}")
    return row
