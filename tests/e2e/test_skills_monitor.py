"""Skill and slash-command shell commands, and Monitor, judged by agentguard in the real binary.

Claude Code 2.1.332 fires PreSkillShellCommand before a `` !`cmd` `` embedded in a skill
(``SKILL.md``) or a slash command (``.claude/commands/*.md``) runs; 2.1.197 runs them with no
hook at all. ``Monitor`` (2.1.332) runs a shell command and fires PreToolUse. The fake model
drives each, and what is checked is what the user sees: the command did not run (its marker
file is absent), the model read ``[not run: blocked by hook: …]`` with agentguard's reason,
and the decision log names the skill.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import settings
from agentguard.claude.events import problems

from .fakeapi import text, tool_use
from .harness import ClaudeProject, ClaudeResult, hook_group

# 2.1.332 is the first version seen to fire PreSkillShellCommand and to offer Monitor.
pytestmark = [pytest.mark.e2e, pytest.mark.requires_claude("2.1.332")]

POLICY = """\
version: 1
defaults: {on_error: deny, unassigned_agent: allow}
commands:
  - id: git-inspection
    justification: Git inspection is free.
    allow: [git status, git branch --show-current]
  - id: history-rewrite
    builtin: git-destructive
    decision: ask
    justification: Force pushes rewrite shared history; a human decides.
"""
BLOCKED = "[not run: blocked by hook:"


@pytest.fixture
def project(claude_project: ClaudeProject, tmp_path: Path) -> ClaudeProject:
    """A git project guarded by agentguard's PreToolUse and PreSkillShellCommand hooks."""
    python = shlex.quote(sys.executable)
    entries = settings.hook_entries(lambda event: f"{python} -m agentguard hook {event}")
    hooks = {e: entries[e] for e in ("PreToolUse", "PreSkillShellCommand")}
    # A second handler keeps each raw event, to check it against agentguard's schema.
    captured = claude_project.home / "captured"
    captured.mkdir()
    hooks["PreSkillShellCommand"] += [hook_group(f'cat > "{captured}/event-$$.json"')]
    claude_project.write("agentguard.yaml", POLICY)
    # Bash and Monitor are allowed outright, so agentguard alone stands between a skill's
    # command and the shell (without the allow, Claude Code's own check refuses it in -p).
    claude_project.configure(hooks, allow=["Read", "Skill", "Bash", "Monitor"])
    claude_project.init_git()
    return claude_project


def _env(project: ClaudeProject, tmp_path: Path) -> dict[str, str]:
    return {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
    }


def _user_text(run: ClaudeResult) -> str:
    """Every user text block of the last request: where skill output reaches the model."""
    body = run.requests[-1]
    parts: list[str] = []
    for message in body.get("messages", []):
        if message.get("role") != "user" or not isinstance(message.get("content"), list):
            continue
        parts += [str(b.get("text", "")) for b in message["content"] if b.get("type") == "text"]
    return "\n".join(parts)


def _log(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "agentguard-home" / "logs" / "decisions.jsonl").read_text("utf-8")
    return [json.loads(line) for line in lines.splitlines()]


def test_a_skill_that_embeds_a_force_push_is_refused(
    project: ClaudeProject, tmp_path: Path
) -> None:
    """The model invokes a skill: its force push is not run, its inspection is."""
    project.write(
        ".claude/skills/ship/SKILL.md",
        "---\nname: ship\ndescription: ship the branch\n---\n"
        "Branch: !`git branch --show-current`\n"
        "Push: !`touch pushed.marker && git status && git push --force origin HEAD`\n",
    )
    project.commit("skill")
    run = project.run(
        "ship it",
        [[tool_use("Skill", {"skill": "ship"})], [text("done")]],
        env=_env(project, tmp_path),
    )
    seen = _user_text(run)
    assert not project.path("pushed.marker").exists(), "the skill's command ran"
    assert BLOCKED in seen and "[agentguard:history-rewrite]" in seen, run.describe()
    assert "Branch: main" in seen, "the allowed inspection did not run\n" + seen[-2000:]
    skill = [r for r in _log(tmp_path) if r["event"] == "PreSkillShellCommand"]
    pushed = [r for r in skill if "push" in r["input"]["command"]]
    assert [(r["command_name"], r["invoked_by"], r["output"]) for r in pushed] == [
        ("ship", "claude", "ask")
    ]
    raw = [json.loads(p.read_text("utf-8")) for p in (project.home / "captured").glob("*.json")]
    assert len(raw) == 2 and all(problems(event) == [] for event in raw), raw


def test_a_slash_command_that_embeds_a_force_push_is_refused(
    project: ClaudeProject, tmp_path: Path
) -> None:
    """The user types /release: the command file's force push is not run."""
    project.write(
        ".claude/commands/release.md",
        "---\ndescription: release\n---\n"
        "Release: !`touch released.marker; git push -f origin HEAD`\n",
    )
    project.commit("command")
    run = project.run("/release", [[text("done")]], env=_env(project, tmp_path))
    seen = _user_text(run)
    assert not project.path("released.marker").exists(), "the command's shell line ran"
    assert BLOCKED in seen and "[agentguard:history-rewrite]" in seen, run.describe()
    (record,) = [r for r in _log(tmp_path) if r["event"] == "PreSkillShellCommand"]
    assert (record["command_name"], record["invoked_by"]) == ("release", "user")


def test_monitor_with_a_forbidden_command_is_refused(
    project: ClaudeProject, tmp_path: Path
) -> None:
    """A Monitor whose command force-pushes is refused with the shell gate's reason."""
    command = "touch monitored.marker; git push --force origin HEAD"
    watch = {"description": "watch the push", "timeout_ms": 5000, "command": command}
    run = project.run(
        "watch it", [[tool_use("Monitor", watch)], [text("done")]], env=_env(project, tmp_path)
    )
    (result,) = run.results_for("Monitor")
    assert result.is_error, run.describe()
    assert "[agentguard:history-rewrite]" in result.content, run.describe()
    assert not project.path("monitored.marker").exists(), "the Monitor command ran"
    assert [d["tool_name"] for d in run.permission_denials] == ["Monitor"], run.describe()
