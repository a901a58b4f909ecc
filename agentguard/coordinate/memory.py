"""Shared memory, reviewed like code: what every agent loads, and what in it is wrong. Cold path.

Memory is what Claude Code puts in every session's context before the first prompt:
``CLAUDE.md`` (at the root, in subfolders, in ``.claude/``), ``CLAUDE.local.md``,
``AGENTS.md``, ``.claude/rules/**/*.md``, the files those ``@import`` (Claude Code follows
imports 5 hops deep, never inside code spans or blocks), and the organisation-managed
file (``/etc/claude-code/CLAUDE.md`` on Linux). It grows after every review comment and
never shrinks, so ``memory lint`` checks it against the repository and the policy:
:func:`lint_memory` here runs the checks of :mod:`~agentguard.coordinate.memory_repo`
(commands, paths), :mod:`~agentguard.coordinate.memory_policy` (gates, contradictions,
waivers) and :mod:`~agentguard.coordinate.memory_text` (repeats, budget, heuristics) over
the files :mod:`~agentguard.coordinate.memory_docs` reads.

Facts (errors): a command that does not exist (a package.json script, a make target, a
pyproject script, a program on PATH), a path that does not exist, a gate that is not a
check of the verification matrix, a line the policy contradicts (judged by the hook's
own code), an ``@import`` that does not resolve, a rule repeated across files, and an
agent's memory over the policy's budget. Heuristics (warnings, opt-in): dated narrative,
directory trees, rules that contradict each other.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from typing import Any

from agentguard.coordinate.memory_docs import Memory, MemoryFinding
from agentguard.coordinate.memory_policy import Judge, apply_waivers, check_gates, check_policy
from agentguard.coordinate.memory_repo import Repo, check_commands, check_paths
from agentguard.coordinate.memory_text import (
    check_budget,
    check_conflicts,
    check_dated,
    check_repeated,
    check_trees,
)
from agentguard.policy.loader import Loaded

CODES: dict[str, str] = {
    "memory-command": "a command it tells agents to run does not exist",
    "memory-path": "a path it names does not exist",
    "memory-gate": "a command presented as the gate is not a check of the policy",
    "memory-policy": "a line the policy contradicts (denies, asks, another's files, skips)",
    "memory-import": "an @import that does not resolve, or lies beyond 5 hops",
    "memory-repeated": "the same rule in more than one memory file",
    "memory-budget": "an agent's memory is over the policy's budget",
    "memory-waiver": "a waiver that expired or waives nothing",
    "memory-dated": "dated or 'currently' narrative (heuristic)",
    "memory-tree": "a directory tree that restates the repository (heuristic)",
    "memory-conflict": "two rules in memory that contradict each other (heuristic)",
}


class Result:
    """Everything ``memory lint`` found: findings, waived findings, per-agent usage."""

    def __init__(
        self,
        findings: list[MemoryFinding],
        usage: dict[str, dict[str, Any]],
        files: list[str],
    ) -> None:
        self.findings = sorted(
            (f for f in findings if f.waiver is None), key=MemoryFinding.sort_key
        )
        self.waived = sorted(
            (f for f in findings if f.waiver is not None), key=MemoryFinding.sort_key
        )
        self.usage = usage
        self.files = files


def lint_memory(
    root: str,
    loaded: Loaded,
    env: Mapping[str, str],
    *,
    managed: str | None = None,
    heuristics: bool = False,
    today: datetime.date | None = None,
) -> Result:
    """Lint the memory of the checkout at ``root`` against ``loaded``'s policy."""
    root = os.path.realpath(root)
    home = env.get("HOME") or os.path.expanduser("~")
    memory = Memory(root, home, managed)
    docs = list(memory.docs.values())
    repo = Repo(root, env)
    judge = Judge(loaded)
    try:
        findings = list(memory.findings)
        findings += check_commands(docs, repo)
        branches = [a.branch for a in loaded.policy.agents.values() if a.branch]
        if loaded.policy.integration:
            branches.append(loaded.policy.integration.branch)
        findings += check_paths(docs, repo, branches)
        findings += check_gates(docs, loaded)
        findings += check_policy(docs, loaded, judge)
        findings += check_repeated(docs)
        budget, usage = check_budget(memory, loaded, managed)
        findings += budget
        if heuristics:
            findings += check_dated(docs) + check_trees(docs) + check_conflicts(docs)
    finally:
        judge.close()
    findings = _dedupe(findings)
    findings = apply_waivers(findings, loaded, today or datetime.date.today(), root)
    return Result(findings, usage, [d.shown for d in docs])


def _dedupe(findings: list[MemoryFinding]) -> list[MemoryFinding]:
    seen: set[tuple[str, str, int, int, str]] = set()
    out = []
    for f in findings:
        key = (f.code, f.file, f.line, f.col, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
