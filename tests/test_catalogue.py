"""The program catalogue: data only, and every entry's examples true of the analyser."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agentguard.commands import explain
from agentguard.shell import analyse, catalogue, describe
from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.classify import handler_of

CATALOGUE = Path(catalogue.__file__)
# Names a literal may use: the three constants, and what annotations say.
_ANNOTATION_NAMES = {"dict", "str", "object"}
_EXPECTED_KEYS = {"classes", "writes", "reads", "deletes"}


def _violations(source: str) -> list[str]:
    """Every node of ``source`` that is not a literal (outside annotations)."""
    tree = ast.parse(source)
    allowed = (
        ast.Module,
        ast.Expr,
        ast.Assign,
        ast.AnnAssign,
        ast.Constant,
        ast.Dict,
        ast.Tuple,
        ast.Name,
        ast.Load,
        ast.Store,
    )
    out: list[str] = []
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign):
            skip.update(id(n) for n in ast.walk(node.annotation))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        where = f"line {getattr(node, 'lineno', '?')}"
        if not isinstance(node, allowed):
            out.append(f"{where}: {type(node).__name__}")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id not in ("True", "False", "None"):
                out.append(f"{where}: name {node.id}")
        elif isinstance(node, ast.Expr) and not (
            isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        ):
            out.append(f"{where}: expression statement")
    return out


def test_catalogue_is_literals_only() -> None:
    """The catalogue holds dicts, tuples, strings, numbers, booleans and None: no call,
    function, lambda, comprehension, import or name, so loading it runs no code."""
    assert _violations(CATALOGUE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "X = frozenset(('a',))",
        "X = {'a': lambda: 1}",
        "X = [n for n in 'ab']",
        "import os",
        "def f(): pass",
        "X = {'a': OTHER}",
        "X = ('a' + 'b',)",
        "X = {'a': ['b']}",
    ],
)
def test_literal_check_catches_code(source: str) -> None:
    """The literal check refuses each kind of code a catalogue edit could slip in."""
    assert _violations(source) != []


def _effects(line: str, cwd: str) -> dict[str, tuple[str, ...]]:
    """What the analyser says ``line`` does, run in ``cwd``: the classes of all its
    commands and the paths they write, read and delete (relative to ``cwd``)."""
    analysis = analyse(line, cwd, {"HOME": "/nonexistent-home", "PATH": "/usr/bin:/bin"})

    def shown(paths: list[str]) -> tuple[str, ...]:
        rel = [
            os.path.relpath(p, cwd) if p.startswith(cwd + os.sep) or p == cwd else p for p in paths
        ]
        return tuple(sorted(set(rel)))

    classes: set[str] = set()
    writes: list[str] = []
    reads: list[str] = []
    deletes: list[str] = []
    for cmd in analysis.commands:
        classes.update(cmd.classes)
        writes.extend(cmd.writes)
        reads.extend(cmd.reads)
        deletes.extend(cmd.deletes)
    return {
        "classes": tuple(sorted(classes)),
        "writes": shown(writes),
        "reads": shown(reads),
        "deletes": shown(deletes),
    }


def _examples() -> list[Any]:
    out = []
    for name, facts in PROGRAMS.items():
        examples = facts.get("examples", {})
        assert isinstance(examples, dict)
        for line, expected in examples.items():
            out.append(pytest.param(name, line, expected, id=f"{name}: {line}"))
    return out


@pytest.mark.parametrize(("program", "line", "expected"), _examples())
def test_example_holds(program: str, line: str, expected: dict[str, Any], tmp_path: Path) -> None:
    """Each catalogue example gives exactly the classes, writes, reads and deletes it
    states (an absent key: none), run in an empty folder outside any repository."""
    assert set(expected) <= _EXPECTED_KEYS, f"{program}: unknown keys in {line!r}"
    got = _effects(line, str(tmp_path))
    want = {key: tuple(sorted(expected.get(key, ()))) for key in _EXPECTED_KEYS}
    assert got == want


def test_every_program_has_an_example() -> None:
    """Every program the catalogue lists carries at least one example."""
    missing = [name for name, facts in PROGRAMS.items() if not facts.get("examples")]
    assert missing == []


def test_every_example_names_its_program() -> None:
    """An entry's examples run that program (a typo would test another one)."""
    wrong = [
        f"{name}: {line}"
        for name, facts in PROGRAMS.items()
        for line in facts.get("examples", {})  # type: ignore[attr-defined]
        if name not in line.split()[:3] and not line.split()[0].startswith(name)
    ]
    assert wrong == []


