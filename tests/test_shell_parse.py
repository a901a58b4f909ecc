"""Parsing shell lines: the fast lexer, the tree-sitter walk, and their agreement."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from shellcase import HOME, runs

from agentguard.shell import analyse, parse
from agentguard.shell.continuations import join_continuations
from agentguard.shell.lexer import fast_parse, substitutions
from agentguard.shell.model import Redirect, Word
from agentguard.shell.tsparse import ts_parse
from agentguard.shell.tswords import decode_ansi_c


def _argvs(line: str, force: bool = False) -> list[list[str]]:
    raws, _, _ = parse(line, HOME, force_tree_sitter=force)
    return [[w.text for w in raw.words] for raw in raws]


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        ("g\\it status", ["git", "status"]),
        ('"git" status', ["git", "status"]),
        ("'git' status", ["git", "status"]),
        ("$'\\x67it' status", ["git", "status"]),
        ("$'\\147it' status", ["git", "status"]),
        ('g""it status', ["git", "status"]),
        ("g''it status", ["git", "status"]),
        ("gi\\\nt status", ["git", "status"]),
        ('echo "a\\"b"', ["echo", 'a"b']),
        ('echo "a\\nb"', ["echo", "a\\nb"]),
        ("echo 'a\\nb'", ["echo", "a\\nb"]),
        ("echo $'a\\tb'", ["echo", "a\tb"]),
        ('echo "it\'s"', ["echo", "it's"]),
        ("echo ~/x", ["echo", "/home/u/x"]),
    ],
)
def test_quoting_resolves_to_the_words_bash_sees(line: str, argv: list[str]) -> None:
    """Quotes, escapes, ANSI-C strings and line continuations resolve like bash."""
    assert _argvs(line, force=True) == [argv]
    fast = fast_parse(line)
    if fast is not None:
        assert [[w.text for w in r.words] for r in fast] == [argv]


@pytest.mark.parametrize(
    "line",
    [
        "echo $HOME",
        "echo `id`",
        "echo \\x",
        "(cd x)",
        "{ a; }",
        "cat <<EOF\nx\nEOF",
        "cat <(ls)",
        "ls *.py",
        "ls a?",
        "ls [ab]",
        "echo ~",
        "echo 'unbalanced",
        'echo "unbalanced',
        "echo é",
        "if true; then x; fi",
        "for i in a; do x; done",
        "! x",
        "a |& b",
        "case x in a) y;; esac",
        "a &&",
        "&& a",
        "a | | b",
        "echo a\r",
        "x >&file",
        "cat <> f",
        "time x",
        "[[ -f x ]]",
        "echo {a,b}",
        'echo "$X"',
        'echo "`x`"',
        'echo "a\\b"',
    ],
)
def test_fast_lexer_hands_everything_else_to_tree_sitter(line: str) -> None:
    """Any construct outside the fast lexer's allow-list makes it give up."""
    assert fast_parse(line) is None


@pytest.mark.parametrize(
    ("line", "redirects"),
    [
        ("a > f", [Redirect(">", Word("f"))]),
        ("a >> f", [Redirect(">>", Word("f"))]),
        ("a 2>&1", [Redirect(">&", Word("1"), "2")]),
        ("a &> f", [Redirect("&>", Word("f"))]),
        ("a >| f", [Redirect(">|", Word("f"))]),
        ("a < f", [Redirect("<", Word("f"))]),
        ("a 2> 'e r'", [Redirect(">", Word("e r"), "2")]),
        ("a>f", [Redirect(">", Word("f"))]),
    ],
)
def test_fast_lexer_reads_simple_redirections(line: str, redirects: list[Redirect]) -> None:
    """The fast lexer's redirections equal tree-sitter's."""
    fast = fast_parse(line)
    assert fast is not None
    assert fast[0].redirects == redirects
    ts, errors = ts_parse(line)
    assert errors == []
    assert ts[0].redirects == redirects


