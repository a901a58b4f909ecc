"""Claude Code's messaging token, with the real binaries: never echoed, never logged.

2.1.332 gives every hook and tool ``CLAUDE_CODE_MESSAGING_TOKEN``, the bearer token of its
messaging socket. The fake model first asks for it (``echo $CLAUDE_CODE_MESSAGING_TOKEN``,
an environment dump: refused under ``-p``), then, on versions that set it, pastes the real
value (read from a capture hook's file) into a harmless command that runs. What is
checked: the refusal, that the model never received the value, and that the decision log
never holds it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from agentguard.state import log

from .fakeapi import Block, Body, count_tool_results, text, tool_use
from .harness import ClaudeProject, hook_group

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults: {on_error: deny, unknown_command: allow}
agents:
  dev: {worktree: ., owns: ["**"]}
commands:
  - id: environment-dump
    builtin: env-dump
    decision: ask
    justification: The environment holds secrets.
"""
ASK = "echo $CLAUDE_CODE_MESSAGING_TOKEN"


def test_the_messaging_token_is_neither_shown_nor_logged(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """Echoing the token is refused; a command holding its value runs but is logged redacted."""
    project = claude_project
    project.write("agentguard.yaml", POLICY)
    captured = tmp_path / "token.txt"
    capture = f"cat >/dev/null; printenv CLAUDE_CODE_MESSAGING_TOKEN > {captured} || true"
    guard = f"{shlex.quote(sys.executable)} -m agentguard hook PreToolUse"
    project.configure(
        {"PreToolUse": [hook_group(guard, matcher="Bash"), hook_group(capture, matcher="Bash")]},
        allow=["Read", "Bash"],
    )
    project.init_git()
    home = tmp_path / "agentguard-home"
    env = {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(home),
        "AGENTGUARD_AGENT": "dev",
    }
    pasted: list[str] = []

    def respond(body: Body) -> Sequence[Block]:
        step = count_tool_results(body)
        if step == 0:
            return [tool_use("Bash", {"command": ASK, "description": "show the token"})]
        token = captured.read_text().strip() if captured.exists() else ""
        if step == 1 and token:
            pasted.append(f"echo {token} >/dev/null")
            return [tool_use("Bash", {"command": pasted[0], "description": "use it"})]
        return [text("done")]

    run = project.run("talk to the messaging socket", respond, env=env)
    [refused, *rest] = run.results_for("Bash")
    assert refused.is_error and "[agentguard:environment-dump]" in refused.reason, run.describe()
    assert [d["tool_input"]["command"] for d in run.permission_denials] == [ASK]
    token = captured.read_text().strip() if captured.exists() else ""
    assert bool(token) == project.at_least("2.1.332"), f"token set: {bool(token)}"
    records = [r for r in log.read(str(home)) if r.get("tool") == "Bash"]
    assert [r["decision"] for r in records][:1] == ["ask"], records
    if not token:
        return
    # The value was pasted into a command that ran; the model got no token back from us.
    [used] = rest
    assert not used.is_error, run.describe()
    assert all(token not in r.content for r in run.tool_results), run.describe()
    logged = "".join(p.read_text() for p in (home / "logs").glob("decisions.jsonl*"))
    assert token not in logged
    assert [r["input"]["command"] for r in records] == [ASK, "echo [REDACTED] >/dev/null"]
