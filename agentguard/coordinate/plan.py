"""The integration plan: which agent branches are ready, what conflicts, what order. Cold path.

Read-only: git is asked through ``merge-tree --write-tree`` (git 2.38+), ``rev-list``,
``diff`` and ``show``, never through a checkout, so no worktree moves. For each agent
branch of the policy (``agents``' branches and worktrees, as ``agents status`` finds
them, measured from the one base ``verify`` uses):

- **ready**: its ownership check passes against that base (``verify``'s judgement of
  each changed file), its worktree holds no uncommitted change, and the last Stop in
  its worktree passed the verification gate with no edit after it (per the decision
  log: the gate passes only when each of the agent's checks passed after its last edit);
- **conflicts**: a merge of each branch into the integration branch, and of each pair;
- **interfaces**: a declared ``interfaces:`` entry whose provider one branch changes and
  whose consumer another changes, or (undeclared) a changed file of one branch that a
  changed file of another imports (:mod:`agentguard.coordinate.imports`). Either needs a human's
  interface review before either branch merges; the review is recorded for the two
  branch tips in ``git config --local agentguard.reviewed`` (agents cannot write git
  config), so a later commit on either branch asks again;
- **order**: lanes of branches whose changed files (or interfaces) overlap, each in
  dependency order (providers before consumers), lanes with an interface first, then
  the independent ones (they can merge in parallel); ties go to fewer conflicts.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentguard.commands.agents import Context, Target
from agentguard.commands.verify import agent_base, fork_point, judge_file
from agentguard.coordinate.imports import Aliases, imports
from agentguard.engine.patterns import deciding_pattern
from agentguard.errors import GitError, VerifyError
from agentguard.git import command as gitcmd
from agentguard.state import home as state
from agentguard.state import log

REVIEW_KEY = "agentguard.reviewed"
INFERRED = "imports"  # the interface name of an undeclared import edge


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


@dataclass
class Conflict:
    """A merge that does not go through cleanly: the two sides and the conflicting files."""

    ours: str
    theirs: str
    files: list[str]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"ours": self.ours, "theirs": self.theirs, "files": self.files}


@dataclass
class Review:
    """Two branches meeting at a shared interface: a human reviews the pair first."""

    interface: str
    declared: bool
    provider: str  # branch
    consumer: str  # branch
    provider_files: list[str]
    consumer_files: list[str]
    edges: list[tuple[str, str]]  # (consumer file, provider file) for an import edge
    reviewed: bool = False
    record: str = ""  # the command a human runs once the pair is reviewed
    tips: tuple[str, str] = ("", "")  # provider's and consumer's commits

    @property
    def why(self) -> str:
        """One sentence: what each side changes, and why that needs a review."""
        if self.declared:
            return (
                f"{self.provider} changes {', '.join(self.provider_files)} (provides"
                f" {self.interface}) and {self.consumer} changes"
                f" {', '.join(self.consumer_files)} (consumes it): each can build alone"
                " and still disagree with the other on its shape"
            )
        pairs = "; ".join(f"{c} imports {p}" for c, p in self.edges)
        return (
            f"no declared interface, but {pairs}: {self.provider} changes the imported file"
            f" and {self.consumer} the importer"
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "interface": self.interface,
            "declared": self.declared,
            "provider": self.provider,
            "consumer": self.consumer,
            "provider_files": self.provider_files,
            "consumer_files": self.consumer_files,
            "imports": [{"file": c, "imports": p} for c, p in self.edges],
            "reviewed": self.reviewed,
            "why": self.why,
            "record_review": self.record,
        }


@dataclass
class Step:
    """One branch in the merge order."""

    branch: str
    agent: str
    lane: int
    after: list[str]
    why: str
    blocked: str = ""  # non-empty: an interface review is still needed

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "branch": self.branch,
            "agent": self.agent,
            "lane": self.lane,
            "after": self.after,
            "why": self.why,
            "needs_review": self.blocked or None,
        }


@dataclass
class Plan:
    """The whole plan."""

    integration: str
    owner: str | None
    integration_head: str
    branches: list[Branch]
    conflicts: list[Conflict]
    reviews: list[Review]
    order: list[Step]
    lanes: list[list[str]]

    def branch(self, name: str) -> Branch:
        """The branch called ``name``."""
        return next(b for b in self.branches if b.branch == name)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (for a merge queue or a bot)."""
        return {
            "integration": {
                "branch": self.integration,
                "owner": self.owner,
                "head": self.integration_head,
            },
            "branches": [b.as_dict() for b in self.branches],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "interfaces": [r.as_dict() for r in self.reviews],
            "order": [s.as_dict() for s in self.order],
            "lanes": self.lanes,
        }


# --- git, read-only --------------------------------------------------------------------


