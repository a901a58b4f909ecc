"""agentguard's shell analysis, honoured by the real Claude Code binary (offline, fake model).

The fake model issues three Bash calls as the ``search`` agent: a force push hidden
behind an allowed inspection command, a write into another agent's file through a
redirection, and the project's local gate (``npm run check``). What is checked is what
the user sees: ``permission_denials``, the reasons the model received, whether each
command's side effects happened, and the allowed command's output.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from .fakeapi import text, tool_use
from .harness import ClaudeProject, ClaudeResult, hook_group

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults: {on_error: deny, unassigned_agent: ask, unowned_write: ask}
agents:
  metadata: {branch: agent/metadata, worktree: ., owns: [src/content/**]}
  search:
    branch: agent/search
    worktree: .
    owns: [src/pages/**]
    cannot_touch: [src/content/**]
commands:
  - id: git-inspection
    justification: Git inspection is free.
    allow: [git status, git diff, git log]
  - id: history-rewrite
    builtin: git-destructive
    decision: ask
    justification: Force pushes rewrite shared history; a human decides.
  - id: network
    builtin: network
    decision: ask
    justification: This task needs no network.
  - id: local-gate
    justification: The verification gate runs without asking.
    allow: [npm run check]
"""
CONFIG = "export const collections = {};\n"
HOOK = f"{shlex.quote(sys.executable)} -m agentguard hook PreToolUse"


def _bash(command: str) -> dict[str, object]:
    return {"command": command, "description": "step"}


def _results(run: ClaudeResult) -> dict[str, tuple[bool, str]]:
    """Each Bash call's (is_error, content), by command."""
    return {str(r.tool_input["command"]): (r.is_error, r.content) for r in run.results_for("Bash")}


def test_shell_commands_are_judged_like_any_other_call(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """A hidden force push and a redirection into metadata's file are refused; the gate runs."""
    project = claude_project
    project.write("agentguard.yaml", POLICY)
    project.write("src/content/config.ts", CONFIG)
    project.write("src/pages/index.astro", "<p>home</p>\n")
    project.write(
        "package.json",
        json.dumps({"name": "blog", "private": True, "scripts": {"check": "echo check-ran"}}),
    )
    # No Bash in the settings' allow list: `npm run check` runs only because agentguard's
    # explicit allow (the local-gate rule) reaches Claude Code and skips its prompt.
    project.configure({"PreToolUse": [hook_group(HOOK)]}, allow=["Read"])
    project.init_git()
    env = {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
        "AGENTGUARD_AGENT": "search",
    }
    push = "touch pushed.marker && git status && git push --force origin HEAD"
    redirect = "echo 'export const hijacked = 1;' > src/content/config.ts"
    gate = "npm run check"
    run = project.run(
        "ship it",
        [
            [tool_use("Bash", _bash(push))],
            [tool_use("Bash", _bash(redirect))],
            [tool_use("Bash", _bash(gate))],
            [text("done")],
        ],
        env=env,
    )
    results = _results(run)
    assert set(results) == {push, redirect, gate}, run.describe()

    denied = {str(d["tool_input"]["command"]) for d in run.permission_denials}
    assert denied == {push, redirect}, run.describe()

    is_error, reason = results[push]
    assert is_error, run.describe()
    assert "[agentguard:history-rewrite]" in reason, run.describe()
    assert not project.path("pushed.marker").exists(), "the compound line ran in part"

    is_error, reason = results[redirect]
    assert is_error, run.describe()
    assert "[agentguard:cannot-touch]" in reason or "[agentguard:ownership]" in reason
    assert project.read("src/content/config.ts") == CONFIG

    is_error, output = results[gate]
    assert not is_error, run.describe()
    assert "check-ran" in output, run.describe()
