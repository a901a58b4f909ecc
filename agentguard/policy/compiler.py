"""Compile a validated policy into plain data for the hot path. Cold path.

The compiled form holds only strings, numbers, lists, dicts and regex sources,
so the hook loads it with ``json`` and matches with ``re``: no pydantic, no
PyYAML, no pathspec on every tool call. Gitignore patterns are translated to
regexes by pathspec here, once.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from pathspec import GitIgnoreSpec

from agentguard.engine.patterns import deciding_pattern, fast_form
from agentguard.errors import PolicyError, Problem
from agentguard.policy import programcheck
from agentguard.policy.lists import compile_production, compile_secrets
from agentguard.policy.loader import Loaded, load_files
from agentguard.policy.model import Policy
from agentguard.policy.programs import compile_programs
from agentguard.shell.declared import known
from agentguard.shell.listed import with_lists

if TYPE_CHECKING:
    from agentguard.policy.compiled_types import (
        CompiledAgent,
        CompiledBody,
        CompiledCheck,
        CompiledCommandRule,
        CompiledDefaults,
        CompiledIntegration,
        CompiledLoops,
        CompiledPattern,
        CompiledSubagent,
        CompiledToolClass,
        CompiledWeb,
    )


def gitignore_regexes(patterns: Sequence[str]) -> list[CompiledPattern]:
    """``[[regex, include, pattern, fast], …]`` for gitignore-style patterns (last match wins)."""
    out: list[CompiledPattern] = []
    spec = GitIgnoreSpec.from_lines(list(patterns))
    for source, compiled in zip(patterns, spec.patterns, strict=True):
        regex = getattr(compiled, "regex", None)
        if regex is None or compiled.include is None:
            continue  # blank lines and comments
        out.append((regex.pattern, bool(compiled.include), source, fast_form(source)))
    return out


def check_gitignore(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable gitignore-style pattern, or ``None``."""
    if not pattern.strip():
        return "empty pattern"
    if pattern.startswith("#"):
        return "a pattern starting with '#' is a comment in gitignore syntax; escape it as '\\#'"
    try:
        GitIgnoreSpec.from_lines([pattern])
    except Exception as exc:  # pathspec raises several types for bad patterns
        return f"invalid pattern: {exc}"
    return None


def glob_regex(globs: Sequence[str]) -> str:
    """One regex source matching any of ``globs`` (fnmatch syntax, whole string)."""
    return "|".join(f"(?:{fnmatch.translate(g)})" for g in globs) or "(?!)"


def absolute_regexes(globs: Sequence[str]) -> list[CompiledPattern]:
    """Regexes for absolute gitignore-style globs, matched against a path without its leading /."""
    return gitignore_regexes(["/" + g.lstrip("/") for g in globs])


def command_patterns(patterns: Sequence[str]) -> list[list[str]]:
    """Token lists for command patterns (shell-like word splitting)."""
    return [shlex.split(p) for p in patterns]


def compile_policy(policy: Policy) -> CompiledBody:
    """The compiled, plain-data form of ``policy``."""
    # model_dump gives exactly the model's fields, which the TypedDicts name.
    defaults = cast("CompiledDefaults", policy.defaults.model_dump())
    agents: dict[str, CompiledAgent] = {}
    for name, agent in policy.agents.items():
        agents[name] = {
            "description": agent.description,
            "branch": agent.branch,
            "branch_re": glob_regex([agent.branch]) if agent.branch else None,
            "worktree": agent.worktree,
            "owns": gitignore_regexes(agent.owns),
            "cannot_touch": gitignore_regexes(agent.cannot_touch),
            "checks": list(agent.checks),
        }
    commands = _command_rules(policy.commands)
    _apply_approvals(policy, commands)
    return {
        "defaults": defaults,
        "agents": agents,
        "integration": (
            cast("CompiledIntegration", policy.integration.model_dump())
            if policy.integration
            else None
        ),
        "interfaces": {
            name: {
                "description": spec.description,
                "providers": gitignore_regexes(spec.providers),
                "consumers": gitignore_regexes(spec.consumers),
            }
            for name, spec in policy.interfaces.items()
        },
        "paths": [
            {
                "id": p.id,
                "patterns": gitignore_regexes(path_patterns(p)),
                "read": p.read,
                "write": p.write,
                "send": p.send,
                "justification": p.justification,
            }
            for p in policy.paths
        ],
        "writable_outside": absolute_regexes(policy.writable_outside),
        "commands": commands,
        "mcp": [_tool_class(c) for c in policy.mcp],
        "tools": [_tool_class(c) for c in policy.tools],
        "web": cast("CompiledWeb", policy.web.model_dump()),
        "checks": {
            name: cast("CompiledCheck", c.model_dump()) for name, c in policy.checks.items()
        },
        "loops": cast("CompiledLoops", policy.loops.model_dump()),
        "subagents": {name: _subagent(spec) for name, spec in policy.subagents.items()},
        "programs": compile_programs(policy.programs, known) if policy.programs else {},
        "secrets": compile_secrets(policy.secrets),
        "production": compile_production(policy.production),
    }