def merge_conflicts(top: str, ours: str, theirs: str) -> list[str] | None:
    """Files a merge of ``theirs`` into ``ours`` conflicts on (None: it merges cleanly).

    ``git merge-tree --write-tree`` does the real merge in the object store only: no
    index, no worktree, no ref moves.
    """
    done = gitcmd.run(
        top,
        "merge-tree",
        "--write-tree",
        "--name-only",
        "--no-messages",
        "-z",
        ours,
        theirs,
        check=False,
    )
    if done.returncode == 0:
        return None
    if done.returncode == 1:
        names = [n for n in done.stdout.split("\0")[1:] if n]
        return list(dict.fromkeys(names)) or ["(the merge fails: see git merge-tree)"]
    detail = (done.stderr or done.stdout).strip().splitlines()
    raise GitError(
        f"`git merge-tree --write-tree {ours} {theirs}` failed in {top}:"
        f" {detail[-1] if detail else done.returncode} (git 2.38+ is needed)"
    )


def ahead_behind(top: str, base: str, head: str) -> tuple[int, int]:
    """Commits ``head`` has that ``base`` lacks, and the reverse."""
    text = gitcmd.out(top, "rev-list", "--left-right", "--count", f"{base}...{head}")
    behind, ahead = (int(x) for x in text.split())
    return ahead, behind


def show(top: str, ref: str, rel: str) -> str | None:
    """The text of ``rel`` in commit ``ref``, or None when absent or not text."""
    done = gitcmd.run(top, "show", f"{ref}:{rel}", check=False)
    return done.stdout if done.returncode == 0 else None


def recorded_reviews(top: str) -> list[tuple[str, str, str]]:
    """``(interface, tip, tip)`` of each interface review a human recorded in git config."""
    done = gitcmd.run(top, "config", "--local", "--get-all", REVIEW_KEY, check=False)
    out = []
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out


# --- readiness -------------------------------------------------------------------------


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


def _measure(ctx: Context, target: Target, integration: str, records: Any) -> Branch:
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


# --- interfaces ------------------------------------------------------------------------


def _hit(patterns: Sequence[Any], rel: str) -> bool:
    return deciding_pattern(patterns, rel) is not None


def declared_reviews(policy: Mapping[str, Any], rows: Sequence[Branch]) -> list[Review]:
    """Pairs of branches where one changes a declared provider and the other a consumer."""
    out = []
    for name, spec in (policy.get("interfaces") or {}).items():
        prov = {b.branch: [f for f in b.changed if _hit(spec["providers"], f)] for b in rows}
        cons = {b.branch: [f for f in b.changed if _hit(spec["consumers"], f)] for b in rows}
        for p in rows:
            for c in rows:
                if p is not c and prov[p.branch] and cons[c.branch]:
                    out.append(
                        Review(name, True, p.branch, c.branch, prov[p.branch], cons[c.branch], [])
                    )
    return out


def inferred_reviews(top: str, policy: Mapping[str, Any], rows: Sequence[Branch]) -> list[Review]:
    """Pairs where a changed file of one branch imports a changed file of another."""
    interfaces = list((policy.get("interfaces") or {}).values())
    changed_by: dict[str, list[str]] = {}
    for b in rows:
        for rel in b.changed:
            changed_by.setdefault(rel, []).append(b.branch)
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for c in rows:
        ref = f"refs/heads/{c.branch}"
        files = gitcmd.tracked_at(top, ref) | set(changed_by)
        aliases = Aliases.read(functools.partial(show, top, ref))
        for rel in c.changed:
            text = show(top, ref, rel)
            if text is None:
                continue
            for target in imports(rel, text, files, aliases):
                covered = any(
                    _hit(i["providers"], target) and _hit(i["consumers"], rel) for i in interfaces
                )
                for p in changed_by.get(target, []):
                    if p != c.branch and not covered:
                        found.setdefault((p, c.branch), []).append((rel, target))
    out = []
    for (provider, consumer), edges in found.items():
        prov = list(dict.fromkeys(t for _, t in edges))
        cons = list(dict.fromkeys(f for f, _ in edges))
        out.append(Review(INFERRED, False, provider, consumer, prov, cons, edges))
    return out


# --- order -----------------------------------------------------------------------------


