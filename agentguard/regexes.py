"""Regexes compiled on first use, for hot modules. Hot path.

``re`` costs about 5 ms to import under ``-S``; a hot module keeps its patterns as
source text behind the cheap test each needs, and asks here for the compiled form only
when a line gets past that test.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

_compiled: dict[tuple[str, int], re.Pattern[str]] = {}


def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, once per process; ``re`` is imported on first use."""
    pattern = _compiled.get((source, flags))
    if pattern is None:
        import re

        pattern = _compiled[(source, flags)] = re.compile(source, flags)
    return pattern
