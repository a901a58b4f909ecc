"""The project's committed hook entry (.claude/hooks/agentguard): portable, and fail-closed.

The situation it exists for: the author runs ``agentguard install`` and commits
``.claude/settings.json``; a teammate clones the repository. Any path of the author's machine
in the committed command is "not found" there, which Claude Code before 2.1.295 reads as
"run the tool". The entry names no such path and, when agentguard cannot be found or does not
run, answers the call itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from agentguard.claude import entry, settings
from agentguard.commands import hook_command, install
from agentguard.state import log

VENV_BIN = Path(sys.executable).parent
CONSOLE = VENV_BIN / "agentguard"
SYSTEM_PATH = "/usr/bin:/bin"
STUB = '#!/bin/sh\nprintf \'{"stub": "%s"}\\n\' "$0 $*"\n'
# An interpreter stub: it answers only when run the way the entry runs a Python (isolated,
# without site, the boot code as -c), and reports what follows the boot code.
PY_STUB = (
    '#!/bin/sh\n[ "$1 $2 $3" = "-I -S -c" ] || exit 3\nshift 4\n'
    'printf \'{"stub": "%s"}\\n\' "$0 $*"\n'
)


def _env(project: Path, path: str = SYSTEM_PATH, **extra: str) -> dict[str, str]:
    """A hook environment with nothing of this test run's Python in it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AGENTGUARD_", "PYTHON", "VIRTUAL_ENV", "CLAUDE_"))
    }
    env.update(PATH=path, CLAUDE_PROJECT_DIR=str(project), AGENTGUARD_HOME=str(project / ".st"))
    env.update(extra)
    return env


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _install(capsys: pytest.CaptureFixture[str], project: Path, *extra: str) -> tuple[int, str]:
    status = install.main(["install", "--project", str(project), *extra])
    return status, capsys.readouterr().out


def _command(project: Path, event: str = "PreToolUse") -> str:
    """The command the committed settings.json registers for ``event``."""
    value = json.loads((project / ".claude" / "settings.json").read_text())
    group = value["hooks"][event][0]
    return str(group["hooks"][0]["command"])


