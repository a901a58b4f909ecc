"""Decision records as OpenTelemetry log records (OTLP/JSON). Cold path.

A team that already runs an OpenTelemetry Collector, Vector or a SIEM should not learn
a new format. Each decision record maps to one OTLP log record whose attributes use the
names of OpenTelemetry's GenAI security conventions where one exists
(``gen_ai.security.*``, ``gen_ai.guardian.*``, ``gen_ai.conversation.id``,
``gen_ai.agent.*``, ``gen_ai.tool.*``, ``vcs.ref.head.name``) and ``agentguard.*`` for the
rest. What the agent sent (a command, a path, file contents) is never exported raw: only
its SHA-256 (``gen_ai.security.content.input.hash``), so a fleet's log store can correlate
calls without holding their contents. The reason is exported in the policy's own words
(each deciding rule and its justification), without the part that quotes what matched.

The output is the OTLP/JSON file format: one ``LogsData`` object per line, which the
Collector's ``otlpjsonfile`` receiver ingests.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from agentguard import __version__

Record = dict[str, Any]
GUARDIAN = "agentguard"
BATCH = 500

# agentguard's answers in the conventions' vocabulary. ``ask`` hands the call to a
# human: the call neither passes silently nor is refused, which the conventions call
# ``warn`` (the native answer stays in ``agentguard.decision``).
DECISION_TYPE = {"allow": "allow", "deny": "deny", "ask": "warn", "none": "allow"}
GATE_TYPE = {
    "blocked": "deny",
    "escalated": "warn",
    "passed": "allow",
    "no-edits": "allow",
    "none": "allow",
    "pending": "audit",
}
# Severity numbers from the OpenTelemetry log data model.
_INFO, _WARN, _ERROR = 9, 13, 17
_SCALARS = (
    "event",
    "tool",
    "decision",
    "output",
    "explicit",
    "identity",
    "gate",
    "signature",
    "count",
    "failure",
    "escalation",
    "evidence",
    "loop",
    "latency_ms",
    "agent_type",
    "error",
    "answer",
    "decided_by",
    "mode",
    "would",
)
_JUDGED = ("PreToolUse", "PreSkillShellCommand")


def _nanos(ts: Any) -> str:
    """A log timestamp (``2026-12-02T12:30:12.969Z``) as OTLP's nanoseconds, a string."""
    try:
        moment = datetime.fromisoformat(str(ts).replace("Z", "+00:00"))
    except ValueError:
        return "0"
    return str(int(moment.timestamp() * 1000) * 1_000_000)


