"""``agentguard logs report``: one self-contained HTML file a person opens after a run. Cold path.

The file holds its data, styles and script inline (no network, no CDN; it works from a
``file://`` URL and as a CI artefact). Python prepares the data: calls on one shared
timeline with a lane per agent session (subagents get a lane of their own), every ask,
deny, escalation and Stop block as a marker with its rule, justification, matches and
the human's answer where the log has one; loop episodes by failure signature and how
they ended; each session's Stop gate, its blocks and the check that passed last; per-agent
totals. The page's script draws and filters it. Every string is redacted again on the way
out (credential patterns, and the values of this environment's credential variables).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from agentguard import __version__
from agentguard.redact import env_secrets, redact, scrub_line

Record = dict[str, Any]
_JUDGED = ("PreToolUse", "PreSkillShellCommand")
_ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report_assets")


def _millis(ts: Any) -> int:
    try:
        return int(datetime.fromisoformat(str(ts).replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return 0


def kind(record: Record) -> str:
    """What a call is on the timeline: ask, deny, escalated, blocked, failed, passed, or call."""
    if record.get("escalation") or record.get("gate") == "escalated":
        return "escalated"
    said = record.get("would") if record.get("mode") == "observe" else record.get("output")
    if record.get("event") in _JUDGED and said in ("ask", "deny"):
        return str(said)
    if record.get("gate") == "blocked":
        return "blocked"
    if record.get("gate") == "passed":
        return "passed"
    if record.get("failure"):
        return "failed"
    return "call"


def _call(n: int, record: Record) -> Record:
    from agentguard.observe.views import subject

    session = str(record.get("session") or "(none)")
    sub = str(record.get("agent_id") or "")
    return {
        "i": n,
        "t": _millis(record.get("ts")),
        "ts": str(record.get("ts") or ""),
        "agent": str(record.get("agent") or "(unassigned)"),
        "session": session,
        "lane": f"{session}/{sub}" if sub else session,
        "sub": sub,
        "agent_type": str(record.get("agent_type") or ""),
        "event": str(record.get("event") or ""),
        "tool": str(record.get("tool") or ""),
        "subject": redact(subject(record, relative=True))[:400],
        "kind": kind(record),
        "observed": record.get("mode") == "observe",
        "rules": [str(r) for r in record.get("rules") or []],
        "matches": [
            {
                k: redact(str(m.get(k) or ""))[:400]
                for k in ("rule", "decision", "justification", "what", "fix")
            }
            for m in record.get("matches") or []
            if isinstance(m, dict)
        ],
        "reason": redact(str(record.get("reason") or record.get("escalation") or ""))[:600],
        "answer": str(record.get("answer") or ""),
        "decided_by": str(record.get("decided_by") or ""),
        "signature": str(record.get("signature") or ""),
        "count": record.get("count"),
        "checks": record.get("checks") if isinstance(record.get("checks"), dict) else {},
        "error_line": redact(str(record.get("error_line") or ""))[:300],
    }


def _stops(calls: list[Record]) -> list[Record]:
    """Per session: the Stop gate's blocks (with what was missing) and how it ended."""
    out: dict[str, Record] = {}
    last_pass: dict[str, tuple[str, str]] = {}
    for call in calls:
        session = call["session"]
        for name, state in call["checks"].items():
            if call["event"] not in ("Stop", "SubagentStop") and state == "passed":
                last_pass[session] = (str(name), call["ts"])
        if call["event"] not in ("Stop", "SubagentStop") or call["kind"] == "call":
            continue
        entry = out.setdefault(
            session, {"session": session, "agent": call["agent"], "blocks": [], "ended": ""}
        )
        if call["kind"] == "blocked":
            waiting = sorted(k for k, v in call["checks"].items() if v != "passed")
            entry["blocks"].append({"ts": call["ts"], "i": call["i"], "waiting": waiting})
        else:
            entry["ended"] = call["kind"]
            entry["ended_ts"] = call["ts"]
            name, when = last_pass.get(session, ("", ""))
            entry["last_check"] = name
            entry["last_check_ts"] = when
    return list(out.values())


def data(records: Iterable[Record], sources: Sequence[str]) -> Record:
    """Everything the page shows, from the decision records (oldest first)."""
    from agentguard.observe.views import loop_episodes, summary

    kept = sorted(records, key=lambda r: str(r.get("ts") or ""))
    calls = [_call(n, r) for n, r in enumerate(kept)]
    lanes: dict[str, Record] = {}
    for call in calls:
        lane = lanes.setdefault(
            call["lane"],
            {
                "id": call["lane"],
                "agent": call["agent"],
                "session": call["session"],
                "sub": call["sub"],
                "agent_type": call["agent_type"],
            },
        )
        lane["agent_type"] = lane["agent_type"] or call["agent_type"]
    episodes = []
    for episode in loop_episodes(kept):
        ended = "escalated to a human" if episode["escalated"] else "stopped repeating"
        episodes.append(
            {**episode, "subject": redact(str(episode["subject"]))[:200], "ended": ended}
        )
    return {
        "title": "agentguard report",
        "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
        "version": __version__,
        "sources": list(sources),
        "agents": sorted({c["agent"] for c in calls}),
        "rules": sorted({r for c in calls for r in c["rules"]}),
        "lanes": sorted(
            lanes.values(), key=lambda lane: (lane["agent"], lane["session"], lane["sub"])
        ),
        "calls": calls,
        "loops": episodes,
        "stops": _stops(calls),
        "totals": summary(kept),
    }


def _asset(name: str) -> str:
    with open(os.path.join(_ASSETS, name), encoding="utf-8") as fh:
        return fh.read()


def render(payload: Record, env: dict[str, str] | None = None) -> str:
    """The HTML page for ``payload``: data, style and script inline."""
    blob = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    blob = scrub_line(blob, env_secrets(os.environ if env is None else env))
    # Inside a <script> element only "</" can end it early; JSON allows "<\/" instead.
    blob = blob.replace("</", "<\\/")
    page = _asset("report.html")
    return (
        page.replace("/*STYLE*/", _asset("report.css"))
        .replace("/*SCRIPT*/", _asset("report.js"))
        .replace("{{DATA}}", blob)
    )
