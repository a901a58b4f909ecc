"""``agentguard doctor`` on a healthy and on broken installs, and ``lint`` of a settings file.

Each test builds a real repository with a linked worktree, installs agentguard as a user
would (the committed entry), and drives doctor in-process against a fake ``claude`` that
prints a chosen version (2.1.197 ignores onFailure and rejects "manual"; 2.1.332 honours
onFailure and rejects an unknown value of it).
"""

from __future__ import annotations

import compileall
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import entry, settings, settings_check
from agentguard.commands import compile as compile_command
from agentguard.commands import doctor, install, lint

CONSOLE_BIN = str(Path(sys.executable).parent)
BARE_PATH = "/usr/bin:/bin"
POLICY = """\
version: 1
agents:
  search:
    branch: agent/search
    worktree: ../search
    owns: [src/pages/**]
    checks: []
  metadata:
    branch: agent/metadata
    worktree: ../metadata
    owns: [src/content/**]
    checks: []
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _fake_claude(tmp_path: Path, version: str) -> str:
    binary = tmp_path / f"claude-{version}"
    binary.write_text(f"#!/bin/sh\necho '{version} (Claude Code)'\n")
    binary.chmod(0o755)
    return str(binary)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A guarded repository (policy, entry, settings committed) with agent search's worktree.

    agentguard is on PATH, as pipx puts it; HOME is empty; no managed settings.
    """
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATH", f"{CONSOLE_BIN}:{BARE_PATH}")
    monkeypatch.setenv("AGENTGUARD_HOME", str(tmp_path / "state"))
    for name in ("AGENTGUARD_PYTHON", "AGENTGUARD_POLICY", "AGENTGUARD_AGENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(doctor, "MANAGED_PATHS", ())
    main = tmp_path / "main"
    main.mkdir()
    _git(main, "init", "-q", "-b", "main")
    (main / "agentguard.yaml").write_text(POLICY)
    (main / "README.md").write_text("hi\n")
    assert install.main(["install", "--project", str(main)]) == 0
    _git(main, "add", "-A")
    _git(main, "commit", "-q", "-m", "guarded")
    _git(main, "worktree", "add", "-q", "-b", "agent/search", str(tmp_path / "search"))
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(json.dumps({"env": {"AGENTGUARD_AGENT": "search"}}))
    # In this process: what doctor checks is the cache a compile leaves, not how it ran.
    assert compile_command.main(["--cwd", str(main)]) == 0
    return main


def _doctor(repo: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = doctor.main(["--project", str(repo), *args], out=out)
    return status, out.getvalue()


def _json(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    status, text = _doctor(repo, "--format", "json", *args)
    return status, json.loads(text)


def _problems(report: dict[str, Any], tree: int = 0) -> list[tuple[str, str]]:
    return [
        (c["area"], c["message"])
        for c in report["worktrees"][tree]["checks"]
        if c["status"] == "error"
    ]


def test_healthy_install_holds_in_every_worktree(repo: Path, tmp_path: Path) -> None:
    """Entry found, probe answered, onFailure set and honoured, identity matches: exit 0."""
    new = _fake_claude(tmp_path, "2.1.332")
    status, report = _json(repo, "--claude", new)
    assert status == 0, json.dumps(report, indent=1)
    assert report["holds"] is True
    assert report["claude"] == {"binary": new, "version": "2.1.332", "honours_on_failure": True}
    paths = [w["path"] for w in report["worktrees"]]
    assert paths == [str(repo), str(tmp_path / "search")]
    for tree in report["worktrees"]:
        statuses = {c["area"]: c["status"] for c in tree["checks"]}
        for area in ("hooks", "entry", "onFailure", "probe", "policy", "state", "cache"):
            assert statuses[area] == "ok", (area, tree)
    search = {c["area"]: c["message"] for c in report["worktrees"][1]["checks"]}
    assert search["identity"] == "agent search (AGENTGUARD_AGENT=search, branch agent/search)"
    assert "(same as the main checkout)" in search["policy"]
    assert f"{CONSOLE_BIN}/agentguard (PATH)" in search["entry"]

    status, text = _doctor(repo, "--claude", new)
    assert status == 0
    assert text.rstrip().endswith("the guard holds in 2 of 2 worktrees")
    assert max(len(line) for line in text.splitlines()) <= 80, text


def test_clone_without_agentguard_fails_with_what_to_do(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No agentguard anywhere: the entry and the probe are errors naming the install; exit 1."""
    monkeypatch.setenv("PATH", BARE_PATH)
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 1
    assert report["holds"] is False
    areas = [area for area, _ in _problems(report)]
    assert areas == ["entry", "probe"]
    fixes = [c["fix"] for c in report["worktrees"][0]["checks"] if c["status"] == "error"]
    assert all("pipx install agentguard" in fix for fix in fixes)

    status, text = _doctor(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 1
    assert "the guard would NOT hold in 2 of 2 worktrees" in text
    assert "fix: install it with 'pipx install agentguard'" in text
    assert max(len(line) for line in text.splitlines()) <= 80, text


def test_an_absolute_command_to_a_gone_venv_does_not_resolve(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Yesterday's install (an absolute venv path) in a clone where it is gone: an error."""
    gone = tmp_path / "author-venv" / "bin" / "python"
    assert install.main(["install", "--project", str(repo), "--python", str(gone)]) == 0
    capsys.readouterr()
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.197"))
    assert status == 1
    messages = [m for area, m in _problems(report) if area == "hooks"]
    assert len(messages) == len(settings.EVENTS)  # every event's command is "not found"
    assert "Claude Code then runs the tool unchecked" in messages[0]


@pytest.mark.parametrize(
    ("version", "dropped"), [("2.1.197", True), ("2.1.332", False)], ids=["old", "new"]
)
def test_default_mode_manual_drops_the_file_on_old_versions(
    repo: Path, tmp_path: Path, version: str, dropped: bool
) -> None:
    """ "defaultMode": "manual" makes 2.1.197 drop the whole file: no hook is read."""
    target = repo / ".claude" / "settings.json"
    value = json.loads(target.read_text())
    value["permissions"] = {"defaultMode": "manual"}
    target.write_text(json.dumps(value, indent=2))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, version))
    problems = _problems(report)
    assert (status == 1) is dropped
    if dropped:
        assert problems[0][0] == "settings"
        assert "permissions.defaultMode" in problems[0][1]
        assert ".claude/settings.json:" in problems[0][1]
        assert (
            "hooks",
            "no agentguard PreToolUse hook is read here: every tool call runs unchecked",
        ) in problems
    else:
        assert problems == []


@pytest.mark.parametrize(
    ("version", "dropped"), [("2.1.197", False), ("2.1.332", True)], ids=["old", "new"]
)
def test_a_misspelled_on_failure_drops_the_file_on_new_versions(
    repo: Path, tmp_path: Path, version: str, dropped: bool
) -> None:
    """An onFailure outside {continue, block} (on any handler) makes 2.1.332 drop the file."""
    target = repo / ".claude" / "settings.json"
    value = json.loads(target.read_text())
    value["hooks"]["PostToolUse"][0]["hooks"].append(
        {"type": "command", "command": "true", "onFailure": "Block"}
    )
    target.write_text(json.dumps(value, indent=2))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, version))
    problems = _problems(report)
    assert (status == 1) is dropped
    assert any('"Block" is not one of continue, block' in m for _, m in problems) is dropped


