"""Per-subagent policy with the real binary: restricted types and isolation worktrees.

The parent agent (``main``, named by AGENTGUARD_AGENT) owns ``src/**`` and ``tests/**``.
A custom ``reviewer`` type (``.claude/agents/reviewer.md``) may write only ``tests/**``,
and Claude Code's built-in ``Explore`` is read-only. Each subagent's calls reach the
hook with its ``agent_id`` and ``agent_type`` (both versions), so the same write is
allowed to the parent and refused to the subagent.

A subagent started with ``isolation: "worktree"`` works in
``<project>/.claude/worktrees/agent-<agent_id>/`` (both versions; the event's cwd is that
folder, CLAUDE_PROJECT_DIR the parent's project). agentguard judges its own worktree in
its parent's lane: an owned write goes through, an unowned one is refused, and the
parent's write into the subagent's worktree stays self-protected.

Subagents run in the background by default on 2.1.332; these tests turn that off
(CLAUDE_CODE_DISABLE_BACKGROUND_TASKS=1) to keep the conversation in a fixed order.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from agentguard.state import log

from .fakeapi import Block, Body, count_tool_results, first_user_text, text, tool_use
from .harness import ClaudeProject

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults: {unowned_write: deny, unknown_command: allow}
agents:
  main:
    owns: ["src/**", "tests/**"]
subagents:
  Explore: {read_only: true}
  reviewer:
    owns: ["tests/**"]
"""
REVIEWER = """\
---
name: reviewer
description: Reviews code and writes tests.
tools: Read, Write, Edit, Bash
---
You review code and write tests only.
"""
REVIEW = "REVIEWER-4c1e: add a test"
EXPLORE = "EXPLORE-9a51: look around"
ISOLATED = "ISOLATED-3f0b: work in your worktree"


