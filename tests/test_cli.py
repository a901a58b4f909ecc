"""The one command-line surface: every command ends with a code from the one table, never a
traceback (a closed pipe, Ctrl-C, an unexpected error), and ``hook --help`` prints help."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agentguard import cli, errors
from agentguard.commands import hook_help, root, usage

NAMES = sorted(root.COMMANDS)


def _patch(monkeypatch: pytest.MonkeyPatch, name: str, body: Callable[[list[str]], int]) -> None:
    """Make command ``name`` run ``body`` instead of its own main."""
    module_name, func, _ = root.COMMANDS[name]
    if name == "hook":
        module_name, func = "agentguard.hook.run", "main"
    monkeypatch.setattr(importlib.import_module(module_name), func, body)


def _raise(exc: BaseException) -> Callable[[list[str]], int]:
    def body(args: list[str]) -> int:
        raise exc

    return body


@pytest.mark.parametrize("name", NAMES)
def test_interrupt_ends_130_without_traceback(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in any command ends with 130 and one line on stderr."""
    _patch(monkeypatch, name, _raise(KeyboardInterrupt()))
    assert root.main([name, "x"]) == errors.INTERRUPTED
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip() == f"agentguard {name}: interrupted"


@pytest.mark.parametrize("name", NAMES)
def test_unexpected_error_writes_a_crash_file_and_names_it(
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    agentguard_home: Path,
) -> None:
    """An unexpected exception ends with 2 and one line naming the crash file (the traceback)."""
    _patch(monkeypatch, name, _raise(ZeroDivisionError("injected fault")))
    assert root.main([name]) == errors.USAGE
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    crashes = list((agentguard_home / "crash").glob("cli-*.log"))
    assert len(crashes) == 1 and str(crashes[0]) in err
    body = crashes[0].read_text(encoding="utf-8")
    assert "Traceback" in body and "ZeroDivisionError: injected fault" in body
    assert f"agentguard {name}" in body