def test_word_followed_by_redirect_digit_is_not_a_descriptor() -> None:
    """``a2>f`` is the word ``a2`` and a redirection, ``2>f`` is descriptor 2."""
    fast = fast_parse("echo a2>f 2>g")
    assert fast is not None
    assert [w.text for w in fast[0].words] == ["echo", "a2"]
    assert fast[0].redirects == [Redirect(">", Word("f")), Redirect(">", Word("g"), "2")]


def test_assignments_only_as_prefix() -> None:
    """Leading ``NAME=value`` words are assignments; later ones are arguments."""
    fast = fast_parse("A=1 B='x y' cmd C=2")
    assert fast is not None
    assert fast[0].assigns == [("A", Word("1")), ("B", Word("x y"))]
    assert [w.text for w in fast[0].words] == ["cmd", "C=2"]
    ts, _ = ts_parse("A=1 B='x y' cmd C=2")
    assert ts[0].key() == fast[0].key()


def test_quoted_name_is_not_an_assignment() -> None:
    """``"A"=1`` runs a program named ``A=1`` in bash."""
    fast = fast_parse('"A"=1 cmd')
    assert fast is not None
    assert fast[0].assigns == []
    assert [w.text for w in fast[0].words] == ["A=1", "cmd"]


@pytest.mark.parametrize(
    ("line", "dynamic"),
    [
        ("$X status", True),
        ("$(echo git) status", True),
        ("`echo git` status", True),
        ("${X} status", True),
        ("git$X status", True),
        ("X=git; $X status", False),
        ("X=git; ${X} status", False),
        ("if c; then X=git; fi; $X status", True),
    ],
)
def test_program_names_from_expansions_are_dynamic(line: str, dynamic: bool) -> None:
    """Unresolved expansions in the program name mark it dynamic (opaque)."""
    raws, _ = ts_parse(line, HOME)
    last = raws[-1]
    assert last.words[0].dynamic is dynamic
    if not dynamic:
        assert last.words[0].text == "git"


def test_substitutions_and_nested_constructs_are_walked() -> None:
    """Commands inside substitutions, subshells, functions, loops and tests are found."""
    line = (
        'echo $(a1) `a2` "$(a3)"; (a4); { a5; }; f() { a6; }; for i in 1; do a7; done; '
        "while a8; do a9; done; if a10; then a11; elif a12; then a13; else a14; fi; "
        "case x in y) a15;; esac; [[ -f $(a16) ]]; x=$(a17); diff <(a18) >(a19); "
        "cat <<EOF\n$(a20)\nEOF\n(( $(a21) ))"
    )
    found = {argv[0] for argv in _argvs(line, force=True) if argv}
    assert {f"a{i}" for i in range(1, 22)} <= found


def test_syntax_errors_are_reported() -> None:
    """A line tree-sitter cannot parse carries errors."""
    _, errors, parser = parse("echo (( ;; ))) fi", force_tree_sitter=False)
    assert parser == "tree-sitter"
    assert errors


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("\\x67", "g"),
        ("\\u00e9", "é"),
        ("\\101", "A"),
        ("\\n", "\n"),
        ("\\cA", "\x01"),
        ("\\q", "\\q"),
        ("\\'", "'"),
    ],
)
def test_ansi_c_decoding(body: str, value: str) -> None:
    """``$'…'`` escapes decode as bash does."""
    assert decode_ansi_c(body) == value


