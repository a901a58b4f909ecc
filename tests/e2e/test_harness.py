"""The harness itself: the fake API on its own, then the real binary with trivial sh hooks."""

from __future__ import annotations

import json
import re
import shlex
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .fakeapi import (
    FakeAnthropic,
    count_tool_results,
    extra_texts,
    first_user_text,
    text,
    tool_results,
    tool_use,
)
from .harness import ClaudeProject, hook_group, require_claude

DENY_REASON = "e2e-harness: writes are frozen today"
DENY_OUTPUT = json.dumps(
    {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": DENY_REASON,
        }
    }
)
# Read stdin to EOF, then print exactly one JSON object: anything else loses the decision.
DENY_WRITE_HOOK = f"cat >/dev/null; printf '%s\\n' {shlex.quote(DENY_OUTPUT)}"


def _post(url: str, body: dict[str, Any]) -> tuple[str, bytes]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(response.headers.get("content-type")), bytes(response.read())


def _sse_events(payload: bytes) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for chunk in payload.decode().split("\n\n"):
        if not chunk.strip():
            continue
        kind_line, data_line = chunk.split("\n")
        assert kind_line.startswith("event: ") and data_line.startswith("data: ")
        data = json.loads(data_line[len("data: ") :])
        assert data["type"] == kind_line[len("event: ") :]
        events.append((data["type"], data))
    return events


def _conversation(results: int) -> dict[str, Any]:
    """A request body carrying ``results`` tool_result blocks, with a mid-list system message."""
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "the prompt"}]},
        {"role": "system", "content": "agent list"},
    ]
    for n in range(results):
        messages.append(
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": f"toolu_{n}", "name": "Bash", "input": {"n": n}}
                ],
            }
        )
        messages.append(
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": f"toolu_{n}",
                        "content": [{"type": "text", "text": f"out {n}"}],
                        "is_error": n == 1,
                    },
                    {"type": "text", "text": f"<system-reminder>ctx {n}</system-reminder>"},
                ],
            }
        )
    return {"model": "claude-test", "stream": True, "messages": messages}


def test_fake_streams_the_step_chosen_by_tool_result_count() -> None:
    """A step script answers request n with step n, as SSE in the documented event order."""
    steps = [[text("first")], [text("calling"), tool_use("Bash", {"command": "true"})]]
    with FakeAnthropic(steps) as api:
        kind, payload = _post(api.url + "/v1/messages?beta=true", _conversation(1))
    assert kind == "text/event-stream"
    events = _sse_events(payload)
    assert [k for k, _ in events] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert events[0][1]["message"]["model"] == "claude-test"
    assert events[2][1]["delta"] == {"type": "text_delta", "text": "calling"}
    assert events[4][1]["content_block"]["name"] == "Bash"
    assert json.loads(events[5][1]["delta"]["partial_json"]) == {"command": "true"}
    assert events[7][1]["delta"]["stop_reason"] == "tool_use"
    assert len(api.requests) == 1


def test_fake_ids_are_unique_and_past_the_script_it_ends_the_turn() -> None:
    """Every message and tool_use id is fresh; a request beyond the last step gets end_turn."""
    steps = [[tool_use("Read", {"file_path": "/x"}), tool_use("Read", {"file_path": "/y"})]]
    with FakeAnthropic(steps) as api:
        ids: list[str] = []
        for _ in range(3):
            _, payload = _post(api.url + "/v1/messages", {**_conversation(0), "stream": False})
            message = json.loads(payload)
            ids += [message["id"]] + [b["id"] for b in message["content"]]
            assert message["stop_reason"] == "tool_use"
        _, payload = _post(api.url + "/v1/messages", {**_conversation(1), "stream": False})
    assert len(ids) == len(set(ids)) == 9
    assert all(i.startswith(("msg_", "toolu_")) for i in ids)
    final = json.loads(payload)
    assert (final["stop_reason"], final["content"]) == ("end_turn", [text("done")])