def _run(command: str, env: dict[str, str], cwd: Path, event: dict[str, Any]) -> tuple[int, str]:
    """Run a hook command the way Claude Code does (sh -c, event on stdin)."""
    done = subprocess.run(
        ["sh", "-c", command],
        input=json.dumps(event),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout


def _write_event(project: Path, relative: str) -> dict[str, Any]:
    return {
        "session_id": "s-entry",
        "transcript_path": str(project / "t.jsonl"),
        "cwd": str(project),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": str(project / relative), "content": "x"},
        "tool_use_id": "toolu_entry",
    }


@pytest.fixture
def clone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A teammate's clone of a repository whose author ran ``agentguard install`` and committed.

    The author's project has its own .venv (git-ignored, as venvs are), so nothing of it
    reaches the clone.
    """
    if shutil.which("agentguard", path=SYSTEM_PATH):
        pytest.skip(f"agentguard is installed system-wide ({SYSTEM_PATH}); cannot test its absence")
    author = tmp_path / "author"
    author.mkdir()
    _git(author, "init", "-q", "-b", "main")
    (author / ".gitignore").write_text(".venv/\n")
    (author / ".venv" / "bin").mkdir(parents=True)
    (author / ".venv" / "bin" / "agentguard").symlink_to(CONSOLE)
    status, _ = _install(capsys, author)
    assert status == 0
    _git(author, "add", "-A")
    _git(author, "commit", "-q", "-m", "guarded")
    teammate = tmp_path / "teammate"
    _git(tmp_path, "clone", "-q", str(author), str(teammate))
    return teammate


def test_clone_without_agentguard_refuses_with_the_install_command(clone: Path) -> None:
    """Nothing installed: PreToolUse is denied naming the install command, exit 0, valid JSON."""
    assert not (clone / ".venv").exists()
    status, out = _run(_command(clone), _env(clone), clone, _write_event(clone, "notes.txt"))
    assert status == 0
    decision = json.loads(out)["hookSpecificOutput"]
    assert decision["hookEventName"] == "PreToolUse"
    assert decision["permissionDecision"] == "deny"
    reason = decision["permissionDecisionReason"]
    assert "agentguard is not installed for this project" in reason
    assert "pipx install agentguard" in reason
    assert ".venv/bin/pip install agentguard" in reason


def test_clone_without_agentguard_refuses_a_skills_shell_command(clone: Path) -> None:
    """Nothing installed: a skill's embedded command is denied under its own event name."""
    event = {"hook_event_name": "PreSkillShellCommand", "tool_input": {"command": "git push -f"}}
    status, out = _run(_command(clone, "PreSkillShellCommand"), _env(clone), clone, event)
    assert status == 0
    decision = json.loads(out)["hookSpecificOutput"]
    assert decision["hookEventName"] == "PreSkillShellCommand"
    assert decision["permissionDecision"] == "deny"
    assert "agentguard is not installed" in decision["permissionDecisionReason"]


@pytest.mark.parametrize("event", ["PostToolUse", "PostToolUseFailure", "Stop", "SubagentStop"])
def test_clone_without_agentguard_tells_the_user_on_other_events(clone: Path, event: str) -> None:
    """The other events get a systemMessage (shown to the user), never a block or a crash."""
    status, out = _run(_command(clone, event), _env(clone), clone, {"hook_event_name": event})
    assert status == 0
    assert list(json.loads(out)) == ["systemMessage"]
    assert "agentguard is not installed" in json.loads(out)["systemMessage"]


def test_the_old_absolute_command_fails_open_in_a_clone(tmp_path: Path) -> None:
    """Today's failure, pinned: the python-style command names a venv the clone does not have.

    The shell answers 127 with nothing on stdout, which Claude Code 2.1.197 reads as "run
    the tool"; this is why project scope now writes the entry.
    """
    clone = tmp_path / "clone"
    clone.mkdir()
    old = hook_command.command_factory(
        "python", str(clone / ".venv" / "bin" / "python"), str(clone)
    )
    status, out = _run(old("PreToolUse"), _env(clone), clone, _write_event(clone, "x"))
    assert (status, out) == (127, "")


def test_clone_with_agentguard_on_path_runs_the_real_guard(clone: Path, tmp_path: Path) -> None:
    """Installed another way (on PATH, as pipx does): the committed command runs the guard."""
    bindir = tmp_path / "pipx-bin"
    bindir.mkdir()
    (bindir / "agentguard").symlink_to(CONSOLE)
    env = _env(clone, f"{bindir}:{SYSTEM_PATH}")
    status, out = _run(_command(clone), env, clone, _write_event(clone, ".claude/settings.json"))
    assert status == 0
    decision = json.loads(out)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny"
    assert "not-installed" not in decision["permissionDecisionReason"]
    assert "self-protection" in decision["permissionDecisionReason"]
    # The guard ran and logged the decision in the clone's state folder.
    assert Path(log.log_path(str(clone / ".st"))).is_file()


def test_clone_with_its_own_venv_uses_it(clone: Path) -> None:
    """A teammate who made the project's .venv gets that agentguard, not one on PATH."""
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "agentguard").symlink_to(CONSOLE)
    event = _write_event(clone, ".git/config")
    status, out = _run(_command(clone), _env(clone), clone, event)
    assert status == 0
    assert json.loads(out)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "not-installed" not in out


