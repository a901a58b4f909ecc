"""``agentguard install`` / ``uninstall``, the settings merge, and the checkout's hook script.

Golden corpus: tests/cases/install/<case>.json is an existing settings file,
<case>.installed.json what ``install --command-style script`` makes of it, and the optional
<case>.uninstalled.json what install + install + uninstall leaves when that cannot be the
original (older agentguard entries are gone; empty containers are not restored).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import settings
from agentguard.commands import hook_command, install
from agentguard.errors import InstallError

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "install"
SCRIPT = ROOT / "hooks" / "agentguard"
CASE_NAMES = sorted(
    p.name[: -len(".json")]
    for p in CASES.glob("*.json")
    if not p.name.endswith((".installed.json", ".uninstalled.json"))
)
# Cases whose layout json.dumps cannot reproduce (compact objects, "\/" escapes, 1e2): after
# uninstall they are equal as JSON, key order included, but not byte for byte.
NORMALISED = {"unusual-formatting"}
EVENTS = [event for event, _ in settings.EVENTS]


def script_command(event: str) -> str:
    """The script-style command, the same on every machine."""
    return f'"$CLAUDE_PROJECT_DIR"/hooks/agentguard {event}'


def project_with(tmp_path: Path, text: str | bytes | None, name: str = "settings.json") -> Path:
    """A project folder whose .claude/<name> holds ``text`` (absent when None)."""
    project = tmp_path / "project"
    (project / ".claude").mkdir(parents=True)
    if text is not None:
        data = text.encode() if isinstance(text, str) else text
        (project / ".claude" / name).write_bytes(data)
    return project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Call the command in-process; return (status, stdout, stderr)."""
    status = install.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def ordered(value: Any) -> str:
    """An order-sensitive form of a JSON value."""
    return json.dumps(value)


def test_every_case_is_classified() -> None:
    """Each corpus case has its installed golden, and NORMALISED names only existing cases."""
    assert len(CASE_NAMES) >= 8
    for name in CASE_NAMES:
        assert (CASES / f"{name}.installed.json").is_file(), name
    assert set(CASE_NAMES) >= NORMALISED


