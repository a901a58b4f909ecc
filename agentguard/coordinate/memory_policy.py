"""Memory against the policy: gates that are no check of it, lines it contradicts,
and the waivers it grants. Cold path.

Decisions come from the hook's own code (:class:`Judge`, like ``agentguard test``), so
memory is held to what the hook will really do.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Iterable

from agentguard.coordinate.memory_docs import (
    PATHLIKE,
    Doc,
    MemoryFinding,
    blank_spans,
    shown_path,
    spans,
)
from agentguard.coordinate.memory_repo import RUNNERS, candidates, shell_words
from agentguard.engine.patterns import deciding_pattern
from agentguard.policy.compiler import gitignore_regexes
from agentguard.policy.loader import Loaded
from agentguard.policy.model import PolicyTest

_GATE = re.compile(
    r"\bbefore (you |)(stop|stopping|finish|finishing|commit|committing|push|pushing|hand"
    r"(ing)? off|open(ing)? a (pr|pull request)|you'?re done|declaring)|\bthe (gate|check"
    r"|checks|verification) (is|are)\b|\bmust pass\b|\bgate:|\bdefinition of done\b",
    re.IGNORECASE,
)

_PERMIT = re.compile(
    r"\b(you (may|can)(?! ?not|'t|\u2019t)|feel free to|it'?s (fine|ok|okay) to|(are|is) allowed to"
    r"|go ahead and|no need to ask|without asking|(don'?t|do not|never) need to ask)\b",
    re.IGNORECASE,
)

# Things memory permits in words, each as a call the policy can judge.
_PERMITTED_ACTS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"force[- ]?push|push (-f|--force)", re.I), {"command": "git push --force"}),
    (re.compile(r"push (directly )?to main", re.I), {"command": "git push origin HEAD:main"}),
    (re.compile(r"reset --hard|hard reset", re.I), {"command": "git reset --hard HEAD~1"}),
    (re.compile(r"delete (the |old |stale )?branch", re.I), {"command": "git branch -D old"}),
    (
        re.compile(r"install (new )?(packages|dependencies|deps)|add (a )?dependenc", re.I),
        {"command": "npm install left-pad"},
    ),
    (re.compile(r"\bdeploy", re.I), {"command": "npx wrangler deploy"}),
    (re.compile(r"read (the )?\.env|read secrets", re.I), {"tool": "Read", "path": ".env"}),
    (
        re.compile(r"edit (the )?(lockfile|package-lock)", re.I),
        {"tool": "Edit", "path": "package-lock.json"},
    ),
)

_SKIP = re.compile(
    r"\b(skip|bypass|disable|ignore)\s+(the\s+|all\s+|any\s+)?(failing\s+)?(checks?|tests?"
    r"|hooks?|verification|gate|lint(ing|s)?|ci|pre-commit|agentguard)\b|--no-verify"
    r"|\bno need to (run|test)\b|\b(don'?t|do not) (bother|need to) (run|test)"
    r"|\bwithout (running )?(the )?(tests|checks)\b",
    re.IGNORECASE,
)

_NEGATED = re.compile(r"\b(never|not|don'?t|mustn'?t|no)\b[^.;]*$", re.IGNORECASE)

_EDIT = re.compile(
    r"\b(edit|change|modify|update|rewrite|fix|write to|touch|refactor|add to)\b", re.I
)


class Judge:
    """Decisions of the policy for an agent's call, by the hook's own code (like ``test``)."""

    def __init__(self, loaded: Loaded) -> None:
        from agentguard.commands.policytest import Layout

        self.loaded = loaded
        self._tmp = tempfile.TemporaryDirectory(prefix="agentguard-memory-")
        self.layout = Layout(loaded, os.path.realpath(self._tmp.name))
        self._cache: dict[tuple[str | None, str, str, str], tuple[str, list[str]]] = {}

    def close(self) -> None:
        """Remove the throwaway layout."""
        self._tmp.cleanup()

    def decide(
        self, agent: str | None, *, command: str = "", tool: str = "Bash", path: str = ""
    ) -> tuple[str, list[str]]:
        """(decision, deciding rule ids) for ``agent`` running ``command`` or ``tool`` on
        ``path``; ``none`` when no rule speaks."""
        from agentguard.claude import wire
        from agentguard.commands.explain import explain
        from agentguard.commands.policytest import build_event
        from agentguard.errors import GuardError

        key = (agent, command, tool, path)
        if key in self._cache:
            return self._cache[key]
        test = PolicyTest.model_validate(
            {
                "agent": agent,
                "tool": tool if not command else "Bash",
                "command": command or None,
                "path": path or None,
                "expect": "none",
            }
        )
        try:
            worktree = self.layout.worktree(agent)
            event = build_event(test, worktree)
            evaluation, _ = explain(event, self.layout.env(agent, worktree))
        except (GuardError, ValueError, OSError):
            result: tuple[str, list[str]] = ("none", [])
        else:
            output = wire.pre_tool_use(evaluation.decision, evaluation.explicit, "")
            got = evaluation.decision if output else "none"
            rules = sorted({m.rule for m in evaluation.matches if m.decision == got})
            result = (got, rules)
        self._cache[key] = result
        return result


def _check_runs(loaded: Loaded) -> dict[str, list[list[str]]]:
    return {name: shell_words(c.run) for name, c in loaded.policy.checks.items()}


def check_gates(docs: Iterable[Doc], loaded: Loaded) -> list[MemoryFinding]:
    """Commands presented as the gate that are not a check of the verification matrix."""
    policy = loaded.policy
    used = {c for a in policy.agents.values() for c in a.checks} or set(policy.checks)
    runs = _check_runs(loaded)
    allowed = [w for name in used for w in runs.get(name, [])]
    names = ", ".join(sorted({policy.checks[n].run for n in used if n in policy.checks}))
    out: list[MemoryFinding] = []
    for doc in docs:
        for number, line in doc.prose():
            if not _GATE.search(line):
                continue
            for col, text in spans(line):
                parts = shell_words(text)
                if not parts or not any(p[0] in RUNNERS for p in parts):
                    continue
                if all(p in allowed for p in parts):
                    continue
                out.append(
                    MemoryFinding(
                        "memory-gate",
                        doc.shown,
                        number,
                        col,
                        f"`{text}` is presented as the gate, but it is no check of the"
                        f" policy; its checks run: {names or 'nothing'}",
                        "name the policy's checks (agentguard.yaml checks:), or add this"
                        " one there and to the agents that need it",
                        text=line,
                    )
                )
    return out


def check_policy(docs: Iterable[Doc], loaded: Loaded, judge: Judge) -> list[MemoryFinding]:
    """Lines the policy contradicts: they permit what it denies or asks, send an agent to
    another agent's files, or tell agents to skip the checks."""
    policy = loaded.policy
    agents: list[str | None] = list(policy.agents) or [None]
    out: list[MemoryFinding] = []
    for doc in docs:
        commands: dict[int, list[tuple[int, str]]] = {}
        for number, col, command, _ in candidates(doc):
            commands.setdefault(number, []).append((col, command))
        for number, line in doc.prose():
            out.extend(_permits(doc, number, line, commands.get(number, []), agents, judge))
            out.extend(_others_files(doc, number, line, agents, judge, loaded))
            m = _SKIP.search(line)
            if m and not _NEGATED.search(line[: m.start()]):
                gate = sorted({c for a in policy.agents.values() for c in a.checks})
                out.append(
                    MemoryFinding(
                        "memory-policy",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"tells agents to skip checks ({m.group(0)!r}); the policy's gate"
                        f" requires {', '.join(gate) or 'its checks'} after the last edit",
                        "delete the line; to change the gate, change the policy's checks",
                        text=line,
                    )
                )
        # Commands in shell blocks: a command the policy denies outright.
        for number, col, command, line in candidates(doc):
            if doc.fence[number - 1] is None:
                continue
            for agent in agents:
                decision, rules = judge.decide(agent, command=command)
                if decision == "deny":
                    out.append(
                        _contradiction(
                            doc, number, col, line, f"`{command}`", agent, decision, rules
                        )
                    )
                    break
    return out


