"""Delivery: the plugin's generated files and ``install --scope managed``'s fragment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agentguard.claude import entry, plugin, settings
from agentguard.commands import install, settings_file
from agentguard.errors import InstallError

ROOT = Path(__file__).resolve().parent.parent


def _install(*args: str) -> int:
    return install.main(["install", *args])


def test_plugin_hooks_are_installs_hooks_split_by_version() -> None:
    """hooks.json + skill-hooks.json together are exactly install's groups, plugin command."""
    merged = {**plugin.hooks_document()["hooks"], **plugin.hooks_document(newer=True)["hooks"]}
    assert merged == settings.hook_entries(plugin.command)
    assert set(plugin.hooks_document(newer=True)["hooks"]) == set(plugin.NEWER_EVENTS)
    assert not set(plugin.hooks_document()["hooks"]) & set(plugin.NEWER_EVENTS)
    assert plugin.manifest()["hooks"] == "./" + plugin.NEWER_HOOKS


def test_plugin_command_is_ours() -> None:
    """The plugin's command is recognised as agentguard's (install, uninstall, doctor)."""
    for event, _ in settings.EVENTS:
        handler = {"type": "command", "command": plugin.command(event)}
        assert settings.is_ours(handler)
        assert settings.command_event([plugin.COMMAND.replace('"', ""), event]) == event
    assert not settings.is_ours({"type": "command", "command": "my-agentguard-plugin X"})


def test_plugin_entry_is_the_project_entry_rooted_at_the_project() -> None:
    """The plugin entry differs from the project entry only in where the project is."""
    assert entry.is_entry(entry.PLUGIN_SCRIPT)
    assert "top=${CLAUDE_PROJECT_DIR:-.}" in entry.PLUGIN_SCRIPT
    assert "$0" not in entry.PLUGIN_SCRIPT
    project_body = entry.SCRIPT.split("event=${1:-}", 1)[1]
    assert entry.PLUGIN_SCRIPT.split("event=${1:-}", 1)[1] == project_body
    dash = shutil.which("dash")
    if dash:
        subprocess.run([dash, "-n", "/dev/stdin"], input=entry.PLUGIN_SCRIPT.encode(), check=True)


def test_plugin_entry_refuses_without_agentguard(tmp_path: Path) -> None:
    """No agentguard for the project: the plugin entry denies PreToolUse, naming the install."""
    script = tmp_path / "plugin" / "hooks" / "agentguard-plugin"
    script.parent.mkdir(parents=True)
    script.write_text(entry.PLUGIN_SCRIPT)
    script.chmod(0o755)
    project = tmp_path / "project"
    project.mkdir()
    env = {"PATH": "/usr/bin:/bin", "CLAUDE_PROJECT_DIR": str(project)}
    done = subprocess.run(
        [str(script), "PreToolUse"], input=b"{}", env=env, capture_output=True, check=False
    )
    assert done.returncode == 0
    answer = json.loads(done.stdout)["hookSpecificOutput"]
    assert answer["permissionDecision"] == "deny"
    assert "pipx install agentguard" in answer["permissionDecisionReason"]


def test_plugin_entry_finds_the_projects_venv(tmp_path: Path) -> None:
    """The plugin entry runs the project's .venv/bin/agentguard, not one beside the plugin."""
    script = tmp_path / "plugin" / "hooks" / "agentguard-plugin"
    script.parent.mkdir(parents=True)
    script.write_text(entry.PLUGIN_SCRIPT)
    script.chmod(0o755)
    fake = tmp_path / "project" / ".venv" / "bin" / "agentguard"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "{\\"systemMessage\\":\\"ran $*\\"}"\n')
    fake.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "CLAUDE_PROJECT_DIR": str(tmp_path / "project")}
    done = subprocess.run(
        [str(script), "Stop"], input=b"{}", env=env, capture_output=True, check=False
    )
    assert json.loads(done.stdout) == {"systemMessage": "ran hook Stop"}


def test_marketplace_lists_the_plugin_at_the_root() -> None:
    """The marketplace's one plugin is this repository (source ./), named like the manifest."""
    [entry_] = plugin.marketplace()["plugins"]
    assert entry_["source"] == "./"
    assert entry_["name"] == plugin.manifest()["name"] == "agentguard"


