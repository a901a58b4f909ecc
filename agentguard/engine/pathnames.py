"""A raw path, spelled out the way the kernel will see it. Hot path.

The path judgement (:mod:`agentguard.engine.paths`) judges every absolute path a raw
one may designate, so a ``..``, a ``~``, a symlink or a trailing blank cannot slip a
file past it.
"""

from __future__ import annotations

import os

# Components one path may have. Linux refuses a path over PATH_MAX (4096 bytes), so at
# most 2048 (``a/a/…``); resolving a deeper one costs time for a path no tool can open.
MAX_PATH_PARTS = 1024


class PathTooDeep(ValueError):
    """A path with more components than :data:`MAX_PATH_PARTS` (a guard error)."""

    def __init__(self, raw: str) -> None:
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        super().__init__(
            f"the path {shown!r} has more than {MAX_PATH_PARTS} components; agentguard"
            " does not judge it (no file system opens a path that long). Name the file"
            " by a shorter path"
        )


def normalise(raw: str, cwd: str, home_dir: str | None = None) -> list[str]:
    """The absolute paths a raw path may designate: lexical and symlink-resolved.

    ``~`` and ``~/`` expand, relative paths join ``cwd``, ``//`` and ``..``
    collapse. Trailing whitespace is a different file name on POSIX, but some
    tools strip it, so both spellings are judged. Unicode look-alikes are left
    alone: ``.clаude`` (Cyrillic a) is another folder, and treating it as
    ``.claude`` would only invent false alarms. A path deeper than
    :data:`MAX_PATH_PARTS` raises :class:`PathTooDeep`.
    """
    if raw.count("/") > MAX_PATH_PARTS:
        raise PathTooDeep(raw)
    spellings = [raw]
    stripped = raw.strip()
    if stripped and stripped != raw:
        spellings.append(stripped)
    out: list[str] = []
    for spelling in spellings:
        path = spelling
        if path == "~" or path.startswith("~/"):
            home = home_dir or os.path.expanduser("~")
            path = home + path[1:]
        if not os.path.isabs(path):
            path = os.path.join(cwd, path)
        lexical = os.path.normpath(path)
        if lexical.startswith("//"):
            lexical = "/" + lexical.lstrip("/")
        # The kernel resolves a symlink before the ``..`` that follows it
        # (``link/../x`` is next to the link's target, not next to the link), so the
        # unnormalised path is resolved too; normpath alone would judge another file.
        # An already normal path (a glob match, most targets) needs one resolution.
        candidates = [lexical, os.path.realpath(lexical)]
        if path != lexical:
            candidates.append(os.path.realpath(path))
        for candidate in candidates:
            if candidate not in out:
                out.append(candidate)
    return out


def inside(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` when it lies inside (``""`` for the folder itself)."""
    if path == folder:
        return ""
    prefix = folder.rstrip("/") + "/"
    if path.startswith(prefix):
        return path[len(prefix) :]
    return None


# Worktree -> whether its file system ignores case; one probe per folder per process.
_CASE_BLIND: dict[str, bool] = {}


def case_insensitive_fs(folder: str) -> bool:
    """Whether ``folder``'s file system treats names differing only in case as one file.

    Probed once per folder and cached: ``.git`` (there in every worktree) is looked up
    under a case-flipped name, ``.GIT``; it answers as the same file only on a
    case-insensitive file system (macOS's default, a FAT or SMB mount). Without a
    ``.git`` the answer is False (judged as today, by exact spelling).
    """
    known = _CASE_BLIND.get(folder)
    if known is None:
        try:
            known = os.path.samestat(
                os.stat(os.path.join(folder, ".git")), os.stat(os.path.join(folder, ".GIT"))
            )
        except OSError:
            known = False
        _CASE_BLIND[folder] = known
    return known


def folds(setting: object, worktree: str) -> bool:
    """Whether paths in ``worktree`` are judged regardless of case under the policy's
    ``defaults.case_insensitive_paths`` (``auto``: the file system's answer)."""
    return case_insensitive_fs(worktree) if setting == "auto" else setting is True


def lookalike(rel: str) -> str:
    """``rel`` with each component's trailing dots and blanks dropped (``agentguard.yaml.``,
    ``.claude ``): Windows and some macOS tools strip them, so such a name is either the
    same file or one chosen to look like it. ``.`` and ``..`` stay as they are."""
    parts = rel.split("/")
    return "/".join(part.rstrip(". ") or part for part in parts)