def path_patterns(path_class: Any) -> list[str]:
    """A path class's patterns: its own, after its built-in list (so its own can negate)."""
    if path_class.builtin == "credential-stores":
        from agentguard.policy import credentials

        return [*credentials.PATTERNS, *path_class.match]
    return list(path_class.match)


def _command_rules(rules: Sequence[Any]) -> list[CompiledCommandRule]:
    """Command rules in the judge's form: one entry per decision list or built-in class."""
    commands: list[CompiledCommandRule] = []
    for rule in rules:
        if rule.builtin is not None:
            commands.append(
                {
                    "id": rule.id,
                    "justification": rule.justification,
                    "decision": rule.decision,
                    "builtin": rule.builtin,
                    "patterns": [],
                    "send": rule.send,
                }
            )
        for decision in ("allow", "ask", "deny"):
            pats = getattr(rule, decision)
            if pats:
                entry: CompiledCommandRule = {
                    "id": rule.id,
                    "justification": rule.justification,
                    "decision": decision,
                    "builtin": None,
                    "patterns": command_patterns(pats),
                }
                if decision == "allow" and getattr(rule, "require_env", None):
                    entry["require_env"] = list(rule.require_env)
                    entry["otherwise"] = rule.otherwise
                commands.append(entry)
    return commands


def _subagent(spec: Any) -> CompiledSubagent:
    """A subagent section, compiled. Its allows are dropped here: a subagent's rules only
    ever add restrictions to its parent's, so an allow has nothing to add (lint says so)."""
    return {
        "description": spec.description,
        "read_only": spec.read_only,
        "owns": None if spec.owns is None else gitignore_regexes(spec.owns),
        "cannot_touch": gitignore_regexes(spec.cannot_touch),
        "commands": [r for r in _command_rules(spec.commands) if r["decision"] != "allow"],
        "tools": [_tool_class(c) for c in spec.tools],
    }


def _apply_approvals(policy: Policy, commands: list[CompiledCommandRule]) -> None:
    """Each approval: an allow rule of its own, and an ``unless`` on the ask rules it lifts."""
    for approval in policy.approved:
        patterns = command_patterns(approval.commands)
        for entry in commands:
            if entry["id"] in approval.lifts and entry["decision"] == "ask":
                entry.setdefault("unless", []).extend(patterns)
        commands.append(
            {
                "id": approval.id,
                "justification": approval.justification,
                "decision": "allow",
                "builtin": None,
                "patterns": patterns,
            }
        )


