"""``agentguard logs summary|loops|timeline|evidence``: read the decision log. Cold path.

- ``summary``: per agent, calls, decisions, asks, denies, failures, loops, Stop blocks and
  escalations.
- ``loops``: runaway episodes grouped by signature (a failure repeated, a Stop refused
  again and again, a wrapped hook blocking again), with first/last time and count.
- ``timeline --session S``: every call of one session, in order.
- ``evidence``: a pull-request-ready Markdown block for one agent and session: commands
  run and their results, checks passed, what was denied or escalated, remaining risk.
  Exits 0 when it found calls to report (it is the example policy's ``evidence`` check).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from agentguard import log, state

Record = dict[str, Any]
# Events that carry a judgement (allow / ask / deny) of something the agent does.
_JUDGED = ("PreToolUse", "PreSkillShellCommand")


def _home(args: argparse.Namespace) -> str:
    return str(args.home) if args.home else state.home(os.getcwd(), os.environ)


def _agent(record: Record) -> str:
    return str(record.get("agent") or "(unassigned)")


def _subject(record: Record) -> str:
    summary = record.get("input") or {}
    for key in ("command", "file_path", "notebook_path", "path", "url"):
        if key in summary:
            return str(summary[key])
    return str(record.get("wrap") or "")


def summary(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """Per agent: calls, allow/ask/deny, failures, loops, stop blocks, escalations, errors,
    and post events bound to no judged call (``unbound``: forged, or their marker was lost)."""
    out: dict[str, dict[str, int]] = {}
    fields = ("calls", "allow", "ask", "deny", "failures", "loops", "stop_blocks")
    for record in records:
        extra = ("escalations", "errors", "unbound")
        row = out.setdefault(_agent(record), dict.fromkeys((*fields, *extra), 0))
        row["calls"] += 1
        decision = record.get("decision")
        # A silent allow is "no opinion"; only an explicit one counts as an allow.
        spoke = decision != "allow" or record.get("output") == "allow"
        if record.get("event") in _JUDGED and decision in ("allow", "ask", "deny") and spoke:
            row[str(decision)] += 1
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
    return out


def loop_episodes(records: Iterable[Record], minimum: int = 2) -> list[Record]:
    """Runaway episodes: one signature repeating within a session, with first/last and count.

    A failure whose count starts again at 1 opens a new episode (the same attempt had
    succeeded in between). Episodes below ``minimum`` repetitions are left out.
    """
    open_: dict[tuple[str, str, str, str], Record] = {}
    episodes: list[Record] = []
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
            key = (str(record.get("session")), _agent(record), "failure", str(signature))
            if key in open_:
                open_[key]["asked"] += 1
                open_[key]["last"] = record.get("ts")
            continue
        else:
            continue
        key = (str(record.get("session")), _agent(record), kind, str(signature))
        count = int(record.get("count") or 1)
        episode = open_.get(key)
        if episode is None or (kind == "failure" and count <= episode["count"]):
            episode = {
                "kind": kind,
                "session": record.get("session"),
                "agent": _agent(record),
                "signature": signature,
                "subject": _subject(record) or record.get("event"),
                "first": record.get("ts"),
                "last": record.get("ts"),
                "count": 0,
                "line": record.get("error_line") or "",
                "asked": 0,
                "escalated": False,
            }
            open_[key] = episode
            episodes.append(episode)
        episode["count"] = count if kind == "failure" else episode["count"] + 1
        episode["last"] = record.get("ts")
        if record.get("escalation") or record.get("gate") == "escalated":
            episode["escalated"] = True
            if kind != "failure":
                episode["count"] -= 1  # the escalation itself let the agent through
            del open_[key]
    return [e for e in episodes if e["count"] >= minimum or e["escalated"]]


def timeline(records: Iterable[Record], session: str) -> list[Record]:
    """The records of one session, oldest first."""
    return [r for r in records if r.get("session") == session]


def _outcome(record: Record) -> str:
    if record.get("escalation"):
        return f"escalated ({record['escalation']})"
    if record.get("gate"):
        return f"gate {record['gate']}"
    if record.get("failure"):
        return f"failed x{record.get('count', 1)}"
    if record.get("event") in _JUDGED:
        return str(record.get("output") or record.get("decision") or "none")
    if record.get("wrap_result"):
        return f"wrap {record['wrap_result']}"
    return "ok" if record.get("event") == "PostToolUse" else str(record.get("output", ""))


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- evidence ----------------------------------------------------------------------------


def _current(records: list[Record], agent: str | None, session: str | None) -> tuple[str, str]:
    """The (agent, session) to report: given, else the latest in the log."""
    for record in reversed(records):
        if agent is not None and record.get("agent") != agent:
            continue
        if session is not None and record.get("session") != session:
            continue
        if record.get("session"):
            return str(record.get("agent") or ""), str(record["session"])
    return agent or "", session or ""


def _check_table(home: str, agent: str, session: str) -> tuple[list[str], list[str]]:
    """Rows of the checks table and the checks that have not passed (policy permitting)."""
    from agentguard import compiled, evidence
    from agentguard.loops import agent_key

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        policy = compiled.load(files, home).data
    except compiled.GuardError as exc:
        return [f"| (policy) | | cannot load: {exc} |"], []
    spec = policy["agents"].get(agent) or {}
    names = list(spec.get("checks") or [])
    if not names:
        return [], []
    record = evidence.read(home, session, agent_key(agent or None))
    rows, pending = [], []
    for status in evidence.standing(record, names, policy["checks"]):
        if status.state == "passed":
            result = "passed after the last edit"
        elif status.state == "failed":
            result = f"FAILED: {_short(status.line, 80)}" if status.line else "FAILED"
        else:
            result = "not run since the last edit"
        rows.append(f"| {status.name} | `{status.run}` | {result} |")
        if status.state != "passed":
            pending.append(status.name)
    return rows, pending


def evidence_block(records: list[Record], home: str, agent: str, session: str) -> str:
    """The Markdown evidence block for one agent and session."""
    mine = [r for r in records if r.get("session") == session and (r.get("agent") or "") == agent]
    lines = [
        "### agentguard evidence",
        "",
        f"Agent `{agent or '(unassigned)'}`, session `{session}`: {len(mine)} guarded calls"
        + (f", {mine[0].get('ts')} to {mine[-1].get('ts')}." if mine else "."),
        "",
    ]
    rows, pending = _check_table(home, agent, session)
    if rows:
        lines += [
            "**Checks**",
            "",
            "| check | command | result |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    runs = [
        r
        for r in mine
        if r.get("tool") == "Bash" and r.get("event") in ("PostToolUse", "PostToolUseFailure")
    ]
    if runs:
        lines += ["**Commands run**", "", "| # | command | result |", "| --- | --- | --- |"]
        for n, r in enumerate(runs, 1):
            command = _short(_subject(r), 90).replace("|", "\\|")
            result = (
                "ok"
                if r.get("event") == "PostToolUse" and not r.get("failure")
                else (f"failed: {_short(r.get('error_line') or '', 70)}")
            )
            if r.get("evidence") == "unbound":
                result += " (unbound: proves nothing)"
            lines.append(f"| {n} | `{command}` | {result.replace('|', '/')} |")
        lines.append("")
    refused = [
        r
        for r in mine
        if (r.get("event") in _JUDGED and r.get("output") in ("ask", "deny")) or r.get("escalation")
    ]
    if refused:
        lines += ["**Denied or escalated**", ""]
        for r in refused:
            what = _short(_subject(r) or str(r.get("event")), 80)
            reason = _short(str(r.get("reason") or r.get("escalation") or ""), 160)
            kind = "escalated" if r.get("escalation") else str(r.get("output"))
            lines.append(f"- {kind}: `{what}` {reason}")
        lines.append("")
    risks = [f"check `{name}` has not passed since the last edit" for name in pending]
    for episode in loop_episodes(mine):
        risks.append(
            f"{episode['kind']} loop `{_short(str(episode['subject']), 60)}` repeated"
            f" {episode['count']} times (signature {episode['signature']})"
            + (", escalated to a human" if episode["escalated"] else "")
        )
    unbound = [r for r in mine if r.get("evidence") == "unbound"]
    if unbound:
        risks.append(
            f"{len(unbound)} post events matched no call PreToolUse judged (forged, or"
            " their marker was lost); they credited nothing"
        )
    lost = [r for r in mine if r.get("unrecorded") or r.get("uncounted")]
    if lost:
        risks.append(
            f"{len(lost)} calls whose record or failure count could not be written"
            " (agentguard's state folder took no writes); the gate asked for every check again"
        )
    errors = [r for r in mine if r.get("error")]
    if errors:
        risks.append(f"{len(errors)} calls where the guard itself failed (on_error applied)")
    lines += ["**Remaining risk**", ""]
    lines += [f"- {risk}" for risk in risks] or ["- none recorded by agentguard"]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``agentguard logs …``."""
    parser = argparse.ArgumentParser(prog="agentguard logs", description=__doc__)
    parser.add_argument("--home", help="state folder (default: this repository's)")
    sub = parser.add_subparsers(dest="view", required=True, metavar="VIEW")
    for name, help_text in (
        ("summary", "per agent: decisions, asks, denies, failures, loops"),
        ("loops", "runaway episodes grouped by signature"),
        ("timeline", "every call of one session"),
        ("evidence", "a pull-request Markdown block for one agent and session"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--session", required=name == "timeline", help="session id")
        if name == "evidence":
            p.add_argument("--agent", help="agent (default: the caller's identity)")
    args = parser.parse_args(argv)
    home = _home(args)
    records = log.read(home)
    if args.view == "summary":
        return _print_summary(summary(records), args.json)
    if args.view == "loops":
        chosen = [r for r in records if not args.session or r.get("session") == args.session]
        return _print_loops(loop_episodes(chosen), args.json)
    if args.view == "timeline":
        return _print_timeline(timeline(records, args.session), args.json)
    agent = args.agent if args.agent is not None else _caller(home)
    agent, session = _current(records, agent, args.session)
    block = evidence_block(records, home, agent, session)
    found = any(r.get("session") == session and (r.get("agent") or "") == agent for r in records)
    if args.json:
        print(json.dumps({"agent": agent, "session": session, "markdown": block, "found": found}))
    else:
        print(block)
    if not found:
        sys.stderr.write(
            f"agentguard logs evidence: no guarded calls for agent {agent or '(unassigned)'!r}"
            f" in {log.log_path(home)}; pass --session/--agent, or check AGENTGUARD_HOME.\n"
        )
        return 1
    return 0


def _caller(home: str) -> str | None:
    """The agent running this command, established as the hook does (None if unknown)."""
    from agentguard import compiled
    from agentguard.identity import identify

    try:
        files = compiled.discover(os.getcwd(), os.environ)
        policy = compiled.load(files, home).data
    except compiled.GuardError:
        return None
    return identify(policy, os.getcwd(), os.environ, files).agent


def _print_summary(rows: dict[str, dict[str, int]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    heads = ("calls", "allow", "ask", "deny", "failures", "loops", "stop_blocks", "escalations")
    print(f"{'agent':16}" + "".join(f"{h:>12}" for h in heads))
    for agent, row in sorted(rows.items()):
        print(f"{agent:16}" + "".join(f"{row[h]:>12}" for h in heads))
    return 0


def _print_loops(episodes: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(episodes, indent=2))
        return 0
    if not episodes:
        print("no loop episodes")
        return 0
    for e in episodes:
        flag = " escalated" if e["escalated"] else ""
        asked = f", {e['asked']} retries asked" if e["asked"] else ""
        print(
            f"{e['signature']} {e['kind']:7} x{e['count']}{asked}{flag}  {e['agent']}"
            f" {e['session']}  {e['first']} .. {e['last']}\n    {_short(str(e['subject']), 100)}"
            + (f"\n    {_short(e['line'], 100)}" if e["line"] else "")
        )
    return 0


def _print_timeline(records: list[Record], as_json: bool) -> int:
    if as_json:
        print(json.dumps(records, indent=2))
        return 0
    for r in records:
        what = _short(_subject(r), 70)
        print(
            f"{r.get('ts', '')}  {r.get('event', ''):18} {_agent(r):12} {r.get('tool', ''):10}"
            f" {_outcome(r):22} {what}"
        )
    return 0
