"""Failure signatures: the same failure collides, a different one does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentguard.signature import (
    SIGNATURE_LENGTH,
    describe,
    first_error_line,
    normalise_command,
    normalise_error,
    normalise_line,
    normalise_subject,
    signature,
    subject_signature,
)

FIXTURES = Path(__file__).parent / "fixtures" / "failures"

# Two runs of the same failure: temp paths, durations, addresses, line numbers, PIDs,
# ports, UUIDs, colours and test order differ between the two files of a pair.
COLLIDE = [
    ("pytest", "run1", "run2"),
    ("tsc", "run1", "run2"),
    ("tsc", "pretty1", "pretty2"),
    ("astro", "run1", "run2"),
    ("cargo", "run1", "run2"),
    ("cargo", "compile_error", "compile_error2"),
    ("go", "run1", "run2"),
    ("go", "panic1", "panic2"),
    ("jest", "run1", "run2"),
    ("python", "run1", "run2"),
    ("shell", "notfound1", "notfound2"),
    ("shell", "nofile1", "nofile2"),
    ("shell", "macos1", "macos2"),
]

# A different failing test, a different error, a different exit status.
DIFFER = [
    ("pytest", "run1", "other_test"),
    ("pytest", "run1", "other_error"),
    ("pytest", "param_a", "param_b"),
    ("pytest", "run1", "param_a"),
    ("tsc", "run2", "one_fixed"),
    ("astro", "run1", "other_error"),
    ("cargo", "run1", "other_test"),
    ("cargo", "run1", "compile_error"),
    ("go", "run1", "other_error"),
    ("go", "run1", "panic1"),
    ("jest", "run1", "other_test"),
    ("python", "run1", "other_error"),
    ("shell", "notfound1", "notfound_other"),
    ("shell", "exit1", "exit2"),
    ("shell", "nofile2", "nofile_denied"),
    ("shell", "diff1", "diff2"),
]


def _read(family: str, name: str) -> str:
    return (FIXTURES / family / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("family", "first", "second"), COLLIDE)
def test_same_failure_collides(family: str, first: str, second: str) -> None:
    """Two runs of the same failure get the same signature despite volatile details."""
    a, b = _read(family, first), _read(family, second)
    assert a != b
    assert normalise_error(a) == normalise_error(b)
    assert signature("Bash", "npm test", a) == signature("Bash", "npm test", b)


@pytest.mark.parametrize(("family", "first", "second"), DIFFER)
def test_different_failure_differs(family: str, first: str, second: str) -> None:
    """A different failing test or a different error gets a different signature."""
    a, b = _read(family, first), _read(family, second)
    assert normalise_error(a) != normalise_error(b)
    assert signature("Bash", "npm test", a) != signature("Bash", "npm test", b)


def test_every_family_has_both_kinds_of_case() -> None:
    """Each fixture family pins both a collision and a non-collision, and no file is unused."""
    families = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert len(families) >= 6
    assert families == {case[0] for case in COLLIDE} == {case[0] for case in DIFFER}
    used = {(family, name) for family, *names in COLLIDE + DIFFER for name in names}
    on_disk = {(path.parent.name, path.stem) for path in FIXTURES.glob("*/*.txt")}
    assert on_disk == used


def test_no_failure_collides_across_the_corpus() -> None:
    """Fixtures that are not declared the same failure all have distinct signatures."""
    same = {frozenset(((f, a), (f, b))) for f, a, b in COLLIDE}
    by_sig: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(FIXTURES.glob("*/*.txt")):
        key = (path.parent.name, path.stem)
        by_sig.setdefault(signature("Bash", "x", path.read_text(encoding="utf-8")), []).append(key)
    clashes = [keys for keys in by_sig.values() if len(keys) > 1]
    assert all(len(keys) == 2 and frozenset(keys) in same for keys in clashes), clashes


@pytest.mark.parametrize(
    ("expected", "line"),
    [
        ("<tmp>/test_divide/result.txt", "/tmp/pytest-of-root/pytest-12/test_divide0/result.txt"),
        ("<tmp>/test_x", "/tmp/pytest-of-alice/pytest-current/test_x1"),
        ("<tmp>/t/a.py", "/var/folders/7x/kq2v1b9d/T/pytest-of-bob/pytest-3/t0/a.py"),
        ("<tmp>/<rand>/out", "/tmp/tmpab12cd_x/out"),
        ("<tmp>/<rand>/main", "/tmp/go-build123456789/main"),
        ("/work/tmp/x1/y", "/work/tmp/x1/y"),
        ("at <addr>", "at 0x7f3a9c2b1d90"),
        ("id <uuid>", "id 6f1c2e9a-41d7-4b8e-9a3f-0c5d7e2b1a44"),
        ("commit <hex>", "commit a3f9c21e"),
        ("<time> INFO", "2024-05-01 12:34:56,789 INFO"),
        ("<time> x", "2024-05-01T12:00:01.123+02:00 x"),
        ("[<time>]", "[10:11:12 PM]"),
        ("<date> <time> N", "Tue May  7 10:11:12 2024"),
        ("took <dur>, <dur>, <dur>", "took 0.53s, 1m2.5s, 12 ms"),
        ("in <dur>", "in 1.2 seconds"),
        ("--- FAIL: TestX", "--- FAIL: TestX (0.00s)"),
        ("✕ adds", "✕ adds (123 ms)"),
        ("src/a.ts:N:N - error TS2322:", "src/a.ts:42:7 - error TS2322:"),
        ("x.astro:N:N - error ts(2322):", "x.astro:14:7 - error ts(2322):"),
        ('File "a.py", line N, in f', 'File "a.py", line 12, in f'),
        ("pid N on N.N.N.N:N", "pid 48213 on 127.0.0.1:54321"),
        ("Exit code 137", "Exit code 137"),
        ("exit status 2", "exit status 2"),
        ("HTTP 404", "HTTP 404"),
        ("test_case_1 E0308 error[E0308]", "test_case_1 E0308 error[E0308]"),
        ("::test_div[7-2]", "::test_div[7-2]"),
        ("=== FAILURES ===", "=========== FAILURES    ==========="),
        ("a b", "  a \t b   "),
    ],
)
def test_normalise_line(expected: str, line: str) -> None:
    """Volatile parts are replaced; names, codes and exit statuses are kept."""
    assert normalise_line(line) == expected


def test_colour_and_progress_redraws_do_not_matter() -> None:
    """ANSI colours and carriage-return progress frames do not change the signature."""
    plain = "Exit code 1\nerror: build failed in src/app.rs\n"
    coloured = (
        "Exit code 1\r\n"
        "Building [=>   ] 1/9\rBuilding [====>] 9/9\r\n"
        "\x1b[1m\x1b[31merror\x1b[0m: build failed in \x1b[4msrc/app.rs\x1b[0m  \n"
    )
    assert normalise_error(coloured) == normalise_error(plain)


def test_huge_output_is_bounded_and_keeps_the_verdict() -> None:
    """A ~2 MB output is cut down, and a failure after it still collides with the bare one."""
    base = _read("pytest", "run1")
    noise = "".join(
        f"tests/test_m{i}.py::test_{i} PASSED [{i % 100:3d}%] 0.0{i % 9}s /tmp/t{i}\n"
        for i in range(25_000)
    )
    out = normalise_error(noise + base)
    assert len(noise + base) > 1_500_000
    assert out == normalise_error(base)
    assert len(normalise_error("error: x\n" * 200_000).splitlines()) <= 41
    assert len(normalise_error("error: " + "y" * 2_000_000)) <= 400


def test_many_distinct_error_lines_are_capped() -> None:
    """Thousands of different error lines yield a bounded text."""
    text = "".join(
        f"src/m{i}.ts(1,1): error TS2322: bad thing {chr(97 + i % 26)}{i}\n" for i in range(5000)
    )
    lines = normalise_error(text).splitlines()
    assert 0 < len(lines) <= 40
    assert all(len(line) <= 300 for line in lines)


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x02", "\ud800 lone surrogate error: x", "\n\n\n", "x" * 100_000],
)
def test_odd_input_never_raises(text: str) -> None:
    """Empty, binary-ish, surrogate-laden or newline-free input yields a valid signature."""
    sig = signature("Bash", "\ud800", text)
    assert len(sig) == SIGNATURE_LENGTH
    assert int(sig, 16) >= 0


def test_signature_shape_and_inputs() -> None:
    """16 hex characters; the tool and the command are part of the fingerprint."""
    error = _read("pytest", "run1")
    sig = signature("Bash", "pytest -x", error)
    assert len(sig) == SIGNATURE_LENGTH
    assert sig == sig.lower()
    int(sig, 16)
    assert sig == signature("Bash", "cd /w && pytest   -x 2>&1 | tail -n 40", error)
    assert sig != signature("Bash", "pytest -x tests/test_calc.py", error)
    assert sig != signature("Write", "pytest -x", error)
    assert sig != subject_signature("Bash", "pytest -x")
    assert subject_signature("Bash", "pytest -x") == subject_signature("Bash", "cd a && pytest -x")


@pytest.mark.parametrize(
    ("expected", "command"),
    [
        ("npm run check", "  npm   run\tcheck  "),
        ("npm run check", "cd /work/web && npm run check 2>&1 | tail -n 50"),
        ("pytest -x", 'cd "a b" && cd c && pytest -x | head -20'),
        ("npm test | grep x", "npm test | grep x"),
        ("pytest; echo done", "pytest; echo done"),
        ("pytest || true", "pytest || true"),
        ("cd a; pytest", "cd a; pytest"),
        ("pytest -k test_1", "pytest -k test_1"),
        # A comment does not make a new attempt (it would reset the same-failure cap).
        ("npm run check", "npm run check # retry 4"),
        ("npm run check", "npm run check #again"),
        ('echo "a # b"', 'echo "a # b"'),
        ("echo a#b", "echo a#b"),
        ("grep '#' f", "grep '#' f # look for hashes"),
        # Comments are where the shell analyser reads them, on either of its parsers.
        ("npm test $X", "npm test $X # retry 2"),
        ("pytest tests/*.py", "pytest tests/*.py #again"),
        ('echo "$(date )"', 'echo "$(date # when\n)"'),
        ("cat <<EOF # a heading EOF", "cat <<EOF\n# a heading\nEOF"),
        ("npm run check && npm test", "npm run check && # then\n  npm test"),
    ],
)
def test_normalise_command(expected: str, command: str) -> None:
    """Whitespace, leading cd, trailing 2>&1, head/tail and comments go; meaning stays."""
    assert normalise_command(command) == expected


def test_normalise_subject_for_paths() -> None:
    """File tools' paths are normalised as paths; commands as commands."""
    assert normalise_subject("Edit", "/w/src/../src/a.py ") == "/w/src/a.py"
    assert normalise_subject("Bash", "cd x && ls") == "ls"


