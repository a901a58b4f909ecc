"""The text of `agentguard logs`' views: one line per call, session or episode, as wide
as the terminal (80 columns when unknown), and their JSON forms.

Cold path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from agentguard import terminal
from agentguard.observe.views import (
    JUDGED,
    agent_of,
    approved,
    subject,
)

if TYPE_CHECKING:
    pass

Record = dict[str, Any]


def _outcome(record: Record) -> str:
    if record.get("mode") == "observe":
        would = str(record.get("would") or "none")
        return f"would {would}" if would in ("ask", "deny", "block") else "observed"
    return _enforced(record)


def _enforced(record: Record) -> str:
    if record.get("escalation"):
        return f"escalated ({record['escalation']})"
    if record.get("gate"):
        return f"gate {record['gate']}"
    if record.get("failure"):
        return f"failed x{record.get('count', 1)}"
    if record.get("event") in JUDGED:
        said = str(record.get("output") or record.get("decision") or "none")
        # The human answers this one; the call's post event says "approved".
        return f"{said} (human)" if record.get("decided_by") == "human" else said
    if approved(record):
        return "approved"
    if record.get("wrap_result"):
        return f"wrap {record['wrap_result']}"
    return "ok" if record.get("event") == "PostToolUse" else str(record.get("output", ""))


def short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_sessions(rows: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no sessions in the log")
        return 0
    # ask/ok: the asks, and how many of them a human approved.
    print(f"{'session':34} {'agent':12} {'calls':>5} {'ask/ok':>6} {'deny':>4} {'loop':>4} stop")
    for row in rows:
        asked = f"{row['ask']}/{row['approved']}"
        print(
            f"{short(row['session'], 34):34} {short(row['agent'], 12):12} {row['calls']:>5}"
            f" {asked:>6} {row['deny']:>4} {row['loops']:>4} {row['stop'] or '-'}"
            + (" (observed)" if row["observed"] else "")
        )
        when = f"{row['first'] or '?'} .. {_clock(str(row['last'] or '?'), row['first'])}"
        print(f"    {when}  {_left(str(row['worktree']), terminal.width() - 4 - len(when) - 2)}")
    return 0


def _clock(ts: str, first: Any) -> str:
    """``ts`` without its date when it is the same day as ``first``."""
    return ts[11:] if str(first or "")[:10] == ts[:10] and len(ts) > 11 else ts


def print_summary(rows: dict[str, dict[str, int]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    heads = ("calls", "allow", "ask", "approved", "deny", "failures", "loops", "stop_blocks")
    shown = ("calls", "allow", "ask", "apprvd", "deny", "fail", "loops", "stops", "escal")
    print(f"{'agent':14}" + "".join(f"{h:>7}" for h in shown))
    for agent, row in sorted(rows.items()):
        cells = [row[h] for h in (*heads, "escalations")]
        print(f"{short(agent, 13):14}" + "".join(f"{c:>7}" for c in cells))
    observed = sum(row.get("observed", 0) for row in rows.values())
    if observed:
        print(
            f"observe mode: {observed} calls were only logged; the asks, denies and Stop"
            "\nblocks above would have happened, none was enforced"
        )
    return 0


def print_loops(episodes: Iterable[Record], as_json: bool) -> int:
    """Print each episode as it ends (a JSON array, streamed, with ``--format json``)."""
    any_ = False
    for e in episodes:
        if as_json:
            print(("[\n" if not any_ else ",\n") + json.dumps(e, indent=2), end="")
            any_ = True
            continue
        any_ = True
        flag = " escalated" if e["escalated"] else ""
        asked = f", {e['asked']} retries asked" if e["asked"] else ""
        print(f"{e['signature']} {e['kind']} x{e['count']}{asked}{flag}  {e['agent']}")
        print(f"    session {e['session']}, {e['first']} .. {_clock(str(e['last']), e['first'])}")
        print(f"    {short(str(e['subject']), terminal.width() - 4)}")
        if e["line"]:
            print(f"    {short(e['line'], terminal.width() - 4)}")
    if as_json:
        print("\n]" if any_ else "[]")
    elif not any_:
        print("no loop episodes")
    return 0


_EVENT = {
    "PreToolUse": "pre",
    "PostToolUse": "post",
    "PostToolUseFailure": "post-failed",
    "PreSkillShellCommand": "skill-shell",
}


def _left(text: str, width: int) -> str:
    """``text`` cut from the left (a path's end says the most), to ``width`` characters."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _line(r: Record) -> str:
    """One call on one line as wide as the terminal (80 columns when unknown): time, event,
    agent, outcome, and as much of the subject as fits (a cut shows as …)."""
    event = str(r.get("event", ""))
    head = (
        f"{str(r.get('ts', ''))[11:19]:8} {short(_EVENT.get(event, event), 11):11}"
        f" {short(agent_of(r), 10):10} {short(_outcome(r), 12):12}"
    )
    what_on = subject(r, relative=True)
    tool = str(r.get("tool") or "")
    what = f"$ {what_on}" if tool == "Bash" else " ".join(x for x in (tool, what_on) if x)
    return f"{head} {short(what, terminal.width() - len(head) - 1)}".rstrip()


def print_line(record: Record, as_json: bool) -> None:
    print(json.dumps(record) if as_json else _line(record), flush=True)


def print_timeline(records: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(records, indent=2))
        return 0
    day = ""
    for r in records:
        if str(r.get("ts", ""))[:10] != day:
            day = str(r.get("ts", ""))[:10]
            print(f"-- {day}")
        print(_line(r))
    return 0
