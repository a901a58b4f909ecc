"""What the terminal a command prints to can show: its width, and whether to colour.

Cold path. Output is written for the terminal it lands on, and nothing is ever cut:
tables laid out for reading (demo, the logs views) fit its width, 80 columns when there
is none to ask (a pipe, a file, CI); lines that tools read back (lint's
``file:line:col: …`` findings, verify's PASS/FAIL lines, explain's ``key: value`` lines)
wrap only on a terminal, so a pipe keeps one whole line per finding for grep and
editors. Colour only on a terminal, never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping
from typing import TextIO

FALLBACK = 80
NARROWEST = 40  # below this a wrapped table is unreadable anyway
_LABEL = re.compile(r" *[a-z][a-z ]*: +(?=\S)")


def width() -> int:
    """The terminal's columns (``COLUMNS`` wins), or 80 when stdout is not a terminal."""
    return max(NARROWEST, shutil.get_terminal_size((FALLBACK, 24)).columns)


def wrap(line: str, columns: int | None = None, indent: int = 4) -> list[str]:
    """``line`` as lines of at most ``columns``; every word is kept (a word longer than a
    line stays whole). Continuations are indented ``indent`` past the line's own indent,
    or, after a short label (``policy:   ``), under the value."""
    columns = width() if columns is None else columns
    if len(line) <= columns:
        return [line]
    lead = line[: len(line) - len(line.lstrip(" "))]
    hang = lead + " " * indent
    label = _LABEL.match(line)
    if label and len(label.group(0)) <= columns // 3:
        hang = " " * len(label.group(0))  # `policy:   value`: continue under the value
    return textwrap.wrap(
        line,
        columns,
        subsequent_indent=hang,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def fill(text: str, stream: TextIO | None = None, indent: int = 4) -> str:
    """Every line of ``text`` wrapped to the terminal ``stream`` is (stdout by default);
    ``text`` as it is when ``stream`` is not a terminal (see the module docstring)."""
    if not is_terminal(sys.stdout if stream is None else stream):
        return text
    columns = width()
    return "\n".join(part for line in text.split("\n") for part in wrap(line, columns, indent))


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (a test's or a caller's stream may not say)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def colour(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what goes to ``stream``: a terminal, and ``NO_COLOR`` unset or empty."""
    env = os.environ if env is None else env
    return not env.get("NO_COLOR") and is_terminal(stream)
