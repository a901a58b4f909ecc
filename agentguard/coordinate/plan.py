"""The integration plan: which agent branches are ready, what conflicts, what order. Cold path.

Read-only: git is asked through ``merge-tree --write-tree`` (git 2.38+), ``rev-list``,
``diff`` and ``show``, never through a checkout, so no worktree moves. For each agent
branch of the policy (``agents``' branches and worktrees, as ``agents status`` finds
them, measured from the one base ``verify`` uses):

- **ready**: its ownership check passes against that base (``verify``'s judgement of
  each changed file), its worktree holds no uncommitted change, and the last Stop in
  its worktree passed the verification gate with no edit after it (per the decision
  log: the gate passes only when each of the agent's checks passed after its last edit;
  :mod:`agentguard.coordinate.readiness`);
- **conflicts**: a merge of each branch into the integration branch, and of each pair;
- **interfaces**: a declared ``interfaces:`` entry whose provider one branch changes and
  whose consumer another changes, or (undeclared) a changed file of one branch that a
  changed file of another imports (:mod:`agentguard.coordinate.imports`). Either needs a human's
  interface review before either branch merges; the review is recorded for the two
  branch tips in ``git config --local agentguard.reviewed`` (agents cannot write git
  config), so a later commit on either branch asks again
  (:mod:`agentguard.coordinate.reviews`);
- **order**: lanes of branches whose changed files (or interfaces) overlap, each in
  dependency order (providers before consumers), lanes with an interface first, then
  the independent ones (they can merge in parallel); ties go to fewer conflicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentguard.commands.agents import Context
from agentguard.coordinate.readiness import Branch, measure
from agentguard.coordinate.reviews import (
    Review,
    declared_reviews,
    inferred_reviews,
    recorded_reviews,
    review_command,
    same_pair,
)
from agentguard.errors import GitError, VerifyError
from agentguard.git import command as gitcmd
from agentguard.state import home as state
from agentguard.state import log


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
    rows = [measure(ctx, t, int_ref, records) for t in targets]
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
            name == r.interface and same_pair(tips, (one, two)) for name, one, two in done
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
