"""A command run through sudo, honoured by the real Claude Code binary (offline, fake model).

The policy allows ``ls`` as inspection and Bash as a tool class, and has no privilege
rule. Before issue 8 item 9, ``sudo ls`` got agentguard's explicit allow and ran without
Claude Code's own prompt. Now agentguard gives no opinion on it, so Claude Code's
permissions decide: with Bash not in its allow list and no human to ask, it refuses.
A stand-in ``sudo`` on PATH leaves a marker if it ever runs.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from .fakeapi import text, tool_use
from .harness import ClaudeProject, hook_group

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults: {on_error: deny, unassigned_agent: allow, unknown_command: allow}
commands:
  - id: inspection
    justification: Inspection is free.
    allow: [ls, pwd]
tools:
  - id: bash-ok
    tools: [Bash]
    decision: allow
    justification: Bash is trusted here.
"""
HOOK = f"{shlex.quote(sys.executable)} -m agentguard hook PreToolUse"


def test_sudo_is_left_to_claude_codes_own_prompt(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """``ls`` runs on agentguard's allow; ``sudo ls`` gets none and Claude Code refuses it."""
    project = claude_project
    project.write("agentguard.yaml", POLICY)
    project.write("notes.txt", "x\n")
    project.configure({"PreToolUse": [hook_group(HOOK)]}, allow=["Read"])
    project.init_git()
    fake = tmp_path / "bin"
    fake.mkdir()
    marker = tmp_path / "sudo-ran.marker"
    sudo = fake / "sudo"
    sudo.write_text(f'#!/bin/sh\ntouch {shlex.quote(str(marker))}\nexec "$@"\n')
    sudo.chmod(0o755)
    env = {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
        "PATH": f"{fake}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
    }
    plain = "ls notes.txt"
    root = "sudo ls notes.txt"
    run = project.run(
        "look around",
        [
            [tool_use("Bash", {"command": plain, "description": "list"})],
            [tool_use("Bash", {"command": root, "description": "list as root"})],
            [text("done")],
        ],
        env=env,
    )
    results = {str(r.tool_input["command"]): r for r in run.results_for("Bash")}
    assert set(results) == {plain, root}, run.describe()
    assert not results[plain].is_error, run.describe()
    assert "notes.txt" in results[plain].content, run.describe()
    assert results[root].is_error, run.describe()
    denied = {str(d["tool_input"]["command"]) for d in run.permission_denials}
    assert denied == {root}, run.describe()
    assert not marker.exists(), "sudo ran: agentguard's allow skipped Claude Code's prompt"
