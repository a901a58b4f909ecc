"""What a line runs: wrappers unwrapped, commands nested in traps, subscripts,
expansions and here-documents, and the working folder after ``cd``, ``eval`` and ``CDPATH``."""

from __future__ import annotations

from pathlib import Path

import pytest
from shellcase import HOME, classes, runs

from agentguard.shell import analyse

# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


def test_cdpath_makes_cd_unknown(tmp_path: Path) -> None:
    """After CDPATH is assigned, ``cd NAME`` leaves later targets unresolved."""
    analysis = analyse("CDPATH=/tmp; cd src && rm -rf x", str(tmp_path), HOME)
    rm = next(c for c in analysis.commands if c.program == "rm")
    assert rm.cwd is None


def test_cd_through_eval_makes_cwd_unknown(tmp_path: Path) -> None:
    """``eval cd x`` moves this shell: later relative targets are not resolved."""
    analysis = analyse("eval cd /elsewhere; rm -rf y", str(tmp_path), HOME)
    rm = next(c for c in analysis.commands if c.program == "rm")
    assert rm.cwd is None


@pytest.mark.parametrize(
    "line",
    [
        "trap 'rm -rf y' EXIT",
        "mapfile -C 'rm -rf y' a",
        "a[$(rm -rf y)]=1",
        "a[`rm -rf y`]=1",
        "declare 'a[$(rm -rf y)]=1'",
        "let 'a[$(rm -rf y)]'",
        "test -v 'a[$(rm -rf y)]'",
        "[[ -v 'a[$(rm -rf y)]' ]]",
        "printf -v 'a[$(rm -rf y)]' x",
        "read 'a[$(rm -rf y)]'",
        "echo ${x:=`rm -rf y`}",
        "cat <<EOF\n`rm -rf y`\nEOF",
        "cat <<-EOF\n\t$(rm -rf y)\n\tEOF",
    ],
)
def test_hidden_commands_are_analysed(line: str, tmp_path: Path) -> None:
    """Commands hidden in traps, subscripts, ``${…}`` and here-documents are found."""
    assert runs(line, tmp_path, ["rm", "-rf", "y"])


@pytest.mark.parametrize(
    "line",
    [
        "taskset 0x1 rm -rf y",
        "taskset -c 0 rm -rf y",
        "chrt -f 1 rm -rf y",
        "prlimit --nofile=10 rm -rf y",
        "prlimit -n10 rm -rf y",
        "unshare -r rm -rf y",
        "numactl -N 0 rm -rf y",
        "nsenter -t 1 -m rm -rf y",
        "systemd-run --user --scope rm -rf y",
        "fakeroot -- rm -rf y",
        "firejail --noprofile rm -rf y",
        "proot -0 rm -rf y",
        "busybox rm -rf y",
        "toybox rm -rf y",
        "valgrind --tool=none rm -rf y",
        "pkexec rm -rf y",
        "runuser -u x -- rm -rf y",
        "sudo -nu root rm -rf y",
        "env -iS 'rm -rf y'",
        "env -a foo rm -rf y",
        "env --argv0=foo rm -rf y",
        "uvx --from pkg rm -rf y",
        "corepack pnpm exec rm -rf y",
        "setarch x86_64 -R rm -rf y",
    ],
)
def test_wrappers_are_unwrapped(line: str, tmp_path: Path) -> None:
    """The wrapped command of each wrapper is analysed as the command that runs."""
    assert runs(line, tmp_path, ["rm", "-rf", "y"])


@pytest.mark.parametrize(
    "line", ["taskset --weird 1 rm x", "env --frobnicate rm x", "unshare", "npx --odd rm x"]
)
def test_unknown_wrapper_options_are_opaque(line: str, tmp_path: Path) -> None:
    """An option a wrapper table does not know is not guessed at."""
    assert "opaque" in classes(line, tmp_path)


def test_systemd_run_service_cwd_is_unknown(tmp_path: Path) -> None:
    """A transient service does not run in the caller's directory."""
    analysis = analyse("systemd-run --user rm -rf y", str(tmp_path), HOME)
    assert next(c for c in analysis.commands if c.program == "rm").cwd is None
