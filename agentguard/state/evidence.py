"""Evidence for the verification gate: the record of each check's last result and edit.

Hot path: standard library only. The decision log is the audit trail, but reading it
on every Stop would grow with the session; instead PostToolUse keeps one small
evidence record per (session, agent) in :mod:`agentguard.state.records` (last edit time,
each check's last result and when it started), and Stop reads that one record. Which
checks a Bash line ran, and whether it wrote, is the shell analyser's reading
(:mod:`agentguard.shell.checks`).
"""

from __future__ import annotations

import time

from agentguard.state import records as counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

EVIDENCE_KEY = "evidence"


def read(home: str, session: str, agent: str) -> dict[str, Any]:
    """The evidence record of (session, agent): ``{}`` when nothing was recorded."""
    return counters.read_record(home, session, agent, EVIDENCE_KEY)


def note(
    home: str,
    session: str,
    agent: str,
    *,
    edit_at: float | None = None,
    checks: Mapping[str, dict[str, Any]] | None = None,
    sub: str | None = None,
) -> dict[str, Any]:
    """Record an edit (its time) and/or check results (name -> {ok, at, line, …})."""

    def update(record: dict[str, Any]) -> dict[str, Any]:
        if edit_at is not None:
            record["edit"] = max(float(record.get("edit") or 0), edit_at)
            record["edits"] = int(record.get("edits") or 0) + 1
            if sub:
                subs = record.setdefault("subs", {})
                subs[sub] = max(float(subs.get(sub) or 0), edit_at)
        if checks:
            known = record.setdefault("checks", {})
            for name, result in checks.items():
                previous = known.get(name)
                # Parallel hooks may finish out of order: the later start wins.
                if not previous or float(previous.get("at", 0)) <= float(result.get("at", 0)):
                    known[name] = dict(result)
        return record

    return counters.update_record(home, session, agent, EVIDENCE_KEY, update)


class Status:
    """One check's standing at Stop: ``passed``, ``failed`` or ``missing``."""

    __slots__ = ("description", "line", "name", "run", "state")

    def __init__(self, name: str, run: str, description: str, state: str, line: str = "") -> None:
        self.name = name
        self.run = run
        self.description = description
        self.state = state
        self.line = line

    def __repr__(self) -> str:
        return f"Status({self.name!r}, {self.state!r})"


def standing(
    record: Mapping[str, Any],
    names: list[str],
    checks: Mapping[str, Any],
    since: float | None = None,
) -> list[Status]:
    """Each named check's standing after ``since`` (default: the last edit in ``record``)."""
    since = float(record.get("edit") or 0) if since is None else since
    results = record.get("checks") or {}
    out = []
    for name in names:
        spec = checks.get(name) or {}
        run = str(spec.get("run") or name)
        description = str(spec.get("description") or "")
        result = results.get(name)
        if not result or float(result.get("at", 0)) < since:
            out.append(Status(name, run, description, "missing"))
        elif result.get("ok"):
            out.append(Status(name, run, description, "passed"))
        else:
            out.append(Status(name, run, description, "failed", str(result.get("line") or "")))
    return out


def now() -> float:
    """The current time (a seam for tests)."""
    return time.time()