def test_managed_fragment_default_folder() -> None:
    """The default fragment lives in Claude Code's managed-settings.d for the platform."""
    assert settings_file.managed_folder("linux") == "/etc/claude-code/managed-settings.d"
    assert settings_file.managed_folder("darwin") == (
        "/Library/Application Support/ClaudeCode/managed-settings.d"
    )
    assert settings_file.settings_path("managed", "/p", path="/x/d") == "/x/d/agentguard.json"
    assert settings_file.settings_path("managed", "/p", path="/x/d/10-ag.json") == "/x/d/10-ag.json"


def test_managed_install_writes_an_absolute_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fragment names the interpreter by absolute path: no project, no PATH lookup."""
    folder = tmp_path / "managed-settings.d"
    assert _install("--scope", "managed", "--path", str(folder)) == 0
    value = json.loads((folder / "agentguard.json").read_text())
    assert "allowManagedHooksOnly" not in value
    for event, _ in settings.EVENTS:
        [group] = value["hooks"][event]
        [handler] = group["hooks"]
        words = handler["command"].split()
        assert words[0].startswith('"/'), handler
        assert "CLAUDE_PROJECT_DIR" not in handler["command"]
        assert settings.is_ours(handler)
    assert value["hooks"]["PreToolUse"][0]["hooks"][0]["onFailure"] == "block"


def test_managed_hooks_only_round_trip(tmp_path: Path) -> None:
    """--managed-hooks-only sets the key; uninstall removes it with the hooks and the file."""
    folder = tmp_path / "managed-settings.d"
    args = ("--scope", "managed", "--path", str(folder))
    assert _install(*args, "--managed-hooks-only") == 0
    fragment = folder / "agentguard.json"
    assert json.loads(fragment.read_text())["allowManagedHooksOnly"] is True
    # A later install without the flag keeps the administrator's switch.
    assert _install(*args) == 0
    assert json.loads(fragment.read_text())["allowManagedHooksOnly"] is True
    assert install.main(["uninstall", *args]) == 0
    assert not fragment.exists()


def test_managed_uninstall_keeps_other_keys(tmp_path: Path) -> None:
    """A key an administrator added to agentguard's fragment survives uninstall."""
    folder = tmp_path / "managed-settings.d"
    args = ("--scope", "managed", "--path", str(folder))
    assert _install(*args) == 0
    fragment = folder / "agentguard.json"
    value = json.loads(fragment.read_text())
    value["env"] = {"AGENTGUARD_ON_ERROR": "deny"}
    fragment.write_text(json.dumps(value, indent=2) + "\n")
    assert install.main(["uninstall", *args]) == 0
    assert json.loads(fragment.read_text()) == {"env": {"AGENTGUARD_ON_ERROR": "deny"}}


def test_unwritable_managed_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A managed folder this user cannot write: refused, naming sudo and --path, nothing made."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    # Root may write any folder by mode, so the refusal is pinned through os.access.
    monkeypatch.setattr(
        os, "access", lambda p, m: False if Path(p) == folder else real_access(p, m)
    )
    assert _install("--scope", "managed", "--path", str(folder / "d")) == 2
    err = capsys.readouterr().err
    assert "not writable" in err and "sudo" in err and "--path" in err
    assert not (folder / "d").exists()


def test_unwritable_check_names_the_blocking_folder(tmp_path: Path) -> None:
    """The writability check walks up to the first existing folder and judges that one."""
    folder = tmp_path / "a" / "b" / "managed-settings.d"
    settings_file.check_writable(str(folder / "agentguard.json"))  # tmp_path is writable
    if os.geteuid() != 0:
        return
    # As root nothing is unwritable by mode; a file in the way is still refused.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InstallError, match="is not a folder"):
        settings_file.check_writable(str(blocker / "d" / "agentguard.json"))


def test_managed_refuses_project_styles_and_stray_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entry and script styles need a checkout; --path and --managed-hooks-only need managed."""
    folder = str(tmp_path / "d")
    for style in ("entry", "script"):
        code = _install("--scope", "managed", "--path", folder, "--command-style", style)
        assert code == 2
    assert _install("--scope", "project", "--project", str(tmp_path), "--path", folder) == 2
    assert _install("--project", str(tmp_path), "--managed-hooks-only") == 2
    err = capsys.readouterr().err
    assert "depends on a project checkout" in err
    assert "use it with --scope managed" in err
    assert not (tmp_path / "d").exists()
    assert not (tmp_path / ".claude").exists()
