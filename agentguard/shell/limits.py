"""How far the shell analysis goes before it stops and says so. Hot path.

Every part of the analysis that could grow with a hostile input has an explicit cap,
so that one 47-byte line cannot keep the hook busy past Claude Code's timeout (which
runs the tool when it expires):

- a glob in a target is expanded by :func:`expand_glob`, which reads at most
  ``MAX_GLOB_SCAN`` directory entries and keeps at most ``MAX_GLOB_MATCHES`` paths;
  past either, the command asks ("agentguard did not enumerate it"), never allows;
- the syntax tree is walked at most ``MAX_NESTING`` levels deep (subshells, groups,
  substitutions, conditionals, parameter expansions); deeper, the analysis raises
  :class:`TooDeep`, which the hook turns into the policy's ``on_error`` decision.

Nested command lines (``bash -c``, ``eval``) have their own cap in ``expand.MAX_DEPTH``.
"""

from __future__ import annotations

import os

# Paths one glob may name before the guard stops listing them. A human asked to
# approve a command over more files than this is better served by the question than
# by a list; and judging each path costs the hook time (a few realpath calls each).
MAX_GLOB_MATCHES = 256
# Directory entries one glob may read while it is expanded: ``/sys/*/*/*/*/nomatch``
# matches nothing but reads every folder five levels down.
MAX_GLOB_SCAN = 8192
# Components of a glob pattern; deeper patterns are not expanded at all.
MAX_GLOB_PARTS = 64
# Levels of the syntax tree the walk descends. Real command lines stay far below it;
# each level costs a few Python frames, and the interpreter's recursion limit is 1000.
MAX_NESTING = 150

_MAGIC = frozenset("*?[")


class TooDeep(ValueError):
    """The command line nests deeper than the analysis goes (a guard error)."""

    def __init__(self, what: str, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the command line nests {what} more than {limit} levels deep; agentguard"
            " does not analyse it. Split the command or flatten it"
        )


def glob_cap_reason(pattern: str, scanned: bool) -> str:
    """The sentence a capped glob's ask carries."""
    if scanned:
        return (
            f"the glob {pattern} reads more than {MAX_GLOB_SCAN} directory entries;"
            " agentguard did not enumerate it"
        )
    return (
        f"the glob {pattern} matches more than {MAX_GLOB_MATCHES} paths; agentguard did"
        " not enumerate it"
    )


def expand_glob(pattern: str) -> tuple[list[str], str | None]:
    """The paths the absolute ``pattern`` matches (sorted, at most ``MAX_GLOB_MATCHES``),
    and why the list is incomplete (``None`` when it is complete).

    Python's ``glob`` semantics (which the analysis always used): ``*``, ``?`` and
    ``[...]`` per component, hidden names only for a pattern starting with ``.``, a
    trailing ``/`` selects folders. Unlike ``glob.glob`` it counts what it reads and
    stops early, and it keeps one list per level instead of nested generators, so a
    deep pattern costs no recursion.
    """
    from fnmatch import fnmatchcase

    parts = [p for p in pattern.split("/") if p]
    if len(parts) > MAX_GLOB_PARTS:
        return [], glob_cap_reason(pattern, True)
    dir_only = pattern.endswith("/")
    current = ["/" if pattern.startswith("/") else ""]
    scanned = 0
    last = len(parts) - 1
    for index, part in enumerate(parts):
        final = index == last
        want_dir = not final or dir_only
        found: list[str] = []
        if not any(c in _MAGIC for c in part):
            for folder in current:
                path = os.path.join(folder, part)
                if os.path.isdir(path) if want_dir else os.path.lexists(path):
                    found.append(path)
        else:
            hidden = part.startswith(".")
            for folder in current:
                try:
                    with os.scandir(folder or ".") as entries:
                        for entry in entries:
                            scanned += 1
                            if scanned > MAX_GLOB_SCAN:
                                return _cap(found if final else [], pattern, True)
                            name = entry.name
                            if (name[0] == "." and not hidden) or not fnmatchcase(name, part):
                                continue
                            if want_dir:
                                try:
                                    if not entry.is_dir():
                                        continue
                                except OSError:
                                    continue
                            found.append(os.path.join(folder, name))
                            if final and len(found) > MAX_GLOB_MATCHES:
                                return _cap(found, pattern, False)
                except OSError:
                    continue
        if not found:
            return [], None
        current = found
    return sorted(current), None


def _cap(found: list[str], pattern: str, scanned: bool) -> tuple[list[str], str]:
    """What a capped expansion still reports: the final matches found so far (judged
    like any target, so a protected file among them still denies)."""
    return sorted(found[:MAX_GLOB_MATCHES]), glob_cap_reason(pattern, scanned)