@pytest.mark.parametrize("case", CASE_NAMES)
def test_install_twice_then_uninstall_gives_back_the_file(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Install matches the golden, a second install writes nothing, uninstall restores the file."""
    original = (CASES / f"{case}.json").read_bytes()
    project = project_with(tmp_path, original)
    target = project / ".claude" / "settings.json"
    args = ("install", "--project", str(project), "--command-style", "script")

    status, out, _ = run(capsys, *args)
    assert status == 0
    installed = target.read_bytes()
    assert (CASES / f"{case}.installed.json").read_bytes() == installed
    assert ("formatting normalised" in out) == (case in NORMALISED)
    assert ("disableAllHooks" in out) == (case == "disable-all-hooks")
    assert (project / ".claude" / "settings.json.agentguard.bak").read_bytes() == original

    status, out, _ = run(capsys, *args)
    assert (status, target.read_bytes()) == (0, installed)
    assert "already up to date" in out

    status, out, _ = run(capsys, "uninstall", "--project", str(project))
    assert status == 0
    after = target.read_bytes()
    expected_file = CASES / f"{case}.uninstalled.json"
    if expected_file.is_file():  # the original held agentguard hooks itself: they go
        assert expected_file.read_bytes() == after
    else:  # byte for byte, its layout too (even one install could not reproduce)
        assert original == after
        assert "restored" in out
        assert not list(target.parent.glob("settings.json.agentguard.*"))
    assert not any(settings.is_ours(h) for h in _handlers(json.loads(after)))


@pytest.mark.parametrize("case", CASE_NAMES)
def test_python_style_is_idempotent_and_reversible(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default style (absolute interpreter path) round-trips the same way as the script."""
    original = (CASES / f"{case}.json").read_bytes()
    project = project_with(tmp_path, original)
    target = project / ".claude" / "settings.json"
    args = ("install", "--project", str(project), "--python", sys.executable)
    assert run(capsys, *args)[0] == 0
    once = target.read_bytes()
    commands = [h["command"] for h in _handlers(json.loads(once)) if settings.is_ours(h)]
    assert commands == [f'"{sys.executable}" -m agentguard hook {e}' for e in _order(case)]
    assert run(capsys, *args)[0] == 0
    assert target.read_bytes() == once
    assert run(capsys, "uninstall", "--project", str(project))[0] == 0
    expected_file = CASES / f"{case}.uninstalled.json"
    if expected_file.is_file() or case in NORMALISED:
        # Same result as the script style, whose exact bytes the other test pins.
        assert ordered(json.loads(target.read_bytes())) == ordered(
            json.loads(expected_file.read_bytes() if expected_file.is_file() else original)
        )
    else:
        assert target.read_bytes() == original


def _order(case: str) -> list[str]:
    """Events in the order their handlers appear in the case's installed golden."""
    golden = json.loads((CASES / f"{case}.installed.json").read_text())
    words = [h["command"].split()[-1] for h in _handlers(golden) if settings.is_ours(h)]
    assert sorted(words) == sorted(EVENTS)
    return words


def _handlers(value: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        handler
        for groups in value.get("hooks", {}).values()
        for group in groups
        for handler in group.get("hooks", [])
    ]


def test_absent_file_and_folder_are_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Install creates .claude/settings.json from nothing, without a backup."""
    project = tmp_path / "fresh"
    project.mkdir()
    status, out, _ = run(capsys, "install", "--project", str(project), "--command-style", "script")
    target = project / ".claude" / "settings.json"
    assert status == 0
    assert "created" in out
    expected = settings.dumps(settings.merge({}, settings.hook_entries(script_command)))
    assert target.read_text() == expected
    assert sorted(p.name for p in target.parent.iterdir()) == ["settings.json"]


@pytest.mark.parametrize("case", ["other-hooks-same-events", "empty-object"])
def test_dry_run_prints_a_diff_and_changes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run shows the unified diff install would apply and leaves the folder untouched."""
    original = (CASES / f"{case}.json").read_bytes()
    project = project_with(tmp_path, original)
    status, out, _ = run(
        capsys, "install", "--project", str(project), "--command-style", "script", "--dry-run"
    )
    assert status == 0
    assert sorted(p.name for p in (project / ".claude").iterdir()) == ["settings.json"]
    assert (project / ".claude" / "settings.json").read_bytes() == original
    target = project / ".claude" / "settings.json"
    assert f"--- {target}\n+++ {target} (install)\n" in out
    added = [line[1:] for line in out.splitlines() if line.startswith("+") and "agentguard" in line]
    assert len(added) == len(EVENTS)
    assert "dry run: nothing written" in out


def test_dry_run_on_absent_file_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run against a missing file diffs from /dev/null and creates no folder."""
    project = tmp_path / "fresh"
    project.mkdir()
    status, out, _ = run(
        capsys, "install", "--project", str(project), "--dry-run", "--command-style", "script"
    )
    assert status == 0
    assert "--- /dev/null" in out
    assert "would create" in out
    assert list(project.iterdir()) == []


def test_uninstall_dry_run_and_absent_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Uninstall --dry-run shows the removals only; uninstall on a missing file is a no-op."""
    installed = (CASES / "older-agentguard.installed.json").read_bytes()
    project = project_with(tmp_path, installed)
    status, out, _ = run(capsys, "uninstall", "--project", str(project), "--dry-run")
    assert status == 0
    assert (project / ".claude" / "settings.json").read_bytes() == installed
    removed = [line for line in out.splitlines() if line.startswith("-") and "agentguard " in line]
    assert len(removed) == len(EVENTS)
    empty = tmp_path / "empty"
    empty.mkdir()
    status, out, _ = run(capsys, "uninstall", "--project", str(empty))
    assert (status, list(empty.iterdir())) == (0, [])
    assert "nothing to remove" in out


BROKEN = [
    ('{\n  "hooks": {},\n}\n', "3:1", "trailing comma"),
    ('{\n  // team hooks\n  "hooks": {}\n}\n', "2:3", "no comments"),
    ("{'hooks': {}}\n", "1:2", "double quotes"),
    ('{\n  "model": "opus"\n  "hooks": {}\n}\n', "3:3", "Expecting ',' delimiter"),
    ('{"hooks": {"Stop": [', "1:21", "Expecting value"),
]


@pytest.mark.parametrize(("text", "where", "hint"), BROKEN)
def test_broken_json_is_refused_with_location_and_hint(
    text: str, where: str, hint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that does not parse: exit 2, one line naming file:line:col and a hint, untouched."""
    project = project_with(tmp_path, text)
    for action in ("install", "uninstall"):
        status, out, err = run(capsys, action, "--project", str(project))
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert f".claude/settings.json:{where}: not valid JSON" in err
        assert hint in err
        assert "nothing was changed" in err
    assert sorted(p.name for p in (project / ".claude").iterdir()) == ["settings.json"]
    assert (project / ".claude" / "settings.json").read_text() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]\n", "the top level is not a JSON object"),
        ('{"hooks": []}\n', "hooks: expected an object of event names, found a list"),
        ('{"hooks": {"Stop": {}}}\n', "hooks.Stop: expected a list of matcher groups"),
        ('{"hooks": {"Stop": ["x"]}}\n', "hooks.Stop[0]: expected a matcher group object"),
        ('{"hooks": {"Stop": [{"hooks": {}}]}}\n', "hooks.Stop[0].hooks: expected a list"),
        (b'{"env": {"A": "\xff"}}\n', "not UTF-8"),
    ],
)
def test_wrong_shape_is_refused(
    text: str | bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid JSON of the wrong shape (or not UTF-8) is refused, saying where, and left alone."""
    project = project_with(tmp_path, text)
    before = (project / ".claude" / "settings.json").read_bytes()
    status, _, err = run(capsys, "install", "--project", str(project), "--command-style", "script")
    assert status == 2
    assert message in err
    assert (project / ".claude" / "settings.json").read_bytes() == before


def test_backup_and_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each write backs up the previous bytes and keeps the file's permissions."""
    original = (CASES / "permissions-env-statusline.json").read_bytes()
    project = project_with(tmp_path, original)
    target = project / ".claude" / "settings.json"
    target.chmod(0o600)
    backup = project / ".claude" / "settings.json.agentguard.bak"
    run(capsys, "install", "--project", str(project), "--command-style", "script")
    assert backup.read_bytes() == original
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    run(capsys, "uninstall", "--project", str(project))
    assert target.read_bytes() == original
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not backup.exists()  # the file holds the original again


def test_later_writes_never_replace_the_first_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pre-install original survives every later install; .prev holds the latest before."""
    original = (CASES / "permissions-env-statusline.json").read_bytes()
    project = project_with(tmp_path, original)
    target = project / ".claude" / "settings.json"
    backup = project / ".claude" / "settings.json.agentguard.bak"
    previous = project / ".claude" / "settings.json.agentguard.prev"
    args = ("install", "--project", str(project), "--command-style", "script")
    run(capsys, *args)
    # Someone drops one of agentguard's hooks by hand; the next install puts it back.
    value = json.loads(target.read_bytes())
    del value["hooks"]["Stop"]
    edited = (json.dumps(value, indent=2) + "\n").encode()
    target.write_bytes(edited)
    run(capsys, *args)
    run(capsys, "install", "--project", str(project), "--python", sys.executable)
    assert backup.read_bytes() == original
    assert previous.exists() and previous.read_bytes() != original
    run(capsys, "uninstall", "--project", str(project))
    assert target.read_bytes() == original


def test_uninstall_keeps_a_change_made_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key someone added after install stays: only the hooks go, the backup is kept."""
    original = (CASES / "permissions-env-statusline.json").read_bytes()
    project = project_with(tmp_path, original)
    target = project / ".claude" / "settings.json"
    run(capsys, "install", "--project", str(project), "--command-style", "script")
    value = json.loads(target.read_bytes())
    value["model"] = "opus"
    target.write_text(json.dumps(value, indent=2) + "\n")
    status, out, _ = run(capsys, "uninstall", "--project", str(project))
    assert status == 0 and "restored" not in out
    after = json.loads(target.read_bytes())
    assert after == {**json.loads(original), "model": "opus"}
    assert (project / ".claude" / "settings.json.agentguard.bak").read_bytes() == original


def test_uninstall_removes_a_file_install_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No settings file before install: none after uninstall (dry run first changes nothing)."""
    project = project_with(tmp_path, None)
    target = project / ".claude" / "settings.json"
    run(capsys, "install", "--project", str(project), "--command-style", "script")
    installed = target.read_bytes()
    status, out, _ = run(capsys, "uninstall", "--project", str(project), "--dry-run")
    assert (status, target.read_bytes()) == (0, installed)
    assert "would remove" in out and "+++ /dev/null" in out
    status, out, _ = run(capsys, "uninstall", "--project", str(project))
    assert status == 0 and not target.exists()
    assert not list(target.parent.glob("settings.json*"))


def test_symlinked_settings_file_stays_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settings file linked from a dotfiles repo is updated through the link, not replaced."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "claude-settings.json"
    real.write_bytes((CASES / "unicode.json").read_bytes())
    project = project_with(tmp_path, None)
    link = project / ".claude" / "settings.json"
    link.symlink_to(real)
    run(capsys, "install", "--project", str(project), "--command-style", "script")
    assert link.is_symlink()
    assert real.read_bytes() == (CASES / "unicode.installed.json").read_bytes()


def test_crlf_and_bom_survive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Windows-edited file (BOM, CRLF) keeps both and round-trips byte for byte."""
    text = '\ufeff{\r\n  "model": "opus"\r\n}\r\n'
    project = project_with(tmp_path, text)
    target = project / ".claude" / "settings.json"
    run(capsys, "install", "--project", str(project), "--command-style", "script")
    installed = target.read_bytes()
    assert installed.startswith("\ufeff".encode())
    assert installed.count(b"\n") == installed.count(b"\r\n")
    run(capsys, "uninstall", "--project", str(project))
    assert target.read_bytes() == text.encode()


def test_scopes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """local writes settings.local.json; user writes ~/.claude/settings.json with absolute paths."""
    project = project_with(tmp_path, None)
    status, _, _ = run(
        capsys,
        "install",
        "--project",
        str(project),
        "--scope",
        "local",
        "--command-style",
        "script",
    )
    assert status == 0
    assert sorted(p.name for p in (project / ".claude").iterdir()) == ["settings.local.json"]

    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    inside = project / ".venv" / "bin" / "python"
    inside.parent.mkdir(parents=True)
    inside.symlink_to(sys.executable)
    status, _, _ = run(
        capsys, "install", "--project", str(project), "--scope", "user", "--python", str(inside)
    )
    assert status == 0
    commands = [
        h["command"] for h in _handlers(json.loads((home / ".claude/settings.json").read_text()))
    ]
    assert commands == [f'"{inside}" -m agentguard hook {e}' for e in EVENTS]

    status, _, err = run(
        capsys, "install", "--project", str(project), "--scope", "user", "--command-style", "script"
    )
    assert status == 2
    assert "--scope project or local" in err


def test_interpreter_inside_project_is_written_relative(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venv inside the project is named through "$CLAUDE_PROJECT_DIR", so the file is portable."""
    monkeypatch.delenv("PYTHONPATH", raising=False)
    project = project_with(tmp_path, None)
    inside = project / ".venv" / "bin" / "python"
    inside.parent.mkdir(parents=True)
    inside.symlink_to(sys.executable)
    status, _, err = run(capsys, "install", "--project", str(project), "--python", str(inside))
    assert status == 0
    text = (project / ".claude" / "settings.json").read_text()
    commands = [h["command"] for h in _handlers(json.loads(text))]
    assert commands == [
        f'"$CLAUDE_PROJECT_DIR"/.venv/bin/python -m agentguard hook {e}' for e in EVENTS
    ]
    assert str(tmp_path) not in text
    # That interpreter (the venv's base) has no agentguard installed: say the hook would fail.
    assert "cannot import agentguard" in err


@pytest.mark.parametrize("folder", ["plain", "with space", 'quote"dollar$back`slash\\', "it's"])
def test_commands_survive_the_shell_and_a_cd(folder: str, tmp_path: Path) -> None:
    """The generated commands run through sh -c from a sub-folder and pass the event intact."""
    project = tmp_path / folder
    (project / "sub").mkdir(parents=True)
    log = tmp_path / "argv.txt"
    fake = project / "bin" / "python"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n')
    fake.chmod(0o755)
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(project)}
    for scope_project in (str(project), None):
        command = hook_command.command_factory("python", str(fake), scope_project)("PreToolUse")
        assert settings.is_ours({"type": "command", "command": command})
        subprocess.run(["sh", "-c", command], cwd=project / "sub", env=env, check=True)
        assert log.read_text().splitlines() == ["-m", "agentguard", "hook", "PreToolUse"]
        log.unlink()


SHIM_SCRIPT = '#!/usr/bin/env bash\nset -e\nexec "/opt/pyenv/libexec/pyenv" exec "$program" "$@"\n'


def test_shim_detection(tmp_path: Path) -> None:
    """pyenv/asdf/mise shims are recognised by folder, by content and by symlink target."""
    paths = {}
    for manager in (".pyenv", ".asdf", "mise"):
        shim = tmp_path / manager / "shims" / "python3"
        shim.parent.mkdir(parents=True)
        shim.write_text("#!/bin/sh\nexit 0\n")
        paths[manager] = shim
    custom = tmp_path / "custom-root" / "bin" / "python3"
    custom.parent.mkdir(parents=True)
    custom.write_text(SHIM_SCRIPT)
    manager_binary = tmp_path / "tools" / "mise"
    manager_binary.parent.mkdir()
    manager_binary.write_bytes(b"\x7fELF")
    link = tmp_path / "links" / "python3"
    link.parent.mkdir()
    link.symlink_to(manager_binary)
    for shim in [*paths.values(), custom, link]:
        assert hook_command.is_shim(str(shim)), shim
    not_shims = [sys.executable, os.path.realpath(sys.executable), str(SCRIPT)]
    wrapper = tmp_path / "shims" / "python3"  # a "shims" folder of no known manager
    wrapper.parent.mkdir()
    wrapper.write_text('#!/bin/sh\nexec /usr/bin/python3 "$@"\n')
    for path in [*not_shims, str(wrapper)]:
        assert not hook_command.is_shim(path), path


def test_shim_is_resolved_or_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A shim is swapped for the real interpreter with a warning, or refused when none is found."""
    shim = tmp_path / ".pyenv" / "shims" / "python3"
    shim.parent.mkdir(parents=True)
    shim.write_text(SHIM_SCRIPT)
    real, warnings = hook_command.resolve_interpreter(str(shim), running=sys.executable)
    assert real == sys.executable
    assert len(warnings) == 1
    assert "shim" in warnings[0]
    with pytest.raises(InstallError, match="pyenv which python3"):
        hook_command.resolve_interpreter(
            str(shim), running=str(shim), prefix="/x", base_prefix="/x"
        )

    project = project_with(tmp_path, None)
    status, _, err = run(capsys, "install", "--project", str(project), "--python", str(shim))
    assert status == 0
    assert "version-manager shim" in err
    value = json.loads((project / ".claude" / "settings.json").read_text())
    commands = [h["command"] for h in _handlers(value)]
    assert commands == [f'"{sys.executable}" -m agentguard hook {e}' for e in EVENTS]


IS_OURS = [
    ('"/v/bin/python" -m agentguard hook PreToolUse', True),
    ("python3 -I -m agentguard hook Stop", True),
    ("AGENTGUARD_AGENT=a exec /usr/bin/python3.11 -m agentguard hook Stop", True),
    ("agentguard hook SubagentStop", True),
    ('"/opt/my tools/agentguard" hook Stop', True),
    ('"$CLAUDE_PROJECT_DIR"/hooks/agentguard PostToolUse', True),
    ("/src/agentguard/hooks/agentguard Stop", True),
    ("echo agentguard hook Stop", False),
    ("my-agentguard hook Stop", False),
    ("agentguard lint policies/", False),
    ("agentguard hook", False),
    ("agentguard hook stop", False),
    ("cat hooks/agentguard.log Stop", False),
    ("bash -c 'agentguard hook Stop'", False),
    ("python3 -X importtime -m agentguard hook Stop", False),
    ("python3 -m agentguardx hook Stop", False),
    ('"unbalanced agentguard hook Stop', False),
]


@pytest.mark.parametrize(("command", "expected"), IS_OURS)
def test_which_handlers_are_ours(command: str, expected: bool) -> None:
    """Only commands that invoke agentguard's hook are ours; look-alikes are left alone."""
    assert settings.is_ours({"type": "command", "command": command}) is expected


def test_exec_form_and_other_types() -> None:
    """Exec-form args count; a non-command handler is never ours, whatever its text."""
    exec_form = {
        "type": "command",
        "command": "/v/bin/python",
        "args": ["-m", "agentguard", "hook", "Stop"],
    }
    assert settings.is_ours(exec_form)
    assert not settings.is_ours({"type": "http", "command": "agentguard hook Stop"})
    assert not settings.is_ours({"command": "agentguard hook Stop"})
    assert not settings.is_ours("agentguard hook Stop")


def test_entries_shape() -> None:
    """Tool events match "*"; Stop and SubagentStop carry no matcher (it would test agent_type).

    Only PreToolUse and PreSkillShellCommand carry ``"onFailure": "block"``: Claude Code
    ignores it on Stop and SubagentStop, and on PostToolUse a failed hook cannot undo the tool.
    """
    entries = settings.hook_entries(script_command)
    assert list(entries) == EVENTS
    for event, groups in entries.items():
        expected: dict[str, Any] = {} if event in ("Stop", "SubagentStop") else {"matcher": "*"}
        handler: dict[str, Any] = {"type": "command", "command": script_command(event)}
        handler["timeout"] = 30
        if event in ("PreToolUse", "PreSkillShellCommand"):
            handler["onFailure"] = "block"
        expected["hooks"] = [handler]
        assert groups == [expected]


def test_merge_is_pure_idempotent_and_replaces_in_place() -> None:
    """merge never mutates its input; a second merge is a no-op; a new command replaces the old."""
    before = json.loads((CASES / "other-hooks-same-events.json").read_text())
    snapshot = ordered(before)
    once = settings.merge(before, settings.hook_entries(script_command))
    assert ordered(before) == snapshot
    assert ordered(settings.merge(once, settings.hook_entries(script_command))) == ordered(once)
    moved = settings.merge(once, settings.hook_entries(lambda e: f"agentguard hook {e}"))
    old = [h.get("command", "") for h in _handlers(once)]
    new = [h.get("command", "") for h in _handlers(moved)]
    assert [
        c.replace('"$CLAUDE_PROJECT_DIR"/hooks/agentguard ', "agentguard hook ") for c in old
    ] == new
    assert ordered(settings.unmerge(moved)) == snapshot


def test_render_project_settings() -> None:
    """The repository's own settings use the script style only and keep a maintainer's keys."""
    text = install.render_project_settings()
    value = json.loads(text)
    assert text == settings.dumps(value)
    assert [h["command"] for h in _handlers(value)] == [script_command(e) for e in EVENTS]
    assert str(ROOT) not in text
    existing = '{\n  "permissions": {\n    "allow": [\n      "Bash(make test)"\n    ]\n  }\n}\n'
    merged = install.render_project_settings(existing)
    assert list(json.loads(merged)) == ["permissions", "hooks"]
    assert install.render_project_settings(merged) == merged


# The checkout's entry script -------------------------------------------------------------


STUB = '#!/bin/sh\necho "python=$0"\necho "PYTHONPATH=$PYTHONPATH"\nprintf "arg=%s\\n" "$@"\n'


def _stub(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STUB)
    path.chmod(0o755)
    return path


def _run_script(script: Path, env: dict[str, str], cwd: Path, *args: str) -> list[str]:
    done = subprocess.run(
        ["sh", str(script), *args], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_script_is_executable_posix_sh() -> None:
    """hooks/agentguard is executable, starts with #!/bin/sh and passes dash's syntax check."""
    assert os.access(SCRIPT, os.X_OK)
    assert SCRIPT.read_text().startswith("#!/bin/sh\n")
    dash = shutil.which("dash")
    if dash is not None:
        subprocess.run([dash, "-n", str(SCRIPT)], check=True)


def test_script_passes_arguments_to_agentguard_python(tmp_path: Path) -> None:
    """$AGENTGUARD_PYTHON wins; every argument arrives intact after `-m agentguard hook`."""
    stub = _stub(tmp_path / "stub python")
    env = {**os.environ, "AGENTGUARD_PYTHON": str(stub), "PYTHONPATH": "/elsewhere"}
    lines = _run_script(SCRIPT, env, tmp_path, "PreToolUse", "two words", "", "$HOME")
    assert lines[0] == f"python={stub}"
    top, _, rest = lines[1].removeprefix("PYTHONPATH=").partition(":")
    assert (os.path.realpath(top), rest) == (str(ROOT), "/elsewhere")
    assert lines[2:] == [
        f"arg={a}" for a in ("-m", "agentguard", "hook", "PreToolUse", "two words", "", "$HOME")
    ]


def test_script_falls_back_to_checkout_venv_then_python3(tmp_path: Path) -> None:
    """Without $AGENTGUARD_PYTHON: the checkout's .venv/bin/python, else python3 from PATH."""
    checkout = tmp_path / "checkout"
    script = checkout / "hooks" / "agentguard"
    script.parent.mkdir(parents=True)
    shutil.copy2(SCRIPT, script)
    bindir = tmp_path / "bin"
    _stub(bindir / "python3")
    env = {k: v for k, v in os.environ.items() if k not in ("AGENTGUARD_PYTHON", "PYTHONPATH")}
    env["PATH"] = f"{bindir}:{env['PATH']}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    lines = _run_script(script, env, elsewhere, "Stop")
    assert lines[0] == "python=" + str(bindir / "python3")
    assert os.path.realpath(lines[1].removeprefix("PYTHONPATH=")) == str(checkout)

    venv_python = _stub(checkout / ".venv" / "bin" / "python")
    # Run by a relative path from the checkout, as "$CLAUDE_PROJECT_DIR" would not be.
    done = subprocess.run(
        ["sh", "hooks/agentguard", "Stop"],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert os.path.realpath(lines[0].removeprefix("python=")) == str(venv_python)
    assert lines[2:] == ["arg=-m", "arg=agentguard", "arg=hook", "arg=Stop"]
