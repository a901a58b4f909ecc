"""Semantic checks across a whole policy: what validation alone cannot see. Cold path.

Each check returns :class:`~agentguard.report.Finding` objects (a located problem and the
check's code). ``lint(loaded)`` runs them all; ``agentguard lint`` and anyone else can
call them one by one.

Overlap and shadowing are decided by **witnesses**: concrete paths (or tool names)
built from a pattern by replacing each wildcard with a plain name (``src/**`` gives
``src/x`` and ``src/x/y``, ``dist/`` gives ``dist/x``, ``*.md`` gives ``x.md``) and then
matched against the other pattern list with the same matcher the hook uses. This is
exact when one side is a literal path or a folder prefix of the other (the usual
ownership mistake: ``src/**`` against ``src/content/config.ts``), and it never reports
an overlap that does not exist, because every witness is a real path both sides match.
Its limit: two wildcard patterns that share only instances the witnesses do not
construct (``src/a*`` and ``src/*.ts`` share ``src/a.ts``) are not reported.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from agentguard.decision import rank
from agentguard.engine.paths import protected_name
from agentguard.engine.patterns import deciding_pattern
from agentguard.git import command as gitcmd
from agentguard.policy.compiler import check_examples, compile_policy, gitignore_regexes
from agentguard.policy.loader import Loaded, Problem
from agentguard.policy.model import RESERVED_MARK, Policy
from agentguard.report import Finding
from agentguard.vocabulary import BUILTIN_RULE_IDS

_WILD = re.compile(r"\*\*|\*|\?|\[!?\]?[^\]]*\]")
_GLOB_CHARS = frozenset("*?[")
# How many unowned files an info finding names before it says "and N more".
_SHOWN = 5


# --- pattern helpers -------------------------------------------------------------------------


def witnesses(pattern: str) -> list[str]:
    """Concrete relative paths that ``pattern`` (gitignore style) matches; [] for negations."""
    if not pattern or pattern.startswith(("!", "#")):
        return []
    text = pattern.lstrip("/")
    folder = text.endswith("/")
    text = text.rstrip("/")
    out: list[str] = []
    for deep in ("x", "x/y"):

        def fill(m: re.Match[str], deep: str = deep) -> str:
            token = m.group(0)
            if token == "**":
                return deep
            if token.startswith("["):
                body = token[1:-1]
                if body.startswith("!") or not body:
                    return "x"
                return body[0]
            return "x"

        concrete = _WILD.sub(fill, text).replace("\\", "")
        candidates = [concrete + "/x", concrete + "/x/y"] if folder else [concrete]
        for candidate in candidates:
            if candidate and candidate not in out:
                out.append(candidate)
    return out


def tool_witnesses(glob: str) -> list[str]:
    """Concrete tool names matching the fnmatch ``glob``: wildcards as '', 'x' and 'a_b__c'."""
    out = []
    for fill in ("", "x", "a_b__c"):
        name = re.sub(r"\[!?\]?[^\]]*\]", "x", glob).replace("?", "x").replace("*", fill)
        if fnmatch.fnmatchcase(name, glob) and name not in out:
            out.append(name)
    return out


def glob_covers(outer: str, inner: str) -> bool:
    """Whether every name ``inner`` matches is matched by ``outer`` (fnmatch, heuristic).

    ``outer`` must match ``inner``'s own text (its ``*`` taken literally, so only a ``*`` of
    ``outer`` can absorb it) and every witness of ``inner``.
    """
    if not fnmatch.fnmatchcase(inner, outer):
        return False
    return all(fnmatch.fnmatchcase(w, outer) for w in tool_witnesses(inner))


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
}

# Memory every agent loads (agentguard memory lint): owning one lets one agent rewrite
# every agent's instructions. ``.claude/rules/`` and ``.claude/CLAUDE.md`` are
# self-protected already.
MEMORY_NAMES = ("CLAUDE.md", "CLAUDE.local.md", "AGENTS.md")


# --- the checks ------------------------------------------------------------------------------


def _find(
    loaded: Loaded, code: str, path: Sequence[str | int], message: str, severity: str
) -> Finding:
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
                            _find(
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
                    _find(
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
                    _find(
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
                    _find(
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
                _find(
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
                _find(
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
                    _find(
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
                    _find(
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
                    _find(
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
            _find(
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
            _find(
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
                _find(
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


def check_tool_classes(loaded: Loaded) -> list[Finding]:
    """MCP and tool classes after an earlier class that always wins (first match decides)."""
    policy = loaded.policy
    out: list[Finding] = []
    for section in ("mcp", "tools"):
        classes = getattr(policy, section)
        for i, cls in enumerate(classes):
            shadowed: list[tuple[int, str, str]] = []
            for k, glob in enumerate(cls.tools):
                if section == "mcp" and not glob.startswith("mcp__") and glob[:1] not in "*?[":
                    out.append(
                        _find(
                            loaded,
                            "invalid-glob",
                            (section, i, "tools", k),
                            f"{glob!r} can never match an MCP tool (their names start with"
                            " mcp__SERVER__); write mcp__server__tool or move it to tools:",
                            "warning",
                        )
                    )
                    continue
                if glob.count("[") != glob.count("]"):
                    out.append(
                        _find(
                            loaded,
                            "invalid-glob",
                            (section, i, "tools", k),
                            f"{glob!r} has an unbalanced '[': close the character class or"
                            " escape it as [[]",
                            "error",
                        )
                    )
                    continue
                for earlier in classes[:i]:
                    if earlier.sources:
                        continue  # it decides only for some servers: the later class still fires
                    cover = next((g for g in earlier.tools if glob_covers(g, glob)), None)
                    if cover is not None:
                        shadowed.append((k, earlier.id, cover))
                        break
            if shadowed and len(shadowed) == len(cls.tools):
                _, first_id, cover = shadowed[0]
                out.append(
                    _find(
                        loaded,
                        "shadowed-rule",
                        (section, i),
                        f"class {cls.id!r} can never fire: the earlier class {first_id!r}"
                        f" ({cover!r}) matches every tool it names and the first match decides;"
                        " move it above that class or remove it",
                        "warning",
                    )
                )
                continue
            for k, earlier_id, cover in shadowed:
                out.append(
                    _find(
                        loaded,
                        "shadowed-rule",
                        (section, i, "tools", k),
                        f"{cls.tools[k]!r} is always decided by the earlier class"
                        f" {earlier_id!r} ({cover!r}), since the first match decides; move this"
                        " class above it or drop the glob",
                        "warning",
                    )
                )
    return out


def check_path_classes(loaded: Loaded) -> list[Finding]:
    """Path classes that never decide: a stricter class covers them, or self-protection does."""
    policy = loaded.policy
    out: list[Finding] = []
    compiled = [gitignore_regexes(p.match) for p in policy.paths]
    for i, cls in enumerate(policy.paths):
        rels = [w for pattern in cls.match for w in witnesses(pattern)]
        if not rels:
            continue
        if cls.read == "allow" and cls.write == "allow":
            out.append(
                _find(
                    loaded,
                    "shadowed-rule",
                    ("paths", i),
                    f"path class {cls.id!r} allows both read and write, which is what happens"
                    " without it, so it never changes a decision; set read: or write: to ask"
                    " or deny, or remove it",
                    "warning",
                )
            )
            continue
        for mode in ("read", "write"):
            mine = getattr(cls, mode)
            if mine == "allow":
                continue
            for j, other in enumerate(policy.paths):
                theirs = getattr(other, mode)
                if j == i or rank(theirs) <= rank(mine):
                    continue
                if all(deciding_pattern(compiled[j], r) is not None for r in rels):
                    out.append(
                        _find(
                            loaded,
                            "shadowed-rule",
                            ("paths", i, mode),
                            f"{mode}: {mine} of class {cls.id!r} never decides: class"
                            f" {other.id!r} covers the same paths with {mode}: {theirs}, and the"
                            " strictest decision wins; remove one or narrow the stricter class",
                            "warning",
                        )
                    )
                    break
        if cls.write != "deny" and all(protected_name(r) for r in rels):
            out.append(
                _find(
                    loaded,
                    "self-protection",
                    ("paths", i, "write"),
                    f"write: {cls.write} of class {cls.id!r} never applies: these are agentguard's"
                    " own files and self-protection, built in, always denies writing them;"
                    " no path class is needed for them",
                    "info",
                )
            )
    return out


def _argv_forms(tokens: Sequence[str]) -> list[tuple[list[str], dict[str, str]]]:
    """Concrete command lines a pattern allows: alternatives expanded, ``*`` as a word."""
    assigns: dict[str, str] = {}
    i = 0
    while i < len(tokens) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", tokens[i]):
        name, _, value = tokens[i].partition("=")
        assigns[name] = value.split("|")[0]
        i += 1
    choices = [[("x" if alt == "*" else alt) for alt in t.split("|")] for t in tokens[i:]]
    forms = []
    for combo in itertools.islice(itertools.product(*choices), 32):
        forms.append((list(combo), dict(assigns)))
    return forms


def _pattern_covers(outer: Sequence[str], inner: Sequence[str]) -> bool:
    """Whether every command ``inner`` matches is matched by ``outer`` (token patterns)."""
    try:
        from agentguard.shell.rules import match_argv
    except ImportError:  # the analyser is optional until it lands: plain token prefix
        return len(outer) <= len(inner) and list(inner[: len(outer)]) == list(outer)
    return all(match_argv(outer, argv, assigns) for argv, assigns in _argv_forms(inner))


def _builtin_fires() -> Callable[[dict[str, Any], str], bool] | None:
    """A function telling whether a built-in command rule fires on a command line, if available."""
    try:
        from agentguard.shell import analyse, judge
    except ImportError:
        return None

    def fires(rule: dict[str, Any], line: str) -> bool:
        try:
            analysis = analyse(line, "/", {})
            matches = judge(analysis, [rule])
        except Exception:  # an analyser failure must not break lint; no claim then
            return False
        return bool(analysis.commands) and any(m.rule == rule["id"] for m in matches)

    return fires


def check_command_rules(loaded: Loaded) -> list[Finding]:
    """Allow (or ask) patterns that a stricter pattern or built-in class always overrides."""
    policy = loaded.policy
    out: list[Finding] = []
    stricter: list[tuple[str, str, list[str], str]] = []  # (decision, rule id, tokens, text)
    for rule in policy.commands:
        for decision in ("ask", "deny"):
            for text in getattr(rule, decision):
                try:
                    stricter.append((decision, rule.id, shlex.split(text), text))
                except ValueError:
                    continue
    compiled = compile_policy(policy)["commands"]
    builtins = [r for r in compiled if r["builtin"] and r["decision"] != "allow"]
    fires = _builtin_fires() if builtins else None
    for i, rule in enumerate(policy.commands):
        for decision in ("allow", "ask"):
            for j, text in enumerate(getattr(rule, decision)):
                try:
                    tokens = shlex.split(text)
                except ValueError:
                    continue
                hit = next(
                    (
                        (d, rid, t)
                        for d, rid, toks, t in stricter
                        if rank(d) > rank(decision) and _pattern_covers(toks, tokens)
                    ),
                    None,
                )
                if hit is None and fires is not None and "|" not in text and "*" not in text:
                    hit = next(
                        (
                            (b["decision"], b["id"], f"builtin {b['builtin']}")
                            for b in builtins
                            if rank(b["decision"]) > rank(decision) and fires(b, text)
                        ),
                        None,
                    )
                if hit is None:
                    continue
                d, rid, what = hit
                out.append(
                    _find(
                        loaded,
                        "shadowed-rule",
                        ("commands", i, decision, j),
                        f"{decision} pattern {text!r} can never decide: rule {rid!r} ({what!r})"
                        f" matches every command it matches with {d}, and the strictest decision"
                        " wins; remove the pattern or narrow the stricter rule",
                        "warning",
                    )
                )
    for j, domain in enumerate(policy.web.allow_domains):
        if domain.lower().lstrip("*.") in {d.lower().lstrip("*.") for d in policy.web.deny_domains}:
            out.append(
                _find(
                    loaded,
                    "shadowed-rule",
                    ("web", "allow_domains", j),
                    f"{domain!r} is also in web.deny_domains, which wins; remove it from one list",
                    "warning",
                )
            )
    return out


def check_privilege_allow(loaded: Loaded) -> list[Finding]:
    """Command rules that would allow ``privilege``: a command run through ``sudo``,
    ``doas``, ``su`` … is never explicitly allowed, so such an allow only leaves the
    decision to Claude Code, which is not what its author meant."""
    from agentguard.shell.classify import privilege_programs

    out: list[Finding] = []
    fix = "a command run as another user is never allowed explicitly; use ask or deny"
    for i, rule in enumerate(loaded.policy.commands):
        if rule.builtin == "privilege" and rule.decision == "allow":
            out.append(
                _find(
                    loaded,
                    "privilege-allow",
                    ("commands", i, "decision"),
                    f"rule {rule.id!r} allows the built-in class privilege: {fix}",
                    "warning",
                )
            )
        for j, text in enumerate(rule.allow):
            try:
                tokens = shlex.split(text)
            except ValueError:
                continue
            words = [t for t in tokens if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t)]
            program = words[0] if words else ""
            names = {alt.rsplit("/", 1)[-1] for alt in program.split("|")}
            wrappers = sorted(names & privilege_programs())
            if not wrappers:
                continue
            out.append(
                _find(
                    loaded,
                    "privilege-allow",
                    ("commands", i, "allow", j),
                    f"allow pattern {text!r} names {', '.join(wrappers)}: {fix}",
                    "warning",
                )
            )
    return out


def check_globs(loaded: Loaded) -> list[Finding]:
    """Ownership and path patterns that parse but can never match a path in the worktree."""
    policy = loaded.policy
    out: list[Finding] = []
    fields: list[tuple[tuple[str | int, ...], str]] = []
    for name, agent in policy.agents.items():
        for field in ("owns", "cannot_touch"):
            for j, pattern in enumerate(getattr(agent, field)):
                fields.append((("agents", name, field, j), pattern))
    for i, cls in enumerate(policy.paths):
        for j, pattern in enumerate(cls.match):
            fields.append((("paths", i, "match", j), pattern))
    for where, pattern in fields:
        bare = pattern.lstrip("!")
        if bare.startswith("./"):
            fix = f"write {bare[2:]!r}"
            out.append(
                _find(
                    loaded,
                    "invalid-glob",
                    where,
                    f"{pattern!r} never matches: patterns are relative to the worktree and"
                    f" a leading ./ is taken literally; {fix}",
                    "error",
                )
            )
        elif bare.startswith("../") or "/../" in bare:
            out.append(
                _find(
                    loaded,
                    "invalid-glob",
                    where,
                    f"{pattern!r} never matches: patterns are relative to the worktree and"
                    " cannot leave it; for paths outside, use writable_outside",
                    "error",
                )
            )
        elif "\\" in bare and not re.search(r"\\[*?\[\]!# ]", bare):
            out.append(
                _find(
                    loaded,
                    "invalid-glob",
                    where,
                    f"{pattern!r} uses '\\' as a folder separator; paths use '/': write"
                    f" {bare.replace(chr(92), '/')!r}",
                    "error",
                )
            )
    return out


def check_duplicate_ids(loaded: Loaded) -> list[Finding]:
    """The same rule id twice in one list of one file (layering would silently keep the last)."""
    out: list[Finding] = []
    for marked in loaded.marked:
        for section in ("paths", "commands", "mcp", "tools"):
            items = marked.data.get(section)
            if not isinstance(items, list):
                continue
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str):
                    continue
                if ident in seen:
                    line, _ = marked.where((section, seen[ident]))
                    out.append(
                        Finding(
                            "duplicate-id",
                            marked.problem(
                                (section, i, "id"),
                                f"rule id {ident!r} is already used by {section}[{seen[ident]}]"
                                f" (line {line}); the later one replaces it when layering,"
                                " so give each rule its own id",
                                "error",
                            ),
                        )
                    )
                else:
                    seen[ident] = i
    return out


def check_tests(loaded: Loaded) -> list[Finding]:
    """Policy tests naming an agent or a rule the policy does not define."""
    policy = loaded.policy
    out: list[Finding] = []
    ids = _rule_ids(policy)
    owner = policy.integration.owner if policy.integration else None
    for i, test in enumerate(policy.tests):
        if test.agent is not None and test.agent not in policy.agents and test.agent != owner:
            out.append(
                _find(
                    loaded,
                    "test-reference",
                    ("tests", i, "agent"),
                    f"agent {test.agent} is not defined under agents:; fix the name"
                    f" (agents: {', '.join(policy.agents) or 'none'})",
                    "error",
                )
            )
        if test.rule is not None and test.rule not in ids:
            out.append(
                _find(
                    loaded,
                    "test-reference",
                    ("tests", i, "rule"),
                    f"rule {test.rule!r} is neither a rule id of this policy nor one of"
                    " agentguard's own; fix the name",
                    "error",
                )
            )
        if not (test.event or test.tool or test.command or test.url):
            out.append(
                _find(
                    loaded,
                    "test-reference",
                    ("tests", i),
                    "a test needs a tool (with path), a command, a url or a whole event",
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
                _find(
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
                _find(
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
                _find(
                    loaded,
                    "subagent-widens",
                    ("subagents", name, "owns", j),
                    f"{message} ({never}); narrow the pattern to a parent's lane",
                    "warning",
                )
            )
    return out


def _rule_ids(policy: Policy) -> set[str]:
    ids = set(BUILTIN_RULE_IDS)
    for section in (policy.paths, policy.commands, policy.approved, policy.mcp, policy.tools):
        ids.update(item.id for item in section)
    for sub in policy.subagents.values():
        ids.update(rule.id for rule in sub.commands)
        ids.update(cls.id for cls in sub.tools)
    return ids


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
        except gitcmd.GitError:
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
        _find(
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
                _find(
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


def example_findings(loaded: Loaded) -> list[Finding]:
    """Rule examples that do not hold, and patterns that do not parse (from the compiler)."""
    out = []
    for problem in check_examples(loaded):
        example = any(part in problem.field for part in ("examples", "match[", "not_match["))
        example = example and not problem.field.startswith(("agents", "paths", "writable"))
        example = example or "examples" in problem.field
        out.append(Finding("examples" if example else "invalid-glob", problem))
    return out


def check_mode(loaded: Loaded) -> list[Finding]:
    """A policy in observe mode enforces nothing: say so, so it is not merged by accident."""
    if loaded.policy.defaults.mode != "observe":
        return []
    return [
        _find(
            loaded,
            "observe-mode",
            ("defaults", "mode"),
            "defaults.mode is observe: every decision is only logged and nothing is enforced;"
            " review `agentguard logs summary`, then set mode: enforce (or remove it)",
            "warning",
        )
    ]


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
