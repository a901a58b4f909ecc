"""engine/patterns.py: gitignore's "last match wins", written once for the hook and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentguard.engine.patterns import deciding_pattern, deciding_tree
from agentguard.policy.compiler import gitignore_regexes

PACKAGE = Path(__file__).resolve().parent.parent / "agentguard"


@pytest.mark.parametrize(
    ("patterns", "rel", "expected"),
    [
        (["src/**"], "src/a.ts", "src/**"),
        (["src/**", "!src/gen/**"], "src/gen/x.ts", None),
        (["src/**", "!src/gen/**", "src/gen/keep.ts"], "src/gen/keep.ts", "src/gen/keep.ts"),
        (["*.md", "docs/"], "docs/a.md", "docs/"),
        (["docs/"], "docs", None),
        (["dist/"], "src/dist.ts", None),
    ],
)
def test_the_last_matching_pattern_decides(
    patterns: list[str], rel: str, expected: str | None
) -> None:
    """The last pattern that matches decides; a negation there means not covered."""
    assert deciding_pattern(gitignore_regexes(patterns), rel) == expected


def test_a_tree_covers_its_own_root() -> None:
    """``src/search/**`` covers the folder ``src/search`` itself (its owner creates it)."""
    compiled = gitignore_regexes(["src/search/**"])
    assert deciding_pattern(compiled, "src/search") is None
    assert deciding_tree(compiled, "src/search") == "src/search/**"
    assert deciding_tree(compiled, "") is None


# How the old copies spelled the loop: a compiled list unpacked and matched by regex.
_COPY = re.compile(r"for\s+regex\s*,\s*include|re\.match\(\s*(?:regex|entry\[0\])\s*,\s*rel\b")


def test_no_module_writes_its_own_last_match_loop() -> None:
    """Only engine/patterns.py walks a compiled pattern list; the others call it."""
    copies = [
        str(file.relative_to(PACKAGE))
        for file in sorted(PACKAGE.rglob("*.py"))
        if file != PACKAGE / "engine" / "patterns.py" and _COPY.search(file.read_text("utf-8"))
    ]
    assert copies == []
