"""agentguard delivered as a plugin and as a managed fragment, with the real binaries.

Plugin: this repository loaded with ``--plugin-dir`` (what a marketplace install copies); its
``hooks/hooks.json`` runs ``hooks/agentguard-plugin``, which finds agentguard through
``$AGENTGUARD_PYTHON`` here and refuses every call, naming the install command, when it finds
none.

Managed: ``agentguard install --scope managed`` writes a fragment into a
``managed-settings.d`` folder. Neither version reads managed settings from anywhere but
``/etc/claude-code`` on Linux: 2.1.332 knows ``CLAUDE_CODE_MANAGED_SETTINGS_PATH`` (it
scrubs it from subprocess environments and sets it to a folder for its own sandboxed
children), but this build's resolver ignores it (checked: the debug log still reads
``/etc/claude-code/managed-settings.json``), and 2.1.197 has no equivalent. So the run
happens in a private mount namespace (``unshare -m``, as root) where an overlay puts the
test's folder on ``/etc``: the real default location, seen only by that process, so other
Claude Code sessions on the machine never read the test's fragment. Skipped where the
namespace cannot be made (not root, no overlay).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentguard.claude import plugin
from agentguard.commands import install

from .fakeapi import Block, text, tool_use
from .harness import REPO, ClaudeProject, ClaudeResult

pytestmark = pytest.mark.e2e

POLICY = """\
version: 1
defaults:
  on_error: deny
  unassigned_agent: ask
  unowned_write: ask
  unknown_tool: ask
  unknown_command: allow