def test_linked_worktree_uses_the_main_checkouts_venv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agent's worktree (no .venv of its own) runs the main checkout's agentguard."""
    main = tmp_path / "main"
    main.mkdir()
    _git(main, "init", "-q", "-b", "main")
    (main / ".gitignore").write_text(".venv/\n")
    (main / ".venv" / "bin").mkdir(parents=True)
    (main / ".venv" / "bin" / "agentguard").symlink_to(CONSOLE)
    assert _install(capsys, main)[0] == 0
    _git(main, "add", "-A")
    _git(main, "commit", "-q", "-m", "guarded")
    linked = tmp_path / "agent"
    _git(main, "worktree", "add", "-q", "-b", "agent/x", str(linked))
    assert not (linked / ".venv").exists()
    assert entry.finds(str(linked), _env(linked)) == str(main / ".venv" / "bin" / "agentguard")
    status, out = _run(_command(linked), _env(linked), linked, _write_event(linked, ".git"))
    assert status == 0
    decision = json.loads(out)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny"
    assert "not-installed" not in decision["permissionDecisionReason"]
    # The same worktree once the main checkout's venv is gone: refused, by the entry itself.
    shutil.rmtree(main / ".venv")
    assert entry.finds(str(linked), _env(linked)) is None
    status, out = _run(_command(linked), _env(linked), linked, _write_event(linked, "a.txt"))
    assert "[agentguard:not-installed]" in out


@pytest.mark.parametrize(
    "pointer",
    ["gitdir: {main}/.git/worktrees/agent\n", "gitdir: ../main/.git/worktrees/agent", "junk\n"],
    ids=["absolute", "relative-no-newline", "not-a-pointer"],
)
def test_worktree_pointer_forms(pointer: str, tmp_path: Path) -> None:
    """Absolute and relative gitdir pointers (git 2.48+), with or without a final newline."""
    main = tmp_path / "main"
    venv_agentguard = _stub(main / ".venv" / "bin" / "agentguard")
    linked = tmp_path / "agent"
    script = _stub(linked / entry.PATH, entry.SCRIPT)
    (linked / ".git").write_text(pointer.format(main=main))
    done = subprocess.run(
        [str(script), "Stop"],
        input="{}",
        env=_env(linked),
        capture_output=True,
        text=True,
        check=True,
    )
    found = entry.finds(str(linked), _env(linked))
    if pointer == "junk\n":
        assert found is None
        assert "not installed" in json.loads(done.stdout)["systemMessage"]
        return
    assert found is not None
    assert os.path.realpath(found) == str(venv_agentguard.resolve())
    ran = json.loads(done.stdout)["stub"].split(" hook ")[0]
    assert os.path.realpath(ran) == str(venv_agentguard.resolve())


def _stub(path: Path, text: str = STUB) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_lookup_order_and_arguments(tmp_path: Path) -> None:
    """$AGENTGUARD_PYTHON, then the project's .venv, then PATH; the event arrives intact."""
    project = tmp_path / "p q"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    on_path = _stub(tmp_path / "bin" / "agentguard")
    in_venv = _stub(project / ".venv" / "bin" / "agentguard")
    python = _stub(tmp_path / "py" / "python3", PY_STUB)
    path = f"{on_path.parent}:{SYSTEM_PATH}"

    def seen(**extra: str) -> str:
        done = subprocess.run(
            [str(script), "PreToolUse", "two words"],
            input="{}",
            env=_env(project, path, **extra),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return str(json.loads(done.stdout)["stub"])

    assert seen(AGENTGUARD_PYTHON=str(python)) == f"{python} hook PreToolUse two words"
    assert os.path.realpath(seen().split(" hook ")[0]) == str(in_venv.resolve())
    in_venv.unlink()
    assert seen() == f"{on_path} hook PreToolUse two words"


# Script forms run as they are: pip's trampoline for interpreter paths a #! line cannot hold
# starts with #!/bin/sh, and an env line names no interpreter path.
OTHER_SCRIPT_FORMS = ("#!/bin/sh\n", "#!/usr/bin/env sh\n")


def test_a_console_script_runs_through_its_interpreter_without_site(tmp_path: Path) -> None:
    """A console script's #! interpreter runs the boot code (-I -S); other forms run as they are."""
    project = tmp_path / "p"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    python = _stub(tmp_path / "venv" / "bin" / "python3.12", PY_STUB)
    console = _stub(project / ".venv" / "bin" / "agentguard", f"#!{python}\nimport sys\n")

    def seen() -> str:
        done = subprocess.run(
            [str(script), "Stop"],
            input="{}",
            env=_env(project),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return str(json.loads(done.stdout)["stub"])

    assert seen() == f"{python} hook Stop"
    for head in OTHER_SCRIPT_FORMS:
        console.write_text(head + STUB.split("\n", 1)[1])
        assert os.path.realpath(seen().split(" hook ")[0]) == str(console.resolve()), head


def _fake_venv(root: Path, files: dict[str, str], deps: bool = True) -> Path:
    """A venv whose interpreter is this one, holding ``files`` and (``deps``) this venv's
    packages but not agentguard itself."""
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    real = Path(os.path.realpath(sys.executable))
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "python3").symlink_to(real)
    (root / "pyvenv.cfg").write_text(f"home = {real.parent}\n")
    site = root / "lib" / version / "site-packages"
    site.mkdir(parents=True)
    for name, text in files.items():
        (site / name).write_text(text)
    ours = Path(sysconfig.get_paths()["purelib"])
    for child in ours.iterdir() if deps else ():
        if not child.name.startswith(("__editable__", "agentguard")):
            (site / child.name).symlink_to(child)
    return root / "bin" / "python3"


REPO = Path(__file__).resolve().parent.parent
BOOT_FORMS = {
    "editable finder": {
        "__editable__.agentguard-0.1.0.pth": "import __editable___agentguard_0_1_0_finder\n",
        "__editable___agentguard_0_1_0_finder.py": (
            f"MAPPING: dict[str, str] = {{'agentguard': '{REPO / 'agentguard'}'}}\n"
        ),
    },
    "editable compat pth": {"__editable__.agentguard-0.1.0.pth": f"{REPO}\n"},
}


def _boot(python: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-I", "-S", "-c", entry.BOOT, "--version"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        check=False,
    )


@pytest.mark.parametrize("form", list(BOOT_FORMS))
def test_the_boot_code_finds_agentguard_without_site(form: str, tmp_path: Path) -> None:
    """Without site, the boot code finds an editable install in either form setuptools writes."""
    done = _boot(_fake_venv(tmp_path / "venv", BOOT_FORMS[form]), tmp_path)
    assert (done.returncode, done.stdout.split()[:1]) == (0, ["agentguard"]), done.stderr


def test_the_boot_code_without_agentguard_fails_and_the_entry_refuses(tmp_path: Path) -> None:
    """An interpreter with no agentguard anywhere exits 1, so the entry refuses the call."""
    python = _fake_venv(tmp_path / "venv", {}, deps=False)
    done = _boot(python, tmp_path)
    assert done.returncode == 1
    assert "ModuleNotFoundError" in done.stderr
    project = tmp_path / "p"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    refused = subprocess.run(
        [str(script), "PreToolUse"],
        input="{}",
        env=_env(project, AGENTGUARD_PYTHON=str(python)),
        capture_output=True,
        text=True,
        check=True,
    )
    reason = json.loads(refused.stdout)["hookSpecificOutput"]["permissionDecisionReason"]
    assert "did not run (exit status 1)" in reason


BROKEN = [
    ("python without agentguard", "AGENTGUARD_PYTHON", "python3", 1),
    ("venv whose python is gone", "venv", "#!/nonexistent/python\n", 127),
    ("hook that crashes mid-output", "venv", "#!/bin/sh\nprintf '{\"hookSpec'\nexit 1\n", 1),
    ("not executable", "venv-noexec", "#!/bin/sh\necho '{}'\n", None),
]


@pytest.mark.parametrize(("what", "where", "body", "code"), BROKEN, ids=[b[0] for b in BROKEN])
def test_found_but_not_running_fails_closed(
    what: str, where: str, body: str, code: int | None, tmp_path: Path
) -> None:
    """An agentguard that is found but does not run is a deny too, never partial output."""
    project = tmp_path / "p"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    extra: dict[str, str] = {}
    if where == "AGENTGUARD_PYTHON":
        python = shutil.which(body, path=SYSTEM_PATH)
        assert python is not None
        extra["AGENTGUARD_PYTHON"] = python
    else:
        target = _stub(project / ".venv" / "bin" / "agentguard", body)
        if where == "venv-noexec":
            target.chmod(0o644)  # not executable: skipped like an absent one, then not found
    done = subprocess.run(
        [str(script), "PreToolUse"],
        input="{}",
        env=_env(project, **extra),
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, what
    reason = json.loads(done.stdout)["hookSpecificOutput"]["permissionDecisionReason"]
    expected = "is not installed" if code is None else f"did not run (exit status {code})"
    assert expected in reason


@pytest.mark.parametrize(("value", "decision"), [("ask", "ask"), ("deny", "deny"), ("x", "deny")])
def test_on_error_env_softens_or_keeps_the_refusal(
    value: str, decision: str, tmp_path: Path
) -> None:
    """AGENTGUARD_ON_ERROR=ask asks instead; any other value but allow still denies."""
    project = tmp_path / "p"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    done = subprocess.run(
        [str(script), "PreToolUse"],
        input="{}",
        env=_env(project, AGENTGUARD_ON_ERROR=value),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["hookSpecificOutput"]["permissionDecision"] == decision


def test_on_error_allow_still_tells_the_user(tmp_path: Path) -> None:
    """AGENTGUARD_ON_ERROR=allow (a human's choice) gives no decision, only a systemMessage."""
    project = tmp_path / "p"
    script = _stub(project / entry.PATH, entry.SCRIPT)
    done = subprocess.run(
        [str(script), "PreToolUse"],
        input="{}",
        env=_env(project, AGENTGUARD_ON_ERROR="allow"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert list(json.loads(done.stdout)) == ["systemMessage"]


def test_entry_is_posix_sh_and_recognised_as_ours() -> None:
    """The entry passes dash's syntax check, and its command is one uninstall recognises."""
    dash = shutil.which("dash")
    if dash is not None:
        subprocess.run([dash, "-n", "/dev/stdin"], input=entry.SCRIPT.encode(), check=True)
    assert entry.SCRIPT.startswith("#!/bin/sh\n")
    assert entry.is_entry(entry.SCRIPT)
    assert not entry.is_entry("#!/bin/sh\necho mine\n")
    for event, _ in settings.EVENTS:
        assert settings.is_ours({"type": "command", "command": entry.command(event)})
    assert not any(c in entry.INSTALL_COMMAND for c in '"\\`$')


# install / uninstall of the entry ---------------------------------------------------------


def test_install_writes_the_entry_idempotently_and_uninstall_removes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Project scope writes an executable entry once; uninstall removes it and its folder."""
    project = tmp_path / "p"
    project.mkdir()
    status, out = _install(capsys, project, "--dry-run")
    assert status == 0
    assert f"would write {project / entry.PATH}" in out
    assert list(project.iterdir()) == []

    status, out = _install(capsys, project)
    target = project / entry.PATH
    assert status == 0
    assert target.read_text() == entry.SCRIPT
    assert os.access(target, os.X_OK)
    assert _command(project) == entry.command("PreToolUse")
    assert str(tmp_path) not in (project / ".claude" / "settings.json").read_text()

    status, out = _install(capsys, project)
    assert (status, "already up to date; nothing written" in out) == (0, True)

    target.write_text(entry.SCRIPT.replace("exit 0\n", "exit 0 \n", 1))  # an older entry
    status, out = _install(capsys, project)
    assert status == 0
    assert target.read_text() == entry.SCRIPT
    assert "wrote" in out

    assert install.main(["uninstall", "--project", str(project), "--dry-run"]) == 0
    assert f"would remove {target}" in capsys.readouterr().out
    assert target.is_file()
    assert install.main(["uninstall", "--project", str(project)]) == 0
    assert not target.exists()
    assert not target.parent.exists()


def test_uninstall_keeps_the_entry_while_another_scope_uses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The entry goes only with the last settings file of the project naming it."""
    project = tmp_path / "p"
    project.mkdir()
    assert _install(capsys, project)[0] == 0
    assert _install(capsys, project, "--scope", "local", "--command-style", "entry")[0] == 0
    assert install.main(["uninstall", "--project", str(project)]) == 0
    assert (project / entry.PATH).is_file()
    assert install.main(["uninstall", "--project", str(project), "--scope", "local"]) == 0
    assert not (project / entry.PATH).exists()


def test_a_foreign_file_at_the_entry_path_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script agentguard did not write is never overwritten (nor removed by uninstall)."""
    project = tmp_path / "p"
    mine = _stub(project / entry.PATH, "#!/bin/sh\necho mine\n")
    status = install.main(["install", "--project", str(project)])
    err = capsys.readouterr().err
    assert status == 2
    assert "was not written by agentguard; move it aside" in err
    assert mine.read_text() == "#!/bin/sh\necho mine\n"
    assert not (project / ".claude" / "settings.json").exists()


def test_an_old_absolute_install_is_replaced_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-running install over yesterday's absolute-path hooks leaves only the entry's."""
    project = tmp_path / "p"
    project.mkdir()
    status, _ = _install(capsys, project, "--python", sys.executable)
    assert status == 0
    assert sys.executable in _command(project)
    assert _install(capsys, project)[0] == 0
    value = json.loads((project / ".claude" / "settings.json").read_text())
    commands = [
        h["command"] for groups in value["hooks"].values() for g in groups for h in g["hooks"]
    ]
    assert commands == [entry.command(e) for e, _ in settings.EVENTS]
    assert value["hooks"]["PreToolUse"][0]["hooks"][0]["onFailure"] == "block"


def test_install_warns_when_this_machine_would_be_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installing where the entry finds no agentguard says so (the hook would deny all)."""
    monkeypatch.setenv("PATH", SYSTEM_PATH)
    monkeypatch.delenv("AGENTGUARD_PYTHON", raising=False)
    project = tmp_path / "p"
    project.mkdir()
    assert install.main(["install", "--project", str(project)]) == 0
    err = capsys.readouterr().err
    assert "finds no agentguard" in err
    assert "refuse every tool call" in err
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "agentguard").symlink_to(CONSOLE)
    (project / entry.PATH).unlink()
    assert install.main(["install", "--project", str(project)]) == 0
    assert "finds no agentguard" not in capsys.readouterr().err