ASSERT = "assert 3 == 3.5"
TS2322 = "Type 'string' is not assignable to type 'number'."


@pytest.mark.parametrize(
    ("expected", "family", "name"),
    [
        (f"FAILED tests/test_calc.py::test_divide - AssertionError: {ASSERT}", "pytest", "run1"),
        (f"src/lib/cart.ts(42,7): error TS2322: {TS2322}", "tsc", "run1"),
        (f"src/lib/cart.ts:51:7 - error TS2322: {TS2322}", "tsc", "pretty2"),
        ("test tests::rounds_half_even ... FAILED", "cargo", "run1"),
        ("error[E0308]: mismatched types", "cargo", "compile_error"),
        ("--- FAIL: TestParseDuration (0.00s)", "go", "run1"),
        ("KeyError: 'DB_URL'", "python", "other_error"),
        ("bash: line 3: pnpmx: command not found", "shell", "notfound2"),
        ("Exit code 2", "shell", "exit2"),
    ],
)  # fmt: skip
def test_first_error_line(expected: str, family: str, name: str) -> None:
    """The summary line is the most telling one, with its real values and no colours."""
    assert first_error_line(_read(family, name)) == expected


def test_describe_is_one_bounded_line() -> None:
    """describe() names the tool and command and fits on one line."""
    text = describe("Bash", "npm   run check\n", "Exit code 1\nerror: " + "z" * 500)
    assert text.startswith("Bash `npm run check`: error: zzz")
    assert "\n" not in text
    assert len(text) < 260
    assert describe("Read", "", "") == "Read: (no output)"