# Lines the fast lexer accepts; the differential test checks the tree-sitter path agrees.
DIFFERENTIAL = [
    "git status",
    "git status && npm run check | tee out.log; echo done",
    "ls -la | head -5 && wc -l README.md",
    "A=1 B=2 make -j4 test",
    "X=1; git status",
    "git push --force origin main",
    'git commit -m "fix: a thing"',
    "echo 'single $quoted `stuff`' > out.txt",
    "cat a b c | sort | uniq -c | sort -rn | head",
    "npm test 2>&1 | tail -20",
    "rm -rf dist build && mkdir -p dist",
    "cp a.txt b.txt; mv b.txt c.txt",
    "curl -fsSL https://example.com -o page.html",
    "python3 -m pytest -q tests/",
    "node --version; npm --version",
    "sleep 1 & wait",
    "a && b || c; d",
    "echo a\necho b\n",
    "grep -rn 'TODO' src | wc -l",
    "sed -i 's/a/b/g' file.txt",
    "git diff --stat > diff.txt 2>&1",
    "env -i PATH=/usr/bin git status",
    "sudo -u root git push -f",
    "timeout 10 npm test",
    "bash -c 'git push --force'",
    'sh -c "git status && git push origin +main"',
    "xargs -n1 rm < list.txt",
    "find . -name x.tmp -delete",
    "tee -a log.txt < input.txt",
    "git -C ../other reset --hard",
    "cd sub && rm -f x",
    "echo \"a b\" 'c d' e=f",
    "printf '%s\\n' a b",
    "docker push image:tag",
    "wrangler deploy --env prod",
    "ls 1>out 2>err",
    "cat < in > out",
    "git checkout -- src/a.ts",
    "git log --oneline -n 5 --grep=force",
    "npx prettier --write .",
    "echo a # comment",
    "npm run check #again\ngit status",
    "git status && # why\n  git diff",
    "echo 'a'#b c#d",
    "npm run check &&\n  npm run build |\n  tee out.log",
]


def _summary(line: str, force: bool, cwd: str) -> list[tuple[object, ...]]:
    analysis = analyse(line, cwd, HOME, force_tree_sitter=force)
    return [
        (c.text, sorted(c.classes), c.reads, c.writes, c.deletes, c.unresolved, c.refs, c.via)
        for c in analysis.commands
    ]


@pytest.mark.parametrize("line", DIFFERENTIAL)
def test_fast_and_tree_sitter_paths_agree(line: str, tmp_path: object) -> None:
    """For lines the fast lexer accepts, the full analysis equals the tree-sitter one."""
    assert fast_parse(line) is not None, "the differential corpus must stay on the fast path"
    fast, _, _ = parse(line)
    slow, errors = ts_parse(line, HOME)
    assert errors == []
    assert [r.key() for r in fast] == [r.key() for r in slow]
    assert _summary(line, False, str(tmp_path)) == _summary(line, True, str(tmp_path))


def test_generated_lines_agree() -> None:
    """Combinations of words, quotes, operators and redirections agree on both paths."""
    words = ["git", "status", "'a b'", '"c d"', "e=f", "-x", "--y=z", "./p/q", "g''h"]
    ops = [" && ", " || ", "; ", " | ", " & ", "\n"]
    redirs = ["", " > o", " 2>&1", " >> 'o p'", " < i", " &> o"]
    count = 0
    for i, first in enumerate(words):
        for j, op in enumerate(ops):
            second = words[(i + j + 1) % len(words)]
            line = f"X=1 {first} {words[(i * 3) % len(words)]}{redirs[j]}{op}{second} -v"
            fast = fast_parse(line)
            assert fast is not None, line
            slow, errors = ts_parse(line)
            assert errors == [], line
            assert [r.key() for r in fast] == [r.key() for r in slow], line
            count += 1
    assert count == len(words) * len(ops)