def test_crash_file_falls_back_to_the_temp_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With an unwritable state home the crash file goes to the temp folder, still named."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AGENTGUARD_HOME", str(blocker / "home"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    _patch(monkeypatch, "lint", _raise(RuntimeError("boom")))
    assert root.main(["lint"]) == errors.USAGE
    err = capsys.readouterr().err
    crashes = list((tmp_path / "tmp" / "agentguard-crash").glob("cli-*.log"))
    assert len(crashes) == 1 and str(crashes[0]) in err


@pytest.mark.parametrize("name", NAMES)
def test_broken_pipe_ends_quietly(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reader that went away mid-output ends any command with 141 and nothing on stderr."""
    _patch(monkeypatch, name, _raise(BrokenPipeError(32, "Broken pipe")))
    assert root.main([name]) == errors.PIPE_CLOSED
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("known", root.KNOWN, ids=lambda cls: cls.__name__)
def test_a_known_failure_is_one_line(
    known: type[Exception],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    agentguard_home: Path,
) -> None:
    """A known error nobody caught is its own one line and exit 2, no crash file."""
    error = known.__new__(known)
    Exception.__init__(error, "policy.yaml: cannot read it; fix it")
    _patch(monkeypatch, "compile", _raise(error))
    assert root.main(["compile"]) == errors.USAGE
    assert capsys.readouterr().err == "agentguard compile: policy.yaml: cannot read it; fix it\n"
    assert not (agentguard_home / "crash").exists()


def test_the_exit_table_is_the_one_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`agentguard --help` ends with every exit code of the table."""
    assert root.main(["--help"]) == errors.OK
    out = capsys.readouterr().out
    for code in set(errors.EXIT.values()):
        assert f"\n  {code} " in out


def _closed_stdout(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``agentguard ARGS`` with a stdout whose reader is already gone (`| head -1`)."""
    read, write = os.pipe()
    os.close(read)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
    env.update(AGENTGUARD_HOME=str(tmp_path / "home"), AGENTGUARD_BUDGET="25")
    try:
        return subprocess.run(
            [sys.executable, "-m", "agentguard", *args],
            check=False,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize("name", ["", *(n for n in NAMES if n != "hook")])
def test_help_into_a_closed_pipe(name: str, tmp_path: Path) -> None:
    """`agentguard NAME --help | head -1` for every command: quiet, 0 or 141, no traceback.

    argparse swallows a failed write of the help when the text exceeds the buffer; the
    help was still asked for, so 0 is as right as 141 there.
    """
    proc = _closed_stdout([name, "--help"] if name else ["--help"], tmp_path)
    assert proc.stderr == ""
    assert proc.returncode in (errors.OK, errors.PIPE_CLOSED)


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "--", "git", "status"],
        ["schema"],
        ["lint"],
        ["demo"],
        ["hook", "--help"],
    ],
)
def test_real_output_into_a_closed_pipe(args: list[str], tmp_path: Path) -> None:
    """The outputs that used to end in a BrokenPipeError traceback end with 141 and silence."""
    proc = _closed_stdout(args, tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == errors.PIPE_CLOSED, proc.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_hook_help_prints_help(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`agentguard hook --help` prints the events and exits 0 (it used to be an unknown event)."""
    assert cli.main(["hook", flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: agentguard hook EVENT")
    assert "PreToolUse" in out and "Stop" in out


def test_hook_help_through_the_verbose_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`agentguard -v hook --help` (the argparse path) prints the same help."""
    from agentguard import diag

    # -v sets the variable and configures logging for the process: undone after the test
    # (setenv records the variable's absence, so the "1" that -v writes is removed again;
    # delenv of an absent variable recorded nothing, and later tests logged at debug).
    monkeypatch.setenv(diag.VERBOSE_ENV, "0")
    monkeypatch.setattr(diag, "configure", lambda verbose: None)
    assert root.main(["-v", "hook", "--help"]) == 0
    assert capsys.readouterr().out == hook_help.HOOK_HELP


def test_hook_help_loads_no_hook_module() -> None:
    """The help never imports the hook's machinery (nor argparse)."""
    code = (
        "import sys; from agentguard import cli; cli.main(['hook', '--help']);"
        "print(sorted(m for m in sys.modules if m.startswith('agentguard') or m == 'argparse'),"
        " file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = ast.literal_eval(proc.stderr)
    assert "argparse" not in loaded
    assert not [m for m in loaded if m.startswith(("agentguard.hook", "agentguard.policy"))]
    assert "agentguard.commands.hook_help" in loaded


HELPS = [
    [""],
    *([n] for n in NAMES if n != "hook"),
    *(["logs", view] for view in ("sessions", "summary", "tail", "export", "report")),
    ["memory", "lint"],
]


@pytest.mark.parametrize("words", HELPS, ids=" ".join)
def test_help_has_no_rst_markup(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every help text reads as plain text: no ``literal`` quotes, no :role:`x`."""
    argv = [w for w in words if w] + ["--help"]
    assert root.main(argv) == errors.OK
    out = capsys.readouterr().out
    assert out.startswith("usage:")
    assert "``" not in out
    assert not re.search(r":[a-z]+:`", out)


def test_plain_keeps_the_words() -> None:
    """The markup goes, the words stay: literals read `x`, roles read their target."""
    doc = "``agentguard x``: does y.\n\nRun ``agentguard x --z`` (see :mod:`agentguard.y`)."
    assert usage.plain(doc) == "agentguard x: does y.\n\nRun `agentguard x --z` (see agentguard.y)."


def test_top_level_help_lists_commands_in_workflow_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Set up before checking, checking before running agents, reading logs after."""
    assert root.main(["--help"]) == errors.OK
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("    ")]
    order = ["demo", "init", "install", "doctor", "explain", "lint", "test", "agents", "verify"]
    order += ["integrate", "logs", "uninstall"]
    assert [name for name in listed if name in order] == order


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--home", "H", "summary"], ["summary", "--home", "H"]),
        (["--agent", "summary", "loops"], ["loops", "--agent", "summary"]),
        (["--format=json", "tail", "-n", "3"], ["tail", "--format=json", "-n", "3"]),
        (["summary", "--home", "H"], ["summary", "--home", "H"]),
        (["--no-follow", "--", "tail"], ["--no-follow", "--", "tail"]),
    ],
)
def test_view_first_finds_the_view_among_options(argv: list[str], expected: list[str]) -> None:
    """The view moves to the front; an option's value that looks like a view stays put."""
    valued = {"--home", "--agent", "--format", "-n"}
    assert usage.view_first(argv, ("summary", "loops", "tail"), valued) == expected


def test_logs_options_before_the_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`logs --format json --agent dev summary` equals `logs summary --format json --agent dev`."""
    from agentguard.commands import logs
    from agentguard.state import log

    monkeypatch.chdir(tmp_path)
    home = str(tmp_path / "home")
    for agent in ("dev", "other"):
        log.append(home, {"ts": "2026-12-02T10:00:00Z", "event": "PreToolUse", "agent": agent})
    assert logs.main(["--home", home, "--format", "json", "--agent", "dev", "summary"]) == 0
    before = capsys.readouterr().out
    assert logs.main(["summary", "--home", home, "--format", "json", "--agent", "dev"]) == 0
    assert capsys.readouterr().out == before
    assert list(json.loads(before)) == ["dev"]


def test_memory_options_before_the_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`memory --format json lint` is `memory lint --format json`."""
    from agentguard.commands import memory

    (tmp_path / "CLAUDE.md").write_text("# notes\n")
    before = memory.main(["--format", "json", "lint", "--root", str(tmp_path)])
    first = capsys.readouterr().out
    after = memory.main(["lint", "--root", str(tmp_path), "--format", "json"])
    assert (before, first) == (after, capsys.readouterr().out)
    json.loads(first)
