"""Unknown programs given protected or foreign files (engine/unknown.py): a declaration
in the policy's ``programs:`` section is what makes them known."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_programs import POLICY, Hook

READ_ONLY = """\
programs:
  mytool: {classes: [read-only]}
"""


@pytest.mark.parametrize(
    "line, decision",
    [
        ("mytool docs/guide.md", "ask"),
        ("mytool --out=.git/config", "deny"),
        ("nohup mytool .claude/settings.json", "deny"),
        ("mytool src/index.ts", "none"),
        ("mytool notes/todo.txt", "none"),
    ],
)
def test_an_undeclared_program_is_judged_by_the_files_it_is_given(
    tmp_path: Path, line: str, decision: str
) -> None:
    """Another lane asks, agentguard's own files are denied, own and neutral files pass
    (another agent's worktree: the bash corpus, which has real ones)."""
    assert Hook(tmp_path, POLICY.replace("NETWORK", "ask")).bash(line) == decision


@pytest.mark.parametrize("line", ["mytool docs/guide.md", "timeout 5 mytool docs/x.md"])
def test_a_declared_program_is_not_unknown(tmp_path: Path, line: str) -> None:
    """Declared read-only, the program's operands are reads: a foreign file raises nothing."""
    assert Hook(tmp_path, POLICY.replace("NETWORK", "ask") + READ_ONLY).bash(line) == "none"


def test_a_declared_name_called_by_a_path_stays_unknown(tmp_path: Path) -> None:
    """``./mytool`` may be the agent's own file, not the declared program: still judged."""
    hook = Hook(tmp_path, POLICY.replace("NETWORK", "ask") + READ_ONLY)
    assert hook.bash("./mytool .claude/settings.json") == "deny"