def test_on_failure_missing_is_a_warning_and_old_versions_are_told(
    repo: Path, tmp_path: Path
) -> None:
    """No onFailure: warn on 2.1.332 (it would block), inform on 2.1.197 (it ignores it)."""
    target = repo / ".claude" / "settings.json"
    value = json.loads(target.read_text())
    del value["hooks"]["PreToolUse"][0]["hooks"][0]["onFailure"]
    target.write_text(json.dumps(value, indent=2))
    for version, expected in (("2.1.332", "warn"), ("2.1.197", "info")):
        status, report = _json(repo, "--claude", _fake_claude(tmp_path, version))
        assert status == 0
        [check] = [c for c in report["worktrees"][0]["checks"] if c["area"] == "onFailure"]
        assert check["status"] == expected
        assert check["fix"] == "re-run `agentguard install`"


def test_agent_on_another_agents_branch_is_an_error(repo: Path, tmp_path: Path) -> None:
    """AGENTGUARD_AGENT=metadata in search's worktree: every call would be denied (identity)."""
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(json.dumps({"env": {"AGENTGUARD_AGENT": "metadata"}}))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 1
    [(area, message)] = _problems(report, 1)
    assert area == "identity"
    assert "AGENTGUARD_AGENT=metadata but branch agent/search" in message


def test_unknown_agent_name_is_a_warning(repo: Path, tmp_path: Path) -> None:
    """A name the policy does not know: the hook goes by the branch; doctor says so."""
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(json.dumps({"env": {"AGENTGUARD_AGENT": "serach"}}))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 0
    [check] = [c for c in report["worktrees"][1]["checks"] if c["area"] == "identity"]
    assert check["status"] == "warn"
    assert "goes by branch agent/search instead (search)" in check["message"]


