"""PreSkillShellCommand (2.1.332+): a skill's embedded shell command is judged as Bash."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import events, settings
from agentguard.hook import run as hook

POLICY = """\
version: 1
defaults: {on_error: deny, unassigned_agent: allow}
commands:
  - id: inspection
    justification: Inspection is free.
    allow: [git status]
  - id: history-rewrite
    builtin: git-destructive
    decision: deny
    justification: Force pushes rewrite shared history.
"""


def _event(cwd: Path, command: Any, **extra: Any) -> dict[str, Any]:
    """The event 2.1.332 sends for `` !`command` `` in a project skill the model invoked."""
    return {
        "session_id": "s-skill",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": "PreSkillShellCommand",
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "tool_use_id": "toolu_01:preamble-0",
        "command_name": "pushit",
        "command_source": "projectSettings",
        "invoked_by": "claude",
        **extra,
    }


class Hook:
    """The hook entry point in-process, with a policy, a state folder and a project."""

    def __init__(self, tmp_path: Path) -> None:
        self.project = tmp_path / "project"
        self.project.mkdir()
        self.state = tmp_path / "state"
        policy = tmp_path / "policy.yaml"
        policy.write_text(POLICY, "utf-8")
        self.env = {
            "AGENTGUARD_HOME": str(self.state),
            "AGENTGUARD_POLICY": str(policy),
            "HOME": str(tmp_path / "home"),
            "CLAUDE_PROJECT_DIR": str(self.project),
        }

    def run(self, event: Any, name: str = "PreSkillShellCommand") -> Any:
        """The parsed output of one call (None when the hook printed nothing)."""
        out = io.StringIO()
        stdin = io.StringIO(event if isinstance(event, str) else json.dumps(event))
        assert hook.main([name], stdin, out, self.env) == 0
        return json.loads(out.getvalue()) if out.getvalue() else None

    def log(self) -> list[dict[str, Any]]:
        """Every log record so far."""
        lines = (self.state / "logs" / "decisions.jsonl").read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture
def guard(tmp_path: Path) -> Hook:
    """A fresh hook environment."""
    return Hook(tmp_path)


def _specific(output: Any) -> dict[str, Any]:
    assert list(output) == ["hookSpecificOutput"]
    specific: dict[str, Any] = output["hookSpecificOutput"]
    assert specific["hookEventName"] == "PreSkillShellCommand"
    return specific


@pytest.mark.parametrize(
    "command",
    [
        "git push --force origin HEAD",
        "git status && git push -f",
        "bash -c 'git push origin +main'",
        "echo ok; $(git push --force-with-lease)",
    ],
)
def test_a_skill_that_embeds_a_force_push_is_refused(guard: Hook, command: str) -> None:
    """Every spelling the Bash gate refuses is refused in a skill, under the skill event's name."""
    specific = _specific(guard.run(_event(guard.project, command)))
    assert specific["permissionDecision"] == "deny"
    assert "[agentguard:history-rewrite]" in specific["permissionDecisionReason"]


def test_the_command_is_judged_whatever_tool_name_says(guard: Hook) -> None:
    """A tool_name other than Bash does not route the command around the shell gate."""
    event = _event(guard.project, "git push --force", tool_name="PowerShell")
    assert _specific(guard.run(event))["permissionDecision"] == "deny"


def test_an_allowed_command_is_allowed_and_an_unknown_one_left_alone(guard: Hook) -> None:
    """An explicit allow reaches the wire; a command no rule covers gets no output."""
    specific = _specific(guard.run(_event(guard.project, "git status")))
    assert specific["permissionDecision"] == "allow"
    assert guard.run(_event(guard.project, "date")) is None


def test_the_log_says_which_skill_ran_what(guard: Hook) -> None:
    """The log line names the event, the command, the skill and who invoked it."""
    guard.run(_event(guard.project, "git push --force origin HEAD"))
    (record,) = guard.log()
    assert record["event"] == "PreSkillShellCommand"
    assert record["input"]["command"] == "git push --force origin HEAD"
    assert (record["command_name"], record["command_source"], record["invoked_by"]) == (
        "pushit",
        "projectSettings",
        "claude",
    )
    assert record["decision"] == "deny" and record["output"] == "deny"


@pytest.mark.parametrize(
    "tool_input",
    [{}, {"command": ["git", "push"]}, {"command": None}, "git push -f"],
)
def test_a_malformed_command_fails_closed(guard: Hook, tool_input: Any) -> None:
    """No command to judge is the policy's on_error decision, rendered for this event."""
    event = _event(guard.project, "x")
    event["tool_input"] = tool_input
    specific = _specific(guard.run(event))
    assert specific["permissionDecision"] == "deny"
    assert specific["permissionDecisionReason"].startswith("[agentguard:on-error]")


def test_an_unparseable_event_fails_closed_under_its_own_name(guard: Hook) -> None:
    """Bad stdin on this event still answers with a PreSkillShellCommand deny."""
    specific = _specific(guard.run("{not json"))
    assert specific["permissionDecision"] == "deny"


def test_a_pretooluse_event_on_the_skill_hook_is_refused(guard: Hook) -> None:
    """An event of another kind on this hook is a misconfiguration: on_error, not a judgement."""
    event = _event(guard.project, "git status", hook_event_name="PreToolUse")
    specific = _specific(guard.run(event))
    assert specific["permissionDecision"] == "deny"
    assert "hook_event_name" in specific["permissionDecisionReason"]


def test_install_registers_the_event_for_every_tool() -> None:
    """install registers PreSkillShellCommand like PreToolUse: match-all, onFailure block."""
    entries = settings.hook_entries(lambda event: f"agentguard hook {event}")
    (group,) = entries["PreSkillShellCommand"]
    assert group["matcher"] == "*"
    assert group["hooks"][0]["command"] == "agentguard hook PreSkillShellCommand"
    assert group["hooks"][0]["onFailure"] == "block"
    assert hook.canonical_event("pre-skill-shell-command") == "PreSkillShellCommand"


def test_the_observed_payload_satisfies_the_event_schema(tmp_path: Path) -> None:
    """The payload seen from 2.1.332 validates; one without a command does not."""
    event = _event(tmp_path, "git status", effort={"level": "medium"}, prompt_id="p")
    assert events.problems(event) == []
    del event["tool_input"]["command"]
    assert any("command" in p for p in events.problems(event))
    event["tool_input"]["command"] = "x"
    event["invoked_by"] = "robot"
    assert any("invoked_by" in p for p in events.problems(event))