def _value(value: Any) -> dict[str, Any]:
    """An OTLP ``AnyValue`` for a JSON scalar or list."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}  # int64 travels as a string in OTLP/JSON
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, list):
        return {"arrayValue": {"values": [_value(v) for v in value]}}
    return {"stringValue": str(value)}


def _content_hash(record: Record) -> str | None:
    """The SHA-256 of what the agent sent, as logged (the record's input summary)."""
    summary = record.get("input")
    if not summary:
        return None
    text = json.dumps(summary, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decision_type(record: Record) -> str | None:
    """The conventions' decision type for a record, or None when it judged nothing."""
    if record.get("error"):
        return "deny" if record.get("output") == "deny" else None
    if record.get("event") in _JUDGED:
        # Observe mode enforced nothing: its would-be answer is audited, not applied.
        if record.get("mode") == "observe":
            return "audit"
        output = record.get("output")
        return DECISION_TYPE.get(str(output), "allow")
    gate = record.get("gate")
    if gate:
        return GATE_TYPE.get(str(gate))
    return None


def _reason(record: Record) -> str:
    """Why, in the policy's own words: each deciding rule and its justification.

    The logged reason also quotes what matched (the command, the path), which is content
    the agent sent; the export leaves that out, as it leaves out the input itself.
    """
    parts = []
    for match in record.get("matches") or []:
        if isinstance(match, dict) and match.get("rule"):
            text = f"[{match['rule']}] {match.get('justification') or ''}".strip()
            if text not in parts:
                parts.append(text)
    return " ".join(parts)


def attributes(record: Record) -> dict[str, Any]:
    """The exported attributes of one decision record (semantic-convention names first)."""
    out: dict[str, Any] = {
        "gen_ai.guardian.name": GUARDIAN,
        "gen_ai.guardian.version": str(record.get("version") or __version__),
    }
    kind = decision_type(record)
    if kind:
        out["gen_ai.security.decision.type"] = kind
    rules = [str(r) for r in record.get("rules") or []]
    if rules:
        out["gen_ai.security.policy.id"] = rules[0]
    if record.get("policy"):
        out["gen_ai.security.policy.version"] = str(record["policy"])
    reason = _reason(record)
    if reason:
        out["gen_ai.security.decision.reason"] = reason
    if record.get("tool"):
        out["gen_ai.security.target.type"] = "tool_call"
        out["gen_ai.tool.name"] = str(record["tool"])
    digest = _content_hash(record)
    if digest:
        out["gen_ai.security.content.input.hash"] = digest
    for source, name in (
        ("session", "gen_ai.conversation.id"),
        ("tool_use_id", "gen_ai.tool.call.id"),
        ("agent", "gen_ai.agent.name"),
        ("branch", "vcs.ref.head.name"),
    ):
        if record.get(source):
            out[name] = str(record[source])
    # A subagent has an id of its own; a top-level agent is known by its name.
    agent_id = record.get("agent_id") or record.get("agent")
    if agent_id:
        out["gen_ai.agent.id"] = str(agent_id)
    for key in _SCALARS:
        value = record.get(key)
        if value is not None and value != "" and key not in ("error",):
            out[f"agentguard.{key}"] = value
    if record.get("error"):
        out["agentguard.error"] = str(record["error"])
    if rules:
        out["agentguard.rules"] = rules
    return out


def _severity(record: Record) -> tuple[int, str]:
    if record.get("error"):
        return _ERROR, "ERROR"
    if decision_type(record) in ("deny", "warn"):
        return _WARN, "WARN"
    return _INFO, "INFO"


def _body(record: Record) -> str:
    """A one-line summary that holds no content the agent sent."""
    parts = [str(record.get("event") or "?")]
    if record.get("tool"):
        parts.append(str(record["tool"]))
    if record.get("event") in _JUDGED:
        parts.append(str(record.get("output") or "none"))
    elif record.get("gate"):
        parts.append(f"gate {record['gate']}")
    if record.get("rules"):
        parts.append("[" + ", ".join(str(r) for r in record["rules"]) + "]")
    return " ".join(parts)


def log_record(record: Record) -> dict[str, Any]:
    """One OTLP/JSON ``LogRecord`` for one decision record."""
    number, text = _severity(record)
    nanos = _nanos(record.get("ts"))
    return {
        "timeUnixNano": nanos,
        "observedTimeUnixNano": nanos,
        "severityNumber": number,
        "severityText": text,
        "eventName": f"agentguard.{record.get('event') or 'record'}",
        "body": {"stringValue": _body(record)},
        "attributes": [{"key": k, "value": _value(v)} for k, v in attributes(record).items()],
    }


def _resource(host: str) -> dict[str, Any]:
    return {
        "attributes": [
            {"key": "service.name", "value": {"stringValue": GUARDIAN}},
            {"key": "service.version", "value": {"stringValue": __version__}},
            {"key": "host.name", "value": {"stringValue": host}},
        ]
    }


def export_lines(records: Iterable[Record], host: str | None = None) -> Iterator[str]:
    """OTLP/JSON lines (one ``LogsData`` per ``BATCH`` records) for ``records``."""
    resource = _resource(host or socket.gethostname())
    scope = {"name": GUARDIAN, "version": __version__}
    batch: list[dict[str, Any]] = []

    def line() -> str:
        data = {
            "resourceLogs": [
                {"resource": resource, "scopeLogs": [{"scope": scope, "logRecords": batch}]}
            ]
        }
        return json.dumps(data, separators=(",", ":"))

    for record in records:
        batch.append(log_record(record))
        if len(batch) == BATCH:
            yield line()
            batch = []
    if batch:
        yield line()
