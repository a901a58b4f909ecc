"""agentguard's own entries, found on disk: links, copies and shims of the hook entry."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from agentguard.shell import analyse

HOOKS = Path(__file__).resolve().parent.parent / "hooks" / "agentguard"
CONSOLE = (
    "#!/usr/bin/python3\nimport re\nimport sys\nfrom agentguard.cli import main\n"
    "if __name__ == '__main__':\n    sys.exit(main())\n"
)


def _classes(line: str, cwd: Path) -> set[str]:
    found: set[str] = set()
    for cmd in analyse(line, str(cwd), {"HOME": "/home/nobody"}).commands:
        found |= cmd.classes
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A worktree holding a console script in a venv, the POSIX entry and a shim."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "agentguard").write_text(CONSOLE)
    (tmp_path / "hooks").mkdir()
    shutil.copy(HOOKS, tmp_path / "hooks" / "agentguard")
    shim = tmp_path / ".claude" / "hooks" / "guard.sh"
    shim.parent.mkdir(parents=True)
    shim.write_text('#!/bin/sh\nexec "$CLAUDE_PROJECT_DIR"/hooks/agentguard "$@"\n')
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        ".claude/hooks/guard.sh PostToolUse",
        "sh .claude/hooks/guard.sh PostToolUse",
        "bash ./.claude/hooks/guard.sh Stop",
        "source .claude/hooks/guard.sh",
        "./copy PostToolUse",
        "./ag hook PostToolUse",
        "./hooklink Stop",
        "cd .venv/bin && ./agentguard hook Stop",
        "python3 ./console-copy hook PostToolUse",
    ],
)
def test_links_copies_and_shims_of_the_entry_are_tamper(tree: Path, line: str) -> None:
    """A shim, a small copy or a link of an entry, under any name, runs the hook."""
    shutil.copy(tree / "hooks" / "agentguard", tree / "copy")
    shutil.copy(tree / ".venv" / "bin" / "agentguard", tree / "console-copy")
    os.symlink(tree / ".venv" / "bin" / "agentguard", tree / "ag")
    os.symlink(tree / "hooks" / "agentguard", tree / "hooklink")
    assert "guard-tamper" in _classes(line, tree)


@pytest.mark.parametrize(
    "line",
    [
        "cd .venv/bin && ./agentguard lint",
        "./ag lint",
        "./tool --version",
        "python3 tool.py",
        "sh scripts/big.sh",
    ],
)
def test_the_command_line_and_look_alikes_are_not_tamper(tree: Path, line: str) -> None:
    """The console script by a link keeps its read-only sub-commands; other files pass."""
    os.symlink(tree / ".venv" / "bin" / "agentguard", tree / "ag")
    (tree / "tool").write_text("#!/bin/sh\necho 'see agentguard lint'\n")
    (tree / "tool.py").write_text("print('agentguard')\n")
    (tree / "scripts").mkdir()
    # A project script may mention the hook; past a few KB it is the project's code.
    (tree / "scripts" / "big.sh").write_text("# " + "x" * 5000 + "\nagentguard hook Stop\n")
    assert "guard-tamper" not in _classes(line, tree)


def test_the_installed_package_run_as_a_script_is_tamper(tmp_path: Path) -> None:
    """``python3 <site-packages>/agentguard hook Stop`` is the command line, so the hook."""
    import agentguard

    package = Path(agentguard.__file__).parent
    line = f"{sys.executable} {package} hook Stop"
    assert "guard-tamper" in _classes(line, tmp_path)
    assert "guard-tamper" not in _classes(f"{sys.executable} {package} lint", tmp_path)
    assert "guard-tamper" in _classes(f"{sys.executable} {package / 'hook.py'}", tmp_path)