def test_a_worktree_on_another_policy_is_reported(repo: Path, tmp_path: Path) -> None:
    """A worktree whose hook loads a policy other than the main checkout's is flagged."""
    other = tmp_path / "other.yaml"
    other.write_text(POLICY.replace("checks: []", "checks: []\n    cannot_touch: [x]", 1))
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(
        json.dumps({"env": {"AGENTGUARD_AGENT": "search", "AGENTGUARD_POLICY": str(other)}})
    )
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"), "--no-probe")
    assert status == 0  # a different policy is the team's business, not a broken guard
    [check] = [c for c in report["worktrees"][1]["checks"] if c["area"] == "policy"]
    assert check["status"] == "warn"
    assert "differs from the main checkout's" in check["message"]
    assert str(other) in check["message"]


def test_unwritable_state_and_stale_cache(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A state folder that cannot be created is an error; a stale cache only a warning."""
    (repo / "agentguard.yaml").write_text(POLICY + "# changed\n")
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"), "--no-probe")
    assert status == 0
    [cache] = [c for c in report["worktrees"][0]["checks"] if c["area"] == "cache"]
    assert cache["status"] == "warn"
    assert "agentguard compile" in cache["fix"]

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("AGENTGUARD_HOME", str(blocker / "state"))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"), "--no-probe")
    assert status == 1
    assert (
        "state",
        f"state folder {blocker / 'state'} is not writable (Not a directory): no"
        " decision is logged, and the Stop gate finds no evidence",
    ) in _problems(report)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A project that is not a folder, or a --claude that cannot run: exit 2 with why."""
    assert doctor.main(["--project", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert doctor.main(["--project", str(tmp_path), "--claude", str(tmp_path / "nope")]) == 2
    assert "cannot run it" in capsys.readouterr().err


def test_the_real_binaries_report_their_versions(tmp_path: Path) -> None:
    """doctor reads the versions of the real 2.1.197 and 2.1.332 binaries, when present."""
    # Where the e2e harness finds them (.ci/run installs each into .tools-<version>).
    from e2e.harness import installed_claudes

    installed = installed_claudes()
    found = 0
    for version, honours in (("2.1.197", False), ("2.1.332", True)):
        binary = installed.get(version)
        if binary is None:
            continue
        claude = doctor.find_claude(binary)
        assert claude.version is not None
        assert ".".join(map(str, claude.version)) == version
        assert settings_check.honours_on_failure(claude.version) is honours
        found += 1
    if not found:
        pytest.skip("no Claude Code 2.1.197 or 2.1.332 installed (see README: .tools-<version>)")


# lint of a settings file ------------------------------------------------------------------


def test_lint_checks_a_settings_file_against_every_version(tmp_path: Path) -> None:
    """`lint FILE.json`: each value some version drops the file for, located, exit 1."""
    bad = tmp_path / "settings.json"
    bad.write_text(
        '{\n  "permissions": {"defaultMode": "manual"},\n  "hooks": {"Stop": [{"hooks": [\n'
        '    {"type": "command", "command": "true", "onFailure": "yes"}]}]}\n}\n'
    )
    out = io.StringIO()
    assert lint.main([str(bad)], out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f'{bad}:2:19: permissions.defaultMode: "manual" is unknown')
    assert lines[1].startswith(f'{bad}:4:44: hooks.Stop[0].hooks[0].onFailure: "yes" is not')
    assert lines[-1] == "2 errors, 0 warnings, 0 info"
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"hooks": {}, "permissions": {"defaultMode": "default"}}))
    assert lint.main([str(good)], out=io.StringIO()) == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"hooks": {},}\n')
    out = io.StringIO()
    assert lint.main([str(broken)], out=out) == 1
    assert out.getvalue().startswith(f"{broken}:1:14: not valid JSON")


def test_the_committed_entry_is_what_doctor_recognises(repo: Path) -> None:
    """The entry install wrote is the one doctor replays (same path, same marker)."""
    assert entry.is_entry((repo / entry.PATH).read_text())
    assert os.access(repo / entry.PATH, os.X_OK)


def _checks(report: dict[str, Any], area: str, tree: int = 0) -> list[tuple[str, str]]:
    return [
        (c["status"], c["message"])
        for c in report["worktrees"][tree]["checks"]
        if c["area"] == area
    ]


EVENT_NAMES = [name for name, _ in settings.EVENTS]


def _managed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> Path:
    """``install --scope managed`` into a managed folder doctor is pointed at."""
    root = tmp_path / "etc-claude-code"
    monkeypatch.setattr(doctor, "MANAGED_PATHS", (str(root / "managed-settings.json"),))
    folder = root / "managed-settings.d"
    args = ["install", "--scope", "managed", "--path", str(folder), "--python", sys.executable]
    assert install.main([*args, *flags]) == 0
    return folder / "agentguard.json"