def test_fake_answers_side_routes_and_reports_script_errors() -> None:
    """count_tokens and GET answer; a raising script gives a 400 and is recorded, not hidden."""

    def broken(body: dict[str, Any]) -> list[dict[str, Any]]:
        raise RuntimeError("script bug")

    with FakeAnthropic(broken) as api:
        _, counted = _post(api.url + "/v1/messages/count_tokens", _conversation(0))
        with urllib.request.urlopen(api.url + "/v1/models", timeout=10) as response:
            got = json.loads(response.read())
        with pytest.raises(urllib.error.HTTPError) as failure:
            _post(api.url + "/v1/messages", _conversation(0))
    assert json.loads(counted) == {"input_tokens": 10}
    assert got == {}
    failure.value.close()
    assert failure.value.code == 400
    assert len(api.errors) == 1 and "script bug" in api.errors[0]


def test_request_helpers_read_results_and_reminders_around_system_messages() -> None:
    """Helpers pair each tool_result with its call and split out the extra text blocks."""
    body = _conversation(2)
    assert count_tool_results(body) == 2
    assert first_user_text(body) == "the prompt"
    found = tool_results(body)
    assert [(r.name, r.tool_input, r.content, r.is_error) for r in found] == [
        ("Bash", {"n": 0}, "out 0", False),
        ("Bash", {"n": 1}, "out 1", True),
    ]
    assert extra_texts(body) == [
        "<system-reminder>ctx 0</system-reminder>",
        "<system-reminder>ctx 1</system-reminder>",
    ]


@pytest.mark.e2e
def test_sh_hook_deny_reaches_the_real_binary(claude_project: ClaudeProject) -> None:
    """A sh hook's PreToolUse deny blocks Write, is listed, and its reason reaches the model."""
    claude_project.configure({"PreToolUse": [hook_group(DENY_WRITE_HOOK, matcher="Write")]})
    target = claude_project.path("notes/frozen.txt")
    run = claude_project.run(
        "write the file",
        [[tool_use("Write", {"file_path": str(target), "content": "x\n"})], [text("gave up")]],
        stream=True,
    )
    assert not target.exists(), run.describe()
    assert [(d["tool_name"], d["tool_input"]["file_path"]) for d in run.permission_denials] == [
        ("Write", str(target))
    ], run.describe()
    [write] = run.results_for("Write")
    assert (write.is_error, write.content) == (True, DENY_REASON)
    assert (run.result, run.terminal_reason) == ("gave up", "completed")
    responses = [e for e in run.hook_events("hook_response") if e.get("hook_event") == "PreToolUse"]
    assert [e.get("exit_code") for e in responses] == [0], run.hook_events()


@pytest.mark.e2e
def test_without_a_hook_the_same_write_creates_the_file(claude_project: ClaudeProject) -> None:
    """The same scripted Write, granted by permissions.allow and with no hook, writes the file."""
    claude_project.init_git()
    claude_project.configure()
    target = claude_project.path("notes/frozen.txt")
    run = claude_project.run(
        "write the file",
        [[tool_use("Write", {"file_path": str(target), "content": "x\n"})], [text("wrote it")]],
    )
    assert target.read_text() == "x\n", run.describe()
    assert run.permission_denials == []
    [write] = run.results_for("Write")
    assert not write.is_error, run.describe()
    assert (run.result, run.is_error, run.num_turns) == ("wrote it", False, 2)


@pytest.mark.parametrize(
    ("ci", "outcome"), [(None, pytest.skip.Exception), ("1", pytest.fail.Exception)]
)
def test_missing_binary_skips_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None, outcome: type[BaseException]
) -> None:
    """Without the binary a developer's run skips with the install hint; a CI run fails."""
    monkeypatch.setenv("AGENTGUARD_CLAUDE_BIN", str(tmp_path / "no-such-claude"))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=re.escape("npm install --prefix .tools")):
        require_claude()


@pytest.mark.e2e
def test_linked_worktree_gets_its_allow_rules(claude_project: ClaudeProject) -> None:
    """In a linked worktree (main worktree trusted too) project permissions.allow still applies."""
    claude_project.configure()
    claude_project.init_git()
    linked = claude_project.add_worktree(claude_project.root.parent / "linked", "agent/linked")
    target = linked.path("made-in-worktree.txt")
    run = linked.run(
        "write the file",
        [[tool_use("Write", {"file_path": str(target), "content": "x\n"})], [text("wrote it")]],
    )
    assert target.read_text() == "x\n", run.describe()
    assert run.permission_denials == [], run.describe()
    assert "Ignoring" not in run.stderr, run.describe()
