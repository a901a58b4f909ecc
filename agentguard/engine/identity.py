"""Who is calling: environment, else branch, else worktree path. Hot path.

``AGENTGUARD_AGENT`` wins because it is set per worktree in
``.claude/settings.local.json``, which self-protection keeps out of the agent's
reach. The branch is read from git's files (no ``git`` process: too slow), and
a linked worktree's ``.git`` file is followed to its real git dir.
"""

from __future__ import annotations

import os

from agentguard.decision import DENY, Match
from agentguard.git.files import Worktree, find_worktree, main_checkout, session_worktree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.policy.compiled_types import CompiledAgent, CompiledPolicy

AGENT_ENV = "AGENTGUARD_AGENT"


class Identity:
    """The established caller: agent name (or None), how it was found, and any conflict."""

    __slots__ = ("agent", "branch", "conflict", "source", "tree", "worktree")

    def __init__(
        self,
        agent: str | None,
        source: str,
        tree: Worktree | None,
        branch: str | None,
        worktree: str,
        conflict: Match | None = None,
    ) -> None:
        self.agent = agent
        self.source = source
        self.tree = tree
        self.branch = branch
        # The folder this agent's paths are judged in.
        self.worktree = worktree
        # Set when the worktree has another agent's branch checked out.
        self.conflict = conflict


def base_dir(policy_files: list[str]) -> str:
    """Where relative agent worktrees are resolved: the repository's main worktree.

    Linked worktrees are siblings of the main one, so ``../repo-agent-search``
    means the same folder from every worktree. A policy outside any repository
    resolves against its own folder.
    """
    last = os.path.dirname(os.path.abspath(policy_files[-1])) if policy_files else os.getcwd()
    tree = find_worktree(last)
    if tree is None:
        return last
    return main_checkout(tree) or tree.top


def agent_worktree(spec: Mapping[str, Any], base: str) -> str | None:
    """The absolute worktree of an agent spec, or None when the policy does not say."""
    worktree = spec.get("worktree")
    if not worktree:
        return None
    path = os.path.expanduser(str(worktree))
    if not os.path.isabs(path):
        path = os.path.join(base, path)
    return os.path.normpath(path)


def _branch_owner(agents: Mapping[str, CompiledAgent], branch: str) -> str | None:
    for name, spec in agents.items():
        regex = spec.get("branch_re")
        if not regex:
            continue
        glob = spec.get("branch") or ""
        if not any(c in glob for c in "*?["):
            # A literal branch: its fnmatch regex is equality, and ``re`` (~5 ms to import
            # under -S) stays out of every call of a project that names branches plainly.
            if branch == glob:
                return str(name)
            continue
        import re

        if re.match(regex, branch):
            return str(name)
    return None


def identify(
    policy: CompiledPolicy,
    cwd: str,
    env: Mapping[str, str],
    policy_files: list[str],
) -> Identity:
    """Establish the caller of an event whose working directory is ``cwd``."""
    agents = policy["agents"]
    tree = session_worktree(cwd, env)
    branch = tree.head() if tree else None
    here = tree.top if tree else (env.get("CLAUDE_PROJECT_DIR") or cwd)
    base = base_dir(policy_files)

    agent: str | None = None
    source = "none"
    named = env.get(AGENT_ENV, "").strip()
    integration = policy.get("integration")
    integrator = integration["owner"] if integration else None
    if named and (named in agents or named == integrator):
        agent, source = named, "env"
    elif branch:
        owner = _branch_owner(agents, branch)
        if owner:
            agent, source = owner, "branch"
        elif integration and branch == integration["branch"] and integrator:
            agent, source = integrator, "branch"
    if agent is None and tree is not None:
        top = os.path.realpath(tree.top)
        for name, spec in agents.items():
            declared = agent_worktree(spec, base)
            if declared and os.path.realpath(declared) == top:
                agent, source = name, "worktree"
                break

    conflict = None
    if agent is not None and branch and source == "env":
        owner = _branch_owner(agents, branch)
        if owner is not None and owner != agent:
            conflict = Match(
                "identity",
                DENY,
                f"This worktree has agent {owner!r}'s branch {branch!r} checked out, but the"
                f" caller is agent {agent!r}; one agent works on one branch.",
                what=f"branch {branch}",
                fix=f"Switch back to agent {agent!r}'s own branch, or ask a human.",
            )

    worktree = here
    if agent is not None and agent in agents:
        declared = agent_worktree(agents[agent], base)
        if declared:
            worktree = declared
    return Identity(agent, source, tree, branch, worktree, conflict)


def other_worktrees(policy: CompiledPolicy, me: Identity, base: str) -> list[str]:
    """Worktrees that are not the caller's: other agents' and the repository's linked ones."""
    mine = os.path.realpath(me.worktree)
    out: list[str] = []
    for spec in policy["agents"].values():
        path = agent_worktree(spec, base)
        if path and os.path.realpath(path) != mine and path not in out:
            out.append(path)
    tree = me.tree
    if tree is not None:
        listing = os.path.join(tree.common_dir, "worktrees")
        try:
            names = os.listdir(listing)
        except OSError:
            names = []
        for name in names:
            try:
                with open(os.path.join(listing, name, "gitdir"), encoding="utf-8") as fh:
                    pointer = fh.read().strip()
            except OSError:
                continue
            path = os.path.dirname(pointer)
            if os.path.realpath(path) != mine and path not in out:
                out.append(path)
        main = main_checkout(tree)
        if main and os.path.realpath(main) != mine and main not in out:
            out.append(main)
    return out
