"""The hook-event schemas (jsonschema) accept the protocol's events and name what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentguard.claude.events import problems

CASES = Path(__file__).resolve().parent / "cases" / "pretooluse"


def _malformed(path: Path) -> bool:
    """Cases whose event is malformed on purpose (they pin the on_error decision)."""
    name = path.parent.name
    return name.startswith("malformed-") or name == "on-error-policy-ask"


def _events() -> list[Path]:
    return sorted(CASES.glob("*/*/event.json"))


@pytest.mark.parametrize("path", _events(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_corpus_events_follow_the_protocol(path: Path) -> None:
    """Well-formed corpus events satisfy the schema; the malformed ones are each caught."""
    found = problems(json.loads(path.read_text(encoding="utf-8")))
    if _malformed(path):
        assert found, "a malformed event the schema does not notice"
        assert all(p.startswith("event") for p in found)
    else:
        assert found == []


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ([], ["event: expected a JSON object, got list"]),
        ({"hook_event_name": "Nope"}, ["event.hook_event_name: 'Nope' is not an event"]),
        (
            {
                "hook_event_name": "PreToolUse",
                "session_id": "s",
                "cwd": "/x",
                "tool_name": "Write",
                "tool_input": {"file_path": 3},
            },
            ["event.tool_input.file_path: 3 is not of type 'string'"],
        ),
        (
            {"hook_event_name": "Stop", "session_id": "s", "cwd": "/x"},
            ["event: 'stop_hook_active' is a required property"],
        ),
        (
            {
                "hook_event_name": "PostToolUseFailure",
                "session_id": "s",
                "cwd": "/x",
                "tool_name": "Bash",
                "tool_input": {"command": "x"},
                "error": 3,
            },
            ["event.error: 3 is not of type 'string'"],
        ),
    ],
)
def test_problems_are_located(event: object, expected: list[str]) -> None:
    """Each problem starts with the event field it concerns."""
    found = problems(event)
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got.startswith(want)
