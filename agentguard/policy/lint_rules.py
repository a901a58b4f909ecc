"""Lint checks about rules: classes that never decide, patterns, examples, ids, tests. Cold.

Each check takes the loaded policy and returns located findings; :mod:`agentguard.policy.lint`
runs them all.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from agentguard.decision import rank
from agentguard.engine.paths import protected_name
from agentguard.engine.patterns import deciding_pattern
from agentguard.policy.compiler import (
    check_examples,
    compile_policy,
    gitignore_regexes,
    path_patterns,
)
from agentguard.policy.lint_lanes import finding
from agentguard.policy.loader import Loaded
from agentguard.policy.model import Policy
from agentguard.policy.witnesses import glob_covers, witnesses
from agentguard.report import Finding
from agentguard.vocabulary import BUILTIN_RULE_IDS

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import CompiledCommandRule


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
                        finding(
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
                        finding(
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
                    finding(
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
                    finding(
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
    compiled = [gitignore_regexes(path_patterns(p)) for p in policy.paths]
    for i, cls in enumerate(policy.paths):
        rels = [w for pattern in cls.match for w in witnesses(pattern)]
        if not rels:
            continue
        if cls.read == "allow" and cls.write == "allow":
            out.append(
                finding(
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
                        finding(
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
                finding(
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


def _builtin_fires() -> Callable[[CompiledCommandRule, str], bool] | None:
    """A function telling whether a built-in command rule fires on a command line, if available."""
    try:
        from agentguard.shell import analyse, judge
    except ImportError:
        return None

    def fires(rule: CompiledCommandRule, line: str) -> bool:
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
                    finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
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
                finding(
                    loaded,
                    "test-reference",
                    ("tests", i),
                    "a test needs a tool (with path), a command, a url or a whole event",
                    "error",
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


def example_findings(loaded: Loaded) -> list[Finding]:
    """Rule examples that do not hold, and patterns that do not parse (from the compiler)."""
    out = []
    for problem in check_examples(loaded):
        example = any(part in problem.field for part in ("examples", "match[", "not_match["))
        example = example and not problem.field.startswith(("agents", "paths", "writable"))
        example = example or "examples" in problem.field
        code = "examples" if example else "invalid-glob"
        if problem.field.startswith("programs") and not example:
            code = "program-weakens"
        out.append(Finding(code, problem))
    return out


def check_mode(loaded: Loaded) -> list[Finding]:
    """A policy in observe mode enforces nothing: say so, so it is not merged by accident."""
    if loaded.policy.defaults.mode != "observe":
        return []
    return [
        finding(
            loaded,
            "observe-mode",
            ("defaults", "mode"),
            "defaults.mode is observe: every decision is only logged and nothing is enforced;"
            " review `agentguard logs summary`, then set mode: enforce (or remove it)",
            "warning",
        )
    ]
