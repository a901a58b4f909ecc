"""What the log's views compute from its records. Cold path.

Folds over decision-log records, streamed: per-session rows, per-agent totals, loop
episodes, one session's timeline, and what a call acted on. ``agentguard logs``
(:mod:`agentguard.commands.logs`) prints them; the HTML report
(:mod:`agentguard.observe.htmlreport`) draws them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from agentguard.claude.tools import PATH_FIELDS

Record = dict[str, Any]
# Events that carry a judgement (allow / ask / deny) of something the agent does.
JUDGED = ("PreToolUse", "PreSkillShellCommand")


def agent_of(record: Record) -> str:
    """The agent a record names; calls without one share ``(unassigned)``."""
    return str(record.get("agent") or "(unassigned)")


def subject(record: Record, relative: bool = False) -> str:
    """What a call acted on: its command, path, URL or pattern (a wrapped hook's name).

    ``relative``: a path inside the call's worktree is shown relative to it.
    """
    summary = record.get("input") or {}
    text = next(
        (
            str(summary[key])
            for key in ("command", *PATH_FIELDS, "url", "pattern")
            if key in summary
        ),
        str(record.get("wrap") or ""),
    )
    cwd = str(record.get("cwd") or "").rstrip("/")
    if relative and cwd and text.startswith(cwd + "/"):
        return text[len(cwd) + 1 :]
    return text


def summary(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """Per agent: calls, allow/ask/deny, asks a human approved, failures, loops, stop blocks,
    escalations, errors, and post events bound to no judged call (``unbound``: forged, or
    their marker was lost)."""
    out: dict[str, dict[str, int]] = {}
    fields = ("calls", "allow", "ask", "approved", "deny", "failures", "loops", "stop_blocks")
    for record in records:
        extra = ("escalations", "errors", "unbound", "observed")
        row = out.setdefault(agent_of(record), dict.fromkeys((*fields, *extra), 0))
        row["calls"] += 1
        decision = record.get("decision")
        # A silent allow is "no opinion"; only an explicit one counts as an allow.
        said = record.get("would") if record.get("mode") == "observe" else record.get("output")
        spoke = decision != "allow" or said == "allow"
        if record.get("event") in JUDGED and decision in ("allow", "ask", "deny") and spoke:
            row[str(decision)] += 1
        if approved(record):
            row["approved"] += 1
        if record.get("failure"):
            row["failures"] += 1
        if record.get("loop") or "loop" in (record.get("rules") or []):
            row["loops"] += 1
        if record.get("gate") == "blocked" or record.get("wrap_result") == "block":
            row["stop_blocks" if record.get("gate") else "failures"] += 1
        if record.get("escalation"):
            row["escalations"] += 1
        if record.get("error"):
            row["errors"] += 1
        if record.get("evidence") == "unbound":
            row["unbound"] += 1
        if record.get("mode") == "observe":
            row["observed"] += 1
    return out


def approved(record: Record) -> bool:
    """A post event of an asked call: a human approved it in the permission dialog."""
    return record.get("answer") == "approved" and record.get("decided_by") == "human"


def loop_episodes(records: Iterable[Record], minimum: int = 2) -> list[Record]:
    """Runaway episodes: one signature repeating within a session, with first/last and count.

    A failure whose count starts again at 1 opens a new episode (the same attempt had
    succeeded in between). Episodes below ``minimum`` repetitions are left out. In the
    order they opened.
    """
    found = sorted(iter_loop_episodes(records, minimum), key=lambda item: item[0])
    return [episode for _, episode in found]


def iter_loop_episodes(records: Iterable[Record], minimum: int = 2) -> Iterator[tuple[int, Record]]:
    """``(position, episode)`` as each episode ends (its key repeats afresh, it escalates,
    or the records end); ``position`` is its opening order.

    Memory holds only the open episodes, one per (session, agent, kind, signature), so
    the ``loops`` view streams a log of any length.
    """
    open_: dict[tuple[str, str, str, str], tuple[int, Record]] = {}
    opened = 0

    def qualifies(episode: Record) -> bool:
        return bool(episode["count"] >= minimum or episode["escalated"])

    for record in records:
        signature = record.get("signature")
        if not signature:
            continue
        if record.get("failure"):
            kind = "failure"
        elif record.get("gate") in ("blocked", "escalated"):
            kind = "stop"
        elif record.get("wrap_result") in ("block", "escalated"):
            kind = "wrap"
        elif "loop" in (record.get("rules") or []):
            key = (str(record.get("session")), agent_of(record), "failure", str(signature))
            if key in open_:
                open_[key][1]["asked"] += 1
                open_[key][1]["last"] = record.get("ts")
            continue
        else:
            continue
        key = (str(record.get("session")), agent_of(record), kind, str(signature))
        count = int(record.get("count") or 1)
        current = open_.get(key)
        episode = current[1] if current else None
        if episode is None or (kind == "failure" and count <= episode["count"]):
            if current is not None and qualifies(current[1]):
                yield current
            episode = {
                "kind": kind,
                "session": record.get("session"),
                "agent": agent_of(record),
                "signature": signature,
                "subject": subject(record) or record.get("event"),
                "first": record.get("ts"),
                "last": record.get("ts"),
                "count": 0,
                "line": record.get("error_line") or "",
                "asked": 0,
                "escalated": False,
            }
            open_[key] = (opened, episode)
            opened += 1
        episode["count"] = count if kind == "failure" else episode["count"] + 1
        episode["last"] = record.get("ts")
        if record.get("escalation") or record.get("gate") == "escalated":
            episode["escalated"] = True
            if kind != "failure":
                episode["count"] -= 1  # the escalation itself let the agent through
            yield open_.pop(key)
    yield from sorted((c for c in open_.values() if qualifies(c[1])), key=lambda c: c[0])


def timeline(records: Iterable[Record], session: str) -> list[Record]:
    """The records of one session, oldest first."""
    return [r for r in records if r.get("session") == session]


def sessions(records: Iterable[Record]) -> list[Record]:
    """One row per session, in order of first call: who, where, when, what it got, its end."""
    rows: dict[str, Record] = {}
    for record in records:
        key = str(record.get("session") or "(none)")
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "session": key,
                "agent": agent_of(record),
                "worktree": record.get("cwd") or "",
                "first": record.get("ts"),
                "last": record.get("ts"),
                "calls": 0,
                "ask": 0,
                "approved": 0,
                "deny": 0,
                "loops": 0,
                "stop": "",
                "observed": 0,
            }
        row["calls"] += 1
        row["last"] = record.get("ts") or row["last"]
        if record.get("agent") and row["agent"] == "(unassigned)":
            row["agent"] = str(record["agent"])
        said = record.get("would") if record.get("mode") == "observe" else record.get("output")
        if record.get("event") in JUDGED and said in ("ask", "deny"):
            row[str(said)] += 1
        if approved(record):
            row["approved"] += 1
        if record.get("loop") or "loop" in (record.get("rules") or []):
            row["loops"] += 1
        if record.get("mode") == "observe":
            row["observed"] += 1
        if record.get("event") in ("Stop", "SubagentStop") and record.get("gate"):
            row["stop"] = "escalated" if record.get("escalation") else str(record["gate"])
    return list(rows.values())
