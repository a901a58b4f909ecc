"""Red-team bypasses of the shell parser and unwrapper: each must now be seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentguard.shell import analyse
from agentguard.shell.lexer import fast_parse, substitutions
from agentguard.shell.tsparse import join_continuations, ts_parse

ENV = {"HOME": "/home/x"}


def _cmds(line: str, cwd: Path) -> list[tuple[list[str], set[str]]]:
    return [(c.argv, set(c.classes)) for c in analyse(line, str(cwd), ENV).commands]


def _runs(line: str, cwd: Path, argv: list[str]) -> bool:
    return any(a == argv for a, _ in _cmds(line, cwd))


def _classes(line: str, cwd: Path) -> set[str]:
    return analyse(line, str(cwd), ENV).classes


def test_comment_keeps_its_newline_before_a_continuation() -> None:
    """A backslash-newline inside a comment is not a continuation: the next line runs."""
    assert join_continuations("git status #\\\nrm -rf x") == "git status #\\\nrm -rf x"
    assert join_continuations('echo "$(true #\\\nrm x)"').count("\n") == 1
    assert join_continuations("gi\\\nt status") == "git status"
    assert join_continuations("x=a#\\\nb") == "x=a#b"


def test_comment_continuation_runs_next_line(tmp_path: Path) -> None:
    """``git status #\\`` + newline + ``rm …``: the rm is analysed."""
    assert _runs("git status #\\\nrm -rf src", tmp_path, ["rm", "-rf", "src"])


@pytest.mark.parametrize(
    ("line", "argvs"),
    [
        ("git status #x; rm -rf y", [["git", "status"]]),
        ("git status #x\nrm -rf y", [["git", "status"], ["rm", "-rf", "y"]]),
        ("git status&#x\nrm -rf y", [["git", "status"], ["rm", "-rf", "y"]]),
        ("echo a#b; rm -rf y", [["echo", "a#b"], ["rm", "-rf", "y"]]),
        ("echo 'a'#b # c", [["echo", "a#b"]]),
        ("git status && # why\nrm -rf y", [["git", "status"], ["rm", "-rf", "y"]]),
    ],
)
def test_fast_lexer_reads_comments_as_bash_does(line: str, argvs: list[list[str]]) -> None:
    """A ``#`` that begins a word ends the line's text; inside a word it is a letter; the
    newline after a comment still separates commands (tree-sitter agrees)."""
    fast = fast_parse(line)
    assert fast is not None
    assert [[w.text for w in raw.words] for raw in fast] == argvs
    assert [r.key() for r in fast] == [r.key() for r in ts_parse(line)[0]]


def test_fast_lexer_refuses_a_backslash_but_not_in_a_comment() -> None:
    """A backslash outside a comment: tree-sitter decides. Inside one it is not a
    continuation: the comment ends at the newline and ``rm`` runs."""
    assert fast_parse("git status \\\nrm x") is None
    fast = fast_parse("git status #\\\nrm x")
    assert fast is not None
    assert [[w.text for w in raw.words] for raw in fast] == [["git", "status"], ["rm", "x"]]


def test_substitutions_scanner() -> None:
    """Backticks and ``$(…)`` are found in raw text; unbalanced ones give None."""
    assert substitutions("a[$(rm -rf x)]") == ["rm -rf x"]
    assert substitutions('`rm x` $(echo ")")') == ["rm x", 'echo ")"']
    assert substitutions("$(x") is None


def test_cdpath_makes_cd_unknown(tmp_path: Path) -> None:
    """After CDPATH is assigned, ``cd NAME`` leaves later targets unresolved."""
    analysis = analyse("CDPATH=/tmp; cd src && rm -rf x", str(tmp_path), ENV)
    rm = next(c for c in analysis.commands if c.program == "rm")
    assert rm.cwd is None


