"""Interface reviews: two branches meeting at a shared interface (declared in the policy,
or inferred from one branch's file importing another's), and the reviews a human
recorded for their two tips in ``git config --local agentguard.reviewed``. Cold path."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentguard.coordinate.imports import Aliases, imports
from agentguard.coordinate.readiness import Branch
from agentguard.engine.patterns import deciding_pattern
from agentguard.git import command as gitcmd

REVIEW_KEY = "agentguard.reviewed"

INFERRED = "imports"  # the interface name of an undeclared import edge


@dataclass
class Review:
    """Two branches meeting at a shared interface: a human reviews the pair first."""

    interface: str
    declared: bool
    provider: str  # branch
    consumer: str  # branch
    provider_files: list[str]
    consumer_files: list[str]
    edges: list[tuple[str, str]]  # (consumer file, provider file) for an import edge
    reviewed: bool = False
    record: str = ""  # the command a human runs once the pair is reviewed
    tips: tuple[str, str] = ("", "")  # provider's and consumer's commits

    @property
    def why(self) -> str:
        """One sentence: what each side changes, and why that needs a review."""
        if self.declared:
            return (
                f"{self.provider} changes {', '.join(self.provider_files)} (provides"
                f" {self.interface}) and {self.consumer} changes"
                f" {', '.join(self.consumer_files)} (consumes it): each can build alone"
                " and still disagree with the other on its shape"
            )
        pairs = "; ".join(f"{c} imports {p}" for c, p in self.edges)
        return (
            f"no declared interface, but {pairs}: {self.provider} changes the imported file"
            f" and {self.consumer} the importer"
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "interface": self.interface,
            "declared": self.declared,
            "provider": self.provider,
            "consumer": self.consumer,
            "provider_files": self.provider_files,
            "consumer_files": self.consumer_files,
            "imports": [{"file": c, "imports": p} for c, p in self.edges],
            "reviewed": self.reviewed,
            "why": self.why,
            "record_review": self.record,
        }


def show(top: str, ref: str, rel: str) -> str | None:
    """The text of ``rel`` in commit ``ref``, or None when absent or not text."""
    done = gitcmd.run(top, "show", f"{ref}:{rel}", check=False)
    return done.stdout if done.returncode == 0 else None


def recorded_reviews(top: str) -> list[tuple[str, str, str]]:
    """``(interface, tip, tip)`` of each interface review a human recorded in git config."""
    done = gitcmd.run(top, "config", "--local", "--get-all", REVIEW_KEY, check=False)
    out = []
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out


def _hit(patterns: Sequence[Any], rel: str) -> bool:
    return deciding_pattern(patterns, rel) is not None


def declared_reviews(policy: Mapping[str, Any], rows: Sequence[Branch]) -> list[Review]:
    """Pairs of branches where one changes a declared provider and the other a consumer."""
    out = []
    for name, spec in (policy.get("interfaces") or {}).items():
        prov = {b.branch: [f for f in b.changed if _hit(spec["providers"], f)] for b in rows}
        cons = {b.branch: [f for f in b.changed if _hit(spec["consumers"], f)] for b in rows}
        for p in rows:
            for c in rows:
                if p is not c and prov[p.branch] and cons[c.branch]:
                    out.append(
                        Review(name, True, p.branch, c.branch, prov[p.branch], cons[c.branch], [])
                    )
    return out


def inferred_reviews(top: str, policy: Mapping[str, Any], rows: Sequence[Branch]) -> list[Review]:
    """Pairs where a changed file of one branch imports a changed file of another."""
    interfaces = list((policy.get("interfaces") or {}).values())
    changed_by: dict[str, list[str]] = {}
    for b in rows:
        for rel in b.changed:
            changed_by.setdefault(rel, []).append(b.branch)
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for c in rows:
        ref = f"refs/heads/{c.branch}"
        files = gitcmd.tracked_at(top, ref) | set(changed_by)
        aliases = Aliases.read(functools.partial(show, top, ref))
        for rel in c.changed:
            text = show(top, ref, rel)
            if text is None:
                continue
            for target in imports(rel, text, files, aliases):
                covered = any(
                    _hit(i["providers"], target) and _hit(i["consumers"], rel) for i in interfaces
                )
                for p in changed_by.get(target, []):
                    if p != c.branch and not covered:
                        found.setdefault((p, c.branch), []).append((rel, target))
    out = []
    for (provider, consumer), edges in found.items():
        prov = list(dict.fromkeys(t for _, t in edges))
        cons = list(dict.fromkeys(f for f, _ in edges))
        out.append(Review(INFERRED, False, provider, consumer, prov, cons, edges))
    return out


def same_pair(tips: tuple[str, str], given: tuple[str, str]) -> bool:
    """Whether two recorded commit ids are the two tips, in either order (whole ids only:
    a prefix could be met by a commit made to match it)."""
    return all(tips) and sorted(tips) == sorted(given)


def review_command(interface: str, tips: tuple[str, str], width: int = 0) -> str:
    """The ``git config`` line a human runs once the pair is reviewed (split over lines
    with backslashes when ``width`` is set, for an 80-column terminal)."""
    head = f"git config --local --add {REVIEW_KEY}"
    if not width:
        return f'{head} "{interface} {tips[0]} {tips[1]}"'
    return f'{head} "{interface} \\\n  {tips[0]} \\\n  {tips[1]}"'