def _check_approvals(loaded: Loaded) -> list[Problem]:
    """An approval lifts only ask rules that exist and are not kept manual, and names more
    than a bare program; its examples hold."""
    from agentguard.policy.model import MANUAL_CLASSES

    policy = loaded.policy
    problems: list[Problem] = []
    rules = {rule.id: rule for rule in policy.commands}
    for i, approval in enumerate(policy.approved):
        for j, lifted in enumerate(approval.lifts):
            rule = rules.get(lifted)
            where = ("approved", i, "lifts", j)
            if rule is None:
                problems.append(loaded.locate(where, f"no command rule {lifted!r} to lift"))
            elif rule.builtin in MANUAL_CLASSES:
                problems.append(
                    loaded.locate(
                        where,
                        f"rule {lifted!r} decides {rule.builtin}, which stays manual: a"
                        " human approves each one; remove it from lifts",
                    )
                )
            elif not (rule.ask or (rule.builtin and rule.decision == "ask")):
                problems.append(
                    loaded.locate(
                        where,
                        f"rule {lifted!r} does not ask, so there is nothing to lift (an"
                        " approval never overrides a deny)",
                    )
                )
        for j, pattern in enumerate(approval.commands):
            try:
                tokens = shlex.split(pattern)
            except ValueError as exc:
                problems.append(loaded.locate(("approved", i, "commands", j), str(exc)))
                continue
            if len(tokens) < 2 or tokens[0] in ("*", "**"):
                problems.append(
                    loaded.locate(
                        ("approved", i, "commands", j),
                        f"{pattern!r} is too broad for an approval: name the program and"
                        " at least one argument",
                    )
                )
    if problems or not any(a.match or a.not_match for a in policy.approved):
        return problems
    from agentguard.shell import fires as rule_fires

    compiled = compile_policy(policy)["commands"]
    for i, approval in enumerate(policy.approved):
        own = [r for r in compiled if r["id"] == approval.id]
        lifted_rules = [r for r in compiled if r["id"] in approval.lifts]
        problems += _examples(
            loaded,
            ("approved", i, "match"),
            approval.match,
            partial(_lets_through, rule_fires, own, lifted_rules),
            f"approval {approval.id!r} does not let {{example!r}} through;"
            " fix its commands or the example",
        )
        problems += _examples(
            loaded,
            ("approved", i, "not_match"),
            approval.not_match,
            partial(_fires_not, rule_fires, own),
            f"approval {approval.id!r} also lets {{example!r}} through; narrow it",
        )
    return problems


def _examples(
    loaded: Loaded,
    where: tuple[str, int, str],
    examples: Sequence[str],
    holds: Callable[[str], bool],
    message: str,
) -> list[Problem]:
    """A located problem for each example that does not hold (command rules, approvals);
    ``message`` names the example as ``{example!r}``."""
    return [
        loaded.locate((*where, j), message.format(example=example))
        for j, example in enumerate(examples)
        if not holds(example)
    ]


Fires = Callable[[Sequence[Any], str], bool]


def _fires_not(fires: Fires, rules: Sequence[Any], example: str) -> bool:
    return not fires(rules, example)


def _lets_through(fires: Fires, own: Sequence[Any], lifted: Sequence[Any], example: str) -> bool:
    """An approval's example: its own allow fires and the asks it lifts do not."""
    return fires(own, example) and not fires(lifted, example)


def _tool_class(cls: Any) -> CompiledToolClass:
    return {
        "id": cls.id,
        "tools": list(cls.tools),
        "tools_re": glob_regex(cls.tools),
        "sources_re": glob_regex(cls.sources) if cls.sources else None,
        "arguments": cls.arguments,
        "decision": cls.decision,
        "justification": cls.justification,
    }