def test_every_handler_exists() -> None:
    """Every family and handler an entry names is importable, and only entries with a
    family name a handler."""
    for name, facts in PROGRAMS.items():
        assert ("family" in facts) == ("handler" in facts), name
        if "family" in facts:
            assert callable(handler_of(facts)), name


@pytest.mark.parametrize(
    ("line", "families"),
    [
        ("git status", ["agentguard.shell.programs.git"]),
        (
            "git push origin main",
            ["agentguard.shell.programs.git", "agentguard.shell.programs.git_refs"],
        ),
        ("ls -la", []),
        ("cat a.txt | grep x", []),
        ("npm install", ["agentguard.shell.programs.packages"]),
        ("curl https://example.com", ["agentguard.shell.programs.network"]),
    ],
)
def test_families_load_only_when_named(line: str, families: list[str], tmp_path: Path) -> None:
    """A line loads the family modules of the programs it names, and no other."""
    code = (
        "import sys\n"
        "from agentguard.shell import analyse\n"
        f"analyse({line!r}, {str(tmp_path)!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('agentguard.shell.programs.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == repr(families)


@pytest.mark.parametrize("name", ["curl", "git", "npm", "grep", "sudo", "python3.12"])
def test_explain_program_prints_what_is_known(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """explain --program NAME exits 0 and prints the entry and its examples in 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    assert explain.main(["--program", name]) == 0
    out = capsys.readouterr().out
    key = describe.lookup(name)[0]
    assert out.startswith(f"{name}: known to agentguard")
    assert next(iter(PROGRAMS[key]["examples"])) in out  # type: ignore[call-overload]
    assert max(len(line) for line in out.splitlines()) <= 80


def test_explain_program_unknown_says_what_it_assumes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown program exits 1 and says what agentguard assumes about it."""
    monkeypatch.setenv("COLUMNS", "80")
    assert explain.main(["--program", "frobnicate"]) == 1
    out = capsys.readouterr().out
    assert "frobnicate: agentguard does not know this program." in out
    assert "What it assumes:" in out and "-o FILE" in out


def test_explain_program_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the report: the entry's facts, handler and examples."""
    assert explain.main(["--program", "tar", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["known"] is True
    assert report["handler"]["module"] == "agentguard/shell/programs/archives.py"
    assert report["examples"]["tar tf pkg.tar"] == {"classes": ["read-only"], "reads": ["pkg.tar"]}


def test_describe_shows_policy_programs() -> None:
    """A program a policy declares is known and reported beside the built-in entry."""
    declared = {"sponge": {"writes": "1"}}
    assert describe.describe("sponge")["known"] is False
    report = describe.describe("sponge", policy_programs=declared)
    assert report["known"] is True
    assert report["policy"] == {"writes": "1"}
    # The declaration's facts are printed by explain, beside which wins (tests/test_programs.py).
    assert "the policy declares it" in describe.render(report)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("timeout", "timeout 5 rm -rf x"),
        ("env", "agentguard/shell/wrappers.py"),
        ("npx", "agentguard/shell/project.py"),
    ],
)
def test_explain_program_knows_wrappers(
    name: str, shown: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program that runs other programs is known: its shape, or the handler that unwraps it."""
    monkeypatch.setenv("COLUMNS", "80")
    assert explain.main(["--program", name]) == 0
    out = capsys.readouterr().out
    assert shown in out
    assert max(len(line) for line in out.splitlines()) <= 80
