"""Lint checks about agents: lanes, branches, worktrees, integration, subagents, memory. Cold.

Each check takes the loaded policy and returns located findings; :mod:`agentguard.policy.lint`
runs them all.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence

from agentguard.engine.paths import protected_name
from agentguard.engine.patterns import deciding_pattern
from agentguard.errors import GitError
from agentguard.git import command as gitcmd
from agentguard.policy.compiler import gitignore_regexes
from agentguard.policy.loader import Loaded
from agentguard.policy.model import Policy
from agentguard.policy.witnesses import glob_covers, witnesses
from agentguard.report import Finding

_GLOB_CHARS = frozenset("*?[")
# How many unowned files an info finding names before it says "and N more".
_SHOWN = 5

# Memory every agent loads (agentguard memory lint): owning one lets one agent rewrite
# every agent's instructions. ``.claude/rules/`` and ``.claude/CLAUDE.md`` are
# self-protected already.
MEMORY_NAMES = ("CLAUDE.md", "CLAUDE.local.md", "AGENTS.md")


def finding(
    loaded: Loaded, code: str, path: Sequence[str | int], message: str, severity: str
) -> Finding:
    """A finding of check ``code`` at ``path`` of the policy (file, line and column)."""
    return Finding(code, loaded.locate(path, message, severity))


def check_ownership(loaded: Loaded) -> list[Finding]:
    """Two agents owning the same path, and an agent owning what its cannot_touch forbids."""
    policy = loaded.policy
    out: list[Finding] = []
    compiled = {
        name: (gitignore_regexes(a.owns), gitignore_regexes(a.cannot_touch))
        for name, a in policy.agents.items()
    }

    def writable(name: str, rel: str) -> str | None:
        owns, forbidden = compiled[name]
        source = deciding_pattern(owns, rel)
        if source is None or deciding_pattern(forbidden, rel) is not None:
            return None
        return source

    names = list(policy.agents)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            reported: set[tuple[str, str]] = set()
            for owner in (first, second):
                for pattern in policy.agents[owner].owns:
                    for rel in witnesses(pattern):
                        a = writable(first, rel)
                        b = writable(second, rel)
                        if a is None or b is None or (a, b) in reported:
                            continue
                        reported.add((a, b))
                        index = policy.agents[second].owns.index(b)
                        out.append(
                            finding(
                                loaded,
                                "overlapping-ownership",
                                ("agents", second, "owns", index),
                                f"{b!r} overlaps {a!r} of agent {first} (both own {rel});"
                                " ownership must be exclusive: narrow one of the patterns or"
                                " add the shared path to one agent's cannot_touch",
                                "error",
                            )
                        )
    for name, agent in policy.agents.items():
        _, forbidden = compiled[name]
        for j, pattern in enumerate(agent.owns):
            rels = witnesses(pattern)
            blocked = [r for r in rels if deciding_pattern(forbidden, r) is not None]
            if rels and len(blocked) == len(rels):
                deciding = deciding_pattern(forbidden, blocked[0])
                out.append(
                    finding(
                        loaded,
                        "owned-and-forbidden",
                        ("agents", name, "owns", j),
                        f"agent {name} owns {pattern!r} but its cannot_touch {deciding!r}"
                        " covers it, and cannot_touch wins: the agent can never edit it;"
                        " remove one of the two",
                        "error",
                    )
                )
            protected = [r for r in rels if protected_name(r)]
            if rels and len(protected) == len(rels):
                out.append(
                    finding(
                        loaded,
                        "self-protection",
                        ("agents", name, "owns", j),
                        f"{pattern!r} is one of agentguard's own files, which no agent may write"
                        " whatever the policy says (self-protection is built in); remove it"
                        " from owns",
                        "warning",
                    )
                )
    return out


def check_agents(loaded: Loaded) -> list[Finding]:
    """Undefined checks, agents without checks, duplicate branches and worktrees."""
    policy = loaded.policy
    out: list[Finding] = []
    integration_owner = policy.integration.owner if policy.integration else None
    branches: dict[str, str] = {}
    worktrees: dict[str, str] = {}
    for name, agent in policy.agents.items():
        for j, check in enumerate(agent.checks):
            if check not in policy.checks:
                defined = ", ".join(sorted(policy.checks)) or "none"
                out.append(
                    finding(
                        loaded,
                        "undefined-check",
                        ("agents", name, "checks", j),
                        f"check {check!r} is not defined under checks: (defined: {defined});"
                        f" add checks.{check}.run or fix the name",
                        "error",
                    )
                )
        if not agent.checks:
            out.append(
                finding(
                    loaded,
                    "no-checks",
                    ("agents", name),
                    f"agent {name} has no checks, so nothing must pass before it stops;"
                    " add its rows of the verification matrix (e.g. checks: [ownership, build])",
                    "warning",
                )
            )
        if not agent.owns and name != integration_owner:
            out.append(
                finding(
                    loaded,
                    "no-owns",
                    ("agents", name),
                    f"agent {name} owns no paths, so every write it makes is another agent's"
                    " or unowned; list its files under owns",
                    "warning",
                )
            )
        if agent.branch:
            if agent.branch in branches:
                out.append(
                    finding(
                        loaded,
                        "duplicate-branch",
                        ("agents", name, "branch"),
                        f"branch {agent.branch!r} is also the branch of agent"
                        f" {branches[agent.branch]};"
                        " one agent = one branch: give each agent its own",
                        "error",
                    )
                )
            else:
                branches[agent.branch] = name
        if agent.worktree:
            key = os.path.normpath(agent.worktree)
            if key in worktrees:
                out.append(
                    finding(
                        loaded,
                        "duplicate-worktree",
                        ("agents", name, "worktree"),
                        f"worktree {agent.worktree!r} is also the worktree of agent"
                        f" {worktrees[key]};"
                        " one agent = one worktree: give each agent its own folder",
                        "error",
                    )
                )
            else:
                worktrees[key] = name
    # A branch glob that also matches another agent's branch makes identity depend on order.
    for name, agent in policy.agents.items():
        if not agent.branch or not (_GLOB_CHARS & set(agent.branch)):
            continue
        for other, spec in policy.agents.items():
            if other != name and spec.branch and fnmatch.fnmatchcase(spec.branch, agent.branch):
                out.append(
                    finding(
                        loaded,
                        "duplicate-branch",
                        ("agents", name, "branch"),
                        f"branch glob {agent.branch!r} also matches the branch of agent {other}"
                        f" {spec.branch!r}, so the branch no longer tells who is calling;"
                        " narrow the glob",
                        "error",
                    )
                )
    return out


def check_integration(loaded: Loaded) -> list[Finding]:
    """An integration branch without an owner, an unknown owner, a branch another agent holds."""
    policy = loaded.policy
    integration = policy.integration
    if integration is None:
        return []
    out: list[Finding] = []
    if not integration.owner:
        out.append(
            finding(
                loaded,
                "integration-owner",
                ("integration",),
                f"integration branch {integration.branch!r} has no owner, so no one is the"
                " single agent allowed to merge into it; set integration.owner",
                "warning",
            )
        )
    elif integration.owner not in policy.agents:
        out.append(
            finding(
                loaded,
                "integration-owner",
                ("integration", "owner"),
                f"owner {integration.owner} is not an agent of this policy; define"
                f" agents.{integration.owner} (branch {integration.branch}) or, for a human,"
                " make sure their sessions set AGENTGUARD_AGENT to that name",
                "warning",
            )
        )
    for name, agent in policy.agents.items():
        if (
            agent.branch
            and name != integration.owner
            and (fnmatch.fnmatchcase(integration.branch, agent.branch))
        ):
            out.append(
                finding(
                    loaded,
                    "integration-owner",
                    ("agents", name, "branch"),
                    f"agent {name} claims the integration branch {integration.branch!r}, which"
                    f" belongs to {integration.owner or 'its owner'}; give the agent its own"
                    " branch",
                    "error",
                )
            )
    return out


def _verb(decision: str) -> str:
    return "denies" if decision == "deny" else "asks for"


def _parent_stricter(policy: Policy, builtin: str | None, texts: Sequence[str]) -> str:
    """`` (the parent's rule 'x' denies it)`` when a top-level rule is stricter, else ``""``."""
    for rule in policy.commands:
        if builtin is not None and rule.builtin == builtin and rule.decision in ("ask", "deny"):
            return (
                f" (the parent's rule {rule.id!r} {_verb(str(rule.decision))} it, and still will)"
            )
        for decision in ("deny", "ask"):
            for text in getattr(rule, decision):
                if text in texts:
                    return f" (the parent's rule {rule.id!r} {_verb(decision)} it, and still will)"
    return ""


def check_subagents(loaded: Loaded) -> list[Finding]:
    """Subagent sections that would widen: allows, and owns outside every agent's lane.

    A subagent never gets more than its parent (its rules only add restrictions), so
    such entries have no effect; they are reported because whoever wrote them expects one.
    """
    policy = loaded.policy
    out: list[Finding] = []
    never = "a subagent never gets more than its parent"
    owns = [gitignore_regexes(a.owns) for a in policy.agents.values()]
    for name, sub in policy.subagents.items():
        for i, rule in enumerate(sub.commands):
            allowed = list(rule.allow)
            if rule.builtin is not None and rule.decision == "allow":
                what = f"built-in class {rule.builtin}"
                parent = _parent_stricter(policy, rule.builtin, [])
            elif allowed:
                what = ", ".join(repr(a) for a in allowed)
                parent = _parent_stricter(policy, None, allowed)
            else:
                continue
            out.append(
                finding(
                    loaded,
                    "subagent-widens",
                    ("subagents", name, "commands", i),
                    f"rule {rule.id!r} allows {what} for {name} subagents, which has no"
                    f" effect{parent}: {never}; remove the allow",
                    "warning",
                )
            )
        for i, cls in enumerate(sub.tools):
            if cls.decision != "allow":
                continue
            stricter = next(
                (
                    c
                    for c in (*policy.tools, *policy.mcp)
                    if c.decision != "allow"
                    and any(glob_covers(g, t) for g in c.tools for t in cls.tools)
                ),
                None,
            )
            parent = (
                f" (the parent's class {stricter.id!r} {_verb(stricter.decision)} it, and still"
                " will)"
                if stricter is not None
                else ""
            )
            out.append(
                finding(
                    loaded,
                    "subagent-widens",
                    ("subagents", name, "tools", i),
                    f"class {cls.id!r} allows {', '.join(cls.tools)} for {name} subagents,"
                    f" which has no effect{parent}: {never}; remove the class",
                    "warning",
                )
            )
        for j, pattern in enumerate(sub.owns or []):
            paths = witnesses(pattern)
            guarded = next((p for p in paths if protected_name(p)), None)
            if guarded is not None:
                message = (
                    f"{pattern!r} reaches {guarded}, which self-protection denies to every"
                    " agent and subagent"
                )
            elif policy.agents and any(
                not any(deciding_pattern(o, p) for o in owns) for p in paths
            ):
                outside = next(p for p in paths if not any(deciding_pattern(o, p) for o in owns))
                message = (
                    f"{pattern!r} reaches {outside}, which no agent owns: {name} subagents"
                    " still write only where their parent may"
                )
            else:
                continue
            out.append(
                finding(
                    loaded,
                    "subagent-widens",
                    ("subagents", name, "owns", j),
                    f"{message} ({never}); narrow the pattern to a parent's lane",
                    "warning",
                )
            )
    return out


def check_unowned(loaded: Loaded, tracked: Iterable[str] | None = None) -> list[Finding]:
    """Tracked files no agent owns (information), when the policy sits at a worktree's top.

    ``tracked`` overrides the file list (tests); by default it comes from ``git ls-files``
    of the worktree whose top folder holds the policy, since owned patterns are relative
    to that folder. Elsewhere (a policy in a sub-folder, no git) the check says nothing.
    """
    policy = loaded.policy
    if not policy.agents:
        return []
    if tracked is None:
        folder = os.path.dirname(os.path.abspath(loaded.files[-1]))
        try:
            top = gitcmd.toplevel(folder)
        except GitError:
            return []
        if os.path.realpath(top) != os.path.realpath(folder):
            return []
        tracked = gitcmd.tracked(top)
    owns = [gitignore_regexes(a.owns) for a in policy.agents.values()]
    unowned = [
        rel
        for rel in sorted(tracked)
        if not protected_name(rel) and not any(deciding_pattern(o, rel) for o in owns)
    ]
    if not unowned:
        return []
    shown = ", ".join(unowned[:_SHOWN])
    more = f" and {len(unowned) - _SHOWN} more" if len(unowned) > _SHOWN else ""
    decision = policy.defaults.unowned_write
    return [
        finding(
            loaded,
            "unowned-paths",
            ("agents",),
            f"{len(unowned)} tracked file(s) are owned by no agent: {shown}{more};"
            f" agents writing there get defaults.unowned_write ({decision}); give them an"
            " owner if agents should edit them",
            "info",
        )
    ]


def check_memory_owned(loaded: Loaded) -> list[Finding]:
    """An agent whose ``owns`` covers a shared memory file (which every agent loads)."""
    out: list[Finding] = []
    for name, agent in loaded.policy.agents.items():
        compiled = gitignore_regexes(agent.owns)
        for j, pattern in enumerate(agent.owns):
            probes = [*MEMORY_NAMES, *(f"x/{n}" for n in MEMORY_NAMES)]
            probes += [w for w in witnesses(pattern) if w.rsplit("/", 1)[-1] in MEMORY_NAMES]
            hit = next((p for p in probes if deciding_pattern(compiled, p) == pattern), None)
            if hit is None:
                continue
            out.append(
                finding(
                    loaded,
                    "owns-memory",
                    ("agents", name, "owns", j),
                    f"agent {name} owns {hit} through {pattern!r}, but every agent loads"
                    " shared memory; leave memory files unowned (writes need approval)"
                    " and review them with agentguard memory lint",
                    "warning",
                )
            )
    return out