def _contradiction(
    doc: Doc,
    number: int,
    col: int,
    line: str,
    what: str,
    agent: str | None,
    decision: str,
    rules: list[str],
    permits: bool = False,
) -> MemoryFinding:
    who = f"agent {agent}" if agent else "an unassigned caller"
    verb = "denies it to" if decision == "deny" else "asks a human first for"
    said = "permits" if permits else "tells agents to run"
    return MemoryFinding(
        "memory-policy",
        doc.shown,
        number,
        col,
        f"{said} {what}, but the policy {verb} {who} ({', '.join(rules) or decision})",
        "delete the line, or say that it needs a human's approval",
        text=line,
    )


def _permits(
    doc: Doc,
    number: int,
    line: str,
    commands: list[tuple[int, str]],
    agents: list[str | None],
    judge: Judge,
) -> list[MemoryFinding]:
    m = _PERMIT.search(line)
    if not m:
        return []
    calls: list[tuple[int, str, dict[str, str]]] = [
        (col, f"`{cmd}`", {"command": cmd}) for col, cmd in commands
    ]
    prose = blank_spans(line)
    for pattern, call in _PERMITTED_ACTS:
        hit = pattern.search(prose)
        if hit:
            calls.append((hit.start() + 1, repr(hit.group(0)), call))
    if _EDIT.search(prose):
        for col, text in spans(line):
            if PATHLIKE.match(text) and not any(c in text for c in "*?["):
                calls.append((col, f"editing {text}", {"tool": "Edit", "path": text}))
    out = []
    for col, what, call in calls:
        for agent in agents:
            decision, rules = judge.decide(
                agent,
                command=call.get("command", ""),
                tool=call.get("tool", "Bash"),
                path=call.get("path", ""),
            )
            if "path" in call and set(rules) <= {"ownership", "cannot-touch", "unowned-write"}:
                continue  # another agent's lane: _others_files says so; unowned: the default
            if decision in ("ask", "deny"):
                out.append(
                    _contradiction(doc, number, col, line, what, agent, decision, rules, True)
                )
                break
    return out