def check_examples(loaded: Loaded) -> list[Problem]:
    """Rule examples (``examples``/``not_examples``, ``match``/``not_match``) that do not hold."""
    problems: list[Problem] = []
    policy = loaded.policy
    for i, path_class in enumerate(policy.paths):
        compiled = gitignore_regexes(path_patterns(path_class))
        for j, example in enumerate(path_class.examples):
            if not deciding_pattern(compiled, example) is not None:
                problems.append(
                    loaded.locate(
                        ("paths", i, "examples", j),
                        f"example {example!r} does not match any of {path_class.match};"
                        " fix the pattern or the example",
                    )
                )
        for j, example in enumerate(path_class.not_examples):
            if deciding_pattern(compiled, example) is not None:
                problems.append(
                    loaded.locate(
                        ("paths", i, "not_examples", j),
                        f"counter-example {example!r} matches {path_class.match};"
                        " narrow the pattern or drop the example",
                    )
                )
    for section in ("mcp", "tools"):
        for i, cls in enumerate(getattr(policy, section)):
            regex = re.compile(glob_regex(cls.tools))
            for j, example in enumerate(cls.examples):
                if not regex.match(example):
                    problems.append(
                        loaded.locate(
                            (section, i, "examples", j),
                            f"example {example!r} does not match {cls.tools}",
                        )
                    )
            for j, example in enumerate(cls.not_examples):
                if regex.match(example):
                    problems.append(
                        loaded.locate(
                            (section, i, "not_examples", j),
                            f"counter-example {example!r} matches {cls.tools}",
                        )
                    )
    problems.extend(_check_patterns(loaded))
    problems.extend(_check_command_examples(loaded))
    problems.extend(_check_approvals(loaded))
    problems.extend(programcheck.problems(loaded))
    return problems


def _check_patterns(loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    policy = loaded.policy
    for name, agent in policy.agents.items():
        for field in ("owns", "cannot_touch"):
            for j, pattern in enumerate(getattr(agent, field)):
                why = check_gitignore(pattern)
                if why:
                    problems.append(loaded.locate(("agents", name, field, j), why))
    for name, interface in policy.interfaces.items():
        for field in ("providers", "consumers"):
            for j, pattern in enumerate(getattr(interface, field)):
                why = check_gitignore(pattern)
                if why:
                    problems.append(loaded.locate(("interfaces", name, field, j), why))
    for name, sub in policy.subagents.items():
        for field in ("owns", "cannot_touch"):
            for j, pattern in enumerate(getattr(sub, field) or []):
                why = check_gitignore(pattern)
                if why:
                    problems.append(loaded.locate(("subagents", name, field, j), why))
    for i, path_class in enumerate(policy.paths):
        for j, pattern in enumerate(path_class.match):
            why = check_gitignore(pattern)
            if why:
                problems.append(loaded.locate(("paths", i, "match", j), why))
    for j, pattern in enumerate(policy.writable_outside):
        if not pattern.startswith("/"):
            problems.append(
                loaded.locate(
                    ("writable_outside", j),
                    f"{pattern!r} must be an absolute path glob such as /tmp/**",
                )
            )
    for i, rule in enumerate(policy.commands):
        for field in ("allow", "ask", "deny", "match", "not_match"):
            for j, text in enumerate(getattr(rule, field)):
                try:
                    shlex.split(text)
                except ValueError as exc:
                    problems.append(
                        loaded.locate(("commands", i, field, j), f"cannot split {text!r}: {exc}")
                    )
    return problems


def _check_command_examples(loaded: Loaded) -> list[Problem]:
    """``match``/``not_match`` of command rules, judged by the shell analyser."""
    policy = loaded.policy
    if not any(rule.match or rule.not_match for rule in policy.commands):
        return []
    try:
        from agentguard.shell import fires as rule_fires
    except ImportError:  # the analyser is optional until it lands
        return []
    compiled = compile_policy(policy)
    fires = partial(rule_fires, programs=with_lists(compiled["programs"], compiled))
    problems: list[Problem] = []
    for i, rule in enumerate(policy.commands):
        rules = [r for r in compiled["commands"] if r["id"] == rule.id]
        problems += _examples(
            loaded,
            ("commands", i, "match"),
            rule.match,
            partial(fires, rules),
            f"rule {rule.id!r} does not fire on its example {{example!r}};"
            " fix the rule or the example",
        )
        problems += _examples(
            loaded,
            ("commands", i, "not_match"),
            rule.not_match,
            partial(_fires_not, fires, rules),
            f"rule {rule.id!r} fires on its counter-example {{example!r}}",
        )
    return problems


def build(files: Sequence[str]) -> CompiledBody:
    """Load, check and compile policy files; raise :class:`PolicyError` on any problem."""
    loaded = load_files([os.fspath(f) for f in files])
    problems = check_examples(loaded)
    if problems:
        raise PolicyError(problems)
    return compile_policy(loaded.policy)