agents:
  search:
    branch: agent/search
    worktree: .
    owns: [src/pages/**]
    cannot_touch: [src/content/**]
    checks: []
"""
OWNED = "src/pages/new.astro"
# Outside the agent's lane; Claude Code itself would allow it (Write is allowed).
PROTECTED = "src/content/post.md"
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"


def _guarded(project: ClaudeProject, tmp_path: Path, **extra: object) -> dict[str, str]:
    """The policy and a git repository; the env a run needs (agentguard from this venv)."""
    project.write("agentguard.yaml", POLICY)
    project.write("src/pages/index.astro", "<p>home</p>\n")
    project.configure(allow=["Read", "Write", "Edit"], extra=dict(extra) or None)
    project.init_git()
    return {
        "AGENTGUARD_POLICY": str(project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
        "AGENTGUARD_AGENT": "search",
        "AGENTGUARD_PYTHON": sys.executable,
    }


def _writes(project: ClaudeProject, *relatives: str) -> list[list[Block]]:
    calls = [
        tool_use("Write", {"file_path": str(project.path(r)), "content": "x\n"}) for r in relatives
    ]
    return [[call] for call in calls] + [[text("done")]]


def _assert_guarded(project: ClaudeProject, run: ClaudeResult) -> None:
    """The owned write ran, the one outside the lane was refused by agentguard's rule."""
    assert project.path(OWNED).is_file(), run.describe()
    assert not project.path(PROTECTED).exists(), run.describe()
    denied = [d["tool_input"].get("file_path") for d in run.permission_denials]
    assert denied == [str(project.path(PROTECTED))], run.describe()
    refused = [r for r in run.results_for("Write") if r.is_error]
    assert len(refused) == 1, run.describe()
    assert "[agentguard:cannot-touch]" in refused[0].content, run.describe()


def test_plugin_hooks_fire_from_plugin_dir(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """The repository as a plugin (--plugin-dir): agentguard judges; out of lane is denied."""
    assert plugin.stale() == [], "run `python -m agentguard.claude.plugin --write`"
    env = _guarded(claude_project, tmp_path)
    run = claude_project.run(
        "write two files",
        _writes(claude_project, OWNED, PROTECTED),
        env=env,
        args=["--plugin-dir", str(REPO)],
    )
    _assert_guarded(claude_project, run)


def test_plugin_without_agentguard_refuses(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """The plugin where agentguard is not installed: the write is refused, naming the install."""
    if shutil.which("agentguard", path=BARE_PATH):
        pytest.skip(f"{BARE_PATH} holds an agentguard; this test needs none")
    env = _guarded(claude_project, tmp_path)
    del env["AGENTGUARD_PYTHON"]
    env["PATH"] = BARE_PATH
    run = claude_project.run(
        "write a file",
        _writes(claude_project, OWNED),
        env=env,
        args=["--plugin-dir", str(REPO)],
    )
    assert not claude_project.path(OWNED).exists(), run.describe()
    [result] = run.results_for("Write")
    assert result.is_error, run.describe()
    assert "agentguard is not installed for this project" in result.content, run.describe()
    assert "pipx install agentguard" in result.content, run.describe()


def _namespace(etc_upper: Path) -> list[str]:
    """A launcher running the binary with ``etc_upper`` laid over /etc, for that process only."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) to lay a managed-settings folder over /etc")
    work = etc_upper.parent / "overlay-work"
    work.mkdir(exist_ok=True)
    etc_upper.mkdir(exist_ok=True)
    mount = (
        f"mount -t overlay overlay -o lowerdir=/etc,upperdir={etc_upper},workdir={work} /etc"
        ' && exec "$@"'
    )
    launcher = ["unshare", "--mount", "--propagation", "private", "sh", "-c", mount, "sh"]
    probe = subprocess.run([*launcher, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot overlay /etc in a mount namespace here: {probe.stderr.strip()}")
    return launcher


def _managed(tmp_path: Path, *flags: str) -> tuple[Path, list[str]]:
    """``install --scope managed`` into an /etc overlay; the fragment and the launcher."""
    upper = tmp_path / "etc-upper"
    folder = upper / "claude-code" / "managed-settings.d"
    launcher = _namespace(upper)
    args = ["install", "--scope", "managed", "--path", str(folder), "--python", sys.executable]
    assert install.main([*args, *flags]) == 0
    [fragment] = folder.iterdir()
    return fragment, launcher


def test_managed_fragment_hooks_fire(claude_project: ClaudeProject, tmp_path: Path) -> None:
    """Hooks from install --scope managed's fragment in /etc/claude-code/managed-settings.d run."""
    fragment, launcher = _managed(tmp_path)
    assert json.loads(fragment.read_text())["hooks"]["PreToolUse"], fragment.read_text()
    env = _guarded(claude_project, tmp_path)
    run = claude_project.run(
        "write two files", _writes(claude_project, OWNED, PROTECTED), env=env, launcher=launcher
    )
    _assert_guarded(claude_project, run)


PROJECT_MARK = "e2e: the project hook ran"


@pytest.mark.parametrize("hooks_only", [False, True], ids=["default", "managed-hooks-only"])
def test_managed_hooks_only_drops_project_hooks(
    hooks_only: bool, claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """--managed-hooks-only: managed agentguard still judges; the project's hook never runs.

    The project hook denies every call with a marker. Without the switch both run (the
    marker reaches the model); with allowManagedHooksOnly the project hook is dropped
    without a word, so the owned write goes through and only agentguard's refusal remains.
    """
    fragment, launcher = _managed(tmp_path, *(["--managed-hooks-only"] if hooks_only else []))
    assert json.loads(fragment.read_text()).get("allowManagedHooksOnly") is (hooks_only or None)
    env = _guarded(claude_project, tmp_path)
    answer = {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": PROJECT_MARK,
        }
    }
    hook = {"type": "command", "command": f"cat >/dev/null; echo '{json.dumps(answer)}'"}
    claude_project.configure(
        {"PreToolUse": [{"matcher": "*", "hooks": [hook]}]}, allow=["Read", "Write", "Edit"]
    )
    run = claude_project.run(
        "write two files", _writes(claude_project, OWNED, PROTECTED), env=env, launcher=launcher
    )
    marked = [r for r in run.tool_results if PROJECT_MARK in r.content]
    if not hooks_only:
        assert marked, run.describe()
        assert not claude_project.path(OWNED).exists(), run.describe()
        return
    assert marked == [], run.describe()
    _assert_guarded(claude_project, run)


SKILL_POLICY = """\
version: 1
defaults: {on_error: deny, unassigned_agent: allow}
commands:
  - id: history-rewrite
    builtin: git-destructive
    decision: ask
    justification: Force pushes rewrite shared history; a human decides.
"""


@pytest.mark.requires_claude("2.1.332")
def test_plugin_judges_a_slash_commands_shell_line(
    claude_project: ClaudeProject, tmp_path: Path
) -> None:
    """The plugin's second hooks file (PreSkillShellCommand) loads: a force push is not run.

    2.1.197 fires no hook for a command's shell line at all (and refuses that file).
    """
    claude_project.write("agentguard.yaml", SKILL_POLICY)
    claude_project.write(
        ".claude/commands/release.md",
        "---\ndescription: release\n---\n"
        "Release: !`touch released.marker; git push -f origin HEAD`\n",
    )
    claude_project.configure(allow=["Read", "Bash"])
    claude_project.init_git()
    env = {
        "AGENTGUARD_POLICY": str(claude_project.path("agentguard.yaml")),
        "AGENTGUARD_HOME": str(tmp_path / "agentguard-home"),
        "AGENTGUARD_PYTHON": sys.executable,
    }
    run = claude_project.run(
        "/release", [[text("done")]], env=env, args=["--plugin-dir", str(REPO)]
    )
    assert not claude_project.path("released.marker").exists(), run.describe()
    seen = json.dumps(run.requests[-1].get("messages", []))
    assert "[agentguard:history-rewrite]" in seen, run.describe()