def test_doctor_reads_a_managed_fragment(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fragment in managed-settings.d is a managed scope: its hooks count and are probed."""
    assert install.main(["uninstall", "--project", str(repo)]) == 0
    fragment = _managed(tmp_path, monkeypatch)
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 0, json.dumps(report, indent=1)
    hooks = _checks(report, "hooks")
    assert ("ok", f"{fragment} (managed): {', '.join(EVENT_NAMES)}") in hooks, hooks
    assert _checks(report, "probe")[0][0] == "ok"


def test_doctor_warns_that_managed_hooks_only_drops_project_hooks(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """allowManagedHooksOnly + project hooks: a warning naming both files; managed hooks hold."""
    fragment = _managed(tmp_path, monkeypatch, "--managed-hooks-only")
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 0, json.dumps(report, indent=1)
    warnings = [m for s, m in _checks(report, "hooks") if s == "warn"]
    assert any(
        ".claude/settings.json (project): its hooks and plugins do not run" in m
        and str(fragment) in m
        for m in warnings
    ), warnings


def test_doctor_recognises_the_plugin(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """enabledPlugins agentguard@…: hooks count as delivered; with settings hooks too, a warning."""
    settings_file = repo / ".claude" / "settings.json"
    value = json.loads(settings_file.read_text())
    value["enabledPlugins"] = {"agentguard@agentguard": True}
    settings_file.write_text(json.dumps(value, indent=2) + "\n")
    new = _fake_claude(tmp_path, "2.1.332")
    _, report = _json(repo, "--claude", new)
    assert [s for s, _ in _checks(report, "plugin")] == ["ok", "warn"], _checks(report, "plugin")
    assert "registered twice" in _checks(report, "plugin")[1][1]
    # The plugin alone: no "no PreToolUse hook" error.
    assert install.main(["uninstall", "--project", str(repo)]) == 0
    _, report = _json(repo, "--claude", new)
    assert [s for s, _ in _checks(report, "plugin")] == ["ok"]
    assert not [m for a, m in _problems(report) if a == "hooks"], json.dumps(report, indent=1)


def test_observe_mode_is_reported(repo: Path, tmp_path: Path) -> None:
    """A worktree whose hooks only observe: a warning saying nothing is enforced."""
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(json.dumps({"env": {"AGENTGUARD_MODE": "observe"}}))
    status, report = _json(repo, "--claude", _fake_claude(tmp_path, "2.1.332"))
    assert status == 0
    [check] = [c for c in report["worktrees"][1]["checks"] if c["area"] == "mode"]
    assert check["status"] == "warn" and "none is enforced" in check["message"]
    assert not [c for c in report["worktrees"][0]["checks"] if c["area"] == "mode"]


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "mod.py").write_text("X = 1\n")
    (package / "notes.txt").write_text("not a module\n")
    return package


def test_uncompiled_names_modules_without_fresh_byte_code(tmp_path: Path) -> None:
    """No .pyc, or one older than its source, is stale; a compiled package has none."""
    package = _package(tmp_path)
    assert doctor.uncompiled(str(package)) == [
        str(package / "__init__.py"),
        str(package / "sub" / "mod.py"),
    ]
    assert compileall.compile_dir(str(package), quiet=2)
    assert doctor.uncompiled(str(package)) == []
    later = os.stat(package / "sub" / "mod.py").st_mtime + 10
    os.utime(package / "sub" / "mod.py", (later, later))
    assert doctor.uncompiled(str(package)) == [str(package / "sub" / "mod.py")]


def _bytecode(report: dict[str, Any]) -> list[list[dict[str, str]]]:
    return [[c for c in w["checks"] if c["area"] == "bytecode"] for w in report["worktrees"]]


def test_doctor_warns_when_every_hook_call_would_compile_agentguard(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PYTHONDONTWRITEBYTECODE reaching the hook (shell or settings env) and a package
    without fresh .pyc files: a warning naming the compileall command; else nothing."""
    package = _package(tmp_path)
    monkeypatch.setattr(doctor, "PACKAGE", str(package))
    claude = _fake_claude(tmp_path, "2.1.332")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    status, report = _json(repo, "--claude", claude, "--no-probe")
    assert status == 0
    for [check] in _bytecode(report):
        assert check["status"] == "warn"
        assert f"{package} lacks an up-to-date .pyc for 2 module(s)" in check["message"]
        assert f"-m compileall -q {package}" in check["fix"]

    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE")
    assert _bytecode(_json(repo, "--claude", claude, "--no-probe")[1]) == [[], []]
    # Set by one worktree's settings: only that worktree's hook gets it.
    local = tmp_path / "search" / ".claude" / "settings.local.json"
    local.write_text(
        json.dumps({"env": {"AGENTGUARD_AGENT": "search", "PYTHONDONTWRITEBYTECODE": "1"}})
    )
    main_checks, search_checks = _bytecode(_json(repo, "--claude", claude, "--no-probe")[1])
    assert main_checks == [] and len(search_checks) == 1

    assert compileall.compile_dir(str(package), quiet=2)
    assert _bytecode(_json(repo, "--claude", claude, "--no-probe")[1]) == [[], []]
