"""How commands read their command line: help text in plain words, options around a view.

Docstrings are written for the source (``code`` and :mod:`roles`); a terminal shows
them as plain text, so every command's description passes through :func:`plain`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def plain(doc: str | None) -> str:
    """``doc`` without reStructuredText markup: ``x`` reads `x`, :func:`x` reads x.

    The first line is the title (``agentguard lint``: ...) and loses its quotes entirely.
    """
    if not doc:
        return ""
    text = _ROLE.sub(r"\1", doc)
    title, _, rest = text.partition("\n")
    title = _LITERAL.sub(r"\1", title)
    rest = _LITERAL.sub(r"`\1`", rest)
    return f"{title}\n{rest}" if rest else title


def view_first(argv: Sequence[str], views: Collection[str], valued: Collection[str]) -> list[str]:
    """``argv`` with its view moved to the front, so options work before or after it.

    ``agentguard logs --home X summary`` reads as ``logs summary --home X``. ``valued``
    names the options that take a value (``--agent summary`` is an agent named summary,
    not the view); a token after ``--`` is never a view.
    """
    args = list(argv)
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            break
        if token.startswith("-"):
            i += 2 if token in valued else 1
            continue
        if token in views and i:
            return [token, *args[:i], *args[i + 1 :]]
        break
    return args