def test_cd_through_eval_makes_cwd_unknown(tmp_path: Path) -> None:
    """``eval cd x`` moves this shell: later relative targets are not resolved."""
    analysis = analyse("eval cd /elsewhere; rm -rf y", str(tmp_path), ENV)
    rm = next(c for c in analysis.commands if c.program == "rm")
    assert rm.cwd is None


@pytest.mark.parametrize(
    "line",
    [
        "alias ls='rm -rf x'",
        "shopt -s expand_aliases",
        "hash -p /bin/rm ls",
        "enable -f /tmp/x.so foo",
        "readarray -C f a",
        'trap "$X" EXIT',
        "echo ${x@P}",
        "echo ${!x}",
        "x='a[$(rm -rf y)]'; echo $((x))",
        "/bin/r? -rf y",
        "/usr/bin/r[m] -rf y",
    ],
)
def test_hidden_code_is_opaque(line: str, tmp_path: Path) -> None:
    """Constructs that run code the guard cannot see are opaque."""
    assert "opaque" in _classes(line, tmp_path)


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
    assert _runs(line, tmp_path, ["rm", "-rf", "y"])


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
    assert _runs(line, tmp_path, ["rm", "-rf", "y"])


@pytest.mark.parametrize(
    "line", ["taskset --weird 1 rm x", "env --frobnicate rm x", "unshare", "npx --odd rm x"]
)
def test_unknown_wrapper_options_are_opaque(line: str, tmp_path: Path) -> None:
    """An option a wrapper table does not know is not guessed at."""
    assert "opaque" in _classes(line, tmp_path)


def test_systemd_run_service_cwd_is_unknown(tmp_path: Path) -> None:
    """A transient service does not run in the caller's directory."""
    analysis = analyse("systemd-run --user rm -rf y", str(tmp_path), ENV)
    assert next(c for c in analysis.commands if c.program == "rm").cwd is None


@pytest.mark.parametrize(
    "line",
    [
        "pnpm dlx cowsay",
        "yarn dlx cowsay",
        "bunx cowsay",
        "uvx ruff",
        "npx -y cowsay",
        "uv tool run ruff",
        "npx --package=cowsay cowsay",
    ],
)
def test_downloading_runners_install(line: str, tmp_path: Path) -> None:
    """Runners that fetch a package are package-install and network."""
    assert {"package-install", "network"} <= _classes(line, tmp_path)


def test_npx_local_binary_is_not_an_install(tmp_path: Path) -> None:
    """``npx NAME`` with ``node_modules/.bin/NAME`` above cwd runs the local binary."""
    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "node_modules" / ".bin" / "tsc").touch()
    (tmp_path / "src").mkdir()
    assert "package-install" not in _classes("npx tsc --noEmit", tmp_path / "src")
    assert {"package-install", "network"} <= _classes("npx cowsay", tmp_path / "src")


def test_pnpm_and_yarn_run_binaries(tmp_path: Path) -> None:
    """``pnpm BIN``/``yarn BIN`` without such a script run BIN."""
    (tmp_path / "package.json").write_text('{"scripts": {"build": "astro build"}}')
    assert _runs("pnpm rimraf y", tmp_path, ["rimraf", "y"])
    assert _runs("yarn rm -rf y", tmp_path, ["rm", "-rf", "y"])


def test_npm_prefix_resolves_that_package(tmp_path: Path) -> None:
    """``npm --prefix DIR run X`` runs DIR's script X; ``--script-shell`` is opaque."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "package.json").write_text('{"scripts": {"go": "rm -rf y"}}')
    (tmp_path / "package.json").write_text('{"scripts": {"go": "echo hi"}}')
    assert _runs("npm --prefix a run go", tmp_path, ["rm", "-rf", "y"])
    assert _runs("npm run go -C a", tmp_path, ["rm", "-rf", "y"])
    assert "opaque" in _classes("npm run go --script-shell=/tmp/x", tmp_path)
    assert "opaque" in _classes("npm_config_script_shell=/tmp/x npm run go", tmp_path)
