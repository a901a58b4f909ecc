"""A for loop over a static list: "$f" in its body stands for each element of the list."""

from __future__ import annotations

import pytest

from agentguard.shell.forloop import MAX_LOOP_ITEMS
from agentguard.shell.lexer import fast_parse
from agentguard.shell.model import Word
from agentguard.shell.tsparse import ts_parse


def _args(line: str) -> list[list[Word]]:
    """The words of every raw command tree-sitter finds in ``line``."""
    cmds, errors = ts_parse(line)
    assert errors == []
    return [c.words for c in cmds]


def test_the_fast_lexer_refuses_for_lines() -> None:
    """A ``for`` line goes to tree-sitter (the fast lexer does not parse loops)."""
    assert fast_parse('for f in *.md; do wc -l "$f"; done') is None


def test_a_glob_element_stands_for_the_glob() -> None:
    """``"$f"`` over ``.env*`` is the glob itself, expanded later like any glob."""
    assert _args('for f in .env*; do grep x "$f"; done') == [
        [Word("grep"), Word("x"), Word(".env*", glob=True)]
    ]


def test_each_literal_element_gets_its_own_body() -> None:
    """A body is judged once per element, keeping each word's position (``cp x "$f"``)."""
    assert _args('for f in a "b c"; do cp x "${f}"; done') == [
        [Word("cp"), Word("x"), Word("a")],
        [Word("cp"), Word("x"), Word("b c")],
    ]


def test_unquoted_reference_to_a_plain_literal_is_resolved() -> None:
    """``$f`` over a literal with nothing to split or glob is that literal."""
    assert _args("for f in a.md; do wc $f; done") == [[Word("wc"), Word("a.md")]]


def test_redirect_target_is_resolved() -> None:
    """``< "$f"`` reads the element."""
    cmds, _ = ts_parse('for f in .env; do tr a b < "$f"; done')
    assert [r.target for r in cmds[0].redirects] == [Word(".env")]


@pytest.mark.parametrize(
    "line",
    [
        # An unquoted glob element may split into other words (a file named "x .env").
        "for f in *; do cat $f; done",
        # Inside a longer word.
        'for f in .env; do cat "$f.bak"; done',
        'for f in .env; do cat "x$f"; done',
        # A dynamic list, or none.
        'for f in $(ls -a); do cat "$f"; done',
        'for f in $HOME/.env; do cat "$f"; done',
        'for f in {a,.env}; do cat "$f"; done',
        'for f; do cat "$f"; done',
        # The variable may change in the body or elsewhere on the line.
        'for f in .env; do f=README.md; cat "$f"; done',
        'for f in .env; do read f; cat "$f"; done',
        'for f in .env; do : "${f:=x}"; cat "$f"; done',
        'for f in .env; do eval "$x"; cat "$f"; done',
        'g() { f=y; }; for f in .env; do g; cat "$f"; done',
        'for f in .env; do declare -n r=f; cat "$f"; done',
        'for f in .env; do for f in a; do :; done; cat "$f"; done',
        # The glob's base moves.
        'for f in .env; do cd src; cat "$f"; done',
    ],
)
def test_anything_else_keeps_the_variable_unresolved(line: str) -> None:
    """Every reference to the variable that is not surely one element stays dynamic."""
    cats = [w for words in _args(line) if words and words[0].text == "cat" for w in words[1:]]
    assert cats and all(w.dynamic for w in cats)


def test_a_long_list_is_not_unrolled() -> None:
    """Past ``MAX_LOOP_ITEMS`` elements the body is walked once, unresolved."""
    items = " ".join(f"f{i}" for i in range(MAX_LOOP_ITEMS + 1))
    cmds = _args(f'for f in {items}; do cat "$f"; done')
    assert len(cmds) == 1 and cmds[0][1].dynamic


def test_nested_loops_share_a_budget() -> None:
    """Nested unrolled loops stop multiplying past the shared budget (no blow-up)."""
    items = " ".join(f"x{i}" for i in range(MAX_LOOP_ITEMS))
    line = f'for a in {items}; do for b in {items}; do cat "$a" "$b"; done; done'
    assert len(_args(line)) <= 64 * 2
