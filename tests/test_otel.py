"""``agentguard logs export``: OTLP/JSON log records that OpenTelemetry's own types accept."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from opentelemetry.proto.logs.v1 import logs_pb2
from test_loops import Guard

from agentguard.commands import logs
from agentguard.observe import otel

SECRETISH = "hunter2-do-not-ship"


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    """Agent dev on branch dev: a denied force push, an allowed ls, a blocked Stop."""
    guard = Guard(tmp_path)
    root = str(guard.root)
    subprocess.run(["git", "init", "-q", "-b", "dev", root], check=True)
    command = f"git push --force origin main # {SECRETISH}"
    guard.call(
        "PreToolUse", tool_name="Bash", tool_input={"command": command}, tool_use_id="toolu_push"
    )
    guard.ok(f"ls {SECRETISH}")
    guard.call(
        "PreToolUse",
        tool_name="Bash",
        tool_input={"command": f"git push --force origin {SECRETISH}"},
        tool_use_id="toolu_curl",
    )
    guard.write("src/a.ts")
    guard.call("Stop")
    return guard


def _export(guard: Guard, capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert logs.main(["--home", str(guard.home), "export", *argv]) == 0
    return capsys.readouterr().out.splitlines()


def _parsed(lines: list[str]) -> list[Any]:
    """Every exported record, parsed by the OTLP protobuf types (unknown fields refused)."""
    out = []
    for line in lines:
        data = json_format.Parse(line, logs_pb2.LogsData())
        for resource in data.resource_logs:
            for scope in resource.scope_logs:
                assert scope.scope.name == "agentguard"
                out.extend(scope.log_records)
    return out


def _attrs(log_record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for kv in log_record.attributes:
        kind = kv.value.WhichOneof("value")
        value = getattr(kv.value, kind)
        if kind == "array_value":
            value = [v.string_value for v in value.values]
        values[kv.key] = value
    return values


def test_export_is_valid_otlp(guard: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """Every decision record becomes one LogRecord the protobuf types parse, in order."""
    records = guard.records()
    exported = _parsed(_export(guard, capsys))
    assert len(exported) == len(records)
    assert [r.event_name for r in exported] == [f"agentguard.{r['event']}" for r in records]
    first = exported[0]
    assert first.time_unix_nano > 1_700_000_000 * 10**9
    assert first.severity_text == "WARN" and first.severity_number == 13


def test_semantic_convention_attributes(guard: Guard, capsys: pytest.CaptureFixture[str]) -> None:
    """The GenAI security names carry the decision, the rule, the session, the call, the branch."""
    records = guard.records()
    exported = [_attrs(r) for r in _parsed(_export(guard, capsys))]
    push, push_record = exported[0], records[0]
    assert push["gen_ai.security.decision.type"] in ("deny", "warn")
    assert push["agentguard.output"] == push_record["output"]
    assert push["gen_ai.security.policy.id"] == push_record["rules"][0]
    assert push["gen_ai.security.policy.version"] == push_record["policy"]
    assert push["gen_ai.guardian.name"] == "agentguard"
    assert push["gen_ai.conversation.id"] == "sess-1"
    assert push["gen_ai.tool.call.id"] == push_record["tool_use_id"]
    assert push["gen_ai.agent.id"] == push["gen_ai.agent.name"] == "dev"
    assert push["vcs.ref.head.name"] == "dev"
    summary = json.dumps(push_record["input"], sort_keys=True, separators=(",", ":"))
    assert (
        push["gen_ai.security.content.input.hash"] == hashlib.sha256(summary.encode()).hexdigest()
    )
    stop = exported[-1]
    assert (stop["agentguard.gate"], stop["gen_ai.security.decision.type"]) == (
        "blocked",
        "deny",
    )


def test_what_the_agent_sent_is_never_exported(
    guard: Guard, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command's text (here a secret-looking word) is in the log, but not in the export,
    not even where the logged reason quotes what matched."""
    logged = (guard.home / "logs" / "decisions.jsonl").read_text("utf-8")
    assert SECRETISH in logged
    assert any(SECRETISH in str(r.get("reason") or "") for r in guard.records())
    text = "\n".join(_export(guard, capsys))
    assert SECRETISH not in text
    assert "src/a.ts" not in text


def test_large_logs_export_in_batches(tmp_path: Path) -> None:
    """One LogsData per 500 records, so a collector reads bounded lines."""
    records = [
        {"ts": "2026-12-01T10:00:00.000Z", "event": "PreToolUse", "n": n} for n in range(1201)
    ]
    lines = list(otel.export_lines(records, host="h"))
    assert [len(_parsed([line])) for line in lines] == [500, 500, 201]


def test_export_to_a_file(guard: Guard, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--out`` writes the file whole and says how much; JSON lines keep every field."""
    out = tmp_path / "export.jsonl"
    assert logs.main(["--home", str(guard.home), "export", "--out", str(out)]) == 0
    assert "wrote 1 lines of otlp-json" in capsys.readouterr().err
    assert len(_parsed(out.read_text().splitlines())) == len(guard.records())
    argv = ["--home", str(guard.home), "export", "--format", "jsonl", "--agent", "dev"]
    assert logs.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == guard.records()
