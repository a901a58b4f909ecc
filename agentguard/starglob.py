"""Globs whose one wildcard is ``*``, matched by string tests (no ``re``). Hot path.

The policy's name lists (``secrets.variables``, ``production.hosts``/``variables``) are
written this way; the classifier and the log's redaction match them on every call.
"""

from __future__ import annotations


def match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern``, whose one wildcard ``*`` is any run of characters."""
    if "*" not in pattern:
        return pattern == text
    first, *middle, last = pattern.split("*")
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return False
    # Leftmost matches are enough for a pattern of literals between stars.
    pos, end = len(first), len(text) - len(last)
    for part in middle:
        found = text.find(part, pos, end)
        if found < 0:
            return False
        pos = found + len(part)
    return True
