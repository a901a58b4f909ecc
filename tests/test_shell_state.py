"""Shell state set earlier in a line (issue 11 item 7): name references, attributes, and
variables set by builtins, loops, functions and maybe-run assignments."""

from __future__ import annotations

from pathlib import Path

import pytest
from shellcase import HOME

from agentguard.shell import analyse
from agentguard.shell.model import Word
from agentguard.shell.tsstate import fold, valid_target


def _last(line: str, cwd: Path) -> list[str]:
    """The argv of the last command ``line`` runs."""
    return analyse(line, str(cwd), HOME).commands[-1].argv


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        ("declare -n r=P; P=a.txt; rm $r", ["rm", "a.txt"]),
        ("declare -n r; r=P; P=a.txt; rm ${r}", ["rm", "a.txt"]),
        ("declare -n r=P; r=a.txt; rm $P", ["rm", "a.txt"]),
        ('typeset -n r=P; P=a.txt; rm "$r"', ["rm", "a.txt"]),
        ("declare -u f; f=a.txt; rm $f", ["rm", "A.TXT"]),
        ("declare -l f=A.TXT; rm $f", ["rm", "a.txt"]),
        ("declare -i n=5; echo $n", ["echo", "5"]),
    ],
)
def test_tracked_state_gives_the_value_bash_uses(
    line: str, argv: list[str], tmp_path: Path
) -> None:
    """A reference expands to its target's value; attributes fold what is stored."""
    assert _last(line, tmp_path) == argv


def test_reference_to_an_unknown_value_is_the_target_expansion(tmp_path: Path) -> None:
    """``$r`` for r -> SECRET reads as ``$SECRET`` (a credential read), never as text."""
    analysis = analyse("declare -n r=SECRET_TOKEN; echo $r", str(tmp_path), HOME)
    echo = analysis.commands[-1]
    assert echo.argv == ["echo", "${SECRET_TOKEN}"]
    assert echo.dyn == [False, True]
    assert "secret-read" in echo.classes


def test_assignment_through_a_reference_sets_the_target(tmp_path: Path) -> None:
    """``r=/tmp/e`` with r -> PATH sets PATH: the fast lexer hands the line over."""
    analysis = analyse("declare -n r=PATH; r=/tmp/e; ls", str(tmp_path), HOME)
    assert analysis.parser == "tree-sitter"
    assert analysis.commands[1].assigns == {"PATH": "/tmp/e"}
    assert "opaque" in analysis.classes


@pytest.mark.parametrize(
    "line",
    [
        "declare -n r=$1; echo $r",
        "f() { local -n r=X; echo $r; }; f",
        "declare -n r=PATH; read r; ls",
        "declare -n r=PATH; eval 'r=/tmp/e'; ls",
    ],
)
def test_references_the_guard_cannot_follow_are_opaque(line: str, tmp_path: Path) -> None:
    """A reference to a name from an expansion, or assigned where the walk cannot see it."""
    assert "opaque" in analyse(line, str(tmp_path), HOME).classes


@pytest.mark.parametrize(
    "line",
    [
        "x=a; read x; rm $x",
        "x=a; printf -v x %s b; rm $x",
        "x=a; mapfile x < f; rm $x",
        "x=a; getopts ab x; rm $x",
        "x=a; wait -n -p x; rm $x",
        "x=a; let x=1; rm $x",
        "x=a; ((x=1)); rm $x",
        "x=a; echo $((x=2)); rm $x",
        "x=; : ${x:=b}; rm $x",
        "x=a; eval 'x=b'; rm $x",
        "x=a; trap 'x=b' DEBUG; rm $x",
        "x=a; exec {x}>/dev/null; rm $x",
        "x=a; read $v; rm $x",
        "x=b; true || x=a; rm $x",
        "x=b; x=a & rm $x",
        "x=a; for i in 1 2; do rm $x; x=b; done",
        "x=a; while read y; do rm $x; read x; done",
        "f() { x=b; }; x=a; f; rm $x",
        "f() { g; }; g() { read x; }; x=a; f; rm $x",
        "declare -c f=abc; rm $f",
        "declare -i n=1+1; rm $n",
    ],
)
def test_values_the_line_may_change_are_unresolved(line: str, tmp_path: Path) -> None:
    """A value set earlier and then possibly changed is unresolved, not the old text."""
    rm = next(c for c in reversed(analyse(line, str(tmp_path), HOME).commands) if c.program == "rm")
    assert rm.dyn[-1]


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        ("getopts ab o; x=a; rm $x", ["rm", "a"]),
        ("x=a; printf '%s\\n' $x; rm $x", ["rm", "a"]),
        ("x=a; wait $pid; rm $x", ["rm", "a"]),
        ("x=a; for i in 1 2; do echo $i; done; rm $x", ["rm", "a"]),
        ("x=a; f() { echo $x; }; f; rm $x", ["rm", "a"]),
    ],
)
def test_commands_that_set_nothing_keep_values(line: str, argv: list[str], tmp_path: Path) -> None:
    """Builtins reading a value, loops and functions that assign nothing keep it known."""
    assert _last(line, tmp_path) == argv


def test_fold_and_targets() -> None:
    """Folding follows the attribute letters; a target is a name, maybe subscripted."""
    assert fold("u", Word("ab")) == Word("AB")
    assert fold("c", Word("ab")).dynamic
    assert fold("u", Word("é")).dynamic
    assert not fold("i", Word("-12")).dynamic
    assert valid_target("a") and valid_target("a[1]")
    assert not valid_target("1a") and not valid_target("a b")
