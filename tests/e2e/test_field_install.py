"""The guarantee in a teammate's clone, with the real binaries (each supported version).

The author runs ``agentguard install`` and commits; the teammate clones and has no agentguard
at all. What must hold: the committed hook still answers (denying, naming the install
command), so a write the project allows is refused instead of silently run. And Claude Code's
own switch: with ``"onFailure": "block"`` a hook that cannot start blocks the tool on
2.1.295+, while 2.1.197 ignores the key and runs the tool (why the entry answers by itself).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentguard.claude import settings_check
from agentguard.commands import install

from .fakeapi import text, tool_use
from .harness import ClaudeProject, ClaudeResult, claude_at_least

pytestmark = pytest.mark.e2e

# The first version that honours "onFailure" (claude-code-hooks.md section 13).
ON_FAILURE = "2.1.295"
# Enough for node, sh and git; nothing of this test run's Python (no agentguard on it).
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"
NOTE = "notes.txt"


def _project(tmp_path: Path, binary: str, name: str) -> ClaudeProject:
    if shutil.which("agentguard", path=BARE_PATH) or shutil.which("node", path=BARE_PATH) is None:
        pytest.skip(f"{BARE_PATH} must hold node and no agentguard for this test")
    return ClaudeProject(tmp_path / name, tmp_path / f"{name}-home", binary)


def _authored_clone(tmp_path: Path, binary: str, *install_args: str) -> ClaudeProject:
    """The author's repository (Write allowed, agentguard installed and committed), cloned."""
    author = tmp_path / "author"
    (author / ".claude").mkdir(parents=True)
    (author / ".claude" / "settings.json").write_text(
        json.dumps({"permissions": {"allow": ["Read", "Write", "Edit"]}}, indent=2) + "\n"
    )
    assert install.main(["install", "--project", str(author), *install_args]) == 0
    git = ["git", "-c", "user.name=a", "-c", "user.email=a@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=author, check=True)
    subprocess.run([*git, "add", "-A"], cwd=author, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "guarded"], cwd=author, check=True)
    clone = _project(tmp_path, binary, "teammate")
    clone.root.rmdir()
    subprocess.run(["git", "clone", "-q", str(author), str(clone.root)], check=True)
    return clone


def _write_note(clone: ClaudeProject, tmp_path: Path) -> ClaudeResult:
    return clone.run(
        "write a note",
        [
            [tool_use("Write", {"file_path": str(clone.path(NOTE)), "content": "hi\n"})],
            [text("ok")],
        ],
        env={"PATH": BARE_PATH, "AGENTGUARD_HOME": str(tmp_path / "state")},
    )


def test_clone_without_agentguard_refuses_the_write(claude_bin: str, tmp_path: Path) -> None:
    """No agentguard anywhere in the clone: the allowed Write is denied, naming the install."""
    clone = _authored_clone(tmp_path, claude_bin)
    assert (clone.root / ".claude" / "hooks" / "agentguard").is_file()
    run = _write_note(clone, tmp_path)
    assert not clone.path(NOTE).exists(), run.describe()
    assert [d["tool_name"] for d in run.permission_denials] == ["Write"], run.describe()
    [result] = run.results_for("Write")
    assert result.is_error, run.describe()
    assert "agentguard is not installed for this project" in result.content, run.describe()
    assert "pipx install agentguard" in result.content, run.describe()


def test_the_old_absolute_command_lets_the_write_through(
    claude_bin: str, claude_version: str, tmp_path: Path
) -> None:
    """Today's failure on 2.1.197: the author's venv path is "not found" and the Write runs.

    The author's interpreter is a copy that the clone's machine does not have (deleted
    here after install), exactly what a teammate's machine looks like.
    """
    author_venv = tmp_path / "author-venv" / "bin"
    author_venv.mkdir(parents=True)
    (author_venv / "python").symlink_to(sys.executable)
    if claude_at_least(claude_version, ON_FAILURE):
        pytest.skip(f"pins the behaviour before {ON_FAILURE}, which ignores onFailure")
    clone = _authored_clone(tmp_path, claude_bin, "--python", str(author_venv / "python"))
    shutil.rmtree(tmp_path / "author-venv")
    run = _write_note(clone, tmp_path)
    assert clone.read(NOTE) == "hi\n", run.describe()
    assert run.permission_denials == [], run.describe()


def test_on_failure_block_and_a_hook_that_cannot_start(
    claude_bin: str, claude_version: str, tmp_path: Path
) -> None:
    """onFailure: block + a missing hook script: 2.1.332 blocks the Write, 2.1.197 runs it."""
    project = _project(tmp_path, claude_bin, "project")
    handler = {
        "type": "command",
        "command": '"$CLAUDE_PROJECT_DIR"/.claude/hooks/missing PreToolUse',
        "timeout": 30,
        "onFailure": "block",
    }
    project.configure({"PreToolUse": [{"matcher": "*", "hooks": [handler]}]})
    run = project.run(
        "write a note",
        [
            [tool_use("Write", {"file_path": str(project.path(NOTE)), "content": "hi\n"})],
            [text("ok")],
        ],
        env={"PATH": BARE_PATH},
    )
    if not claude_at_least(claude_version, ON_FAILURE):
        assert project.read(NOTE) == "hi\n", run.describe()
    else:
        assert not project.path(NOTE).exists(), run.describe()
        [result] = run.results_for("Write")
        assert result.is_error, run.describe()


HAZARD_MARK = "e2e-hazard: the hook ran"
HAZARD_HOOK = (
    "cat >/dev/null; printf '%s\\n' '"
    + json.dumps(
        {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": HAZARD_MARK,
            }
        }
    )
    + "'"
)
HAZARDS = {
    "default-mode-manual": ({"permissions": {"defaultMode": "manual"}}, None),
    "on-failure-misspelled": ({}, "Block"),
    "clean": ({}, "block"),
}


@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_doctor_knows_which_settings_this_version_drops(
    hazard: str, claude_bin: str, claude_version: str, tmp_path: Path
) -> None:
    """settings_check's verdict (file dropped or read) matches what the real binary does.

    A PreToolUse hook denies a Read with a marker; if the binary dropped the file, the hook
    never ran and the Read returns the file's text.
    """
    extra, on_failure = HAZARDS[hazard]
    project = _project(tmp_path, claude_bin, "project")
    handler: dict[str, object] = {"type": "command", "command": HAZARD_HOOK, "timeout": 30}
    if on_failure is not None:
        handler["onFailure"] = on_failure
    path = project.configure({"PreToolUse": [{"matcher": "*", "hooks": [handler]}]}, extra=extra)
    project.write(NOTE, "plain text\n")
    run = project.run(
        "read the note",
        [[tool_use("Read", {"file_path": str(project.path(NOTE))})], [text("ok")]],
        env={"PATH": BARE_PATH},
    )
    [result] = run.results_for("Read")
    hook_ran = HAZARD_MARK in result.content
    version = settings_check.parse_version(claude_version)
    _, hazards = settings_check.check_text(path.read_text(), version)
    predicted_drop = any(h.drops_file for h in hazards)
    assert hook_ran is not predicted_drop, (hazard, claude_version, run.describe())