def _others_files(
    doc: Doc,
    number: int,
    line: str,
    agents: list[str | None],
    judge: Judge,
    loaded: Loaded,
) -> list[MemoryFinding]:
    if not _EDIT.search(blank_spans(line)) or agents == [None]:
        return []
    out = []
    for col, text in spans(line):
        if not (PATHLIKE.match(text) and "/" in text) or any(c in text for c in "*?["):
            continue
        denied = []
        for agent in agents:
            if agent is None or re.search(rf"\b{re.escape(agent)}\b", line, re.I):
                continue  # the line speaks to that agent by name
            decision, rules = judge.decide(agent, tool="Edit", path=text)
            if decision == "deny" and {"ownership", "cannot-touch"} & set(rules):
                denied.append(agent)
        if denied:
            owners = [
                n
                for n, a in loaded.policy.agents.items()
                if deciding_pattern(gitignore_regexes(a.owns), text) is not None
            ]
            owner = f"owned by {', '.join(owners)}" if owners else "not theirs"
            out.append(
                MemoryFinding(
                    "memory-policy",
                    doc.shown,
                    number,
                    col,
                    f"tells every agent to edit {text} ({owner}); the policy denies it to"
                    f" {', '.join(denied)}",
                    "name the agent that owns it, or move the rule to that agent's prompt",
                    text=line,
                )
            )
    return out


def apply_waivers(
    findings: list[MemoryFinding], loaded: Loaded, today: datetime.date, root: str
) -> list[MemoryFinding]:
    """Mark findings the policy waives; add a finding for each expired or unused waiver.

    Waivers live in the policy (``memory: waivers:``), which agents cannot edit, so only
    a human accepts a finding; an expired waiver fails the run until it is renewed.
    """
    extra: list[MemoryFinding] = []
    for i, waiver in enumerate(loaded.policy.memory.waivers):
        compiled = gitignore_regexes([waiver.file])
        problem = loaded.locate(("memory", "waivers", i), "")
        where = (shown_path(os.path.abspath(problem.file), root), problem.line, problem.col)
        hits = [
            f
            for f in findings
            if f.code == waiver.rule
            and deciding_pattern(compiled, f.file) is not None
            and (not waiver.match or waiver.match in f.text or waiver.match in f.message)
        ]
        if waiver.until < today:
            extra.append(
                MemoryFinding(
                    "memory-waiver",
                    where[0],
                    where[1],
                    where[2],
                    f"the waiver of {waiver.rule} in {waiver.file} expired on"
                    f" {waiver.until.isoformat()} ({waiver.reason})",
                    "fix the finding and delete the waiver, or renew its date",
                )
            )
            continue
        if not hits:
            extra.append(
                MemoryFinding(
                    "memory-waiver",
                    where[0],
                    where[1],
                    where[2],
                    f"the waiver of {waiver.rule} in {waiver.file} waives nothing",
                    "delete it: the finding it accepted is gone",
                    "warning",
                )
            )
        for f in hits:
            if f.waiver is None:
                f.waiver = f"until {waiver.until.isoformat()}: {waiver.reason}"
    return findings + extra
