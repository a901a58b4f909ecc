"""Recurring human approvals as reviewed policy: ``logs suggest`` and ``approve``. Cold path.

The article's fix for permission drift is "move recurring approvals into reviewed
settings". The log knows which asks a human approved: the PostToolUse that took the ask's
marker (same ``tool_use_id``) carries ``answer: approved, decided_by: human``. This module
groups those approvals by the rules that asked and by command, proposes the smallest token
pattern that covers each group, and writes it as an ``approved:`` entry (the asks it lifts,
a justification naming the evidence, ``match``/``not_match`` examples from the log) with
a policy test per example. Every proposal is checked before it is shown: the policy with
it must load, lint and pass its tests, and each example must then be allowed by it.
Classes the article keeps manual (secrets, deploys, history rewrites, the guard's own
files, privilege) are never proposed; asks no command rule made (a path class, a default,
an opaque or unresolved line) are reported, not turned into rules.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from agentguard.errors import WriteError
from agentguard.policy.model import MANUAL_CLASSES, Policy

Record = dict[str, Any]
_JUDGED = ("PreToolUse", "PreSkillShellCommand")


@dataclass
class Approved:
    """One ask a human approved: the command, the rules that asked, when and where."""

    command: str
    rules: list[str]
    agent: str
    session: str
    ts: str
    line: int


@dataclass
class Suggestion:
    """A proposed approval, the evidence behind it, and whether it passed its checks."""

    id: str
    pattern: str
    lifts: list[str]
    approvals: list[Approved]
    examples: list[str]
    counter: list[str] = field(default_factory=list)
    problem: str = ""

    def evidence(self) -> str:
        """How many approvals, in how many sessions, by whose agents, since when."""
        sessions = {a.session for a in self.approvals}
        agents = sorted({a.agent for a in self.approvals})
        first = min(a.ts for a in self.approvals)
        n, m = len(self.approvals), len(sessions)
        return (
            f"{n} human approval{'s' if n != 1 else ''} in {m} session{'s' if m != 1 else ''}"
            f" of {', '.join(agents)} since {first[:10]}"
        )

    def entry(self) -> dict[str, Any]:
        """The ``approved:`` entry."""
        return {
            "id": self.id,
            "justification": f"Asked by {', '.join(self.lifts)} and approved by a human"
            f" {len(self.approvals)} time{'s' if len(self.approvals) != 1 else ''};"
            " reviewed into the policy.",
            "commands": [self.pattern],
            "lifts": self.lifts,
            "evidence": self.evidence(),
            "match": self.examples,
            **({"not_match": self.counter} if self.counter else {}),
        }

    def tests(self) -> list[dict[str, Any]]:
        """One policy test per example: the approval lets it through."""
        agent = self.approvals[0].agent if self.approvals[0].agent != "(unassigned)" else None
        return [
            {
                "name": f"approved: {example}",
                **({"agent": agent} if agent else {}),
                "tool": "Bash",
                "command": example,
                "expect": "allow",
                "rule": self.id,
            }
            for example in self.examples
        ]


def approved_asks(records: Iterable[Record]) -> tuple[list[Approved], list[Record]]:
    """Asks a human approved (by the answer on the post event with the same call id), and
    the ask records they came from, in log order."""
    asks: dict[tuple[str, str], tuple[int, Record]] = {}
    out: list[Approved] = []
    for n, record in enumerate(records, 1):
        key = (str(record.get("session") or ""), str(record.get("tool_use_id") or ""))
        if not key[1]:
            continue
        if record.get("event") in _JUDGED and record.get("output") == "ask":
            asks[key] = (n, record)
        elif (
            record.get("answer") == "approved"
            and record.get("decided_by") == "human"
            and key in asks
        ):
            line, ask = asks.pop(key)
            command = str((ask.get("input") or {}).get("command") or "")
            if ask.get("tool") != "Bash" or not command:
                continue
            rules = sorted(
                {
                    str(m.get("rule"))
                    for m in ask.get("matches") or []
                    if isinstance(m, dict) and m.get("decision") == "ask"
                }
            )
            out.append(
                Approved(
                    command,
                    rules,
                    str(ask.get("agent") or "(unassigned)"),
                    key[0],
                    str(ask.get("ts") or ""),
                    line,
                )
            )
    return out, [ask for _, ask in asks.values()]


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def smallest_pattern(commands: Sequence[str]) -> str | None:
    """The longest run of leading non-flag words every command shares (two at least), or
    the program with the alternatives of its next word; None when nothing that narrow covers
    them all."""
    lists = [[w for w in _words(c) if not w.startswith("-")] for c in commands]
    if not lists or not all(lists):
        return None
    common: list[str] = []
    for column in zip(*lists, strict=False):  # stops at the shortest, on purpose
        if len(set(column)) != 1:
            break
        common.append(column[0])
    if len(common) >= 2:
        return shlex.join(common)
    if len(common) == 1 and all(len(words) >= 2 for words in lists):
        second = sorted({words[1] for words in lists})
        if len(second) <= 4 and all(re.fullmatch(r"[\w.:@/+=-]+", s) for s in second):
            return f"{shlex.quote(common[0])} {'|'.join(second)}"
    return None


def _id(pattern: str, taken: set[str]) -> str:
    base = "approved-" + re.sub(r"[^a-z0-9]+", "-", pattern.lower()).strip("-")[:40].strip("-")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def propose(
    approved: Sequence[Approved], policy: Policy, minimum: int = 3
) -> tuple[list[Suggestion], list[str]]:
    """Suggestions for groups of at least ``minimum`` approvals, and notes on the rest."""
    rules = {rule.id: rule for rule in policy.commands}
    notes: list[str] = []
    groups: dict[tuple[tuple[str, ...], str], list[Approved]] = {}
    for item in approved:
        manual = [r for r in item.rules if r in rules and rules[r].builtin in MANUAL_CLASSES]
        foreign = [r for r in item.rules if r not in rules]
        if manual:
            notes.append(
                f"kept manual: `{item.command}` ({', '.join(manual)}: the article keeps"
                " these for a human every time)"
            )
            continue
        if foreign or not item.rules:
            notes.append(
                f"not a command rule: `{item.command}` was asked by"
                f" {', '.join(foreign) or 'no rule'} (a path class, a default, an opaque or"
                " unresolved line); review that part of the policy by hand"
            )
            continue
        program = (_words(item.command) or [""])[0]
        groups.setdefault((tuple(item.rules), program), []).append(item)
    out: list[Suggestion] = []
    taken = {rule.id for rule in policy.commands} | {a.id for a in policy.approved}
    for (lifts, _), items in sorted(groups.items()):
        if len(items) < minimum:
            notes.append(
                f"{len(items)} approvals of `{items[0].command}` and the like: fewer than"
                f" {minimum}, not proposed yet"
            )
            continue
        commands = sorted({i.command for i in items})
        pattern = smallest_pattern(commands)
        if pattern is None:
            notes.append(
                f"no pattern narrower than the bare program covers {len(commands)} approved"
                f" commands of `{_words(commands[0])[0]}`; not proposed"
            )
            continue
        out.append(Suggestion(_id(pattern, taken), pattern, list(lifts), items, commands[:5]))
    return out, notes


def patch(suggestions: Sequence[Suggestion]) -> str:
    """The YAML to add to the policy: the ``approved:`` entries and their tests."""
    ok = [s for s in suggestions if not s.problem]
    document = {
        "approved": [s.entry() for s in ok],
        "tests": [t for s in ok for t in s.tests()],
    }
    return yaml.safe_dump(document, sort_keys=False, width=88, allow_unicode=True)


def trial(files: Sequence[str], tests: Iterable[str]) -> str:
    """Why the policy in ``files`` is not fit to commit ('' when it is): it must load, lint
    without errors and pass the tests named in ``tests``."""
    from agentguard.commands.policytest import run_tests
    from agentguard.errors import PolicyError
    from agentguard.policy import lint as lint_module
    from agentguard.policy.compiler import check_examples
    from agentguard.policy.loader import load_files

    try:
        loaded = load_files(list(files))
        problems = check_examples(loaded)
    except PolicyError as exc:
        problems = list(exc.problems)
    if problems:
        return f"the policy would not load: {problems[0]}"
    errors = [f for f in lint_module.lint(loaded) if f.severity == "error"]
    if errors:
        return f"lint: {errors[0].text()}"
    mine = set(tests)
    failed = [o for o in run_tests(loaded) if o.name in mine and not o.ok]
    if failed:
        return f"its test fails: {failed[0].name}: {failed[0].message}"
    return ""


def check(files: Sequence[str], suggestions: Sequence[Suggestion]) -> None:
    """Try each suggestion on the policy: it must load, lint clean and pass its tests;
    a suggestion that fails gets its ``problem`` set (and is left out of the patch)."""
    for suggestion in suggestions:
        with tempfile.TemporaryDirectory(prefix="agentguard-suggest-") as tmp:
            extra = os.path.join(tmp, "zz-suggested.yaml")
            with open(extra, "w", encoding="utf-8") as fh:
                fh.write(patch([suggestion]))
            names = [t["name"] for t in suggestion.tests()]
            suggestion.problem = trial([*files, extra], names)


def _item_lines(items: Sequence[dict[str, Any]], indent: str) -> list[str]:
    return [
        f"{indent}- "
        + yaml.safe_dump(
            item, default_flow_style=True, width=100_000, allow_unicode=True, sort_keys=False
        ).strip()
        + "\n"
        for item in items
    ]


def insert_items(text: str, section: str, items: Sequence[dict[str, Any]]) -> str:
    """``text`` (a policy file) with ``items`` appended to its top-level list ``section``.

    Edits the text, so comments and layout stay as the human wrote them. A section
    written in flow style (``tests: [...]``) other than an empty one cannot be extended
    safely: WriteError.
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    key = re.compile(rf"^{re.escape(section)}\s*:\s*(?P<rest>.*?)\s*(#.*)?$")
    start = next((n for n, line in enumerate(lines) if key.match(line.rstrip("\n"))), None)
    if start is None:
        tail = [] if not lines or lines[-1].strip() == "" else ["\n"]
        return "".join([*lines, *tail, f"{section}:\n", *_item_lines(items, "  ")])
    rest = key.match(lines[start].rstrip("\n")).group("rest")  # type: ignore[union-attr]
    if rest in ("[]", "null", "~"):
        lines[start] = f"{section}:\n"
        return "".join([*lines[: start + 1], *_item_lines(items, "  "), *lines[start + 1 :]])
    if rest:
        raise WriteError(f"{section}: is written in flow style; add the entries by hand")
    indent = "  "
    end = start + 1
    last = start
    for n in range(start + 1, len(lines)):
        line = lines[n]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line) - len(line.lstrip(" "))
        if width == 0 and not stripped.startswith("- "):
            break
        if stripped.startswith("- ") and last == start:
            indent = line[:width]
        last = n
    end = last + 1
    return "".join([*lines[:end], *_item_lines(items, indent), *lines[end:]])


def write_approval(path: str, suggestion: Suggestion, files: Sequence[str]) -> None:
    """Add ``suggestion`` and its tests to the policy file ``path``, only if the result
    loads, lints clean and passes the new tests; otherwise leave the file as it was."""
    with open(path, encoding="utf-8") as fh:
        before = fh.read()
    after = insert_items(before, "approved", [suggestion.entry()])
    after = insert_items(after, "tests", suggestion.tests())
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".agentguard-approve-", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(after)
        candidate = [tmp if os.path.abspath(f) == os.path.abspath(path) else f for f in files]
        problem = trial(candidate, [t["name"] for t in suggestion.tests()])
        if problem:
            raise WriteError(problem)
        os.chmod(tmp, os.stat(path).st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