def _order(
    ready: Sequence[Branch], reviews: Sequence[Review], conflicts: Sequence[Conflict]
) -> tuple[list[Step], list[list[str]]]:
    names = [b.branch for b in ready]
    index = {n: i for i, n in enumerate(names)}
    count = dict.fromkeys(names, 0)
    for c in conflicts:
        for side in (c.ours, c.theirs):
            if side in count:
                count[side] += 1
    deps: dict[str, set[str]] = {n: set() for n in names}  # consumer -> providers
    gives: dict[str, dict[str, set[str]]] = {n: {} for n in names}
    for r in reviews:
        if r.provider in deps and r.consumer in deps:
            deps[r.consumer].add(r.provider)
            gives[r.provider].setdefault(r.consumer, set()).add(r.interface)
    # Lanes: branches joined by an interface or by a changed file they share.
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    files = {b.branch: set(b.changed) for b in ready}
    for a in names:
        for b in names:
            if index[a] < index[b] and (files[a] & files[b] or a in deps[b] or b in deps[a]):
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(root(n), []).append(n)

    def key(n: str) -> tuple[int, int]:
        return (count[n], index[n])

    def lane_key(group: list[str]) -> tuple[int, int, int]:
        linked = any(deps[n] for n in group)
        return (0 if linked else 1, sum(count[n] for n in group), min(index[n] for n in group))

    lanes: list[list[str]] = []
    steps: list[Step] = []
    for number, group in enumerate(sorted(groups.values(), key=lane_key), 1):
        left, done, lane = set(group), set(), []
        while left:
            free = [n for n in left if not (deps[n] & left)]
            cycle = not free
            pick = min(free or left, key=key)
            left.discard(pick)
            lane.append(pick)
            providers = [p for p in lane[:-1] if p in deps[pick]]
            if gives[pick]:
                given = sorted({i for s in gives[pick].values() for i in s})
                why = f"provides {', '.join(given)} to {', '.join(sorted(gives[pick]))}"
                if providers:
                    why += f"; consumes from {', '.join(providers)}"
            elif providers:
                why = f"consumes from {', '.join(providers)}: merges after it"
            elif len(group) == 1:
                why = "independent: shares no file or interface with another ready branch"
            else:
                sharing = [p for p in lane[:-1] if files[p] & files[pick]]
                why = (
                    f"shares files with {', '.join(sharing)}: merges after it"
                    if sharing
                    else "first in its lane (fewest conflicts)"
                )
            if cycle:
                why += " (interfaces run both ways: a human picks the order)"
            if count[pick]:
                why += f"; {count[pick]} conflict(s)"
            done.add(pick)
            steps.append(Step(pick, "", number, providers, why))
        lanes.append(lane)
    return steps, lanes


def _same_pair(tips: tuple[str, str], given: tuple[str, str]) -> bool:
    """Whether two recorded commit ids are the two tips, in either order (whole ids only:
    a prefix could be met by a commit made to match it)."""
    return all(tips) and sorted(tips) == sorted(given)


def review_command(interface: str, tips: tuple[str, str], width: int = 0) -> str:
    """The ``git config`` line a human runs once the pair is reviewed (split over lines
    with backslashes when ``width`` is set, for an 80-column terminal)."""
    head = f"git config --local --add {REVIEW_KEY}"
    if not width:
        return f'{head} "{interface} {tips[0]} {tips[1]}"'
    return f'{head} "{interface} \\\n  {tips[0]} \\\n  {tips[1]}"'


# --- the plan --------------------------------------------------------------------------


def make(ctx: Context, env: Mapping[str, str]) -> Plan:
    """Compute the plan for the repository and policy of ``ctx``; VerifyError if it cannot."""
    integration_spec: Mapping[str, Any] = ctx.policy.get("integration") or {}
    integration = integration_spec.get("branch")
    if not integration:
        raise VerifyError(
            "the policy names no integration branch; add `integration: {branch: …, owner: …}`"
        )
    int_ref = gitcmd.branch_ref(ctx.top, integration)
    if int_ref is None:
        raise VerifyError(
            f"the integration branch {integration} does not exist; create it (agentguard agents up)"
        )
    int_head = gitcmd.resolve(ctx.top, int_ref) or ""
    records = log.read(state.home(ctx.top, env))
    targets = [
        t
        for t in ctx.targets()
        if t.branch != integration and t.name != integration_spec.get("owner")
    ]
    rows = [_measure(ctx, t, int_ref, records) for t in targets]
    live = [b for b in rows if b.exists and not b.merged]
    conflicts: list[Conflict] = []
    for b in live:
        files = merge_conflicts(ctx.top, int_ref, f"refs/heads/{b.branch}")
        if files:
            b.conflicts = files
            conflicts.append(Conflict(integration, b.branch, files))
    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            files = merge_conflicts(ctx.top, f"refs/heads/{a.branch}", f"refs/heads/{b.branch}")
            if files:
                conflicts.append(Conflict(a.branch, b.branch, files))
    reviews = declared_reviews(ctx.policy, live) + inferred_reviews(ctx.top, ctx.policy, live)
    heads = {b.branch: b.head for b in rows}
    done = recorded_reviews(ctx.top)
    for r in reviews:
        tips = (heads[r.provider], heads[r.consumer])
        r.reviewed = any(
            name == r.interface and _same_pair(tips, (one, two)) for name, one, two in done
        )
        r.tips = tips
        r.record = review_command(r.interface, tips)
    ready = [b for b in live if b.ready]
    steps, lanes = _order(ready, reviews, conflicts)
    agent_of = {b.branch: b.agent for b in rows}
    for step in steps:
        step.agent = agent_of[step.branch]
        open_ = [r for r in reviews if not r.reviewed and step.branch in (r.provider, r.consumer)]
        if open_:
            step.blocked = "; ".join(
                f"{r.interface} with {r.consumer if r.provider == step.branch else r.provider}"
                for r in open_
            )
    return Plan(
        integration,
        integration_spec.get("owner"),
        int_head,
        rows,
        conflicts,
        reviews,
        steps,
        lanes,
    )
