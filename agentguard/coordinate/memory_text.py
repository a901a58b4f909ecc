"""Memory against itself: rules repeated across files, each agent's budget, and the
opt-in heuristics (dated narrative, directory trees, contradicting rules). Cold path."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from agentguard.coordinate.memory_docs import Doc, Memory, MemoryFinding, blank_spans
from agentguard.engine.identity import agent_worktree, base_dir
from agentguard.policy.loader import Loaded

_DATED = re.compile(
    r"\b(currently|right now|at the moment|as of|for now|recently|these days|nowadays"
    r"|this week|last week|yesterday|temporar(y|ily)|until further notice)\b"
    r"|\b(19|20)\d\d-\d\d(-\d\d)?\b"
    r"|\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?"
    r"|sep(tember)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? (19|20)\d\d\b",
    re.IGNORECASE,
)

_TREE = re.compile(r"[├└│]──|^\s*[|`+\\]--\s")

_POLARITY = re.compile(
    r"\b(always|never|do not|don'?t|must not|mustn'?t|must|should not|shouldn'?t|should"
    r"|avoid|prefer)\s+(.+)",
    re.IGNORECASE,
)

_NEGATIVE = frozenset({"never", "do not", "don't", "dont", "must not", "mustn't", "mustnt"})

_NEGATIVE |= {"should not", "shouldn't", "shouldnt", "avoid"}


def _normal(line: str) -> str:
    text = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line)
    text = re.sub(r"[`*_~>#\[\]()]", "", text).lower()
    text = re.sub(r"\s+", " ", text).strip(" .,;:!")
    return text


def check_repeated(docs: Sequence[Doc]) -> list[MemoryFinding]:
    """The same rule (the same line, modulo markup) in two memory files."""
    first: dict[str, tuple[Doc, int]] = {}
    out: list[MemoryFinding] = []
    for doc in docs:
        for number, line in doc.prose():
            if line.lstrip().startswith("#"):
                continue  # a heading is not a rule
            key = _normal(line)
            if len(key.split()) < 4:
                continue
            if key in first and first[key][0] is not doc:
                other, at = first[key]
                out.append(
                    MemoryFinding(
                        "memory-repeated",
                        doc.shown,
                        number,
                        len(line) - len(line.lstrip()) + 1,
                        f"this rule is also at {other.shown}:{at}; every agent loading both"
                        " reads it twice, and the copies drift apart",
                        f"keep it in one file (delete it here or in {other.shown})",
                        text=line,
                    )
                )
            else:
                first.setdefault(key, (doc, number))
    return out


def check_budget(
    memory: Memory, loaded: Loaded, managed: str | None
) -> tuple[list[MemoryFinding], dict[str, dict[str, Any]]]:
    """Each agent's memory at start (what its worktree loads) against the policy's budget."""
    policy = loaded.policy
    budget = policy.memory.budget
    out: list[MemoryFinding] = []
    usage: dict[str, dict[str, Any]] = {}
    base = base_dir(loaded.files)
    targets: list[tuple[str, str]] = []
    for name, spec in policy.agents.items():
        worktree = agent_worktree(spec.model_dump(), base)
        if not worktree or not os.path.isdir(worktree):
            worktree = memory.root  # not checked out: its branch holds this checkout's memory
        targets.append((name, worktree))
    if not targets:
        targets.append(("(any)", memory.root))
    for name, worktree in targets:
        docs = memory.loaded_at_start(worktree, managed)
        lines = sum(len(d.lines) for d in docs)
        size = sum(d.bytes for d in docs)
        usage[name] = {
            "worktree": worktree,
            "lines": lines,
            "bytes": size,
            "files": [d.shown for d in docs],
        }
        for unit, limit, used in (("lines", budget.lines, lines), ("bytes", budget.bytes, size)):
            if limit is None or used <= limit:
                continue
            doc, number = _crossing(docs, unit, limit)
            out.append(
                MemoryFinding(
                    "memory-budget",
                    doc.shown,
                    number,
                    1,
                    f"agent {name} loads {used} {unit} of memory (budget {limit}); the"
                    " budget is crossed here",
                    "delete rules that no longer match the repo, or move detail into docs"
                    " read on demand",
                    text=doc.lines[number - 1] if doc.lines else "",
                )
            )
    return out, usage


def _crossing(docs: Sequence[Doc], unit: str, limit: int) -> tuple[Doc, int]:
    total = 0
    for doc in docs:
        for i, line in enumerate(doc.lines):
            total += 1 if unit == "lines" else len(line.encode("utf-8")) + 1
            if total > limit:
                return doc, i + 1
    return docs[-1], max(len(docs[-1].lines), 1)


def check_dated(docs: Iterable[Doc]) -> list[MemoryFinding]:
    """Heuristic: narrative that dates ("currently", "as of", a date)."""
    out = []
    for doc in docs:
        for number, line in doc.prose():
            m = _DATED.search(blank_spans(line))
            if m:
                out.append(
                    MemoryFinding(
                        "memory-dated",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"dated narrative ({m.group(0)!r}) is true only when written",
                        "state the rule without the date, or delete it",
                        "warning",
                        text=line,
                    )
                )
    return out


def check_trees(docs: Iterable[Doc]) -> list[MemoryFinding]:
    """Heuristic: a fenced directory tree, which restates the repository and goes stale."""
    out = []
    for doc in docs:
        for start, _, body in doc.blocks:
            rows = sum(1 for _, line in body if _TREE.search(line))
            if rows >= 2:
                out.append(
                    MemoryFinding(
                        "memory-tree",
                        doc.shown,
                        start,
                        1,
                        f"a directory tree ({len(body)} lines) restates the repository and"
                        " goes stale with every move",
                        "delete it: agents list files themselves (git ls-files)",
                        "warning",
                        text=doc.lines[start - 1],
                    )
                )
    return out


def check_conflicts(docs: Sequence[Doc]) -> list[MemoryFinding]:
    """Heuristic: "always X" here, "never X" there (any polarity pair on the same words)."""
    seen: dict[str, tuple[bool, Doc, int, str]] = {}
    out = []
    for doc in docs:
        for number, line in doc.prose():
            m = _POLARITY.search(line)
            if not m:
                continue
            word = m.group(1).lower().replace("\u2019", "'")
            negative = word in _NEGATIVE
            words = re.sub(r"[^\w\s-]", " ", m.group(2).lower()).split()[:6]
            key = " ".join(words)
            if len(words) < 2:
                continue
            if key in seen and seen[key][0] != negative:
                _, other, at, said = seen[key]
                out.append(
                    MemoryFinding(
                        "memory-conflict",
                        doc.shown,
                        number,
                        m.start() + 1,
                        f"{m.group(0).strip()!r} contradicts {said!r} at {other.shown}:{at}",
                        "keep the rule that holds and delete the other",
                        "warning",
                        text=line,
                    )
                )
            else:
                seen.setdefault(key, (negative, doc, number, m.group(0).strip()))
    return out