def test_import_stays_light() -> None:
    """Importing the module pulls in neither typing nor hashlib nor dataclasses."""
    code = (
        "import sys, agentguard.signature as s; s.signature('Bash', 'x', 'error: y');"
        "print(','.join(m for m in ('typing', 'hashlib', 'dataclasses') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


@pytest.mark.parametrize(
    ("command", "kept"),
    [
        ("npm test # retry 3", "npm test "),
        ("npm test $X # retry 3", "npm test $X "),
        ("echo 'a # b' # c\ngit status # d", "echo 'a # b' \ngit status "),
        ("cat <<EOF\n# body\nEOF\n# after", "cat <<EOF\n# body\nEOF\n"),
        ("git status #\\\nrm -rf x", "git status \nrm -rf x"),
    ],
)
def test_the_cap_drops_the_comments_the_analyser_reads(command: str, kept: str) -> None:
    """What the loop cap drops from a command is what the analyser's parse calls comments,
    and the analyser finds the same commands in what is kept."""
    from agentguard.shell import analyse
    from agentguard.shell.comments import without_comments

    def argvs(line: str) -> list[list[str]]:
        return [c.argv for c in analyse(line, "/w", {"HOME": "/h"}).commands]

    assert without_comments(command) == kept
    assert argvs(kept) == argvs(command)
    assert normalise_command(command) == normalise_command(kept)
