"""Semantic checks across a whole policy: what validation alone cannot see. Cold path.

Each check returns :class:`~agentguard.report.Finding` objects (a located problem and the
check's code). ``lint(loaded)`` runs them all; ``agentguard lint`` and anyone else can
call them one by one. The checks live in :mod:`agentguard.policy.lint_lanes` (agents and
their lanes) and :mod:`agentguard.policy.lint_rules` (rules, classes, patterns); both
compare patterns through :mod:`agentguard.policy.witnesses`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from agentguard.errors import Problem
from agentguard.policy import lists, programcheck
from agentguard.policy.fields import RESERVED_MARK
from agentguard.policy.lint_lanes import (
    check_agents,
    check_integration,
    check_memory_owned,
    check_ownership,
    check_subagents,
    check_unowned,
)
from agentguard.policy.lint_rules import (
    check_command_rules,
    check_duplicate_ids,
    check_globs,
    check_mode,
    check_path_classes,
    check_privilege_allow,
    check_tests,
    check_tool_classes,
    example_findings,
)
from agentguard.policy.loader import Loaded
from agentguard.report import Finding

# Every check code lint reports, with what it means. tests/test_lint.py requires a golden
# case for each, and fails on a code emitted but not listed here.
CODES: dict[str, str] = {
    "yaml": "the file does not parse as YAML",
    "schema": "a field is unknown, missing or has the wrong type or value",
    "reserved-id": "a rule takes an id agentguard reports for its own judgements (opaque, web …)",
    "examples": "a rule's match/not_match or examples/not_examples do not hold",
    "overlapping-ownership": "two agents own the same path",
    "owned-and-forbidden": "an agent owns a path it may not touch",
    "undefined-check": "an agent names a check the policy does not define",
    "no-checks": "an agent has no checks",
    "no-owns": "an agent owns nothing",
    "duplicate-branch": "two agents share a branch (or a glob covers another's branch)",
    "duplicate-worktree": "two agents share a worktree",
    "shadowed-rule": "a rule can never fire: an earlier or stricter one always wins",
    "invalid-glob": "a pattern is not a valid gitignore-style glob",
    "integration-owner": "the integration branch has no owner, or an unknown one",
    "self-protection": "the policy speaks about paths self-protection always guards",
    "unowned-paths": "tracked files no agent owns",
    "duplicate-id": "two rules share an id",
    "test-reference": "a policy test names an unknown agent or rule",
    "owns-memory": "an agent owns a shared memory file (CLAUDE.md, AGENTS.md …)",
    "subagent-widens": "a subagent section tries to give a subagent more than its parent",
    "privilege-allow": "a rule allows commands run as another user, which is never granted",
    "program-weakens": "a programs declaration would weaken built-in knowledge or never apply",
    "program-adds-nothing": "a programs declaration for a known program adds nothing to it",
    "list-adds-nothing": "a secrets/production entry a built-in name or an earlier entry covers",
}

CHECKS: tuple[Callable[[Loaded], list[Finding]], ...] = (
    example_findings,
    check_mode,
    check_ownership,
    check_agents,
    check_integration,
    check_tool_classes,
    check_path_classes,
    check_command_rules,
    check_privilege_allow,
    check_globs,
    check_duplicate_ids,
    check_tests,
    check_subagents,
    check_unowned,
    check_memory_owned,
    programcheck.findings,
    lists.findings,
)


def lint(loaded: Loaded) -> list[Finding]:
    """Every finding of every check, ordered by file and position."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for check in CHECKS:
        for finding in check(loaded):
            key = finding.text()
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return sorted(findings, key=Finding.sort_key)


def problems_as_findings(problems: Iterable[Problem], code: str = "schema") -> list[Finding]:
    """Loader problems (YAML, schema) as findings; a YAML syntax error gets the code ``yaml``."""
    out = []
    for problem in problems:
        kind = "yaml" if problem.message.startswith("YAML does not parse") else code
        if kind == "schema" and RESERVED_MARK in problem.message:
            kind = "reserved-id"
        out.append(Finding(kind, problem))
    return sorted(out, key=Finding.sort_key)