def _setup(project: ClaudeProject, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Policy, reviewer type and PreToolUse hook committed; the run's env and state home."""
    project.write("agentguard.yaml", POLICY)
    project.write(".claude/agents/reviewer.md", REVIEWER)
    project.write("src/app.txt", "app\n")
    command = f"{shlex.quote(sys.executable)} -m agentguard hook PreToolUse"
    hooks = {
        "PreToolUse": [
            {"matcher": "*", "hooks": [{"type": "command", "command": command, "timeout": 30}]}
        ]
    }
    project.configure(hooks, allow=["Read", "Write", "Edit", "Bash", "Agent", "Task"])
    project.init_git()
    home = tmp_path / "agentguard-home"
    env = {
        "AGENTGUARD_HOME": str(home),
        "AGENTGUARD_AGENT": "main",
        "CLAUDE_CODE_DISABLE_BACKGROUND_TASKS": "1",
    }
    return env, home


def _write(path: Path) -> Block:
    return tool_use("Write", {"file_path": str(path), "content": f"{path.name}\n"})


def _agent(prompt: str, kind: str, **extra: Any) -> Block:
    return tool_use(
        "Agent", {"description": kind, "prompt": prompt, "subagent_type": kind, **extra}
    )


def _pre_tool_use(home: Path) -> list[dict[str, Any]]:
    return [r for r in log.read(str(home)) if r.get("event") == "PreToolUse"]


def _result_for(run: Any, path: Path) -> Any:
    found = [r for r in run.tool_results if (r.tool_input or {}).get("file_path") == str(path)]
    assert len(found) == 1, (path, run.describe())
    return found[0]


def test_a_restricted_subagent_type_is_refused_what_its_parent_may_write(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """src/ is the parent's: it writes there; its reviewer may not (tests/ only), nor Explore."""
    project = claude_project
    env, home = _setup(project, tmp_path)
    parent_file = project.path("src/parent.txt")
    reviewer_src = project.path("src/reviewer.txt")
    reviewer_test = project.path("tests/reviewer.txt")
    explore_file = project.path("src/explore.txt")

    def respond(body: Body) -> Sequence[Block]:
        done = count_tool_results(body)
        first = first_user_text(body)
        if REVIEW in first:
            steps = [[_write(reviewer_src)], [_write(reviewer_test)]]
            return steps[done] if done < len(steps) else [text("review done")]
        if EXPLORE in first:
            if done == 0:
                command = f"echo x > {explore_file}"
                return [tool_use("Bash", {"command": command, "description": "write"})]
            return [text("explore done")]
        steps = [[_write(parent_file)], [_agent(REVIEW, "reviewer")], [_agent(EXPLORE, "Explore")]]
        return steps[done] if done < len(steps) else [text("all done")]

    run = project.run("review with helpers", respond, env=env)

    assert parent_file.read_text() == "parent.txt\n", run.describe()
    assert not _result_for(run, parent_file).is_error
    refused = _result_for(run, reviewer_src)
    assert refused.is_error and not reviewer_src.exists(), run.describe()
    assert "[agentguard:subagent]" in refused.reason and "'reviewer'" in refused.reason
    assert reviewer_test.read_text() == "reviewer.txt\n", run.describe()
    assert not explore_file.exists(), run.describe()
    [bash] = run.results_for("Bash")
    assert bash.is_error and "[agentguard:subagent]" in bash.reason, run.describe()
    assert "read-only" in bash.reason

    records = _pre_tool_use(home)
    by_tool = [
        (r.get("tool"), r.get("agent_type"), r.get("decision"))
        for r in records
        if r.get("tool") in ("Write", "Bash")
    ]
    assert by_tool == [
        ("Write", None, "allow"),
        ("Write", "reviewer", "deny"),
        ("Write", "reviewer", "allow"),
        ("Bash", "Explore", "deny"),
    ], records
    ids = {r.get("agent_id") for r in records if r.get("agent_type")}
    assert None not in ids and len(ids) == 2, records


def test_a_worktree_isolated_subagent_writes_in_its_own_worktree_in_its_parents_lane(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """agent-<id>/src is allowed, agent-<id>/docs refused (unowned); the parent may not write
    into the subagent's worktree (self-protection)."""
    project = claude_project
    env, home = _setup(project, tmp_path)
    trees = project.path(".claude/worktrees")
    seen: dict[str, Path] = {}

    def tree() -> Path:
        if "tree" not in seen:
            found = sorted(trees.glob("agent-*"))
            assert len(found) == 1, found
            seen["tree"] = found[0]
        return seen["tree"]

    def respond(body: Body) -> Sequence[Block]:
        done = count_tool_results(body)
        if ISOLATED in first_user_text(body):
            steps = [[_write(tree() / "src/iso.txt")], [_write(tree() / "docs/iso.txt")]]
            return steps[done] if done < len(steps) else [text("isolated done")]
        if done == 0:
            return [_agent(ISOLATED, "general-purpose", isolation="worktree")]
        if done == 1:
            return [_write(tree() / "src/parent.txt")]
        return [text("all done")]

    run = project.run("work in isolation", respond, env=env)

    own = tree()
    agent_id = own.name.removeprefix("agent-")
    assert (own / "src/iso.txt").read_text() == "iso.txt\n", run.describe()
    assert not _result_for(run, own / "src/iso.txt").is_error
    unowned = _result_for(run, own / "docs/iso.txt")
    assert unowned.is_error and "[agentguard:unowned-write]" in unowned.reason, run.describe()
    assert not (own / "docs/iso.txt").exists()
    parent = _result_for(run, own / "src/parent.txt")
    assert parent.is_error and "[agentguard:self-protection]" in parent.reason, run.describe()
    assert not (own / "src/parent.txt").exists()

    writes = [r for r in _pre_tool_use(home) if r.get("tool") == "Write"]
    assert [(r.get("agent_id"), r.get("decision")) for r in writes] == [
        (agent_id, "allow"),
        (agent_id, "deny"),
        (None, "deny"),
    ], json.dumps(writes, indent=1)[:3000]
    assert writes[0]["cwd"] == str(own)
