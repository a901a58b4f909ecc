"""The Python payload reader: effects of visible code, and what keeps code opaque."""

from __future__ import annotations

import pytest

from agentguard.shell.programs.pycode import read_code


@pytest.mark.parametrize(
    ("code", "effects"),
    [
        ("open('a', 'w')", [("write", "a")]),
        ("open('a')", [("read", "a")]),
        ("open('a', 'r+')", [("write", "a"), ("read", "a")]),
        ("import os; os.rename('a', 'b')", [("delete", "a"), ("write", "b")]),
        ("from shutil import rmtree; rmtree('d')", [("delete", "d")]),
        ("from pathlib import Path; p = Path('x', 'y'); p.unlink()", [("delete", "x/y")]),
        ("import pathlib; pathlib.Path('a').open('a')", [("write", "a")]),
        ("print(1 + 1)", []),
    ],
)
def test_literal_effects_are_read(code: str, effects: list[tuple[str, str]]) -> None:
    """Code with literal paths gets exactly its file effects and nothing unknown."""
    reading = read_code(code)
    assert reading.unknown == []
    assert reading.effects == effects


@pytest.mark.parametrize(
    "code",
    [
        "import os; os.remove(os.environ['X'])",
        "import os; r = os.remove; r('x')",
        "getattr(__builtins__, 'open')('x', 'w')",
        "import glob; glob.os.remove('x')",
        "import random; random._os.remove('x')",
        "().__class__.__base__",
        "from pathlib import Path; p = Path('a'); p = Path('b'); p.unlink()",
        "from pathlib import Path\np = Path('a')\ndef f(p):\n    p.unlink()",
        "import subprocess; subprocess.run(['ls', x])",
        "import subprocess; subprocess.run(['ls'], cwd='/')",
        "import os; os.execvp('rm', ['rm', 'x'])",
        "import operator, pathlib; operator.methodcaller('unlink')(pathlib.Path('x'))",
        "import operator, json; operator.attrgetter('__globals__')(json.dumps)",
        "print(max)(1)",
        "import thirdparty",
        "open(",
    ],
)
def test_what_the_reader_cannot_follow_stays_opaque(code: str) -> None:
    """Dynamic paths, aliases, reflection, rebound names and unknown imports leave code opaque."""
    assert read_code(code).unknown


def test_network_modules_are_network() -> None:
    """Reaching the network through the standard library is network, not opaque."""
    reading = read_code("import urllib.request as u; u.urlopen('https://example.com')")
    assert reading.network and reading.unknown == []


@pytest.mark.parametrize(
    ("code", "commands"),
    [
        ("import subprocess; subprocess.run(['rm', '-f', 'a b'])", ["rm -f 'a b'"]),
        ("import subprocess as s; s.check_output('ls | wc -l', shell=True)", ["ls | wc -l"]),
        ("from subprocess import Popen; Popen(args=('git', 'status'))", ["git status"]),
        ("import os; os.system('make'); os.popen('ls', 'r')", ["make", "ls"]),
        ("import subprocess; subprocess.getoutput('date')", ["date"]),
        # Without a shell the whole string names one program, quoted as one word.
        ("import subprocess; subprocess.call('rm -rf x')", ["'rm -rf x'"]),
        ("import subprocess; subprocess.run(['ls'], stdout=subprocess.PIPE)", ["ls"]),
    ],
)
def test_literal_commands_are_listed(code: str, commands: list[str]) -> None:
    """Commands run with literal arguments become shell lines, and leave nothing opaque."""
    reading = read_code(code)
    assert reading.unknown == []
    assert reading.commands == commands


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess; subprocess.run(['sh', '-c', 'rm $0', 'x'], shell=True)",
        "import subprocess; subprocess.run('rm ' + 'x', shell=True)",
        "import subprocess; subprocess.run(['bash'], input='rm -rf .claude')",
        "import subprocess; subprocess.run(['ls'], env={'GIT_DIR': '/x'})",
        "import subprocess; subprocess.run(['ls'], **{})",
        "import subprocess; subprocess.run(['ls'], shell=flag)",
        "import subprocess; subprocess.run([])",
        "import os; os.system('')",
        "import os; os.system('ls', 1)",
        "import subprocess; subprocess.Popen(['ls'], -1, '/bin/rm')",
    ],
)
def test_commands_that_cannot_be_placed_stay_opaque(code: str) -> None:
    """A computed line, a changed environment, folder or input, or extra arguments: opaque."""
    reading = read_code(code)
    assert reading.unknown and reading.commands == []
