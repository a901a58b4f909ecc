"""Witnesses: concrete paths and tool names a pattern stands for, to compare patterns. Cold path.

Overlap and shadowing are decided by **witnesses**: concrete paths (or tool names)
built from a pattern by replacing each wildcard with a plain name (``src/**`` gives
``src/x`` and ``src/x/y``, ``dist/`` gives ``dist/x``, ``*.md`` gives ``x.md``) and then
matched against the other pattern list with the same matcher the hook uses. This is
exact when one side is a literal path or a folder prefix of the other (the usual
ownership mistake: ``src/**`` against ``src/content/config.ts``), and it never reports
an overlap that does not exist, because every witness is a real path both sides match.
Its limit: two wildcard patterns that share only instances the witnesses do not
construct (``src/a*`` and ``src/*.ts`` share ``src/a.ts``) are not reported.
"""

from __future__ import annotations

import fnmatch
import re

_WILD = re.compile(r"\*\*|\*|\?|\[!?\]?[^\]]*\]")


def witnesses(pattern: str) -> list[str]:
    """Concrete relative paths that ``pattern`` (gitignore style) matches; [] for negations."""
    if not pattern or pattern.startswith(("!", "#")):
        return []
    text = pattern.lstrip("/")
    folder = text.endswith("/")
    text = text.rstrip("/")
    out: list[str] = []
    for deep in ("x", "x/y"):

        def fill(m: re.Match[str], deep: str = deep) -> str:
            token = m.group(0)
            if token == "**":
                return deep
            if token.startswith("["):
                body = token[1:-1]
                if body.startswith("!") or not body:
                    return "x"
                return body[0]
            return "x"

        concrete = _WILD.sub(fill, text).replace("\\", "")
        candidates = [concrete + "/x", concrete + "/x/y"] if folder else [concrete]
        for candidate in candidates:
            if candidate and candidate not in out:
                out.append(candidate)
    return out


def tool_witnesses(glob: str) -> list[str]:
    """Concrete tool names matching the fnmatch ``glob``: wildcards as '', 'x' and 'a_b__c'."""
    out = []
    for fill in ("", "x", "a_b__c"):
        name = re.sub(r"\[!?\]?[^\]]*\]", "x", glob).replace("?", "x").replace("*", fill)
        if fnmatch.fnmatchcase(name, glob) and name not in out:
            out.append(name)
    return out


def glob_covers(outer: str, inner: str) -> bool:
    """Whether every name ``inner`` matches is matched by ``outer`` (fnmatch, heuristic).

    ``outer`` must match ``inner``'s own text (its ``*`` taken literally, so only a ``*`` of
    ``outer`` can absorb it) and every witness of ``inner``.
    """
    if not fnmatch.fnmatchcase(inner, outer):
        return False
    return all(fnmatch.fnmatchcase(w, outer) for w in tool_witnesses(inner))


# Every check code lint reports, with what it means. tests/test_lint.py requires a golden