def test_tree_sitter_loads_without_typing_or_importlib_resources() -> None:
    """The lazy loader skips the Python wrappers that import typing/importlib.resources."""
    code = (
        "import sys; from agentguard.shell import analyse; "
        "a = analyse('echo $(git status)', '.'); "
        "assert a.parser == 'tree-sitter', a.parser; "
        "print(','.join(m for m in ('typing', 'importlib.resources', 'tree_sitter') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert out.stdout.strip() == ""


def test_fast_path_does_not_load_tree_sitter() -> None:
    """A simple line never imports the tree-sitter extension."""
    code = (
        "import sys; from agentguard.shell import analyse; "
        "a = analyse('git status && npm run check | tee out.log; echo done', '.'); "
        "print(a.parser, 'tree_sitter._binding' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert out.stdout.split() == ["fast", "False"]


# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


def test_comment_keeps_its_newline_before_a_continuation() -> None:
    """A backslash-newline inside a comment is not a continuation: the next line runs."""
    assert join_continuations("git status #\\\nrm -rf x") == "git status #\\\nrm -rf x"
    assert join_continuations('echo "$(true #\\\nrm x)"').count("\n") == 1
    assert join_continuations("gi\\\nt status") == "git status"
    assert join_continuations("x=a#\\\nb") == "x=a#b"


def test_comment_continuation_runs_next_line(tmp_path: Path) -> None:
    """``git status #\\`` + newline + ``rm …``: the rm is analysed."""
    assert runs("git status #\\\nrm -rf src", tmp_path, ["rm", "-rf", "src"])


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


# -- red-team pass 2: each case ran unobjected before its fix ---------------------------


PLUS_LINES = [
    "X+=1 rm -rf src/content",
    "X+=1 git push -f origin HEAD",
    "LD_PRELOAD+=/tmp/x.so ls",
    "BASH_ENV+=/tmp/x.sh bash scripts/build.sh",
    "A=1 X+=2 B=3 make",
    'X+="a b" ls',
    "X+=1; ls",
    "X+=1",
]


@pytest.mark.parametrize("line", PLUS_LINES)
def test_append_assignment_prefix_agrees_with_tree_sitter(line: str, tmp_path: Path) -> None:
    """``NAME+=value`` is an assignment on the fast path too, exactly as tree-sitter reads
    it (the value dynamic: it appends to an unknown value), and the analysis agrees."""
    fast = fast_parse(line)
    assert fast is not None, "the line must stay on the fast path"
    slow, errors = ts_parse(line, HOME)
    assert errors == []
    assert [r.key() for r in fast] == [r.key() for r in slow]

    def summary(force: bool) -> list[tuple[object, ...]]:
        a = analyse(line, str(tmp_path), HOME, force_tree_sitter=force)
        return [(c.text, sorted(c.classes), c.writes, c.deletes, c.unresolved) for c in a.commands]

    assert summary(False) == summary(True)


def test_append_assignment_runs_the_next_word() -> None:
    """``X+=1 rm -rf x``: the program is ``rm``, not ``X+=1``."""
    raws, _, which = parse("X+=1 rm -rf src/content")
    assert which == "fast"
    assert [w.text for w in raws[0].words] == ["rm", "-rf", "src/content"]
    assert [name for name, _ in raws[0].assigns] == ["X"]


@pytest.mark.parametrize("line", ["a+b=1 ls", "+=1 ls", "X++=1 ls", "X'+'=1 ls", "1X+=2 ls"])
def test_words_that_only_look_like_append_stay_words(line: str) -> None:
    """A ``+=`` word whose name is not an identifier is the program, as in bash."""
    fast = fast_parse(line)
    assert fast is not None
    slow, _ = ts_parse(line)
    assert [r.key() for r in fast] == [r.key() for r in slow]
    assert fast[0].assigns == []


def test_a_here_document_after_a_list_belongs_to_its_last_command() -> None:
    """`cd src && patch <<EOF`: the body is patch's input, and what follows runs after it."""
    raws, errors = ts_parse("cd src && patch -p1 <<'EOF' && rm x\n--- a/f\n+++ b/f\nEOF\n")
    assert errors == []
    assert [[w.text for w in r.words] for r in raws] == [
        ["cd", "src"],
        ["patch", "-p1"],
        ["rm", "x"],
    ]
    patch = raws[1]
    assert [(r.op, r.target.text) for r in patch.redirects] == [("<<", "--- a/f\n+++ b/f\n")]
    assert raws[0].redirects == [] and raws[2].redirects == []


def test_a_here_document_after_a_group_stays_the_groups() -> None:
    """`{ a; b; } <<EOF` feeds the group, not its last command."""
    raws, _ = ts_parse("{ cat; patch; } <<'EOF'\nx\nEOF\n")
    assert [r.redirects for r in raws if r.words] == [[], []]
    assert any(not r.words and r.redirects for r in raws)
