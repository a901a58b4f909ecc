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

from . import harness
from .fakeapi import (
    FakeAnthropic,
    ToolResult,
    count_tool_results,
    extra_texts,
    first_user_text,
    hook_texts,
    stop_feedback,
    text,
    tool_results,
    tool_use,
)
from .harness import (
    NEWEST,
    OLDEST,
    ClaudeProject,
    claude_at_least,
    claude_versions,
    find_claude,
    hook_group,
    installed_claudes,
    parse_version,
    require_claude,
)

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


def test_reason_unwraps_what_a_version_adds_around_a_deny() -> None:
    """The deny prefix and appended reminders are removed; the hook's own words stay whole."""
    wrapped = ToolResult(
        "t1",
        "PreToolUse:Write hook error: [agentguard:ownership] no\n\n"
        "<system-reminder>\nctx: retry later\n</system-reminder>",
        True,
        "Write",
        {},
    )
    assert wrapped.reason == "[agentguard:ownership] no"
    assert wrapped.reminders == ["<system-reminder>\nctx: retry later\n</system-reminder>"]
    plain = ToolResult("t2", "[agentguard:ownership] no", True, "Write", {})
    assert (plain.reason, plain.reminders) == ("[agentguard:ownership] no", [])
    # Only a leading "<Event>:<Tool> hook error: " is the version's; text inside is output.
    inner = ToolResult("t3", "log: PreToolUse:Bash hook error: x", False, "Bash", {})
    assert inner.reason == "log: PreToolUse:Bash hook error: x"


def _layout(old: bool) -> dict[str, Any]:
    """One request as 2.1.197 (old) or 2.1.332 lays out hook context and a Stop block."""
    body = _conversation(1)
    result_message = body["messages"][-1]
    result_message["content"] = result_message["content"][:1]
    if old:
        result_message["content"].append(
            {
                "type": "text",
                "text": "<system-reminder>\nPostToolUse context: C\n</system-reminder>",
            }
        )
        feedback = "Stop hook feedback:\n[agentguard:gate] R"
        body["messages"].append({"role": "user", "content": [{"type": "text", "text": feedback}]})
        return body
    body["messages"].append({"role": "system", "content": "PostToolUse context: C"})
    wrapped = (
        "<system-reminder>\nThe text below is the output of a hook …\n"
        "Stop hook feedback:\n[agentguard:gate] R\n</system-reminder>"
    )
    body["messages"].append({"role": "user", "content": [{"type": "text", "text": wrapped}]})
    body["messages"].append(
        {
            "role": "system",
            "content": 'Stop hook blocking error from command: "x": [agentguard:gate] R',
        }
    )
    return body


@pytest.mark.parametrize("old", [True, False], ids=["2.1.197-layout", "2.1.332-layout"])
def test_hook_texts_and_stop_feedback_read_either_layout(old: bool) -> None:
    """Context is found where each version puts it; each Stop block counts once, unwrapped."""
    body = _layout(old)
    assert any("PostToolUse context: C" in t for t in hook_texts(body)), hook_texts(body)
    assert stop_feedback(body) == ["[agentguard:gate] R"]


def test_context_appended_inside_a_tool_result_is_a_hook_text() -> None:
    """Some models get hook context inside the tool result's text: hook_texts finds it there."""
    body = _conversation(1)
    block = body["messages"][-1]["content"][0]
    block["content"] = [
        {"type": "text", "text": "out\n\n<system-reminder>\nCTX\n</system-reminder>"}
    ]
    body["messages"][-1]["content"] = [block]
    assert "<system-reminder>\nCTX\n</system-reminder>" in hook_texts(body)
    [result] = tool_results(body)
    assert result.reason == "out"


def test_run_wide_stop_feedback_keeps_repeated_blocks_once_each() -> None:
    """Across a growing conversation each block counts once; the same reason twice is two."""
    first, second = _layout(True), _layout(True)
    second["messages"].append(second["messages"][-1])
    with FakeAnthropic([]) as api:
        for body in (first, second):
            _post(api.url + "/v1/messages", {**body, "stream": False})
        assert api.stop_feedback() == ["[agentguard:gate] R", "[agentguard:gate] R"]


def test_versions_compare_numerically() -> None:
    """2.1.99 is older than 2.1.197; an unreadable version satisfies no minimum."""
    assert parse_version("2.1.332 (Claude Code)") == (2, 1, 332)
    assert claude_at_least(NEWEST, "2.1.295") and not claude_at_least(OLDEST, "2.1.295")
    assert claude_at_least("2.1.197", "2.1.99") and claude_at_least("2.1.197", "2.1.197")
    assert not claude_at_least("unknown", "0.0.1")


def _install(prefix: Path, version: str) -> Path:
    """A fake npm install of ``version`` under ``prefix``: its package.json and bin link."""
    package = prefix / "node_modules" / "@anthropic-ai" / "claude-code"
    package.mkdir(parents=True)
    (package / "package.json").write_text(
        json.dumps({"name": "@anthropic-ai/claude-code", "version": version})
    )
    (package / "cli.js").write_text("")
    binary = prefix / "node_modules" / ".bin" / "claude"
    binary.parent.mkdir(parents=True)
    binary.symlink_to(package / "cli.js")
    return binary


def test_each_version_is_found_in_its_own_tools_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """.tools-<v>, plain .tools and .tools/<x> installs are told apart by their package."""
    monkeypatch.setattr(harness, "REPO", tmp_path)
    monkeypatch.delenv("AGENTGUARD_CLAUDE_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    old = _install(tmp_path / ".tools", OLDEST)
    new = _install(tmp_path / ".tools-new", NEWEST)
    other = _install(tmp_path / ".tools" / "claude-2.1.250", "2.1.250")
    assert installed_claudes() == {OLDEST: str(old), NEWEST: str(new), "2.1.250": str(other)}
    assert (find_claude(OLDEST), find_claude(NEWEST)) == (str(old), str(new))
    assert find_claude("2.1.300") is None
    assert claude_versions() == [OLDEST, NEWEST]
    # The override replaces the list with its own version, read from its package.
    monkeypatch.setenv("AGENTGUARD_CLAUDE_BIN", str(other))
    assert claude_versions() == ["2.1.250"]
    assert find_claude("2.1.250") == str(other)


@pytest.mark.e2e
@pytest.mark.requires_claude(NEWEST)
def test_newest_version_prefixes_deny_reasons(claude_project: ClaudeProject) -> None:
    """On 2.1.332 the model sees "PreToolUse:Write hook error: <reason>" (what reason strips)."""
    assert claude_project.at_least(NEWEST), claude_project.version
    claude_project.configure({"PreToolUse": [hook_group(DENY_WRITE_HOOK, matcher="Write")]})
    target = claude_project.path("notes/frozen.txt")
    run = claude_project.run(
        "write the file",
        [[tool_use("Write", {"file_path": str(target), "content": "x\n"})], [text("gave up")]],
    )
    [write] = run.results_for("Write")
    assert write.content == f"PreToolUse:Write hook error: {DENY_REASON}", run.describe()


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
    # 2.1.332 prefixes the reason with "PreToolUse:Write hook error: "; the reason is whole.
    assert (write.is_error, write.reason) == (True, DENY_REASON), run.describe()
    assert write.content.endswith(DENY_REASON), run.describe()
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
    install = f"npm install --prefix .tools-{OLDEST} @anthropic-ai/claude-code@{OLDEST}"
    with pytest.raises(outcome, match=re.escape(install)):
        require_claude(OLDEST)


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
