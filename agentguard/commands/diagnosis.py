"""What `agentguard doctor` finds, and how it is shown: one Check per finding, grouped
by worktree, as text (wrapped to 80 columns) or JSON.

Cold path.
"""

from __future__ import annotations

import os
import textwrap
from typing import Any, TextIO

from agentguard.claude import settings_check
from agentguard.claude.settings_check import Version

WIDTH = 80


STATUSES = ("ok", "info", "warn", "error")


class Check:
    """One line of the report: status, area, what was found, and what to do."""

    __slots__ = ("area", "fix", "message", "status")

    def __init__(self, status: str, area: str, message: str, fix: str = "") -> None:
        self.status = status
        self.area = area
        self.message = message
        self.fix = fix

    def as_dict(self) -> dict[str, str]:
        """Plain form for JSON output."""
        return {"status": self.status, "area": self.area, "message": self.message, "fix": self.fix}


class Worktree:
    """One worktree's checks."""

    __slots__ = ("branch", "checks", "path")

    def __init__(self, path: str, branch: str | None) -> None:
        self.path = path
        self.branch = branch
        self.checks: list[Check] = []

    def add(self, status: str, area: str, message: str, fix: str = "") -> None:
        """Record one check."""
        self.checks.append(Check(status, area, message, fix))

    @property
    def holds(self) -> bool:
        """Whether the guard holds here: no check failed."""
        return not any(c.status == "error" for c in self.checks)


class Claude:
    """The Claude Code binary judged against, and its version (None: unknown)."""

    __slots__ = ("binary", "version")

    def __init__(self, binary: str | None, version: Version | None) -> None:
        self.binary = binary
        self.version = version


class CannotRun(Exception):
    """doctor cannot do its job (exit status 2); the message says why and what to do."""


def as_json(claude: Claude, trees: list[Worktree]) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "claude": {
            "binary": claude.binary,
            "version": None if claude.version is None else settings_check.shown(claude.version),
            "honours_on_failure": settings_check.honours_on_failure(claude.version),
        },
        "holds": all(tree.holds for tree in trees),
        "worktrees": [
            {
                "path": tree.path,
                "branch": tree.branch,
                "holds": tree.holds,
                "checks": [check.as_dict() for check in tree.checks],
            }
            for tree in trees
        ],
    }


def render_text(claude: Claude, trees: list[Worktree], out: TextIO) -> None:
    """The report for people: 80 columns, each problem followed by what to do."""
    if claude.binary is None:
        head = "Claude Code: not on PATH; judged against every known version (--claude BIN)"
    else:
        version = settings_check.shown(claude.version) if claude.version else "unknown version"
        honours = settings_check.honours_on_failure(claude.version)
        note = {True: "honours onFailure", False: "ignores onFailure", None: ""}[honours]
        head = f"Claude Code {version} ({claude.binary})" + (f": {note}" if note else "")
    wrap(out, head, "", "  ")
    for tree in trees:
        print("", file=out)
        wrap(out, f"{tree.path} ({tree.branch or 'no branch'})", "", "  ")
        for check in tree.checks:
            first = f"  {check.status:<5} {check.area:<9} "
            wrap(out, check.message, first, " " * len(first))
            if check.fix and check.status in ("warn", "error"):
                wrap(out, check.fix, " " * (len(first) - 5) + "fix: ", " " * len(first))
    broken = [tree for tree in trees if not tree.holds]
    print("", file=out)
    if broken:
        wrap(
            out,
            f"the guard would NOT hold in {len(broken)} of {len(trees)} worktree"
            f"{'s' if len(trees) != 1 else ''}; fix the errors above",
            "",
            "  ",
        )
    else:
        print(f"the guard holds in {len(trees)} of {len(trees)} worktrees", file=out)


def wrap(out: TextIO, text: str, first: str, rest: str) -> None:
    print(
        textwrap.fill(
            text,
            WIDTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
            break_long_words=True,
        ),
        file=out,
    )


def shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel
